/* One or more tests per capability: a backend may claim a capability only if
 * a test here (or in the other suites) proves it on that backend. The last
 * test checks exactly that, against the table below. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define RSA_CERT "-cert @PKI@/server-rsa.pem -key @PKI@/server-rsa.key"
#define S_CLIENT "openssl s_client -connect 127.0.0.1:@PORT@"
#define GET_PIPE "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | "
/* The -www page: present only when the handshake succeeded and the server
 * answered (s_client prints "Cipher is X" even for some failed handshakes). */
#define PAGE "Protocol version: TLSv1"

/* Runs s_client (GET / through -www servers) and returns its output. */
__attribute__((noinline)) static char *client(int port, const char *flags)
{
    char *out;
    pt_run(&out, 20, port, GET_PIPE S_CLIENT " -ign_eof %s", flags);
    return out;
}

static void expect_in(const char *hay, const char *needle, const char *what)
{
    cr_assert(strstr(hay, needle), "%s: \"%s\" missing in:\n%s", what, needle, hay);
}

static void expect_not_in(const char *hay, const char *needle, const char *what)
{
    cr_assert(!strstr(hay, needle), "%s: \"%s\" unexpected in:\n%s", what, needle, hay);
}

Test(versions, tls10_and_tls11)
{
    static const struct {
        const char *cap, *flag, *want;
    } v[] = {{"tls1.0", "-tls1", "Protocol version: TLSv1\n"},
             {"tls1.1", "-tls1_1", "Protocol version: TLSv1.1\n"}};
    int ran = 0;
    for (int i = 0; i < 2; i++) {
        if (!pt_has_cap(v[i].cap)) continue;
        ran++;
        pt_server s;
        PT_START(&s, 0, "-www %s " RSA_CERT, v[i].flag);
        char flags[128];
        snprintf(flags, sizeof flags, "%s -cipher DEFAULT@SECLEVEL=0", v[i].flag);
        char *out = client(s.port, flags);
        expect_in(out, v[i].want, v[i].flag);
        free(out);
        pt_server_stop(&s);
    }
    if (!ran) cr_skip_test("backend has neither TLS 1.0 nor 1.1");
}

Test(identity, der_certificate_and_key)
{
    PT_REQUIRE_CAP("cert-der");
    pt_server s;
    PT_START(&s, 0,
             "-www -cert @PKI@/server-rsa.der -certform DER -key @PKI@/server-rsa-key.der -keyform DER");
    char *out = client(s.port, "");
    expect_in(out, "subject=CN = localhost", "DER cert");
    expect_in(out, "Cipher is", "DER cert");
    free(out);
    pt_server_stop(&s);
}

Test(identity, encrypted_keys)
{
    PT_REQUIRE_CAP("key-password");
    pt_server s;
    /* Traditional PEM encryption, pass phrase from the command line and from a file. */
    PT_START(&s, 0, "-www -cert @PKI@/server-rsa.pem -key @PKI@/server-rsa-trad-enc.key -pass pass:secret");
    char *out = client(s.port, "");
    expect_in(out, "Cipher is", "traditional encrypted key");
    free(out);
    pt_server_stop(&s);
    /* OpenSSL 3's default PKCS#8 (PBES2/AES-256): loads, or fails clearly. */
    char *o2;
    int rc = pt_polytls(
        &o2, "s_server -backend @BACKEND@ -accept 127.0.0.1:0 -naccept 1 -cert @PKI@/server-rsa.pem "
             "-key @PKI@/server-rsa-pkcs8-enc.key -pass pass:secret </dev/null & sleep 1; kill $! "
             "2>/dev/null; wait $!");
    cr_assert(strstr(o2, "ACCEPT") || (strstr(o2, "server-rsa-pkcs8-enc.key") && strstr(o2, "PKCS")),
              "PKCS#8 key must load or fail with a message naming the file and the formats: rc=%d %s", rc,
              o2);
    free(o2);
}

Test(identity, chain_file_sent)
{
    PT_REQUIRE_CAP("cert-chain");
    pt_server s;
    PT_START(&s, 0, "-www -cert @PKI@/leaf.pem -key @PKI@/leaf.key -cert_chain @PKI@/inter.pem");
    char *out = client(s.port, "-CAfile @PKI@/ca.pem -verify_return_error");
    expect_in(out, "Verify return code: 0 (ok)", "chain");
    free(out);
    pt_server_stop(&s);
}

Test(identity, dual_cert_by_signature_algorithm)
{
    PT_REQUIRE_CAP("dual-cert");
    PT_REQUIRE_CAP("tls1.2");
    pt_server s;
    PT_START(&s, 0, "-www " RSA_CERT " -dcert @PKI@/server-ecdsa.pem -dkey @PKI@/server-ecdsa.key");
    char *out = client(s.port, "-tls1_2 -sigalgs ECDSA+SHA256");
    expect_in(out, "Server public key is 256 bit", "ECDSA cert for an ECDSA-only client");
    free(out);
    out = client(s.port, "-tls1_2 -sigalgs RSA+SHA256");
    expect_in(out, "Server public key is 2048 bit", "RSA cert for an RSA-only client");
    free(out);
    pt_server_stop(&s);
}

Test(ciphers, cipher_list_by_openssl_and_iana_name)
{
    PT_REQUIRE_CAP("cipher-list");
    PT_REQUIRE_CAP("tls1.2");
    static const char *spellings[] = {"ECDHE-RSA-AES128-GCM-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"};
    for (int i = 0; i < 2; i++) {
        pt_server s;
        PT_START(&s, 0, "-www -tls1_2 " RSA_CERT " -cipher %s", spellings[i]);
        char *out = client(s.port, "-tls1_2");
        expect_in(out, "Cipher is ECDHE-RSA-AES128-GCM-SHA256", spellings[i]);
        free(out);
        out = client(s.port, "-tls1_2 -cipher ECDHE-RSA-AES256-GCM-SHA384");
        expect_not_in(out, PAGE, "a suite outside the list");
        free(out);
        pt_server_stop(&s);
    }
}

Test(ciphers, openssl_cipher_string)
{
    PT_REQUIRE_CAP("cipher-string");
    PT_REQUIRE_CAP("tls1.2");
    pt_server s;
    PT_START(&s, 0, "-www -tls1_2 " RSA_CERT " -cipher 'ECDHE+AESGCM:!AES256'");
    char *out = client(s.port, "-tls1_2");
    expect_in(out, "Cipher is ECDHE-RSA-AES128-GCM-SHA256", "cipher string");
    free(out);
    pt_server_stop(&s);
}

Test(ciphers, tls13_ciphersuites)
{
    PT_REQUIRE_CAP("tls13-ciphersuites");
    pt_server s;
    PT_START(&s, 0, "-www -tls1_3 " RSA_CERT " -ciphersuites TLS_CHACHA20_POLY1305_SHA256");
    char *out = client(s.port, "-tls1_3");
    expect_in(out, "Cipher is TLS_CHACHA20_POLY1305_SHA256", "-ciphersuites");
    free(out);
    pt_server_stop(&s);
}

Test(ciphers, tls13_ciphersuites_do_not_replace_tls12_list)
{
    PT_REQUIRE_CAP("tls13-ciphersuites");
    PT_REQUIRE_CAP("cipher-list");
    pt_server s;
    PT_START(&s, 0,
             "-www " RSA_CERT " -cipher ECDHE-RSA-AES256-GCM-SHA384 -ciphersuites TLS_AES_128_GCM_SHA256");
    char *out = client(s.port, "-tls1_2");
    expect_in(out, "Cipher is ECDHE-RSA-AES256-GCM-SHA384", "TLS 1.2 list kept");
    free(out);
    out = client(s.port, "-tls1_3");
    expect_in(out, "Cipher is TLS_AES_128_GCM_SHA256", "TLS 1.3 list applied");
    free(out);
    pt_server_stop(&s);
}

Test(ciphers, client_order_by_default_server_order_with_serverpref)
{
    PT_REQUIRE_CAP("server-pref");
    PT_REQUIRE_CAP("cipher-list");
    PT_REQUIRE_CAP("tls1.2");
    const char *list = "-cipher ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384";
    const char *offer = "-tls1_2 -cipher ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256";
    pt_server s;
    PT_START(&s, 0, "-www -tls1_2 " RSA_CERT " %s", list);
    char *out = client(s.port, offer);
    expect_in(out, "Cipher is ECDHE-RSA-AES256-GCM-SHA384", "client order by default (as OpenSSL)");
    free(out);
    pt_server_stop(&s);
    PT_START(&s, 0, "-www -tls1_2 -serverpref " RSA_CERT " %s", list);
    out = client(s.port, offer);
    expect_in(out, "Cipher is ECDHE-RSA-AES128-GCM-SHA256", "-serverpref");
    free(out);
    pt_server_stop(&s);
}

Test(ciphers, prioritize_chacha)
{
    PT_REQUIRE_CAP("prioritize-chacha");
    PT_REQUIRE_CAP("tls1.3");
    pt_server s;
    PT_START(&s, 0, "-www -tls1_3 -serverpref -prioritize_chacha " RSA_CERT);
    char *out = client(s.port, "-tls1_3 -ciphersuites TLS_CHACHA20_POLY1305_SHA256:TLS_AES_256_GCM_SHA384");
    expect_in(out, "Cipher is TLS_CHACHA20_POLY1305_SHA256", "client prefers ChaCha");
    free(out);
    out = client(
        s.port,
        "-tls1_3 -ciphersuites TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_256_GCM_SHA384");
    expect_in(out, "Cipher is TLS_AES_256_GCM_SHA384", "client does not prefer ChaCha: server order");
    free(out);
    pt_server_stop(&s);
}

Test(groups, group_list_applied)
{
    PT_REQUIRE_CAP("groups");
    /* Per version the backend has: the list is applied, or the backend
     * refuses it up front (a capability error), never ignores it. */
    static const struct {
        const char *cap, *flag;
    } v[] = {{"tls1.2", "-tls1_2"}, {"tls1.3", "-tls1_3"}};
    int applied = 0;
    for (int i = 0; i < 2; i++) {
        if (!pt_has_cap(v[i].cap)) continue;
        char *err;
        int rc = pt_polytls(&err,
                            "s_server -backend @BACKEND@ -accept 127.0.0.1:0 %s -groups P-384 " RSA_CERT
                            " -naccept 1 </dev/null & p=$!; sleep 0.5; kill $p 2>/dev/null; wait $p",
                            v[i].flag);
        if (strstr(err, "capability error")) {
            expect_in(err, "-groups", "refusal names the option");
            free(err);
            continue;
        }
        free(err);
        (void)rc;
        pt_server s;
        PT_START(&s, 0, "-www %s " RSA_CERT " -groups P-384", v[i].flag);
        char *out = client(s.port, v[i].flag);
        expect_in(out, "Server Temp Key: ECDH, secp384r1", v[i].flag);
        free(out);
        /* An ECDHE-only client without P-384 (TLS 1.2 could otherwise fall
         * back to a DHE or RSA suite, which is correct). */
        char flags[200];
        snprintf(flags, sizeof flags, "%s -groups X25519 -cipher ECDHE-RSA-AES128-GCM-SHA256", v[i].flag);
        out = client(s.port, flags);
        expect_not_in(out, PAGE, "a client without P-384");
        free(out);
        pt_server_stop(&s);
        applied++;
    }
    cr_assert_gt(applied, 0, "-groups is claimed but refused for every version");
}

/* ML-KEM hybrid key exchange (X25519MLKEM768): applied with a client that
 * has it (an OpenSSL >= 3.5 flavour build; the system's 3.0 has none), or
 * refused up front as a capability error naming -groups. */
Test(groups, mlkem_hybrid)
{
    PT_REQUIRE_CAP("groups");
    PT_REQUIRE_CAP("tls1.3");
    char *err;
    pt_polytls(
        &err,
        "s_server -backend @BACKEND@ -accept 127.0.0.1:0 -tls1_3 -groups X25519MLKEM768:X25519 " RSA_CERT
        " -naccept 1 </dev/null & p=$!; sleep 0.5; kill $p 2>/dev/null; wait $p");
    if (strstr(err, "capability error")) {
        expect_in(err, "-groups", "refusal names the option");
        free(err);
        cr_skip_test("backend %s refuses X25519MLKEM768 (capability error checked)", pt_backend());
    }
    free(err);
    char *openssl;
    pt_run(
        &openssl, 10, 0,
        "for o in ${POLYTLS_FLAVOUR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/polytls/flavours}/openssl-*/bin/"
        "openssl; do $o list -kem-algorithms 2>/dev/null | grep -q X25519MLKEM768 && printf %%s $o && break; "
        "done");
    if (openssl == NULL || openssl[0] == '\0')
        cr_skip_test("no client with X25519MLKEM768 (an OpenSSL >= 3.5 flavour)");
    pt_server s;
    PT_START(&s, 0, "-www -tls1_3 -groups X25519MLKEM768:X25519 " RSA_CERT);
    char *out;
    pt_run(&out, 20, s.port, "%s s_client -connect 127.0.0.1:@PORT@ -groups X25519MLKEM768 </dev/null",
           openssl);
    expect_in(out, "Negotiated TLS1.3 group: X25519MLKEM768", "ML-KEM hybrid");
    free(out);
    cr_assert(pt_server_wait_output(&s, "X25519MLKEM768", 5000), "the server does not report the group");
    /* A client without it still gets X25519. */
    out = client(s.port, "-tls1_3");
    expect_in(out, "Server Temp Key: X25519", "fallback group");
    free(out);
    pt_server_stop(&s);
    free(openssl);
}

Test(groups, x25519_preferred_by_default)
{
    /* The same default on every backend (Mbed TLS's own default is P-521). */
    pt_server s;
    PT_START(&s, 0, "-www " RSA_CERT);
    char *out = client(s.port, "-tls1_2 -groups X25519:P-256:P-384:P-521");
    expect_in(out, "Server Temp Key: X25519", "default group preference");
    /* Every backend reports the group (Mbed TLS through the core's reading
     * of the handshake). */
    expect_in(out, "Key exchange group: X25519", "reported group");
    free(out);
    pt_server_stop(&s);
}

Test(sigalgs, server_signature_algorithms)
{
    PT_REQUIRE_CAP("sigalgs");
    PT_REQUIRE_CAP("tls1.2");
    pt_server s;
    PT_START(&s, 0, "-www -tls1_2 " RSA_CERT " -sigalgs rsa_pkcs1_sha384");
    char *out = client(s.port, "-tls1_2");
    expect_in(out, "Peer signing digest: SHA384", "-sigalgs");
    free(out);
    pt_server_stop(&s);
}

Test(sigalgs, client_signature_algorithms_requested)
{
    PT_REQUIRE_CAP("client-sigalgs");
    pt_server s;
    PT_START(&s, 0,
             "-www -verify 1 -CAfile @PKI@/ca.pem " RSA_CERT " -client_sigalgs ecdsa_secp256r1_sha256");
    char *out = client(s.port, "-cert @PKI@/client.pem -key @PKI@/client.key");
    expect_in(out, "Requested Signature Algorithms: ECDSA+SHA256\n", "-client_sigalgs");
    free(out);
    pt_server_stop(&s);
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

Test(sessions, num_tickets)
{
    PT_REQUIRE_CAP("num-tickets");
    static const int wants[] = {0, 1, 3};
    for (int i = 0; i < 3; i++) {
        pt_server s;
        PT_START(&s, 0, "-www -tls1_3 " RSA_CERT " -num_tickets %d", wants[i]);
        char *out;
        pt_run(&out, 20, s.port,
               GET_PIPE S_CLIENT " -ign_eof -msg 2>/dev/null | grep -a -c 'Handshake.*NewSessionTicket'");
        cr_assert_eq(atoi(out), wants[i], "-num_tickets %d: %s", wants[i], out);
        free(out);
        pt_server_stop(&s);
    }
}

Test(sessions, default_two_tls13_tickets)
{
    PT_REQUIRE_CAP("tls1.3");
    PT_REQUIRE_CAP("tickets");
    pt_server s;
    PT_START(&s, 0, "-www -tls1_3 " RSA_CERT);
    char *out;
    pt_run(&out, 20, s.port,
           GET_PIPE S_CLIENT " -ign_eof -msg 2>/dev/null | grep -a -c 'Handshake.*NewSessionTicket'");
    cr_assert_eq(atoi(out), 2, "the same default ticket count on every backend: %s", out);
    free(out);
    pt_server_stop(&s);
}

Test(sessions, context_with_client_auth_resumes)
{
    PT_REQUIRE_CAP("session-context");
    PT_REQUIRE_CAP("session-cache");
    PT_REQUIRE_CAP("client-verify");
    pt_server s;
    PT_START(&s, 0, "-www -context polytls-test -Verify 1 -CAfile @PKI@/ca.pem " RSA_CERT);
    char dir[256];
    pt_mkdtemp(dir, sizeof dir);
    char flags[600];
    snprintf(flags, sizeof flags,
             "-tls1_2 -no_ticket -cert @PKI@/client.pem -key @PKI@/client.key -sess_out %s/s", dir);
    char *out = client(s.port, flags);
    expect_in(out, "New, TLSv1.2", "first");
    free(out);
    snprintf(flags, sizeof flags,
             "-tls1_2 -no_ticket -cert @PKI@/client.pem -key @PKI@/client.key -sess_in %s/s", dir);
    out = client(s.port, flags);
    expect_in(out, "Reused, TLSv1.2", "resumed within the same context");
    free(out);
    pt_server_stop(&s);
}

Test(sessions, id_prefix)
{
    PT_REQUIRE_CAP("id-prefix");
    PT_REQUIRE_CAP("tls1.2");
    pt_server s;
    PT_START(&s, 0, "-www -tls1_2 -no_ticket -id_prefix abcd " RSA_CERT);
    char *out = client(s.port, "-tls1_2 -no_ticket");
    expect_in(out, "Session-ID: 61626364", "-id_prefix abcd");
    free(out);
    pt_server_stop(&s);
}

Test(extensions, npn)
{
    PT_REQUIRE_CAP("npn");
    pt_server s;
    PT_START(&s, 0, "-www -tls1_2 -nextprotoneg http/1.1,h2 " RSA_CERT);
    char *out = client(s.port, "-tls1_2 -nextprotoneg h2");
    expect_in(out, "Next protocol: (1) h2", "NPN");
    free(out);
    pt_server_stop(&s);
}

/* The staple a client received, saved by gnutls-cli (malloc'd; NULL when
 * the server sent none). */
static char *stapled_bytes(int port, const char *dir, const char *flags, size_t *len)
{
    char path[300], *out;
    snprintf(path, sizeof path, "%s/stapled.der", dir);
    unlink(path);
    int rc =
        pt_run(&out, 20, port, "gnutls-cli --insecure %s --save-ocsp=%s -p @PORT@ 127.0.0.1", flags, path);
    cr_assert_eq(rc, 0, "gnutls-cli failed: %s", out);
    free(out);
    char *der = pt_read_file(path, len);
    if (der != NULL &&
        *len == 0) { /* gnutls-cli saves an empty file when the status was acked but not sent */
        free(der);
        der = NULL;
    }
    return der;
}

/* The staple is the file, byte for byte. */
static void expect_staple(int port, const char *dir, const char *flags, const char *file)
{
    size_t got_len = 0, want_len = 0;
    char *got = stapled_bytes(port, dir, flags, &got_len), *want = pt_read_file(file, &want_len);
    cr_assert(want, "cannot read %s", file);
    cr_assert(got, "%s: no OCSP response stapled (%s)", file, flags);
    cr_assert(got_len == want_len && memcmp(got, want, got_len) == 0,
              "%s: stapled bytes differ from the file", file);
    free(got);
    free(want);
}

Test(extensions, ocsp_staple)
{
    PT_REQUIRE_CAP("ocsp-staple");
    pt_server s;
    /* wolfSSL validates the staple, so the issuer CA is given as -CAfile. */
    /* The issuer goes in the chain: curl needs it to check the staple, and
     * only OpenSSL adds it from -CAfile by itself. */
    PT_START(&s, 0,
             "-www -tls1_2 " RSA_CERT
             " -cert_chain @PKI@/ca.pem -status_file @PKI@/ocsp-good.der -CAfile @PKI@/ca.pem");
    char *out = client(s.port, "-status");
    expect_in(out, "OCSP Response Status: successful", "stapled response");
    expect_in(out, "Cert Status: good", "stapled response");
    free(out);
    /* curl checks the staple: signed for this certificate, by its CA's responder, good. */
    pt_run(&out, 20, s.port,
           "curl -sS --cert-status --cacert @PKI@/ca.pem --resolve localhost:@PORT@:127.0.0.1 "
           "https://localhost:@PORT@/");
    expect_in(out, PAGE, "curl --cert-status");
    free(out);
    char file[300];
    snprintf(file, sizeof file, "%s/ocsp-good.der", pt_pki());
    expect_staple(s.port, s.dir, "", file);
    pt_server_stop(&s);
}

/* TLS 1.3 puts the staple in the Certificate message: a capability of its
 * own. Where it is refused and TLS 1.2 stapling works, the default
 * versions are a capability error that says how to get stapling, and
 * `backends -json` tells the same. */
Test(extensions, ocsp_staple_tls13)
{
    PT_REQUIRE_CAP("ocsp-staple");
    if (!pt_has_cap("ocsp-staple-tls1.3")) {
        char *out;
        int rc = pt_polytls(&out,
                            "s_server -backend %s -accept 127.0.0.1:0 " RSA_CERT
                            " -status_file @PKI@/ocsp-good.der -CAfile @PKI@/ca.pem </dev/null",
                            pt_backend());
        cr_assert_eq(rc, 3, "exit %d: %s", rc, out);
        expect_in(out, "-status_file with TLS 1.3 enabled", "refusal");
        expect_in(out, pt_cap_reason("ocsp-staple-tls1.3"), "refusal reason");
        expect_in(out, "-tls1_2", "how to stay within TLS 1.2");
        free(out);
        cr_assert_eq(pt_polytls(&out, "backends -json"), 0);
        char key[128];
        snprintf(key, sizeof key, "\"capability\":\"ocsp-staple\",\"tls1.3\":{\"supported\":false");
        expect_in(out, key, "backends -json names the TLS 1.3 refusal of -status_file");
        free(out);
        return;
    }
    pt_server s;
    PT_START(&s, 0, "-www -tls1_3 " RSA_CERT " -status_file @PKI@/ocsp-good.der -CAfile @PKI@/ca.pem");
    char *out = client(s.port, "-status");
    expect_in(out, "Protocol version: TLSv1.3", "TLS 1.3");
    expect_in(out, "Cert Status: good", "stapled response in the TLS 1.3 Certificate message");
    free(out);
    char file[300];
    snprintf(file, sizeof file, "%s/ocsp-good.der", pt_pki());
    expect_staple(s.port, s.dir, "", file);
    pt_server_stop(&s);
}

/* Never the silent case: a -status_file the server accepts is stapled as
 * given (s_server's semantics: the client judges it), and a backend whose
 * library would not staple it refuses to start, naming the file. A
 * revoked response is always stapled (revocation is the client's call). */
Test(extensions, ocsp_staple_what_the_file_must_be)
{
    PT_REQUIRE_CAP("ocsp-staple");
    static const struct {
        const char *file, *why; /* why: what the refusal must say */
        int must_staple;
    } f[] = {{"ocsp-good.der", NULL, 1},
             {"ocsp-revoked.der", NULL, 1},
             {"ocsp-other-cert.der", "is about serial", 0},
             {"ocsp-untrusted.der", "would not staple", 0}};
    int refused = 0;
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        char file[300];
        snprintf(file, sizeof file, "%s/%s", pt_pki(), f[i].file);
        pt_server s;
        int rc =
            pt_server_start(&s, 0, "-www -tls1_2 " RSA_CERT " -status_file %s -CAfile @PKI@/ca.pem", file);
        if (rc != 0) {
            char *err = pt_server_stderr(&s);
            cr_assert(!f[i].must_staple, "%s refused: %s", f[i].file, err);
            cr_assert_eq(s.status, 1, "%s: exit %d: %s", f[i].file, s.status, err);
            expect_in(err, "-status_file", f[i].file);
            expect_in(err, f[i].file, f[i].file);
            expect_in(err, f[i].why, f[i].file);
            free(err);
            refused++;
            continue;
        }
        expect_staple(s.port, s.dir, "", file);
        pt_server_stop(&s);
    }
    cr_log_info("%s: %d of 4 responses refused at startup", pt_backend(), refused);
}

/* A server that outlives its response's nextUpdate: either it goes on
 * stapling the file (OpenSSL) or it says it stopped (wolfSSL refuses an
 * expired response). The response is made here with a one-minute life. */
Test(extensions, ocsp_staple_after_next_update, .timeout = 180)
{
    PT_REQUIRE_CAP("ocsp-staple");
    char dir[256], file[300], *out;
    pt_mkdtemp(dir, sizeof dir);
    snprintf(file, sizeof file, "%s/short.der", dir);
    int rc = pt_run(&out, 20, 0,
                    "openssl ocsp -index @PKI@/index-good.txt -rsigner @PKI@/ocsp.pem -rkey @PKI@/ocsp.key "
                    "-CA @PKI@/ca.pem -reqin @PKI@/ocsp-req.der -respout %s -nmin 1",
                    file);
    cr_assert_eq(rc, 0, "openssl ocsp: %s", out);
    free(out);
    time_t made = time(NULL);
    pt_server s;
    PT_START(&s, 0, "-www -tls1_2 " RSA_CERT " -status_file %s -CAfile @PKI@/ca.pem", file);
    expect_staple(s.port, s.dir, "", file);
    while (time(NULL) < made + 65)
        sleep(1);
    size_t len = 0, want_len = 0;
    char *got = stapled_bytes(s.port, s.dir, "", &len), *want = pt_read_file(file, &want_len);
    if (got != NULL) {
        cr_assert(len == want_len && memcmp(got, want, len) == 0, "stale staple differs from the file");
        cr_log_info("%s staples the expired response as given", pt_backend());
    } else {
        char *err = pt_server_stderr(&s);
        expect_in(err, "passed its nextUpdate", "the server says it stopped stapling");
        free(err);
    }
    free(got);
    free(want);
    /* Either way the server still serves. */
    out = client(s.port, "");
    expect_in(out, PAGE, "handshake after nextUpdate");
    free(out);
    pt_server_stop(&s);
}

/* -status_file with an SNI certificate: stapled on both names (s_server
 * staples the same file for -cert2), or refused up front. */
Test(extensions, ocsp_staple_with_sni_cert)
{
    PT_REQUIRE_CAP("ocsp-staple");
    PT_REQUIRE_CAP("sni-cert");
    pt_server s;
    if (pt_server_start(&s, 0,
                        "-www -tls1_2 " RSA_CERT " -status_file @PKI@/ocsp-good.der -CAfile @PKI@/ca.pem "
                        "-servername alt.test -cert2 @PKI@/alt.pem -key2 @PKI@/alt.key") != 0) {
        char *err = pt_server_stderr(&s);
        cr_assert_eq(s.status, 3, "exit %d: %s", s.status, err);
        expect_in(err, "capability error", "refusal");
        expect_in(err, "-status_file", "refusal");
        expect_in(err, "-cert2", "refusal");
        expect_in(err, pt_backend(), "refusal");
        free(err);
        return;
    }
    char file[300];
    snprintf(file, sizeof file, "%s/ocsp-good.der", pt_pki());
    expect_staple(s.port, s.dir, "", file);
    expect_staple(s.port, s.dir, "--sni-hostname=alt.test", file);
    pt_server_stop(&s);
}

Test(extensions, max_send_frag)
{
    PT_REQUIRE_CAP("max-send-frag");
    char root[256];
    pt_mkdtemp(root, sizeof root);
    char path[300];
    snprintf(path, sizeof path, "%s/f.txt", root);
    FILE *f = fopen(path, "w");
    for (int i = 0; i < 400; i++)
        fputs("0123456789", f);
    fclose(f);
    pt_server s;
    cr_assert_eq(pt_server_start_in(&s, root, 0, "-WWW -tls1_2 -max_send_frag 512 " RSA_CERT), 0);
    char *out;
    /* The largest application-data record the client received. */
    pt_run(&out, 20, s.port,
           "printf 'GET /f.txt HTTP/1.0\\r\\n\\r\\n' | " S_CLIENT " -tls1_2 -ign_eof -msg 2>&1 | grep -a -A1 "
           "'<<< .*RecordHeader' | grep -a '^ *17 03 03' | awk '{print $4 $5}' | sort -u | "
           "while read h; do printf '%%d\\n' 0x$h; done | sort -n | tail -1");
    int maxlen = atoi(out);
    cr_assert(maxlen > 0 && maxlen <= 512 + 256, "largest record %d exceeds -max_send_frag 512", maxlen);
    free(out);
    pt_server_stop(&s);
}

Test(extensions, record_padding)
{
    PT_REQUIRE_CAP("record-padding");
    pt_server s;
    PT_START(&s, 0, "-www -tls1_3 -record_padding 512 " RSA_CERT);
    char *out;
    pt_run(&out, 20, s.port,
           GET_PIPE S_CLIENT
           " -ign_eof -msg 2>&1 | grep -a -A1 '<<< .*RecordHeader' | grep -a '^ *17 03 03' | "
           "awk '{print $4 $5}' | while read h; do echo $(( 0x$h %% 512 )); done | sort -u");
    /* Padded to 512-byte blocks: every record is 512*k plus the 16-byte tag. */
    cr_assert_str_eq(out, "16\n", "record lengths mod 512: %s", out);
    free(out);
    pt_server_stop(&s);
}

/* PSK suites offered by the client: each library has some of them. */
#define PSK_SUITES                                                                                           \
    "'PSK-AES128-GCM-SHA256:PSK-CHACHA20-POLY1305:PSK-AES128-CBC-SHA256:DHE-PSK-AES256-GCM-SHA384'"

Test(psk, tls12_psk_identity_checked)
{
    PT_REQUIRE_CAP("psk");
    PT_REQUIRE_CAP("tls1.2");
    pt_server s;
    PT_START(&s, 0, "-www -tls1_2 " RSA_CERT " -psk 0123456789abcdef0123456789abcdef -psk_identity pt-id");
    char *out = client(
        s.port, "-tls1_2 -psk 0123456789abcdef0123456789abcdef -psk_identity pt-id -cipher " PSK_SUITES);
    expect_in(out, PAGE, "PSK");
    cr_assert(strstr(out, "Cipher suite: TLS_PSK_WITH_") || strstr(out, "Cipher suite: TLS_DHE_PSK_WITH_"),
              "a PSK suite negotiated: %s", out);
    free(out);
    out = client(s.port,
                 "-tls1_2 -psk 0123456789abcdef0123456789abcdef -psk_identity wrong -cipher " PSK_SUITES);
    expect_not_in(out, PAGE, "wrong identity");
    free(out);
    out = client(s.port,
                 "-tls1_2 -psk 00000000000000000000000000000000 -psk_identity pt-id -cipher " PSK_SUITES);
    expect_not_in(out, PAGE, "wrong key");
    free(out);
    pt_server_stop(&s);
}

Test(psk, tls13_external_psk)
{
    PT_REQUIRE_CAP("psk-tls1.3");
    pt_server s;
    PT_START(&s, 0, "-www -tls1_3 " RSA_CERT " -psk 0123456789abcdef0123456789abcdef -psk_identity pt-id");
    char *out = client(s.port, "-tls1_3 -psk 0123456789abcdef0123456789abcdef -psk_identity pt-id");
    expect_in(out, "TLSv1.3, Cipher is TLS_AES_128_GCM_SHA256", "TLS 1.3 PSK");
    expect_in(out, "no peer certificate available", "a PSK handshake sends no certificate");
    /* An accepted PSK is a resumption on every backend (as OpenSSL counts it):
     * the core reads pre_shared_key in the ServerHello. */
    expect_in(out, "Session: Reused", "the server's page reports the PSK handshake as resumed");
    free(out);
    pt_server_stop(&s);
}

Test(psk, hint_sent)
{
    PT_REQUIRE_CAP("psk-hint");
    pt_server s;
    PT_START(&s, 0, "-www -tls1_2 " RSA_CERT " -psk 0123456789abcdef -psk_identity pt-id -psk_hint pt-hint");
    char *out =
        client(s.port, "-tls1_2 -debug -psk 0123456789abcdef -psk_identity pt-id -cipher " PSK_SUITES);
    expect_in(out, "Received PSK identity hint 'pt-hint'", "-psk_hint");
    free(out);
    pt_server_stop(&s);
}

Test(tls13, early_data_accepted)
{
    PT_REQUIRE_CAP("early-data");
    pt_server s;
    PT_START(&s, 0, "-early_data " RSA_CERT);
    char dir[256];
    pt_mkdtemp(dir, sizeof dir);
    char *out;
    pt_run(&out, 20, s.port, "sleep 1 | " S_CLIENT " -tls1_3 -sess_out %s/s", dir);
    free(out);
    pt_run(&out, 20, s.port,
           "printf 'EARLY-HELLO\\n' > %s/ed; sleep 1 | " S_CLIENT " -tls1_3 -sess_in %s/s -early_data %s/ed",
           dir, dir, dir);
    expect_in(out, "Early data was accepted", "early data");
    free(out);
    cr_assert(pt_server_wait_output(&s, "EARLY-HELLO", 5000), "the server did not deliver the early data");
    pt_server_stop(&s);
}

/* A client that stays connected while the test types commands into the
 * server's stdin. */
static char *interactive_session(const char *server_args, const char *client_flags, const char *commands)
{
    pt_server s;
    PT_START(&s, 1, "%s", server_args);
    pt_bg c;
    pt_spawn(&c, s.port,
             "(printf 'ready\\n'; sleep 4; printf 'after\\n'; sleep 2) | " S_CLIENT " -ign_eof -msg %s",
             client_flags);
    cr_assert(pt_server_wait_output(&s, "ready", 10000), "client did not connect");
    pt_server_input(&s, commands);
    cr_assert(pt_server_wait_output(&s, "after", 10000), "the connection did not survive the command");
    pt_server_input(&s, "q\n");
    char *out;
    pt_spawn_wait(&c, 10000, &out);
    char *err = pt_server_stderr(&s);
    size_t l1 = strlen(out), l2 = strlen(err);
    out = realloc(out, l1 + l2 + 32);
    memcpy(out + l1, "\n--- server stderr ---\n", 23);
    memcpy(out + l1 + 23, err, l2 + 1);
    free(err);
    pt_server_stop(&s);
    return out;
}

Test(tls13, key_update_k_and_K)
{
    PT_REQUIRE_CAP("key-update");
    char *out = interactive_session("-tls1_3 " RSA_CERT, "-tls1_3", "k\n");
    expect_in(out, "KeyUpdate", "k");
    free(out);
    out = interactive_session("-tls1_3 " RSA_CERT, "-tls1_3", "K\n");
    cr_assert_geq(count(out, "KeyUpdate"), 2, "K requests an update back: %s", out);
    free(out);
}

Test(tls13, post_handshake_auth)
{
    PT_REQUIRE_CAP("post-handshake-auth");
    char *out =
        interactive_session("-tls1_3 -verify 1 -CAfile @PKI@/ca.pem " RSA_CERT,
                            "-tls1_3 -enable_pha -cert @PKI@/client.pem -key @PKI@/client.key", "c\n");
    expect_in(out, "CertificateRequest", "c");
    expect_in(out, ">>> TLS 1.3, Handshake [length", "client answered");
    free(out);
}

/* HelloRetryRequest: the client's only key share (X25519) is for a group
 * the server does not allow, so the server asks for P-256. */
Test(tls13, hello_retry_request)
{
    PT_REQUIRE_CAP("tls1.3");
    PT_REQUIRE_CAP("groups");
    pt_server s;
    PT_START(&s, 0, "-www -tls1_3 -groups P-256:P-384 " RSA_CERT);
    char *out = client(s.port, "-tls1_3 -groups X25519:P-256 -msg");
    /* s_client -msg shows the HelloRetryRequest as a first ServerHello. */
    cr_assert_eq(count(out, "], ServerHello"), 2, "a HelloRetryRequest, then the ServerHello: %s", out);
    expect_in(out, "Server Temp Key: ECDH, prime256v1", "the retried key share");
    expect_in(out, PAGE, "the handshake completes");
    free(out);
    pt_server_stop(&s);
}

/* -sigalgs governs the TLS 1.3 CertificateVerify too (RSA-PSS there). */
Test(sigalgs, tls13_server_signature_algorithms)
{
    PT_REQUIRE_CAP("sigalgs");
    PT_REQUIRE_CAP("tls1.3");
    pt_server s;
    PT_START(&s, 0, "-www -tls1_3 " RSA_CERT " -sigalgs rsa_pss_rsae_sha384");
    char *out = client(s.port, "-tls1_3");
    expect_in(out, "Peer signing digest: SHA384", "-sigalgs in TLS 1.3");
    expect_in(out, "Peer signature type: RSA-PSS", "RSA-PSS in TLS 1.3");
    free(out);
    pt_server_stop(&s);
    PT_START(&s, 0, "-www -tls1_3 -cert @PKI@/server-ecdsa.pem -key @PKI@/server-ecdsa.key");
    out = client(s.port, "-tls1_3");
    expect_in(out, "Peer signature type: ECDSA", "an ECDSA certificate in TLS 1.3");
    expect_in(out, PAGE, "ECDSA handshake");
    free(out);
    pt_server_stop(&s);
}

Test(renegotiation, server_initiated_r)
{
    PT_REQUIRE_CAP("renegotiation");
    char *out = interactive_session("-tls1_2 " RSA_CERT, "-tls1_2", "r\n");
    expect_in(out, "HelloRequest", "r");
    cr_assert_geq(count(out, ">>> TLS 1.2, Handshake [length"), 2, "a second handshake: %s", out);
    free(out);
}

Test(renegotiation, www_reneg_page)
{
    PT_REQUIRE_CAP("renegotiation");
    pt_server s;
    PT_START(&s, 0, "-www -tls1_2 " RSA_CERT);
    char *out;
    pt_run(&out, 20, s.port, "printf 'GET /reneg HTTP/1.0\\r\\n\\r\\n' | " S_CLIENT " -tls1_2 -ign_eof");
    /* "completed": the page was written after the client's new handshake
     * (as s_server does), not in the middle of it. */
    expect_in(out, "Renegotiation started; completed", "GET /reneg");
    free(out);
    pt_server_stop(&s);
}

/* GET /renegcert asks for a client certificate in the new handshake, and
 * the page shows the certificate that handshake brought. */
Test(renegotiation, www_renegcert_shows_the_new_certificate)
{
    PT_REQUIRE_CAP("renegotiation");
    pt_server s;
    PT_START(&s, 0, "-www -tls1_2 -CAfile @PKI@/ca.pem " RSA_CERT);
    char *out;
    pt_run(&out, 20, s.port,
           "printf 'GET /renegcert HTTP/1.0\\r\\n\\r\\n' | " S_CLIENT
           " -tls1_2 -ign_eof -cert @PKI@/client.pem -key @PKI@/client.key");
    expect_in(out, "Renegotiation with a client certificate request started; completed", "GET /renegcert");
    expect_in(out, "Client certificate: ", "the certificate of the new handshake");
    expect_in(out, "Client certificate verification: OK", "verified");
    free(out);
    pt_server_stop(&s);
}

/* A client that refuses to renegotiate: the page still comes after a
 * bounded wait, or the library ends the connection (OpenSSL fails it on
 * the no_renegotiation alert). The server never hangs on it. */
Test(renegotiation, www_reneg_refused_by_the_client, .timeout = 60)
{
    PT_REQUIRE_CAP("renegotiation");
    pt_server s;
    PT_START(&s, 0, "-www -tls1_2 " RSA_CERT);
    char *out;
    pt_run(&out, 30, s.port,
           "(printf 'GET /reneg HTTP/1.0\\r\\n\\r\\n'; sleep 13) | " S_CLIENT
           " -tls1_2 -no_renegotiation -ign_eof");
    char *err = pt_server_stderr(&s);
    cr_assert(strstr(out, "the client did not renegotiate within 10 s") || strstr(err, "[no_renegotiation]"),
              "neither the page nor a no_renegotiation failure:\n%s\nserver: %s", out, err);
    free(err);
    free(out);
    /* The server still serves. */
    out = client(s.port, "-tls1_2");
    expect_in(out, PAGE, "next client");
    free(out);
    pt_server_stop(&s);
}

Test(renegotiation, refused_commands_report_capability_error)
{
    if (pt_has_cap("renegotiation") && pt_has_cap("key-update")) cr_skip_test("backend can do both");
    const char *cmd = pt_has_cap("renegotiation") ? "k\n" : "r\n";
    const char *flags = pt_has_cap("renegotiation") ? "-tls1_3" : "-tls1_2";
    if (!pt_has_cap(pt_has_cap("renegotiation") ? "tls1.3" : "tls1.2")) cr_skip_test("version not available");
    char args[256];
    snprintf(args, sizeof args, "%s " RSA_CERT, flags);
    char *out = interactive_session(args, flags, cmd);
    expect_in(out, "capability error", "refused command");
    free(out);
    /* -www's GET /reneg says so on the page instead of killing the connection. */
    if (!pt_has_cap("renegotiation") && pt_has_cap("tls1.2")) {
        pt_server s;
        PT_START(&s, 0, "-www -tls1_2 " RSA_CERT);
        pt_run(&out, 20, s.port, "printf 'GET /reneg HTTP/1.0\\r\\n\\r\\n' | " S_CLIENT " -tls1_2 -ign_eof");
        expect_in(out, "is not supported by backend", "GET /reneg");
        expect_in(out, "</pre>", "the page is complete");
        free(out);
        pt_server_stop(&s);
    }
}

Test(renegotiation, client_initiated_only_when_allowed)
{
    PT_REQUIRE_CAP("client-renegotiation");
    for (int allowed = 0; allowed < 2; allowed++) {
        pt_server s;
        PT_START(&s, 0, "-tls1_2 %s " RSA_CERT, allowed ? "-client_renegotiation" : "");
        char *out;
        pt_run(&out, 20, s.port,
               "(printf 'R\\n'; sleep 2; printf 'after-reneg\\n'; sleep 1) | " S_CLIENT " -tls1_2");
        int got = pt_server_wait_output(&s, "after-reneg", allowed ? 5000 : 1000);
        cr_assert_eq(got, allowed, "client renegotiation %s: %s", allowed ? "allowed" : "refused", out);
        free(out);
        pt_server_stop(&s);
    }
}

Test(renegotiation, legacy_renegotiation_only_when_allowed)
{
    PT_REQUIRE_CAP("legacy-renegotiation");
    PT_REQUIRE_CAP("client-renegotiation");
    /* GnuTLS can renegotiate without RFC 5746 (%DISABLE_SAFE_RENEGOTIATION). */
    for (int allowed = 0; allowed < 2; allowed++) {
        pt_server s;
        PT_START(&s, 0, "-www -tls1_2 -client_renegotiation %s " RSA_CERT,
                 allowed ? "-legacy_renegotiation" : "");
        char *out;
        pt_run(&out, 20, s.port,
               "gnutls-cli --insecure --rehandshake --priority "
               "'NORMAL:-VERS-TLS1.3:%%DISABLE_SAFE_RENEGOTIATION' "
               "-p @PORT@ 127.0.0.1");
        if (allowed)
            expect_in(out, "ReHandshake was completed", "-legacy_renegotiation");
        else
            expect_not_in(out, "ReHandshake was completed", "without -legacy_renegotiation");
        free(out);
        pt_server_stop(&s);
    }
}

/* The keylog lines must equal the client's own: proof they are right. */
static void keylog_matches(const char *version_flag)
{
    pt_server s;
    PT_START(&s, 0, "-www %s -keylogfile keys.log " RSA_CERT, version_flag);
    char dir[256];
    pt_mkdtemp(dir, sizeof dir);
    char flags[400];
    snprintf(flags, sizeof flags, "%s -keylogfile %s/client.log", version_flag, dir);
    char *out = client(s.port, flags);
    free(out);
    pt_server_stop(&s);
    char spath[300], cpath[300];
    snprintf(spath, sizeof spath, "%s/keys.log", s.dir);
    snprintf(cpath, sizeof cpath, "%s/client.log", dir);
    struct stat st;
    cr_assert_eq(stat(spath, &st), 0, "no keylog file");
    cr_assert_eq(st.st_mode & 0777, 0600, "keylog mode %o", st.st_mode & 0777);
    char *cmp;
    pt_run(&cmp, 10, 0,
           "grep -v '^#' %s | sort > %s/a; grep -v '^#' %s | sort > %s/b; test -s %s/a && cmp %s/a %s/b && "
           "echo SAME",
           spath, dir, cpath, dir, dir, dir, dir);
    expect_in(cmp, "SAME", "server keylog equals the client's");
    free(cmp);
}

Test(keylog, tls12_lines_match_client)
{
    PT_REQUIRE_CAP("keylog");
    PT_REQUIRE_CAP("tls1.2");
    keylog_matches("-tls1_2");
}

Test(keylog, tls13_lines_match_client)
{
    PT_REQUIRE_CAP("keylog-tls1.3");
    PT_REQUIRE_CAP("tls1.3");
    keylog_matches("-tls1_3");
}

Test(export, keying_material_matches_client)
{
    PT_REQUIRE_CAP("export-keying");
    pt_server s;
    PT_START(&s, 0, "-www -keymatexport EXPERIMENTAL-pt -keymatexportlen 32 " RSA_CERT);
    char *out = client(s.port, "-keymatexport EXPERIMENTAL-pt -keymatexportlen 32");
    char want[100] = "";
    const char *km = strstr(out, "Keying material: ");
    if (km) snprintf(want, sizeof want, "%.*s", 17 + 64, km);
    cr_assert(want[0], "the client printed no keying material: %s", out);
    free(out);
    cr_assert(pt_server_wait_output(&s, want, 5000), "server printed different keying material than %s",
              want);
    pt_server_stop(&s);
}

Test(dh, anonymous_dh_nocert)
{
    PT_REQUIRE_CAP("anon-dh");
    pt_server s;
    PT_START(&s, 0, "-www -tls1_2 -nocert");
    char *out = client(
        s.port, "-tls1_2 -cipher 'ADH-AES128-GCM-SHA256:ADH-AES256-GCM-SHA384:ADH-AES128-SHA:@SECLEVEL=0'");
    expect_in(out, PAGE, "anonymous DH");
    expect_in(out, "Cipher suite: TLS_DH_anon_WITH_", "anonymous DH suite negotiated");
    expect_in(out, "no peer certificate available", "no certificate");
    free(out);
    pt_server_stop(&s);
}

Test(dh, dhparam_file_and_no_dhe)
{
    PT_REQUIRE_CAP("dhparam");
    pt_server s;
    PT_START(&s, 0, "-www -tls1_2 -dhparam @PKI@/dh.pem " RSA_CERT);
    char *out = client(s.port, "-tls1_2 -cipher DHE-RSA-AES128-GCM-SHA256");
    expect_in(out, "Server Temp Key: DH, 2048 bits", "-dhparam");
    free(out);
    pt_server_stop(&s);
}

Test(dh, no_dhe_alone)
{
    PT_REQUIRE_CAP("no-dhe");
    pt_server s;
    PT_START(&s, 0, "-www -tls1_2 -no_dhe " RSA_CERT);
    char *out = client(s.port, "-tls1_2 -cipher DHE-RSA-AES128-GCM-SHA256");
    expect_not_in(out, PAGE, "-no_dhe");
    free(out);
    out = client(s.port, "-tls1_2");
    expect_in(out, "Cipher is ECDHE", "-no_dhe keeps ECDHE");
    free(out);
    pt_server_stop(&s);
}

Test(debug, trace_prints_handshake_messages)
{
    PT_REQUIRE_CAP("trace");
    pt_server s;
    PT_START(&s, 0, "-www -trace " RSA_CERT);
    char *out = client(s.port, "");
    free(out);
    cr_assert(pt_server_wait_output(&s, "ClientHello", 5000), "no ClientHello in the -trace output");
    pt_server_stop(&s);
}

Test(debug, state_reports_progress)
{
    PT_REQUIRE_CAP("state");
    pt_server s;
    PT_START(&s, 0, "-www -state " RSA_CERT);
    char *out = client(s.port, "");
    free(out);
    char *err = pt_server_stderr(&s);
    cr_assert(strstr(err, "SSL_accept") || strstr(err, "hello") || strstr(err, "HELLO"), "%s", err);
    free(err);
    pt_server_stop(&s);
}

Test(extensions, no_etm_and_no_ems)
{
    PT_REQUIRE_CAP("tls1.2");
    int etm = pt_has_cap("no-etm"), ems = pt_has_cap("no-ems");
    if (!etm && !ems) cr_skip_test("neither no-etm nor no-ems");
    pt_server s;
    PT_START(&s, 0, "-www -tls1_2 %s %s " RSA_CERT, etm ? "-no_etm" : "", ems ? "-no_ems" : "");
    char *out = client(s.port, "-tls1_2 -tlsextdebug -cipher ECDHE-RSA-AES128-SHA");
    if (etm) expect_not_in(out, "encrypt-then-mac", "-no_etm");
    if (ems) expect_in(out, "Extended master secret: no", "-no_ems");
    free(out);
    pt_server_stop(&s);
    PT_START(&s, 0, "-www -tls1_2 " RSA_CERT);
    out = client(s.port, "-tls1_2 -tlsextdebug -cipher ECDHE-RSA-AES128-SHA");
    if (etm) expect_in(out, "encrypt-then-mac", "ETM on by default");
    if (ems) expect_in(out, "Extended master secret: yes", "EMS on by default");
    free(out);
    pt_server_stop(&s);
}

/* A -cipher list of RSA suites must not narrow the signature algorithms
 * the server accepts from clients: an EC client certificate still verifies
 * (wolfSSL derives them from the suite names unless told otherwise). */
Test(client_auth, ec_client_cert_with_an_rsa_only_cipher_list)
{
    PT_REQUIRE_CAP("client-verify");
    PT_REQUIRE_CAP("cipher-list");
    PT_REQUIRE_CAP("tls1.2");
    for (int pref = 0; pref < 2; pref++) {
        pt_server s;
        PT_START(
            &s, 0,
            "-www -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256 %s -Verify 1 -CAfile @PKI@/ca.pem " RSA_CERT,
            pref ? "-serverpref" : "");
        char *out = client(s.port, "-tls1_2 -cert @PKI@/client.pem -key @PKI@/client.key");
        expect_in(out, "Client certificate verification: OK", pref ? "-serverpref" : "client order");
        free(out);
        pt_server_stop(&s);
    }
}

Test(client_auth, no_ca_names)
{
    PT_REQUIRE_CAP("no-ca-names");
    pt_server s;
    /* The default is checked in TLS 1.2, where every library sends the
     * names; in TLS 1.3 (certificate_authorities) Mbed TLS 3.6 never does,
     * a difference `polytls compare` shows, not a refused option. */
    PT_START(&s, 0, "-www -tls1_2 -verify 1 -CAfile @PKI@/ca.pem " RSA_CERT);
    char *out = client(s.port, "");
    expect_in(out, "Acceptable client certificate CA names\nCN = polytls test ca", "CA names by default");
    free(out);
    pt_server_stop(&s);
    PT_START(&s, 0, "-www -tls1_2 -verify 1 -CAfile @PKI@/ca.pem -no_ca_names " RSA_CERT);
    out = client(s.port, "");
    expect_in(out, "No client certificate CA names sent", "-no_ca_names (TLS 1.2)");
    free(out);
    pt_server_stop(&s);
    if (pt_has_cap("tls1.3")) {
        PT_START(&s, 0, "-www -verify 1 -CAfile @PKI@/ca.pem -no_ca_names " RSA_CERT);
        out = client(s.port, "");
        expect_in(out, "No client certificate CA names sent", "-no_ca_names (TLS 1.3)");
        free(out);
        pt_server_stop(&s);
    }
}

/* Which tests prove each capability. A backend that claims a capability
 * not listed here fails: a claim needs a proof. */
/* Post-quantum key exchange and certificates. The peer is an OpenSSL >= 3.5
 * command-line tool (ML-KEM groups, ML-DSA keys): POLYTLS_TEST_OPENSSL35,
 * which tests/CMakeLists.txt sets to the openssl@3.5.7 flavour's bin/openssl
 * when that flavour is built. */
static const char *openssl35(void)
{
    const char *p = getenv("POLYTLS_TEST_OPENSSL35");
    if (p == NULL || *p == '\0')
        cr_skip_test("no OpenSSL >= 3.5 client: set POLYTLS_TEST_OPENSSL35 (set by tests/CMakeLists.txt when "
                     "the openssl@3.5.7 flavour is built)");
    return p;
}

/* GET / from a -www server with the 3.5 client; returns its output. */
static char *client35(int port, const char *flags)
{
    char *out;
    pt_run(&out, 20, port, GET_PIPE "%s s_client -connect 127.0.0.1:@PORT@ -ign_eof %s", openssl35(), flags);
    return out;
}

static char *events_of(pt_server *s)
{
    char path[512];
    snprintf(path, sizeof path, "%s/events.jsonl", s->dir);
    char *ev = pt_read_file(path, NULL);
    cr_assert_not_null(ev, "%s", path);
    return ev;
}

Test(pq, mlkem_hybrid_handshake_with_default_groups)
{
    PT_REQUIRE_CAP("mlkem");
    const char *cli = openssl35();
    (void)cli;
    /* The library's default group list has X25519MLKEM768 first. */
    pt_server s;
    PT_START(&s, 0, "-www -json events.jsonl " RSA_CERT);
    char *out = client35(s.port, "-tls1_3 -groups X25519MLKEM768");
    expect_in(out, "Negotiated TLS1.3 group: X25519MLKEM768", "the client's view");
    expect_in(out, "Key exchange group: X25519MLKEM768", "the -www page");
    free(out);
    pt_server_stop(&s);
    char *ev = events_of(&s);
    expect_in(ev, "\"group\":\"X25519MLKEM768\"", "handshake_done event");
    free(ev);
}

Test(pq, mlkem_group_list_applied)
{
    PT_REQUIRE_CAP("mlkem");
    const char *cli = openssl35();
    (void)cli;
    static const char *const groups[] = {"X25519MLKEM768", "SecP256r1MLKEM768", "SecP384r1MLKEM1024",
                                         "MLKEM512",       "MLKEM768",          "MLKEM1024"};
    const char *list = "X25519MLKEM768:SecP256r1MLKEM768:SecP384r1MLKEM1024:MLKEM512:MLKEM768:MLKEM1024";
    char *err;
    pt_polytls(&err,
               "s_server -backend @BACKEND@ -accept 127.0.0.1:0 -groups %s " RSA_CERT
               " -naccept 1 </dev/null & p=$!; sleep 0.5; kill $p 2>/dev/null; wait $p",
               list);
    if (strstr(err, "Unknown group"))
        cr_skip_test("the core's group table (core/group_table.c) does not know the ML-KEM names: %s", err);
    free(err);
    pt_server s;
    PT_START(&s, 0, "-www -tls1_3 -json events.jsonl -groups %s " RSA_CERT, list);
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++) {
        char flags[128], want[128];
        snprintf(flags, sizeof flags, "-tls1_3 -groups %s", groups[i]);
        char *out = client35(s.port, flags);
        snprintf(want, sizeof want, "Key exchange group: %s\n", groups[i]);
        expect_in(out, want, groups[i]);
        free(out);
    }
    /* Only ML-KEM groups configured: a classic-only client finds none. */
    char *out = client35(s.port, "-tls1_3 -groups X25519:P-256");
    expect_not_in(out, PAGE, "a client without ML-KEM");
    free(out);
    pt_server_stop(&s);
}

Test(pq, mlkem_only_client_refused_without_mlkem)
{
    /* The counterpart: a library without ML-KEM shares no group with a
     * client that offers only X25519MLKEM768, and the handshake fails. */
    PT_REQUIRE_CAP("tls1.3");
    if (pt_has_cap("mlkem")) cr_skip_test("backend %s has mlkem (pq/mlkem_* tests)", pt_backend());
    const char *cli = openssl35();
    (void)cli;
    pt_server s;
    PT_START(&s, 0, "-www -tls1_3 -json events.jsonl " RSA_CERT);
    char *out = client35(s.port, "-tls1_3 -groups X25519MLKEM768");
    cr_assert(!strstr(out, "X25519MLKEM768\n"),
              "backend %s negotiated X25519MLKEM768 but refuses capability mlkem (%s): fix its capability "
              "table\n%s",
              pt_backend(), pt_cap_reason("mlkem"), out);
    expect_not_in(out, PAGE, "an ML-KEM-only client");
    free(out);
    /* The alert differs by library (OpenSSL: handshake_failure; wolfSSL
     * 5.5.4 answers with a HelloRetryRequest that changes nothing, which the
     * client rejects); the server goes on serving. */
    cr_assert_eq(pt_server_wait(&s, 0), -1, "the server exited");
    out = client(s.port, "-tls1_3");
    expect_in(out, PAGE, "a classic client afterwards");
    free(out);
    pt_server_stop(&s);
}

Test(pq, mldsa_server_certificate)
{
    PT_REQUIRE_CAP("mldsa");
    PT_REQUIRE_CAP("tls1.3");
    const char *cli = openssl35();
    char dir[256];
    pt_mkdtemp(dir, sizeof dir);
    char *out;
    int rc = pt_run(&out, 60, 0,
                    "%s req -x509 -newkey ML-DSA-65 -nodes -keyout %s/mldsa.key -out %s/mldsa.pem -days 2 "
                    "-subj /CN=localhost",
                    cli, dir, dir);
    cr_assert_eq(rc, 0, "ML-DSA-65 certificate: %s", out);
    free(out);
    pt_server s;
    PT_START(&s, 0, "-www -tls1_3 -json events.jsonl -cert %s/mldsa.pem -key %s/mldsa.key", dir, dir);
    char flags[600];
    snprintf(flags, sizeof flags, "-tls1_3 -verify_return_error -CAfile %s/mldsa.pem -servername localhost",
             dir);
    out = client35(s.port, flags);
    expect_in(out, PAGE, "handshake with an ML-DSA-65 certificate");
    expect_in(out, "Verification: OK", "the client verified the ML-DSA signature chain");
    expect_in(out, "mldsa65", "the client's view of the signature scheme");
    free(out);
    pt_server_stop(&s);
    char *ev = events_of(&s);
    expect_in(ev, "\"signature_scheme\":\"mldsa65\"", "handshake_done event");
    free(ev);
}

Test(capabilities, every_claimed_capability_has_a_test)
{
    static const char *proven[] = {"tls1.0",
                                   "tls1.1",
                                   "tls1.2",
                                   "tls1.3",
                                   "cert-der",
                                   "key-password",
                                   "cert-chain",
                                   "dual-cert",
                                   "sni-cert",
                                   "client-verify",
                                   "verify-depth",
                                   "ca-path",
                                   "crl",
                                   "cipher-list",
                                   "cipher-string",
                                   "tls13-ciphersuites",
                                   "groups",
                                   "sigalgs",
                                   "server-pref",
                                   "session-cache",
                                   "tickets",
                                   "num-tickets",
                                   "session-context",
                                   "alpn",
                                   "npn",
                                   "ocsp-staple",
                                   "ocsp-staple-tls1.3",
                                   "psk",
                                   "psk-tls1.3",
                                   "psk-hint",
                                   "early-data",
                                   "key-update",
                                   "post-handshake-auth",
                                   "renegotiation",
                                   "client-renegotiation",
                                   "legacy-renegotiation",
                                   "keylog",
                                   "keylog-tls1.3",
                                   "export-keying",
                                   "max-send-frag",
                                   "record-padding",
                                   "anon-dh",
                                   "dhparam",
                                   "no-dhe",
                                   "trace",
                                   "state",
                                   "prioritize-chacha",
                                   "no-etm",
                                   "no-ems",
                                   "no-ca-names",
                                   "id-prefix",
                                   "self-signed",
                                   "client-sigalgs",
                                   "dtls",
                                   "dtls1.0",
                                   "dtls1.2",
                                   "dtls1.3",
                                   "mlkem",
                                   "mldsa"};
    char *caps;
    cr_assert_eq(pt_polytls(&caps, "backends"), 0);
    char header[64];
    snprintf(header, sizeof header, "%s: ", pt_backend());
    char *p = strstr(caps, header);
    cr_assert_not_null(p);
    p = strchr(p, '\n');
    while (p && p[1] == ' ') {
        char name[64];
        char verdict[8];
        if (sscanf(p + 1, " %63s %7s", name, verdict) == 2 && strcmp(verdict, "yes") == 0) {
            int found = 0;
            for (size_t i = 0; i < sizeof proven / sizeof proven[0]; i++)
                found |= strcmp(proven[i], name) == 0;
            cr_expect(found, "backend %s claims %s, which no test proves", pt_backend(), name);
        }
        p = strchr(p + 1, '\n');
    }
    free(caps);
}
