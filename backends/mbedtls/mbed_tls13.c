/*
 * TLS 1.3 with Mbed TLS 3.x (MBEDTLS_SSL_PROTO_TLS1_3): what exists only in
 * that version. Compiles to nothing for 2.28 and for 3.x builds without it.
 *
 * - Key exchange modes: all three (ephemeral, psk_ke, psk_dhe_ke), or the
 *   PSK ones only with -nocert (PSK-only server: a client without the PSK
 *   gets a clean failure, not one for a missing certificate).
 * - External PSK (-psk): the suite is TLS_AES_128_GCM_SHA256, as s_server's.
 * - Tickets: the ticket callbacks of mbed_conn.c serve TLS 1.2 and 1.3; the
 *   library sends -num_tickets NewSessionTicket messages at the end of the
 *   handshake (2 by default, as OpenSSL; 0 with -no_ticket).
 * - Early data (-early_data, -max_early_data): the handshake returns
 *   MBEDTLS_ERR_SSL_RECEIVED_EARLY_DATA for each early record; it is read
 *   here into a buffer that read() hands out before anything else, so the
 *   core sees one stream (as with OpenSSL's SSL_read_early_data).
 * - Secrets: the 3.x export-keys callback hands out the early, handshake
 *   and application traffic secrets, written as key log lines here; the
 *   exporter master secret is never handed out, which is why the
 *   keylog-tls1.3 capability is refused (mbed_backend.c) and the core
 *   never enables -keylogfile with TLS 1.3 on this backend.
 * - Not in 3.6 for a server: KeyUpdate (no API to send or request one),
 *   post-handshake client authentication, record padding, OCSP stapling.
 */
#include "mbed_compat.h"

#if MBED_TLS13

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mbed_internal.h"

int mbed_tls13_server_setup(mbed_server *s, const ptls_config *cfg, char *err, size_t errlen)
{
    mbedtls_ssl_conf_tls13_key_exchange_modes(&s->conf, cfg->nocert
                                                            ? MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_ALL
                                                            : MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_ALL);
#if defined(MBEDTLS_SSL_SESSION_TICKETS)
    if (cfg->num_tickets < 0 || cfg->num_tickets > 0xffff) {
        snprintf(err, errlen, "-num_tickets %d: " MBED_LIB " sends 0 to 65535 tickets", cfg->num_tickets);
        return -1;
    }
    mbedtls_ssl_conf_new_session_tickets(&s->conf, cfg->tickets ? (uint16_t)cfg->num_tickets : 0);
#endif
#if defined(MBEDTLS_SSL_EARLY_DATA)
    s->early_data = cfg->early_data;
    mbedtls_ssl_conf_early_data(&s->conf, cfg->early_data ? MBEDTLS_SSL_EARLY_DATA_ENABLED
                                                          : MBEDTLS_SSL_EARLY_DATA_DISABLED);
    if (cfg->early_data) mbedtls_ssl_conf_max_early_data_size(&s->conf, cfg->max_early_data);
#else
    if (cfg->early_data) {
        snprintf(err, errlen, "-early_data: " MBED_LIB " was built without MBEDTLS_SSL_EARLY_DATA");
        return -1;
    }
#endif
    (void)err;
    (void)errlen;
    return 0;
}

int mbed_tls13_read_early(mbed_conn *c)
{
#if defined(MBEDTLS_SSL_EARLY_DATA)
    for (;;) {
        size_t room = 4096;
        unsigned char *nb = realloc(c->early, c->early_len + room);
        int n;

        if (!nb) {
            snprintf(c->err, sizeof c->err, "out of memory reading early data");
            return MBEDTLS_ERR_SSL_ALLOC_FAILED;
        }
        c->early = nb;
        n = mbedtls_ssl_read_early_data(&c->ssl, c->early + c->early_len, room);
        if (n == MBEDTLS_ERR_SSL_CANNOT_READ_EARLY_DATA) return 0; /* record consumed */
        if (n < 0) return n;
        c->early_len += (size_t)n;
        /* The library bounds the total by max_early_data_size. */
    }
#else
    (void)c;
    return MBEDTLS_ERR_SSL_FEATURE_UNAVAILABLE;
#endif
}

/* s_server gives an external TLS 1.3 PSK the suite TLS_AES_128_GCM_SHA256
 * (psk_find_session_cb); Mbed TLS would take the client's first suite on
 * the PSK's hash. The identity callback runs before the library chooses
 * the suite for the PSK and the connection's config is ours: its TLS 1.3
 * suites become that one, when the server allows it (TLS 1.2 suites stay). */
void mbed_tls13_psk_suite(mbed_conn *c)
{
    const int *src = c->own_suites ? c->suites : c->srv->suites;
    int k = 0, have = 0;

    for (int i = 0; src[i]; i++)
        if (src[i] == 0x1301) have = 1;
    if (!have) return;
    for (int i = 0; src[i] && k < PTLS_MAX_CIPHERS; i++)
        if (src[i] < 0x1301 || src[i] > 0x13ff || src[i] == 0x1301) c->suites[k++] = src[i];
    c->suites[k] = 0;
    c->own_suites = 1;
    mbedtls_ssl_conf_ciphersuites(&c->conf, c->suites);
}

void mbed_tls13_secret(mbed_conn *c, int type, const unsigned char *secret, size_t len,
                       const unsigned char client_random[32])
{
    const char *label = NULL;

    switch (type) {
    case MBEDTLS_SSL_KEY_EXPORT_TLS1_3_CLIENT_EARLY_SECRET:
        label = "CLIENT_EARLY_TRAFFIC_SECRET";
        break;
    case MBEDTLS_SSL_KEY_EXPORT_TLS1_3_EARLY_EXPORTER_SECRET:
        label = "EARLY_EXPORTER_SECRET";
        break;
    case MBEDTLS_SSL_KEY_EXPORT_TLS1_3_CLIENT_HANDSHAKE_TRAFFIC_SECRET:
        label = "CLIENT_HANDSHAKE_TRAFFIC_SECRET";
        break;
    case MBEDTLS_SSL_KEY_EXPORT_TLS1_3_SERVER_HANDSHAKE_TRAFFIC_SECRET:
        label = "SERVER_HANDSHAKE_TRAFFIC_SECRET";
        break;
    case MBEDTLS_SSL_KEY_EXPORT_TLS1_3_CLIENT_APPLICATION_TRAFFIC_SECRET:
        label = "CLIENT_TRAFFIC_SECRET_0";
        break;
    case MBEDTLS_SSL_KEY_EXPORT_TLS1_3_SERVER_APPLICATION_TRAFFIC_SECRET:
        label = "SERVER_TRAFFIC_SECRET_0";
        break;
    default:
        return;
    }
    if (c->srv->keylog && mbed_host && mbed_host->keylog)
        mbed_host->keylog(label, client_random, secret, len);
}

#else
typedef int mbed_tls13_unused; /* ISO C: no empty translation unit */
#endif /* MBED_TLS13 */
