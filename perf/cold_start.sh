#!/usr/bin/env bash
# Cold start: process spawn -> first response received, through cargo-lambda's Runtime API
# emulator on loopback (the invocation is queued first, then the binary starts), for the
# todos example and its lambda_http + axum peer; then the release binary sizes.
# Usage: bash perf/cold_start.sh [RUNS]   (default 15; the median is the figure)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-15}"

# shellcheck source=tests/cargo_lambda.sh
source tests/cargo_lambda.sh
cargo build --release --example todos --example peer_todos

timeout 900 python3 tests/emulator.py cold-start --cargo-lambda "$CARGO_LAMBDA" --runs "$runs" \
  lambda-router=target/release/examples/todos \
  lambda_http+axum=target/release/examples/peer_todos

echo "binary sizes (bytes): as built (profile.release, debug=line-tables-only) / stripped"
for bin in todos peer_todos; do
  path="target/release/examples/$bin"
  strip -o "target/release/examples/$bin.stripped" "$path"
  echo "$bin: $(stat -c %s "$path") / $(stat -c %s "target/release/examples/$bin.stripped")"
done
