/*
 * What the core shows about a connection (get_info) and error text.
 * Only facts OpenSSL reports are filled in; the rest keeps the "unknown"
 * values documented in backend.h.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/x509.h>

#include "ossl_private.h"

/* Drains the thread's ERR queue into buf as "prefix: reason; reason". */
void ossl_collect_errors(char *buf, size_t len, const char *prefix)
{
    if (len == 0) return;
    size_t used = 0;
    int w = snprintf(buf, len, "%s", prefix ? prefix : "");
    used = w > 0 ? ((size_t)w < len ? (size_t)w : len - 1) : 0;
    unsigned long e;
    int first = 1;
    while ((e = ERR_get_error()) != 0) {
        char one[256];
        ERR_error_string_n(e, one, sizeof(one));
        /* Decoders retried per format queue the same reasons again; show
         * each once. */
        if (strstr(buf, one) != NULL) continue;
        if (used + 4 < len) {
            w = snprintf(buf + used, len - used, "%s%s", first ? (used ? ": " : "") : "; ", one);
            if (w > 0) used += (size_t)w < len - used ? (size_t)w : len - used - 1;
        }
        first = 0;
    }
}

static void ossl_copy(char *dst, size_t cap, const char *src, size_t n)
{
    if (n >= cap) n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* The group of the key exchange: named groups through
 * SSL_get_negotiated_group and the library's name of it (SSL_group_to_name
 * also names groups that have no NID, such as ML-KEM's), in the core's
 * spelling where the table has one; a TLS 1.2 DHE exchange with unnamed
 * parameters through the client's key share, whose parameters may carry a
 * name. */
static void ossl_fill_group(SSL *ssl, ptls_conn_info *info)
{
    int nid = SSL_get_negotiated_group(ssl);
    const char *ossl = nid != NID_undef ? SSL_group_to_name(ssl, nid) : NULL;
    if (ossl != NULL) {
        const char *name = ossl_group_name_by_ossl_name(ossl);
        if (name == NULL) name = ossl;
        ossl_copy(info->group, sizeof(info->group), name, strlen(name));
        return;
    }
    EVP_PKEY *peer = NULL;
    if (SSL_get_peer_tmp_key(ssl, &peer) && peer != NULL) {
        char gname[64];
        size_t glen = 0;
        if (EVP_PKEY_get_utf8_string_param(peer, OSSL_PKEY_PARAM_GROUP_NAME, gname, sizeof(gname), &glen))
            ossl_copy(info->group, sizeof(info->group), gname, glen);
        EVP_PKEY_free(peer);
    }
}

/* The signature scheme the server signed with, in IANA spelling, derived
 * from OpenSSL's (hash, signature type) pair and the key type; "" when the
 * pair names none of the schemes below. */
static void ossl_derive_sigalg(SSL *ssl, char *out, size_t outlen)
{
    int hash = 0, type = 0;
    out[0] = '\0';
    if (!SSL_get_signature_nid(ssl, &hash) || !SSL_get_signature_type_nid(ssl, &type)) return;
    const char *h = hash == NID_sha256   ? "sha256"
                    : hash == NID_sha384 ? "sha384"
                    : hash == NID_sha512 ? "sha512"
                    : hash == NID_sha1   ? "sha1"
                    : hash == NID_sha224 ? "sha224"
                                         : NULL;
    if (type == EVP_PKEY_ED25519) {
        snprintf(out, outlen, "ed25519");
    } else if (type == EVP_PKEY_ED448) {
        snprintf(out, outlen, "ed448");
    } else if (h == NULL) {
        return;
    } else if (type == EVP_PKEY_RSA_PSS) {
        /* rsae = PSS signature with an rsaEncryption key; pss = PSS key. */
        EVP_PKEY *own = SSL_get_privatekey(ssl);
        int pss_key = own != NULL && EVP_PKEY_is_a(own, "RSA-PSS");
        snprintf(out, outlen, "rsa_pss_%s_%s", pss_key ? "pss" : "rsae", h);
    } else if (type == EVP_PKEY_RSA) {
        snprintf(out, outlen, "rsa_pkcs1_%s", h);
    } else if (type == EVP_PKEY_EC) {
        const char *curve = hash == NID_sha256   ? "secp256r1_"
                            : hash == NID_sha384 ? "secp384r1_"
                            : hash == NID_sha512 ? "secp521r1_"
                                                 : "";
        /* TLS 1.2 ecdsa_sha256 has the same code point as TLS 1.3's
         * ecdsa_secp256r1_sha256; SHA-1/224 have no curve in the name. */
        snprintf(out, outlen, "ecdsa_%s%s", curve, h);
    } else if (type == EVP_PKEY_DSA) {
        snprintf(out, outlen, "dsa_%s", h);
    }
}

static void ossl_fill_sigalg(SSL *ssl, ptls_conn_info *info)
{
    char out[64];
    ossl_derive_sigalg(ssl, out, sizeof(out));
#if OSSL_HAVE_SIGNATURE_NAME
    /* Schemes without a (hash, key type) pair, e.g. ML-DSA: the library
     * names them itself, in IANA spelling ("mldsa65"). */
    const char *name = NULL;
    if (out[0] == '\0' && SSL_get0_signature_name(ssl, &name) && name != NULL)
        snprintf(out, sizeof(out), "%s", name);
#endif
    ossl_copy(info->sigalg, sizeof(info->sigalg), out, strlen(out));
}

static void ossl_fill_peer(SSL *ssl, ptls_conn_info *info)
{
    X509 *peer = SSL_get0_peer_certificate(ssl);
    if (peer == NULL) return;
    info->peer_cert = 1;
    BIO *mem = BIO_new(BIO_s_mem());
    if (mem != NULL && X509_NAME_print_ex(mem, X509_get_subject_name(peer), 0, XN_FLAG_ONELINE) >= 0) {
        char *p = NULL;
        long n = BIO_get_mem_data(mem, &p);
        if (n > 0) ossl_copy(info->peer_subject, sizeof(info->peer_subject), p, (size_t)n);
    }
    BIO_free(mem);
    int der_len = i2d_X509(peer, NULL);
    if (der_len > 0 && (size_t)der_len <= sizeof(info->peer_der)) {
        unsigned char *p = info->peer_der;
        i2d_X509(peer, &p);
        info->peer_der_len = (size_t)der_len;
    }
    long v = SSL_get_verify_result(ssl);
    info->verify_ok = v == X509_V_OK;
    if (v != X509_V_OK) {
        const char *t = X509_verify_cert_error_string(v);
        ossl_copy(info->verify_text, sizeof(info->verify_text), t, strlen(t));
    }
}

void ossl_get_info(void *conn, ptls_conn_info *info)
{
    ossl_conn *c = conn;
    SSL *ssl = c->ssl;
    memset(info, 0, sizeof(*info));
    info->resumed = -1;
    info->verify_ok = -1;
    info->secure_renegotiation = -1;

    info->version = SSL_version(ssl);
    const SSL_CIPHER *cipher = SSL_get_current_cipher(ssl);
    if (cipher != NULL) info->cipher_id = SSL_CIPHER_get_protocol_id(cipher);
    ossl_fill_group(ssl, info);

    const unsigned char *alpn = NULL;
    unsigned int alpn_len = 0;
    SSL_get0_alpn_selected(ssl, &alpn, &alpn_len);
    if (alpn != NULL) ossl_copy(info->alpn, sizeof(info->alpn), (const char *)alpn, alpn_len);
    const char *sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
    if (sni != NULL) ossl_copy(info->sni, sizeof(info->sni), sni, strlen(sni));

    info->resumed = SSL_session_reused(ssl) ? 1 : 0;
    ossl_fill_peer(ssl, info);
    info->secure_renegotiation = SSL_get_secure_renegotiation_support(ssl) ? 1 : 0;
    ossl_fill_sigalg(ssl, info);
}

void ossl_last_error(void *conn, char *buf, size_t len)
{
    ossl_conn *c = conn;
    if (len == 0) return;
    snprintf(buf, len, "%s", c != NULL ? c->err : "");
}

long ossl_last_error_code(void *conn)
{
    ossl_conn *c = conn;
    return c != NULL ? (long)c->err_code : 0;
}

int ossl_enabled_ciphers(void *server, uint16_t *ids, int max)
{
    ossl_server *srv = server;
    STACK_OF(SSL_CIPHER) *list = SSL_CTX_get_ciphers(srv->ctx);
    int n = 0;
    for (int i = 0; list != NULL && i < sk_SSL_CIPHER_num(list) && n < max; i++) {
        uint16_t id = SSL_CIPHER_get_protocol_id(sk_SSL_CIPHER_value(list, i));
        /* A DTLS context still lists the TLS 1.3 suites; DTLS (1.0/1.2 in
         * every OpenSSL without DTLS 1.3) can never negotiate them. */
        if (srv->dtls && (id >> 8) == 0x13) continue;
        ids[n++] = id;
    }
    return n;
}
