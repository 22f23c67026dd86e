/*
 * OpenSSL callbacks. Policy that must be identical on every backend (ALPN
 * choice, SNI choice, keylog file format) is not decided here: these
 * callbacks only translate between OpenSSL's hooks and the core's ptls_host.
 *
 * Every callback is installed on both contexts (main and -cert2) because
 * after SSL_set_SSL_CTX OpenSSL reads several of them from the new context.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/rand.h>

#include "ossl_private.h"

/* ---- ALPN / NPN -------------------------------------------------------- */

static int ossl_alpn_cb(SSL *ssl, const unsigned char **out, unsigned char *outlen, const unsigned char *in,
                        unsigned int inlen, void *arg)
{
    (void)ssl;
    (void)arg;
    switch (ossl_host->alpn_select(in, inlen, out, outlen)) {
    case 1:
        return SSL_TLSEXT_ERR_OK;
    case 0:
        return SSL_TLSEXT_ERR_NOACK; /* no overlap: continue without ALPN */
    default:
        return SSL_TLSEXT_ERR_ALERT_FATAL;
    }
}

static int ossl_npn_cb(SSL *ssl, const unsigned char **out, unsigned int *outlen, void *arg)
{
    (void)ssl;
    ossl_server *srv = arg;
    *out = srv->npn;
    *outlen = (unsigned int)srv->npn_len;
    return SSL_TLSEXT_ERR_OK;
}

/* ---- SNI --------------------------------------------------------------- */

static int ossl_servername_cb(SSL *ssl, int *alert, void *arg)
{
    ossl_server *srv = arg;
    const char *name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
    /* No name sent: the default certificate, as s_server does. */
    if (name == NULL) return SSL_TLSEXT_ERR_OK;
    switch (ossl_host->sni_select(name)) {
    case PTLS_SNI_ALT:
        if (srv->ctx2 != NULL && SSL_set_SSL_CTX(ssl, srv->ctx2) == NULL) {
            *alert = SSL_AD_INTERNAL_ERROR;
            return SSL_TLSEXT_ERR_ALERT_FATAL;
        }
        return SSL_TLSEXT_ERR_OK;
    case PTLS_SNI_REJECT:
        *alert = SSL_AD_UNRECOGNIZED_NAME;
        return SSL_TLSEXT_ERR_ALERT_FATAL;
    default:
        return SSL_TLSEXT_ERR_OK;
    }
}

/* ---- keylog ------------------------------------------------------------ */

static int ossl_hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static size_t ossl_unhex(const char *hex, size_t hexlen, unsigned char *out, size_t outcap)
{
    if (hexlen % 2 != 0 || hexlen / 2 > outcap) return 0;
    for (size_t i = 0; i < hexlen / 2; i++) {
        int hi = ossl_hexval(hex[2 * i]), lo = ossl_hexval(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) return 0;
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    return hexlen / 2;
}

/* OpenSSL hands us a finished NSS line "LABEL <random hex> <secret hex>";
 * the core wants the parts, so that it alone formats the file. */
static void ossl_keylog_cb(const SSL *ssl, const char *line)
{
    (void)ssl;
    const char *sp1 = strchr(line, ' ');
    const char *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
    if (sp2 == NULL) return;
    char label[64];
    size_t label_len = (size_t)(sp1 - line);
    if (label_len == 0 || label_len >= sizeof(label)) return;
    memcpy(label, line, label_len);
    label[label_len] = '\0';
    unsigned char random[32], secret[128];
    if (ossl_unhex(sp1 + 1, (size_t)(sp2 - sp1 - 1), random, sizeof(random)) != sizeof(random)) return;
    size_t secret_len = ossl_unhex(sp2 + 1, strlen(sp2 + 1), secret, sizeof(secret));
    if (secret_len == 0) return;
    ossl_host->keylog(label, random, secret, secret_len);
    OPENSSL_cleanse(secret, sizeof(secret));
}

/* ---- PSK --------------------------------------------------------------- */

/* TLS 1.2 PSK (also consulted for TLS 1.3 when the find-session callback
 * found nothing): the identity must be ours, otherwise no key. */
static unsigned int ossl_psk_cb(SSL *ssl, const char *identity, unsigned char *psk, unsigned int max_psk_len)
{
    ossl_conn *c = ossl_conn_of(ssl);
    if (c == NULL || identity == NULL || strcmp(identity, c->srv->psk_identity) != 0) return 0;
    if (c->srv->psk_len > max_psk_len) return 0;
    memcpy(psk, c->srv->psk, c->srv->psk_len);
    return (unsigned int)c->srv->psk_len;
}

/* TLS 1.3 external PSK: a session carrying the key, for
 * TLS_AES_128_GCM_SHA256 (the suite RFC 8446 assumes for PSKs without one). */
static int ossl_psk_find_cb(SSL *ssl, const unsigned char *identity, size_t identity_len, SSL_SESSION **sess)
{
    static const unsigned char aes128gcm[2] = {0x13, 0x01};
    ossl_conn *c = ossl_conn_of(ssl);
    *sess = NULL;
    if (c == NULL) return 0;
    ossl_server *srv = c->srv;
    if (identity_len != strlen(srv->psk_identity) || memcmp(identity, srv->psk_identity, identity_len) != 0) {
        /* Possibly a resumption ticket: OpenSSL tries those next. If the
         * handshake ends up neither resumed nor PSK, the cert callback
         * fails it (ossl_cert_cb). */
        c->psk_mismatch = 1;
        return 1;
    }
    const SSL_CIPHER *cipher = SSL_CIPHER_find(ssl, aes128gcm);
    SSL_SESSION *s = SSL_SESSION_new();
    if (cipher == NULL || s == NULL || !SSL_SESSION_set1_master_key(s, srv->psk, srv->psk_len) ||
        !SSL_SESSION_set_cipher(s, cipher) || !SSL_SESSION_set_protocol_version(s, TLS1_3_VERSION)) {
        SSL_SESSION_free(s);
        return 0;
    }
    *sess = s;
    return 1;
}

/* Runs after the ClientHello extensions are processed, before the server
 * picks its certificate: a TLS 1.3 client that offered a PSK identity which
 * is not ours (and not a valid ticket) gets a failed handshake instead of a
 * silent fallback to certificate authentication. */
static int ossl_cert_cb(SSL *ssl, void *arg)
{
    (void)arg;
    ossl_conn *c = ossl_conn_of(ssl);
    if (c != NULL && c->psk_mismatch && !SSL_session_reused(ssl)) {
        ERR_raise_data(ERR_LIB_SSL, SSL_R_PSK_IDENTITY_NOT_FOUND, "client PSK identity is not -psk_identity");
        return 0;
    }
    return 1;
}

/* Does the pre_shared_key extension (RFC 8446 4.2.11) list our identity? */
static int ossl_psk_offered(const unsigned char *ext, size_t len, const ossl_server *srv)
{
    if (len < 2) return 0;
    size_t ids_len = (size_t)ext[0] << 8 | ext[1];
    if (ids_len > len - 2) return 0;
    const unsigned char *p = ext + 2, *end = ext + 2 + ids_len;
    size_t want = strlen(srv->psk_identity);
    while (end - p >= 2) {
        size_t n = (size_t)p[0] << 8 | p[1];
        if ((size_t)(end - p) < 2 + n + 4) return 0;
        if (n == want && memcmp(p + 2, srv->psk_identity, n) == 0) return 1;
        p += 2 + n + 4; /* identity, obfuscated_ticket_age */
    }
    return 0;
}

/* OpenSSL picks the TLS 1.3 suite before it looks at PSKs, by client order;
 * a server with a certificate may then pick a SHA-384 suite, which cannot
 * use our SHA-256 PSK, and fall back to a certificate handshake. When the
 * client offers our identity, narrow this connection's TLS 1.3 suites to the
 * one the PSK is bound to (or, if the configuration excludes it, to the
 * configured SHA-256 suites), so that the PSK is used as the client asked. */
static int ossl_client_hello_cb(SSL *ssl, int *alert, void *arg)
{
    (void)alert;
    ossl_server *srv = arg;
    const unsigned char *ext = NULL;
    size_t len = 0;
    if (!SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_psk, &ext, &len) || !ossl_psk_offered(ext, len, srv))
        return SSL_CLIENT_HELLO_SUCCESS;
    STACK_OF(SSL_CIPHER) *sk = SSL_get_ciphers(ssl);
    char list[512] = "";
    size_t used = 0;
    int have_aes128 = 0;
    for (int i = 0; i < sk_SSL_CIPHER_num(sk); i++) {
        const SSL_CIPHER *c = sk_SSL_CIPHER_value(sk, i);
        uint16_t id = SSL_CIPHER_get_protocol_id(c);
        if ((id >> 8) != 0x13 || SSL_CIPHER_get_handshake_digest(c) != EVP_sha256()) continue;
        if (id == 0x1301) have_aes128 = 1;
        int w = snprintf(list + used, sizeof(list) - used, "%s%s", used ? ":" : "", SSL_CIPHER_get_name(c));
        if (w > 0 && (size_t)w < sizeof(list) - used) used += (size_t)w;
    }
    if (have_aes128)
        SSL_set_ciphersuites(ssl, "TLS_AES_128_GCM_SHA256");
    else if (used > 0)
        SSL_set_ciphersuites(ssl, list);
    return SSL_CLIENT_HELLO_SUCCESS;
}

/* ---- OCSP stapling ----------------------------------------------------- */

static int ossl_status_cb(SSL *ssl, void *arg)
{
    ossl_server *srv = arg;
    /* OpenSSL frees the response with the connection: give it a copy. */
    unsigned char *copy = OPENSSL_memdup(srv->ocsp, srv->ocsp_len);
    if (copy == NULL) return SSL_TLSEXT_ERR_ALERT_FATAL;
    if (!SSL_set_tlsext_status_ocsp_resp(ssl, copy, (long)srv->ocsp_len)) {
        OPENSSL_free(copy);
        return SSL_TLSEXT_ERR_ALERT_FATAL;
    }
    return SSL_TLSEXT_ERR_OK;
}

/* ---- -state ------------------------------------------------------------ */

/* Same lines as s_server's apps_ssl_info_callback. */
static void ossl_info_cb(const SSL *ssl, int where, int ret)
{
    const char *str = (where & SSL_ST_ACCEPT)    ? "SSL_accept"
                      : (where & SSL_ST_CONNECT) ? "SSL_connect"
                                                 : "undefined";
    if (where & SSL_CB_LOOP) {
        ossl_host->log("%s:%s\n", str, SSL_state_string_long(ssl));
    } else if (where & SSL_CB_ALERT) {
        ossl_host->log("SSL3 alert %s:%s:%s\n", (where & SSL_CB_READ) ? "read" : "write",
                       SSL_alert_type_string_long(ret), SSL_alert_desc_string_long(ret));
    } else if (where & SSL_CB_EXIT) {
        if (ret == 0)
            ossl_host->log("%s:failed in %s\n", str, SSL_state_string_long(ssl));
        else if (ret < 0)
            ossl_host->log("%s:error in %s\n", str, SSL_state_string_long(ssl));
    }
}

/* ---- -id_prefix -------------------------------------------------------- */

/* Random session ids that start with the prefix (s_server's
 * generate_session_id), retried until unique in the cache. */
static int ossl_gen_session_id(SSL *ssl, unsigned char *id, unsigned int *id_len)
{
    ossl_conn *c = ossl_conn_of(ssl);
    if (c == NULL) return 0;
    ossl_server *srv = c->srv;
    for (int tries = 0; tries < 100; tries++) {
        if (RAND_bytes(id, (int)*id_len) <= 0) return 0;
        size_t n = srv->id_prefix_len < *id_len ? srv->id_prefix_len : *id_len;
        memcpy(id, srv->id_prefix, n);
        if (!SSL_has_matching_session_id(ssl, id, *id_len)) return 1;
    }
    return 0;
}

void ossl_install_callbacks(SSL_CTX *ctx, ossl_server *srv, const ptls_config *cfg)
{
    if (cfg->alpn_wire != NULL) SSL_CTX_set_alpn_select_cb(ctx, ossl_alpn_cb, srv);
    if (srv->npn != NULL) SSL_CTX_set_next_protos_advertised_cb(ctx, ossl_npn_cb, srv);
    if (srv->sni_policy) {
        SSL_CTX_set_tlsext_servername_callback(ctx, ossl_servername_cb);
        SSL_CTX_set_tlsext_servername_arg(ctx, srv);
    }
    if (cfg->keylog) SSL_CTX_set_keylog_callback(ctx, ossl_keylog_cb);
    if (srv->psk != NULL) {
        SSL_CTX_set_psk_server_callback(ctx, ossl_psk_cb);
        SSL_CTX_set_psk_find_session_callback(ctx, ossl_psk_find_cb);
        SSL_CTX_set_cert_cb(ctx, ossl_cert_cb, srv);
        SSL_CTX_set_client_hello_cb(ctx, ossl_client_hello_cb, srv);
    }
    if (srv->ocsp != NULL) {
        SSL_CTX_set_tlsext_status_cb(ctx, ossl_status_cb);
        SSL_CTX_set_tlsext_status_arg(ctx, srv);
    }
    if (cfg->state) SSL_CTX_set_info_callback(ctx, ossl_info_cb);
    if (srv->id_prefix != NULL) SSL_CTX_set_generate_session_id(ctx, ossl_gen_session_id);
}
