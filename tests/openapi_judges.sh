#!/usr/bin/env bash
# The outside judges of the OpenAPI document (issue #12): starts examples/typed_todos on the
# dev server on a free port, then
#   - openapi-spec-validator: GET /openapi.json is a valid OpenAPI 3.1 document; the
#     OpenAPI 3.0 documents (the conformance kit's Bedrock agent app,
#     examples/bedrock_agent, and the 3.0 and Bedrock documents of
#     tests/openapi_targets.rs) are valid 3.0, with no `enum` in a Bedrock one, and the
#     validator refuses a 3.1 form put in one of them;
#   - GET /swagger is the Swagger UI page for it;
#   - POST /todos {"title": 5} answers 422 in Powertools' shape; PATCH /todos/1 answers
#     405 with Allow;
#   - schemathesis, every check, over its examples, coverage, fuzzing and stateful phases;
#   - the same schemathesis run, shorter, with the app for each other event source.
# Fails on any failure. Both tools come from PyPI, pinned, in a venv under the target dir.
# SCHEMATHESIS_SEED, SCHEMATHESIS_EXAMPLES (REST) and SCHEMATHESIS_SOURCE_EXAMPLES (the
# others) override the seed and the examples per operation.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=tests/cargo_paths.sh
source tests/cargo_paths.sh

SCHEMATHESIS_VERSION=4.32.5
VALIDATOR_VERSION=0.9.0
venv="${OPENAPI_JUDGES_VENV:-$(cargo_target_dir)/openapi-judges}"
if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION" \
  || ! "$venv/bin/pip" show openapi-spec-validator 2>/dev/null | grep -q "^Version: $VALIDATOR_VERSION$"; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  timeout 300 "$venv/bin/pip" install --quiet --disable-pip-version-check \
    "schemathesis==$SCHEMATHESIS_VERSION" "openapi-spec-validator==$VALIDATOR_VERSION"
fi

server=$(built_executable typed_todos build --example typed_todos)
log=$(mktemp)
# schemathesis keeps its example database in its working directory: a fresh one per run.
workdir=$(mktemp -d)
server_pid=
trap 'if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi; rm -rf "$log" "$workdir"' EXIT

# start SOURCE: (re)starts the example for event source SOURCE on a free port; sets `base`.
start() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  local port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  base="http://127.0.0.1:$port"
  TODOS_SOURCE="$1" PORT="$port" "$server" >"$log" 2>&1 &
  server_pid=$!
  python3 - "$base" "$log" <<'EOF'
import sys, time, urllib.request
base, log = sys.argv[1], sys.argv[2]
for _ in range(100):
    try:
        if urllib.request.urlopen(base + "/health", timeout=5).status == 200:
            break
    except OSError:
        time.sleep(0.1)
else:
    sys.exit("typed_todos did not start:\n" + open(log).read())
EOF
}

# judge EXAMPLES: schemathesis, every check and phase, EXAMPLES examples per operation.
judge() {
  (cd "$workdir" && "$venv/bin/schemathesis" run "$base/openapi.json" \
    --checks all \
    --phases examples,coverage,fuzzing,stateful \
    --max-examples "$1" \
    --seed "${SCHEMATHESIS_SEED:-20261202}" \
    --request-timeout 5 \
    --no-color)
}

start rest
python3 - "$base" <<'EOF'
import json, sys, urllib.error, urllib.request

base = sys.argv[1]

def call(method, path, body=None):
    request = urllib.request.Request(base + path, data=body, method=method)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()

status, headers, body = call("GET", "/openapi.json")
document = json.loads(body)
assert headers["content-type"] == "application/json", headers
assert status == 200 and document["openapi"].startswith("3.1."), (status, document.get("openapi"))

status, headers, page = call("GET", "/swagger")
assert status == 200 and headers["content-type"].startswith("text/html"), (status, headers)
assert b"SwaggerUIBundle" in page and b'"openapi.json"' in page, page[:300]

status, headers, body = call("POST", "/todos", b'{"title": 5}')
answer = json.loads(body)
assert status == 422, (status, body)
assert answer["statusCode"] == 422 and answer["detail"][0]["loc"] == ["body", "title"], answer
assert answer["detail"][0]["type"] == "string_type", answer
assert answer["detail"][0]["msg"] == "Input should be a valid string", answer

status, headers, body = call("PATCH", "/todos/1")
assert status == 405 and headers["allow"] == "DELETE, GET, PUT", (status, headers)
print("typed_todos: document, Swagger UI page, 422 and 405 as expected")
EOF

document="$workdir/openapi.json"
python3 -c 'import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())' \
  "$base/openapi.json" >"$document"
"$venv/bin/openapi-spec-validator" "$document"

echo "== openapi-spec-validator: the OpenAPI 3.0 documents"
documents="$workdir/documents"
mkdir -p "$documents"
agent=$(built_executable conformance build -p conformance-app)
"$agent" bedrock-agent openapi </dev/null >"$documents/conformance_bedrock_agent.json"
example=$(built_executable bedrock_agent build --example bedrock_agent)
"$example" openapi </dev/null >"$documents/example_bedrock_agent.json"
OPENAPI_DOCUMENTS_DIR="$documents" cargo test -q --test openapi_targets >/dev/null
python3 - "$documents" <<'EOF'
import json, pathlib, sys
folder = pathlib.Path(sys.argv[1])
names = sorted(p.name for p in folder.glob("*.json"))
assert names == ["bedrock_agent.json", "conformance_bedrock_agent.json",
                 "example_bedrock_agent.json", "openapi30.json"], names

def enums(value, at=""):
    if isinstance(value, dict):
        for key, child in value.items():
            if key == "enum":
                yield at
            yield from enums(child, f"{at}/{key}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from enums(child, f"{at}/{index}")

for name in names:
    document = json.loads((folder / name).read_text())
    # The validator reads the version from the document: a 3.1 one would pass as 3.1.
    assert document["openapi"].startswith("3.0."), (name, document["openapi"])
    if "bedrock" in name:
        assert document["openapi"] == "3.0.0", (name, document["openapi"])
        found = list(enums(document))
        assert not found, f"{name}: enum (refused by Bedrock Agents) at {found}"
EOF
for document in "$documents"/*.json; do
  "$venv/bin/openapi-spec-validator" "$document"
done
# The check can fail: a 3.1 form (a list of types) in a 3.0 document is refused.
python3 - "$documents/conformance_bedrock_agent.json" "$workdir/with_31_form.json" <<'EOF'
import json, sys
document = json.load(open(sys.argv[1]))
document["components"]["schemas"]["NewTodo"]["properties"]["title"]["type"] = ["string", "null"]
json.dump(document, open(sys.argv[2], "w"))
EOF
if "$venv/bin/openapi-spec-validator" "$workdir/with_31_form.json" >/dev/null 2>&1; then
  echo "openapi-spec-validator took a 3.0 document with a 3.1 form" >&2
  exit 1
fi

echo "== schemathesis: API Gateway REST (the full run)"
judge "${SCHEMATHESIS_EXAMPLES:-300}"
# The document is the same on every source; the answers go through each source's envelope
# and the dev server's rendering of its events: a shorter run on each of the others.
for source in http alb url lattice lattice_v2; do
  echo "== schemathesis: TODOS_SOURCE=$source"
  start "$source"
  judge "${SCHEMATHESIS_SOURCE_EXAMPLES:-40}"
done
