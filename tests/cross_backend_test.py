#!/usr/bin/env python3
"""The same gnutls-cli connection against every built backend, seen through
polytls -json: the client_hello events must list identical offered ciphers
(the core parses the ClientHello, not the library), and handshake_done
events must carry the same core fields on every backend.

usage: cross_backend_test.py POLYTLS_BIN PKI_DIR SCRATCH_DIR BACKEND...
"""
import json
import os
import subprocess
import sys
import time

polytls, pki, scratch = sys.argv[1:4]
backends = sys.argv[4:]
os.makedirs(scratch, exist_ok=True)
CORE_FIELDS = {"time", "event", "conn", "version", "cipher", "cipher_id", "group", "resumed", "handshake_us"}


def run_backend(backend):
    events_path = os.path.join(scratch, f"cross-{backend}.jsonl")
    if os.path.exists(events_path):
        os.unlink(events_path)
    srv = subprocess.Popen(
        [polytls, "s_server", "-backend", backend, "-accept", "127.0.0.1:0", "-www", "-quiet", "-naccept", "1",
         "-json", events_path, "-cert", f"{pki}/server-rsa.pem", "-key", f"{pki}/server-rsa.key"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = srv.stdout.readline()
        assert line.startswith("ACCEPT "), f"{backend}: no ACCEPT line: {line!r}"
        port = line.strip().rsplit(":", 1)[1]
        client = subprocess.run(["gnutls-cli", "--insecure", "-p", port, "127.0.0.1"],
                                input="GET / HTTP/1.0\r\n\r\n", capture_output=True, text=True, timeout=20)
        assert "Protocol version:" in client.stdout, f"{backend}: gnutls-cli got no page: {client.stdout}{client.stderr}"
        srv.wait(timeout=10)
        assert srv.returncode == 0, f"{backend}: server exit {srv.returncode}: {srv.stderr.read()}"
    finally:
        if srv.poll() is None:
            srv.kill()
            srv.wait()
    events = [json.loads(l) for l in open(events_path)]
    by_type = {e["event"]: e for e in events}
    for want in ("listening", "accepted", "client_hello", "handshake_done", "closed"):
        assert want in by_type, f"{backend}: no {want} event in {events}"
    return by_type


results = {b: run_backend(b) for b in backends}
first = backends[0]
ref_ciphers = results[first]["client_hello"]["ciphers"]
failures = []
print(f"{'backend':8} {'version':8} {'cipher':45} {'group':8} handshake_done fields")
for b in backends:
    ch, hd = results[b]["client_hello"], results[b]["handshake_done"]
    if ch["ciphers"] != ref_ciphers:
        failures.append(f"{b}: offered ciphers differ from {first}: {ch['ciphers']} vs {ref_ciphers}")
    if ch["ja4"] != results[first]["client_hello"]["ja4"]:
        failures.append(f"{b}: JA4 differs: {ch['ja4']}")
    missing = CORE_FIELDS - set(hd)
    if missing:
        failures.append(f"{b}: handshake_done lacks {sorted(missing)}")
    print(f"{b:8} {hd.get('version', '-'):8} {hd.get('cipher', '-'):45} {hd.get('group', '-'):8} {sorted(hd)}")
print(f"client_hello: {len(ref_ciphers)} offered ciphers, identical on {len(backends)} backends" if not failures else "")
for f in failures:
    print("FAIL:", f)
print(f"{len(backends) - len({f.split(':')[0] for f in failures})} passed, {len({f.split(':')[0] for f in failures})} failed")
sys.exit(1 if failures else 0)
