"""What every peer adapter provides."""
import re


class Unsupported(Exception):
    """The peer cannot express this scenario (the reason is shown in the cell)."""


class Step:
    """One peer process. stdin: bytes to send (then EOF), or None for /dev/null.
    interactive: stdin stays open until the runner has seen the marker (echo mode)."""

    def __init__(self, argv, stdin=None, interactive=False, env=None, timeout=20, label=None, hold=None,
                 hold_until=None, kill_after=False, extra_output=None):
        self.extra_output = extra_output  # a file the peer writes besides stdout/stderr (appended to its output)
        self.kill_after = kill_after  # end the peer as soon as the page/marker is there (tstclnt spins on stdin EOF)
        self.hold = hold  # keep stdin open this many seconds, then EOF
        self.hold_until = hold_until  # keep stdin open until the output holds this text
        self.argv = argv
        self.stdin = stdin
        self.interactive = interactive
        self.env = env
        self.timeout = timeout
        self.label = label


class Plan:
    def __init__(self, steps, offered_alpn=None, notes=None):
        self.steps = steps
        self.offered_alpn = offered_alpn
        self.notes = notes or []


# Features a scenario can need (Scenario.needs). A peer has one only when it lists it in `can`;
# otherwise the cell is UNSUPPORTED(peer) with the peer's reason from `cannot`, or this text.
FEATURES = {
    "P-521": "the P-521 group", "ffdhe2048": "the ffdhe2048 group",
    "X25519MLKEM768": "the X25519MLKEM768 hybrid ML-KEM group",
    "SecP256r1MLKEM768": "the SecP256r1MLKEM768 hybrid ML-KEM group",
    "MLKEM768": "the pure MLKEM768 group", "group-list": "a configurable list of offered groups",
    "cert:rsa-pss": "rsa_pss_pss_* signatures (RSA-PSS keys)", "cert:ecdsa-p384": "ECDSA P-384 certificates",
    "cert:ed448": "Ed448 signatures", "cert:mldsa44": "ML-DSA-44 signatures",
    "cert:mldsa65": "ML-DSA-65 signatures", "cert:mldsa87": "ML-DSA-87 signatures",
    "ech": "Encrypted Client Hello with a given ECHConfigList", "ech-grease": "ECH GREASE",
    "dtls1.3": "DTLS 1.3", "rsl": "the record_size_limit extension (RFC 8449)",
    "cert-comp": "certificate compression (RFC 8879)", "rpk": "raw public keys (RFC 7250)",
    "serverinfo": "a way to show the signed_certificate_timestamp extension it received",
    "ocsp": "OCSP stapling", "reneg": "renegotiation",
}
# the features every classic peer had before they were named (they keep their own checks)
CLASSIC = {"P-521", "ffdhe2048", "ocsp", "reneg", "cert:ecdsa-p384", "cert:rsa-pss"}


class Peer:
    name = "?"
    title = "?"
    max_version = "1.3"
    http_only = False  # can only fetch pages (curl, wget): no raw echo sessions
    can = CLASSIC
    cannot = {}  # feature -> why this stack cannot (shown in the cell)
    missing = None  # why the peer program is not there (a flavour not in the cache): its cells FAIL

    def teardown(self, ctx):
        """Once per run, after the last cell (end helper processes the adapter started)."""

    def setup(self, ctx):
        """Once per run, before any cell (compile clients, make key stores)."""

    def version(self, ctx):
        raise NotImplementedError

    def plan(self, sc, ctx, port, celldir):
        raise NotImplementedError

    def parse(self, outputs):
        """Negotiated parameters from the peer's own output (list of step outputs):
        {version, cipher, alpn, resumed, peer_cn, early_data, ocsp} where known. ocsp: the stapled
        response as the peer saw it: its status (good, revoked, unknown) when the peer decodes it,
        the SHA-256 of its bytes when the peer only hands them over, "received" when the peer only
        says it got one, "none" when it got none."""
        return {}

    # helpers -------------------------------------------------------------
    dtls = False  # the adapter can drive a DTLS client

    def common_checks(self, sc):
        for f in sc.needs:
            if f not in self.can:
                raise Unsupported(self.cannot.get(f) or "%s does not implement %s" % (self.title, FEATURES.get(f, f)))
        if sc.spec.get("dtls") and not self.dtls:
            raise Unsupported("the %s adapter drives no DTLS client" % self.title)
        if sc.spec.get("version") == "1.3" and self.max_version == "1.2":
            raise Unsupported("%s has no TLS 1.3" % self.title)
        if sc.mode in ("echo", "early") and self.http_only:
            raise Unsupported("%s only fetches URLs; it cannot hold a raw session open for "
                              "server-side commands" % self.title)


GET = "GET %s HTTP/1.0\r\n\r\n"


def norm_version(v):
    if not v:
        return None
    v = v.strip()
    m = re.search(r"(\d)\.(\d)", v)
    if not m:
        return v
    return "%sv%s.%s" % ("DTLS" if "DTLS" in v.upper() else "TLS", m.group(1), m.group(2))


def kv_lines(text, prefix="HANDSHAKE"):
    """Parses `HANDSHAKE key=value ...` lines printed by the single-file clients."""
    out = []
    for line in text.splitlines():
        if line.startswith(prefix + " "):
            d = {}
            for part in line[len(prefix) + 1:].split("\t"):
                if "=" in part:
                    k, v = part.split("=", 1)
                    d[k] = v
            out.append(d)
    return out


def from_kv(outputs):
    hs = []
    for o in outputs:
        hs.extend(kv_lines(o))
    if not hs:
        return {}
    rep = {}
    last = hs[-1]
    for k in ("version", "cipher", "alpn", "peer_cn", "group", "ocsp"):
        if last.get(k):
            rep[k] = norm_version(last[k]) if k == "version" else last[k]
    res = [h.get("resumed") for h in hs if h.get("resumed") not in (None, "", "unknown")]
    if res:
        rep["resumed"] = res[-1] == "true"
    rep["handshakes"] = len(hs)
    return rep
