#!/usr/bin/env bash
# `leadcustomers import --dry-run` writes nothing: an existing database stays byte-identical, and a database
# path that does not exist yet is not created.
# Usage: import_dry_run.sh TOOL SOURCE_DIR WORK_DIR
set -euo pipefail
tool=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
sample="$src/examples/data/shopify-customers.csv"
out=$("$tool" import --format shopify "$sample" --db "$work/new.db" --dry-run)
case "$out" in
  "dry run (nothing stored): 1,000 records read, 963 accepted"*) ;;
  *) echo "unexpected summary: $out"; exit 1 ;;
esac
[ ! -e "$work/new.db" ] || { echo "a dry run created $work/new.db"; exit 1; }
printf '{"op":"customer.create","customer_type_id":1,"first_name":"Ada","email":"ada@example.com"}\n' >"$work/one.jsonl"
"$tool" apply --db "$work/old.db" "$work/one.jsonl" >/dev/null
before=$(sha256sum "$work/old.db" | cut -d' ' -f1)
"$tool" import --format shopify "$sample" --db "$work/old.db" --dry-run >/dev/null
after=$(sha256sum "$work/old.db" | cut -d' ' -f1)
[ "$before" = "$after" ] || { echo "a dry run changed $work/old.db"; exit 1; }
echo "import --dry-run: nothing created, nothing changed"
