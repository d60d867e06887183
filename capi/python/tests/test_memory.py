"""Every handle is freed: resident memory stays flat over a 100 000-call loop that exercises results,
errors (with violations), options and validation."""

import os
import unittest

import leadcustomers as lc

CALLS = 100_000


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class MemoryTest(unittest.TestCase):
    def test_rss_stays_flat_over_100k_calls(self):
        if os.environ.get("LD_PRELOAD", "").find("libasan") >= 0:
            self.skipTest("RSS is meaningless under ASan's allocator (LeakSanitizer covers the C tests)")
        with lc.Store() as store:
            store.execute({"op": "customer.create", "customer_type_id": 1, "first_name": "Ana",
                           "last_name": "Example", "email": "ana@example.com"})

            def one(i):
                k = i % 4
                if k == 0:
                    store.get_json(email="ana@example.com")
                elif k == 1:
                    try:
                        store.get_json(email="nobody@example.com")
                    except lc.NotFoundError:
                        pass
                elif k == 2:
                    try:
                        store.execute({"op": "customer.create", "customer_type_id": 1, "first_name": "B",
                                       "last_name": "C", "email": "bad"})
                    except lc.ValidationError:
                        pass
                else:
                    lc.validate_address({"name": "A", "region": "DE", "address1": "x", "city": "Berlin",
                                         "zip": "10115"}, default_region="DE")

            for i in range(20_000):  # warm-up: allocator pools, caches
                one(i)
            before = rss_bytes()
            for i in range(CALLS):
                one(i)
            growth = rss_bytes() - before
        print("\nRSS growth over %d calls: %.1f KiB" % (CALLS, growth / 1024))
        # A leaked result or error per call would be tens of MiB here.
        self.assertLess(growth, 4 * 1024 * 1024)


if __name__ == "__main__":
    unittest.main()
