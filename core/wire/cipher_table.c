#include "cipher_table.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const ptls_cipher_entry cipher_table[] = {
#define PTLS_CIPHER(id, iana, ossl, prot) {id, iana, ossl, prot},
#include "cipher_table_data.h"
#undef PTLS_CIPHER
};
static const size_t cipher_count = sizeof cipher_table / sizeof cipher_table[0];

const ptls_cipher_entry *ptls_cipher_by_id(uint16_t id)
{
    /* The generated data is sorted by id. */
    size_t lo = 0, hi = cipher_count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cipher_table[mid].id == id) return &cipher_table[mid];
        if (cipher_table[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const char *ptls_cipher_iana_name(uint16_t id)
{
    const ptls_cipher_entry *e = ptls_cipher_by_id(id);
    return e ? e->iana : NULL;
}

/* Compare ignoring case and treating '-' and '_' alike, so that Mbed TLS's
 * "TLS-ECDHE-RSA-WITH-..." matches the IANA "TLS_ECDHE_RSA_WITH_...". */
static int name_eq_loose(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = (char)toupper((unsigned char)*a), y = (char)toupper((unsigned char)*b);
        if (x == '-') x = '_';
        if (y == '-') y = '_';
        if (x != y) return 0;
    }
    return *a == *b;
}

const ptls_cipher_entry *ptls_cipher_by_name(const char *name)
{
    /* wolfSSL spells TLS 1.3 suites TLS13-AES128-GCM-SHA256. */
    static const struct {
        const char *alias;
        uint16_t id;
    } aliases[] = {{"TLS13-AES128-GCM-SHA256", 0x1301},
                   {"TLS13-AES256-GCM-SHA384", 0x1302},
                   {"TLS13-CHACHA20-POLY1305-SHA256", 0x1303},
                   {"TLS13-AES128-CCM-SHA256", 0x1304},
                   {"TLS13-AES128-CCM-8-SHA256", 0x1305}};
    for (size_t i = 0; i < cipher_count; i++)
        if (strcasecmp(cipher_table[i].openssl, name) == 0) return &cipher_table[i];
    for (size_t i = 0; i < cipher_count; i++)
        if (name_eq_loose(cipher_table[i].iana, name)) return &cipher_table[i];
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcasecmp(aliases[i].alias, name) == 0) return ptls_cipher_by_id(aliases[i].id);
    return NULL;
}

int ptls_cipher_id_by_name(const char *name)
{
    const ptls_cipher_entry *e = ptls_cipher_by_name(name);
    return e ? e->id : -1;
}

/* An element is a plain suite name if it consists of letters, digits, '-'
 * and '_' and contains a '-' or '_' (OpenSSL keywords like HIGH, ALL,
 * aNULL, DEFAULT do not; !x, +x, -x and @x are operators). */
static int looks_like_suite_name(const char *s)
{
    int sep = 0;
    if (!isalnum((unsigned char)s[0])) return 0;
    for (const char *p = s; *p; p++) {
        if (*p == '-' || *p == '_')
            sep = 1;
        else if (!isalnum((unsigned char)*p))
            return 0;
    }
    return sep;
}

int ptls_cipher_parse_list(const char *list, uint16_t *ids, int max, char **bad)
{
    char *copy = strdup(list), *save = NULL;
    int n = 0, rc = 0;
    *bad = NULL;
    if (!copy) return -2;
    for (char *tok = strtok_r(copy, ":, ", &save); tok; tok = strtok_r(NULL, ":, ", &save)) {
        if (!looks_like_suite_name(tok)) {
            *bad = strdup(tok);
            rc = -1;
            break;
        }
        const ptls_cipher_entry *e = ptls_cipher_by_name(tok);
        if (!e) {
            *bad = strdup(tok);
            rc = -2;
            break;
        }
        int dup = 0;
        for (int i = 0; i < n; i++)
            dup |= ids[i] == e->id;
        if (!dup && n < max) ids[n++] = e->id;
    }
    free(copy);
    return rc ? rc : n;
}

int ptls_is_grease(uint16_t v)
{
    return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}
