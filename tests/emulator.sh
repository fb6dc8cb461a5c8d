#!/usr/bin/env bash
# The todos example under a real Lambda Runtime API emulator (cargo-lambda from PyPI,
# loopback only): events of every source (REST, HTTP API, ALB single and multi-value,
# Function URL) in, proxy responses checked, malformed events checked to fail with the
# stable error code. Installs cargo-lambda into <target dir>/cargo-lambda on first use.
# Usage: bash tests/emulator.sh [--release]
set -euo pipefail
cd "$(dirname "$0")/.."

profile=()
if [[ "${1:-}" == "--release" ]]; then profile=(--release); fi

# shellcheck source=tests/cargo_lambda.sh
source tests/cargo_lambda.sh

todos=$(built_executable todos build -p lambda-router-examples "${profile[@]}" --example todos)
timeout 300 python3 tests/emulator.py check --cargo-lambda "$CARGO_LAMBDA" --function "$todos"
