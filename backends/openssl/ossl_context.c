/*
 * server_new: the whole validated configuration applied to an SSL_CTX.
 *
 * Every setting whose OpenSSL default differs from another backend's is set
 * explicitly in both directions (options set or cleared), so that the
 * configuration alone decides behaviour. With -cert2 a second context is
 * built by the same function with the other keypair: SNI switches to it with
 * SSL_set_SSL_CTX, which takes certificates and several callbacks from it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/rand.h>

#include "ossl_private.h"

#define OSSL_DEFAULT_SID_CTX "polytls"

static void ossl_set_opt(SSL_CTX *ctx, uint64_t op, int on)
{
    if (on)
        SSL_CTX_set_options(ctx, op);
    else
        SSL_CTX_clear_options(ctx, op);
}

static int ossl_setting_failed(char *err, size_t errlen, const char *setting)
{
    char prefix[256];
    snprintf(prefix, sizeof(prefix), "OpenSSL rejected %s", setting);
    ossl_collect_errors(err, errlen, prefix);
    return -1;
}

static int ossl_apply_versions(SSL_CTX *ctx, const ptls_config *cfg, char *err, size_t errlen)
{
    if (!SSL_CTX_set_min_proto_version(ctx, cfg->min_version) ||
        !SSL_CTX_set_max_proto_version(ctx, cfg->max_version))
        return ossl_setting_failed(err, errlen, "the protocol version range");
    /* OpenSSL (3.0 and later) runs at security level 2 by default, which rules out TLS
     * 1.0/1.1 (SHA-1 signatures) and anonymous suites. Level 0 only when the
     * configuration asks for one of those; an explicit @SECLEVEL in -cipher
     * is applied afterwards and wins. DTLS 1.0 is ruled out the same way
     * (DTLS numbers run backwards: DTLS 1.0 is 0xfeff). */
    int legacy = cfg->dtls ? cfg->min_version == PTLS_DTLS1_0 : cfg->min_version < PTLS_TLS1_2;
    if (legacy || cfg->nocert) SSL_CTX_set_security_level(ctx, 0);
    return 0;
}

static int ossl_apply_ciphers(SSL_CTX *ctx, const ptls_config *cfg, char *err, size_t errlen)
{
    if (cfg->cipher_string != NULL) {
        /* Plain suite names arrive resolved to IANA ids; OpenSSL takes only
         * its own names, so a list typed with IANA names is rebuilt from the
         * ids. Keyword strings (n_cipher_ids < 0) go to OpenSSL as typed. */
        char names[8192];
        const char *list = cfg->cipher_string;
        if (cfg->n_cipher_ids >= 0) {
            if (ossl_cipher_list_from_ids(cfg->cipher_ids, cfg->n_cipher_ids, names, sizeof(names), err,
                                          errlen) != 0)
                return -1;
            list = names;
        }
        if (!SSL_CTX_set_cipher_list(ctx, list))
            return ossl_setting_failed(err, errlen, "-cipher (no usable TLS <= 1.2 suite)");
    } else if (cfg->nocert) {
        /* Without a certificate only anonymous (and PSK) suites can work.
         * Not "DEFAULT:aNULL": DEFAULT removes aNULL with "!", and a suite
         * removed that way cannot be added back. */
        if (!SSL_CTX_set_cipher_list(ctx, "aNULL:PSK"))
            return ossl_setting_failed(err, errlen, "the anonymous cipher list");
    }
    if (cfg->ciphersuites != NULL && !SSL_CTX_set_ciphersuites(ctx, cfg->ciphersuites))
        return ossl_setting_failed(err, errlen, "-ciphersuites");

    char list[1024];
    if (cfg->n_group_ids > 0) {
        if (ossl_group_list(cfg->group_ids, cfg->n_group_ids, list, sizeof(list), err, errlen) != 0)
            return -1;
        if (!SSL_CTX_set1_groups_list(ctx, list)) return ossl_setting_failed(err, errlen, "-groups");
    }
    if (cfg->n_sigalg_ids > 0) {
        if (ossl_sigalg_list(cfg->sigalg_ids, cfg->n_sigalg_ids, list, sizeof(list), err, errlen) != 0)
            return -1;
        if (!SSL_CTX_set1_sigalgs_list(ctx, list)) return ossl_setting_failed(err, errlen, "-sigalgs");
    }
    if (cfg->n_client_sigalg_ids > 0) {
        if (ossl_sigalg_list(cfg->client_sigalg_ids, cfg->n_client_sigalg_ids, list, sizeof(list), err,
                             errlen) != 0)
            return -1;
        if (!SSL_CTX_set1_client_sigalgs_list(ctx, list))
            return ossl_setting_failed(err, errlen, "-client_sigalgs");
    }
    ossl_set_opt(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE, cfg->server_pref);
    ossl_set_opt(ctx, SSL_OP_PRIORITIZE_CHACHA, cfg->prioritize_chacha);
    return 0;
}

static int ossl_apply_sessions(SSL_CTX *ctx, const ptls_config *cfg, char *err, size_t errlen)
{
    SSL_CTX_set_session_cache_mode(ctx, cfg->session_cache ? SSL_SESS_CACHE_SERVER : SSL_SESS_CACHE_OFF);
    ossl_set_opt(ctx, SSL_OP_NO_TICKET, !cfg->tickets);
    if (!SSL_CTX_set_num_tickets(ctx, (size_t)cfg->num_tickets))
        return ossl_setting_failed(err, errlen, "-num_tickets");
    /* A session id context is needed for resumption with client
     * certificates (OpenSSL refuses to resume without one), so there is
     * always one. */
    const char *sid = cfg->context ? cfg->context : OSSL_DEFAULT_SID_CTX;
    if (!SSL_CTX_set_session_id_context(ctx, (const unsigned char *)sid, (unsigned int)strlen(sid)))
        return ossl_setting_failed(err, errlen, "-context (at most 32 bytes)");
    return 0;
}

static int ossl_apply_misc(SSL_CTX *ctx, const ptls_config *cfg, char *err, size_t errlen)
{
    /* Partial writes and a moving buffer: the core's non-blocking loop
     * retries a write with whatever it still holds. Released buffers: an
     * idle connection would otherwise keep ~34 kB of record buffers, which
     * matters with hundreds of idle clients. */
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                              SSL_MODE_RELEASE_BUFFERS);
    if (cfg->max_send_frag > 0 && !SSL_CTX_set_max_send_fragment(ctx, (long)cfg->max_send_frag))
        return ossl_setting_failed(err, errlen, "-max_send_frag (512..16384)");
    if (cfg->record_padding > 0 && !SSL_CTX_set_block_padding(ctx, (size_t)cfg->record_padding))
        return ossl_setting_failed(err, errlen, "-record_padding (at most 16384)");
    ossl_set_opt(ctx, SSL_OP_NO_ENCRYPT_THEN_MAC, cfg->no_etm);
    ossl_set_opt(ctx, SSL_OP_NO_EXTENDED_MASTER_SECRET, cfg->no_ems);
    ossl_set_opt(ctx, SSL_OP_NO_RENEGOTIATION, cfg->no_renegotiation);
    ossl_set_opt(ctx, SSL_OP_ALLOW_CLIENT_RENEGOTIATION, cfg->client_renegotiation);
    ossl_set_opt(ctx, SSL_OP_ALLOW_UNSAFE_LEGACY_RENEGOTIATION, cfg->legacy_renegotiation);

    if (cfg->early_data) {
        /* -early_data without a size: one full record, as s_server. */
        uint32_t max = cfg->max_early_data ? cfg->max_early_data : 16384;
        if (!SSL_CTX_set_max_early_data(ctx, max) || !SSL_CTX_set_recv_max_early_data(ctx, max))
            return ossl_setting_failed(err, errlen, "-max_early_data");
    } else {
        SSL_CTX_set_max_early_data(ctx, 0);
    }

    /* Ephemeral DH: -dhparam, else parameters matched to the key size
     * (s_server's default); -no_dhe installs none, so no DHE suite can be
     * chosen. */
    if (cfg->no_dhe) {
        /* -no_dhe wins over -dhparam (as in s_server), but the file is still
         * read so that a wrong path does not go unnoticed. */
        if (cfg->dhparam != NULL && ossl_load_dhparam(ctx, cfg->dhparam, 0, err, errlen) != 0) return -1;
    } else {
        if (cfg->dhparam != NULL) {
            if (ossl_load_dhparam(ctx, cfg->dhparam, 1, err, errlen) != 0) return -1;
        } else if (!SSL_CTX_set_dh_auto(ctx, 1)) {
            return ossl_setting_failed(err, errlen, "automatic DH parameters");
        }
    }

    if (cfg->psk != NULL && cfg->psk_hint != NULL && !SSL_CTX_use_psk_identity_hint(ctx, cfg->psk_hint))
        return ossl_setting_failed(err, errlen, "-psk_hint");

    int mode = SSL_VERIFY_NONE;
    if (cfg->verify_mode == PTLS_VERIFY_REQUEST) mode = SSL_VERIFY_PEER | SSL_VERIFY_CLIENT_ONCE;
    if (cfg->verify_mode == PTLS_VERIFY_REQUIRE)
        mode = SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT | SSL_VERIFY_CLIENT_ONCE;
    /* No verify callback: OpenSSL's default fails the handshake on any
     * verification error (s_server's callback would ignore them). */
    SSL_CTX_set_verify(ctx, mode, NULL);
    return 0;
}

/* One context with one identity (main: cert + dcert; alternate: cert2). */
static SSL_CTX *ossl_ctx_new(ossl_server *srv, const ptls_config *cfg, const ptls_keypair *kp,
                             const ptls_keypair *kp_dual, char *err, size_t errlen)
{
    SSL_CTX *ctx = SSL_CTX_new(cfg->dtls ? DTLS_server_method() : TLS_server_method());
    if (ctx == NULL) {
        ossl_collect_errors(err, errlen, "SSL_CTX_new");
        return NULL;
    }
    if (ossl_apply_versions(ctx, cfg, err, errlen) != 0 || ossl_apply_ciphers(ctx, cfg, err, errlen) != 0 ||
        ossl_apply_sessions(ctx, cfg, err, errlen) != 0 || ossl_apply_misc(ctx, cfg, err, errlen) != 0 ||
        ossl_proto_apply(ctx, srv, cfg, err, errlen) != 0 || ossl_load_verify(ctx, cfg, err, errlen) != 0 ||
        ossl_apply_verify_policy(ctx, cfg, err, errlen) != 0)
        goto fail;
    if (kp != NULL && kp->cert != NULL &&
        ossl_load_keypair(ctx, kp, kp == &cfg->cert2 ? "-cert2" : "-cert", err, errlen) != 0)
        goto fail;
    if (kp_dual != NULL && kp_dual->cert != NULL &&
        ossl_load_keypair(ctx, kp_dual, "-dcert", err, errlen) != 0)
        goto fail;
    if (ossl_build_chain(ctx, cfg, err, errlen) != 0) goto fail;
    ossl_install_callbacks(ctx, srv, cfg);
    if (cfg->dtls) ossl_install_dtls_callbacks(ctx);
    if (ossl_proto_apply_late(ctx, srv, cfg, err, errlen) != 0) goto fail;
    if (srv->stateless) ossl_proto_install_stateless(ctx);
    return ctx;
fail:
    SSL_CTX_free(ctx);
    return NULL;
}

#if OSSL_STAPLES_MATCHING_RESPONSES_ONLY
/* Whether a single response of bs is about x: the library's own test
 * (serial, and issuer name hash with the CertID's hash). */
static int ossl_ocsp_is_about(OCSP_BASICRESP *bs, X509 *x)
{
    for (int i = 0; i < OCSP_resp_count(bs); i++) {
        ASN1_OCTET_STRING *name_hash = NULL;
        ASN1_OBJECT *md_oid = NULL;
        ASN1_INTEGER *serial = NULL;
        OCSP_CERTID *id = (OCSP_CERTID *)OCSP_SINGLERESP_get0_id(OCSP_resp_get0(bs, i));
        if (id == NULL || !OCSP_id_get0_info(&name_hash, &md_oid, NULL, &serial, id)) continue;
        char md_name[80];
        OBJ_obj2txt(md_name, sizeof(md_name), md_oid, 0);
        EVP_MD *md = EVP_MD_fetch(NULL, md_name, NULL);
        unsigned char hash[EVP_MAX_MD_SIZE];
        unsigned int len = 0;
        /* ASN1_STRING is opaque in OpenSSL 4.0: its accessors, not fields. */
        int ok = md != NULL && X509_NAME_digest(X509_get_issuer_name(x), md, hash, &len) &&
                 name_hash != NULL && (unsigned int)ASN1_STRING_length(name_hash) == len &&
                 memcmp(ASN1_STRING_get0_data(name_hash), hash, len) == 0 &&
                 ASN1_INTEGER_cmp(X509_get0_serialNumber(x), serial) == 0;
        EVP_MD_free(md);
        if (ok) return 1;
    }
    return 0;
}

static void ossl_serial_hex(const ASN1_INTEGER *serial, char *out, size_t outlen)
{
    BIGNUM *bn = ASN1_INTEGER_to_BN(serial, NULL);
    char *hex = bn != NULL ? BN_bn2hex(bn) : NULL;
    snprintf(out, outlen, "%s", hex != NULL ? hex : "?");
    OPENSSL_free(hex);
    BN_free(bn);
}

/* -status_file is never silently ignored: with a library that staples only
 * responses about the served certificate, every certificate the server may
 * serve (-cert, -dcert, -cert2) must be one the response is about. */
static int ossl_check_staple(SSL_CTX *ctx, const char *file, const unsigned char *der, size_t der_len,
                             char *err, size_t errlen)
{
    const unsigned char *p = der;
    OCSP_RESPONSE *resp = d2i_OCSP_RESPONSE(NULL, &p, (long)der_len);
    OCSP_BASICRESP *bs = NULL;
    int rc = 0;
    /* Unsuccessful responses, and ones without a basic response, go out as
     * they are. */
    if (resp == NULL || OCSP_response_status(resp) != OCSP_RESPONSE_STATUS_SUCCESSFUL ||
        (bs = OCSP_response_get1_basic(resp)) == NULL || OCSP_resp_count(bs) == 0)
        goto done;
    for (int more = SSL_CTX_set_current_cert(ctx, SSL_CERT_SET_FIRST); more && rc == 0;
         more = SSL_CTX_set_current_cert(ctx, SSL_CERT_SET_NEXT)) {
        X509 *x = SSL_CTX_get0_certificate(ctx);
        if (x == NULL) continue;
        char serial[128];
        ossl_serial_hex(X509_get0_serialNumber(x), serial, sizeof(serial));
        if (X509_self_signed(x, 0)) {
            snprintf(
                err, errlen,
                "-status_file %s: the certificate with serial %s is self-signed, and %s staples nothing for "
                "a self-signed certificate",
                file, serial, ossl_lib_name());
            rc = -1;
        } else if (!ossl_ocsp_is_about(bs, x)) {
            char about[128];
            ASN1_INTEGER *first = NULL;
            OCSP_id_get0_info(NULL, NULL, NULL, &first,
                              (OCSP_CERTID *)OCSP_SINGLERESP_get0_id(OCSP_resp_get0(bs, 0)));
            ossl_serial_hex(first, about, sizeof(about));
            snprintf(
                err, errlen,
                "-status_file %s is about serial %s, not the served certificate (serial %s), and %s staples "
                "a response only about the certificate it serves",
                file, about, serial, ossl_lib_name());
            rc = -1;
        }
    }
    SSL_CTX_set_current_cert(ctx, SSL_CERT_SET_FIRST);
done:
    OCSP_BASICRESP_free(bs);
    OCSP_RESPONSE_free(resp);
    ERR_clear_error();
    return rc;
}
#endif

static void *ossl_memdup(const void *p, size_t n)
{
    void *q = malloc(n ? n : 1);
    if (q != NULL && n) memcpy(q, p, n);
    return q;
}

void *ossl_server_new(const ptls_config *cfg, char *err, size_t errlen)
{
    ERR_clear_error();
    ossl_server *srv = calloc(1, sizeof(*srv));
    if (srv == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    srv->alpn = cfg->alpn_wire != NULL;
    srv->keylog = cfg->keylog;
    srv->trace = cfg->trace;
    srv->state = cfg->state;
    srv->early_data = cfg->early_data;
    srv->verify_mode = cfg->verify_mode;
    srv->sni_policy = cfg->cert2.cert != NULL || cfg->servername != NULL;
    srv->max_send_frag = cfg->max_send_frag;
    srv->dtls = cfg->dtls;
    srv->dtls_mtu = cfg->dtls_mtu;
    if (ossl_proto_global(cfg, err, errlen) != 0 || ossl_proto_server_new(srv, cfg, err, errlen) != 0)
        goto fail;
    /* One cookie key for the server's life: a ClientHello carrying a cookie
     * is checked by a fresh SSL, and -workers share it (forked later). */
    if ((cfg->dtls || srv->stateless) &&
        RAND_bytes(srv->cookie_secret, (int)sizeof(srv->cookie_secret)) != 1) {
        ossl_collect_errors(err, errlen, "RAND_bytes (DTLS cookie secret)");
        goto fail;
    }

    if (cfg->npn_wire != NULL) {
        srv->npn = ossl_memdup(cfg->npn_wire, cfg->npn_wire_len);
        srv->npn_len = cfg->npn_wire_len;
        if (srv->npn == NULL) goto oom;
    }
    if (cfg->psk != NULL) {
        srv->psk = ossl_memdup(cfg->psk, cfg->psk_len);
        srv->psk_len = cfg->psk_len;
        srv->psk_identity = strdup(cfg->psk_identity ? cfg->psk_identity : "Client_identity");
        if (srv->psk == NULL || srv->psk_identity == NULL) goto oom;
    }
    if (cfg->id_prefix != NULL) {
        srv->id_prefix_len = strlen(cfg->id_prefix);
        srv->id_prefix = ossl_memdup(cfg->id_prefix, srv->id_prefix_len);
        if (srv->id_prefix == NULL) goto oom;
    }
    if (cfg->status_file != NULL) {
        if (ossl_read_file(cfg->status_file, &srv->ocsp, &srv->ocsp_len) != 0) {
            snprintf(err, errlen, "cannot read -status_file %s", cfg->status_file);
            goto fail;
        }
        /* Parse it once now so that a wrong file fails at start, not in
         * every handshake. */
        const unsigned char *p = srv->ocsp;
        OCSP_RESPONSE *resp = d2i_OCSP_RESPONSE(NULL, &p, (long)srv->ocsp_len);
        if (resp == NULL) {
            char prefix[600];
            snprintf(prefix, sizeof(prefix), "-status_file %s is not a DER OCSP response", cfg->status_file);
            ossl_collect_errors(err, errlen, prefix);
            goto fail;
        }
        OCSP_RESPONSE_free(resp);
    }
    if (cfg->trace) {
        srv->trace_out = BIO_new_fp(stdout, BIO_NOCLOSE);
        if (srv->trace_out == NULL) goto oom;
    }

    srv->ctx = ossl_ctx_new(srv, cfg, cfg->nocert ? NULL : &cfg->cert, &cfg->dcert, err, errlen);
    if (srv->ctx == NULL) goto fail;
    if (cfg->cert2.cert != NULL) {
        srv->ctx2 = ossl_ctx_new(srv, cfg, &cfg->cert2, NULL, err, errlen);
        if (srv->ctx2 == NULL) goto fail;
    }
#if OSSL_STAPLES_MATCHING_RESPONSES_ONLY
    if (srv->ocsp != NULL &&
        (ossl_check_staple(srv->ctx, cfg->status_file, srv->ocsp, srv->ocsp_len, err, errlen) != 0 ||
         (srv->ctx2 != NULL &&
          ossl_check_staple(srv->ctx2, cfg->status_file, srv->ocsp, srv->ocsp_len, err, errlen) != 0)))
        goto fail;
#endif
    return srv;
oom:
    snprintf(err, errlen, "out of memory");
fail:
    ossl_server_free(srv);
    return NULL;
}

void ossl_server_free(void *server)
{
    ossl_server *srv = server;
    if (srv == NULL) return;
    ossl_proto_server_free(srv);
    SSL_CTX_free(srv->ctx);
    SSL_CTX_free(srv->ctx2);
    free(srv->npn);
    free(srv->ocsp);
    if (srv->psk != NULL) OPENSSL_cleanse(srv->psk, srv->psk_len);
    OPENSSL_cleanse(srv->cookie_secret, sizeof(srv->cookie_secret));
    free(srv->psk);
    free(srv->psk_identity);
    free(srv->id_prefix);
    BIO_free(srv->trace_out);
    free(srv);
    ossl_proto_unload_providers();
}
