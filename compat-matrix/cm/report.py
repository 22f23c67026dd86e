"""Generates compat-matrix/README.md and results/matrix.html from the ledger (never hand-edited)."""
import glob
import html
import os
import re

from .common import HERE, REPO, RESULTS, family, order_rows
from .scenarios import SCENARIOS

import peers

README = os.path.join(HERE, "README.md")
HTML = os.path.join(RESULTS, "matrix.html")
SYM = {"PASS": "✅", "FAIL": "❌", "XFAIL": "⚠️", "UB": "⛔", "UP": "➖", None: " "}
CLASS = {"PASS": "pass", "FAIL": "fail", "XFAIL": "xfail", "UB": "unsup-backend", "UP": "unsup-peer"}


def kind(r):
    if r["outcome"] == "UNSUPPORTED":
        return "UB" if r.get("by") == "backend" else "UP"
    if r["outcome"] == "FAIL" and r.get("expected_failure"):
        return "XFAIL"
    return r["outcome"]


def label(r):
    if r["outcome"] == "UNSUPPORTED":
        return "UNSUPPORTED(%s: %s)" % (r.get("by"), r.get("reason"))
    if r["outcome"] == "FAIL":
        return "FAIL%s: %s%s" % (" (expected)" if r.get("expected_failure") else "", r.get("reason"),
                                 " [error %s]" % r["error"] if r.get("error") else "")
    return "PASS"


def nego(r):
    out = []
    for h in r.get("negotiated") or []:
        bits = [h.get("version"), h.get("cipher"), h.get("group")]
        if h.get("alpn"):
            bits.append("alpn=" + h["alpn"])
        if h.get("resumed"):
            bits.append("resumed")
        out.append(" ".join(b for b in bits if b))
    return " | ".join(out)


def tests_by_capability():
    """capability -> [(test name, file, line)] from PT_REQUIRE_CAP in tests/integration/*.c; also
    option literal -> tests that use it."""
    caps, opts = {}, {}
    for path in sorted(glob.glob(os.path.join(REPO, "tests", "integration", "*.c"))):
        with open(path, errors="replace") as f:
            lines = f.read().splitlines()
        cur = None
        for i, line in enumerate(lines, 1):
            m = re.match(r"\s*Test\((\w+),\s*(\w+)", line)
            if m:
                cur = ("%s::%s" % (m.group(1), m.group(2)), os.path.relpath(path, REPO), i)
                continue
            if cur is None:
                continue
            for c in re.findall(r'PT_REQUIRE_CAP\("([^"]+)"\)', line):
                caps.setdefault(c, [])
                if cur not in caps[c]:
                    caps[c].append(cur)
            if '"' in line:
                for o in re.findall(r'(?:^|[\s"(])(-[A-Za-z][\w-]*)', " ".join(re.findall(r'"([^"]*)"', line))):
                    opts.setdefault(o, [])
                    if cur not in opts[o]:
                        opts[o].append(cur)
    return caps, opts


def feature_rows(binfo, recs):
    caps, opts = tests_by_capability()
    passing = {}
    for r in recs:
        if r["outcome"] == "PASS":
            passing.setdefault(r["backend"], set()).add(r["scenario"])
    sc_opts = {}
    for s in SCENARIOS:
        for a in s.server + (["-www"] if s.mode == "www" else []):
            if a.startswith("-"):
                sc_opts.setdefault(a, []).append(s.id)
    names = None
    rows = []
    for b in order_rows(binfo):
        names = list(binfo[b]["raw"]["options"].keys())
        break
    for o in names or []:
        row = {"option": o, "cells": {}}
        for b in order_rows(binfo):
            if b not in binfo:
                continue
            d = binfo[b]["raw"]["options"].get(o, {})
            if d.get("supported"):
                proofs = list(caps.get(d.get("capability"), [])) if d.get("capability") else []
                for t in opts.get(o, []):
                    if t not in proofs:
                        proofs.append(t)
                mx = [s for s in sc_opts.get(o, []) if s in passing.get(b, set())]
                row["cells"][b] = ("works", proofs, mx[:3], d.get("capability"))
                if d.get("tls1.3"):  # works while the server is limited to TLS 1.2
                    row["cells"][b] += (d["tls1.3"].get("reason", ""),)
            else:
                row["cells"][b] = ("refused", d.get("reason", ""), [], d.get("capability"))
        rows.append(row)
    return rows


FIELDS = ("outcome", "version", "cipher", "group", "alpn", "resumed", "error")


def divergences(recs):
    """(peer, scenario, {backend: record}, [fields that differ]) for every peer+scenario where the
    backends that ran it disagree; rows that differ only in version (and the cipher that follows from
    it) come last."""
    by = {}
    for r in recs:
        by.setdefault((r["peer"], r["scenario"]), {})[r["backend"]] = r
    out = []
    for (p, s), d in sorted(by.items()):
        ran = {b: r for b, r in d.items() if r["outcome"] in ("PASS", "FAIL")}
        if len(ran) < 2:
            continue
        sig = {}
        for b, r in ran.items():
            h = (r.get("negotiated") or [{}])[0] if r.get("negotiated") else {}
            sig[b] = {"outcome": r["outcome"], "version": h.get("version"), "cipher": h.get("cipher"),
                      "group": h.get("group"), "alpn": h.get("alpn"),
                      "resumed": tuple(x.get("resumed") for x in r.get("negotiated") or []), "error": r.get("error")}
        differ = [f for f in FIELDS if len(set(str(v[f]) for v in sig.values())) > 1]
        if differ:
            out.append((p, s, ran, differ))
    version_only = lambda row: set(row[3]) <= {"version", "cipher"} and "version" in row[3]
    return sorted(out, key=lambda row: (version_only(row), row[3] != ["group"], row[0], row[1]))


def family_diffs(recs):
    """(family, peer, scenario, {flavour: record}, [what differs]) wherever two flavours of one family
    (e.g. openssl, openssl@3.5.7, openssl@4.0.2) give the same peer and scenario a different outcome
    (UNSUPPORTED and its side included), negotiated version, suite or group, or canonical error."""
    by = {}
    for r in recs:
        by.setdefault((family(r["backend"]), r["peer"], r["scenario"]), {})[r["backend"]] = r
    out = []
    for (fam, p, s), d in sorted(by.items()):
        if len(d) < 2:
            continue
        sig = {}
        for b, r in d.items():
            h = (r.get("negotiated") or [{}])[0] if r.get("negotiated") else {}
            sig[b] = {"outcome": kind(r), "version": h.get("version"), "cipher": h.get("cipher"),
                      "group": h.get("group"), "error": r.get("error")}
        differ = [f for f in ("outcome", "version", "cipher", "group", "error")
                  if len(set(str(v[f]) for v in sig.values())) > 1]
        if differ:
            out.append((fam, p, s, d, differ))
    return out


def _short(r):
    k = kind(r)
    t = {"PASS": "PASS", "FAIL": "FAIL", "XFAIL": "FAIL (expected)", "UB": "UNSUPPORTED(backend)",
         "UP": "UNSUPPORTED(peer)"}[k]
    if k == "PASS":
        t += " " + nego(r)
    elif k in ("FAIL", "XFAIL", "UB"):
        t += ": " + (r.get("reason") or "")[:140]
    return t


def _counts(rs):
    c = {"PASS": 0, "FAIL": 0, "XFAIL": 0, "UB": 0, "UP": 0}
    for r in rs:
        c[kind(r)] += 1
    return c


def write_all(recs, binfo, pver, meta, out_dir=None):
    readme = os.path.join(out_dir, "README.md") if out_dir else README
    page = os.path.join(out_dir, "matrix.html") if out_dir else HTML
    recs = sorted(recs, key=lambda r: r["cell"])
    backends = order_rows({r["backend"] for r in recs})
    pnames = [p.name for p in peers.ALL if any(r["peer"] == p.name for r in recs)]
    scen = [s for s in SCENARIOS if any(r["scenario"] == s.id for r in recs)]
    cell = {r["cell"]: r for r in recs}
    feats = feature_rows(binfo, recs)
    divs = divergences(recs)
    with open(readme, "w") as f:
        f.write(markdown(recs, backends, pnames, scen, cell, feats, divs, meta, binfo))
    with open(page, "w") as f:
        f.write(html_page(recs, backends, pnames, scen, cell, feats, divs, meta))


def _tlink(t, prefix=""):
    name, path, line = t
    return "[`%s`](%s%s#L%d)" % (name, prefix, path, line)


def markdown(recs, backends, pnames, scen, cell, feats, divs, meta, binfo):
    L = []
    w = L.append
    w("# compat-matrix: polytls backends × independent TLS client stacks\n")
    w("**Generated by `compat-matrix/run.py` from `results/ledger.jsonl` — do not edit.** "
      "The same data as a coloured page: [`results/matrix.html`](results/matrix.html).\n")
    w("## How to run\n")
    w("| command | what |\n|---|---|")
    w("| `compat-matrix/run.py` | the full matrix (every row `polytls backends -json` lists in `build-all`, else `build`; `--jobs 6` backend × scenario groups at once); rewrites `results/ledger.jsonl`, `results/run.json`, this README and `results/matrix.html` (logs in `results/logs/`, not committed) |")
    w("| `compat-matrix/run.py --cell BACKEND/PEER/SCENARIO` | one cell; prints its ledger record (server and peer command lines, logs) |")
    w("| `compat-matrix/run.py --ci --check` | the CI subset, compared cell by cell with the committed ledger |")
    w("| `compat-matrix/run.py --check` | the full matrix, compared cell by cell with the committed ledger |")
    w("| `compat-matrix/ci_check.sh BUILD_DIR` | CI (CTest `compat-matrix` in the `all` preset): subset + staleness check of the rows this build has + expectations + headless-Chromium rendering check |")
    w("| `compat-matrix/run.py --report-only` | regenerate README/HTML from the ledger (and apply `expectations.txt` to it again) |\n")
    w("Exit status is non-zero on a FAIL not listed in [`expectations.txt`](expectations.txt), on a listed FAIL "
      "that no longer fails, on a listed entry that matches no cell, and (with `--check`) on any cell whose "
      "outcome, unsupported side, canonical error or negotiated parameters differ from the committed ledger.\n")
    w("Outcomes: ✅ PASS · ❌ FAIL · ⚠️ FAIL listed in expectations.txt · ⛔ UNSUPPORTED(backend: the reason "
      "of polytls' own capability error, exit 3) · ➖ UNSUPPORTED(peer: why the client stack cannot express "
      "the scenario). A FAIL is never turned into UNSUPPORTED.\n")
    w("Each cell starts `polytls s_server -backend B -accept 127.0.0.1:0 -json FILE ...`, drives one peer "
      "through its adapter in `peers/`, and judges from the server's `handshake_done`/`error` events and "
      "the peer's own report; see `cm/scenarios.py` for each scenario's server options and checks.\n")
    w("## Run\n")
    if meta:
        w("- run: %s, wall time **%.0f s** (peer setup included) with %s jobs, %d cells, build `%s`" % (
            meta.get("run"), meta.get("wall_seconds", 0), meta.get("jobs"), meta.get("cells", len(recs)),
            meta.get("build_dir", "")))
        if meta.get("machine"):
            w("- machine: %s" % meta["machine"])
        w("- %d rows (flavours) × %d peers × %d scenarios" % (len(backends), len(pnames), len(scen)))
        w("- %s" % meta.get("polytls", ""))
        for b, lib in sorted(meta.get("backends", {}).items()):
            w("- backend `%s`: %s" % (b, lib))
        for p in pnames:
            w("- peer `%s`: %s" % (p, meta.get("peers", {}).get(p, "?")))
        w("")
    w("## Totals per flavour\n")
    w("Every row is a backend module this build has (`polytls backends -json`): the system libraries and the "
      "pinned library flavours.\n")
    w("| flavour | library | cells | ✅ PASS | ❌ FAIL | ⚠️ expected FAIL | ⛔ UNSUPPORTED(backend) | ➖ UNSUPPORTED(peer) |")
    w("|---|---|---|---|---|---|---|---|")
    for b in backends:
        c = _counts([r for r in recs if r["backend"] == b])
        lib = next((r.get("server_version") for r in recs if r["backend"] == b), "")
        w("| %s | %s | %d | %d | %d | %d | %d | %d |" % (b, lib, sum(c.values()), c["PASS"], c["FAIL"], c["XFAIL"],
                                                       c["UB"], c["UP"]))
    w("\n## Pair matrix (flavour × peer)\n")
    w("Counts: PASS / FAIL (incl. expected) / UNSUPPORTED(backend) / UNSUPPORTED(peer).\n")
    w("| backend | " + " | ".join(pnames) + " |")
    w("|---|" + "---|" * len(pnames))
    for b in backends:
        row = []
        for p in pnames:
            c = _counts([r for r in recs if r["backend"] == b and r["peer"] == p])
            row.append("%d / %d / %d / %d" % (c["PASS"], c["FAIL"] + c["XFAIL"], c["UB"], c["UP"]))
        w("| **%s** | %s |" % (b, " | ".join(row)))
    w("\n## Cells per scenario\n")
    w("Hover in the HTML page for the negotiated parameters; every non-PASS cell is listed with its reason "
      "under [Non-passing cells](#non-passing-cells).\n")
    for b in backends:
        c = _counts([r for r in recs if r["backend"] == b])
        w("<details><summary><b>%s</b>: %d ✅ · %d ❌ · %d ⚠️ · %d ⛔ · %d ➖</summary>\n" % (
            b, c["PASS"], c["FAIL"], c["XFAIL"], c["UB"], c["UP"]))
        w("| scenario | " + " | ".join(pnames) + " |")
        w("|---|" + "---|" * len(pnames))
        for s in scen:
            row = [SYM[kind(cell[x])] if x in cell else " " for x in ("%s/%s/%s" % (b, p, s.id) for p in pnames)]
            w("| `%s` | %s |" % (s.id, " | ".join(row)))
        w("\n</details>\n")
    w("\n### Scenarios\n")
    w("| id | what | server options |\n|---|---|---|")
    for s in scen:
        w("| `%s` | %s | `%s` |" % (s.id, s.title, " ".join(s.server + (["-www"] if s.mode == "www" else []))
                                    .replace("@PKI@/", "")))
    w("\n## Feature matrix (option × backend)\n")
    w("From `polytls backends -json`. *works* links to the integration tests that prove it (tests that "
      "`PT_REQUIRE_CAP` the option's capability or pass the option) and to passing matrix scenarios that use "
      "it; otherwise the capability error's reason. An option that works with no test found says so.\n")
    w("| option | " + " | ".join(backends) + " |")
    w("|---|" + "---|" * len(backends))
    for row in feats:
        cells = []
        for b in backends:
            st, a, mx, cap = row["cells"].get(b, ("refused", "not in the build the report was made with", [], None))[:4]
            if st == "works":
                links = [_tlink(t, "../") for t in a[:3]] + ["matrix `%s`" % m for m in mx[:2]]
                only12 = " (TLS 1.2 only; with TLS 1.3 refused: %s)" % row["cells"][b][4].replace("|", "\\|") \
                    if len(row["cells"].get(b, ())) > 4 else ""
                cells.append("works%s: " % only12 + (", ".join(links) if links else "**no test found**"))
            else:
                cells.append("refused: " + a.replace("|", "\\|"))
        w("| `%s` | %s |" % (row["option"], " | ".join(cells)))
    fd = family_diffs(recs)
    w("\n## Differs between flavours of one family\n")
    w("Same peer and scenario, two flavours of one library family (the system library and pinned releases) "
      "with a different outcome (UNSUPPORTED included), negotiated version, suite, group or canonical error. "
      "%d rows.\n" % len(fd))
    fams = []
    for b in backends:
        if family(b) not in fams:
            fams.append(family(b))
    for fam in fams:
        fl = [b for b in backends if family(b) == fam]
        rows_f = [x for x in fd if x[0] == fam]
        if len(fl) < 2:
            continue
        w("<details><summary><b>%s</b> (%s): %d rows</summary>\n" % (fam, ", ".join(fl), len(rows_f)))
        w("| peer | scenario | differs in | " + " | ".join(fl) + " |")
        w("|---|---|---|" + "---|" * len(fl))
        for _, p, sid, d, differ in rows_f:
            w("| %s | `%s` | %s | %s |" % (p, sid, ", ".join(differ), " | ".join(
                _short(d[b]).replace("|", "\\|") if b in d else "—" for b in fl)))
        w("\n</details>\n")
    w("\n## Divergences between backends\n")
    w("Same peer and scenario, different outcome, negotiated parameters or canonical error across the "
      "backends that ran it (UNSUPPORTED cells are left out: see the feature matrix). %d rows.\n" % len(divs))
    w("Rows where only the version differs (a backend without TLS 1.3) come last.\n")
    w("| peer | scenario | differs in | " + " | ".join(backends) + " |")
    w("|---|---|---|" + "---|" * len(backends))
    for p, s, ran, differ in divs:
        cells = []
        for b in backends:
            r = ran.get(b)
            if not r:
                cells.append("—")
                continue
            t = "%s %s" % (r["outcome"], nego(r))
            if r.get("error"):
                t += " error=" + r["error"]
            if r["outcome"] == "FAIL":
                t += ": " + r.get("reason", "")[:160]
            cells.append(t.replace("|", "\\|"))
        w("| %s | `%s` | %s | %s |" % (p, s, ", ".join(differ), " | ".join(cells)))
    w("\n## Known failures (expectations.txt)\n")
    w("Every FAIL listed in [`expectations.txt`](expectations.txt), grouped by its written reason.\n")
    w("| reason | cells |\n|---|---|")
    known = {}
    for r in recs:
        if r.get("expectation"):
            known.setdefault(r["expectation"], []).append(r)
    for why, rs in sorted(known.items(), key=lambda kv: -len(kv[1])):
        w("| %s | %d (%d failing in this run): %s |" % (why.replace("|", "\\|"), len(rs),
                                                     sum(1 for r in rs if r["outcome"] == "FAIL"),
                                                     ", ".join("`%s`" % r["cell"] for r in rs[:5]) + (" …" if len(rs) > 5 else "")))
    w("\n## Non-passing cells\n")
    w("| cell | outcome | reproduce |\n|---|---|---|")
    for r in recs:
        if r["outcome"] != "PASS" and not (r["outcome"] == "UNSUPPORTED"):
            w("| `%s` | %s | `%s` |" % (r["cell"], label(r).replace("|", "\\|"), r["repro"]))
    w("\nUNSUPPORTED cells, grouped by reason:\n")
    groups = {}
    for r in recs:
        if r["outcome"] == "UNSUPPORTED":
            groups.setdefault((r["by"], r["reason"]), []).append(r["cell"])
    w("| side | reason | cells |\n|---|---|---|")
    for (by, reason), cs in sorted(groups.items()):
        w("| %s | %s | %d: %s |" % (by, reason.replace("|", "\\|"), len(cs),
                                    ", ".join("`%s`" % c for c in cs[:6]) + (" …" if len(cs) > 6 else "")))
    w("")
    return "\n".join(L) + "\n"


CSS = """
body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:13px}
th,td{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f0f0f0;position:sticky;top:0}
td.cell{width:20px;text-align:center;cursor:help}
td.pass{background:#9be29b}td.fail{background:#f28b82}td.xfail{background:#fbc77a}
td.unsup-backend{background:#b7c7f5}td.unsup-peer{background:#e3e3e3}
.legend span{display:inline-block;padding:2px 8px;margin-right:6px;border:1px solid #aaa}
code{font-size:12px}
"""


JS = """
function cmFilter(){
  var on={};document.querySelectorAll('input.flv').forEach(function(c){on[c.value]=c.checked;});
  document.querySelectorAll('#cells [data-backend]').forEach(function(x){x.style.display=on[x.dataset.backend]?'':'none';});
  document.querySelectorAll('#family-diffs span[data-backend]').forEach(function(x){x.style.display=on[x.dataset.backend]?'':'none';});
  document.querySelectorAll('#family-diffs tr.fd').forEach(function(tr){
    var n=tr.dataset.backends.split(' ').filter(function(b){return on[b];}).length;tr.style.display=n>=2?'':'none';});
}
function cmAll(v){document.querySelectorAll('input.flv').forEach(function(c){c.checked=v;});cmFilter();}
"""


def html_page(recs, backends, pnames, scen, cell, feats, divs, meta):
    e = html.escape
    H = []
    w = H.append
    w("<!DOCTYPE html><html><head><meta charset='utf-8'><title>polytls compat-matrix</title><style>%s</style></head><body>" % CSS)
    w("<h1>polytls compat-matrix</h1><p>Generated by compat-matrix/run.py from results/ledger.jsonl (%s, %d cells, %.0f s wall time).</p>"
      % (e(str(meta.get("run", ""))), len(recs), meta.get("wall_seconds", 0) or 0))
    w("<p class='legend'><span class='l pass' style='background:#9be29b'>PASS</span><span style='background:#f28b82'>FAIL</span>"
      "<span style='background:#fbc77a'>FAIL (expected)</span><span style='background:#b7c7f5'>UNSUPPORTED(backend)</span>"
      "<span style='background:#e3e3e3'>UNSUPPORTED(peer)</span></p>")
    w("<h2>Pair matrix</h2><table id='pairs'><tr><th>backend</th>%s</tr>" % "".join("<th>%s</th>" % e(p) for p in pnames))
    for b in backends:
        w("<tr><th>%s</th>" % e(b))
        for p in pnames:
            c = _counts([r for r in recs if r["backend"] == b and r["peer"] == p])
            w("<td>%d / %d / %d / %d</td>" % (c["PASS"], c["FAIL"] + c["XFAIL"], c["UB"], c["UP"]))
        w("</tr>")
    w("</table><p>PASS / FAIL / UNSUPPORTED(backend) / UNSUPPORTED(peer)</p>")
    w("<h2>Cells</h2><p id='filter'>Flavours shown: %s <button type='button' onclick='cmAll(true)'>all</button>"
      "<button type='button' onclick='cmAll(false)'>none</button></p>" % " ".join(
          "<label><input type='checkbox' class='flv' value='%s' checked onchange='cmFilter()'>%s</label>" % (e(b), e(b))
          for b in backends))
    w("<table id='cells'><tr><th>scenario</th>")
    for b in backends:
        for p in pnames:
            w("<th data-backend='%s'>%s<br>%s</th>" % (e(b), e(b), e(p)))
    w("</tr>")
    for s in scen:
        w("<tr><th><code>%s</code></th>" % e(s.id))
        for b in backends:
            for p in pnames:
                r = cell.get("%s/%s/%s" % (b, p, s.id))
                if not r:
                    w("<td></td>")
                    continue
                k = kind(r)
                tip = "%s\n%s\n%s\n%s" % (r["cell"], label(r), nego(r), r["repro"])
                w("<td class='cell %s' data-backend='%s' data-cell='%s' title='%s'>%s</td>" % (
                    CLASS[k], e(b), e(r["cell"]), e(tip, quote=True), {
                    "PASS": "✓", "FAIL": "✗", "XFAIL": "!", "UB": "B", "UP": "P"}[k]))
        w("</tr>")
    w("</table>")
    w("<h2>Feature matrix</h2><table id='features'><tr><th>option</th>%s</tr>" % "".join("<th>%s</th>" % e(b) for b in backends))
    for row in feats:
        w("<tr><td><code>%s</code></td>" % e(row["option"]))
        for b in backends:
            st, a, mx, cap = row["cells"].get(b, ("refused", "not in the build the report was made with", [], None))[:4]
            if st == "works":
                links = ["<a href='../../%s#L%d'>%s</a>" % (e(t[1]), t[2], e(t[0])) for t in a[:3]] + \
                        ["matrix %s" % e(m) for m in mx[:2]]
                only12 = " (TLS 1.2 only; with TLS 1.3 refused: %s)" % e(row["cells"][b][4]) \
                    if len(row["cells"].get(b, ())) > 4 else ""
                w("<td class='feat-works' style='background:#d8f5d8'>works%s: %s</td>" % (
                    only12, ", ".join(links) or "<b>no test found</b>"))
            else:
                w("<td class='feat-refused' style='background:#eef'>%s</td>" % e(a))
        w("</tr>")
    w("</table><h2>Differs between flavours of one family</h2><p>Same peer and scenario, two flavours of one "
      "family, different outcome, parameters or error (follows the flavour filter).</p>"
      "<table id='family-diffs'><tr><th>family</th><th>peer</th><th>scenario</th><th>differs in</th><th>per flavour</th></tr>")
    for fam, p, sid, d, differ in family_diffs(recs):
        w("<tr class='fd' data-backends='%s'><td>%s</td><td>%s</td><td><code>%s</code></td><td>%s</td><td>%s</td></tr>" % (
            e(" ".join(sorted(d))), e(fam), e(p), e(sid), e(", ".join(differ)),
            "<br>".join("<span data-backend='%s'><b>%s</b>: %s</span>" % (e(b), e(b), e(_short(d[b])))
                        for b in order_rows(d))))
    w("</table><h2>Divergences between backends</h2><table id='divergences'><tr><th>peer</th><th>scenario</th><th>differs in</th>%s</tr>"
      % "".join("<th>%s</th>" % e(b) for b in backends))
    for p, s, ran, differ in divs:
        w("<tr><td>%s</td><td><code>%s</code></td><td>%s</td>" % (e(p), e(s), e(", ".join(differ))))
        for b in backends:
            r = ran.get(b)
            if not r:
                w("<td>—</td>")
            else:
                t = "%s %s%s" % (r["outcome"], nego(r), " error=" + r["error"] if r.get("error") else "")
                if r["outcome"] == "FAIL":
                    t += ": " + r.get("reason", "")[:200]
                w("<td class='div %s'>%s</td>" % ("pass" if r["outcome"] == "PASS" else "fail", e(t)))
        w("</tr>")
    w("</table><script>%s</script></body></html>" % JS)
    return "\n".join(H) + "\n"
