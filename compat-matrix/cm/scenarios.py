"""The scenarios: what the server is told, what the peer must do, what must be observed.

A scenario has
  server  polytls s_server options (@PKI@ is the test PKI directory)
  mode    www    the peer fetches a page from -www (GET path) and must receive all of it
          echo   echo mode; after the handshake the runner types server commands
                 (e.g. `k`) and a marker line; the peer must receive the marker
          early  echo mode; the peer resumes and sends early data holding the marker
  spec    what the peer must express: version, cipher, group, alpn, sni, client_cert,
          resume (id|ticket), psk, early_data, mfl, ocsp (request a staple), path
  checks  what the server's -json events (and the peer's report) must show
"""
from . import suites

RSA = ["-cert", "@PKI@/server-rsa.pem", "-key", "@PKI@/server-rsa.key"]
ECDSA = ["-cert", "@PKI@/server-ecdsa.pem", "-key", "@PKI@/server-ecdsa.key"]
ED25519 = ["-cert", "@PKI@/server-ed25519.pem", "-key", "@PKI@/server-ed25519.key"]
PSK_HEX = "0123456789abcdef0123456789abcdef"
PSK_ID = "Client_identity"
MARK = "POLYTLS-MATRIX-MARK"


class Scenario:
    def __init__(self, sid, title, server, spec=None, checks=None, mode="www", family="core", ci=False,
                 commands=None):
        self.id = sid
        self.title = title
        self.server = server
        self.spec = dict(spec or {})
        self.spec.setdefault("path", "/")
        self.checks = dict(checks or {})
        self.mode = mode
        self.family = family
        self.ci = ci
        self.commands = commands or []  # server stdin commands typed after the handshake (echo mode)

    def server_args(self, pki):
        return [a.replace("@PKI@", pki) for a in self.server]

    @property
    def needs_tls13(self):
        return self.spec.get("version") == "1.3"


def _all():
    S = []
    S.append(Scenario("default", "Defaults on both sides: the highest common version", RSA,
                      {}, {"version": "max-common"}, ci=True))
    S.append(Scenario("tls13", "TLS 1.3 (server -tls1_3)", ["-tls1_3"] + RSA,
                      {"version": "1.3"}, {"version": "TLSv1.3"}, ci=True))
    S.append(Scenario("tls12-ecdhe-ecdsa", "TLS 1.2, ECDHE-ECDSA (ECDSA P-256 certificate)",
                      ["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
                       "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA"] + ECDSA,
                      {"version": "1.2"}, {"version": "TLSv1.2", "cipher_prefix": "TLS_ECDHE_ECDSA_"}, ci=True))
    S.append(Scenario("tls12-ecdhe-rsa", "TLS 1.2, ECDHE-RSA (RSA 2048 certificate)",
                      ["-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:"
                       "ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-SHA256:ECDHE-RSA-AES128-SHA"] + RSA,
                      {"version": "1.2"}, {"version": "TLSv1.2", "cipher_prefix": "TLS_ECDHE_RSA_"}, ci=True))
    S.append(Scenario("ed25519-cert", "Ed25519 server certificate (default versions)", ED25519,
                      {"ed25519": True}, {"version": "max-common", "sigscheme": "ed25519"}))
    # every cipher suite, one server-side suite per cell
    for c in suites.TLS13:
        S.append(Scenario("cipher-tls13-" + c, "TLS 1.3 suite " + c, ["-tls1_3", "-ciphersuites", c] + RSA,
                          {"version": "1.3", "cipher": c}, {"version": "TLSv1.3", "cipher": c},
                          family="cipher", ci=(c == "TLS_CHACHA20_POLY1305_SHA256")))
    for c, (oname, kt) in suites.TLS12.items():
        S.append(Scenario("cipher-tls12-" + c, "TLS 1.2 suite %s (%s)" % (c, oname),
                          ["-tls1_2", "-cipher", oname] + (ECDSA if kt == "ecdsa" else RSA),
                          {"version": "1.2", "cipher": c}, {"version": "TLSv1.2", "cipher": c},
                          family="cipher", ci=(c == "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384")))
    for g in suites.GROUPS:
        for v in ("1.3", "1.2"):
            extra = ["-cipher", "DHE-RSA-AES128-GCM-SHA256"] if (g.startswith("ffdhe") and v == "1.2") else []
            S.append(Scenario("group-tls%s-%s" % (v.replace(".", ""), g), "Group %s, TLS %s" % (g, v),
                              ["-tls1_" + v[-1], "-groups", g] + extra + RSA,
                              {"version": v, "group": g}, {"version": "TLSv" + v, "group": g},
                              family="group", ci=(g == "P-384" and v == "1.3")))
    S.append(Scenario("resume-id-tls12", "TLS 1.2 resumption by session ID (-no_ticket)",
                      ["-tls1_2", "-no_ticket"] + RSA, {"version": "1.2", "resume": "id"},
                      {"version": "TLSv1.2", "resumed": True}, ci=True))
    S.append(Scenario("resume-ticket-tls12", "TLS 1.2 resumption by session ticket (-no_cache)",
                      ["-tls1_2", "-no_cache"] + RSA, {"version": "1.2", "resume": "ticket"},
                      {"version": "TLSv1.2", "resumed": True, "ticket_offered": True}))
    S.append(Scenario("resume-ticket-tls13", "TLS 1.3 resumption by ticket (PSK-DHE)",
                      ["-tls1_3"] + RSA, {"version": "1.3", "resume": "ticket"},
                      {"version": "TLSv1.3", "resumed": True}, ci=True))
    S.append(Scenario("alpn", "ALPN: server -alpn h2,http/1.1, server preference wins", ["-alpn", "h2,http/1.1"] + RSA,
                      {"alpn": ["http/1.1", "h2"]}, {"alpn": "server-pick"}, ci=True))
    S.append(Scenario("sni-alt-cert", "SNI alt.test selects the -cert2 certificate",
                      RSA + ["-servername", "alt.test", "-cert2", "@PKI@/alt.pem", "-key2", "@PKI@/alt.key"],
                      {"sni": "alt.test"}, {"sni": "alt.test", "peer_cn": "alt.test"}, ci=True))
    S.append(Scenario("client-cert", "Client certificate required (-Verify 1 -CAfile ca.pem)",
                      ["-Verify", "1", "-CAfile", "@PKI@/ca.pem"] + RSA, {"client_cert": True},
                      {"client_cert": "CN=client"}, ci=True))
    S.append(Scenario("hrr", "HelloRetryRequest: server accepts only P-384 in TLS 1.3",
                      ["-tls1_3", "-groups", "P-384"] + RSA, {"version": "1.3", "hrr": True},
                      {"version": "TLSv1.3", "group": "P-384", "hrr": True}, ci=True))
    S.append(Scenario("key-update", "TLS 1.3 server KeyUpdate (`k`), then data", ["-tls1_3"] + RSA,
                      {"version": "1.3", "interactive": True}, {"version": "TLSv1.3", "mark": True},
                      mode="echo", commands=["k"], ci=True))
    S.append(Scenario("key-update-requested", "TLS 1.3 server KeyUpdate requesting one back (`K`), then data",
                      ["-tls1_3"] + RSA, {"version": "1.3", "interactive": True},
                      {"version": "TLSv1.3", "mark": True}, mode="echo", commands=["K"]))
    S.append(Scenario("psk-tls12", "TLS 1.2 PSK (PSK-AES128-GCM-SHA256, no certificate)",
                      ["-tls1_2", "-nocert", "-psk", PSK_HEX, "-psk_identity", PSK_ID, "-cipher",
                       "PSK-AES128-GCM-SHA256"],
                      {"version": "1.2", "psk": True, "cipher": "TLS_PSK_WITH_AES_128_GCM_SHA256"},
                      {"version": "TLSv1.2", "cipher": "TLS_PSK_WITH_AES_128_GCM_SHA256"}))
    S.append(Scenario("psk-tls13", "TLS 1.3 external PSK (with certificate as fallback)",
                      ["-tls1_3", "-psk", PSK_HEX, "-psk_identity", PSK_ID] + RSA,
                      {"version": "1.3", "psk": True}, {"version": "TLSv1.3", "psk_offered": True}))
    for v in ("1.2", "1.3"):
        S.append(Scenario("ocsp-staple-tls%s" % v.replace(".", ""),
                          "OCSP stapling, TLS %s: a good response from -status_file (issuer in -CAfile and "
                          "-cert_chain)" % v,
                          ["-tls1_" + v[-1], "-status_file", "@PKI@/ocsp-good.der", "-CAfile", "@PKI@/ca.pem",
                           "-cert_chain", "@PKI@/ca.pem"] + RSA,
                          {"version": v, "ocsp": True}, {"version": "TLSv" + v, "ocsp": "good"}, ci=True))
    S.append(Scenario("renegotiation", "TLS 1.2 server-initiated renegotiation (-www GET /reneg)",
                      ["-tls1_2"] + RSA, {"version": "1.2", "path": "/reneg", "reneg": True},
                      {"version": "TLSv1.2", "reneg_page": True}, ci=True))
    S.append(Scenario("max-send-frag", "Server records capped at 512 bytes (-max_send_frag 512)",
                      ["-max_send_frag", "512"] + RSA, {}, {"version": "max-common"}))
    S.append(Scenario("max-fragment-length", "Client max_fragment_length=512 extension (RFC 6066), TLS 1.2",
                      ["-tls1_2"] + RSA, {"version": "1.2", "mfl": 512},
                      {"version": "TLSv1.2", "mfl_offered": True}))
    S.append(Scenario("early-data", "TLS 1.3 early data (0-RTT) on resumption",
                      ["-tls1_3", "-early_data"] + RSA, {"version": "1.3", "resume": "ticket", "early_data": True},
                      {"version": "TLSv1.3", "resumed": True, "early_mark": True}, mode="early"))
    S.append(Scenario("dtls12", "DTLS 1.2 over UDP: echo a marker line (server -dtls1_2)", ["-dtls1_2"] + RSA,
                      {"dtls": "1.2", "interactive": True}, {"version": "DTLSv1.2", "mark": True}, mode="echo",
                      family="dtls", ci=True))
    return S


SCENARIOS = _all()
BY_ID = {s.id: s for s in SCENARIOS}
