"""The shared behaviour cases (../shared/cases) through the Python binding: one test per case file.
A case that uses an op the engine does not know yet is skipped; a missing cases folder fails."""

import glob
import json
import os
import unittest

import leadcustomers as lc

CASES = os.path.join(os.environ.get("LC_SHARED_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "..",
                                                                   "..", "shared")), "cases")


def subset_mismatch(expected, actual, where):
    """'' when `actual` matches `expected` as the cases README says, else the first difference."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return "%s: expected an object, got %r" % (where, actual)
        for k, v in expected.items():
            path = "%s.%s" % (where, k)
            if k not in actual:
                return path + ": missing"
            m = subset_mismatch(v, actual[k], path)
            if m:
                return m
        return ""
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(expected) != len(actual):
            return "%s: expected %r, got %r" % (where, expected, actual)
        for i, (e, a) in enumerate(zip(expected, actual)):
            m = subset_mismatch(e, a, "%s[%d]" % (where, i))
            if m:
                return m
        return ""
    if isinstance(expected, bool) or isinstance(actual, bool):
        same = expected is actual  # JSON true is not 1
    else:
        same = expected == actual  # numbers compare by value (1 == 1.0), as the C++ case runner does
    if same:
        return ""
    return "%s: expected %r, got %r" % (where, expected, actual)


def row_fields(result):
    fields = []
    if isinstance(result, dict):
        for row in result.get("rows", []) or []:
            fields += [v.get("field") for v in row.get("violations", [])]
    return fields


class CasesTest(unittest.TestCase):
    def test_cases_folder_is_present(self):
        self.assertTrue(os.path.isdir(CASES), CASES + " is missing")
        self.assertGreaterEqual(len(glob.glob(os.path.join(CASES, "*.json"))), 10)

    def run_case(self, path):
        with open(path, encoding="utf-8") as f:
            case = json.load(f)
        with lc.Store(hash_cost="minimum") as store:
            for step in case["steps"]:
                if not store.supports(step["cmd"]["op"]):
                    self.skipTest("uses " + step["cmd"]["op"])
            for n, step in enumerate(case["steps"], 1):
                expect = step.get("expect", {})
                try:
                    r = store.execute(step["cmd"])
                    ok, code, fields, result = True, "OK", row_fields(r.value), r.value
                except lc.Error as e:
                    ok, code, fields, result = False, e.code, [v.field for v in e.violations], None
                    detail = e.message
                else:
                    detail = r.json
                where = "step %d: %s" % (n, detail)
                if "ok" in expect:
                    self.assertEqual(expect["ok"], ok, where)
                if "code" in expect:
                    self.assertEqual(expect["code"], code, where)
                if "field" in expect:
                    self.assertIn(expect["field"], fields, where)
                if "result" in expect:
                    self.assertEqual(subset_mismatch(expect["result"], result, "result"), "", where)


def _add(path):
    name = "test_" + os.path.splitext(os.path.basename(path))[0].replace("-", "_")
    setattr(CasesTest, name, lambda self: self.run_case(path))


for _path in sorted(glob.glob(os.path.join(CASES, "*.json"))):
    _add(_path)


if __name__ == "__main__":
    unittest.main()
