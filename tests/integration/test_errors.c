/* Exit codes and error messages: 1 runtime failure, 2 usage error,
 * 3 capability error; and the capability error for every refused
 * capability, taken from the backend's own table. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define RSA_CERT "-cert @PKI@/server-rsa.pem -key @PKI@/server-rsa.key"
#define SRV "s_server -backend @BACKEND@ -accept 127.0.0.1:0 "

static void expect(int want_rc, const char *want_text, const char *args)
{
    char *out;
    int rc = pt_polytls(&out, SRV "%s </dev/null", args);
    cr_assert_eq(rc, want_rc, "polytls s_server %s: exit %d, want %d: %s", args, rc, want_rc, out);
    if (want_text)
        cr_assert(strstr(out, want_text), "polytls s_server %s: missing \"%s\" in: %s", args, want_text, out);
    free(out);
}

Test(exit_codes, usage_errors_exit_2)
{
    expect(2, "Unknown option: -no_such_opt", "-tls1_2 -no_such_opt");
    expect(2, "Use -help for summary.", "-no_such_opt");
    expect(2, "Option -verify needs a value", "-verify");
    expect(2, "Invalid number", "-verify x");
    expect(2, "Cannot open input file", "-cert /nonexistent/cert.pem");
    expect(2, "Cannot supply multiple protocol flags", "-tls1_2 -tls1_3");
    expect(2, "Can't use -HTTP, -www or -WWW with DTLS", "-dtls -www");
    expect(2, "Can only use -listen with DTLS", "-listen");
    expect(2, "Can't use -early_data in combination with -rev", "-early_data -rev");
    expect(2, "Cannot supply -nextprotoneg with TLSv1.3", "-nextprotoneg http/1.1 -tls1_3");
    expect(2, "more than one of -www", "-www -WWW");
    expect(2, "Unknown cipher suite", "-cipher NOT-A-REAL-SUITE-SHA256");
    expect(2, "Unknown group", "-groups P-999");
    expect(2, "unknown backend", "-backend nosuchtls");
    expect(2, "-servername needs -cert2", "-servername a.test");
    expect(2, "Invalid -accept value", "-accept 127.0.0.1:notaport");
}

Test(exit_codes, help_exits_0)
{
    char *out;
    cr_assert_eq(pt_polytls(&out, "s_server -help"), 0);
    cr_assert(strstr(out, "-backend") && strstr(out, "-early_data") &&
                  strstr(out, "Protocol and version options"),
              "%s", out);
    free(out);
    cr_assert_eq(pt_polytls(&out, "-help"), 0);
    free(out);
}

Test(exit_codes, runtime_failures_exit_1)
{
    expect(1, "garbage.pem", "-cert @PKI@/garbage.pem -key @PKI@/server-rsa.key");
    /* A key that does not match the certificate. */
    expect(1, NULL, "-cert @PKI@/server-rsa.pem -key @PKI@/client.key");
    if (pt_has_cap("key-password")) {
        expect(1, NULL, "-cert @PKI@/server-rsa.pem -key @PKI@/server-rsa-trad-enc.key -pass pass:wrong");
        expect(1, "environment variable",
               "-cert @PKI@/server-rsa.pem -key @PKI@/server-rsa-trad-enc.key -pass env:PT_NO_SUCH_VAR");
    }
    /* The messages never echo a pass phrase. */
    char *out;
    pt_polytls(&out, SRV
               "-cert @PKI@/server-rsa.pem -key @PKI@/server-rsa-trad-enc.key -pass pass:hunter2 </dev/null");
    cr_assert_null(strstr(out, "hunter2"), "%s", out);
    free(out);
}

Test(exit_codes, port_in_use_exits_1)
{
    pt_server s;
    PT_START(&s, 0, RSA_CERT);
    char *out;
    int rc =
        pt_polytls(&out, "s_server -backend @BACKEND@ -accept 127.0.0.1:%d " RSA_CERT " </dev/null", s.port);
    cr_assert_eq(rc, 1, "%s", out);
    cr_assert(strstr(out, "Address already in use"), "%s", out);
    free(out);
    pt_server_stop(&s);
}

/* Every capability the backend refuses: an option needing it exits 3 with
 * one message naming the option, the backend, the library version and the
 * backend's reason. */
Test(capabilities, every_refused_capability_is_a_capability_error)
{
    char *json;
    cr_assert_eq(pt_polytls(&json, "backends"), 0);
    char *lib = strstr(json, pt_backend());
    cr_assert_not_null(lib);
    lib += strlen(pt_backend()) + 2;
    char libver[128];
    size_t l = strcspn(lib, "\n");
    snprintf(libver, sizeof libver, "%.*s", (int)l, lib);
    free(json);

    /* option (with a value that passes the parser) per capability */
    static const struct {
        const char *cap, *args, *optname;
    } probes[] = {
        {"tls1.0", "-tls1", "-tls1"},
        {"tls1.1", "-tls1_1", "-tls1_1"},
        {"tls1.2", "-tls1_2", "-tls1_2"},
        {"tls1.3", "-tls1_3", "-tls1_3"},
        {"dtls", "-dtls", "-dtls"},
        {"dtls1.0", "-dtls1", "-dtls1"},
        {"dtls1.2", "-dtls1_2", "-dtls1_2"},
        {"dtls1.3", "-dtls1_3", "-dtls1_3"},
        {"key-password", "-pass pass:x", "-pass"},
        {"cert-chain", "-cert_chain @PKI@/ca.pem", "-cert_chain"},
        {"dual-cert", "-dcert @PKI@/server-ecdsa.pem -dkey @PKI@/server-ecdsa.key", "-dcert"},
        {"sni-cert", "-servername a.test -cert2 @PKI@/alt.pem", "-cert2"},
        {"client-verify", "-verify 1", "-verify"},
        {"verify-depth", "-verify 1 -verify_depth 2", "-verify_depth"},
        {"ca-path", "-CApath @PKI@/capath", "-CApath"},
        {"crl", "-verify 1 -crl_check", "-crl_check"},
        {"cipher-list", "-cipher ECDHE-RSA-AES128-GCM-SHA256", "-cipher"},
        {"cipher-string", "-cipher HIGH:!aNULL", "-cipher"},
        {"tls13-ciphersuites", "-ciphersuites TLS_AES_128_GCM_SHA256", "-ciphersuites"},
        {"groups", "-groups P-256", "-groups"},
        {"sigalgs", "-sigalgs ecdsa_secp256r1_sha256", "-sigalgs"},
        {"server-pref", "-serverpref", "-serverpref"},
        {"session-cache", "-no_cache", "-no_cache"},
        {"tickets", "-no_ticket", "-no_ticket"},
        {"num-tickets", "-num_tickets 1", "-num_tickets"},
        {"session-context", "-context abc", "-context"},
        {"alpn", "-alpn h2", "-alpn"},
        {"npn", "-nextprotoneg http/1.1", "-nextprotoneg"},
        {"ocsp-staple", "-status_file @PKI@/ocsp-good.der", "-status_file"},
        {"ocsp-staple-tls1.3", "-tls1_3 -status_file @PKI@/ocsp-good.der -CAfile @PKI@/ca.pem",
         "-status_file"},
        {"psk", "-psk 0102030405060708", "-psk"},
        {"psk-hint", "-psk 0102030405060708 -psk_hint h", "-psk_hint"},
        {"early-data", "-early_data", "-early_data"},
        {"client-renegotiation", "-client_renegotiation", "-client_renegotiation"},
        {"legacy-renegotiation", "-legacy_renegotiation", "-legacy_renegotiation"},
        {"keylog", "-keylogfile keys.log", "-keylogfile"},
        {"export-keying", "-keymatexport label", "-keymatexport"},
        {"max-send-frag", "-max_send_frag 1024", "-max_send_frag"},
        {"record-padding", "-record_padding 512", "-record_padding"},
        {"anon-dh", "-nocert", "-nocert"},
        {"dhparam", "-dhparam @PKI@/dh.pem", "-dhparam"},
        {"no-dhe", "-no_dhe", "-no_dhe"},
        {"trace", "-trace", "-trace"},
        {"state", "-state", "-state"},
        {"prioritize-chacha", "-prioritize_chacha", "-prioritize_chacha"},
        {"no-etm", "-no_etm", "-no_etm"},
        {"no-ems", "-no_ems", "-no_ems"},
        {"no-ca-names", "-no_ca_names", "-no_ca_names"},
        {"id-prefix", "-id_prefix pt", "-id_prefix"},
        {"client-sigalgs", "-client_sigalgs rsa_pss_rsae_sha256", "-client_sigalgs"},
    };
    int refused = 0;
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        if (pt_has_cap(probes[i].cap)) continue;
        refused++;
        char *out;
        int nocert = strstr(probes[i].args, "-nocert") != NULL;
        int rc = pt_polytls(&out, SRV "%s %s </dev/null", nocert ? "" : RSA_CERT, probes[i].args);
        cr_assert_eq(rc, 3, "%s (%s refused): exit %d: %s", probes[i].args, probes[i].cap, rc, out);
        cr_assert(strstr(out, "capability error") && strstr(out, probes[i].optname) &&
                      strstr(out, pt_backend()) && strstr(out, libver) &&
                      strstr(out, pt_cap_reason(probes[i].cap)),
                  "%s: message lacks option/backend/version/reason: %s", probes[i].args, out);
        free(out);
    }
    cr_log_info("%s refuses %d probed capabilities", pt_backend(), refused);
}

Test(capabilities, unimplemented_options_are_refused_not_ignored)
{
    static const char *opts[] = {"-engine dynamic", "-ssl_config x",          "-async",     "-nbio_test",
                                 "-security_debug", "-x509_strict",           "-stateless", "-sctp",
                                 "-crl_download",   "-verify_hostname a.test"};
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
        char *out;
        int rc = pt_polytls(&out, SRV RSA_CERT " %s </dev/null", opts[i]);
        cr_assert_eq(rc, 3, "%s: exit %d: %s", opts[i], rc, out);
        cr_assert(strstr(out, "not implemented by polytls yet"), "%s", out);
        free(out);
    }
    /* All refusals are listed in one message. */
    char *out;
    int rc = pt_polytls(&out, SRV RSA_CERT " -engine x -async -nbio_test </dev/null");
    cr_assert_eq(rc, 3);
    cr_assert(strstr(out, "-engine") && strstr(out, "-async") && strstr(out, "-nbio_test"), "%s", out);
    free(out);
}

/* The module loaded for -backend X runs library X, and only X. */
Test(capabilities, backend_module_runs_its_own_library_only)
{
    pt_server s;
    PT_START(&s, 0, "-www " RSA_CERT);
    char *maps;
    pt_run(&maps, 10, 0, "cat /proc/%d/maps", (int)s.pid);
    static const struct {
        const char *backend, *lib;
    } libs[] = {{"openssl", "libssl.so"}, {"mbedtls", "libmbedtls.so"}, {"wolfssl", "libwolfssl.so"}};
    for (size_t i = 0; i < 3; i++) {
        int mapped = strstr(maps, libs[i].lib) != NULL;
        int want = strcmp(libs[i].backend, pt_backend()) == 0;
        cr_assert_eq(mapped, want, "%s %s mapped into a -backend %s server", libs[i].lib,
                     mapped ? "is" : "is not", pt_backend());
    }
    free(maps);
    /* The version the module reports is the version of the library that
     * answered: it appears on the status page served through it. */
    char *page, *ver;
    pt_run(&page, 20, s.port, "curl -sSk https://127.0.0.1:@PORT@/");
    pt_polytls(&ver, "version");
    char line[256];
    char *p = strstr(ver, pt_backend());
    cr_assert_not_null(p);
    p += strlen(pt_backend());
    while (*p == ' ')
        p++;
    snprintf(line, sizeof line, "%.*s", (int)strcspn(p, "\n"), p);
    char want[300];
    snprintf(want, sizeof want, "backend %s (%s)", pt_backend(), line);
    cr_assert(strstr(page, want), "want \"%s\" in %s", want, page);
    free(page);
    free(ver);
    pt_server_stop(&s);
}

Test(exit_codes, expired_certificate_is_refused_unless_allowed)
{
    expect(1, "expired on 2020-12-31", "-cert @PKI@/expired.pem -key @PKI@/expired.key");
    pt_server s;
    PT_START(&s, 0, "-www -allow_expired_cert -cert @PKI@/expired.pem -key @PKI@/expired.key");
    char *out;
    pt_run(&out, 20, s.port, "openssl s_client -connect 127.0.0.1:@PORT@ -CAfile @PKI@/ca.pem </dev/null");
    cr_assert(strstr(out, "certificate has expired"), "the client must see the expired certificate: %s", out);
    free(out);
    pt_server_stop(&s);
}

/* Secrets never leave the process: not on the -www page, not in logs, not
 * in -json events, not in error messages. */
Test(secrets, psk_and_pass_phrase_never_printed)
{
    PT_REQUIRE_CAP("psk");
    PT_REQUIRE_CAP("key-password");
    PT_REQUIRE_CAP("tls1.2");
    static const char psk[] = "5ec7e75ec7e75ec7e75ec7e75ec7e7aa";
    pt_server s;
    PT_START(&s, 0,
             "-www -tls1_2 -json events.jsonl -msg -cert @PKI@/server-rsa.pem -key "
             "@PKI@/server-rsa-unique-enc.key "
             "-pass pass:pt-Pw-7c1a9 -psk %s -psk_identity pt-id",
             psk);
    char *out;
    /* A good PSK client, a wrong-identity one and a certificate client. */
    pt_run(&out, 20, s.port,
           "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | openssl s_client -connect 127.0.0.1:@PORT@ -tls1_2 "
           "-ign_eof -psk %s "
           "-psk_identity pt-id -cipher 'PSK-AES128-GCM-SHA256:PSK-CHACHA20-POLY1305:PSK-AES128-CBC-SHA256'",
           psk);
    cr_assert_null(strstr(out, psk), "the page shows the PSK: %s", out);
    cr_assert_null(strstr(out, "pt-Pw-7c1a9"), "%s", out);
    free(out);
    pt_run(&out, 20, s.port,
           "openssl s_client -connect 127.0.0.1:@PORT@ -tls1_2 -psk 00 -psk_identity bad </dev/null");
    free(out);
    pt_run(&out, 20, s.port, "curl -sSk https://127.0.0.1:@PORT@/");
    cr_assert_null(strstr(out, psk), "%s", out);
    free(out);
    pt_server_stop(&s);
    char path[400];
    const char *files[] = {".server.out", ".server.err", "events.jsonl"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", s.dir, files[i]);
        char *t = pt_read_file(path, NULL);
        cr_assert_not_null(t, "%s", path);
        cr_assert_null(strstr(t, psk), "%s contains the PSK", files[i]);
        cr_assert_null(strstr(t, "5EC7E75E"), "%s contains the PSK (upper case)", files[i]);
        cr_assert_null(strstr(t, "pt-Pw-7c1a9"), "%s contains the pass phrase", files[i]);
        free(t);
    }
}
