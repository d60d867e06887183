#!/usr/bin/env bash
# The main job: builds the release tool, applies the sample to a fresh store and prints a customer's full view.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release -DLC_BUILD_TESTS=OFF -DLC_BUILD_BENCH=OFF >/dev/null
cmake --build --preset release -j2 --target leadcustomers_cli
tool=build/release/leadcustomers
echo "== applying examples/commands/sample.jsonl (one result line per command)"
"$tool" apply examples/commands/sample.jsonl | tee /tmp/leadcustomers-sample-results.jsonl | cut -c1-160
echo
echo "== the full customer document of ana.example@example.com"
printf '%s\n' "$(cat examples/commands/sample.jsonl)" '{"op":"customer.get","email":"ana.example@example.com"}' \
  | "$tool" apply - | tail -n 1 | python3 -m json.tool
