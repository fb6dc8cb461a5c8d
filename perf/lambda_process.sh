#!/usr/bin/env bash
# Whole-process figures of the todos app against the same app on lambda_http + axum, each
# built as a user's crate builds it (perf/apps/: release profile, default features, no
# dev-dependency features): instructions per warm invocation and from process start to the
# first response (callgrind), cold start and peak RSS (alternating runs), stripped sizes;
# perf/lambda_process.py measures, tests/emulator_rapid.py is the Runtime API it runs under.
#   bash perf/lambda_process.sh [RUNS]     (cold-start runs per binary, default 30)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-30}"
command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind; }
# shellcheck source=tests/cargo_paths.sh
source tests/cargo_paths.sh
# Two builds: one package each, so that neither gets the other's features.
ours=$(built_executable todos build --release -q -p todos-app)
peer=$(built_executable peer_todos build --release -q -p peer-todos-app)

python3 perf/lambda_process.py instructions lambda-router="$ours" lambda_http+axum="$peer"
python3 perf/lambda_process.py cold-start --runs "$runs" lambda-router="$ours" lambda_http+axum="$peer"

echo "binary sizes (bytes): as built (profile.release) / stripped"
for path in "$ours" "$peer"; do
  strip -o "$path.stripped" "$path"
  echo "$(basename "$path"): $(stat -c %s "$path") / $(stat -c %s "$path.stripped")"
done
