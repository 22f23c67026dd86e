"""OpenSSL s_client."""
import os
import re

from cm import suites
from cm.common import flavour_prefix, run_capture
from cm.scenarios import MARK, PSK_HEX, PSK_ID, ech_config_b64
from .base import CLASSIC, GET, Peer, Plan, Step, Unsupported, norm_version


class OpenSSLPeer(Peer):
    name = "openssl"
    title = "OpenSSL 3.0 s_client"
    dtls = True
    exe = "openssl"
    can = CLASSIC | {"cert:ed448", "group-list", "serverinfo"}
    cannot = {"rsl": "OpenSSL does not implement record_size_limit (RFC 8449)",
              "dtls1.3": "OpenSSL has no DTLS 1.3",
              "cert-comp": "OpenSSL 3.0 has no certificate compression (added in 3.2)",
              "rpk": "OpenSSL 3.0 has no raw public keys (added in 3.2)",
              "ech": "OpenSSL 3.0 has no ECH", "ech-grease": "OpenSSL 3.0 has no ECH"}

    def version(self, ctx):
        if self.missing:
            return "missing: " + self.missing
        return run_capture([self.exe, "version"])[1].strip()

    def plan(self, sc, ctx, port, celldir):
        self.common_checks(sc)
        sp = sc.spec
        base = [self.exe, "s_client", "-connect", "127.0.0.1:%d" % port]
        if sp.get("dtls"):
            base.append("-dtls1_" + sp["dtls"][-1])
        elif sp.get("version"):
            base.append("-tls1_" + sp["version"][-1])
        c = sp.get("cipher")
        if c and not sp.get("psk"):
            base += (["-ciphersuites", c] if c in suites.TLS13 else ["-cipher", suites.OPENSSL_NAME[c]])
            if c == "TLS_AES_128_CCM_8_SHA256" and self.exe != "openssl":
                base += ["-cipher", "DEFAULT:@SECLEVEL=0"]  # 3.5+: a 64-bit tag is below level 1
        if sp.get("groups"):
            base += ["-groups", ":".join(sp["groups"])]
        elif sp.get("group"):
            base += ["-groups", sp["group"]]
        if sp.get("cert_comp"):
            base.append("-msg")  # shows CompressedCertificate (25) when the server compressed
        if sp.get("rpk"):
            base.append("-enable_server_rpk")
        if sp.get("serverinfo"):
            base += ["-serverinfo", "18"]
        if sp.get("ech") == "config":
            cfg = ech_config_b64(ctx)
            if not cfg:
                raise Unsupported("no ECHConfigList (the openssl@4.0.2 CLI that makes the ECH key is missing)")
            base += ["-ech_config_list", cfg]
        elif sp.get("ech") == "grease":
            base.append("-ech_grease")
        if sp.get("alpn"):
            base += ["-alpn", ",".join(sp["alpn"])]
        if sp.get("sni"):
            base += ["-servername", sp["sni"]]
        if sp.get("client_cert"):
            base += ["-cert", ctx.pki + "/client.pem", "-key", ctx.pki + "/client.key"]
        if sp.get("psk"):
            base += ["-psk", PSK_HEX, "-psk_identity", PSK_ID]
            if sp.get("version") == "1.2":
                base += ["-cipher", "PSK-AES128-GCM-SHA256"]
        if sp.get("mfl"):
            base += ["-maxfraglen", str(sp["mfl"])]
        if sp.get("ocsp"):
            base.append("-status")
        req = (GET % sp["path"]).encode()
        sess = os.path.join(celldir, "session.pem")
        if sc.mode == "echo":
            return Plan([Step(base + ["-ign_eof"], stdin=b"hello from s_client\n", interactive=True)],
                        offered_alpn=sp.get("alpn"))
        if sc.mode == "early":
            ed = os.path.join(celldir, "early.txt")
            with open(ed, "w") as f:
                f.write(MARK + "\n")
            return Plan([Step(base + ["-sess_out", sess], stdin=b"", hold=1.0),
                         Step(base + ["-sess_in", sess, "-early_data", ed], stdin=b"", hold=1.0)])
        if sp.get("resume"):
            return Plan([Step(base + ["-ign_eof", "-sess_out", sess], stdin=req),
                         Step(base + ["-ign_eof", "-sess_in", sess], stdin=req)], offered_alpn=sp.get("alpn"))
        return Plan([Step(base + ["-ign_eof"], stdin=req)], offered_alpn=sp.get("alpn"))

    def parse(self, outputs):
        rep = {}
        hs = 0
        for o in outputs:
            # "New, TLSv1.0, Cipher is X" names the cipher's minimum version; the protocol is in
            # the SSL-Session block
            for m in re.finditer(r"^(New|Reused), (TLSv[\d.]+|SSLv3), Cipher is (\S+)", o, re.M):
                hs += 1
                rep["cipher"] = suites.IANA_FROM_OPENSSL.get(m.group(3), m.group(3))
                rep["resumed"] = m.group(1) == "Reused"
            for m in re.finditer(r"^\s+Protocol\s*: (\S+)", o, re.M):
                rep["version"] = norm_version(m.group(1))
            m = re.search(r"^ALPN protocol: (\S+)", o, re.M)
            if m:
                rep["alpn"] = m.group(1)
            m = re.search(r"^subject=(.*)$", o, re.M)
            if m:
                rep["peer_cn"] = m.group(1).replace(" = ", "=").strip()
            m = re.search(r"^(?:Server Temp Key|Negotiated TLS1.3 group): (\w[\w-]*)", o, re.M)
            if m:
                rep["group"] = m.group(1)
            m = re.search(r"^\s+Cert Status: (\w+)", o, re.M)
            if m:
                rep["ocsp"] = m.group(1)
            elif "OCSP response: no response sent" in o:
                rep["ocsp"] = "none"
            if re.search(r"CompressedCertificate|compressed_certificate", o):
                rep["cert_compressed"] = True
            m = re.search(r"^ECH: (.*)$", o, re.M)
            if m:
                rep["ech"] = m.group(1).strip()
            if re.search(r"TLS server extension \"signed certificate timestamps\" \(id=18\)", o):
                rep["serverinfo"] = "received"
            if re.search(r"Server raw public key|raw public key", o, re.I):
                rep["rpk"] = True
            if "Early data was accepted" in o:
                rep["early_data"] = "accepted"
            elif "Early data was rejected" in o:
                rep["early_data"] = "rejected"
            elif "Early data was not sent" in o:
                rep["early_data"] = "not sent"
        if hs:
            rep["handshakes"] = hs
        return rep


class OpenSSLFlavourPeer(OpenSSLPeer):
    """s_client of a pinned OpenSSL release built as a polytls flavour (tools/flavours/flavour.sh)."""
    flavour = None

    def setup(self, ctx):
        prefix, why = flavour_prefix("openssl", self.flavour)
        self.exe = os.path.join(prefix, "bin", "openssl") if prefix else "openssl@%s-is-missing" % self.flavour
        self.missing = why


class OpenSSL35Peer(OpenSSLFlavourPeer):
    name = "openssl-3.5"
    title = "OpenSSL 3.5.7 s_client"
    flavour = "3.5.7"
    can = CLASSIC | {"cert:ed448", "group-list", "X25519MLKEM768", "SecP256r1MLKEM768", "MLKEM768",
                     "cert:mldsa44", "cert:mldsa65", "cert:mldsa87", "cert-comp", "rpk", "serverinfo"}
    cannot = dict(OpenSSLPeer.cannot, ech="OpenSSL 3.5 has no ECH (added in 4.0)",
                  **{"ech-grease": "OpenSSL 3.5 has no ECH (added in 4.0)"})


class OpenSSL40Peer(OpenSSLFlavourPeer):
    name = "openssl-4.0"
    title = "OpenSSL 4.0.2 s_client"
    flavour = "4.0.2"
    can = OpenSSL35Peer.can | {"ech", "ech-grease"}
    cannot = OpenSSLPeer.cannot
