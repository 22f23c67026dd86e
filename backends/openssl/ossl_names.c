/*
 * IANA ids (as resolved by the core) to what OpenSSL 3.0 takes and shows.
 *
 * The core resolves -groups/-sigalgs to IANA ids so that every backend applies
 * the same list; OpenSSL wants NIDs for groups and its own spellings for
 * signature schemes, so these tables translate. An id missing here is an id
 * OpenSSL 3.0 cannot negotiate, and check_config refuses it.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/obj_mac.h>

#include "ossl_private.h"

typedef struct ossl_group_entry {
    uint16_t id;
    int nid;
    const char *name; /* the name get_info shows (the core's spelling) */
} ossl_group_entry;

static const ossl_group_entry ossl_groups[] = {
    {0x0013, NID_X9_62_prime192v1, "P-192"},
    {0x0015, NID_secp224r1, "P-224"},
    {0x0016, NID_secp256k1, "secp256k1"},
    {0x0017, NID_X9_62_prime256v1, "P-256"},
    {0x0018, NID_secp384r1, "P-384"},
    {0x0019, NID_secp521r1, "P-521"},
    {0x001a, NID_brainpoolP256r1, "brainpoolP256r1"},
    {0x001b, NID_brainpoolP384r1, "brainpoolP384r1"},
    {0x001c, NID_brainpoolP512r1, "brainpoolP512r1"},
    {0x001d, NID_X25519, "X25519"},
    {0x001e, NID_X448, "X448"},
    {0x0100, NID_ffdhe2048, "ffdhe2048"},
    {0x0101, NID_ffdhe3072, "ffdhe3072"},
    {0x0102, NID_ffdhe4096, "ffdhe4096"},
    {0x0103, NID_ffdhe6144, "ffdhe6144"},
    {0x0104, NID_ffdhe8192, "ffdhe8192"},
};

int ossl_group_nid(uint16_t id)
{
    for (size_t i = 0; i < sizeof(ossl_groups) / sizeof(ossl_groups[0]); i++)
        if (ossl_groups[i].id == id) return ossl_groups[i].nid;
    return 0;
}

const char *ossl_group_name_by_nid(int nid)
{
    for (size_t i = 0; i < sizeof(ossl_groups) / sizeof(ossl_groups[0]); i++)
        if (ossl_groups[i].nid == nid) return ossl_groups[i].name;
    return NULL;
}

typedef struct ossl_sigalg_entry {
    uint16_t id;
    const char *name; /* accepted by SSL_CTX_set1_sigalgs_list */
} ossl_sigalg_entry;

/* OpenSSL 3.0 knows the TLS 1.3 scheme names; the legacy SHA-1/SHA-224 and
 * DSA schemes have no such name there, only the "ALG+HASH" form. */
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
};

const char *ossl_sigalg_name(uint16_t id)
{
    for (size_t i = 0; i < sizeof(ossl_sigalgs) / sizeof(ossl_sigalgs[0]); i++)
        if (ossl_sigalgs[i].id == id) return ossl_sigalgs[i].name;
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
            snprintf(err, errlen, "signature scheme 0x%04x is not supported by OpenSSL 3.0", ids[i]);
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
            snprintf(err, errlen, "-cipher: cipher suite 0x%04x is not implemented by OpenSSL 3.0", ids[i]);
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
