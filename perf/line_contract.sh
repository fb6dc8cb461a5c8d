#!/usr/bin/env bash
# The bench app as a whole process on the conformance kit's line contract, this library
# against lambda_http + axum (perf/bench/examples/line_contract.rs: the same app and the
# same line handling on both sides): instructions per event by callgrind for each of the
# five bench events, (Ir at N2 lines - Ir at N1 lines) / (N2 - N1).
#   bash perf/line_contract.sh          Environment: N1 (default 1), N2 (default 101).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind; }
n1=${N1:-1}; n2=${N2:-101}
# shellcheck source=tests/cargo_paths.sh
source tests/cargo_paths.sh
bin=$(built_executable line_contract build --release -q -p lambda-router-perf --example line_contract)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
refs() { # side, source, lines file
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" "$2" <"$3" 2>&1 >/dev/null |
    awk '/I +refs/ {gsub(",", "", $NF); print $NF}'
}
printf '%-20s %12s %12s %8s\n' event lambda_router lambda_http_axum fewer
for pair in rest:rest_v1_get_todo rest:rest_v1_post_todo http:http_v2_get_todo alb:alb_get_todo function-url:furl_get_todo; do
  source=${pair%%:*}; event=${pair#*:}
  line=$(python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1])), separators=(",", ":"), ensure_ascii=True))' "fixtures/bench/$event.json")
  for n in "$n1" "$n2"; do
    for _ in $(seq "$n"); do printf '%s\n' "$line"; done >"$work/$n.jsonl"
  done
  # Both sides must answer alike (status and body) before they are counted.
  python3 - "$bin" "$source" "$work/$n1.jsonl" <<'PY'
import json, subprocess, sys
bin, source, lines = sys.argv[1:]
answers = []
for side in ("ours", "peer"):
    with open(lines, "rb") as f:
        out = subprocess.run([bin, side, source], stdin=f, capture_output=True, check=True).stdout
    answers.append(json.loads(out.splitlines()[0]))
(a, b) = answers
if a["statusCode"] != b["statusCode"] or json.loads(a.get("body") or "null") != json.loads(b.get("body") or "null"):
    sys.exit(f"the two sides answer differently: {a} / {b}")
PY
  declare -A per=()
  for side in ours peer; do
    one=$(refs "$side" "$source" "$work/$n1.jsonl"); many=$(refs "$side" "$source" "$work/$n2.jsonl")
    per[$side]=$(( (many - one) / (n2 - n1) ))
  done
  printf '%-20s %12s %12s %7.2fx\n' "$event" "${per[ours]}" "${per[peer]}" "$(echo "${per[peer]} / ${per[ours]}" | bc -l)"
  unset per
done
