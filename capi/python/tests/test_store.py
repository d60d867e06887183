"""Store, execute and get through the ctypes binding."""

import threading
import unittest

import leadcustomers as lc

ANA = {"op": "customer.create", "id": "018f0000-0000-7000-8000-000000000001", "customer_type_id": 1,
       "first_name": "Ana", "last_name": "Example", "email": "ana.example@example.com"}


class StoreTest(unittest.TestCase):
    def setUp(self):
        self.store = lc.Store(hash_cost="minimum")

    def tearDown(self):
        self.store.close()

    def test_version_has_the_binding_major(self):
        self.assertEqual(lc.version().split(".")[0], str(lc.ABI_MAJOR))

    def test_execute_returns_the_customer_document(self):
        r = self.store.execute(ANA)
        self.assertEqual(r.value["id"], "018f0000-0000-7000-8000-000000000001")
        self.assertEqual(r.value["email"], "ana.example@example.com")
        self.assertEqual(r.warnings, [])

    def test_execute_accepts_json_text(self):
        r = self.store.execute('{"op":"customer.create","customer_type_id":1,"first_name":"Bo",'
                               '"last_name":"Example","email":"bo@example.com"}')
        self.assertEqual(r.value["first_name"], "Bo")

    def test_get_by_email_ignores_letter_case(self):
        self.store.execute(ANA)
        self.assertEqual(self.store.get(email="ANA.EXAMPLE@example.com")["id"], ANA["id"])

    def test_get_by_id_returns_the_document(self):
        self.store.execute(ANA)
        self.assertEqual(self.store.get(customer_id=ANA["id"].upper())["first_name"], "Ana")

    def test_get_json_is_the_document_text(self):
        self.store.execute(ANA)
        self.assertIn('"email":"ana.example@example.com"', self.store.get_json(email="ana.example@example.com"))

    def test_get_needs_exactly_one_key(self):
        with self.assertRaises(TypeError):
            self.store.get()
        with self.assertRaises(TypeError):
            self.store.get(customer_id="x", email="y")

    def test_non_ascii_text_round_trips(self):
        cmd = dict(ANA, first_name="Zoë", last_name="Ŝmith")
        self.store.execute(cmd)
        self.assertEqual(self.store.get(email=ANA["email"])["last_name"], "Ŝmith")

    def test_supports_known_ops_only(self):
        self.assertTrue(self.store.supports("customer.create"))
        self.assertFalse(self.store.supports("customer.fly"))

    def test_closed_store_refuses_calls(self):
        self.store.close()
        self.assertTrue(self.store.closed)
        with self.assertRaises(ValueError):
            self.store.execute(ANA)
        self.store.close()  # idempotent

    def test_context_manager_closes(self):
        with lc.Store() as s:
            s.execute(ANA)
        self.assertTrue(s.closed)

    def test_threads_share_one_store(self):
        errors = []

        def work(t):
            try:
                for i in range(25):
                    email = "t%d-%d@example.com" % (t, i)
                    self.store.execute({"op": "customer.create", "customer_type_id": 1, "first_name": "T",
                                        "last_name": "L", "email": email})
                    self.store.get(email=email)
            except Exception as e:  # reported below
                errors.append(e)

        threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        self.assertEqual(errors, [])

    def test_sqlite_round_trips(self):
        import os
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "lc.db")
            with lc.Store.open_sqlite(path) as s:
                s.execute(ANA)
            with lc.Store.open_sqlite(path) as s:
                self.assertEqual(s.get(email=ANA["email"])["id"], ANA["id"])


if __name__ == "__main__":
    unittest.main()
