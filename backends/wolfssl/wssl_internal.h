/*
 * Private declarations shared by the files of the wolfSSL backend.
 *
 * Only native wolfSSL_* / wc_* names are used: the OpenSSL compatibility
 * macros of wolfSSL can point at functions a build does not export, and no
 * OpenSSL header may ever be included here (symbol clash, see
 * shared/reference/backends.md). What differs between wolfSSL versions and
 * builds is decided in wssl_features.h.
 */
#ifndef WSSL_INTERNAL_H
#define WSSL_INTERNAL_H

/* options.h must come first: it carries the feature macros the library was
 * built with, and ssl.h changes shape depending on them. */
#include <wolfssl/options.h>
#include <wolfssl/ssl.h>

#include "wssl_features.h"

#include <stddef.h>

#include "polytls/backend.h"

/* The core's services, kept from global_init(). */
extern const ptls_host *wssl_host;
/* wolfSSL ex_data slot holding the wssl_conn of a WOLFSSL. */
extern int wssl_conn_index;

/* One server: the main context and, with -cert2, the context whose keypair
 * is switched to by the SNI callback (wolfSSL keeps the keypair in the
 * context; wolfSSL_set_SSL_CTX moves a connection to another one). */
typedef struct wssl_server {
    WOLFSSL_CTX *ctx;
    WOLFSSL_CTX *ctx2;
    int verify_mode;
    int keylog;
    int alpn;            /* cfg->alpn_wire set: ask host->alpn_select */
    int sni;             /* cfg->cert2.cert set: ask host->sni_select */
    int client_order;    /* TLS without -serverpref: wssl_client_order per connection */
    int status_file_set; /* for the OCSP-specific error hint */
    unsigned char *ocsp; /* DER OCSP response to staple, NULL if none */
    size_t ocsp_len;
    long long ocsp_next_update; /* its nextUpdate (time_t), 0 if none */
    int ocsp_expiry_logged;
    unsigned char *psk; /* copy of cfg->psk */
    size_t psk_len;
    char *psk_identity;
    /* -groups / -sigalgs in wolfSSL's syntax, applied per connection too */
    char curves[256];
    int group_ids[32];
    int n_groups;
    int tls13; /* max_version allows TLS 1.3 */
    int no_etm, no_ems;
    int early_data;       /* -early_data: read it in handshake() (wssl_read_early) */
    int no_client_reneg;  /* WOLFSSL_OP_NO_RENEGOTIATION stays set except during our own */
    int no_renegotiation; /* -no_renegotiation: none at all */
    char sigalgs[512];    /* -sigalgs (or -client_sigalgs) in wolfSSL's syntax, "" for the default */
    /* session ticket protection (wssl_tickets.c) */
    unsigned char ticket_name[WOLFSSL_TICKET_NAME_SZ];
    unsigned char ticket_key[32];
    int ticket_key_set;
    /* complete cipher list of ctx2 (see wssl_apply_ciphers) */
    char list2[8192];
    /* DTLS (wssl_dtls.c): the contexts speak DTLS; the HelloVerifyRequest
     * cookie secret is made once in server_new and set on every WOLFSSL,
     * so that any fresh object verifies a cookie another one issued (and
     * -workers processes share it: it exists before the fork). */
    int dtls;
    int dtls13;   /* -dtls1_3 */
    int dtls_mtu; /* -mtu, 0: the library's */
    unsigned char cookie_secret[32];
} wssl_server;

typedef struct wssl_conn {
    WOLFSSL *ssl;
    wssl_server *srv;
    ptls_io io;
    int last_err;        /* wolfSSL error code of the last failure, 0 none */
    char last_text[256]; /* our own text when the failure is not the library's */
    int handshake_done;
    int alpn_refused; /* host->alpn_select returned -1 */
    int sni_alt;      /* switched to the -cert2 context */
    int hello_seen;   /* the core's view of the ClientHello was applied */
    /* -early_data: what wolfSSL_read_early_data gave, handed out by read() */
    int early_done;
    unsigned char *early;
    size_t early_len, early_off;
    int server_reneg; /* a renegotiation started by renegotiate() is under way */
    /* DTLS only */
    int dtls;
    int sent_hvr;          /* a HelloVerifyRequest went out (dtls_accept) */
    int sent_server_hello; /* a ServerHello went out: the ClientHello was verified */
    int ch_good;           /* wolfSSL reported a verified ClientHello */
    int accept_failed;     /* the first wolfSSL_accept failed: handshake() reports it */
    long long t_last_send; /* monotonic ms of the last datagram sent */
    unsigned char *rx;     /* rest of a datagram larger than wolfSSL's read (wssl_dtls_recv) */
    size_t rx_len, rx_off;
    size_t rx_rec_left; /* bytes of a record cut at the previous read */
    /* The server's last flight of a full handshake, as sent, for answering
     * a retransmitted client flight after the handshake (RFC 6347 4.2.4),
     * which wolfSSL 5.5.4 does not do itself. */
    int capture;
    unsigned char *flight; /* datagrams, each preceded by its 2-byte length */
    size_t flight_len;
} wssl_conn;

/* wssl_context.c */
void *wssl_server_new(const ptls_config *cfg, char *err, size_t errlen);
void wssl_server_free(void *server);
int wssl_filetype(int form); /* enum ptls_format to WOLFSSL_FILETYPE_* */

/* wssl_lists.c: translation of the core's IANA ids into wolfSSL lists. */
int wssl_cipher_known(const char *iana_name);
int wssl_apply_ciphers(WOLFSSL_CTX *ctx, const wssl_server *srv, const ptls_config *cfg, char *keep,
                       size_t keeplen, char *err, size_t errlen);
int wssl_group_supported(uint16_t id);
/* "P-256,P-384,...": the groups of this build, for messages. */
void wssl_groups_available(char *out, size_t len);
const char *wssl_sigalg_name(uint16_t id);
int wssl_apply_groups(WOLFSSL_CTX *ctx, wssl_server *srv, const ptls_config *cfg, char *err, size_t errlen);
int wssl_apply_sigalgs(WOLFSSL_CTX *ctx, wssl_server *srv, const ptls_config *cfg, char *err, size_t errlen);
int wssl_apply_conn_lists(WOLFSSL *ssl, const wssl_server *srv);
/* s_server's default cipher choice (the client's order) on one connection,
 * from the core's view of its ClientHello; list: the server's suites in
 * wolfSSL's syntax, NULL for the connection's current ones. */
int wssl_client_order(WOLFSSL *ssl, const char *list, const ptls_hello_view *h);
/* set_cipher_list on one connection, keeping the default signature
 * algorithms (wolfSSL would derive them from the suite names). */
int wssl_set_conn_ciphers(WOLFSSL *ssl, const char *list);

/* wssl_callbacks.c: library hooks that reach the core's policies. */
void wssl_install_callbacks(WOLFSSL_CTX *ctx, wssl_server *srv, const ptls_config *cfg);
wssl_conn *wssl_conn_of(WOLFSSL *ssl);

/* wssl_ocsp.c: -status_file (srv->ocsp holds the response). */
int wssl_ocsp_setup(WOLFSSL_CTX *ctx, wssl_server *srv, const ptls_keypair *kp, const char *file, char *err,
                    size_t errlen);
void wssl_ocsp_install(WOLFSSL_CTX *ctx);

/* wssl_conn.c */
void *wssl_conn_new(void *server, const ptls_io *io, char *err, size_t errlen);
int wssl_handshake(void *conn);
long wssl_read(void *conn, unsigned char *buf, size_t len);
long wssl_write(void *conn, const unsigned char *buf, size_t len);
int wssl_shutdown(void *conn);
size_t wssl_pending(void *conn);
void wssl_conn_free(void *conn);
int wssl_key_update(void *conn, int request_peer_update);
int wssl_request_client_cert(void *conn);
int wssl_export_keying_material(void *conn, const char *label, unsigned char *out, size_t len);
#if WSSL_HAS_RENEGOTIATION
int wssl_renegotiate(void *conn, int request_cert);
int wssl_renegotiation_pending(void *conn);
#endif

/* wssl_dtls.c */
WOLFSSL_METHOD *wssl_dtls_method(const ptls_config *cfg);
int wssl_dtls_versions(WOLFSSL_CTX *ctx, const ptls_config *cfg, char *err, size_t errlen);
int wssl_dtls_check_config(const ptls_config *cfg,
                           void (*refuse)(void *arg, const char *option, const char *reason), void *arg);
int wssl_dtls_conn_setup(wssl_conn *c, char *err, size_t errlen);
void wssl_dtls_note_send(wssl_conn *c, const unsigned char *buf, size_t len);
long wssl_dtls_recv(wssl_conn *c, unsigned char *buf, size_t len);
void wssl_dtls_handshake_begin(wssl_conn *c);
void wssl_dtls_handshake_end(wssl_conn *c, int done);
void *wssl_dtls_accept(void *server, const ptls_io *io, const void *peer, size_t peer_len, char *err,
                       size_t errlen);
long wssl_dtls_next_timeout_ms(void *conn);
int wssl_dtls_timeout(void *conn);
/* 1 when the negotiated protocol is TLS <= 1.2 or DTLS <= 1.2 (TLS 1.2 rules). */
int wssl_pre_tls13(WOLFSSL *ssl);

/* wssl_info.c */
void wssl_get_info(void *conn, ptls_conn_info *info);
void wssl_last_error(void *conn, char *buf, size_t len);
int wssl_tickets_install(WOLFSSL_CTX *ctx, wssl_server *srv, char *err, size_t errlen);
long wssl_last_error_code(void *conn);
int wssl_enabled_ciphers(void *server, uint16_t *ids, int max);
void wssl_error_text(int code, char *buf, size_t len);

/* wssl_selfsigned.c */
int wssl_make_selfsigned(const char *cert_path, const char *key_path, char *err, size_t errlen);

/* wssl_util.c */
void wssl_set_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
unsigned char *wssl_read_file(const char *path, size_t *len);

#endif
