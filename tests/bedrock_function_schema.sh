#!/usr/bin/env bash
# The function details `ToolsBuilder::function_schema` writes, judged by AWS's own model of
# the Bedrock Agents API (botocore's `bedrock-agent` service model, PyPI, in a venv under
# the target directory): the example's schema (`cargo run --example bedrock_functions --
# schema`) as the `functionSchema` of a `CreateAgentActionGroup` call must pass botocore's
# parameter validation and every `enum`, `pattern`, `min` and `max` the model declares for
# the shapes it reaches. Then the judge is shown to refuse what Bedrock refuses (a
# parameter typed `object`, a doubled `_` in a name, a 501-character description).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=tests/cargo_paths.sh
source tests/cargo_paths.sh
venv="$(cargo_target_dir)/botocore"
if ! "$venv/bin/python3" -c 'import botocore; assert botocore.__version__ == "1.44.18"' 2>/dev/null; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  timeout 300 "$venv/bin/pip" install --quiet --disable-pip-version-check botocore==1.44.18
fi
schema=$(cargo run -q --example bedrock_functions -- schema)
"$venv/bin/python3" - "$schema" <<'PY'
import copy, json, re, sys

import botocore.session
from botocore.validate import ParamValidator

model = botocore.session.get_session().get_service_model("bedrock-agent")
shape = model.operation_model("CreateAgentActionGroup").input_shape


def constraints(value, shape, where, problems):
    """Every enum, pattern, min and max of the model on `value` (botocore's validator
    checks types, required members and minimums only)."""
    meta = shape.metadata
    if shape.type_name == "structure":
        for name, member in shape.members.items():
            if name in value:
                constraints(value[name], member, f"{where}.{name}", problems)
        return
    if shape.type_name == "list":
        for i, item in enumerate(value):
            constraints(item, shape.member, f"{where}[{i}]", problems)
    elif shape.type_name == "map":
        for key, item in value.items():
            constraints(key, shape.key, f"{where} key {key!r}", problems)
            constraints(item, shape.value, f"{where}.{key}", problems)
    if shape.type_name in ("string", "list", "map"):
        size = len(value)
        if "min" in meta and size < meta["min"]:
            problems.append(f"{where}: {size} < min {meta['min']}")
        if "max" in meta and size > meta["max"]:
            problems.append(f"{where}: {size} > max {meta['max']}")
    if shape.type_name == "string":
        if shape.enum and value not in shape.enum:
            problems.append(f"{where}: {value!r} not one of {shape.enum}")
        if "pattern" in meta and not re.fullmatch(meta["pattern"], value):
            problems.append(f"{where}: {value!r} does not match {meta['pattern']}")


def problems_of(function_schema):
    params = {
        "actionGroupName": "Travel",
        "agentId": "AGENT12345",
        "agentVersion": "DRAFT",
        "actionGroupExecutor": {"lambda": "arn:aws:lambda:us-east-1:123456789012:function:travel"},
        "functionSchema": function_schema,
    }
    report = ParamValidator().validate(params, shape)
    problems = [report.generate_report()] if report.has_errors() else []
    constraints(params, shape, "input", problems)
    return problems


schema = json.loads(sys.argv[1])
problems = problems_of(schema)
if problems:
    sys.exit("the example's function schema is not valid for CreateAgentActionGroup:\n" + "\n".join(problems))
functions = schema["functions"]
print(f"function schema: {len(functions)} functions, valid for CreateAgentActionGroup (botocore's model)")

# The judge refuses what Bedrock refuses.
broken = []
for change in (
    lambda s: s["functions"][0]["parameters"]["nights"].update(type="object"),
    lambda s: s["functions"][0]["parameters"].update({"start__date": {"type": "string", "required": True}}),
    lambda s: s["functions"][0]["parameters"]["nights"].update(description="x" * 501),
):
    candidate = copy.deepcopy(schema)
    change(candidate)
    broken.append(bool(problems_of(candidate)))
if not all(broken):
    sys.exit(f"the judge let a schema Bedrock refuses through: {broken}")
print("the judge refuses an object type, a doubled separator and a 501-character description")
PY
