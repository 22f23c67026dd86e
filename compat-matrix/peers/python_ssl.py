"""Python ssl (standard library; OpenSSL underneath) via peers/pyclient.py."""
import os

from cm import suites
from cm.common import run_capture
from .base import CLASSIC
from .progclient import ProgClientPeer

HERE = os.path.dirname(os.path.abspath(__file__))


class PythonPeer(ProgClientPeer):
    name = "python"
    title = "Python ssl"
    can = CLASSIC | {"cert:ed448"}
    no_psk = "Python 3.11 ssl has no PSK API (set_psk_client_callback arrives in 3.13)"
    no_early = "Python ssl has no TLS 1.3 early data API"
    no_mfl = "Python ssl cannot request max_fragment_length"
    no_ocsp = "Python 3.11 ssl has no OCSP stapling API (no status_request, no access to a staple)"
    tls13_suites = ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"]

    def cmd(self, ctx):
        return ["/usr/bin/python3", os.path.join(HERE, "pyclient.py")]

    def version(self, ctx):
        return run_capture(self.cmd(ctx) + ["--port", "0", "--print-version"])[1].strip()

    def cipher_arg(self, c):
        # TLS 1.3 suites cannot be set (no set_ciphersuites); OpenSSL offers the three defaults
        return None if c in suites.TLS13 else suites.OPENSSL_NAME[c]

    def group_arg(self, g):
        return []  # Python 3.11 cannot set client groups; OpenSSL's defaults include all five
