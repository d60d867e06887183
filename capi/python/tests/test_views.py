"""The per-customer views through the C ABI's lc_execute (no new C function is needed: any op goes through)."""

import unittest

import leadcustomers as lc

ANA_ID = "018f0000-0000-7000-8000-000000000001"
ANA = {"op": "customer.create", "id": ANA_ID, "customer_type_id": 1, "first_name": "Ana",
       "last_name": "Example", "email": "ana.example@example.com"}


def order(n, placed_at, status, amount, currency):
    return {"op": "order.record", "customer_id": ANA_ID, "id": "018f0000-0000-7000-8000-%012d" % (300 + n),
            "order_number": "#%d" % n, "placed_at": placed_at, "status": status,
            "total": {"amount": amount, "currency": currency}, "item_count": 1}


class ViewsTest(unittest.TestCase):
    def setUp(self):
        self.store = lc.Store(hash_cost="minimum")
        self.store.execute(ANA)

    def tearDown(self):
        self.store.close()

    def test_customer_orders_pages_and_sums_per_currency(self):
        self.store.execute(order(1, "2026-01-01T10:00:00Z", "Completed", "19.99", "USD"))
        self.store.execute(order(2, "2026-01-02T10:00:00Z", "Refunded", 500, "USD"))
        self.store.execute(order(3, "2026-01-03T10:00:00Z", "Shipped", "1999", "JPY"))
        page = self.store.execute({"op": "customer.orders", "customer_id": ANA_ID, "limit": 2}).value
        self.assertEqual([o["order_number"] for o in page["orders"]], ["#3", "#2"])
        self.assertEqual(page["by_currency"], {
            "JPY": {"orders": 1, "lifetime_value": 1999, "first_order_at": "2026-01-03T10:00:00.000Z",
                    "last_order_at": "2026-01-03T10:00:00.000Z"},
            "USD": {"orders": 2, "lifetime_value": 1999, "first_order_at": "2026-01-01T10:00:00.000Z",
                    "last_order_at": "2026-01-02T10:00:00.000Z"}})
        rest = self.store.execute({"op": "customer.orders", "customer_id": ANA_ID, "limit": 2,
                                   "cursor": page["next_cursor"]}).value
        self.assertEqual([o["order_number"] for o in rest["orders"]], ["#1"])
        self.assertIsNone(rest["next_cursor"])

    def test_yen_total_with_decimals_is_a_validation_error_on_total_amount(self):
        with self.assertRaises(lc.ValidationError) as cm:
            self.store.execute(order(1, "2026-01-01T10:00:00Z", "Completed", "19.99", "JPY"))
        self.assertEqual([(v.field, v.rule) for v in cm.exception.violations],
                         [("total.amount", "money.too_many_decimals")])


if __name__ == "__main__":
    unittest.main()
