/* Handshakes with real peers: versions, ALPN, SNI, client certificates,
 * resumption. Each test states the capability it needs. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define RSA_CERT "-cert @PKI@/server-rsa.pem -key @PKI@/server-rsa.key"
#define S_CLIENT "openssl s_client -connect 127.0.0.1:@PORT@"
#define GET_PIPE "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | "

Test(handshake, tls13_curl_www)
{
    PT_REQUIRE_CAP("tls1.3");
    pt_server s;
    PT_START(&s, 0, "-www");
    char *out;
    int rc = pt_run(&out, 20, s.port, "curl -sSk --tlsv1.3 https://127.0.0.1:@PORT@/");
    cr_assert_eq(rc, 0, "curl failed: %s", out);
    cr_assert(strstr(out, "Protocol version: TLSv1.3"), "%s", out);
    cr_assert(strstr(out, "no client certificate available"), "%s", out);
    free(out);
    pt_server_stop(&s);
}

Test(handshake, tls12_curl_www)
{
    PT_REQUIRE_CAP("tls1.2");
    pt_server s;
    PT_START(&s, 0, "-www " RSA_CERT);
    char *out;
    int rc = pt_run(&out, 20, s.port, "curl -sSk --tlsv1.2 --tls-max 1.2 https://127.0.0.1:@PORT@/");
    cr_assert_eq(rc, 0, "curl failed: %s", out);
    cr_assert(strstr(out, "Protocol version: TLSv1.2"), "%s", out);
    free(out);
    pt_server_stop(&s);
}

Test(handshake, gnutls_cli_www)
{
    pt_server s;
    PT_START(&s, 0, "-www " RSA_CERT);
    char *out;
    int rc = pt_run(&out, 20, s.port, GET_PIPE "gnutls-cli --insecure -p @PORT@ 127.0.0.1");
    cr_assert(strstr(out, "polytls") && strstr(out, "Protocol version: TLSv1."), "rc=%d %s", rc, out);
    free(out);
    pt_server_stop(&s);
}

Test(handshake, s_client_tls12_and_tls13_each_when_forced)
{
    static const struct {
        const char *cap, *flag, *want;
    } v[] = {{"tls1.2", "-tls1_2", "TLSv1.2"}, {"tls1.3", "-tls1_3", "TLSv1.3"}};
    for (size_t i = 0; i < 2; i++) {
        if (!pt_has_cap(v[i].cap)) continue;
        pt_server s;
        PT_START(&s, 0, "-www %s " RSA_CERT, v[i].flag);
        char *out;
        pt_run(&out, 20, s.port, GET_PIPE S_CLIENT " -ign_eof");
        char want[64];
        snprintf(want, sizeof want, "New, %s, Cipher is", v[i].want);
        cr_assert(strstr(out, want), "%s: %s", v[i].flag, out);
        free(out);
        /* The server refuses the other version when forced to one. */
        pt_run(&out, 20, s.port, S_CLIENT " %s", i == 0 ? "-tls1_3" : "-tls1_2");
        cr_assert_null(strstr(out, "Cipher is TLS"), "%s", out);
        free(out);
        pt_server_stop(&s);
    }
}

Test(handshake, alpn_server_preference)
{
    PT_REQUIRE_CAP("alpn");
    pt_server s;
    PT_START(&s, 0, "-www -alpn h2,http/1.1 " RSA_CERT);
    char *out;
    pt_run(&out, 20, s.port, S_CLIENT " -alpn http/1.1,h2");
    cr_assert(strstr(out, "ALPN protocol: h2"), "server order must win: %s", out);
    free(out);
    pt_run(&out, 20, s.port, S_CLIENT " -alpn http/1.1");
    cr_assert(strstr(out, "ALPN protocol: http/1.1"), "%s", out);
    free(out);
    /* No overlap: the handshake goes on without ALPN (s_server behaviour). */
    pt_run(&out, 20, s.port, S_CLIENT " -alpn spdy/3");
    cr_assert(strstr(out, "No ALPN negotiated") && strstr(out, "Cipher is"), "%s", out);
    free(out);
    pt_server_stop(&s);
}

Test(handshake, sni_selects_cert2)
{
    PT_REQUIRE_CAP("sni-cert");
    pt_server s;
    PT_START(&s, 0, "-www " RSA_CERT " -servername alt.test -cert2 @PKI@/alt.pem -key2 @PKI@/alt.key");
    char *out;
    pt_run(&out, 20, s.port, S_CLIENT " -servername alt.test");
    cr_assert(strstr(out, "subject=CN = alt.test"), "%s", out);
    free(out);
    pt_run(&out, 20, s.port, S_CLIENT " -servername localhost");
    cr_assert(strstr(out, "subject=CN = localhost"), "%s", out);
    free(out);
    pt_server_stop(&s);
}

Test(handshake, sni_mismatch_fatal)
{
    PT_REQUIRE_CAP("sni-cert");
    pt_server s;
    PT_START(&s, 0,
             "-www " RSA_CERT
             " -servername alt.test -cert2 @PKI@/alt.pem -key2 @PKI@/alt.key -servername_fatal");
    char *out;
    pt_run(&out, 20, s.port, S_CLIENT " -servername other.test");
    cr_assert_null(strstr(out, "Cipher is TLS"), "mismatch must fail: %s", out);
    free(out);
    pt_run(&out, 20, s.port, S_CLIENT " -servername alt.test");
    cr_assert(strstr(out, "subject=CN = alt.test"), "%s", out);
    free(out);
    pt_server_stop(&s);
}

static void curl_with_cert(int port, const char *cert, int expect_ok, const char *expect_text)
{
    char *out;
    int rc;
    if (cert)
        rc = pt_run(&out, 20, port,
                    "curl -sSk --cert @PKI@/%s.pem --key @PKI@/%s.key https://127.0.0.1:@PORT@/", cert, cert);
    else
        rc = pt_run(&out, 20, port, "curl -sSk https://127.0.0.1:@PORT@/");
    if (expect_ok) {
        cr_assert_eq(rc, 0, "cert %s must be accepted: %s", cert ? cert : "(none)", out);
        if (expect_text) cr_assert(strstr(out, expect_text), "%s", out);
    } else {
        cr_assert_neq(rc, 0, "cert %s must be rejected: %s", cert ? cert : "(none)", out);
    }
    free(out);
}

Test(client_auth, require_accepts_valid_rejects_missing_and_unknown)
{
    PT_REQUIRE_CAP("client-verify");
    pt_server s;
    PT_START(&s, 0, "-www -Verify 2 -CAfile @PKI@/ca.pem " RSA_CERT);
    curl_with_cert(s.port, "client", 1, "Client certificate: ");
    curl_with_cert(s.port, NULL, 0, NULL);
    curl_with_cert(s.port, "stranger", 0, NULL);
    pt_server_stop(&s);
}

Test(client_auth, request_rejects_invalid_sent_cert)
{
    PT_REQUIRE_CAP("client-verify");
    pt_server s;
    PT_START(&s, 0, "-www -verify 2 -CAfile @PKI@/ca.pem " RSA_CERT);
    curl_with_cert(s.port, NULL, 1, "no client certificate available");
    curl_with_cert(s.port, "client", 1, "Client certificate verification: OK");
    curl_with_cert(s.port, "stranger", 0, NULL);
    pt_server_stop(&s);
}

Test(client_auth, capath)
{
    PT_REQUIRE_CAP("ca-path");
    pt_server s;
    PT_START(&s, 0, "-www -Verify 2 -CApath @PKI@/capath " RSA_CERT);
    curl_with_cert(s.port, "client", 1, "Client certificate: ");
    curl_with_cert(s.port, "stranger", 0, NULL);
    pt_server_stop(&s);
}

Test(client_auth, crl_rejects_revoked)
{
    PT_REQUIRE_CAP("crl");
    static const char *forms[] = {"-CRL @PKI@/crl.pem", "-CRL @PKI@/crl.der -CRLform DER"};
    for (int i = 0; i < 2; i++) {
        pt_server s;
        PT_START(&s, 0, "-www -Verify 2 -CAfile @PKI@/ca.pem %s -crl_check " RSA_CERT, forms[i]);
        curl_with_cert(s.port, "client", 1, "Client certificate: ");
        curl_with_cert(s.port, "revoked", 0, NULL);
        pt_server_stop(&s);
    }
}

Test(client_auth, verify_depth_limits_chain)
{
    PT_REQUIRE_CAP("verify-depth");
    /* The depth counts intermediate CAs (OpenSSL's meaning): client-inter
     * is signed by an intermediate, client directly by the CA. */
    pt_server s;
    PT_START(&s, 0, "-www -Verify 0 -CAfile @PKI@/ca.pem " RSA_CERT);
    curl_with_cert(s.port, "client", 1, "Client certificate: ");
    curl_with_cert(s.port, "client-inter-chain", 0, NULL);
    pt_server_stop(&s);
    PT_START(&s, 0, "-www -Verify 1 -CAfile @PKI@/ca.pem " RSA_CERT);
    curl_with_cert(s.port, "client-inter-chain", 1, "CN = client-inter");
    pt_server_stop(&s);
}

/* Connect twice with s_client, saving then offering the session. */
static void resume_twice(int port, const char *client_flags, int expect_reused)
{
    char *out;
    char dir[256];
    pt_mkdtemp(dir, sizeof dir);
    pt_run(&out, 20, port, GET_PIPE S_CLIENT " -ign_eof %s -sess_out %s/sess", client_flags, dir);
    cr_assert(strstr(out, "New, TLSv1."), "first connection failed: %s", out);
    free(out);
    /* Without cache and tickets s_client may have no session to save. */
    pt_run(&out, 20, port, GET_PIPE S_CLIENT " -ign_eof %s $([ -s %s/sess ] && echo -sess_in %s/sess)",
           client_flags, dir, dir);
    if (expect_reused)
        cr_assert(strstr(out, "Reused, TLSv1.") && strstr(out, "Session: Reused"), "not resumed: %s", out);
    else
        cr_assert(strstr(out, "New, TLSv1.") && !strstr(out, "Reused, TLSv1."), "resumed unexpectedly: %s",
                  out);
    free(out);
}

Test(resumption, tls12_session_id)
{
    PT_REQUIRE_CAP("tls1.2");
    PT_REQUIRE_CAP("session-cache");
    pt_server s;
    PT_START(&s, 0, "-www " RSA_CERT);
    resume_twice(s.port, "-tls1_2 -no_ticket", 1);
    pt_server_stop(&s);
}

Test(resumption, tls12_ticket_without_cache)
{
    PT_REQUIRE_CAP("tls1.2");
    PT_REQUIRE_CAP("tickets");
    PT_REQUIRE_CAP("session-cache");
    pt_server s;
    PT_START(&s, 0, "-www -no_cache " RSA_CERT);
    resume_twice(s.port, "-tls1_2", 1);
    pt_server_stop(&s);
}

Test(resumption, tls13_ticket)
{
    PT_REQUIRE_CAP("tls1.3");
    PT_REQUIRE_CAP("tickets");
    pt_server s;
    PT_START(&s, 0, "-www " RSA_CERT);
    resume_twice(s.port, "-tls1_3", 1);
    pt_server_stop(&s);
}

Test(resumption, disabled_cache_and_tickets_mean_full_handshakes)
{
    PT_REQUIRE_CAP("tls1.2");
    PT_REQUIRE_CAP("tickets");
    PT_REQUIRE_CAP("session-cache");
    pt_server s;
    PT_START(&s, 0, "-www -no_cache -no_ticket " RSA_CERT);
    resume_twice(s.port, "-tls1_2", 0);
    pt_server_stop(&s);
}
