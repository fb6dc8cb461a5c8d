#!/usr/bin/env bash
# Instructions per warm invocation, by callgrind (repeatable on a noisy machine): for each
# side and event, run N=1 and N=101 invocations and divide the difference by 100.
#   perf/callgrind.sh [event ...]     (default: all five bench events, then gzip of the
#                                      gzip bench's 10 KB body: libdeflate vs flate2, then
#                                      the Bedrock samples: bedrock_agent, bedrock_function)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind; }
# shellcheck source=tests/cargo_paths.sh
source tests/cargo_paths.sh
bin=$(built_executable instructions bench -p lambda-router-perf --bench instructions --no-run -q)
events=("$@")
[ ${#events[@]} -gt 0 ] || events=(rest_v1_get_todo rest_v1_post_todo http_v2_get_todo alb_get_todo furl_get_todo)
# The Bedrock samples are measured by their own block, at the end.
bedrock=(bedrock_agent bedrock_function)
asked_bedrock=()
for name in "${bedrock[@]}"; do
  if [ "$#" -eq 0 ] || [[ " $* " == *" $name "* ]]; then asked_bedrock+=("$name"); fi
done
mapfile -t events < <(printf '%s\n' "${events[@]}" | grep -vxF -f <(printf '%s\n' "${bedrock[@]}") || true)
refs() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" "$2" "$3" 2>&1 | awk '/I +refs/ {gsub(",", "", $NF); print $NF}'; }
[ ${#events[@]} -eq 0 ] || printf '%-20s %14s %14s %14s %8s %8s\n' event lambda_router lambda_http_axum simd_json_floor speedup vs_floor
for event in "${events[@]}"; do
  declare -A per=()
  for side in lambda_router lambda_http_axum simd_json_floor; do
    one=$(refs "$side" "$event" 1); many=$(refs "$side" "$event" 101)
    per[$side]=$(( (many - one) / 100 ))
  done
  printf '%-20s %14s %14s %14s %7.2fx %7.2fx\n' "$event" "${per[lambda_router]}" "${per[lambda_http_axum]}" "${per[simd_json_floor]}" \
    "$(echo "${per[lambda_http_axum]} / ${per[lambda_router]}" | bc -l)" "$(echo "${per[lambda_router]} / ${per[simd_json_floor]}" | bc -l)"
  unset per
done
if [ "$#" -eq 0 ]; then
  # Gzip of the 10 KB JSON body, per call (N=11 minus N=1, divided by 10).
  lib_one=$(refs gzip_libdeflate rest_v1_get_todo 1); lib_many=$(refs gzip_libdeflate rest_v1_get_todo 11)
  fl_one=$(refs gzip_flate2 rest_v1_get_todo 1); fl_many=$(refs gzip_flate2 rest_v1_get_todo 11)
  lib=$(( (lib_many - lib_one) / 10 )); fl=$(( (fl_many - fl_one) / 10 ))
  printf '%-20s %14s %14s %8.2fx fewer\n' gzip_10k_json "libdeflate $lib" "flate2 $fl" "$(echo "$fl / $lib" | bc -l)"
fi
for name in "${asked_bedrock[@]}"; do
  # A Bedrock sample on this library against serde_json into the event type a Rust user
  # takes without us (perf/bench/src/<name>.rs), both answers checked equal by its test.
  ours=$(( ($(refs "$name" "$name" 101) - $(refs "$name" "$name" 1)) / 100 ))
  serde=$(( ($(refs "${name}_serde" "$name" 101) - $(refs "${name}_serde" "$name" 1)) / 100 ))
  printf '%-20s %14s %14s %8.2fx fewer\n' "$name" "lambda_router $ours" "serde_json $serde" "$(echo "$serde / $ours" | bc -l)"
done
