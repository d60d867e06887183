"""Errors as exceptions carrying the SPEC code, the pinned status and every violation."""

import unittest

import leadcustomers as lc

BASE = {"op": "customer.create", "customer_type_id": 1, "first_name": "Ana", "last_name": "Example"}


class ErrorsTest(unittest.TestCase):
    def setUp(self):
        self.store = lc.Store()

    def tearDown(self):
        self.store.close()

    def test_rule_breaking_command_raises_validation_error_with_violations(self):
        with self.assertRaises(lc.ValidationError) as cm:
            self.store.execute(dict(BASE, email="ana.example.com"))
        e = cm.exception
        self.assertEqual((e.code, e.status), ("VALIDATION_FAILED", 2))
        self.assertIn(lc.Violation("email", "email.missing_at", e.violations[0].message), e.violations)

    def test_validation_error_is_an_error(self):
        with self.assertRaises(lc.Error):
            self.store.execute(dict(BASE, email="nope"))

    def test_duplicate_email_raises_already_exists_on_email(self):
        self.store.execute(dict(BASE, email="ana@example.com"))
        with self.assertRaises(lc.AlreadyExistsError) as cm:
            self.store.execute(dict(BASE, email="ANA@example.com"))
        self.assertEqual([(v.field, v.rule) for v in cm.exception.violations], [("email", "email.taken")])

    def test_missing_customer_raises_not_found(self):
        with self.assertRaises(lc.NotFoundError) as cm:
            self.store.get(email="nobody@example.com")
        self.assertEqual(cm.exception.code, "NOT_FOUND")
        self.assertEqual(cm.exception.violations[0].rule, "customer.not_found")

    def test_unknown_op_raises_invalid_argument(self):
        with self.assertRaises(lc.InvalidArgumentError) as cm:
            self.store.execute({"op": "customer.fly"})
        self.assertEqual([(v.field, v.rule) for v in cm.exception.violations], [("op", "command.unknown_op")])

    def test_bad_json_raises_invalid_argument(self):
        with self.assertRaises(lc.InvalidArgumentError) as cm:
            self.store.execute("{not json")
        self.assertEqual(cm.exception.violations[0].rule, "command.bad_json")

    def test_invalid_utf8_bytes_are_refused(self):
        with self.assertRaises(lc.InvalidArgumentError) as cm:
            self.store.execute(b'{"op":"customer.get","email":"\xff@example.com"}')
        self.assertEqual([(v.field, v.rule) for v in cm.exception.violations], [("command", "capi.invalid_utf8")])

    def test_oversized_command_raises_resource_exhausted(self):
        with lc.Store(max_input_bytes=64) as small:
            with self.assertRaises(lc.ResourceExhaustedError) as cm:
                small.execute(dict(BASE, email="a" * 100 + "@example.com"))
        self.assertEqual(cm.exception.violations[0].rule, "capi.too_large")

    def test_stale_version_raises_conflict(self):
        created = self.store.execute(dict(BASE, email="v@example.com")).value
        with self.assertRaises(lc.ConflictError):
            self.store.execute({"op": "customer.update", "customer_id": created["id"], "expected_version": 99,
                                "first_name": "Anna"})

    def test_bad_option_raises_invalid_argument(self):
        with self.assertRaises(lc.InvalidArgumentError) as cm:
            lc.Store(max_addresses=0)
        self.assertEqual(cm.exception.violations[0].rule, "option.out_of_range")
        with self.assertRaises(TypeError):
            lc.Store(colour="blue")


if __name__ == "__main__":
    unittest.main()
