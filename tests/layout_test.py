#!/usr/bin/env python3
"""The core's layout rules (docs/architecture.md), checked on the source:

- core/ holds folders only (plus CMakeLists.txt, build_config.h.in and
  README.md), each with a README.md;
- a core folder includes headers only of the folders below it (LAYERS);
- backends include nothing of the core: only polytls/*.h and their own;
- a function shared between files is declared once, in a header: no .c
  file declares a non-static function it does not define right there (the
  module entry point and libFuzzer's hooks, declared by their ABI, aside).

    layout_test.py SOURCE_DIR
"""
import os
import re
import sys

# Each folder and the folders it may include from (besides itself).
LAYERS = {
    "base": set(),
    "wire": {"base"},
    "options": {"base", "wire"},
    "module": {"base", "wire", "options"},
    "output": {"base", "wire", "options"},
    "loop": {"base", "wire", "options", "module", "output"},
    "modes": {"base", "wire", "options", "module", "output", "loop"},
}
CORE_LOOSE = {"CMakeLists.txt", "build_config.h.in", "README.md"}
ABI_DECLARED = {"polytls_backend_v1", "LLVMFuzzerTestOneInput", "LLVMFuzzerInitialize"}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
# A declaration at file scope: type words, a name, a parameter list, ';'.
PROTO = re.compile(
    r"^(?!static\b|typedef\b|extern\b|return\b|#)([A-Za-z_][\w \t\*]*?(?:\([^()]*\)\)\s*)?[\w \t\*]*?)"
    r"\b([A-Za-z_]\w*)\s*\(([^;{}()]*(?:\([^;{}()]*\)[^;{}()]*)*)\)\s*(?:__attribute__\s*\(\(.*?\)\)\s*)?;",
    re.M | re.S,
)


def c_files(*dirs):
    for d in dirs:
        for root, _, files in os.walk(d):
            for f in sorted(files):
                if f.endswith((".c", ".h")):
                    yield os.path.join(root, f)


def main():
    src = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".")
    core = os.path.join(src, "core")
    errors = []

    for entry in sorted(os.listdir(core)):
        path = os.path.join(core, entry)
        if os.path.isdir(path):
            if entry not in LAYERS:
                errors.append(f"core/{entry}/: a folder not in the layer table of tests/layout_test.py")
            elif not os.path.isfile(os.path.join(path, "README.md")):
                errors.append(f"core/{entry}/: no README.md saying what lives there and who may call it")
        elif entry not in CORE_LOOSE:
            errors.append(f"core/{entry}: a loose file; it belongs in one of the folders")

    for path in c_files(core):
        rel = os.path.relpath(path, src)
        folder = rel.split(os.sep)[1]
        if folder not in LAYERS:
            continue
        for inc in INCLUDE.findall(open(path).read()):
            if "/" not in inc or inc.startswith("polytls/"):
                continue
            dep = inc.split("/")[0]
            if dep != folder and dep not in LAYERS[folder]:
                errors.append(f"{rel}: includes {inc}: {folder}/ may use only {sorted(LAYERS[folder]) or 'nothing'}")

    for path in c_files(os.path.join(src, "backends")):
        rel = os.path.relpath(path, src)
        here = os.path.dirname(path)
        for inc in INCLUDE.findall(open(path).read()):
            if inc.startswith("polytls/") or os.path.exists(os.path.join(here, inc)):
                continue
            errors.append(f"{rel}: includes {inc}: a backend includes only polytls/*.h and its own headers")

    for d in ("core", "cli", "backends", "tests", "bench"):
        for path in c_files(os.path.join(src, d)):
            if not path.endswith(".c"):
                continue
            text = open(path).read()
            # Drop comments and string literals so they cannot look like code.
            text = re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)
            text = re.sub(r"//[^\n]*", "", text)
            text = re.sub(r'"(?:\\.|[^"\\\n])*"', '""', text)
            for m in PROTO.finditer(text):
                name = m.group(2)
                if name in ABI_DECLARED or m.group(1).strip() in ("", "else"):
                    continue
                line = text.count("\n", 0, m.start()) + 1
                errors.append(
                    f"{os.path.relpath(path, src)}:{line}: declares {name}(): declare it once, in the header "
                    "of the file that defines it (or make it static)"
                )

    for e in errors:
        print(e, file=sys.stderr)
    if errors:
        return 1
    print(f"layout: {len(LAYERS)} core folders, layering and declarations as documented")
    return 0


if __name__ == "__main__":
    sys.exit(main())
