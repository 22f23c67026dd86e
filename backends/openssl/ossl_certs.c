/*
 * File loading for the OpenSSL backend: keypairs (PEM/DER, encrypted keys,
 * chains), the client-verification store (CA file/dir, CRLs) and DH
 * parameters. Every failure names the file and carries OpenSSL's own reason,
 * because a server that starts without one of its files is worse than one
 * that does not start.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "ossl_private.h"

/* Whole-file read, so that DER keys can be tried with several decoders
 * without reopening the file. */
int ossl_read_file(const char *path, unsigned char **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) return -1;
    size_t cap = 4096, used = 0;
    unsigned char *buf = malloc(cap);
    while (buf != NULL) {
        size_t n = fread(buf + used, 1, cap - used, f);
        used += n;
        if (n == 0) break;
        if (used == cap) {
            unsigned char *nb = realloc(buf, cap * 2);
            if (nb == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (buf == NULL || bad) {
        free(buf);
        return -1;
    }
    *data = buf;
    *len = used;
    return 0;
}

/* Passphrase source for encrypted keys: never the terminal (OpenSSL's
 * default would prompt, which a server must not do). */
static int ossl_pass_cb(char *buf, int size, int rwflag, void *u)
{
    (void)rwflag;
    const char *pass = u;
    if (pass == NULL) return -1;
    size_t n = strlen(pass);
    if (n > (size_t)size) n = (size_t)size;
    memcpy(buf, pass, n);
    return (int)n;
}

static void ossl_fail(char *err, size_t errlen, const char *fmt, const char *what, const char *path)
{
    char prefix[600];
    snprintf(prefix, sizeof(prefix), fmt, what, path);
    ossl_collect_errors(err, errlen, prefix);
}

static EVP_PKEY *ossl_read_key(const char *path, int form, const char *pass)
{
    unsigned char *data = NULL;
    size_t len = 0;
    if (ossl_read_file(path, &data, &len) != 0) return NULL;
    EVP_PKEY *pkey = NULL;
    BIO *bio = BIO_new_mem_buf(data, (int)len);
    if (bio != NULL && form == PTLS_FORMAT_PEM) {
        pkey = PEM_read_bio_PrivateKey(bio, NULL, ossl_pass_cb, (void *)pass);
    } else if (bio != NULL) {
        /* Encrypted PKCS#8 first, then plain PKCS#8 / traditional. */
        pkey = d2i_PKCS8PrivateKey_bio(bio, NULL, ossl_pass_cb, (void *)pass);
        if (pkey == NULL) {
            BIO_free(bio);
            bio = BIO_new_mem_buf(data, (int)len);
            if (bio != NULL) {
                ERR_clear_error();
                pkey = d2i_PrivateKey_bio(bio, NULL);
            }
        }
    }
    BIO_free(bio);
    OPENSSL_cleanse(data, len);
    free(data);
    return pkey;
}

/* Adds every certificate of a PEM file as a chain certificate of the keypair
 * loaded last; returns the number added or -1. */
static int ossl_add_chain_bio(SSL_CTX *ctx, BIO *bio)
{
    int n = 0;
    X509 *x;
    while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
        if (!SSL_CTX_add0_chain_cert(ctx, x)) {
            X509_free(x);
            return -1;
        }
        n++;
    }
    /* The loop ends on "no start line": expected, not an error. */
    ERR_clear_error();
    return n;
}

int ossl_load_keypair(SSL_CTX *ctx, const ptls_keypair *kp, const char *what, char *err, size_t errlen)
{
    const char *key_path = kp->key ? kp->key : kp->cert;
    BIO *bio = BIO_new_file(kp->cert, "rb");
    if (bio == NULL) {
        ossl_fail(err, errlen, "cannot open %s certificate %s", what, kp->cert);
        return -1;
    }
    X509 *cert =
        kp->cert_form == PTLS_FORMAT_DER ? d2i_X509_bio(bio, NULL) : PEM_read_bio_X509(bio, NULL, NULL, NULL);
    if (cert == NULL) {
        BIO_free(bio);
        ossl_fail(err, errlen, "cannot read %s certificate %s", what, kp->cert);
        return -1;
    }
    if (!SSL_CTX_use_certificate(ctx, cert)) {
        X509_free(cert);
        BIO_free(bio);
        ossl_fail(err, errlen, "cannot use %s certificate %s", what, kp->cert);
        return -1;
    }
    X509_free(cert);
    /* Further certificates in a PEM certificate file are its chain, as with
     * SSL_CTX_use_certificate_chain_file: users commonly ship fullchain.pem. */
    if (kp->cert_form == PTLS_FORMAT_PEM && ossl_add_chain_bio(ctx, bio) < 0) {
        BIO_free(bio);
        ossl_fail(err, errlen, "cannot add the chain in %s certificate %s", what, kp->cert);
        return -1;
    }
    BIO_free(bio);

    EVP_PKEY *pkey = ossl_read_key(key_path, kp->key_form, kp->pass);
    if (pkey == NULL) {
        ossl_fail(err, errlen,
                  kp->pass ? "cannot read %s key %s (wrong passphrase?)"
                           : "cannot read %s key %s (encrypted keys need -pass)",
                  what, key_path);
        return -1;
    }
    int ok = SSL_CTX_use_PrivateKey(ctx, pkey);
    EVP_PKEY_free(pkey);
    if (!ok || !SSL_CTX_check_private_key(ctx)) {
        ossl_fail(err, errlen, "%s key %s does not match its certificate", what, key_path);
        return -1;
    }

    if (kp->chain != NULL) {
        BIO *cb = BIO_new_file(kp->chain, "rb");
        int n = cb ? ossl_add_chain_bio(ctx, cb) : -1;
        BIO_free(cb);
        if (n <= 0) {
            ossl_fail(err, errlen, "cannot load %s chain %s (PEM certificates expected)", what, kp->chain);
            return -1;
        }
    }
    return 0;
}

int ossl_load_verify(SSL_CTX *ctx, const ptls_config *cfg, char *err, size_t errlen)
{
    if (cfg->ca_file != NULL || cfg->ca_path != NULL) {
        if (!SSL_CTX_load_verify_locations(ctx, cfg->ca_file, cfg->ca_path)) {
            char prefix[600];
            snprintf(prefix, sizeof(prefix), "cannot load CA %s%s%s", cfg->ca_file ? cfg->ca_file : "",
                     cfg->ca_file && cfg->ca_path ? " / " : "", cfg->ca_path ? cfg->ca_path : "");
            ossl_collect_errors(err, errlen, prefix);
            return -1;
        }
    }
    /* CA names in the CertificateRequest come from the CA file, as in
     * s_server; -no_ca_names sends none (and no certificate_authorities). */
    if (cfg->ca_file != NULL && !cfg->no_ca_names) {
        STACK_OF(X509_NAME) *names = SSL_load_client_CA_file(cfg->ca_file);
        if (names == NULL) {
            ossl_fail(err, errlen, "cannot read CA names from %s%s", "", cfg->ca_file);
            return -1;
        }
        SSL_CTX_set_client_CA_list(ctx, names);
    }
    if (cfg->no_ca_names)
        SSL_CTX_set_options(ctx, SSL_OP_DISABLE_TLSEXT_CA_NAMES);
    else
        SSL_CTX_clear_options(ctx, SSL_OP_DISABLE_TLSEXT_CA_NAMES);

    X509_STORE *store = SSL_CTX_get_cert_store(ctx);
    if (cfg->crl_file != NULL) {
        X509_LOOKUP *lu = X509_STORE_add_lookup(store, X509_LOOKUP_file());
        int type = cfg->crl_form == PTLS_FORMAT_DER ? X509_FILETYPE_ASN1 : X509_FILETYPE_PEM;
        if (lu == NULL || X509_load_crl_file(lu, cfg->crl_file, type) <= 0) {
            ossl_fail(err, errlen, "cannot load CRL %s%s", "", cfg->crl_file);
            return -1;
        }
    }
    unsigned long flags = 0;
    if (cfg->crl_check || cfg->crl_check_all) flags |= X509_V_FLAG_CRL_CHECK;
    if (cfg->crl_check_all) flags |= X509_V_FLAG_CRL_CHECK_ALL;
    if (flags != 0 && !X509_STORE_set_flags(store, flags)) {
        ossl_collect_errors(err, errlen, "cannot enable CRL checking");
        return -1;
    }
    if (cfg->verify_depth >= 0) SSL_CTX_set_verify_depth(ctx, cfg->verify_depth);
    return 0;
}

int ossl_load_dhparam(SSL_CTX *ctx, const char *path, int install, char *err, size_t errlen)
{
    BIO *bio = BIO_new_file(path, "rb");
    EVP_PKEY *params = bio ? PEM_read_bio_Parameters(bio, NULL) : NULL;
    BIO_free(bio);
    if (params == NULL || !(EVP_PKEY_is_a(params, "DH") || EVP_PKEY_is_a(params, "DHX"))) {
        EVP_PKEY_free(params);
        ossl_fail(err, errlen, "cannot read DH parameters from %s%s (PEM \"DH PARAMETERS\" expected)", "",
                  path);
        return -1;
    }
    if (!install) {
        EVP_PKEY_free(params);
        return 0;
    }
    if (!SSL_CTX_set0_tmp_dh_pkey(ctx, params)) {
        EVP_PKEY_free(params);
        ossl_fail(err, errlen, "cannot use DH parameters from %s%s", "", path);
        return -1;
    }
    return 0;
}
