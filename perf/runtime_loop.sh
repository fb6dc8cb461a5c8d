#!/usr/bin/env bash
# The runtime loop's cost, whole process, under our Lambda Runtime API emulator
# (tests/emulator_rapid.py, the one every harness uses; the function inherits this shell's
# environment, unlike perf/lambda_process.sh's fixed one): instructions per warm invocation
# by callgrind, for the todos example and for the lambda_http + axum peer, each built as a
# user's crate builds it (perf/apps/todos, perf/apps/peer_todos), both in release; then three
# floors with no app at all (perf/runtime_loop/client_floor.rs: the two Runtime API
# requests on the official client, as the loop drives it; hyper_floor.rs: the same on
# hyper's own HTTP/1 connection; raw_floor.rs: on a minimal blocking exchange of its own);
# then both delivery modes: the delivery example's `GET /todos` (examples/delivery.rs) and
# its lambda_http + axum peer (perf/apps/peer_todos/peer_delivery.rs), each answered
# buffered and streamed (`DELIVERY_MODE=stream`: our `Delivery::Streamed`, the peer's
# `run_with_streaming_response`), on the same event with its path made `/todos`.
#   per invocation = (Ir at N2 events - Ir at N1 events) / (N2 - N1)
#   perf/runtime_loop.sh [event file]   (default fixtures/bench/rest_v1_get_todo.json)
# Every run's answers are checked (all answered, in the side's mode, one status for every
# invocation and no 5xx; a streamed answer's status is its prelude's) and shown with the
# connections the function opened at N2 (the last few are its `/next` asks after the
# emulator has hung up on the one past the events). The bench event's todo 123 is not in
# the todos app's store: both todos sides answer its 404, the delivery sides 200. A ratio
# is printed only when both of its sides gave the same answer (the body's JSON).
# Environment: N1 (default 1), N2 (default 201), PROFILE=1 keeps annotated callgrind
# outputs of both N2 runs in /tmp/runtime_loop.<side>.out, SIDES="a b" measures only
# those sides (default: all; a ratio is printed when both of its sides were measured).
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind is needed" >&2; exit 1; }
event=${1:-fixtures/bench/rest_v1_get_todo.json}
n1=${N1:-1}; n2=${N2:-201}
target=${CARGO_TARGET_DIR:-target}
# lambda_http puts a REST API's stage (`/prod`) in front of the path unless told not to by
# this, its documented switch; without it the peer would answer every event from its
# fallback route. lambda-router routes the stage-less path and does not read it.
export AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH=1
# One package per build, so that none gets another's features (perf/apps/: user crates).
cargo build -q --release -p lambda-router-runtime-loop --bins
cargo build -q --release -p todos-app --bins
cargo build -q --release -p peer-todos-app --bins
declare -A bins=([lambda_router]="$target/release/todos" [lambda_http_axum]="$target/release/peer_todos"
  [client_floor]="$target/release/client_floor" [hyper_floor]="$target/release/hyper_floor"
  [raw_floor]="$target/release/raw_floor"
  [delivery_buffered]="$target/release/delivery" [delivery_streamed]="$target/release/delivery"
  [peer_delivery_buffered]="$target/release/peer_delivery"
  [peer_delivery_streamed]="$target/release/peer_delivery")
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# The delivery example's event: the bench event with `todos/123` made `todos` (its path,
# proxy parameter and the request context's path), for the example's `GET /todos`.
python3 - "$event" "$scratch/todos.json" <<'PY'
import json, sys
text = open(sys.argv[1]).read().replace("todos/123", "todos")
json.loads(text)
open(sys.argv[2], "w").write(text)
PY
refs() { # side, events, callgrind output file; prints "Ir connections status answer"
  local file=$event mode=buffered ir answers
  case $1 in
    *delivery_buffered) file=$scratch/todos.json ;;
    *delivery_streamed) file=$scratch/todos.json mode=stream ;;
  esac
  ir=$(DELIVERY_MODE=$mode python3 tests/emulator_rapid.py --event "$file" --repeat "$2" -- \
    valgrind --tool=callgrind --callgrind-out-file="$3" "${bins[$1]}" 2>&1 >"$scratch/report" |
    awk '/I +refs/ {gsub(",", "", $NF); print $NF}')
  [ -n "$ir" ] || { echo "$1: no instruction count" >&2; exit 1; }
  answers=$(python3 - "$1" "$2" "$scratch/report" <<'PY'
import json, sys
side, events, report = sys.argv[1], int(sys.argv[2]), json.load(open(sys.argv[3]))
invocations = report["invocations"]
if not report["all_answered"] or len(invocations) != events:
    sys.exit(f"{side}: not every invocation was answered")
statuses = set()
for record in invocations:
    if record["kind"] != "response":
        sys.exit(f"{side}: {record['request_id']} answered {record['kind']}")
    if "floor" in side:
        statuses.add("-")  # no app: a fixed body
        continue
    body = record["body"]
    streamed = record["headers"].get("lambda-runtime-function-response-mode") == "streaming"
    if streamed != side.endswith("_streamed"):
        sys.exit(f"{side}: {record['request_id']} not in the expected mode")
    head = body.split("\0" * 8)[0] if streamed else body
    status = json.loads(head).get("statusCode")
    if not isinstance(status, int) or status >= 500:
        sys.exit(f"{side}: {record['request_id']} answered {status}: {body[:200]!r}")
    statuses.add(status)
if len(statuses) != 1:
    sys.exit(f"{side}: the same event answered {sorted(map(str, statuses))}")
# What the app answered, for the comparison of two sides: the body's JSON, keys sorted.
bodies = set()
for record in invocations if "floor" not in side else []:
    body = record["body"]
    if record["headers"].get("lambda-runtime-function-response-mode") == "streaming":
        bodies.add(body.split("\0" * 8, 1)[1])
    else:
        bodies.add(json.loads(body).get("body") or "")
answer = "-"
if bodies:
    if len(bodies) != 1:
        sys.exit(f"{side}: the same event answered {len(bodies)} different bodies")
    value = json.loads(bodies.pop() or "null")
    answer = json.dumps(value, sort_keys=True, separators=(",", ":"))
print(report["connections"], statuses.pop(), answer)
PY
)
  echo "$ir $answers"
}
printf '%-24s %12s %12s %14s %12s %7s\n' side "Ir(N=$n1)" "Ir(N=$n2)" per_invocation connections status
declare -A per=() answer=()
all_sides="lambda_router lambda_http_axum client_floor hyper_floor raw_floor"
all_sides+=" delivery_buffered peer_delivery_buffered delivery_streamed peer_delivery_streamed"
for side in ${SIDES:-$all_sides}; do
  out=/dev/null; [ -n "${PROFILE:-}" ] && out=/tmp/runtime_loop.$side.out
  # Assigned first, so that a failed run stops the script (`set -e`).
  result=$(refs "$side" "$n1" /dev/null); read -r one _ <<<"$result"
  result=$(refs "$side" "$n2" "$out"); read -r many connections status answer[$side] <<<"$result"
  per[$side]=$(( (many - one) / (n2 - n1) ))
  printf '%-24s %12s %12s %14s %12s %7s\n' "$side" "$one" "$many" "${per[$side]}" "$connections" "$status"
done
ratio() { # label, ours, peer
  [[ -n ${per[$2]:-} && -n ${per[$3]:-} ]] || return 0
  if [[ ${answer[$2]} != "${answer[$3]}" ]]; then
    echo "$1: the two sides answered differently: ${answer[$2]} / ${answer[$3]}" >&2
    exit 1
  fi
  printf '%s: %.2fx fewer instructions per warm invocation than the peer\n' "$1" \
    "$(echo "${per[$3]} / ${per[$2]}" | bc -l)"
}
ratio 'todos, GET /todos/123' lambda_router lambda_http_axum
ratio 'delivery, GET /todos, buffered' delivery_buffered peer_delivery_buffered
ratio 'delivery, GET /todos, streamed' delivery_streamed peer_delivery_streamed
