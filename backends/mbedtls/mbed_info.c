/*
 * What a finished handshake looks like (get_info), error text, and the
 * TLS 1.2 key material Mbed TLS hands out only through its export-keys
 * callback: the keylog line and (2.28, which has no exporter function)
 * RFC 5705 keying material export.
 */
#include <stdio.h>
#include <string.h>

#include <mbedtls/error.h>

#include "mbed_internal.h"

void mbed_keys_tls12(mbed_conn *c, const unsigned char *ms, const unsigned char client_random[32],
                     const unsigned char server_random[32], mbedtls_tls_prf_types prf)
{
    memcpy(c->master, ms, sizeof c->master);
    memcpy(c->randoms, client_random, 32);
    memcpy(c->randoms + 32, server_random, 32);
    c->prf = prf;
    c->have_keys = 1;
    c->keys_seen++;
    if (c->srv->keylog && mbed_host && mbed_host->keylog)
        mbed_host->keylog("CLIENT_RANDOM", client_random, ms, sizeof c->master);
}

/* RFC 5705 without context (mbed_compat*.c: 3.x has the exporter, TLS 1.2
 * and 1.3; 2.28 uses the PRF over the master secret and randoms). */
int mbed_export_keying_material(void *conn, const char *label, unsigned char *out, size_t len)
{
    mbed_conn *c = conn;
    int ret;

    if (!mbed_compat_handshake_over(&c->ssl) || (!MBED_V3 && !c->have_keys)) {
        snprintf(c->err, sizeof c->err, "keying material export: no finished handshake");
        return PTLS_ERROR;
    }
    ret = mbed_compat_export_keying_material(c, label, out, len);
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
    mbedtls_ssl_context *ssl = &c->ssl;
    const mbedtls_x509_crt *peer;
    const char *name, *alpn;
    char dn[512];
    uint32_t flags;

    memset(info, 0, sizeof *info);
    info->version = mbed_wire_version(c); /* DTLS: 0xfeff / 0xfefd */
    /* TLS 1.3: a ticket parsed is not yet a ticket accepted; the core reads
     * pre_shared_key in our ServerHello instead. */
    info->resumed = info->version == PTLS_TLS1_3 ? -1 : c->resumed;
    info->verify_ok = -1;
    info->secure_renegotiation =
        info->version == PTLS_TLS1_3 ? -1 : mbed_compat_secure_renegotiation(&c->ssl);
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
