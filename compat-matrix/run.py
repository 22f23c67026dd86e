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
from cm.common import REPO, RESULTS, Ctx, order_rows, run_capture  # noqa: E402
from cm.runner import run_group  # noqa: E402
from cm.scenarios import BY_ID, SCENARIOS, material  # noqa: E402
import peers  # noqa: E402

LEDGER = os.path.join(RESULTS, "ledger.jsonl")
COMPARE_KEYS = ("outcome", "by", "error")


BACKENDS_JSON = os.path.join(RESULTS, "backends.json")


def backend_info(ctx, saved=False):
    """Rows and capabilities from `polytls backends -json` (saved=True: from the copy the last full run
    kept in results/backends.json, so the report does not depend on the build it is made with)."""
    if saved and os.path.exists(BACKENDS_JSON):
        with open(BACKENDS_JSON) as f:
            out = f.read()
    else:
        rc, out = run_capture([ctx.polytls, "backends", "-json"], timeout=30)
    data = json.loads(out)
    info = {}
    for b in data["backends"]:
        caps = {k: v.get("supported", False) for k, v in b["capabilities"].items()}
        info[b["name"]] = {"library": b["library"], "caps": caps, "raw": b}
    info["_json"] = out
    if saved:
        return info, load_meta().get("polytls", "polytls")
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
        a, b = negotiated_key(r), negotiated_key(old)
        if getattr(peers.BY_NAME.get(r["peer"]), "extra_conns", False):
            a, b = a[:1], b[:1]  # a browser opens more connections (favicon) when it likes
        if r["outcome"] == "PASS" and a != b:
            diffs.append("%s: negotiated committed %s, fresh %s" % (cid, b, a))
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
    ap.add_argument("--build-dir", default=os.environ.get("POLYTLS_BUILD", default_build()))
    ap.add_argument("--cell", action="append", help="backend/peer/scenario (repeatable)")
    ap.add_argument("--backend", action="append")
    ap.add_argument("--peer", action="append")
    ap.add_argument("--scenario", action="append", help="scenario id or prefix*")
    ap.add_argument("--ci", action="store_true", help="only the CI subset of scenarios")
    ap.add_argument("--check", action="store_true", help="compare with the committed ledger")
    ap.add_argument("--jobs", type=int, default=int(os.environ.get("CM_JOBS", "6")),
                    help="groups (backend x scenario) run at once (default 6: cells mostly wait on I/O)")
    ap.add_argument("--report-only", action="store_true")
    ap.add_argument("--report-dir", help="with --report-only: write README.md and matrix.html here instead")
    ap.add_argument("--logs", default=None, help="log directory (default results/logs for a full run)")
    ap.add_argument("--out", default=None, help="write the fresh ledger of a partial run here")
    a = ap.parse_args()

    if a.report_only:
        # the committed ledger with expectations.txt applied again (an edited reason or a new line
        # shows without a rerun; whether each listed cell still fails is judged by the next run)
        recs = sorted(load_ledger().values(), key=lambda r: r["cell"])
        apply_expectations(recs, expect.load())
        if not a.report_dir:
            with open(LEDGER, "w") as f:
                for r in recs:
                    f.write(json.dumps(r, sort_keys=True) + "\n")
        ctx = Ctx(a.build_dir, os.path.join(RESULTS, "logs"), tempfile.mkdtemp(prefix="cm-"))
        binfo, pver = backend_info(ctx, saved=True)
        binfo.pop("_json", None)
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
    bjson = binfo.pop("_json")
    backends = order_rows(binfo)  # the rows: every backend and flavour this build has

    # the cells to run
    universe = ["%s/%s/%s" % (b, p.name, s.id) for b in backends for p in peers.ALL for s in SCENARIOS]
    if a.cell:
        cells = []
        for c in a.cell:
            if c not in universe:
                b = c.split("/")[0]
                why = ("backend %s is not in this build (%s; polytls backends lists: %s)"
                       % (b, ctx.build, ", ".join(backends))) if b not in backends else \
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
    load0 = os.getloadavg()
    o35 = peers.BY_NAME["openssl-3.5"]
    o40 = peers.BY_NAME["openssl-4.0"]
    for p in (o35, o40):
        if p.name not in used_peers:
            p.setup(ctx)
    for n in used_peers:
        p = peers.BY_NAME[n]
        try:
            p.setup(ctx)
        except Exception as e:  # a peer that cannot be set up is missing: its cells FAIL
            p.missing = "setup failed: %s" % e
        pvers[n] = p.version(ctx) if not p.missing else "missing: " + p.missing
    notes = material(ctx, None if o35.missing else o35.exe, None if o40.missing else o40.exe)
    for n in notes:
        print("compat-matrix: note: " + n, file=sys.stderr)
    print("compat-matrix: %d cells, %d jobs (peer setup %.1fs)" % (len(cells), a.jobs, time.time() - t_setup),
          file=sys.stderr)
    t0 = time.time()
    stamp = datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ")

    # one task per backend x scenario: its peers run in turn (against one server where the scenario allows)
    groups = {}
    for c in cells:
        b, pn, sid = c.split("/")
        groups.setdefault((b, sid), []).append(pn)

    def one(key):
        b, sid = key
        plist = [peers.BY_NAME[n] for n in groups[key]]
        out = []
        todo = []
        for p in plist:
            if p.missing:
                out.append({"cell": "%s/%s/%s" % (b, p.name, sid), "backend": b, "peer": p.name, "scenario": sid,
                            "outcome": "FAIL", "reason": "peer missing: " + p.missing, "error": "peer_missing",
                            "server_version": binfo[b]["library"], "peer_version": pvers[p.name],
                            "server_argv": [], "repro": "compat-matrix/run.py --cell %s/%s/%s" % (b, p.name, sid)})
            else:
                todo.append(p)
        try:
            out += run_group(ctx, b, binfo[b], BY_ID[sid], todo, pvers) if todo else []
        except Exception as e:  # a harness error is a FAIL of the cells, never a silent gap
            import traceback
            done = {r["peer"] for r in out}
            for p in todo:
                if p.name in done:
                    continue
                cid = "%s/%s/%s" % (b, p.name, sid)
                out.append({"cell": cid, "backend": b, "peer": p.name, "scenario": sid, "outcome": "FAIL",
                            "reason": "harness error: %s" % e, "error": "harness_error",
                            "trace": traceback.format_exc(), "server_version": binfo[b]["library"],
                            "peer_version": pvers[p.name], "server_argv": [],
                            "repro": "compat-matrix/run.py --cell " + cid})
        for r in out:
            r["attempt"] = 1
            r["run"] = stamp
            r["polytls"] = pver
        return out

    # long groups first (sessions with commands, resumption, early data), so the workers finish together
    def weight(key):
        sc = BY_ID[key[1]]
        return -(len(groups[key]) * (3 if sc.mode != "www" else 2 if sc.spec.get("resume") else 1))
    order = sorted(groups, key=weight)
    recs = []
    n_done = 0
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as ex:
            futs = {ex.submit(one, k): k for k in order}
            for f in concurrent.futures.as_completed(futs):
                for r in f.result():
                    recs.append(r)
                    n_done += 1
                    if a.cell or os.environ.get("CM_VERBOSE"):
                        print("[%d/%d] %s %s%s %s" % (n_done, len(cells), r["cell"], r["outcome"],
                                                      "(%s)" % r["by"] if r.get("by") else "", r.get("reason", "")),
                              file=sys.stderr)
                    elif n_done % 500 == 0:
                        print("  %d/%d cells, %.0fs" % (n_done, len(cells), time.time() - t0), file=sys.stderr)
    finally:
        for n in used_peers:
            peers.BY_NAME[n].teardown(ctx)
    wall = time.time() - t_setup  # the whole run: peer setup (Java, Go builds, Chromium) included
    recs = [r for r in recs if r["cell"] in set(cells)]
    recs.sort(key=lambda r: r["cell"])
    exps = expect.load()
    apply_expectations(recs, exps)
    counts = {}
    for r in recs:
        counts[r["outcome"]] = counts.get(r["outcome"], 0) + 1
    print("compat-matrix: %d cells in %.0fs: %s" % (len(recs), wall, ", ".join(
        "%s %d" % kv for kv in sorted(counts.items()))), file=sys.stderr)

    if a.cell:
        for r in recs:
            print(json.dumps(r, indent=1))
    # expectations: entries are judged against the cells that ran; stale = names no cell at all
    problems = expect.check(recs, exps, set(universe), full_run=full)
    if full and not a.check:
        with open(LEDGER, "w") as f:
            for r in recs:
                f.write(json.dumps(r, sort_keys=True) + "\n")
        meta = {"run": stamp, "wall_seconds": round(wall, 1), "jobs": a.jobs, "cells": len(recs),
                "polytls": pver, "peers": pvers, "build_dir": os.path.relpath(ctx.build, REPO),
                "backends": {b: binfo[b]["library"] for b in backends},
                "machine": "%d CPUs, load average %.1f at the start, %.1f at the end (shared machine)"
                           % (os.cpu_count(), load0[0], os.getloadavg()[0])}
        with open(os.path.join(RESULTS, "run.json"), "w") as f:
            json.dump(meta, f, indent=1, sort_keys=True)
            f.write("\n")
        with open(BACKENDS_JSON, "w") as f:
            f.write(bjson if bjson.endswith("\n") else bjson + "\n")
        report.write_all(recs, binfo, pver, meta)
    elif a.out:
        with open(a.out, "w") as f:
            for r in recs:
                f.write(json.dumps(r, sort_keys=True) + "\n")
    if a.check:
        flaky = {r["cell"] for r in recs if r.get("expectation", "").startswith("FLAKY:")}
        diffs = compare({r["cell"]: r for r in recs}, load_ledger(), flaky)
        for d in diffs:
            print("STALE " + d)
        problems += ["results differ from the committed ledger in %d cell(s)" % len(diffs)] if diffs else []
        # only the rows this build has are compared; say which committed rows were not
        absent = sorted(set(r["backend"] for r in load_ledger().values()) - set(backends))
        if absent:
            print("compat-matrix: note: rows %s of the committed ledger are not in this build (%s); not compared"
                  % (", ".join(absent), ctx.build))
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


def apply_expectations(recs, exps):
    """Marks each record with the expectations.txt line that covers it (if any)."""
    for r in recs:
        e = expect.match(exps, r["cell"])
        if e is not None and e["pattern"] and r["outcome"] == "UNSUPPORTED":
            e = None
        r["expected_failure"] = e is not None
        r.pop("expectation", None)
        if e is not None:
            r["expectation"] = e["reason"]


def default_build():
    """build-all (the `all` preset: every flavour) when it has a polytls, else build."""
    for d in ("build-all", "build"):
        if os.access(os.path.join(REPO, d, "bin", "polytls"), os.X_OK):
            return os.path.join(REPO, d)
    return os.path.join(REPO, "build-all")


def load_meta():
    p = os.path.join(RESULTS, "run.json")
    if os.path.exists(p):
        with open(p) as f:
            return json.load(f)
    return {}


if __name__ == "__main__":
    sys.exit(main())
