/*
 * The one place where the OpenSSL versions this backend builds against
 * differ: Debian's system library (3.0) and the pinned flavours (3.5 LTS,
 * 4.0; backends/openssl/flavours/). Everything else in the backend is
 * written against the API the three share.
 *
 * Compile-time facts come from the headers of the library the module links
 * (OPENSSL_VERSION_NUMBER, OPENSSL_NO_* of <openssl/opensslconf.h>): each
 * flavour module is compiled against its own headers and links its own
 * static library, so the two always agree. Text that names the library
 * uses its run-time version (ossl_lib_name()), never a version typed here.
 */
#ifndef POLYTLS_OSSL_COMPAT_H
#define POLYTLS_OSSL_COMPAT_H

#include <openssl/opensslconf.h>
#include <openssl/opensslv.h>
#include <openssl/ssl.h>

/* "OpenSSL 3.5.7": the library's name and run-time version
 * (OpenSSL_version(OPENSSL_VERSION_STRING)), for refusal reasons and
 * errors. */
const char *ossl_lib_name(void);

/* DTLS 1.3: no OpenSSL release this backend builds against has it; a
 * library that defines DTLS1_3_VERSION would need the DTLS refusals of TLS
 * 1.3-only features (ossl_backend.c) revisited. */
#ifdef DTLS1_3_VERSION
#define OSSL_HAVE_DTLS1_3 1
#else
#define OSSL_HAVE_DTLS1_3 0
#endif

/* SSL_get0_signature_name (3.5): the IANA name of the signature scheme the
 * server signed with, also for schemes that have no (hash, key type) pair
 * (ML-DSA). */
#if OPENSSL_VERSION_NUMBER >= 0x30500000L
#define OSSL_HAVE_SIGNATURE_NAME 1
#else
#define OSSL_HAVE_SIGNATURE_NAME 0
#endif

/* OCSP stapling (3.6, with TLS 1.3 multi-stapling): the library staples a
 * successful response only when one of its single responses is about the
 * certificate it serves (serial and issuer name hash), and nothing for a
 * self-signed certificate; otherwise it silently sends no staple. 3.0 and
 * 3.5 staple the -status_file bytes as given. */
#if OPENSSL_VERSION_NUMBER >= 0x30600000L
#define OSSL_STAPLES_MATCHING_RESPONSES_ONLY 1
#else
#define OSSL_STAPLES_MATCHING_RESPONSES_ONLY 0
#endif

#endif
