/*
 * The wolfSSL backend: ops table, capabilities, process setup and the
 * configuration checks that depend on option values.
 *
 * Capabilities come from the build the module is compiled against (the
 * system library or a pinned flavour): wssl_features.h reads its feature
 * macros and version; every reason names that version.
 */
#include "wssl_internal.h"

#include <stdio.h>
#include <string.h>

const ptls_host *wssl_host;
int wssl_conn_index;

/* cond ? supported : reason, for capabilities whose reason is one string */
#define WSSL_CAP(cond, reason) ((cond) ? PTLS_SUPPORTED : (reason))

static const char *const wssl_caps[PTLS_CAP__COUNT] = {
#if WSSL_HAS_TLS10
    [PTLS_CAP_TLS1_0] = PTLS_SUPPORTED,
#else
    [PTLS_CAP_TLS1_0] = WSSL_NO_TLS10_REASON,
#endif
    [PTLS_CAP_TLS1_1] = WSSL_CAP(WSSL_HAS_TLS11, WSSL_LIB " is built with NO_OLD_TLS: no TLS 1.1"),
    [PTLS_CAP_TLS1_2] = PTLS_SUPPORTED,
    [PTLS_CAP_TLS1_3] = WSSL_CAP(WSSL_HAS_TLS13, WSSL_WITHOUT("WOLFSSL_TLS13")),
    [PTLS_CAP_DTLS] = WSSL_CAP(WSSL_HAS_DTLS, WSSL_WITHOUT("WOLFSSL_DTLS")),
    [PTLS_CAP_CERT_DER] = PTLS_SUPPORTED,
    [PTLS_CAP_KEY_PASSWORD] = PTLS_SUPPORTED,
    [PTLS_CAP_CERT_CHAIN] = PTLS_SUPPORTED,
    [PTLS_CAP_DUAL_CERT] = WSSL_LIB ": a second key type replaces the first in a wolfSSL context",
    [PTLS_CAP_SNI_CERT] = PTLS_SUPPORTED,
    [PTLS_CAP_CLIENT_VERIFY] = PTLS_SUPPORTED,
    [PTLS_CAP_VERIFY_DEPTH] = PTLS_SUPPORTED,
    [PTLS_CAP_CA_PATH] = PTLS_SUPPORTED,
    [PTLS_CAP_CRL] = PTLS_SUPPORTED,
    [PTLS_CAP_CIPHER_LIST] = PTLS_SUPPORTED,
    [PTLS_CAP_CIPHER_STRING] = WSSL_LIB " parses only some OpenSSL cipher-string keywords, differently; "
                                        "refused for determinism: list suite names",
    [PTLS_CAP_TLS13_CIPHERSUITES] = WSSL_CAP(WSSL_HAS_TLS13, WSSL_WITHOUT("WOLFSSL_TLS13")),
    [PTLS_CAP_GROUPS] = PTLS_SUPPORTED,
    [PTLS_CAP_SIGALGS] = WSSL_CAP(!WSSL_BUG_SIGALGS_NOT_OWN, WSSL_LIB
                                  " cannot restrict the server's own signature algorithm: its sigalgs list "
                                  "only governs client certificates (see client-sigalgs)"),
    [PTLS_CAP_SERVER_PREF] = PTLS_SUPPORTED,
    [PTLS_CAP_SESSION_CACHE] = PTLS_SUPPORTED,
    [PTLS_CAP_TICKETS] = PTLS_SUPPORTED,
    [PTLS_CAP_NUM_TICKETS] = PTLS_SUPPORTED,
    [PTLS_CAP_SESSION_CONTEXT] = PTLS_SUPPORTED,
    [PTLS_CAP_ALPN] = PTLS_SUPPORTED,
    [PTLS_CAP_NPN] = WSSL_LIB " has only a stub for NPN",
    /* The library re-checks the response at every handshake and sends
     * nothing when the check fails, so wssl_ocsp.c runs the same check at
     * startup. TLS 1.3 and DTLS: PTLS_CAP_OCSP_STAPLE_TLS13 and
     * wssl_dtls_check_config. */
    [PTLS_CAP_OCSP_STAPLE] =
        WSSL_CAP(WSSL_HAS_OCSP_STAPLE, WSSL_WITHOUT("HAVE_CERTIFICATE_STATUS_REQUEST") ": no OCSP stapling"),
    [PTLS_CAP_SERVERINFO] = WSSL_LIB " has no serverinfo / custom extension API",
    [PTLS_CAP_PSK] = PTLS_SUPPORTED,
    [PTLS_CAP_PSK_TLS13] = WSSL_CAP(WSSL_HAS_TLS13, WSSL_WITHOUT("WOLFSSL_TLS13")),
    [PTLS_CAP_PSK_HINT] = PTLS_SUPPORTED,
    [PTLS_CAP_SRP] = WSSL_LIB " has no SRP in TLS (wolfCrypt SRP only)",
    [PTLS_CAP_EARLY_DATA] = WSSL_CAP(WSSL_HAS_EARLY_DATA, WSSL_WITHOUT("WOLFSSL_EARLY_DATA")),
    [PTLS_CAP_KEY_UPDATE] = WSSL_CAP(WSSL_HAS_TLS13, WSSL_WITHOUT("WOLFSSL_TLS13")),
    [PTLS_CAP_POST_HANDSHAKE_AUTH] = WSSL_CAP(WSSL_HAS_PHA, WSSL_WITHOUT("WOLFSSL_POST_HANDSHAKE_AUTH")),
#if WSSL_HAS_RENEGOTIATION
    [PTLS_CAP_RENEGOTIATION] = PTLS_SUPPORTED,
    [PTLS_CAP_CLIENT_RENEGOTIATION] = PTLS_SUPPORTED,
    /* A client without renegotiation_info gets secure_renegotiation NULL
     * and wolfSSL refuses any new handshake with it. */
    [PTLS_CAP_LEGACY_RENEGOTIATION] = WSSL_LIB " renegotiates only with clients that support RFC 5746 "
                                               "secure renegotiation",
#else
    [PTLS_CAP_RENEGOTIATION] = WSSL_NO_RENEG_REASON,
    [PTLS_CAP_CLIENT_RENEGOTIATION] = WSSL_NO_RENEG_REASON,
    [PTLS_CAP_LEGACY_RENEGOTIATION] = WSSL_NO_RENEG_REASON,
#endif
    [PTLS_CAP_KEYLOG] = PTLS_SUPPORTED,
    [PTLS_CAP_KEYLOG_TLS13] =
        WSSL_CAP(WSSL_HAS_SECRET_CB, WSSL_WITHOUT("HAVE_SECRET_CALLBACK") ": TLS 1.3 secrets cannot be read"),
    [PTLS_CAP_EXPORT_KEYING] = PTLS_SUPPORTED,
    [PTLS_CAP_MAX_SEND_FRAG] = WSSL_LIB " has no API to cap the send fragment (only the client-side max "
                                        "fragment extension)",
    [PTLS_CAP_RECORD_PADDING] = WSSL_LIB " has no TLS 1.3 record padding",
    [PTLS_CAP_ANON_DH] = PTLS_SUPPORTED,
    [PTLS_CAP_DHPARAM] = PTLS_SUPPORTED,
    [PTLS_CAP_NO_DHE] = PTLS_SUPPORTED,
#if defined(WOLFSSL_SRTP)
    [PTLS_CAP_SRTP] = "polytls has no -use_srtp profile list in its configuration (config.h) yet; " WSSL_LIB
                      " itself could (WOLFSSL_SRTP)",
#else
    [PTLS_CAP_SRTP] = WSSL_WITHOUT("WOLFSSL_SRTP"),
#endif
#if defined(DEBUG_WOLFSSL)
    [PTLS_CAP_TRACE] = WSSL_LIB "'s message callback misses messages (no ClientHello, little for TLS 1.3)",
#else
    [PTLS_CAP_TRACE] = WSSL_WITHOUT("DEBUG_WOLFSSL") " and its message callback misses messages (no "
                                                     "ClientHello, little for TLS 1.3)",
#endif
    [PTLS_CAP_STATE] = WSSL_LIB "'s info callback reports only part of the handshake states",
    [PTLS_CAP_PRIORITIZE_CHACHA] = WSSL_LIB " has no ChaCha20 prioritisation option",
    [PTLS_CAP_NO_ETM] = WSSL_LIB ": disabling encrypt-then-MAC could not be verified to take effect",
    [PTLS_CAP_NO_EMS] = WSSL_LIB " keeps negotiating extended master secret after "
                                 "wolfSSL_(CTX_)DisableExtendedMasterSecret (tested)",
    [PTLS_CAP_NO_CA_NAMES] = WSSL_LIB " sends no CA names in CertificateRequest even when given a list, so "
                                      "the default cannot match s_server",
    [PTLS_CAP_ID_PREFIX] = WSSL_LIB " has no session ID generation callback",
    [PTLS_CAP_SELF_SIGNED] = PTLS_SUPPORTED,
#if WSSL_BUG_SIGALGS_NOT_OWN
    [PTLS_CAP_CLIENT_SIGALGS] = WSSL_LIB " applies its sigalgs list to the TLS 1.2 CertificateRequest only, "
                                         "not to TLS 1.3",
#else
    [PTLS_CAP_CLIENT_SIGALGS] =
        WSSL_LIB " has one signature algorithm list for CertificateRequest and its own "
                 "signature: a client list would restrict the server's signature too "
                 "(-sigalgs sets both, as s_server does without -client_sigalgs)",
#endif
    [PTLS_CAP_DTLS1_0] = WSSL_CAP(WSSL_HAS_DTLS && WSSL_HAS_TLS11,
                                  WSSL_LIB " is built with NO_OLD_TLS or without WOLFSSL_DTLS"),
    [PTLS_CAP_DTLS1_2] = WSSL_CAP(WSSL_HAS_DTLS, WSSL_WITHOUT("WOLFSSL_DTLS")),
#if !WSSL_HAS_OCSP_STAPLE
    [PTLS_CAP_OCSP_STAPLE_TLS13] = WSSL_WITHOUT("HAVE_CERTIFICATE_STATUS_REQUEST") ": no OCSP stapling",
#elif WSSL_BUG_OCSP_TLS13_LEAK
    /* See WSSL_BUG_OCSP_TLS13_LEAK: TLS 1.2 stapling is clean. */
    [PTLS_CAP_OCSP_STAPLE_TLS13] = WSSL_LIB " leaks about 6 KB per TLS 1.3 stapled handshake (TLSX_CSR_Parse "
                                            "frees the parsed server certificate without FreeDecodedCert)",
#else
    [PTLS_CAP_OCSP_STAPLE_TLS13] = WSSL_CAP(WSSL_HAS_TLS13, WSSL_WITHOUT("WOLFSSL_TLS13")),
#endif
#if WSSL_HAS_DTLS13
    [PTLS_CAP_DTLS1_3] = PTLS_SUPPORTED,
#else
    [PTLS_CAP_DTLS1_3] = WSSL_NO_DTLS13_REASON,
#endif
    [PTLS_CAP_MLKEM] = WSSL_CAP(WSSL_HAS_MLKEM && WSSL_HAS_TLS13, WSSL_WITHOUT("WOLFSSL_HAVE_MLKEM")),
    /* ML-DSA (Dilithium) server certificates: not in this build's
     * --enable-all set; they need --enable-mldsa and its TLS hooks. */
    [PTLS_CAP_MLDSA] = WSSL_LIB " is built without ML-DSA (HAVE_DILITHIUM)",
};

static const char *wssl_library_version(void)
{
    static char buf[64];

    snprintf(buf, sizeof(buf), "wolfSSL %s", wolfSSL_lib_version());
    return buf;
}

static int wssl_global_init(const ptls_host *host, char *err, size_t errlen)
{
    wssl_host = host;
    if (wolfSSL_Init() != WOLFSSL_SUCCESS) {
        wssl_set_err(err, errlen, "wolfSSL_Init failed");
        return -1;
    }
    wssl_conn_index = wolfSSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
    if (wssl_conn_index < 0) {
        wssl_set_err(err, errlen, "wolfSSL_get_ex_new_index failed");
        wolfSSL_Cleanup();
        return -1;
    }
    return 0;
}

static void wssl_global_cleanup(void)
{
    wolfSSL_Cleanup();
}

/* Refusals that depend on values, reported before anything is loaded. */
static int wssl_check_config(const ptls_config *cfg,
                             void (*refuse)(void *arg, const char *option, const char *reason), void *arg)
{
    char why[320];
    int n = 0, i;

    /* -keylogfile, -psk and -status_file with TLS 1.3 are refused by the
     * core from the *_TLS13 capabilities before this runs. */
#if !WSSL_HAS_TLS10
    if (!cfg->dtls && cfg->min_version < PTLS_TLS1_1) {
        refuse(arg, "-min_protocol", WSSL_NO_TLS10_REASON);
        n++;
    }
#endif
    for (i = 0; wssl_host != NULL && i < cfg->n_cipher_ids; i++) {
        const char *name = wssl_host->cipher_iana_name(cfg->cipher_ids[i]);
        if (name == NULL || !wssl_cipher_known(name)) {
            snprintf(why, sizeof(why), "suite %s (0x%04x) is not available in " WSSL_LIB, name ? name : "?",
                     cfg->cipher_ids[i]);
            refuse(arg, "-cipher", why);
            n++;
        }
    }
    for (i = 0; wssl_host != NULL && i < cfg->n_tls13_ids; i++) {
        const char *name = wssl_host->cipher_iana_name(cfg->tls13_ids[i]);
        if (name == NULL || !wssl_cipher_known(name)) {
            snprintf(why, sizeof(why), "suite %s (0x%04x) is not available in " WSSL_LIB, name ? name : "?",
                     cfg->tls13_ids[i]);
            refuse(arg, "-ciphersuites", why);
            n++;
        }
    }
    for (i = 0; i < cfg->n_group_ids; i++) {
        if (!wssl_group_supported(cfg->group_ids[i])) {
            char have[200];
            wssl_groups_available(have, sizeof have);
            snprintf(why, sizeof(why), "group 0x%04x is not available in " WSSL_LIB " (%s)",
                     cfg->group_ids[i], have);
            refuse(arg, "-groups", why);
            n++;
        }
    }
    /* Tested against openssl s_client: the curve mask that
     * set1_curves_list stores is not honoured by TLS 1.2 ECDHE (a P-384-only
     * list still negotiates P-256), and lists mixing X25519 with NIST
     * curves make it pick a curve the client did not offer. TLS 1.3 key
     * shares follow the list exactly. */
    if (!cfg->dtls && cfg->n_group_ids > 0 && cfg->min_version <= PTLS_TLS1_2) {
        refuse(arg, "-groups",
               WSSL_LIB " does not restrict TLS 1.2 ECDHE curves to the list; with -groups use -tls1_3 "
                        "(or -min_protocol TLSv1.3)");
        n++;
    }
    if (cfg->n_group_ids > 10) {
        refuse(arg, "-groups", WSSL_LIB " takes at most 10 groups");
        n++;
    }
    if (cfg->n_sigalg_ids > 0 && WSSL_BUG_SIGALGS_NOT_OWN) {
        refuse(arg, "-sigalgs", WSSL_LIB " cannot restrict the server's own signature algorithm");
        n++;
    }
    for (i = 0; !WSSL_BUG_SIGALGS_NOT_OWN && i < cfg->n_sigalg_ids; i++) {
        if (wssl_sigalg_name(cfg->sigalg_ids[i]) == NULL) {
            snprintf(why, sizeof(why),
                     "signature scheme 0x%04x cannot be set in " WSSL_LIB
                     " (rsa_pss_pss_* and legacy schemes are not addressable)",
                     cfg->sigalg_ids[i]);
            refuse(arg, "-sigalgs", why);
            n++;
        }
    }
    for (i = 0; i < cfg->n_client_sigalg_ids; i++) {
        if (wssl_sigalg_name(cfg->client_sigalg_ids[i]) == NULL) {
            snprintf(why, sizeof(why),
                     "signature scheme 0x%04x cannot be set in " WSSL_LIB
                     " (rsa_pss_pss_* and legacy schemes are not addressable)",
                     cfg->client_sigalg_ids[i]);
            refuse(arg, "-client_sigalgs", why);
            n++;
        }
    }
    if (cfg->dhparam != NULL && cfg->no_dhe) {
        refuse(arg, "-dhparam", "conflicts with -no_dhe");
        n++;
    }
    if (cfg->nocert && cfg->psk == NULL && cfg->no_dhe) {
        refuse(arg, "-nocert", "anonymous DH needs DH parameters, which -no_dhe removes");
        n++;
    }
    if (cfg->context != NULL && strlen(cfg->context) > 32) {
        refuse(arg, "-context", "a session ID context is at most 32 bytes");
        n++;
    }
    /* WSSL_BUG_OCSP_CHECKED_AT_HANDSHAKE: the library checks the staple
     * against the certificate it goes with (wssl_ocsp.c), and one response
     * is about one certificate. Otherwise both certificates get the file,
     * as s_server does. */
    if (WSSL_BUG_OCSP_CHECKED_AT_HANDSHAKE && cfg->status_file != NULL && cfg->cert2.cert != NULL) {
        refuse(arg, "-status_file",
               "-status_file with -cert2: " WSSL_LIB " staples a response only with the certificate it is "
               "about, and one -status_file names one certificate");
        n++;
    }
    if (cfg->dtls) n += wssl_dtls_check_config(cfg, refuse, arg);
    return n;
}

static const ptls_backend wssl_backend = {
    .abi = PTLS_BACKEND_ABI,
    .name = PTLS_BACKEND_NAME,
    .prefix = "wssl",
    .cap_count = PTLS_CAP__COUNT,
    .caps = wssl_caps,
    .library_version = wssl_library_version,
    .global_init = wssl_global_init,
    .global_cleanup = wssl_global_cleanup,
    .check_config = wssl_check_config,
    .server_new = wssl_server_new,
    .server_free = wssl_server_free,
    .conn_new = wssl_conn_new,
    .handshake = wssl_handshake,
    .read = wssl_read,
    .write = wssl_write,
    .shutdown = wssl_shutdown,
    .pending = wssl_pending,
    .get_info = wssl_get_info,
    .last_error = wssl_last_error,
    .conn_free = wssl_conn_free,
#if WSSL_HAS_RENEGOTIATION
    .renegotiate = wssl_renegotiate,
    .renegotiation_pending = wssl_renegotiation_pending,
#else
    .renegotiate = NULL, /* WSSL_NO_RENEG_REASON */
#endif
    .key_update = wssl_key_update,
    .request_client_cert = wssl_request_client_cert,
    .export_keying_material = wssl_export_keying_material,
    .make_selfsigned = wssl_make_selfsigned,
    .last_error_code = wssl_last_error_code,
    .enabled_ciphers = wssl_enabled_ciphers,
    .dtls_accept = wssl_dtls_accept,
    .dtls_next_timeout_ms = wssl_dtls_next_timeout_ms,
    .dtls_timeout = wssl_dtls_timeout,
};

__attribute__((visibility("default"))) const ptls_backend *polytls_backend_v1(void);

__attribute__((visibility("default"))) const ptls_backend *polytls_backend_v1(void)
{
    return &wssl_backend;
}
