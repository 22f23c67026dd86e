#!/bin/sh
# CI check for compat-matrix (CTest test `compat-matrix`, registered in the `all` preset's build):
# usage compat-matrix/ci_check.sh BUILD_DIR
#  1. runs the CI subset (scenarios marked ci=True) on every row BUILD_DIR has (`polytls backends
#     -json`: system backends and library flavours, however many) x every peer; fails on a new FAIL
#     (a peer whose flavour is not cached is a FAIL), an expected FAIL that passes, or a stale
#     expectations entry
#  2. compares the subset cell by cell with the committed ledger, for the rows this build has
#  3. loads results/matrix.html in headless Chromium and counts the rendered cells
# Last line: "N passed, M failed".
set -u
BUILD_DIR=${1:?usage: ci_check.sh BUILD_DIR}
HERE=$(cd "$(dirname "$0")" && pwd)
passed=0
failed=0
step() { # name, command...
    name=$1; shift
    echo "=== $name"
    if "$@"; then passed=$((passed + 1)); echo "=== $name: ok"; else failed=$((failed + 1)); echo "=== $name: FAILED"; fi
}
step "subset + expectations + staleness" timeout 420 /usr/bin/python3 "$HERE/run.py" --build-dir "$BUILD_DIR" --ci --check
export CM_BUILD_DIR="$BUILD_DIR"
step "ledger is well-formed and README/HTML are generated from it" /usr/bin/python3 - "$HERE" <<'PY'
import json, os, sys, subprocess, tempfile, shutil
here = sys.argv[1]
recs = [json.loads(l) for l in open(os.path.join(here, "results", "ledger.jsonl")) if l.strip()]
need = {"cell", "backend", "peer", "scenario", "outcome", "repro", "server_argv", "server_version", "peer_version"}
bad = [r.get("cell") for r in recs if not need <= set(r)]
bad += [r["cell"] for r in recs if r["outcome"] == "UNSUPPORTED" and not r.get("reason")]
print("%d records, %d malformed" % (len(recs), len(bad)))
# README and HTML must be exactly what the generator makes from the ledger
readme = open(os.path.join(here, "README.md")).read()
page = open(os.path.join(here, "results", "matrix.html")).read()
tmp = tempfile.mkdtemp(prefix="cm-report-")
r = subprocess.run([sys.executable, os.path.join(here, "run.py"), "--report-only", "--report-dir", tmp,
                    "--build-dir", os.environ["CM_BUILD_DIR"]], capture_output=True, text=True)
same = open(os.path.join(tmp, "README.md")).read() == readme and open(os.path.join(tmp, "matrix.html")).read() == page
shutil.rmtree(tmp, ignore_errors=True)
if not same:
    print("README.md / matrix.html differ from what run.py --report-only generates from the ledger")
if r.returncode != 0:
    print(r.stdout, r.stderr)
sys.exit(0 if not bad and same and r.returncode == 0 else 1)
PY
step "headless Chromium renders every cell" timeout 180 /usr/bin/python3 "$HERE/html_check.py"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
