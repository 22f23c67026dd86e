#include "group_table.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct named_id {
    uint16_t id;
    const char *name;   /* canonical */
    const char *alias1; /* OpenSSL curve name */
    const char *alias2; /* SEC/IANA name */
};

static const struct named_id groups[] = {
    {0x0017, "P-256", "prime256v1", "secp256r1"},
    {0x0018, "P-384", "secp384r1", NULL},
    {0x0019, "P-521", "secp521r1", NULL},
    {0x001d, "X25519", "x25519", NULL},
    {0x001e, "X448", "x448", NULL},
    {0x0100, "ffdhe2048", NULL, NULL},
    {0x0101, "ffdhe3072", NULL, NULL},
    {0x0102, "ffdhe4096", NULL, NULL},
    {0x0103, "ffdhe6144", NULL, NULL},
    {0x0104, "ffdhe8192", NULL, NULL},
    {0x001a, "brainpoolP256r1", NULL, NULL},
    {0x001b, "brainpoolP384r1", NULL, NULL},
    {0x001c, "brainpoolP512r1", NULL, NULL},
    {0x0016, "secp256k1", NULL, NULL},
    /* ML-KEM (draft-ietf-tls-mlkem, draft-ietf-tls-ecdhe-mlkem), OpenSSL 3.5 spellings */
    {0x0200, "MLKEM512", NULL, NULL},
    {0x0201, "MLKEM768", NULL, NULL},
    {0x0202, "MLKEM1024", NULL, NULL},
    {0x11eb, "SecP256r1MLKEM768", NULL, NULL},
    {0x11ec, "X25519MLKEM768", NULL, NULL},
    {0x11ed, "SecP384r1MLKEM1024", NULL, NULL},
};

static const struct named_id sigalgs[] = {
    {0x0401, "rsa_pkcs1_sha256", "RSA+SHA256", NULL},
    {0x0501, "rsa_pkcs1_sha384", "RSA+SHA384", NULL},
    {0x0601, "rsa_pkcs1_sha512", "RSA+SHA512", NULL},
    {0x0201, "rsa_pkcs1_sha1", "RSA+SHA1", NULL},
    {0x0403, "ecdsa_secp256r1_sha256", "ECDSA+SHA256", NULL},
    {0x0503, "ecdsa_secp384r1_sha384", "ECDSA+SHA384", NULL},
    {0x0603, "ecdsa_secp521r1_sha512", "ECDSA+SHA512", NULL},
    {0x0203, "ecdsa_sha1", "ECDSA+SHA1", NULL},
    {0x0804, "rsa_pss_rsae_sha256", "RSA-PSS+SHA256", "PSS+SHA256"},
    {0x0805, "rsa_pss_rsae_sha384", "RSA-PSS+SHA384", "PSS+SHA384"},
    {0x0806, "rsa_pss_rsae_sha512", "RSA-PSS+SHA512", "PSS+SHA512"},
    {0x0807, "ed25519", "Ed25519", NULL},
    {0x0808, "ed448", "Ed448", NULL},
    {0x0809, "rsa_pss_pss_sha256", NULL, NULL},
    {0x080a, "rsa_pss_pss_sha384", NULL, NULL},
    {0x080b, "rsa_pss_pss_sha512", NULL, NULL},
    {0x0904, "mldsa44", "ML-DSA-44", NULL},
    {0x0905, "mldsa65", "ML-DSA-65", NULL},
    {0x0906, "mldsa87", "ML-DSA-87", NULL},
};

static const struct named_id *by_id(const struct named_id *t, size_t n, uint16_t id)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].id == id) return &t[i];
    return NULL;
}

static int by_name(const struct named_id *t, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(t[i].name, name) == 0 || (t[i].alias1 && strcasecmp(t[i].alias1, name) == 0) ||
            (t[i].alias2 && strcasecmp(t[i].alias2, name) == 0))
            return t[i].id;
    return -1;
}

#define COUNT(t) (sizeof(t) / sizeof((t)[0]))

const char *ptls_group_name(uint16_t id)
{
    const struct named_id *e = by_id(groups, COUNT(groups), id);
    return e ? e->name : NULL;
}

int ptls_group_id(const char *name)
{
    return by_name(groups, COUNT(groups), name);
}

const char *ptls_sigalg_name(uint16_t id)
{
    const struct named_id *e = by_id(sigalgs, COUNT(sigalgs), id);
    return e ? e->name : NULL;
}

int ptls_sigalg_id(const char *name)
{
    return by_name(sigalgs, COUNT(sigalgs), name);
}

int ptls_parse_id_list(const char *list, int (*lookup)(const char *), uint16_t *ids, int max, char **bad)
{
    char *copy = strdup(list), *save = NULL;
    int n = 0;
    *bad = NULL;
    if (!copy) return -1;
    for (char *tok = strtok_r(copy, ":,", &save); tok; tok = strtok_r(NULL, ":,", &save)) {
        int id = lookup(tok);
        if (id < 0 || n >= max) {
            *bad = strdup(tok);
            free(copy);
            return -1;
        }
        ids[n++] = (uint16_t)id;
    }
    free(copy);
    if (n == 0) {
        *bad = strdup(list);
        return -1;
    }
    return n;
}
