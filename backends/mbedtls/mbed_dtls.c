/*
 * DTLS 1.0 and 1.2 (issue #9) with Mbed TLS 2.28; DTLS 1.2 with 3.x (which
 * removed DTLS 1.0; versions in mbed_compat*.c).
 *
 * - Server: the shared mbedtls_ssl_config is made for the datagram
 *   transport (mbed_context.c); everything else (certificates, client
 *   verification, suites, groups, ALPN, cache, tickets, PSK) is applied to
 *   it exactly as for TLS.
 * - Cookies: the library's HMAC cookies (mbedtls_ssl_cookie_*: HMAC-SHA-256
 *   over a timestamp and the client's transport id, valid 60 s) keyed by a
 *   random secret made once in server_new. The cookie context is
 *   server-wide, so the fresh object that dtls_accept makes for the second
 *   ClientHello verifies a cookie that an already freed one issued.
 * - dtls_accept: a new connection object with the peer's sockaddr bytes as
 *   transport id runs the handshake once on the datagram.
 *   MBEDTLS_ERR_SSL_HELLO_VERIFY_REQUIRED means the HelloVerifyRequest went
 *   out: the object is freed and nothing about the peer is kept. Only a
 *   ClientHello whose cookie verified (seen in our check hook) keeps it.
 * - Timers: the library's set_timer/get_timer pair on CLOCK_MONOTONIC in the
 *   connection; dtls_next_timeout_ms reads the final deadline (the library
 *   retransmits when get_timer says 2) and dtls_timeout calls the handshake,
 *   which retransmits the flight, or fails with MBEDTLS_ERR_SSL_TIMEOUT
 *   after the last doubling (1 s .. 60 s, RFC 6347's defaults).
 * - MTU: -mtu is the link MTU, as in s_server; the library's MTU is the
 *   datagram payload, so the IP+UDP overhead of the peer's family is taken
 *   off (28 bytes IPv4 or v4-mapped, 48 bytes IPv6: OpenSSL's numbers). The
 *   library then fragments handshake messages and bounds records by it.
 * - Client cipher order, curves and ALPN come from the core's ClientHello
 *   view as for TLS (mbed_hello.c), read on the accepted connection's first
 *   datagram. When the core has no view for it (NULL), that connection
 *   keeps the library's own rules: server cipher order, ALPN by
 *   conf_alpn_protocols (server order, fatal alert on no overlap).
 * - Not over DTLS: renegotiation (the library rejects an OpenSSL client's
 *   renegotiation ClientHello with -0x7900, so 'r'/'R' and
 *   -client_renegotiation are refused); DTLS-SRTP (-use_srtp) is not wired.
 * - A ClientHello that fails before the cookie is checked (the library
 *   chooses the suite first: no shared suite, bad extension) gets the
 *   library's fatal alert without a HelloVerifyRequest; dtls_accept then
 *   returns NULL with the reason, keeping nothing.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <mbedtls/ssl_ciphersuites.h>

#include "mbed_internal.h"

/* Smallest and largest link MTU we accept (s_server refuses below 256). */
#define MBED_DTLS_MIN_MTU 256
#define MBED_DTLS_MAX_MTU 65535

int mbed_wire_version(const mbed_conn *c)
{
    int v = mbed_compat_version(&c->ssl);

    if (!c->dtls || v == 0) return v;
    return v == 0x0302 ? PTLS_DTLS1_0 : PTLS_DTLS1_2; /* (D)TLS 1.1 numbers mean DTLS 1.0 */
}

/* RC4 suites (2.28) cannot run over DTLS; by name, the suite struct is
 * private in 3.x (which has no RC4). */
static int mbed_suite_nodtls(int id)
{
    const char *n = mbedtls_ssl_get_ciphersuite_name(id);

    return n && strstr(n, "-RC4-") != NULL;
}

int mbed_dtls_check_config(const ptls_config *cfg,
                           void (*refuse)(void *arg, const char *option, const char *reason), void *arg)
{
    char why[512];
    int n = 0, i;
    mbedtls_ssl_config tmp;

    mbedtls_ssl_config_init(&tmp);
    if (mbed_compat_conf_versions(&tmp, 1, cfg->min_version, cfg->max_version, why, sizeof why) != 0) {
        refuse(arg, "-dtls", why);
        n++;
    }
    mbedtls_ssl_config_free(&tmp);
    for (i = 0; i < cfg->n_cipher_ids; i++) {
        if (!mbed_suite_nodtls(cfg->cipher_ids[i])) continue;
        snprintf(why, sizeof why, "suite 0x%04X uses a stream cipher (RC4), which DTLS forbids (RFC 6347)",
                 cfg->cipher_ids[i]);
        refuse(arg, "-cipher", why);
        n++;
    }
    if (cfg->client_renegotiation && !cfg->no_renegotiation) {
        refuse(arg, "-client_renegotiation",
               MBED_LIB " rejects a renegotiation ClientHello over DTLS (-0x7900, tested with OpenSSL 3.0)");
        n++;
    }
    if (cfg->dtls_mtu != 0 && (cfg->dtls_mtu < MBED_DTLS_MIN_MTU || cfg->dtls_mtu > MBED_DTLS_MAX_MTU)) {
        snprintf(why, sizeof why, "%d: the link MTU must be %d to %d (smaller cannot hold a DTLS record)",
                 cfg->dtls_mtu, MBED_DTLS_MIN_MTU, MBED_DTLS_MAX_MTU);
        refuse(arg, "-mtu", why);
        n++;
    }
    return n;
}

int mbed_dtls_server_setup(mbed_server *s, const ptls_config *cfg, char *err, size_t errlen)
{
    int ret, i;

    if (mbed_compat_conf_versions(&s->conf, 1, cfg->min_version, cfg->max_version, err, errlen) != 0)
        return -1;
    for (i = 0; i < cfg->n_cipher_ids; i++)
        if (mbed_suite_nodtls(cfg->cipher_ids[i])) {
            snprintf(err, errlen, "-cipher: suite 0x%04X cannot be used over DTLS", cfg->cipher_ids[i]);
            return -1;
        }
    if (cfg->dtls_mtu != 0 && (cfg->dtls_mtu < MBED_DTLS_MIN_MTU || cfg->dtls_mtu > MBED_DTLS_MAX_MTU)) {
        snprintf(err, errlen, "-mtu %d: the link MTU must be %d to %d", cfg->dtls_mtu, MBED_DTLS_MIN_MTU,
                 MBED_DTLS_MAX_MTU);
        return -1;
    }
    s->dtls = 1;
    s->dtls_mtu = cfg->dtls_mtu;

    /* The server-wide cookie secret (a fresh random HMAC key). */
    ret = mbedtls_ssl_cookie_setup(&s->cookie, mbed_rng, NULL);
    if (ret != 0) {
        mbed_errf(err, errlen, ret, "DTLS cookies: mbedtls_ssl_cookie_setup");
        return -1;
    }
    s->have_cookie = 1;
    /* Connections replace the context with themselves (mbed_dtls_conn_setup)
     * to see whether a cookie verified; the functions stay these. */
    mbedtls_ssl_conf_dtls_cookies(&s->conf, mbedtls_ssl_cookie_write, mbedtls_ssl_cookie_check, &s->cookie);
    mbedtls_ssl_conf_dtls_anti_replay(&s->conf, MBEDTLS_SSL_ANTI_REPLAY_ENABLED);
    return 0;
}

/* --- per connection --- */

static uint64_t mbed_now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* mbedtls_ssl_set_timer_t: fin_ms == 0 cancels. */
static void mbed_set_timer(void *ctx, uint32_t int_ms, uint32_t fin_ms)
{
    mbed_conn *c = ctx;

    c->timer_on = fin_ms != 0;
    c->timer_start_us = mbed_now_us();
    c->timer_int_ms = int_ms;
    c->timer_fin_ms = fin_ms;
}

/* mbedtls_ssl_get_timer_t: -1 cancelled, 0 none expired, 1 the
 * intermediate delay passed, 2 the final one passed. */
static int mbed_get_timer(void *ctx)
{
    mbed_conn *c = ctx;
    uint64_t el;

    if (!c->timer_on) return -1;
    el = mbed_now_us() - c->timer_start_us;
    if (el >= (uint64_t)c->timer_fin_ms * 1000u) return 2;
    if (el >= (uint64_t)c->timer_int_ms * 1000u) return 1;
    return 0;
}

static int mbed_cookie_write(void *ctx, unsigned char **p, unsigned char *end, const unsigned char *info,
                             size_t ilen)
{
    mbed_conn *c = ctx;

    return mbedtls_ssl_cookie_write(&c->srv->cookie, p, end, info, ilen);
}

static int mbed_cookie_check(void *ctx, const unsigned char *cookie, size_t clen, const unsigned char *info,
                             size_t ilen)
{
    mbed_conn *c = ctx;
    int r = mbedtls_ssl_cookie_check(&c->srv->cookie, cookie, clen, info, ilen);

    if (r == 0) c->cookie_ok = 1;
    return r;
}

void mbed_dtls_conn_setup(mbed_conn *c)
{
    c->dtls = 1;
    mbedtls_ssl_conf_dtls_cookies(&c->conf, mbed_cookie_write, mbed_cookie_check, c);
    mbedtls_ssl_set_timer_cb(&c->ssl, c, mbed_set_timer, mbed_get_timer);
}

/* IP + UDP header bytes for this peer (OpenSSL's BIO_dgram overheads). */
static int mbed_udp_overhead(const void *peer, size_t peer_len)
{
    struct sockaddr_in6 a6;
    sa_family_t fam;

    if (peer_len < sizeof fam) return 28;
    memcpy(&fam, (const unsigned char *)peer + offsetof(struct sockaddr, sa_family), sizeof fam);
    if (fam != AF_INET6 || peer_len < sizeof a6) return 28;
    memcpy(&a6, peer, sizeof a6);
    return IN6_IS_ADDR_V4MAPPED(&a6.sin6_addr) ? 28 : 48;
}

void *mbed_dtls_accept(void *server, const ptls_io *io, const void *peer, size_t peer_len, char *err,
                       size_t errlen)
{
    mbed_server *s = server;
    mbed_conn *c;
    int ret;

    if (errlen) err[0] = '\0';
    if (!s->dtls) {
        snprintf(err, errlen, "dtls_accept on a TLS server context");
        return NULL;
    }
    if (!peer || peer_len == 0) {
        snprintf(err, errlen, "dtls_accept: no peer address for the cookie");
        return NULL;
    }
    c = mbed_conn_create(s, io, err, errlen);
    if (!c) return NULL;
    ret = mbedtls_ssl_set_client_transport_id(&c->ssl, peer, peer_len);
    if (ret != 0) {
        mbed_errf(err, errlen, ret, "mbedtls_ssl_set_client_transport_id");
        mbed_conn_free(c);
        return NULL;
    }
    if (s->dtls_mtu > 0)
        mbedtls_ssl_set_mtu(&c->ssl, (uint16_t)(s->dtls_mtu - mbed_udp_overhead(peer, peer_len)));

    ret = mbedtls_ssl_handshake(&c->ssl);
    if (ret == MBEDTLS_ERR_SSL_HELLO_VERIFY_REQUIRED) {
        /* The HelloVerifyRequest was sent: keep nothing. */
        mbed_conn_free(c);
        if (errlen) err[0] = '\0';
        return NULL;
    }
    if (!c->cookie_ok) {
        /* No ClientHello with a valid cookie in this datagram. */
        if (ret == MBEDTLS_ERR_SSL_WANT_WRITE)
            snprintf(err, errlen,
                     "HelloVerifyRequest not sent: the socket is not writable (the client "
                     "will retransmit)");
        else if (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == 0)
            snprintf(err, errlen, "no DTLS ClientHello in the datagram (record discarded by " MBED_LIB ")");
        else
            mbed_errf(err, errlen, ret,
                      "ClientHello without a valid cookie failed before the cookie exchange");
        mbed_conn_free(c);
        return NULL;
    }
    /* A verified client: the connection exists from now on. A failure after
     * the cookie (no shared suite...) is reported by the first handshake()
     * so that the core logs and counts it like any handshake failure. */
    if (ret != 0 && ret != MBEDTLS_ERR_SSL_WANT_READ && ret != MBEDTLS_ERR_SSL_WANT_WRITE)
        c->deferred_ret = ret;
    return c;
}

long mbed_dtls_next_timeout_ms(void *conn)
{
    mbed_conn *c = conn;
    uint64_t el, fin;

    if (!c || !c->dtls || !c->timer_on) return -1;
    el = mbed_now_us() - c->timer_start_us;
    fin = (uint64_t)c->timer_fin_ms * 1000u;
    if (el >= fin) return 0;
    /* Rounded up: 0 must mean "expired" (the core then calls dtls_timeout). */
    return (long)((fin - el + 999u) / 1000u);
}

int mbed_dtls_timeout(void *conn)
{
    mbed_conn *c = conn;
    int ret;

    if (!c->dtls || !c->timer_on || c->deferred_ret) return PTLS_OK;
    if (mbed_compat_handshake_over(&c->ssl)) {
        /* No flight to resend (the library runs no timer between
         * handshakes: its read timeout is 0). */
        c->timer_on = 0;
        return PTLS_OK;
    }
    /* The expired timer makes the library resend its last flight (and
     * double the delay) instead of reading, or give up with
     * MBEDTLS_ERR_SSL_TIMEOUT. This also covers a renegotiation. */
    ret = mbedtls_ssl_handshake(&c->ssl);
    if (ret == 0 || ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE) return PTLS_OK;
    c->last_ret = ret;
    if (ret == MBEDTLS_ERR_SSL_TIMEOUT)
        snprintf(c->err, sizeof c->err,
                 "DTLS handshake: no answer from the client after every retransmission");
    return PTLS_ERROR;
}
