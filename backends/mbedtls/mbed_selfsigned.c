/*
 * An ephemeral self-signed certificate: ECDSA P-256, CN=localhost, SAN
 * DNS:localhost, IP:127.0.0.1, IP:::1, valid from an hour ago for a year.
 * Mbed TLS 2.28 has no SAN writer (3.x added one), so the extension is
 * encoded here for both; it is a fixed value.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <mbedtls/bignum.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecp.h>
#include <mbedtls/entropy.h>
#include <mbedtls/oid.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/x509_crt.h>

#include "mbed_internal.h"

/* SubjectAltName ::= SEQUENCE { dNSName "localhost", iPAddress 127.0.0.1,
 * iPAddress ::1 } */
static const unsigned char mbed_san[] = {
    0x30, 0x23,                                                                   /* SEQUENCE, 35 bytes */
    0x82, 0x09, 'l', 'o', 'c', 'a', 'l', 'h', 'o', 's', 't',                      /* [2] dNSName */
    0x87, 0x04, 127, 0,   0,   1,                                                 /* [7] iPAddress v4 */
    0x87, 0x10, 0,   0,   0,   0,   0,   0,   0,   0,   0,   0, 0, 0, 0, 0, 0, 1, /* [7] iPAddress v6 */
};

static int mbed_write_file(const char *path, const unsigned char *data, size_t len, int mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    size_t off = 0;
    ssize_t n;

    if (fd < 0) return -1;
    while (off < len) {
        n = write(fd, data + off, len - off);
        if (n <= 0) {
            close(fd);
            return -1;
        }
        off += (size_t)n;
    }
    return close(fd);
}

static void mbed_x509_time(char out[15], time_t t)
{
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(out, 15, "%Y%m%d%H%M%S", &tm);
}

int mbed_make_selfsigned(const char *cert_path, const char *key_path, char *err, size_t errlen)
{
    static const char pers[] = "polytls-mbedtls-selfsigned";
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context drbg;
    mbedtls_pk_context key;
    mbedtls_x509write_cert crt;
    unsigned char serial_bytes[16];
    unsigned char pem[4096];
    char nb[15], na[15];
    time_t now = time(NULL);
    int ret, rc = -1;

    mbedtls_entropy_init(&entropy);
    mbedtls_ctr_drbg_init(&drbg);
    mbedtls_pk_init(&key);
    mbedtls_x509write_crt_init(&crt);

    ret = mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy, (const unsigned char *)pers,
                                sizeof pers - 1);
    if (ret != 0) {
        mbed_errf(err, errlen, ret, "self-signed: seeding the random generator");
        goto out;
    }
    ret = mbedtls_pk_setup(&key, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY));
    if (ret == 0)
        ret =
            mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(key), mbedtls_ctr_drbg_random, &drbg);
    if (ret != 0) {
        mbed_errf(err, errlen, ret, "self-signed: generating a P-256 key");
        goto out;
    }

    /* A positive random 127-bit serial. */
    ret = mbedtls_ctr_drbg_random(&drbg, serial_bytes, sizeof serial_bytes);
    serial_bytes[0] &= 0x7f;
    serial_bytes[0] |= 0x01;
    mbed_x509_time(nb, now - 3600);
    mbed_x509_time(na, now + 365 * 24 * 3600);

    mbedtls_x509write_crt_set_version(&crt, MBEDTLS_X509_CRT_VERSION_3);
    mbedtls_x509write_crt_set_md_alg(&crt, MBEDTLS_MD_SHA256);
    mbedtls_x509write_crt_set_subject_key(&crt, &key);
    mbedtls_x509write_crt_set_issuer_key(&crt, &key);
    if (ret == 0) ret = mbed_compat_crt_set_serial(&crt, serial_bytes, sizeof serial_bytes);
    if (ret == 0) ret = mbedtls_x509write_crt_set_subject_name(&crt, "CN=localhost");
    if (ret == 0) ret = mbedtls_x509write_crt_set_issuer_name(&crt, "CN=localhost");
    if (ret == 0) ret = mbedtls_x509write_crt_set_validity(&crt, nb, na);
    if (ret == 0) ret = mbedtls_x509write_crt_set_basic_constraints(&crt, 0, -1);
    if (ret == 0) ret = mbedtls_x509write_crt_set_subject_key_identifier(&crt);
    if (ret == 0) ret = mbedtls_x509write_crt_set_authority_key_identifier(&crt);
    if (ret == 0) ret = mbedtls_x509write_crt_set_key_usage(&crt, MBEDTLS_X509_KU_DIGITAL_SIGNATURE);
    if (ret == 0)
        ret = mbedtls_x509write_crt_set_extension(&crt, MBEDTLS_OID_SUBJECT_ALT_NAME,
                                                  MBEDTLS_OID_SIZE(MBEDTLS_OID_SUBJECT_ALT_NAME), 0, mbed_san,
                                                  sizeof mbed_san);
    if (ret != 0) {
        mbed_errf(err, errlen, ret, "self-signed: building the certificate");
        goto out;
    }

    ret = mbedtls_pk_write_key_pem(&key, pem, sizeof pem);
    if (ret != 0) {
        mbed_errf(err, errlen, ret, "self-signed: encoding the key");
        goto out;
    }
    if (mbed_write_file(key_path, pem, strlen((char *)pem), 0600) != 0) {
        snprintf(err, errlen, "self-signed: cannot write %s", key_path);
        goto out;
    }
    ret = mbedtls_x509write_crt_pem(&crt, pem, sizeof pem, mbedtls_ctr_drbg_random, &drbg);
    if (ret != 0) {
        mbed_errf(err, errlen, ret, "self-signed: signing the certificate");
        goto out;
    }
    if (mbed_write_file(cert_path, pem, strlen((char *)pem), 0644) != 0) {
        snprintf(err, errlen, "self-signed: cannot write %s", cert_path);
        goto out;
    }
    rc = 0;

out:
    mbedtls_platform_zeroize(pem, sizeof pem);
    mbedtls_x509write_crt_free(&crt);
    mbedtls_pk_free(&key);
    mbedtls_ctr_drbg_free(&drbg);
    mbedtls_entropy_free(&entropy);
    return rc;
}
