#!/usr/bin/env python3
"""Runs a function binary under a real Lambda Runtime API emulator (cargo-lambda's
`lambda watch --only-lambda-apis`, on loopback) and checks its answers to events of every
source. Cold start is measured by perf/lambda_process.sh, on binaries built as user crates.

Called by tests/emulator.sh, which installs cargo-lambda and builds the binary first. Every
process it starts is ended by its pid in a `finally`; every wait is bounded.

    python3 tests/emulator.py check --cargo-lambda BIN --function PATH/TO/examples/todos
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "fixtures", "events")
TIMEOUT = 10.0
# Loopback only: never through a proxy from the environment.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, deadline):
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"the emulator did not listen on port {port} in time")


class Emulator:
    """cargo-lambda's Runtime API emulator, run from a stub Cargo project (it insists on
    one with a binary, though it never builds it in this mode)."""

    def __init__(self, cargo_lambda):
        self.cargo_lambda = os.path.abspath(cargo_lambda)
        self.port = free_port()
        self.stub = tempfile.TemporaryDirectory(prefix="emulator-stub-")
        self.proc = None
        self.log = None

    def __enter__(self):
        os.makedirs(os.path.join(self.stub.name, "src"))
        with open(os.path.join(self.stub.name, "Cargo.toml"), "w") as f:
            f.write('[package]\nname = "emulator-stub"\nversion = "0.0.0"\nedition = "2021"\n\n[workspace]\n')
        with open(os.path.join(self.stub.name, "src", "main.rs"), "w") as f:
            f.write("fn main() {}\n")
        self.log = open(os.path.join(self.stub.name, "emulator.log"), "w+")
        self.proc = subprocess.Popen(
            [self.cargo_lambda, "lambda", "watch", "--only-lambda-apis",
             "-A", "127.0.0.1", "-P", str(self.port)],
            cwd=self.stub.name, stdout=self.log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        try:
            wait_for_port(self.port, time.monotonic() + 30)
        except Exception:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        if exc and exc[0] is not None and self.log is not None:
            self.log.seek(0)
            sys.stderr.write("--- emulator log ---\n" + self.log.read()[-4000:])
        if self.log is not None:
            self.log.close()
        self.stub.cleanup()

    def env(self, extra=None):
        env = dict(os.environ)
        env.update({
            "AWS_LAMBDA_FUNCTION_VERSION": "1",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
            "AWS_LAMBDA_FUNCTION_NAME": "_",
            "AWS_LAMBDA_RUNTIME_API": f"http://127.0.0.1:{self.port}/.rt",
        })
        env.update(extra or {})
        return env

    def invoke(self, event_bytes):
        """POSTs one event; returns (HTTP status of the emulator's answer, parsed JSON)."""
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/2015-03-31/functions/_/invocations",
            data=event_bytes, method="POST",
        )
        try:
            with OPENER.open(request, timeout=TIMEOUT) as reply:
                return reply.status, json.loads(reply.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")


class Function:
    """The function binary, started against the emulator and ended by its pid."""

    def __init__(self, emulator, binary, extra_env=None):
        self.proc = subprocess.Popen(
            [binary], env=emulator.env(extra_env), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        return self.proc.stderr.read().decode(errors="replace")


# ----------------------------------------------------------------------------- events

def fixture(name):
    with open(os.path.join(FIXTURES, name)) as f:
        return json.load(f)


def rest_event(method, path, body=None):
    event = fixture("apiGatewayProxyEvent.json")
    event.update(httpMethod=method, path=path, body=body, isBase64Encoded=False,
                 queryStringParameters=None, multiValueQueryStringParameters=None)
    return event


def v2_event(name, method, path, body=None):
    event = fixture(name)
    event["rawPath"] = path
    event["rawQueryString"] = ""
    event.pop("queryStringParameters", None)
    event["requestContext"]["http"]["method"] = method
    event["requestContext"]["http"]["path"] = path
    event["isBase64Encoded"] = False
    if body is None:
        event.pop("body", None)
    else:
        event["body"] = body
    return event


def alb_event(name, method, path, body=None):
    event = fixture(name)
    event.update(httpMethod=method, path=path, body=body or "", isBase64Encoded=False)
    if "multiValueQueryStringParameters" in event:
        event["multiValueQueryStringParameters"] = {}
    else:
        event["queryStringParameters"] = {}
    return event


SOURCES = {
    # name: (TODOS_SOURCE, event maker)
    "rest": ("rest", rest_event),
    "http_api": ("http", lambda m, p, b=None: v2_event("apiGatewayProxyV2Event.json", m, p, b)),
    "alb": ("alb", lambda m, p, b=None: alb_event("albEvent.json", m, p, b)),
    "alb_multi_value": ("alb", lambda m, p, b=None: alb_event("albMultiValueHeadersEvent.json", m, p, b)),
    "function_url": ("url", lambda m, p, b=None: v2_event("lambdaFunctionUrlEvent.json", m, p, b)),
}


def response_headers(response):
    headers = {}
    for name, values in (response.get("multiValueHeaders") or {}).items():
        headers.setdefault(name.lower(), []).extend(values)
    for name, value in (response.get("headers") or {}).items():
        headers.setdefault(name.lower(), []).append(value)
    return headers


# ------------------------------------------------------------------------------ check

def check(args):
    failures = []
    checked = 0

    def expect(label, condition, detail):
        nonlocal checked
        checked += 1
        if not condition:
            failures.append(f"{label}: {detail}")

    with Emulator(args.cargo_lambda) as emulator:
        for name, (todos_source, make) in SOURCES.items():
            function = Function(emulator, args.function, {"TODOS_SOURCE": todos_source})
            try:
                steps = [
                    ("list", make("GET", "/todos"), 200,
                     lambda body: [t["title"] for t in json.loads(body)] == ["buy milk", "walk the dog"]),
                    ("get", make("GET", "/todos/2"), 200,
                     lambda body: json.loads(body)["title"] == "walk the dog"),
                    ("create", make("POST", "/todos", json.dumps({"title": "emulated"})), 201,
                     lambda body: json.loads(body) == {"id": 3, "title": "emulated", "completed": False}),
                    ("update", make("PUT", "/todos/3", json.dumps({"title": "done", "completed": True})), 200,
                     lambda body: json.loads(body)["completed"] is True),
                    ("delete", make("DELETE", "/todos/3"), 204, lambda body: not body),
                    ("gone", make("GET", "/todos/3"), 404,
                     lambda body: json.loads(body)["message"] == "todo 3 not found"),
                    ("bad id", make("GET", "/todos/x"), 400,
                     lambda body: json.loads(body)["statusCode"] == 400),
                    ("not found", make("GET", "/nope"), 404,
                     lambda body: json.loads(body)["message"] == "no route for GET /nope"),
                ]
                for step, event, status, body_ok in steps:
                    label = f"{name} {step}"
                    http_status, response = emulator.invoke(json.dumps(event).encode())
                    expect(label, http_status == 200, f"emulator answered HTTP {http_status}: {response}")
                    if not isinstance(response, dict):
                        failures.append(f"{label}: not a proxy response: {response!r}")
                        continue
                    expect(label, response.get("statusCode") == status,
                           f"statusCode {response.get('statusCode')} != {status}: {response}")
                    body = response.get("body") or ""
                    try:
                        ok = body_ok(body)
                    except Exception as error:  # a body that is not the JSON expected
                        ok = False
                        body = f"{body!r} ({error})"
                    expect(label, ok, f"unexpected body {body}")
                    headers = response_headers(response)
                    if step in ("list", "get"):
                        expect(label, headers.get("content-type") == ["application/json"],
                               f"content-type {headers.get('content-type')}")
                    style = "multiValueHeaders" in response
                    want_multi = name in ("rest", "alb_multi_value")
                    expect(label, style == want_multi,
                           f"multiValueHeaders present={style}, expected {want_multi}")
                # A malformed event is a Lambda error typed with the stable code.
                http_status, error = emulator.invoke(b'{"not":"an http event"}')
                expect(f"{name} malformed", isinstance(error, dict)
                       and error.get("errorType") == "event.missing_field"
                       and "required field is missing" in error.get("errorMessage", ""),
                       f"HTTP {http_status}: {error}")
            finally:
                stderr = function.stop()
            if any(f.startswith(name + " ") for f in failures):
                sys.stderr.write(f"--- function stderr ({name}) ---\n{stderr[-3000:]}\n")
            print(f"{name}: {len(steps) + 1} invocations")

    for failure in failures:
        print("FAIL", failure)
    print(f"{checked - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check")
    p.add_argument("--cargo-lambda", required=True)
    p.add_argument("--function", required=True)
    args = parser.parse_args()
    return check(args)


if __name__ == "__main__":
    sys.exit(main())
