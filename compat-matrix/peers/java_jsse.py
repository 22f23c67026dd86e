"""Java JSSE via peers/Client.java (run as `java Client.java`; compiled once per run for speed)."""
import os
import subprocess

from cm.common import probe_server, run_capture, stop
from .base import CLASSIC
from .progclient import ProgClientPeer

HERE = os.path.dirname(os.path.abspath(__file__))
_JG = {"X25519": "x25519", "P-256": "secp256r1", "P-384": "secp384r1", "P-521": "secp521r1",
       "ffdhe2048": "ffdhe2048"}


class JavaPeer(ProgClientPeer):
    name = "java"
    title = "Java JSSE"
    can = CLASSIC | {"cert:ed448"}
    no_psk = "JSSE has no external PSK API"
    no_early = "JSSE has no TLS 1.3 early data"
    no_mfl = "JSSE derives max_fragment_length from its packet size (jsse.enableMFLNExtension); " \
             "the client has no way to ask for exactly 512"

    def setup(self, ctx):
        self.classes = os.path.join(ctx.tmp, "java-classes")
        os.makedirs(self.classes, exist_ok=True)
        subprocess.run(["javac", "-d", self.classes, os.path.join(HERE, "Client.java")], check=True)
        self.p12 = os.path.join(ctx.tmp, "client-java.p12")
        subprocess.run(["openssl", "pkcs12", "-export", "-in", ctx.pki + "/client.pem", "-inkey",
                        ctx.pki + "/client.key", "-passout", "pass:pass", "-out", self.p12], check=True)
        # an application class-data archive (JDK 17 AppCDS, which wants a jar) of the classes one
        # handshake loads: the JVM starts each cell with JSSE already parsed
        self.jar = os.path.join(ctx.tmp, "client.jar")
        subprocess.run(["jar", "cf", self.jar, "-C", self.classes, "."], check=True)
        self.jsa = os.path.join(ctx.tmp, "client.jsa")
        self.jsa_ok = False
        srv, port = probe_server(ctx)
        try:
            if port:
                run_capture(["java", "-XX:ArchiveClassesAtExit=" + self.jsa] + self.cmd(ctx)[1:] +
                            ["--port", str(port), "--alpn", "h2"], timeout=120)
        finally:
            stop(srv)
        self.jsa_ok = os.path.exists(self.jsa)
        out = run_capture(self.cmd(ctx) + ["--list-suites"], timeout=60)[1]
        self.tls12_suites = set(l.strip() for l in out.splitlines() if l.startswith("TLS_"))
        self.tls13_suites = [s for s in self.tls12_suites if "_WITH_" not in s]

    def client_cert_args(self, ctx):
        return ["--p12", self.p12]

    def cmd(self, ctx):
        # equivalent to `java peers/Client.java`, without compiling on every cell
        cds = ["-XX:SharedArchiveFile=" + self.jsa] if getattr(self, "jsa_ok", False) else ["-Xshare:auto"]
        return ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData"] + cds + \
            ["-cp", getattr(self, "jar", None) or self.classes, "Client"]

    def group_arg(self, g):
        return ["@group", _JG[g]]

    def finish(self, argv, sp):
        if "--ocsp" in argv:
            argv.insert(1, "-Djdk.tls.client.enableStatusRequestExtension=true")
        if "@group" in argv:
            i = argv.index("@group")
            g = argv[i + 1]
            del argv[i:i + 2]
            argv.insert(1, "-Djdk.tls.namedGroups=" + g)
        return argv

    def version(self, ctx):
        return run_capture(self.cmd(ctx) + ["--print-version"], timeout=60)[1].strip()
