#!/usr/bin/python3
"""polytls benchmark (issue #7): every built backend, openssl s_server and nginx,
same certificates, same workloads, same run. Standard library only.

    bench/run.sh [--quick] [--polytls PATH] [--out FILE]

Server on CPU 0, load generator (bench/loadgen.c) on CPU 1. Server CPU time is
read from /proc/PID/stat (utime+stime, the server process and its children), so
the load generator's cost never counts. Prints the tables and writes a JSON
result (bench/results/latest.json by default).
"""
import argparse
import json
import os
import platform
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
SERVER_CPU = "0"
CLIENT_CPU = "1"


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- /proc

def descendants(pid):
    kids = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                st = f.read()
            ppid = int(st[st.rfind(")") + 2:].split()[1])
            kids.setdefault(ppid, []).append(int(d))
        except (OSError, ValueError, IndexError):
            pass
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def tree_cpu(pid, sys_only=False):
    """utime+stime (or stime only) in seconds of pid and all its descendants"""
    tot = 0
    for p in descendants(pid):
        try:
            with open(f"/proc/{p}/stat") as f:
                st = f.read()
            fields = st[st.rfind(")") + 2:].split()
            tot += (0 if sys_only else int(fields[11])) + int(fields[12])
        except (OSError, ValueError, IndexError):
            pass
    return tot / TICK


def tree_rss_kb(pid):
    tot = 0
    for p in descendants(pid):
        try:
            with open(f"/proc/{p}/statm") as f:
                tot += int(f.read().split()[1]) * PAGE // 1024
        except (OSError, ValueError, IndexError):
            pass
    return tot


def cpu_busy(cpu):
    """busy seconds of one CPU from /proc/stat (to see interference from other load),
    and of those the irq+softirq seconds (loopback packet processing lands there)"""
    with open("/proc/stat") as f:
        for line in f:
            if line.startswith(f"cpu{cpu} "):
                v = [int(x) for x in line.split()[1:]]
                return (sum(v[:8]) - v[3] - v[4]) / TICK, (v[5] + v[6]) / TICK
    return 0.0, 0.0


QUIET = {"budget": 0.0, "spent": 0.0}


def wait_quiet(limit=5.0):
    """wait (within a per-run budget) until other processes leave CPU 0 mostly idle"""
    t_end = time.time() + min(limit, max(0.0, QUIET["budget"] - QUIET["spent"]))
    t0 = time.time()
    while True:
        b0, _ = cpu_busy(SERVER_CPU)
        time.sleep(0.25)
        b1, _ = cpu_busy(SERVER_CPU)
        if (b1 - b0) / 0.25 < 0.05 or time.time() >= t_end:
            break
    QUIET["spent"] += time.time() - t0


def listening(port):
    want = f":{port:04X}"
    for fn in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(fn) as f:
                for line in f.readlines()[1:]:
                    parts = line.split()
                    if parts[1].endswith(want) and parts[3] == "0A":
                        return True
        except OSError:
            pass
    return False


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


# ---------------------------------------------------------------- setup

def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def crypto_floor(seconds):
    """openssl speed on the server's CPU: seconds per operation"""
    r = sh(["taskset", "-c", SERVER_CPU, "openssl", "speed", "-mr", "-seconds", str(seconds),
            "rsa2048", "ecdsap256", "ecdhx25519"])
    ops = {}
    for line in r.stdout.splitlines():
        f = line.split(":")
        if line.startswith("+F2:") and f[2] == "2048":
            ops["rsa2048_sign"] = 1.0 / float(f[3])
        elif line.startswith("+F4:") and f[2] == "256":
            ops["ecdsap256_sign"] = 1.0 / float(f[3])
        elif line.startswith("+F5:") and f[2] == "253":
            ops["x25519"] = 1.0 / float(f[3])
    fl = {
        "ops_s": ops,
        "openssl": sh(["openssl", "version"]).stdout.strip(),
        # server side of one full handshake with X25519: a signature, an X25519
        # key generation and an X25519 shared-secret derivation (same in TLS 1.2 and 1.3)
        "rsa": ops["rsa2048_sign"] + 2 * ops["x25519"],
        "ecdsa": ops["ecdsap256_sign"] + 2 * ops["x25519"],
    }
    return fl


def make_files(work, big_mb):
    for kind, args in (("rsa", ["-newkey", "rsa:2048"]),
                       ("ecdsa", ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"])):
        sh(["openssl", "req", "-x509", *args, "-nodes", "-keyout", f"{work}/{kind}.key",
            "-out", f"{work}/{kind}.crt", "-subj", "/CN=localhost", "-days", "30",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
    www = f"{work}/www"
    os.makedirs(www)
    with open(f"{www}/big.bin", "wb") as f:
        for _ in range(big_mb):
            f.write(os.urandom(1 << 20))
    with open(f"{www}/index.html", "w") as f:
        f.write("<html><body>polytls bench</body></html>\n")
    return www


def snapshot_polytls(polytls, work):
    """copy the binary and its modules, so a rebuild during the run changes nothing"""
    src_bin = os.path.realpath(polytls)
    root = os.path.dirname(os.path.dirname(src_bin))
    dst = f"{work}/polytls"
    os.makedirs(f"{dst}/bin")
    shutil.copy2(src_bin, f"{dst}/bin/polytls")
    mods = f"{root}/lib/polytls"
    shutil.copytree(mods, f"{dst}/lib/polytls")
    return f"{dst}/bin/polytls"


# ---------------------------------------------------------------- servers

class Server:
    def __init__(self, name, argv, cwd, port, env=None, cpus=SERVER_CPU):
        self.name, self.port = name, port
        self.log = open(f"{cwd}/../{name.replace('/', '_')}-{port}.log", "w")
        self.proc = subprocess.Popen(["taskset", "-c", cpus, *argv], cwd=cwd, stdin=subprocess.DEVNULL,
                                     stdout=self.log, stderr=subprocess.STDOUT, env=env)
        t = time.time() + 10
        while not listening(port):
            if self.proc.poll() is not None or time.time() > t:
                self.stop()
                raise RuntimeError(f"{name} did not start listening on {port} (see {self.log.name})")
            time.sleep(0.05)
        time.sleep(0.2)  # workers: let every process reach its accept loop
        self.pid = self.proc.pid  # taskset execs: same pid

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


NGINX_CONF = """worker_processes 1;
daemon off;
master_process off;
error_log {d}/error.log warn;
pid {d}/nginx.pid;
worker_rlimit_nofile {nofile};
events {{ worker_connections {conns}; use epoll; }}
http {{
  access_log off;
  client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fcgi;
  uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;
  keepalive_timeout 300s; client_header_timeout 300s;
  default_type application/octet-stream;
  ssl_protocols TLSv1.2 TLSv1.3;
  ssl_session_cache shared:SSL:20m;
  ssl_session_tickets on;
  server {{
    listen 127.0.0.1:{port} ssl;
    ssl_certificate {crt}; ssl_certificate_key {key};
    root {www};
  }}
}}
"""


def server_specs(polytls, backends, workers_ok):
    """name -> function(kind, work, www, port) -> (argv, cwd)"""
    specs = {}
    for b in backends:
        def mk(kind, work, www, port, b=b):
            return [polytls, "s_server", "-backend", b, "-accept", f"127.0.0.1:{port}", "-cert",
                    f"{work}/{kind}.crt", "-key", f"{work}/{kind}.key", "-WWW", "-quiet",
                    "-max_conns", "15000"], www
        specs[f"polytls/{b}"] = (mk, SERVER_CPU)
    if workers_ok and "openssl" in backends:
        def mkw(kind, work, www, port):
            return [polytls, "s_server", "-backend", "openssl", "-workers", "2", "-accept",
                    f"127.0.0.1:{port}", "-cert", f"{work}/{kind}.crt", "-key", f"{work}/{kind}.key",
                    "-WWW", "-quiet", "-max_conns", "15000"], www
        specs["polytls/openssl -workers 2"] = (mkw, "0,1")

    def mks(kind, work, www, port):
        return ["openssl", "s_server", "-WWW", "-accept", f"127.0.0.1:{port}", "-cert", f"{work}/{kind}.crt",
                "-key", f"{work}/{kind}.key", "-quiet"], www
    specs["openssl s_server"] = (mks, SERVER_CPU)
    if shutil.which("nginx"):
        def mkn(kind, work, www, port):
            d = f"{work}/nginx-{kind}"
            os.makedirs(d, exist_ok=True)
            nofile = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
            with open(f"{d}/nginx.conf", "w") as f:
                f.write(NGINX_CONF.format(d=d, port=port, crt=f"{work}/{kind}.crt", key=f"{work}/{kind}.key",
                                          www=www, nofile=nofile, conns=min(nofile - 100, 15000)))
            return [shutil.which("nginx"), "-p", d, "-c", f"{d}/nginx.conf", "-e", f"{d}/error.log"], d
        specs["nginx"] = (mkn, SERVER_CPU)
    return specs


# ---------------------------------------------------------------- workloads

class Run:
    def __init__(self, work, loadgen):
        self.work, self.loadgen = work, loadgen

    def client(self, port, args, timeout, stdin=None):
        argv = ["taskset", "-c", CLIENT_CPU, self.loadgen, "-port", str(port), *args]
        return subprocess.Popen(argv, stdin=stdin or subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)

    def measure(self, srv, port, args, wall):
        """run the load generator once; server CPU and RSS around it"""
        c0, b0, r0 = tree_cpu(srv.pid), cpu_busy(SERVER_CPU), tree_rss_kb(srv.pid)
        s0 = tree_cpu(srv.pid, sys_only=True)
        p = self.client(port, args, wall)
        try:
            out, err = p.communicate(timeout=wall + 30)
        except subprocess.TimeoutExpired:
            p.kill()
            out, err = p.communicate()
        c1, b1 = tree_cpu(srv.pid), cpu_busy(SERVER_CPU)
        (b0, i0), (b1, i1) = b0, b1
        try:
            res = json.loads(out.strip().splitlines()[-1])
        except (ValueError, IndexError):
            res = {"error": f"load generator output: {out!r} {err[-300:]!r}", "ok": 0}
        res["server_cpu"] = round(c1 - c0, 3)
        res["server_sys_cpu"] = round(tree_cpu(srv.pid, sys_only=True) - s0, 3)
        single = srv.name.find("workers") < 0
        res["cpu0_other"] = round(max(0.0, (b1 - b0) - (i1 - i0) - (c1 - c0)), 3) if single else None
        res["cpu0_irq"] = round(i1 - i0, 3)
        res["server_rss_kb"] = tree_rss_kb(srv.pid) if srv.alive() else None
        res["server_rss_before_kb"] = r0
        if not srv.alive():
            res["error"] = (res.get("error") or "") + " server exited"
        return res

    def idle(self, srv, port, n, wall, tls="13"):
        r0 = tree_rss_kb(srv.pid)
        c0 = tree_cpu(srv.pid)
        srcs = "127.0.0.1,127.0.0.2,127.0.0.3,127.0.0.4"
        p = self.client(port, ["-mode", "idle", "-tls", tls, "-n", str(n), "-c", "64", "-t", str(wall),
                               "-hold", str(wall + 30), "-src", srcs], wall, stdin=subprocess.PIPE)
        held_line = ""
        t = time.time() + wall + 20
        while time.time() < t:
            line = p.stderr.readline()
            if not line:
                break
            if '"held"' in line:
                held_line = line
                break
        time.sleep(1.0)  # let the server finish writing tickets and settle
        r1 = tree_rss_kb(srv.pid) if srv.alive() else None
        nfd = None
        try:
            nfd = sum(len(os.listdir(f"/proc/{q}/fd")) for q in descendants(srv.pid))
        except OSError:
            pass
        try:
            p.stdin.write("go\n")
            p.stdin.flush()
        except OSError:
            pass
        try:
            out, _ = p.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            p.kill()
            out, _ = p.communicate()
        try:
            res = json.loads(out.strip().splitlines()[-1])
        except (ValueError, IndexError):
            res = {"error": f"load generator output: {out!r} {held_line!r}", "held": 0}
        res["server_rss_before_kb"] = r0
        res["server_rss_held_kb"] = r1
        res["server_fds_held"] = nfd
        res["server_cpu"] = round(tree_cpu(srv.pid) - c0, 3)
        if r1 is not None and res.get("held"):
            res["rss_per_conn_kb"] = round((r1 - r0) / res["held"], 2)
        if not srv.alive():
            res["error"] = (res.get("error") or "") + " server exited"
        return res


def caps_of(polytls):
    d = json.loads(sh([polytls, "backends", "-json"]).stdout)
    return {b["name"]: {k: v.get("supported") for k, v in b["capabilities"].items()} | {"library": b["library"]}
            for b in d["backends"]}


def bench(args):
    P = dict(quick=args.quick)
    if args.quick:
        T_FULL, T_RES, T_LAT, N_BULK, N_IDLE, SPEED_S, BIG_MB = 1.0, 0.7, 1.0, 2, 1000, 1, 64
    else:
        T_FULL, T_RES, T_LAT, N_BULK, N_IDLE, SPEED_S, BIG_MB = 3.0, 2.0, 3.0, 32, 10000, 3, 64
    N_MAX = 200000  # count bound; the deadline ends these runs first
    QUIET["budget"] = 5.0 if args.quick else 120.0  # total seconds spent waiting for a quiet CPU 0
    T_BULK = 2.0 if args.quick else 6.0  # bulk: N_BULK GETs or until this deadline, whichever first

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    work = tempfile.mkdtemp(prefix="polytls-bench-")
    try:
        loadgen = f"{work}/loadgen"
        sh(["cc", "-O2", "-o", loadgen, f"{HERE}/loadgen.c", "-lssl", "-lcrypto"])
        # a build running meanwhile may leave a module half-written: snapshot again
        # until every module in lib/polytls loads
        for attempt in range(10):
            shutil.rmtree(f"{work}/polytls", ignore_errors=True)
            polytls = snapshot_polytls(args.polytls, work)
            n_mods = len([f for f in os.listdir(f"{work}/polytls/lib/polytls") if f.endswith(".so")])
            try:
                caps = caps_of(polytls)
            except (subprocess.CalledProcessError, ValueError, KeyError):
                caps = {}
            if caps and len(caps) >= n_mods:
                break
            log(f"bench: {len(caps)} of {n_mods} backend modules load (a build running?); trying again in 3 s")
            time.sleep(3)
        else:
            log("bench: going on with the backends that load")
        help_text = subprocess.run([polytls, "s_server", "-help"], capture_output=True, text=True)
        workers_ok = "-workers" in help_text.stdout + help_text.stderr
        log(f"backends: {', '.join(caps)}; -workers: {'yes' if workers_ok else 'not in this build'}")
        www = make_files(work, BIG_MB)
        log("crypto floor: openssl speed ...")
        floor = crypto_floor(SPEED_S)
        run = Run(work, loadgen)
        specs = server_specs(polytls, list(caps), workers_ok)
        if args.only:
            specs = {k: v for k, v in specs.items() if any(o in k for o in args.only.split(","))}
        results = {name: {} for name in specs}
        names = list(specs)
        max_tries = 1 if args.quick else 3

        def backend_of(name):
            return name.split("/")[1].split()[0] if name.startswith("polytls/") else None

        def has13(name):
            b = backend_of(name)
            return caps[b]["tls1.3"] if b else True

        for kind in ("rsa", "ecdsa"):
            # every server of this certificate runs at once (idle ones cost nothing); each
            # workload then goes over all servers back to back, in a rotating order, so that
            # a burst of other load on the machine does not fall on one server only
            servers = {}
            for name in names:
                mk, cpus = specs[name]
                port = free_port()
                argv, cwd = mk(kind, work, www, port)
                log(f"[{name}] {kind}: {' '.join(argv[:3])} ... port {port}")
                try:
                    servers[name] = Server(name, argv, cwd, port, cpus=cpus)
                except RuntimeError as e:
                    results[name][f"start_{kind}"] = {"error": str(e)}
                    log(f"  {e}")
            try:
                for name, srv in servers.items():  # warm-up, not counted
                    run.measure(srv, srv.port, ["-mode", "hs", "-tls", "12", "-n", "50", "-c", "4", "-t", "5"], 5)
                wl = []
                for tls in ("13", "12"):
                    wl.append((f"full_tls{tls}_{kind}", tls, ["-mode", "hs", "-tls", tls, "-n", str(N_MAX), "-c", "16",
                                                              "-t", str(T_FULL)], T_FULL))
                if kind == "rsa":
                    for tls, res in (("13", "ticket"), ("12", "ticket"), ("12", "id")):
                        wl.append((f"resumed_tls{tls}_{res}", tls, ["-mode", "hs", "-tls", tls, "-resume", res, "-n",
                                                                   str(N_MAX), "-c", "16", "-t", str(T_RES)], T_RES))
                    wl.append(("latency_c64", None, ["-mode", "hs", "-n", str(N_MAX), "-c", "64", "-t", str(T_LAT)],
                               T_LAT))
                    wl.append(("bulk", None, ["-mode", "bulk", "-path", "/big.bin", "-n", str(N_BULK), "-c", "1",
                                              "-t", str(T_BULK)], T_BULK + 30))
                for i, (key, tls, largs, wall) in enumerate(wl):
                    order = names[i % len(names):] + names[:i % len(names)]
                    for name in order:
                        if name not in servers:
                            continue
                        if tls == "13" and not has13(name):
                            b = backend_of(name)
                            results[name][key] = {"na": f"backend {b} ({caps[b]['library']}): no TLS 1.3 server"}
                            continue
                        a = list(largs)
                        if tls is None:
                            a += ["-tls", "13" if has13(name) else "12"]
                        srv = servers[name]
                        best = None
                        for attempt in range(max_tries):
                            wait_quiet()
                            r = run.measure(srv, srv.port, a, wall)
                            r["attempt"] = attempt + 1
                            other = r.get("cpu0_other")
                            if best is None or (other is not None and other < (best.get("cpu0_other") or 1e9)):
                                best = r
                            el = r.get("elapsed") or 1
                            if other is None or other / el <= 0.10 or not r.get("ok"):
                                break
                            log(f"  {name} {key}: other load used {100 * other / el:.0f}% of CPU 0"
                                + ("; again" if attempt + 1 < max_tries else "; keeping the least disturbed try"))
                        best["attempts"] = attempt + 1
                        results[name][key] = best
                        log(f"  [{name}] {key}: {summ(best)}")
                if kind == "ecdsa":
                    for name, srv in servers.items():
                        if name == "openssl s_server":
                            results[name]["idle"] = {
                                "na": "openssl s_server serves one connection at a time and blocks in "
                                      "SSL_read on it: a held idle connection stalls every other client"}
                            continue
                        results[name]["idle"] = run.idle(srv, srv.port, N_IDLE, 60, "13" if has13(name) else "12")
                        r = results[name]["idle"]
                        log(f"  [{name}] idle: held {r.get('held')} rss/conn {r.get('rss_per_conn_kb')} KB")
            finally:
                for srv in servers.values():
                    srv.stop()
        out = {
            "schema": "polytls-bench/1",
            "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "command": " ".join(["bench/run.sh"] + sys.argv[1:]),
            "quick": args.quick,
            "machine": machine(),
            "pinning": {"server_cpus": SERVER_CPU, "client_cpus": CLIENT_CPU,
                        "note": "server on CPU 0, load generator on CPU 1 (taskset); -workers 2 row: server on CPUs 0,1"},
            "client": {"cipher_tls13": "TLS_AES_128_GCM_SHA256", "cipher_tls12": "ECDHE-*-AES128-GCM-SHA256",
                       "group": "X25519", "full_concurrency": 16, "latency_concurrency": 64,
                       "durations_s": {"full": T_FULL, "resumed": T_RES, "latency": T_LAT},
                       "bulk": f"up to {N_BULK} x GET /big.bin ({BIG_MB} MiB) within {T_BULK} s", "idle": N_IDLE},
            "crypto_floor": floor,
            "backends": caps_info(caps),
            "workers_option": workers_ok,
            "servers": results,
        }
        # the floor again at the end; each operation keeps its faster (less disturbed) figure
        log("crypto floor again: openssl speed ...")
        floor2 = crypto_floor(SPEED_S)
        floor["ops_s_start"], floor["ops_s_end"] = dict(floor["ops_s"]), floor2["ops_s"]
        for k, v in floor2["ops_s"].items():
            floor["ops_s"][k] = min(floor["ops_s"][k], v)
        ops = floor["ops_s"]
        floor["rsa"] = ops["rsa2048_sign"] + 2 * ops["x25519"]
        floor["ecdsa"] = ops["ecdsap256_sign"] + 2 * ops["x25519"]
        floor["quiet_wait_s"] = round(QUIET["spent"], 1)
        derive(out)
        return out
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def caps_info(caps):
    return {b: {"library": c["library"], "tls1.3": c.get("tls1.3")} for b, c in caps.items()}


def machine():
    model = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/loadavg") as f:
        la = f.read().split()[:3]
    return {"nproc": os.cpu_count(), "cpu_model": model, "kernel": platform.release(), "loadavg_at_end": la,
            "nginx": (subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip()
                      if shutil.which("nginx") else None)}


def summ(r):
    if "na" in r:
        return "n/a"
    s = f"ok {r.get('ok')} rate {r.get('rate')}/s server_cpu {r.get('server_cpu')}s"
    if r.get("error"):
        s += f" error: {r['error']}"
    return s


# ---------------------------------------------------------------- figures, ratios, targets

def derive(out):
    fl = out["crypto_floor"]
    for name, R in out["servers"].items():
        for key, r in R.items():
            if not isinstance(r, dict) or "na" in r or not r.get("ok"):
                continue
            if r.get("elapsed"):
                r["server_busy_pct"] = round(100 * r["server_cpu"] / r["elapsed"], 1)
                r["client_busy_pct"] = round(100 * r.get("client_cpu", 0) / r["elapsed"], 1)
                if r.get("cpu0_other") is not None:
                    r["cpu0_other_pct"] = round(100 * r["cpu0_other"] / r["elapsed"], 1)
            if key.startswith("resumed_"):
                r["resumed_pct"] = round(100 * r.get("resumed", 0) / r["ok"], 1)
            if key.startswith(("full_", "resumed_", "latency")):
                r["cpu_ms_per_hs"] = round(1000 * r["server_cpu"] / r["ok"], 4)
                if r.get("server_sys_cpu") is not None and r["server_cpu"]:
                    r["sys_pct"] = round(100 * r["server_sys_cpu"] / r["server_cpu"], 1)
                if key.startswith("full_"):
                    r["x_floor"] = round(r["server_cpu"] / r["ok"] / fl[key.rsplit("_", 1)[1]], 3)
            if key == "bulk" and r.get("bytes"):
                r["cpu_s_per_gb"] = round(r["server_cpu"] / (r["bytes"] / 1e9), 3)
                r["mb_per_s"] = round(r["bytes"] / 1e6 / r["elapsed"], 1)
    out["targets"] = targets(out)


def get(out, srv, key, field):
    r = out["servers"].get(srv, {}).get(key, {})
    if not isinstance(r, dict) or "na" in r or (r.get("error") and not r.get("ok") and not r.get("held")):
        return None
    return r.get(field)


def targets(out):
    T = []
    pol = [s for s in out["servers"] if s.startswith("polytls/")]
    ref = [s for s in ("openssl s_server", "nginx") if s in out["servers"]]

    def add(tid, what, server, value, limit, ok, note=""):
        T.append({"id": tid, "target": what, "server": server, "value": value, "limit": limit,
                  "result": "N/A" if ok is None else ("PASS" if ok else "MISS"), "note": note})

    for s in pol:
        v = get(out, s, "full_tls13_rsa", "x_floor")
        add("cpu_floor", "server CPU per full TLS 1.3 RSA-2048 handshake <= 1.15x crypto floor", s, v, 1.15,
            None if v is None else v <= 1.15,
            "the target is set for polytls/openssl; reported for every backend" if s != "polytls/openssl" else "")
    for s in pol:
        for key in ("full_tls13_rsa", "full_tls12_rsa", "full_tls13_ecdsa", "full_tls12_ecdsa"):
            v = get(out, s, key, "rate")
            refs = {rs: get(out, rs, key, "rate") for rs in ref}
            if v is None or any(x is None for x in refs.values()):
                r = out["servers"][s].get(key, {})
                add("full_rate", f"full-handshake rate >= s_server and nginx ({key})", s, v, refs, None,
                    r.get("na") or r.get("error") or "a reference figure is missing")
                continue
            busy = [get(out, x, key, "client_busy_pct") or 0 for x in [s] + ref]
            add("full_rate", f"full-handshake rate >= s_server and nginx ({key})", s, v, refs,
                all(v >= x for x in refs.values()),
                "client-bound: load generator CPU >= 95%, the rates compare the client" if max(busy) >= 95 else "")
    for s in pol:
        for key, full in (("resumed_tls13_ticket", "full_tls13_rsa"), ("resumed_tls12_ticket", "full_tls12_rsa"),
                          ("resumed_tls12_id", "full_tls12_rsa")):
            v, f = get(out, s, key, "rate"), get(out, s, full, "rate")
            ok = None if v is None or not f else v >= 3 * f
            cv, cf = get(out, s, key, "cpu_ms_per_hs"), get(out, s, full, "cpu_ms_per_hs")
            add("resumed_rate", f"resumed rate >= 3x full rate ({key} vs {full})", s,
                None if ok is None else round(v / f, 2), 3.0, ok,
                f"by server CPU per handshake: {cf / cv:.2f}x" if cv and cf else "")
    ng = get(out, "nginx", "bulk", "cpu_s_per_gb")
    for s in pol:
        v = get(out, s, "bulk", "cpu_s_per_gb")
        add("bulk_cpu", "bulk server CPU s/GB <= nginx's", s, v, ng, None if v is None or ng is None else v <= ng)
    for s in pol:
        r = out["servers"].get(s, {}).get("idle", {})
        held, target = r.get("held"), out["client"]["idle"]
        add("idle_held", f"{target} idle TLS connections held", s, held, target,
            None if held is None else held >= target and not r.get("error"), r.get("error", ""))
        v = r.get("rss_per_conn_kb")
        add("rss_per_conn", "server RSS per idle connection <= 40 KB (target on openssl; reported for each)", s, v,
            40, None if v is None else v <= 40)
    for s in pol:
        p50, p99 = get(out, s, "latency_c64", "p50_ms"), get(out, s, "latency_c64", "p99_ms")
        ok = None if not p50 or p99 is None else p99 <= 5 * p50
        add("p99_p50", "p99 <= 5x p50 handshake time, 64 concurrent clients", s,
            None if ok is None else round(p99 / p50, 2), 5.0, ok)
    return T


# ---------------------------------------------------------------- printing

def fmt(v, nd=1):
    if v is None:
        return "n/a"
    if isinstance(v, float):
        return f"{v:.{nd}f}"
    return str(v)


def table(rows, header):
    w = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    lines = ["| " + " | ".join(str(h).ljust(w[i]) for i, h in enumerate(header)) + " |",
             "|" + "|".join("-" * (x + 2) for x in w) + "|"]
    for r in rows:
        lines.append("| " + " | ".join(str(c).ljust(w[i]) for i, c in enumerate(r)) + " |")
    return "\n".join(lines)


def report(out):
    S = list(out["servers"])
    fl = out["crypto_floor"]
    m = out["machine"]
    o = []
    o.append(f"polytls bench  {out['date']}  ({'quick' if out['quick'] else 'full'} run)")
    o.append(f"machine: {m['nproc']} CPUs, {m['cpu_model']}, Linux {m['kernel']}; loadavg at end {m['loadavg_at_end']}")
    o.append(f"pinning: {out['pinning']['note']}")
    o.append(f"client: bench/loadgen (OpenSSL), TLS 1.3 TLS_AES_128_GCM_SHA256 / TLS 1.2 ECDHE-*-AES128-GCM-SHA256, "
             f"X25519; full/resumed at 16 concurrent")
    ops = fl["ops_s"]
    o.append(f"crypto floor ({fl['openssl']}, openssl speed on CPU {SERVER_CPU}): RSA-2048 sign "
             f"{ops['rsa2048_sign']*1e3:.4f} ms, ECDSA P-256 sign {ops['ecdsap256_sign']*1e3:.4f} ms, "
             f"X25519 {ops['x25519']*1e3:.4f} ms -> RSA handshake {fl['rsa']*1e3:.4f} ms, "
             f"ECDSA handshake {fl['ecdsa']*1e3:.4f} ms")
    o.append("")
    rows = []

    def row(label, key, field, nd=1, scale=1.0):
        vals = []
        for s in S:
            r = out["servers"][s].get(key, {})
            if "na" in r:
                vals.append("n/a")
            elif r.get(field) is None:
                vals.append("err" if r.get("error") else "n/a")
            else:
                vals.append(fmt(r[field] * scale if scale != 1.0 else r[field], nd))
        rows.append([label] + vals)

    for kind in ("rsa", "ecdsa"):
        for tls in ("13", "12"):
            k = f"full_tls{tls}_{kind}"
            lab = f"TLS 1.{tls[1]} {'RSA-2048' if kind == 'rsa' else 'ECDSA P-256'}"
            row(f"full {lab}: handshakes/s", k, "rate", 0)
            row(f"full {lab}: server CPU ms/hs", k, "cpu_ms_per_hs", 3)
            row(f"full {lab}: x crypto floor", k, "x_floor", 2)
            row(f"full {lab}: kernel share of server CPU %", k, "sys_pct", 0)
    for k, lab in (("resumed_tls13_ticket", "TLS 1.3 ticket"), ("resumed_tls12_ticket", "TLS 1.2 ticket"),
                   ("resumed_tls12_id", "TLS 1.2 session ID")):
        row(f"resumed {lab}: handshakes/s", k, "rate", 0)
        row(f"resumed {lab}: server CPU ms/hs", k, "cpu_ms_per_hs", 3)
        row(f"resumed {lab}: % actually resumed", k, "resumed_pct", 1)
    for k, lab in (("full_tls13_rsa", "full TLS 1.3 RSA"), ("full_tls13_ecdsa", "full TLS 1.3 ECDSA"),
                   ("full_tls12_ecdsa", "full TLS 1.2 ECDSA")):
        row(f"{lab}: server CPU busy %", k, "server_busy_pct", 0)
        row(f"{lab}: client CPU busy %", k, "client_busy_pct", 0)
    row("bulk 64 MiB GET: server CPU s/GB", "bulk", "cpu_s_per_gb", 2)
    row("bulk 64 MiB GET: MB/s", "bulk", "mb_per_s", 0)
    row(f"idle: connections held (of {out['client']['idle']})", "idle", "held", 0)
    row("idle: server RSS KB/conn", "idle", "rss_per_conn_kb", 1)
    row("64 concurrent: handshakes/s", "latency_c64", "rate", 0)
    row("64 concurrent: p50 ms", "latency_c64", "p50_ms", 2)
    row("64 concurrent: p99 ms", "latency_c64", "p99_ms", 2)
    o.append("Absolute figures")
    o.append(table(rows, ["workload"] + S))
    o.append("")
    # ratios of every polytls backend vs the references
    refs = [s for s in ("openssl s_server", "nginx") if s in S]
    pol = [s for s in S if s.startswith("polytls/")]
    rrows = []
    for kind in ("rsa", "ecdsa"):
        for tls in ("13", "12"):
            k = f"full_tls{tls}_{kind}"
            lab = f"full TLS 1.{tls[1]} {kind.upper()}"
            for field, flab in (("rate", "rate"), ("cpu_ms_per_hs", "CPU/hs")):
                rr = [f"{lab} {flab}"]
                for s in pol:
                    for ref in refs:
                        a, b = get(out, s, k, field), get(out, ref, k, field)
                        rr.append(fmt(a / b, 2) if a and b else "n/a")
                rrows.append(rr)
    for k in ("resumed_tls13_ticket", "resumed_tls12_ticket", "resumed_tls12_id"):
        rr = [f"{k} rate"]
        for s in pol:
            for ref in refs:
                a, b = get(out, s, k, "rate"), get(out, ref, k, "rate")
                rr.append(fmt(a / b, 2) if a and b else "n/a")
        rrows.append(rr)
    for k, f, lab in (("bulk", "cpu_s_per_gb", "bulk CPU/GB"), ("idle", "rss_per_conn_kb", "idle RSS/conn"),
                      ("latency_c64", "p99_ms", "p99 at 64")):
        rr = [lab]
        for s in pol:
            for ref in refs:
                a, b = get(out, s, k, f), get(out, ref, k, f)
                rr.append(fmt(a / b, 2) if a and b else "n/a")
        rrows.append(rr)
    hdr = ["ratio (polytls / reference)"] + [f"{s.split('/', 1)[1]} / {'s_server' if r.startswith('openssl') else r}"
                                             for s in pol for r in refs]
    o.append("Ratios: polytls backend / reference (rate: higher is better; CPU, RSS, p99: lower is better)")
    o.append(table(rrows, hdr))
    o.append("")
    o.append("Server CPU per full handshake / crypto floor (same floor for every server)")
    frows = []
    for s in S:
        frows.append([s] + [fmt(get(out, s, f"full_tls{t}_{k}", "x_floor"), 2)
                            for k in ("rsa", "ecdsa") for t in ("13", "12")])
    o.append(table(frows, ["server", "TLS1.3 RSA", "TLS1.2 RSA", "TLS1.3 ECDSA", "TLS1.2 ECDSA"]))
    o.append("")
    o.append("Targets")
    trows = []
    for t in out["targets"]:
        lim = t["limit"]
        if isinstance(lim, dict):
            lim = ", ".join(f"{'s_server' if k.startswith('openssl') else k} {fmt(v, 0)}" for k, v in lim.items())
        trows.append([t["result"], t["server"], t["target"], fmt(t["value"], 2), fmt(lim, 2), t["note"][:72]])
    o.append(table(trows, ["result", "server", "target", "value", "limit/ref", "note"]))
    npass = sum(t["result"] == "PASS" for t in out["targets"])
    nmiss = sum(t["result"] == "MISS" for t in out["targets"])
    o.append(f"targets: {npass} PASS, {nmiss} MISS, {len(out['targets']) - npass - nmiss} N/A")
    noisy = [(s, k, r["cpu0_other_pct"]) for s, R in out["servers"].items() for k, r in R.items()
             if isinstance(r, dict) and (r.get("cpu0_other_pct") or 0) > 10]
    if noisy:
        o.append("")
        o.append("Interference: other processes used CPU 0 (the server's) during these workloads "
                 "(rates suffer; CPU per operation much less):")
        o.append("  " + "; ".join(f"{s} {k} {v:.0f}%" for s, k, v in noisy))
    errs = [(s, k, r["error"]) for s, R in out["servers"].items() for k, r in R.items()
            if isinstance(r, dict) and r.get("error")]
    if errs:
        o.append("")
        o.append("Errors seen (first error of each workload):")
        for s, k, e in errs:
            o.append(f"  {s} {k}: {e}")
    return "\n".join(o)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="short runs (CI smoke, < 2 minutes)")
    ap.add_argument("--polytls", default=f"{REPO}/build/bin/polytls", help="polytls binary (modules beside it)")
    ap.add_argument("--out", default=None, help="JSON result (default bench/results/latest.json, "
                                                 "bench/results/quick.json with --quick)")
    ap.add_argument("--build", action="store_true",
                    help="configure and build build-bench/ (RelWithDebInfo, every backend found) and use it")
    ap.add_argument("--only", default="", help="comma-separated substrings of server names to run")
    ap.add_argument("--keep", action="store_true", help="keep the temporary work directory")
    ap.add_argument("--report", metavar="JSON", help="only print the tables of an earlier result")
    args = ap.parse_args()
    if args.report:
        with open(args.report) as f:
            out = json.load(f)
        derive(out)
        print(report(out))
        return 0
    for tool in ("taskset", "openssl", "cc"):
        if not shutil.which(tool):
            log(f"bench: {tool} not found (see bench/REQUIREMENTS)")
            return 1
    if args.build:
        bdir = f"{REPO}/build-bench"
        log(f"bench: building {bdir} ...")
        sh(["cmake", "-S", REPO, "-B", bdir, "-DCMAKE_BUILD_TYPE=RelWithDebInfo"])
        targets = sh(["cmake", "--build", bdir, "--target", "help"]).stdout
        want = ["polytls"] + [t for t in ("polytls-openssl", "polytls-mbedtls", "polytls-wolfssl") if t in targets]
        sh(["cmake", "--build", bdir, "-j2", "--target", *want])
        args.polytls = f"{bdir}/bin/polytls"
    if not os.path.exists(args.polytls):
        log(f"bench: {args.polytls} not found: build first (cmake --preset default && cmake --build --preset default)")
        return 1
    if (os.cpu_count() or 1) < 2:
        log("bench: needs 2 CPUs (server and client pinned apart)")
        return 1
    t0 = time.time()
    out = bench(args)
    out["wall_s"] = round(time.time() - t0, 1)
    dest = args.out or f"{HERE}/results/{'quick' if args.quick else 'latest'}.json"
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    with open(dest, "w") as f:
        json.dump(out, f, indent=1)
    print(report(out))
    print(f"\nJSON: {os.path.relpath(dest)}  (wall {out['wall_s']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
