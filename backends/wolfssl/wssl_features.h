/*
 * What the wolfSSL build this module is compiled against can do, and which
 * of its bugs the backend works around: the one place where the backend
 * depends on the library's version and configure options.
 *
 * The module is built against the system library (Debian bookworm's
 * wolfSSL 5.5.4, --enable-distro) and against pinned upstream releases
 * (backends/wolfssl/flavours/VERSION.pin), so nothing here may assume one build:
 * features come from the feature macros in <wolfssl/options.h>, bugs from
 * LIBWOLFSSL_VERSION_HEX, each bug with the versions it was checked in.
 * Only 5.5.4 and 5.9.2 have been checked: a release between them is
 * treated like 5.5.4 for a bug 5.9.2 no longer has. Refusal reasons name
 * the real version and the missing build option.
 */
#ifndef WSSL_FEATURES_H
#define WSSL_FEATURES_H

#include <wolfssl/options.h>
#include <wolfssl/version.h>
#include <wolfssl/wolfcrypt/settings.h>

/* "wolfSSL 5.9.2": the prefix of every refusal reason. */
#define WSSL_LIB "wolfSSL " LIBWOLFSSL_VERSION_STRING
/* "wolfSSL 5.5.4 is built without HAVE_SECRET_CALLBACK" */
#define WSSL_WITHOUT(macro) WSSL_LIB " is built without " macro

/* ---- protocol versions ------------------------------------------------ */

/* TLS 1.0 needs old TLS and WOLFSSL_ALLOW_TLSV10 (--enable-tlsv10); without
 * the latter, setting the version succeeds but handshakes fail. */
#if !defined(NO_OLD_TLS) && defined(WOLFSSL_ALLOW_TLSV10)
#define WSSL_HAS_TLS10 1
#else
#define WSSL_HAS_TLS10 0
#if defined(NO_OLD_TLS)
#define WSSL_NO_TLS10_REASON WSSL_LIB " is built with NO_OLD_TLS: no TLS 1.0"
#else
#define WSSL_NO_TLS10_REASON                                                                                 \
    WSSL_WITHOUT("WOLFSSL_ALLOW_TLSV10") ": no TLS 1.0 (setting it succeeds but handshakes fail)"
#endif
#endif

#if !defined(NO_OLD_TLS)
#define WSSL_HAS_TLS11 1
#else
#define WSSL_HAS_TLS11 0
#endif

#if defined(WOLFSSL_TLS13)
#define WSSL_HAS_TLS13 1
#else
#define WSSL_HAS_TLS13 0
#endif

#if defined(WOLFSSL_DTLS)
#define WSSL_HAS_DTLS 1
#else
#define WSSL_HAS_DTLS 0
#endif

/* DTLS 1.3: wolfDTLSv1_3_server_method, HelloRetryRequest cookies
 * (wolfSSL_send_hrr_cookie). */
#if defined(WOLFSSL_DTLS) && defined(WOLFSSL_DTLS13) && defined(WOLFSSL_TLS13) &&                            \
    defined(WOLFSSL_SEND_HRR_COOKIE)
#define WSSL_HAS_DTLS13 1
#else
#define WSSL_HAS_DTLS13 0
#if !defined(WOLFSSL_DTLS13)
#define WSSL_NO_DTLS13_REASON WSSL_WITHOUT("WOLFSSL_DTLS13") " (--enable-dtls13)"
#else
#define WSSL_NO_DTLS13_REASON                                                                                \
    WSSL_WITHOUT("WOLFSSL_SEND_HRR_COOKIE") ": no stateless DTLS 1.3 cookie exchange"
#endif
#endif

/* -mtu: wolfSSL_dtls_set_mtu exists only with WOLFSSL_DTLS_MTU; without
 * it the library fills datagrams up to a fixed size. */
#if defined(WOLFSSL_DTLS_MTU)
#define WSSL_HAS_DTLS_MTU 1
#else
#define WSSL_HAS_DTLS_MTU 0
#endif

/* ---- TLS 1.3 features ------------------------------------------------- */

#if defined(WOLFSSL_EARLY_DATA) && WSSL_HAS_TLS13 && defined(HAVE_SESSION_TICKET)
#define WSSL_HAS_EARLY_DATA 1
#else
#define WSSL_HAS_EARLY_DATA 0
#endif

/* TLS 1.3 secrets (keylog) through wolfSSL_set_tls13_secret_cb. */
#if defined(HAVE_SECRET_CALLBACK) && WSSL_HAS_TLS13
#define WSSL_HAS_SECRET_CB 1
#else
#define WSSL_HAS_SECRET_CB 0
#endif

#if WSSL_HAS_TLS13 && defined(WOLFSSL_POST_HANDSHAKE_AUTH)
#define WSSL_HAS_PHA 1
#else
#define WSSL_HAS_PHA 0
#endif

#if defined(WOLFSSL_HAVE_MLKEM)
#define WSSL_HAS_MLKEM 1
#else
#define WSSL_HAS_MLKEM 0
#endif

/* ---- renegotiation ---------------------------------------------------- */

/* Server-side renegotiation needs HAVE_SECURE_RENEGOTIATION (the
 * renegotiation itself) and HAVE_SERVER_RENEGOTIATION_INFO (the RFC 5746
 * extension on the server). s_server refuses client-initiated
 * renegotiation unless -client_renegotiation: the library refuses a
 * client's new ClientHello with WOLFSSL_OP_NO_RENEGOTIATION on the server
 * side, which is checked in 5.9.2; older releases with secure renegotiation
 * built in are not known to honour it there, so the backend offers
 * renegotiation only where it can keep that default. */
#if defined(HAVE_SECURE_RENEGOTIATION) && defined(HAVE_SERVER_RENEGOTIATION_INFO) &&                         \
    LIBWOLFSSL_VERSION_HEX >= 0x05009002
#define WSSL_HAS_RENEGOTIATION 1
#else
#define WSSL_HAS_RENEGOTIATION 0
#if !defined(HAVE_SECURE_RENEGOTIATION)
#define WSSL_NO_RENEG_REASON WSSL_WITHOUT("HAVE_SECURE_RENEGOTIATION") ": it cannot renegotiate"
#elif !defined(HAVE_SERVER_RENEGOTIATION_INFO)
#define WSSL_NO_RENEG_REASON                                                                                 \
    WSSL_WITHOUT("HAVE_SERVER_RENEGOTIATION_INFO") ": it cannot renegotiate as a server"
#else
#define WSSL_NO_RENEG_REASON                                                                                 \
    WSSL_LIB                                                                                                 \
    ": refusing client-initiated renegotiation (WOLFSSL_OP_NO_RENEGOTIATION on the server) is only "         \
    "verified from wolfSSL 5.9.2 on"
#endif
#endif

/* ---- OCSP stapling ---------------------------------------------------- */

#if defined(HAVE_CERTIFICATE_STATUS_REQUEST)
#define WSSL_HAS_OCSP_STAPLE 1
#else
#define WSSL_HAS_OCSP_STAPLE 0
#endif

/* Bug, seen in 5.5.4: TLSX_CSR_Parse (src/tls.c) parses the server
 * certificate for a TLS 1.3 status_request and frees the DecodedCert
 * without FreeDecodedCert: LeakSanitizer and valgrind see ~6 KB lost per
 * stapled TLS 1.3 handshake. 5.9.2 builds the TLS 1.3 staple elsewhere
 * (ProcessChainOCSPRequest) and valgrind finds nothing lost there. */
#if LIBWOLFSSL_VERSION_HEX < 0x05009002
#define WSSL_BUG_OCSP_TLS13_LEAK 1
#else
#define WSSL_BUG_OCSP_TLS13_LEAK 0
#endif

/* Behaviour seen in 5.5.4 (src/ocsp.c CheckOcspResponse): even with a
 * status callback the library decodes and checks the response at every
 * handshake, staples nothing when the check fails, caches it under the
 * serial it names (a response about another certificate is added again at
 * every handshake), and needs the certificate's issuer among the trusted
 * CAs (every handshake fails with -188 otherwise). wssl_ocsp.c therefore
 * runs the library's check at startup and refuses what it would not
 * staple. 5.9.2 sends whatever the status callback gives, as OpenSSL
 * does (BuildCertificateStatusWithStatusCB, TLSX_CSR_SetResponseWithStatusCB),
 * so there the file is stapled as given. */
#if LIBWOLFSSL_VERSION_HEX < 0x05009002
#define WSSL_BUG_OCSP_CHECKED_AT_HANDSHAKE 1
#else
#define WSSL_BUG_OCSP_CHECKED_AT_HANDSHAKE 0
#endif

/* Bug, seen in 5.5.4: over DTLS 1.2 the CertificateStatus message has DTLS
 * length fields clients reject (OpenSSL s_client -dtls1_2 -status:
 * "dtls_get_reassembled_message: bad length", then illegal_parameter). */
#if LIBWOLFSSL_VERSION_HEX < 0x05009002
#define WSSL_BUG_DTLS_CERT_STATUS 1
#else
#define WSSL_BUG_DTLS_CERT_STATUS 0
#endif

/* ---- other library behaviour ------------------------------------------ */

/* Bug, seen in 5.5.4: set1_sigalgs_list governs only what the server
 * accepts from clients (CertificateRequest); its own signature is picked
 * from the client's list regardless (a PKCS#1-only list still signed with
 * RSA-PSS). 5.9.2 restricts its own signature to the list in TLS 1.2 and
 * 1.3 (MatchSuite: PickHashSigAlgo with matchSuites), checked with openssl
 * s_client; the same list still goes into CertificateRequest, which is
 * what s_server does with -sigalgs and no -client_sigalgs. */
#if LIBWOLFSSL_VERSION_HEX < 0x05009002
#define WSSL_BUG_SIGALGS_NOT_OWN 1
#else
#define WSSL_BUG_SIGALGS_NOT_OWN 0
#endif

/* Bug, seen in 5.5.4 and still in 5.9.2 (SendTls13KeyUpdate in
 * src/tls13.c): the KeyUpdate a server sends says update_requested unless
 * one of its own requests is unanswered, with no API to choose. */
#define WSSL_BUG_KEY_UPDATE_ALWAYS_REQUESTS 1

#endif
