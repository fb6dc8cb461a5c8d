#!/usr/bin/env bash
# Instructions per warm invocation, by callgrind (repeatable on a noisy machine): for each
# side and event, run N=1 and N=101 invocations and divide the difference by 100.
#   perf/callgrind.sh [event ...]     (default: all five bench events, then gzip of the
#                                      gzip bench's 10 KB body: libdeflate vs flate2, then
#                                      the Bedrock function event, `bedrock_function`)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind; }
# shellcheck source=tests/cargo_paths.sh
source tests/cargo_paths.sh
bin=$(built_executable instructions bench -p lambda-router-perf --bench instructions --no-run -q)
events=("$@")
[ ${#events[@]} -gt 0 ] || events=(rest_v1_get_todo rest_v1_post_todo http_v2_get_todo alb_get_todo furl_get_todo)
# `bedrock_function` is measured by its own block, at the end.
mapfile -t events < <(printf '%s\n' "${events[@]}" | grep -vx bedrock_function || true)
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
if [ "$#" -eq 0 ] || [[ " $* " == *" bedrock_function "* ]]; then
  # Powertools' Bedrock function-details sample: a typed tool on this library against
  # serde_json into aws_lambda_events' Bedrock types and a match on the function name
  # (perf/bench/src/bedrock_function.rs).
  ours_one=$(refs bedrock_function bedrock_function 1); ours_many=$(refs bedrock_function bedrock_function 101)
  serde_one=$(refs bedrock_function_serde bedrock_function 1); serde_many=$(refs bedrock_function_serde bedrock_function 101)
  ours=$(( (ours_many - ours_one) / 100 )); serde=$(( (serde_many - serde_one) / 100 ))
  printf '%-20s %14s %14s %8.2fx fewer\n' bedrock_function "lambda_router $ours" "aws_lambda_events+serde_json $serde" "$(echo "$serde / $ours" | bc -l)"
fi
