/*
 * Connections: the ops the core's event loop drives, and a custom BIO that
 * moves ciphertext through the core's non-blocking ptls_io callbacks (the
 * core owns the socket; OpenSSL never touches it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>

#include "ossl_private.h"

/* ---- BIO over ptls_io -------------------------------------------------- */

static BIO_METHOD *ossl_bio_meth;

static int ossl_bio_write(BIO *b, const char *data, int len)
{
    ossl_conn *c = BIO_get_data(b);
    BIO_clear_retry_flags(b);
    long n = c->io.send(c->io.ctx, (const unsigned char *)data, (size_t)len);
    if (n > 0) return (int)n;
    if (n == PTLS_WANT_WRITE) BIO_set_retry_write(b);
    return -1;
}

/* Also the DTLS datagram BIO's read (ossl_dtls.c): one datagram per call. */
int ossl_bio_read(BIO *b, char *data, int len)
{
    ossl_conn *c = BIO_get_data(b);
    BIO_clear_retry_flags(b);
    long n = c->io.recv(c->io.ctx, (unsigned char *)data, (size_t)len);
    if (n > 0) return (int)n;
    if (n == PTLS_WANT_READ) {
        BIO_set_retry_read(b);
        return -1;
    }
    if (n == PTLS_CLOSED) {
        c->peer_eof = 1;
        return 0; /* EOF for OpenSSL */
    }
    return -1;
}

static long ossl_bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
    (void)num;
    (void)ptr;
    ossl_conn *c = BIO_get_data(b);
    switch (cmd) {
    case BIO_CTRL_FLUSH:
        return 1; /* the core sends at once; nothing buffered here */
    case BIO_CTRL_EOF:
        return c != NULL && c->peer_eof;
    default:
        return 0;
    }
}

int ossl_bio_method_init(void)
{
    ossl_bio_meth = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "polytls ptls_io");
    if (ossl_bio_meth == NULL || !BIO_meth_set_write(ossl_bio_meth, ossl_bio_write) ||
        !BIO_meth_set_read(ossl_bio_meth, ossl_bio_read) || !BIO_meth_set_ctrl(ossl_bio_meth, ossl_bio_ctrl))
        return -1;
    return 0;
}

void ossl_bio_method_free(void)
{
    BIO_meth_free(ossl_bio_meth);
    ossl_bio_meth = NULL;
}

/* ---- status mapping ---------------------------------------------------- */

/* Maps an OpenSSL failure to a ptls status, keeping OpenSSL's error text in
 * the connection (the ERR queue is per thread and gone by the next op). */
static long ossl_status(ossl_conn *c, int ret, const char *op)
{
    int e = SSL_get_error(c->ssl, ret);
    switch (e) {
    case SSL_ERROR_WANT_READ:
        return PTLS_WANT_READ;
    case SSL_ERROR_WANT_WRITE:
        return PTLS_WANT_WRITE;
    case SSL_ERROR_ZERO_RETURN:
        return PTLS_CLOSED;
    default:
        break;
    }
    char prefix[128];
    c->err_code = ERR_peek_error();
    if (c->peer_eof && ERR_peek_error() == 0)
        snprintf(prefix, sizeof(prefix), "%s: peer closed the connection", op);
    else
        snprintf(prefix, sizeof(prefix), "%s", op);
    ossl_collect_errors(c->err, sizeof(c->err), prefix);
    long verify = SSL_get_verify_result(c->ssl);
    if (verify != X509_V_OK && strstr(c->err, "certificate verify failed") != NULL) {
        size_t used = strlen(c->err);
        snprintf(c->err + used, sizeof(c->err) - used, " (%s)", X509_verify_cert_error_string(verify));
    }
    return PTLS_ERROR;
}

static ossl_conn *ossl_begin(void *conn)
{
    ERR_clear_error();
    return conn;
}

/* ---- ops --------------------------------------------------------------- */

ossl_conn *ossl_conn_create(ossl_server *srv, const ptls_io *io, const void *peer, size_t peer_len, char *err,
                            size_t errlen)
{
    ERR_clear_error();
    ossl_conn *c = calloc(1, sizeof(*c));
    if (c == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    c->srv = srv;
    c->io = *io;
    c->dtls = srv->dtls;
    if (peer != NULL && peer_len <= sizeof(c->peer)) {
        memcpy(&c->peer, peer, peer_len);
        c->peer_len = peer_len;
    }
    c->early_done = !srv->early_data;
    c->ssl = SSL_new(srv->ctx);
    BIO *bio = BIO_new(c->dtls ? ossl_dgram_method() : ossl_bio_meth);
    if (c->ssl == NULL || bio == NULL || !SSL_set_ex_data(c->ssl, ossl_ssl_index(), c)) {
        ossl_collect_errors(err, errlen, "cannot create the connection");
        BIO_free(bio);
        SSL_free(c->ssl);
        free(c);
        return NULL;
    }
    BIO_set_data(bio, c);
    BIO_set_init(bio, 1);
    SSL_set_bio(c->ssl, bio, bio); /* the SSL owns the one reference */
    SSL_set_accept_state(c->ssl);
    if (srv->trace) {
        SSL_set_msg_callback(c->ssl, SSL_trace);
        SSL_set_msg_callback_arg(c->ssl, srv->trace_out);
    }
    return c;
}

/* -mtu: OpenSSL stops asking the BIO (SSL_OP_NO_QUERY_MTU) and fits every
 * datagram into the link MTU minus the IP/UDP overhead the BIO reports, as
 * s_server -mtu does. Without it the BIO answers the MTU query. */
int ossl_conn_apply_mtu(ossl_conn *c, char *err, size_t errlen)
{
    if (!c->dtls || c->srv->dtls_mtu <= 0) return 0;
    SSL_set_options(c->ssl, SSL_OP_NO_QUERY_MTU);
    if (!DTLS_set_link_mtu(c->ssl, c->srv->dtls_mtu)) {
        snprintf(err, errlen, "OpenSSL rejected -mtu %d (the minimum is 256)", c->srv->dtls_mtu);
        return -1;
    }
    return 0;
}

void *ossl_conn_new(void *server, const ptls_io *io, char *err, size_t errlen)
{
    ossl_conn *c = ossl_conn_create(server, io, NULL, 0, err, errlen);
    if (c != NULL && ossl_conn_apply_mtu(c, err, errlen) != 0) {
        ossl_conn_free(c);
        return NULL;
    }
    return c;
}

/* Early data arrives before the handshake completes; OpenSSL's server API
 * makes us read it with SSL_read_early_data first. It is kept and handed
 * out by read() once the handshake is done, so the core sees one stream. */
static int ossl_read_early(ossl_conn *c)
{
    for (;;) {
        size_t cap = c->early_len + 16384;
        unsigned char *nb = realloc(c->early, cap);
        if (nb == NULL) {
            snprintf(c->err, sizeof(c->err), "out of memory reading early data");
            return PTLS_ERROR;
        }
        c->early = nb;
        size_t n = 0;
        int r = SSL_read_early_data(c->ssl, c->early + c->early_len, cap - c->early_len, &n);
        c->early_len += n;
        if (r == SSL_READ_EARLY_DATA_FINISH) {
            c->early_done = 1;
            return PTLS_OK;
        }
        if (r == SSL_READ_EARLY_DATA_ERROR) return (int)ossl_status(c, 0, "handshake (early data)");
    }
}

int ossl_handshake(void *conn)
{
    ossl_conn *c = ossl_begin(conn);
    if (!c->early_done) {
        int r = ossl_read_early(c);
        if (r != PTLS_OK) return r;
    }
    int r = SSL_do_handshake(c->ssl);
    if (r == 1) return PTLS_OK;
    return (int)ossl_status(c, r, "handshake");
}

long ossl_read(void *conn, unsigned char *buf, size_t len)
{
    ossl_conn *c = ossl_begin(conn);
    if (c->early_off < c->early_len) {
        size_t n = c->early_len - c->early_off;
        if (n > len) n = len;
        memcpy(buf, c->early + c->early_off, n);
        c->early_off += n;
        return (long)n;
    }
    size_t n = 0;
    int r = SSL_read_ex(c->ssl, buf, len, &n);
    if (r == 1) return (long)n;
    long st = ossl_status(c, r, "read");
    /* A peer that just closes the socket (HTTP/1.0 clients do) ends the
     * stream; the core treats EOF like close_notify. */
    if (st == PTLS_ERROR && c->peer_eof) return PTLS_CLOSED;
    return st;
}

long ossl_write(void *conn, const unsigned char *buf, size_t len)
{
    ossl_conn *c = ossl_begin(conn);
    if (len == 0) return 0;
    if (c->dtls) {
        /* A DTLS record is never split across datagrams and OpenSSL fails a
         * write longer than one record: at most what fits one datagram
         * (DTLS_get_data_mtu, from the MTU in effect and the cipher's
         * overhead), and never more than the maximum fragment. The core
         * sends the rest in the next call. */
        size_t cap = c->srv->max_send_frag > 0 ? (size_t)c->srv->max_send_frag : SSL3_RT_MAX_PLAIN_LENGTH;
        size_t data_mtu = DTLS_get_data_mtu(c->ssl);
        if (data_mtu > 0 && data_mtu < cap) cap = data_mtu;
        if (len > cap) len = cap;
    }
    size_t n = 0;
    int r = SSL_write_ex(c->ssl, buf, len, &n);
    if (r == 1) return (long)n;
    return ossl_status(c, r, "write");
}

int ossl_shutdown(void *conn)
{
    ossl_conn *c = ossl_begin(conn);
    /* OpenSSL refuses close_notify in the middle of a handshake; there is
     * nothing orderly to send then. */
    if (SSL_in_init(c->ssl)) return PTLS_OK;
    int r = SSL_shutdown(c->ssl);
    if (r >= 0) return PTLS_OK;
    return (int)ossl_status(c, r, "shutdown");
}

size_t ossl_pending(void *conn)
{
    ossl_conn *c = conn;
    return (size_t)SSL_pending(c->ssl) + (c->early_len - c->early_off);
}

void ossl_conn_free(void *conn)
{
    ossl_conn *c = conn;
    if (c == NULL) return;
    SSL_free(c->ssl);
    free(c->early);
    free(c);
}

/* Starts the exchange and lets read() finish it; WANT_* here only means the
 * messages are on their way. */
static int ossl_kick(ossl_conn *c, const char *op)
{
    int r = SSL_do_handshake(c->ssl);
    if (r == 1) return PTLS_OK;
    long st = ossl_status(c, r, op);
    return st == PTLS_WANT_READ || st == PTLS_WANT_WRITE ? PTLS_OK : PTLS_ERROR;
}

static int ossl_peer_verify_mode(const ossl_conn *c)
{
    int mode = SSL_VERIFY_PEER;
    if (c->srv->verify_mode == PTLS_VERIFY_REQUIRE) mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
    return mode;
}

int ossl_renegotiate(void *conn, int request_cert)
{
    ossl_conn *c = ossl_begin(conn);
    if (!SSL_is_dtls(c->ssl) && SSL_version(c->ssl) >= TLS1_3_VERSION) {
        snprintf(c->err, sizeof(c->err), "renegotiation does not exist in TLS 1.3 (use key update)");
        return PTLS_ERROR;
    }
    /* No SSL_VERIFY_CLIENT_ONCE: that would suppress the request when the
     * first handshake already asked. */
    if (request_cert) {
        SSL_set_verify(c->ssl, ossl_peer_verify_mode(c), NULL);
        /* A resumed (abbreviated) handshake has no CertificateRequest, and
         * OpenSSL resumes on renegotiation by default: R would then never
         * get the certificate it asks for. */
        SSL_set_options(c->ssl, SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION);
    }
    if (!SSL_renegotiate(c->ssl)) {
        ossl_collect_errors(c->err, sizeof(c->err), "renegotiate");
        return PTLS_ERROR;
    }
    return ossl_kick(c, "renegotiate");
}

int ossl_renegotiation_pending(void *conn)
{
    ossl_conn *c = conn;
    /* Set by SSL_renegotiate, cleared when the new handshake finishes. */
    return SSL_renegotiate_pending(c->ssl);
}

static int ossl_refuse_dtls(ossl_conn *c, const char *what)
{
    if (!c->dtls) return 0;
    snprintf(c->err, sizeof(c->err), "%s needs TLS 1.3; %s has no DTLS 1.3", what, ossl_lib_name());
    return 1;
}

int ossl_key_update(void *conn, int request_peer_update)
{
    ossl_conn *c = ossl_begin(conn);
    if (ossl_refuse_dtls(c, "key update")) return PTLS_ERROR;
    if (!SSL_key_update(c->ssl,
                        request_peer_update ? SSL_KEY_UPDATE_REQUESTED : SSL_KEY_UPDATE_NOT_REQUESTED)) {
        ossl_collect_errors(c->err, sizeof(c->err), "key update");
        return PTLS_ERROR;
    }
    return ossl_kick(c, "key update");
}

int ossl_request_client_cert(void *conn)
{
    ossl_conn *c = ossl_begin(conn);
    if (ossl_refuse_dtls(c, "post-handshake certificate request")) return PTLS_ERROR;
    SSL_set_verify(c->ssl, ossl_peer_verify_mode(c) | SSL_VERIFY_POST_HANDSHAKE, NULL);
    if (!SSL_verify_client_post_handshake(c->ssl)) {
        ossl_collect_errors(c->err, sizeof(c->err), "post-handshake certificate request");
        return PTLS_ERROR;
    }
    return ossl_kick(c, "post-handshake certificate request");
}

int ossl_export_keying_material(void *conn, const char *label, unsigned char *out, size_t len)
{
    ossl_conn *c = ossl_begin(conn);
    if (SSL_export_keying_material(c->ssl, out, len, label, strlen(label), NULL, 0, 0) != 1) {
        ossl_collect_errors(c->err, sizeof(c->err), "export keying material");
        return PTLS_ERROR;
    }
    return PTLS_OK;
}
