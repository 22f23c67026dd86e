/*
 * make_selfsigned(): a fresh ECDSA P-256 certificate for localhost made with
 * wolfCrypt's certificate generator (WOLFSSL_CERT_GEN and WOLFSSL_ALT_NAMES
 * are on in this build, so the SAN can be given as DER).
 */
#include "wssl_internal.h"

#include <wolfssl/wolfcrypt/asn_public.h>
#include <wolfssl/wolfcrypt/ecc.h>
#include <wolfssl/wolfcrypt/random.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* subjectAltName value: SEQUENCE OF GeneralName
 *   [2] dNSName "localhost", [7] iPAddress 127.0.0.1, [7] iPAddress ::1 */
static const unsigned char wssl_san_der[] = {
    0x30, 0x23,                                                                   /* SEQUENCE, 35 bytes */
    0x82, 0x09, 'l', 'o', 'c', 'a', 'l', 'h', 'o', 's', 't',                      /* dNSName */
    0x87, 0x04, 127, 0,   0,   1,                                                 /* iPAddress v4 */
    0x87, 0x10, 0,   0,   0,   0,   0,   0,   0,   0,   0,   0, 0, 0, 0, 0, 0, 1, /* iPAddress v6 */
};

static int wssl_write_pem(const char *path, const unsigned char *pem, size_t len, mode_t mode, char *err,
                          size_t errlen)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    size_t off = 0;

    if (fd < 0) {
        wssl_set_err(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    while (off < len) {
        ssize_t n = write(fd, pem + off, len - off);
        if (n < 0) {
            if (errno == EINTR) continue;
            wssl_set_err(err, errlen, "%s: %s", path, strerror(errno));
            close(fd);
            return -1;
        }
        off += (size_t)n;
    }
    if (close(fd) != 0) {
        wssl_set_err(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

int wssl_make_selfsigned(const char *cert_path, const char *key_path, char *err, size_t errlen)
{
    static unsigned char der[4096], pem[8192];
    WC_RNG rng;
    ecc_key key;
    Cert cert;
    int rc = -1, derlen, pemlen, step;

    if (wc_InitRng(&rng) != 0) {
        wssl_set_err(err, errlen, "wolfCrypt RNG initialisation failed");
        return -1;
    }
    if (wc_ecc_init(&key) != 0) {
        wc_FreeRng(&rng);
        wssl_set_err(err, errlen, "wolfCrypt ECC initialisation failed");
        return -1;
    }
    if ((step = wc_ecc_make_key_ex(&rng, 32, &key, ECC_SECP256R1)) != 0) {
        wssl_set_err(err, errlen, "P-256 key generation failed (wolfCrypt error %d)", step);
        goto out;
    }
    if (wc_InitCert(&cert) != 0) goto out;
    /* wc_InitCert: self-signed, version 3, random serial */
    snprintf(cert.subject.commonName, sizeof(cert.subject.commonName), "localhost");
    cert.sigType = CTC_SHA256wECDSA;
    cert.isCA = 0;
    cert.daysValid = 365;
    memcpy(cert.altNames, wssl_san_der, sizeof(wssl_san_der));
    cert.altNamesSz = (int)sizeof(wssl_san_der);
    if ((step = wc_SetKeyUsage(&cert, "digitalSignature")) != 0 ||
        (step = wc_SetExtKeyUsage(&cert, "serverAuth")) != 0 ||
        (step = wc_SetSubjectKeyIdFromPublicKey_ex(&cert, ECC_TYPE, &key)) != 0) {
        wssl_set_err(err, errlen, "certificate extensions failed (wolfCrypt error %d)", step);
        goto out;
    }
    derlen = wc_MakeCert(&cert, der, sizeof(der), NULL, &key, &rng);
    if (derlen < 0) {
        wssl_set_err(err, errlen, "wc_MakeCert failed (wolfCrypt error %d)", derlen);
        goto out;
    }
    derlen = wc_SignCert(cert.bodySz, cert.sigType, der, sizeof(der), NULL, &key, &rng);
    if (derlen < 0) {
        wssl_set_err(err, errlen, "wc_SignCert failed (wolfCrypt error %d)", derlen);
        goto out;
    }
    pemlen = wc_DerToPem(der, (word32)derlen, pem, sizeof(pem), CERT_TYPE);
    if (pemlen <= 0 || wssl_write_pem(cert_path, pem, (size_t)pemlen, 0644, err, errlen) != 0) {
        if (pemlen <= 0) wssl_set_err(err, errlen, "certificate PEM encoding failed");
        goto out;
    }
    derlen = wc_EccKeyToDer(&key, der, sizeof(der));
    if (derlen <= 0) {
        wssl_set_err(err, errlen, "key DER encoding failed (wolfCrypt error %d)", derlen);
        goto out;
    }
    pemlen = wc_DerToPem(der, (word32)derlen, pem, sizeof(pem), ECC_PRIVATEKEY_TYPE);
    memset(der, 0, sizeof(der));
    if (pemlen <= 0 || wssl_write_pem(key_path, pem, (size_t)pemlen, 0600, err, errlen) != 0) {
        if (pemlen <= 0) wssl_set_err(err, errlen, "key PEM encoding failed");
        memset(pem, 0, sizeof(pem));
        goto out;
    }
    memset(pem, 0, sizeof(pem));
    rc = 0;
out:
    wc_ecc_free(&key);
    wc_FreeRng(&rng);
    return rc;
}
