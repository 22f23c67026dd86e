/*
 * Client certificate verification on top of Mbed TLS (2.28 and 3.x), which
 * lacks three things OpenSSL's s_server semantics need:
 *  - REQUEST (-verify): MBEDTLS_SSL_VERIFY_OPTIONAL accepts a certificate
 *    that fails verification; a certificate that is sent must verify, so a
 *    failure is made fatal here, with the alert the library itself would
 *    send for REQUIRED. In the handshake loop (mbed_handshake) the callback
 *    only records the alert and the loop sends it after the Certificate
 *    step; inside a renegotiation (driven by mbedtls_ssl_read) the callback
 *    fails the verification itself (3.x then adds its own alert, 2.28 not);
 *  - a depth limit (no setting): ptls_config.verify_depth counts the
 *    intermediate CAs (OpenSSL's meaning), so the trust anchor may be at
 *    depth verify_depth + 1 at most; a certificate deeper is flagged;
 *  - CRL policy: the library checks every certificate of the chain that has
 *    a matching CRL and silently skips those without one. -crl_check
 *    (leaf only) clears the revocation flags above the leaf, and a missing
 *    CRL is an error as in OpenSSL ("unable to get certificate CRL").
 * The library calls this from the trust anchor down to the leaf (depth 0).
 */
#include <stdio.h>
#include <string.h>

#include "mbed_internal.h"

#define MBED_CRL_FLAGS                                                                                       \
    (MBEDTLS_X509_BADCERT_REVOKED | MBEDTLS_X509_BADCRL_NOT_TRUSTED | MBEDTLS_X509_BADCRL_EXPIRED |          \
     MBEDTLS_X509_BADCRL_FUTURE | MBEDTLS_X509_BADCRL_BAD_MD | MBEDTLS_X509_BADCRL_BAD_PK |                  \
     MBEDTLS_X509_BADCRL_BAD_KEY)

static int mbed_have_crl_for(const mbed_server *s, const mbedtls_x509_crt *crt)
{
    const mbedtls_x509_crl *crl;

    if (!s->have_crl) return 0;
    for (crl = &s->crl; crl && crl->version != 0; crl = crl->next)
        if (crl->issuer_raw.len == crt->issuer_raw.len &&
            memcmp(crl->issuer_raw.p, crt->issuer_raw.p, crt->issuer_raw.len) == 0)
            return 1;
    return 0;
}

/* The alert ssl_parse_certificate_verify() picks for the same flags. */
static unsigned char mbed_alert_for(uint32_t f)
{
    if (f & MBEDTLS_X509_BADCERT_OTHER) return MBEDTLS_SSL_ALERT_MSG_ACCESS_DENIED;
    if (f & MBEDTLS_X509_BADCERT_CN_MISMATCH) return MBEDTLS_SSL_ALERT_MSG_BAD_CERT;
    if (f & (MBEDTLS_X509_BADCERT_KEY_USAGE | MBEDTLS_X509_BADCERT_EXT_KEY_USAGE |
             MBEDTLS_X509_BADCERT_NS_CERT_TYPE | MBEDTLS_X509_BADCERT_BAD_PK | MBEDTLS_X509_BADCERT_BAD_KEY))
        return MBEDTLS_SSL_ALERT_MSG_UNSUPPORTED_CERT;
    if (f & MBEDTLS_X509_BADCERT_EXPIRED) return MBEDTLS_SSL_ALERT_MSG_CERT_EXPIRED;
    if (f & MBEDTLS_X509_BADCERT_REVOKED) return MBEDTLS_SSL_ALERT_MSG_CERT_REVOKED;
    if (f & MBEDTLS_X509_BADCERT_NOT_TRUSTED) return MBEDTLS_SSL_ALERT_MSG_UNKNOWN_CA;
    return MBEDTLS_SSL_ALERT_MSG_CERT_UNKNOWN;
}

int mbed_verify_cb(void *ctx, mbedtls_x509_crt *crt, int depth, uint32_t *flags)
{
    mbed_conn *c = ctx;
    const mbed_server *s = c->srv;
    int self_issued;

    if (c->vnew) { /* first call for a new chain */
        c->vnew = 0;
        c->vflags = 0;
        c->vtext[0] = '\0';
    }
    if (s->verify_depth >= 0 && depth > s->verify_depth + 1) {
        *flags |= MBEDTLS_X509_BADCERT_OTHER;
        if (!c->vtext[0])
            snprintf(c->vtext, sizeof c->vtext, "certificate chain too long (verify depth %d)",
                     s->verify_depth);
    }
    if (s->crl_check) {
        self_issued = crt->issuer_raw.len == crt->subject_raw.len &&
                      memcmp(crt->issuer_raw.p, crt->subject_raw.p, crt->issuer_raw.len) == 0;
        if (depth > 0 && !s->crl_check_all) {
            *flags &= ~(uint32_t)MBED_CRL_FLAGS;
        } else if (!self_issued && !mbed_have_crl_for(s, crt)) {
            *flags |= MBEDTLS_X509_BADCERT_OTHER;
            if (!c->vtext[0])
                snprintf(c->vtext, sizeof c->vtext, "unable to get certificate CRL (depth %d)", depth);
        }
    }
    c->vflags |= *flags;
    if (depth != 0) return 0;
    c->vnew = 1;

    /* Leaf: the whole chain has been seen. */
    if (c->verify_mode == PTLS_VERIFY_REQUEST && c->vflags != 0) {
        char info[160];
        uint32_t f = c->vflags;

        if (c->vtext[0])
            snprintf(info, sizeof info, "%s", c->vtext);
        else {
            mbedtls_x509_crt_verify_info(info, sizeof info, "", f);
            info[strcspn(info, "\n")] = '\0';
        }
        snprintf(c->err, sizeof c->err, "client certificate verification failed: %.150s (flags 0x%08X)", info,
                 (unsigned)f);
        c->vflags = 0;
        if (c->stepping) {
            /* The library accepts it (OPTIONAL); mbed_handshake ends the
             * handshake after this step with the alert REQUIRED would send. */
            c->valert = mbed_alert_for(f);
            return 0;
        }
        /* Our error aborts the handshake (2.28: after the alert REQUIRED
         * would have sent; 3.x sends one itself). */
        if (!MBED_VERIFY_CB_ALERTS)
            mbedtls_ssl_send_alert_message(&c->ssl, MBEDTLS_SSL_ALERT_LEVEL_FATAL, mbed_alert_for(f));
        return MBED_ERR_VERIFY_FAILED;
    }
    c->vflags = 0;
    return 0;
}
