#!/usr/bin/env bash
# Our Runtime API transport against a Runtime API that is not ours: cargo-lambda's
# (`cargo lambda watch --only-lambda-apis`, from PyPI, loopback only), which serves the API
# under a URL with a path (`AWS_LAMBDA_RUNTIME_API=http://127.0.0.1:PORT/.rt`). The todos
# example answers events of every source (tests/emulator.py), and the delivery example
# answers ordinary, slow and large routes, a large event and a malformed one in buffered
# mode, and streamed answers in streamed mode (tests/transport_cargo_lambda.py). Installs
# cargo-lambda into <target dir>/cargo-lambda.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=tests/cargo_lambda.sh
source tests/cargo_lambda.sh

todos=$(built_executable todos build -p lambda-router-examples --example todos)
timeout 300 python3 tests/emulator.py check --cargo-lambda "$CARGO_LAMBDA" --function "$todos"
delivery=$(built_executable delivery build -p lambda-router-examples --example delivery)
timeout 300 python3 tests/transport_cargo_lambda.py --cargo-lambda "$CARGO_LAMBDA" \
    --function "$delivery"
