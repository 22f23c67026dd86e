"""Go crypto/tls via peers/client.go (`go run client.go`; built once per run for speed)."""
import os
import subprocess

from cm.common import run_capture
from .base import CLASSIC
from .progclient import ProgClientPeer

HERE = os.path.dirname(os.path.abspath(__file__))


def go_env(ctx):
    env = dict(os.environ)
    env.update({"GOFLAGS": "-mod=mod", "GOCACHE": os.path.join(ctx.tmp, "gocache"),
                "GOPATH": os.path.join(ctx.tmp, "gopath"), "GO111MODULE": "off", "GOPROXY": "off"})
    return env


class GoPeer(ProgClientPeer):
    name = "go"
    title = "Go crypto/tls"
    no_psk = "Go crypto/tls has no external PSK"
    no_early = "Go crypto/tls has no TLS 1.3 early data"
    no_mfl = "Go crypto/tls does not implement max_fragment_length"
    no_resume_id = "the Go crypto/tls client resumes only with session tickets, never by session ID"
    no_group = {"ffdhe2048": "Go crypto/tls has no finite-field (FFDHE) groups"}
    tls13_suites = ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"]
    can = CLASSIC - {"cert:rsa-pss"}
    cannot = {"cert:rsa-pss": "Go crypto/tls 1.19: its ClientHello offers no rsa_pss_pss_* signature scheme (the only kind an RSA-PSS key can sign with)"}

    def setup(self, ctx):
        self.bin = os.path.join(ctx.tmp, "go-client")
        subprocess.run(["go", "build", "-o", self.bin, os.path.join(HERE, "client.go")], check=True,
                       env=go_env(ctx), cwd=ctx.tmp)
        out = run_capture([self.bin, "-list-suites"])[1]
        self.tls12_suites = set(l.strip() for l in out.splitlines() if "_WITH_" in l)

    def cmd(self, ctx):
        return [self.bin]

    def cipher_arg(self, c):
        return None if "_WITH_" not in c else c  # TLS 1.3 suites are not configurable in Go

    def reneg_args(self):
        return ["--reneg"]

    def version(self, ctx):
        return run_capture([self.bin, "-print-version"])[1].strip()
