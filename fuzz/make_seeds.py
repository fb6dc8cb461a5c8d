#!/usr/bin/env python3
"""Writes the seed corpus of the byte-level targets (event_bytes, dispatch, bedrock_agent) from the event
fixtures and conformance cases of `fixtures/`: one file per event, its first byte selecting the source
(0 REST, 1 HTTP API, 2 ALB, 3 Function URL, 4 VPC Lattice V1, 5 VPC Lattice V2, 6 any
source) as the targets expect (`fuzz_support::KINDS`). Every event is also written for the
app for any source. Also writes Powertools' Bedrock samples for bedrock_function.

Usage: python3 fuzz/make_seeds.py [FIXTURES_DIR]   (default fixtures/; writes fuzz/seeds/<target>/)
"""
import hashlib, json, os, pathlib, sys

here = pathlib.Path(__file__).resolve().parent
fixtures = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else here.parent / "fixtures")
SOURCES = {"rest": 0, "http": 1, "alb": 2, "function-url": 3, "vpc-lattice": 4, "vpc-lattice-v2": 5}
ANY = 6
KINDS = 7

def source_of_fixture(name):
    n = name.lower()
    if n.startswith("alb"): return 2
    if n.startswith("lambdafunctionurl"): return 3
    if n.startswith("vpclatticev2") or n.startswith("vpclatticeeventv2"): return 5
    if n.startswith("vpclattice"): return 4
    if "v2" in n: return 1
    if n.startswith("apigateway"): return 0
    return None

events = []
for path in sorted((fixtures / "events").glob("*.json")):
    selector = source_of_fixture(path.name)
    if selector is not None:
        events.append((selector, path.read_bytes()))
for path in sorted((fixtures / "bench").glob("lattice_*.json")):
    events.append((SOURCES["vpc-lattice-v2" if "v2" in path.name else "vpc-lattice"], path.read_bytes().strip()))
for path in sorted((fixtures / "conformance/cases").glob("*.jsonl")):
    selector = SOURCES[path.stem]
    for i, line in enumerate(path.read_text().splitlines()):
        if i % 8 == 0 and line.strip():
            events.append((selector, json.dumps(json.loads(line)["event"], separators=(",", ":")).encode()))
def dispatch_route_events():
    """The dispatch target's own routes (async, panicking, JSON POST, a handler setting the
    library's headers with a 200, a 204 and an invalid status, the OpenAPI document,
    Swagger UI, a method the path lacks) for each of its 21
    apps (selector = middleware variant * KINDS + kind), so the fuzzer starts on them."""
    routes = [("GET", "/api/async/7?q=x"), ("GET", "/async-panic"), ("GET", "/todos/7"),
              ("POST", "/todos"), ("GET", "/panic"), ("GET", "/secret"),
              ("GET", "/owned/200"), ("GET", "/owned/204"), ("GET", "/owned/1000"),
              ("GET", "/api/openapi.json"), ("GET", "/swagger"), ("PATCH", "/todos/7")]
    extra = []
    for selector in range(3 * KINDS):
        source = selector % KINDS
        for method, target in routes:
            path, _, query = target.partition("?")
            headers = {"origin": "https://a.example", "accept-encoding": "gzip"}
            body = '{"title":"x \\"q\\""}' if method == "POST" else None
            params = dict([query.split("=")]) if query else None
            if source in (1, 3):
                event = {"rawPath": path, "rawQueryString": query, "headers": headers,
                         "requestContext": {"http": {"method": method}}, "body": body}
            elif source == 4:
                event = {"raw_path": path, "method": method, "headers": headers,
                         "query_string_parameters": params, "body": body or ""}
            elif source == 5:
                event = {"version": "2.0", "path": path, "method": method,
                         "headers": {k: [v] for k, v in headers.items()},
                         "queryStringParameters": {k: [v] for k, v in (params or {}).items()},
                         "body": body or ""}
            else:
                event = {"httpMethod": method, "path": path, "headers": headers,
                         "queryStringParameters": params, "body": body}
            extra.append((selector, json.dumps(event, separators=(",", ":")).encode()))
    return extra

def bedrock_agent_seeds():
    """The bedrock_agent target's seeds: Powertools' agent samples, then an event for each
    of the target's routes (first byte 0: the bytes are the event), and a few of its
    `|`-separated descriptions (first byte 1: the target builds the event)."""
    seeds = [bytes([0]) + p.read_bytes() for p in sorted((fixtures / "bedrock").glob("bedrockAgent*Event.json"))
             if "Function" not in p.name]
    def named(pairs):
        return [{"name": n, "type": t, "value": v} for n, t, v in pairs]
    routes = [("GET", "/items", named([("status", "string", "open"), ("limit", "integer", "3"), ("desc", "boolean", "true")]), []),
              ("GET", "/items/{id}", named([("id", "integer", "7")]), []),
              ("GET", "/items/{id}", named([("id", "integer", "0")]), []),
              ("POST", "/items/{id}/notes", named([("id", "integer", "7")]),
               named([("text", "string", "hi"), ("tags", "array", '["a","b"]'), ("priority", "integer", "2")])),
              ("POST", "/items/{id}/notes", named([("id", "integer", "7")]), named([("priority", "integer", "-1"), ("text", "string", "x")])),
              ("GET", "/panic", [], []), ("GET", "/nowhere", [], [])]
    for method, path, parameters, properties in routes:
        event = {"messageVersion": "1.0", "agent": {"name": "fuzz", "id": "A", "alias": "TSTALIASID", "version": "DRAFT"},
                 "sessionId": "s", "inputText": "fuzz", "actionGroup": "FuzzGroup", "httpMethod": method,
                 "apiPath": path, "parameters": parameters, "sessionAttributes": {"k": "v"}, "promptSessionAttributes": {}}
        if properties:
            event["requestBody"] = {"content": {"application/json": {"properties": properties}}}
        seeds.append(bytes([0]) + json.dumps(event, separators=(",", ":")).encode())
    for text in ["|a||id|x|7", "aa|a|aa|text|aa|hello|id|x|12", "|aa|a|limit|xxx|300|desc|xxxxxx|maybe"]:
        seeds.append(bytes([1]) + text.encode())
    return seeds

for target in ["event_bytes", "dispatch"]:
    out = here / "seeds" / target
    out.mkdir(parents=True, exist_ok=True)
    for_any = [(ANY, body) for _, body in events]
    for selector, body in events + for_any + (dispatch_route_events() if target == "dispatch" else []):
        data = bytes([selector]) + body
        (out / hashlib.sha1(data).hexdigest()).write_bytes(data)
out = here / "seeds" / "bedrock_agent"
out.mkdir(parents=True, exist_ok=True)
for data in bedrock_agent_seeds():
    (out / hashlib.sha1(data).hexdigest()).write_bytes(data)
# bedrock_function reads its first byte as a mode (even: the rest as raw bytes): Powertools'
# Bedrock samples, the function event and the two OpenAPI events the target also gives the
# OpenAPI agent app. Its other seeds (the kit's function cases, structured inputs) are kept
# as committed.
out = here / "seeds" / "bedrock_function"
out.mkdir(parents=True, exist_ok=True)
for path in sorted((fixtures / "bedrock").glob("*.json")):
    data = bytes([0]) + json.dumps(json.loads(path.read_bytes()), separators=(",", ":")).encode()
    (out / hashlib.sha1(data).hexdigest()).write_bytes(data)
print(f"{len(events)} seeds per target, plus the dispatch target's own routes; {len(bedrock_agent_seeds())} for bedrock_agent; the Bedrock samples for bedrock_function")
