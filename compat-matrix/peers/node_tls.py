"""Node.js tls via peers/client.js."""
import os

from cm import suites
from cm.common import run_capture
from .base import CLASSIC
from .progclient import ProgClientPeer

HERE = os.path.dirname(os.path.abspath(__file__))


class NodePeer(ProgClientPeer):
    name = "node"
    title = "Node.js tls"
    can = CLASSIC | {"cert:ed448"}
    no_early = "Node.js tls has no client early data API"
    no_mfl = "Node.js tls cannot request max_fragment_length"

    def cmd(self, ctx):
        return ["node", os.path.join(HERE, "client.js")]

    def cipher_arg(self, c):
        return suites.OPENSSL_NAME.get(c, c)

    def version(self, ctx):
        return run_capture(self.cmd(ctx) + ["--print-version"])[1].strip()
