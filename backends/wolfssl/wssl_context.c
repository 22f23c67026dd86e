/*
 * server_new(): build the wolfSSL contexts from the validated configuration.
 *
 * Every field of ptls_config is either applied here or makes server_new()
 * fail with a message naming the option: wolfSSL accepts several settings
 * it then silently ignores (TLS 1.0 without WOLFSSL_ALLOW_TLSV10, unknown
 * cipher names), so
 * values are checked before they are handed over.
 */
#include "wssl_internal.h"

#include <wolfssl/wolfcrypt/asn_public.h>
#include <wolfssl/wolfcrypt/dh.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int wssl_filetype(int form)
{
    return form == PTLS_FORMAT_DER ? WOLFSSL_FILETYPE_ASN1 : WOLFSSL_FILETYPE_PEM;
}

/* Passphrase for encrypted keys; userdata is the resolved -pass text.
 * wolfSSL uses it for traditional ("Proc-Type: 4,ENCRYPTED") and PKCS#8
 * encrypted keys alike. */
static int wssl_passwd_cb(char *buf, int size, int rwflag, void *userdata)
{
    const char *pass = userdata;
    size_t n = pass ? strlen(pass) : 0;

    (void)rwflag;
    if (pass == NULL || n >= (size_t)size) return 0;
    memcpy(buf, pass, n + 1);
    return (int)n;
}

/* The certificate (PEM or DER) followed by the -cert_chain certificates
 * (PEM), as one PEM buffer: wolfSSL's chain loader wants the leaf first and
 * then the chain in the same input. */
static char *wssl_cert_pem(const ptls_keypair *kp, size_t *outlen, char *err, size_t errlen)
{
    size_t certlen = 0, chainlen = 0, pemcap;
    unsigned char *cert = wssl_read_file(kp->cert, &certlen);
    unsigned char *chain = NULL;
    char *pem = NULL;
    int pemlen;

    if (cert == NULL) {
        wssl_set_err(err, errlen, "-cert %s: %s", kp->cert, strerror(errno));
        return NULL;
    }
    if (kp->chain != NULL && (chain = wssl_read_file(kp->chain, &chainlen)) == NULL) {
        wssl_set_err(err, errlen, "-cert_chain %s: %s", kp->chain, strerror(errno));
        free(cert);
        return NULL;
    }
    /* base64 grows 4/3 plus line breaks and armour. */
    pemcap = certlen * 2 + 128 + chainlen + 2;
    pem = malloc(pemcap);
    if (pem == NULL) goto fail;
    if (kp->cert_form == PTLS_FORMAT_DER) {
        pemlen = wc_DerToPem(cert, (word32)certlen, (byte *)pem, (word32)pemcap, CERT_TYPE);
        if (pemlen <= 0) {
            wssl_set_err(err, errlen, "-cert %s: not a DER certificate (wolfSSL error %d)", kp->cert, pemlen);
            goto fail;
        }
    } else {
        memcpy(pem, cert, certlen);
        pemlen = (int)certlen;
    }
    if (chain != NULL) {
        if (pemlen > 0 && pem[pemlen - 1] != '\n') pem[pemlen++] = '\n';
        memcpy(pem + pemlen, chain, chainlen);
        pemlen += (int)chainlen;
    }
    free(cert);
    free(chain);
    *outlen = (size_t)pemlen;
    return pem;
fail:
    if (err[0] == '\0') wssl_set_err(err, errlen, "out of memory");
    free(pem);
    free(cert);
    free(chain);
    return NULL;
}

static int wssl_load_keypair(WOLFSSL_CTX *ctx, const ptls_keypair *kp, const char *optname, char *err,
                             size_t errlen)
{
    const char *key = kp->key ? kp->key : kp->cert;
    char errtxt[160];
    size_t pemlen = 0;
    char *pem;
    int rc;

    pem = wssl_cert_pem(kp, &pemlen, err, errlen);
    if (pem == NULL) return -1;
    rc = wolfSSL_CTX_use_certificate_chain_buffer_format(ctx, (const unsigned char *)pem, (long)pemlen,
                                                         WOLFSSL_FILETYPE_PEM);
    free(pem);
    if (rc != WOLFSSL_SUCCESS) {
        wssl_error_text(rc, errtxt, sizeof(errtxt));
        wssl_set_err(err, errlen, "%s %s%s%s: cannot load the certificate%s: %s", optname, kp->cert,
                     kp->chain ? " + chain " : "", kp->chain ? kp->chain : "", kp->chain ? " chain" : "",
                     errtxt);
        return -1;
    }
    /* The callback stays installed for the second keypair too; each
     * keypair sets its own passphrase just before its key is loaded. */
    wolfSSL_CTX_set_default_passwd_cb(ctx, wssl_passwd_cb);
    wolfSSL_CTX_set_default_passwd_cb_userdata(ctx, (void *)kp->pass);
    rc = wolfSSL_CTX_use_PrivateKey_file(ctx, key, wssl_filetype(kp->key ? kp->key_form : kp->cert_form));
    wolfSSL_CTX_set_default_passwd_cb_userdata(ctx, NULL);
    if (rc != WOLFSSL_SUCCESS) {
        wssl_error_text(rc, errtxt, sizeof(errtxt));
        wssl_set_err(err, errlen, "key %s: cannot load the private key%s: %s", key,
                     kp->pass ? " (wrong passphrase?)" : " (encrypted keys need -pass)", errtxt);
        return -1;
    }
    if (wolfSSL_CTX_check_private_key(ctx) != WOLFSSL_SUCCESS) {
        wssl_set_err(err, errlen, "key %s does not match the certificate %s", key, kp->cert);
        return -1;
    }
    return 0;
}

static int wssl_setup_verify(WOLFSSL_CTX *ctx, const ptls_config *cfg, char *err, size_t errlen)
{
    char errtxt[160];
    int mode = WOLFSSL_VERIFY_NONE;
    int rc;

    if (cfg->verify_mode == PTLS_VERIFY_REQUEST)
        mode = WOLFSSL_VERIFY_PEER;
    else if (cfg->verify_mode == PTLS_VERIFY_REQUIRE)
        mode = WOLFSSL_VERIFY_PEER | WOLFSSL_VERIFY_FAIL_IF_NO_PEER_CERT;
    /* No callback: wolfSSL fails the handshake on any verification error,
     * which is the REQUEST/REQUIRE contract (a cert that is sent must
     * verify). */
    wolfSSL_CTX_set_verify(ctx, mode, NULL);
    if (cfg->verify_depth >= 0) wolfSSL_CTX_set_verify_depth(ctx, cfg->verify_depth);

    if (cfg->ca_file != NULL || cfg->ca_path != NULL) {
        /* IGNORE_ERR: a hashed -CApath also holds CRLs and other files that
         * are not certificates; OpenSSL skips them too. */
        if (cfg->ca_file != NULL) {
            rc = wolfSSL_CTX_load_verify_locations(ctx, cfg->ca_file, NULL);
            if (rc != WOLFSSL_SUCCESS) {
                wssl_error_text(rc, errtxt, sizeof(errtxt));
                wssl_set_err(err, errlen, "-CAfile %s: %s", cfg->ca_file, errtxt);
                return -1;
            }
        }
        if (cfg->ca_path != NULL) {
            rc = wolfSSL_CTX_load_verify_locations_ex(ctx, NULL, cfg->ca_path, WOLFSSL_LOAD_FLAG_IGNORE_ERR);
            if (rc != WOLFSSL_SUCCESS) {
                wssl_error_text(rc, errtxt, sizeof(errtxt));
                wssl_set_err(err, errlen, "-CApath %s: %s", cfg->ca_path, errtxt);
                return -1;
            }
        }
    }

    /* CRLs: wolfSSL verifies a CRL's signature when it is loaded, so the
     * CAs above must be loaded first. Loading a CRL enables CRL checking
     * in wolfSSL, so (as in OpenSSL, where -CRL alone is inert) a CRL file
     * is only loaded when checking was asked for. */
    if (cfg->crl_check || cfg->crl_check_all) {
        rc = wolfSSL_CTX_EnableCRL(ctx, cfg->crl_check_all ? WOLFSSL_CRL_CHECKALL : 0);
        if (rc != WOLFSSL_SUCCESS) {
            wssl_error_text(rc, errtxt, sizeof(errtxt));
            wssl_set_err(err, errlen, "-crl_check: wolfSSL_CTX_EnableCRL failed: %s", errtxt);
            return -1;
        }
        if (cfg->crl_file != NULL) {
            rc = wolfSSL_CTX_LoadCRLFile(ctx, cfg->crl_file, wssl_filetype(cfg->crl_form));
            if (rc != WOLFSSL_SUCCESS) {
                wssl_error_text(rc, errtxt, sizeof(errtxt));
                wssl_set_err(err, errlen, "-CRL %s: %s (its issuer must be in -CAfile/-CApath)",
                             cfg->crl_file, errtxt);
                return -1;
            }
        }
    }

    /* CA names in CertificateRequest: wolfSSL sends only what
     * set_client_CA_list gave it, so mirror s_server, which lists the
     * -CAfile subjects unless -no_ca_names. */
    if (cfg->verify_mode != PTLS_VERIFY_NONE && !cfg->no_ca_names && cfg->ca_file != NULL) {
        WOLF_STACK_OF(WOLFSSL_X509_NAME) *names = wolfSSL_load_client_CA_file(cfg->ca_file);

        if (names != NULL) wolfSSL_CTX_set_client_CA_list(ctx, names);
    }
    return 0;
}

static int wssl_setup_dh(WOLFSSL_CTX *ctx, const ptls_config *cfg, char *err, size_t errlen)
{
    char errtxt[160];
    int rc;

    if (cfg->dhparam != NULL) {
        rc = wolfSSL_CTX_SetTmpDH_file(ctx, cfg->dhparam, WOLFSSL_FILETYPE_PEM);
        if (rc != WOLFSSL_SUCCESS) {
            wssl_error_text(rc, errtxt, sizeof(errtxt));
            wssl_set_err(err, errlen, "-dhparam %s: %s", cfg->dhparam, errtxt);
            return -1;
        }
    } else if (!cfg->no_dhe) {
        /* wolfSSL has no DH parameters by default, so DHE suites could not
         * be negotiated: use RFC 7919 ffdhe2048 like a modern OpenSSL. */
        const DhParams *p = wc_Dh_ffdhe2048_Get();

        rc = wolfSSL_CTX_SetTmpDH(ctx, p->p, (int)p->p_len, p->g, (int)p->g_len);
        if (rc != WOLFSSL_SUCCESS) {
            wssl_error_text(rc, errtxt, sizeof(errtxt));
            wssl_set_err(err, errlen, "setting the default ffdhe2048 DH parameters failed: %s", errtxt);
            return -1;
        }
    }
    /* -no_dhe: no parameters, so wolfSSL never picks a DHE suite. */
    return 0;
}

static int wssl_setup_sessions(WOLFSSL_CTX *ctx, wssl_server *srv, const ptls_config *cfg, char *err,
                               size_t errlen)
{
    wolfSSL_CTX_set_session_cache_mode(ctx, cfg->session_cache ? WOLFSSL_SESS_CACHE_SERVER
                                                               : WOLFSSL_SESS_CACHE_OFF);
    if (cfg->context != NULL) {
        size_t n = strlen(cfg->context);

        if (n > 32 || wolfSSL_CTX_set_session_id_context(ctx, (const unsigned char *)cfg->context,
                                                         (unsigned int)n) != WOLFSSL_SUCCESS) {
            wssl_set_err(err, errlen, "-context: session ID context must be at most 32 bytes");
            return -1;
        }
    }
    if (!cfg->tickets) {
        /* no_ticket_TLSv13 fails on a context that cannot do (D)TLS 1.3 */
        if (wolfSSL_CTX_NoTicketTLSv12(ctx) != WOLFSSL_SUCCESS ||
            (srv->tls13 && wolfSSL_CTX_no_ticket_TLSv13(ctx) != 0 /* 0 on success */)) {
            wssl_set_err(err, errlen, "-no_ticket: disabling session tickets failed");
            return -1;
        }
    } else if (cfg->num_tickets >= 0 &&
               wolfSSL_CTX_set_num_tickets(ctx, (size_t)cfg->num_tickets) != WOLFSSL_SUCCESS) {
        wssl_set_err(err, errlen, "-num_tickets %d: wolfSSL_CTX_set_num_tickets failed", cfg->num_tickets);
        return -1;
    }
    if (cfg->tickets && wssl_tickets_install(ctx, srv, err, errlen) != 0) return -1;
    return 0;
}

/* Settings this backend refuses by capability: if the core let one
 * through anyway, fail rather than ignore it. */
static int wssl_refused_settings(const ptls_config *cfg, char *err, size_t errlen)
{
    int dtls13 = cfg->dtls && cfg->max_version == PTLS_DTLS1_3;
    const char *opt = NULL;

    if (cfg->dcert.cert != NULL)
        opt = "-dcert (a second key type replaces the first in wolfSSL)";
    else if (cfg->npn_wire != NULL)
        opt = "-nextprotoneg";
    else if (cfg->max_send_frag > 0)
        opt = "-max_send_frag";
    else if (cfg->record_padding > 0)
        opt = "-record_padding";
    else if (cfg->early_data && !WSSL_HAS_EARLY_DATA)
        opt = "-early_data (" WSSL_WITHOUT("WOLFSSL_EARLY_DATA") ")";
    else if (cfg->client_renegotiation && !WSSL_HAS_RENEGOTIATION)
        opt = "-client_renegotiation";
    else if (cfg->legacy_renegotiation)
        opt = "-legacy_renegotiation";
    else if (cfg->trace)
        opt = "-trace";
    else if (cfg->state)
        opt = "-state";
    else if (cfg->prioritize_chacha)
        opt = "-prioritize_chacha";
    else if (cfg->id_prefix != NULL)
        opt = "-id_prefix";
    else if (cfg->no_etm)
        opt = "-no_etm";
    else if (cfg->no_ems)
        opt = "-no_ems";
    else if (cfg->no_ca_names)
        opt = "-no_ca_names";
    else if (cfg->n_client_sigalg_ids > 0)
        opt = "-client_sigalgs";
    else if (cfg->n_sigalg_ids > 0 && WSSL_BUG_SIGALGS_NOT_OWN)
        opt = "-sigalgs (" WSSL_LIB " cannot restrict its own signature algorithm)";
    else if (cfg->dtls && !dtls13 && (cfg->n_group_ids > 0 || cfg->ciphersuites != NULL))
        opt = "-groups or -ciphersuites with DTLS 1.0/1.2";
    else if (cfg->dtls && cfg->max_version == PTLS_DTLS1_3 && !WSSL_HAS_DTLS13)
        opt = "-dtls1_3 (" WSSL_WITHOUT("WOLFSSL_DTLS13") ")";
    else if (!cfg->dtls && cfg->min_version < PTLS_TLS1_1 && !WSSL_HAS_TLS10)
        opt = "TLS 1.0 (this wolfSSL build has none)";
    else if (cfg->keylog && !WSSL_HAS_SECRET_CB &&
             (dtls13 || (!cfg->dtls && cfg->max_version >= PTLS_TLS1_3)))
        opt = "-keylogfile with TLS 1.3 (" WSSL_WITHOUT("HAVE_SECRET_CALLBACK") ")";
    else if (cfg->status_file != NULL && WSSL_BUG_OCSP_TLS13_LEAK &&
             (dtls13 || (!cfg->dtls && cfg->max_version >= PTLS_TLS1_3)))
        opt = "-status_file with TLS 1.3 (it leaks in " WSSL_LIB ")";
    if (opt == NULL) return 0;
    wssl_set_err(err, errlen, "%s is not supported by the wolfSSL backend", opt);
    return -1;
}

/* Early data and renegotiation policy, on the context. */
static int wssl_setup_tls13_and_reneg(WOLFSSL_CTX *ctx, const ptls_config *cfg, char *err, size_t errlen)
{
#if WSSL_HAS_EARLY_DATA
    /* s_server accepts no early data unless -early_data (wolfSSL's default
     * is none too); then up to -max_early_data (one full record by
     * default, as s_server). The size also goes into the tickets the
     * server issues. */
    if (cfg->early_data && !cfg->dtls && cfg->max_version >= PTLS_TLS1_3) {
        unsigned int max = cfg->max_early_data ? cfg->max_early_data : 16384;
        /* 0 on success, or WOLFSSL_SUCCESS in OPENSSL_EXTRA builds */
        if (wolfSSL_CTX_set_max_early_data(ctx, max) < 0) {
            wssl_set_err(err, errlen, "-max_early_data %u: wolfSSL_CTX_set_max_early_data failed", max);
            return -1;
        }
    }
#endif
#if WSSL_HAS_RENEGOTIATION
    /* RFC 5746 renegotiation on every TLS <= 1.2 connection; the client's
     * own new handshakes are refused (a no_renegotiation warning alert,
     * the connection goes on) unless -client_renegotiation. */
    if (wolfSSL_CTX_UseSecureRenegotiation(ctx) != WOLFSSL_SUCCESS) {
        wssl_set_err(err, errlen, "wolfSSL_CTX_UseSecureRenegotiation failed");
        return -1;
    }
    if (cfg->no_renegotiation || !cfg->client_renegotiation)
        wolfSSL_CTX_set_options(ctx, WOLFSSL_OP_NO_RENEGOTIATION);
#else
    (void)ctx;
    (void)cfg;
    (void)err;
    (void)errlen;
#endif
    return 0;
}

static WOLFSSL_CTX *wssl_ctx_build(wssl_server *srv, const ptls_config *cfg, const ptls_keypair *kp,
                                   const char *optname, char *err, size_t errlen)
{
    WOLFSSL_CTX *ctx = wolfSSL_CTX_new(cfg->dtls ? wssl_dtls_method(cfg) : wolfSSLv23_server_method());

    if (ctx == NULL) {
        wssl_set_err(err, errlen, "wolfSSL_CTX_new failed");
        return NULL;
    }
    if (cfg->dtls) {
        if (wssl_dtls_versions(ctx, cfg, err, errlen) != 0) goto fail;
    } else if (wolfSSL_CTX_set_min_proto_version(ctx, cfg->min_version) != WOLFSSL_SUCCESS ||
               wolfSSL_CTX_set_max_proto_version(ctx, cfg->max_version) != WOLFSSL_SUCCESS) {
        /* wire versions are wolfSSL's TLS1_x_VERSION values */
        wssl_set_err(err, errlen, "protocol version range 0x%04x-0x%04x not accepted by wolfSSL",
                     cfg->min_version, cfg->max_version);
        goto fail;
    }
    if (!cfg->nocert && wssl_load_keypair(ctx, kp, optname, err, errlen) != 0) goto fail;
    if (wssl_setup_verify(ctx, cfg, err, errlen) != 0) goto fail;
    if (wssl_setup_dh(ctx, cfg, err, errlen) != 0) goto fail;
    if (cfg->nocert && cfg->psk == NULL) {
        /* -nocert: anonymous DH suites, which need DH parameters */
        if (cfg->no_dhe) {
            wssl_set_err(err, errlen, "-nocert with -no_dhe: anonymous DH needs DH parameters");
            goto fail;
        }
        if (wolfSSL_CTX_allow_anon_cipher(ctx) != WOLFSSL_SUCCESS) {
            wssl_set_err(err, errlen, "-nocert: wolfSSL_CTX_allow_anon_cipher failed");
            goto fail;
        }
    }
    if (cfg->psk != NULL && cfg->psk_hint != NULL &&
        wolfSSL_CTX_use_psk_identity_hint(ctx, cfg->psk_hint) != WOLFSSL_SUCCESS) {
        wssl_set_err(err, errlen, "-psk_hint: too long for wolfSSL (max 128 bytes)");
        goto fail;
    }
    wssl_install_callbacks(ctx, srv, cfg);
    if (wssl_apply_groups(ctx, srv, cfg, err, errlen) != 0 ||
        wssl_apply_sigalgs(ctx, srv, cfg, err, errlen) != 0)
        goto fail;
    /* Last: the defaults read back for the half of the list the user did
     * not give depend on the keypair, DH, PSK and anon settings above. */
    if (wssl_apply_ciphers(ctx, srv, cfg, kp == &cfg->cert2 ? srv->list2 : NULL, sizeof(srv->list2), err,
                           errlen) != 0)
        goto fail;
    /* wolfSSL defaults to the server's order; client order must be asked
     * for explicitly (it applies to TLS 1.2 and 1.3 suite selection). */
    /* wolfSSL's own client-order mode (UseClientSuites) is wrong for TLS
     * 1.3: MatchSuite takes the client's first shared suite even when it is
     * a TLS 1.2 one, and the handshake fails (Go lists its TLS 1.2 suites
     * first). For TLS the library keeps server order and each connection
     * gets its list in the client's order (wssl_client_order); so does
     * DTLS 1.3. DTLS 1.0/1.2 use the library's mode. */
    if (cfg->server_pref || srv->client_order) {
        wolfSSL_CTX_set_options(ctx, WOLFSSL_OP_CIPHER_SERVER_PREFERENCE);
    } else if (wolfSSL_CTX_UseClientSuites(ctx) != 0) { /* returns 0 on success */
        wssl_set_err(err, errlen, "client cipher order: wolfSSL_CTX_UseClientSuites failed");
        goto fail;
    }
    if (wssl_setup_sessions(ctx, srv, cfg, err, errlen) != 0) goto fail;
    if (wolfSSL_CTX_AllowEncryptThenMac(ctx, cfg->no_etm ? 0 : 1) != WOLFSSL_SUCCESS) {
        wssl_set_err(err, errlen, "-no_etm: wolfSSL_CTX_AllowEncryptThenMac failed");
        goto fail;
    }
    if (cfg->no_ems && wolfSSL_CTX_DisableExtendedMasterSecret(ctx) != WOLFSSL_SUCCESS) {
        wssl_set_err(err, errlen, "-no_ems: wolfSSL_CTX_DisableExtendedMasterSecret failed");
        goto fail;
    }
    if (cfg->status_file != NULL) {
        if (wssl_ocsp_setup(ctx, srv, kp, cfg->status_file, err, errlen) != 0) goto fail;
    }
    if (wssl_setup_tls13_and_reneg(ctx, cfg, err, errlen) != 0) goto fail;
    return ctx;
fail:
    wolfSSL_CTX_free(ctx);
    return NULL;
}

void *wssl_server_new(const ptls_config *cfg, char *err, size_t errlen)
{
    wssl_server *srv;

    if (err != NULL && errlen > 0) err[0] = '\0';
    wolfSSL_ERR_clear_error();
    if (wssl_refused_settings(cfg, err, errlen) != 0) return NULL;
    srv = calloc(1, sizeof(*srv));
    if (srv == NULL) {
        wssl_set_err(err, errlen, "out of memory");
        return NULL;
    }
    srv->verify_mode = cfg->verify_mode;
    srv->keylog = cfg->keylog;
    srv->dtls = cfg->dtls;
    srv->dtls13 = cfg->dtls && cfg->max_version == PTLS_DTLS1_3;
    srv->dtls_mtu = cfg->dtls_mtu;
    srv->tls13 = srv->dtls13 || (!cfg->dtls && cfg->max_version >= PTLS_TLS1_3);
    srv->early_data = cfg->early_data && WSSL_HAS_EARLY_DATA;
    srv->no_renegotiation = cfg->no_renegotiation;
    srv->no_client_reneg = cfg->no_renegotiation || !cfg->client_renegotiation;
    if (cfg->dtls && wolfSSL_RAND_bytes(srv->cookie_secret, sizeof srv->cookie_secret) != WOLFSSL_SUCCESS) {
        wssl_set_err(err, errlen, "DTLS: generating the cookie secret failed");
        goto fail;
    }
    srv->no_etm = cfg->no_etm;
    srv->no_ems = cfg->no_ems;
    srv->alpn = cfg->alpn_wire != NULL;
    srv->sni = cfg->cert2.cert != NULL;
    srv->client_order = !cfg->server_pref && (!cfg->dtls || srv->dtls13);
    srv->status_file_set = cfg->status_file != NULL;
    if (cfg->psk != NULL) {
        srv->psk = malloc(cfg->psk_len ? cfg->psk_len : 1);
        srv->psk_identity = strdup(cfg->psk_identity ? cfg->psk_identity : "Client_identity");
        if (srv->psk == NULL || srv->psk_identity == NULL) {
            wssl_set_err(err, errlen, "out of memory");
            goto fail;
        }
        memcpy(srv->psk, cfg->psk, cfg->psk_len);
        srv->psk_len = cfg->psk_len;
    }
    if (cfg->status_file != NULL) {
        srv->ocsp = wssl_read_file(cfg->status_file, &srv->ocsp_len);
        if (srv->ocsp == NULL) {
            wssl_set_err(err, errlen, "-status_file %s: %s", cfg->status_file, strerror(errno));
            goto fail;
        }
    }
    srv->ctx = wssl_ctx_build(srv, cfg, &cfg->cert, "-cert", err, errlen);
    if (srv->ctx == NULL) goto fail;
    if (cfg->cert2.cert != NULL) {
        srv->ctx2 = wssl_ctx_build(srv, cfg, &cfg->cert2, "-cert2", err, errlen);
        if (srv->ctx2 == NULL) goto fail;
    }
    return srv;
fail:
    wssl_server_free(srv);
    return NULL;
}

void wssl_server_free(void *server)
{
    wssl_server *srv = server;

    if (srv == NULL) return;
    if (srv->ctx2 != NULL) wolfSSL_CTX_free(srv->ctx2);
    if (srv->ctx != NULL) wolfSSL_CTX_free(srv->ctx);
    free(srv->ocsp);
    if (srv->psk != NULL) memset(srv->psk, 0, srv->psk_len);
    free(srv->psk);
    free(srv->psk_identity);
    memset(srv->cookie_secret, 0, sizeof srv->cookie_secret);
    free(srv);
}
