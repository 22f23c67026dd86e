"""Erlang/OTP ssl via peers/erlclient.escript (Debian erlang-base + erlang-ssl)."""
import os
import subprocess

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

    def setup(self, ctx):
        """Compiles erlclient.escript once (an escript compiles itself on every run: seconds under
        load); each cell then starts `erl -run erlclient main ARGS`."""
        self.ebin = os.path.join(ctx.tmp, "erlang")
        os.makedirs(self.ebin, exist_ok=True)
        src = open(os.path.join(HERE, "erlclient.escript")).read().splitlines()
        body = [l for l in src if not l.startswith("#!") and not l.startswith("%%!") and l.strip() != "-mode(compile)."]
        erl = os.path.join(self.ebin, "erlclient.erl")
        with open(erl, "w") as f:
            f.write("-module(erlclient).\n-export([main/1, start/0]).\n"
                    "start() -> main(init:get_plain_arguments()).\n" + "\n".join(body) + "\n")
        subprocess.run(["erlc", "-o", self.ebin, erl], check=True)

    def cmd(self, ctx):
        # one scheduler, no busy-waiting schedulers: the machine is shared by many peers at once
        # (and no erl_crash.dump files wherever the peer runs)
        return ["erl", "+S", "1:1", "+sbwt", "none", "+sbwtdcpu", "none", "+sbwtdio", "none",
                "-env", "ERL_CRASH_DUMP_SECONDS", "0", "-noshell",
                "-noinput", "-pa", self.ebin, "-run", "erlclient", "start", "-extra"]

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
