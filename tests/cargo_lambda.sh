# Sourced: installs cargo-lambda 1.9.2 from PyPI into <target dir>/cargo-lambda (a venv)
# unless present, and sets CARGO_LAMBDA to its binary and CARGO_LAMBDA_VENV to the venv.
# The emulator alone needs no zig; with CARGO_LAMBDA_WITH_ZIG=1 set before sourcing, the
# venv also gets ziglang (PyPI), which `cargo lambda build` cross-compiles with: put
# "$CARGO_LAMBDA_VENV/bin" first on PATH so that it finds the venv's `python3 -m ziglang`.
# shellcheck source=tests/cargo_paths.sh
source "$(dirname "${BASH_SOURCE[0]}")/cargo_paths.sh"
CARGO_LAMBDA_VENV="${CARGO_LAMBDA_VENV:-$(cargo_target_dir)/cargo-lambda}"
CARGO_LAMBDA="$CARGO_LAMBDA_VENV/bin/cargo-lambda"
if ! "$CARGO_LAMBDA" lambda --version 2>/dev/null | grep -q '1\.9\.2'; then
  rm -rf "$CARGO_LAMBDA_VENV"
  python3 -m venv "$CARGO_LAMBDA_VENV"
  timeout 300 "$CARGO_LAMBDA_VENV/bin/pip" install --quiet --disable-pip-version-check \
    --no-deps cargo-lambda==1.9.2
fi
if [[ "${CARGO_LAMBDA_WITH_ZIG:-}" == 1 ]] && ! "$CARGO_LAMBDA_VENV/bin/python3" -m ziglang version >/dev/null 2>&1; then
  timeout 300 "$CARGO_LAMBDA_VENV/bin/pip" install --quiet --disable-pip-version-check \
    --no-deps ziglang==0.17.1
fi
"$CARGO_LAMBDA" lambda --version
