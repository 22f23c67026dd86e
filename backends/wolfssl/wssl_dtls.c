/*
 * DTLS (issue #9). What the build has comes from wssl_features.h: DTLS 1.0
 * and 1.2 with WOLFSSL_DTLS, DTLS 1.3 (-dtls1_3) with WOLFSSL_DTLS13,
 * -mtu with WOLFSSL_DTLS_MTU. Debian's wolfSSL 5.5.4 has only the first.
 *
 * Cookies. wolfSSL's server answers a ClientHello without a valid cookie
 * statelessly: DTLS 1.0/1.2 with a HelloVerifyRequest whose cookie is
 * HMAC-SHA256(cookie secret, peer address set by wolfSSL_dtls_set_peer,
 * version, random, session id, suites, compression), DTLS 1.3 with a
 * HelloRetryRequest carrying a cookie made with the HRR cookie secret
 * (wolfSSL_send_hrr_cookie). Both secrets are per WOLFSSL object (random by
 * default), so the backend sets one server-wide secret, made in server_new,
 * on every object: a fresh object then verifies a cookie that an earlier,
 * freed one issued. dtls_accept() builds one object per datagram, lets
 * wolfSSL_accept() look at it and keeps the object only when wolfSSL went on
 * with a verified ClientHello.
 *
 * Timers. With non-blocking IO wolfSSL does not measure time: it keeps the
 * current retransmission timeout in seconds (wolfSSL_dtls_get_current_timeout,
 * 1 s doubling to 64 s) and retransmits its last flight when told that the
 * timer fired (wolfSSL_dtls_got_timeout), which also doubles the timeout and
 * fails once the maximum is passed. The deadline is therefore measured here,
 * from the last datagram sent. The timer only runs while the handshake waits
 * for the peer's next flight: after the handshake a retransmitted client
 * flight is answered by wolfSSL itself when it is read.
 *
 * MTU. Without WOLFSSL_DTLS_MTU (wolfSSL_dtls_set_mtu is not even exported)
 * wolfSSL fragments handshake messages and sizes records for a fixed MTU
 * built into the library (datagrams of at most 1400 bytes); -mtu is refused
 * below the link MTU that needs (wssl_dtls_check_config). With it, -mtu
 * minus the IP and UDP headers is the datagram size given to the library.
 * Either way it reads about one MTU per call, so bigger datagrams from the
 * peer are served to it in pieces (wssl_dtls_recv).
 */
#include "wssl_internal.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/* The largest datagram this wolfSSL build sends (measured with a 4096-bit
 * certificate chain and 12 KB writes: handshake fragments and records of
 * wolfSSL_GetMaxOutputSize() bytes never exceed it), and the smallest link
 * MTU (-mtu, as s_server's DTLS_set_link_mtu: IP and UDP headers included)
 * that carries it over IPv6 (48 bytes of headers; 28 over IPv4). */
#define WSSL_DTLS_MAX_DGRAM 1400
#define WSSL_DTLS_MIN_LINK_MTU (WSSL_DTLS_MAX_DGRAM + 48)

#if WSSL_HAS_DTLS13
#define WSSL_DTLS13_HINT " (use -dtls1_3)"
#else
#define WSSL_DTLS13_HINT " (" WSSL_LIB " has no DTLS 1.3)"
#endif

static long long wssl_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#define WSSL_DTLS1_3_VERSION 0xfefc

int wssl_pre_tls13(WOLFSSL *ssl)
{
    if (wolfSSL_dtls(ssl)) return wolfSSL_version(ssl) != WSSL_DTLS1_3_VERSION;
    return wolfSSL_version(ssl) <= TLS1_2_VERSION;
}

WOLFSSL_METHOD *wssl_dtls_method(const ptls_config *cfg)
{
#if WSSL_HAS_DTLS13
    if (cfg->min_version == PTLS_DTLS1_3 && cfg->max_version == PTLS_DTLS1_3)
        return wolfDTLSv1_3_server_method();
#endif
    if (cfg->min_version == PTLS_DTLS1_2 && cfg->max_version == PTLS_DTLS1_2)
        return wolfDTLSv1_2_server_method();
    if (cfg->min_version == PTLS_DTLS1_0 && cfg->max_version == PTLS_DTLS1_0)
        return wolfDTLSv1_server_method();
    return wolfDTLS_server_method(); /* DTLS 1.2 with downgrade to DTLS 1.0 */
}

int wssl_dtls_versions(WOLFSSL_CTX *ctx, const ptls_config *cfg, char *err, size_t errlen)
{
#if WSSL_HAS_DTLS13
    if (cfg->min_version == PTLS_DTLS1_3 && cfg->max_version == PTLS_DTLS1_3) return 0; /* -dtls1_3 */
#endif
    if ((cfg->min_version != PTLS_DTLS1_0 && cfg->min_version != PTLS_DTLS1_2) ||
        (cfg->max_version != PTLS_DTLS1_0 && cfg->max_version != PTLS_DTLS1_2) ||
        cfg->min_version < cfg->max_version) { /* DTLS numbers decrease as versions increase */
        wssl_set_err(err, errlen, "DTLS version range 0x%04x-0x%04x not accepted by wolfSSL",
                     cfg->min_version, cfg->max_version);
        return -1;
    }
    /* The version-specific methods fix the version; the flexible one
     * (1.0 to 1.2) downgrades only as far as its minimum. */
    if (cfg->min_version == PTLS_DTLS1_0 && cfg->max_version == PTLS_DTLS1_2 &&
        wolfSSL_CTX_SetMinVersion(ctx, WOLFSSL_DTLSV1) != WOLFSSL_SUCCESS) {
        wssl_set_err(err, errlen, "DTLS: wolfSSL_CTX_SetMinVersion(DTLS 1.0) failed");
        return -1;
    }
    return 0;
}

int wssl_dtls_check_config(const ptls_config *cfg,
                           void (*refuse)(void *arg, const char *option, const char *reason), void *arg)
{
    int dtls13 = cfg->max_version == PTLS_DTLS1_3;
    int n = 0;

#if !WSSL_HAS_DTLS_MTU
    /* -mtu at or above the link MTU the fixed datagram size needs is met
     * as it is; below it the library cannot shrink its datagrams. */
    if (cfg->dtls_mtu > 0 && cfg->dtls_mtu < WSSL_DTLS_MIN_LINK_MTU) {
        char why[240];
        snprintf(
            why, sizeof(why),
            WSSL_WITHOUT("WOLFSSL_DTLS_MTU") ": it always fills datagrams up to %d bytes, which need a "
                                             "link MTU of at least %d (IPv6); -mtu %d cannot be honoured",
            WSSL_DTLS_MAX_DGRAM, WSSL_DTLS_MIN_LINK_MTU, cfg->dtls_mtu);
        refuse(arg, "-mtu", why);
        n++;
    }
#endif
    if (cfg->n_group_ids > 0 && !dtls13) {
        /* DTLS 1.2 key exchange follows the TLS 1.2 code, whose ECDHE curve
         * choice ignores the list (see wssl_check_config). */
        refuse(arg, "-groups",
               WSSL_LIB " does not restrict DTLS 1.2 ECDHE curves to the list" WSSL_DTLS13_HINT);
        n++;
    }
    if ((cfg->ciphersuites != NULL || cfg->n_tls13_ids > 0) && !dtls13) {
        refuse(arg, "-ciphersuites", "TLS 1.3 suites need DTLS 1.3" WSSL_DTLS13_HINT);
        n++;
    }
    if (cfg->status_file != NULL) {
        if (dtls13 && WSSL_BUG_OCSP_TLS13_LEAK) {
            refuse(arg, "-status_file", WSSL_LIB " leaks memory at every TLS 1.3 stapled handshake");
            n++;
        } else if (!dtls13 && WSSL_BUG_DTLS_CERT_STATUS) {
            /* Seen with openssl s_client -dtls1_2 -status: "dtls_get_reassembled_message:
             * bad length" on the CertificateStatus record, then an illegal_parameter alert. */
            refuse(arg, "-status_file",
                   "OCSP stapling over DTLS: " WSSL_LIB
                   " sends a CertificateStatus message whose DTLS length "
                   "fields clients reject (OpenSSL: bad length, illegal_parameter)");
            n++;
        }
    }
    if (dtls13 && cfg->keylog && !WSSL_HAS_SECRET_CB) {
        refuse(arg, "-keylogfile", WSSL_WITHOUT("HAVE_SECRET_CALLBACK") ": DTLS 1.3 secrets cannot be read");
        n++;
    }
    return n;
}

/* Remembers what a datagram about to leave carries: the time (for the
 * retransmission timer) and, for plaintext epoch-0 handshake records, the
 * message type of every record (HelloVerifyRequest = 3, ServerHello = 2). */
static void wssl_dtls_flight_free(wssl_conn *c)
{
    free(c->flight);
    c->flight = NULL;
    c->flight_len = 0;
}

/* The last flight is a few hundred bytes (NewSessionTicket, CCS, Finished);
 * anything bigger is not kept. */
#define WSSL_DTLS_FLIGHT_MAX 8192

static void wssl_dtls_flight_add(wssl_conn *c, const unsigned char *buf, size_t len)
{
    unsigned char *f;

    if (c->flight_len + 2 + len > WSSL_DTLS_FLIGHT_MAX ||
        (f = realloc(c->flight, c->flight_len + 2 + len)) == NULL) {
        wssl_dtls_flight_free(c);
        c->capture = 0;
        return;
    }
    f[c->flight_len] = (unsigned char)(len >> 8);
    f[c->flight_len + 1] = (unsigned char)len;
    memcpy(f + c->flight_len + 2, buf, len);
    c->flight = f;
    c->flight_len += 2 + len;
}

void wssl_dtls_handshake_begin(wssl_conn *c)
{
    /* DTLS 1.3 acknowledges records (ACK) and the library retransmits by
     * itself; there is no CCS to recognise a repeated client flight by. */
    if (c->handshake_done || c->srv->dtls13) return;
    wssl_dtls_flight_free(c);
    c->capture = 1;
}

/* Keeps what the call that completed a full handshake sent: the server's
 * last flight. In a resumed handshake the client sends the last flight and
 * the retransmission timer covers the server's. */
void wssl_dtls_handshake_end(wssl_conn *c, int done)
{
    c->capture = 0;
    if (!done || c->handshake_done || wolfSSL_session_reused(c->ssl)) wssl_dtls_flight_free(c);
}

/* After the handshake, a datagram from the client: a ChangeCipherSpec record
 * means it retransmits its last flight, so ours was lost: send it again
 * (once per client flight: each has one CCS). Application data means our
 * flight arrived: forget it. */
static void wssl_dtls_flight_check(wssl_conn *c, const unsigned char *p, size_t len)
{
    size_t off = 0, rlen;
    int resend = 0;

    while (c->flight != NULL && len - off >= 13) {
        if (p[off] == 23) { /* application_data */
            wssl_dtls_flight_free(c);
            return;
        }
        if (p[off] == 20) resend = 1; /* change_cipher_spec */
        rlen = ((size_t)p[off + 11] << 8) | p[off + 12];
        if (rlen > len - off - 13) break;
        off += 13 + rlen;
    }
    if (resend && c->flight != NULL) {
        for (off = 0; off + 2 <= c->flight_len;) {
            size_t n = ((size_t)c->flight[off] << 8) | c->flight[off + 1];

            (void)c->io.send(c->io.ctx, c->flight + off + 2, n);
            off += 2 + n;
        }
    }
}

void wssl_dtls_note_send(wssl_conn *c, const unsigned char *buf, size_t len)
{
    size_t off = 0;

    c->t_last_send = wssl_now_ms();
    if (c->capture) wssl_dtls_flight_add(c, buf, len);
    /* DTLS record header: type(1) version(2) epoch(2) seq(6) length(2) */
    while (len - off >= 13 + 1) {
        const unsigned char *r = buf + off;
        size_t rlen = ((size_t)r[11] << 8) | r[12];

        if (r[0] == 22 /* handshake */ && r[3] == 0 && r[4] == 0 /* epoch 0 */ && rlen >= 1) {
            if (r[13] == 3) c->sent_hvr = 1;
            if (r[13] == 2) c->sent_server_hello = 1;
        }
        if (rlen > len - off - 13) break;
        off += 13 + rlen;
    }
}

/* Hands wolfSSL the next piece of the current datagram, at most len bytes.
 * wolfSSL reads about one MTU per call (5.5.4: 1400 bytes) while
 * peers send bigger datagrams (OpenSSL on loopback: whole certificate
 * chains of several KB in one record). A truncated datagram would make
 * wolfSSL complete the record with the next datagram's bytes, so the
 * datagram is read whole and served in pieces: as many whole records as
 * fit, and a record longer than len in consecutive reads, which wolfSSL
 * joins (it asks for the rest of a record it has the header of). DTLS 1.3
 * encrypted records have a shorter header of variable size (unified
 * header): those datagrams are handed over as they are, up to len. */
long wssl_dtls_recv(wssl_conn *c, unsigned char *buf, size_t len)
{
    static unsigned char dgram[65536]; /* the largest UDP payload; one process, one thread */
    const unsigned char *p;
    size_t left, n;

    if (c->rx == NULL) {
        long r = c->io.recv(c->io.ctx, dgram, sizeof dgram);

        if (r <= 0) return r;
        if (c->flight != NULL && c->handshake_done) wssl_dtls_flight_check(c, dgram, (size_t)r);
        if ((size_t)r <= len) {
            memcpy(buf, dgram, (size_t)r);
            return r;
        }
        c->rx = malloc((size_t)r);
        if (c->rx == NULL) return PTLS_WANT_READ; /* dropped, as the network could */
        memcpy(c->rx, dgram, (size_t)r);
        c->rx_len = (size_t)r;
        c->rx_off = 0;
        c->rx_rec_left = 0;
    }
    p = c->rx + c->rx_off;
    left = c->rx_len - c->rx_off;
    if (c->rx_rec_left > 0) { /* the rest of a cut record */
        n = c->rx_rec_left < len ? c->rx_rec_left : len;
        c->rx_rec_left -= n;
    } else {
        /* whole records (13-byte header + length) while they fit */
        n = 0;
        while (left - n >= 13 && (p[n] & 0xe0) != 0x20 /* not a DTLS 1.3 unified header */) {
            size_t rec = 13 + (((size_t)p[n + 11] << 8) | p[n + 12]);

            if (rec > left - n) rec = left - n;
            if (n + rec <= len) {
                n += rec;
                continue;
            }
            if (n == 0) { /* one record longer than len: cut it */
                n = len;
                c->rx_rec_left = rec - len;
            }
            break;
        }
        if (n == 0) n = left < len ? left : len; /* trailing bytes that are no record */
    }
    memcpy(buf, p, n);
    c->rx_off += n;
    if (c->rx_off >= c->rx_len) {
        free(c->rx);
        c->rx = NULL;
        c->rx_len = c->rx_off = c->rx_rec_left = 0;
    }
    return (long)n;
}

static int wssl_dtls_ch_good(WOLFSSL *ssl, void *arg)
{
    wssl_conn *c = arg;

    (void)ssl;
    c->ch_good = 1;
    return 0;
}

int wssl_dtls_conn_setup(wssl_conn *c, char *err, size_t errlen)
{
    c->dtls = 1;
    wolfSSL_dtls_set_using_nonblock(c->ssl, 1);
    if (wolfSSL_DTLS_SetCookieSecret(c->ssl, c->srv->cookie_secret, sizeof c->srv->cookie_secret) != 0) {
        wssl_set_err(err, errlen, "DTLS: wolfSSL_DTLS_SetCookieSecret failed");
        return -1;
    }
#if WSSL_HAS_DTLS13
    if (c->srv->dtls13 && wolfSSL_send_hrr_cookie(c->ssl, c->srv->cookie_secret,
                                                  sizeof c->srv->cookie_secret) != WOLFSSL_SUCCESS) {
        wssl_set_err(err, errlen, "DTLS 1.3: wolfSSL_send_hrr_cookie failed");
        return -1;
    }
#endif
    if (wolfDTLS_SetChGoodCb(c->ssl, wssl_dtls_ch_good, c) != WOLFSSL_SUCCESS) {
        wssl_set_err(err, errlen, "DTLS: wolfDTLS_SetChGoodCb failed");
        return -1;
    }
    return 0;
}

/* -mtu is the link MTU (as s_server's DTLS_set_link_mtu): the datagrams
 * wolfSSL builds get that minus the IP and UDP headers of the peer's
 * address family. */
static int wssl_dtls_set_mtu(wssl_conn *c, const void *peer, char *err, size_t errlen)
{
#if WSSL_HAS_DTLS_MTU
    int mtu = c->srv->dtls_mtu;

    if (mtu <= 0) return 0;
    mtu -= ((const struct sockaddr *)peer)->sa_family == AF_INET6 ? 48 : 28;
    if (wolfSSL_dtls_set_mtu(c->ssl, (unsigned short)mtu) != WOLFSSL_SUCCESS) {
        wssl_set_err(err, errlen, "-mtu %d: wolfSSL_dtls_set_mtu(%d) failed", c->srv->dtls_mtu, mtu);
        return -1;
    }
#else
    (void)c;
    (void)peer;
    (void)err;
    (void)errlen;
#endif
    return 0;
}

void *wssl_dtls_accept(void *server, const ptls_io *io, const void *peer, size_t peer_len, char *err,
                       size_t errlen)
{
    wssl_server *srv = server;
    wssl_conn *c;
    int ret, e;

    if (err != NULL && errlen > 0) err[0] = '\0';
    if (!srv->dtls) {
        wssl_set_err(err, errlen, "the server context was not built for DTLS");
        return NULL;
    }
    c = wssl_conn_new(server, io, err, errlen);
    if (c == NULL) return NULL;
    /* The peer address goes into the cookie's HMAC. */
    if (wolfSSL_dtls_set_peer(c->ssl, (void *)peer, (unsigned int)peer_len) != WOLFSSL_SUCCESS) {
        wssl_set_err(err, errlen, "DTLS: wolfSSL_dtls_set_peer failed");
        goto drop;
    }
    if (wssl_dtls_set_mtu(c, peer, err, errlen) != 0) goto drop;
    ret = wolfSSL_accept(c->ssl);
    /* Cookie exchange done statelessly: keep nothing. DTLS 1.3 sends the
     * cookie in a HelloRetryRequest, a ServerHello by its message type. */
    if ((c->sent_hvr && !c->sent_server_hello) || (c->srv->dtls13 && !c->ch_good && c->sent_server_hello)) {
        wssl_conn_free(c);
        return NULL;
    }
    if (!c->ch_good && !c->sent_server_hello) {
        e = wolfSSL_get_error(c->ssl, ret);
        if (ret == WOLFSSL_SUCCESS || e == WOLFSSL_ERROR_WANT_READ || e == WOLFSSL_ERROR_WANT_WRITE) {
            wssl_set_err(err, errlen, "not a DTLS ClientHello");
        } else {
            char txt[160];

            wssl_error_text(e != 0 ? e : ret, txt, sizeof(txt));
            wssl_set_err(err, errlen, "DTLS ClientHello refused: %s", txt);
        }
        goto drop;
    }
    /* A verified ClientHello: from here on the connection exists, and a
     * failure is reported by handshake() like any other handshake error. */
    if (ret != WOLFSSL_SUCCESS) {
        e = wolfSSL_get_error(c->ssl, ret);
        if (e != WOLFSSL_ERROR_WANT_READ && e != WOLFSSL_ERROR_WANT_WRITE) {
            c->last_err = e != 0 ? e : ret;
            c->accept_failed = 1;
        }
    }
    return c;
drop:
    wssl_conn_free(c);
    return NULL;
}

long wssl_dtls_next_timeout_ms(void *conn)
{
    wssl_conn *c = conn;
    long long left;
    int t;

    if (c == NULL || !c->dtls || c->accept_failed || c->t_last_send == 0) return -1;
    if (wolfSSL_is_init_finished(c->ssl)) return -1; /* the timer only runs during the handshake */
    t = wolfSSL_dtls_get_current_timeout(c->ssl);
    if (t <= 0) return -1;
    left = c->t_last_send + (long long)t * 1000 - wssl_now_ms();
    return left > 0 ? (long)left : 0;
}

int wssl_dtls_timeout(void *conn)
{
    wssl_conn *c = conn;
    int ret;

    if (c == NULL || !c->dtls) return PTLS_ERROR;
    if (wolfSSL_is_init_finished(c->ssl)) return PTLS_OK;
    ret = wolfSSL_dtls_got_timeout(c->ssl);
    c->t_last_send = wssl_now_ms(); /* restart even if nothing was resent: never a busy loop */
    /* The retransmission itself went through io->send, which restarted the
     * deadline; a peer that never answers makes wolfSSL give up after the
     * 64 s maximum. */
    if (ret == WOLFSSL_SUCCESS) return PTLS_OK;
    c->last_err = wolfSSL_get_error(c->ssl, ret);
    if (c->last_err == 0) c->last_err = ret;
    snprintf(c->last_text, sizeof(c->last_text),
             "DTLS retransmission limit reached: the peer does not answer");
    return PTLS_ERROR;
}
