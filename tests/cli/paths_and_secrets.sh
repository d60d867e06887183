#!/usr/bin/env bash
# The CLI refuses what it cannot use, by name, and keeps secrets out of files:
# - `apply` and `import` given a folder say so (exit 1); an unknown command is named;
# - `show`, `search` and `export` refuse a --db that does not exist and leave no empty file behind (exit 2);
# - `export --with-secret-hashes` needs jsonl, makes its file private (0600), and its file imported into a new
#   database gives back a login that verifies; without the flag no hash is written;
# - `show --limit N` lists N orders in the text view too; `show --json` answers a missing customer in JSON;
# - an output file (--rejects, --out) that is a file the command reads is refused; a command that fails before
#   it starts leaves no database; numbers are checked first; text from the data is escaped on the terminal.
# Usage: paths_and_secrets.sh TOOL SOURCE_DIR WORK_DIR
set -euo pipefail
tool=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work/folder"

fails_with() {  # expected-status expected-stderr-text command...
  local want=$1 text=$2
  shift 2
  set +e
  "$@" >"$work/out.txt" 2>"$work/err.txt"
  local rc=$?
  set -e
  [ "$rc" = "$want" ] || { echo "$* exited $rc, expected $want"; cat "$work/err.txt"; exit 1; }
  grep -qF -- "$text" "$work/err.txt" || { echo "$*: stderr lacks '$text':"; cat "$work/err.txt"; exit 1; }
}

fails_with 1 "leadcustomers: command file $work/folder is a folder, not a file" \
  "$tool" apply --store memory "$work/folder"
fails_with 2 "leadcustomers: input $work/folder is a folder, not a file" \
  "$tool" import --format shopify --store memory "$work/folder"
fails_with 2 "leadcustomers: unknown command 'shwo'" "$tool" shwo a@example.com
for cmd in "show a@example.com" "search ana" "export --format jsonl"; do
  # shellcheck disable=SC2086
  fails_with 2 "leadcustomers: database $work/missing.db does not exist" "$tool" $cmd --db "$work/missing.db"
  [ ! -e "$work/missing.db" ] || { echo "$cmd left $work/missing.db behind"; exit 1; }
done
fails_with 2 "--with-secret-hashes needs --format jsonl" \
  "$tool" export --format shopify --with-secret-hashes --db "$work/missing.db"

# A command that fails before it starts leaves no database behind.
fails_with 1 "leadcustomers: command file $work/nofile.jsonl does not exist" \
  "$tool" apply "$work/nofile.jsonl" --db "$work/x1.db"
fails_with 2 "leadcustomers: import: unknown format 'csvv'" "$tool" import --format csvv "$work/folder" --db "$work/x2.db"
fails_with 2 "leadcustomers: mapping $work/nomap.json does not exist" \
  "$tool" import --format generic "$src/examples/data/shopify-customers.csv" --mapping "$work/nomap.json" \
  --db "$work/x3.db"
fails_with 2 "leadcustomers: import: format generic needs a mapping" \
  "$tool" import --format generic "$src/examples/data/shopify-customers.csv" --db "$work/x4.db"
fails_with 2 "leadcustomers: --preload: reads a file, not standard input" \
  "$tool" search a --preload shopify=- --db "$work/x5.db"
fails_with 2 "leadcustomers: input $work/missing.csv does not exist" \
  "$tool" search a --preload "shopify=$work/missing.csv" --db "$work/x6.db"
# A file-level refusal found once the import has started (two columns of one name) removes the database
# the command created for it.
printf 'Email,First Name,Email\na@example.com,A,b@example.com\n' >"$work/dup.csv"
fails_with 1 "import.duplicate_column" "$tool" import --format shopify "$work/dup.csv" --db "$work/x7.db"
for f in x1 x2 x3 x4 x5 x6 x7; do [ ! -e "$work/$f.db" ] || { echo "a failed command left $work/$f.db"; exit 1; }; done
# An option that means nothing to the command is refused, not ignored.
fails_with 2 "leadcustomers: --out does not apply to import" \
  "$tool" import --format shopify "$work/dup.csv" --out "$work/o.csv" --store memory
# Numbers are checked before anything runs; options may come before the command; --help is not an error.
fails_with 2 "leadcustomers: --limit needs a number from 1 to 1000, not '0'" "$tool" show a@example.com --limit 0
fails_with 2 "leadcustomers: --limit needs a number from 1 to 1000, not '-1'" "$tool" search a --limit -1
fails_with 2 "leadcustomers: --batch-size needs a number of at least 1, not '0'" "$tool" import --batch-size 0
fails_with 2 "leadcustomers: --limit needs a number, not '5x'" "$tool" search a --limit 5x
"$tool" --help | grep -qF "leadcustomers apply FILE|-" || { echo "--help printed no usage"; exit 1; }
printf '%s\n' '{"op":"customer.create","customer_type_id":1,"first_name":"Opt","email":"opt@example.com"}' |
  "$tool" --store memory apply - | grep -qF '"ok":true' || { echo "options before the command not taken"; exit 1; }
# Text from the data is shown escaped on a terminal: a column name with ESC and U+202E cannot clear the screen.
printf 'Email,First Name,Evil\x1b[2J\xe2\x80\xaeCol\na@example.com,A,x\n' >"$work/evil.csv"
"$tool" import --format shopify "$work/evil.csv" --store memory >"$work/evil.out"
grep -qF 'warning: Evil\u{1B}[2J\u{202E}Col: column' "$work/evil.out" || { cat -v "$work/evil.out"; exit 1; }
if grep -q $'\x1b' "$work/evil.out"; then echo "a raw ESC reached the output"; exit 1; fi
fails_with 1 "leadcustomers: command file $work/miss\u{202E}.jsonl does not exist" \
  "$tool" apply "$work/miss$(printf '\xe2\x80\xae').jsonl" --store memory

# A customer with a portal login and three orders.
db="$work/a.db"
cat >"$work/setup.jsonl" <<'EOF'
{"op":"customer.create","id":"018f0000-0000-7000-8000-0000000000a1","customer_type_id":1,"first_name":"Ana","email":"ana@example.com","note":"Call first.\nGate code 42"}
{"op":"portal.set_login","customer_id":"018f0000-0000-7000-8000-0000000000a1","secret_question":"Favourite jam?","secret_answer":"Quasar Marmalade","password":"Zebra-Okapi-77"}
{"op":"order.record","customer_id":"018f0000-0000-7000-8000-0000000000a1","id":"018f0000-0000-7000-8000-0000000000b1","order_number":"#1","placed_at":"2025-01-02T10:00:00Z","status":"Completed","total":{"amount":1000,"currency":"EUR"},"item_count":1}
{"op":"order.record","customer_id":"018f0000-0000-7000-8000-0000000000a1","id":"018f0000-0000-7000-8000-0000000000b2","order_number":"#2","placed_at":"2025-02-02T10:00:00Z","status":"Completed","total":{"amount":2000,"currency":"EUR"},"item_count":2}
{"op":"order.record","customer_id":"018f0000-0000-7000-8000-0000000000a1","id":"018f0000-0000-7000-8000-0000000000b3","order_number":"#3","placed_at":"2025-03-02T10:00:00Z","status":"Completed","total":{"amount":3000,"currency":"EUR"},"item_count":3}
EOF
"$tool" apply --db "$db" "$work/setup.jsonl" >"$work/setup.out"
if grep -q '"ok":false' "$work/setup.out"; then cat "$work/setup.out"; exit 1; fi

"$tool" show ana@example.com --db "$db" --limit 2 >"$work/show.txt"
[ "$(grep -c '^  - #' "$work/show.txt")" = 2 ] || { echo "--limit 2 did not list 2 orders:"; cat "$work/show.txt"; exit 1; }
grep -qF "  … 1 older (more: show --limit N)" "$work/show.txt" || { cat "$work/show.txt"; exit 1; }
# A note's second line is indented under the first.
grep -qxF "  note: Call first." "$work/show.txt" && grep -qxF "        Gate code 42" "$work/show.txt" ||
  { echo "note lines not laid out:"; cat "$work/show.txt"; exit 1; }

# show --json of a customer that is not there: the error envelope on stdout, for programs.
fails_with 1 "leadcustomers: " "$tool" show nobody@example.com --db "$db" --json
python3 - "$work/out.txt" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["ok"] is False and r["error"]["code"] == "NOT_FOUND", r
PY

# An output that is a file the command reads is refused, and that file is left as it was.
cp "$db" "$work/copy.db"
cp "$src/examples/data/shopify-customers.csv" "$work/in.csv"
echo '{"Email":"email"}' >"$work/map.json"
for clash in "$work/copy.db" "$work/in.csv"; do
  before=$(sha256sum "$clash")
  fails_with 2 "leadcustomers: --rejects $clash is $clash, a file this command reads or writes" \
    "$tool" import --format shopify "$work/in.csv" --db "$work/copy.db" --rejects "$clash"
  [ "$(sha256sum "$clash")" = "$before" ] || { echo "$clash was changed"; exit 1; }
done
fails_with 2 "leadcustomers: --rejects $work/map.json is $work/map.json, a file this command reads or writes" \
  "$tool" import --format generic "$work/in.csv" --mapping "$work/map.json" --db "$work/copy.db" \
  --rejects "$work/map.json"
[ "$(cat "$work/map.json")" = '{"Email":"email"}' ] || { echo "the mapping was overwritten"; exit 1; }
before=$(sha256sum "$work/copy.db")
fails_with 2 "leadcustomers: --out $work/copy.db is $work/copy.db, a file this command reads or writes" \
  "$tool" export --format jsonl --db "$work/copy.db" --out "$work/copy.db"
# SQLite's -wal exists only while the database is open: it is refused by name (writing it corrupted the file).
fails_with 2 "leadcustomers: --rejects $work/copy.db-wal is $work/copy.db-wal" \
  "$tool" import --format shopify "$work/in.csv" --db "$work/copy.db" --rejects "$work/copy.db-wal"
fails_with 2 "leadcustomers: --rejects $work/./copy.db-shm is $work/copy.db-shm" \
  "$tool" import --format shopify "$work/in.csv" --db "$work/copy.db" --rejects "$work/./copy.db-shm"
[ "$(sha256sum "$work/copy.db")" = "$before" ] || { echo "the database was changed"; exit 1; }
# A database the command itself creates (here through --preload) is not an output either.
fails_with 2 "leadcustomers: --out $work/new.db is $work/new.db" \
  "$tool" --db "$work/new.db" --preload "shopify=$work/in.csv" export --format jsonl --out "$work/new.db"
[ ! -e "$work/new.db" ] || { echo "a refused export left $work/new.db"; exit 1; }
# The same spelled relatively (a path that does not exist yet is resolved too), through a link whose target
# does not exist yet, and under --store memory (the --db file is not opened, nor overwritten).
(cd "$work" && fails_with 2 "leadcustomers: --rejects copy.db-wal is" \
  "$tool" import --format shopify in.csv --db ./copy.db --rejects copy.db-wal)
(cd "$work" && ln -sf copy.db-shm r.csv && fails_with 2 "leadcustomers: --rejects r.csv is" \
  "$tool" import --format shopify in.csv --db copy.db --rejects r.csv)
(cd "$work" && fails_with 2 "leadcustomers: --out ./new2.db is" \
  "$tool" export --format jsonl --db new2.db --preload shopify=in.csv --out ./new2.db)
fails_with 2 "leadcustomers: --out $work/copy.db is $work/copy.db" \
  "$tool" export --format jsonl --store memory --db "$work/copy.db" --out "$work/copy.db"
[ "$(sha256sum "$work/copy.db")" = "$before" ] || { echo "the database was changed"; exit 1; }
# A --preload refused once the database was created for it removes that database.
fails_with 1 "the header has column 'Email' twice" \
  "$tool" import --format shopify "$work/in.csv" --db "$work/x8.db" --preload "shopify=$work/dup.csv"
fails_with 1 "leadcustomers: no customer with e-mail 'nobody@example.com'" "$tool" show nobody@example.com --db "$work/x9.db" --preload "shopify=$work/in.csv"
for f in new2 x8 x9; do [ ! -e "$work/$f.db" ] || { echo "a failed command left $work/$f.db"; exit 1; }; done
# A --db that is a link to a file not there yet: SQLite creates the target, whose companions are refused
# too; a failed command removes the target it created and leaves the link alone.
ln -s newt.db "$work/dang.db"
fails_with 2 "leadcustomers: --rejects $work/newt.db-wal is" \
  "$tool" import --format shopify "$work/in.csv" --db "$work/dang.db" --rejects "$work/newt.db-wal"
fails_with 1 "import.duplicate_column" "$tool" import --format shopify "$work/dup.csv" --db "$work/dang.db"
[ ! -e "$work/newt.db" ] && [ -L "$work/dang.db" ] || { echo "the link's target was left or the link removed"; exit 1; }
fails_with 2 "leadcustomers: --dry-run takes no value" "$tool" import --format shopify "$work/in.csv" --dry-run=no
fails_with 2 "leadcustomers: --store needs memory or sqlite" "$tool" search a --store= --db "$work/x10.db"
[ ! -e "$work/x10.db" ] || { echo "--store= left $work/x10.db"; exit 1; }
# An option given empty is still given.
fails_with 2 "leadcustomers: --out does not apply to search" "$tool" search a --out "" --store memory
fails_with 2 "leadcustomers: --batch-size does not apply to show" "$tool" show a@example.com --batch-size 2 --store memory

"$tool" export --format jsonl --db "$db" --out "$work/plain.jsonl" 2>/dev/null
if grep -q 'argon2' "$work/plain.jsonl"; then echo "a plain export carries a hash"; exit 1; fi
"$tool" export --format jsonl --with-secret-hashes --db "$db" --out "$work/hashes.jsonl" 2>/dev/null
[ "$(stat -c %a "$work/hashes.jsonl")" = 600 ] || { echo "hash export is $(stat -c %a "$work/hashes.jsonl")"; exit 1; }
[ "$(grep -o '\$argon2id\$' "$work/hashes.jsonl" | wc -l)" = 2 ] || { echo "expected 2 hashes"; exit 1; }
for secret in Zebra-Okapi-77 "Quasar Marmalade" "quasar marmalade"; do
  if grep -qF "$secret" "$work/hashes.jsonl"; then echo "'$secret' is in the export"; exit 1; fi
done

"$tool" import --format jsonl "$work/hashes.jsonl" --db "$work/b.db" >"$work/import.txt"
grep -qF "1 records read, 1 accepted (0 with warnings; 1 created, 0 updated, 0 unchanged), 0 rejected" "$work/import.txt" ||
  { cat "$work/import.txt"; exit 1; }
printf '%s\n' '{"op":"portal.verify_password","email":"ana@example.com","password":"Zebra-Okapi-77"}' \
  '{"op":"portal.verify_answer","email":"ana@example.com","answer":"quasar marmalade"}' >"$work/verify.jsonl"
"$tool" apply --db "$work/b.db" "$work/verify.jsonl" >"$work/verify.out"
[ "$(grep -c '"ok":true,"result":{"verified":true}' "$work/verify.out")" = 2 ] || { cat "$work/verify.out"; exit 1; }

# Without the hashes the import says the login did not come across.
"$tool" import --format jsonl "$work/plain.jsonl" --db "$work/c.db" --json >"$work/plain-import.json"
python3 - "$work/plain-import.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["accepted"] == 1 and r["warned"] == 1, r
assert r["by_rule"] == {"import.login_not_restored": 1}, r["by_rule"]
PY
echo "cli: folders, missing databases, unknown commands refused; hash export private and restorable; --limit honoured"
