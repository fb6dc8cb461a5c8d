#!/usr/bin/env bash
# What the release profiles of src/docs/deploy.md give the todos app (perf/apps/todos, as a
# user's crate builds it): stripped size, instructions per warm invocation and from process
# start to the first response (perf/lambda_process.py under our Runtime API emulator).
# Each profile is built into its own target directory (CARGO_PROFILE_RELEASE_* variables),
# so the first run takes a few minutes per profile.
#   bash perf/release_profiles.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind is needed" >&2; exit 1; }
base=${CARGO_TARGET_DIR:-target}/release-profiles
profiles=(
  "default"
  "lto=true codegen-units=1"
  "lto=true codegen-units=1 opt-level=s"
  "lto=true codegen-units=1 opt-level=z"
)
for profile in "${profiles[@]}"; do
  vars=()
  for setting in $profile; do
    [ "$setting" = default ] && continue
    name=${setting%%=*}; value=${setting#*=}
    vars+=("CARGO_PROFILE_RELEASE_$(echo "${name//-/_}" | tr '[:lower:]' '[:upper:]')=$value")
  done
  dir="$base/$(echo "$profile" | tr ' =' '_-')"
  env "${vars[@]}" CARGO_TARGET_DIR="$dir" cargo build -q --release -p todos-app
  binary="$dir/release/todos"
  strip -o "$binary.stripped" "$binary"
  echo "== $profile: stripped $(stat -c %s "$binary.stripped") B"
  python3 perf/lambda_process.py instructions "todos=$binary"
done
