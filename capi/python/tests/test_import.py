"""Imports through the Python binding: a buffer and a file, the result, progress reports, rejects."""
import os
import tempfile
import unittest

import leadcustomers as lc

CSV = (
    "First Name,Last Name,Email,Default Address Address1,Default Address City,Default Address Province Code,"
    "Default Address Country Code,Default Address Zip\r\n"
    "Ana,Example,ana.example@example.com,12 Example Street,Cambridge,MA,US,\"02138\"\r\n"
    "Ben,Sample,ben.sample@example.org,1 Sample Road,Hoboken,NJ,US,07030\r\n"
    "Cy,Sample,cy.sample@example.org,2 Sample Road,Hoboken,NJ,US,7030\r\n"
)


class ImportTest(unittest.TestCase):
    def test_import_bytes_gives_the_import_result_and_keeps_good_rows(self):
        with lc.Store() as s:
            result = s.import_bytes(CSV, "shopify")
            self.assertEqual((result["rows_read"], result["accepted"], result["rejected"]), (3, 2, 1))
            self.assertEqual(result["rows"][0]["line"], 4)
            self.assertEqual(result["rows"][0]["violations"][0]["field"], "addresses[0].zip")
            self.assertEqual(s.get(email="ana.example@example.com")["addresses"][0]["zip"], "02138")

    def test_import_file_reports_progress_and_writes_rejects(self):
        calls = []
        with tempfile.TemporaryDirectory() as d, lc.Store() as s:
            path = os.path.join(d, "export.csv")
            rejects = os.path.join(d, "rejects.csv")
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(CSV)
            result = s.import_file(path, "shopify", progress=lambda *a: calls.append(a), rejects_path=rejects,
                                   batch_size=1)
            self.assertEqual(result["accepted"], 2)
            self.assertGreaterEqual(len(calls), 3)
            self.assertEqual(calls[-1][:3], (3, 2, 1))
            with open(rejects, encoding="utf-8") as f:
                self.assertIn("cy.sample@example.org", f.read())

    def test_dry_run_stores_nothing(self):
        with lc.Store() as s:
            result = s.import_bytes(CSV, "shopify", dry_run=True)
            self.assertEqual(result["accepted"], 2)
            with self.assertRaises(lc.NotFoundError):
                s.get(email="ana.example@example.com")

    def test_unknown_option_and_missing_file_are_errors(self):
        with lc.Store() as s:
            with self.assertRaises(lc.Error) as e:
                s.import_bytes(CSV, "shopify", dryrun=True)
            self.assertEqual(e.exception.code, "INVALID_ARGUMENT")
            self.assertEqual(e.exception.violations[0].field, "dryrun")
            with self.assertRaises(lc.NotFoundError) as nf:
                s.import_file("/nonexistent/export.csv", "shopify")
            self.assertEqual(nf.exception.violations[0].field, "path")


if __name__ == "__main__":
    unittest.main()
