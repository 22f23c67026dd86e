/*
 * Mbed TLS backend (2.28 and 3.x): the ops table, the capability table,
 * process-wide setup (RNG, PSA) and shared helpers.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <mbedtls/error.h>
#include <mbedtls/version.h>

#include "mbed_internal.h"

const ptls_host *mbed_host;

static mbedtls_entropy_context mbed_entropy;
static mbedtls_ctr_drbg_context mbed_drbg;
static int mbed_rng_ready;

int mbed_rng(void *ctx, unsigned char *out, size_t len)
{
    (void)ctx;
    return mbedtls_ctr_drbg_random(&mbed_drbg, out, len);
}

void mbed_errf(char *err, size_t errlen, int ret, const char *fmt, ...)
{
    char what[512], lib[160];
    va_list ap;

    if (!err || !errlen) return;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (ret == 0) {
        snprintf(err, errlen, "%s", what);
        return;
    }
    mbedtls_strerror(ret, lib, sizeof lib);
    snprintf(err, errlen, "%s: %s (-0x%04X)", what, lib, (unsigned)-ret);
}

/* The capability table, from the library's own configuration macros and
 * version (mbed_compat.h): a different build of the library gets a true
 * table. Reasons name the library version, and the config macro when the
 * build left a feature out, so that a user reading `polytls backends` knows
 * whether another build or backend can help. */
#define MBED_OFF(macro) MBED_LIB " was built without " #macro

#if MBED_TLS13
#define MBED_CAP_TLS13 PTLS_SUPPORTED
#define MBED_NO13(what) MBED_LIB " has no TLS 1.3 " what
#elif MBED_V3
#define MBED_CAP_TLS13 MBED_OFF(MBEDTLS_SSL_PROTO_TLS1_3)
#define MBED_NO13(what) MBED_OFF(MBEDTLS_SSL_PROTO_TLS1_3) " (" what ")"
#else
#define MBED_CAP_TLS13 MBED_LIB " has no TLS 1.3 (it came with Mbed TLS 3.x)"
#define MBED_NO13(what) MBED_LIB " has no TLS 1.3 (" what ")"
#endif

#if MBED_V3
#define MBED_CAP_OLD_TLS MBED_LIB " has no TLS 1.0 or 1.1 (removed in Mbed TLS 3.0)"
#define MBED_CAP_DTLS10 MBED_LIB " has no DTLS 1.0 (removed in Mbed TLS 3.0)"
#else
#define MBED_CAP_OLD_TLS PTLS_SUPPORTED
#define MBED_CAP_DTLS10 PTLS_SUPPORTED
#endif

#if defined(MBEDTLS_SSL_PROTO_TLS1_2)
#define MBED_CAP_TLS12 PTLS_SUPPORTED
#else
#define MBED_CAP_TLS12 MBED_OFF(MBEDTLS_SSL_PROTO_TLS1_2)
#endif

#if defined(MBEDTLS_SSL_PROTO_DTLS) && defined(MBEDTLS_SSL_COOKIE_C) && defined(MBEDTLS_SSL_PROTO_TLS1_2)
#define MBED_CAP_DTLS PTLS_SUPPORTED
#else
#define MBED_CAP_DTLS MBED_OFF(MBEDTLS_SSL_PROTO_DTLS and MBEDTLS_SSL_COOKIE_C)
#endif

#if defined(MBEDTLS_SSL_CACHE_C)
#define MBED_CAP_CACHE PTLS_SUPPORTED
#else
#define MBED_CAP_CACHE MBED_OFF(MBEDTLS_SSL_CACHE_C)
#endif

#if defined(MBEDTLS_SSL_SESSION_TICKETS) && defined(MBEDTLS_SSL_TICKET_C)
#define MBED_CAP_TICKETS PTLS_SUPPORTED
#else
#define MBED_CAP_TICKETS MBED_OFF(MBEDTLS_SSL_SESSION_TICKETS and MBEDTLS_SSL_TICKET_C)
#endif

#if MBED_TLS13 && defined(MBEDTLS_SSL_SESSION_TICKETS) && defined(MBEDTLS_SSL_TICKET_C)
#define MBED_CAP_NUM_TICKETS PTLS_SUPPORTED
#elif MBED_TLS13
#define MBED_CAP_NUM_TICKETS MBED_OFF(MBEDTLS_SSL_SESSION_TICKETS)
#else
#define MBED_CAP_NUM_TICKETS MBED_NO13("the ticket count is a TLS 1.3 setting")
#endif

#if MBED_TLS13 && defined(MBEDTLS_SSL_EARLY_DATA) && defined(MBEDTLS_SSL_SESSION_TICKETS)
#define MBED_CAP_EARLY PTLS_SUPPORTED
#elif MBED_TLS13
#define MBED_CAP_EARLY MBED_OFF(MBEDTLS_SSL_EARLY_DATA)
#else
#define MBED_CAP_EARLY MBED_NO13("early data")
#endif

#if MBED_TLS13 && defined(MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_ENABLED) &&                               \
    defined(MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_EPHEMERAL_ENABLED)
#define MBED_CAP_PSK13 PTLS_SUPPORTED
#elif MBED_TLS13
#define MBED_CAP_PSK13 MBED_OFF(MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_ENABLED and _PSK_EPHEMERAL_ENABLED)
#else
#define MBED_CAP_PSK13 MBED_NO13("PSK")
#endif

#if defined(MBEDTLS_KEY_EXCHANGE_PSK_ENABLED)
#define MBED_CAP_PSK PTLS_SUPPORTED
#else
#define MBED_CAP_PSK MBED_OFF(MBEDTLS_KEY_EXCHANGE_PSK_ENABLED)
#endif

#if defined(MBEDTLS_SSL_RENEGOTIATION)
#define MBED_CAP_RENEG PTLS_SUPPORTED
#else
#define MBED_CAP_RENEG MBED_OFF(MBEDTLS_SSL_RENEGOTIATION)
#endif

#if defined(MBEDTLS_SSL_ALPN)
#define MBED_CAP_ALPN PTLS_SUPPORTED
#else
#define MBED_CAP_ALPN MBED_OFF(MBEDTLS_SSL_ALPN)
#endif

#if defined(MBEDTLS_SSL_SERVER_NAME_INDICATION)
#define MBED_CAP_SNI PTLS_SUPPORTED
#else
#define MBED_CAP_SNI MBED_OFF(MBEDTLS_SSL_SERVER_NAME_INDICATION)
#endif

#if defined(MBEDTLS_X509_CRL_PARSE_C)
#define MBED_CAP_CRL PTLS_SUPPORTED
#else
#define MBED_CAP_CRL MBED_OFF(MBEDTLS_X509_CRL_PARSE_C)
#endif

#if defined(MBEDTLS_SSL_MAX_FRAGMENT_LENGTH)
#define MBED_CAP_MFL PTLS_SUPPORTED
#else
#define MBED_CAP_MFL MBED_OFF(MBEDTLS_SSL_MAX_FRAGMENT_LENGTH)
#endif

#if defined(MBEDTLS_DHM_C) && defined(MBEDTLS_KEY_EXCHANGE_DHE_RSA_ENABLED)
#define MBED_CAP_DHPARAM PTLS_SUPPORTED
#else
#define MBED_CAP_DHPARAM MBED_OFF(MBEDTLS_DHM_C and MBEDTLS_KEY_EXCHANGE_DHE_RSA_ENABLED)
#endif

#if defined(MBEDTLS_SSL_ENCRYPT_THEN_MAC)
#define MBED_CAP_ETM PTLS_SUPPORTED
#else
#define MBED_CAP_ETM MBED_OFF(MBEDTLS_SSL_ENCRYPT_THEN_MAC)
#endif

#if defined(MBEDTLS_SSL_EXTENDED_MASTER_SECRET)
#define MBED_CAP_EMS PTLS_SUPPORTED
#else
#define MBED_CAP_EMS MBED_OFF(MBEDTLS_SSL_EXTENDED_MASTER_SECRET)
#endif

#if defined(MBEDTLS_PKCS5_C) || defined(MBEDTLS_PEM_PARSE_C)
#define MBED_CAP_KEYPASS PTLS_SUPPORTED
#else
#define MBED_CAP_KEYPASS MBED_OFF(MBEDTLS_PKCS5_C and MBEDTLS_PEM_PARSE_C)
#endif

#if defined(MBEDTLS_X509_CRT_WRITE_C) && defined(MBEDTLS_PEM_WRITE_C)
#define MBED_CAP_SELFSIGNED PTLS_SUPPORTED
#else
#define MBED_CAP_SELFSIGNED MBED_OFF(MBEDTLS_X509_CRT_WRITE_C and MBEDTLS_PEM_WRITE_C)
#endif

/* Keying material: 3.x exports it itself (TLS 1.2 and 1.3); 2.28 through
 * the PRF over the secrets of the export-keys callback (TLS 1.2). */
#if MBED_V3 && defined(MBEDTLS_SSL_KEYING_MATERIAL_EXPORT)
#define MBED_CAP_EXPORT PTLS_SUPPORTED
#elif MBED_V3
#define MBED_CAP_EXPORT MBED_OFF(MBEDTLS_SSL_KEYING_MATERIAL_EXPORT)
#elif defined(MBEDTLS_SSL_EXPORT_KEYS)
#define MBED_CAP_EXPORT PTLS_SUPPORTED
#else
#define MBED_CAP_EXPORT MBED_OFF(MBEDTLS_SSL_EXPORT_KEYS)
#endif

#if !MBED_V3 && !defined(MBEDTLS_SSL_EXPORT_KEYS)
#define MBED_CAP_KEYLOG MBED_OFF(MBEDTLS_SSL_EXPORT_KEYS)
#else
#define MBED_CAP_KEYLOG PTLS_SUPPORTED
#endif

/* TLS 1.3 key log: the export-keys callback of 3.x hands out the early,
 * handshake and application traffic secrets, but not the exporter master
 * secret, so the EXPORTER_SECRET line every other backend (and s_client)
 * writes would be missing: refused rather than a partial log. */
#if MBED_TLS13
#define MBED_CAP_KEYLOG13                                                                                    \
    MBED_LIB " hands out the TLS 1.3 traffic secrets but not the exporter secret (there would be no "        \
             "EXPORTER_SECRET line)"
#else
#define MBED_CAP_KEYLOG13 MBED_NO13("key log")
#endif

static const char *const mbed_caps[PTLS_CAP__COUNT] = {
    [PTLS_CAP_TLS1_0] = MBED_CAP_OLD_TLS,
    [PTLS_CAP_TLS1_1] = MBED_CAP_OLD_TLS,
    [PTLS_CAP_TLS1_2] = MBED_CAP_TLS12,
    [PTLS_CAP_TLS1_3] = MBED_CAP_TLS13,
    [PTLS_CAP_DTLS] = MBED_CAP_DTLS,
    [PTLS_CAP_CERT_DER] = PTLS_SUPPORTED,
    [PTLS_CAP_KEY_PASSWORD] = MBED_CAP_KEYPASS,
    [PTLS_CAP_CERT_CHAIN] = PTLS_SUPPORTED,
    [PTLS_CAP_DUAL_CERT] = PTLS_SUPPORTED,
    [PTLS_CAP_SNI_CERT] = MBED_CAP_SNI,
    [PTLS_CAP_CLIENT_VERIFY] = PTLS_SUPPORTED,
    [PTLS_CAP_VERIFY_DEPTH] = PTLS_SUPPORTED,
    [PTLS_CAP_CA_PATH] = PTLS_SUPPORTED,
    [PTLS_CAP_CRL] = MBED_CAP_CRL,
    [PTLS_CAP_CIPHER_LIST] = PTLS_SUPPORTED,
    [PTLS_CAP_CIPHER_STRING] = MBED_LIB " takes only a list of suites; OpenSSL cipher-string keywords "
                                        "(HIGH, !aNULL, @SECLEVEL...) have no equivalent",
    [PTLS_CAP_TLS13_CIPHERSUITES] = MBED_CAP_TLS13,
    [PTLS_CAP_GROUPS] = PTLS_SUPPORTED,
    [PTLS_CAP_SIGALGS] = PTLS_SUPPORTED,
    [PTLS_CAP_SERVER_PREF] = PTLS_SUPPORTED,
    [PTLS_CAP_SESSION_CACHE] = MBED_CAP_CACHE,
    [PTLS_CAP_TICKETS] = MBED_CAP_TICKETS,
    [PTLS_CAP_NUM_TICKETS] = MBED_CAP_NUM_TICKETS,
    [PTLS_CAP_SESSION_CONTEXT] = MBED_LIB " has no session ID context",
    [PTLS_CAP_ALPN] = MBED_CAP_ALPN,
    [PTLS_CAP_NPN] = MBED_LIB " has no NPN",
    [PTLS_CAP_OCSP_STAPLE] = MBED_LIB " has no OCSP stapling (status_request)",
    [PTLS_CAP_SERVERINFO] = MBED_LIB " has no serverinfo or custom extension API",
    [PTLS_CAP_PSK] = MBED_CAP_PSK,
    [PTLS_CAP_PSK_TLS13] = MBED_CAP_PSK13,
    [PTLS_CAP_PSK_HINT] = MBED_LIB " always sends an empty PSK identity hint",
    [PTLS_CAP_SRP] = MBED_LIB " has no SRP",
    [PTLS_CAP_EARLY_DATA] = MBED_CAP_EARLY,
#if MBED_TLS13
    [PTLS_CAP_KEY_UPDATE] = MBED_LIB " has no KeyUpdate (it can neither send nor request one)",
    [PTLS_CAP_POST_HANDSHAKE_AUTH] = MBED_LIB " has no TLS 1.3 post-handshake authentication",
#else
    [PTLS_CAP_KEY_UPDATE] = MBED_NO13("key update"),
    [PTLS_CAP_POST_HANDSHAKE_AUTH] = MBED_NO13("post-handshake auth"),
#endif
    [PTLS_CAP_RENEGOTIATION] = MBED_CAP_RENEG,
    [PTLS_CAP_CLIENT_RENEGOTIATION] = MBED_CAP_RENEG,
    [PTLS_CAP_LEGACY_RENEGOTIATION] = MBED_CAP_RENEG,
    [PTLS_CAP_KEYLOG] = MBED_CAP_KEYLOG,
    [PTLS_CAP_KEYLOG_TLS13] = MBED_CAP_KEYLOG13,
    [PTLS_CAP_EXPORT_KEYING] = MBED_CAP_EXPORT,
    [PTLS_CAP_MAX_SEND_FRAG] = MBED_CAP_MFL,
#if MBED_TLS13
    [PTLS_CAP_RECORD_PADDING] = MBED_LIB " has no record padding setting",
#else
    [PTLS_CAP_RECORD_PADDING] = MBED_NO13("record padding"),
#endif
    [PTLS_CAP_ANON_DH] = MBED_LIB " has no anonymous (aNULL) cipher suites",
    [PTLS_CAP_DHPARAM] = MBED_CAP_DHPARAM,
    [PTLS_CAP_NO_DHE] = PTLS_SUPPORTED,
    [PTLS_CAP_SRTP] = MBED_LIB " has DTLS-SRTP, but polytls does not wire -use_srtp on this backend yet",
    [PTLS_CAP_TRACE] = MBED_LIB " has no protocol message trace, only its debug text",
    [PTLS_CAP_STATE] = MBED_LIB " has no handshake state callback, only its debug text",
    [PTLS_CAP_PRIORITIZE_CHACHA] = PTLS_SUPPORTED,
    [PTLS_CAP_NO_ETM] = MBED_CAP_ETM,
    [PTLS_CAP_NO_EMS] = MBED_CAP_EMS,
    [PTLS_CAP_NO_CA_NAMES] = PTLS_SUPPORTED,
    [PTLS_CAP_ID_PREFIX] = MBED_LIB " generates session IDs internally (no callback to add a prefix)",
    [PTLS_CAP_SELF_SIGNED] = MBED_CAP_SELFSIGNED,
#if MBED_V3
    [PTLS_CAP_CLIENT_SIGALGS] = MBED_LIB " has one signature algorithm list (conf_sig_algs) for the server's "
                                         "signature and the CertificateRequest; use -sigalgs",
#else
    [PTLS_CAP_CLIENT_SIGALGS] = MBED_LIB " has one hash list (conf_sig_hashes) for the server's signature "
                                         "and the CertificateRequest; use -sigalgs",
#endif
    [PTLS_CAP_DTLS1_0] = MBED_CAP_DTLS10,
    [PTLS_CAP_DTLS1_2] = MBED_CAP_DTLS,
#if MBED_TLS13
    [PTLS_CAP_OCSP_STAPLE_TLS13] = MBED_LIB " has no OCSP stapling",
#else
    [PTLS_CAP_OCSP_STAPLE_TLS13] = MBED_CAP_TLS13, /* the -tls1_3 refusal says it */
#endif
    [PTLS_CAP_MLKEM] = MBED_LIB " has no ML-KEM key exchange groups",
    [PTLS_CAP_MLDSA] = MBED_LIB " has no ML-DSA signatures",
    [PTLS_CAP_DTLS1_3] = MBED_LIB " has no DTLS 1.3",
};

static const char *mbed_library_version(void)
{
    static char v[64];
    char num[18];

    mbedtls_version_get_string(num);
    snprintf(v, sizeof v, "Mbed TLS %s", num);
    return v;
}

static int mbed_global_init(const ptls_host *host, char *err, size_t errlen)
{
    static const char pers[] = "polytls-mbedtls";
    int ret;

    mbed_host = host;
    if (mbed_rng_ready) return 0;
    if (mbed_compat_global_init(err, errlen) != 0) return -1;
    mbedtls_entropy_init(&mbed_entropy);
    mbedtls_ctr_drbg_init(&mbed_drbg);
    ret = mbedtls_ctr_drbg_seed(&mbed_drbg, mbedtls_entropy_func, &mbed_entropy, (const unsigned char *)pers,
                                sizeof pers - 1);
    if (ret != 0) {
        mbed_errf(err, errlen, ret, "seeding the CTR-DRBG random generator");
        mbedtls_ctr_drbg_free(&mbed_drbg);
        mbedtls_entropy_free(&mbed_entropy);
        return -1;
    }
    mbed_rng_ready = 1;
    return 0;
}

static void mbed_global_cleanup(void)
{
    if (!mbed_rng_ready) return;
    mbedtls_ctr_drbg_free(&mbed_drbg);
    mbedtls_entropy_free(&mbed_entropy);
    mbed_rng_ready = 0;
}

static const ptls_backend mbed_backend = {
    .abi = PTLS_BACKEND_ABI,
    .name = PTLS_BACKEND_NAME,
    .prefix = "mbed",
    .cap_count = PTLS_CAP__COUNT,
    .caps = mbed_caps,
    .library_version = mbed_library_version,
    .global_init = mbed_global_init,
    .global_cleanup = mbed_global_cleanup,
    .check_config = mbed_check_config,
    .server_new = mbed_server_new,
    .server_free = mbed_server_free,
    .conn_new = mbed_conn_new,
    .handshake = mbed_handshake,
    .read = mbed_read,
    .write = mbed_write,
    .shutdown = mbed_shutdown,
    .pending = mbed_pending,
    .get_info = mbed_get_info,
    .last_error = mbed_last_error,
    .conn_free = mbed_conn_free,
    .renegotiate = mbed_renegotiate,
    .renegotiation_pending = mbed_renegotiation_pending,
    .key_update = NULL,          /* no KeyUpdate API in 2.28 or 3.6 */
    .request_client_cert = NULL, /* no post-handshake auth in 2.28 or 3.6 */
    .export_keying_material = mbed_export_keying_material,
    .make_selfsigned = mbed_make_selfsigned,
    .last_error_code = mbed_last_error_code,
    .enabled_ciphers = mbed_enabled_ciphers,
    .dtls_accept = mbed_dtls_accept,
    .dtls_next_timeout_ms = mbed_dtls_next_timeout_ms,
    .dtls_timeout = mbed_dtls_timeout,
};

__attribute__((visibility("default"))) const ptls_backend *polytls_backend_v1(void);
__attribute__((visibility("default"))) const ptls_backend *polytls_backend_v1(void)
{
    return &mbed_backend;
}
