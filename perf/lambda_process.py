#!/usr/bin/env python3
"""Whole-process measurements of a Lambda function binary under a small Lambda Runtime API
emulator (Python standard library, loopback only).

The emulator serves `GET /2018-06-01/runtime/invocation/next` from a queue of events, with
the headers Lambda sends (`Lambda-Runtime-Aws-Request-Id`, `-Deadline-Ms`,
`-Invoked-Function-Arn`, `-Trace-Id`), and records what the function posts to
`.../response` and `.../error`. Once the queue is empty, `/next` closes the connection without an
answer: the runtime client (lambda_runtime, for both binaries measured) treats the failed
request as fatal, `main` returns an error and the process exits normally, so callgrind
writes its counts. (A 4xx answer without a request id would make lambda_runtime panic.) The function is spawned with `AWS_LAMBDA_RUNTIME_API`,
`AWS_LAMBDA_FUNCTION_NAME`, `..._MEMORY_SIZE` and `..._VERSION` set.

    lambda_process.py instructions NAME=BINARY...   callgrind: per warm invocation, and
                                                    process start to first response
    lambda_process.py cold-start --runs 30 NAME=BINARY...
                                                    spawn -> first response (alternating,
                                                    median) and peak RSS (VmHWM)

Every event is the REST `GET /todos` event (`fixtures/events/apiGatewayProxyEvent.json`
with its method and path changed), which both todos apps answer 200 with the same list.
"""

import argparse
import glob
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PREFIX = "/2018-06-01/runtime/invocation/"
TIMEOUT = 60.0
FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:todos"


def rest_get_todos():
    with open(os.path.join(ROOT, "fixtures", "events", "apiGatewayProxyEvent.json")) as f:
        event = json.load(f)
    event.update(httpMethod="GET", path="/todos", body=None, isBase64Encoded=False,
                 queryStringParameters=None, multiValueQueryStringParameters=None)
    return json.dumps(event, separators=(",", ":")).encode()


class Session:
    """One process's invocations: the events still to hand out and what came back."""

    def __init__(self, events, on_exhausted=None):
        self.events = list(events)
        self.handed_out = 0
        self.answers = {}  # request id -> (kind, body bytes, perf_counter_ns at arrival)
        self.first_answer = threading.Event()
        self.exhausted = threading.Event()
        self.on_exhausted = on_exhausted
        self.lock = threading.Lock()
        self.pid = None
        self.pid_known = threading.Event()

    def started(self, pid):
        self.pid = pid
        self.pid_known.set()

    def process_id(self):
        """The function's pid (the server thread may need it before `started` ran)."""
        if not self.pid_known.wait(TIMEOUT):
            raise RuntimeError("the function's pid was never recorded")
        return self.pid

    def next_event(self):
        with self.lock:
            if self.handed_out >= len(self.events):
                return None
            index = self.handed_out
            self.handed_out += 1
        return f"req-{index:06d}", self.events[index]

    def record(self, request_id, kind, body):
        at = time.perf_counter_ns()
        with self.lock:
            self.answers[request_id] = (kind, body, at)
        self.first_answer.set()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the Runtime API serves it

    def log_message(self, *args):
        pass

    def reply(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path != PREFIX + "next":
            return self.reply(404)
        session = self.server.session
        item = session.next_event() if session else None
        if item is None:
            if session is not None:
                if session.on_exhausted:
                    session.on_exhausted()
                session.exhausted.set()
            # No answer at all: the runtime client's request fails, and it ends the loop.
            self.close_connection = True
            return None
        request_id, event = item
        deadline = int(time.time() * 1000) + 30_000
        self.reply(200, event, [
            ("Content-Type", "application/json"),
            ("Lambda-Runtime-Aws-Request-Id", request_id),
            ("Lambda-Runtime-Deadline-Ms", str(deadline)),
            ("Lambda-Runtime-Invoked-Function-Arn", FUNCTION_ARN),
            ("Lambda-Runtime-Trace-Id",
             "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"),
        ])

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else self.read_chunked()
        parts = self.path[len(PREFIX):].split("/") if self.path.startswith(PREFIX) else []
        if len(parts) != 2 or parts[1] not in ("response", "error") or not self.server.session:
            return self.reply(404)
        self.server.session.record(parts[0], parts[1], body)
        self.reply(202, b'{"status":"OK"}')

    def read_chunked(self):
        if self.headers.get("Transfer-Encoding", "").lower() != "chunked":
            return b""
        body = b""
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                self.rfile.readline()
                return body
            body += self.rfile.read(size)
            self.rfile.readline()


class Emulator:
    def __init__(self):
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.session = None
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.address = f"127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def environment(self):
        """The environment a `provided.al2023` function starts with (placeholder values),
        not the caller's: every `getenv` scans it, so its size is part of the counts."""
        return {
            "PATH": "/usr/local/bin:/usr/bin/:/bin:/opt/bin", "LANG": "en_US.UTF-8",
            "TZ": ":UTC", "LD_LIBRARY_PATH": "/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:"
            "/var/task:/var/task/lib:/opt/lib", "LAMBDA_TASK_ROOT": "/var/task",
            "LAMBDA_RUNTIME_DIR": "/var/runtime", "_HANDLER": "bootstrap",
            "AWS_EXECUTION_ENV": "AWS_Lambda_provided.al2023", "AWS_REGION": "us-east-1",
            "AWS_DEFAULT_REGION": "us-east-1", "AWS_LAMBDA_FUNCTION_NAME": "todos",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128", "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
            "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/todos",
            "AWS_LAMBDA_LOG_STREAM_NAME": "2026/12/02/[$LATEST]0123456789abcdef0123456789abcdef",
            "AWS_ACCESS_KEY_ID": "ASIAEXAMPLEEXAMPLE00", "AWS_SECRET_ACCESS_KEY": "example",
            "AWS_SESSION_TOKEN": "example", "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR",
            "AWS_XRAY_DAEMON_ADDRESS": "169.254.79.129:2000",
            "_AWS_XRAY_DAEMON_ADDRESS": "169.254.79.129", "_AWS_XRAY_DAEMON_PORT": "2000",
            "AWS_LAMBDA_RUNTIME_API": self.address,
        }

    def run(self, argv, session):
        """Starts `argv` for `session`; returns (process, spawn time in perf_counter_ns)."""
        self.server.session = session
        started = time.perf_counter_ns()
        process = subprocess.Popen(argv, env=self.environment(), stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        return process, started


def finish(process):
    """Waits for the process to end by itself (it does once `/next` answers 410); ends it by
    its pid if it does not in time. Returns its stderr."""
    try:
        _, stderr = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        _, stderr = process.communicate(timeout=TIMEOUT)
        raise RuntimeError("the function did not exit after its last event")
    return stderr.decode(errors="replace")


def check_answers(name, session, count):
    if len(session.answers) != count:
        raise RuntimeError(f"{name}: {len(session.answers)} answers for {count} events")
    for request_id, (kind, body, _) in session.answers.items():
        answer = json.loads(body) if kind == "response" else None
        if not isinstance(answer, dict) or answer.get("statusCode") != 200:
            raise RuntimeError(f"{name}: {request_id} answered {kind}: {body[:300]!r}")


# ----------------------------------------------------------------------------- callgrind

def callgrind(emulator, name, binary, events, extra=()):
    """Runs `binary` under callgrind for `events` invocations; returns the list of cumulative
    instruction counts, one per dump (the last is the total at exit)."""
    with tempfile.TemporaryDirectory(prefix="lambda-process-") as out:
        argv = ["valgrind", "--tool=callgrind", "--trace-children=no",
                f"--callgrind-out-file={out}/callgrind.out", *extra, binary]
        session = Session([rest_get_todos()] * events)
        process, _ = emulator.run(argv, session)
        stderr = finish(process)
        check_answers(name, session, events)
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
    emulator = Emulator()
    try:
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
    finally:
        emulator.close()
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
    session = Session([rest_get_todos()] * events,
                      on_exhausted=lambda: rss.setdefault("kib", peak_rss_kib(session.process_id())))
    process, started = emulator.run([binary], session)
    session.started(process.pid)
    finish(process)
    check_answers(name, session, events)
    first = min(at for _, _, at in session.answers.values())
    if "kib" not in rss:
        raise RuntimeError(f"{name}: the process never asked for a further event")
    return (first - started) / 1e6, rss["kib"]


def cold_start(args):
    binaries = [spec.split("=", 1) for spec in args.binaries]
    emulator = Emulator()
    try:
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
    finally:
        emulator.close()
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
