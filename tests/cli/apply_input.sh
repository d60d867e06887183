#!/usr/bin/env bash
# `leadcustomers apply` input handling: a UTF-8 byte order mark at the start of a line is skipped (files
# concatenated from Windows editors carry several), lines end with LF, CRLF or a lone CR, and a malformed
# line's error gives the position where the JSON parser stopped.
# Usage: apply_input.sh TOOL WORK_DIR
set -euo pipefail
tool=$1 work=$2
rm -rf "$work" && mkdir -p "$work"
printf '\xEF\xBB\xBF{"op":"customer.create","customer_type_id":1,"first_name":"Ada","email":"ada@example.com"}\r\n' >"$work/in.jsonl"
printf '{"op":"customer.get","email":"ada@example.com",}\n' >>"$work/in.jsonl"
printf '\xEF\xBB\xBF{"op":"customer.get","email":"ada@example.com"}\n' >>"$work/in.jsonl"
printf '{"op":"customer.get","email":"ada@example.com"}\r{"op":"customer.get","email":"ada@example.com"}\r' >>"$work/in.jsonl"
set +e
"$tool" apply --store memory "$work/in.jsonl" >"$work/out.jsonl"
rc=$?
set -e
cat "$work/out.jsonl"
[ "$rc" = 1 ] || { echo "apply exited $rc, expected 1 (two lines fail)"; exit 1; }
python3 - "$work/out.jsonl" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert len(lines) == 5, lines
assert lines[0]["ok"] is True and lines[0]["result"]["email"] == "ada@example.com", lines[0]
bad = lines[1]["error"]
assert bad["code"] == "INVALID_ARGUMENT", bad
assert bad["message"] == "the command is not valid JSON: syntax error at column 48 (byte offset 47)", bad
assert bad["violations"] == [{"field": "", "rule": "command.bad_json", "message": bad["message"]}], bad
# A byte order mark at the start of a later line is skipped too; CR-only line ends separate commands.
for i in (2, 3, 4):
    assert lines[i]["ok"] is True and lines[i]["result"]["email"] == "ada@example.com", lines[i]
PY
echo "apply: byte order marks skipped, CR-only line ends read, JSON errors positioned"
