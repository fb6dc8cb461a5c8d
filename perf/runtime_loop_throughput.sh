#!/usr/bin/env bash
# Throughput of invocations whose handler awaits 200 ms, with 1, 2, 4 and 8 in flight
# (AWS_LAMBDA_MAX_CONCURRENCY), under tests/emulator_rapid.py: perf/runtime_loop/sleep_app.rs
# in release; EVENTS (default 32) REST `GET /sleep/200` events per run; throughput =
# events / (last answer - first event handed out).
set -euo pipefail
cd "$(dirname "$0")/.."
events=${EVENTS:-32}
target=${CARGO_TARGET_DIR:-target}
cargo build -q --release -p lambda-router-runtime-loop --bin sleep_app
event=$(mktemp --suffix=.json)
trap 'rm -f "$event"' EXIT
python3 - "$event" <<'PY'
import json, sys
e = json.load(open("fixtures/bench/rest_v1_get_todo.json"))
e["path"] = e["requestContext"]["path"] = "/sleep/200"
json.dump(e, open(sys.argv[1], "w"))
PY
printf '%-12s %8s %10s %16s %8s\n' concurrency events seconds invocations/s speedup
base=
for c in 1 2 4 8; do
  report=$(python3 tests/emulator_rapid.py --event "$event" --repeat "$events" \
    --env AWS_LAMBDA_MAX_CONCURRENCY=$c -- "$target/release/sleep_app" 2>/dev/null)
  read -r secs rate <<<"$(python3 -c '
import json, sys
r = json.loads(sys.argv[1])
inv = r["invocations"]
assert r["all_answered"] and all(i["kind"] == "response" for i in inv)
span = max(i["answered"] for i in inv) - min(i["handed_out"] for i in inv)
print(f"{span:.3f} {len(inv) / span:.2f}")' "$report")"
  base=${base:-$rate}
  printf '%-12s %8s %10s %16s %7.2fx\n' "$c" "$events" "$secs" "$rate" "$(echo "$rate / $base" | bc -l)"
done
