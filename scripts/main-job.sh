#!/usr/bin/env bash
# The main job: builds the release tool, applies the sample to a fresh store and prints a customer's full view.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release -DLC_BUILD_TESTS=OFF -DLC_BUILD_BENCH=OFF >/dev/null
cmake --build --preset release -j2 --target leadcustomers_cli
tool=build/release/leadcustomers
echo "== applying examples/commands/sample.jsonl (one result line per command)"
# The sample has one command that must be refused (a single-label e-mail domain): apply exits 1 then.
{ "$tool" apply examples/commands/sample.jsonl || true; } | cut -c1-160
echo
echo "== the full customer document of Ana.Example@MÜNCHEN.example"
{ cat examples/commands/sample.jsonl; echo '{"op":"customer.get","email":"ana.example@münchen.example"}'; } \
  | { "$tool" apply - || true; } | tail -n 1 | python3 -m json.tool --no-ensure-ascii
