"""get-by-e-mail through the Python ctypes binding, in ns/op (compare with bench/capi_bench's C ABI and C++
figures; a ctypes call costs ~0.3-1 us by itself, ENV-NOTES §4h).

    PYTHONPATH=capi/python LEADCUSTOMERS_LIBRARY=<build>/lib/libleadcustomers_c.so python3 bench/capi_ctypes.py
"""

import timeit

import leadcustomers as lc

CUSTOMERS = 10_000
LOOKUPS = 1024

with lc.Store() as store:
    for i in range(CUSTOMERS):
        store.execute('{"op":"customer.create","customer_type_id":1,"first_name":"First%d","last_name":"Last",'
                      '"email":"customer%d@example.com"}' % (i, i))
    emails = ["Customer%d@Example.com" % ((i * 7919) % CUSTOMERS) for i in range(LOOKUPS)]
    state = {"i": 0}

    def get_json():
        state["i"] += 1
        return store.get_json(email=emails[state["i"] % LOOKUPS])

    def get_parsed():
        state["i"] += 1
        return store.get(email=emails[state["i"] % LOOKUPS])

    def trivial():
        return lc.lib.lc_version_string()

    for name, fn, n in (("ctypes get_json (JSON text out)", get_json, 20_000),
                        ("ctypes get (JSON parsed to dict)", get_parsed, 20_000),
                        ("ctypes trivial call (lc_version_string)", trivial, 200_000)):
        best = min(timeit.repeat(fn, number=n, repeat=7)) / n
        print("%-42s %10.0f ns/op (fastest of 7 x %d)" % (name, best * 1e9, n))
