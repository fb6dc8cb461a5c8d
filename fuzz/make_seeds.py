#!/usr/bin/env python3
"""Writes the seed corpus of the byte-level targets (event_bytes, dispatch) from the shared
fixtures and conformance cases: one file per event, its first byte selecting the source
(0 REST, 1 HTTP API, 2 ALB, 3 Function URL) as the targets expect.

Usage: python3 fuzz/make_seeds.py [../shared]   (writes fuzz/seeds/<target>/)
"""
import hashlib, json, os, pathlib, sys

here = pathlib.Path(__file__).resolve().parent
shared = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else here.parent.parent / "shared")
SOURCES = {"rest": 0, "http": 1, "alb": 2, "function-url": 3}

def source_of_fixture(name):
    n = name.lower()
    if n.startswith("alb"): return 2
    if n.startswith("lambdafunctionurl"): return 3
    if "v2" in n: return 1
    if n.startswith("apigateway"): return 0
    return None

events = []
for path in sorted((shared / "fixtures/events").glob("*.json")):
    selector = source_of_fixture(path.name)
    if selector is not None:
        events.append((selector, path.read_bytes()))
for path in sorted((shared / "conformance/cases").glob("*.jsonl")):
    selector = SOURCES[path.stem.rsplit("-", 1)[0]]
    for i, line in enumerate(path.read_text().splitlines()):
        if i % 8 == 0 and line.strip():
            events.append((selector, json.dumps(json.loads(line)["event"], separators=(",", ":")).encode()))
for target in ["event_bytes", "dispatch"]:
    out = here / "seeds" / target
    out.mkdir(parents=True, exist_ok=True)
    for selector, body in events:
        data = bytes([selector]) + body
        (out / hashlib.sha1(data).hexdigest()).write_bytes(data)
print(f"{len(events)} seeds per target")
