"""Common adapter for the single-file clients (Python, Java, Go, Node): same options, same output."""
from cm import suites
from cm.scenarios import MARK, PSK_HEX, PSK_ID
from .base import Peer, Plan, Step, Unsupported, from_kv


class ProgClientPeer(Peer):
    # what the client stack cannot do, with reasons (None = can)
    no_psk = None
    no_psk13 = None
    no_early = None
    no_mfl = None
    no_ocsp = None
    no_resume_id = None
    no_group = {}          # group -> reason
    tls13_suites = None    # None: any; else the suites the stack offers
    tls12_suites = None    # None: any; else a set (filled in setup)
    client_cert_args = None

    def cmd(self, ctx):
        raise NotImplementedError

    def cipher_arg(self, c):
        return c

    def group_arg(self, g):
        return ["--group", g]

    def plan(self, sc, ctx, port, celldir):
        self.common_checks(sc)
        sp = sc.spec
        if sp.get("psk"):
            why = self.no_psk13 if sp.get("version") == "1.3" else self.no_psk
            if why or self.no_psk:
                raise Unsupported(why or self.no_psk)
        if sc.mode == "early":
            raise Unsupported(self.no_early)
        if sp.get("mfl"):
            raise Unsupported(self.no_mfl)
        if sp.get("ocsp") and self.no_ocsp:
            raise Unsupported(self.no_ocsp)
        if sp.get("resume") == "id" and self.no_resume_id:
            raise Unsupported(self.no_resume_id)
        g = sp.get("group")
        if g in self.no_group:
            raise Unsupported(self.no_group[g])
        argv = self.cmd(ctx) + ["--port", str(port)]
        if sp.get("version"):
            argv += ["--version", sp["version"]]
        c = sp.get("cipher")
        if c and not (sp.get("psk") and sp.get("version") == "1.3"):
            if c in suites.TLS13:
                if self.tls13_suites is not None and c not in self.tls13_suites:
                    raise Unsupported("%s does not implement %s" % (self.title, c))
                a = self.cipher_arg(c)
                if a:
                    argv += ["--cipher", a]
            else:
                if self.tls12_suites is not None and c not in self.tls12_suites:
                    raise Unsupported("%s does not implement %s" % (self.title, c))
                argv += ["--cipher", self.cipher_arg(c)]
        if g:
            argv += self.group_arg(g)
        if sp.get("alpn"):
            argv += ["--alpn", ",".join(sp["alpn"])]
        if sp.get("sni"):
            argv += ["--sni", sp["sni"]]
        if sp.get("client_cert"):
            argv += self.client_cert_args(ctx) if self.client_cert_args else \
                ["--cert", ctx.pki + "/client.pem", "--key", ctx.pki + "/client.key"]
        if sp.get("psk"):
            argv += ["--psk", PSK_HEX, "--psk-id", PSK_ID]
        if sp.get("resume"):
            argv.append("--resume")
        if sp.get("ocsp"):
            argv.append("--ocsp")
        if sp.get("reneg"):
            argv += self.reneg_args()
        if sp["path"] != "/":
            argv += ["--path", sp["path"]]
        if sc.mode == "echo":
            argv += ["--until", MARK]
        argv = self.finish(argv, sp)
        return Plan([Step(argv, timeout=30, interactive=(sc.mode == "echo"))], offered_alpn=sp.get("alpn"))

    def reneg_args(self):
        return []

    def finish(self, argv, sp):
        return argv

    def parse(self, outputs):
        return from_kv(outputs)
