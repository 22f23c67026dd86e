/*
 * Connection ops and the IO glue: wolfSSL reads and writes ciphertext only
 * through the core's ptls_io callbacks (wolfSSL_SSLSetIORecv/Send), never
 * through a socket of its own.
 */
#include "wssl_internal.h"

#include <wolfssl/error-ssl.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int wssl_io_recv(WOLFSSL *ssl, char *buf, int sz, void *ctx)
{
    wssl_conn *c = ctx;
    long n;

    n = c->dtls ? wssl_dtls_recv(c, (unsigned char *)buf, (size_t)sz)
                : c->io.recv(c->io.ctx, (unsigned char *)buf, (size_t)sz);
    /* The core has the whole ClientHello at the latest when its last byte
     * is returned here, before wolfSSL parses it: put this connection's
     * suites in the client's order (see wssl_client_order). */
    if (n > 0 && !c->hello_seen && c->srv->client_order && wssl_host->client_hello != NULL) {
        const ptls_hello_view *h = wssl_host->client_hello(c->io.ctx);
        if (h != NULL) {
            c->hello_seen = 1;
            if (wssl_client_order(ssl, NULL, h) != 0) {
                snprintf(c->last_text, sizeof c->last_text, "applying the client's cipher order failed");
                return WOLFSSL_CBIO_ERR_GENERAL;
            }
        }
    }
    if (n > 0) return (int)n;
    switch (n) {
    case PTLS_WANT_READ:
    case PTLS_WANT_WRITE:
        return WOLFSSL_CBIO_ERR_WANT_READ;
    case PTLS_CLOSED:
        return WOLFSSL_CBIO_ERR_CONN_CLOSE;
    default:
        return WOLFSSL_CBIO_ERR_GENERAL;
    }
}

static int wssl_io_send(WOLFSSL *ssl, char *buf, int sz, void *ctx)
{
    wssl_conn *c = ctx;
    long n;

    (void)ssl;
    n = c->io.send(c->io.ctx, (const unsigned char *)buf, (size_t)sz);
    if (n > 0) {
        if (c->dtls) wssl_dtls_note_send(c, (const unsigned char *)buf, (size_t)n);
        return (int)n;
    }
    switch (n) {
    case PTLS_WANT_READ:
    case PTLS_WANT_WRITE:
        return WOLFSSL_CBIO_ERR_WANT_WRITE;
    case PTLS_CLOSED:
        return WOLFSSL_CBIO_ERR_CONN_CLOSE;
    default:
        return WOLFSSL_CBIO_ERR_GENERAL;
    }
}

#if WSSL_HAS_SECRET_CB
/* TLS 1.3 secrets as SSLKEYLOGFILE lines, with OpenSSL's labels. */
static int wssl_tls13_secret_cb(WOLFSSL *ssl, int id, const unsigned char *secret, int secret_sz, void *ctx)
{
    unsigned char cr[32];
    const char *label;

    (void)ctx;
    switch (id) {
    case CLIENT_EARLY_TRAFFIC_SECRET:
        label = "CLIENT_EARLY_TRAFFIC_SECRET";
        break;
    case CLIENT_HANDSHAKE_TRAFFIC_SECRET:
        label = "CLIENT_HANDSHAKE_TRAFFIC_SECRET";
        break;
    case SERVER_HANDSHAKE_TRAFFIC_SECRET:
        label = "SERVER_HANDSHAKE_TRAFFIC_SECRET";
        break;
    case CLIENT_TRAFFIC_SECRET:
        label = "CLIENT_TRAFFIC_SECRET_0";
        break;
    case SERVER_TRAFFIC_SECRET:
        label = "SERVER_TRAFFIC_SECRET_0";
        break;
    case EARLY_EXPORTER_SECRET:
        label = "EARLY_EXPORTER_SECRET";
        break;
    case EXPORTER_SECRET:
        label = "EXPORTER_SECRET";
        break;
    default:
        return 0;
    }
    if (secret == NULL || secret_sz <= 0 || wolfSSL_get_client_random(ssl, cr, sizeof cr) != sizeof cr)
        return 0;
    wssl_host->keylog(label, cr, secret, (size_t)secret_sz);
    return 0;
}
#endif

void *wssl_conn_new(void *server, const ptls_io *io, char *err, size_t errlen)
{
    wssl_server *srv = server;
    wssl_conn *c = calloc(1, sizeof(*c));

    if (c == NULL) {
        wssl_set_err(err, errlen, "out of memory");
        return NULL;
    }
    c->srv = srv;
    c->io = *io;
    c->ssl = wolfSSL_new(srv->ctx);
    if (c->ssl == NULL) {
        wssl_set_err(err, errlen, "wolfSSL_new failed");
        free(c);
        return NULL;
    }
    if (wssl_apply_conn_lists(c->ssl, srv) != 0) {
        wssl_set_err(err, errlen, "applying -groups/-sigalgs to the connection failed");
        wolfSSL_free(c->ssl);
        free(c);
        return NULL;
    }
    wolfSSL_set_ex_data(c->ssl, wssl_conn_index, c);
    wolfSSL_SSLSetIORecv(c->ssl, wssl_io_recv);
    wolfSSL_SSLSetIOSend(c->ssl, wssl_io_send);
    wolfSSL_SetIOReadCtx(c->ssl, c);
    wolfSSL_SetIOWriteCtx(c->ssl, c);
    /* Keylog, TLS 1.2: wolfSSL frees the randoms and the master secret at
     * the end of the handshake unless asked to keep them. TLS 1.3: the
     * secret callback, where the build has it. */
    if (srv->keylog) {
        wolfSSL_KeepArrays(c->ssl);
#if WSSL_HAS_SECRET_CB
        if (wolfSSL_set_tls13_secret_cb(c->ssl, wssl_tls13_secret_cb, c) != WOLFSSL_SUCCESS) {
            wssl_set_err(err, errlen, "-keylogfile: wolfSSL_set_tls13_secret_cb failed");
            wolfSSL_free(c->ssl);
            free(c);
            return NULL;
        }
#endif
    }
    c->early_done = !srv->early_data;
    if (srv->dtls && wssl_dtls_conn_setup(c, err, errlen) != 0) {
        wolfSSL_free(c->ssl);
        free(c);
        return NULL;
    }
    return c;
}

/* Maps a failed wolfSSL call to a ptls status, remembering the error. */
static int wssl_status(wssl_conn *c, int ret)
{
    int e = wolfSSL_get_error(c->ssl, ret);

    /* OPENSSL_EXTRA builds of 5.9.2 turn MATCH_SUITE_ERROR and
     * SOCKET_PEER_CLOSED_E into WOLFSSL_ERROR_SYSCALL (5.5.4 returned
     * them as they are): the library's code is the last one queued. */
    if (e == WOLFSSL_ERROR_SYSCALL) {
        unsigned long q = wolfSSL_ERR_peek_last_error();
        if (q != 0) e = -(int)(q & 0xffff);
    }

    switch (e) {
    case WOLFSSL_ERROR_WANT_READ:
        return PTLS_WANT_READ;
    case WOLFSSL_ERROR_WANT_WRITE:
        return PTLS_WANT_WRITE;
    case WOLFSSL_ERROR_ZERO_RETURN: /* close_notify received */
    case SOCKET_PEER_CLOSED_E:      /* EOF from the transport */
        return PTLS_CLOSED;
    default:
        c->last_err = e != 0 ? e : ret;
        return PTLS_ERROR;
    }
}

/* NSS key log for TLS 1.2: CLIENT_RANDOM <client random> <master secret>.
 * This build has no secret callback, so the values are read back after the
 * handshake from the arrays kept by wolfSSL_KeepArrays. */
static void wssl_emit_keylog(wssl_conn *c)
{
    unsigned char *ms = NULL, *sr = NULL, *cr = NULL;
    unsigned int mslen = 0, srlen = 0, crlen = 0;

    if (wssl_pre_tls13(c->ssl) &&
        wolfSSL_get_keys(c->ssl, &ms, &mslen, &sr, &srlen, &cr, &crlen) == WOLFSSL_SUCCESS && cr != NULL &&
        crlen == 32 && ms != NULL && mslen > 0)
        wssl_host->keylog("CLIENT_RANDOM", cr, ms, mslen);
    wolfSSL_FreeArrays(c->ssl);
}

#if WSSL_HAS_EARLY_DATA
/* -early_data: wolfSSL's server reads early data with
 * wolfSSL_read_early_data, which also drives the handshake up to the
 * client's Finished. What it gives is kept and handed out by read() once
 * the handshake is done, so the core sees one stream (as OpenSSL's
 * SSL_read_early_data is used in the OpenSSL backend). Returns PTLS_OK when
 * the early phase is over: wolfSSL_accept finishes the rest. */
static int wssl_read_early(wssl_conn *c)
{
    for (;;) {
        int n = 0, ret;

        /* -max_early_data is enforced by the library */
        unsigned char *nb = realloc(c->early, c->early_len + 16384);
        if (nb == NULL) {
            snprintf(c->last_text, sizeof c->last_text, "out of memory reading early data");
            return PTLS_ERROR;
        }
        c->early = nb;
        ret = wolfSSL_read_early_data(c->ssl, c->early + c->early_len, 16384, &n);
        if (n > 0) c->early_len += (size_t)n;
        if (ret > 0) continue;
        if (ret == 0 || ret == BAD_FUNC_ARG) {
            /* 0: no more early data (the client's Finished came, or the
             * handshake is not one with early data); BAD_FUNC_ARG: the
             * client negotiated TLS 1.2. */
            c->early_done = 1;
            return PTLS_OK;
        }
        int e = wolfSSL_get_error(c->ssl, ret);
        if ((e == WOLFSSL_ERROR_WANT_READ || e == WOLFSSL_ERROR_WANT_WRITE) &&
            wolfSSL_is_init_finished(c->ssl)) {
            /* The handshake completed and wolfSSL went on waiting for
             * application data: that belongs to read(). */
            c->early_done = 1;
            return PTLS_OK;
        }
        return wssl_status(c, ret);
    }
}
#endif

int wssl_handshake(void *conn)
{
    wssl_conn *c = conn;
    int ret;

    if (c->accept_failed) return PTLS_ERROR; /* DTLS: the verified ClientHello was refused */
#if WSSL_HAS_EARLY_DATA
    if (!c->early_done) {
        int st = wssl_read_early(c);
        if (st != PTLS_OK) return st == PTLS_CLOSED ? PTLS_ERROR : st;
    }
#endif
    if (c->dtls) wssl_dtls_handshake_begin(c);
    ret = wolfSSL_accept(c->ssl);
    if (c->dtls) wssl_dtls_handshake_end(c, ret == WOLFSSL_SUCCESS);
    if (ret != WOLFSSL_SUCCESS) {
        int st = wssl_status(c, ret);
        return st == PTLS_CLOSED ? PTLS_ERROR : st;
    }
    if (c->alpn_refused) return PTLS_ERROR;
    if (!c->handshake_done) {
        c->handshake_done = 1;
        if (c->srv->keylog) wssl_emit_keylog(c);
    }
    return PTLS_OK;
}

long wssl_read(void *conn, unsigned char *buf, size_t len)
{
    wssl_conn *c = conn;
    int ret;

    if (c->early_off < c->early_len) {
        size_t n = c->early_len - c->early_off;

        if (n > len) n = len;
        memcpy(buf, c->early + c->early_off, n);
        c->early_off += n;
        return (long)n;
    }
    ret = wolfSSL_read(c->ssl, buf, len > INT_MAX ? INT_MAX : (int)len);
#if WSSL_HAS_RENEGOTIATION
    /* Our renegotiation is over: refuse the client's own again. */
    if (c->server_reneg && !wolfSSL_SSL_renegotiate_pending(c->ssl)) {
        c->server_reneg = 0;
        if (c->srv->no_client_reneg) wolfSSL_set_options(c->ssl, WOLFSSL_OP_NO_RENEGOTIATION);
    }
#endif
    if (ret > 0) return ret;
    return wssl_status(c, ret);
}

long wssl_write(void *conn, const unsigned char *buf, size_t len)
{
    wssl_conn *c = conn;
    int ret;

    /* DTLS: wolfSSL sends one write as one record in one datagram and
     * refuses more (DTLS_SIZE_ERROR): write at most that much, the core
     * passes the rest again. */
    if (c->dtls) {
        int max = wolfSSL_GetMaxOutputSize(c->ssl);

        if (max > 0 && len > (size_t)max) len = (size_t)max;
    }
    ret = wolfSSL_write(c->ssl, buf, len > INT_MAX ? INT_MAX : (int)len);

    if (ret > 0) return ret;
    return wssl_status(c, ret);
}

int wssl_shutdown(void *conn)
{
    wssl_conn *c = conn;
    int ret = wolfSSL_shutdown(c->ssl);

    /* SHUTDOWN_NOT_DONE: our close_notify is out, the peer's is not in;
     * that is all the core asks for. */
    if (ret == WOLFSSL_SUCCESS || ret == WOLFSSL_SHUTDOWN_NOT_DONE) return PTLS_OK;
    ret = wssl_status(c, ret);
    return ret == PTLS_CLOSED ? PTLS_OK : ret;
}

size_t wssl_pending(void *conn)
{
    wssl_conn *c = conn;
    int n = wolfSSL_pending(c->ssl);

    return (n > 0 ? (size_t)n : 0) + (c->early_len - c->early_off);
}

void wssl_conn_free(void *conn)
{
    wssl_conn *c = conn;

    if (c == NULL) return;
    wolfSSL_free(c->ssl);
    free(c->rx);
    free(c->flight);
    free(c->early);
    free(c);
}

int wssl_key_update(void *conn, int request_peer_update)
{
    wssl_conn *c = conn;
    int ret;

    /* WSSL_BUG_KEY_UPDATE_ALWAYS_REQUESTS: no way to choose the request
     * flag, the KeyUpdate says update_requested unless one of our own
     * requests is still unanswered. 'K' is therefore exact; 'k' also makes
     * the peer update. */
    if (!request_peer_update && WSSL_BUG_KEY_UPDATE_ALWAYS_REQUESTS)
        wssl_host->log(WSSL_LIB " cannot send update_not_requested: the peer is asked to update too\n");
    ret = wolfSSL_update_keys(c->ssl);
    if (ret == WOLFSSL_SUCCESS || ret == WOLFSSL_ERROR_WANT_WRITE) return PTLS_OK;
    c->last_err = ret;
    return PTLS_ERROR;
}

/* TLS 1.3 post-handshake authentication. The client must have offered
 * post_handshake_auth; the certificate is then verified per -verify/-Verify
 * when it arrives during read(). */
int wssl_request_client_cert(void *conn)
{
    wssl_conn *c = conn;
    int ret;

    if (c->srv->verify_mode == PTLS_VERIFY_NONE) wolfSSL_set_verify(c->ssl, WOLFSSL_VERIFY_PEER, NULL);
    ret = wolfSSL_request_certificate(c->ssl);
    if (ret == WOLFSSL_SUCCESS || ret == WOLFSSL_ERROR_WANT_WRITE) return PTLS_OK;
    c->last_err = ret;
    return PTLS_ERROR;
}

#if WSSL_HAS_RENEGOTIATION
/* Server-initiated renegotiation (r, R, GET /reneg): a HelloRequest, then
 * read() drives the client's new handshake (wolfSSL_read does). The
 * client's own renegotiations are refused with WOLFSSL_OP_NO_RENEGOTIATION
 * unless -client_renegotiation; wolfSSL applies that to every new
 * ClientHello, so it is lifted while ours runs. */
int wssl_renegotiate(void *conn, int request_cert)
{
    wssl_conn *c = conn;
    int ret, e;

    if (!wssl_pre_tls13(c->ssl)) {
        snprintf(c->last_text, sizeof c->last_text,
                 "renegotiation does not exist in TLS 1.3 (use key update)");
        return PTLS_ERROR;
    }
    if (c->srv->no_renegotiation) {
        snprintf(c->last_text, sizeof c->last_text, "renegotiation is disabled (-no_renegotiation)");
        return PTLS_ERROR;
    }
    if (!wolfSSL_SSL_get_secure_renegotiation_support(c->ssl)) {
        snprintf(c->last_text, sizeof c->last_text,
                 "the client does not support RFC 5746 secure renegotiation, which " WSSL_LIB " requires");
        return PTLS_ERROR;
    }
    if (request_cert) {
        int mode = WOLFSSL_VERIFY_PEER;
        if (c->srv->verify_mode == PTLS_VERIFY_REQUIRE) mode |= WOLFSSL_VERIFY_FAIL_IF_NO_PEER_CERT;
        wolfSSL_set_verify(c->ssl, mode, NULL);
    }
    c->last_err = 0;
    c->last_text[0] = '\0';
    wolfSSL_clear_options(c->ssl, WOLFSSL_OP_NO_RENEGOTIATION);
    c->server_reneg = 1;
    ret = wolfSSL_Rehandshake(c->ssl);
    if (ret == WOLFSSL_SUCCESS) return PTLS_OK;
    e = wolfSSL_get_error(c->ssl, ret);
    if (e == WOLFSSL_ERROR_WANT_READ || e == WOLFSSL_ERROR_WANT_WRITE) return PTLS_OK;
    c->server_reneg = 0;
    if (c->srv->no_client_reneg) wolfSSL_set_options(c->ssl, WOLFSSL_OP_NO_RENEGOTIATION);
    c->last_err = e != 0 ? e : ret;
    return PTLS_ERROR;
}

int wssl_renegotiation_pending(void *conn)
{
    wssl_conn *c = conn;
    return c->server_reneg && wolfSSL_SSL_renegotiate_pending(c->ssl);
}
#endif

int wssl_export_keying_material(void *conn, const char *label, unsigned char *out, size_t len)
{
    wssl_conn *c = conn;
    int ret = wolfSSL_export_keying_material(c->ssl, out, len, label, strlen(label), NULL, 0, 0);

    if (ret == WOLFSSL_SUCCESS) return PTLS_OK;
    c->last_err = ret;
    return PTLS_ERROR;
}
