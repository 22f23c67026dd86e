/*
 * OCSP stapling from -status_file: TLS 1.2, and TLS 1.3 where the library
 * does not leak (WSSL_BUG_OCSP_TLS13_LEAK); DTLS 1.2 where clients accept
 * the message (WSSL_BUG_DTLS_CERT_STATUS).
 *
 * openssl s_server staples whatever bytes the file holds, and so does
 * wolfSSL 5.9.2 with a status callback. wolfSSL 5.5.4 does not
 * (WSSL_BUG_OCSP_CHECKED_AT_HANDSHAKE): at every handshake it decodes and
 * checks the response (src/ocsp.c CheckOcspResponse) and, when the check
 * fails, silently sends no staple at all. It also caches the checked
 * response under the serial number it names; a response about another
 * certificate never hits the cache and is checked and added again at every
 * handshake (memory grows by about 1 KB per handshake until the server
 * stops). So that an accepted -status_file is always stapled, there
 * wssl_ocsp_setup runs the library's own check at startup, on the same
 * trust store, and refuses what the library would not staple; the status
 * callback warns once when the response expires while the server runs
 * (from then on the library sends nothing, where OpenSSL would go on
 * stapling the stale response).
 */
#include "wssl_internal.h"

#include <wolfssl/wolfcrypt/asn.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if WSSL_BUG_OCSP_CHECKED_AT_HANDSHAKE
/* What the library checks, in the words a user needs to fix the file. */
#define WSSL_OCSP_NEEDS                                                                                      \
    "a DER OCSPResponse with status successful, signed by the issuer of the certificate or by a responder "  \
    "certificate that is included in the response and issued by a CA in -CAfile/-CApath, with thisUpdate "   \
    "not in the future and nextUpdate (if present) not in the past"

/* The response's nextUpdate as time_t (0: none or unreadable), read with
 * the library's own ASN.1 time decoder. */
static long long wssl_next_update(const CertStatus *status)
{
    struct tm tm;

    if (status->nextDateParsed.length <= 0) return 0;
    memset(&tm, 0, sizeof tm);
    if (wolfSSL_ASN1_TIME_to_tm(&status->nextDateParsed, &tm) != WOLFSSL_SUCCESS) return 0;
    return (long long)timegm(&tm);
}

/* wolfSSL builds the OCSP request for the staple from the server
 * certificate AND its issuer, which it takes from the trusted CAs: without
 * the issuer every handshake fails with -188 (ASN_NO_SIGNER_E). */
static int wssl_ocsp_check_issuer(WOLFSSL_CTX *ctx, const ptls_keypair *kp, const unsigned char *cert,
                                  size_t len, char *err, size_t errlen)
{
    if (wolfSSL_CertManagerVerifyBuffer(wolfSSL_CTX_GetCertManager(ctx), cert, (long)len,
                                        wssl_filetype(kp->cert_form)) != WOLFSSL_SUCCESS) {
        wssl_set_err(err, errlen,
                     "-status_file: wolfSSL needs the issuer of %s among the trusted CAs to staple OCSP "
                     "(add it with -CAfile or -CApath), otherwise every handshake fails with -188",
                     kp->cert);
        return -1;
    }
    return 0;
}

/* The response must be about this certificate: compares serial numbers. */
static int wssl_ocsp_check_serial(const ptls_keypair *kp, const unsigned char *cert, size_t len,
                                  const CertStatus *status, const char *file, char *err, size_t errlen)
{
    unsigned char serial[EXTERNAL_SERIAL_SIZE];
    int serial_len = (int)sizeof serial, same;
    WOLFSSL_X509 *x509 = wolfSSL_X509_load_certificate_buffer(cert, (int)len, wssl_filetype(kp->cert_form));

    if (x509 == NULL || wolfSSL_X509_get_serial_number(x509, serial, &serial_len) != WOLFSSL_SUCCESS) {
        wolfSSL_X509_free(x509);
        wssl_set_err(err, errlen, "-status_file: cannot read the serial number of %s", kp->cert);
        return -1;
    }
    wolfSSL_X509_free(x509);
    same = status->serialSz == serial_len && memcmp(status->serial, serial, (size_t)serial_len) == 0;
    if (!same) {
        char want[2 * EXTERNAL_SERIAL_SIZE + 1] = "", got[2 * EXTERNAL_SERIAL_SIZE + 1] = "";
        for (int i = 0; i < serial_len; i++)
            snprintf(want + 2 * i, 3, "%02X", serial[i]);
        for (int i = 0; i < status->serialSz && i < EXTERNAL_SERIAL_SIZE; i++)
            snprintf(got + 2 * i, 3, "%02X", status->serial[i]);
        wssl_set_err(err, errlen,
                     "-status_file %s: the response is about serial %s, not about %s (serial %s); wolfSSL "
                     "would check it again and cache another copy at every handshake",
                     file, got, kp->cert, want);
        return -1;
    }
    return 0;
}

/* Runs CheckOcspResponse, the check the library applies before each
 * staple, on the context's own certificate manager. The check is reached
 * through the public wolfSSL_CertManagerCheckOCSPResponse, which only
 * checks while OCSP (the client-certificate kind) is enabled on the
 * manager: it is enabled for the call and disabled again, so client
 * certificate verification stays as configured. */
static int wssl_ocsp_check_response(WOLFSSL_CTX *ctx, wssl_server *srv, const ptls_keypair *kp,
                                    const unsigned char *cert, size_t len, const char *file, char *err,
                                    size_t errlen)
{
    WOLFSSL_CERT_MANAGER *cm = wolfSSL_CTX_GetCertManager(ctx);
    WOLFSSL_BUFFER_INFO stapled;
    CertStatus status;
    OcspEntry entry;
    int rc, ok;

    memset(&stapled, 0, sizeof stapled);
    memset(&status, 0, sizeof status);
    memset(&entry, 0, sizeof entry);
    if (wolfSSL_CertManagerEnableOCSP(cm, 0) != WOLFSSL_SUCCESS) {
        wssl_set_err(err, errlen, "-status_file: wolfSSL_CertManagerEnableOCSP failed");
        return -1;
    }
    rc = wolfSSL_CertManagerCheckOCSPResponse(cm, srv->ocsp, (int)srv->ocsp_len, &stapled, &status, &entry,
                                              NULL);
    wolfSSL_CertManagerDisableOCSP(cm);
    /* The library staples exactly when its check leaves a copy of the
     * response in the buffer: good, revoked and unknown responses (the
     * client judges the status), nothing for the rest. */
    ok = stapled.buffer != NULL;
    XFREE(stapled.buffer, NULL, DYNAMIC_TYPE_TMP_BUFFER);
    XFREE(status.rawOcspResponse, NULL, DYNAMIC_TYPE_OCSP_STATUS);
    if (!ok) {
        char why[128];
        wssl_error_text(rc, why, sizeof why);
        wssl_set_err(
            err, errlen,
            "-status_file %s: wolfSSL would not staple this response (it checks it at every handshake "
            "and sends nothing when the check fails: %s). It needs " WSSL_OCSP_NEEDS,
            file, why);
        return -1;
    }
    if (wssl_ocsp_check_serial(kp, cert, len, &status, file, err, errlen) != 0) return -1;
    srv->ocsp_next_update = wssl_next_update(&status);
    return 0;
}

#endif /* WSSL_BUG_OCSP_CHECKED_AT_HANDSHAKE */

int wssl_ocsp_setup(WOLFSSL_CTX *ctx, wssl_server *srv, const ptls_keypair *kp, const char *file, char *err,
                    size_t errlen)
{
#if !WSSL_BUG_OCSP_CHECKED_AT_HANDSHAKE
    /* The file is stapled as given (srv->ocsp, read by server_new). */
    (void)srv;
    (void)kp;
    (void)file;
    if (wolfSSL_CTX_EnableOCSPStapling(ctx) != WOLFSSL_SUCCESS) {
        wssl_set_err(err, errlen, "-status_file: wolfSSL_CTX_EnableOCSPStapling failed");
        return -1;
    }
    return 0;
#else
    size_t len = 0;
    unsigned char *cert = wssl_read_file(kp->cert, &len);
    int rc = -1;

    if (cert == NULL) {
        wssl_set_err(err, errlen, "-cert %s: %s", kp->cert, strerror(errno));
        return -1;
    }
    if (wssl_ocsp_check_issuer(ctx, kp, cert, len, err, errlen) != 0) goto out;
    if (wolfSSL_CTX_EnableOCSPStapling(ctx) != WOLFSSL_SUCCESS) {
        wssl_set_err(err, errlen, "-status_file: wolfSSL_CTX_EnableOCSPStapling failed");
        goto out;
    }
    rc = wssl_ocsp_check_response(ctx, srv, kp, cert, len, file, err, errlen);
out:
    free(cert);
    return rc;
#endif
}

/* Called by the library at every stapled handshake (5.9.2), or when its
 * cache holds no valid response for the certificate (5.5.4: at the first
 * stapled handshake and after nextUpdate).
 * wolfSSL frees the response with the connection, hence a copy each time.
 * arg is not reliable in wolfSSL 5.5.4 (the callback receives another
 * pointer than the one given to set_tlsext_status_arg): the connection's
 * ex_data leads to the server instead. */
static int wssl_status_cb(WOLFSSL *ssl, void *arg)
{
    wssl_conn *c = wssl_conn_of(ssl);
    wssl_server *srv = c ? c->srv : NULL;
    unsigned char *copy;

    (void)arg;
    if (srv == NULL) return fatal_return;
    if (srv->ocsp == NULL) return noack_return;
    if (srv->ocsp_next_update != 0 && time(NULL) >= srv->ocsp_next_update && !srv->ocsp_expiry_logged) {
        srv->ocsp_expiry_logged = 1;
        wssl_host->log("-status_file: the OCSP response passed its nextUpdate; wolfSSL staples nothing from "
                       "now on (give a fresh response and restart)\n");
    }
    copy = malloc(srv->ocsp_len);
    if (copy == NULL) return fatal_return;
    memcpy(copy, srv->ocsp, srv->ocsp_len);
    if (wolfSSL_set_tlsext_status_ocsp_resp(ssl, copy, (int)srv->ocsp_len) != WOLFSSL_SUCCESS) {
        free(copy);
        return fatal_return;
    }
    return 0;
}

void wssl_ocsp_install(WOLFSSL_CTX *ctx)
{
    wolfSSL_CTX_set_tlsext_status_cb(ctx, wssl_status_cb);
}
