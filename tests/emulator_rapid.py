#!/usr/bin/env python3
"""Our Lambda Runtime API emulator (Python standard library, loopback only): the tests of
the invocation loop (tests/support/rapid.rs) and the perf harnesses (perf/runtime_loop.sh,
perf/runtime_loop_throughput.sh, perf/lambda_process.py) all drive a function through it.

Unlike cargo-lambda's emulator (tests/emulator.py) it serves `/next` to several pollers at
once (Lambda Managed Instances), reads streamed responses chunk by chunk with the time each
chunk arrived, and records the trailers, `/error` and `/init/error` posts.

As a module: `Emulator()` starts one server that runs any number of `Session`s one after
the other (one function process each: its events, extra `/next` headers, idle 204s);
`Emulator.spawn(argv, session, env)` starts a process against it. A session records per
invocation: `handed_out` and `answered` (seconds since the session began, on
`time.perf_counter_ns`, the one clock of every time here, `Session.spawned` included),
`kind` (`response` or `error`), the post's headers, body, chunks (`at`, base64 `data`) and
trailers; and an `/init/error` post.

As a script (the report on stdout, the function's stdout and stderr on this stderr):

    python3 tests/emulator_rapid.py --event FILE [--event FILE ...] [--repeat N]
        [--header NAME=VALUE ...] [--env NAME=VALUE ...] [--idle-204 N] [--timeout S]
        -- COMMAND ARGS...

Every event file is served `--repeat` times (default 1), in order. Report:
{"all_answered": bool, "invocations": [...], "init_error": ..., "exit_code": ..., "elapsed": s}.

What the function sees, and why:
- `/next` answers 200 with the event and the headers Lambda sends (request id `req-NNNN`,
  deadline 30 s ahead, function ARN, a trace id per invocation); `--header` replaces or
  adds to them. Idle polls first answer 204 (no invocation yet).
- Once every event has been answered (or `/init/error` posted), `/next` closes its
  connection without answering. Lambda would keep the request waiting; closing instead ends
  the function's loop (lambda-router's asks `/next` again on a new connection, three
  times running, then stops with an error; `main` returns it and the process exits
  normally), so callgrind writes its counts.
  Pollers that ask while other invocations are still in flight wait for them first.
- `--mode NAME` (repeatable) turns on a behaviour of the real Runtime API that a client must
  survive, one per test of tests/runtime_edges.rs:
  `chunked` (events sent `Transfer-Encoding: chunked`, as RAPID sends those over 2 KiB),
  `odd-case` (header names in odd case), `bare` (only the request id header: deadline,
  ARN and trace id absent), `cut-head` / `cut-body` (the first invocation's `/next` answer
  cut off in its head / body by a closed connection; the invocation is handed out again,
  as RAPID re-renders an unanswered invocation), `drop-next` (the first `/next` closed
  while pending), `close-between` (the connection closed after every `202`, unannounced),
  `lost-answer` (the first post is taken but its connection closed before the `202`; a
  second post for an answered invocation gets `400 InvalidRequestID`), `refuse-400`,
  `refuse-403`, `refuse-410`, `refuse-413` (the first post refused so, the invocation
  over; after 413 the connection is closed), `fail-next` (`/next` answers 500).
- `/response`, `/error` and `/init/error` answer `202 {"status":"OK"}` as Lambda does.
  A client that drops that answer without reading its body (lambda_runtime's loop, under
  the lambda_http peer) loses the connection, and its next `/next` opens a new one; a
  client that reads it (lambda-router's loop) keeps one connection. Each record holds the
  function's port for its `/next` (`next_port`) and its answer (`answer_port`), so a test
  can tell.
"""

import argparse
import base64
import collections
import json
import os
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PREFIX = "/2018-06-01/runtime"
ACCEPTED = b'{"status":"OK"}'
IDLE = object()  # what `Session.take` returns for a poll answered 204

# The CLI's function environment, on top of the caller's.
FUNCTION_ENV = {
    "AWS_LAMBDA_FUNCTION_NAME": "emulated",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
    "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
    "AWS_LAMBDA_LOG_STREAM_NAME": "stream",
    "AWS_LAMBDA_LOG_GROUP_NAME": "group",
}


class Session:
    """One function process's invocations: the events still to hand out, what came back.
    `on_exhausted(session)` runs once, when the first `/next` finds nothing left to hand out
    and nothing in flight (the process is then idle, waiting for that answer)."""

    def __init__(self, events, headers=None, idle_204=0, function_name="emulated",
                 on_exhausted=None, modes=()):
        self.start_ns = time.perf_counter_ns()
        self.modes = set(modes)
        self.spent = set()  # the one-shot modes already played
        self.connections = set()  # the function's ports seen
        self.refused = []  # (request_id, status) of each refused post
        self.cond = threading.Condition()
        self.headers = dict(headers or {})
        self.idle_204 = idle_204
        self.function_arn = f"arn:aws:lambda:us-east-1:123456789012:function:{function_name}"
        self.on_exhausted = on_exhausted
        self.exhausted = False
        self.invocations = []
        self.pending = collections.deque()
        for index, event in enumerate(events):
            record = {"request_id": f"req-{index:04d}", "handed_out": None, "answered": None,
                      "deadline_ms": None, "kind": None, "headers": {}, "body": None,
                      "chunks": [], "trailers": {},
                      # the function's port for its `/next` and for its answer: equal
                      # ports across invocations mean one kept connection
                      "next_port": None, "answer_port": None, "duplicates": 0}
            self.invocations.append(record)
            self.pending.append((index, event, record))
        self.by_id = {record["request_id"]: record for record in self.invocations}
        self.answered = 0
        self.init_error = None
        self.all_answered = threading.Event()  # also set by an init error: nothing to wait for
        if not self.invocations:
            self.all_answered.set()
        self.spawned = None  # `now()` just before the process was started
        self.process = None
        self.process_known = threading.Event()

    def now(self):
        """Seconds since the session began."""
        return (time.perf_counter_ns() - self.start_ns) / 1e9

    def started(self, process):
        self.process = process
        self.process_known.set()

    def pid(self, timeout=60.0):
        """The function's pid (a server thread may ask before `spawn` has returned)."""
        if not self.process_known.wait(timeout):
            raise RuntimeError("the function's process was never recorded")
        return self.process.pid

    def take(self):
        """For one `/next`: `IDLE`, (index, event, record), or None (hang up)."""
        with self.cond:
            if self.idle_204 > 0:
                self.idle_204 -= 1
                return IDLE
            while not self.pending and not self.all_answered.is_set():
                self.cond.wait()
            if self.pending and not self.all_answered.is_set():
                index, event, record = self.pending.popleft()
                record["handed_out"] = self.now()
                return index, event, record
            first, self.exhausted = not self.exhausted, True
        if first and self.on_exhausted:
            self.on_exhausted(self)
        return None

    def once(self, mode):
        """Whether the one-shot `mode` is on and not yet played (it is played now)."""
        with self.cond:
            if mode in self.modes and mode not in self.spent:
                self.spent.add(mode)
                return True
            return False

    def hand_back(self, index, event, record):
        """An invocation whose `/next` answer never arrived: handed out again next."""
        with self.cond:
            record["handed_out"] = None
            self.pending.appendleft((index, event, record))
            self.cond.notify_all()

    def answer(self, request_id, kind, headers, body, chunks, trailers, port):
        """Records a `/response` or `/error` post: True, "duplicate" for an invocation
        answered already, False for an unknown request id."""
        record = self.by_id.get(request_id)
        if record is None:
            return False
        with self.cond:
            if record["kind"] is not None:
                record["duplicates"] += 1
                return "duplicate"
            first = record["kind"] is None
            record.update(kind=kind, headers=headers, body=body.decode("utf-8", "replace"),
                          chunks=chunks, trailers=trailers, answered=self.now(),
                          answer_port=port)
            self.answered += first
            if self.answered >= len(self.invocations):
                self.all_answered.set()
            self.cond.notify_all()
        return True

    def failed_init(self, headers, body):
        with self.cond:
            self.init_error = {"headers": headers, "body": body.decode("utf-8", "replace")}
            self.all_answered.set()
            self.cond.notify_all()

    def report(self):
        return {"all_answered": self.all_answered.is_set(), "invocations": self.invocations,
                "init_error": self.init_error, "connections": len(self.connections),
                "refused": self.refused}


def read_chunked(rfile, now):
    """Reads a chunked body: the chunks with their arrival times (`now()`), the trailers."""
    chunks = []
    trailers = {}
    while True:
        size_line = rfile.readline()
        if not size_line:
            break
        size = int(size_line.split(b";")[0].strip() or b"0", 16)
        if size == 0:
            while True:
                line = rfile.readline()
                if line in (b"\r\n", b"\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                trailers[name.strip().lower()] = value.strip()
            break
        data = rfile.read(size)
        rfile.readline()
        chunks.append({"at": now(), "data": base64.b64encode(data).decode()})
    return chunks, trailers


def odd_case(name):
    """`Lambda-Runtime-Aws-Request-Id` -> `lAMBDA-rUNTIME-aWS-rEQUEST-iD`."""
    return name.swapcase()


class Handler(BaseHTTPRequestHandler):
    """The Runtime API for `self.server.session` (None between sessions: no events)."""

    protocol_version = "HTTP/1.1"  # keep-alive, as the Runtime API serves it

    def log_message(self, *args):
        pass

    def send(self, status, body=b"{}", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def hang_up(self):
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def do_GET(self):
        if self.path != PREFIX + "/invocation/next":
            return self.send(404)
        session = self.server.session
        if session:
            session.connections.add(self.client_address[1])
        if session and "fail-next" in session.modes:
            return self.send(500, b'{"errorType":"InternalServerError","errorMessage":"x"}')
        if session and session.once("drop-next"):
            time.sleep(0.05)  # pending a while, then the connection breaks
            return self.hang_up()
        taken = session.take() if session else None
        if taken is None:
            return self.hang_up()
        if taken is IDLE:
            self.send_response(204)
            self.end_headers()
            return None
        index, event, record = taken
        record["deadline_ms"] = int(time.time() * 1000) + 30_000
        record["next_port"] = self.client_address[1]
        out = [
            ("Lambda-Runtime-Aws-Request-Id", record["request_id"]),
            ("Lambda-Runtime-Deadline-Ms", str(record["deadline_ms"])),
            ("Lambda-Runtime-Invoked-Function-Arn", session.function_arn),
            ("Lambda-Runtime-Trace-Id",
             f"Root=1-5759e988-bd862e3fe1be46a99427{index:04d};Parent=53995c3f42cd8ad8;Sampled=1"),
        ]
        replaced = {name.lower() for name in session.headers}
        out = [(n, v) for n, v in out if n.lower() not in replaced] + list(session.headers.items())
        if "bare" in session.modes:
            out = out[:1]
        if "odd-case" in session.modes:
            out = [(odd_case(n), v) for n, v in out]
        for cut in ("cut-head", "cut-body"):
            if session.once(cut):
                whole = self.rendered(200, event, out)
                head_end = whole.index(b"\r\n\r\n")
                at = head_end // 2 if cut == "cut-head" else head_end + 4 + len(event) // 2
                self.wfile.write(whole[:at])
                self.wfile.flush()
                session.hand_back(index, event, record)
                return self.hang_up()
        if "chunked" in session.modes:
            return self.send_chunked(200, event, out)
        return self.send(200, event, out)

    def rendered(self, status, body, headers):
        lines = [f"HTTP/1.1 {status} OK", "Content-Type: application/json",
                 f"Content-Length: {len(body)}"] + [f"{n}: {v}" for n, v in headers]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body

    def send_chunked(self, status, body, headers):
        """The body in chunks of up to 700 bytes (one with an extension), no length."""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        for at in range(0, len(body), 700):
            piece = body[at:at + 700]
            extension = ";ext=1" if at == 0 else ""
            self.wfile.write(b"%x%s\r\n%s\r\n" % (len(piece), extension.encode(), piece))
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")

    def do_POST(self):
        session = self.server.session
        headers = {k.lower(): v for k, v in self.headers.items()}
        now = session.now if session else time.monotonic
        if headers.get("transfer-encoding", "").lower() == "chunked":
            chunks, trailers = read_chunked(self.rfile, now)
            body = b"".join(base64.b64decode(c["data"]) for c in chunks)
        else:
            body = self.rfile.read(int(headers.get("content-length", "0")))
            chunks, trailers = [], {}
        if session is None:
            return self.send(404)
        if self.path == PREFIX + "/init/error":
            session.failed_init(headers, body)
            return self.send(202, ACCEPTED)
        session.connections.add(self.client_address[1])
        parts = self.path[len(PREFIX):].split("/")  # ['', 'invocation', id, kind]
        if len(parts) != 4 or parts[1] != "invocation" or parts[3] not in ("response", "error"):
            return self.send(404)
        for status in (400, 403, 410, 413):
            if session.once(f"refuse-{status}"):
                # The invocation is over (RAPID completes it as failed), the post refused.
                session.answer(parts[2], "refused", headers, body, chunks, trailers,
                               self.client_address[1])
                session.refused.append((parts[2], status))
                kind = {400: "InvalidRequestID", 403: "InvalidStateTransition",
                        410: "InvokeTimeout", 413: "RequestEntityTooLarge"}[status]
                self.send(status, json.dumps({"errorType": kind, "errorMessage": "x"}).encode(),
                          [("Connection", "close")] if status == 413 else [])
                if status == 413:
                    self.hang_up()
                return None
        recorded = session.answer(parts[2], parts[3], headers, body, chunks, trailers,
                                  self.client_address[1])
        if not recorded:
            return self.send(404)
        if recorded == "duplicate":
            return self.send(400, b'{"errorType":"InvalidRequestID","errorMessage":"x"}')
        if session.once("lost-answer"):
            return self.hang_up()
        self.send(202, ACCEPTED)
        if "close-between" in session.modes:
            self.wfile.flush()
            self.hang_up()
        return None


class Emulator:
    """One Runtime API server on loopback, reused by sessions one after the other."""

    def __init__(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.session = None
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.address = f"127.0.0.1:{self.server.server_address[1]}"

    def spawn(self, argv, session, env, **popen):
        """Starts `argv` with `env` (plus `AWS_LAMBDA_RUNTIME_API`, nothing of this process's
        own) as `session`'s function; `popen`: the output streams. Returns the process."""
        self.server.session = session
        env = dict(env, AWS_LAMBDA_RUNTIME_API=self.address)
        session.spawned = session.now()
        process = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, **popen)
        session.started(process)
        return process

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--event", action="append", default=[])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--header", action="append", default=[])
    parser.add_argument("--env", action="append", default=[])
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--mode", action="append", default=[],
                        help="a Runtime API behaviour to play (see the module's doc)")
    parser.add_argument("--idle-204", type=int, default=0,
                        help="answer this many /next polls with 204 (no invocation yet) first")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no function command after --")

    events = []
    for path in args.event:
        with open(path, "rb") as f:
            events.append(f.read())
    events = [e for _ in range(args.repeat) for e in events]
    session = Session(events, dict(h.split("=", 1) for h in args.header), args.idle_204,
                      modes=args.mode)

    env = dict(os.environ, **FUNCTION_ENV)
    env.pop("AWS_LAMBDA_MAX_CONCURRENCY", None)
    env.update(dict(e.split("=", 1) for e in args.env))

    with Emulator() as emulator:
        process = emulator.spawn(command, session, env, stdout=sys.stderr, stderr=sys.stderr)
        try:
            # Until every invocation is answered, or the function has exited.
            deadline = time.monotonic() + args.timeout
            while (not session.all_answered.wait(0.05) and process.poll() is None
                   and time.monotonic() < deadline):
                pass
            try:
                exit_code = process.wait(timeout=max(5.0, args.timeout / 4))
            except subprocess.TimeoutExpired:
                exit_code = None
            elapsed = session.now() - session.spawned
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    json.dump(dict(session.report(), exit_code=exit_code, elapsed=elapsed), sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
