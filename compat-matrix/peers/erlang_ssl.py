"""Erlang/OTP ssl via peers/erlclient.escript (Debian erlang-base + erlang-ssl)."""
import os

from cm.common import run_capture
from cm.scenarios import MARK
from .base import CLASSIC, Plan, Step
from .progclient import ProgClientPeer

HERE = os.path.dirname(os.path.abspath(__file__))


class ErlangPeer(ProgClientPeer):
    name = "erlang"
    title = "Erlang/OTP 25 ssl"
    no_psk13 = "OTP 25 ssl has no TLS 1.3 external PSK"
    no_mfl = "OTP 25 ssl cannot request max_fragment_length"
    no_ocsp = "OTP 25 ssl has no OCSP stapling option (the stapling client option arrives in OTP 27)"
    no_group = {"ffdhe2048": "OTP 25 ssl offers no FFDHE groups"}
    can = (CLASSIC - {"ffdhe2048", "ocsp"}) | {"cert:ed448"}
    cannot = {"ffdhe2048": "OTP 25 ssl offers no FFDHE groups", "ocsp": no_ocsp,
              "dtls1.3": "OTP 25 ssl has no DTLS 1.3"}

    def cmd(self, ctx):
        return ["escript", os.path.join(HERE, "erlclient.escript")]

    def version(self, ctx):
        return run_capture(self.cmd(ctx) + ["--print-version"], timeout=60)[1].strip()

    def finish(self, argv, sp):
        if sp.get("groups"):
            argv += ["--groups", ",".join(sp["groups"])]
        return argv

    def plan(self, sc, ctx, port, celldir):
        if sc.spec.get("resume") == "ticket" and sc.spec.get("version") == "1.2":
            from .base import Unsupported
            raise Unsupported("OTP 25 ssl has session tickets only in TLS 1.3 (no RFC 5077 tickets in TLS 1.2)")
        if sc.mode == "early":
            self.common_checks(sc)
            argv = self.cmd(ctx) + ["--port", str(port), "--version", "1.3", "--resume", "--early-data", MARK + "\n"]
            return Plan([Step(argv, timeout=30)])
        return super().plan(sc, ctx, port, celldir)
