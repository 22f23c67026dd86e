/*
 * IANA ids (as resolved by the core) to what OpenSSL takes and shows.
 *
 * The core resolves -groups/-sigalgs to IANA ids so that every backend applies
 * the same list; OpenSSL wants its own spellings for groups and signature
 * schemes, so these tables translate. Whether the linked library can use an
 * entry is asked of the library itself (a scratch context takes the name or
 * not) and remembered: an id missing here, or one the library refuses, is one
 * check_config refuses.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/err.h>

#include "ossl_compat.h"
#include "ossl_private.h"

typedef struct ossl_group_entry {
    uint16_t id;
    const char *ossl; /* OpenSSL's TLS group name (set1_groups_list, SSL_group_to_name) */
    const char *name; /* the name get_info shows (the core's spelling) */
} ossl_group_entry;

static const ossl_group_entry ossl_groups[] = {
    {0x0013, "secp192r1", "P-192"},
    {0x0015, "secp224r1", "P-224"},
    {0x0016, "secp256k1", "secp256k1"},
    {0x0017, "secp256r1", "P-256"},
    {0x0018, "secp384r1", "P-384"},
    {0x0019, "secp521r1", "P-521"},
    {0x001a, "brainpoolP256r1", "brainpoolP256r1"},
    {0x001b, "brainpoolP384r1", "brainpoolP384r1"},
    {0x001c, "brainpoolP512r1", "brainpoolP512r1"},
    {0x001d, "x25519", "X25519"},
    {0x001e, "x448", "X448"},
    {0x0100, "ffdhe2048", "ffdhe2048"},
    {0x0101, "ffdhe3072", "ffdhe3072"},
    {0x0102, "ffdhe4096", "ffdhe4096"},
    {0x0103, "ffdhe6144", "ffdhe6144"},
    {0x0104, "ffdhe8192", "ffdhe8192"},
    /* ML-KEM (FIPS 203), pure and hybrid: draft-ietf-tls-mlkem,
     * draft-ietf-tls-ecdhe-mlkem. */
    {0x0200, "MLKEM512", "MLKEM512"},
    {0x0201, "MLKEM768", "MLKEM768"},
    {0x0202, "MLKEM1024", "MLKEM1024"},
    {0x11eb, "SecP256r1MLKEM768", "SecP256r1MLKEM768"},
    {0x11ec, "X25519MLKEM768", "X25519MLKEM768"},
    {0x11ed, "SecP384r1MLKEM1024", "SecP384r1MLKEM1024"},
};

#define OSSL_N_GROUPS (sizeof(ossl_groups) / sizeof(ossl_groups[0]))

static const ossl_group_entry *ossl_group_entry_of(uint16_t id)
{
    for (size_t i = 0; i < OSSL_N_GROUPS; i++)
        if (ossl_groups[i].id == id) return &ossl_groups[i];
    return NULL;
}

/* Whether the linked library takes name as a group (groups != 0) or a
 * signature scheme list entry: asked of a scratch context. */
static int ossl_library_takes(const char *name, int groups)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    int ok = ctx != NULL &&
             (groups ? SSL_CTX_set1_groups_list(ctx, name) : SSL_CTX_set1_sigalgs_list(ctx, name)) == 1;
    SSL_CTX_free(ctx);
    ERR_clear_error();
    return ok;
}

const char *ossl_group_ossl_name(uint16_t id)
{
    static signed char known[OSSL_N_GROUPS]; /* 0 not asked yet, 1 yes, -1 no */
    const ossl_group_entry *e = ossl_group_entry_of(id);
    if (e == NULL) return NULL;
    size_t i = (size_t)(e - ossl_groups);
    if (known[i] == 0) known[i] = ossl_library_takes(e->ossl, 1) ? 1 : -1;
    return known[i] > 0 ? e->ossl : NULL;
}

const char *ossl_group_missing_why(uint16_t id)
{
#ifdef OPENSSL_NO_TLS_DEPRECATED_EC
    /* 0x0001-0x0016: the curves RFC 8422 deprecated (P-192, P-224,
     * secp256k1, the binary curves). */
    if (id >= 0x0001 && id <= 0x0016)
        return " (built without the deprecated TLS curves, OPENSSL_NO_TLS_DEPRECATED_EC)";
#else
    (void)id;
#endif
    return "";
}

const char *ossl_group_name_by_ossl_name(const char *ossl)
{
    for (size_t i = 0; i < OSSL_N_GROUPS; i++)
        if (strcasecmp(ossl_groups[i].ossl, ossl) == 0) return ossl_groups[i].name;
    return NULL;
}

int ossl_group_list(const uint16_t *ids, int n, char *out, size_t outlen, char *err, size_t errlen)
{
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        const char *name = ossl_group_ossl_name(ids[i]);
        if (name == NULL) {
            snprintf(err, errlen, "-groups: %s has no group 0x%04x%s", ossl_lib_name(), ids[i],
                     ossl_group_missing_why(ids[i]));
            return -1;
        }
        int w = snprintf(out + used, outlen - used, "%s%s", used ? ":" : "", name);
        if (w < 0 || (size_t)w >= outlen - used) {
            snprintf(err, errlen, "-groups: list too long");
            return -1;
        }
        used += (size_t)w;
    }
    return 0;
}

typedef struct ossl_sigalg_entry {
    uint16_t id;
    const char *name; /* accepted by SSL_CTX_set1_sigalgs_list */
} ossl_sigalg_entry;

/* OpenSSL knows the TLS 1.3 scheme names; the legacy SHA-1/SHA-224 and DSA
 * schemes have no such name there, only the "ALG+HASH" form. */
static const ossl_sigalg_entry ossl_sigalgs[] = {
    {0x0201, "RSA+SHA1"},
    {0x0202, "DSA+SHA1"},
    {0x0203, "ECDSA+SHA1"},
    {0x0301, "RSA+SHA224"},
    {0x0302, "DSA+SHA224"},
    {0x0303, "ECDSA+SHA224"},
    {0x0401, "rsa_pkcs1_sha256"},
    {0x0402, "DSA+SHA256"},
    {0x0403, "ecdsa_secp256r1_sha256"},
    {0x0501, "rsa_pkcs1_sha384"},
    {0x0502, "DSA+SHA384"},
    {0x0503, "ecdsa_secp384r1_sha384"},
    {0x0601, "rsa_pkcs1_sha512"},
    {0x0602, "DSA+SHA512"},
    {0x0603, "ecdsa_secp521r1_sha512"},
    {0x0804, "rsa_pss_rsae_sha256"},
    {0x0805, "rsa_pss_rsae_sha384"},
    {0x0806, "rsa_pss_rsae_sha512"},
    {0x0807, "ed25519"},
    {0x0808, "ed448"},
    {0x0809, "rsa_pss_pss_sha256"},
    {0x080a, "rsa_pss_pss_sha384"},
    {0x080b, "rsa_pss_pss_sha512"},
    /* ML-DSA (FIPS 204), draft-ietf-tls-mldsa. */
    {0x0904, "mldsa44"},
    {0x0905, "mldsa65"},
    {0x0906, "mldsa87"},
};

#define OSSL_N_SIGALGS (sizeof(ossl_sigalgs) / sizeof(ossl_sigalgs[0]))

const char *ossl_sigalg_name(uint16_t id)
{
    static signed char known[OSSL_N_SIGALGS]; /* 0 not asked yet, 1 yes, -1 no */
    for (size_t i = 0; i < OSSL_N_SIGALGS; i++) {
        if (ossl_sigalgs[i].id != id) continue;
        if (known[i] == 0) known[i] = ossl_library_takes(ossl_sigalgs[i].name, 0) ? 1 : -1;
        return known[i] > 0 ? ossl_sigalgs[i].name : NULL;
    }
    return NULL;
}

/* Builds "name:name:..." for set1_sigalgs_list; fails naming the first id
 * OpenSSL cannot do, so that nothing in the user's list is dropped. */
int ossl_sigalg_list(const uint16_t *ids, int n, char *out, size_t outlen, char *err, size_t errlen)
{
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        const char *name = ossl_sigalg_name(ids[i]);
        if (name == NULL) {
            snprintf(err, errlen, "signature scheme 0x%04x is not supported by %s", ids[i], ossl_lib_name());
            return -1;
        }
        int w = snprintf(out + used, outlen - used, "%s%s", used ? ":" : "", name);
        if (w < 0 || (size_t)w >= outlen - used) {
            snprintf(err, errlen, "signature scheme list too long");
            return -1;
        }
        used += (size_t)w;
    }
    return 0;
}

/* IANA cipher suite id -> OpenSSL name, looked up in OpenSSL's own list of
 * every suite it implements (a scratch context at security level 0, so that
 * nothing is filtered out). */
static const char *ossl_cipher_name(SSL_CTX *all, uint16_t id)
{
    STACK_OF(SSL_CIPHER) *sk = SSL_CTX_get_ciphers(all);
    for (int i = 0; i < sk_SSL_CIPHER_num(sk); i++) {
        const SSL_CIPHER *c = sk_SSL_CIPHER_value(sk, i);
        if (SSL_CIPHER_get_protocol_id(c) == id) return SSL_CIPHER_get_name(c);
    }
    return NULL;
}

int ossl_cipher_list_from_ids(const uint16_t *ids, int n, char *out, size_t outlen, char *err, size_t errlen)
{
    SSL_CTX *all = SSL_CTX_new(TLS_server_method());
    if (all != NULL) SSL_CTX_set_security_level(all, 0);
    if (all == NULL || !SSL_CTX_set_cipher_list(all, "ALL:COMPLEMENTOFALL")) {
        SSL_CTX_free(all);
        ossl_collect_errors(err, errlen, "-cipher: cannot list OpenSSL's cipher suites");
        return -1;
    }
    int rc = 0;
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < n && rc == 0; i++) {
        /* TLS 1.3 suites belong to -ciphersuites; OpenSSL's -cipher ignores
         * them the same way. */
        if ((ids[i] >> 8) == 0x13) continue;
        const char *name = ossl_cipher_name(all, ids[i]);
        if (name == NULL) {
            snprintf(err, errlen, "-cipher: cipher suite 0x%04x is not implemented by %s", ids[i],
                     ossl_lib_name());
            rc = -1;
            break;
        }
        int w = snprintf(out + used, outlen - used, "%s%s", used ? ":" : "", name);
        if (w < 0 || (size_t)w >= outlen - used) {
            snprintf(err, errlen, "-cipher: list too long");
            rc = -1;
            break;
        }
        used += (size_t)w;
    }
    SSL_CTX_free(all);
    return rc;
}
