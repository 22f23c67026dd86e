#!/usr/bin/python3
"""compat-matrix peer: one page load in the headless Chromium the chromium adapter started, over the
DevTools protocol (a WebSocket, standard library only).

  cdpclient.py --devtools DIR --url https://127.0.0.1:PORT/ [--resume]

Each run gets a fresh browser context (no cookies, no cached sessions or connections from other
cells). Prints `HANDSHAKE version=..\tcipher=..\tgroup=..\tpeer_cn=..\tresumed=..` per page load from
the response's securityDetails, then the page's bytes as received (Network.getResponseBody).
"""
import argparse
import base64
import json
import os
import socket
import struct
import sys
import time


class WS:
    def __init__(self, port, path, timeout=20):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.s.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % (path, port, key)).encode())
        buf = b""
        while b"\r\n\r\n" not in buf:
            d = self.s.recv(4096)
            if not d:
                raise OSError("DevTools closed the WebSocket handshake")
            buf += d
        head, self.buf = buf.split(b"\r\n\r\n", 1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise OSError("DevTools refused the WebSocket: %r" % head[:200])
        self.n = 0
        self.events = []

    def _read(self, n):
        while len(self.buf) < n:
            d = self.s.recv(65536)
            if not d:
                raise OSError("DevTools closed the WebSocket")
            self.buf += d
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def send(self, method, params=None, session=None):
        self.n += 1
        msg = {"id": self.n, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        data = json.dumps(msg).encode()
        mask = os.urandom(4)
        hdr = bytes([0x81])
        if len(data) < 126:
            hdr += bytes([0x80 | len(data)])
        elif len(data) < 65536:
            hdr += bytes([0x80 | 126]) + struct.pack(">H", len(data))
        else:
            hdr += bytes([0x80 | 127]) + struct.pack(">Q", len(data))
        self.s.sendall(hdr + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))
        return self.n

    def recv(self):
        payload = b""
        while True:
            b0, b1 = self._read(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            payload += self._read(n)
            if b0 & 0x80:
                return json.loads(payload.decode("utf-8", "replace"))

    def call(self, method, params=None, session=None, timeout=20):
        i = self.send(method, params, session)
        deadline = time.time() + timeout
        while time.time() < deadline:
            m = self.recv()
            if m.get("id") == i:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            self.events.append(m)
        raise TimeoutError(method)


def load(ws, session, url, timeout):
    """Navigates and waits for the main document to finish (or fail); returns (response, body, error)."""
    ws.events = []
    ws.call("Page.navigate", {"url": url}, session)
    resp = body = err = None
    req_id = None
    deadline = time.time() + timeout
    pending = list(ws.events)
    while time.time() < deadline:
        m = pending.pop(0) if pending else ws.recv()
        meth, p = m.get("method"), m.get("params", {})
        if meth == "Network.requestWillBeSent" and p.get("type") == "Document" and req_id is None:
            req_id = p["requestId"]
        elif meth == "Network.responseReceived" and p.get("requestId") == req_id:
            resp = p["response"]
        elif meth == "Network.loadingFinished" and p.get("requestId") == req_id:
            r = ws.call("Network.getResponseBody", {"requestId": req_id}, session)
            body = base64.b64decode(r["body"]) if r.get("base64Encoded") else r.get("body", "").encode()
            return resp, body, None
        elif meth == "Network.loadingFailed" and p.get("requestId") == req_id:
            err = p.get("errorText", "loading failed")
            return resp, body, err
    return resp, body, "timeout after %d s" % timeout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--devtools", required=True, help="Chromium's user data dir (holds DevToolsActivePort)")
    ap.add_argument("--url", required=True)
    ap.add_argument("--resume", action="store_true", help="load the page twice, the second time on a new "
                    "connection after closing the first (Network.clearBrowserCache keeps TLS sessions)")
    ap.add_argument("--timeout", type=int, default=15)
    a = ap.parse_args()
    with open(os.path.join(a.devtools, "DevToolsActivePort")) as f:
        port, path = f.read().split()[:2]
    ws = WS(int(port), path)
    ctx = ws.call("Target.createBrowserContext", {"disposeOnDetach": True})["browserContextId"]
    rc = 0
    try:
        tid = ws.call("Target.createTarget", {"url": "about:blank", "browserContextId": ctx})["targetId"]
        sess = ws.call("Target.attachToTarget", {"targetId": tid, "flatten": True})["sessionId"]
        ws.call("Network.enable", {}, sess)
        ws.call("Page.enable", {}, sess)
        for i in range(2 if a.resume else 1):
            resp, body, err = load(ws, sess, a.url, a.timeout)
            sd = (resp or {}).get("securityDetails") or {}
            if sd:
                print("HANDSHAKE version=%s\tcipher=%s\tgroup=%s\tpeer_cn=%s\tkx=%s\tscts=%d" % (
                    sd.get("protocol", ""), sd.get("cipher", ""), sd.get("keyExchangeGroup", ""),
                    "CN=" + sd.get("subjectName", ""), sd.get("keyExchange", ""),
                    len(sd.get("signedCertificateTimestampList") or [])), flush=True)
            if err:
                print("LOAD FAILED: %s" % err, flush=True)
                rc = 1
                break
            sys.stdout.write((body or b"").decode("utf-8", "replace") + "\n")
            sys.stdout.flush()
    finally:
        try:
            ws.call("Target.disposeBrowserContext", {"browserContextId": ctx})
        except Exception:
            pass
    return rc


if __name__ == "__main__":
    sys.exit(main())
