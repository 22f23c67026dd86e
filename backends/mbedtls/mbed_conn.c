/*
 * Connections: the IO glue between Mbed TLS and the core's ptls_io, the
 * per-connection callbacks (session cache, tickets, SNI, PSK) and the
 * connection ops (handshake, read, write, renegotiation...).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/net_sockets.h> /* MBEDTLS_ERR_NET_* codes only */
#include <mbedtls/platform_util.h>

#include "mbed_internal.h"

/* Largest first record we buffer to inspect the ClientHello. */

/* --- IO glue --- */

static int mbed_io_recv_code(long r)
{
    if (r > 0) return (int)r;
    if (r == PTLS_WANT_READ) return MBEDTLS_ERR_SSL_WANT_READ;
    if (r == PTLS_WANT_WRITE) return MBEDTLS_ERR_SSL_WANT_WRITE;
    if (r == PTLS_CLOSED || r == 0) return 0; /* the library reports EOF */
    return MBEDTLS_ERR_NET_RECV_FAILED;
}

static int mbed_bio_recv(void *ctx, unsigned char *buf, size_t len)
{
    mbed_conn *c = ctx;

    if (len > INT_MAX) len = INT_MAX;
    long r = c->io.recv(c->io.ctx, buf, len);
    /* DTLS: an empty datagram is no end of stream (0 would read as EOF). */
    while (c->dtls && r == 0)
        r = c->io.recv(c->io.ctx, buf, len);
    /* The first time the core has the whole ClientHello (at the latest when
     * its last byte is returned here, before the library parses it), adjust
     * this connection's suites, curves and ALPN to the client's offer. */
    if (r > 0 && !c->hello_done && mbed_host->client_hello) {
        const ptls_hello_view *h = mbed_host->client_hello(c->io.ctx);
        if (h) mbed_hello_apply(c, h);
        /* DTLS: the first datagram is the whole ClientHello (the library
         * does not take a fragmented one), so without a view by now there
         * will be none in time: the library's own rules (server order). */
        if (h || c->dtls) c->hello_done = 1;
    }
    return mbed_io_recv_code(r);
}

static int mbed_bio_send(void *ctx, const unsigned char *buf, size_t len)
{
    mbed_conn *c = ctx;
    long r;

    if (len > INT_MAX) len = INT_MAX;
    r = c->io.send(c->io.ctx, buf, len);
    if (r > 0) return (int)r;
    if (r == PTLS_WANT_WRITE) return MBEDTLS_ERR_SSL_WANT_WRITE;
    if (r == PTLS_WANT_READ) return MBEDTLS_ERR_SSL_WANT_READ;
    return MBEDTLS_ERR_NET_SEND_FAILED;
}

/* --- per-connection callbacks: "resumed" has no API, a hit is seen here
 * (and in the session cache callbacks, mbed_compat*.c) --- */

static int mbed_ticket_write(void *ctx, const mbedtls_ssl_session *session, unsigned char *start,
                             const unsigned char *end, size_t *tlen, uint32_t *lifetime)
{
    mbed_conn *c = ctx;

    return mbedtls_ssl_ticket_write(&c->srv->ticket, session, start, end, tlen, lifetime);
}

static int mbed_ticket_parse(void *ctx, mbedtls_ssl_session *session, unsigned char *buf, size_t len)
{
    mbed_conn *c = ctx;
    int r = mbedtls_ssl_ticket_parse(&c->srv->ticket, session, buf, len);

    if (r == 0) c->resumed = 1;
    return r;
}

/* SNI: always records the name; with -cert2 the core's policy chooses. */
static int mbed_sni_cb(void *ctx, mbedtls_ssl_context *ssl, const unsigned char *name, size_t len)
{
    mbed_conn *c = ctx;
    int choice;

    if (len >= sizeof c->sni) len = sizeof c->sni - 1;
    memcpy(c->sni, name, len);
    c->sni[len] = '\0';
    if (!c->srv->sni_cert2 || !mbed_host || !mbed_host->sni_select) return 0;
    choice = mbed_host->sni_select(c->sni);
    if (choice == PTLS_SNI_ALT)
        return mbedtls_ssl_set_hs_own_cert(ssl, &c->srv->cert2.crt, &c->srv->cert2.pk);
    if (choice == PTLS_SNI_REJECT) {
        /* Non-zero makes the library send unrecognized_name, fatal. */
        snprintf(c->err, sizeof c->err, "SNI: server name \"%.200s\" rejected (-servername_fatal)", c->sni);
        return -1;
    }
    return 0;
}

static int mbed_psk_cb(void *ctx, mbedtls_ssl_context *ssl, const unsigned char *id, size_t len)
{
    mbed_conn *c = ctx;
    const mbed_server *s = c->srv;

    if (len != strlen(s->psk_identity) || memcmp(id, s->psk_identity, len) != 0) {
        snprintf(c->err, sizeof c->err, "PSK: unknown identity \"%.*s\"", (int)(len > 200 ? 200 : len),
                 (const char *)id);
        return -1; /* the library sends unknown_psk_identity */
    }
#if MBED_TLS13
    mbed_tls13_psk_suite(c); /* TLS 1.3: the external PSK's suite */
#endif
    return mbedtls_ssl_set_hs_psk(ssl, s->psk, s->psk_len);
}

/* --- ops --- */

/* A connection object for a TLS stream or, on a DTLS server, for one
 * peer's datagrams (mbed_dtls.c adds the peer's transport id). */
mbed_conn *mbed_conn_create(mbed_server *s, const ptls_io *io, char *err, size_t errlen)
{
    mbed_conn *c = calloc(1, sizeof *c);
    int ret;

    if (!c) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    c->srv = s;
    c->io = *io;
    c->conf = s->conf; /* shallow copy, owns nothing (mbed_internal.h) */
    c->verify_mode = s->verify_mode;
    c->vnew = 1;
    if (s->tickets) mbedtls_ssl_conf_session_tickets_cb(&c->conf, mbed_ticket_write, mbed_ticket_parse, c);
    mbedtls_ssl_conf_sni(&c->conf, mbed_sni_cb, c);
    if (s->psk_len) mbedtls_ssl_conf_psk_cb(&c->conf, mbed_psk_cb, c);
    mbed_compat_conf_callbacks(c); /* session cache, export keys (2.x) */

    mbedtls_ssl_init(&c->ssl);
    ret = mbedtls_ssl_setup(&c->ssl, &c->conf);
    if (ret != 0) {
        mbed_errf(err, errlen, ret, "mbedtls_ssl_setup");
        mbedtls_ssl_free(&c->ssl);
        free(c);
        return NULL;
    }
    mbed_compat_ssl_callbacks(c); /* export keys (3.x) */
    mbedtls_ssl_set_bio(&c->ssl, c, mbed_bio_send, mbed_bio_recv, NULL);
    mbedtls_ssl_set_verify(&c->ssl, mbed_verify_cb, c);
    if (s->dtls) mbed_dtls_conn_setup(c); /* timers, cookie hook (dtls_accept adds peer and MTU) */
    return c;
}

void *mbed_conn_new(void *server, const ptls_io *io, char *err, size_t errlen)
{
    /* On a DTLS server the core uses dtls_accept; a connection made here
     * has no transport id, so it cannot answer with a cookie: the library
     * then fails the handshake rather than skipping the cookie exchange. */
    return mbed_conn_create(server, io, err, errlen);
}

/* Library return code -> PTLS status; remembers errors for last_error. */
static int mbed_status(mbed_conn *c, int ret, int handshaking)
{
    if (ret == MBEDTLS_ERR_SSL_WANT_READ) return PTLS_WANT_READ;
    if (ret == MBEDTLS_ERR_SSL_WANT_WRITE) return PTLS_WANT_WRITE;
    if (!handshaking && (ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY || ret == MBEDTLS_ERR_SSL_CONN_EOF))
        return PTLS_CLOSED;
    c->last_ret = ret;
    return PTLS_ERROR;
}

int mbed_handshake(void *conn)
{
    mbed_conn *c = conn;
    int ret;

    if (c->deferred_ret) {
        /* dtls_accept ran the handshake on the ClientHello and it failed
         * (the library has sent its alert): report it now. */
        c->last_ret = c->deferred_ret;
        return PTLS_ERROR;
    }
    /* mbedtls_ssl_handshake() is this loop; stepping lets a failed client
     * certificate under -verify end the handshake with its own alert right
     * after the Certificate message (mbed_verify.c). */
    ret = 0;
    c->stepping = 1;
    while (!mbed_compat_handshake_over(&c->ssl)) {
        ret = mbedtls_ssl_handshake_step(&c->ssl);
        if (c->valert) {
            mbedtls_ssl_send_alert_message(&c->ssl, MBEDTLS_SSL_ALERT_LEVEL_FATAL, c->valert);
            c->valert = 0;
            ret = MBED_ERR_VERIFY_FAILED;
            break;
        }
#if MBED_TLS13
        if (ret == MBEDTLS_ERR_SSL_RECEIVED_EARLY_DATA) ret = mbed_tls13_read_early(c);
#endif
        if (ret != 0) break;
    }
    c->stepping = 0;
    if (ret == 0) return PTLS_OK;
    if (ret == MBEDTLS_ERR_SSL_NO_CLIENT_CERTIFICATE && mbed_compat_version(&c->ssl) < PTLS_TLS1_3)
        /* The library fails without telling the client; OpenSSL sends
         * handshake_failure in TLS 1.2 (in TLS 1.3 the library sends
         * certificate_required itself). */
        mbedtls_ssl_send_alert_message(&c->ssl, MBEDTLS_SSL_ALERT_LEVEL_FATAL,
                                       MBEDTLS_SSL_ALERT_MSG_HANDSHAKE_FAILURE);
    return mbed_status(c, ret, 1);
}

/* Sends (the rest of) a pending HelloRequest. */
static int mbed_reneg_flush(mbed_conn *c)
{
    int ret;

    if (c->reneg != 1) return 0;
    ret = mbedtls_ssl_renegotiate(&c->ssl);
    if (ret == 0) c->reneg = 2;
    return ret;
}

/* After the client's new handshake: close the gate again. The library has
 * no public renegotiation status; the new handshake is over when keys were
 * derived again (the export-keys callback counts them) and the library is
 * between handshakes. */
static void mbed_reneg_check(mbed_conn *c)
{
    if (c->reneg == 2 && c->keys_seen != c->reneg_keys && mbed_compat_handshake_over(&c->ssl)) {
        c->reneg = 0;
        if (!c->srv->client_renegotiation)
            mbedtls_ssl_conf_renegotiation(&c->conf, MBEDTLS_SSL_RENEGOTIATION_DISABLED);
    }
}

long mbed_read(void *conn, unsigned char *buf, size_t len)
{
    mbed_conn *c = conn;
    int ret = mbed_reneg_flush(c);

    if (ret != 0) return mbed_status(c, ret, 0);
    if (c->early_off < c->early_len) { /* TLS 1.3 early data first */
        size_t n = c->early_len - c->early_off;
        if (n > len) n = len;
        if (n > INT_MAX) n = INT_MAX;
        memcpy(buf, c->early + c->early_off, n);
        c->early_off += n;
        return (long)n;
    }
    ret = mbedtls_ssl_read(&c->ssl, buf, len > INT_MAX ? INT_MAX : len);
    mbed_reneg_check(c);
    if (ret > 0) return ret;
    if (ret == 0) return PTLS_CLOSED; /* transport EOF without close_notify */
    return mbed_status(c, ret, 0);
}

long mbed_write(void *conn, const unsigned char *buf, size_t len)
{
    mbed_conn *c = conn;
    /* A half-sent HelloRequest must go first: mbedtls_ssl_write() would
     * flush it and report the caller's bytes as written. */
    int ret = mbed_reneg_flush(c);

    if (ret != 0) return mbed_status(c, ret, 0);
    if (len > INT_MAX) len = INT_MAX;
    if (c->dtls) {
        /* A DTLS record is not split over datagrams: the library refuses
         * (BAD_INPUT_DATA) more than one record's payload under the MTU and
         * max_frag_len, so write that much; the core sends the rest next. */
        int max = mbedtls_ssl_get_max_out_record_payload(&c->ssl);
        if (max > 0 && len > (size_t)max) len = (size_t)max;
    }
    ret = mbedtls_ssl_write(&c->ssl, buf, len);
    mbed_reneg_check(c);
    if (ret >= 0) return ret;
    return mbed_status(c, ret, 0);
}

int mbed_shutdown(void *conn)
{
    mbed_conn *c = conn;
    int ret = mbedtls_ssl_close_notify(&c->ssl);

    if (ret == 0) return PTLS_OK;
    return mbed_status(c, ret, 0);
}

size_t mbed_pending(void *conn)
{
    mbed_conn *c = conn;

    return mbedtls_ssl_get_bytes_avail(&c->ssl) + (c->early_len - c->early_off);
}

int mbed_renegotiation_pending(void *conn)
{
    mbed_conn *c = conn;
    /* 1: HelloRequest to send, 2: sent, new handshake not over (mbed_reneg_check) */
    return c->reneg != 0;
}

int mbed_renegotiate(void *conn, int request_cert)
{
    mbed_conn *c = conn;
    int ret;

    if (c->srv->no_renegotiation) {
        snprintf(c->err, sizeof c->err, "renegotiation is disabled (-no_renegotiation)");
        return PTLS_ERROR;
    }
    if (c->dtls) {
        /* Tested against OpenSSL 3.0's DTLS client: the library rejects the
         * client's renegotiation ClientHello ("bad client hello message")
         * and the connection dies; refuse instead of breaking it. */
        snprintf(c->err, sizeof c->err,
                 "renegotiation over DTLS is not supported with " MBED_LIB
                 " (it rejects the client's renegotiation ClientHello, -0x7900)");
        return PTLS_ERROR;
    }
    if (!mbed_compat_handshake_over(&c->ssl) || c->reneg) {
        snprintf(c->err, sizeof c->err, "a handshake is already in progress");
        return PTLS_ERROR;
    }
    if (mbed_compat_version(&c->ssl) >= PTLS_TLS1_3) {
        snprintf(c->err, sizeof c->err, "TLS 1.3 has no renegotiation");
        return PTLS_ERROR;
    }
    /* 3.x does not say (-1): the library itself refuses the client's new
     * handshake without RFC 5746 unless legacy renegotiation is allowed. */
    if (mbed_compat_secure_renegotiation(&c->ssl) == 0 && !c->srv->legacy_renegotiation) {
        snprintf(c->err, sizeof c->err,
                 "the client does not support secure renegotiation (RFC 5746); see -legacy_renegotiation");
        return PTLS_ERROR;
    }
    if (request_cert && c->verify_mode == PTLS_VERIFY_NONE) {
        /* 'R': request (not require) a certificate, as s_server does. The
         * connection's own config makes this possible between handshakes
         * (mbedtls_ssl_set_hs_authmode only works inside one). */
        mbedtls_ssl_conf_authmode(&c->conf, MBEDTLS_SSL_VERIFY_OPTIONAL);
        c->verify_mode = PTLS_VERIFY_REQUEST;
    }
    mbedtls_ssl_conf_renegotiation(&c->conf, MBEDTLS_SSL_RENEGOTIATION_ENABLED);
    c->reneg_keys = c->keys_seen;
    c->resumed = 0;
    c->err[0] = '\0';
    c->reneg = 1;
    ret = mbed_reneg_flush(c);
    if (ret == 0 || ret == MBEDTLS_ERR_SSL_WANT_WRITE || ret == MBEDTLS_ERR_SSL_WANT_READ) return PTLS_OK;
    c->reneg = 0;
    c->last_ret = ret;
    return PTLS_ERROR;
}

void mbed_conn_free(void *conn)
{
    mbed_conn *c = conn;

    if (!c) return;
    mbedtls_ssl_free(&c->ssl);
    mbedtls_platform_zeroize(c->master, sizeof c->master);
    if (c->early) {
        mbedtls_platform_zeroize(c->early, c->early_len);
        free(c->early);
    }
    free(c);
}
