"""curl (libcurl with OpenSSL)."""
import os
import re

from cm import suites
from cm.common import run_capture
from .base import CLASSIC, Peer, Plan, Step, Unsupported, norm_version


class CurlPeer(Peer):
    name = "curl"
    title = "curl"
    http_only = True
    can = CLASSIC | {"cert:ed448"}

    def version(self, ctx):
        return run_capture(["curl", "--version"])[1].splitlines()[0].strip()

    def plan(self, sc, ctx, port, celldir):
        self.common_checks(sc)
        sp = sc.spec
        if sp.get("resume") == "ticket" and sp.get("version") == "1.2":
            raise Unsupported("curl 7.88 (OpenSSL) sends no session_ticket extension in TLS 1.2 (it sets "
                              "SSL_OP_NO_TICKET; the server's client_hello event shows session_ticket=false)")
        for k, why in (("psk", "curl has no TLS-PSK option"), ("mfl", "curl cannot send max_fragment_length")):
            if sp.get(k):
                raise Unsupported(why)
        verbose = os.path.join(celldir, "curl-verbose.log")
        # -k, except where the certificate must be checked: with -k curl loads no CA file, and its
        # --cert-status check then fails for want of the responder's issuer
        argv = ["curl", "-sSv" if sp.get("ocsp") else "-sSkv", "--max-time", "15", "--stderr", verbose]
        v = sp.get("version")
        if v == "1.2":
            argv += ["--tlsv1.2", "--tls-max", "1.2"]
        elif v == "1.3":
            argv += ["--tlsv1.3"]
        c = sp.get("cipher")
        if c:
            argv += (["--tls13-ciphers", c] if c in suites.TLS13 else ["--ciphers", suites.OPENSSL_NAME[c]])
        if sp.get("group"):
            argv += ["--curves", sp["group"]]
        offered = None
        if sp.get("alpn"):
            # curl would speak HTTP/2 after h2; the -www server speaks HTTP/1 only
            argv.append("--http1.1")
            offered = ["http/1.1"]
        host = "127.0.0.1"
        if sp.get("sni"):
            host = sp["sni"]
            argv += ["--resolve", "%s:%d:127.0.0.1" % (host, port)]
        if sp.get("client_cert"):
            argv += ["--cert", ctx.pki + "/client.pem", "--key", ctx.pki + "/client.key"]
        if sp.get("ocsp"):
            # curl fails (exit 91) unless the staple is good for the certificate and signed by a
            # responder it trusts
            argv += ["--cert-status", "--cacert", ctx.pki + "/ca.pem"]
        url = "https://%s:%d%s" % (host, port, sp["path"])
        if sp.get("resume"):
            # two transfers in one process: the second reuses the cached session
            argv += ["-H", "Connection: close", url, url]
        else:
            argv.append(url)
        return Plan([Step(argv, extra_output=verbose)], offered_alpn=offered)

    def parse(self, outputs):
        rep = {}
        o = "\n".join(outputs)
        hs = re.findall(r"SSL connection using (TLSv[\d.]+) / (\S+)", o)
        if hs:
            rep["version"] = norm_version(hs[-1][0])
            rep["cipher"] = suites.IANA_FROM_OPENSSL.get(hs[-1][1], hs[-1][1])
            rep["handshakes"] = len(hs)
        m = re.search(r"ALPN: server accepted (\S+)", o) or re.search(r"ALPN, server accepted to use (\S+)", o)
        if m:
            rep["alpn"] = m.group(1)
        m = re.search(r"^\*\s+subject: (.*)$", o, re.M)
        if m:
            rep["peer_cn"] = m.group(1).strip()
        m = re.search(r"SSL certificate status: (\w+)", o)
        if m:
            rep["ocsp"] = m.group(1)
        return rep
