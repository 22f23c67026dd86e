#!/usr/bin/python3
"""Loads results/matrix.html in headless Chromium and counts the rendered cells per outcome class;
they must equal the ledger's counts. Prints `N passed, M failed` as its last line."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from cm.report import CLASS, kind  # noqa: E402


def main():
    page = os.path.join(HERE, "results", "matrix.html")
    ledger = os.path.join(HERE, "results", "ledger.jsonl")
    recs = [json.loads(l) for l in open(ledger) if l.strip()]
    want = {}
    for r in recs:
        want[CLASS[kind(r)]] = want.get(CLASS[kind(r)], 0) + 1
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        print("chromium not installed (Debian package chromium)")
        print("0 passed, 1 failed")
        return 1
    prof = tempfile.mkdtemp(prefix="cm-chromium-")
    try:
        p = subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                            "--disable-component-update", "--disable-sync", "--no-first-run",
                            "--user-data-dir=" + prof, "--dump-dom", "file://" + page],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=120)
        dom = p.stdout.decode("utf-8", "replace")
    finally:
        shutil.rmtree(prof, ignore_errors=True)
    # the DOM as Chromium parsed and rendered it (serialised by the browser, not our file)
    got = {}
    for m in re.finditer(r'<td class="cell ([a-z-]+)"', dom):
        got[m.group(1)] = got.get(m.group(1), 0) + 1
    passed = failed = 0
    for cls in sorted(set(want) | set(got)):
        ok = want.get(cls, 0) == got.get(cls, 0)
        print("%s %-14s ledger %5d rendered %5d" % ("ok  " if ok else "FAIL", cls, want.get(cls, 0), got.get(cls, 0)))
        passed += ok
        failed += not ok
    total_ok = sum(got.values()) == len(recs)
    print("%s total          ledger %5d rendered %5d" % ("ok  " if total_ok else "FAIL", len(recs), sum(got.values())))
    passed += total_ok
    failed += not total_ok
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
