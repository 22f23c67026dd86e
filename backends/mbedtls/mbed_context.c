/*
 * The server context: turns the validated ptls_config into one
 * mbedtls_ssl_config (see mbed_internal.h for why connections copy it), and
 * refuses the values the linked Mbed TLS cannot apply.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/ecp.h>
#include <mbedtls/md.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/ssl_ciphersuites.h>

#include "mbed_internal.h"

/* --- value mapping shared by check_config and server_new --- */

static int mbed_suite_enabled(int id)
{
    const int *l;

    for (l = mbedtls_ssl_list_ciphersuites(); *l; l++)
        if (*l == id) return 1;
    return 0;
}

/* By the library's suite name: the ciphersuite struct is private in 3.x. */
static int mbed_suite_is_dhe(int id)
{
    const char *n = mbedtls_ssl_get_ciphersuite_name(id);

    return n && strncmp(n, "TLS-DHE-", 8) == 0;
}

static int mbed_suite_is_tls13(int id)
{
    return id >= 0x1301 && id <= 0x13ff;
}

static const char *mbed_suite_name(uint16_t id, char *buf, size_t len)
{
    const char *n = mbed_host && mbed_host->cipher_iana_name ? mbed_host->cipher_iana_name(id) : NULL;

    if (n)
        snprintf(buf, len, "%s (0x%04X)", n, id);
    else
        snprintf(buf, len, "0x%04X", id);
    return buf;
}

int mbed_check_config(const ptls_config *cfg,
                      void (*refuse)(void *arg, const char *option, const char *reason), void *arg)
{
    char why[512], name[300];
    int n = 0, i;

#define MBED_REFUSE(opt, ...)                                                                                \
    do {                                                                                                     \
        snprintf(why, sizeof why, __VA_ARGS__);                                                              \
        refuse(arg, opt, why);                                                                               \
        n++;                                                                                                 \
    } while (0)

    if (cfg->dtls) {
        n += mbed_dtls_check_config(cfg, refuse, arg); /* versions, suites, MTU over DTLS */
    } else {
        mbedtls_ssl_config tmp;
        mbedtls_ssl_config_init(&tmp);
        if (mbed_compat_conf_versions(&tmp, 0, cfg->min_version, cfg->max_version, name, sizeof name) != 0)
            MBED_REFUSE(cfg->max_version > PTLS_TLS1_2 ? "-max_protocol" : "-min_protocol", "%s", name);
        mbedtls_ssl_config_free(&tmp);
    }

    if (cfg->cipher_string && cfg->n_cipher_ids < 0)
        MBED_REFUSE("-cipher",
                    MBED_LIB " takes only a list of suite names, not OpenSSL cipher-string keywords: %s",
                    cfg->cipher_string);
    for (i = 0; i < cfg->n_cipher_ids; i++) {
        if (!mbed_suite_enabled(cfg->cipher_ids[i]))
            MBED_REFUSE("-cipher", "%s is not available in " MBED_LIB " as built",
                        mbed_suite_name(cfg->cipher_ids[i], name, sizeof name));
    }
#if MBED_TLS13
    for (i = 0; i < cfg->n_tls13_ids; i++) {
        if (!mbed_suite_enabled(cfg->tls13_ids[i]))
            MBED_REFUSE("-ciphersuites", "%s is not available in " MBED_LIB " as built",
                        mbed_suite_name(cfg->tls13_ids[i], name, sizeof name));
    }
#else
    if (cfg->ciphersuites || cfg->n_tls13_ids > 0)
        MBED_REFUSE("-ciphersuites", MBED_LIB " has no TLS 1.3 cipher suites");
#endif

    for (i = 0; i < cfg->n_group_ids; i++) {
        const char *r = mbed_compat_group_refusal(cfg->group_ids[i]);
        if (r) MBED_REFUSE("-groups", "group 0x%04X: %s", cfg->group_ids[i], r);
    }
    for (i = 0; i < cfg->n_sigalg_ids; i++) {
        const char *r = mbed_compat_sigalg_refusal(cfg->sigalg_ids[i]);
        if (r) MBED_REFUSE("-sigalgs", "signature scheme 0x%04X: %s", cfg->sigalg_ids[i], r);
    }
    if (cfg->n_client_sigalg_ids > 0 || cfg->client_sigalgs)
        MBED_REFUSE("-client_sigalgs", MBED_LIB " has one signature list for the server's signature and "
                                                "the CertificateRequest; use -sigalgs");

    if (cfg->nocert && !cfg->psk)
        MBED_REFUSE("-nocert", MBED_LIB " has no anonymous (aNULL) suites; -nocert works only with -psk");
    if (cfg->psk && cfg->psk_len > MBEDTLS_PSK_MAX_LEN)
        MBED_REFUSE("-psk", "the key is %zu bytes; " MBED_LIB " accepts at most %d (MBEDTLS_PSK_MAX_LEN)",
                    cfg->psk_len, MBEDTLS_PSK_MAX_LEN);
    if (cfg->psk_hint) MBED_REFUSE("-psk_hint", MBED_LIB " always sends an empty PSK identity hint");
    if (cfg->psk_identity && strlen(cfg->psk_identity) >= 256)
        MBED_REFUSE("-psk_identity", "identity longer than 255 bytes");

    if (cfg->max_send_frag != 0 && cfg->max_send_frag != 512 && cfg->max_send_frag != 1024 &&
        cfg->max_send_frag != 2048 && cfg->max_send_frag != 4096)
        MBED_REFUSE("-max_send_frag",
                    "%d: " MBED_LIB " can only limit records to 512, 1024, 2048 or 4096 bytes (max_frag_len)",
                    cfg->max_send_frag);
    if (cfg->record_padding) MBED_REFUSE("-record_padding", MBED_LIB " has no record padding setting");
#if !MBED_TLS13 || !defined(MBEDTLS_SSL_EARLY_DATA)
    if (cfg->early_data)
        MBED_REFUSE("-early_data", MBED_TLS13 ? MBED_LIB " was built without MBEDTLS_SSL_EARLY_DATA"
                                              : MBED_LIB " has no TLS 1.3 early data");
#endif
    if (cfg->npn_wire) MBED_REFUSE("-nextprotoneg", MBED_LIB " has no NPN");
    if (cfg->status_file) MBED_REFUSE("-status_file", MBED_LIB " has no OCSP stapling");
    if (cfg->context) MBED_REFUSE("-context", MBED_LIB " has no session ID context");
    if (cfg->id_prefix) MBED_REFUSE("-id_prefix", MBED_LIB " generates session IDs internally");
    if (cfg->trace) MBED_REFUSE("-trace", MBED_LIB " has no protocol message trace");
    if (cfg->state) MBED_REFUSE("-state", MBED_LIB " has no handshake state callback");
    if (cfg->servername && !cfg->cert2.cert) {
        /* -servername alone only changes logging in s_server: nothing for us. */
    }
#undef MBED_REFUSE
    return n;
}

/* --- server_new --- */

static int mbed_apply_ciphers(mbed_server *s, const ptls_config *cfg, char *err, size_t errlen)
{
    char name[160];
    const int *l;
    int i;

    /* One list for both versions (3.x picks the TLS 1.3 suites from the
     * same list): -cipher (TLS 1.2) then -ciphersuites (TLS 1.3), each the
     * library's default when not given. */
    s->n_suites = 0;
    if (cfg->n_cipher_ids > 0) {
        for (i = 0; i < cfg->n_cipher_ids && s->n_suites < PTLS_MAX_CIPHERS; i++) {
            if (!mbed_suite_enabled(cfg->cipher_ids[i])) {
                snprintf(err, errlen, "-cipher: %s is not available in " MBED_LIB,
                         mbed_suite_name(cfg->cipher_ids[i], name, sizeof name));
                return -1;
            }
            if (cfg->no_dhe && mbed_suite_is_dhe(cfg->cipher_ids[i])) continue;
            if (mbed_suite_is_tls13(cfg->cipher_ids[i])) continue;
            s->suites[s->n_suites++] = cfg->cipher_ids[i];
        }
    } else {
        for (l = mbedtls_ssl_list_ciphersuites(); *l && s->n_suites < PTLS_MAX_CIPHERS; l++) {
            if (cfg->no_dhe && mbed_suite_is_dhe(*l)) continue;
            if (mbed_suite_is_tls13(*l)) continue;
            s->suites[s->n_suites++] = *l;
        }
    }
#if MBED_TLS13
    if (cfg->n_tls13_ids > 0) {
        for (i = 0; i < cfg->n_tls13_ids && s->n_suites < PTLS_MAX_CIPHERS; i++) {
            if (!mbed_suite_enabled(cfg->tls13_ids[i])) {
                snprintf(err, errlen, "-ciphersuites: %s is not available in " MBED_LIB,
                         mbed_suite_name(cfg->tls13_ids[i], name, sizeof name));
                return -1;
            }
            s->suites[s->n_suites++] = cfg->tls13_ids[i];
        }
    } else {
        /* OpenSSL's default order first (the library's puts ChaCha20
         * first), as every backend does; then the library's other ones. */
        static const int first[] = {0x1302 /* AES-256-GCM */, 0x1303 /* ChaCha20 */,
                                    0x1301 /* AES-128-GCM */};
        for (i = 0; i < (int)(sizeof first / sizeof first[0]); i++)
            if (mbed_suite_enabled(first[i])) s->suites[s->n_suites++] = first[i];
        for (l = mbedtls_ssl_list_ciphersuites(); *l && s->n_suites < PTLS_MAX_CIPHERS; l++)
            if (mbed_suite_is_tls13(*l) && *l != 0x1301 && *l != 0x1302 && *l != 0x1303)
                s->suites[s->n_suites++] = *l;
    }
#endif
    s->suites[s->n_suites] = 0;
    if (s->n_suites == 0) {
        snprintf(err, errlen, "-cipher%s: no cipher suite left to offer", cfg->no_dhe ? " with -no_dhe" : "");
        return -1;
    }
    mbedtls_ssl_conf_ciphersuites(&s->conf, s->suites);
    return 0;
}

static int mbed_apply_groups(mbed_server *s, const ptls_config *cfg, char *err, size_t errlen)
{
    /* The library's default order (2.28) puts P-521 first and it picks by
     * its own order: X25519 first like the other backends. */
    static const uint16_t dflt[] = {0x001d /* X25519 */, 0x0017 /* P-256 */, 0x0018 /* P-384 */,
                                    0x0019 /* P-521 */};
    int i;

    s->n_groups = 0;
    if (cfg->n_group_ids > 0) {
        for (i = 0; i < cfg->n_group_ids && i < 39; i++) {
            const char *why = mbed_compat_group_refusal(cfg->group_ids[i]);
            if (why) {
                snprintf(err, errlen, "-groups: group 0x%04X: %s", cfg->group_ids[i], why);
                return -1;
            }
            s->groups[s->n_groups++] = cfg->group_ids[i];
        }
    } else {
        for (i = 0; i < (int)(sizeof dflt / sizeof dflt[0]); i++)
            s->groups[s->n_groups++] = dflt[i];
    }
    mbed_compat_conf_groups(&s->conf, s->groups, s->n_groups, s->lib_groups);
    return 0;
}

static int mbed_apply_verify(mbed_server *s, const ptls_config *cfg, char *err, size_t errlen)
{
    int ret;

    s->verify_mode = cfg->verify_mode;
    s->verify_depth = cfg->verify_depth;
    s->crl_check = cfg->crl_check || cfg->crl_check_all;
    s->crl_check_all = cfg->crl_check_all;
    /* OPTIONAL accepts invalid certificates: mbed_verify_cb makes a sent but
     * invalid certificate fatal for REQUEST. */
    mbedtls_ssl_conf_authmode(&s->conf, cfg->verify_mode == PTLS_VERIFY_REQUIRE ? MBEDTLS_SSL_VERIFY_REQUIRED
                                        : cfg->verify_mode == PTLS_VERIFY_REQUEST
                                            ? MBEDTLS_SSL_VERIFY_OPTIONAL
                                            : MBEDTLS_SSL_VERIFY_NONE);
    mbedtls_ssl_conf_cert_req_ca_list(&s->conf, cfg->no_ca_names ? MBEDTLS_SSL_CERT_REQ_CA_LIST_DISABLED
                                                                 : MBEDTLS_SSL_CERT_REQ_CA_LIST_ENABLED);
    if (cfg->ca_file) {
        ret = mbedtls_x509_crt_parse_file(&s->ca, cfg->ca_file);
        if (ret < 0) {
            mbed_errf(err, errlen, ret, "-CAfile: cannot load %s", cfg->ca_file);
            return -1;
        }
        if (ret > 0) {
            snprintf(err, errlen, "-CAfile: %d certificate(s) in %s failed to parse", ret, cfg->ca_file);
            return -1;
        }
        s->have_ca = 1;
    }
    if (cfg->ca_path) {
        /* Loads every certificate file in the directory (OpenSSL reads only
         * the hash-named ones, lazily); files that are not certificates
         * (CRLs, keys) are skipped: ret > 0 counts them. */
        ret = mbedtls_x509_crt_parse_path(&s->ca, cfg->ca_path);
        if (ret < 0) {
            mbed_errf(err, errlen, ret, "-CApath: cannot read %s", cfg->ca_path);
            return -1;
        }
        s->have_ca = s->ca.raw.p != NULL;
    }
    if (cfg->crl_file) {
        ret = mbedtls_x509_crl_parse_file(&s->crl, cfg->crl_file);
        if (ret != 0) {
            mbed_errf(err, errlen, ret, "-CRL: cannot load %s", cfg->crl_file);
            return -1;
        }
        s->have_crl = 1;
    }
    if (s->crl_check && cfg->ca_path && mbed_load_crl_dir(&s->crl, cfg->ca_path) > 0) s->have_crl = 1;
    /* Like OpenSSL, a CRL is consulted only with -crl_check/-crl_check_all. */
    if (s->have_ca) mbedtls_ssl_conf_ca_chain(&s->conf, &s->ca, s->crl_check && s->have_crl ? &s->crl : NULL);
    return 0;
}

static int mbed_apply_sessions(mbed_server *s, const ptls_config *cfg, char *err, size_t errlen)
{
    int ret;

    s->session_cache = cfg->session_cache;
    s->tickets = cfg->tickets;
    if (s->session_cache) {
        /* s_server's OpenSSL defaults: 7200 s lifetime. */
        mbedtls_ssl_cache_set_timeout(&s->cache, 7200);
        mbedtls_ssl_cache_set_max_entries(&s->cache, 1024);
    }
#if !MBED_V3
    mbedtls_ssl_conf_session_tickets(&s->conf, cfg->tickets ? MBEDTLS_SSL_SESSION_TICKETS_ENABLED
                                                            : MBEDTLS_SSL_SESSION_TICKETS_DISABLED);
#endif
    /* 3.x: the server issues tickets when the ticket callbacks are set
     * (mbed_conn.c), and only then. */
    if (cfg->tickets) {
        ret = mbedtls_ssl_ticket_setup(&s->ticket, mbed_rng, NULL, MBEDTLS_CIPHER_AES_256_GCM, 7200);
        if (ret != 0) {
            mbed_errf(err, errlen, ret, "session tickets: mbedtls_ssl_ticket_setup");
            return -1;
        }
    }
    /* The callbacks themselves are set per connection (mbed_conn.c) so that
     * a cache or ticket hit marks that connection as resumed. */
    return 0;
}

static int mbed_mfl_code(int n)
{
    switch (n) {
    case 512:
        return MBEDTLS_SSL_MAX_FRAG_LEN_512;
    case 1024:
        return MBEDTLS_SSL_MAX_FRAG_LEN_1024;
    case 2048:
        return MBEDTLS_SSL_MAX_FRAG_LEN_2048;
    case 4096:
        return MBEDTLS_SSL_MAX_FRAG_LEN_4096;
    default:
        return -1;
    }
}

void *mbed_server_new(const ptls_config *cfg, char *err, size_t errlen)
{
    mbed_server *s = calloc(1, sizeof *s);
    int ret, code;

    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    mbedtls_ssl_config_init(&s->conf);
    mbedtls_x509_crt_init(&s->ca);
    mbedtls_x509_crl_init(&s->crl);
    mbedtls_dhm_init(&s->dhm);
    mbedtls_ssl_cache_init(&s->cache);
    mbedtls_ssl_ticket_init(&s->ticket);
    mbedtls_ssl_cookie_init(&s->cookie);

    ret =
        mbedtls_ssl_config_defaults(&s->conf, MBEDTLS_SSL_IS_SERVER,
                                    cfg->dtls ? MBEDTLS_SSL_TRANSPORT_DATAGRAM : MBEDTLS_SSL_TRANSPORT_STREAM,
                                    MBEDTLS_SSL_PRESET_DEFAULT);
    if (ret != 0) {
        mbed_errf(err, errlen, ret, "mbedtls_ssl_config_defaults");
        goto fail;
    }
    mbedtls_ssl_conf_rng(&s->conf, mbed_rng, NULL);

    if (cfg->dtls) {
        /* Versions, cookie secret, MTU: mbed_dtls.c. */
        if (mbed_dtls_server_setup(s, cfg, err, errlen) != 0) goto fail;
    } else if (mbed_compat_conf_versions(&s->conf, 0, cfg->min_version, cfg->max_version, err, errlen) != 0) {
        /* Versions: both ends always (2.28's default minimum is TLS 1.0). */
        goto fail;
    }

    /* Identity. */
    if (!cfg->nocert) {
        if (!cfg->cert.cert) {
            snprintf(err, errlen, "-cert: no certificate given");
            goto fail;
        }
        if (mbed_load_keypair(&s->cert, &cfg->cert, "-cert", err, errlen) != 0) goto fail;
        ret = mbedtls_ssl_conf_own_cert(&s->conf, &s->cert.crt, &s->cert.pk);
        if (ret != 0) {
            mbed_errf(err, errlen, ret, "-cert %s", cfg->cert.cert);
            goto fail;
        }
        if (cfg->dcert.cert) {
            /* Several own certs: the library picks by the suite's key type. */
            if (mbed_load_keypair(&s->dcert, &cfg->dcert, "-dcert", err, errlen) != 0) goto fail;
            ret = mbedtls_ssl_conf_own_cert(&s->conf, &s->dcert.crt, &s->dcert.pk);
            if (ret != 0) {
                mbed_errf(err, errlen, ret, "-dcert %s", cfg->dcert.cert);
                goto fail;
            }
        }
        if (cfg->cert2.cert) {
            if (mbed_load_keypair(&s->cert2, &cfg->cert2, "-cert2", err, errlen) != 0) goto fail;
            s->sni_cert2 = 1;
        }
    } else if (!cfg->psk) {
        snprintf(err, errlen, "-nocert: " MBED_LIB " has no anonymous suites (use it with -psk)");
        goto fail;
    }

    if (mbed_apply_ciphers(s, cfg, err, errlen) != 0) goto fail;
    if (mbed_apply_groups(s, cfg, err, errlen) != 0) goto fail;
    if (mbed_compat_apply_sigalgs(s, cfg, err, errlen) != 0) goto fail;
    if (cfg->n_client_sigalg_ids > 0) {
        snprintf(err, errlen, "-client_sigalgs: not possible with " MBED_LIB);
        goto fail;
    }
    s->server_pref = cfg->server_pref;
    s->prioritize_chacha = cfg->prioritize_chacha;

    if (mbed_apply_verify(s, cfg, err, errlen) != 0) goto fail;

    if (cfg->dhparam) {
        ret = mbedtls_dhm_parse_dhmfile(&s->dhm, cfg->dhparam);
        if (ret == 0) ret = mbedtls_ssl_conf_dh_param_ctx(&s->conf, &s->dhm);
        if (ret != 0) {
            mbed_errf(err, errlen, ret, "-dhparam: cannot load DH parameters from %s", cfg->dhparam);
            goto fail;
        }
    }
    /* Otherwise the library's RFC 3526 2048-bit group serves DHE suites. */

    if (mbed_apply_sessions(s, cfg, err, errlen) != 0) goto fail;
#if MBED_TLS13
    /* Tickets count, early data, key exchange modes (mbed_tls13.c). */
    if (mbed_tls13_server_setup(s, cfg, err, errlen) != 0) goto fail;
#endif

    s->alpn = cfg->alpn_wire != NULL && cfg->alpn_wire_len > 0;
    s->keylog = cfg->keylog;

    if (cfg->psk) {
        if (cfg->psk_len > sizeof s->psk || cfg->psk_len == 0) {
            snprintf(err, errlen, "-psk: key of %zu bytes; " MBED_LIB " accepts 1 to %d", cfg->psk_len,
                     MBEDTLS_PSK_MAX_LEN);
            goto fail;
        }
        if (cfg->psk_hint) {
            snprintf(err, errlen, "-psk_hint: " MBED_LIB " always sends an empty hint");
            goto fail;
        }
        memcpy(s->psk, cfg->psk, cfg->psk_len);
        s->psk_len = cfg->psk_len;
        /* s_server's default identity. */
        snprintf(s->psk_identity, sizeof s->psk_identity, "%s",
                 cfg->psk_identity ? cfg->psk_identity : "Client_identity");
    }

    /* Renegotiation: a client-initiated one is accepted only when allowed;
     * connections open the gate themselves around a server-initiated one. */
    s->no_renegotiation = cfg->no_renegotiation;
    s->client_renegotiation = cfg->client_renegotiation && !cfg->no_renegotiation;
    s->legacy_renegotiation = cfg->legacy_renegotiation;
    mbedtls_ssl_conf_renegotiation(&s->conf, s->client_renegotiation ? MBEDTLS_SSL_RENEGOTIATION_ENABLED
                                                                     : MBEDTLS_SSL_RENEGOTIATION_DISABLED);
    mbedtls_ssl_conf_legacy_renegotiation(&s->conf, cfg->legacy_renegotiation
                                                        ? MBEDTLS_SSL_LEGACY_ALLOW_RENEGOTIATION
                                                        : MBEDTLS_SSL_LEGACY_NO_RENEGOTIATION);
    /* OpenSSL waits for the client forever after a HelloRequest. */
    mbedtls_ssl_conf_renegotiation_enforced(&s->conf, MBEDTLS_SSL_RENEGOTIATION_NOT_ENFORCED);

    if (cfg->max_send_frag) {
        code = mbed_mfl_code(cfg->max_send_frag);
        if (code < 0 || mbedtls_ssl_conf_max_frag_len(&s->conf, (unsigned char)code) != 0) {
            snprintf(err, errlen, "-max_send_frag %d: " MBED_LIB " accepts 512, 1024, 2048 or 4096",
                     cfg->max_send_frag);
            goto fail;
        }
    }
    mbedtls_ssl_conf_encrypt_then_mac(&s->conf,
                                      cfg->no_etm ? MBEDTLS_SSL_ETM_DISABLED : MBEDTLS_SSL_ETM_ENABLED);
    mbedtls_ssl_conf_extended_master_secret(&s->conf, cfg->no_ems ? MBEDTLS_SSL_EXTENDED_MS_DISABLED
                                                                  : MBEDTLS_SSL_EXTENDED_MS_ENABLED);

    /* Settings this library cannot apply: refused by check_config and the
     * capability table already; never silently skipped. */
    if (cfg->context || cfg->id_prefix || cfg->npn_wire || cfg->status_file || cfg->trace || cfg->state ||
        cfg->record_padding ||
        (!MBED_TLS13 && (cfg->early_data || cfg->ciphersuites || cfg->n_tls13_ids > 0))) {
        snprintf(err, errlen,
                 "a TLS 1.3-only or OpenSSL-only setting was given; " MBED_LIB " cannot apply it "
                 "(see `polytls backends`)");
        goto fail;
    }
    return s;

fail:
    mbed_server_free(s);
    return NULL;
}

static void mbed_keypair_free(mbed_keypair *kp)
{
    if (!kp->loaded) return;
    mbedtls_x509_crt_free(&kp->crt);
    mbedtls_pk_free(&kp->pk);
    kp->loaded = 0;
}

void mbed_server_free(void *server)
{
    mbed_server *s = server;

    if (!s) return;
    mbedtls_ssl_config_free(&s->conf);
    mbed_keypair_free(&s->cert);
    mbed_keypair_free(&s->dcert);
    mbed_keypair_free(&s->cert2);
    mbedtls_x509_crt_free(&s->ca);
    mbedtls_x509_crl_free(&s->crl);
    mbedtls_dhm_free(&s->dhm);
    mbedtls_ssl_cache_free(&s->cache);
    mbedtls_ssl_ticket_free(&s->ticket);
    mbedtls_ssl_cookie_free(&s->cookie);
    mbedtls_platform_zeroize(s->psk, sizeof s->psk);
    free(s);
}
