/*
 * OpenSSL backend: the ops table, the capability table, process-wide setup
 * and the configuration checks that depend on values.
 *
 * This is the reference backend: it implements every capability OpenSSL has
 * for the fields in config.h. The same sources build against the system
 * library (Debian's 3.0) and the pinned flavours (3.5, 4.0); what the linked
 * library lacks (OPENSSL_NO_* of its headers, or what it refuses when asked
 * at load time) is refused with a reason that names it and its run-time
 * version. Version differences live in ossl_compat.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "ossl_private.h"

const ptls_host *ossl_host;
static int ossl_ex_index = -1;

int ossl_ssl_index(void)
{
    return ossl_ex_index;
}

ossl_conn *ossl_conn_of(SSL *ssl)
{
    return ossl_ex_index < 0 ? NULL : SSL_get_ex_data(ssl, ossl_ex_index);
}

const char *ossl_lib_name(void)
{
    static char name[64];
    if (name[0] == '\0') snprintf(name, sizeof(name), "OpenSSL %s", OpenSSL_version(OPENSSL_VERSION_STRING));
    return name;
}

/* The capability table, filled once by ossl_caps_init from what the linked
 * library is built with and can do; the entry point fills it before the
 * core reads it. */
static const char *ossl_caps[PTLS_CAP__COUNT];

/* Reasons that name the library and its version, formatted at load time. */
static const char *ossl_reason(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *ossl_reason(const char *fmt, ...)
{
    static char reasons[24][256];
    static int used;
    if (used == (int)(sizeof(reasons) / sizeof(reasons[0]))) return "refused (reason table full)";
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reasons[used], sizeof(reasons[used]), fmt, ap);
    va_end(ap);
    return reasons[used++];
}

/* cap is refused because the library is built without what (its
 * OPENSSL_NO_* macro). */
#define OSSL_BUILT_WITHOUT(cap, what, macro)                                                                 \
    ossl_caps[cap] = ossl_reason("%s is built without %s (" macro ")", ossl_lib_name(), what)

/* ML-DSA server certificates: the key type (keys load and sign) and the
 * TLS signature scheme (the handshake can use them). */
static int ossl_has_mldsa(void)
{
    EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_name(NULL, "ML-DSA-65", NULL);
    int ok = pctx != NULL && ossl_sigalg_name(0x0905) != NULL;
    EVP_PKEY_CTX_free(pctx);
    ERR_clear_error();
    return ok;
}

static void ossl_caps_init(void)
{
    static int done;
    if (done) return;
    done = 1;
    for (int i = 0; i < PTLS_CAP__COUNT; i++)
        ossl_caps[i] = PTLS_SUPPORTED;

    /* polytls's own gaps: the library could. */
    ossl_caps[PTLS_CAP_SERVERINFO] = "polytls has no -serverinfo field in its configuration (config.h) yet; "
                                     "OpenSSL itself could (SSL_CTX_use_serverinfo_file)";
#ifdef OPENSSL_NO_SRP
    OSSL_BUILT_WITHOUT(PTLS_CAP_SRP, "SRP", "OPENSSL_NO_SRP");
#else
    ossl_caps[PTLS_CAP_SRP] =
        "SRP is deprecated in OpenSSL and polytls has no SRP verifier options (config.h)";
#endif
#ifdef OPENSSL_NO_SRTP
    OSSL_BUILT_WITHOUT(PTLS_CAP_SRTP, "DTLS-SRTP", "OPENSSL_NO_SRTP");
#else
    ossl_caps[PTLS_CAP_SRTP] = "polytls has no -use_srtp profile list in its configuration (config.h) yet; "
                               "OpenSSL itself could (SSL_CTX_set_tlsext_use_srtp)";
#endif

    /* What the library's build leaves out. */
#ifdef OPENSSL_NO_TLS1
    OSSL_BUILT_WITHOUT(PTLS_CAP_TLS1_0, "TLS 1.0", "OPENSSL_NO_TLS1");
#endif
#ifdef OPENSSL_NO_TLS1_1
    OSSL_BUILT_WITHOUT(PTLS_CAP_TLS1_1, "TLS 1.1", "OPENSSL_NO_TLS1_1");
#endif
#ifdef OPENSSL_NO_TLS1_2
    OSSL_BUILT_WITHOUT(PTLS_CAP_TLS1_2, "TLS 1.2", "OPENSSL_NO_TLS1_2");
#endif
#ifdef OPENSSL_NO_TLS1_3
    static const int tls13_only[] = {
        PTLS_CAP_TLS1_3,         PTLS_CAP_PSK_TLS13,           PTLS_CAP_EARLY_DATA,
        PTLS_CAP_KEY_UPDATE,     PTLS_CAP_POST_HANDSHAKE_AUTH, PTLS_CAP_KEYLOG_TLS13,
        PTLS_CAP_RECORD_PADDING, PTLS_CAP_NUM_TICKETS,         PTLS_CAP_OCSP_STAPLE_TLS13};
    for (size_t i = 0; i < sizeof(tls13_only) / sizeof(tls13_only[0]); i++)
        OSSL_BUILT_WITHOUT(tls13_only[i], "TLS 1.3", "OPENSSL_NO_TLS1_3");
#endif
#ifdef OPENSSL_NO_DTLS
    OSSL_BUILT_WITHOUT(PTLS_CAP_DTLS, "DTLS", "OPENSSL_NO_DTLS");
#endif
#if defined(OPENSSL_NO_DTLS1) || defined(OPENSSL_NO_DTLS)
    OSSL_BUILT_WITHOUT(PTLS_CAP_DTLS1_0, "DTLS 1.0", "OPENSSL_NO_DTLS1");
#endif
#if defined(OPENSSL_NO_DTLS1_2) || defined(OPENSSL_NO_DTLS)
    OSSL_BUILT_WITHOUT(PTLS_CAP_DTLS1_2, "DTLS 1.2", "OPENSSL_NO_DTLS1_2");
#endif
#ifdef OPENSSL_NO_PSK
    OSSL_BUILT_WITHOUT(PTLS_CAP_PSK, "PSK", "OPENSSL_NO_PSK");
    OSSL_BUILT_WITHOUT(PTLS_CAP_PSK_TLS13, "PSK", "OPENSSL_NO_PSK");
    OSSL_BUILT_WITHOUT(PTLS_CAP_PSK_HINT, "PSK", "OPENSSL_NO_PSK");
#endif
#ifdef OPENSSL_NO_NEXTPROTONEG
    OSSL_BUILT_WITHOUT(PTLS_CAP_NPN, "NPN", "OPENSSL_NO_NEXTPROTONEG");
#endif
#ifdef OPENSSL_NO_OCSP
    OSSL_BUILT_WITHOUT(PTLS_CAP_OCSP_STAPLE, "OCSP", "OPENSSL_NO_OCSP");
    OSSL_BUILT_WITHOUT(PTLS_CAP_OCSP_STAPLE_TLS13, "OCSP", "OPENSSL_NO_OCSP");
#endif
#ifdef OPENSSL_NO_DH
    OSSL_BUILT_WITHOUT(PTLS_CAP_DHPARAM, "finite-field DH", "OPENSSL_NO_DH");
#endif
#ifdef OPENSSL_NO_SSL_TRACE
    OSSL_BUILT_WITHOUT(PTLS_CAP_TRACE, "SSL_trace", "OPENSSL_NO_SSL_TRACE");
#endif

#ifndef DTLS1_3_VERSION
    ossl_caps[PTLS_CAP_DTLS1_3] = ossl_reason("%s has no DTLS 1.3 (no DTLS1_3_VERSION)", ossl_lib_name());
#endif

    /* What the library can do, asked of it: key types, signature schemes
     * and TLS groups come from its providers (OpenSSL 3.5 added ML-DSA and
     * ML-KEM). */
    if (!ossl_has_mldsa())
        ossl_caps[PTLS_CAP_MLDSA] = ossl_reason(
            "%s has no ML-DSA (no ML-DSA-65 key type, or no mldsa65 TLS signature scheme)", ossl_lib_name());
    if (ossl_group_ossl_name(0x11ec) == NULL)
        ossl_caps[PTLS_CAP_MLKEM] = ossl_reason(
            "%s has no ML-KEM groups (X25519MLKEM768 is not among its TLS groups)", ossl_lib_name());
}

static const char *ossl_library_version(void)
{
    return OpenSSL_version(OPENSSL_VERSION);
}

static int ossl_global_init(const ptls_host *host, char *err, size_t errlen)
{
    ossl_host = host;
    if (!OPENSSL_init_ssl(OPENSSL_INIT_LOAD_SSL_STRINGS | OPENSSL_INIT_LOAD_CRYPTO_STRINGS, NULL)) {
        ossl_collect_errors(err, errlen, "OPENSSL_init_ssl");
        return -1;
    }
    ossl_ex_index = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
    if (ossl_ex_index < 0 || ossl_bio_method_init() != 0 || ossl_dgram_method_init() != 0) {
        ossl_collect_errors(err, errlen, "OpenSSL backend init");
        return -1;
    }
    return 0;
}

static void ossl_global_cleanup(void)
{
    ossl_bio_method_free();
    ossl_dgram_method_free();
    ossl_host = NULL;
}

typedef void (*ossl_refuse_fn)(void *arg, const char *option, const char *reason);

static int ossl_check_ids(const char *option, const uint16_t *ids, int n, int groups, ossl_refuse_fn refuse,
                          void *arg)
{
    int bad = 0;
    for (int i = 0; i < n; i++) {
        int known = (groups ? ossl_group_ossl_name(ids[i]) : ossl_sigalg_name(ids[i])) != NULL;
        if (!known) {
            char reason[192];
            snprintf(reason, sizeof(reason), "%s has no %s 0x%04x%s", ossl_lib_name(),
                     groups ? "group" : "signature scheme", ids[i],
                     groups ? ossl_group_missing_why(ids[i]) : "");
            refuse(arg, option, reason);
            bad++;
        }
    }
    return bad;
}

/* DTLS: OpenSSL speaks DTLS 1.0 and 1.2 only (no release has DTLS 1.3), so
 * what exists only in TLS 1.3 can never take effect. NPN is advertised over
 * DTLS, but the DTLS server state machine then fails the handshake on the
 * client's NextProtocol message (seen with openssl s_server/s_client
 * -dtls1_2 -nextprotoneg: unexpected_message in
 * ossl_statem_server_read_transition). */
static int ossl_check_dtls(const ptls_config *cfg, ossl_refuse_fn refuse, void *arg)
{
    char no13[128], why[256];
    snprintf(no13, sizeof(no13), "TLS 1.3 only, and %s has no DTLS 1.3", ossl_lib_name());
    int n = 0;
    if (cfg->dtls_mtu != 0 && cfg->dtls_mtu < 256) {
        snprintf(why, sizeof(why), "%s takes a DTLS link MTU of at least 256 bytes", ossl_lib_name());
        refuse(arg, "-mtu", why);
        n++;
    }
    if (cfg->npn_wire != NULL) {
        snprintf(why, sizeof(why),
                 "%s fails DTLS handshakes with NPN (unexpected_message on the client's NextProtocol); "
                 "NPN works over TLS only",
                 ossl_lib_name());
        refuse(arg, "-nextprotoneg", why);
        n++;
    }
    if (cfg->early_data) {
        refuse(arg, "-early_data", no13);
        n++;
    }
    if (cfg->ciphersuites != NULL) {
        refuse(arg, "-ciphersuites", no13);
        n++;
    }
    if (cfg->record_padding > 0) {
        refuse(arg, "-record_padding", no13);
        n++;
    }
    return n;
}

static int ossl_check_config(const ptls_config *cfg, ossl_refuse_fn refuse, void *arg)
{
    int n = 0;
    n += ossl_check_ids("-groups", cfg->group_ids, cfg->n_group_ids, 1, refuse, arg);
    n += ossl_check_ids("-sigalgs", cfg->sigalg_ids, cfg->n_sigalg_ids, 0, refuse, arg);
    n += ossl_check_ids("-client_sigalgs", cfg->client_sigalg_ids, cfg->n_client_sigalg_ids, 0, refuse, arg);
    char why[256];
    if (cfg->psk != NULL && cfg->psk_len > PSK_MAX_PSK_LEN) {
        snprintf(why, sizeof(why), "%s takes PSKs of at most %d bytes", ossl_lib_name(), PSK_MAX_PSK_LEN);
        refuse(arg, "-psk", why);
        n++;
    }
    if (cfg->context != NULL && strlen(cfg->context) > SSL_MAX_SID_CTX_LENGTH) {
        snprintf(why, sizeof(why), "%s takes a session id context of at most %d bytes", ossl_lib_name(),
                 SSL_MAX_SID_CTX_LENGTH);
        refuse(arg, "-context", why);
        n++;
    }
    if (cfg->id_prefix != NULL && strlen(cfg->id_prefix) > SSL_MAX_SSL_SESSION_ID_LENGTH) {
        refuse(arg, "-id_prefix", "longer than a session id (32 bytes)");
        n++;
    }
    if (cfg->max_send_frag != 0 &&
        (cfg->max_send_frag < 512 || cfg->max_send_frag > SSL3_RT_MAX_PLAIN_LENGTH)) {
        snprintf(why, sizeof(why), "%s takes 512..%d", ossl_lib_name(), SSL3_RT_MAX_PLAIN_LENGTH);
        refuse(arg, "-max_send_frag", why);
        n++;
    }
    if (cfg->record_padding < 0 || cfg->record_padding > SSL3_RT_MAX_PLAIN_LENGTH) {
        snprintf(why, sizeof(why), "%s takes a block size of at most %d", ossl_lib_name(),
                 SSL3_RT_MAX_PLAIN_LENGTH);
        refuse(arg, "-record_padding", why);
        n++;
    }
#if OSSL_STAPLES_MATCHING_RESPONSES_ONLY
    /* s_server staples the one file for both certificates; this library
     * would staple it only for the one it is about (ossl_context.c checks
     * that at start for -cert and -dcert). */
    if (cfg->status_file != NULL && cfg->cert2.cert != NULL) {
        snprintf(
            why, sizeof(why),
            "with -cert2: %s staples a response only about the certificate it serves, so one file cannot "
            "serve both the -cert and the -cert2 certificate",
            ossl_lib_name());
        refuse(arg, "-status_file", why);
        n++;
    }
#endif
    if (cfg->dtls) return n + ossl_check_dtls(cfg, refuse, arg);
    if (cfg->npn_wire != NULL && cfg->min_version >= PTLS_TLS1_3) {
        refuse(arg, "-nextprotoneg", "NPN does not exist in TLS 1.3");
        n++;
    }
    if (cfg->early_data && cfg->max_version < PTLS_TLS1_3) {
        refuse(arg, "-early_data", "early data needs TLS 1.3");
        n++;
    }
    if (cfg->nocert && cfg->psk == NULL && cfg->min_version >= PTLS_TLS1_3) {
        refuse(arg, "-nocert", "TLS 1.3 has no anonymous key exchange (give -psk or allow TLS 1.2)");
        n++;
    }
    return n;
}

static const ptls_backend ossl_backend = {
    .abi = PTLS_BACKEND_ABI,
    .name = PTLS_BACKEND_NAME,
    .prefix = "ossl",
    .cap_count = PTLS_CAP__COUNT,
    .caps = ossl_caps,
    .library_version = ossl_library_version,
    .global_init = ossl_global_init,
    .global_cleanup = ossl_global_cleanup,
    .check_config = ossl_check_config,
    .server_new = ossl_server_new,
    .server_free = ossl_server_free,
    .conn_new = ossl_conn_new,
    .handshake = ossl_handshake,
    .read = ossl_read,
    .write = ossl_write,
    .shutdown = ossl_shutdown,
    .pending = ossl_pending,
    .get_info = ossl_get_info,
    .last_error = ossl_last_error,
    .conn_free = ossl_conn_free,
    .renegotiate = ossl_renegotiate,
    .renegotiation_pending = ossl_renegotiation_pending,
    .key_update = ossl_key_update,
    .request_client_cert = ossl_request_client_cert,
    .export_keying_material = ossl_export_keying_material,
    .make_selfsigned = ossl_make_selfsigned,
    .last_error_code = ossl_last_error_code,
    .enabled_ciphers = ossl_enabled_ciphers,
    .dtls_accept = ossl_dtls_accept,
    .dtls_next_timeout_ms = ossl_dtls_next_timeout_ms,
    .dtls_timeout = ossl_dtls_timeout,
};

__attribute__((visibility("default"))) const ptls_backend *polytls_backend_v1(void);

__attribute__((visibility("default"))) const ptls_backend *polytls_backend_v1(void)
{
    ossl_caps_init();
    return &ossl_backend;
}
