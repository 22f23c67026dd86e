"""BoringSSL `bssl-tool client` (Debian android-boringssl: the BoringSSL of Android 13)."""
import os
import re

from cm import suites
from cm.common import run_capture
from cm.scenarios import MARK
from .base import CLASSIC, GET, Peer, Plan, Step, Unsupported, norm_version

# BoringSSL implements no DHE, no CCM and no SHA-2 CBC suites (`bssl-tool ciphers ALL`)
_TLS12 = {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
          "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
          "TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_GCM_SHA384", "TLS_RSA_WITH_AES_128_CBC_SHA",
          "TLS_RSA_WITH_AES_256_CBC_SHA"}
_TLS13 = {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"}


class BoringSSLPeer(Peer):
    name = "bssl"
    title = "BoringSSL bssl-tool client (android-boringssl)"
    exe = "bssl-tool"
    can = (CLASSIC - {"ffdhe2048", "cert:rsa-pss"}) | {"group-list", "ech", "ech-grease", "serverinfo"}
    cannot = {"ffdhe2048": "BoringSSL has no FFDHE groups",
              "cert:rsa-pss": "BoringSSL: its ClientHello offers no rsa_pss_pss_* signature scheme (the only kind an RSA-PSS key can sign with)",
              "X25519MLKEM768": "this BoringSSL (Android 13) predates ML-KEM (it has only X25519Kyber768Draft00)",
              "rsl": "BoringSSL does not implement record_size_limit",
              "cert-comp": "bssl-tool client has no option to offer certificate compression",
              "rpk": "BoringSSL has no raw public keys (RFC 7250)", "dtls1.3": "bssl-tool client speaks no DTLS",
              "cert:ed448": "BoringSSL has no Ed448"}

    def version(self, ctx):
        out = run_capture(["dpkg-query", "-W", "-f", "${Version}", "android-boringssl"])[1].strip()
        return "BoringSSL bssl-tool (Debian android-boringssl %s)" % out

    def plan(self, sc, ctx, port, celldir):
        self.common_checks(sc)
        sp = sc.spec
        if sp.get("dtls"):
            raise Unsupported("bssl-tool client speaks no DTLS")
        if sp.get("psk"):
            raise Unsupported("bssl-tool client has no PSK option")
        if sp.get("mfl"):
            raise Unsupported("BoringSSL does not implement max_fragment_length")
        c = sp.get("cipher")
        if c and c not in _TLS12 | _TLS13:
            raise Unsupported("BoringSSL does not implement %s" % c)
        if c in _TLS13:
            c = None  # BoringSSL's TLS 1.3 suites are fixed; it offers all three
        argv = [self.exe, "client", "-connect", "127.0.0.1:%d" % port]
        v = sp.get("version")
        if v:
            argv += ["-min-version", "tls1." + v[-1], "-max-version", "tls1." + v[-1]]
        if c:
            argv += ["-cipher", suites.OPENSSL_NAME[c]]
        if sp.get("groups"):
            argv += ["-curves", ":".join(sp["groups"])]
        elif sp.get("group"):
            argv += ["-curves", sp["group"]]
        if sp.get("ed25519"):
            argv += ["-sigalgs", "ed25519:ECDSA+SHA256:rsa_pss_rsae_sha256:RSA+SHA256"]
        if sp.get("alpn"):
            argv += ["-alpn-protos", ",".join(sp["alpn"])]
        if sp.get("sni"):
            argv += ["-server-name", sp["sni"]]
        if sp.get("client_cert"):
            argv += ["-cert", ctx.pki + "/client.pem", "-key", ctx.pki + "/client.key"]
        if sp.get("ocsp"):
            argv.append("-ocsp-stapling")
        if sp.get("serverinfo"):
            argv.append("-signed-certificate-timestamps")
        if sp.get("reneg"):
            argv.append("-renegotiate-freely")
        if sp.get("ech") == "grease":
            argv.append("-ech-grease")
        elif sp.get("ech") == "config":
            from cm.scenarios import ech_config_b64
            import base64
            cfg = ech_config_b64(ctx)
            if not cfg:
                raise Unsupported("no ECHConfigList (the openssl@4.0.2 CLI that makes the ECH key is missing)")
            path = os.path.join(celldir, "echconfiglist.bin")
            with open(path, "wb") as f:
                f.write(base64.b64decode(cfg))
            argv += ["-ech-config-list", path]
        sess = os.path.join(celldir, "session.bin")
        req = (GET % sp["path"]).encode()
        if sc.mode == "echo":
            # ended once the marker is there: on stdin EOF bssl-tool half-closes the TCP connection
            # without close_notify and an OpenSSL server (s_server too) answers decode_error
            return Plan([Step(argv, stdin=b"hello from bssl\n", interactive=True, kill_after=True)],
                        offered_alpn=sp.get("alpn"))
        if sc.mode == "early":
            return Plan([Step(argv + ["-session-out", sess], stdin=None, hold=1.0, kill_after=True),
                         Step(argv + ["-session-in", sess, "-early-data", MARK + "\n"], stdin=None, hold=1.0,
                              kill_after=True)])
        if sp.get("resume"):
            return Plan([Step(argv + ["-session-out", sess], stdin=req, hold_until="</HTML>", kill_after=True),
                         Step(argv + ["-session-in", sess], stdin=req, hold_until="</HTML>", kill_after=True)],
                        offered_alpn=sp.get("alpn"))
        return Plan([Step(argv, stdin=req, hold_until="</HTML>", kill_after=True)], offered_alpn=sp.get("alpn"))

    def parse(self, outputs):
        rep = {}
        hs = 0
        for o in outputs:
            m = re.search(r"^\s+Version: (\S+)", o, re.M)
            if not m:
                continue
            hs += 1
            rep["version"] = norm_version(m.group(1))
            m = re.search(r"^\s+Cipher: (\S+)", o, re.M)
            if m:
                rep["cipher"] = m.group(1)
            m = re.search(r"^\s+Resumed session: (\w+)", o, re.M)
            if m:
                rep["resumed"] = m.group(1) == "yes"
            m = re.search(r"^\s+ALPN protocol: (\S+)", o, re.M)
            if m:
                rep["alpn"] = m.group(1)
            m = re.search(r"^\s+ECDHE curve: (\S+)", o, re.M)
            if m:
                rep["group"] = m.group(1)
            m = re.search(r"^\s+Cert subject: (.*)$", o, re.M)
            if m:
                rep["peer_cn"] = m.group(1).replace(" = ", "=").strip()
            m = re.search(r"^\s+OCSP staple: (\w+)", o, re.M)
            if m:
                rep["ocsp"] = "received" if m.group(1) == "yes" else "none"
            m = re.search(r"^\s+SCT list: (\w+)", o, re.M)
            if m and m.group(1) == "yes":
                rep["serverinfo"] = "received"
            m = re.search(r"^\s+Early data: (\w+)", o, re.M)
            if m:
                rep["early_data"] = "accepted" if m.group(1) == "yes" else "rejected"
            m = re.search(r"^\s+Encrypted ClientHello: (\w+)", o, re.M)
            if m:
                rep["ech"] = "accepted" if m.group(1) == "yes" else "not accepted"
        if hs:
            rep["handshakes"] = hs
        return rep
