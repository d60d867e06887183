#!/usr/bin/env bash
# `leadcustomers show` on the sample: imports examples/data/shopify-customers.csv into a fresh SQLite file,
# applies examples/commands/views-sample.jsonl (every command must succeed), then checks that the text view
# and the --json document carry every section of the customer's record.
# Usage: show_full_view.sh TOOL SOURCE_DIR WORK_DIR
set -euo pipefail
tool=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
db="$work/show.db"
"$tool" import --format shopify "$src/examples/data/shopify-customers.csv" --db "$db" >/dev/null
"$tool" apply --db "$db" "$src/examples/commands/views-sample.jsonl" >"$work/apply.out"
if grep -q '"ok":false' "$work/apply.out"; then
  echo "a command of views-sample.jsonl failed:"; grep '"ok":false' "$work/apply.out"; exit 1
fi
"$tool" show luca.mbeki@example.org --db "$db" >"$work/show.txt"
cat "$work/show.txt"
expect() {
  grep -qF -- "$1" "$work/show.txt" || { echo "missing in the text view: $1"; exit 1; }
}
expect "Luca Mbeki <luca.mbeki@example.org>"
expect "(default shipping, default billing)"
expect "portal login luca.mbeki@example.org: no password, no secret question"
expect "Support tickets (2, 1 unresolved):"
expect "  - [Pending, High] Order #1180: one item arrived damaged"
expect "Opportunities (3); open pipeline: CAD 4800.00, USD 9000.00"
# Segments are evaluated at query time: the customer was created by this import (so "new") and is Active.
expect "  - New customers (last 30 days)  (builtin.new_30d)"
expect "  - All customers  (builtin.all_customers)"
expect "Sales history (5 orders):"
expect "  lifetime value CAD 259.15 (Processing, Shipped and Completed orders; 4 orders in all, first 2025-03-14, last 2025-12-05)"
expect "  lifetime value USD 249.99 (Processing, Shipped and Completed orders; 1 order in all, first 2025-10-30, last 2025-10-30)"
expect "  - #1233      2025-12-05  Processing CAD 75.25, 4 items"
"$tool" show luca.mbeki@example.org --db "$db" --json >"$work/show.json"
python3 - "$work/show.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["email"] == "luca.mbeki@example.org", doc["email"]
assert [t["status"] for t in doc["tickets"]["tickets"]] == ["Pending", "Closed"], doc["tickets"]
assert doc["opportunities"]["open_pipeline"] == {"CAD": 480000, "USD": 900000}, doc["opportunities"]
assert len(doc["orders"]["orders"]) == 5 and doc["orders"]["next_cursor"] is None, doc["orders"]
assert doc["orders"]["by_currency"]["CAD"]["lifetime_value"] == 25915, doc["orders"]["by_currency"]
ids = [s["id"] for s in doc["segments"]]
assert "builtin.all_customers" in ids and "builtin.new_30d" in ids and "builtin.all_leads" not in ids, ids
assert "password_hash" not in json.dumps(doc)
PY
echo "show: every section present"
