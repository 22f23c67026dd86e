/* Client certificate verification policy options: s_server's
 * X509_VERIFY_PARAM family (apps/lib/opt.c, opt_verify) and the Suite B
 * flags. The values are checked here, the same on every backend; what a
 * backend's library can check is its capability (verify-host, verify-time,
 * verify-purpose, partial-chain, x509-policy, x509-flags, crl-extended,
 * auth-level, suiteb). */
#include "verify_opts.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "options.h"

static int verify_usage(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int verify_usage(char *err, size_t errlen, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(err, errlen, "polytls s_server: %s\npolytls s_server: Use -help for summary.", msg);
    return PTLS_EXIT_USAGE;
}

/* X509_PURPOSE short names of OpenSSL 3.0 (X509_PURPOSE_get_by_sname). */
static const char *const purposes[] = {"sslclient", "sslserver",    "nssslserver",
                                       "smimesign", "smimeencrypt", "crlsign",
                                       "any",       "ocsphelper",   "timestampsign"};
/* X509_VERIFY_PARAM_lookup names (the built-in parameter sets). */
static const char *const verify_names[] = {"default", "pkcs7", "smime_sign", "ssl_client", "ssl_server"};

static int in_list(const char *v, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v, list[i]) == 0) return 1;
    return 0;
}

/* A dotted OID with at least two arcs: "1.2.3". */
static int is_oid(const char *v)
{
    int arcs = 0;
    const char *p = v;
    while (*p) {
        if (!isdigit((unsigned char)*p)) return 0;
        while (isdigit((unsigned char)*p))
            p++;
        arcs++;
        if (*p == '.') {
            p++;
            if (!*p) return 0;
        } else if (*p) {
            return 0;
        }
    }
    return arcs >= 2;
}

static const struct {
    int id;
    unsigned flag;
} flag_options[] = {
    {OPTID_IGNORE_CRITICAL, PTLS_VF_IGNORE_CRITICAL}, {OPTID_ISSUER_CHECKS, PTLS_VF_ISSUER_CHECKS},
    {OPTID_POLICY_CHECK, PTLS_VF_POLICY_CHECK},       {OPTID_EXPLICIT_POLICY, PTLS_VF_EXPLICIT_POLICY},
    {OPTID_INHIBIT_ANY, PTLS_VF_INHIBIT_ANY},         {OPTID_INHIBIT_MAP, PTLS_VF_INHIBIT_MAP},
    {OPTID_X509_STRICT, PTLS_VF_X509_STRICT},         {OPTID_EXTENDED_CRL, PTLS_VF_EXTENDED_CRL},
    {OPTID_USE_DELTAS, PTLS_VF_USE_DELTAS},           {OPTID_POLICY_PRINT, PTLS_VF_POLICY_PRINT},
    {OPTID_CHECK_SS_SIG, PTLS_VF_CHECK_SS_SIG},       {OPTID_TRUSTED_FIRST, PTLS_VF_TRUSTED_FIRST},
    {OPTID_PARTIAL_CHAIN, PTLS_VF_PARTIAL_CHAIN},     {OPTID_NO_ALT_CHAINS, PTLS_VF_NO_ALT_CHAINS},
    {OPTID_NO_CHECK_TIME, PTLS_VF_NO_CHECK_TIME},     {OPTID_ALLOW_PROXY_CERTS, PTLS_VF_ALLOW_PROXY_CERTS},
};

int ptls_apply_verify_option(ptls_server_opts *o, int id, const char *v, char *err, size_t errlen)
{
    ptls_verify_policy *p = &o->tls.verify;
    unsigned char buf[16];
    for (size_t i = 0; i < sizeof flag_options / sizeof flag_options[0]; i++)
        if (flag_options[i].id == id) {
            p->flags |= flag_options[i].flag;
            /* -policy_print implies -policy_check (as in OpenSSL's apps). */
            if (id == OPTID_POLICY_PRINT) p->flags |= PTLS_VF_POLICY_CHECK;
            return 0;
        }
    switch (id) {
    case OPTID_PURPOSE:
        if (!in_list(v, purposes, sizeof purposes / sizeof purposes[0]))
            return verify_usage(err, errlen,
                                "Invalid purpose \"%s\" for -purpose (sslclient, sslserver, nssslserver, "
                                "smimesign, smimeencrypt, crlsign, any, ocsphelper, timestampsign)",
                                v);
        p->purpose = v;
        return 0;
    case OPTID_VERIFY_NAME:
        if (!in_list(v, verify_names, sizeof verify_names / sizeof verify_names[0]))
            return verify_usage(err, errlen,
                                "Invalid verify name \"%s\" for -verify_name (default, pkcs7, smime_sign, "
                                "ssl_client, ssl_server)",
                                v);
        p->verify_name = v;
        return 0;
    case OPTID_AUTH_LEVEL: {
        int n = -1;
        sscanf(v, "%d", &n);
        if (n < 0 || n > 5) return verify_usage(err, errlen, "-auth_level must be 0..5");
        p->auth_level = n;
        return 0;
    }
    case OPTID_ATTIME: {
        long long t = -1;
        sscanf(v, "%lld", &t);
        if (t < 0) return verify_usage(err, errlen, "Invalid -attime \"%s\" (seconds since the epoch)", v);
        p->have_attime = 1;
        p->attime = t;
        return 0;
    }
    case OPTID_VERIFY_HOSTNAME:
        if (!*v || strchr(v, ' '))
            return verify_usage(err, errlen, "Invalid host name \"%s\" for -verify_hostname", v);
        p->host = v;
        return 0;
    case OPTID_VERIFY_EMAIL:
        if (!strchr(v, '@'))
            return verify_usage(err, errlen, "Invalid e-mail address \"%s\" for -verify_email", v);
        p->email = v;
        return 0;
    case OPTID_VERIFY_IP:
        if (inet_pton(AF_INET, v, buf) != 1 && inet_pton(AF_INET6, v, buf) != 1)
            return verify_usage(err, errlen, "Invalid IP address \"%s\" for -verify_ip", v);
        p->ip = v;
        return 0;
    case OPTID_POLICY:
        if (!is_oid(v))
            return verify_usage(err, errlen, "Invalid policy \"%s\" for -policy (a dotted OID)", v);
        if (p->n_policies >= PTLS_MAX_POLICIES)
            return verify_usage(err, errlen, "At most %d -policy options", PTLS_MAX_POLICIES);
        p->policies[p->n_policies++] = v;
        /* Like OpenSSL's opt_verify: a policy turns on policy checking. */
        p->flags |= PTLS_VF_POLICY_CHECK;
        return 0;
    case OPTID_CASTORE:
    case OPTID_VERIFYCASTORE:
        p->ca_store = v;
        return 0;
    case OPTID_CHAINCAFILE:
        p->chain_ca_file = v;
        return 0;
    case OPTID_CHAINCAPATH:
        p->chain_ca_path = v;
        return 0;
    case OPTID_CHAINCASTORE:
        p->chain_ca_store = v;
        return 0;
    case OPTID_BUILD_CHAIN:
        p->build_chain = 1;
        return 0;
    case OPTID_SUITEB_128_ONLY:
        p->suiteb = PTLS_SUITEB_128_ONLY;
        return 0;
    case OPTID_SUITEB_128:
        p->suiteb = PTLS_SUITEB_128;
        return 0;
    case OPTID_SUITEB_192:
        p->suiteb = PTLS_SUITEB_192;
        return 0;
    default:
        return -1;
    }
}

int ptls_check_verify_options(const ptls_server_opts *o, char *err, size_t errlen)
{
    if (o->tls.verify_mode != PTLS_VERIFY_NONE) return 0;
    for (int i = 0; i < o->n_given; i++) {
        const ptls_option *opt = &ptls_options[o->given[i].id];
        /* Suite B restricts the server's own handshake too. */
        if (opt->group != GRP_VALIDATION || opt->cap == PTLS_CAP_SUITEB || opt->cap == PTLS_CAP_CRL ||
            opt->id == OPTID_VERIFY_DEPTH)
            continue;
        return verify_usage(err, errlen, "-%s needs -verify or -Verify (it applies to client certificates)",
                            opt->name);
    }
    return 0;
}
