#!/usr/bin/env bash
# Runs every fuzz target (or the ones named) for N seconds each, on the stable toolchain
# (no sanitizer: `cargo fuzz run -s none`). Installs cargo-fuzz if it is missing.
#
#   fuzz/run.sh [SECONDS] [TARGET...]     # default: 60 s per target, all targets
#   fuzz/run.sh --check                   # CI: build all, replay seeds + regressions (-runs=0)
#   FUZZ_ARGS="-max_len=1024" fuzz/run.sh 600 event_structured   # extra libFuzzer flags
#   FUZZ_BUILD_ARGS="--no-trace-compares --target-dir target-notc" fuzz/run.sh 600 event_structured
#                                         # extra cargo-fuzz build flags (own target dir)
#
# Each run reads the committed seeds (fuzz/seeds/<target>, fuzz/regressions/<target>) and
# grows fuzz/corpus/<target> (git-ignored). Final stats go to fuzz/logs/<target>.log
# (`stat::number_of_executed_units`, `stat::average_exec_per_sec`). A crash stops the run
# with exit status 1 and leaves the input in fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v cargo-fuzz >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi

all_targets() { cargo fuzz list; }

dirs_for() {
    local target=$1
    mkdir -p "corpus/$target"
    echo "corpus/$target"
    for extra in "seeds/$target" "regressions/$target"; do
        if [ -d "$extra" ]; then echo "$extra"; fi
    done
}

build_args=(${FUZZ_BUILD_ARGS:-})

if [ "${1:-}" = "--check" ]; then
    cargo fuzz build -s none "${build_args[@]}"
    # Replay only the committed inputs (seeds and crash regressions): fast and deterministic.
    for target in $(all_targets); do
        inputs=()
        for extra in "seeds/$target" "regressions/$target"; do
            if [ -d "$extra" ]; then inputs+=("$extra"); fi
        done
        if [ ${#inputs[@]} -gt 0 ]; then
            echo "== $target: replaying ${inputs[*]}"
            cargo fuzz run -s none "$target" "${inputs[@]}" -- -runs=0 2>&1 | tail -n 2
        fi
    done
    exit 0
fi

seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(all_targets)
fi
for target in "${targets[@]}"; do
    cargo fuzz build -s none "${build_args[@]}" "$target"
done
mkdir -p logs
for target in "${targets[@]}"; do
    echo "== $target: ${seconds}s"
    set +e
    # shellcheck disable=SC2046
    cargo fuzz run -s none "${build_args[@]}" "$target" $(dirs_for "$target") -- \
        -max_total_time="$seconds" -timeout=10 -print_final_stats=1 ${FUZZ_ARGS:-} >"logs/$target.log" 2>&1
    status=$?
    set -e
    grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|Done|SUMMARY)' "logs/$target.log" || true
    if [ "$status" -ne 0 ]; then
        echo "fuzz/run.sh: $target failed, see fuzz/logs/$target.log" >&2
        exit 1
    fi
done
