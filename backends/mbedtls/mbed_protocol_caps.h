/*
 * Mbed TLS backend: the capabilities of s_server's protocol, session and
 * runtime options (issue #19), expanded at the end of mbed_caps
 * (mbed_backend.c). Each reason says what the linked library lacks; the
 * ones that begin "not implemented by polytls" are polytls's own gaps.
 */
#ifndef POLYTLS_MBED_PROTOCOL_CAPS_H
#define POLYTLS_MBED_PROTOCOL_CAPS_H

#include "mbed_compat.h"

#if MBED_TLS13
#define MBED_PROTO_13(reason) MBED_LIB reason
#else
#define MBED_PROTO_13(reason) MBED_LIB " has no TLS 1.3"
#endif

#if defined(MBEDTLS_SSL_PROTO_SSL3)
#define MBED_PROTO_SSL3 "not implemented by polytls: its version range starts at TLS 1.0"
#elif MBED_V3
#define MBED_PROTO_SSL3 MBED_LIB " has no SSL 3.0 (removed in Mbed TLS 3.0)"
#else
#define MBED_PROTO_SSL3 MBED_LIB " was built without MBEDTLS_SSL_PROTO_SSL3"
#endif

#if MBED_V3
#define MBED_PROTO_COMP MBED_LIB " has no TLS compression (removed in Mbed TLS 3.0)"
#elif defined(MBEDTLS_ZLIB_SUPPORT)
#define MBED_PROTO_COMP "not implemented by polytls: Mbed TLS could (MBEDTLS_ZLIB_SUPPORT)"
#else
#define MBED_PROTO_COMP MBED_LIB " was built without MBEDTLS_ZLIB_SUPPORT"
#endif

#if MBED_TLS13
#define MBED_ALLOW_NO_DHE                                                                                    \
    "not implemented by polytls: Mbed TLS could allow psk_ke resumption "                                    \
    "(mbedtls_ssl_conf_tls13_key_exchange_modes)"
#else
#define MBED_ALLOW_NO_DHE MBED_LIB " has no TLS 1.3"
#endif

#define MBED_PROTOCOL_CAPS                                                                                   \
    [PTLS_CAP_STATELESS] = MBED_PROTO_13(" sends no cookie in a HelloRetryRequest (no stateless exchange)"), \
    [PTLS_CAP_ANTI_REPLAY] = MBED_PROTO_13(" has no early data anti-replay switch"),                         \
    [PTLS_CAP_RECV_MAX_EARLY_DATA] =                                                                         \
        MBED_PROTO_13(" has one early data limit (set by -max_early_data), no separate hard limit"),         \
    [PTLS_CAP_NO_RESUME_EPHEMERAL] = MBED_LIB " has no callback to keep (EC)DHE sessions out of the cache",  \
    [PTLS_CAP_NO_RESUMPTION_ON_RENEG] = MBED_LIB " has no setting to refuse resumption in a renegotiation",  \
    [PTLS_CAP_ALLOW_NO_DHE_KEX] = MBED_ALLOW_NO_DHE,                                                         \
    [PTLS_CAP_PREFER_NO_DHE_KEX] = MBED_PROTO_13(" has no preference between psk_ke and psk_dhe_ke"),        \
    [PTLS_CAP_NO_MIDDLEBOX] = MBED_PROTO_13(                                                                 \
        ": middlebox compatibility is a build option (MBEDTLS_SSL_TLS1_3_COMPATIBILITY_MODE)"),              \
    [PTLS_CAP_IGNORE_UNEXPECTED_EOF] =                                                                       \
        MBED_LIB " has no setting for how an EOF without close_notify is treated",                           \
    [PTLS_CAP_BUGS] = MBED_LIB " has no peer bug work-arounds to switch on",                                 \
    [PTLS_CAP_STRICT] = MBED_LIB " has no strict-mode switch",                                               \
    [PTLS_CAP_DEBUG_BROKEN_PROTOCOL] = MBED_LIB " has no protocol-violation test switch",                    \
    [PTLS_CAP_PIPELINES] = MBED_LIB " has no encrypt/decrypt pipelines",                                     \
    [PTLS_CAP_READ_BUF] = MBED_LIB ": the input buffer size is a build option (MBEDTLS_SSL_IN_CONTENT_LEN)", \
    [PTLS_CAP_PSK_SESSION] = MBED_LIB " has no PSK from a session file (its PSKs are raw keys, -psk)",       \
    [PTLS_CAP_EXT_CACHE] = "not implemented by polytls: Mbed TLS could (mbedtls_ssl_conf_session_cache "     \
                           "with the server's own get/set callbacks)",                                       \
    [PTLS_CAP_CERT_COMP] = MBED_LIB " has no certificate compression (RFC 8879)",                            \
    [PTLS_CAP_RPK] = MBED_LIB " has no raw public keys (RFC 7250)",                                          \
    [PTLS_CAP_EXPECTED_RPKS] = MBED_LIB " has no raw public keys (RFC 7250)",                                \
    [PTLS_CAP_RAND_FILE] = "not implemented by polytls: Mbed TLS could (mbedtls_ctr_drbg_update_seed_file, " \
                           "mbedtls_ctr_drbg_write_seed_file)",                                              \
    [PTLS_CAP_SSL_CONFIG] =                                                                                  \
        MBED_LIB " has no configuration file (-ssl_config names a section of OpenSSL's)",                    \
    [PTLS_CAP_PROVIDERS] = MBED_LIB " has no providers (an OpenSSL 3 concept)",                              \
    [PTLS_CAP_PROVPARAM] = MBED_LIB " has no providers (an OpenSSL 3 concept)",                              \
    [PTLS_CAP_ENGINE] = MBED_LIB " has no ENGINE modules (an OpenSSL concept)",                              \
    [PTLS_CAP_SECURITY_DEBUG] = MBED_LIB " has no security framework callback (an OpenSSL concept)",         \
    [PTLS_CAP_SSL3] = MBED_PROTO_SSL3, [PTLS_CAP_SCTP] = MBED_LIB " has no DTLS over SCTP",                  \
    [PTLS_CAP_COMP] = MBED_PROTO_COMP, [PTLS_CAP_KTLS] = MBED_LIB " has no kernel TLS offload",              \
    [PTLS_CAP_ECH] = MBED_LIB " has no Encrypted Client Hello",

#endif
