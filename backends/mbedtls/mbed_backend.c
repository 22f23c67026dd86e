/*
 * Mbed TLS 2.28 backend: the ops table, the capability table, process-wide
 * setup (RNG) and shared helpers.
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

/* The capability table. Reasons name the library version so that a user
 * reading `polytls backends` knows whether another backend can help. */
#define MBED_NO13 MBED_LIB " has no TLS 1.3"
static const char *const mbed_caps[PTLS_CAP__COUNT] = {
    [PTLS_CAP_TLS1_0] = PTLS_SUPPORTED,
    [PTLS_CAP_TLS1_1] = PTLS_SUPPORTED,
    [PTLS_CAP_TLS1_2] = PTLS_SUPPORTED,
    [PTLS_CAP_TLS1_3] = MBED_NO13,
    [PTLS_CAP_DTLS] = PTLS_SUPPORTED,
    [PTLS_CAP_CERT_DER] = PTLS_SUPPORTED,
    [PTLS_CAP_KEY_PASSWORD] = PTLS_SUPPORTED,
    [PTLS_CAP_CERT_CHAIN] = PTLS_SUPPORTED,
    [PTLS_CAP_DUAL_CERT] = PTLS_SUPPORTED,
    [PTLS_CAP_SNI_CERT] = PTLS_SUPPORTED,
    [PTLS_CAP_CLIENT_VERIFY] = PTLS_SUPPORTED,
    [PTLS_CAP_VERIFY_DEPTH] = PTLS_SUPPORTED,
    [PTLS_CAP_CA_PATH] = PTLS_SUPPORTED,
    [PTLS_CAP_CRL] = PTLS_SUPPORTED,
    [PTLS_CAP_CIPHER_LIST] = PTLS_SUPPORTED,
    [PTLS_CAP_CIPHER_STRING] = MBED_LIB " takes only a list of suites; OpenSSL cipher-string keywords "
                                        "(HIGH, !aNULL, @SECLEVEL...) have no equivalent",
    [PTLS_CAP_TLS13_CIPHERSUITES] = MBED_NO13,
    [PTLS_CAP_GROUPS] = PTLS_SUPPORTED,
    [PTLS_CAP_SIGALGS] = PTLS_SUPPORTED,
    [PTLS_CAP_SERVER_PREF] = PTLS_SUPPORTED,
    [PTLS_CAP_SESSION_CACHE] = PTLS_SUPPORTED,
    [PTLS_CAP_TICKETS] = PTLS_SUPPORTED,
    [PTLS_CAP_NUM_TICKETS] = MBED_NO13 " (the ticket count is a TLS 1.3 setting)",
    [PTLS_CAP_SESSION_CONTEXT] = MBED_LIB " has no session ID context",
    [PTLS_CAP_ALPN] = PTLS_SUPPORTED,
    [PTLS_CAP_NPN] = MBED_LIB " has no NPN",
    [PTLS_CAP_OCSP_STAPLE] = MBED_LIB " has no OCSP stapling (status_request)",
    [PTLS_CAP_SERVERINFO] = MBED_LIB " has no serverinfo or custom extension API",
    [PTLS_CAP_PSK] = PTLS_SUPPORTED,
    [PTLS_CAP_PSK_TLS13] = MBED_NO13,
    [PTLS_CAP_PSK_HINT] = MBED_LIB " always sends an empty PSK identity hint",
    [PTLS_CAP_SRP] = MBED_LIB " has no SRP",
    [PTLS_CAP_EARLY_DATA] = MBED_NO13 " (early data)",
    [PTLS_CAP_KEY_UPDATE] = MBED_NO13 " (key update)",
    [PTLS_CAP_POST_HANDSHAKE_AUTH] = MBED_NO13 " (post-handshake auth)",
    [PTLS_CAP_RENEGOTIATION] = PTLS_SUPPORTED,
    [PTLS_CAP_CLIENT_RENEGOTIATION] = PTLS_SUPPORTED,
    [PTLS_CAP_LEGACY_RENEGOTIATION] = PTLS_SUPPORTED,
    [PTLS_CAP_KEYLOG] = PTLS_SUPPORTED,
    [PTLS_CAP_KEYLOG_TLS13] = MBED_NO13,
    [PTLS_CAP_EXPORT_KEYING] = PTLS_SUPPORTED,
    [PTLS_CAP_MAX_SEND_FRAG] = PTLS_SUPPORTED,
    [PTLS_CAP_RECORD_PADDING] = MBED_NO13 " (record padding)",
    [PTLS_CAP_ANON_DH] = MBED_LIB " has no anonymous (aNULL) cipher suites",
    [PTLS_CAP_DHPARAM] = PTLS_SUPPORTED,
    [PTLS_CAP_NO_DHE] = PTLS_SUPPORTED,
    [PTLS_CAP_SRTP] = MBED_LIB " has DTLS-SRTP, but polytls does not wire -use_srtp on this backend yet",
    [PTLS_CAP_TRACE] = MBED_LIB " has no protocol message trace, only its debug text",
    [PTLS_CAP_STATE] = MBED_LIB " has no handshake state callback, only its debug text",
    [PTLS_CAP_PRIORITIZE_CHACHA] = PTLS_SUPPORTED,
    [PTLS_CAP_NO_ETM] = PTLS_SUPPORTED,
    [PTLS_CAP_NO_EMS] = PTLS_SUPPORTED,
    [PTLS_CAP_NO_CA_NAMES] = PTLS_SUPPORTED,
    [PTLS_CAP_ID_PREFIX] = MBED_LIB " generates session IDs internally (no callback to add a prefix)",
    [PTLS_CAP_SELF_SIGNED] = PTLS_SUPPORTED,
    [PTLS_CAP_CLIENT_SIGALGS] = MBED_LIB " has one hash list (conf_sig_hashes) for the server's signature "
                                         "and the CertificateRequest; use -sigalgs",
    [PTLS_CAP_DTLS1_0] = PTLS_SUPPORTED,
    [PTLS_CAP_DTLS1_2] = PTLS_SUPPORTED,
    [PTLS_CAP_OCSP_STAPLE_TLS13] = MBED_NO13,
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
    .key_update = NULL,          /* no TLS 1.3 */
    .request_client_cert = NULL, /* no TLS 1.3 */
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
