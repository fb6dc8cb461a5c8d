#!/usr/bin/env bash
# Swagger UI in a real browser (headless Chromium, installed from Debian if missing), on
# examples/typed_todos's dev server, both ways the page can load Swagger UI's files:
#   - embedded (feature swagger-ui-embedded), with every outside host unreachable: the DOM
#     after load shows each path of the app's document, and the console no CSP violation;
#   - from the CDN: the vendored files (assets/swagger-ui-dist) are the npm package's;
#     with a stand-in for the CDN (those npm files over HTTPS at the CDN's name) the page
#     renders every path, its integrity hashes and CSP accepted by the browser; a stand-in
#     whose bundle differs by one byte is refused, and so is an unreachable CDN: the page
#     then says it could not load Swagger UI from the CDN.
# Fails on any failure. Installs chromium, npm (to fetch the package) and openssl (the
# stand-in's certificate) from Debian when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=tests/cargo_paths.sh
source tests/cargo_paths.sh

VERSION=5.17.14
CDN_BASE="https://cdn.jsdelivr.net/npm/swagger-ui-dist@$VERSION"
FILES="swagger-ui.css swagger-ui-bundle.js swagger-ui-standalone-preset.js LICENSE NOTICE"

missing=()
for tool in chromium npm openssl; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

echo "== the vendored files are swagger-ui-dist@$VERSION's on npm"
(cd "$work" && npm pack --silent "swagger-ui-dist@$VERSION" >/dev/null && tar xzf "swagger-ui-dist-$VERSION.tgz")
for file in $FILES; do
  cmp "assets/swagger-ui-dist/$file" "$work/package/$file"
done

echo "== building examples/typed_todos, from the CDN and embedded"
cp "$(built_executable typed_todos build --example typed_todos)" "$work/todos_cdn"
cp "$(built_executable typed_todos build -p lambda-router-examples --example typed_todos --features swagger-ui-embedded)" \
  "$work/todos_embedded"

# start_app BINARY: starts it on a free port, waits for /health; sets `base`.
start_app() {
  local port
  port=$(free_port)
  base="http://127.0.0.1:$port"
  PORT="$port" "$1" >"$work/app.log" 2>&1 &
  pids+=($!)
  python3 - "$base" "$work/app.log" <<'EOF'
import sys, time, urllib.request
base, log = sys.argv[1], sys.argv[2]
for _ in range(100):
    try:
        if urllib.request.urlopen(base + "/health", timeout=5).status == 200:
            sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit("typed_todos did not start:\n" + open(log).read())
EOF
}

# start_cdn DIR: serves DIR's files at /npm/swagger-ui-dist@VERSION/ over HTTPS, as the CDN
# does (with CORS), on a free port; sets `cdn_port`.
start_cdn() {
  cdn_port=$(free_port)
  python3 - "$1" "$cdn_port" "$work/cert.pem" "$work/key.pem" "/npm/swagger-ui-dist@$VERSION/" <<'EOF' &
import http.server, os, ssl, sys
root, port, cert, key, prefix = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
types = {".css": "text/css", ".js": "text/javascript"}
class Files(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        name = self.path[len(prefix):] if self.path.startswith(prefix) else ""
        path = os.path.join(root, name)
        if not name or "/" in name or not os.path.isfile(path):
            self.send_error(404)
            return
        body = open(path, "rb").read()
        self.send_response(200)
        self.send_header("Content-Type", types.get(os.path.splitext(name)[1], "application/octet-stream"))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Files)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
server.socket = context.wrap_socket(server.socket, server_side=True)
server.serve_forever()
EOF
  pids+=($!)
  python3 - "$cdn_port" <<'EOF'
import socket, sys, time
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit("the CDN stand-in did not start")
EOF
}

# browse NAME URL CHROMIUM_FLAGS...: the DOM after load in $work/NAME.html, the console
# (with CSP violations and integrity failures) in $work/NAME.log. A fresh profile each
# time: nothing comes from an earlier run's cache.
browse() {
  local name="$1" url="$2"
  shift 2
  timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run \
    --user-data-dir="$work/profile-$name" --enable-logging=stderr --log-level=0 \
    --virtual-time-budget=20000 "$@" --dump-dom "$url" >"$work/$name.html" 2>"$work/$name.log"
}

# shows_operations NAME: the rendered page shows an operation for each path of the
# document, and the browser reported no CSP violation and no integrity failure.
shows_operations() {
  python3 - "$work/$1.html" "$work/$1.log" "$base/openapi.json" <<'EOF'
import json, re, sys, urllib.request
dom, log, document = open(sys.argv[1]).read(), open(sys.argv[2]).read(), sys.argv[3]
paths = set(json.load(urllib.request.urlopen(document))["paths"])
shown = set(re.findall(r'class="opblock-summary-path" data-path="([^"]*)"', dom))
assert paths and shown == paths, f"document paths {sorted(paths)}, page shows {sorted(shown)}"
console = [line for line in log.splitlines() if "CONSOLE" in line]
blocked = [line for line in console if "Content Security Policy" in line or "integrity" in line]
assert not blocked, "\n".join(blocked)
print(f"  renders {len(shown)} paths: {', '.join(sorted(shown))}")
EOF
}

# says_it_could_not_load NAME: the page's own message in place of Swagger UI.
says_it_could_not_load() {
  python3 - "$work/$1.html" "$CDN_BASE" <<'EOF'
import html, re, sys
dom, cdn = open(sys.argv[1]).read(), sys.argv[2]
root = re.search(r'<div id="swagger-ui"[^>]*>(.*?)</div>', dom, re.S)
text = html.unescape(root.group(1)) if root else ""
assert text.startswith(f"Could not load Swagger UI from {cdn} "), f"#swagger-ui holds: {text[:300]!r}"
assert 'class="opblock' not in dom, "Swagger UI rendered"
print(f"  says: {text}")
EOF
}

offline=(--host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1")

echo "== embedded: rendered by the app's own files, every outside host unreachable"
start_app "$work/todos_embedded"
browse embedded "$base/swagger" "${offline[@]}"
shows_operations embedded

echo "== CDN: rendered from a stand-in serving the npm files (integrity and CSP checked)"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=cdn.jsdelivr.net \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
start_app "$work/todos_cdn"
start_cdn "$work/package"
stand_in=(--host-rules="MAP cdn.jsdelivr.net 127.0.0.1:$cdn_port" --ignore-certificate-errors)
browse cdn "$base/swagger" "${stand_in[@]}"
shows_operations cdn

echo "== CDN: a bundle that differs by one byte is not run"
mkdir "$work/changed"
cp "$work/package/"swagger-ui* "$work/changed/"
printf ';' >>"$work/changed/swagger-ui-bundle.js"
start_cdn "$work/changed"
stand_in=(--host-rules="MAP cdn.jsdelivr.net 127.0.0.1:$cdn_port" --ignore-certificate-errors)
browse changed "$base/swagger" "${stand_in[@]}"
says_it_could_not_load changed
grep -q "integrity" "$work/changed.log" || { echo "no integrity failure reported"; exit 1; }

echo "== CDN: unreachable"
browse unreachable "$base/swagger" "${offline[@]}"
says_it_could_not_load unreachable
echo "swagger_browser: embedded and CDN pages as expected"
