"""Quick-start: LeadCustomers from Python (ctypes binding in capi/python).

    PYTHONPATH=capi/python LEADCUSTOMERS_LIBRARY=build/release/lib/libleadcustomers_c.so python3 examples/python/quickstart.py
"""

import leadcustomers as lc

print("libleadcustomers_c", lc.version())

with lc.Store() as store:
    store.execute({"op": "customer.create", "customer_type_id": 1, "first_name": "Ana", "last_name": "Example",
                   "email": "ana.example@example.com"})
    ana = store.get(email="ANA.EXAMPLE@example.com")
    print("found:", ana["id"], ana["first_name"], ana["email"])

    try:
        store.execute({"op": "customer.create", "customer_type_id": 1, "first_name": "Bo", "last_name": "Example",
                       "email": "bo.example.com"})
        raise SystemExit("expected a ValidationError")
    except lc.ValidationError as e:
        print(e.code, e.message)
        for v in e.violations:
            print("  ", v.field, v.rule, v.message)

# Stateless validation: nothing is stored.
address = lc.validate_address({"name": "Ana Example", "region": "de", "address1": "Hauptstr. 1", "city": "Berlin",
                               "zip": "10115"})
print("normalized address:", address.value["region"], address.value["zip"])
