/*
 * Where the Mbed TLS major versions differ, in one place.
 *
 * The backend builds from one folder against Mbed TLS 2.28 (Debian's
 * system library) and 3.6 LTS (the mbedtls@3.6.6 flavour). Everything that
 * differs between them is declared here and implemented once per major
 * version: mbed_compat2.c (2.x: public struct fields, minor version
 * numbers, curve and hash lists) and mbed_compat3.c (3.x: getters, TLS
 * versions, IANA group and signature scheme lists, PSA). Each of these files
 * compiles to nothing for the other version, so CMake lists all of them.
 * TLS 1.3 itself (3.x only) lives in mbed_tls13.c.
 *
 * A 4.x flavour (PSA-only crypto, no mbedtls_pk key parsing of its own, no
 * ctr_drbg) would be one more file, mbed_compat4.c, implementing the same
 * functions; see the #error below.
 *
 * Nothing here reads a field that 3.x made private: MBEDTLS_ALLOW_PRIVATE_ACCESS
 * is never defined.
 */
#ifndef POLYTLS_MBED_COMPAT_H
#define POLYTLS_MBED_COMPAT_H

#include <stddef.h>
#include <stdint.h>

#include <mbedtls/version.h> /* the library's configuration comes with it */

#include <mbedtls/ecp.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#if MBEDTLS_VERSION_MAJOR == 2
#define MBED_V3 0
#elif MBEDTLS_VERSION_MAJOR == 3
#define MBED_V3 1
#else
#error "Mbed TLS 4.x: add mbed_compat4.c (PSA key handling, psa_generate_random for the RNG) and this case"
#endif

/* The library named in every refusal: the version of the headers, which is
 * the version linked (the system package, or the flavour's static copy). */
#define MBED_LIB "Mbed TLS " MBEDTLS_VERSION_STRING

/* TLS 1.3 server: Mbed TLS 3.x built with it (mbed_tls13.c). */
#if MBED_V3 && defined(MBEDTLS_SSL_PROTO_TLS1_3) && defined(MBEDTLS_SSL_SRV_C)
#define MBED_TLS13 1
#else
#define MBED_TLS13 0
#endif

/* The verify callback's error that the library must not swallow under
 * MBEDTLS_SSL_VERIFY_OPTIONAL (it forgives CERT_VERIFY_FAILED there). */
#if MBED_V3
#define MBED_ERR_VERIFY_FAILED MBEDTLS_ERR_X509_FATAL_ERROR
#else
#define MBED_ERR_VERIFY_FAILED MBEDTLS_ERR_SSL_PEER_VERIFY_FAILED
#endif

/* Whether the library sends the fatal alert itself when the verify
 * callback fails (3.x: mbedtls_ssl_verify_certificate does; 2.28 does not). */
#define MBED_VERIFY_CB_ALERTS MBED_V3

/* Which encrypted key files the library can read, for the error text. */
#if MBED_V3
#define MBED_KEY_FORMATS                                                                                     \
    "traditional PEM (\"Proc-Type: 4,ENCRYPTED\") or PKCS#8 with PBES1, PKCS#12-PBE or PBES2 (DES, 3DES, "   \
    "AES-CBC); this build lacks the cipher or KDF the file names"
#else
#define MBED_KEY_FORMATS                                                                                     \
    "traditional PEM (\"Proc-Type: 4,ENCRYPTED\" with DES, 3DES or AES) or PKCS#8 with PBES1/PKCS#12-PBE "   \
    "or PBES2 with DES/3DES; OpenSSL 3's default PKCS#8 PBES2/AES-256 is not supported (convert it, e.g. "   \
    "`openssl pkcs8 -topk8 -v2 des3`, or `openssl ec/rsa -des3`)"
#endif

/* The group list in the form the library takes (2.x: curve ids, 3.x: IANA
 * NamedGroup values), terminated. */
#if MBED_V3
typedef uint16_t mbed_group_t;
#else
typedef mbedtls_ecp_group_id mbed_group_t;
#endif

struct mbed_conn;
struct mbed_server;
struct ptls_config;

/* Process-wide setup the version needs (3.x: psa_crypto_init). */
int mbed_compat_global_init(char *err, size_t errlen);

/* Versions: wire numbers (PTLS_TLS1_x, PTLS_DTLS1_x). Returns 0, or -1
 * when this library cannot serve the version (why names it). */
int mbed_compat_conf_versions(mbedtls_ssl_config *conf, int dtls, int min_wire, int max_wire, char *why,
                              size_t whylen);
/* The negotiated version as a TLS wire number (0x0303, 0x0304; DTLS 1.2
 * also gives 0x0303), 0 before one is known. */
int mbed_compat_version(const mbedtls_ssl_context *ssl);
int mbed_compat_handshake_over(mbedtls_ssl_context *ssl);
/* 1 the peer supports RFC 5746, 0 not, -1 the library does not say. */
int mbed_compat_secure_renegotiation(const mbedtls_ssl_context *ssl);

/* Groups: whether the library can use a NamedGroup (NULL) or why not. */
const char *mbed_compat_group_refusal(uint16_t id);
/* Applies ids[0..n) to conf; store holds n + 1 entries and must outlive it. */
void mbed_compat_conf_groups(mbedtls_ssl_config *conf, const uint16_t *ids, int n, mbed_group_t *store);

/* Signature schemes: whether the library can apply a SignatureScheme in
 * -sigalgs (NULL) or why not; apply the whole list or fail with err. */
const char *mbed_compat_sigalg_refusal(uint16_t id);
int mbed_compat_apply_sigalgs(struct mbed_server *s, const struct ptls_config *cfg, char *err, size_t errlen);

/* Keys. */
int mbed_compat_parse_keyfile(mbedtls_pk_context *pk, const char *path, const char *pass);
int mbed_compat_check_pair(const mbedtls_pk_context *pub, const mbedtls_pk_context *prv);
int mbed_compat_crt_set_serial(mbedtls_x509write_cert *crt, const unsigned char *serial, size_t len);

/* Per connection: the session cache and export-keys callbacks, whose
 * signatures changed. conf_callbacks runs on the connection's config copy
 * before mbedtls_ssl_setup, ssl_callbacks after it. */
void mbed_compat_conf_callbacks(struct mbed_conn *c);
void mbed_compat_ssl_callbacks(struct mbed_conn *c);

/* RFC 5705 keying material export without context. */
int mbed_compat_export_keying_material(struct mbed_conn *c, const char *label, unsigned char *out,
                                       size_t len);

#endif
