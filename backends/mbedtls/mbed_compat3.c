/*
 * mbed_compat.h for Mbed TLS 3.x (3.6 LTS): public getters instead of the
 * fields 3.0 made private, TLS version numbers instead of minor versions,
 * IANA group and signature scheme lists, RNG arguments for key parsing,
 * the session-ID cache and export-keys callbacks of 3.x, PSA setup.
 */
#include "mbed_compat.h"

#if MBED_V3

#include <stdio.h>
#include <string.h>

#include <mbedtls/ssl_cache.h>
#include <mbedtls/x509_crt.h>
#include <psa/crypto.h>

#include "mbed_internal.h"

int mbed_compat_global_init(char *err, size_t errlen)
{
    /* TLS 1.3 (and PSA-backed TLS 1.2) run on PSA Crypto. */
    psa_status_t st = psa_crypto_init();

    if (st != PSA_SUCCESS) {
        snprintf(err, errlen, "psa_crypto_init failed (PSA status %d)", (int)st);
        return -1;
    }
    return 0;
}

static int mbed_tls_version(int wire, int dtls)
{
    if (dtls) return wire == PTLS_DTLS1_2 ? MBEDTLS_SSL_VERSION_TLS1_2 : -1;
    switch (wire) {
#if defined(MBEDTLS_SSL_PROTO_TLS1_2)
    case PTLS_TLS1_2:
        return MBEDTLS_SSL_VERSION_TLS1_2;
#endif
#if MBED_TLS13
    case PTLS_TLS1_3:
        return MBEDTLS_SSL_VERSION_TLS1_3;
#endif
    default:
        return -1;
    }
}

int mbed_compat_conf_versions(mbedtls_ssl_config *conf, int dtls, int min_wire, int max_wire, char *why,
                              size_t whylen)
{
    int lo = mbed_tls_version(min_wire, dtls), hi = mbed_tls_version(max_wire, dtls);

    if (lo < 0 || hi < 0 || lo > hi) {
        snprintf(why, whylen, "protocol versions 0x%04X-0x%04X: " MBED_LIB " serves %s", min_wire, max_wire,
                 dtls ? "DTLS 1.2 only (DTLS 1.0 was removed in Mbed TLS 3.0)"
                      : (MBED_TLS13 ? "TLS 1.2 and TLS 1.3 (TLS 1.0 and 1.1 were removed in Mbed TLS 3.0)"
                                    : "TLS 1.2 only (built without MBEDTLS_SSL_PROTO_TLS1_3)"));
        return -1;
    }
    mbedtls_ssl_conf_min_tls_version(conf, (mbedtls_ssl_protocol_version)lo);
    mbedtls_ssl_conf_max_tls_version(conf, (mbedtls_ssl_protocol_version)hi);
    return 0;
}

int mbed_compat_version(const mbedtls_ssl_context *ssl)
{
    mbedtls_ssl_protocol_version v = mbedtls_ssl_get_version_number(ssl);

    return v == MBEDTLS_SSL_VERSION_UNKNOWN ? 0 : (int)v;
}

int mbed_compat_handshake_over(mbedtls_ssl_context *ssl)
{
    return mbedtls_ssl_is_handshake_over(ssl);
}

int mbed_compat_secure_renegotiation(const mbedtls_ssl_context *ssl)
{
    /* No getter in 3.x (the field is private); the library itself refuses
     * a renegotiation without RFC 5746 unless legacy renegotiation is on. */
    (void)ssl;
    return -1;
}

/* --- groups: 3.x takes IANA NamedGroup values --- */

const char *mbed_compat_group_refusal(uint16_t id)
{
    if (id == 0x11EB || id == 0x11EC || id == 0x11ED || (id >= 0x0200 && id <= 0x0202))
        return MBED_LIB " has no ML-KEM (X25519MLKEM768, SecP256r1MLKEM768, MLKEM768... came in no 3.x "
                        "release)";
    if (id >= 0x0100 && id <= 0x0104) {
#if defined(PSA_WANT_ALG_FFDH) && MBED_TLS13
        return NULL; /* TLS 1.3 FFDHE key shares through PSA */
#else
        return MBED_LIB " was built without FFDHE groups (PSA_WANT_ALG_FFDH, TLS 1.3)";
#endif
    }
    if (mbedtls_ecp_curve_info_from_tls_id(id)) return NULL;
    return "not a group " MBED_LIB " supports";
}

void mbed_compat_conf_groups(mbedtls_ssl_config *conf, const uint16_t *ids, int n, mbed_group_t *store)
{
    for (int i = 0; i < n; i++)
        store[i] = ids[i];
    store[n] = MBEDTLS_SSL_IANA_TLS_GROUP_NONE;
    mbedtls_ssl_conf_groups(conf, store);
}

/* --- signature schemes: 3.x takes the SignatureScheme list itself --- */

const char *mbed_compat_sigalg_refusal(uint16_t id)
{
    switch (id) {
    case MBEDTLS_TLS1_3_SIG_RSA_PKCS1_SHA1:
    case MBEDTLS_TLS1_3_SIG_ECDSA_SHA1:
    case 0x0301: /* rsa_pkcs1_sha224 */
    case 0x0303: /* ecdsa_sha224 */
    case MBEDTLS_TLS1_3_SIG_RSA_PKCS1_SHA256:
    case MBEDTLS_TLS1_3_SIG_RSA_PKCS1_SHA384:
    case MBEDTLS_TLS1_3_SIG_RSA_PKCS1_SHA512:
    case MBEDTLS_TLS1_3_SIG_ECDSA_SECP256R1_SHA256:
    case MBEDTLS_TLS1_3_SIG_ECDSA_SECP384R1_SHA384:
    case MBEDTLS_TLS1_3_SIG_ECDSA_SECP521R1_SHA512:
        return NULL;
#if defined(MBEDTLS_PKCS1_V21)
    case MBEDTLS_TLS1_3_SIG_RSA_PSS_RSAE_SHA256:
    case MBEDTLS_TLS1_3_SIG_RSA_PSS_RSAE_SHA384:
    case MBEDTLS_TLS1_3_SIG_RSA_PSS_RSAE_SHA512:
        return NULL;
#endif
    case MBEDTLS_TLS1_3_SIG_ED25519:
    case MBEDTLS_TLS1_3_SIG_ED448:
        return MBED_LIB " has no EdDSA signatures";
    case MBEDTLS_TLS1_3_SIG_RSA_PSS_PSS_SHA256:
    case MBEDTLS_TLS1_3_SIG_RSA_PSS_PSS_SHA384:
    case MBEDTLS_TLS1_3_SIG_RSA_PSS_PSS_SHA512:
        return MBED_LIB " has no rsa_pss_pss schemes (RSA-PSS keys); rsa_pss_rsae works";
    default:
        return "not a signature scheme " MBED_LIB " supports (RSA PKCS#1, RSA-PSS-RSAE, ECDSA)";
    }
}

int mbed_compat_apply_sigalgs(mbed_server *s, const ptls_config *cfg, char *err, size_t errlen)
{
    int i, n = 0;

    if (cfg->n_sigalg_ids <= 0) return 0;
    for (i = 0; i < cfg->n_sigalg_ids && n < (int)(sizeof s->sig_algs / sizeof s->sig_algs[0]) - 1; i++) {
        const char *why = mbed_compat_sigalg_refusal(cfg->sigalg_ids[i]);
        if (why) {
            snprintf(err, errlen, "-sigalgs: scheme 0x%04X: %s", cfg->sigalg_ids[i], why);
            return -1;
        }
        s->sig_algs[n++] = cfg->sigalg_ids[i];
    }
    s->sig_algs[n] = MBEDTLS_TLS1_3_SIG_NONE;
    mbedtls_ssl_conf_sig_algs(&s->conf, s->sig_algs);
    return 0;
}

/* --- keys --- */

int mbed_compat_parse_keyfile(mbedtls_pk_context *pk, const char *path, const char *pass)
{
    return mbedtls_pk_parse_keyfile(pk, path, pass, mbed_rng, NULL);
}

int mbed_compat_check_pair(const mbedtls_pk_context *pub, const mbedtls_pk_context *prv)
{
    return mbedtls_pk_check_pair(pub, prv, mbed_rng, NULL);
}

int mbed_compat_crt_set_serial(mbedtls_x509write_cert *crt, const unsigned char *serial, size_t len)
{
    return mbedtls_x509write_crt_set_serial_raw(crt, (unsigned char *)serial, len);
}

/* --- per-connection callbacks --- */

static int mbed_cache_get3(void *ctx, unsigned char const *id, size_t id_len, mbedtls_ssl_session *session)
{
    mbed_conn *c = ctx;
    int r = mbedtls_ssl_cache_get(&c->srv->cache, id, id_len, session);

    if (r == 0) c->resumed = 1;
    return r;
}

static int mbed_cache_set3(void *ctx, unsigned char const *id, size_t id_len,
                           const mbedtls_ssl_session *session)
{
    mbed_conn *c = ctx;

    return mbedtls_ssl_cache_set(&c->srv->cache, id, id_len, session);
}

/* TLS 1.2: the master secret; TLS 1.3: each traffic secret (mbed_tls13.c). */
static void mbed_export_keys3(void *ctx, mbedtls_ssl_key_export_type type, const unsigned char *secret,
                              size_t secret_len, const unsigned char client_random[32],
                              const unsigned char server_random[32], mbedtls_tls_prf_types prf)
{
    mbed_conn *c = ctx;

    if (type == MBEDTLS_SSL_KEY_EXPORT_TLS12_MASTER_SECRET) {
        if (secret_len == sizeof c->master) mbed_keys_tls12(c, secret, client_random, server_random, prf);
        return;
    }
#if MBED_TLS13
    mbed_tls13_secret(c, (int)type, secret, secret_len, client_random);
#endif
}

void mbed_compat_conf_callbacks(mbed_conn *c)
{
    if (c->srv->session_cache) mbedtls_ssl_conf_session_cache(&c->conf, c, mbed_cache_get3, mbed_cache_set3);
}

void mbed_compat_ssl_callbacks(mbed_conn *c)
{
    mbedtls_ssl_set_export_keys_cb(&c->ssl, mbed_export_keys3, c);
}

int mbed_compat_export_keying_material(mbed_conn *c, const char *label, unsigned char *out, size_t len)
{
#if defined(MBEDTLS_SSL_KEYING_MATERIAL_EXPORT)
    return mbedtls_ssl_export_keying_material(&c->ssl, out, len, label, strlen(label), NULL, 0, 0);
#else
    (void)c;
    (void)label;
    (void)out;
    (void)len;
    return MBEDTLS_ERR_SSL_FEATURE_UNAVAILABLE;
#endif
}

#else
typedef int mbed_compat3_unused; /* ISO C: no empty translation unit */
#endif /* MBED_V3 */
