/*
 * OpenSSL backend: s_server's protocol, session and runtime options (issue
 * #19, ptls_config.proto): their capabilities, the process-wide settings
 * (providers, RNG seed files, ENGINE), what each SSL_CTX gets, and the TLS
 * 1.3 stateless cookie exchange (-stateless).
 *
 * Switches that s_server hands to SSL_CONF_cmd are given to SSL_CONF_cmd
 * here too, with the same names, so that they mean exactly what they mean
 * in s_server; whether the linked library knows a switch is asked of it at
 * load time (SSL_CONF_cmd_value_type), so a refusal names the library.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/conf.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/provider.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include "ossl_private.h"

#if OSSL_HAVE_ENGINE
#include <openssl/engine.h>
#endif
#if OSSL_HAVE_ECH
#include <dirent.h>
#include <sys/stat.h>

#include <openssl/ech.h>
#endif

struct ossl_proto_state {
    char *writerand;
    SSL_SESSION *psk_session;
    char *psk_identity;
    int security_debug;
    BIO *out; /* stdout, for -security_debug */
    /* The library's own security callback, which still decides. */
    int (*sec_cb)(const SSL *, const SSL_CTX *, int, int, int, void *, void *);
    void *sec_ex;
    /* -ext_cache: the server's own session store */
    struct ossl_ext_sess {
        unsigned char id[SSL_MAX_SSL_SESSION_ID_LENGTH];
        unsigned int id_len;
        unsigned char *der;
        int der_len;
    } cache[64];
    int cache_next;
};

/* ---- capabilities ------------------------------------------------------ */

static const char *proto_reason(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *proto_reason(const char *fmt, ...)
{
    static char reasons[32][320];
    static int used;
    if (used == (int)(sizeof(reasons) / sizeof(reasons[0]))) return "refused (reason table full)";
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reasons[used], sizeof(reasons[used]), fmt, ap);
    va_end(ap);
    return reasons[used++];
}

/* Whether the library's SSL_CONF knows s_server's switch -name. */
static int proto_conf_knows(const char *name)
{
    SSL_CONF_CTX *cctx = SSL_CONF_CTX_new();
    if (cctx == NULL) return 0;
    SSL_CONF_CTX_set_flags(cctx, SSL_CONF_FLAG_CMDLINE | SSL_CONF_FLAG_SERVER);
    char opt[64];
    snprintf(opt, sizeof(opt), "-%s", name);
    int t = SSL_CONF_cmd_value_type(cctx, opt);
    SSL_CONF_CTX_free(cctx);
    return t != SSL_CONF_TYPE_UNKNOWN;
}

static void proto_need_switch(const char **caps, int cap, const char *name, const char *since)
{
    if (!proto_conf_knows(name))
        caps[cap] = proto_reason("%s has no -%s switch (added in OpenSSL %s)", ossl_lib_name(), name, since);
}

void ossl_proto_caps_init(const char **caps)
{
    proto_need_switch(caps, PTLS_CAP_PREFER_NO_DHE_KEX, "prefer_no_dhe_kex", "3.3");
    if (!proto_conf_knows("debug_broken_protocol"))
        caps[PTLS_CAP_DEBUG_BROKEN_PROTOCOL] = proto_reason(
            "%s is built without OPENSSL_SSL_DEBUG_BROKEN_PROTOCOL (no debug_broken_protocol switch)",
            ossl_lib_name());
#if !OSSL_HAVE_CERT_COMP
    caps[PTLS_CAP_CERT_COMP] =
        proto_reason("%s has no TLS 1.3 certificate compression (added in OpenSSL 3.2)", ossl_lib_name());
    caps[PTLS_CAP_RPK] = proto_reason("%s has no raw public keys (added in OpenSSL 3.2)", ossl_lib_name());
#else
#ifdef OPENSSL_NO_COMP_ALG
    caps[PTLS_CAP_CERT_COMP] =
        proto_reason("%s is built without zlib, brotli and zstd (OPENSSL_NO_COMP_ALG)", ossl_lib_name());
#endif
#endif
    caps[PTLS_CAP_EXPECTED_RPKS] = "not implemented by polytls: OpenSSL could (SSL_add_expected_rpk), "
                                   "polytls does not load the keys yet";
#if !OSSL_HAVE_PROVPARAM
    caps[PTLS_CAP_PROVPARAM] =
        proto_reason("%s has no OSSL_PROVIDER_add_conf_parameter (added in OpenSSL 3.5)", ossl_lib_name());
#endif
#if !OSSL_HAVE_ENGINE
#if OPENSSL_VERSION_NUMBER >= 0x40000000L
    caps[PTLS_CAP_ENGINE] =
        proto_reason("%s has no ENGINE API (removed in OpenSSL 4.0; use -provider)", ossl_lib_name());
#else
    caps[PTLS_CAP_ENGINE] = proto_reason("%s is built without ENGINE (OPENSSL_NO_ENGINE)", ossl_lib_name());
#endif
#endif
#ifdef OPENSSL_NO_SSL3
    caps[PTLS_CAP_SSL3] = proto_reason("%s is built without SSL 3.0 (OPENSSL_NO_SSL3)", ossl_lib_name());
#else
    caps[PTLS_CAP_SSL3] = "not implemented by polytls: its version range starts at TLS 1.0";
#endif
#ifdef OPENSSL_NO_SCTP
    caps[PTLS_CAP_SCTP] = proto_reason("%s is built without SCTP (OPENSSL_NO_SCTP)", ossl_lib_name());
#else
    caps[PTLS_CAP_SCTP] = "not implemented by polytls: its listener speaks TCP and UDP only";
#endif
    /* Record compression needs a compression method in the library. */
    if (SSL_COMP_get_compression_methods() == NULL ||
        sk_SSL_COMP_num(SSL_COMP_get_compression_methods()) <= 0)
        caps[PTLS_CAP_COMP] = proto_reason(
            "%s has no TLS compression method (built without zlib record compression)", ossl_lib_name());

#ifdef OPENSSL_NO_KTLS
    caps[PTLS_CAP_KTLS] = proto_reason("%s is built without kernel TLS (OPENSSL_NO_KTLS)", ossl_lib_name());
#else
    caps[PTLS_CAP_KTLS] =
        "kernel TLS needs the library to own the socket; in polytls the core owns every "
        "socket and moves the ciphertext itself (through its own BIO), so the kernel never sees "
        "the keys";
#endif
#if !OSSL_HAVE_ECH
    caps[PTLS_CAP_ECH] =
        proto_reason("%s has no Encrypted Client Hello (added in OpenSSL 4.0)", ossl_lib_name());
#endif
}

/* ---- process-wide ------------------------------------------------------ */

#if OSSL_HAVE_PROVPARAM
struct proto_param {
    const char *name;
    char *key, *val;
    int found;
};

static int proto_set_param(OSSL_PROVIDER *prov, void *arg)
{
    struct proto_param *p = arg;
    if (p->name != NULL && strcmp(OSSL_PROVIDER_get0_name(prov), p->name) != 0) return 1;
    p->found = 1;
    return OSSL_PROVIDER_add_conf_parameter(prov, p->key, p->val);
}
#endif

static int proto_provparam(const char *arg, char *err, size_t errlen)
{
#if OSSL_HAVE_PROVPARAM
    char copy[512];
    snprintf(copy, sizeof(copy), "%s", arg);
    struct proto_param p = {NULL, copy, strchr(copy, '='), 0};
    *p.val++ = '\0';
    char *colon = strchr(copy, ':');
    if (colon != NULL) {
        *colon = '\0';
        p.name = copy[0] ? copy : NULL;
        p.key = colon + 1;
    }
    if (!OSSL_PROVIDER_do_all(NULL, proto_set_param, &p) || !p.found) {
        ERR_clear_error();
        snprintf(err, errlen, "-provparam %s: %s", arg,
                 p.found ? "the provider refused the parameter" : "no such provider is loaded");
        return -1;
    }
    return 0;
#else
    snprintf(err, errlen, "-provparam %s: not available in %s", arg, ossl_lib_name());
    return -1;
#endif
}

/* Providers loaded by -provider: kept to be unloaded when the server is
 * freed (after its SSL_CTX), so nothing stays allocated at exit. */
static OSSL_PROVIDER *proto_loaded[PTLS_MAX_PROVIDERS];
static int proto_n_loaded;

void ossl_proto_unload_providers(void)
{
    while (proto_n_loaded > 0)
        OSSL_PROVIDER_unload(proto_loaded[--proto_n_loaded]);
}

int ossl_proto_global(const ptls_config *cfg, char *err, size_t errlen)
{
    const ptls_protocol_opts *p = &cfg->proto;
    if (p->provider_path != NULL && !OSSL_PROVIDER_set_default_search_path(NULL, p->provider_path)) {
        ossl_collect_errors(err, errlen, "-provider-path");
        return -1;
    }
    for (int i = 0; i < p->n_providers; i++) {
        /* Loaded for the life of the server, as in s_server. */
        OSSL_PROVIDER *prov = OSSL_PROVIDER_load(NULL, p->providers[i]);
        if (prov != NULL && proto_n_loaded < PTLS_MAX_PROVIDERS) proto_loaded[proto_n_loaded++] = prov;
        if (prov == NULL) {
            char what[300];
            snprintf(what, sizeof(what), "cannot load provider %s", p->providers[i]);
            ossl_collect_errors(err, errlen, what);
            return -1;
        }
    }
    for (int i = 0; i < p->n_provparams; i++)
        if (proto_provparam(p->provparams[i], err, errlen) != 0) return -1;
    if (p->propquery != NULL && !EVP_set_default_properties(NULL, p->propquery)) {
        ossl_collect_errors(err, errlen, "-propquery");
        return -1;
    }
#if OSSL_HAVE_ENGINE
    if (p->engine != NULL) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
        ENGINE *e = ENGINE_by_id(p->engine);
        int ok = e != NULL && ENGINE_set_default(e, ENGINE_METHOD_ALL);
        if (e != NULL) ENGINE_free(e);
#pragma GCC diagnostic pop
        if (!ok) {
            char what[300];
            snprintf(what, sizeof(what), "-engine %s", p->engine);
            ossl_collect_errors(err, errlen, what);
            return -1;
        }
    }
#endif
    if (p->rand_files != NULL) {
        char files[1024];
        snprintf(files, sizeof(files), "%s", p->rand_files);
        for (char *f = strtok(files, ":"); f != NULL; f = strtok(NULL, ":"))
            if (RAND_load_file(f, -1) < 0) {
                char what[1100];
                snprintf(what, sizeof(what), "-rand: cannot load %s", f);
                ossl_collect_errors(err, errlen, what);
                return -1;
            }
    }
    return 0;
}

/* ---- per context --------------------------------------------------------- */

static int proto_switch(SSL_CTX *ctx, const char *name, char *err, size_t errlen)
{
    SSL_CONF_CTX *cctx = SSL_CONF_CTX_new();
    int rc = -1;
    if (cctx != NULL) {
        SSL_CONF_CTX_set_flags(cctx, SSL_CONF_FLAG_CMDLINE | SSL_CONF_FLAG_SERVER);
        SSL_CONF_CTX_set_ssl_ctx(cctx, ctx);
        if (SSL_CONF_cmd(cctx, name, NULL) > 0 && SSL_CONF_CTX_finish(cctx)) rc = 0;
        SSL_CONF_CTX_free(cctx);
    }
    if (rc != 0) {
        char what[128];
        snprintf(what, sizeof(what), "OpenSSL rejected %s", name);
        ossl_collect_errors(err, errlen, what);
    }
    return rc;
}

/* -no_resume_ephemeral: no session id or ticket for a forward-secure
 * handshake (s_server's not_resumable_sess_cb). */
static int proto_not_resumable(SSL *ssl, int is_forward_secure)
{
    (void)ssl;
    return is_forward_secure;
}

/* -ext_cache: the session store of the server, not the library's. */
static struct ossl_proto_state *proto_state_of_ctx(SSL_CTX *ctx)
{
    ossl_server *srv = SSL_CTX_get_app_data(ctx);
    return srv != NULL ? srv->proto : NULL;
}

static int proto_new_session(SSL *ssl, SSL_SESSION *sess)
{
    struct ossl_proto_state *st = proto_state_of_ctx(SSL_get_SSL_CTX(ssl));
    if (st == NULL) return 0;
    unsigned int id_len = 0;
    const unsigned char *id = SSL_SESSION_get_id(sess, &id_len);
    int len = i2d_SSL_SESSION(sess, NULL);
    if (len <= 0 || id_len == 0) return 0;
    struct ossl_ext_sess *e = &st->cache[st->cache_next++ % (int)(sizeof(st->cache) / sizeof(st->cache[0]))];
    free(e->der);
    e->der = malloc((size_t)len);
    if (e->der == NULL) return 0;
    unsigned char *q = e->der;
    e->der_len = i2d_SSL_SESSION(sess, &q);
    memcpy(e->id, id, id_len);
    e->id_len = id_len;
    return 0; /* the library keeps no reference */
}

static SSL_SESSION *proto_get_session(SSL *ssl, const unsigned char *id, int id_len, int *copy)
{
    struct ossl_proto_state *st = proto_state_of_ctx(SSL_get_SSL_CTX(ssl));
    *copy = 0;
    if (st == NULL) return NULL;
    for (size_t i = 0; i < sizeof(st->cache) / sizeof(st->cache[0]); i++) {
        struct ossl_ext_sess *e = &st->cache[i];
        if (e->der != NULL && (int)e->id_len == id_len && memcmp(e->id, id, (size_t)id_len) == 0) {
            const unsigned char *p = e->der;
            return d2i_SSL_SESSION(NULL, &p, e->der_len);
        }
    }
    return NULL;
}

static void proto_remove_session(SSL_CTX *ctx, SSL_SESSION *sess)
{
    struct ossl_proto_state *st = proto_state_of_ctx(ctx);
    unsigned int id_len = 0;
    const unsigned char *id = SSL_SESSION_get_id(sess, &id_len);
    if (st == NULL) return;
    for (size_t i = 0; i < sizeof(st->cache) / sizeof(st->cache[0]); i++) {
        struct ossl_ext_sess *e = &st->cache[i];
        if (e->der != NULL && e->id_len == id_len && memcmp(e->id, id, id_len) == 0) {
            free(e->der);
            e->der = NULL;
        }
    }
}

/* -psk_session: the TLS 1.3 PSK is the session's, offered under the
 * -psk_identity identity (s_server's psk_find_session_cb). */
static int proto_psk_find(SSL *ssl, const unsigned char *identity, size_t identity_len, SSL_SESSION **sess)
{
    struct ossl_proto_state *st = proto_state_of_ctx(SSL_get_SSL_CTX(ssl));
    *sess = NULL;
    if (st == NULL || st->psk_session == NULL) return 1;
    if (strlen(st->psk_identity) != identity_len || memcmp(st->psk_identity, identity, identity_len) != 0)
        return 1; /* not ours: a full handshake */
    SSL_SESSION_up_ref(st->psk_session);
    *sess = st->psk_session;
    return 1;
}

/* -security_debug: every decision of the security framework that refuses
 * something (and with -security_debug_verbose every decision), on stdout,
 * as s_server prints them; the library's own callback still decides. */
static int proto_security_cb(const SSL *s, const SSL_CTX *ctx, int op, int bits, int nid, void *other,
                             void *ex)
{
    struct ossl_proto_state *st = ex;
    int rv = st->sec_cb != NULL ? st->sec_cb(s, ctx, op, bits, nid, other, st->sec_ex) : 1;
    if (st->out != NULL && (rv == 0 || st->security_debug > 1)) {
        const char *name = nid != NID_undef ? OBJ_nid2sn(nid) : NULL;
        BIO_printf(st->out, "Security callback: op=0x%x, bits=%d%s%s: %s\n", (unsigned)op, bits,
                   name != NULL ? ", " : "", name != NULL ? name : "", rv ? "yes" : "no");
        (void)BIO_flush(st->out);
    }
    return rv;
}

static int proto_failed(char *err, size_t errlen, const char *what)
{
    char prefix[400];
    snprintf(prefix, sizeof(prefix), "OpenSSL rejected %s", what);
    ossl_collect_errors(err, errlen, prefix);
    return -1;
}

/* Everything before the certificates are loaded. */
int ossl_proto_apply(SSL_CTX *ctx, ossl_server *srv, const ptls_config *cfg, char *err, size_t errlen)
{
    const ptls_protocol_opts *p = &cfg->proto;
    SSL_CTX_set_app_data(ctx, srv);
    if (p->ssl_config != NULL && !SSL_CTX_config(ctx, p->ssl_config)) {
        char what[300];
        snprintf(what, sizeof(what), "-ssl_config %s (no such section in the OpenSSL configuration file)",
                 p->ssl_config);
        return proto_failed(err, errlen, what);
    }
    static const struct {
        size_t off;
        const char *name;
    } switches[] = {
        {offsetof(ptls_protocol_opts, bugs), "-bugs"},
        {offsetof(ptls_protocol_opts, strict), "-strict"},
        {offsetof(ptls_protocol_opts, no_middlebox), "-no_middlebox"},
        {offsetof(ptls_protocol_opts, allow_no_dhe_kex), "-allow_no_dhe_kex"},
        {offsetof(ptls_protocol_opts, prefer_no_dhe_kex), "-prefer_no_dhe_kex"},
        {offsetof(ptls_protocol_opts, no_resumption_on_reneg), "-no_resumption_on_reneg"},
        {offsetof(ptls_protocol_opts, debug_broken_protocol), "-debug_broken_protocol"},
        {offsetof(ptls_protocol_opts, no_tx_cert_comp), "-no_tx_cert_comp"},
        {offsetof(ptls_protocol_opts, no_rx_cert_comp), "-no_rx_cert_comp"},
    };
    for (size_t i = 0; i < sizeof(switches) / sizeof(switches[0]); i++)
        if (*(const int *)((const char *)p + switches[i].off) &&
            proto_switch(ctx, switches[i].name, err, errlen) != 0)
            return -1;
    if (p->anti_replay >= 0 &&
        proto_switch(ctx, p->anti_replay ? "-anti_replay" : "-no_anti_replay", err, errlen) != 0)
        return -1;
    if (p->ignore_unexpected_eof) SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
    if (p->comp) SSL_CTX_clear_options(ctx, SSL_OP_NO_COMPRESSION);
    if (p->recv_max_early_data >= 0 &&
        !SSL_CTX_set_recv_max_early_data(ctx, (uint32_t)p->recv_max_early_data))
        return proto_failed(err, errlen, "-recv_max_early_data");
    if (p->no_resume_ephemeral) SSL_CTX_set_not_resumable_session_callback(ctx, proto_not_resumable);
    if (p->use_srtp != NULL && SSL_CTX_set_tlsext_use_srtp(ctx, p->use_srtp) != 0)
        return proto_failed(err, errlen, "-use_srtp (unknown SRTP profile)");
    if (p->split_send_frag > 0 && !SSL_CTX_set_split_send_fragment(ctx, p->split_send_frag))
        return proto_failed(err, errlen, "-split_send_frag (at most -max_send_frag)");
    if (p->max_pipelines > 0 && !SSL_CTX_set_max_pipelines(ctx, p->max_pipelines))
        return proto_failed(err, errlen, "-max_pipelines");
    if (p->read_buf > 0) SSL_CTX_set_default_read_buffer_len(ctx, (size_t)p->read_buf);
    if (p->ext_cache) {
        SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER | SSL_SESS_CACHE_NO_INTERNAL);
        SSL_CTX_sess_set_new_cb(ctx, proto_new_session);
        SSL_CTX_sess_set_get_cb(ctx, proto_get_session);
        SSL_CTX_sess_set_remove_cb(ctx, proto_remove_session);
    }
#if OSSL_HAVE_CERT_COMP
    if (p->enable_server_rpk || p->enable_client_rpk) {
        static const unsigned char types[] = {TLSEXT_cert_type_rpk, TLSEXT_cert_type_x509};
        if (p->enable_server_rpk && !SSL_CTX_set1_server_cert_type(ctx, types, sizeof(types)))
            return proto_failed(err, errlen, "-enable_server_rpk");
        if (p->enable_client_rpk && !SSL_CTX_set1_client_cert_type(ctx, types, sizeof(types)))
            return proto_failed(err, errlen, "-enable_client_rpk");
    }
#endif
    if (p->security_debug && srv->proto != NULL) {
        srv->proto->sec_cb = SSL_CTX_get_security_callback(ctx);
        srv->proto->sec_ex = SSL_CTX_get0_security_ex_data(ctx);
        SSL_CTX_set_security_callback(ctx, proto_security_cb);
        SSL_CTX_set0_security_ex_data(ctx, srv->proto);
    }
    return 0;
}

#if OSSL_HAVE_ECH
/* -ech_dir, -ech_noretry_dir: every key pair file of the directory, as
 * s_server reads them (files it cannot read are skipped). */
static int proto_ech_dir(OSSL_ECHSTORE *es, const char *dir, int for_retry, int *loaded)
{
    DIR *d = opendir(dir);
    if (d == NULL) return -1;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char path[4096];
        struct stat st;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) continue;
        BIO *in = BIO_new_file(path, "r");
        if (in != NULL && OSSL_ECHSTORE_read_pem(es, in, for_retry) == 1) (*loaded)++;
        BIO_free(in);
    }
    closedir(d);
    ERR_clear_error();
    return 0;
}

static int proto_ech(SSL_CTX *ctx, const ptls_protocol_opts *p, char *err, size_t errlen)
{
    if (p->ech_key == NULL && p->ech_dir == NULL && p->ech_noretry_dir == NULL) {
        if (p->ech_trialdecrypt || p->ech_greaseretries) {
            snprintf(err, errlen,
                     "-ech_trialdecrypt and -ech_greaseretries need ECH keys (-ech_key, -ech_dir "
                     "or -ech_noretry_dir)");
            return -1;
        }
        return 0;
    }
    OSSL_ECHSTORE *es = OSSL_ECHSTORE_new(NULL, NULL);
    int loaded = 0;
    if (es == NULL) return proto_failed(err, errlen, "OSSL_ECHSTORE_new");
    if (p->ech_key != NULL) {
        BIO *in = BIO_new_file(p->ech_key, "r");
        int ok = in != NULL && OSSL_ECHSTORE_read_pem(es, in, OSSL_ECH_FOR_RETRY) == 1;
        BIO_free(in);
        if (!ok) {
            char what[300];
            snprintf(what, sizeof(what), "-ech_key %s (not an ECH PEM key pair)", p->ech_key);
            OSSL_ECHSTORE_free(es);
            return proto_failed(err, errlen, what);
        }
        loaded++;
    }
    if ((p->ech_dir != NULL && proto_ech_dir(es, p->ech_dir, OSSL_ECH_FOR_RETRY, &loaded) != 0) ||
        (p->ech_noretry_dir != NULL &&
         proto_ech_dir(es, p->ech_noretry_dir, OSSL_ECH_NO_RETRY, &loaded) != 0)) {
        OSSL_ECHSTORE_free(es);
        snprintf(err, errlen, "cannot read the ECH key directory");
        return -1;
    }
    if (loaded == 0) {
        OSSL_ECHSTORE_free(es);
        snprintf(err, errlen, "no ECH key pair could be read from -ech_dir/-ech_noretry_dir");
        return -1;
    }
    int ok = SSL_CTX_set1_echstore(ctx, es) == 1;
    OSSL_ECHSTORE_free(es);
    if (!ok) return proto_failed(err, errlen, "the ECH keys");
    if (p->ech_trialdecrypt) SSL_CTX_set_options(ctx, SSL_OP_ECH_TRIALDECRYPT);
    if (p->ech_greaseretries) SSL_CTX_set_options(ctx, SSL_OP_ECH_GREASE_RETRY_CONFIG);
    return 0;
}
#endif

/* Everything that needs the certificates (serverinfo is attached to the
 * current certificate; compression compresses the loaded chains) and the
 * callbacks installed after them. */
int ossl_proto_apply_late(SSL_CTX *ctx, ossl_server *srv, const ptls_config *cfg, char *err, size_t errlen)
{
    const ptls_protocol_opts *p = &cfg->proto;
    if (p->serverinfo != NULL && !SSL_CTX_use_serverinfo_file(ctx, p->serverinfo)) {
        char what[300];
        snprintf(what, sizeof(what), "-serverinfo %s", p->serverinfo);
        return proto_failed(err, errlen, what);
    }
#if OSSL_HAVE_CERT_COMP
    if (p->cert_comp && !SSL_CTX_compress_certs(ctx, 0)) return proto_failed(err, errlen, "-cert_comp");
#endif
    /* The security framework refuses compression from level 2 on, which
     * would leave -comp without effect: say so instead. */
    if (p->comp && SSL_CTX_get_security_level(ctx) >= 2) {
        snprintf(
            err, errlen,
            "-comp: %s allows TLS compression only at security level 1 or below (level %d is in effect); "
            "add @SECLEVEL=1 to -cipher",
            ossl_lib_name(), SSL_CTX_get_security_level(ctx));
        return -1;
    }
#if OSSL_HAVE_ECH
    if (proto_ech(ctx, p, err, errlen) != 0) return -1;
#endif
    if (p->psk_session != NULL && srv->proto != NULL && srv->proto->psk_session != NULL)
        SSL_CTX_set_psk_find_session_callback(ctx, proto_psk_find);
    return 0;
}

int ossl_proto_server_new(ossl_server *srv, const ptls_config *cfg, char *err, size_t errlen)
{
    const ptls_protocol_opts *p = &cfg->proto;
    srv->stateless = p->stateless;
    if (p->writerand == NULL && p->psk_session == NULL && !p->security_debug && !p->ext_cache) return 0;
    struct ossl_proto_state *st = calloc(1, sizeof(*st));
    if (st == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    srv->proto = st;
    st->security_debug = p->security_debug;
    if (p->writerand != NULL && (st->writerand = strdup(p->writerand)) == NULL) goto oom;
    if (p->security_debug && (st->out = BIO_new_fp(stdout, BIO_NOCLOSE)) == NULL) goto oom;
    if (p->psk_session != NULL) {
        BIO *in = BIO_new_file(p->psk_session, "r");
        st->psk_session = in != NULL ? PEM_read_bio_SSL_SESSION(in, NULL, NULL, NULL) : NULL;
        BIO_free(in);
        if (st->psk_session == NULL) {
            char what[300];
            snprintf(what, sizeof(what), "-psk_session %s is not a PEM SSL session", p->psk_session);
            ossl_collect_errors(err, errlen, what);
            return -1;
        }
        st->psk_identity = strdup(cfg->psk_identity != NULL ? cfg->psk_identity : "Client_identity");
        if (st->psk_identity == NULL) goto oom;
    }
    return 0;
oom:
    snprintf(err, errlen, "out of memory");
    return -1;
}

void ossl_proto_server_free(ossl_server *srv)
{
    struct ossl_proto_state *st = srv->proto;
    if (st == NULL) return;
    if (st->writerand != NULL) RAND_write_file(st->writerand);
    free(st->writerand);
    SSL_SESSION_free(st->psk_session);
    free(st->psk_identity);
    BIO_free(st->out);
    for (size_t i = 0; i < sizeof(st->cache) / sizeof(st->cache[0]); i++)
        free(st->cache[i].der);
    free(st);
    srv->proto = NULL;
}

/* ---- -stateless -------------------------------------------------------- */

/* The cookie: HMAC-SHA256 over nothing but the server's secret, so a
 * cookie proves only that this server made it (s_server's is the same,
 * keyed by the peer address); OpenSSL puts the ClientHello hash into the
 * cookie itself. */
static int proto_cookie(SSL *ssl, unsigned char *out, size_t *out_len)
{
    ossl_conn *c = ossl_conn_of(ssl);
    unsigned int len = 0;
    if (c == NULL || HMAC(EVP_sha256(), c->srv->cookie_secret, sizeof(c->srv->cookie_secret),
                          (const unsigned char *)"polytls", 7, out, &len) == NULL)
        return 0;
    *out_len = len;
    return 1;
}

static int proto_cookie_gen(SSL *ssl, unsigned char *cookie, size_t *cookie_len)
{
    return proto_cookie(ssl, cookie, cookie_len);
}

static int proto_cookie_verify(SSL *ssl, const unsigned char *cookie, size_t cookie_len)
{
    unsigned char want[EVP_MAX_MD_SIZE];
    size_t len = 0;
    return proto_cookie(ssl, want, &len) && len == cookie_len && CRYPTO_memcmp(want, cookie, len) == 0;
}

void ossl_proto_install_stateless(SSL_CTX *ctx)
{
    SSL_CTX_set_stateless_cookie_generate_cb(ctx, proto_cookie_gen);
    SSL_CTX_set_stateless_cookie_verify_cb(ctx, proto_cookie_verify);
}

/* Whether pre holds, after any ChangeCipherSpec records, one whole
 * handshake record: SSL_stateless starts with SSL_clear, which would lose
 * a ClientHello read only in part, so it runs on whole records only. */
static int proto_have_hello(const unsigned char *b, size_t n)
{
    size_t off = 0;
    while (off + 5 <= n) {
        size_t len = ((size_t)b[off + 3] << 8) | b[off + 4];
        if (off + 5 + len > n) return 0;
        if (b[off] == SSL3_RT_HANDSHAKE) return 1;
        off += 5 + len;
    }
    return 0;
}

/* The stateless exchange: every ClientHello without a valid cookie is
 * answered with a HelloRetryRequest carrying one and forgotten; the first
 * with a valid cookie goes on to the normal handshake. */
int ossl_proto_stateless(ossl_conn *c)
{
    if (c->pre == NULL) {
        c->pre_cap = 2 * (SSL3_RT_MAX_PLAIN_LENGTH + SSL3_RT_HEADER_LENGTH) + 64;
        if ((c->pre = malloc(c->pre_cap)) == NULL) {
            snprintf(c->err, sizeof(c->err), "out of memory");
            return PTLS_ERROR;
        }
    }
    for (;;) {
        while (!proto_have_hello(c->pre, c->pre_len)) {
            if (c->pre_len == c->pre_cap) {
                snprintf(c->err, sizeof(c->err), "-stateless: ClientHello larger than %zu bytes", c->pre_cap);
                return PTLS_ERROR;
            }
            long n = c->io.recv(c->io.ctx, c->pre + c->pre_len, c->pre_cap - c->pre_len);
            if (n > 0) {
                c->pre_len += (size_t)n;
                continue;
            }
            if (n == PTLS_WANT_READ) return PTLS_WANT_READ;
            snprintf(c->err, sizeof(c->err), "-stateless: %s before a ClientHello",
                     n == PTLS_CLOSED ? "peer closed the connection" : "read error");
            return n == PTLS_CLOSED ? PTLS_CLOSED : PTLS_ERROR;
        }
        /* The client's middlebox-compatibility ChangeCipherSpec between
         * the two ClientHellos: SSL_stateless would fail on it ("we do not
         * return success until we see the second ClientHello"), s_server
         * drops it the same way. */
        if (c->pre[0] == SSL3_RT_CHANGE_CIPHER_SPEC) {
            size_t len = 5 + (((size_t)c->pre[3] << 8) | c->pre[4]);
            memmove(c->pre, c->pre + len, c->pre_len - len);
            c->pre_len -= len;
            continue;
        }
        c->pre_off = 0;
        ERR_clear_error();
        int r = SSL_stateless(c->ssl);
        /* What SSL_stateless did not read stays for the next round. */
        memmove(c->pre, c->pre + c->pre_off, c->pre_len - c->pre_off);
        c->pre_len -= c->pre_off;
        c->pre_off = 0;
        if (r > 0) {
            c->stateless_done = 1;
            return PTLS_OK;
        }
        if (r < 0) {
            c->err_code = ERR_peek_error();
            ossl_collect_errors(c->err, sizeof(c->err), "-stateless (SSL_stateless)");
            return PTLS_ERROR;
        }
        /* r == 0: HelloRetryRequest sent, nothing kept; wait for the next
         * ClientHello. */
    }
}

void ossl_proto_ech_info(SSL *ssl, char *ech, size_t ech_len, char *outer, size_t outer_len)
{
    ech[0] = '\0';
    outer[0] = '\0';
#if OSSL_HAVE_ECH
    char *inner_sni = NULL, *outer_sni = NULL;
    int st = SSL_ech_get1_status(ssl, &inner_sni, &outer_sni);
    const char *what = st == SSL_ECH_STATUS_SUCCESS                                     ? "accepted"
                       : st == SSL_ECH_STATUS_GREASE || st == SSL_ECH_STATUS_GREASE_ECH ? "grease"
                       : st == SSL_ECH_STATUS_FAILED || st == SSL_ECH_STATUS_FAILED_ECH ||
                               st == SSL_ECH_STATUS_FAILED_ECH_BAD_NAME || st == SSL_ECH_STATUS_BAD_NAME
                           ? "rejected"
                           : "";
    snprintf(ech, ech_len, "%s", what);
    if (st == SSL_ECH_STATUS_SUCCESS && outer_sni != NULL) snprintf(outer, outer_len, "%s", outer_sni);
    OPENSSL_free(inner_sni);
    OPENSSL_free(outer_sni);
    ERR_clear_error();
#else
    (void)ssl;
    (void)ech_len;
    (void)outer_len;
#endif
}
