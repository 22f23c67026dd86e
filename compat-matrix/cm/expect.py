"""expectations.txt: known failures, `backend peer scenario  # reason`, one per line.

A field may be a shell-style pattern (`*`, `openssl@*`, `cert-mldsa*`): the line then covers every
cell it matches that ran, and each of those must FAIL (UNSUPPORTED cells, on either side, are not
judged by a pattern); on a full run a pattern line no failing cell matches is stale. An exact line wins over a pattern line; among
patterns, the first in the file.

A reason starting with `FLAKY:` marks a cell that fails in some runs and passes in others: it may
pass or fail without being reported, and --check does not compare its outcome. It must still FAIL
at least sometimes: the reason says what goes wrong."""
import fnmatch
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
            out["/".join(parts)] = {"reason": reason.strip(), "line": n, "fields": parts,
                                    "pattern": any(ch in body for ch in "*?[")}
    return out


def match(exps, cid):
    """The expectation covering cell `cid`, or None."""
    e = exps.get(cid)
    if e is not None and not e["pattern"]:
        return e
    parts = cid.split("/")
    for e in sorted(exps.values(), key=lambda e: e["line"]):
        if e["pattern"] and all(fnmatch.fnmatchcase(p, f) for p, f in zip(parts, e["fields"])):
            return e
    return None


def check(records, expectations, universe, full_run=True):  # noqa: C901
    """Problems: unexpected FAIL, expected FAIL that did not fail, entries matching no cell of this
    build (judged only on a full run; a partial run cannot tell)."""
    problems = []
    used = set()
    for r in sorted(records, key=lambda r: r["cell"]):
        exp = match(expectations, r["cell"])
        if exp and exp["pattern"] and r["outcome"] == "UNSUPPORTED":
            continue
        if exp and r["outcome"] == "FAIL":
            used.add(exp["line"])
        if r["outcome"] == "FAIL" and not exp:
            problems.append("NEW FAILURE %s: %s (reproduce: %s)" % (r["cell"], r.get("reason"), r["repro"]))
        if exp and r["outcome"] != "FAIL" and not (exp["reason"].startswith("FLAKY:") and r["outcome"] == "PASS"):
            problems.append("EXPECTED FAILURE NOW %s %s (expectations.txt line %d: %s)"
                            % (r["outcome"], r["cell"], exp["line"], exp["reason"]))
    rows = {c.split("/")[0] for c in universe}
    for cid, exp in sorted(expectations.items(), key=lambda kv: kv[1]["line"]):
        if not any(fnmatch.fnmatchcase(b, exp["fields"][0]) for b in rows):
            continue  # a row this build does not have: not judged here
        if exp["pattern"]:
            hit = any(all(fnmatch.fnmatchcase(p, f) for p, f in zip(c.split("/"), exp["fields"])) for c in universe)
        else:
            hit = cid in universe
        if not hit:
            problems.append("STALE ENTRY expectations.txt line %d matches no cell: %s" % (exp["line"], cid))
        elif exp["pattern"] and full_run and exp["line"] not in used:
            problems.append("STALE ENTRY expectations.txt line %d: no cell it matches fails: %s" % (exp["line"], cid))
    return problems
