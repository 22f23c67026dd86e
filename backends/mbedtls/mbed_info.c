/*
 * What a finished handshake looks like (get_info), error text, and the
 * key material Mbed TLS hands out only through its export-keys callback:
 * the keylog line and RFC 5705 keying material export, for which the
 * library has no function.
 */
#include <stdio.h>
#include <string.h>

#include <mbedtls/error.h>

#include "mbed_internal.h"

int mbed_export_keys_cb(void *ctx, const unsigned char *ms, const unsigned char *kb, size_t maclen,
                        size_t keylen, size_t ivlen, const unsigned char client_random[32],
                        const unsigned char server_random[32], mbedtls_tls_prf_types prf)
{
    mbed_conn *c = ctx;

    (void)kb;
    (void)maclen;
    (void)keylen;
    (void)ivlen;
    memcpy(c->master, ms, sizeof c->master);
    memcpy(c->randoms, client_random, 32);
    memcpy(c->randoms + 32, server_random, 32);
    c->prf = prf;
    c->have_keys = 1;
    if (c->srv->keylog && mbed_host && mbed_host->keylog)
        mbed_host->keylog("CLIENT_RANDOM", client_random, ms, sizeof c->master);
    return 0;
}

/* RFC 5705 without context: PRF(master, label, client_random +
 * server_random), with the PRF of the negotiated version. */
int mbed_export_keying_material(void *conn, const char *label, unsigned char *out, size_t len)
{
    mbed_conn *c = conn;
    int ret;

    if (!c->have_keys || c->ssl.state != MBEDTLS_SSL_HANDSHAKE_OVER) {
        snprintf(c->err, sizeof c->err, "keying material export: no finished handshake");
        return PTLS_ERROR;
    }
    ret = mbedtls_ssl_tls_prf(c->prf, c->master, sizeof c->master, label, c->randoms, sizeof c->randoms, out,
                              len);
    if (ret != 0) {
        c->last_ret = ret;
        snprintf(c->err, sizeof c->err, "keying material export");
        return PTLS_ERROR;
    }
    return PTLS_OK;
}

/* "C=US, O=x, CN=y" (Mbed TLS) -> "C = US, O = x, CN = y" (OpenSSL's
 * one-line form, which the core prints for every backend). */
static void mbed_oneline(char *dst, size_t dlen, const char *src)
{
    size_t o = 0;
    int in_key = 1;

    for (; *src && o + 4 < dlen; src++) {
        if (in_key && *src == '=') {
            memcpy(dst + o, " = ", 3);
            o += 3;
            in_key = 0;
            continue;
        }
        dst[o++] = *src;
        if ((src[0] == ',' || src[0] == '+') && src[1] == ' ') in_key = 1;
    }
    dst[o] = '\0';
}

void mbed_get_info(void *conn, ptls_conn_info *info)
{
    mbed_conn *c = conn;
    const mbedtls_ssl_context *ssl = &c->ssl;
    const mbedtls_x509_crt *peer;
    const char *name, *alpn;
    char dn[512];
    uint32_t flags;

    memset(info, 0, sizeof *info);
    info->resumed = c->resumed;
    info->verify_ok = -1;
    info->secure_renegotiation = ssl->secure_renegotiation == MBEDTLS_SSL_SECURE_RENEGOTIATION;
    info->version = mbed_wire_version(c); /* DTLS: 0xfeff / 0xfefd */
    name = mbedtls_ssl_get_ciphersuite(ssl);
    if (name) {
        int id = mbedtls_ssl_get_ciphersuite_id(name);
        info->cipher_id = id > 0 ? (uint16_t)id : 0;
    }
    /* group: no API in this library (the core reads it from the handshake);
     * sigalg: likewise unknown. Both stay "". */
    alpn = mbedtls_ssl_get_alpn_protocol(ssl);
    if (alpn) snprintf(info->alpn, sizeof info->alpn, "%s", alpn);
    snprintf(info->sni, sizeof info->sni, "%s", c->sni);

    peer = mbedtls_ssl_get_peer_cert(ssl);
    if (peer && peer->raw.p) {
        info->peer_cert = 1;
        if (mbedtls_x509_dn_gets(dn, sizeof dn, &peer->subject) > 0)
            mbed_oneline(info->peer_subject, sizeof info->peer_subject, dn);
        if (peer->raw.len <= sizeof info->peer_der) {
            memcpy(info->peer_der, peer->raw.p, peer->raw.len);
            info->peer_der_len = peer->raw.len;
        }
        flags = mbedtls_ssl_get_verify_result(ssl);
        if (flags == 0) {
            info->verify_ok = 1;
        } else if (!(flags & MBEDTLS_X509_BADCERT_SKIP_VERIFY)) {
            info->verify_ok = 0;
            if (c->vtext[0]) {
                snprintf(info->verify_text, sizeof info->verify_text, "%s", c->vtext);
            } else {
                mbedtls_x509_crt_verify_info(info->verify_text, sizeof info->verify_text, "", flags);
                info->verify_text[strcspn(info->verify_text, "\n")] = '\0';
            }
        }
    }
}

void mbed_last_error(void *conn, char *buf, size_t len)
{
    mbed_conn *c = conn;
    char lib[200];

    if (!buf || !len) return;
    buf[0] = '\0';
    if (c->last_ret) {
        mbedtls_strerror(c->last_ret, lib, sizeof lib);
        if (c->err[0])
            snprintf(buf, len, "%s (%s, -0x%04X)", c->err, lib, (unsigned)-c->last_ret);
        else
            snprintf(buf, len, "%s (-0x%04X)", lib, (unsigned)-c->last_ret);
    } else if (c->err[0]) {
        snprintf(buf, len, "%s", c->err);
    }
}

long mbed_last_error_code(void *conn)
{
    mbed_conn *c = conn;
    return c ? c->last_ret : 0;
}

int mbed_enabled_ciphers(void *server, uint16_t *ids, int max)
{
    mbed_server *s = server;
    int n = 0;
    for (int i = 0; i < s->n_suites && n < max; i++)
        ids[n++] = (uint16_t)s->suites[i];
    return n;
}
