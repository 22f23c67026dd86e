/*
 * wolfSSL hooks that hand decisions to the core (ALPN, SNI) or feed the
 * library with configured data (PSK).
 */
#include "wssl_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

wssl_conn *wssl_conn_of(WOLFSSL *ssl)
{
    return (wssl_conn *)wolfSSL_get_ex_data(ssl, wssl_conn_index);
}

/* SNI: s_server semantics. No name sent: keep the default keypair. A name
 * the core maps to -cert2: move the connection to the second context, which
 * carries that keypair (wolfSSL keeps keys per context). */
static int wssl_sni_cb(WOLFSSL *ssl, int *alert, void *arg)
{
    wssl_server *srv = arg;
    wssl_conn *c = wssl_conn_of(ssl);
    const char *name = wolfSSL_get_servername(ssl, WOLFSSL_SNI_HOST_NAME);
    int choice;

    if (name == NULL || *name == '\0') return 0; /* SSL_TLSEXT_ERR_OK */
    choice = wssl_host->sni_select(name);
    if (choice == PTLS_SNI_REJECT) {
        *alert = unrecognized_name;
        if (c != NULL)
            snprintf(c->last_text, sizeof(c->last_text), "server name \"%s\" rejected (-servername_fatal)",
                     name);
        return fatal_return;
    }
    if (choice == PTLS_SNI_ALT && srv->ctx2 != NULL) {
        /* set_SSL_CTX moves the keypair, but the connection keeps the
         * suites wolfSSL chose for the first key's type: without the
         * second context's full list, TLS 1.2 with an ECDSA -cert2 behind
         * an RSA -cert finds no suite. */
        const ptls_hello_view *h =
            (srv->client_order || srv->chacha_first) && c != NULL && wssl_host->client_hello
                ? wssl_host->client_hello(c->io.ctx)
                : NULL;
        if (wolfSSL_set_SSL_CTX(ssl, srv->ctx2) == NULL ||
            (h == NULL           ? wssl_set_conn_ciphers(ssl, srv->list2)
             : srv->client_order ? wssl_client_order(ssl, srv->list2, h)
                                 : wssl_chacha_first(ssl, srv->list2, h)) != 0) {
            *alert = internal_error;
            return fatal_return;
        }
        if (c != NULL) c->sni_alt = 1;
    }
    return 0;
}

/* ALPN: the core chooses. wolfSSL (WOLFSSL_NGINX build) treats any non-zero
 * return as "no ALPN"; a refusal is remembered and fails the handshake. */
static int wssl_alpn_cb(WOLFSSL *ssl, const unsigned char **out, unsigned char *outlen,
                        const unsigned char *in, unsigned int inlen, void *arg)
{
    wssl_conn *c = wssl_conn_of(ssl);
    int r;

    (void)arg;
    r = wssl_host->alpn_select(in, inlen, out, outlen);
    if (r == 1) return 0; /* SSL_TLSEXT_ERR_OK */
    if (r < 0 && c != NULL) {
        c->alpn_refused = 1;
        snprintf(c->last_text, sizeof(c->last_text), "no acceptable ALPN protocol offered by the client");
        return fatal_return;
    }
    return noack_return;
}

/* PSK: the client's identity must be the configured one. */
static unsigned int wssl_psk_lookup(WOLFSSL *ssl, const char *identity, unsigned char *key, unsigned int max)
{
    wssl_conn *c = wssl_conn_of(ssl);
    wssl_server *srv = c ? c->srv : NULL;

    if (srv == NULL || srv->psk == NULL || identity == NULL) return 0;
    if (strcmp(identity, srv->psk_identity) != 0) {
        snprintf(c->last_text, sizeof(c->last_text), "PSK identity \"%.100s\" does not match -psk_identity",
                 identity);
        return 0;
    }
    if (srv->psk_len > max) {
        snprintf(c->last_text, sizeof(c->last_text), "PSK longer than wolfSSL's limit of %u bytes", max);
        return 0;
    }
    memcpy(key, srv->psk, srv->psk_len);
    return (unsigned int)srv->psk_len;
}

static unsigned int wssl_psk_cb(WOLFSSL *ssl, const char *identity, unsigned char *key, unsigned int max)
{
    return wssl_psk_lookup(ssl, identity, key, max);
}

/* TLS 1.3 external PSK: like openssl s_server, the PSK is bound to
 * TLS_AES_128_GCM_SHA256 (the suite `openssl s_client -psk` uses). */
static unsigned int wssl_psk13_cb(WOLFSSL *ssl, const char *identity, unsigned char *key, unsigned int max,
                                  const char **suite)
{
    *suite = "TLS13-AES128-GCM-SHA256";
    return wssl_psk_lookup(ssl, identity, key, max);
}

void wssl_install_callbacks(WOLFSSL_CTX *ctx, wssl_server *srv, const ptls_config *cfg)
{
    if (cfg->alpn_wire != NULL) wolfSSL_CTX_set_alpn_select_cb(ctx, wssl_alpn_cb, srv);
    if (cfg->cert2.cert != NULL) {
        wolfSSL_CTX_set_servername_callback(ctx, wssl_sni_cb);
        wolfSSL_CTX_set_servername_arg(ctx, srv);
    }
    if (cfg->psk != NULL) {
        wolfSSL_CTX_set_psk_server_callback(ctx, wssl_psk_cb);
        wolfSSL_CTX_set_psk_server_tls13_callback(ctx, wssl_psk13_cb);
    }
    if (cfg->status_file != NULL) wssl_ocsp_install(ctx);
}
