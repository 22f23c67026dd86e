"""OpenSSL s_client."""
import os
import re

from cm import suites
from cm.common import run_capture
from cm.scenarios import MARK, PSK_HEX, PSK_ID
from .base import GET, Peer, Plan, Step, Unsupported, norm_version


class OpenSSLPeer(Peer):
    name = "openssl"
    title = "OpenSSL s_client"
    dtls = True

    def version(self, ctx):
        return run_capture(["openssl", "version"])[1].strip()

    def plan(self, sc, ctx, port, celldir):
        self.common_checks(sc)
        sp = sc.spec
        base = ["openssl", "s_client", "-connect", "127.0.0.1:%d" % port]
        if sp.get("dtls"):
            base.append("-dtls1_" + sp["dtls"][-1])
        elif sp.get("version"):
            base.append("-tls1_" + sp["version"][-1])
        c = sp.get("cipher")
        if c and not sp.get("psk"):
            base += (["-ciphersuites", c] if c in suites.TLS13 else ["-cipher", suites.OPENSSL_NAME[c]])
        if sp.get("group"):
            base += ["-groups", sp["group"]]
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
            if "Early data was accepted" in o:
                rep["early_data"] = "accepted"
            elif "Early data was rejected" in o:
                rep["early_data"] = "rejected"
        if hs:
            rep["handshakes"] = hs
        return rep
