"""GnuTLS gnutls-cli."""
import os
import re

from cm import suites
from cm.common import run_capture
from cm.scenarios import MARK, PSK_HEX, PSK_ID
from .base import CLASSIC, GET, Peer, Plan, Step, Unsupported, norm_version


class GnuTLSPeer(Peer):
    name = "gnutls"
    title = "GnuTLS gnutls-cli"
    dtls = True
    can = CLASSIC | {"cert:ed448", "rsl"}
    cannot = {"dtls1.3": "GnuTLS 3.7 has no DTLS 1.3"}

    def version(self, ctx):
        return run_capture(["gnutls-cli", "--version"])[1].splitlines()[0].strip()

    def priority(self, sp):
        c = sp.get("cipher")
        if c and not sp.get("psk"):
            p = suites.gnutls_priority(c)
            if p is None:
                raise Unsupported("no GnuTLS priority string for %s" % c)
        else:
            p = "NORMAL"
            if sp.get("dtls"):
                p += ":-VERS-ALL:+VERS-DTLS" + sp["dtls"]
            elif sp.get("version"):
                p += ":-VERS-ALL:+VERS-TLS" + sp["version"]
        if sp.get("group"):
            p += ":-GROUP-ALL:+" + suites.GNUTLS_GROUP[sp["group"]]
        if sp.get("psk"):
            p += ":-KX-ALL:+PSK" if sp.get("version") == "1.2" else ":+PSK:+ECDHE-PSK:+DHE-PSK"
        return p

    def plan(self, sc, ctx, port, celldir):
        self.common_checks(sc)
        sp = sc.spec
        if sp.get("mfl"):
            raise Unsupported("gnutls-cli cannot send max_fragment_length; its --recordsize sends "
                              "record_size_limit (RFC 8449) instead")
        argv = ["gnutls-cli", "--insecure", "-p", str(port), "--priority", self.priority(sp)]
        if sp.get("dtls"):
            argv.append("--udp")
        if sp.get("rsl"):
            argv.append("--recordsize=%d" % sp["rsl"])
        for a in sp.get("alpn") or []:
            argv.append("--alpn=" + a)
        if sp.get("sni"):
            argv.append("--sni-hostname=" + sp["sni"])
        if sp.get("client_cert"):
            argv += ["--x509certfile", ctx.pki + "/client.pem", "--x509keyfile", ctx.pki + "/client.key"]
        if sp.get("psk"):
            argv += ["--pskusername", PSK_ID, "--pskkey", PSK_HEX]
        if sp.get("resume"):
            argv.append("--resume")
        if sp.get("ocsp"):
            # gnutls-cli always asks for a staple; -V prints it decoded ("OCSP Response Information")
            argv.append("-V")
        if sc.mode == "early":
            ed = os.path.join(celldir, "early.txt")
            with open(ed, "w") as f:
                f.write(MARK + "\n")
            argv.append("--earlydata=" + ed)
        argv.append("127.0.0.1")
        if sc.mode == "echo":
            return Plan([Step(argv, stdin=b"hello from gnutls\n", interactive=True)])
        if sc.mode == "early":
            return Plan([Step(argv, stdin=b"", hold=2.0)])
        return Plan([Step(argv, stdin=(GET % sp["path"]).encode(), hold_until="</HTML>")],
                    offered_alpn=sp.get("alpn"))

    def parse(self, outputs):
        rep = {}
        o = "\n".join(outputs)
        ds = re.findall(r"- Description: \((TLS[\d.]+)[^)]*\)-\(([^)]*)\)(?:-\(([^)]*)\))?-\(([^)]*)\)", o)
        if ds:
            rep["version"] = norm_version(ds[-1][0])
            rep["cipher"] = ds[-1][-1]
            rep["handshakes"] = len(ds)
        if "This is a resumed session" in o:
            rep["resumed"] = True
        elif "This is a resumed session" not in o and "*** Starting TLS handshake" in o and "--resume" in o:
            pass
        m = re.search(r"- Application protocol: (\S+)", o)
        if m:
            rep["alpn"] = m.group(1)
        m = re.search(r"Certificate info:\s*\n\s*- subject `([^']*)'", o)
        if m:
            rep["peer_cn"] = m.group(1)
        m = re.search(r"OCSP Response Information:.*?Certificate Status: (\w+)", o, re.S)
        if m:
            rep["ocsp"] = m.group(1)
        return rep
