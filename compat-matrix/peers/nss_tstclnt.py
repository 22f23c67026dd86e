"""NSS tstclnt."""
import os
import re
import subprocess

from cm import suites
from cm.common import run_capture
from cm.scenarios import PSK_HEX, PSK_ID
from .base import CLASSIC, GET, Peer, Plan, Step, Unsupported, norm_version


class NSSPeer(Peer):
    name = "nss"
    title = "NSS tstclnt"
    can = CLASSIC - {"cert:rsa-pss"}
    cannot = {"cert:rsa-pss": "NSS 3.87 tstclnt: its ClientHello offers no rsa_pss_pss_* signature scheme (the only kind an RSA-PSS key can sign with)"}

    def setup(self, ctx):
        self.db = os.path.join(ctx.tmp, "nssdb")
        if os.path.exists(os.path.join(self.db, "cert9.db")):
            return
        os.makedirs(self.db, exist_ok=True)
        p12 = os.path.join(ctx.tmp, "client-nss.p12")
        subprocess.run(["certutil", "-N", "-d", "sql:" + self.db, "--empty-password"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run(["openssl", "pkcs12", "-export", "-in", ctx.pki + "/client.pem", "-inkey",
                        ctx.pki + "/client.key", "-name", "client", "-passout", "pass:pass", "-out", p12],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run(["pk12util", "-i", p12, "-d", "sql:" + self.db, "-W", "pass"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def version(self, ctx):
        rc, out = run_capture(["dpkg-query", "-W", "-f", "${Version}", "libnss3"])
        return "NSS %s (tstclnt, Debian libnss3)" % out.strip()

    def plan(self, sc, ctx, port, celldir):
        self.common_checks(sc)
        sp = sc.spec
        if sp.get("alpn"):
            raise Unsupported("tstclnt has no option to offer ALPN")
        if sp.get("psk") and sp.get("version") == "1.2":
            raise Unsupported("NSS has no TLS 1.2 PSK cipher suites")
        if sp.get("ed25519"):
            raise Unsupported("NSS 3.87 has no Ed25519 TLS signature scheme")
        if sp.get("mfl"):
            raise Unsupported("NSS does not implement max_fragment_length")
        if sc.mode == "early":
            raise Unsupported("tstclnt resumes only inside one process (-L) and cannot hold 0-RTT data "
                              "for the second connection")
        c = sp.get("cipher")
        if c and "CCM" in c:
            raise Unsupported("NSS has no CCM cipher suites")
        argv = ["tstclnt", "-h", "127.0.0.1", "-p", str(port), "-d", "sql:" + self.db, "-o", "-O", "-v"]
        if sp.get("version"):
            argv += ["-V", "tls%s:tls%s" % (sp["version"], sp["version"])]
        if c and not sp.get("psk"):
            argv += ["-c", ":%04X" % suites.CODES[c]]
        if sp.get("group"):
            argv += ["-I", {"X25519": "x25519", "P-256": "P256", "P-384": "P384", "P-521": "P521",
                            "ffdhe2048": "FF2048"}[sp["group"]]]
        if sp.get("sni"):
            argv += ["-a", sp["sni"]]
        if sp.get("client_cert"):
            argv += ["-n", "client"]
        if sp.get("ocsp"):
            argv.append("-T")
        if sp.get("psk"):
            argv += ["-z", "0x%s:%s" % (PSK_HEX, PSK_ID)]
        if sp.get("resume"):
            # -L 2: two connections in one process (shared session cache); -A sends the request on each
            req = os.path.join(celldir, "request.txt")
            with open(req, "w") as f:
                f.write(GET % sp["path"])
            argv += ["-L", "2", "-A", req] + (["-u"] if sp["resume"] == "ticket" else [])
            return Plan([Step(argv, timeout=20)])
        if sc.mode == "echo":
            return Plan([Step(argv, stdin=b"hello from tstclnt\n", interactive=True, kill_after=True)])
        return Plan([Step(argv, stdin=(GET % sp["path"]).encode(), hold_until="</HTML>", kill_after=True)])

    def parse(self, outputs):
        rep = {}
        o = "\n".join(outputs)
        vs = re.findall(r"SSL version (\d)\.(\d) using", o)
        if vs:
            maj, mnr = vs[-1]
            rep["version"] = {"1": "TLSv1", "2": "TLSv1.1", "3": "TLSv1.2", "4": "TLSv1.3"}.get(mnr, mnr) \
                if maj == "3" else None
            rep["handshakes"] = len(vs)
        m = re.findall(r"^subject DN: (.*)$", o, re.M)
        if m:
            rep["peer_cn"] = m[-1].strip()
        m = re.search(r"^Received (\d+) Cert Status items", o, re.M)
        if m:
            rep["ocsp"] = "received" if int(m.group(1)) > 0 else "none"
        return rep
