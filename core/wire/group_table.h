/* Named groups and signature schemes: names <-> IANA ids, shared by every
 * backend so that `-groups X25519:P-256` means the same on each. */
#ifndef PTLS_GROUP_TABLE_H
#define PTLS_GROUP_TABLE_H

#include <stdint.h>

/* Canonical display name ("X25519", "P-256", "ffdhe2048"), NULL if unknown. */
const char *ptls_group_name(uint16_t id);
/* Accepts canonical, OpenSSL (prime256v1, secp256r1) and IANA (x25519)
 * spellings, case-insensitively. -1 if unknown. */
int ptls_group_id(const char *name);
/* IANA SignatureScheme name ("rsa_pss_rsae_sha256"), NULL if unknown. */
const char *ptls_sigalg_name(uint16_t id);
/* Accepts IANA names and OpenSSL's "RSA+SHA256"/"ECDSA+SHA256"/
 * "RSA-PSS+SHA256" forms. -1 if unknown. */
int ptls_sigalg_id(const char *name);

/* Parse a ':' separated list with the lookup above. Returns the count, or
 * -1 with *bad set (malloc'd) to the first unknown element. */
int ptls_parse_id_list(const char *list, int (*lookup)(const char *), uint16_t *ids, int max, char **bad);

#endif
