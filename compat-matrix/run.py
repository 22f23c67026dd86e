#!/usr/bin/python3
"""compat-matrix: every polytls backend against every independent client stack on this OS.

  compat-matrix/run.py                 full matrix -> results/ledger.jsonl, README.md, matrix.html
  compat-matrix/run.py --cell B/P/S    one cell (prints its record; results untouched)
  compat-matrix/run.py --ci            the CI subset (scenarios marked ci), results untouched
  compat-matrix/run.py --check         rerun (with --ci: the subset) and compare cell by cell with
                                       the committed ledger; non-zero on any difference
  compat-matrix/run.py --report-only   regenerate README.md / matrix.html from the ledger

Exit status is non-zero on a new FAIL, on an expected FAIL that passed, on a stale
expectations entry, and (with --check) on any cell that differs from the committed ledger.
"""
import argparse
import concurrent.futures
import datetime
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from cm import expect, report  # noqa: E402
from cm.common import BACKENDS, HERE, REPO, RESULTS, Ctx, run_capture  # noqa: E402
from cm.runner import run_cell  # noqa: E402
from cm.scenarios import BY_ID, SCENARIOS  # noqa: E402
import peers  # noqa: E402

LEDGER = os.path.join(RESULTS, "ledger.jsonl")
COMPARE_KEYS = ("outcome", "by", "error")


def backend_info(ctx):
    rc, out = run_capture([ctx.polytls, "backends", "-json"], timeout=30)
    data = json.loads(out)
    info = {}
    for b in data["backends"]:
        caps = {k: v.get("supported", False) for k, v in b["capabilities"].items()}
        info[b["name"]] = {"library": b["library"], "caps": caps, "raw": b}
    rc, ver = run_capture([ctx.polytls, "version"], timeout=10)
    return info, ver.strip().splitlines()[0] if ver.strip() else "polytls"


def negotiated_key(r):
    n = r.get("negotiated") or []
    return [(h.get("version"), h.get("cipher"), h.get("group"), h.get("alpn"), h.get("resumed")) for h in n]


def compare(fresh, committed, flaky=()):
    diffs = []
    for cid, r in sorted(fresh.items()):
        if cid in flaky:
            continue
        old = committed.get(cid)
        if old is None:
            diffs.append("%s: not in the committed ledger (fresh: %s)" % (cid, r["outcome"]))
            continue
        for k in COMPARE_KEYS:
            if r.get(k) != old.get(k):
                diffs.append("%s: %s committed %r, fresh %r" % (cid, k, old.get(k), r.get(k)))
        if r["outcome"] == "PASS" and negotiated_key(r) != negotiated_key(old):
            diffs.append("%s: negotiated committed %s, fresh %s" % (cid, negotiated_key(old), negotiated_key(r)))
    return diffs


def load_ledger(path=LEDGER):
    recs = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if line.strip():
                    r = json.loads(line)
                    recs[r["cell"]] = r
    return recs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build-dir", default=os.environ.get("POLYTLS_BUILD", os.path.join(REPO, "build")))
    ap.add_argument("--cell", action="append", help="backend/peer/scenario (repeatable)")
    ap.add_argument("--backend", action="append")
    ap.add_argument("--peer", action="append")
    ap.add_argument("--scenario", action="append", help="scenario id or prefix*")
    ap.add_argument("--ci", action="store_true", help="only the CI subset of scenarios")
    ap.add_argument("--check", action="store_true", help="compare with the committed ledger")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--report-only", action="store_true")
    ap.add_argument("--report-dir", help="with --report-only: write README.md and matrix.html here instead")
    ap.add_argument("--logs", default=None, help="log directory (default results/logs for a full run)")
    ap.add_argument("--out", default=None, help="write the fresh ledger of a partial run here")
    a = ap.parse_args()

    if a.report_only:
        recs = list(load_ledger().values())
        ctx = Ctx(a.build_dir, os.path.join(RESULTS, "logs"), tempfile.mkdtemp(prefix="cm-"))
        binfo, pver = backend_info(ctx)
        report.write_all(recs, binfo, pver, load_meta(), a.report_dir)
        return 0

    full = not (a.cell or a.backend or a.peer or a.scenario or a.ci)
    tmp = tempfile.mkdtemp(prefix="compat-matrix-")
    logs = a.logs or (os.path.join(RESULTS, "logs") if full and not a.check else os.path.join(tmp, "logs"))
    ctx = Ctx(a.build_dir, logs, os.path.join(tmp, "state"))
    if not os.access(ctx.polytls, os.X_OK):
        print("no polytls at %s (build first, or --build-dir)" % ctx.polytls, file=sys.stderr)
        return 2
    binfo, pver = backend_info(ctx)
    backends = [b for b in BACKENDS if b in binfo]

    # the cells to run
    universe = ["%s/%s/%s" % (b, p.name, s.id) for b in backends for p in peers.ALL for s in SCENARIOS]
    if a.cell:
        cells = []
        for c in a.cell:
            if c not in universe:
                b = c.split("/")[0]
                why = ("backend %s is not loadable from %s (polytls backends lists: %s)"
                       % (b, ctx.build, ", ".join(backends))) if b in BACKENDS and b not in backends else \
                    "want BACKEND/PEER/SCENARIO with a peer from peers/ and a scenario from cm/scenarios.py"
                print("unknown cell %s: %s" % (c, why), file=sys.stderr)
                return 2
            cells.append(c)
    else:
        def want_s(s):
            if a.ci and not s.ci:
                return False
            if not a.scenario:
                return True
            return any(s.id == x or (x.endswith("*") and s.id.startswith(x[:-1])) for x in a.scenario)
        cells = ["%s/%s/%s" % (b, p.name, s.id) for b in backends if not a.backend or b in a.backend
                 for p in peers.ALL if not a.peer or p.name in a.peer for s in SCENARIOS if want_s(s)]
    used_peers = sorted(set(c.split("/")[1] for c in cells), key=lambda n: [p.name for p in peers.ALL].index(n))
    pvers = {}
    t_setup = time.time()
    for n in used_peers:
        p = peers.BY_NAME[n]
        p.setup(ctx)
        pvers[n] = p.version(ctx)
    print("compat-matrix: %d cells, %d jobs (peer setup %.1fs)" % (len(cells), a.jobs, time.time() - t_setup),
          file=sys.stderr)
    t0 = time.time()
    stamp = datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ")

    def one(cid):
        b, pn, sid = cid.split("/")
        try:
            r = run_cell(ctx, b, binfo[b]["caps"], peers.BY_NAME[pn], BY_ID[sid], pvers[pn], binfo[b]["library"])
        except Exception as e:  # a harness error is a FAIL of the cell, never a silent gap
            import traceback
            r = {"cell": cid, "backend": b, "peer": pn, "scenario": sid, "outcome": "FAIL",
                 "reason": "harness error: %s" % e, "error": "harness_error", "trace": traceback.format_exc(),
                 "server_version": binfo[b]["library"], "peer_version": pvers[pn], "server_argv": [],
                 "repro": "compat-matrix/run.py --cell " + cid}
        r["attempt"] = 1
        r["run"] = stamp
        r["polytls"] = pver
        return r

    # slow peers first so the two workers finish together
    order = sorted(cells, key=lambda c: (c.split("/")[1] not in ("java", "botan", "gnutls"), c))
    recs = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as ex:
        futs = {ex.submit(one, c): c for c in order}
        for i, f in enumerate(concurrent.futures.as_completed(futs), 1):
            r = f.result()
            recs.append(r)
            if a.cell or os.environ.get("CM_VERBOSE"):
                print("[%d/%d] %s %s%s %s" % (i, len(cells), r["cell"], r["outcome"],
                                              "(%s)" % r["by"] if r.get("by") else "", r.get("reason", "")),
                      file=sys.stderr)
            elif i % 100 == 0:
                print("  %d/%d cells, %.0fs" % (i, len(cells), time.time() - t0), file=sys.stderr)
    wall = time.time() - t0
    recs.sort(key=lambda r: r["cell"])
    exps = expect.load()
    for r in recs:
        r["expected_failure"] = r["cell"] in exps
        if r["cell"] in exps:
            r["expectation"] = exps[r["cell"]]["reason"]
    counts = {}
    for r in recs:
        counts[r["outcome"]] = counts.get(r["outcome"], 0) + 1
    print("compat-matrix: %d cells in %.0fs: %s" % (len(recs), wall, ", ".join(
        "%s %d" % kv for kv in sorted(counts.items()))), file=sys.stderr)

    if a.cell:
        for r in recs:
            print(json.dumps(r, indent=1))
    # expectations: entries are judged against the cells that ran; stale = names no cell at all
    sub = {k: v for k, v in exps.items() if k in set(cells) or k not in set(universe)}
    problems = expect.check(recs, sub, set(universe))
    if full and not a.check:
        with open(LEDGER, "w") as f:
            for r in recs:
                f.write(json.dumps(r, sort_keys=True) + "\n")
        meta = {"run": stamp, "wall_seconds": round(wall, 1), "jobs": a.jobs, "cells": len(recs),
                "polytls": pver, "peers": pvers, "build_dir": os.path.relpath(ctx.build, REPO),
                "backends": {b: binfo[b]["library"] for b in backends}}
        with open(os.path.join(RESULTS, "run.json"), "w") as f:
            json.dump(meta, f, indent=1, sort_keys=True)
            f.write("\n")
        report.write_all(recs, binfo, pver, meta)
    elif a.out:
        with open(a.out, "w") as f:
            for r in recs:
                f.write(json.dumps(r, sort_keys=True) + "\n")
    if a.check:
        flaky = {k for k, v in exps.items() if v["reason"].startswith("FLAKY:")}
        diffs = compare({r["cell"]: r for r in recs}, load_ledger(), flaky)
        for d in diffs:
            print("STALE " + d)
        problems += ["results differ from the committed ledger in %d cell(s)" % len(diffs)] if diffs else []
        missing = sorted(set(r["backend"] for r in load_ledger().values()) - set(backends))
        if missing:
            problems.append("backend(s) %s of the committed ledger cannot be loaded from %s"
                            % (", ".join(missing), ctx.build))
    for p in problems:
        print(p)
    import shutil
    shutil.rmtree(ctx.tmp, ignore_errors=True)  # per-run peer state (NSS db, compiled clients)
    if logs.startswith(tmp):
        if a.cell or problems:
            print("compat-matrix: logs in %s" % logs)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print("compat-matrix: %s" % ("OK" if not problems else "%d problem(s)" % len(problems)))
    return 1 if problems else 0


def load_meta():
    p = os.path.join(RESULTS, "run.json")
    if os.path.exists(p):
        with open(p) as f:
            return json.load(f)
    return {}


if __name__ == "__main__":
    sys.exit(main())
