"""expectations.txt: known failures, `backend peer scenario  # reason`, one per line.

A reason starting with `FLAKY:` marks a cell that fails in some runs and passes in others: it may
pass or fail without being reported, and --check does not compare its outcome. It must still FAIL
at least sometimes: the reason says what goes wrong."""
import os

from .common import HERE

PATH = os.path.join(HERE, "expectations.txt")


def load(path=PATH):
    out = {}
    with open(path) as f:
        for n, line in enumerate(f, 1):
            body, _, reason = line.partition("#")
            parts = body.split()
            if not parts:
                continue
            if len(parts) != 3 or not reason.strip():
                raise SystemExit("%s:%d: want `backend peer scenario  # reason`" % (path, n))
            out["/".join(parts)] = {"reason": reason.strip(), "line": n}
    return out


def check(records, expectations, universe):
    """Problems: unexpected FAIL, expected FAIL that did not fail, entries matching no cell."""
    problems = []
    ran = {r["cell"]: r for r in records}
    for cid, r in sorted(ran.items()):
        exp = expectations.get(cid)
        if r["outcome"] == "FAIL" and not exp:
            problems.append("NEW FAILURE %s: %s (reproduce: %s)" % (cid, r.get("reason"), r["repro"]))
        if exp and r["outcome"] != "FAIL" and not (exp["reason"].startswith("FLAKY:") and r["outcome"] == "PASS"):
            problems.append("EXPECTED FAILURE NOW %s %s (expectations.txt line %d: %s)"
                            % (r["outcome"], cid, exp["line"], exp["reason"]))
    for cid, exp in sorted(expectations.items()):
        if cid not in universe:
            problems.append("STALE ENTRY expectations.txt line %d matches no cell: %s" % (exp["line"], cid))
    return problems
