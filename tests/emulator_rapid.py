#!/usr/bin/env python3
"""A small Lambda Runtime API emulator (Python standard library, loopback only) that runs
one function process, hands it a list of events, and prints as JSON what the function
posted back: used by tests/runtime_loop.rs (duties of the loop, concurrency, streaming)
and perf/runtime_loop.sh (instructions per invocation under callgrind, throughput).

Unlike cargo-lambda's emulator (tests/emulator.py) it serves `/next` to several pollers at
once (Lambda Managed Instances), reads streamed responses chunk by chunk with the time each
chunk arrived, and records the trailers, `/error` and `/init/error` posts.

    python3 tests/emulator_rapid.py --event FILE [--event FILE ...] [--repeat N]
        [--header NAME=VALUE ...] [--env NAME=VALUE ...] [--timeout S] -- COMMAND ARGS...

Every event file is served `--repeat` times (default 1), in order. Once every event has
been answered, `/next` closes its connection without answering, which ends the function's
loop (it exits with an error, as a function does when the Runtime API goes away). The
report on stdout: {"invocations": [...], "init_error": ..., "exit_code": ..., "elapsed": s}.
The function's stdout and stderr pass through to this script's stderr.
"""

import argparse
import base64
import json
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PREFIX = "/2018-06-01/runtime"


class State:
    def __init__(self, events, headers):
        self.start = time.monotonic()
        self.pending = queue.Queue()
        self.invocations = []
        self.lock = threading.Lock()
        self.answered = 0
        self.all_answered = threading.Event()
        self.init_error = None
        self.idle_204 = 0
        self.total = len(events)
        if self.total == 0:
            self.all_answered.set()
        for index, event in enumerate(events):
            request_id = f"req-{index:04d}"
            record = {
                "request_id": request_id,
                "handed_out": None,
                "answered": None,
                "kind": None,
                "headers": {},
                "body": None,
                "chunks": [],
                "trailers": {},
            }
            self.invocations.append(record)
            self.pending.put((index, event, dict(headers), record))

    def now(self):
        return time.monotonic() - self.start

    def find(self, request_id):
        for record in self.invocations:
            if record["request_id"] == request_id:
                return record
        return None

    def done(self, record):
        with self.lock:
            record["answered"] = self.now()
            self.answered += 1
            if self.answered >= self.total:
                self.all_answered.set()


def read_chunked(rfile, state):
    """Reads a chunked body: the chunks with their arrival times, then the trailers."""
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
        chunks.append({"at": state.now(), "data": base64.b64encode(data).decode()})
    return chunks, trailers


def make_handler(state):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

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
            with state.lock:
                idle = state.idle_204 > 0
                state.idle_204 -= idle
            if idle:
                self.send_response(204)
                self.end_headers()
                return
            while True:
                try:
                    index, event, headers, record = state.pending.get(timeout=0.05)
                    break
                except queue.Empty:
                    if state.all_answered.is_set():
                        return self.hang_up()
            record["handed_out"] = state.now()
            deadline_ms = int(time.time() * 1000) + 30_000
            out = [
                ("Lambda-Runtime-Aws-Request-Id", record["request_id"]),
                ("Lambda-Runtime-Deadline-Ms", str(deadline_ms)),
                ("Lambda-Runtime-Invoked-Function-Arn",
                 "arn:aws:lambda:us-east-1:123456789012:function:emulated"),
                ("Lambda-Runtime-Trace-Id",
                 f"Root=1-5759e988-bd862e3fe1be46a99427{index:04d};Parent=53995c3f42cd8ad8;Sampled=1"),
            ]
            record["deadline_ms"] = deadline_ms
            replaced = {name.lower() for name in headers}
            out = [(n, v) for n, v in out if n.lower() not in replaced] + list(headers.items())
            self.send(200, event, out)

        def do_POST(self):
            path = self.path
            headers = {k.lower(): v for k, v in self.headers.items()}
            if headers.get("transfer-encoding", "").lower() == "chunked":
                chunks, trailers = read_chunked(self.rfile, state)
                body = b"".join(base64.b64decode(c["data"]) for c in chunks)
            else:
                length = int(headers.get("content-length", "0"))
                body = self.rfile.read(length)
                chunks, trailers = [], {}
            if path == PREFIX + "/init/error":
                state.init_error = {"headers": headers, "body": body.decode("utf-8", "replace")}
                self.send(202)
                state.all_answered.set()
                return
            parts = path[len(PREFIX):].split("/")
            # ['', 'invocation', '<id>', 'response' | 'error']
            record = state.find(parts[2]) if len(parts) == 4 and parts[1] == "invocation" else None
            if record is None or parts[3] not in ("response", "error"):
                return self.send(404)
            record["kind"] = parts[3]
            record["headers"] = headers
            record["body"] = body.decode("utf-8", "replace")
            record["chunks"] = chunks
            record["trailers"] = trailers
            self.send(202)
            state.done(record)

    return Handler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--event", action="append", default=[])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--header", action="append", default=[])
    parser.add_argument("--env", action="append", default=[])
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--idle-204", type=int, default=0,
                        help="answer this many /next polls with 204 (no invocation yet) first")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = [c for c in args.command if c != "--"] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no function command after --")

    events = []
    for path in args.event:
        with open(path, "rb") as f:
            events.append(f.read())
    events = [e for _ in range(args.repeat) for e in events]
    headers = dict(h.split("=", 1) for h in args.header)
    state = State(events, headers)
    state.idle_204 = args.idle_204

    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state))
    server.daemon_threads = True
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()

    env = dict(os.environ)
    env.update({
        "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{port}",
        "AWS_LAMBDA_FUNCTION_NAME": "emulated",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_LOG_STREAM_NAME": "stream",
        "AWS_LAMBDA_LOG_GROUP_NAME": "group",
    })
    env.pop("AWS_LAMBDA_MAX_CONCURRENCY", None)
    env.update(dict(e.split("=", 1) for e in args.env))

    started = time.monotonic()
    proc = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL,
                            stdout=sys.stderr, stderr=sys.stderr)
    try:
        finished = state.all_answered.wait(args.timeout)
        try:
            exit_code = proc.wait(timeout=max(5.0, args.timeout / 4))
        except subprocess.TimeoutExpired:
            exit_code = None
        elapsed = time.monotonic() - started
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        server.shutdown()
    json.dump({
        "all_answered": finished,
        "invocations": state.invocations,
        "init_error": state.init_error,
        "exit_code": exit_code,
        "elapsed": elapsed,
    }, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
