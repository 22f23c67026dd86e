/*
 * Translation of the core's IANA ids (cipher suites, groups, signature
 * schemes) into the lists wolfSSL takes.
 *
 * wolfSSL has ONE cipher list for TLS 1.2 and TLS 1.3: setting -cipher alone
 * would drop every TLS 1.3 suite, and -ciphersuites alone every TLS 1.2 one.
 * So the list is always rebuilt from both parts, and the part the user did
 * not give is the library's default for that version, read back from a
 * connection object built on the already configured context.
 */
#include "wssl_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* True when this build knows the suite by its IANA name. wolfSSL's
 * set_cipher_list skips unknown names silently as long as one name is
 * known, so every name is checked against the build's own IANA list. */
int wssl_cipher_known(const char *iana_name)
{
    static char all[16384];
    static int loaded;
    size_t n = strlen(iana_name);
    const char *p;

    if (!loaded) {
        if (wolfSSL_get_ciphers_iana(all, (int)sizeof(all)) != WOLFSSL_SUCCESS) return 0;
        loaded = 1;
    }
    for (p = all; (p = strstr(p, iana_name)) != NULL; p += n) {
        if ((p == all || p[-1] == ':') && (p[n] == ':' || p[n] == '\0')) return 1;
    }
    return 0;
}

static int wssl_restore_sigalgs(WOLFSSL_CTX *ctx, WOLFSSL *ssl, const wssl_server *srv);

/* Appends "name:" to out; returns -1 when out is full. */
static int wssl_append(char *out, size_t outlen, size_t *used, const char *name)
{
    size_t n = strlen(name);

    if (*used + n + 2 > outlen) return -1;
    if (*used > 0) out[(*used)++] = ':';
    memcpy(out + *used, name, n);
    *used += n;
    out[*used] = '\0';
    return 0;
}

/* Appends the library's default suites of one version family (TLS 1.3 when
 * tls13 is 1), as wolfSSL would use them on a connection of ctx. */
static int wssl_append_defaults(WOLFSSL_CTX *ctx, int tls13, char *out, size_t outlen, size_t *used,
                                char *err, size_t errlen)
{
    WOLFSSL *ssl = wolfSSL_new(ctx);
    WOLF_STACK_OF(WOLFSSL_CIPHER) * sk;
    int i, n, rc = 0;

    if (ssl == NULL) {
        wssl_set_err(err, errlen, "wolfSSL_new failed while reading the default cipher list");
        return -1;
    }
    /* The stack belongs to the WOLFSSL object. Names are wolfSSL's own
     * ("TLS13-AES128-GCM-SHA256" or "TLS_AES_128_GCM_SHA256",
     * "ECDHE-RSA-AES128-GCM-SHA256"), which set_cipher_list takes back
     * unchanged. */
    sk = wolfSSL_get_ciphers_compat(ssl);
    n = sk ? wolfSSL_sk_SSL_CIPHER_num(sk) : 0;
    for (i = 0; i < n && rc == 0; i++) {
        const char *name = wolfSSL_CIPHER_get_name(wolfSSL_sk_SSL_CIPHER_value(sk, i));
        /* By id: the names differ between builds ("TLS13-AES128-GCM-SHA256"
         * in 5.5.4, "TLS_AES_128_GCM_SHA256" in 5.9.2). */
        int id = name != NULL ? wssl_host->cipher_id_by_name(name) : -1;
        int is13 = id >= 0 ? (id >> 8) == 0x13 : name != NULL && strncmp(name, "TLS13-", 6) == 0;

        if (name == NULL || is13 != tls13) continue;
        if (wssl_append(out, outlen, used, name) != 0) {
            wssl_set_err(err, errlen, "cipher list too long");
            rc = -1;
        }
    }
    wolfSSL_free(ssl);
    return rc;
}

/* Builds the one combined list (see the top of this file). Returns 1 when a
 * list was built, 0 when both parts are the library default (nothing to
 * set), -1 on error. ctx must already hold the keypair, DH and PSK settings
 * since they decide which defaults wolfSSL offers. */
static int wssl_combined_list(WOLFSSL_CTX *ctx, const ptls_config *cfg, int force, char *out, size_t outlen,
                              char *err, size_t errlen)
{
    int have12 = cfg->cipher_string != NULL;
    int have13 = cfg->ciphersuites != NULL;
    size_t used = 0;
    int i;

    out[0] = '\0';
    if (!have12 && !have13 && !force) return 0;
    if (have12 && cfg->n_cipher_ids < 0) {
        wssl_set_err(
            err, errlen,
            "-cipher \"%s\": OpenSSL cipher-string keywords are not supported by the wolfSSL backend; "
            "list suite names",
            cfg->cipher_string);
        return -1;
    }
    if (have13) {
        for (i = 0; i < cfg->n_tls13_ids; i++) {
            const char *name = wssl_host->cipher_iana_name(cfg->tls13_ids[i]);

            if (name == NULL || !wssl_cipher_known(name)) {
                wssl_set_err(err, errlen, "-ciphersuites: suite 0x%04x (%s) is not available in " WSSL_LIB,
                             cfg->tls13_ids[i], name ? name : "unknown");
                return -1;
            }
            if (wssl_append(out, outlen, &used, name) != 0) goto toolong;
        }
    } else if (wssl_append_defaults(ctx, 1, out, outlen, &used, err, errlen) != 0) {
        return -1;
    }
    if (have12) {
        for (i = 0; i < cfg->n_cipher_ids; i++) {
            const char *name = wssl_host->cipher_iana_name(cfg->cipher_ids[i]);

            if (name == NULL || !wssl_cipher_known(name)) {
                wssl_set_err(err, errlen, "-cipher: suite 0x%04x (%s) is not available in " WSSL_LIB,
                             cfg->cipher_ids[i], name ? name : "unknown");
                return -1;
            }
            if (wssl_append(out, outlen, &used, name) != 0) goto toolong;
        }
    } else if (wssl_append_defaults(ctx, 0, out, outlen, &used, err, errlen) != 0) {
        return -1;
    }
    if (used == 0) {
        wssl_set_err(err, errlen, "-cipher/-ciphersuites: the resulting cipher list is empty");
        return -1;
    }
    return 1;
toolong:
    wssl_set_err(err, errlen, "-cipher/-ciphersuites: cipher list too long");
    return -1;
}

/* keep (may be NULL) receives the complete list in effect for ctx, library
 * defaults included: the SNI switch to -cert2 re-applies it to the
 * connection, whose suites were chosen for the first keypair's type. */
int wssl_apply_ciphers(WOLFSSL_CTX *ctx, const wssl_server *srv, const ptls_config *cfg, char *keep,
                       size_t keeplen, char *err, size_t errlen)
{
    char list[8192];
    int rc = wssl_combined_list(ctx, cfg, keep != NULL, list, sizeof(list), err, errlen);

    if (rc < 0) return rc;
    if (keep != NULL) snprintf(keep, keeplen, "%s", list);
    if (cfg->cipher_string == NULL && cfg->ciphersuites == NULL) return 0; /* library default */
    if (wolfSSL_CTX_set_cipher_list(ctx, list) != WOLFSSL_SUCCESS) {
        wssl_set_err(err, errlen, "-cipher/-ciphersuites: wolfSSL_CTX_set_cipher_list(\"%s\") failed", list);
        return -1;
    }
    if (wssl_restore_sigalgs(ctx, NULL, srv) != 0) {
        wssl_set_err(err, errlen, "-cipher/-ciphersuites: restoring the signature algorithms failed");
        return -1;
    }
    return 0;
}

/* set_cipher_list (context or connection) also rebuilds the signature
 * algorithms the server accepts (CertificateRequest) from the suite NAMES:
 * a list of ECDHE-RSA suites drops every ECDSA algorithm, and EC client
 * certificates then fail (certificate_required). This puts back the list a
 * context gets without a cipher list (checked against the
 * CertificateRequest openssl s_client shows: TLS 1.2 and 1.3 with an RSA
 * key, TLS 1.3 with an ECDSA key; with an ECDSA key wolfSSL's TLS 1.2
 * default leaves out the RSA family, which this list keeps). */
static const char wssl_all_sigalgs[] = "ECDSA+SHA512:ECDSA+SHA384:ECDSA+SHA256:ECDSA+SHA1:ED25519:ED448:"
                                       "RSA-PSS+SHA512:RSA-PSS+SHA384:RSA-PSS+SHA256:"
                                       "RSA+SHA512:RSA+SHA384:RSA+SHA256:RSA+SHA224:RSA+SHA1";

static int wssl_restore_sigalgs(WOLFSSL_CTX *ctx, WOLFSSL *ssl, const wssl_server *srv)
{
    /* -sigalgs when given (wssl_apply_sigalgs), else the full default */
    const char *list = srv != NULL && srv->sigalgs[0] != '\0' ? srv->sigalgs : wssl_all_sigalgs;
    int rc = ssl != NULL ? wolfSSL_set1_sigalgs_list(ssl, list) : wolfSSL_CTX_set1_sigalgs_list(ctx, list);
    return rc == WOLFSSL_SUCCESS ? 0 : -1;
}

int wssl_set_conn_ciphers(WOLFSSL *ssl, const char *list)
{
    const wssl_conn *c = wssl_conn_of(ssl);

    if (wolfSSL_set_cipher_list(ssl, list) != WOLFSSL_SUCCESS) return -1;
    return wssl_restore_sigalgs(NULL, ssl, c != NULL ? c->srv : NULL);
}

typedef struct wssl_suite {
    const char *name; /* wolfSSL's name */
    int id;           /* IANA id, -1 if the core does not know it */
} wssl_suite;

/* The server's suites with their ids: list (split in place) or, when it is
 * NULL, the connection's current ones. Returns how many. */
static int wssl_server_suites(WOLFSSL *ssl, char *list, wssl_suite *out, int max)
{
    int n = 0;

    if (list != NULL) {
        char *save = NULL;
        for (char *name = strtok_r(list, ":", &save); name && n < max; name = strtok_r(NULL, ":", &save))
            out[n++] = (wssl_suite){name, wssl_host->cipher_id_by_name(name)};
        return n;
    }
    WOLF_STACK_OF(WOLFSSL_CIPHER) *sk = wolfSSL_get_ciphers_compat(ssl);
    int total = sk ? wolfSSL_sk_SSL_CIPHER_num(sk) : 0;
    for (int i = 0; i < total && n < max; i++) {
        const char *name = wolfSSL_CIPHER_get_name(wolfSSL_sk_SSL_CIPHER_value(sk, i));
        if (name != NULL) out[n++] = (wssl_suite){name, wssl_host->cipher_id_by_name(name)};
    }
    return n;
}

/* The server's suites reordered as the client listed them, TLS 1.3 suites
 * first: in server order (the library's mode here) wolfSSL then takes the
 * client's favourite among the shared suites, and in a TLS 1.3 handshake
 * one of TLS 1.3 (TLS 1.2 ones are skipped only in TLS 1.2 handshakes).
 * Suites the client does not offer are dropped: they cannot be chosen. */
int wssl_client_order(WOLFSSL *ssl, const char *list, const ptls_hello_view *h)
{
    char copy[8192], out[8192];
    wssl_suite suites[256];
    size_t used = 0;
    int n;

    if (list != NULL) snprintf(copy, sizeof copy, "%s", list);
    n = wssl_server_suites(ssl, list != NULL ? copy : NULL, suites, (int)(sizeof suites / sizeof suites[0]));
    for (int pass13 = 1; pass13 >= 0; pass13--) {
        for (size_t i = 0; i < h->n_ciphers; i++) {
            if (((h->ciphers[i] >> 8) == 0x13) != pass13) continue;
            for (int j = 0; j < n; j++) {
                if (suites[j].id != h->ciphers[i]) continue;
                if (wssl_append(out, sizeof out, &used, suites[j].name) != 0) return -1;
                break;
            }
        }
    }
    /* No suite in common: keep the list, the handshake fails as it should. */
    if (used == 0) return 0;
    return wssl_set_conn_ciphers(ssl, out);
}

/* Groups: IANA NamedGroup ids equal wolfSSL's WOLFSSL_ECC_* / WOLFSSL_FFDHE_* /
 * WOLFSSL_*MLKEM* values. Only those this build has, with the conditions
 * of the library's own TLSX_IsGroupSupported (src/tls.c). */
static const struct {
    uint16_t id;
    const char *curve_name; /* name set1_curves_list takes, NULL for FFDHE and ML-KEM */
    const char *name;       /* the core's name, for messages */
} wssl_groups[] = {
    {0x0017, "prime256v1", "P-256"},
    {0x0018, "secp384r1", "P-384"},
    {0x0019, "secp521r1", "P-521"},
#ifdef HAVE_CURVE25519
    {0x001d, "X25519", "X25519"},
#endif
#ifdef HAVE_CURVE448
    {0x001e, "X448", "X448"},
#endif
#ifdef HAVE_FFDHE_2048
    {0x0100, NULL, "ffdhe2048"},
#endif
#ifdef HAVE_FFDHE_3072
    {0x0101, NULL, "ffdhe3072"},
#endif
#ifdef HAVE_FFDHE_4096
    {0x0102, NULL, "ffdhe4096"},
#endif
#if WSSL_HAS_MLKEM && WSSL_HAS_TLS13 && !defined(WOLFSSL_NO_ML_KEM)
#if !defined(WOLFSSL_NO_ML_KEM_768) && defined(WOLFSSL_PQC_HYBRIDS)
#ifdef HAVE_CURVE25519
    {0x11ec, NULL, "X25519MLKEM768"},
#endif
    {0x11eb, NULL, "SecP256r1MLKEM768"},
#endif
#if !defined(WOLFSSL_NO_ML_KEM_1024) && defined(WOLFSSL_PQC_HYBRIDS)
    {0x11ed, NULL, "SecP384r1MLKEM1024"},
#endif
#ifndef WOLFSSL_TLS_NO_MLKEM_STANDALONE
#ifndef WOLFSSL_NO_ML_KEM_512
    {0x0200, NULL, "MLKEM512"},
#endif
#ifndef WOLFSSL_NO_ML_KEM_768
    {0x0201, NULL, "MLKEM768"},
#endif
#ifndef WOLFSSL_NO_ML_KEM_1024
    {0x0202, NULL, "MLKEM1024"},
#endif
#endif
#endif
};

int wssl_group_supported(uint16_t id)
{
    size_t i;

    for (i = 0; i < sizeof(wssl_groups) / sizeof(wssl_groups[0]); i++)
        if (wssl_groups[i].id == id) return 1;
    return 0;
}

void wssl_groups_available(char *out, size_t len)
{
    size_t used = 0;

    out[0] = '\0';
    for (size_t i = 0; i < sizeof(wssl_groups) / sizeof(wssl_groups[0]); i++)
        if (wssl_append(out, len, &used, wssl_groups[i].name) != 0) break;
    for (char *p = out; *p; p++)
        if (*p == ':') *p = ',';
}

static const char *wssl_group_curve_name(uint16_t id)
{
    size_t i;

    for (i = 0; i < sizeof(wssl_groups) / sizeof(wssl_groups[0]); i++)
        if (wssl_groups[i].id == id) return wssl_groups[i].curve_name;
    return NULL;
}

/* Two calls are needed: set1_curves_list restricts the ECDHE curves of
 * TLS 1.2 (it fills a disabled-curve mask; it cannot name FFDHE groups), and
 * set_groups then sets the full ordered list, FFDHE included, that TLS 1.3
 * key shares use. The lists are kept in the server and applied to each
 * connection too (wssl_apply_conn_lists), because in wolfSSL 5.5.4 the
 * context-level settings do not reach the TLS 1.2 code paths. */
int wssl_apply_groups(WOLFSSL_CTX *ctx, wssl_server *srv, const ptls_config *cfg, char *err, size_t errlen)
{
    size_t used = 0;
    int i;

    if (cfg->n_group_ids <= 0) return 0;
    srv->curves[0] = '\0';
    for (i = 0; i < cfg->n_group_ids && i < 32; i++) {
        const char *cn;

        if (!wssl_group_supported(cfg->group_ids[i])) {
            wssl_set_err(err, errlen, "-groups: group 0x%04x is not available in " WSSL_LIB,
                         cfg->group_ids[i]);
            return -1;
        }
        srv->group_ids[i] = cfg->group_ids[i];
        cn = wssl_group_curve_name(cfg->group_ids[i]);
        if (cn != NULL && wssl_append(srv->curves, sizeof(srv->curves), &used, cn) != 0) {
            wssl_set_err(err, errlen, "-groups: list too long");
            return -1;
        }
    }
    srv->n_groups = i;
    if (used > 0 && wolfSSL_CTX_set1_curves_list(ctx, srv->curves) != WOLFSSL_SUCCESS) {
        wssl_set_err(err, errlen, "-groups \"%s\": wolfSSL_CTX_set1_curves_list(\"%s\") failed", cfg->groups,
                     srv->curves);
        return -1;
    }
    if (wolfSSL_CTX_set_groups(ctx, srv->group_ids, srv->n_groups) != WOLFSSL_SUCCESS) {
        wssl_set_err(err, errlen, "-groups \"%s\": wolfSSL_CTX_set_groups failed (at most %d groups)",
                     cfg->groups, 10);
        return -1;
    }
    return 0;
}

/* Signature schemes in wolfSSL's "KEY+HASH" list syntax. wolfSSL has one
 * list (set1_sigalgs_list) for what the server advertises in
 * CertificateRequest and accepts from the client and, where
 * WSSL_BUG_SIGALGS_NOT_OWN is 0, for its own signature: OpenSSL's -sigalgs
 * without -client_sigalgs. rsa_pss_pss_* (RSA-PSS keys) cannot be named
 * separately from rsa_pss_rsae_* there. */
const char *wssl_sigalg_name(uint16_t id)
{
    switch (id) {
    case 0x0201:
        return "RSA+SHA1";
    case 0x0401:
        return "RSA+SHA256";
    case 0x0501:
        return "RSA+SHA384";
    case 0x0601:
        return "RSA+SHA512";
    case 0x0203:
        return "ECDSA+SHA1";
    case 0x0403:
        return "ECDSA+SHA256";
    case 0x0503:
        return "ECDSA+SHA384";
    case 0x0603:
        return "ECDSA+SHA512";
    case 0x0804:
        return "RSA-PSS+SHA256";
    case 0x0805:
        return "RSA-PSS+SHA384";
    case 0x0806:
        return "RSA-PSS+SHA512";
    case 0x0807:
        return "ED25519";
    case 0x0808:
        return "ED448";
    default:
        return NULL;
    }
}

int wssl_apply_sigalgs(WOLFSSL_CTX *ctx, wssl_server *srv, const ptls_config *cfg, char *err, size_t errlen)
{
    const uint16_t *ids = cfg->n_sigalg_ids > 0 ? cfg->sigalg_ids : cfg->client_sigalg_ids;
    int n = cfg->n_sigalg_ids > 0 ? cfg->n_sigalg_ids : cfg->n_client_sigalg_ids;
    const char *opt = cfg->n_sigalg_ids > 0 ? "-sigalgs" : "-client_sigalgs";
    size_t used = 0;
    int i;

    if (WSSL_BUG_SIGALGS_NOT_OWN && cfg->n_sigalg_ids > 0) {
        wssl_set_err(err, errlen,
                     "-sigalgs: " WSSL_LIB " cannot restrict the server's own signature algorithm");
        return -1;
    }
    if (cfg->n_sigalg_ids > 0 && cfg->n_client_sigalg_ids > 0) {
        wssl_set_err(err, errlen, "-client_sigalgs with -sigalgs: wolfSSL has one list for both");
        return -1;
    }
    if (n <= 0) return 0;
    srv->sigalgs[0] = '\0';
    for (i = 0; i < n; i++) {
        const char *name = wssl_sigalg_name(ids[i]);

        if (name == NULL) {
            wssl_set_err(err, errlen, "%s: signature scheme 0x%04x cannot be set in " WSSL_LIB, opt, ids[i]);
            return -1;
        }
        if (wssl_append(srv->sigalgs, sizeof(srv->sigalgs), &used, name) != 0) {
            wssl_set_err(err, errlen, "%s: list too long", opt);
            return -1;
        }
    }
    if (wolfSSL_CTX_set1_sigalgs_list(ctx, srv->sigalgs) != WOLFSSL_SUCCESS) {
        wssl_set_err(err, errlen, "%s: wolfSSL_CTX_set1_sigalgs_list(\"%s\") failed", opt, srv->sigalgs);
        return -1;
    }
    return 0;
}

/* Per-connection copy of the group and signature lists (see above), and of
 * -no_etm/-no_ems, whose context-level calls do not reach the connection in
 * wolfSSL 5.5.4 either (tested with openssl s_client). */
int wssl_apply_conn_lists(WOLFSSL *ssl, const wssl_server *srv)
{
    if (srv->no_etm && wolfSSL_AllowEncryptThenMac(ssl, 0) != WOLFSSL_SUCCESS) return -1;
    if (srv->no_ems && wolfSSL_DisableExtendedMasterSecret(ssl) != WOLFSSL_SUCCESS) return -1;
    /* On a connection that cannot do TLS 1.3 this call reports failure from
     * its inner set_groups, after it has stored the TLS 1.2 curve mask
     * (checked: a P-384-only server then refuses a P-256-only client). */
    if (srv->curves[0] != '\0' && wolfSSL_set1_curves_list(ssl, srv->curves) != WOLFSSL_SUCCESS && srv->tls13)
        return -1;
    /* wolfSSL_set_groups refuses a connection that cannot do TLS 1.3; the
     * TLS 1.3 key-share list is then irrelevant anyway. */
    if (srv->n_groups > 0 && srv->tls13 &&
        wolfSSL_set_groups(ssl, (int *)srv->group_ids, srv->n_groups) != WOLFSSL_SUCCESS)
        return -1;
    if (srv->sigalgs[0] != '\0' && wolfSSL_set1_sigalgs_list(ssl, srv->sigalgs) != WOLFSSL_SUCCESS) return -1;
    return 0;
}
