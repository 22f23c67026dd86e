#include "credentials.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "capability.h"
#include "pem.h"
#include "x509_time.h"

static int make_ephemeral(ptls_server_opts *o, const ptls_backend *be, ptls_ephemeral_cert *eph, char *err,
                          size_t errlen)
{
    const char *why = ptls_cap_refusal(be, PTLS_CAP_SELF_SIGNED);
    if (why || !be->make_selfsigned) {
        snprintf(err, errlen,
                 "no -cert given and no server.pem in the current directory, and backend %s cannot generate "
                 "a certificate (%s)",
                 be->name, why ? why : "no make_selfsigned op");
        return -1;
    }
    const char *tmp = getenv("TMPDIR");
    snprintf(eph->dir, sizeof eph->dir, "%s/polytls-XXXXXX", tmp && strlen(tmp) < 40 ? tmp : "/tmp");
    if (!mkdtemp(eph->dir)) {
        snprintf(err, errlen, "cannot create a private temporary directory for the ephemeral certificate");
        eph->dir[0] = 0;
        return -1;
    }
    snprintf(eph->cert, sizeof eph->cert, "%s/cert.pem", eph->dir);
    snprintf(eph->key, sizeof eph->key, "%s/key.pem", eph->dir);
    char berr[512] = "";
    if (be->make_selfsigned(eph->cert, eph->key, berr, sizeof berr) != 0) {
        snprintf(err, errlen, "generating the ephemeral certificate failed: %s", berr);
        return -1;
    }
    o->tls.cert.cert = eph->cert;
    o->tls.cert.key = eph->key;
    o->tls.cert.cert_form = o->tls.cert.key_form = PTLS_FORMAT_PEM;
    unsigned char *der = NULL;
    long len = ptls_pem_read_first_cert(eph->cert, &der);
    char fp[128] = "?";
    if (len > 0) ptls_fingerprint(der, (size_t)len, fp, sizeof fp);
    free(der);
    fprintf(stderr,
            "polytls: no -cert given: serving an ephemeral self-signed certificate for localhost\n"
            "polytls: SHA-256 fingerprint %s\n",
            fp);
    return 0;
}

/* A server certificate outside its validity period is almost always a
 * mistake; serving one on purpose (to test how clients react) takes
 * -allow_expired_cert. PEM or DER, the first certificate of the file. */
static int check_validity(const ptls_server_opts *o, const ptls_keypair *kp, const char *opt, char *err,
                          size_t errlen)
{
    if (!kp->cert || o->allow_expired_cert) return 0;
    unsigned char *der = NULL;
    long len = -1;
    if (kp->cert_form == PTLS_FORMAT_DER) {
        FILE *f = fopen(kp->cert, "rb");
        if (f) {
            der = malloc(65536);
            if (der) len = (long)fread(der, 1, 65536, f);
            fclose(f);
        }
    } else {
        len = ptls_pem_read_first_cert(kp->cert, &der);
    }
    time_t nb, na;
    int known = len > 0 && ptls_cert_validity(der, (size_t)len, &nb, &na) == 0;
    free(der);
    if (!known) return 0; /* the backend reports unreadable certificates */
    time_t now = time(NULL);
    if (now <= na && now >= nb) return 0;
    char when[64];
    struct tm tm;
    gmtime_r(now > na ? &na : &nb, &tm);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
    snprintf(err, errlen, "%s %s %s %s (use -allow_expired_cert to serve it anyway)", opt, kp->cert,
             now > na ? "expired on" : "is not valid before", when);
    return -1;
}

int ptls_credentials_prepare(ptls_server_opts *o, const ptls_backend *be, ptls_ephemeral_cert *eph, char *err,
                             size_t errlen)
{
    char perr[256];
    if (o->pass_src) {
        if (ptls_resolve_pass(o->pass_src, o->pass_buf, sizeof o->pass_buf, perr, sizeof perr) != 0) {
            snprintf(err, errlen, "-pass: %s", perr);
            return -1;
        }
        o->tls.cert.pass = o->pass_buf;
        o->tls.cert2.pass = o->pass_buf; /* s_server uses one pass phrase for -cert and -cert2 */
    }
    if (o->dpass_src) {
        if (ptls_resolve_pass(o->dpass_src, o->dpass_buf, sizeof o->dpass_buf, perr, sizeof perr) != 0) {
            snprintf(err, errlen, "-dpass: %s", perr);
            return -1;
        }
        o->tls.dcert.pass = o->dpass_buf;
    }
    if (o->tls.nocert) return 0;
    if (!o->cert_given && access(o->tls.cert.cert, R_OK) != 0) return make_ephemeral(o, be, eph, err, errlen);
    if (check_validity(o, &o->tls.cert, "-cert", err, errlen) ||
        check_validity(o, &o->tls.dcert, "-dcert", err, errlen) ||
        check_validity(o, &o->tls.cert2, "-cert2", err, errlen))
        return -1;
    return 0;
}

void ptls_credentials_cleanup(ptls_server_opts *o, ptls_ephemeral_cert *eph)
{
    if (eph->dir[0]) {
        unlink(eph->cert);
        unlink(eph->key);
        rmdir(eph->dir);
        eph->dir[0] = 0;
    }
    /* The backend has its own copy of the key now. */
    memset(o->pass_buf, 0, sizeof o->pass_buf);
    memset(o->dpass_buf, 0, sizeof o->dpass_buf);
}
