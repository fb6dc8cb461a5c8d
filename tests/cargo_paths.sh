# Sourced: where cargo puts things, as cargo itself reports it (so CARGO_TARGET_DIR,
# `build.target-dir` and the profile are all honoured).

# cargo_target_dir: prints the workspace's target directory.
cargo_target_dir() {
  cargo metadata --format-version 1 --no-deps \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])'
}

# built_executable NAME CARGO_ARGS...: runs `cargo CARGO_ARGS... --message-format=json-render-diagnostics`
# (a build, or `bench --no-run`) and prints the path of the executable it made for target NAME.
built_executable() {
  local name="$1"
  shift
  cargo "$@" --message-format=json-render-diagnostics | python3 -c '
import json, sys
name = sys.argv[1]
found = [m["executable"] for m in map(json.loads, sys.stdin)
         if m.get("reason") == "compiler-artifact" and m["target"]["name"] == name and m.get("executable")]
if not found:
    sys.exit(f"cargo made no executable named {name}")
print(found[-1])' "$name"
}
