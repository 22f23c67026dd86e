"""Paths, process helpers and the polytls server side of a cell."""
import json
import os
import re
import signal
import subprocess
import time

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # compat-matrix/
REPO = os.path.dirname(HERE)
RESULTS = os.path.join(HERE, "results")
# The rows are whatever `polytls backends -json` lists (system backends and library flavours); this
# is only their display order: family, then the system flavour, then pinned releases by version.
FAMILIES = ["openssl", "mbedtls", "wolfssl"]


def family(backend):
    return backend.split("@", 1)[0]


def row_key(backend):
    fam, _, ver = backend.partition("@")
    nums = [int(x) if x.isdigit() else 0 for x in re.split(r"[.\-]", ver)] if ver else []
    return (FAMILIES.index(fam) if fam in FAMILIES else len(FAMILIES), fam, bool(ver), nums)


def order_rows(names):
    return sorted(names, key=row_key)


def flavour_prefix(fam, version, timeout=20):
    """The install prefix of a cached library flavour (tools/flavours/flavour.sh prepare), or
    (None, why). A flavour that is not cached is not built here: prepare would build it, so it gets
    `timeout` seconds and is then ended (with its children) and reported missing."""
    tool = os.path.join(REPO, "tools", "flavours", "flavour.sh")
    try:
        p = subprocess.Popen(["sh", tool, "prepare", fam, version], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, start_new_session=True)
    except OSError as e:
        return None, str(e)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGTERM)
        p.communicate()
        return None, ("%s@%s is not in the flavour cache (flavour.sh prepare started building it; run "
                      "tools/flavours/flavour.sh prepare %s %s)" % (fam, version, fam, version))
    prefix = out.decode().strip().splitlines()[-1] if out.strip() else ""
    if p.returncode != 0 or not prefix or not os.path.exists(os.path.join(prefix, ".complete")):
        return None, "%s@%s: flavour.sh prepare failed (exit %d): %s" % (
            fam, version, p.returncode, err.decode("utf-8", "replace").strip()[-300:])
    return prefix, None


class Ctx:
    """Run-wide settings shared by every cell."""

    def __init__(self, build_dir, logs_dir, tmp_dir):
        self.build = os.path.abspath(build_dir)
        self.polytls = os.path.join(self.build, "bin", "polytls")
        self.pki = os.path.join(self.build, "tests", "pki")
        self.logs = logs_dir
        self.tmp = tmp_dir  # per-run scratch for peer state (NSS db, p12, compiled clients)
        os.makedirs(self.tmp, exist_ok=True)
        self.gen = os.path.join(RESULTS, "tmp", "pki")  # certificates the scenarios make (cm/scenarios.py)


def rel(path):
    """Path relative to the repository root (for the ledger)."""
    try:
        return os.path.relpath(path, REPO)
    except ValueError:
        return path


def run_capture(argv, timeout=30, env=None, cwd=None, stdin=None):
    """Runs argv, returns (rc, combined output). rc 124 on timeout, 127 if not found."""
    try:
        p = subprocess.run(argv, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout, env=env, cwd=cwd)
        return p.returncode, p.stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired as e:
        return 124, (e.stdout or b"").decode("utf-8", "replace")
    except FileNotFoundError as e:
        return 127, str(e)


def stop(proc, grace=3.0):
    """Ends a process this harness started (by its own handle): SIGTERM, then SIGKILL."""
    if proc.poll() is not None:
        return proc.returncode
    try:
        proc.send_signal(signal.SIGTERM)
        return proc.wait(grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait(5)


def read_events(path):
    evs = []
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                line = line.strip()
                if line:
                    try:
                        evs.append(json.loads(line))
                    except ValueError:
                        pass
    except OSError:
        pass
    return evs


def read_text(path, limit=1 << 20):
    """The file's text; for a big file, its first `limit` bytes and its last 256 KiB."""
    try:
        with open(path, "rb") as f:
            data = f.read(limit)
            size = os.fstat(f.fileno()).st_size
            if size > limit:
                f.seek(max(limit, size - (256 << 10)))
                data += b"\n[...]\n" + f.read()
            return data.decode("utf-8", "replace")
    except OSError:
        return ""


def probe_server(ctx, extra=()):
    """(process, port) of a throwaway `polytls s_server -backend openssl -www` for a peer's setup."""
    p = subprocess.Popen([ctx.polytls, "s_server", "-backend", "openssl", "-accept", "127.0.0.1:0", "-www"]
                         + list(extra), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    for line in p.stdout:
        m = re.match(rb"ACCEPT .*:(\d+)", line)
        if m:
            return p, int(m.group(1))
    return p, None


class Server:
    """One `polytls s_server` for one cell attempt."""

    def __init__(self, ctx, backend, args, celldir, interactive=False):
        self.ctx = ctx
        self.backend = backend
        self.events_path = os.path.join(celldir, "server-events.jsonl")
        self.out_path = os.path.join(celldir, "server.out")
        self.err_path = os.path.join(celldir, "server.err")
        self.argv = [ctx.polytls, "s_server", "-backend", backend, "-accept", "127.0.0.1:0",
                     "-json", self.events_path] + args
        self.interactive = interactive
        self.proc = None
        self.port = None
        self.start_rc = None  # exit code if it ended before ACCEPT
        self.rc = None

    def start(self, timeout=8.0):
        self._ev_path = None
        for p in (self.events_path, self.out_path, self.err_path):
            if os.path.exists(p):
                os.unlink(p)
        out = open(self.out_path, "wb")
        err = open(self.err_path, "wb")
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE if self.interactive else subprocess.DEVNULL,
                                     stdout=out, stderr=err, cwd=os.path.dirname(self.out_path))
        out.close()
        err.close()
        deadline = time.time() + timeout
        while time.time() < deadline:
            txt = read_text(self.out_path, 4096)
            m = re.search(r"^ACCEPT [^\n]*:(\d+)\s*$", txt, re.M)
            if m:
                self.port = int(m.group(1))
                return True
            if self.proc.poll() is not None:
                self.start_rc = self.proc.returncode
                self.rc = self.start_rc
                return False
            time.sleep(0.01)
        self.rc = stop(self.proc)
        self.start_rc = -1
        return False

    def stderr(self):
        return read_text(self.err_path)

    def capability_reason(self):
        lines = [l.split("capability error:", 1)[1].strip() for l in self.stderr().splitlines()
                 if "capability error:" in l]
        return "; ".join(lines)

    def send(self, text):
        if self.proc and self.proc.stdin and self.proc.poll() is None:
            try:
                self.proc.stdin.write(text.encode())
                self.proc.stdin.flush()
            except OSError:
                pass

    def events(self):
        """Every event so far; the file is read incrementally (runners poll it every 20 ms, and a
        server shared by a group's peers writes many events)."""
        if getattr(self, "_ev_path", None) != self.events_path or not os.path.exists(self.events_path):
            self._ev_path, self._ev_off, self._evs = self.events_path, 0, []
        try:
            with open(self.events_path, "rb") as f:
                f.seek(self._ev_off)
                data = f.read()
        except OSError:
            return list(self._evs)
        end = data.rfind(b"\n") + 1  # complete lines only
        for line in data[:end].decode("utf-8", "replace").splitlines():
            line = line.strip()
            if line:
                try:
                    self._evs.append(json.loads(line))
                except ValueError:
                    pass
        self._ev_off += end
        return list(self._evs)

    def wait_event(self, name, count=1, timeout=10.0):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if sum(1 for e in self.events() if e.get("event") == name) >= count:
                return True
            if self.proc.poll() is not None:
                return False
            time.sleep(0.02)
        return False

    def stop(self):
        if self.proc is None:
            return None
        if self.proc.stdin:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
        self.rc = stop(self.proc)
        return self.rc
