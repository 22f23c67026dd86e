/*
 * mbed_compat.h for Mbed TLS 2.x (2.28 LTS, Debian bookworm's system
 * library): public struct fields, major/minor version numbers, curve ids
 * and a hash-only signature list, the export-keys "ext" callback.
 */
#include "mbed_compat.h"

#if !MBED_V3

#include <stdio.h>
#include <string.h>

#include <mbedtls/md.h>
#include <mbedtls/ssl_cache.h>
#include <mbedtls/x509_crt.h>

#include "mbed_internal.h"

int mbed_compat_global_init(char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    return 0;
}

/* Wire version -> the minor number 2.x uses (DTLS 1.0 is "minor 2"). */
static int mbed_minor(int wire, int dtls)
{
    if (dtls) {
        if (wire == PTLS_DTLS1_0) return MBEDTLS_SSL_MINOR_VERSION_2;
        if (wire == PTLS_DTLS1_2) return MBEDTLS_SSL_MINOR_VERSION_3;
        return -1;
    }
    if (wire >= PTLS_TLS1_0 && wire <= PTLS_TLS1_2) return wire & 0xff;
    return -1;
}

int mbed_compat_conf_versions(mbedtls_ssl_config *conf, int dtls, int min_wire, int max_wire, char *why,
                              size_t whylen)
{
    int lo = mbed_minor(min_wire, dtls), hi = mbed_minor(max_wire, dtls);

    if (lo < 0 || hi < 0 || lo > hi) {
        snprintf(why, whylen, "protocol versions 0x%04X-0x%04X: " MBED_LIB " serves %s", min_wire, max_wire,
                 dtls ? "DTLS 1.0 (0xFEFF) and DTLS 1.2 (0xFEFD)"
                      : "TLS 1.0 to TLS 1.2 (no TLS 1.3 before Mbed TLS 3.x)");
        return -1;
    }
    mbedtls_ssl_conf_min_version(conf, MBEDTLS_SSL_MAJOR_VERSION_3, lo);
    mbedtls_ssl_conf_max_version(conf, MBEDTLS_SSL_MAJOR_VERSION_3, hi);
    return 0;
}

int mbed_compat_version(const mbedtls_ssl_context *ssl)
{
    if (!ssl->session) return 0;
    return ssl->major_ver << 8 | ssl->minor_ver;
}

int mbed_compat_handshake_over(mbedtls_ssl_context *ssl)
{
    return ssl->state == MBEDTLS_SSL_HANDSHAKE_OVER;
}

int mbed_compat_secure_renegotiation(const mbedtls_ssl_context *ssl)
{
    return ssl->secure_renegotiation == MBEDTLS_SSL_SECURE_RENEGOTIATION;
}

/* --- groups: 2.x takes curve ids --- */

const char *mbed_compat_group_refusal(uint16_t id)
{
    if (id >= 0x0100 && id <= 0x01ff) return MBED_LIB " has no FFDHE groups; use -dhparam for DHE suites";
    if (id == 0x11EB || id == 0x11EC || id == 0x11ED || (id >= 0x0200 && id <= 0x0202))
        return MBED_LIB " has no ML-KEM";
    if (mbedtls_ecp_curve_info_from_tls_id(id)) return NULL;
    return "not a group " MBED_LIB " supports";
}

void mbed_compat_conf_groups(mbedtls_ssl_config *conf, const uint16_t *ids, int n, mbed_group_t *store)
{
    int k = 0;

    for (int i = 0; i < n; i++) {
        const mbedtls_ecp_curve_info *ci = mbedtls_ecp_curve_info_from_tls_id(ids[i]);
        if (ci) store[k++] = ci->grp_id;
    }
    store[k] = MBEDTLS_ECP_DP_NONE;
    mbedtls_ssl_conf_curves(conf, store);
}

/* --- signature schemes: 2.x restricts hashes only --- */

/* TLS SignatureScheme -> the hash 2.28 can restrict (it has no
 * per-algorithm list). MBEDTLS_MD_NONE for schemes it cannot do in TLS 1.2
 * (RSA-PSS, EdDSA, DSA...). */
static int mbed_sigalg_hash(uint16_t id, int *is_rsa)
{
    int sig = id & 0xff;

    if (sig != 1 && sig != 3) return MBEDTLS_MD_NONE; /* 1 rsa_pkcs1, 3 ecdsa */
    *is_rsa = sig == 1;
    switch (id >> 8) {
    case 2:
        return MBEDTLS_MD_SHA1;
    case 3:
        return MBEDTLS_MD_SHA224;
    case 4:
        return MBEDTLS_MD_SHA256;
    case 5:
        return MBEDTLS_MD_SHA384;
    case 6:
        return MBEDTLS_MD_SHA512;
    default:
        return MBEDTLS_MD_NONE;
    }
}

const char *mbed_compat_sigalg_refusal(uint16_t id)
{
    int rsa;

    if (mbed_sigalg_hash(id, &rsa) != MBEDTLS_MD_NONE) return NULL;
    return "not possible with " MBED_LIB
           " (TLS 1.2 with RSA PKCS#1 v1.5 or ECDSA only: no RSA-PSS, no EdDSA)";
}

static int mbed_pk_kind(const mbedtls_pk_context *pk)
{
    mbedtls_pk_type_t t = mbedtls_pk_get_type(pk);

    if (t == MBEDTLS_PK_RSA || t == MBEDTLS_PK_RSASSA_PSS) return 1;
    if (t == MBEDTLS_PK_ECKEY || t == MBEDTLS_PK_ECDSA || t == MBEDTLS_PK_ECKEY_DH) return 2;
    return 0;
}

/* conf_sig_hashes restricts hashes only, for RSA and ECDSA alike. A list
 * that gives different hashes to the two algorithms can be applied exactly
 * only when the algorithm missing hashes is not used at all: not for our
 * own keys and, when a client certificate is requested, not in the
 * CertificateRequest either. */
int mbed_compat_apply_sigalgs(mbed_server *s, const ptls_config *cfg, char *err, size_t errlen)
{
    unsigned rsa_set = 0, ec_set = 0, all;
    int i, k = 0, is_rsa, h, need_rsa = 0, need_ec = 0;
    const mbed_keypair *kps[3] = {&s->cert, &s->dcert, &s->cert2};

    if (cfg->n_sigalg_ids <= 0) return 0;
    for (i = 0; i < cfg->n_sigalg_ids; i++) {
        h = mbed_sigalg_hash(cfg->sigalg_ids[i], &is_rsa);
        if (h == MBEDTLS_MD_NONE) {
            snprintf(err, errlen, "-sigalgs: scheme 0x%04X is not possible with " MBED_LIB,
                     cfg->sigalg_ids[i]);
            return -1;
        }
        if (is_rsa)
            rsa_set |= 1u << h;
        else
            ec_set |= 1u << h;
        /* Keep the user's order of first appearance of each hash. */
        {
            int j, dup = 0;
            for (j = 0; j < k; j++)
                if (s->hashes[j] == h) dup = 1;
            if (!dup && k < (int)(sizeof s->hashes / sizeof s->hashes[0]) - 1) s->hashes[k++] = h;
        }
    }
    s->hashes[k] = MBEDTLS_MD_NONE;
    all = rsa_set | ec_set;
    for (i = 0; i < 3; i++) {
        if (!kps[i]->loaded) continue;
        if (mbed_pk_kind(&kps[i]->pk) == 1) need_rsa = 1;
        if (mbed_pk_kind(&kps[i]->pk) == 2) need_ec = 1;
    }
    if (cfg->verify_mode != PTLS_VERIFY_NONE) need_rsa = need_ec = 1;
    if ((need_rsa && rsa_set != all) || (need_ec && ec_set != all)) {
        snprintf(err, errlen,
                 "-sigalgs %s: " MBED_LIB " can restrict only the hash, for RSA and ECDSA alike; give both "
                 "algorithms the same hashes (e.g. RSA+SHA256:ECDSA+SHA256)%s",
                 cfg->sigalgs ? cfg->sigalgs : "",
                 cfg->verify_mode != PTLS_VERIFY_NONE ? " (client verification sends the list for both)"
                                                      : "");
        return -1;
    }
    mbedtls_ssl_conf_sig_hashes(&s->conf, s->hashes);
    return 0;
}

/* --- keys --- */

int mbed_compat_parse_keyfile(mbedtls_pk_context *pk, const char *path, const char *pass)
{
    return mbedtls_pk_parse_keyfile(pk, path, pass);
}

int mbed_compat_check_pair(const mbedtls_pk_context *pub, const mbedtls_pk_context *prv)
{
    return mbedtls_pk_check_pair(pub, prv);
}

int mbed_compat_crt_set_serial(mbedtls_x509write_cert *crt, const unsigned char *serial, size_t len)
{
    mbedtls_mpi mpi;
    int ret;

    mbedtls_mpi_init(&mpi);
    ret = mbedtls_mpi_read_binary(&mpi, serial, len);
    if (ret == 0) ret = mbedtls_x509write_crt_set_serial(crt, &mpi);
    mbedtls_mpi_free(&mpi);
    return ret;
}

/* --- per-connection callbacks --- */

static int mbed_cache_get2(void *ctx, mbedtls_ssl_session *session)
{
    mbed_conn *c = ctx;
    int r = mbedtls_ssl_cache_get(&c->srv->cache, session);

    if (r == 0) c->resumed = 1;
    return r;
}

static int mbed_cache_set2(void *ctx, const mbedtls_ssl_session *session)
{
    mbed_conn *c = ctx;

    return mbedtls_ssl_cache_set(&c->srv->cache, session);
}

static int mbed_export_keys2(void *ctx, const unsigned char *ms, const unsigned char *kb, size_t maclen,
                             size_t keylen, size_t ivlen, const unsigned char client_random[32],
                             const unsigned char server_random[32], mbedtls_tls_prf_types prf)
{
    (void)kb;
    (void)maclen;
    (void)keylen;
    (void)ivlen;
    mbed_keys_tls12(ctx, ms, client_random, server_random, prf);
    return 0;
}

void mbed_compat_conf_callbacks(mbed_conn *c)
{
    if (c->srv->session_cache) mbedtls_ssl_conf_session_cache(&c->conf, c, mbed_cache_get2, mbed_cache_set2);
    mbedtls_ssl_conf_export_keys_ext_cb(&c->conf, mbed_export_keys2, c);
}

void mbed_compat_ssl_callbacks(mbed_conn *c)
{
    (void)c;
}

/* RFC 5705 without context: PRF(master, label, client_random +
 * server_random), with the PRF of the negotiated version (2.28 has no
 * exporter function). */
int mbed_compat_export_keying_material(mbed_conn *c, const char *label, unsigned char *out, size_t len)
{
    return mbedtls_ssl_tls_prf(c->prf, c->master, sizeof c->master, label, c->randoms, sizeof c->randoms, out,
                               len);
}

#else
typedef int mbed_compat2_unused; /* ISO C: no empty translation unit */
#endif /* !MBED_V3 */
