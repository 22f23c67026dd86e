"""Runs one cell (backend x peer x scenario) and judges it from evidence."""
import fnmatch
import hashlib
import json
import os
import re
import shlex
import subprocess
import time

from .common import Server, read_text, rel, stop
from .scenarios import MARK
from peers.base import Unsupported

SERVER_ALPN = ["h2", "http/1.1"]


def cell_id(backend, peer, sc):
    return "%s/%s/%s" % (backend, peer, sc)


def _run_step(step, server, sc, log_path, ctx, hs_before):
    t0 = time.time()
    logf = open(log_path, "wb")
    try:
        proc = subprocess.Popen(step.argv, stdin=subprocess.PIPE, stdout=logf, stderr=subprocess.STDOUT,
                                env=step.env, cwd=os.path.dirname(log_path))
    except FileNotFoundError as e:
        logf.write(str(e).encode())
        logf.close()
        return {"argv": step.argv, "rc": 127, "log": rel(log_path), "seconds": 0.0}
    logf.close()
    note = None

    def write(data):
        try:
            proc.stdin.write(data)
            proc.stdin.flush()
        except (OSError, ValueError):
            pass

    def close_stdin():
        try:
            proc.stdin.close()
        except (OSError, ValueError):
            pass

    seen = {"off": 0}

    def found(needle):
        # incremental scan: some peers (tstclnt -v) write megabytes of progress lines
        with open(log_path, "rb") as f:
            f.seek(max(0, seen["off"] - len(needle)))
            chunk = f.read()
        seen["off"] = max(seen["off"], seen["off"] - len(needle) + len(chunk)) if chunk else seen["off"]
        return needle.encode() in chunk

    def wait_output(needle, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if found(needle):
                return True
            if proc.poll() is not None:
                return found(needle)
            time.sleep(0.02)
        return False

    if step.stdin:
        write(step.stdin)
    if step.interactive:
        if server.wait_event("handshake_done", hs_before + 1, timeout=10):
            time.sleep(0.2)
            for c in sc.commands:
                server.send(c + "\n")
                time.sleep(0.3)
            server.send(MARK + "\n")
            if not wait_output(MARK, 10):
                note = "marker not received by the peer within 10 s"
        else:
            note = "no handshake_done within 10 s"
        if step.kill_after:
            stop(proc, 1)
            if note is None:
                proc.returncode = 0
        close_stdin()
    elif step.hold is not None:
        deadline = time.time() + step.hold
        while time.time() < deadline and proc.poll() is None:
            time.sleep(0.02)
        if step.kill_after and proc.poll() is None:
            stop(proc, 1)  # bssl-tool half-closes TCP on stdin EOF (no close_notify): end it instead
            proc.returncode = 0
        close_stdin()
    elif step.hold_until:
        got = wait_output(step.hold_until, step.timeout)
        if got and step.kill_after:
            stop(proc, 1)
            proc.returncode = 0
        close_stdin()
        if got:
            try:
                proc.wait(3)
            except subprocess.TimeoutExpired:
                stop(proc, 1)  # the page is complete; a peer that lingers is not a failure
                proc.returncode = 0
                note = None
    else:
        close_stdin()
    try:
        rc = proc.wait(step.timeout if not step.interactive else 3)
    except subprocess.TimeoutExpired:
        stop(proc, 1)
        rc = 124 if not step.interactive else 0
    if note is None and (step.hold_until or step.interactive) and proc.returncode == 0:
        rc = 0
    r = {"argv": step.argv, "rc": rc, "log": rel(log_path), "seconds": round(time.time() - t0, 3)}
    if note:
        r["note"] = note
    return r


def _hs_summary(e):
    keys = ("version", "cipher", "group", "signature_scheme", "alpn", "sni", "resumed", "peer_cert_subject", "verify")
    return {k: e[k] for k in keys if k in e}


def _staple_sha256(argv):
    """SHA-256 of the server's -status_file, to compare with what a peer received."""
    if "-status_file" not in argv:
        return None
    with open(argv[argv.index("-status_file") + 1], "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def judge(sc, backend_caps, peer, plan, evs, outputs, steps, server_out, staple_sha256=None):
    """Returns (outcome, reason, extra) from the evidence."""
    hs = [e for e in evs if e.get("event") == "handshake_done"]
    errs = [e for e in evs if e.get("event") == "error"]
    ch = [e for e in evs if e.get("event") == "client_hello"]
    rep = peer.parse(outputs)
    allout = "\n".join(outputs)
    fails = []
    for txt in (allout, server_out):
        m = re.search(r"(\S+ \([^)]*\) is not supported by backend [^\n<]*)", txt)
        if m:
            return "UNSUPPORTED", m.group(1).strip(), {"by": "backend", "peer_report": rep}
    want_conns = 2 if (sc.spec.get("resume") or sc.mode == "early") else 1
    if len(hs) < want_conns:
        fails.append("%d of %d handshakes completed" % (len(hs), want_conns))
    for s in steps:
        if s.get("note"):
            fails.append(s["note"])
        if s["rc"] == 124:
            fails.append("peer timed out")
        elif s["rc"] == 127:
            fails.append("peer program not found")
        elif s["rc"] != 0 and not getattr(peer, "ignore_rc", False):
            fails.append("peer exit code %d" % s["rc"])
    ck = sc.checks
    if hs:
        v = ck.get("version")
        if v == "max-common":
            v = "TLSv1.3" if (backend_caps.get("tls1.3") and peer.max_version == "1.3") else "TLSv1.2"
        for h in hs:
            if v and h.get("version") != v:
                fails.append("version %s, expected %s" % (h.get("version"), v))
                break
        h0 = hs[0]
        if ck.get("cipher") and h0.get("cipher") != ck["cipher"]:
            fails.append("cipher %s, expected %s" % (h0.get("cipher"), ck["cipher"]))
        if ck.get("cipher_prefix") and not str(h0.get("cipher", "")).startswith(ck["cipher_prefix"]):
            fails.append("cipher %s, expected %s*" % (h0.get("cipher"), ck["cipher_prefix"]))
        if ck.get("group") and h0.get("group") != ck["group"]:
            fails.append("group %s, expected %s" % (h0.get("group"), ck["group"]))
        if ck.get("sigscheme") and h0.get("signature_scheme") is not None and not \
                fnmatch.fnmatchcase(h0["signature_scheme"], ck["sigscheme"]):
            fails.append("signature scheme %s, expected %s" % (h0.get("signature_scheme"), ck["sigscheme"]))
        if ck.get("alpn") == "server-pick":
            offered = plan.offered_alpn or []
            want = next((p for p in SERVER_ALPN if p in offered), None)
            if h0.get("alpn") != want:
                fails.append("ALPN %s, expected %s (offered %s)" % (h0.get("alpn"), want, ",".join(offered)))
        if ck.get("sni") and h0.get("sni") != ck["sni"]:
            fails.append("SNI %s, expected %s" % (h0.get("sni"), ck["sni"]))
        if ck.get("peer_cn") and rep.get("peer_cn") and ck["peer_cn"] not in rep["peer_cn"]:
            fails.append("peer saw certificate %s, expected %s" % (rep["peer_cn"], ck["peer_cn"]))
        if ck.get("client_cert"):
            subj = h0.get("peer_cert_subject", "")
            if "client" not in subj or h0.get("verify") != "ok":
                fails.append("client certificate %r verify=%s" % (subj, h0.get("verify")))
        if ck.get("resumed") and len(hs) >= 2:
            if hs[-1].get("resumed") is not True:
                fails.append("second handshake not resumed (resumed=%s)" % hs[-1].get("resumed"))
            if hs[0].get("resumed") is not False:
                fails.append("first handshake reported resumed=%s" % hs[0].get("resumed"))
        if ck.get("ticket_offered") and len(ch) >= 2 and not ch[-1].get("session_ticket"):
            fails.append("the resuming ClientHello carried no session ticket")
        if ck.get("hrr"):
            shares = ch[0].get("key_shares", []) if ch else []
            if ck.get("group") in shares:
                fails.append("no HelloRetryRequest needed: the client's first key shares %s include %s"
                             % (shares, ck["group"]))
        if ck.get("psk_offered"):
            if not (ch and ch[0].get("pre_shared_key")):
                fails.append("the ClientHello carried no pre_shared_key")
        if ck.get("ocsp"):
            names = [x.get("name") for x in (ch[0].get("extensions", []) if ch else [])]
            got = rep.get("ocsp")
            if "status_request" not in names:
                fails.append("the ClientHello asked for no staple (no status_request)")
            elif got is None:
                fails.append("the peer reported no stapled OCSP response")
            elif got not in (ck["ocsp"], "received", staple_sha256):
                fails.append("the peer's staple: %s, expected %s" % (
                    got if len(got) < 64 else "bytes with SHA-256 " + got[:16] + "...", ck["ocsp"]))
        if ck.get("mfl_offered"):
            names = [x.get("name") for x in (ch[0].get("extensions", []) if ch else [])]
            if "max_fragment_length" not in names:
                fails.append("the ClientHello carried no max_fragment_length (extensions: %s)" % names)
    if hs and ck.get("ext_offered"):
        names = [x.get("name") for x in (ch[0].get("extensions", []) if ch else [])]
        if ck["ext_offered"] not in names:
            fails.append("the ClientHello carried no %s (extensions: %s)" % (ck["ext_offered"], names))
    if hs and ck.get("serverinfo") and rep.get("serverinfo") != "received":
        fails.append("the peer did not receive the signed_certificate_timestamp extension from -serverinfo")
    if hs and ck.get("rpk") and not rep.get("rpk"):
        fails.append("the peer did not report a raw public key from the server")
    if hs and ck.get("ech") == "accepted":
        if rep.get("ech") not in ("accepted", "success") and not str(rep.get("ech", "")).startswith("success"):
            fails.append("the peer reports ECH %s, expected accepted" % rep.get("ech"))
        if hs[0].get("sni") != "ech.test":
            fails.append("the server saw SNI %s, expected the inner ech.test" % hs[0].get("sni"))
    if ck.get("early_rejected"):
        if MARK in server_out:
            fails.append("the server delivered early data it should have rejected (-max_early_data 0)")
        if rep.get("early_data") == "accepted":
            fails.append("the peer reports early data accepted")
    if ck.get("mark") and MARK not in allout:
        fails.append("the peer did not receive data after the server's command")
    if ck.get("early_mark"):
        if MARK not in server_out:
            fails.append("the server did not deliver the early data")
        if rep.get("early_data") == "rejected":
            fails.append("the peer reports early data rejected")
    if ck.get("reneg_page") and "Renegotiation started" not in allout:
        fails.append("the peer did not receive the page after renegotiation")
    if sc.mode == "www" and getattr(peer, "page_check", None):
        if peer.page_check not in allout:
            fails.append("the peer did not receive the reply (%s)" % peer.page_check)
    elif sc.mode == "www" and "</BODY></HTML>" not in allout:
        fails.append("the peer did not receive the complete page")
    # the peer's own view must agree with the server's
    if hs and rep.get("version") and rep["version"] != hs[-1].get("version"):
        fails.append("peer reports %s, server %s" % (rep["version"], hs[-1].get("version")))
    if hs and str(rep.get("cipher", "")).startswith("TLS_") and "_WITH_" in hs[-1].get("cipher", "_WITH_") \
            and rep["cipher"] != hs[-1].get("cipher") and rep["cipher"].replace("TLS_", "", 1) not in hs[-1].get("cipher", ""):
        fails.append("peer reports cipher %s, server %s" % (rep["cipher"], hs[-1].get("cipher")))
    if hs and "resumed" in rep and hs[-1].get("resumed") is not None and rep["resumed"] != hs[-1]["resumed"]:
        fails.append("peer reports resumed=%s, server %s" % (rep["resumed"], hs[-1]["resumed"]))
    extra = {"peer_report": rep}
    if errs:
        extra["error"] = errs[0].get("error")
        extra["error_stage"] = errs[0].get("stage")
        extra["backend_text"] = errs[0].get("backend_text")
    if fails:
        return "FAIL", "; ".join(dict.fromkeys(fails)), extra
    return "PASS", "", extra


def _cell_dir(ctx, backend, peer_name, sid):
    celldir = os.path.join(ctx.logs, backend, peer_name, sid)
    os.makedirs(celldir, exist_ok=True)
    for f in os.listdir(celldir):
        os.unlink(os.path.join(celldir, f))
    return celldir


def _start_server(ctx, backend, sc, logdir):
    args = sc.server_args(ctx) + (["-www"] if sc.mode == "www" else [])
    srv = Server(ctx, backend, args, logdir, interactive=sc.mode in ("echo", "early"))
    srv.start()
    return srv


def _start_failure(srv):
    """(outcome fields) for a server that did not reach ACCEPT."""
    if srv.start_rc == 3:
        return dict(outcome="UNSUPPORTED", by="backend", reason=srv.capability_reason() or "capability error")
    first = (srv.stderr().strip().splitlines() or ["no output"])[0]
    return dict(outcome="FAIL", reason="server did not start (exit %s): %s" % (srv.start_rc, first),
                error="server_start_exit_%s" % srv.start_rc)


def _conn_events(evs, conns):
    return [e for e in evs if e.get("conn") in conns]


def run_group(ctx, backend, info, sc, peer_list, pvers):
    """Every peer of `peer_list` against one backend and one scenario. Where the scenario allows
    (sc.reuse: page fetches that leave no state a later peer could see), one server serves the peers
    one after the other and each cell is judged from the events of the connections accepted while
    its peer ran; otherwise every cell has its own server. A server that did not start (capability
    error or any other exit) decides every cell of the group with the same evidence."""
    recs = []
    shared = None
    shared_dir = os.path.join(ctx.logs, backend, "_server", sc.id)
    for peer in peer_list:
        cid = cell_id(backend, peer.name, sc.id)
        celldir = _cell_dir(ctx, backend, peer.name, sc.id)
        t0 = time.time()
        rec = {"cell": cid, "backend": backend, "peer": peer.name, "scenario": sc.id,
               "server_version": info["library"], "peer_version": pvers[peer.name],
               "repro": "compat-matrix/run.py --cell " + cid}
        if sc.reuse:
            if shared is None or (shared.proc is not None and shared.proc.poll() is not None
                                  and shared.start_rc is None):
                if shared is not None:  # it ended while serving an earlier peer: a new one
                    shared.stop()
                    recs[-1].setdefault("notes", []).append("the shared server ended (exit %s) after this cell"
                                                            % shared.rc)
                os.makedirs(shared_dir, exist_ok=True)
                shared = _start_server(ctx, backend, sc, shared_dir)
                shared.cells = 0
            srv = shared
        else:
            srv = _start_server(ctx, backend, sc, celldir)
        rec["server_argv"] = srv.argv
        rec["logs"] = [rel(srv.out_path), rel(srv.err_path), rel(srv.events_path)]
        if srv.port is None:
            rec["server_rc"] = srv.start_rc
            rec.update(_start_failure(srv))
            rec["seconds"] = round(time.time() - t0, 3)
            recs.append(rec)
            continue
        try:
            plan = peer.plan(sc, ctx, srv.port, celldir)
        except Unsupported as e:
            if not sc.reuse:
                srv.stop()
                rec["server_rc"] = srv.rc
            rec.update(outcome="UNSUPPORTED", by="peer", reason=str(e), seconds=round(time.time() - t0, 3))
            recs.append(rec)
            continue
        if sc.reuse:
            shared.cells += 1
            rec["shared_server"] = {"cell_index": shared.cells, "logs": rel(shared_dir)}
        n_before = len(srv.events())
        steps, outputs = [], []
        for i, st in enumerate(plan.steps):
            n_hs = sum(1 for e in srv.events() if e.get("event") == "handshake_done")
            log = os.path.join(celldir, "peer-%d.log" % (i + 1))
            steps.append(_run_step(st, srv, sc, log, ctx, n_hs))
            text = read_text(log)
            if st.extra_output:
                text += "\n" + read_text(st.extra_output)
                steps[-1]["extra_log"] = rel(st.extra_output)
            outputs.append(text)
        died = None
        if sc.reuse:
            # this cell's connections: those accepted since it started; wait until they are closed
            deadline = time.time() + 3
            while True:
                evs = srv.events()
                conns = {e.get("conn") for e in evs[n_before:] if e.get("event") == "accepted"}
                closed = {e.get("conn") for e in evs if e.get("event") == "closed"}
                if conns <= closed or time.time() > deadline or srv.proc.poll() is not None:
                    break
                time.sleep(0.02)
            if srv.proc.poll() is not None:
                died = "the server exited (status %s) while this peer ran" % srv.proc.returncode
            evs = _conn_events(evs, conns)
            mine = os.path.join(celldir, "server-events.jsonl")
            with open(mine, "w") as f:
                for e in evs:
                    f.write(json.dumps(e) + "\n")
            rec["logs"].append(rel(mine))
            server_out = read_text(srv.out_path) + read_text(srv.err_path)
        else:
            time.sleep(0.1)
            srv.stop()
            evs = srv.events()
            server_out = read_text(srv.out_path) + read_text(srv.err_path)
            rec["server_rc"] = srv.rc
        outcome, reason, extra = judge(sc, info["caps"], peer, plan, evs, outputs, steps, server_out,
                                       _staple_sha256(srv.argv))
        if died:
            outcome, reason = "FAIL", "; ".join(x for x in (died, reason) if x)
        rec["outcome"] = outcome
        if extra.pop("by", None) or outcome == "UNSUPPORTED":
            rec["by"] = "backend"
        rec["reason"] = reason
        rec.update(extra)
        rec["negotiated"] = [_hs_summary(e) for e in evs if e.get("event") == "handshake_done"]
        workers = sorted({e.get("worker_pid") for e in evs if e.get("event") == "accepted" and e.get("worker_pid")})
        if workers:
            rec["worker_pids"] = workers
        rec["peer_steps"] = steps
        rec["logs"] += [s["log"] for s in steps] + [s["extra_log"] for s in steps if s.get("extra_log")]
        rec["peer_cmd"] = " ; ".join(" ".join(shlex.quote(a) for a in s["argv"]) for s in steps)
        rec["seconds"] = round(time.time() - t0, 3)
        recs.append(rec)
    if shared is not None:
        shared.stop()
        for r in recs:
            if "shared_server" in r:
                r["server_rc"] = shared.rc
    return recs
