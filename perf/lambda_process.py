#!/usr/bin/env python3
"""Whole-process measurements of a Lambda function binary under our Lambda Runtime API
emulator (tests/emulator_rapid.py, whose docstring says what the function sees: notably
`/next` closes without answering once the events are exhausted, so the process exits and
callgrind writes its counts, and every post is answered `202 {"status":"OK"}` as on
Lambda: the peer's client drops it unread and reconnects per invocation, lambda-router's
reads it and keeps its connection). This file holds the measuring only.

    lambda_process.py instructions NAME=BINARY...   callgrind: per warm invocation, and
                                                    process start to first response
    lambda_process.py cold-start --runs 30 NAME=BINARY...
                                                    spawn -> first response (alternating,
                                                    median) and peak RSS (VmHWM)

Every event is the REST `GET /todos` event (`fixtures/events/apiGatewayProxyEvent.json`
with its method and path changed), which both todos apps answer 200 with the same list.
The function gets a fixed `provided.al2023`-like environment, not the caller's.
"""

import argparse
import glob
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.dont_write_bytecode = True  # no __pycache__ left in tests/ by a measurement
from emulator_rapid import Emulator, Session  # noqa: E402  (found through the path above)

TIMEOUT = 60.0
FUNCTION_NAME = "todos"

# The environment a `provided.al2023` function starts with (placeholder values), not the
# caller's: every `getenv` scans it, so its size is part of the counts. The emulator adds
# `AWS_LAMBDA_RUNTIME_API`.
ENVIRONMENT = {
    "PATH": "/usr/local/bin:/usr/bin/:/bin:/opt/bin", "LANG": "en_US.UTF-8",
    "TZ": ":UTC", "LD_LIBRARY_PATH": "/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:"
    "/var/task:/var/task/lib:/opt/lib", "LAMBDA_TASK_ROOT": "/var/task",
    "LAMBDA_RUNTIME_DIR": "/var/runtime", "_HANDLER": "bootstrap",
    "AWS_EXECUTION_ENV": "AWS_Lambda_provided.al2023", "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1", "AWS_LAMBDA_FUNCTION_NAME": FUNCTION_NAME,
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128", "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
    "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
    "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/todos",
    "AWS_LAMBDA_LOG_STREAM_NAME": "2026/12/02/[$LATEST]0123456789abcdef0123456789abcdef",
    "AWS_ACCESS_KEY_ID": "ASIAEXAMPLEEXAMPLE00", "AWS_SECRET_ACCESS_KEY": "example",
    "AWS_SESSION_TOKEN": "example", "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR",
    "AWS_XRAY_DAEMON_ADDRESS": "169.254.79.129:2000",
    "_AWS_XRAY_DAEMON_ADDRESS": "169.254.79.129", "_AWS_XRAY_DAEMON_PORT": "2000",
}


def rest_get_todos():
    with open(os.path.join(ROOT, "fixtures", "events", "apiGatewayProxyEvent.json")) as f:
        event = json.load(f)
    event.update(httpMethod="GET", path="/todos", body=None, isBase64Encoded=False,
                 queryStringParameters=None, multiValueQueryStringParameters=None)
    return json.dumps(event, separators=(",", ":")).encode()


def run(emulator, argv, events, on_exhausted=None):
    """Runs `argv` as the function for `events` GET /todos invocations until it exits by
    itself; returns its session and its stderr."""
    session = Session([rest_get_todos()] * events, function_name=FUNCTION_NAME,
                      on_exhausted=on_exhausted)
    process = emulator.spawn(argv, session, ENVIRONMENT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return session, finish(process)


def finish(process):
    """Waits for the process to end by itself (it does once `/next` hangs up); kills it if
    it does not in time. Returns its stderr."""
    try:
        _, stderr = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        _, stderr = process.communicate(timeout=TIMEOUT)
        raise RuntimeError("the function did not exit after its last event")
    return stderr.decode(errors="replace")


def check_answers(name, session):
    """Every invocation answered 200 (the process measured did the work it was given)."""
    for record in session.invocations:
        kind, body = record["kind"], record["body"]
        answer = json.loads(body) if kind == "response" else None
        if not isinstance(answer, dict) or answer.get("statusCode") != 200:
            raise RuntimeError(f"{name}: {record['request_id']} answered {kind}: "
                               f"{(body or '')[:300]!r}")


# ----------------------------------------------------------------------------- callgrind

def callgrind(emulator, name, binary, events, extra=()):
    """Runs `binary` under callgrind for `events` invocations; returns the list of cumulative
    instruction counts, one per dump (the last is the total at exit)."""
    with tempfile.TemporaryDirectory(prefix="lambda-process-") as out:
        argv = ["valgrind", "--tool=callgrind", "--trace-children=no",
                f"--callgrind-out-file={out}/callgrind.out", *extra, binary]
        session, stderr = run(emulator, argv, events)
        check_answers(name, session)
        totals = []
        for path in sorted(glob.glob(f"{out}/callgrind.out*"), key=dump_number):
            with open(path) as f:
                for line in f:
                    if line.startswith("summary:") or line.startswith("totals:"):
                        totals.append(int(line.split()[1]))
                        break
        if not totals:
            raise RuntimeError(f"{name}: callgrind wrote no counts:\n{stderr[-2000:]}")
        return [sum(totals[: i + 1]) for i in range(len(totals))]


def dump_number(path):
    suffix = path.rsplit(".", 1)[-1]
    return int(suffix) if suffix.isdigit() else 1 << 30


def instructions(args):
    with Emulator() as emulator:
        rows = []
        for spec in args.binaries:
            name, binary = spec.split("=", 1)
            low = callgrind(emulator, name, binary, args.n1)[-1]
            high = callgrind(emulator, name, binary, args.n2)[-1]
            warm = (high - low) / (args.n2 - args.n1)
            first = start_to_first_response(emulator, name, binary)
            rows.append((name, warm, first))
            print(f"{name}: {warm:,.0f} instructions per warm invocation "
                  f"(N={args.n1}: {low:,}, N={args.n2}: {high:,}); "
                  f"{first:,} from process start to the first response", flush=True)
        if len(rows) == 2:
            (a, wa, fa), (b, wb, fb) = rows
            print(f"{a} vs {b}: warm {wb / wa:.2f}x fewer; start to first response "
                  f"{fa / fb:.2f}x of {b}'s")
    return 0


def start_to_first_response(emulator, name, binary):
    """Instructions from process start until the first response goes on the wire. Callgrind
    dumps its counts before every `writev` (the call hyper's client, under both binaries,
    sends each request with): the first is `GET /next`, the second carries the first
    response's POST, so the cumulative count at the second dump is the span."""
    dumps = callgrind(emulator, name, binary, 1, ["--dump-before=*writev"])
    if len(dumps) < 3:
        raise RuntimeError(f"{name}: expected a dump before each request, got {dumps}")
    return dumps[1]


# ----------------------------------------------------------------------------- cold start

def peak_rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmHWM for pid {pid}")


def one_run(emulator, name, binary, events):
    """Spawns `binary` for `events` invocations; returns (ms from spawn to the first
    response received, peak RSS in KiB read when it asks for the event after its last)."""
    rss = {}
    session, _ = run(emulator, [binary], events,
                     on_exhausted=lambda s: rss.setdefault("kib", peak_rss_kib(s.pid())))
    check_answers(name, session)
    first = min(record["answered"] for record in session.invocations)
    if "kib" not in rss:
        raise RuntimeError(f"{name}: the process never asked for a further event")
    return (first - session.spawned) * 1e3, rss["kib"]


def cold_start(args):
    binaries = [spec.split("=", 1) for spec in args.binaries]
    with Emulator() as emulator:
        for name, binary in binaries:  # one unmeasured run each: page cache, first exec
            one_run(emulator, name, binary, 1)
        times = {name: [] for name, _ in binaries}
        rss_cold = {name: [] for name, _ in binaries}
        for _ in range(args.runs):
            for name, binary in binaries:  # alternating: A, B, A, B...
                ms, kib = one_run(emulator, name, binary, 1)
                times[name].append(ms)
                rss_cold[name].append(kib)
        for name, binary in binaries:
            _, warm_kib = one_run(emulator, name, binary, args.warm_events)
            t = times[name]
            print(f"{name}: spawn to first response median {statistics.median(t):.2f} ms "
                  f"(min {min(t):.2f}, max {max(t):.2f}, {len(t)} runs); peak RSS "
                  f"{statistics.median(rss_cold[name]) / 1024:.2f} MiB after one invocation "
                  f"(median), {warm_kib / 1024:.2f} MiB after {args.warm_events}", flush=True)
        if len(binaries) == 2:
            (a, _), (b, _) = binaries
            ratio = statistics.median(times[a]) / statistics.median(times[b])
            print(f"{a} / {b}: cold start {ratio:.2f}x, peak RSS "
                  f"{statistics.median(rss_cold[a]) / statistics.median(rss_cold[b]):.2f}x")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("instructions")
    p.add_argument("--n1", type=int, default=11)
    p.add_argument("--n2", type=int, default=111)
    p.add_argument("binaries", nargs="+", help="NAME=PATH of a function binary")
    p = sub.add_parser("cold-start")
    p.add_argument("--runs", type=int, default=30)
    p.add_argument("--warm-events", type=int, default=100)
    p.add_argument("binaries", nargs="+", help="NAME=PATH of a function binary")
    args = parser.parse_args()
    return instructions(args) if args.command == "instructions" else cold_start(args)


if __name__ == "__main__":
    sys.exit(main())
