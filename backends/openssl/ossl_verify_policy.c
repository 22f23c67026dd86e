/*
 * The client certificate verification policy (ptls_config.verify): s_server's
 * X509_VERIFY_PARAM options applied to the context's parameters
 * (SSL_CTX_get0_param, inherited by every connection), and the Suite B
 * flags (SSL_CTX_set_cert_flags, which also restrict ciphers, groups and
 * signature algorithms).
 */
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "ossl_private.h"

static int ossl_policy_fail(char *err, size_t errlen, const char *what)
{
    char prefix[160];
    snprintf(prefix, sizeof(prefix), "cannot apply %s", what);
    ossl_collect_errors(err, errlen, prefix);
    return -1;
}

static const struct {
    unsigned ptls;
    unsigned long x509;
} ossl_vflags[] = {
    {PTLS_VF_IGNORE_CRITICAL, X509_V_FLAG_IGNORE_CRITICAL},
    {PTLS_VF_ISSUER_CHECKS, X509_V_FLAG_CB_ISSUER_CHECK},
    {PTLS_VF_POLICY_CHECK, X509_V_FLAG_POLICY_CHECK},
    {PTLS_VF_EXPLICIT_POLICY, X509_V_FLAG_EXPLICIT_POLICY},
    {PTLS_VF_INHIBIT_ANY, X509_V_FLAG_INHIBIT_ANY},
    {PTLS_VF_INHIBIT_MAP, X509_V_FLAG_INHIBIT_MAP},
    {PTLS_VF_X509_STRICT, X509_V_FLAG_X509_STRICT},
    {PTLS_VF_EXTENDED_CRL, X509_V_FLAG_EXTENDED_CRL_SUPPORT},
    {PTLS_VF_USE_DELTAS, X509_V_FLAG_USE_DELTAS},
    {PTLS_VF_POLICY_PRINT, X509_V_FLAG_NOTIFY_POLICY},
    {PTLS_VF_CHECK_SS_SIG, X509_V_FLAG_CHECK_SS_SIGNATURE},
    {PTLS_VF_TRUSTED_FIRST, X509_V_FLAG_TRUSTED_FIRST},
    {PTLS_VF_PARTIAL_CHAIN, X509_V_FLAG_PARTIAL_CHAIN},
    {PTLS_VF_NO_ALT_CHAINS, X509_V_FLAG_NO_ALT_CHAINS},
    {PTLS_VF_NO_CHECK_TIME, X509_V_FLAG_NO_CHECK_TIME},
    {PTLS_VF_ALLOW_PROXY_CERTS, X509_V_FLAG_ALLOW_PROXY_CERTS},
};

/* -policy_print: what s_server's verify callback prints (apps/lib/apps.c,
 * policies_print) when the library notifies the policy result (ok == 2). */
static void ossl_print_policies(const char *title, STACK_OF(X509_POLICY_NODE) * nodes)
{
    char oid[128];
    ossl_host->log("%s Policies:", title);
    if (nodes == NULL || sk_X509_POLICY_NODE_num(nodes) == 0) {
        ossl_host->log(" <empty>\n");
        return;
    }
    ossl_host->log("\n");
    for (int i = 0; i < sk_X509_POLICY_NODE_num(nodes); i++) {
        const X509_POLICY_NODE *node = sk_X509_POLICY_NODE_value(nodes, i);
        const ASN1_OBJECT *obj = X509_policy_node_get0_policy(node);
        OBJ_obj2txt(oid, sizeof(oid), obj, 1);
        ossl_host->log("  Policy: %s\n", oid);
    }
}

static int ossl_policy_print_cb(int ok, X509_STORE_CTX *xs)
{
    if (ok == 2 && X509_STORE_CTX_get_error(xs) == X509_V_OK) {
        X509_POLICY_TREE *tree = X509_STORE_CTX_get0_policy_tree(xs);
        ossl_host->log("Require explicit Policy: %s\n",
                       X509_STORE_CTX_get_explicit_policy(xs) ? "True" : "False");
        ossl_print_policies("Authority", tree ? X509_policy_tree_get0_policies(tree) : NULL);
        ossl_print_policies("User", tree ? X509_policy_tree_get0_user_policies(tree) : NULL);
    }
    return ok;
}

int ossl_apply_verify_policy(SSL_CTX *ctx, const ptls_config *cfg, char *err, size_t errlen)
{
    const ptls_verify_policy *p = &cfg->verify;
    X509_VERIFY_PARAM *vpm = SSL_CTX_get0_param(ctx);

    if (p->verify_name != NULL) {
        const X509_VERIFY_PARAM *named = X509_VERIFY_PARAM_lookup(p->verify_name);
        if (named == NULL || !X509_VERIFY_PARAM_set1(vpm, named))
            return ossl_policy_fail(err, errlen, "-verify_name");
    }
    if (p->purpose != NULL) {
        int idx = X509_PURPOSE_get_by_sname(p->purpose);
        X509_PURPOSE *xp = idx < 0 ? NULL : X509_PURPOSE_get0(idx);
        if (xp == NULL || !X509_VERIFY_PARAM_set_purpose(vpm, X509_PURPOSE_get_id(xp)))
            return ossl_policy_fail(err, errlen, "-purpose");
    }
    if (p->auth_level >= 0) X509_VERIFY_PARAM_set_auth_level(vpm, p->auth_level);
    if (p->have_attime) X509_VERIFY_PARAM_set_time(vpm, (time_t)p->attime);
    if (p->host != NULL && !X509_VERIFY_PARAM_set1_host(vpm, p->host, 0))
        return ossl_policy_fail(err, errlen, "-verify_hostname");
    if (p->email != NULL && !X509_VERIFY_PARAM_set1_email(vpm, p->email, 0))
        return ossl_policy_fail(err, errlen, "-verify_email");
    if (p->ip != NULL && !X509_VERIFY_PARAM_set1_ip_asc(vpm, p->ip))
        return ossl_policy_fail(err, errlen, "-verify_ip");
    for (int i = 0; i < p->n_policies; i++) {
        ASN1_OBJECT *obj = OBJ_txt2obj(p->policies[i], 1);
        if (obj == NULL || !X509_VERIFY_PARAM_add0_policy(vpm, obj)) {
            ASN1_OBJECT_free(obj);
            return ossl_policy_fail(err, errlen, "-policy");
        }
    }
    unsigned long flags = 0;
    for (size_t i = 0; i < sizeof(ossl_vflags) / sizeof(ossl_vflags[0]); i++)
        if (p->flags & ossl_vflags[i].ptls) flags |= ossl_vflags[i].x509;
    if (flags != 0 && !X509_VERIFY_PARAM_set_flags(vpm, flags))
        return ossl_policy_fail(err, errlen, "the verification flags");
    if (p->flags & PTLS_VF_POLICY_PRINT)
        SSL_CTX_set_verify(ctx, SSL_CTX_get_verify_mode(ctx), ossl_policy_print_cb);

    if (p->ca_store != NULL && !SSL_CTX_load_verify_store(ctx, p->ca_store))
        return ossl_policy_fail(err, errlen, "-CAstore");
    if (p->chain_ca_file != NULL || p->chain_ca_path != NULL || p->chain_ca_store != NULL) {
        /* s_server's ssl_load_stores: the chain store; the library builds
         * the server's chain from it (automatically when -cert_chain gives
         * none, or with -build_chain). */
        X509_STORE *chain = X509_STORE_new();
        int ok = chain != NULL &&
                 (p->chain_ca_file == NULL || X509_STORE_load_file(chain, p->chain_ca_file)) &&
                 (p->chain_ca_path == NULL || X509_STORE_load_path(chain, p->chain_ca_path)) &&
                 (p->chain_ca_store == NULL || X509_STORE_load_store(chain, p->chain_ca_store)) &&
                 SSL_CTX_set1_chain_cert_store(ctx, chain);
        X509_STORE_free(chain);
        if (!ok) return ossl_policy_fail(err, errlen, "-chainCAfile/-chainCApath/-chainCAstore");
    }
    if (p->suiteb != PTLS_SUITEB_NONE) {
        long cf = p->suiteb == PTLS_SUITEB_128_ONLY ? SSL_CERT_FLAG_SUITEB_128_LOS_ONLY
                  : p->suiteb == PTLS_SUITEB_128    ? SSL_CERT_FLAG_SUITEB_128_LOS
                                                    : SSL_CERT_FLAG_SUITEB_192_LOS;
        SSL_CTX_set_cert_flags(ctx, cf);
        /* Setting a cipher list with the flags in force replaces it with
         * the Suite B suites (check_suiteb_cipher_list); -cipher with Suite
         * B is refused in check_config. */
        if (!SSL_CTX_set_cipher_list(ctx, "DEFAULT"))
            return ossl_policy_fail(err, errlen, "the Suite B cipher suites");
    }
    return 0;
}

int ossl_build_chain(SSL_CTX *ctx, const ptls_config *cfg, char *err, size_t errlen)
{
    if (!cfg->verify.build_chain) return 0;
    /* As s_server's set_cert_key_stuff: the chain of every loaded
     * certificate, from the chain store (or the verification store). */
    if (!SSL_CTX_build_cert_chain(ctx, 0)) return ossl_policy_fail(err, errlen, "-build_chain");
    return 0;
}
