/* One table of TLS cipher suites: IANA id <-> IANA name <-> OpenSSL name.
 * Every backend and every output goes through it, so a name the user types
 * means the same suite on every backend. */
#ifndef PTLS_CIPHER_TABLE_H
#define PTLS_CIPHER_TABLE_H

#include <stddef.h>
#include <stdint.h>

typedef struct ptls_cipher_entry {
    uint16_t id;
    const char *iana;     /* TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 */
    const char *openssl;  /* ECDHE-RSA-AES128-GCM-SHA256 */
    const char *min_prot; /* "TLSv1.2", "TLSv1.3", "SSLv3" */
} ptls_cipher_entry;

const ptls_cipher_entry *ptls_cipher_by_id(uint16_t id);
/* Accepts the IANA name, the OpenSSL name, Mbed TLS's dashed IANA form
 * (TLS-ECDHE-...) and wolfSSL's TLS13- names, case-insensitively. */
const ptls_cipher_entry *ptls_cipher_by_name(const char *name);
/* IANA name, or NULL if the id is not in the table. */
const char *ptls_cipher_iana_name(uint16_t id);
/* Host callback form: id or -1. */
int ptls_cipher_id_by_name(const char *name);

/* Splits a ':' / ',' / ' ' separated list of suite names into ids.
 * Returns the count, -1 if an element is not a plain suite name (an OpenSSL
 * keyword such as HIGH, !aNULL, @SECLEVEL=0: *bad points at it), or -2 if
 * an element looks like a name but is unknown (*bad points at it). The
 * caller frees *bad. */
int ptls_cipher_parse_list(const char *list, uint16_t *ids, int max, char **bad);

/* Whether a list id is a GREASE value (RFC 8701). */
int ptls_is_grease(uint16_t v);

#endif
