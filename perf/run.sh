#!/usr/bin/env bash
# Every performance measurement of perf/RESULTS.md, in one command.
#   bash perf/run.sh            full criterion runs, then instruction counts
#   QUICK=1 bash perf/run.sh    short criterion runs (about two minutes once built)
# Criterion times are wall clock on a shared machine: compare the two sides of one group,
# within one run. The instruction counts (callgrind) do not depend on machine load.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${QUICK:-0}" = 1 ]; then
  args=(--warm-up-time 0.3 --measurement-time 1 --sample-size 10 --noplot)
else
  args=(--noplot)
fi
cargo bench -p lambda-router-perf --no-run -q
for bench in e2e router gzip parse; do
  cargo bench -p lambda-router-perf -q --bench "$bench" -- "${args[@]}" 2>&1 | grep -E '^[a-z_]+/|time:|gzip of' || true
done
bash perf/callgrind.sh
# The whole process under a Runtime API emulator: todos app vs lambda_http + axum.
bash perf/runtime_loop.sh
bash perf/lambda_process.sh
bash perf/runtime_loop_throughput.sh
# The line contract, whole process: the bench app on both sides; the conformance example.
bash perf/line_contract.sh
bash perf/conformance_process.sh
# What the recommended release profiles give (src/docs/deploy.md).
bash perf/release_profiles.sh
