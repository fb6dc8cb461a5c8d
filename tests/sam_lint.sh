#!/usr/bin/env bash
# The SAM templates (examples/sam/*.yaml) under cfn-lint (PyPI, in a venv under the target
# directory), which expands the Serverless transform and checks every resource; then each
# template must take the architecture as a parameter (arm64 or x86_64) and give it to every
# function, so that a bootstrap built for either one deploys unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=tests/cargo_paths.sh
source tests/cargo_paths.sh
venv="$(cargo_target_dir)/cfn-lint"
if ! "$venv/bin/cfn-lint" --version 2>/dev/null | grep -q '1\.58\.0'; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  timeout 300 "$venv/bin/pip" install --quiet --disable-pip-version-check cfn-lint==1.58.0
fi
"$venv/bin/cfn-lint" --version
templates=(examples/sam/*.yaml)
"$venv/bin/cfn-lint" "${templates[@]}"
"$venv/bin/python3" - "${templates[@]}" <<'PY'
import sys
from cfnlint.decode import decode

failed = False
for path in sys.argv[1:]:
    template, errors = decode(path)
    if errors:
        sys.exit(f"{path}: {errors}")
    parameter = template.get("Parameters", {}).get("Architecture", {})
    if sorted(parameter.get("AllowedValues", [])) != ["arm64", "x86_64"]:
        print(f"{path}: no Architecture parameter allowing arm64 and x86_64")
        failed = True
    functions = [r for r in template["Resources"].values() if r["Type"] == "AWS::Serverless::Function"]
    for function in functions:
        if function["Properties"].get("Architectures") != [{"Ref": "Architecture"}]:
            print(f"{path}: a function's Architectures is not [!Ref Architecture]")
            failed = True
    print(f"{path}: {len(functions)} function(s), architecture from the parameter")
sys.exit(1 if failed else 0)
PY
