#!/usr/bin/env bash
# The conformance example (examples/conformance.rs, the kit's line contract: one event per
# stdin line, one response per stdout line) as a whole process, built as a user's crate
# builds it (perf/apps/conformance): instructions per event by callgrind, for each of the
# five bench events: (Ir at N2 lines - Ir at N1 lines) / (N2 - N1).
#   bash perf/conformance_process.sh [BINARY]   (default: the one cargo builds)
# Environment: N1 (default 1), N2 (default 101).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind; }
n1=${N1:-1}; n2=${N2:-101}
if [ $# -gt 0 ]; then
  bin=$1
else
  # shellcheck source=tests/cargo_paths.sh
  source tests/cargo_paths.sh
  bin=$(built_executable conformance build --release -q -p conformance-app)
fi
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
refs() { # source, lines file
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" main <"$2" 2>&1 >/dev/null |
    awk '/I +refs/ {gsub(",", "", $NF); print $NF}'
}
printf '%-20s %12s %12s %14s\n' event "Ir(N=$n1)" "Ir(N=$n2)" per_event
for pair in rest:rest_v1_get_todo rest:rest_v1_post_todo http:http_v2_get_todo alb:alb_get_todo function-url:furl_get_todo; do
  source=${pair%%:*}; event=${pair#*:}
  # One compact line per event, as check.py writes them.
  line=$(python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1])), separators=(",", ":"), ensure_ascii=True))' "fixtures/bench/$event.json")
  for n in "$n1" "$n2"; do
    for _ in $(seq "$n"); do printf '%s\n' "$line"; done >"$work/$n.jsonl"
  done
  one=$(refs "$source" "$work/$n1.jsonl"); many=$(refs "$source" "$work/$n2.jsonl")
  printf '%-20s %12s %12s %14s\n' "$event" "$one" "$many" $(( (many - one) / (n2 - n1) ))
done
