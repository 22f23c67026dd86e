/* The client certificate verification policy options (issue #18):
 * -verify_hostname, -verify_email, -verify_ip, -attime, -no_check_time,
 * -purpose, -verify_name, -partial_chain, the policy and X.509 flags,
 * -auth_level and Suite B. Each is proven with openssl s_client presenting
 * a certificate that the policy must accept and one it must reject; each
 * test is gated by its capability. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

#define RSA_CERT "-cert @PKI@/server-rsa.pem -key @PKI@/server-rsa.key"
#define ECDSA_CERT "-cert @PKI@/server-ecdsa.pem -key @PKI@/server-ecdsa.key"
#define CA "-CAfile @PKI@/ca.pem"
#define GET_PIPE "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | "

/* Presents the certificate NAME (PKI NAME.pem/NAME.key) with openssl
 * s_client and asks for the -www page: accepted when the page shows it. */
static void client_cert(int port, const char *name, int expect_ok, const char *what)
{
    char *out;
    pt_run(&out, 20, port,
           GET_PIPE
           "openssl s_client -connect 127.0.0.1:@PORT@ -ign_eof -cert @PKI@/%s.pem -key @PKI@/%s.key",
           name, name);
    const char *cn = strcmp(name, "client-inter-chain") == 0 ? "client-inter" : name;
    int named = 0;
    for (const char *p = strstr(out, "CN = "); p && !named; p = strstr(p + 1, "CN = ")) {
        size_t l = strlen(cn);
        named = strncmp(p + 5, cn, l) == 0 && (p[5 + l] == '\n' || p[5 + l] == '\r' || p[5 + l] == '<');
    }
    int ok = strstr(out, "Client certificate verification: OK") != NULL && named;
    if (expect_ok)
        cr_assert(ok, "%s: certificate %s must be accepted: %s", what, name, out);
    else
        cr_assert(!ok, "%s: certificate %s must be rejected: %s", what, name, out);
    free(out);
}

/* Starts a -www server with ARGS, then presents good (accepted) and bad
 * (rejected) certificates. */
static void accept_reject(const char *args, const char *good, const char *bad)
{
    pt_server s;
    PT_START(&s, 0, "-www %s", args);
    if (good) client_cert(s.port, good, 1, args);
    if (bad) client_cert(s.port, bad, 0, args);
    pt_server_stop(&s);
}

Test(verify_policy, verify_hostname_checks_the_client_certificate_name)
{
    PT_REQUIRE_CAP("verify-host");
    accept_reject("-Verify 1 -verify_hostname client.example " CA " " RSA_CERT, "client-names",
                  "client-other");
    /* -verify: a certificate that is sent must match too. */
    accept_reject("-verify 1 -verify_hostname client.example " CA " " RSA_CERT, "client-names",
                  "client-other");
}

Test(verify_policy, verify_email_and_verify_ip)
{
    PT_REQUIRE_CAP("verify-host");
    accept_reject("-Verify 1 -verify_email client@example.com " CA " " RSA_CERT, "client-names",
                  "client-other");
    accept_reject("-Verify 1 -verify_ip 127.0.0.1 " CA " " RSA_CERT, "client-names", "client-other");
}

Test(verify_policy, no_check_time_and_attime)
{
    PT_REQUIRE_CAP("verify-time");
    accept_reject("-Verify 1 " CA " " RSA_CERT, NULL, "client-expired");
    accept_reject("-Verify 1 -no_check_time " CA " " RSA_CERT, "client-expired", NULL);
    /* 2038: after the end of every certificate of the test PKI. */
    accept_reject("-Verify 1 -attime 2147483647 " CA " " RSA_CERT, NULL, "client");
    char args[256];
    snprintf(args, sizeof args, "-Verify 1 -attime %lld " CA " " RSA_CERT, (long long)time(NULL) + 86400);
    accept_reject(args, "client", NULL);
}

Test(verify_policy, purpose_and_verify_name)
{
    PT_REQUIRE_CAP("verify-purpose");
    accept_reject("-Verify 1 -purpose sslclient " CA " " RSA_CERT, "client", "client-serverauth");
    accept_reject("-Verify 1 -verify_name ssl_client " CA " " RSA_CERT, "client", "client-serverauth");
    /* Another purpose: works, or is refused for this library (exit 3). */
    pt_server s;
    if (pt_server_start(&s, 0, "-www -Verify 1 -purpose sslserver " CA " " RSA_CERT) != 0) {
        char *e = pt_server_stderr(&s);
        cr_assert(s.status == 3 && strstr(e, "capability error") && strstr(e, "-purpose"), "exit %d: %s",
                  s.status, e);
        free(e);
        return;
    }
    client_cert(s.port, "client-serverauth", 1, "-purpose sslserver");
    client_cert(s.port, "client", 0, "-purpose sslserver");
    pt_server_stop(&s);
}

Test(verify_policy, partial_chain_trusts_an_intermediate)
{
    PT_REQUIRE_CAP("partial-chain");
    accept_reject("-Verify 2 -partial_chain -CAfile @PKI@/inter.pem " RSA_CERT, "client-inter-chain",
                  "client");
}

Test(verify_policy, certificate_policies)
{
    PT_REQUIRE_CAP("x509-policy");
    accept_reject("-Verify 1 -policy 1.2.3.4 -explicit_policy " CA " " RSA_CERT, "client-policy", "client");
    accept_reject("-Verify 1 -policy 1.2.3.4 -policy_check -inhibit_any -inhibit_map " CA " " RSA_CERT,
                  "client-policy", "stranger");
    pt_server s;
    PT_START(&s, 0, "-www -Verify 1 -policy 1.2.3.4 -policy_print " CA " " RSA_CERT);
    client_cert(s.port, "client-policy", 1, "-policy_print");
    cr_assert(pt_server_wait_output(&s, "Require explicit Policy", 5000), "-policy_print printed nothing");
    cr_assert(pt_server_wait_output(&s, "Policy: 1.2.3.4", 5000), "-policy_print printed no policy");
    pt_server_stop(&s);
}

Test(verify_policy, x509_flags)
{
    PT_REQUIRE_CAP("x509-flags");
    accept_reject("-Verify 1 " CA " " RSA_CERT, "client", "client-critical");
    accept_reject("-Verify 1 -ignore_critical " CA " " RSA_CERT, "client-critical", "stranger");
    accept_reject("-Verify 1 -x509_strict -check_ss_sig -trusted_first -no_alt_chains -issuer_checks "
                  "-allow_proxy_certs " CA " " RSA_CERT,
                  "client", "stranger");
}

Test(verify_policy, extended_crl_and_deltas)
{
    PT_REQUIRE_CAP("crl-extended");
    accept_reject("-Verify 1 -extended_crl -use_deltas -CRL @PKI@/crl.pem -crl_check " CA " " RSA_CERT,
                  "client", "revoked");
}

Test(verify_policy, auth_level)
{
    PT_REQUIRE_CAP("auth-level");
    /* The client key is P-256 (128 bits of security): level 3 takes it,
     * level 4 (192 bits) does not. */
    accept_reject("-Verify 1 -auth_level 3 " CA " " RSA_CERT, "client", NULL);
    accept_reject("-Verify 1 -auth_level 4 " CA " " RSA_CERT, NULL, "client");
}

Test(verify_policy, suiteb_restricts_the_handshake)
{
    PT_REQUIRE_CAP("suiteb");
    static const struct {
        const char *flag, *cipher;
    } modes[] = {{"-suiteB_128_only", "ECDHE-ECDSA-AES128-GCM-SHA256"},
                 {"-suiteB_128", "ECDHE-ECDSA-AES128-GCM-SHA256"}};
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        pt_server s;
        PT_START(&s, 0, "-www -tls1_2 %s " ECDSA_CERT, modes[i].flag);
        char *out;
        pt_run(&out, 20, s.port, GET_PIPE "openssl s_client -connect 127.0.0.1:@PORT@ -ign_eof");
        cr_assert(strstr(out, modes[i].cipher), "%s: want %s: %s", modes[i].flag, modes[i].cipher, out);
        free(out);
        /* Not Suite B: an RSA-only client offer finds nothing to agree on. */
        pt_run(&out, 20, s.port,
               GET_PIPE
               "openssl s_client -connect 127.0.0.1:@PORT@ -ign_eof -cipher ECDHE-RSA-AES128-GCM-SHA256");
        cr_assert(!strstr(out, "Protocol version:"), "%s accepted a non-Suite B suite: %s", modes[i].flag,
                  out);
        free(out);
        pt_server_stop(&s);
    }
}

/* -verify N allows N intermediate CAs; a trust anchor the client sends
 * along does not count (wolfSSL counted it: "Maximum Chain Depth
 * Exceeded" for -verify 0 and a client sending its CA). */
Test(verify_policy, verify_depth_ignores_a_sent_trust_anchor)
{
    PT_REQUIRE_CAP("verify-depth");
    pt_server s;
    PT_START(&s, 0, "-www -verify 0 " CA " " RSA_CERT);
    char *out;
    pt_run(&out, 20, s.port,
           GET_PIPE "openssl s_client -connect 127.0.0.1:@PORT@ -ign_eof -cert @PKI@/client.pem -key "
                    "@PKI@/client.key -cert_chain @PKI@/ca.pem");
    cr_assert(strstr(out, "Client certificate verification: OK"), "leaf + CA at -verify 0: %s", out);
    free(out);
    pt_run(&out, 20, s.port,
           GET_PIPE "openssl s_client -connect 127.0.0.1:@PORT@ -ign_eof -cert @PKI@/client-inter.pem -key "
                    "@PKI@/client-inter.key -cert_chain @PKI@/inter.pem");
    cr_assert(!strstr(out, "Client certificate verification: OK"), "an intermediate at -verify 0: %s", out);
    free(out);
    pt_server_stop(&s);
}

/* A verification policy without -verify/-Verify would check nothing. */
Test(verify_policy, policy_options_need_verify)
{
    static const char *opts[] = {"-verify_hostname a.test", "-no_check_time", "-purpose sslclient",
                                 "-partial_chain", "-policy 1.2.3"};
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
        char *out;
        int rc = pt_polytls(&out, "s_server -backend %s -accept 127.0.0.1:0 %s " RSA_CERT " </dev/null",
                            pt_backend(), opts[i]);
        cr_assert_eq(rc, 2, "%s: exit %d: %s", opts[i], rc, out);
        cr_assert(strstr(out, "needs -verify or -Verify"), "%s", out);
        free(out);
    }
    char *out;
    int rc = pt_polytls(&out,
                        "s_server -backend %s -accept 127.0.0.1:0 -verify 1 -verify_ip not-an-ip " RSA_CERT
                        " </dev/null",
                        pt_backend());
    cr_assert_eq(rc, 2, "exit %d: %s", rc, out);
    free(out);
}

/* -CAstore: the trusted CAs from a store URI. */
Test(stores, ca_store_uri)
{
    PT_REQUIRE_CAP("ca-store");
    accept_reject("-Verify 1 -CAstore file:@PKI@/ca.pem " RSA_CERT, "client", "stranger");
    accept_reject("-Verify 1 -verifyCAstore file:@PKI@/ca.pem " RSA_CERT, "client", "stranger");
}

/* -chainCAfile: the server's chain (leaf signed by the intermediate) is
 * completed from the chain store, so a client trusting only the root
 * verifies it; -build_chain builds it at start. */
Test(stores, chain_ca_file_and_build_chain)
{
    PT_REQUIRE_CAP("chain-ca");
    char dir[256], *out;
    pt_mkdtemp(dir, sizeof dir);
    pt_run(&out, 10, 0, "cat @PKI@/inter.pem @PKI@/ca.pem > %s/chain-cas.pem", dir);
    free(out);
    static const char *args[] = {"", "-chainCAfile @PKI@/inter.pem",
                                 "-build_chain -chainCAfile %s/chain-cas.pem"};
    for (int i = 0; i < 3; i++) {
        char extra[512];
        snprintf(extra, sizeof extra, args[i], dir);
        pt_server s;
        PT_START(&s, 0, "-www -cert @PKI@/leaf.pem -key @PKI@/leaf.key %s", extra);
        pt_run(&out, 20, s.port,
               GET_PIPE "openssl s_client -connect 127.0.0.1:@PORT@ -ign_eof -CAfile @PKI@/ca.pem");
        int ok = strstr(out, "Verify return code: 0 (ok)") != NULL;
        cr_assert(i == 0 ? !ok : ok, "[%s] server chain %s: %s", extra,
                  i == 0 ? "must be incomplete" : "must verify", out);
        free(out);
        pt_server_stop(&s);
    }
    /* A chain that cannot be built is an error at start. */
    char *err;
    int rc = pt_polytls(&err,
                        "s_server -backend %s -accept 127.0.0.1:0 -cert @PKI@/leaf.pem -key @PKI@/leaf.key "
                        "-build_chain -chainCAfile @PKI@/unknownca.pem </dev/null",
                        pt_backend());
    cr_assert_neq(rc, 0, "-build_chain without the chain's CAs started: %s", err);
    free(err);
}
