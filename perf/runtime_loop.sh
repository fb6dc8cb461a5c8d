#!/usr/bin/env bash
# The runtime loop's cost, whole process, under our Lambda Runtime API emulator
# (tests/emulator_rapid.py, the one every harness uses; the function inherits this shell's
# environment, unlike perf/lambda_process.sh's fixed one): instructions per warm invocation
# by callgrind, for the todos example and for the lambda_http + axum peer, each built as a
# user's crate builds it (perf/apps/todos, perf/apps/peer_todos), both in release; then three
# floors with no app at all (perf/runtime_loop/client_floor.rs: the two Runtime API
# requests on the official client, as the loop drives it; hyper_floor.rs: the same on
# hyper's own HTTP/1 connection; raw_floor.rs: on a minimal blocking exchange of its own).
#   per invocation = (Ir at N2 events - Ir at N1 events) / (N2 - N1)
#   perf/runtime_loop.sh [event file]   (default fixtures/bench/rest_v1_get_todo.json)
# Environment: N1 (default 1), N2 (default 201), PROFILE=1 keeps annotated callgrind
# outputs of both N2 runs in /tmp/runtime_loop.<side>.out.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind is needed" >&2; exit 1; }
event=${1:-fixtures/bench/rest_v1_get_todo.json}
n1=${N1:-1}; n2=${N2:-201}
target=${CARGO_TARGET_DIR:-target}
# One package per build, so that none gets another's features (perf/apps/: user crates).
cargo build -q --release -p lambda-router-runtime-loop --bins
cargo build -q --release -p todos-app
cargo build -q --release -p peer-todos-app
declare -A bins=([lambda_router]="$target/release/todos" [lambda_http_axum]="$target/release/peer_todos"
  [client_floor]="$target/release/client_floor" [hyper_floor]="$target/release/hyper_floor"
  [raw_floor]="$target/release/raw_floor")
refs() { # side, events, output file
  python3 tests/emulator_rapid.py --event "$event" --repeat "$2" -- \
    valgrind --tool=callgrind --callgrind-out-file="$3" "${bins[$1]}" 2>&1 >/dev/null |
    awk '/I +refs/ {gsub(",", "", $NF); print $NF}'
}
printf '%-18s %12s %12s %14s\n' side "Ir(N=$n1)" "Ir(N=$n2)" per_invocation
declare -A per=()
for side in lambda_router lambda_http_axum client_floor hyper_floor raw_floor; do
  out=/dev/null; [ -n "${PROFILE:-}" ] && out=/tmp/runtime_loop.$side.out
  one=$(refs "$side" "$n1" /dev/null); many=$(refs "$side" "$n2" "$out")
  per[$side]=$(( (many - one) / (n2 - n1) ))
  printf '%-18s %12s %12s %14s\n' "$side" "$one" "$many" "${per[$side]}"
done
printf 'ratio: %.2fx fewer instructions per warm invocation\n' \
  "$(echo "${per[lambda_http_axum]} / ${per[lambda_router]}" | bc -l)"
