/* s_server's protocol, session and runtime options (issue #19): each one
 * that works is proven with a real client, gated by its capability; each
 * refusal is a capability error (exit 3) with the backend's reason; the
 * options polytls accepts because it always behaves that way get their
 * behaviour pinned. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

#define RSA_CERT "-cert @PKI@/server-rsa.pem -key @PKI@/server-rsa.key"
#define S_CLIENT "openssl s_client -connect 127.0.0.1:@PORT@"
#define GET_PIPE "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | "
#define PAGE "Protocol version: TLSv1"
#define SRV "s_server -backend @BACKEND@ -accept 127.0.0.1:0 "

static void expect_in(const char *hay, const char *needle, const char *what)
{
    cr_assert(strstr(hay, needle), "%s: \"%s\" missing in:\n%s", what, needle, hay);
}

static void expect_not_in(const char *hay, const char *needle, const char *what)
{
    cr_assert(!strstr(hay, needle), "%s: \"%s\" unexpected in:\n%s", what, needle, hay);
}

static int count_of(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* GET / through a -www server started with args; returns s_client's output. */
static char *www_get(const char *server_args, const char *client)
{
    pt_server s;
    PT_START(&s, 0, "-www %s", server_args);
    char *out;
    pt_run(&out, 25, s.port, GET_PIPE "%s", client);
    pt_server_stop(&s);
    return out;
}

/* An OpenSSL >= 3.5 s_client (certificate compression, raw public keys). */
static const char *openssl35(void)
{
    const char *p = getenv("POLYTLS_TEST_OPENSSL35");
    if (p == NULL || !*p || access(p, X_OK) != 0)
        cr_skip_test("no OpenSSL >= 3.5 client: set POLYTLS_TEST_OPENSSL35 (tests/CMakeLists.txt does when "
                     "an openssl flavour is built)");
    return p;
}

/* ---- refusals ------------------------------------------------------------ */

/* Every option of issue #19 on a backend that lacks its capability: exit 3,
 * the option named, and the backend's own reason. */
Test(protocol_opts, refusals_are_capability_errors)
{
    static const struct {
        const char *args, *cap, *option;
    } o[] = {
        {"-stateless", "stateless", "-stateless"},
        {"-anti_replay", "anti-replay", "-anti_replay"},
        {"-no_anti_replay", "anti-replay", "-no_anti_replay"},
        {"-recv_max_early_data 100", "recv-max-early-data", "-recv_max_early_data"},
        {"-no_resume_ephemeral", "no-resume-ephemeral", "-no_resume_ephemeral"},
        {"-no_resumption_on_reneg", "no-resumption-on-reneg", "-no_resumption_on_reneg"},
        {"-allow_no_dhe_kex", "allow-no-dhe-kex", "-allow_no_dhe_kex"},
        {"-prefer_no_dhe_kex", "prefer-no-dhe-kex", "-prefer_no_dhe_kex"},
        {"-no_middlebox", "no-middlebox", "-no_middlebox"},
        {"-ignore_unexpected_eof", "ignore-unexpected-eof", "-ignore_unexpected_eof"},
        {"-bugs", "bugs", "-bugs"},
        {"-strict", "strict", "-strict"},
        {"-debug_broken_protocol", "debug-broken-protocol", "-debug_broken_protocol"},
        {"-split_send_frag 1024", "pipelines", "-split_send_frag"},
        {"-max_pipelines 2", "pipelines", "-max_pipelines"},
        {"-read_buf 4096", "read-buf", "-read_buf"},
        {"-ext_cache", "ext-cache", "-ext_cache"},
        {"-cert_comp", "cert-comp", "-cert_comp"},
        {"-no_tx_cert_comp", "cert-comp", "-no_tx_cert_comp"},
        {"-no_rx_cert_comp", "cert-comp", "-no_rx_cert_comp"},
        {"-enable_server_rpk", "rpk", "-enable_server_rpk"},
        {"-enable_client_rpk", "rpk", "-enable_client_rpk"},
        {"-expected-rpks @PKI@/server-rsa.pem", "expected-rpks", "-expected-rpks"},
        {"-rand @PKI@/server-rsa.pem", "rand-file", "-rand"},
        {"-writerand seed.bin", "rand-file", "-writerand"},
        {"-ssl_config polytls", "ssl-config", "-ssl_config"},
        {"-provider default", "providers", "-provider"},
        {"-provider-path /tmp", "providers", "-provider-path"},
        {"-propquery provider=default", "providers", "-propquery"},
        {"-provparam default:a=b", "provparam", "-provparam"},
        {"-engine dynamic", "engine", "-engine"},
        {"-security_debug", "security-debug", "-security_debug"},
        {"-security_debug_verbose", "security-debug", "-security_debug_verbose"},
        {"-ssl3", "ssl3", "-ssl3"},
        {"-dtls -sctp", "sctp", "-sctp"},
        {"-dtls -sctp_label_bug", "sctp", "-sctp_label_bug"},
        {"-comp", "comp", "-comp"},
        {"-ktls", "ktls", "-ktls"},
        {"-WWW -sendfile", "ktls", "-sendfile"},
        {"-WWW -zerocopy_sendfile", "ktls", "-zerocopy_sendfile"},
        {"-ech_key @PKI@/server-rsa.pem", "ech", "-ech_key"},
        {"-ech_dir /tmp", "ech", "-ech_dir"},
        {"-ech_noretry_dir /tmp", "ech", "-ech_noretry_dir"},
        {"-ech_trialdecrypt", "ech", "-ech_trialdecrypt"},
        {"-ech_greaseretries", "ech", "-ech_greaseretries"},
        {"-serverinfo @PKI@/server-rsa.pem", "serverinfo", "-serverinfo"},
        {"-dtls -use_srtp SRTP_AES128_CM_SHA1_80", "srtp", "-use_srtp"},
        {"-psk_session @PKI@/server-rsa.pem", "psk-session", "-psk_session"},
    };
    int refused = 0;
    for (size_t i = 0; i < sizeof o / sizeof o[0]; i++) {
        if (pt_has_cap(o[i].cap)) continue;
        char *out;
        int rc = pt_polytls(&out, SRV RSA_CERT " %s </dev/null", o[i].args);
        cr_expect_eq(rc, 3, "%s: exit %d, want 3: %s", o[i].args, rc, out);
        cr_expect(strstr(out, "capability error") && strstr(out, o[i].option) &&
                      strstr(out, pt_cap_reason(o[i].cap)),
                  "%s: the refusal must name the option and say %s: %s", o[i].args, pt_cap_reason(o[i].cap),
                  out);
        free(out);
        refused++;
    }
    cr_log_info("%d options refused on %s", refused, pt_backend());
}

/* Client-side settings are refused on every backend, with that reason. */
Test(protocol_opts, client_side_settings_refused)
{
    const char *opts[] = {"-legacy_server_connect", "-no_legacy_server_connect"};
    for (size_t i = 0; i < 2; i++) {
        char *out;
        int rc = pt_polytls(&out, SRV RSA_CERT " %s </dev/null", opts[i]);
        cr_expect_eq(rc, 3, "%s: exit %d: %s", opts[i], rc, out);
        cr_expect(strstr(out, "client-side setting"), "%s: %s", opts[i], out);
        free(out);
    }
}

/* ---- options that work ---------------------------------------------------- */

/* -stateless: the first ClientHello gets a HelloRetryRequest with a cookie
 * and nothing is kept; the second, with the cookie, is served. */
Test(protocol_opts, stateless_cookie)
{
    PT_REQUIRE_CAP("stateless");
    PT_REQUIRE_CAP("tls1.3");
    char *out = www_get("-stateless " RSA_CERT, S_CLIENT " -ign_eof -tls1_3 -trace");
    cr_assert_eq(count_of(out, "extension_type=cookie"), 2,
                 "want the cookie in the HelloRetryRequest and back in the second ClientHello:\n%s", out);
    expect_in(out, PAGE, "-stateless");
    free(out);
    /* Usage: TLS only. */
    cr_assert_eq(pt_polytls(&out, SRV "-dtls -stateless </dev/null"), 2, "%s", out);
    free(out);
}

/* -no_anti_replay: the same ticket's early data is accepted twice; with
 * the default (and -anti_replay) the replay is rejected. */
static int early_data_accepted_twice(const char *server_flag)
{
    pt_server s;
    PT_START(&s, 0, "-early_data %s " RSA_CERT, server_flag);
    char dir[256];
    pt_mkdtemp(dir, sizeof dir);
    char *out;
    pt_run(&out, 20, s.port, "sleep 1 | " S_CLIENT " -tls1_3 -sess_out %s/s", dir);
    free(out);
    int accepted = 0;
    for (int i = 0; i < 2; i++) {
        pt_run(&out, 20, s.port,
               "printf 'EARLY\\n' > %s/ed; sleep 1 | " S_CLIENT " -tls1_3 -sess_in %s/s -early_data %s/ed",
               dir, dir, dir);
        accepted += strstr(out, "Early data was accepted") != NULL;
        free(out);
    }
    pt_server_stop(&s);
    return accepted;
}

Test(protocol_opts, anti_replay)
{
    PT_REQUIRE_CAP("anti-replay");
    PT_REQUIRE_CAP("early-data");
    cr_assert_eq(early_data_accepted_twice("-no_anti_replay"), 2,
                 "-no_anti_replay: the replay must be accepted");
    cr_assert_eq(early_data_accepted_twice("-anti_replay"), 1, "-anti_replay: the replay must be rejected");
}

/* -recv_max_early_data: more early data than the hard limit fails the
 * connection. */
Test(protocol_opts, recv_max_early_data)
{
    PT_REQUIRE_CAP("recv-max-early-data");
    PT_REQUIRE_CAP("early-data");
    pt_server s;
    PT_START(&s, 0, "-early_data -max_early_data 4096 -recv_max_early_data 100 " RSA_CERT);
    char dir[256];
    pt_mkdtemp(dir, sizeof dir);
    char *out;
    pt_run(&out, 20, s.port, "sleep 1 | " S_CLIENT " -tls1_3 -sess_out %s/s", dir);
    free(out);
    pt_run(&out, 20, s.port,
           "head -c 2000 /dev/zero | tr '\\0' x > %s/ed; sleep 1 | " S_CLIENT
           " -tls1_3 -sess_in %s/s -early_data %s/ed",
           dir, dir, dir);
    /* The server accepts early data in its EncryptedExtensions, then
     * fails the connection when the data passes the hard limit. */
    expect_in(out, "SSL alert number 10", "2000 bytes over a 100-byte limit: unexpected_message");
    free(out);
    pt_server_wait_output(&s, "too much early data", 5000);
    char *err = pt_server_stderr(&s);
    pt_server_stop(&s);
    expect_in(err, "too much early data", "the server's reason");
    free(err);
}

/* Resumes with s_client; returns whether the second connection was reused. */
static int resumed(const char *server_args, const char *client_flags)
{
    pt_server s;
    PT_START(&s, 0, "-www %s " RSA_CERT, server_args);
    char dir[256];
    pt_mkdtemp(dir, sizeof dir);
    char *out;
    pt_run(&out, 20, s.port, GET_PIPE S_CLIENT " -ign_eof %s -sess_out %s/sess", client_flags, dir);
    cr_assert(strstr(out, PAGE), "first connection: %s", out);
    free(out);
    /* A session that is not resumable leaves s_client nothing to save. */
    pt_run(&out, 20, s.port, GET_PIPE S_CLIENT " -ign_eof %s $([ -s %s/sess ] && echo -sess_in %s/sess)",
           client_flags, dir, dir);
    int reused = strstr(out, "Reused, TLSv1.") != NULL;
    cr_assert(strstr(out, PAGE), "second connection: %s", out);
    free(out);
    pt_server_stop(&s);
    return reused;
}

Test(protocol_opts, no_resume_ephemeral)
{
    PT_REQUIRE_CAP("no-resume-ephemeral");
    cr_assert(resumed("", "-tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256"), "control: resumption works");
    cr_assert(!resumed("-no_resume_ephemeral", "-tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256"),
              "an ECDHE session must not be resumable");
    cr_assert(!resumed("-no_resume_ephemeral -no_ticket", "-tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256"),
              "nor by session id");
}

/* -ext_cache: resumption by session id from the server's own store (no
 * tickets, so the id is what resumes). */
Test(protocol_opts, ext_cache)
{
    PT_REQUIRE_CAP("ext-cache");
    cr_assert(resumed("-ext_cache -no_ticket", "-tls1_2"), "session id resumption from the external cache");
    char *out;
    cr_assert_eq(pt_polytls(&out, SRV "-ext_cache -no_cache </dev/null"), 2, "%s", out);
    free(out);
}

/* -no_middlebox: no ChangeCipherSpec from the server in TLS 1.3. */
Test(protocol_opts, no_middlebox)
{
    PT_REQUIRE_CAP("no-middlebox");
    PT_REQUIRE_CAP("tls1.3");
    char *out = www_get(RSA_CERT, S_CLIENT " -ign_eof -tls1_3 -msg");
    cr_assert_geq(count_of(out, "<<< TLS 1.2, RecordHeader [length 0005]\n    14 03 03"), 1,
                  "control: the server sends a middlebox ChangeCipherSpec:\n%s", out);
    free(out);
    out = www_get("-no_middlebox " RSA_CERT, S_CLIENT " -ign_eof -tls1_3 -msg");
    expect_in(out, PAGE, "-no_middlebox");
    cr_assert_eq(count_of(out, "<<< TLS 1.2, RecordHeader [length 0005]\n    14 03 03"), 0,
                 "-no_middlebox: no ChangeCipherSpec from the server:\n%s", out);
    free(out);
}

/* -prefer_no_dhe_kex (with -allow_no_dhe_kex): TLS 1.3 resumption without a
 * key share when the client allows psk_ke. */
Test(protocol_opts, allow_and_prefer_no_dhe_kex)
{
    PT_REQUIRE_CAP("allow-no-dhe-kex");
    PT_REQUIRE_CAP("tls1.3");
    const char *c = "-tls1_3 -allow_no_dhe_kex -trace";
    cr_assert(resumed("-allow_no_dhe_kex", c), "-allow_no_dhe_kex: TLS 1.3 resumption works");
    if (!pt_has_cap("prefer-no-dhe-kex")) return;
    pt_server s;
    PT_START(&s, 0, "-www -allow_no_dhe_kex -prefer_no_dhe_kex " RSA_CERT);
    char dir[256];
    pt_mkdtemp(dir, sizeof dir);
    char *out;
    pt_run(&out, 20, s.port, GET_PIPE S_CLIENT " -ign_eof %s -sess_out %s/sess", c, dir);
    free(out);
    pt_run(&out, 20, s.port, GET_PIPE S_CLIENT " -ign_eof %s -sess_in %s/sess", c, dir);
    pt_server_stop(&s);
    expect_in(out, "Reused, TLSv1.3", "resumed");
    /* The ServerHello of a psk_ke resumption has no key_share. */
    const char *sh = strstr(out, "ServerHello");
    cr_assert_not_null(sh, "%s", out);
    const char *end = strstr(sh, "EncryptedExtensions");
    cr_assert_not_null(end, "%s", out);
    char *hello = strndup(sh, (size_t)(end - sh));
    expect_not_in(hello, "key_share", "-prefer_no_dhe_kex: a psk_ke ServerHello");
    free(hello);
    free(out);
}

/* Switches whose effect no client shows on the wire: the library takes
 * them and the server serves. */
Test(protocol_opts, switches_accepted_and_serving)
{
    static const struct {
        const char *args, *cap;
    } o[] = {
        {"-bugs", "bugs"},
        {"-strict", "strict"},
        {"-no_resumption_on_reneg", "no-resumption-on-reneg"},
        {"-ignore_unexpected_eof", "ignore-unexpected-eof"},
        {"-split_send_frag 1024 -max_pipelines 4", "pipelines"},
        {"-read_buf 4096", "read-buf"},
        {"-no_rx_cert_comp", "cert-comp"},
        {"-provider default -provider base -propquery provider=default", "providers"},
        {"-provider-path /tmp -provider default", "providers"},
        {"-engine dynamic", "engine"},
    };
    for (size_t i = 0; i < sizeof o / sizeof o[0]; i++) {
        if (!pt_has_cap(o[i].cap)) continue;
        char server[256];
        snprintf(server, sizeof server, "%s " RSA_CERT, o[i].args);
        char *out = www_get(server, S_CLIENT " -ign_eof");
        expect_in(out, PAGE, o[i].args);
        free(out);
    }
}

/* A provider that is not there fails the start (exit 1), naming it. */
Test(protocol_opts, provider_load_failure)
{
    PT_REQUIRE_CAP("providers");
    char *out;
    cr_assert_eq(pt_polytls(&out, SRV RSA_CERT " -provider no-such-provider </dev/null"), 1, "%s", out);
    expect_in(out, "no-such-provider", "the error");
    free(out);
}

Test(protocol_opts, provparam)
{
    PT_REQUIRE_CAP("provparam");
    char *out =
        www_get("-provider default -provparam default:polytls-test=1 " RSA_CERT, S_CLIENT " -ign_eof");
    expect_in(out, PAGE, "-provparam");
    free(out);
    cr_assert_eq(pt_polytls(&out, SRV RSA_CERT " -provparam nosuch:a=b </dev/null"), 1, "%s", out);
    expect_in(out, "no such provider", "-provparam for a provider not loaded");
    free(out);
}

/* -serverinfo: the extension from the file reaches the client. */
Test(protocol_opts, serverinfo)
{
    PT_REQUIRE_CAP("serverinfo");
    char dir[256], server[600];
    pt_mkdtemp(dir, sizeof dir);
    char path[300];
    snprintf(path, sizeof path, "%s/info.pem", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    /* extension 1000 (0x03e8), 4 bytes de ad be ef */
    fputs("-----BEGIN SERVERINFO FOR EXT 1000-----\nA+gABN6tvu8=\n-----END SERVERINFO FOR EXT 1000-----\n",
          f);
    fclose(f);
    snprintf(server, sizeof server, "-serverinfo %s " RSA_CERT, path);
    char *out = www_get(server, S_CLIENT " -ign_eof -tls1_2 -serverinfo 1000");
    expect_in(out, "SERVERINFO FOR EXTENSION 1000", "the client saw the extension");
    free(out);
}

/* -use_srtp over DTLS: the profile is negotiated. */
Test(protocol_opts, use_srtp)
{
    PT_REQUIRE_CAP("srtp");
    PT_REQUIRE_CAP("dtls1.2");
    pt_server s;
    PT_START(&s, 0, "-dtls1_2 -use_srtp SRTP_AES128_CM_SHA1_80 " RSA_CERT);
    char *out;
    pt_run(&out, 20, s.port,
           "sleep 2 | openssl s_client -dtls1_2 -connect 127.0.0.1:@PORT@ -use_srtp SRTP_AES128_CM_SHA1_80");
    pt_server_stop(&s);
    expect_in(out, "SRTP Extension negotiated, profile=SRTP_AES128_CM_SHA1_80", "DTLS-SRTP");
    free(out);
}

/* Certificate compression (TLS 1.3, RFC 8879): compressed by default when
 * the client offers it, pre-compressed with -cert_comp, never with
 * -no_tx_cert_comp. */
Test(protocol_opts, cert_comp)
{
    PT_REQUIRE_CAP("cert-comp");
    const char *cl = openssl35();
    char client[512];
    snprintf(client, sizeof client, "%s s_client -connect 127.0.0.1:@PORT@ -ign_eof -tls1_3 -trace", cl);
    char *out = www_get("-cert_comp " RSA_CERT, client);
    expect_in(out, "CompressedCertificate", "-cert_comp");
    free(out);
    out = www_get("-no_tx_cert_comp " RSA_CERT, client);
    expect_in(out, PAGE, "-no_tx_cert_comp");
    expect_not_in(out, "CompressedCertificate", "-no_tx_cert_comp");
    free(out);
}

/* Raw public keys: the client that asks for one gets it. */
Test(protocol_opts, enable_server_rpk)
{
    PT_REQUIRE_CAP("rpk");
    const char *cl = openssl35();
    char client[512];
    snprintf(client, sizeof client, "%s s_client -connect 127.0.0.1:@PORT@ -ign_eof -enable_server_rpk", cl);
    char *out = www_get("-enable_server_rpk " RSA_CERT, client);
    expect_in(out, "Server raw public key", "-enable_server_rpk");
    free(out);
    out = www_get("-enable_client_rpk " RSA_CERT, client);
    expect_in(out, PAGE, "-enable_client_rpk");
    expect_not_in(out, "Server raw public key", "without -enable_server_rpk");
    free(out);
}

/* -rand seeds from files; -writerand writes a seed file at the end. */
Test(protocol_opts, rand_and_writerand)
{
    PT_REQUIRE_CAP("rand-file");
    pt_server s;
    PT_START(&s, 0,
             "-www -naccept 1 -rand @PKI@/server-rsa.pem:@PKI@/server-rsa.key -writerand seed.bin " RSA_CERT);
    char *out;
    pt_run(&out, 20, s.port, GET_PIPE S_CLIENT " -ign_eof");
    expect_in(out, PAGE, "-rand");
    free(out);
    cr_assert_eq(pt_server_wait(&s, 10000), 0);
    char path[400];
    snprintf(path, sizeof path, "%s/seed.bin", s.dir);
    struct stat st;
    cr_assert(stat(path, &st) == 0 && st.st_size >= 32, "-writerand wrote no seed file %s", path);
    pt_server_stop(&s);
}

/* -ssl_config: a section of the OpenSSL configuration file applies. */
Test(protocol_opts, ssl_config)
{
    PT_REQUIRE_CAP("ssl-config");
    char dir[256], path[300];
    pt_mkdtemp(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/openssl.cnf", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("openssl_conf = init\n[init]\nssl_conf = ssl_module\n[ssl_module]\npolytls_test = sect\n"
          "[sect]\nMaxProtocol = TLSv1.2\n",
          f);
    fclose(f);
    setenv("OPENSSL_CONF", path, 1);
    char *out = www_get("-ssl_config polytls_test " RSA_CERT, S_CLIENT " -ign_eof");
    expect_in(out, "Protocol version: TLSv1.2", "MaxProtocol from the section");
    free(out);
    int rc = pt_polytls(&out, SRV RSA_CERT " -ssl_config no_such_section </dev/null");
    unsetenv("OPENSSL_CONF");
    cr_assert_eq(rc, 1, "%s", out);
    expect_in(out, "no_such_section", "the error");
    free(out);
}

Test(protocol_opts, security_debug)
{
    PT_REQUIRE_CAP("security-debug");
    pt_server s;
    PT_START(&s, 0, "-www -security_debug_verbose " RSA_CERT);
    char *out;
    pt_run(&out, 20, s.port, GET_PIPE S_CLIENT " -ign_eof");
    expect_in(out, PAGE, "-security_debug_verbose");
    free(out);
    cr_assert(pt_server_wait_output(&s, "Security callback:", 5000), "no security callback output");
    pt_server_stop(&s);
}

/* ---- accepted because polytls always does it -------------------------------- */

/* -nbio: an idle client never delays another. */
Test(always, nbio_idle_client_does_not_block)
{
    pt_server s;
    PT_START(&s, 0, "-www -nbio " RSA_CERT);
    pt_bg idle;
    pt_spawn(
        &idle, s.port,
        "python3 -c \"import socket,time; c=socket.create_connection(('127.0.0.1',@PORT@)); time.sleep(8)\"");
    sleep(1);
    char *out;
    pt_run(&out, 5, s.port, GET_PIPE S_CLIENT " -ign_eof");
    expect_in(out, PAGE, "a second client while the first idles");
    free(out);
    pt_spawn_wait(&idle, 100, NULL);
    pt_server_stop(&s);
}

/* -ign_eof: stdin at EOF does not end the server. */
Test(always, ign_eof_keeps_serving)
{
    pt_server s;
    PT_START(&s, 0, "-www -ign_eof " RSA_CERT);
    sleep(1);
    char *out;
    pt_run(&out, 10, s.port, GET_PIPE S_CLIENT " -ign_eof");
    expect_in(out, PAGE, "-ign_eof with stdin at EOF");
    free(out);
    pt_server_stop(&s);
}

/* -no_ssl3, -no_comp: SSL 3.0 and compression are never in use. */
Test(always, no_ssl3_no_comp)
{
    char *out = www_get("-no_ssl3 -no_comp " RSA_CERT, S_CLIENT " -ign_eof");
    expect_in(out, PAGE, "-no_ssl3 -no_comp");
    expect_in(out, "Compression: NONE", "-no_comp");
    expect_not_in(out, "Protocol  : SSLv3", "-no_ssl3");
    free(out);
}

/* -verify_return_error: a client certificate that fails verification ends
 * the handshake. */
Test(always, verify_return_error_closes)
{
    PT_REQUIRE_CAP("client-verify");
    char *out = www_get("-verify_return_error -Verify 1 -CAfile @PKI@/ca.pem " RSA_CERT,
                        S_CLIENT " -ign_eof -cert @PKI@/stranger.pem -key @PKI@/stranger.key");
    expect_not_in(out, PAGE, "a client certificate from no trusted CA");
    free(out);
}

/* -http_server_binmode: -WWW sends a file's bytes unchanged. */
Test(always, http_server_binmode_bytes_unchanged)
{
    char dir[256], path[300];
    pt_mkdtemp(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/bin.dat", dir);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    static const unsigned char bytes[] = {0x00, '\r', '\n', 0xff, '\n', '\r', 0x1a, 0x00};
    fwrite(bytes, 1, sizeof bytes, f);
    fclose(f);
    pt_server s;
    if (pt_server_start_in(&s, dir, 0, "-WWW -http_server_binmode " RSA_CERT) != 0)
        cr_assert_fail("server did not start");
    char *out;
    int rc = pt_run(&out, 20, s.port, "curl -sk https://127.0.0.1:@PORT@/bin.dat -o %s/got.dat", dir);
    free(out);
    pt_server_stop(&s);
    cr_assert_eq(rc, 0);
    char got[300];
    snprintf(got, sizeof got, "%s/got.dat", dir);
    size_t len = 0;
    char *data = pt_read_file(got, &len);
    cr_assert(data && len == sizeof bytes && memcmp(data, bytes, len) == 0, "the bytes changed");
    free(data);
}

/* -listen, -timeout (DTLS): the cookie exchange comes first and
 * retransmission timers run, always. */
Test(always, dtls_listen_timeout)
{
    PT_REQUIRE_CAP("dtls1.2");
    pt_server s;
    PT_START(&s, 0, "-dtls1_2 -listen -timeout " RSA_CERT);
    char *out;
    pt_run(&out, 20, s.port, "sleep 2 | openssl s_client -dtls1_2 -trace -connect 127.0.0.1:@PORT@");
    pt_server_stop(&s);
    expect_in(out, "HelloVerifyRequest", "-listen: the cookie exchange");
    expect_in(out, "Cipher is", "the handshake");
    free(out);
}

/* -psk_session: the session in the file is the TLS 1.3 PSK the client
 * offers (s_client -psk_session with the same file): the handshake
 * resumes it. Without the option the same offer gets a full handshake. */
Test(protocol_opts, psk_session)
{
    PT_REQUIRE_CAP("psk-session");
    PT_REQUIRE_CAP("tls1.3");
    char dir[256], server[600];
    pt_mkdtemp(dir, sizeof dir);
    pt_server s;
    PT_START(&s, 0, "-www " RSA_CERT);
    char *out;
    pt_run(&out, 20, s.port, GET_PIPE S_CLIENT " -ign_eof -tls1_3 -sess_out %s/psk.pem", dir);
    free(out);
    pt_server_stop(&s);
    const char *client = S_CLIENT " -ign_eof -tls1_3 -psk_session @DIR@/psk.pem";
    char cl[512];
    snprintf(cl, sizeof cl, "%.*s%s%s", (int)(strstr(client, "@DIR@") - client), client, dir,
             strstr(client, "@DIR@") + 5);
    snprintf(server, sizeof server, "-psk_session %s/psk.pem " RSA_CERT, dir);
    out = www_get(server, cl);
    expect_in(out, "Reused, TLSv1.3", "-psk_session: the PSK from the file");
    free(out);
    out = www_get(RSA_CERT, cl);
    expect_in(out, "New, TLSv1.3", "control: without -psk_session");
    free(out);
}

/* -comp: zlib record compression in TLS 1.2, where the security level
 * allows it (OpenSSL: level 1 or below); at level 2 the start fails rather
 * than compress nothing. */
Test(protocol_opts, comp)
{
    PT_REQUIRE_CAP("comp");
    PT_REQUIRE_CAP("cipher-string");
    const char *cl = openssl35();
    char client[512];
    snprintf(client, sizeof client,
             "%s s_client -connect 127.0.0.1:@PORT@ -ign_eof -tls1_2 -comp -cipher DEFAULT@SECLEVEL=1", cl);
    char *out = www_get("-comp -cipher DEFAULT@SECLEVEL=1 " RSA_CERT, client);
    expect_in(out, "Compression: zlib compression", "-comp");
    free(out);
    cr_assert_eq(pt_polytls(&out, SRV RSA_CERT " -comp </dev/null"), 1, "%s", out);
    expect_in(out, "security level", "-comp at security level 2");
    free(out);
}

/* ECH (OpenSSL 4.0): a key pair made by `openssl ech`; a 4.0 client given
 * its ECHConfigList gets ECH accepted; -ech_dir loads the same file;
 * -ech_trialdecrypt without keys is a usage error of the start. */
Test(protocol_opts, ech)
{
    PT_REQUIRE_CAP("ech");
    const char *o40 = getenv("POLYTLS_TEST_OPENSSL40");
    if (o40 == NULL || !*o40 || access(o40, X_OK) != 0)
        cr_skip_test("no OpenSSL 4.0 client: set POLYTLS_TEST_OPENSSL40 (tests/CMakeLists.txt does when the "
                     "openssl@4.0.2 flavour is built)");
    char dir[256], server[700], client[1200];
    pt_mkdtemp(dir, sizeof dir);
    char *out;
    cr_assert_eq(pt_run(&out, 20, 0,
                        "mkdir -p %s/keys && %s ech -public_name example.com -out %s/keys/ech.pem", dir, o40,
                        dir),
                 0, "%s", out);
    free(out);
    snprintf(
        client, sizeof client,
        "%s s_client -connect 127.0.0.1:@PORT@ -ign_eof -CAfile @PKI@/ca.pem -servername localhost -ech_config_list "
        "$(sed -n '/BEGIN ECHCONFIG/,/END ECHCONFIG/p' %s/keys/ech.pem | grep -v -- ----- | tr -d '\\n')",
        o40, dir);
    const char *keys[] = {"-ech_key %s/keys/ech.pem", "-ech_dir %s/keys",
                          "-ech_noretry_dir %s/keys -ech_trialdecrypt"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char k[400];
        snprintf(k, sizeof k, keys[i], dir);
        snprintf(server, sizeof server, "%s " RSA_CERT, k);
        out = www_get(server, client);
        expect_in(out, "ECH: success", k);
        expect_in(out, PAGE, k);
        expect_in(out, "ECH: accepted, outer SNI example.com, inner SNI localhost", "the -www page");
        free(out);
    }
    cr_assert_eq(pt_polytls(&out, SRV RSA_CERT " -ech_trialdecrypt </dev/null"), 1, "%s", out);
    expect_in(out, "need ECH keys", "-ech_trialdecrypt alone");
    free(out);
}

/* The -json handshake event says ECH was accepted, with both names. */
Test(protocol_opts, ech_json_event)
{
    PT_REQUIRE_CAP("ech");
    const char *o40 = getenv("POLYTLS_TEST_OPENSSL40");
    if (o40 == NULL || !*o40 || access(o40, X_OK) != 0) cr_skip_test("no OpenSSL 4.0 client");
    char dir[256];
    pt_mkdtemp(dir, sizeof dir);
    char *out;
    cr_assert_eq(pt_run(&out, 20, 0, "%s ech -public_name example.com -out %s/ech.pem", o40, dir), 0, "%s",
                 out);
    free(out);
    pt_server s;
    PT_START(&s, 0, "-www -json events.jsonl -ech_key %s/ech.pem " RSA_CERT, dir);
    pt_run(&out, 25, s.port,
           GET_PIPE
           "%s s_client -connect 127.0.0.1:@PORT@ -ign_eof -CAfile @PKI@/ca.pem -servername localhost -ech_config_list "
           "$(sed -n '/BEGIN ECHCONFIG/,/END ECHCONFIG/p' %s/ech.pem | grep -v -- ----- | tr -d '\\n')",
           o40, dir);
    free(out);
    pt_run(&out, 25, s.port,
           GET_PIPE "%s s_client -connect 127.0.0.1:@PORT@ -ign_eof -servername plain.test -ech_grease", o40);
    free(out);
    pt_server_stop(&s);
    char path[400];
    snprintf(path, sizeof path, "%s/events.jsonl", s.dir);
    size_t len;
    char *ev = pt_read_file(path, &len);
    cr_assert_not_null(ev);
    expect_in(ev, "\"sni\":\"localhost\",\"ech\":\"accepted\",\"ech_outer_sni\":\"example.com\"", "-json");
    expect_in(ev, "\"sni\":\"plain.test\",\"ech\":\"grease\"", "-json, a GREASE ECH");
    free(ev);
}
