#!/usr/bin/env python3
"""Writes the seed corpus of the byte-level targets (event_bytes, dispatch) from the event
fixtures and conformance cases of `fixtures/`: one file per event, its first byte selecting the source
(0 REST, 1 HTTP API, 2 ALB, 3 Function URL) as the targets expect.

Usage: python3 fuzz/make_seeds.py [FIXTURES_DIR]   (default fixtures/; writes fuzz/seeds/<target>/)
"""
import hashlib, json, os, pathlib, sys

here = pathlib.Path(__file__).resolve().parent
fixtures = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else here.parent / "fixtures")
SOURCES = {"rest": 0, "http": 1, "alb": 2, "function-url": 3}

def source_of_fixture(name):
    n = name.lower()
    if n.startswith("alb"): return 2
    if n.startswith("lambdafunctionurl"): return 3
    if "v2" in n: return 1
    if n.startswith("apigateway"): return 0
    return None

events = []
for path in sorted((fixtures / "events").glob("*.json")):
    selector = source_of_fixture(path.name)
    if selector is not None:
        events.append((selector, path.read_bytes()))
for path in sorted((fixtures / "conformance/cases").glob("*.jsonl")):
    selector = SOURCES[path.stem]
    for i, line in enumerate(path.read_text().splitlines()):
        if i % 8 == 0 and line.strip():
            events.append((selector, json.dumps(json.loads(line)["event"], separators=(",", ":")).encode()))
def dispatch_route_events():
    """The dispatch target's own routes (async, panicking, JSON POST, a handler setting the
    library's headers with a 200, a 204 and an invalid status) for each of its 12
    apps (selector = middleware variant * 4 + source), so the fuzzer starts on them."""
    routes = [("GET", "/api/async/7?q=x"), ("GET", "/async-panic"), ("GET", "/todos/7"),
              ("POST", "/todos"), ("GET", "/panic"), ("GET", "/secret"),
              ("GET", "/owned/200"), ("GET", "/owned/204"), ("GET", "/owned/1000")]
    extra = []
    for selector in range(12):
        source = selector % 4
        for method, target in routes:
            path, _, query = target.partition("?")
            headers = {"origin": "https://a.example", "accept-encoding": "gzip"}
            body = '{"title":"x \\"q\\""}' if method == "POST" else None
            if source in (1, 3):
                event = {"rawPath": path, "rawQueryString": query, "headers": headers,
                         "requestContext": {"http": {"method": method}}, "body": body}
            else:
                params = dict([query.split("=")]) if query else None
                event = {"httpMethod": method, "path": path, "headers": headers,
                         "queryStringParameters": params, "body": body}
            extra.append((selector, json.dumps(event, separators=(",", ":")).encode()))
    return extra

for target in ["event_bytes", "dispatch"]:
    out = here / "seeds" / target
    out.mkdir(parents=True, exist_ok=True)
    for selector, body in events + (dispatch_route_events() if target == "dispatch" else []):
        data = bytes([selector]) + body
        (out / hashlib.sha1(data).hexdigest()).write_bytes(data)
print(f"{len(events)} seeds per target, plus the dispatch target's own routes")
