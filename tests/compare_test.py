#!/usr/bin/python3
"""Tests of `polytls compare` (issue #20), CTest label "compare".

    compare_test.py POLYTLS SCRATCH TEST [BACKEND...]

TEST is one of:
  raw BACKEND       the raw sender against one backend: a known TLS 1.2 ClientHello (corpus case
                    baseline-tls12) gives the expected ServerHello fields
  differ            two backends that really differ (system Mbed TLS 2.28 has no TLS 1.3; the case
                    tls13-only) show the difference and exit 1
  agree             a case every backend answers alike (tls11-hello: protocol_version) exits 0
  inputs            the same hello as a pcap (Ethernet/IPv4, one and two TCP segments), a pcapng (Linux
                    cooked SLL2/IPv6 and loopback/IPv4), a hex dump and a binary file gives the
                    same results as --case
  client            a client command (openssl s_client -tls1_2): one column per backend, the handshake
                    done on each, exit 0 or 1 as the table says
  refused           a flavour that lacks a capability refuses the option: exit 3, the others still run,
                    the reason is in the results
  usage             usage errors exit 2
Prints "N passed, M failed" last; exit status 1 on any failure (77: skipped).
"""
import json
import os
import struct
import subprocess
import sys

PASSED = FAILED = 0


def check(cond, what):
    global PASSED, FAILED
    print("%s %s" % ("ok  " if cond else "FAIL", what))
    if cond:
        PASSED += 1
    else:
        FAILED += 1
    return cond


def compare(exe, args, timeout=300):
    p = subprocess.run([exe, "compare", "-no_color"] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    return p.returncode, p.stdout, p.stderr


def compare_json(exe, args, scratch, name):
    path = os.path.join(scratch, name + ".json")
    rc, out, err = compare(exe, ["-json", path] + args)
    doc = None
    if os.path.exists(path):
        with open(path) as f:
            doc = json.load(f)
    return rc, out, err, doc


def backends_json(exe):
    # exit 1 when some module does not load: the others are still listed
    p = subprocess.run([exe, "backends", "-json"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return json.loads(p.stdout)["backends"]


def case_bytes(exe, name):
    p = subprocess.run([exe, "compare", "--dump", name], stdout=subprocess.PIPE, text=True, check=True)
    return bytes.fromhex("".join(p.stdout.split()))


# ---- captures written around builder bytes --------------------------------

def tcp_segment(payload, seq, sport=40000, dport=443):
    return struct.pack("!HHIIBBHHH", sport, dport, seq, 0, 5 << 4, 0x18, 65535, 0, 0) + payload


def ipv4(tcp):
    return struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0x4000, 64, 6, 0, bytes([127, 0, 0, 1]),
                       bytes([127, 0, 0, 2])) + tcp


def ipv6(tcp):
    return struct.pack("!IHBB16s16s", 6 << 28, len(tcp), 6, 64, b"\0" * 15 + b"\1", b"\0" * 15 + b"\2") + tcp


def ethernet(ip, ethertype=0x0800):
    return b"\x02\0\0\0\0\1" + b"\x02\0\0\0\0\2" + struct.pack("!H", ethertype) + ip


def segments(data, n):
    step = (len(data) + n - 1) // n
    return [data[i:i + step] for i in range(0, len(data), step)]


def write_pcap(path, frames, linktype=1):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, linktype))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", 1700000000 + i, 0, len(fr), len(fr)) + fr)


def pad4(b):
    return b + b"\0" * (-len(b) % 4)


def write_pcapng(path, frames, linktype):
    def block(t, body):
        body = pad4(body)
        return struct.pack("<II", t, len(body) + 12) + body + struct.pack("<I", len(body) + 12)
    with open(path, "wb") as f:
        f.write(block(0x0a0d0d0a, struct.pack("<IHHq", 0x1a2b3c4d, 1, 0, -1)))
        f.write(block(1, struct.pack("<HHI", linktype, 0, 65535)))
        # a packet that is no TLS first: the reader must skip it
        noise = tcp_segment(b"GET / HTTP/1.0\r\n\r\n", 1, 40001, 80)
        frames = [noise] + frames
        for fr in frames:
            f.write(block(6, struct.pack("<IIIII", 0, 0, 0, len(fr), len(fr)) + fr))


def sll2(ip, proto):
    return struct.pack("!HHIHBB8s", proto, 0, 1, 772, 0, 6, b"\0" * 8) + ip


def null_loop(ip):
    return struct.pack("<I", 2) + ip


# ---- the tests ----------------------------------------------------------------

def t_raw(exe, scratch, backend):
    rc, out, err, doc = compare_json(exe, ["-backends", backend, "--case", "baseline-tls12"], scratch,
                                     "raw-" + backend)
    check(rc == 0, "%s: one flavour always agrees with itself (exit %d)" % (backend, rc))
    if not check(doc is not None, "%s: -json written" % backend):
        print(err)
        return
    r = doc["cases"][0]["results"][backend]
    f = r["fields"]
    check(r["status"] == "ran", "%s: the server ran" % backend)
    check(r["code"] == "1.2 ECDHE-RSA AES128GCM X25519", "%s: code %r" % (backend, r["code"]))
    check(f.get("version") == "TLSv1.2", "%s: version %r" % (backend, f.get("version")))
    check(f.get("cipher suite") == "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "%s: cipher suite %r" % (backend, f.get("cipher suite")))
    check(f.get("key exchange") == "ECDHE X25519", "%s: key exchange %r" % (backend, f.get("key exchange")))
    check(f.get("certificates", "").startswith("1, leaf "), "%s: one certificate (%r)" % (backend, f.get("certificates")))
    check(f.get("session id") == "new (32 bytes)", "%s: session id %r" % (backend, f.get("session id")))
    check(f.get("ext extended_master_secret") == "yes", "%s: extended_master_secret echoed" % backend)
    check(f.get("ext renegotiation_info") == "empty", "%s: renegotiation_info empty" % backend)
    check("ServerHelloDone" in f.get("messages", ""), "%s: the flight ends with ServerHelloDone" % backend)
    check(f.get("certificate request") == "no", "%s: no CertificateRequest" % backend)
    # the TLS 1.3 hello on a backend with TLS 1.3: a ServerHello with the X25519 share
    caps = {b["name"]: b["capabilities"] for b in backends_json(exe)}
    if caps[backend].get("tls1.3", {}).get("supported"):
        rc, out, err, doc = compare_json(exe, ["-backends", backend, "--case", "tls13-only"], scratch,
                                         "raw13-" + backend)
        f = doc["cases"][0]["results"][backend]["fields"]
        check(f.get("version") == "TLSv1.3" and f.get("key share") == "X25519 (32 bytes)",
              "%s: TLS 1.3 ServerHello with an X25519 share (%r, %r)" % (backend, f.get("version"), f.get("key share")))
        check(f.get("ext supported_versions") == "TLSv1.3", "%s: supported_versions TLSv1.3" % backend)
        check(doc["cases"][0]["results"][backend]["info"].get("encrypted records", "").split(" ")[0].isdigit(),
              "%s: encrypted records counted after the ServerHello" % backend)


def t_differ(exe, scratch, backends):
    caps = {b["name"]: b["capabilities"] for b in backends_json(exe)}
    with13 = [b for b in backends if caps.get(b, {}).get("tls1.3", {}).get("supported")]
    without13 = [b for b in backends if b in caps and not caps[b].get("tls1.3", {}).get("supported")]
    if not with13 or not without13:
        print("skip: needs one backend with TLS 1.3 and one without (system Mbed TLS 2.28)")
        return 77
    pair = [with13[0], without13[0]]
    rc, out, err, doc = compare_json(exe, ["-backends", ",".join(pair), "--case", "tls13-only"], scratch, "differ")
    check(rc == 1, "%s vs %s on a TLS 1.3-only hello: exit 1 (got %d)" % (pair[0], pair[1], rc))
    check(any(l.startswith("* version") for l in out.splitlines()), "the version row is marked '*'")
    check(any(l.startswith("* outcome") for l in out.splitlines()), "the outcome row is marked '*'")
    c = doc["cases"][0]
    check(c["differs"] and "version" in c["differing_fields"], "-json: differs, version among the differing fields")
    check(c["results"][pair[0]]["fields"].get("version") == "TLSv1.3", "%s answers TLS 1.3" % pair[0])
    check(c["results"][pair[1]]["fields"].get("version") != "TLSv1.3", "%s does not" % pair[1])
    # and on a terminal the row is coloured
    p = subprocess.run([exe, "compare", "-color", "-backends", ",".join(pair), "--case", "tls13-only"],
                       stdout=subprocess.PIPE, text=True)
    check("\033[1;31m* version" in p.stdout, "-color: the differing row is red")
    return 0


def t_agree(exe, scratch, backends):
    rc, out, err, doc = compare_json(exe, ["-backends", ",".join(backends), "--case", "tls11-hello"], scratch, "agree")
    check(rc == 0, "tls11-hello on %s: exit 0 (got %d)" % (",".join(backends), rc))
    check("*" not in "".join(l[:2] for l in out.splitlines()), "no row marked")
    codes = {r["code"] for r in doc["cases"][0]["results"].values()}
    check(codes == {"alert protocol_version"}, "every flavour: alert protocol_version (%s)" % codes)
    check(len(doc["flavours"]) == len(backends), "one column per backend")


def t_inputs(exe, scratch, backends):
    name = "baseline-tls12"
    hello = case_bytes(exe, name)
    check(hello[:3] == b"\x16\x03\x01" and hello[5] == 1, "--dump gives the case's records (%d bytes)" % len(hello))
    bl = ["-backends", ",".join(backends)]
    rc, out, err, ref = compare_json(exe, bl + ["--case", name], scratch, "ref")
    want = {f: (r["code"], r["fields"]) for f, r in ref["cases"][0]["results"].items()}

    files = {}
    p = os.path.join(scratch, "hello.pcap")
    write_pcap(p, [ethernet(ipv4(tcp_segment(hello, 1000)))])
    files["pcap, Ethernet/IPv4, one segment"] = p
    p = os.path.join(scratch, "hello-split.pcap")
    segs = segments(hello, 3)
    frames, seq = [], 5000
    for s in segs:
        frames.append(ethernet(ipv4(tcp_segment(s, seq))))
        seq += len(s)
    frames.insert(2, frames[1])  # a retransmission in between
    write_pcap(p, frames)
    files["pcap, three segments and a retransmission"] = p
    p = os.path.join(scratch, "hello-sll2.pcapng")
    write_pcapng(p, [sll2(ipv6(tcp_segment(hello, 77)), 0x86dd)], 276)
    files["pcapng, Linux SLL2/IPv6"] = p
    p = os.path.join(scratch, "hello-null.pcapng")
    write_pcapng(p, [null_loop(ipv4(tcp_segment(hello, 9)))], 0)
    files["pcapng, loopback/IPv4"] = p
    p = os.path.join(scratch, "hello.hex")
    with open(p, "w") as f:
        f.write("# baseline-tls12\n" + "\n".join(hello[i:i + 16].hex(" ") for i in range(0, len(hello), 16)) + "\n")
    files["hex dump"] = p
    p = os.path.join(scratch, "hello.bin")
    with open(p, "wb") as f:
        f.write(hello)
    files["binary records"] = p
    p = os.path.join(scratch, "hello-msg.bin")
    with open(p, "wb") as f:
        f.write(hello[5:])  # the bare handshake message: wrapped in a record by compare
    files["bare handshake message"] = p
    for label, path in files.items():
        rc, out, err, doc = compare_json(exe, bl + ["--", path], scratch, os.path.basename(path))
        if not check(doc is not None, "%s: read (%s)" % (label, err.strip())):
            continue
        got = {f: (r["code"], r["fields"]) for f, r in doc["cases"][0]["results"].items()}
        check(got == want, "%s: the same results as --case %s" % (label, name))
    # a capture with no ClientHello is a usage error
    p = os.path.join(scratch, "empty.pcap")
    write_pcap(p, [ethernet(ipv4(tcp_segment(b"GET / HTTP/1.0\r\n\r\n", 1)))])
    rc, out, err = compare(exe, bl + ["--", p])
    check(rc == 2 and "no TLS ClientHello" in err, "a capture without a ClientHello: exit 2 (%d: %s)" % (rc, err.strip()))


def t_client(exe, scratch, backends):
    rc, out, err, doc = compare_json(exe, ["-backends", ",".join(backends), "--", "openssl", "s_client", "-connect",
                                           "{host}:{port}", "-tls1_2"], scratch, "client")
    check(rc in (0, 1), "exit 0 or 1 (got %d: %s)" % (rc, err.strip()))
    if doc is None:
        check(False, "-json written")
        return
    c = doc["cases"][0]
    check(list(c["results"]) == backends, "one column per backend, in order (%s)" % list(c["results"]))
    check(rc == (1 if c["differs"] else 0), "the exit status says what the table says (differs=%s)" % c["differs"])
    header = out.splitlines()[2] if len(out.splitlines()) > 2 else ""
    check(all(b in header for b in backends), "the table's header names every backend")
    for b, r in c["results"].items():
        f = r["fields"]
        check(f.get("server: handshake") == "done", "%s: the server's handshake_done event" % b)
        check(f.get("server: version") == "TLSv1.2" and f.get("version") == "TLSv1.2",
              "%s: TLS 1.2 in the events and on the wire" % b)
        check(f.get("server: cipher") == f.get("cipher suite"), "%s: the event's cipher is the wire's" % b)
        check(f.get("client exit") == "0", "%s: s_client exited 0" % b)
        check(r["code"].startswith("1.2 "), "%s: code %r" % (b, r["code"]))


def t_refused(exe, scratch, backends):
    info = {b["name"]: b for b in backends_json(exe)}
    # an option some selected backend refuses and another supports
    for opt, cap in (("-tls1_3", "tls1.3"), ("-no_ems", "no-ems"), ("-prioritize_chacha", "prioritize-chacha"),
                     ("-tls1", "tls1.0")):
        has = [b for b in backends if info[b]["capabilities"].get(cap, {}).get("supported")]
        lacks = [b for b in backends if not info[b]["capabilities"].get(cap, {}).get("supported")]
        if has and lacks:
            break
    else:
        print("skip: no option that one built backend supports and another refuses")
        return 77
    rc, out, err, doc = compare_json(exe, ["-backends", ",".join(backends), opt, "--case", "baseline-modern"],
                                     scratch, "refused")
    check(rc == 3, "%s refused by %s: exit 3 (got %d)" % (opt, ",".join(lacks), rc))
    c = doc["cases"][0]
    for b in lacks:
        r = c["results"][b]
        check(r["status"] == "refused" and r["code"] == "refused", "%s: refused" % b)
        reason = info[b]["capabilities"][cap].get("reason", "")
        check(reason and reason in r.get("reason", ""), "%s: the reason is the capability's (%r)" % (b, r.get("reason")))
        check(("%s: " % b) in out and opt in out, "%s: the table says who refused and why" % b)
    for b in has:
        check(c["results"][b]["status"] == "ran", "%s: still ran" % b)
    return 0


def t_usage(exe, scratch, backends):
    for args, why in ((["--case", "no-such-case"], "unknown case"),
                      (["-accept", "1.2.3.4:5", "--case", "baseline-tls12"], "-accept is compare's"),
                      (["-backends", "nosuch", "--case", "baseline-tls12"], "unknown backend"),
                      (["-frobnicate", "--case", "baseline-tls12"], "unknown s_server option"),
                      ([], "no input"),
                      (["--corpus", "--case", "baseline-tls12"], "two inputs")):
        rc, out, err = compare(exe, args)
        check(rc == 2, "%s: exit 2 (got %d)" % (why, rc))
    rc, out, err = compare(exe, ["--list"])
    n = len(out.splitlines())
    check(rc == 0 and n >= 40, "--list: %d corpus cases (at least 40)" % n)


def main():
    exe, scratch, test = sys.argv[1], sys.argv[2], sys.argv[3]
    rest = sys.argv[4:]
    os.makedirs(scratch, exist_ok=True)
    rc = 0
    if test == "raw":
        t_raw(exe, scratch, rest[0])
    elif test == "differ":
        rc = t_differ(exe, scratch, rest)
    elif test == "agree":
        t_agree(exe, scratch, rest)
    elif test == "inputs":
        t_inputs(exe, scratch, rest)
    elif test == "client":
        t_client(exe, scratch, rest)
    elif test == "refused":
        rc = t_refused(exe, scratch, rest)
    elif test == "usage":
        t_usage(exe, scratch, rest)
    else:
        sys.exit("unknown test %s" % test)
    print("%d passed, %d failed" % (PASSED, FAILED))
    if FAILED:
        return 1
    return rc


if __name__ == "__main__":
    sys.exit(main())
