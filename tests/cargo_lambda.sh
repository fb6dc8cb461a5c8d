# Sourced: installs cargo-lambda 1.9.2 from PyPI into <target dir>/cargo-lambda (a venv; no
# ziglang, which only cross-compiles) unless present, and sets CARGO_LAMBDA to its binary.
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
"$CARGO_LAMBDA" lambda --version
