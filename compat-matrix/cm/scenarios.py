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
  needs   features a peer must have to express the scenario (peers/base.py FEATURES); a peer
          without one is UNSUPPORTED(peer) with its reason
  reuse   (default: page fetches) one server serves every peer of a backend in turn; each cell is
          judged from the events of its own connections

Server options may name @PKI@ (the test PKI, tests/pki/make_pki.sh in the build) and @GEN@
(certificates and keys this file makes itself, in results/tmp/pki, see material()).
"""
import base64
import os
import subprocess

from . import suites

RSA = ["-cert", "@PKI@/server-rsa.pem", "-key", "@PKI@/server-rsa.key"]
ECDSA = ["-cert", "@PKI@/server-ecdsa.pem", "-key", "@PKI@/server-ecdsa.key"]
ED25519 = ["-cert", "@PKI@/server-ed25519.pem", "-key", "@PKI@/server-ed25519.key"]
PSK_HEX = "0123456789abcdef0123456789abcdef"
PSK_ID = "Client_identity"
MARK = "POLYTLS-MATRIX-MARK"


class Scenario:
    def __init__(self, sid, title, server, spec=None, checks=None, mode="www", family="core", ci=False,
                 commands=None, needs=None, reuse=None):
        self.id = sid
        self.needs = list(needs or [])
        self.reuse = (mode == "www") if reuse is None else reuse
        self.title = title
        self.server = server
        self.spec = dict(spec or {})
        self.spec.setdefault("path", "/")
        self.checks = dict(checks or {})
        self.mode = mode
        self.family = family
        self.ci = ci
        self.commands = commands or []  # server stdin commands typed after the handshake (echo mode)

    def server_args(self, ctx):
        return [a.replace("@PKI@", ctx.pki).replace("@GEN@", ctx.gen) for a in self.server]

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
                      {"version": "1.2"}, {"version": "TLSv1.2", "cipher_prefix": "TLS_ECDHE_ECDSA_"}))
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
                          family="cipher"))
    for c, (oname, kt) in suites.TLS12.items():
        S.append(Scenario("cipher-tls12-" + c, "TLS 1.2 suite %s (%s)" % (c, oname),
                          ["-tls1_2", "-cipher", oname] + (ECDSA if kt == "ecdsa" else RSA),
                          {"version": "1.2", "cipher": c}, {"version": "TLSv1.2", "cipher": c},
                          family="cipher", ci=(c == "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")))
    for g in suites.GROUPS:
        for v in ("1.3", "1.2"):
            extra = ["-cipher", "DHE-RSA-AES128-GCM-SHA256"] if (g.startswith("ffdhe") and v == "1.2") else []
            S.append(Scenario("group-tls%s-%s" % (v.replace(".", ""), g), "Group %s, TLS %s" % (g, v),
                              ["-tls1_" + v[-1], "-groups", g] + extra + RSA,
                              {"version": v, "group": g}, {"version": "TLSv" + v, "group": g},
                              family="group", needs=[g] if g in ("P-521", "ffdhe2048") else []))
    S.append(Scenario("resume-id-tls12", "TLS 1.2 resumption by session ID (-no_ticket)",
                      ["-tls1_2", "-no_ticket"] + RSA, {"version": "1.2", "resume": "id"},
                      {"version": "TLSv1.2", "resumed": True}))
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
                      {"sni": "alt.test"}, {"sni": "alt.test", "peer_cn": "alt.test"}))
    S.append(Scenario("client-cert", "Client certificate required (-Verify 1 -CAfile ca.pem)",
                      ["-Verify", "1", "-CAfile", "@PKI@/ca.pem"] + RSA, {"client_cert": True},
                      {"client_cert": "CN=client"}, ci=True))
    S.append(Scenario("hrr", "HelloRetryRequest: server accepts only P-384 in TLS 1.3",
                      ["-tls1_3", "-groups", "P-384"] + RSA, {"version": "1.3", "hrr": True},
                      {"version": "TLSv1.3", "group": "P-384", "hrr": True}))
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
                          {"version": v, "ocsp": True}, {"version": "TLSv" + v, "ocsp": "good"}, needs=["ocsp"]))
    S.append(Scenario("renegotiation", "TLS 1.2 server-initiated renegotiation (-www GET /reneg)",
                      ["-tls1_2"] + RSA, {"version": "1.2", "path": "/reneg", "reneg": True},
                      {"version": "TLSv1.2", "reneg_page": True}, needs=["reneg"]))
    S.append(Scenario("max-send-frag", "Server records capped at 512 bytes (-max_send_frag 512)",
                      ["-max_send_frag", "512"] + RSA, {}, {"version": "max-common"}))
    S.append(Scenario("max-fragment-length", "Client max_fragment_length=512 extension (RFC 6066), TLS 1.2",
                      ["-tls1_2"] + RSA, {"version": "1.2", "mfl": 512},
                      {"version": "TLSv1.2", "mfl_offered": True}))
    S.append(Scenario("early-data", "TLS 1.3 early data (0-RTT) on resumption",
                      ["-tls1_3", "-early_data"] + RSA, {"version": "1.3", "resume": "ticket", "early_data": True},
                      {"version": "TLSv1.3", "resumed": True, "early_mark": True}, mode="early"))
    S.append(Scenario("early-data-rejected", "TLS 1.3 early data offered on resumption, rejected by the server "
                      "(-max_early_data 0): the early bytes must not reach the application",
                      ["-tls1_3", "-early_data", "-max_early_data", "0"] + RSA,
                      {"version": "1.3", "resume": "ticket", "early_data": True},
                      {"version": "TLSv1.3", "resumed": True, "early_rejected": True}, mode="early"))
    S.append(Scenario("dtls12", "DTLS 1.2 over UDP: echo a marker line (server -dtls1_2)", ["-dtls1_2"] + RSA,
                      {"dtls": "1.2", "interactive": True}, {"version": "DTLSv1.2", "mark": True}, mode="echo",
                      family="dtls", ci=True))
    _second_edition(S)
    return S


PQ_GROUPS = ["X25519MLKEM768", "SecP256r1MLKEM768", "MLKEM768"]
CERTS = {  # id -> (title, file stem in @GEN@, TLS 1.3 signature scheme a server signs with)
    "rsa-pss": ("RSA-PSS (id-RSASSA-PSS key) 2048", "server-rsapss", "rsa_pss_pss_*"),
    "ecdsa-p384": ("ECDSA P-384", "server-p384", "ecdsa_secp384r1_sha384"),
    "ed448": ("Ed448", "server-ed448", "ed448"),
    "mldsa44": ("ML-DSA-44", "server-mldsa44", "mldsa44"),
    "mldsa65": ("ML-DSA-65", "server-mldsa65", "mldsa65"),
    "mldsa87": ("ML-DSA-87", "server-mldsa87", "mldsa87"),
}


def _second_edition(S):
    """Issue #21: post-quantum key exchange and signatures, ECH, DTLS 1.3, extensions, server modes."""
    for g in PQ_GROUPS:
        S.append(Scenario("group-tls13-" + g, "Group %s (ML-KEM), TLS 1.3" % g,
                          ["-tls1_3", "-groups", g] + RSA, {"version": "1.3", "group": g},
                          {"version": "TLSv1.3", "group": g}, family="pq", needs=[g],
                          ci=(g == "X25519MLKEM768")))
    S.append(Scenario("hrr-p521", "HelloRetryRequest: the client's default key share is not P-521, the server "
                      "takes only P-521", ["-tls1_3", "-groups", "P-521"] + RSA,
                      {"version": "1.3", "hrr": True, "groups": ["X25519", "P-521"]},
                      {"version": "TLSv1.3", "group": "P-521", "hrr": True}, needs=["P-521"]))
    S.append(Scenario("hrr-x25519mlkem768", "HelloRetryRequest to ML-KEM: the server takes only "
                      "X25519MLKEM768, the client offers it without a key share (first share X25519)",
                      ["-tls1_3", "-groups", "X25519MLKEM768"] + RSA,
                      {"version": "1.3", "hrr": True, "groups": ["X25519", "X25519MLKEM768"]},
                      {"version": "TLSv1.3", "group": "X25519MLKEM768", "hrr": True}, family="pq",
                      needs=["X25519MLKEM768", "group-list"]))
    for cid, (title, stem, scheme) in CERTS.items():
        S.append(Scenario("cert-" + cid, "%s server certificate, TLS 1.3" % title,
                          ["-tls1_3", "-cert", "@GEN@/%s.pem" % stem, "-key", "@GEN@/%s.key" % stem],
                          {"version": "1.3", "cert": cid}, {"version": "TLSv1.3", "sigscheme": scheme},
                          family="cert", needs=["cert:" + cid]))
    S.append(Scenario("cert-rsa-pss-tls12", "RSA-PSS (id-RSASSA-PSS key) server certificate, TLS 1.2",
                      ["-tls1_2", "-cert", "@GEN@/server-rsapss.pem", "-key", "@GEN@/server-rsapss.key"],
                      {"version": "1.2", "cert": "rsa-pss"}, {"version": "TLSv1.2", "sigscheme": "rsa_pss_pss_*"},
                      family="cert", needs=["cert:rsa-pss"]))
    S.append(Scenario("cert-ecdsa-p384-tls12", "ECDSA P-384 server certificate, TLS 1.2 ECDHE-ECDSA",
                      ["-tls1_2", "-cert", "@GEN@/server-p384.pem", "-key", "@GEN@/server-p384.key"],
                      {"version": "1.2", "cert": "ecdsa-p384"}, {"version": "TLSv1.2", "cipher_prefix": "TLS_ECDHE_ECDSA_"},
                      family="cert", needs=["cert:ecdsa-p384"]))
    S.append(Scenario("ech-accept", "Encrypted Client Hello accepted (server -ech_key; the client has its "
                      "ECHConfigList): the inner SNI ech.test reaches the server",
                      ["-tls1_3", "-ech_key", "@GEN@/ech.pem"] + RSA, {"version": "1.3", "ech": "config", "sni": "ech.test"},
                      {"version": "TLSv1.3", "ech": "accepted"}, family="ech", needs=["ech"]))
    S.append(Scenario("ech-grease-retry", "ECH GREASE: the client sends a GREASE ECH extension, the server "
                      "(with ECH keys) answers with retry_configs and the handshake completes without ECH",
                      ["-tls1_3", "-ech_key", "@GEN@/ech.pem"] + RSA, {"version": "1.3", "ech": "grease"},
                      {"version": "TLSv1.3", "ech": "grease"}, family="ech", needs=["ech-grease"]))
    S.append(Scenario("dtls13", "DTLS 1.3 over UDP: echo a marker line (server -dtls1_3)", ["-dtls1_3"] + RSA,
                      {"dtls": "1.3", "interactive": True}, {"version": "DTLSv1.3", "mark": True}, mode="echo",
                      family="dtls", needs=["dtls1.3"]))
    S.append(Scenario("record-size-limit", "Client record_size_limit=512 (RFC 8449), TLS 1.3: the server honours "
                      "it or ignores it, the page arrives whole", ["-tls1_3"] + RSA,
                      {"version": "1.3", "rsl": 512}, {"version": "TLSv1.3", "ext_offered": "record_size_limit"},
                      needs=["rsl"]))
    S.append(Scenario("cert-compression", "Certificate compression (RFC 8879) offered by the client, TLS 1.3, "
                      "server defaults", ["-tls1_3"] + RSA, {"version": "1.3", "cert_comp": True},
                      {"version": "TLSv1.3", "ext_offered": "compress_certificate"}, needs=["cert-comp"]))
    S.append(Scenario("cert-compression-precompressed", "Certificate compression with the server's certificate "
                      "compressed once at startup (-cert_comp)", ["-tls1_3", "-cert_comp"] + RSA,
                      {"version": "1.3", "cert_comp": True},
                      {"version": "TLSv1.3", "ext_offered": "compress_certificate"}, needs=["cert-comp"]))
    S.append(Scenario("raw-public-key", "Raw public key server authentication (RFC 7250, -enable_server_rpk)",
                      ["-tls1_3", "-enable_server_rpk"] + RSA, {"version": "1.3", "rpk": True},
                      {"version": "TLSv1.3", "rpk": True}, needs=["rpk"]))
    S.append(Scenario("stateless", "TLS 1.3 stateless server (-stateless): a HelloRetryRequest cookie round trip",
                      ["-tls1_3", "-stateless"] + RSA, {"version": "1.3"}, {"version": "TLSv1.3"}))
    S.append(Scenario("serverinfo", "-serverinfo: a signed_certificate_timestamp extension from a PEM serverinfo "
                      "file, TLS 1.2", ["-tls1_2", "-serverinfo", "@GEN@/serverinfo.pem"] + RSA,
                      {"version": "1.2", "serverinfo": True}, {"version": "TLSv1.2", "serverinfo": True},
                      needs=["serverinfo"]))
    S.append(Scenario("resume-workers-tls13", "TLS 1.3 ticket resumption against -workers 2 (ticket keys shared "
                      "by the forked workers)", ["-tls1_3", "-workers", "2"] + RSA,
                      {"version": "1.3", "resume": "ticket"}, {"version": "TLSv1.3", "resumed": True},
                      reuse=False))  # the workers number their connections each from 1
    S.append(Scenario("resume-workers-tls12", "TLS 1.2 ticket resumption against -workers 2 (-no_cache)",
                      ["-tls1_2", "-no_cache", "-workers", "2"] + RSA, {"version": "1.2", "resume": "ticket"},
                      {"version": "TLSv1.2", "resumed": True, "ticket_offered": True}, reuse=False))


def material(ctx, openssl_35=None, openssl_40=None):
    """Makes the certificates and keys of @GEN@ once (signed by the test CA); ML-DSA needs the
    OpenSSL 3.5 CLI of the openssl@3.5.7 flavour, ECH keys the 4.0 CLI. Returns notes on what could
    not be made (the scenarios that need it then fail to start their server, with that reason)."""
    gen = ctx.gen
    os.makedirs(gen, exist_ok=True)
    notes = []
    ca, cakey = os.path.join(ctx.pki, "ca.pem"), os.path.join(ctx.pki, "ca.key")

    def run(argv):
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=gen)
        if p.returncode:
            raise RuntimeError("%s: %s" % (" ".join(argv), p.stdout.decode(errors="replace")[-300:]))

    def leaf(exe, stem, genkey):
        key, pem = os.path.join(gen, stem + ".key"), os.path.join(gen, stem + ".pem")
        if os.path.exists(pem):
            return
        run([exe, "genpkey"] + genkey + ["-out", key])
        run([exe, "req", "-new", "-key", key, "-subj", "/CN=localhost", "-out", key + ".csr"])
        ext = os.path.join(gen, "leaf.ext")
        with open(ext, "w") as f:
            f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n")
        run([exe, "x509", "-req", "-in", key + ".csr", "-CA", ca, "-CAkey", cakey, "-CAcreateserial",
             "-days", "3650", "-sha256", "-extfile", ext, "-out", pem + ".part"])
        os.rename(pem + ".part", pem)

    try:
        leaf("openssl", "server-rsapss", ["-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:2048"])
        leaf("openssl", "server-p384", ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"])
        leaf("openssl", "server-ed448", ["-algorithm", "ED448"])
    except RuntimeError as e:
        notes.append(str(e))
    if openssl_35:
        for n in ("44", "65", "87"):
            try:
                leaf(openssl_35, "server-mldsa" + n, ["-algorithm", "ML-DSA-" + n])
            except RuntimeError as e:
                notes.append(str(e))
    else:
        notes.append("no ML-DSA certificates: the openssl@3.5.7 flavour's CLI is not cached")
    ech = os.path.join(gen, "ech.pem")
    if openssl_40 and not os.path.exists(ech):
        try:
            run([openssl_40, "ech", "-public_name", "localhost", "-out", ech])
        except RuntimeError as e:
            notes.append(str(e))
    elif not openssl_40:
        notes.append("no ECH key: the openssl@4.0.2 flavour's CLI is not cached")
    si = os.path.join(gen, "serverinfo.pem")
    if not os.path.exists(si):
        # one signed_certificate_timestamp (type 18) extension holding a one-entry SCT list
        sct = bytes([0]) + bytes(32) + bytes(8) + bytes(2) + bytes([4, 3, 0, 0])
        lst = len(sct).to_bytes(2, "big") + sct
        body = len(lst).to_bytes(2, "big") + lst
        data = (18).to_bytes(2, "big") + len(body).to_bytes(2, "big") + body
        with open(si, "w") as f:
            f.write("-----BEGIN SERVERINFO FOR CT-----\n%s\n-----END SERVERINFO FOR CT-----\n"
                    % base64.b64encode(data).decode())
    return notes


def ech_config_b64(ctx):
    """The base64 ECHConfigList of @GEN@/ech.pem (for clients), or None."""
    try:
        with open(os.path.join(ctx.gen, "ech.pem")) as f:
            txt = f.read()
    except OSError:
        return None
    import re
    m = re.search(r"-----BEGIN ECHCONFIG-----\s*(.*?)\s*-----END ECHCONFIG-----", txt, re.S)
    return "".join(m.group(1).split()) if m else None


SCENARIOS = _all()
BY_ID = {s.id: s for s in SCENARIOS}
