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


class Peer:
    name = "?"
    title = "?"
    max_version = "1.3"
    http_only = False  # can only fetch pages (curl, wget): no raw echo sessions

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
