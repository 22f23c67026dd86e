/*
 * DTLS (issue #9): the datagram BIO over ptls_io, stateless cookies
 * (DTLSv1_listen with HMAC-SHA256 cookies keyed by a server-wide secret) and
 * the retransmission timer.
 *
 * The core owns one UDP socket and demultiplexes by peer address, so the
 * BIO never touches a socket: each BIO read is one datagram the core queued
 * for this peer, each BIO write one datagram. The BIO answers the
 * BIO_CTRL_DGRAM_* requests libssl makes of BIO_s_datagram (MTU, overhead,
 * peer address) from what the connection knows.
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <netinet/in.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "ossl_private.h"

/* Without -mtu: the datagram size of an Ethernet path (1500-byte link MTU),
 * the same fallback BIO_s_datagram uses when the kernel knows no MTU. */
#define OSSL_DEFAULT_LINK_MTU 1500

/* ---- datagram BIO over ptls_io ----------------------------------------- */

static BIO_METHOD *ossl_dgram_meth;

static int ossl_dgram_write(BIO *b, const char *data, int len)
{
    ossl_conn *c = BIO_get_data(b);
    BIO_clear_retry_flags(b);
    long n = c->io.send(c->io.ctx, (const unsigned char *)data, (size_t)len);
    if (n > 0) {
        c->dgrams_sent++;
        return (int)n;
    }
    if (n == PTLS_WANT_WRITE) BIO_set_retry_write(b);
    return -1;
}

/* IP + UDP header bytes, as BIO_s_datagram reports them: libssl subtracts
 * this from a link MTU (DTLS_set_link_mtu, -mtu) to get the datagram size. */
static long ossl_dgram_overhead(const ossl_conn *c)
{
    if (c->peer.ss_family == AF_INET6) {
        const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&c->peer;
        return IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr) ? 28 : 48;
    }
    return 28;
}

static long ossl_dgram_get_peer(const ossl_conn *c, BIO_ADDR *addr)
{
    if (addr == NULL) return 0;
    if (c->peer.ss_family == AF_INET && c->peer_len >= sizeof(struct sockaddr_in)) {
        const struct sockaddr_in *s4 = (const struct sockaddr_in *)&c->peer;
        if (BIO_ADDR_rawmake(addr, AF_INET, &s4->sin_addr, sizeof(s4->sin_addr), s4->sin_port))
            return (long)sizeof(*s4);
    } else if (c->peer.ss_family == AF_INET6 && c->peer_len >= sizeof(struct sockaddr_in6)) {
        const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&c->peer;
        if (BIO_ADDR_rawmake(addr, AF_INET6, &s6->sin6_addr, sizeof(s6->sin6_addr), s6->sin6_port))
            return (long)sizeof(*s6);
    }
    return 0;
}

static long ossl_dgram_ctrl(BIO *b, int cmd, long num, void *ptr)
{
    ossl_conn *c = BIO_get_data(b);
    if (c == NULL) return 0;
    switch (cmd) {
    case BIO_CTRL_FLUSH:
        return 1; /* every write is already a datagram on its way */
    case BIO_CTRL_EOF:
        return c->peer_eof;
    case BIO_CTRL_PENDING:
    case BIO_CTRL_WPENDING:
        return 0;
    case BIO_CTRL_DGRAM_QUERY_MTU:
    case BIO_CTRL_DGRAM_GET_FALLBACK_MTU:
        return OSSL_DEFAULT_LINK_MTU - ossl_dgram_overhead(c);
    case BIO_CTRL_DGRAM_GET_MTU:
        return c->bio_mtu;
    case BIO_CTRL_DGRAM_SET_MTU:
        c->bio_mtu = num;
        return num;
    case BIO_CTRL_DGRAM_GET_MTU_OVERHEAD:
        return ossl_dgram_overhead(c);
    case BIO_CTRL_DGRAM_MTU_EXCEEDED:
        return 0; /* the core reports no EMSGSIZE */
    case BIO_CTRL_DGRAM_GET_PEER:
        return ossl_dgram_get_peer(c, ptr);
    case BIO_CTRL_DGRAM_SET_PEER:
    case BIO_CTRL_DGRAM_CONNECT:
    case BIO_CTRL_DGRAM_SET_CONNECTED:
        /* The peer is fixed: the one dtls_accept was given. */
        return 1;
    case BIO_CTRL_DGRAM_SET_NEXT_TIMEOUT:
        /* The core asks dtls_next_timeout_ms instead of a socket timeout. */
        return 1;
    case BIO_CTRL_DGRAM_GET_RECV_TIMER_EXP:
    case BIO_CTRL_DGRAM_GET_SEND_TIMER_EXP:
        return 0;
    default:
        return 0;
    }
}

int ossl_dgram_method_init(void)
{
    ossl_dgram_meth = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "polytls ptls_io datagram");
    if (ossl_dgram_meth == NULL || !BIO_meth_set_write(ossl_dgram_meth, ossl_dgram_write) ||
        !BIO_meth_set_read(ossl_dgram_meth, ossl_bio_read) ||
        !BIO_meth_set_ctrl(ossl_dgram_meth, ossl_dgram_ctrl))
        return -1;
    return 0;
}

void ossl_dgram_method_free(void)
{
    BIO_meth_free(ossl_dgram_meth);
    ossl_dgram_meth = NULL;
}

BIO_METHOD *ossl_dgram_method(void)
{
    return ossl_dgram_meth;
}

/* ---- cookies ------------------------------------------------------------ */

/* HMAC-SHA256(server secret, family | port | address [| scope]): only the
 * parts of the sockaddr that identify the peer, never padding. */
static int ossl_cookie_mac(const ossl_conn *c, unsigned char *out, unsigned int *out_len)
{
    unsigned char msg[2 + 2 + 16 + 4];
    size_t n = 0;
    msg[n++] = (unsigned char)(c->peer.ss_family >> 8);
    msg[n++] = (unsigned char)c->peer.ss_family;
    if (c->peer.ss_family == AF_INET && c->peer_len >= sizeof(struct sockaddr_in)) {
        const struct sockaddr_in *s4 = (const struct sockaddr_in *)&c->peer;
        memcpy(msg + n, &s4->sin_port, 2);
        n += 2;
        memcpy(msg + n, &s4->sin_addr, 4);
        n += 4;
    } else if (c->peer.ss_family == AF_INET6 && c->peer_len >= sizeof(struct sockaddr_in6)) {
        const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&c->peer;
        memcpy(msg + n, &s6->sin6_port, 2);
        n += 2;
        memcpy(msg + n, &s6->sin6_addr, 16);
        n += 16;
        memcpy(msg + n, &s6->sin6_scope_id, 4);
        n += 4;
    } else {
        return 0; /* no peer address: no cookie can be bound to it */
    }
    return HMAC(EVP_sha256(), c->srv->cookie_secret, (int)sizeof(c->srv->cookie_secret), msg, n, out,
                out_len) != NULL;
}

static int ossl_cookie_generate_cb(SSL *ssl, unsigned char *cookie, unsigned int *cookie_len)
{
    ossl_conn *c = ossl_conn_of(ssl);
    /* cookie has room for DTLS1_COOKIE_LENGTH (255) bytes; ours are 32. */
    return c != NULL && ossl_cookie_mac(c, cookie, cookie_len);
}

static int ossl_cookie_verify_cb(SSL *ssl, const unsigned char *cookie, unsigned int cookie_len)
{
    ossl_conn *c = ossl_conn_of(ssl);
    unsigned char want[EVP_MAX_MD_SIZE];
    unsigned int want_len = 0;
    if (c == NULL || !ossl_cookie_mac(c, want, &want_len)) return 0;
    return cookie_len == want_len && CRYPTO_memcmp(cookie, want, want_len) == 0;
}

void ossl_install_dtls_callbacks(SSL_CTX *ctx)
{
    SSL_CTX_set_cookie_generate_cb(ctx, ossl_cookie_generate_cb);
    SSL_CTX_set_cookie_verify_cb(ctx, ossl_cookie_verify_cb);
}

/* ---- ops ---------------------------------------------------------------- */

void *ossl_dtls_accept(void *server, const ptls_io *io, const void *peer, size_t peer_len, char *err,
                       size_t errlen)
{
    ossl_server *srv = server;
    if (errlen > 0) err[0] = '\0';
    if (!srv->dtls) {
        snprintf(err, errlen, "the server was not configured for DTLS");
        return NULL;
    }
    if (peer == NULL || peer_len == 0 || peer_len > sizeof(struct sockaddr_storage)) {
        snprintf(err, errlen, "no usable peer address for the DTLS cookie");
        return NULL;
    }
    ossl_conn *c = ossl_conn_create(srv, io, peer, peer_len, err, errlen);
    if (c == NULL) return NULL;

    /* DTLSv1_listen reads the one queued datagram: a ClientHello without a
     * valid cookie is answered with a HelloVerifyRequest (through the BIO,
     * counted in dgrams_sent) and, the next read wanting more, it returns 0;
     * with a valid cookie it returns 1 and keeps the ClientHello for the
     * handshake. Nothing but this SSL holds state, and it is freed unless the
     * cookie was good. */
    BIO_ADDR *client = BIO_ADDR_new();
    int r = client != NULL ? DTLSv1_listen(c->ssl, client) : -1;
    BIO_ADDR_free(client);
    if (r == 1) {
        if (ossl_conn_apply_mtu(c, err, errlen) != 0) {
            ossl_conn_free(c);
            return NULL;
        }
        return c;
    }
    if (r == 0 && c->dgrams_sent > 0) {
        ERR_clear_error(); /* e.g. the refused cookie of an old ClientHello */
        ossl_conn_free(c);
        return NULL; /* HelloVerifyRequest sent, no state kept */
    }
    if (ERR_peek_error() != 0)
        ossl_collect_errors(err, errlen, "DTLS datagram from a new peer dropped");
    else if (r == 0)
        snprintf(err, errlen,
                 "DTLS datagram from a new peer dropped: not a ClientHello, or the "
                 "HelloVerifyRequest could not be sent");
    else
        snprintf(err, errlen, "DTLSv1_listen failed");
    ossl_conn_free(c);
    return NULL;
}

long ossl_dtls_next_timeout_ms(void *conn)
{
    ossl_conn *c = conn;
    struct timeval tv;
    if (c == NULL || !c->dtls || DTLSv1_get_timeout(c->ssl, &tv) != 1) return -1;
    /* Rounded up: the core must not come back before the timer expired. */
    return (long)tv.tv_sec * 1000 + ((long)tv.tv_usec + 999) / 1000;
}

int ossl_dtls_timeout(void *conn)
{
    ossl_conn *c = conn;
    if (c == NULL || !c->dtls) return PTLS_OK;
    ERR_clear_error();
    int r = (int)DTLSv1_handle_timeout(c->ssl);
    if (r >= 0) return PTLS_OK;
    /* A retransmission the socket could not take now is sent again at the
     * next expiry; only the library giving up (too many timeouts) or a
     * transport error ends the connection. */
    int e = SSL_get_error(c->ssl, r);
    if (e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ) return PTLS_OK;
    c->err_code = ERR_peek_error();
    ossl_collect_errors(c->err, sizeof(c->err), "DTLS retransmission");
    return PTLS_ERROR;
}
