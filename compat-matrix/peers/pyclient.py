#!/usr/bin/python3
"""compat-matrix peer: Python ssl (standard library) TLS client.

Prints `HANDSHAKE version=..\tcipher=..\talpn=..\tresumed=..\tpeer_cn=..` per connection, then
what it received. Options mirror the other single-file clients (Client.java, client.go, client.js).
"""
import argparse
import socket
import ssl
import sys


def subject(s):
    """The peer certificate's subject (RFC 2253 order) from the ssl module's own decoding; with
    verification off getpeercert() is empty, so the DER goes through a temporary PEM file."""
    der = s.getpeercert(binary_form=True)
    if not der:
        return ""
    import tempfile
    with tempfile.NamedTemporaryFile("w", suffix=".pem") as f:
        f.write(ssl.DER_cert_to_PEM_cert(der))
        f.flush()
        try:
            d = ssl._ssl._test_decode_cert(f.name)
        except Exception:
            return ""
    return ",".join("%s=%s" % ({"commonName": "CN", "organizationName": "O", "countryName": "C"}.get(k, k), v)
                    for rdn in reversed(d.get("subject", ())) for k, v in rdn)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--version")
    ap.add_argument("--cipher")
    ap.add_argument("--alpn")
    ap.add_argument("--sni")
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--path", default="/")
    ap.add_argument("--until")
    ap.add_argument("--print-version", action="store_true")
    a = ap.parse_args()
    if a.print_version:
        print("Python %s ssl (%s)" % (sys.version.split()[0], ssl.OPENSSL_VERSION))
        return 0
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    if a.version == "1.2":
        ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    elif a.version == "1.3":
        ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion.TLSv1_3
    if a.cipher and not a.cipher.startswith("TLS_AES") and not a.cipher.startswith("TLS_CHACHA"):
        ctx.set_ciphers(a.cipher)
    if a.alpn:
        ctx.set_alpn_protocols(a.alpn.split(","))
    if a.cert:
        ctx.load_cert_chain(a.cert, a.key)
    session = None
    rc = 0
    for i in range(2 if a.resume else 1):
        raw = socket.create_connection((a.host, a.port), timeout=15)
        s = ctx.wrap_socket(raw, server_hostname=a.sni, session=session)
        cn = subject(s)
        print("HANDSHAKE version=%s\tcipher=%s\talpn=%s\tresumed=%s\tpeer_cn=%s" % (
            s.version(), s.cipher()[0], s.selected_alpn_protocol() or "", str(s.session_reused).lower(), cn),
            flush=True)
        got = b""
        if a.until:
            s.sendall(b"hello from python\n")
            while a.until.encode() not in got:
                d = s.recv(4096)
                if not d:
                    rc = 1
                    break
                got += d
            sys.stdout.write(got.decode("utf-8", "replace"))
        else:
            s.sendall(("GET %s HTTP/1.0\r\n\r\n" % a.path).encode())
            while True:
                try:
                    d = s.recv(65536)
                except ssl.SSLZeroReturnError:
                    break
                if not d:
                    break
                got += d
            sys.stdout.write(got.decode("utf-8", "replace"))
        sys.stdout.flush()
        session = s.session
        try:
            s.unwrap()
        except Exception:
            pass
        s.close()
    return rc


if __name__ == "__main__":
    sys.exit(main())
