/*
 * OpenSSL 3.0 backend: the ops table, the capability table, process-wide
 * setup and the configuration checks that depend on values.
 *
 * This is the reference backend: it implements every capability OpenSSL 3.0
 * has for the fields in config.h; the refused ones name what is missing.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>

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

#define S PTLS_SUPPORTED
static const char *const ossl_caps[PTLS_CAP__COUNT] = {
    [PTLS_CAP_TLS1_0] = S,
    [PTLS_CAP_TLS1_1] = S,
    [PTLS_CAP_TLS1_2] = S,
    [PTLS_CAP_TLS1_3] = S,
    [PTLS_CAP_DTLS] = S,
    [PTLS_CAP_CERT_DER] = S,
    [PTLS_CAP_KEY_PASSWORD] = S,
    [PTLS_CAP_CERT_CHAIN] = S,
    [PTLS_CAP_DUAL_CERT] = S,
    [PTLS_CAP_SNI_CERT] = S,
    [PTLS_CAP_CLIENT_VERIFY] = S,
    [PTLS_CAP_VERIFY_DEPTH] = S,
    [PTLS_CAP_CA_PATH] = S,
    [PTLS_CAP_CRL] = S,
    [PTLS_CAP_CIPHER_LIST] = S,
    [PTLS_CAP_CIPHER_STRING] = S,
    [PTLS_CAP_TLS13_CIPHERSUITES] = S,
    [PTLS_CAP_GROUPS] = S,
    [PTLS_CAP_SIGALGS] = S,
    [PTLS_CAP_SERVER_PREF] = S,
    [PTLS_CAP_SESSION_CACHE] = S,
    [PTLS_CAP_TICKETS] = S,
    [PTLS_CAP_NUM_TICKETS] = S,
    [PTLS_CAP_SESSION_CONTEXT] = S,
    [PTLS_CAP_ALPN] = S,
    [PTLS_CAP_NPN] = S,
    [PTLS_CAP_OCSP_STAPLE] = S,
    [PTLS_CAP_SERVERINFO] = ("polytls has no -serverinfo field in its configuration (config.h) yet; "
                             "OpenSSL 3.0 itself could (SSL_CTX_use_serverinfo_file)"),
    [PTLS_CAP_PSK] = S,
    [PTLS_CAP_PSK_TLS13] = S,
    [PTLS_CAP_PSK_HINT] = S,
    [PTLS_CAP_SRP] = "SRP is deprecated in OpenSSL 3.0 and polytls has no SRP verifier options (config.h)",
    [PTLS_CAP_EARLY_DATA] = S,
    [PTLS_CAP_KEY_UPDATE] = S,
    [PTLS_CAP_POST_HANDSHAKE_AUTH] = S,
    [PTLS_CAP_RENEGOTIATION] = S,
    [PTLS_CAP_CLIENT_RENEGOTIATION] = S,
    [PTLS_CAP_LEGACY_RENEGOTIATION] = S,
    [PTLS_CAP_KEYLOG] = S,
    [PTLS_CAP_KEYLOG_TLS13] = S,
    [PTLS_CAP_EXPORT_KEYING] = S,
    [PTLS_CAP_MAX_SEND_FRAG] = S,
    [PTLS_CAP_RECORD_PADDING] = S,
    [PTLS_CAP_ANON_DH] = S,
    [PTLS_CAP_DHPARAM] = S,
    [PTLS_CAP_NO_DHE] = S,
    [PTLS_CAP_SRTP] = ("polytls has no -use_srtp profile list in its configuration (config.h) yet; "
                       "OpenSSL 3.0 itself could (SSL_CTX_set_tlsext_use_srtp)"),
    [PTLS_CAP_TRACE] = S,
    [PTLS_CAP_STATE] = S,
    [PTLS_CAP_PRIORITIZE_CHACHA] = S,
    [PTLS_CAP_NO_ETM] = S,
    [PTLS_CAP_NO_EMS] = S,
    [PTLS_CAP_NO_CA_NAMES] = S,
    [PTLS_CAP_ID_PREFIX] = S,
    [PTLS_CAP_SELF_SIGNED] = S,
    [PTLS_CAP_CLIENT_SIGALGS] = S,
    [PTLS_CAP_DTLS1_0] = S,
    [PTLS_CAP_DTLS1_2] = S,
    [PTLS_CAP_OCSP_STAPLE_TLS13] = S,
};
#undef S

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
        int known = groups ? ossl_group_nid(ids[i]) != 0 : ossl_sigalg_name(ids[i]) != NULL;
        if (!known) {
            char reason[128];
            snprintf(reason, sizeof(reason), "OpenSSL 3.0 has no %s 0x%04x",
                     groups ? "group" : "signature scheme", ids[i]);
            refuse(arg, option, reason);
            bad++;
        }
    }
    return bad;
}

/* DTLS: OpenSSL 3.0 speaks DTLS 1.0 and 1.2 only, so what exists only in
 * TLS 1.3 can never take effect. NPN is advertised over DTLS, but the DTLS
 * server state machine then fails the handshake on the client's
 * NextProtocol message (seen with openssl s_server/s_client -dtls1_2
 * -nextprotoneg: unexpected_message in ossl_statem_server_read_transition). */
static int ossl_check_dtls(const ptls_config *cfg, ossl_refuse_fn refuse, void *arg)
{
    static const char no13[] = "TLS 1.3 only, and OpenSSL 3.0 has no DTLS 1.3";
    int n = 0;
    if (cfg->dtls_mtu != 0 && cfg->dtls_mtu < 256) {
        refuse(arg, "-mtu", "OpenSSL 3.0 takes a DTLS link MTU of at least 256 bytes");
        n++;
    }
    if (cfg->npn_wire != NULL) {
        refuse(arg, "-nextprotoneg",
               "OpenSSL 3.0 fails DTLS handshakes with NPN (unexpected_message on the client's "
               "NextProtocol); NPN works over TLS only");
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
    if (cfg->psk != NULL && cfg->psk_len > PSK_MAX_PSK_LEN) {
        refuse(arg, "-psk", "OpenSSL 3.0 takes PSKs of at most 512 bytes");
        n++;
    }
    if (cfg->context != NULL && strlen(cfg->context) > SSL_MAX_SID_CTX_LENGTH) {
        refuse(arg, "-context", "OpenSSL 3.0 takes a session id context of at most 32 bytes");
        n++;
    }
    if (cfg->id_prefix != NULL && strlen(cfg->id_prefix) > SSL_MAX_SSL_SESSION_ID_LENGTH) {
        refuse(arg, "-id_prefix", "longer than a session id (32 bytes)");
        n++;
    }
    if (cfg->max_send_frag != 0 && (cfg->max_send_frag < 512 || cfg->max_send_frag > 16384)) {
        refuse(arg, "-max_send_frag", "OpenSSL 3.0 takes 512..16384");
        n++;
    }
    if (cfg->record_padding < 0 || cfg->record_padding > 16384) {
        refuse(arg, "-record_padding", "OpenSSL 3.0 takes a block size of at most 16384");
        n++;
    }
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
    return &ossl_backend;
}
