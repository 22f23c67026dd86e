"""BoringSSL as Chromium ships it: headless Chromium (Debian chromium), one browser per run, one fresh
browser context per cell, driven over the DevTools protocol by peers/cdpclient.py.

Chromium cannot be told which version, suite or group to offer: the server's options choose, and
what Chromium offers is read from its own ClientHello once per run (setup) against a polytls
server; a scenario that needs something Chromium does not offer is UNSUPPORTED(peer) with that
evidence. HTTP/2 is switched off (the -www server speaks HTTP/1)."""
import json
import os
import re
import subprocess
import time

from cm.common import run_capture, stop
from .base import Peer, Plan, Step, Unsupported, from_kv

HERE = os.path.dirname(os.path.abspath(__file__))
NAMES = ["alt.test", "ech.test"]  # mapped to 127.0.0.1 (--host-resolver-rules)


class ChromiumPeer(Peer):
    name = "chromium"
    title = "Chromium (BoringSSL) headless"
    http_only = True
    extra_conns = True  # it may open another connection (favicon) after the page: only the first is compared
    can = {"cert:ecdsa-p384"}
    cannot = {"ocsp": "DevTools' securityDetails do not show an OCSP staple",
              "group-list": "Chromium's offered groups cannot be configured",
              "ech": "Chromium takes ECHConfigs only from DNS HTTPS records (no DNS here)",
              "ech-grease": "Chromium sends ECH GREASE only when its ECH feature is on for the origin; "
                            "its ClientHello here carries none",
              "rsl": "Chromium does not send record_size_limit", "rpk": "Chromium has no raw public keys",
              "dtls1.3": "Chromium speaks no DTLS to web pages",
              "cert:ed448": "BoringSSL has no Ed448",
              "cert:rsa-pss": "Chromium (BoringSSL): its ClientHello offers no rsa_pss_pss_* signature scheme (the only kind an RSA-PSS key can sign with)",
              "reneg": "Chromium refuses server-initiated renegotiation on HTTP/1.1 after the request is sent"}
    proc = None
    offered = None

    def _launch(self, ctx):
        self.dir = os.path.join(ctx.tmp, "chromium")
        os.makedirs(self.dir, exist_ok=True)
        port_file = os.path.join(self.dir, "DevToolsActivePort")
        if os.path.exists(port_file):
            os.unlink(port_file)
        exe = "chromium"
        self.log = open(os.path.join(ctx.tmp, "chromium.log"), "wb")
        self.proc = subprocess.Popen(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--ignore-certificate-errors",
             "--disable-http2", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--no-first-run", "--disable-extensions", "--disable-default-apps",
             "--remote-debugging-port=0", "--remote-allow-origins=*", "--user-data-dir=" + self.dir,
             "--host-resolver-rules=" + ", ".join("MAP %s 127.0.0.1" % n for n in NAMES), "about:blank"],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline and not os.path.exists(port_file):
            if self.proc.poll() is not None:
                raise RuntimeError("chromium exited with %s (log %s)" % (self.proc.returncode, self.log.name))
            time.sleep(0.1)
        time.sleep(0.2)

    def setup(self, ctx):
        self._launch(ctx)
        # what Chromium offers: its own ClientHello against a polytls server
        ev = os.path.join(ctx.tmp, "chromium-probe.jsonl")
        srv = subprocess.Popen([ctx.polytls, "s_server", "-backend", "openssl", "-accept", "127.0.0.1:0",
                                "-www", "-json", ev], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               stdin=subprocess.DEVNULL)
        port = None
        for line in srv.stdout:
            m = re.match(rb"ACCEPT .*:(\d+)", line)
            if m:
                port = int(m.group(1))
                break
        run_capture(self.step_argv(ctx, "https://127.0.0.1:%d/" % port), timeout=60)
        stop(srv)
        ch = [json.loads(l) for l in open(ev) if '"client_hello"' in l]
        self.offered = ch[0] if ch else {}

    def teardown(self, ctx):
        if self.proc is not None:
            stop(self.proc, 5)
            self.proc = None

    def version(self, ctx):
        out = run_capture(["chromium", "--version"])[1]  # Debian's wrapper script may say more on stderr
        line = next((l for l in out.splitlines() if l.startswith("Chromium ")), out.strip())
        return line.strip() + " (headless, DevTools protocol)"

    def step_argv(self, ctx, url, resume=False):
        return ["/usr/bin/python3", os.path.join(HERE, "cdpclient.py"), "--devtools", self.dir, "--url", url] + \
            (["--resume"] if resume else [])

    def plan(self, sc, ctx, port, celldir):
        off = self.offered or {}
        groups = off.get("groups") or []
        ciphers = off.get("ciphers") or []
        sp = sc.spec
        exts = [x.get("name") for x in off.get("extensions") or []]
        for f in sc.needs:
            if f in groups or (f == "cert-comp" and "compress_certificate" in exts) or \
                    (f == "serverinfo" and "signed_certificate_timestamp" in exts):
                continue
            if f not in self.can:
                why = self.cannot.get(f)
                if f in ("P-521", "ffdhe2048", "SecP256r1MLKEM768", "MLKEM768", "X25519MLKEM768", "serverinfo") \
                        or not why:
                    why = "Chromium does not offer %s (its ClientHello offers groups %s)" % (f, ", ".join(groups))
                raise Unsupported(why)
        if sc.mode in ("echo", "early"):
            raise Unsupported("Chromium only loads pages; it cannot hold a raw session open")
        if sp.get("dtls"):
            raise Unsupported("Chromium speaks no DTLS to web pages")
        c = sp.get("cipher")
        if c and c not in ciphers:
            raise Unsupported("Chromium does not offer %s (its ClientHello: %s)" % (c, " ".join(
                x for x in ciphers if not x.startswith("GREASE"))))
        g = sp.get("group")
        if g and g not in groups:
            raise Unsupported("Chromium does not offer group %s (its ClientHello offers %s)" % (g, ", ".join(groups)))
        for k, why in (("psk", "Chromium has no external PSK"), ("mfl", "Chromium does not send max_fragment_length"),
                       ("client_cert", "headless Chromium has no client certificate to select (no policy, no store)"),
                       ("ed25519", "Chromium does not offer Ed25519 signatures")):
            if sp.get(k):
                raise Unsupported(why)
        if sp.get("cert") in ("mldsa44", "mldsa65", "mldsa87"):
            raise Unsupported("Chromium offers no ML-DSA signature schemes")
        if sp.get("resume") == "id":
            raise Unsupported("Chromium resumes TLS 1.2 with tickets when the server offers them; -no_ticket "
                              "cannot be told apart from a cache miss through DevTools")
        host = sp.get("sni") or "127.0.0.1"
        url = "https://%s:%d%s" % (host, port, sp["path"])
        return Plan([Step(self.step_argv(ctx, url, resume=bool(sp.get("resume"))), timeout=40)],
                    offered_alpn=["http/1.1"] if sp.get("alpn") else None)

    def parse(self, outputs):
        rep = from_kv(outputs)
        for o in outputs:
            m = re.search(r"\tscts=(\d+)", o)
            if m and int(m.group(1)) > 0:
                rep["serverinfo"] = "received"
        if rep.get("cipher") and not rep["cipher"].startswith("TLS_"):
            rep["cipher_chromium"] = rep.pop("cipher")  # Chromium's names (AES_128_GCM), not IANA
        return rep
