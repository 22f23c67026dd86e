/*
 * get_info() and error texts: what wolfSSL can tell about a connection,
 * translated to the core's names (IANA cipher ids, "P-256"-style groups).
 */
#include "wssl_internal.h"

#include <wolfssl/wolfcrypt/error-crypt.h>

#include <stdio.h>
#include <string.h>
#include <strings.h>

void wssl_error_text(int code, char *buf, size_t len)
{
    char tmp[WOLFSSL_MAX_ERROR_SZ];
    unsigned long e, last = 0;

    /* Loaders return WOLFSSL_FAILURE (0) and leave the reason in the
     * thread's error queue, as a positive number. */
    if (code >= 0) {
        while ((e = wolfSSL_ERR_get_error()) != 0)
            last = e;
        if (last == 0) {
            snprintf(buf, len, "failed (wolfSSL gives no detail)");
            return;
        }
        code = -(int)(last & 0xffff);
    }
    /* wolfSSL_ERR_error_string takes the negative library code. */
    wolfSSL_ERR_error_string_n((unsigned long)(long)code, tmp, sizeof(tmp));
    snprintf(buf, len, "%s (wolfSSL error %d)", tmp, code);
}

void wssl_last_error(void *conn, char *buf, size_t len)
{
    wssl_conn *c = conn;
    char lib[160];

    if (len == 0) return;
    buf[0] = '\0';
    if (c == NULL) return;
    if (c->last_err == 0) {
        snprintf(buf, len, "%s", c->last_text);
        return;
    }
    wssl_error_text(c->last_err, lib, sizeof(lib));
    if (c->last_text[0] != '\0')
        snprintf(buf, len, "%s: %s", lib, c->last_text);
    else if (c->last_err == ASN_NO_SIGNER_E && c->srv->status_file_set)
        snprintf(buf, len, "%s: OCSP stapling needs the issuer of the server certificate in -CAfile", lib);
    else
        snprintf(buf, len, "%s", lib);
}

/* wolfSSL's curve names ("SECP256R1", "FFDHE_2048") to the names the core
 * shows on every backend. */
static void wssl_group_name(const char *lib, char *out, size_t len)
{
    static const struct {
        const char *lib, *name;
    } map[] = {
        {"SECP256R1", "P-256"},
        {"SECP384R1", "P-384"},
        {"SECP521R1", "P-521"},
        {"X25519", "X25519"},
        {"X448", "X448"},
        {"FFDHE_2048", "ffdhe2048"},
        {"FFDHE_3072", "ffdhe3072"},
        {"FFDHE_4096", "ffdhe4096"},
        {"CURVE25519", "X25519"},
        {"CURVE448", "X448"},
        /* ML-KEM (wolfSSL >= 5.8) */
        {"X25519MLKEM768", "X25519MLKEM768"},
        {"SecP256r1MLKEM768", "SecP256r1MLKEM768"},
        {"SecP384r1MLKEM1024", "SecP384r1MLKEM1024"},
        {"ML_KEM_512", "MLKEM512"},
        {"ML_KEM_768", "MLKEM768"},
        {"ML_KEM_1024", "MLKEM1024"},
    };
    size_t i;

    out[0] = '\0';
    if (lib == NULL) return;
    for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        if (strcasecmp(lib, map[i].lib) == 0) {
            snprintf(out, len, "%s", map[i].name);
            return;
        }
    }
    /* unknown to the map: leave empty rather than guess */
}

/* "C = US, O = Org, CN = name", the one-line form OpenSSL prints. */
static void wssl_subject(WOLFSSL_X509 *x, char *out, size_t len)
{
    WOLFSSL_X509_NAME *name = wolfSSL_X509_get_subject_name(x);
    size_t used = 0;
    int i, n;

    out[0] = '\0';
    if (name == NULL) return;
    n = wolfSSL_X509_NAME_entry_count(name);
    for (i = 0; i < n; i++) {
        WOLFSSL_X509_NAME_ENTRY *e = wolfSSL_X509_NAME_get_entry(name, i);
        WOLFSSL_ASN1_STRING *d = e ? wolfSSL_X509_NAME_ENTRY_get_data(e) : NULL;
        const char *sn =
            e ? wolfSSL_OBJ_nid2sn(wolfSSL_OBJ_obj2nid(wolfSSL_X509_NAME_ENTRY_get_object(e))) : NULL;
        int w;

        if (d == NULL || sn == NULL) continue;
        w = snprintf(out + used, len - used, "%s%s = %.*s", used ? ", " : "", sn,
                     wolfSSL_ASN1_STRING_length(d), (const char *)wolfSSL_ASN1_STRING_data(d));
        if (w < 0 || (size_t)w >= len - used) break;
        used += (size_t)w;
    }
}

static void wssl_peer_info(wssl_conn *c, ptls_conn_info *info)
{
    /* a copy: it must be freed */
    WOLFSSL_X509 *x = wolfSSL_get_peer_certificate(c->ssl);
    const unsigned char *der;
    int derlen = 0;
    long vr;

    info->verify_ok = -1;
    if (x == NULL) return;
    info->peer_cert = 1;
    wssl_subject(x, info->peer_subject, sizeof(info->peer_subject));
    der = wolfSSL_X509_get_der(x, &derlen);
    if (der != NULL && derlen > 0 && (size_t)derlen <= sizeof(info->peer_der)) {
        memcpy(info->peer_der, der, (size_t)derlen);
        info->peer_der_len = (size_t)derlen;
    }
    wolfSSL_X509_free(x);
    if (c->srv->verify_mode == PTLS_VERIFY_NONE && wolfSSL_get_verify_mode(c->ssl) == WOLFSSL_VERIFY_NONE)
        return;
    vr = wolfSSL_get_verify_result(c->ssl);
    info->verify_ok = vr == 0;
    if (vr != 0)
        snprintf(info->verify_text, sizeof(info->verify_text), "%s",
                 wolfSSL_X509_verify_cert_error_string(vr));
}

void wssl_get_info(void *conn, ptls_conn_info *info)
{
    wssl_conn *c = conn;
    WOLFSSL *ssl = c->ssl;
    const char *s;
    char *proto = NULL;
    unsigned short plen = 0;
    int suite;

    memset(info, 0, sizeof(*info));
    info->resumed = -1;
    info->verify_ok = -1;
    info->secure_renegotiation = -1;

    info->version = wolfSSL_version(ssl);
    /* IANA id via the IANA name: wolfSSL_CIPHER_get_name gives internal
     * names in this WOLFSSL_QT build. */
    s = NULL;
    suite = wolfSSL_get_current_cipher_suite(ssl);
    if (suite >= 0) {
        s = wolfSSL_get_cipher_name_iana_from_suite((unsigned char)((suite >> 8) & 0xff),
                                                    (unsigned char)(suite & 0xff));
        if (s != NULL) {
            int id = wssl_host->cipher_id_by_name(s);
            if (id >= 0) info->cipher_id = (uint16_t)id;
        }
    }
    /* For TLS 1.2 the library's answer is only meaningful for ECDHE
     * suites: with DHE it reports a group from the client's list that need
     * not be the parameters used (-dhparam), so leave it unknown. */
    if (!wssl_pre_tls13(ssl) || (s != NULL && strstr(s, "ECDHE") != NULL))
        wssl_group_name(wolfSSL_get_curve_name(ssl), info->group, sizeof(info->group));
    if (wolfSSL_ALPN_GetProtocol(ssl, &proto, &plen) == WOLFSSL_SUCCESS && proto != NULL && plen > 0 &&
        plen < sizeof(info->alpn)) {
        memcpy(info->alpn, proto, plen);
        info->alpn[plen] = '\0';
    }
    s = wolfSSL_get_servername(ssl, WOLFSSL_SNI_HOST_NAME);
    if (s != NULL) snprintf(info->sni, sizeof(info->sni), "%s", s);
    info->resumed = wolfSSL_session_reused(ssl) ? 1 : 0;
    wssl_peer_info(c, info);
    if (wssl_pre_tls13(ssl))
        info->secure_renegotiation = wolfSSL_SSL_get_secure_renegotiation_support(ssl) ? 1 : 0;
    else
        info->secure_renegotiation = 0; /* TLS 1.3 has no renegotiation */
}

long wssl_last_error_code(void *conn)
{
    wssl_conn *c = conn;
    return c ? c->last_err : 0;
}

/* The suites a connection of this context may negotiate, read back from a
 * throwaway WOLFSSL (the context's list is not directly readable); names
 * are wolfSSL's own ("ECDHE-RSA-AES128-GCM-SHA256", "TLS13-AES128-GCM-SHA256"),
 * which the core's table knows. */
int wssl_enabled_ciphers(void *server, uint16_t *ids, int max)
{
    wssl_server *srv = server;
    WOLFSSL *ssl = wolfSSL_new(srv->ctx);
    if (ssl == NULL) return 0;
    WOLF_STACK_OF(WOLFSSL_CIPHER) *sk = wolfSSL_get_ciphers_compat(ssl);
    int total = sk ? wolfSSL_sk_SSL_CIPHER_num(sk) : 0, n = 0;
    for (int i = 0; i < total && n < max; i++) {
        const char *name = wolfSSL_CIPHER_get_name(wolfSSL_sk_SSL_CIPHER_value(sk, i));
        int id = name ? wssl_host->cipher_id_by_name(name) : -1;
        if (id >= 0) ids[n++] = (uint16_t)id;
    }
    wolfSSL_free(ssl);
    return n;
}
