#!/usr/bin/env bash
# `leadcustomers show` when one section cannot be read: a database written before the library refused
# order totals past 64 bits (two orders inserted here with raw SQL) makes customer.orders fail with SQLite's
# "integer overflow"; show still prints the details, tickets, opportunities and segments, says which section
# failed and why, and exits 1. --json carries the failed section as {"error": {...}}.
# Usage: show_failed_section.sh TOOL WORK_DIR
set -euo pipefail
tool=$1 work=$2
rm -rf "$work" && mkdir -p "$work"
db="$work/show.db"
cid=018f0000-0000-7000-8000-0000000000c1
cat >"$work/commands.jsonl" <<JSONL
{"op":"customer.create","id":"$cid","customer_type_id":1,"first_name":"Ada","last_name":"Big","email":"ada@example.com"}
{"op":"ticket.add","customer_id":"$cid","subject":"Where is my order?"}
{"op":"order.record","customer_id":"$cid","id":"018f0000-0000-7000-8000-0000000000d1","order_number":"#1","placed_at":"2025-01-02T03:04:05Z","status":"Completed","total":{"amount":100,"currency":"USD"},"item_count":1}
JSONL
"$tool" apply --db "$db" "$work/commands.jsonl" >"$work/apply.out"
if grep -q '"ok":false' "$work/apply.out"; then cat "$work/apply.out"; exit 1; fi
python3 - "$db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
(customer,) = db.execute("SELECT customer_id FROM orders").fetchone()
db.execute("INSERT INTO orders VALUES (?, ?, '#2', 1735790000000000, 'Completed', 9223372036854775807, 'USD', 1)",
           (customer, bytes.fromhex("018f00000000700080000000000000d2")))
db.commit()
PY
set +e
"$tool" show ada@example.com --db "$db" >"$work/show.txt" 2>"$work/show.err"
rc=$?
set -e
cat "$work/show.txt" "$work/show.err"
[ "$rc" = 1 ] || { echo "show exited $rc, expected 1"; exit 1; }
expect() {
  grep -qF -- "$1" "$work/show.txt" || { echo "missing in the text view: $1"; exit 1; }
}
expect "Ada Big <ada@example.com>"
expect "Support tickets (1, 1 unresolved):"
expect "Opportunities (0); open pipeline: none"
expect "  - All customers  (builtin.all_customers)"
grep -qE '^Sales history: could not be read \(INTERNAL: SQLite: .*: integer overflow\)$' "$work/show.txt" ||
  { echo "no line for the failed section"; exit 1; }
grep -qF "leadcustomers: customer.orders: SQLite: " "$work/show.err" || { echo "no error on stderr"; exit 1; }
set +e
"$tool" show ada@example.com --db "$db" --json >"$work/show.json" 2>/dev/null
rc=$?
set -e
[ "$rc" = 1 ] || { echo "show --json exited $rc, expected 1"; exit 1; }
python3 - "$work/show.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["email"] == "ada@example.com", doc["email"]
assert [t["subject"] for t in doc["tickets"]["tickets"]] == ["Where is my order?"], doc["tickets"]
assert doc["opportunities"]["open_pipeline"] == {}, doc["opportunities"]
assert "builtin.all_customers" in [s["id"] for s in doc["segments"]], doc["segments"]
error = doc["orders"]["error"]
assert error["code"] == "INTERNAL", error
assert error["message"].startswith("SQLite: ") and error["message"].endswith(": integer overflow"), error
assert list(doc["orders"]) == ["error"], doc["orders"]
PY
echo "show: the failed section is reported, the others are shown"
