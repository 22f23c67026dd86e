/*
 * Loading certificates, keys and CRL directories with Mbed TLS.
 * The x509/pk parsers detect PEM vs DER themselves, so -certform/-keyform
 * only need checking, not dispatching.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <mbedtls/error.h>
#include <mbedtls/pkcs5.h>

#include "mbed_internal.h"

/* Tells PEM from DER by the file content, to refuse a -certform/-keyform
 * that does not match: the parsers would accept either silently. */
static int mbed_file_is_pem(const char *path)
{
    char buf[4096];
    size_t n;
    FILE *f = fopen(path, "rb");

    if (!f) return -1;
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    if (memchr(buf, '\0', n)) return 0; /* binary: DER */
    return strstr(buf, "-----BEGIN ") != NULL;
}

static int mbed_check_form(const char *path, int form, const char *opt, char *err, size_t errlen)
{
    int pem = mbed_file_is_pem(path);

    if (pem < 0) {
        snprintf(err, errlen, "%s: cannot open %s: %s", opt, path, strerror(errno));
        return -1;
    }
    if (form == PTLS_FORMAT_DER && pem) {
        snprintf(err, errlen, "%s: %s is PEM but DER was requested", opt, path);
        return -1;
    }
    if (form == PTLS_FORMAT_PEM && !pem) {
        snprintf(err, errlen, "%s: %s is not PEM (use the DER form option for a DER file)", opt, path);
        return -1;
    }
    return 0;
}

int mbed_load_keypair(mbed_keypair *kp, const ptls_keypair *src, const char *what, char *err, size_t errlen)
{
    const char *keyfile = src->key ? src->key : src->cert;
    int ret;

    mbedtls_x509_crt_init(&kp->crt);
    mbedtls_pk_init(&kp->pk);
    kp->loaded = 1;

    if (mbed_check_form(src->cert, src->cert_form, what, err, errlen) != 0) return -1;
    ret = mbedtls_x509_crt_parse_file(&kp->crt, src->cert);
    if (ret != 0) {
        /* > 0: some PEM blocks failed; any failure in the leaf file is an
         * error, we never serve half of what was given. */
        mbed_errf(err, errlen, ret < 0 ? ret : 0, "%s: cannot load certificate %s%s", what, src->cert,
                  ret > 0 ? ": a certificate in the file failed to parse" : "");
        return -1;
    }
    if (src->chain) {
        ret = mbedtls_x509_crt_parse_file(&kp->crt, src->chain);
        if (ret != 0) {
            mbed_errf(err, errlen, ret < 0 ? ret : 0, "%s: cannot load certificate chain %s%s", what,
                      src->chain, ret > 0 ? ": a certificate in the file failed to parse" : "");
            return -1;
        }
    }

    if (mbed_check_form(keyfile, src->key_form, what, err, errlen) != 0) return -1;
    ret = mbed_compat_parse_keyfile(&kp->pk, keyfile, src->pass);
    if (ret == MBEDTLS_ERR_PKCS5_FEATURE_UNAVAILABLE || ret == MBEDTLS_ERR_PK_FEATURE_UNAVAILABLE) {
        mbed_errf(err, errlen, ret,
                  "%s: cannot decrypt private key %s: " MBED_LIB
                  " reads encrypted keys only as " MBED_KEY_FORMATS,
                  what, keyfile);
        return -1;
    }
    if (ret == MBEDTLS_ERR_PK_PASSWORD_REQUIRED) {
        mbed_errf(err, errlen, ret, "%s: private key %s is encrypted and no passphrase was given (-pass)",
                  what, keyfile);
        return -1;
    }
    if (ret == MBEDTLS_ERR_PK_PASSWORD_MISMATCH) {
        mbed_errf(err, errlen, ret, "%s: wrong passphrase for private key %s", what, keyfile);
        return -1;
    }
    if (ret != 0) {
        mbed_errf(err, errlen, ret, "%s: cannot load private key %s", what, keyfile);
        return -1;
    }
    ret = mbed_compat_check_pair(&kp->crt.pk, &kp->pk);
    if (ret != 0) {
        mbed_errf(err, errlen, ret, "%s: private key %s does not match certificate %s", what, keyfile,
                  src->cert);
        return -1;
    }
    return 0;
}

/* OpenSSL looks up CRLs in -CApath (hash.rN files) when CRL checking is on;
 * Mbed TLS has no lookup, so every file of the directory that parses as a
 * CRL is loaded. Returns the number of CRLs found. */
int mbed_load_crl_dir(mbedtls_x509_crl *crl, const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[4096];
    struct stat st;
    int n = 0;

    if (!d) return 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) continue;
        if (mbedtls_x509_crl_parse_file(crl, path) == 0) n++;
    }
    closedir(d);
    return n;
}
