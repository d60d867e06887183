"""Stateless validation and region look-ups."""

import unittest

import leadcustomers as lc


class ValidateTest(unittest.TestCase):
    def test_valid_customer_returns_the_normalized_document(self):
        r = lc.validate_customer({"customer_type_id": 3, "first_name": "  Ana ", "last_name": "Example",
                                  "email": "ana@example.com"})
        self.assertEqual(r.value["first_name"], "Ana")
        self.assertEqual(r.value["customer_type_id"], 3)

    def test_invalid_customer_raises_every_violation(self):
        with self.assertRaises(lc.ValidationError) as cm:
            lc.validate_customer({"customer_type_id": 1, "first_name": "Ana", "last_name": "Example",
                                  "email": "nope"})
        self.assertEqual([(v.field, v.rule) for v in cm.exception.violations], [("email", "email.missing_at")])

    def test_valid_address_returns_the_normalized_address(self):
        r = lc.validate_address({"name": "Ana Example", "region": "de", "address1": "Hauptstr. 1",
                                 "city": "Berlin", "zip": "10115"})
        self.assertEqual((r.value["region"], r.value["zip"]), ("DE", "10115"))

    def test_address_violations_are_relative_to_the_address(self):
        with self.assertRaises(lc.ValidationError) as cm:
            lc.validate_address({"region": "DE", "address1": "Hauptstr. 1", "city": "Berlin", "zip": "10115"})
        self.assertEqual([(v.field, v.rule) for v in cm.exception.violations], [("name", "address.name_required")])


class RegionsTest(unittest.TestCase):
    def test_resolve_state_gives_the_full_code(self):
        self.assertEqual(lc.resolve_state("us", "CA")["code"], "US-CA")

    def test_country_and_state_lists(self):
        codes = [c["code"] for c in lc.countries()]
        self.assertIn("US", codes)
        self.assertEqual(lc.states("DE")[0]["code"][:3], "DE-")
        self.assertIn({"code": "DE-BE", "name": "Berlin"}, lc.states("DE"))


if __name__ == "__main__":
    unittest.main()
