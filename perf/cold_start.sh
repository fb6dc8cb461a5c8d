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
# Two builds, so that each binary gets its own package's dependency features.
todos=$(built_executable todos build --release -p lambda-router --example todos)
peer_todos=$(built_executable peer_todos build --release -p lambda-router-perf --example peer_todos)

timeout 900 python3 tests/emulator.py cold-start --cargo-lambda "$CARGO_LAMBDA" --runs "$runs" \
  lambda-router="$todos" \
  lambda_http+axum="$peer_todos"

echo "binary sizes (bytes): as built (profile.release, debug=line-tables-only) / stripped"
for path in "$todos" "$peer_todos"; do
  strip -o "$path.stripped" "$path"
  echo "$(basename "$path"): $(stat -c %s "$path") / $(stat -c %s "$path.stripped")"
done
