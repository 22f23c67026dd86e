"""Botan `botan tls_client` (Botan 2.19: TLS up to 1.2)."""
import os
import re

from cm import suites
from cm.common import run_capture
from .base import CLASSIC, GET, Peer, Plan, Step, Unsupported, norm_version

# IANA cipher -> Botan policy (ciphers, macs, key_exchange_methods, signature_methods)
_C = {"AES_128_GCM": "AES-128/GCM", "AES_256_GCM": "AES-256/GCM", "CHACHA20_POLY1305": "ChaCha20Poly1305",
      "AES_128_CBC": "AES-128", "AES_256_CBC": "AES-256", "AES_128_CCM": "AES-128/CCM"}
_KX = {"ECDHE_ECDSA": ("ECDH", "ECDSA"), "ECDHE_RSA": ("ECDH", "RSA"), "DHE_RSA": ("DH", "RSA"),
       "RSA": ("RSA", "RSA IMPLICIT")}
_G = {"X25519": "x25519", "P-256": "secp256r1", "P-384": "secp384r1", "P-521": "secp521r1",
      "ffdhe2048": "ffdhe/ietf/2048"}


class BotanPeer(Peer):
    name = "botan"
    title = "Botan tls_client"
    max_version = "1.2"
    can = CLASSIC - {"cert:rsa-pss"}
    cannot = {"cert:rsa-pss": "Botan 2.19: its ClientHello offers no rsa_pss_pss_* signature scheme (the only kind an RSA-PSS key can sign with)"}

    def version(self, ctx):
        return "Botan " + run_capture(["botan", "version"])[1].strip()

    def policy(self, sp):
        pol = {
            "allow_tls10": "false", "allow_tls11": "false", "allow_tls12": "true",
            "ciphers": "ChaCha20Poly1305 AES-256/GCM AES-128/GCM AES-256/CCM AES-128/CCM AES-256 AES-128",
            "macs": "AEAD SHA-384 SHA-256 SHA-1",
            "key_exchange_methods": "CECPQ1 ECDH DH RSA",
            "signature_methods": "ECDSA RSA IMPLICIT",
            "key_exchange_groups": "x25519 secp256r1 secp384r1 secp521r1 ffdhe/ietf/2048 ffdhe/ietf/3072",
            "allow_server_initiated_renegotiation": "true" if sp.get("reneg") else "false",
        }
        c = sp.get("cipher")
        if c:
            body = c[len("TLS_"):]
            kx, rest = body.split("_WITH_")
            for pre, name in _C.items():
                if rest.startswith(pre):
                    tail = rest[len(pre):].lstrip("_")
                    break
            else:
                raise Unsupported("no Botan policy for " + c)
            if pre.endswith("CCM") and tail == "8":
                raise Unsupported("no Botan policy for " + c)
            pol["ciphers"] = name
            pol["macs"] = "AEAD" if ("GCM" in pre or "CHACHA" in pre or "CCM" in pre) else \
                {"SHA": "SHA-1", "SHA256": "SHA-256", "SHA384": "SHA-384"}[tail]
            pol["key_exchange_methods"], pol["signature_methods"] = _KX[kx]
        if sp.get("group"):
            pol["key_exchange_groups"] = _G[sp["group"]]
        return "".join("%s = %s\n" % kv for kv in pol.items())

    def plan(self, sc, ctx, port, celldir):
        self.common_checks(sc)
        sp = sc.spec
        if sp.get("ed25519"):
            raise Unsupported("Botan 2.19 TLS has no Ed25519 signatures")
        for k, why in (("sni", "botan tls_client takes the SNI name from the host it connects to; no separate option"),
                       ("client_cert", "botan tls_client has no client certificate option"),
                       ("psk", "botan tls_client has no PSK option"),
                       ("mfl", "botan tls_client has no max_fragment_length option")):
            if sp.get(k):
                raise Unsupported(why)
        if sp.get("resume") == "id":
            raise Unsupported("botan tls_client makes one connection per process; its --session-db "
                              "needs Botan built with SQLite")
        if sp.get("resume"):
            raise Unsupported("botan tls_client makes one connection per process; its --session-db "
                              "needs Botan built with SQLite")
        pol = os.path.join(celldir, "botan.policy")
        with open(pol, "w") as f:
            f.write(self.policy(sp))
        argv = ["botan", "tls_client", "127.0.0.1", "--port=%d" % port, "--skip-system-cert-store",
                "--policy=" + pol]
        if sp.get("alpn"):
            argv.append("--next-protocols=" + ",".join(sp["alpn"]))
        if sp.get("ocsp"):
            # Botan always asks for a staple; it checks it (and says so) only when it verifies the chain
            argv.append("--trusted-cas=" + ctx.pki + "/ca.pem")
        if sc.mode == "echo":
            return Plan([Step(argv, stdin=b"hello from botan\n", interactive=True)])
        return Plan([Step(argv, stdin=(GET % sp["path"]).encode(), hold_until="</HTML>")],
                    offered_alpn=sp.get("alpn"))

    def parse(self, outputs):
        rep = {}
        o = "\n".join(outputs)
        hs = re.findall(r"Handshake complete, (TLS v[\d.]+) using (\S+)", o)
        if hs:
            rep["version"] = norm_version(hs[-1][0])
            rep["cipher"] = "TLS_" + hs[-1][1]
            rep["handshakes"] = len(hs)
        if "Valid OCSP response for this server" in o:
            rep["ocsp"] = "good"
        m = re.search(r"Server choose protocol: (\S+)", o) or re.search(r"[Aa]pplication protocol[: ]+(\S+)", o)
        if m:
            rep["alpn"] = m.group(1)
        return rep
