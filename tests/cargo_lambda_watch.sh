#!/usr/bin/env bash
# The todos example (an `App::rest()` app) under the real `cargo lambda watch`, as a user
# runs it: a crate of its own with the example as its binary, then curl against
# cargo-lambda's two HTTP modes, the Function URL one (`/lambda-url/<fn>/...`) and custom
# routes (`[package.metadata.lambda.watch.router]`, API Gateway-like paths), and an API
# Gateway REST event through `cargo lambda invoke` (the file `--data-example apigw-request`
# downloads). Each answer's status and body are checked; the run is bounded in time and
# fails on the first wrong answer. Installs cargo-lambda 1.9.2 from PyPI on first use.
# Usage: bash tests/cargo_lambda_watch.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

# shellcheck source=tests/cargo_lambda.sh
source tests/cargo_lambda.sh
target_dir=$(cargo_target_dir)

work=$(mktemp -d -t cargo-lambda-watch-XXXXXX)
watch_pid=""
cleanup() {
  if [[ -n "$watch_pid" ]]; then
    # cargo-lambda and the function it started share the process group made by setsid.
    kill -TERM -- "-$watch_pid" 2>/dev/null || true
    sleep 1
    kill -KILL -- "-$watch_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# The user's crate: the todos example as its one binary, `todos`.
mkdir -p "$work/src"
cp examples/todos.rs "$work/src/main.rs"
cat > "$work/Cargo.toml" <<EOF
[package]
name = "todos"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
lambda-router = { path = "$repo" }
serde = { version = "1", features = ["derive"] }
serde_json = "1"

[package.metadata.lambda.watch.router]
"/todos" = "todos"
"/todos/{todo_id}" = "todos"

[workspace]
EOF
# The repository's versions, so that its target directory's builds are reused.
cp Cargo.lock "$work/Cargo.lock"
(cd "$work" && CARGO_TARGET_DIR="$target_dir" timeout 900 cargo build --quiet)

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(
  cd "$work"
  CARGO_TARGET_DIR="$target_dir" exec setsid "$CARGO_LAMBDA" lambda watch --ignore-changes \
    -A 127.0.0.1 -P "$port" > "$work/watch.log" 2>&1 < /dev/null
) &
watch_pid=$!

fail() {
  echo "FAIL: $*" >&2
  echo "--- cargo lambda watch log ---" >&2
  tail -n 40 "$work/watch.log" >&2 || true
  exit 1
}

deadline=$((SECONDS + 60))
until python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null; do
  ((SECONDS < deadline)) || fail "cargo lambda watch did not listen on port $port in 60 s"
  kill -0 "$watch_pid" 2>/dev/null || fail "cargo lambda watch exited"
  sleep 0.2
done

# check METHOD PATH EXPECTED_STATUS EXPECTED_BODY [curl args...]: one request, compared
# exactly (the first asks cargo-lambda to start the function: a longer bound).
check() {
  local method="$1" path="$2" status="$3" body="$4"
  shift 4
  local answer
  answer=$(curl --silent --show-error --noproxy '*' --max-time 120 -X "$method" \
    -w '\n%{http_code}' "http://127.0.0.1:$port$path" "$@") || fail "$method $path: curl failed"
  local got_status="${answer##*$'\n'}" got_body="${answer%$'\n'*}"
  [[ "$got_status" == "$status" ]] || fail "$method $path: status $got_status, expected $status; body: $got_body"
  [[ "$got_body" == "$body" ]] || fail "$method $path: body $got_body, expected $body"
  echo "ok: $method $path -> $status $body"
}

echo "== Function URL mode (/lambda-url/<fn>/...)"
check GET /lambda-url/todos/todos/1 200 '{"id":1,"title":"buy milk","completed":false}'
check GET '/lambda-url/todos/todos?completed=false' 200 \
  '[{"id":1,"title":"buy milk","completed":false},{"id":2,"title":"walk the dog","completed":false}]'
check POST /lambda-url/todos/todos 201 '{"id":3,"title":"write docs","completed":false}' \
  -H 'content-type: application/json' -d '{"title":"write docs"}'
check GET /lambda-url/todos/todos/x 400 '{"statusCode":400,"message":"`x` is not a todo id"}'
check GET /lambda-url/todos/nope 404 '{"message":"no route for GET /nope"}'

echo "== custom routes mode ([package.metadata.lambda.watch.router])"
check GET /todos/2 200 '{"id":2,"title":"walk the dog","completed":false}'
check DELETE /todos/3 204 ''
check GET /todos/3 404 '{"statusCode":404,"message":"todo 3 not found"}'
echo "== a path no route names goes to the crate's one binary"
check GET /health 200 'ok'

echo "== an API Gateway REST event through cargo lambda invoke (--data-example apigw-request's file)"
answer=$(timeout 60 "$CARGO_LAMBDA" lambda invoke --invoke-address 127.0.0.1 --invoke-port "$port" \
  --data-file fixtures/foreign/aws_lambda_events/example-apigw-request.json todos) ||
  fail "cargo lambda invoke failed: $answer"
python3 - "$answer" <<'EOF' || fail "cargo lambda invoke answered $answer"
import json, sys
answer = json.loads(sys.argv[1])
assert answer["statusCode"] == 404, answer
assert json.loads(answer["body"]) == {"message": "no route for POST /hello/world"}, answer
# The REST envelope: the app read the event as API Gateway REST's.
assert "multiValueHeaders" in answer, answer
EOF
echo "ok: invoke POST /hello/world -> 404 in the REST envelope"
echo "cargo lambda watch: all answers as expected"
