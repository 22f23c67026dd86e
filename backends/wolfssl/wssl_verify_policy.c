/*
 * The client certificate verification policy (ptls_config.verify) on
 * wolfSSL, in a verify callback: the library calls it for every certificate
 * of the client's chain, also when the certificate verified
 * (WOLFSSL_ALWAYS_VERIFY_CB, WOLFSSL_VERIFY_CB_ALL_CERTS, both in the
 * builds this backend supports: wssl_features.h), and returning 1 overrides
 * the library's verdict.
 *  - -verify_hostname, -verify_email, -verify_ip: wolfSSL_X509_check_host,
 *    _check_email, _check_ip_asc on the leaf;
 *  - -no_check_time: the date errors are overridden; -attime: overridden
 *    too and each certificate's validity period checked at that time;
 *  - -purpose / -verify_name: the extended key usage of the leaf (wolfSSL
 *    checks none of a client certificate by itself);
 *  - -partial_chain: the library takes any certificate of its CA store as a
 *    trust anchor, intermediate or not.
 * The policy is module-wide: a process runs one server.
 */
#include "wssl_internal.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <wolfssl/wolfcrypt/error-crypt.h>

/* The extended key usage bits of wolfSSL_X509_get_extended_key_usage
 * (XKU_* of wolfSSL's OpenSSL compatibility layer, whose headers this
 * backend does not include). */
enum {
    WSSL_XKU_SSL_SERVER = 0x1,
    WSSL_XKU_SSL_CLIENT = 0x2,
    WSSL_XKU_SMIME = 0x4,
    WSSL_XKU_OCSP_SIGN = 0x20,
    WSSL_XKU_TIMESTAMP = 0x40,
    WSSL_XKU_ANYEKU = 0x100
};

static struct {
    int active;
    int overridden;   /* a date error of the chain being verified was overridden */
    int verify_depth; /* -verify/-Verify N, -1: library default */
    int ex_index;     /* WOLFSSL ex_data slot: set when the policy overrode the library's verdict */
    char host[256], email[256], ip[64];
    unsigned purpose_xku; /* 0: no purpose check */
    int no_check_time;
    int have_attime;
    time_t attime;
} wssl_vpol;

static const struct {
    const char *name;
    unsigned xku;
} wssl_purposes[] = {
    {"sslclient", WSSL_XKU_SSL_CLIENT},    {"sslserver", WSSL_XKU_SSL_SERVER},
    {"nssslserver", WSSL_XKU_SSL_SERVER},  {"smimesign", WSSL_XKU_SMIME},
    {"smimeencrypt", WSSL_XKU_SMIME},      {"ocsphelper", WSSL_XKU_OCSP_SIGN},
    {"timestampsign", WSSL_XKU_TIMESTAMP}, {"any", 0},
};

/* -verify_name: the purpose of OpenSSL's named parameter sets. */
static const char *wssl_named_purpose(const char *verify_name)
{
    if (strcmp(verify_name, "ssl_client") == 0) return "sslclient";
    if (strcmp(verify_name, "ssl_server") == 0) return "sslserver";
    if (strcmp(verify_name, "smime_sign") == 0 || strcmp(verify_name, "pkcs7") == 0) return "smimesign";
    return NULL; /* default */
}

int wssl_policy_check_config(const ptls_config *cfg,
                             void (*refuse)(void *arg, const char *option, const char *reason), void *arg)
{
    const ptls_verify_policy *p = &cfg->verify;
    int n = 0;
    if (p->purpose != NULL && strcmp(p->purpose, "sslclient") != 0) {
        refuse(arg, "-purpose",
               WSSL_LIB
               " always demands the clientAuth extended key usage of a client certificate "
               "(EXTKEYUSE_AUTH_E, before any verify callback); only -purpose sslclient can be honoured");
        n++;
    }
    if (p->verify_name != NULL && strcmp(p->verify_name, "ssl_client") != 0 &&
        strcmp(p->verify_name, "default") != 0) {
        refuse(arg, "-verify_name",
               WSSL_LIB " always demands the clientAuth extended key usage of a client certificate "
                        "(EXTKEYUSE_AUTH_E); only -verify_name ssl_client or default can be honoured");
        n++;
    }
    return n;
}

/* The store's error for a date: the library's code, or its OpenSSL-style
 * mapping (5.9.2: CERT_NOT_YET_VALID 9, CERT_HAS_EXPIRED 10; 5.5.4:
 * ERROR_IN_CERT_NOT_BEFORE_FIELD 13, ERROR_IN_CERT_NOT_AFTER_FIELD 14). */
static int wssl_is_date_error(int err)
{
    return err == ASN_AFTER_DATE_E || err == ASN_BEFORE_DATE_E || (err >= 9 && err <= 10) ||
           (err >= 13 && err <= 14);
}

/* A minimal DER reader for the subjectAltName of a certificate: the
 * library's own accessors differ between versions (5.9.2's
 * wolfSSL_X509_get_ext_d2i returns no names for a peer certificate). */
static int wssl_der_item(const unsigned char **p, const unsigned char *end, int *tag, size_t *len)
{
    if (end - *p < 2) return -1;
    *tag = *(*p)++;
    size_t l = *(*p)++;
    if (l & 0x80) {
        int n = (int)(l & 0x7f);
        if (n < 1 || n > 3 || end - *p < n) return -1;
        for (l = 0; n > 0; n--)
            l = (l << 8) | *(*p)++;
    }
    if ((size_t)(end - *p) < l) return -1;
    *len = l;
    return 0;
}

/* wolfSSL_X509_check_email compares the subject's emailAddress only: the
 * rfc822Name entries ([1]) of the subjectAltName are checked here. */
static int wssl_san_has_email(WOLFSSL_X509 *x, const char *email)
{
    static const unsigned char oid_san[] = {0x06, 0x03, 0x55, 0x1d, 0x11};
    int dlen = 0, tag;
    size_t len;
    const unsigned char *der = wolfSSL_X509_get_der(x, &dlen), *p = der, *end;

    if (der == NULL || dlen <= 0) return 0;
    end = der + dlen;
    /* Certificate, tbsCertificate */
    if (wssl_der_item(&p, end, &tag, &len) || tag != 0x30) return 0;
    if (wssl_der_item(&p, end, &tag, &len) || tag != 0x30) return 0;
    end = p + len;
    while (p < end) { /* the fields of tbsCertificate, up to [3] extensions */
        if (wssl_der_item(&p, end, &tag, &len)) return 0;
        if (tag == 0xa3) break;
        p += len;
    }
    if (p >= end || wssl_der_item(&p, end, &tag, &len) || tag != 0x30) return 0;
    end = p + len;
    while (p < end) { /* Extension ::= SEQUENCE { OID, critical BOOLEAN OPTIONAL, OCTET STRING } */
        const unsigned char *ext_end;
        if (wssl_der_item(&p, end, &tag, &len) || tag != 0x30) return 0;
        ext_end = p + len;
        if ((size_t)(ext_end - p) < sizeof(oid_san) || memcmp(p, oid_san, sizeof(oid_san)) != 0) {
            p = ext_end;
            continue;
        }
        p += sizeof(oid_san);
        if (wssl_der_item(&p, ext_end, &tag, &len)) return 0;
        if (tag == 0x01) { /* critical */
            p += len;
            if (wssl_der_item(&p, ext_end, &tag, &len)) return 0;
        }
        if (tag != 0x04 || wssl_der_item(&p, ext_end, &tag, &len) || tag != 0x30) return 0;
        const unsigned char *names_end = p + len;
        while (p < names_end) {
            if (wssl_der_item(&p, names_end, &tag, &len)) return 0;
            if (tag == 0x81 && len == strlen(email) && strncasecmp((const char *)p, email, len) == 0)
                return 1;
            p += len;
        }
        return 0;
    }
    return wolfSSL_X509_check_email(x, email, strlen(email), 0) == WOLFSSL_SUCCESS;
}

static int wssl_policy_verify_cb(int preverify, WOLFSSL_X509_STORE_CTX *store)
{
    int depth = wolfSSL_X509_STORE_CTX_get_error_depth(store);
    WOLFSSL_X509 *x = wolfSSL_X509_STORE_CTX_get_current_cert(store);

    if (!preverify) {
        if (!wssl_is_date_error(wolfSSL_X509_STORE_CTX_get_error(store)) ||
            !(wssl_vpol.no_check_time || wssl_vpol.have_attime))
            return 0;
        wolfSSL_X509_STORE_CTX_set_error(store, 0);
        wssl_vpol.overridden = 1;
    }
    if (x == NULL) return preverify;
    /* -verify N: N intermediate CAs at most (OpenSSL's meaning). The
     * library counts every certificate the client sent, a trust anchor it
     * sent too ("Maximum Chain Depth Exceeded" for leaf + root at -verify
     * 0), so its limit is one higher (wssl_context.c) and the exact limit
     * is here: a certificate deeper than N must be the (self-issued) trust
     * anchor. */
    if (wssl_vpol.verify_depth >= 0 && depth > wssl_vpol.verify_depth &&
        wolfSSL_X509_NAME_cmp(wolfSSL_X509_get_issuer_name(x), wolfSSL_X509_get_subject_name(x)) != 0) {
        wolfSSL_X509_STORE_CTX_set_error(store, 22 /* X509_V_ERR_CERT_CHAIN_TOO_LONG */);
        return 0;
    }
    if (wssl_vpol.have_attime && !wssl_vpol.no_check_time) {
        time_t t = wssl_vpol.attime;
        if (wolfSSL_X509_cmp_time(wolfSSL_X509_get_notBefore(x), &t) > 0) {
            wolfSSL_X509_STORE_CTX_set_error(store, 9 /* X509_V_ERR_CERT_NOT_YET_VALID */);
            return 0;
        }
        if (wolfSSL_X509_cmp_time(wolfSSL_X509_get_notAfter(x), &t) < 0) {
            wolfSSL_X509_STORE_CTX_set_error(store, 10 /* X509_V_ERR_CERT_HAS_EXPIRED */);
            return 0;
        }
    }
    if (depth != 0) return 1;
    /* The leaf, the last call: an overridden date error must not remain
     * the connection's verify result. */
    if (wssl_vpol.overridden) {
        WOLFSSL *ssl = wolfSSL_X509_STORE_CTX_get_ex_data(store, wolfSSL_get_ex_data_X509_STORE_CTX_idx());
        wssl_vpol.overridden = 0;
        /* 5.9.2 takes this; 5.5.4 stores the error after the callback,
         * so the mark below makes wssl_policy_verify_result say OK. */
        if (ssl != NULL) {
            wolfSSL_set_verify_result(ssl, 0);
            if (wssl_vpol.ex_index >= 0) wolfSSL_set_ex_data(ssl, wssl_vpol.ex_index, &wssl_vpol);
        }
    }
    if (wssl_vpol.host[0] &&
        wolfSSL_X509_check_host(x, wssl_vpol.host, strlen(wssl_vpol.host), 0, NULL) != WOLFSSL_SUCCESS) {
        wolfSSL_X509_STORE_CTX_set_error(store, 62 /* X509_V_ERR_HOSTNAME_MISMATCH */);
        return 0;
    }
    if (wssl_vpol.email[0] && !wssl_san_has_email(x, wssl_vpol.email)) {
        wolfSSL_X509_STORE_CTX_set_error(store, 63 /* X509_V_ERR_EMAIL_MISMATCH */);
        return 0;
    }
    if (wssl_vpol.ip[0] && wolfSSL_X509_check_ip_asc(x, wssl_vpol.ip, 0) != WOLFSSL_SUCCESS) {
        wolfSSL_X509_STORE_CTX_set_error(store, 64 /* X509_V_ERR_IP_ADDRESS_MISMATCH */);
        return 0;
    }
    if (wssl_vpol.purpose_xku) {
        unsigned xku = wolfSSL_X509_get_extended_key_usage(x);
        /* No extendedKeyUsage extension: any purpose (as in OpenSSL). */
        if (xku != 0 && !(xku & (wssl_vpol.purpose_xku | WSSL_XKU_ANYEKU))) {
            wolfSSL_X509_STORE_CTX_set_error(store, 26 /* X509_V_ERR_INVALID_PURPOSE */);
            return 0;
        }
    }
    return 1;
}

int wssl_policy_setup(WOLFSSL_CTX *ctx, const ptls_config *cfg, char *err, size_t errlen)
{
    const ptls_verify_policy *p = &cfg->verify;
    const char *purpose = p->purpose;

    (void)err;
    (void)errlen;
    if (cfg->verify_mode == PTLS_VERIFY_NONE) return 0;
    memset(&wssl_vpol, 0, sizeof(wssl_vpol));
    wssl_vpol.verify_depth = cfg->verify_depth;
    wssl_vpol.active = 1;
    wssl_vpol.ex_index = wolfSSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
    if (p->host) snprintf(wssl_vpol.host, sizeof(wssl_vpol.host), "%s", p->host);
    if (p->email) snprintf(wssl_vpol.email, sizeof(wssl_vpol.email), "%s", p->email);
    if (p->ip) snprintf(wssl_vpol.ip, sizeof(wssl_vpol.ip), "%s", p->ip);
    if (purpose == NULL && p->verify_name) purpose = wssl_named_purpose(p->verify_name);
    for (size_t i = 0; purpose && i < sizeof(wssl_purposes) / sizeof(wssl_purposes[0]); i++)
        if (strcmp(purpose, wssl_purposes[i].name) == 0) wssl_vpol.purpose_xku = wssl_purposes[i].xku;
    wssl_vpol.no_check_time = (p->flags & PTLS_VF_NO_CHECK_TIME) != 0;
    wssl_vpol.have_attime = p->have_attime;
    wssl_vpol.attime = (time_t)p->attime;
    wolfSSL_CTX_set_verify(ctx, wolfSSL_CTX_get_verify_mode(ctx), wssl_policy_verify_cb);
    return 0;
}

long wssl_policy_verify_result(WOLFSSL *ssl, long vr)
{
    if (vr != 0 && wssl_vpol.active && wssl_vpol.ex_index >= 0 &&
        wolfSSL_get_ex_data(ssl, wssl_vpol.ex_index) != NULL)
        return 0;
    return vr;
}

VerifyCallback wssl_policy_callback(void)
{
    return wssl_vpol.active ? wssl_policy_verify_cb : NULL;
}
