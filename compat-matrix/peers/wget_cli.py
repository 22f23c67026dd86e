"""GNU Wget (GnuTLS)."""
import re

from cm import suites
from cm.common import run_capture
from .base import CLASSIC, Peer, Plan, Step, Unsupported


class WgetPeer(Peer):
    name = "wget"
    title = "GNU Wget"
    can = CLASSIC | {"cert:ed448"}
    http_only = True

    def version(self, ctx):
        out = run_capture(["wget", "--version"])[1]
        m = re.search(r"\+ssl/(\w+)", out)
        return out.splitlines()[0].strip() + (" (%s)" % m.group(1) if m else "")

    def plan(self, sc, ctx, port, celldir):
        self.common_checks(sc)
        sp = sc.spec
        for k, why in (("psk", "wget has no TLS-PSK option"), ("mfl", "wget cannot send max_fragment_length"),
                       ("alpn", "wget 1.21 has no option to offer ALPN"),
                       ("ocsp", "wget 1.21 has no option to ask for or show an OCSP staple"),
                       ("sni", "wget takes the SNI name from the URL host and has no --resolve to "
                               "point a name at 127.0.0.1")):
            if sp.get(k):
                raise Unsupported(why)
        if sp.get("resume"):
            raise Unsupported("wget 1.21 reuses a TLS session only between an FTPS control and data "
                              "connection, never between HTTP requests")
        argv = ["wget", "-O", "-", "--no-check-certificate", "--tries=1", "--timeout=15", "-d"]
        pr = None
        c = sp.get("cipher")
        if c:
            pr = suites.gnutls_priority(c)
        elif sp.get("version"):
            pr = "NORMAL:-VERS-ALL:+VERS-TLS" + sp["version"]
        if sp.get("group"):
            pr = (pr or "NORMAL") + ":-GROUP-ALL:+" + suites.GNUTLS_GROUP[sp["group"]]
        if pr:
            argv.append("--ciphers=" + pr)
        if sp.get("client_cert"):
            argv += ["--certificate=" + ctx.pki + "/client.pem", "--private-key=" + ctx.pki + "/client.key"]
        argv.append("https://127.0.0.1:%d%s" % (port, sp["path"]))
        return Plan([Step(argv)])
