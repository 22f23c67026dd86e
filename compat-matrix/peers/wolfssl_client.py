"""wolfSSL 5.9.2's example client (`wolfssl-client`) from the wolfssl@5.9.2 flavour build."""
import os
import re
import shutil

from cm.common import flavour_prefix
from cm import suites
from cm.scenarios import ech_config_b64
from .base import CLASSIC, Peer, Plan, Step, Unsupported, norm_version

_GROUPS = {"X25519MLKEM768": "X25519MLKEM768", "SecP256r1MLKEM768": "SecP256r1MLKEM768", "MLKEM768": "ML_KEM_768"}


class WolfSSLPeer(Peer):
    name = "wolfssl-5.9"
    title = "wolfSSL 5.9.2 example client"
    dtls = True
    page_check = "HTTP/1.0 200"  # the example client prints one read of the reply, not the whole page
    can = (CLASSIC - {"P-521", "ffdhe2048", "reneg"}) | {"X25519MLKEM768", "SecP256r1MLKEM768",
                                                          "dtls1.3", "ech", "cert:ed448"}
    cannot = {"MLKEM768": "wolfssl-client --pqc ML_KEM_768 refuses before connecting: \"invalid post-quantum KEM "
                          "specified\" (this client takes the hybrid groups only)",
              "P-521": "the wolfSSL example client cannot choose P-521 (-t picks X25519, -Y any ECC share)",
              "ffdhe2048": "the wolfSSL example client cannot choose one FFDHE group (-y: any)",
              "group-list": "the wolfSSL example client takes one key share group (--pqc), not a list",
              "ech-grease": "the wolfSSL example client has no ECH GREASE option",
              "rsl": "the wolfSSL example client has no record_size_limit option",
              "cert-comp": "the wolfSSL example client has no certificate compression option",
              "rpk": "the wolfSSL example client's --rpk sends its own raw key, it does not ask for the server's",
              "serverinfo": "the wolfSSL example client does not show a signed_certificate_timestamp",
              "reneg": "the wolfSSL example client renegotiates only on its own (-i), not on the server's request"}
    missing = None

    def setup(self, ctx):
        prefix, why = flavour_prefix("wolfssl", "5.9.2")
        self.missing = why
        self.exe = os.path.join(prefix, "bin", "wolfssl-client") if prefix else "wolfssl@5.9.2-is-missing"
        # the example client resolves its default files from a "wolf root" holding certs/
        self.root = os.path.join(ctx.tmp, "wolfroot")
        certs = os.path.join(self.root, "certs")
        os.makedirs(certs, exist_ok=True)
        for src, dst in (("client.pem", "client-cert.pem"), ("client.key", "client-key.pem"),
                         ("ca.pem", "ca-cert.pem"), ("dh.pem", "dh2048.pem"), ("ca.pem", "server-ecc.pem")):
            shutil.copy(os.path.join(ctx.pki, src), os.path.join(certs, dst))

    def version(self, ctx):
        if self.missing:
            return "missing: " + self.missing
        return "wolfSSL 5.9.2 example client (%s)" % self.exe.replace(os.path.expanduser("~"), "~")

    def plan(self, sc, ctx, port, celldir):
        self.common_checks(sc)
        sp = sc.spec
        link = os.path.join(celldir, "certs")  # the client runs in the cell directory
        if not os.path.lexists(link):
            os.symlink(os.path.join(self.root, "certs"), link)
        argv = [self.exe, "-h", "127.0.0.1", "-p", str(port), "-d"]
        if sp.get("dtls"):
            argv += ["-u", "-v", "4" if sp["dtls"] == "1.3" else "3"]
        elif sp.get("version"):
            argv += ["-v", "4" if sp["version"] == "1.3" else "3"]
        else:
            argv += ["-v", "d"]  # downgrade: highest common
        c = sp.get("cipher")
        if c and c.startswith("TLS_RSA_"):
            raise Unsupported("this wolfSSL build has no static-RSA suites (wolfssl-client: \"client can't set "
                              "cipher list\"; WOLFSSL_STATIC_RSA is not in --enable-all)")
        if c and not sp.get("psk"):
            argv += ["-l", c if c in suites.TLS13 else suites.OPENSSL_NAME[c]]
        g = sp.get("group")
        if g in _GROUPS:
            argv += ["--pqc", _GROUPS[g]]
        elif g == "X25519":
            argv.append("-t")
        elif g in ("P-256", "P-384"):
            if sp.get("version") == "1.3":
                argv.append("-Y")  # ECC key shares only; the server's -groups picks the curve
        if sp.get("alpn"):
            argv += ["-L", "C:" + ",".join(sp["alpn"])]
        if sp.get("sni"):
            argv += ["-S", sp["sni"]]
        if sp.get("client_cert"):
            argv += ["-c", ctx.pki + "/client.pem", "-k", ctx.pki + "/client.key"]
        else:
            argv.append("-x")
        if sp.get("psk"):
            raise Unsupported("the wolfSSL example client's PSK (-s) uses its built-in identity and key")
        if sp.get("mfl"):
            argv += ["-F", "2"]  # 2^9 = 512
        if sp.get("ocsp"):
            argv += ["-W", "1"]
        if sp.get("ech") == "config":
            cfg = ech_config_b64(ctx)
            if not cfg:
                raise Unsupported("no ECHConfigList (the openssl@4.0.2 CLI that makes the ECH key is missing)")
            argv += ["--ech", cfg]
        if sc.mode == "echo":
            # the client sends one message and prints the first reply: the marker the runner types
            # into the server after its commands; ended once the marker is there
            return Plan([Step(argv, interactive=True, kill_after=True, timeout=20)])
        if sc.mode == "early":
            raise Unsupported("the wolfSSL example client's -0 sends its early data and then waits for an "
                              "HTTP-style reply the echo server never sends (the adapter cannot end it cleanly)")
        if sp.get("resume"):
            argv.append("-r")
        argv.append("-g")
        if sp["path"] != "/":
            raise Unsupported("the wolfSSL example client's -g always requests /")
        return Plan([Step(argv, stdin=b"", timeout=20)], offered_alpn=sp.get("alpn"))

    def parse(self, outputs):
        rep = {}
        o = "\n".join(outputs)
        v = re.findall(r"^SSL version is (\S+)", o, re.M)
        if v:
            rep["version"] = norm_version(v[-1])
            rep["handshakes"] = len(v)
        m = re.findall(r"^SSL cipher suite is (\S+)", o, re.M)
        if m:
            rep["cipher"] = m[-1]
        if re.search(r"^SSL reused session|^reused session id", o, re.M):
            rep["resumed"] = True
        elif re.search(r"didn't reuse session", o):
            rep["resumed"] = False
        m = re.search(r"^ subject: (.*)$", o, re.M)
        if m:
            rep["peer_cn"] = m.group(1).strip().lstrip("/")
        if re.search(r"Early Data was accepted|early data accepted", o, re.I):
            rep["early_data"] = "accepted"
        elif re.search(r"Early Data was rejected|early data rejected|Early data not sent", o, re.I):
            rep["early_data"] = "rejected"
        return rep
