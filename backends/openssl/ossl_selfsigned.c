/*
 * make_selfsigned: an ephemeral ECDSA P-256 certificate for localhost, so
 * that the server can start without any files. The key is written
 * unencrypted with mode 0600 (it is a throwaway key, but still a key).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "ossl_private.h"

static int ossl_add_ext(X509 *cert, int nid, const char *value)
{
    X509V3_CTX v3;
    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, cert, cert, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &v3, nid, value);
    if (ext == NULL) return 0;
    int ok = X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
    return ok;
}

static X509 *ossl_build_cert(EVP_PKEY *pkey)
{
    X509 *cert = X509_new();
    if (cert == NULL) return NULL;
    unsigned char serial[16];
    BIGNUM *bn = NULL;
    int ok = X509_set_version(cert, X509_VERSION_3) && RAND_bytes(serial, sizeof(serial)) > 0;
    if (ok) {
        serial[0] &= 0x7f; /* positive */
        bn = BN_bin2bn(serial, sizeof(serial), NULL);
        ok = bn != NULL && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)) != NULL;
    }
    BN_free(bn);
    /* Valid from an hour ago (clock skew) for 30 days. */
    ok = ok && X509_gmtime_adj(X509_getm_notBefore(cert), -3600) != NULL &&
         X509_gmtime_adj(X509_getm_notAfter(cert), 30L * 24 * 3600) != NULL;
    /* A name of our own, set as subject and issuer: OpenSSL 4.0's
     * X509_get_subject_name returns a const name, not one to edit in place. */
    X509_NAME *name = X509_NAME_new();
    ok = ok && name != NULL &&
         X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"localhost", -1, -1, 0);
    ok = ok && X509_set_subject_name(cert, name) && X509_set_issuer_name(cert, name) &&
         X509_set_pubkey(cert, pkey);
    X509_NAME_free(name);
    ok = ok && ossl_add_ext(cert, NID_basic_constraints, "critical,CA:FALSE") &&
         ossl_add_ext(cert, NID_subject_key_identifier, "hash") &&
         ossl_add_ext(cert, NID_ext_key_usage, "serverAuth") &&
         ossl_add_ext(cert, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1");
    ok = ok && X509_sign(cert, pkey, EVP_sha256()) > 0;
    if (!ok) {
        X509_free(cert);
        return NULL;
    }
    return cert;
}

static FILE *ossl_open_private(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) return NULL;
    FILE *f = fdopen(fd, "w");
    if (f == NULL) close(fd);
    return f;
}

int ossl_make_selfsigned(const char *cert_path, const char *key_path, char *err, size_t errlen)
{
    ERR_clear_error();
    EVP_PKEY *pkey = EVP_EC_gen("P-256");
    X509 *cert = pkey ? ossl_build_cert(pkey) : NULL;
    if (cert == NULL) {
        ossl_collect_errors(err, errlen, "cannot create a self-signed certificate");
        EVP_PKEY_free(pkey);
        return -1;
    }
    int rc = -1;
    FILE *kf = ossl_open_private(key_path);
    if (kf == NULL) {
        snprintf(err, errlen, "cannot write %s", key_path);
    } else {
        int ok = PEM_write_PrivateKey(kf, pkey, NULL, NULL, 0, NULL, NULL);
        if (fclose(kf) != 0) ok = 0;
        FILE *cf = ok ? fopen(cert_path, "w") : NULL;
        if (!ok) {
            snprintf(err, errlen, "cannot write %s", key_path);
        } else if (cf == NULL) {
            snprintf(err, errlen, "cannot write %s", cert_path);
        } else {
            ok = PEM_write_X509(cf, cert);
            if (fclose(cf) != 0) ok = 0;
            if (ok)
                rc = 0;
            else
                snprintf(err, errlen, "cannot write %s", cert_path);
        }
    }
    X509_free(cert);
    EVP_PKEY_free(pkey);
    return rc;
}
