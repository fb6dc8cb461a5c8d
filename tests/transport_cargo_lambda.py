#!/usr/bin/env python3
"""The delivery example under cargo-lambda's Runtime API emulator, a Runtime API
implementation that is not ours. Buffered mode: ordinary, slow and large answers, a large
event, and a malformed one, each checked. Streamed mode: every streamed answer is taken and the
loop goes on. cargo-lambda 1.9.2 answers the chunked post before reading its body, does not
decode the streaming prelude (its invoke answers 500, so the content is checked under our
emulator instead, tests/runtime_loop.rs) and closes the connection after each streamed post
(the loop, which keeps it otherwise, opens another: tests/runtime_edges.rs). Called by
tests/transport_cargo_lambda.sh (which installs cargo-lambda and builds the example);
reuses tests/emulator.py's emulator and function.

    python3 tests/transport_cargo_lambda.py --cargo-lambda BIN --function PATH/TO/delivery
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from emulator import Emulator, Function, rest_event  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cargo-lambda", required=True)
    parser.add_argument("--function", required=True)
    args = parser.parse_args()
    failures = []

    def expect(label, condition, detail):
        print(("ok   " if condition else "FAIL ") + label)
        if not condition:
            failures.append(f"{label}: {detail}")

    with Emulator(args.cargo_lambda) as emulator:
        function = Function(emulator, args.function)  # buffered: no DELIVERY_MODE
        try:
            status, answer = emulator.invoke(json.dumps(rest_event("GET", "/todos")).encode())
            expect("GET /todos", status == 200 and answer.get("statusCode") == 200,
                   (status, answer))
            status, answer = emulator.invoke(json.dumps(rest_event("GET", "/sleep/50")).encode())
            body = json.loads(answer.get("body") or "null") if status == 200 else None
            expect("GET /sleep/50", body == {"slept": 50}, (status, answer))
            status, answer = emulator.invoke(json.dumps(rest_event("GET", "/big/0.5")).encode())
            expect("GET /big/0.5 (a 0.5 MB answer)",
                   status == 200 and len(answer.get("body") or "") > 400_000,
                   (status, str(answer)[:200]))
            large = rest_event("GET", "/todos")
            large["headers"] = dict(large.get("headers") or {}, **{"x-pad": "p" * 100_000})
            status, answer = emulator.invoke(json.dumps(large).encode())
            expect("a 100 KB event", status == 200 and answer.get("statusCode") == 200,
                   (status, str(answer)[:200]))
            status, answer = emulator.invoke(b'{"hello": "world"}')
            expect("a malformed event is the function's error",
                   isinstance(answer, dict) and "errorType" in answer, (status, answer))
            status, answer = emulator.invoke(json.dumps(rest_event("GET", "/todos")).encode())
            expect("and the loop goes on", status == 200 and answer.get("statusCode") == 200,
                   (status, answer))
        finally:
            stderr = function.stop()
            if failures:
                sys.stderr.write(f"--- function stderr ---\n{stderr[-3000:]}\n")
    with Emulator(args.cargo_lambda) as emulator:
        function = Function(emulator, args.function, {"DELIVERY_MODE": "stream"})
        try:
            event = json.dumps(rest_event("GET", "/todos")).encode()
            answered = [emulator.invoke(event)[0] for _ in range(5)]
            expect("five streamed answers, each taken, and the loop goes on",
                   answered == [500] * 5 and function.proc.poll() is None, answered)
        finally:
            stderr = function.stop()
            if failures:
                sys.stderr.write(f"--- function stderr ---\n{stderr[-3000:]}\n")
    for failure in failures:
        print("FAIL", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
