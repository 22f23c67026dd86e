"""Mbed TLS 3.6.6's ssl_client2 (`mbedtls-ssl_client2`) from the mbedtls@3.6.6 flavour build."""
import os
import re

from cm.common import flavour_prefix
from cm.scenarios import PSK_HEX, PSK_ID
from .base import CLASSIC, Peer, Plan, Step, Unsupported, norm_version

_G = {"X25519": "x25519", "P-256": "secp256r1", "P-384": "secp384r1", "P-521": "secp521r1", "ffdhe2048": "ffdhe2048"}


class MbedTLSPeer(Peer):
    name = "mbedtls-3.6"
    title = "Mbed TLS 3.6.6 ssl_client2"
    dtls = True
    can = (CLASSIC - {"cert:rsa-pss"}) | {"group-list"}
    page_check = "HTTP/1.0 200"  # ssl_client2 stops reading on its own heuristics, not at the end of the page
    cannot = {"X25519MLKEM768": "Mbed TLS 3.6 has no ML-KEM", "SecP256r1MLKEM768": "Mbed TLS 3.6 has no ML-KEM",
              "MLKEM768": "Mbed TLS 3.6 has no ML-KEM", "dtls1.3": "Mbed TLS 3.6 has no DTLS 1.3",
              "ech": "Mbed TLS 3.6 has no ECH", "ech-grease": "Mbed TLS 3.6 has no ECH",
              "cert-comp": "Mbed TLS 3.6 has no certificate compression",
              "rpk": "Mbed TLS 3.6 has no raw public keys",
              "cert:rsa-pss": "Mbed TLS 3.6: its ClientHello offers no rsa_pss_pss_* signature scheme (the only kind an RSA-PSS key can sign with)", "cert:ed448": "Mbed TLS 3.6 has no EdDSA",
              "serverinfo": "ssl_client2 does not show a signed_certificate_timestamp",
              "rsl": "ssl_client2 3.6.6 has no record_size_limit parameter (\"unrecognized param\")"}
    missing = None

    def setup(self, ctx):
        prefix, why = flavour_prefix("mbedtls", "3.6.6")
        self.missing = why
        self.exe = os.path.join(prefix, "bin", "mbedtls-ssl_client2") if prefix else "mbedtls@3.6.6-is-missing"

    def version(self, ctx):
        if self.missing:
            return "missing: " + self.missing
        return "Mbed TLS 3.6.6 ssl_client2 (%s)" % self.exe.replace(os.path.expanduser("~"), "~")

    def plan(self, sc, ctx, port, celldir):
        self.common_checks(sc)
        sp = sc.spec
        if sp.get("ed25519"):
            raise Unsupported("Mbed TLS 3.6 has no EdDSA")
        if sp.get("cert") in ("mldsa44", "mldsa65", "mldsa87"):
            raise Unsupported("Mbed TLS 3.6 has no ML-DSA")
        if sc.mode == "echo" and not sp.get("dtls"):
            raise Unsupported("ssl_client2 sends one request and reads one reply; it cannot wait for "
                              "server-side commands")
        if sp.get("dtls"):
            raise Unsupported("ssl_client2 sends one request and reads one reply; it cannot wait for the "
                              "server's echo of a marker typed after the handshake")
        argv = [self.exe, "server_addr=127.0.0.1", "server_port=%d" % port, "auth_mode=none",
                "server_name=" + (sp.get("sni") or "localhost"), "request_page=" + sp["path"], "read_timeout=15000"]
        v = sp.get("version")
        if v:
            argv.append("force_version=tls1%s" % v[-1])
        else:
            argv += ["min_version=tls12", "max_version=tls13"]
        c = sp.get("cipher")
        if c:
            argv.append("force_ciphersuite=" + (c.replace("TLS_", "TLS1-3-", 1) if "_WITH_" not in c else c)
                        .replace("_", "-"))
        if sp.get("groups"):
            argv.append("groups=" + ",".join(_G.get(g, g) for g in sp["groups"]))
        elif sp.get("group"):
            argv.append("groups=" + _G[sp["group"]])
        if sp.get("alpn"):
            argv.append("alpn=" + ",".join(sp["alpn"]))
        if sp.get("client_cert"):
            argv += ["crt_file=" + ctx.pki + "/client.pem", "key_file=" + ctx.pki + "/client.key"]
        else:
            argv += ["crt_file=none", "key_file=none"]
        if sp.get("psk"):
            argv += ["psk=" + PSK_HEX, "psk_identity=" + PSK_ID]
            if v == "1.3":
                argv.append("tls13_kex_modes=psk_all")
        if sp.get("mfl"):
            argv.append("max_frag_len=512")
        if sp.get("reneg"):
            argv.append("renegotiation=1")
        if sp.get("ocsp"):
            raise Unsupported("Mbed TLS has no OCSP stapling")
        if sp.get("resume") == "id":
            argv += ["reconnect=1", "reco_mode=0", "tickets=0"]
        elif sp.get("resume"):
            argv += ["reconnect=1", "reco_mode=0", "tickets=1"]
        if sc.mode == "early":
            raise Unsupported("ssl_client2's early data goes with its HTTP request, and it then waits for a "
                              "complete HTTP reply the echo server used for early data never sends")
        return Plan([Step(argv, timeout=30)], offered_alpn=sp.get("alpn"))

    def parse(self, outputs):
        rep = {}
        o = "\n".join(outputs)
        v = re.findall(r"\[ Protocol is (\S+) \]", o)
        if v:
            rep["version"] = norm_version(v[-1])
            rep["handshakes"] = len(v)
        m = re.findall(r"\[ Ciphersuite is (\S+) \]", o)
        if m:
            rep["cipher"] = m[-1].replace("-", "_").replace("TLS1_3_", "TLS_")
        m = re.findall(r"\[ Application Layer Protocol is (\S+) \]", o)
        if m:
            rep["alpn"] = m[-1]
        if "Reconnecting with saved session" in o:
            rep["resumed_attempted"] = True
        if re.search(r"early data.*accepted", o, re.I):
            rep["early_data"] = "accepted"
        elif re.search(r"early data.*rejected", o, re.I):
            rep["early_data"] = "rejected"
        return rep
