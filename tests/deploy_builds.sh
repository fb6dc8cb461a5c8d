#!/usr/bin/env bash
# What the deploy guide (`guide::deploy`) tells users to ship, built and run: the todos
# example built by `cargo lambda build --release --output-format zip` for arm64 and for
# x86_64, each into its own `--lambda-dir`. Each zip must hold one executable `bootstrap`,
# an ELF for its architecture, and that bootstrap must answer a REST invocation with the
# seeded todo under our Runtime API emulator (tests/emulator_rapid.py): the x86_64 one
# natively, the arm64 one through qemu-aarch64 (Debian's qemu-user, with the arm64 C
# library of libc6-arm64-cross).
# Installs what it needs: cargo-lambda and ziglang (PyPI), both Rust targets (rustup),
# qemu-user (apt). Usage: bash tests/deploy_builds.sh [arm64|x86_64 ...] (default: both)
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LAMBDA_WITH_ZIG=1
# shellcheck source=tests/cargo_lambda.sh
source tests/cargo_lambda.sh
export PATH="$CARGO_LAMBDA_VENV/bin:$PATH"

arches=("$@")
if [[ ${#arches[@]} -eq 0 ]]; then arches=(arm64 x86_64); fi

rustup target add aarch64-unknown-linux-gnu x86_64-unknown-linux-gnu
if ! command -v qemu-aarch64 >/dev/null || [[ ! -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ]]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq qemu-user libc6-arm64-cross libgcc-s1-arm64-cross
fi

lambda_root="$(cargo_target_dir)/lambda"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# GET /todos/1 through API Gateway REST: the todos example's first seeded todo.
python3 - "$work/event.json" <<'PY'
import json, sys
with open("fixtures/bench/rest_v1_get_todo.json") as f:
    event = json.load(f)
event["path"] = "/todos/1"
event["pathParameters"] = {"proxy": "todos/1"}
event["requestContext"]["path"] = "/Prod/todos/1"
with open(sys.argv[1], "w") as f:
    json.dump(event, f)
PY

for arch in "${arches[@]}"; do
  case "$arch" in
    arm64) flag=--arm64 runner=(qemu-aarch64 -L /usr/aarch64-linux-gnu) ;;
    x86_64) flag=--x86-64 runner=() ;;
    *) echo "unknown architecture: $arch" >&2; exit 2 ;;
  esac
  echo "== $arch: cargo lambda build --release $flag --example todos --output-format zip"
  rm -rf "${lambda_root:?}/$arch"
  "$CARGO_LAMBDA" lambda build --release "$flag" --example todos \
    --output-format zip --lambda-dir "$lambda_root/$arch"
  zip="$lambda_root/$arch/todos/bootstrap.zip"
  ls -l "$zip"

  # The zip as Lambda reads it: one member, `bootstrap`, executable, for this architecture.
  python3 - "$zip" "$arch" "$work/$arch" <<'PY'
import os, stat, sys, zipfile
path, arch, out = sys.argv[1:]
machine = {"arm64": 183, "x86_64": 62}[arch]  # ELF e_machine: EM_AARCH64, EM_X86_64
with zipfile.ZipFile(path) as z:
    names = z.namelist()
    if names != ["bootstrap"]:
        sys.exit(f"{path}: members {names}, expected ['bootstrap']")
    info = z.getinfo("bootstrap")
    mode = info.external_attr >> 16
    if not mode & stat.S_IXUSR:
        sys.exit(f"{path}: bootstrap is not executable (mode {oct(mode)})")
    data = z.read("bootstrap")
if data[:4] != b"\x7fELF" or int.from_bytes(data[18:20], "little") != machine:
    sys.exit(f"{path}: bootstrap is not an ELF for {arch}")
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "bootstrap"), "wb") as f:
    f.write(data)
os.chmod(os.path.join(out, "bootstrap"), 0o755)
print(f"{path}: bootstrap, {len(data)} bytes, ELF for {arch}, mode {oct(stat.S_IMODE(mode))}")
PY

  echo "== $arch: the zip's bootstrap under the Runtime API emulator ${runner[*]:+(${runner[*]})}"
  echo "(after the last event the emulator closes /next: the function's runtime error then is expected)"
  timeout 180 python3 tests/emulator_rapid.py --timeout 120 --event "$work/event.json" \
    --env TODOS_SOURCE=rest -- "${runner[@]}" "$work/$arch/bootstrap" >"$work/$arch/report.json"
  python3 - "$work/$arch/report.json" "$arch" <<'PY'
import json, sys
path, arch = sys.argv[1:]
with open(path) as f:
    report = json.load(f)
invocations = report["invocations"]
if not report["all_answered"] or len(invocations) != 1 or invocations[0]["kind"] != "response":
    sys.exit(f"{arch}: no answer: {json.dumps(report)[:2000]}")
answer = json.loads(invocations[0]["body"])
body = json.loads(answer["body"])
if answer["statusCode"] != 200 or body.get("id") != 1 or body.get("title") != "buy milk":
    sys.exit(f"{arch}: unexpected answer: {answer}")
print(f"{arch}: GET /todos/1 -> {answer['statusCode']} {answer['body']}")
PY
done
