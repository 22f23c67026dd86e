/*
 * wolfSSL backend: the capabilities of s_server's protocol, session and
 * runtime options (issue #19), expanded at the end of wssl_caps
 * (wssl_backend.c), from the build's feature macros. The reasons that
 * begin "not implemented by polytls" are polytls's own gaps.
 */
#ifndef POLYTLS_WSSL_PROTOCOL_CAPS_H
#define POLYTLS_WSSL_PROTOCOL_CAPS_H

#include "wssl_features.h"

#ifdef WOLFSSL_SEND_HRR_COOKIE
#define WSSL_PROTO_STATELESS "not implemented by polytls: wolfSSL could (wolfSSL_send_hrr_cookie)"
#else
#define WSSL_PROTO_STATELESS WSSL_WITHOUT("WOLFSSL_SEND_HRR_COOKIE")
#endif
#ifdef HAVE_EXT_CACHE
#define WSSL_PROTO_EXT_CACHE "not implemented by polytls: wolfSSL could (wolfSSL_CTX_sess_set_get_cb)"
#else
#define WSSL_PROTO_EXT_CACHE WSSL_WITHOUT("HAVE_EXT_CACHE")
#endif
#ifdef HAVE_RPK
#define WSSL_PROTO_RPK "not implemented by polytls: wolfSSL could (wolfSSL_CTX_set_server_cert_type)"
#else
#define WSSL_PROTO_RPK WSSL_WITHOUT("HAVE_RPK")
#endif
#ifdef HAVE_ECH
#define WSSL_PROTO_ECH "not implemented by polytls: wolfSSL could (wolfSSL_CTX_GenerateEchConfig)"
#else
#define WSSL_PROTO_ECH WSSL_WITHOUT("HAVE_ECH")
#endif
#ifdef HAVE_CERTIFICATE_COMPRESSION
#define WSSL_PROTO_CERT_COMP "not implemented by polytls: wolfSSL could (HAVE_CERTIFICATE_COMPRESSION)"
#else
#define WSSL_PROTO_CERT_COMP WSSL_LIB " has no TLS 1.3 certificate compression (RFC 8879)"
#endif
#ifdef HAVE_LIBZ
#define WSSL_PROTO_COMP "not implemented by polytls: wolfSSL could (HAVE_LIBZ)"
#else
#define WSSL_PROTO_COMP WSSL_WITHOUT("HAVE_LIBZ (TLS compression)")
#endif
#ifdef WOLFSSL_ALLOW_SSLV3
#define WSSL_PROTO_SSL3 "not implemented by polytls: its version range starts at TLS 1.0"
#else
#define WSSL_PROTO_SSL3 WSSL_WITHOUT("WOLFSSL_ALLOW_SSLV3")
#endif
#ifdef WOLFSSL_SCTP
#define WSSL_PROTO_SCTP "not implemented by polytls: its listener speaks TCP and UDP only"
#else
#define WSSL_PROTO_SCTP WSSL_WITHOUT("WOLFSSL_SCTP")
#endif

#define WSSL_PROTOCOL_CAPS                                                                                   \
    [PTLS_CAP_STATELESS] = WSSL_PROTO_STATELESS,                                                             \
    [PTLS_CAP_ANTI_REPLAY] = WSSL_LIB " has no early data anti-replay switch",                               \
    [PTLS_CAP_RECV_MAX_EARLY_DATA] =                                                                         \
        WSSL_LIB " has one early data limit (set by -max_early_data), no separate hard limit",               \
    [PTLS_CAP_NO_RESUME_EPHEMERAL] = WSSL_LIB " has no callback to keep (EC)DHE sessions out of the cache",  \
    [PTLS_CAP_NO_RESUMPTION_ON_RENEG] = WSSL_LIB " has no setting to refuse resumption in a renegotiation",  \
    [PTLS_CAP_ALLOW_NO_DHE_KEX] = WSSL_LIB " has no setting that allows psk_ke without forcing it "          \
                                           "(wolfSSL_CTX_no_dhe_psk forbids (EC)DHE with every PSK)",        \
    [PTLS_CAP_PREFER_NO_DHE_KEX] = WSSL_LIB " has no preference between psk_ke and psk_dhe_ke "              \
                                            "(wolfSSL_CTX_no_dhe_psk forbids (EC)DHE with every PSK)",       \
    [PTLS_CAP_NO_MIDDLEBOX] =                                                                                \
        WSSL_LIB ": middlebox compatibility is a build option (WOLFSSL_TLS13_MIDDLEBOX_COMPAT)",             \
    [PTLS_CAP_IGNORE_UNEXPECTED_EOF] =                                                                       \
        WSSL_LIB " has no setting for how an EOF without close_notify is treated",                           \
    [PTLS_CAP_BUGS] = WSSL_LIB " has no peer bug work-arounds to switch on (SSL_OP_ALL is accepted and "     \
                               "ignored)",                                                                   \
    [PTLS_CAP_STRICT] = WSSL_LIB " has no strict-mode switch",                                               \
    [PTLS_CAP_DEBUG_BROKEN_PROTOCOL] = WSSL_LIB " has no protocol-violation test switch",                    \
    [PTLS_CAP_PIPELINES] = WSSL_LIB " has no encrypt/decrypt pipelines",                                     \
    [PTLS_CAP_READ_BUF] = WSSL_LIB " has no read buffer size setting (its input buffer grows as needed)",    \
    [PTLS_CAP_PSK_SESSION] = WSSL_LIB " has no server PSK from a session file (its PSKs come from the PSK "  \
                                      "callback, -psk)",                                                     \
    [PTLS_CAP_EXT_CACHE] = WSSL_PROTO_EXT_CACHE, [PTLS_CAP_CERT_COMP] = WSSL_PROTO_CERT_COMP,                \
    [PTLS_CAP_RPK] = WSSL_PROTO_RPK, [PTLS_CAP_EXPECTED_RPKS] = WSSL_PROTO_RPK,                              \
    [PTLS_CAP_RAND_FILE] = "not implemented by polytls: wolfSSL could (wolfSSL_RAND_load_file, "             \
                           "wolfSSL_RAND_write_file)",                                                       \
    [PTLS_CAP_SSL_CONFIG] = WSSL_LIB " has no configuration file sections (SSL_CTX_config is OpenSSL's)",    \
    [PTLS_CAP_PROVIDERS] = WSSL_LIB " has no providers (an OpenSSL 3 concept)",                              \
    [PTLS_CAP_PROVPARAM] = WSSL_LIB " has no providers (an OpenSSL 3 concept)",                              \
    [PTLS_CAP_ENGINE] = WSSL_LIB " has no ENGINE modules (an OpenSSL concept)",                              \
    [PTLS_CAP_SECURITY_DEBUG] = WSSL_LIB " has no security framework callback (an OpenSSL concept)",         \
    [PTLS_CAP_SSL3] = WSSL_PROTO_SSL3, [PTLS_CAP_SCTP] = WSSL_PROTO_SCTP, [PTLS_CAP_COMP] = WSSL_PROTO_COMP, \
    [PTLS_CAP_KTLS] = WSSL_LIB " has no kernel TLS offload", [PTLS_CAP_ECH] = WSSL_PROTO_ECH,

#endif
