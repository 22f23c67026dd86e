/*
 * Per-connection decisions Mbed TLS has no callback for, made from the
 * first ClientHello as the core's inspector parsed it (ptls_host
 * client_hello: the core has seen the whole hello by the time our receive
 * hook returns its last byte, before the library parses it):
 *  - client cipher order (-serverpref off): for TLS 1.2 the library picks
 *    in the order of its own list (2.28: MBEDTLS_SSL_SRV_RESPECT_CLIENT_
 *    PREFERENCE is a build option, off in Debian), so the connection's list
 *    becomes the client's suites, in the client's order, filtered by the
 *    allowed ones; the same for groups;
 *  - server cipher order (-serverpref) in TLS 1.3: Mbed TLS 3.x takes the
 *    client's first TLS 1.3 suite that the list allows, whatever the list's
 *    order, so the connection allows only the server's choice among the
 *    client's TLS 1.3 suites (with -psk: TLS_AES_128_GCM_SHA256 when offered,
 *    the external PSK's suite; a ticket resumes because the same offer gives
 *    the same choice);
 *  - -prioritize_chacha with server order: ChaCha20 suites move first when
 *    the client's first suite is one (OpenSSL's rule);
 *  - ALPN: the library's conf_alpn_protocols picks in server order and
 *    aborts on no overlap; the core's policy (host->alpn_select) decides
 *    instead, and the connection's list becomes its single answer.
 * Only the initial handshake is in the clear: a renegotiation keeps the
 * decisions of the first ClientHello.
 */
#include <stdio.h>
#include <string.h>

#include <mbedtls/ecp.h>
#include <mbedtls/ssl_ciphersuites.h>

#include "mbed_internal.h"

/* Suite properties by the library's suite name (the ciphersuite struct's
 * fields are private in 3.x): "TLS-ECDHE-RSA-WITH-CHACHA20-POLY1305-SHA256". */
static int mbed_name_has(int id, const char *part)
{
    const char *n = mbedtls_ssl_get_ciphersuite_name(id);

    return n && strstr(n, part) != NULL;
}

static int mbed_is_chacha(int id)
{
    return id == 0x1303 /* TLS_CHACHA20_POLY1305_SHA256 */ || mbed_name_has(id, "CHACHA20");
}

static int mbed_is_tls13(int id)
{
    return id >= 0x1301 && id <= 0x13ff;
}

/* The client's first suite as OpenSSL sees it: unknown ids (GREASE,
 * SCSVs) are dropped from its list, TLS 1.3 suites are not. */
static int mbed_first_suite(const ptls_hello_view *h)
{
    for (size_t i = 0; i < h->n_ciphers; i++) {
        int id = h->ciphers[i];
        if ((id >= 0x1301 && id <= 0x1305) || mbedtls_ssl_ciphersuite_from_id(id)) return id;
    }
    return 0;
}

/* Whether the client's supported_groups meets the server's EC groups.
 * The library (2.28) matches ECDHE suites against every curve it knows, not
 * against the configured ones, and then fails in ServerKeyExchange ("no
 * ciphersuites in common") instead of choosing a shared non-EC suite. */
static int mbed_common_curve(const mbed_conn *c, const ptls_hello_view *h)
{
    size_t i;
    int j;

    if (!h->groups) return 1; /* no extension: the library's own rules apply */
    for (i = 0; i < h->n_groups; i++) {
        if (!mbedtls_ecp_curve_info_from_tls_id(h->groups[i])) continue;
        for (j = 0; j < c->srv->n_groups; j++)
            if (c->srv->groups[j] == h->groups[i]) return 1;
    }
    return 0;
}

static int mbed_is_ecdhe(int id)
{
    return mbed_name_has(id, "TLS-ECDHE-");
}

/* -serverpref in TLS 1.3: keep only the server's choice among the TLS 1.3
 * suites the client offers (c->suites is in the server's order here). */
static void mbed_hello_tls13_choice(mbed_conn *c, const ptls_hello_view *h)
{
    int j, k, n, pick = 0;
    size_t i;

    for (n = 0; c->suites[n]; n++)
        ;
    for (int pass = 0; pass < 2 && !pick; pass++)
        for (j = 0; j < n && !pick; j++) {
            int id = c->suites[j];
            if (!mbed_is_tls13(id)) continue;
            /* With -psk: the external PSK's suite first (mbed_tls13_psk_suite). */
            if (pass == 0 && c->srv->psk_len && id != 0x1301) continue;
            for (i = 0; i < h->n_ciphers; i++)
                if (h->ciphers[i] == id) {
                    pick = id;
                    break;
                }
        }
    if (!pick) return;
    for (j = 0, k = 0; j < n; j++)
        if (!mbed_is_tls13(c->suites[j]) || c->suites[j] == pick) c->suites[k++] = c->suites[j];
    c->suites[k] = 0;
}

static void mbed_hello_suites(mbed_conn *c, const ptls_hello_view *h)
{
    const mbed_server *s = c->srv;
    int ecdhe = mbed_common_curve(c, h);
    int chacha_first = s->server_pref && s->prioritize_chacha && mbed_is_chacha(mbed_first_suite(h));
    size_t i;
    int j, pass, n = 0;

    if (!s->server_pref) {
        for (i = 0; i < h->n_ciphers && n < PTLS_MAX_CIPHERS; i++) {
            int id = h->ciphers[i];
            if (!ecdhe && mbed_is_ecdhe(id)) continue;
            for (j = 0; j < s->n_suites; j++)
                if (s->suites[j] == id) {
                    c->suites[n++] = id;
                    break;
                }
        }
    } else {
        /* Server order; with -prioritize_chacha and a client that prefers
         * ChaCha20, the ChaCha20 suites first. */
        for (pass = 0; pass < 2; pass++)
            for (j = 0; j < s->n_suites; j++) {
                int id = s->suites[j];
                if (chacha_first && mbed_is_chacha(id) != (pass == 0)) continue;
                if (!chacha_first && pass == 1) continue;
                if (!ecdhe && mbed_is_ecdhe(id)) continue;
                c->suites[n++] = id;
            }
    }
    c->suites[n] = 0;
    c->own_suites = 1;
    if (s->server_pref) mbed_hello_tls13_choice(c, h);
    mbedtls_ssl_conf_ciphersuites(&c->conf, c->suites);
}

static void mbed_hello_groups(mbed_conn *c, const ptls_hello_view *h)
{
    const mbed_server *s = c->srv;
    uint16_t ids[40];
    size_t i;
    int j, n = 0;

    if (s->server_pref || !h->groups) return;
    for (i = 0; i < h->n_groups && n < 39; i++) {
        for (j = 0; j < s->n_groups; j++)
            if (s->groups[j] == h->groups[i]) {
                ids[n++] = h->groups[i];
                break;
            }
    }
    mbed_compat_conf_groups(&c->conf, ids, n, c->lib_groups);
}

/* Returns -1 when the core refuses the client's ALPN offer. */
static int mbed_hello_alpn(mbed_conn *c, const ptls_hello_view *h)
{
    const unsigned char *out = NULL;
    unsigned char outlen = 0;
    int r;

    if (!c->srv->alpn || !h->alpn_wire || !mbed_host || !mbed_host->alpn_select) return 0;
    r = mbed_host->alpn_select(h->alpn_wire, h->alpn_wire_len, &out, &outlen);
    if (r == 1 && out && outlen > 0) {
        memcpy(c->alpn_proto, out, outlen);
        c->alpn_proto[outlen] = '\0';
    } else if (r < 0) {
        /* Refuse: a protocol the client did not offer makes the library
         * send the fatal no_application_protocol alert, as OpenSSL does. */
        size_t i;
        int k;
        for (k = 0; k < 1000; k++) {
            int clash = 0;
            snprintf(c->alpn_proto, sizeof c->alpn_proto, "polytls-refused-%d", k);
            for (i = 0; i < h->alpn_wire_len;) {
                size_t l = h->alpn_wire[i];
                if (i + 1 + l <= h->alpn_wire_len && l == strlen(c->alpn_proto) &&
                    memcmp(h->alpn_wire + i + 1, c->alpn_proto, l) == 0)
                    clash = 1;
                i += 1 + l;
            }
            if (!clash) break;
        }
        snprintf(c->err, sizeof c->err, "ALPN: no protocol acceptable to the server in the client's offer");
    } else {
        return 0; /* no overlap: continue without ALPN (s_server behaviour) */
    }
    c->alpn_list[0] = c->alpn_proto;
    c->alpn_list[1] = NULL;
    mbedtls_ssl_conf_alpn_protocols(&c->conf, c->alpn_list);
    return 0;
}

int mbed_hello_apply(mbed_conn *c, const ptls_hello_view *h)
{
    mbed_hello_suites(c, h);
    mbed_hello_groups(c, h);
    return mbed_hello_alpn(c, h);
}
