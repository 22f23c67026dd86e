/*
 * OpenSSL backend: private declarations shared by the ossl_*.c files.
 *
 * Layout:
 *   ossl_compat.h     what differs between the OpenSSL versions (3.0, 3.5,
 *                     4.0) the backend builds against
 *   ossl_backend.c    ops table, capability table, global init, check_config
 *   ossl_context.c    server_new/server_free: one SSL_CTX (two with -cert2)
 *   ossl_certs.c      loading keypairs, CA/CRL stores, DH parameters, files
 *   ossl_callbacks.c  library callbacks that reach the core (ALPN, SNI,
 *                     keylog, PSK, OCSP, NPN, state, session ids)
 *   ossl_names.c      IANA group / signature scheme ids <-> OpenSSL names
 *   ossl_conn.c       connection ops and the BIO that moves ciphertext
 *                     through the core's ptls_io callbacks
 *   ossl_dtls.c       DTLS: datagram BIO, stateless cookies
 *                     (DTLSv1_listen), retransmission timer
 *   ossl_info.c       get_info and error text
 *   ossl_selfsigned.c make_selfsigned
 */
#ifndef POLYTLS_OSSL_PRIVATE_H
#define POLYTLS_OSSL_PRIVATE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <openssl/bio.h>
#include <openssl/ssl.h>

#include "ossl_compat.h"
#include "polytls/backend.h"

/* The host the core gave global_init; NULL before it. */
extern const ptls_host *ossl_host;

/* Everything a connection needs from the configuration, copied so that the
 * server does not depend on the lifetime of the core's ptls_config. */
typedef struct ossl_server {
    SSL_CTX *ctx;   /* main context: -cert/-dcert */
    SSL_CTX *ctx2;  /* -cert2 context switched to by SNI, NULL if unset */
    int sni_policy; /* call host->sni_select from the servername callback */
    int alpn;       /* call host->alpn_select */
    int keylog;
    int trace;
    int state;
    int early_data;
    int verify_mode; /* enum ptls_verify_mode, for post-handshake requests */
    unsigned char *npn;
    size_t npn_len;
    unsigned char *ocsp; /* DER OCSP response from -status_file */
    size_t ocsp_len;
    unsigned char *psk;
    size_t psk_len;
    char *psk_identity;
    unsigned char *id_prefix;
    size_t id_prefix_len;
    BIO *trace_out;                  /* stdout for SSL_trace */
    int max_send_frag;               /* -max_send_frag, 0: 16384 */
    int dtls;                        /* DTLS_server_method contexts */
    int dtls_mtu;                    /* -mtu (link MTU), 0: the BIO's default */
    unsigned char cookie_secret[32]; /* HMAC key of the DTLS cookies, random per server */
    int stateless;                   /* -stateless: TLS 1.3 cookie exchange first */
    struct ossl_proto_state *proto;  /* ossl_protocol_opts.c; NULL when none is needed */
} ossl_server;

typedef struct ossl_conn {
    ossl_server *srv;
    SSL *ssl;
    ptls_io io;
    int peer_eof;         /* the transport reported EOF */
    int psk_mismatch;     /* a TLS 1.3 PSK identity other than ours was offered */
    int early_done;       /* the early data phase of the handshake is over */
    unsigned char *early; /* early data read during the handshake, for read() */
    size_t early_len;
    size_t early_off;
    char err[512];
    unsigned long err_code;       /* first ERR code of the last failure, 0 none */
    int dtls;                     /* datagram BIO, DTLS SSL */
    struct sockaddr_storage peer; /* DTLS: the client's address (cookie, BIO peer) */
    size_t peer_len;
    long bio_mtu;              /* DTLS: BIO_CTRL_DGRAM_SET_MTU value */
    unsigned long dgrams_sent; /* DTLS: datagrams the BIO handed to io.send */
    int stateless_done;        /* -stateless: a ClientHello with a valid cookie came */
    unsigned char *pre;        /* -stateless: whole records read ahead for SSL_stateless */
    size_t pre_len, pre_off, pre_cap;
} ossl_conn;

/* ossl_backend.c */
int ossl_ssl_index(void); /* ex_data index holding the ossl_conn of an SSL */
ossl_conn *ossl_conn_of(SSL *ssl);

/* ossl_context.c */
void *ossl_server_new(const ptls_config *cfg, char *err, size_t errlen);
void ossl_server_free(void *server);

/* ossl_certs.c */
int ossl_load_keypair(SSL_CTX *ctx, const ptls_keypair *kp, const char *what, char *err, size_t errlen);
int ossl_load_verify(SSL_CTX *ctx, const ptls_config *cfg, char *err, size_t errlen);
int ossl_load_dhparam(SSL_CTX *ctx, const char *path, int install, char *err, size_t errlen);
int ossl_read_file(const char *path, unsigned char **data, size_t *len);

/* ossl_callbacks.c */
void ossl_install_callbacks(SSL_CTX *ctx, ossl_server *srv, const ptls_config *cfg);

/* ossl_names.c */
/* OpenSSL's name of group id, NULL if the table or the linked library
 * lacks it. */
const char *ossl_group_ossl_name(uint16_t id);
/* Why the library lacks group id, when its build says ("" otherwise). */
const char *ossl_group_missing_why(uint16_t id);
/* OpenSSL's TLS group name (SSL_group_to_name) -> the core's spelling. */
const char *ossl_group_name_by_ossl_name(const char *ossl);
/* "name:name:..." for set1_groups_list; fails naming the first id the
 * library lacks. */
int ossl_group_list(const uint16_t *ids, int n, char *out, size_t outlen, char *err, size_t errlen);
/* OpenSSL's spelling of a signature scheme, NULL if the table or the linked
 * library lacks it. */
const char *ossl_sigalg_name(uint16_t id);
int ossl_sigalg_list(const uint16_t *ids, int n, char *out, size_t outlen, char *err, size_t errlen);
int ossl_cipher_list_from_ids(const uint16_t *ids, int n, char *out, size_t outlen, char *err, size_t errlen);

/* ossl_conn.c */
int ossl_bio_method_init(void);
void ossl_bio_method_free(void);
/* A connection on srv's main context with the stream or (DTLS) datagram
 * BIO; peer may be NULL. */
ossl_conn *ossl_conn_create(ossl_server *srv, const ptls_io *io, const void *peer, size_t peer_len, char *err,
                            size_t errlen);
int ossl_conn_apply_mtu(ossl_conn *c, char *err, size_t errlen);
void *ossl_conn_new(void *server, const ptls_io *io, char *err, size_t errlen);
int ossl_bio_read(BIO *b, char *data, int len); /* shared by the TLS and DTLS BIOs */
int ossl_handshake(void *conn);
long ossl_read(void *conn, unsigned char *buf, size_t len);
long ossl_write(void *conn, const unsigned char *buf, size_t len);
int ossl_shutdown(void *conn);
size_t ossl_pending(void *conn);
void ossl_conn_free(void *conn);
int ossl_renegotiate(void *conn, int request_cert);
int ossl_renegotiation_pending(void *conn);
int ossl_key_update(void *conn, int request_peer_update);
int ossl_request_client_cert(void *conn);
int ossl_export_keying_material(void *conn, const char *label, unsigned char *out, size_t len);

/* ossl_dtls.c */
int ossl_dgram_method_init(void);
void ossl_dgram_method_free(void);
BIO_METHOD *ossl_dgram_method(void);
void ossl_install_dtls_callbacks(SSL_CTX *ctx);
void *ossl_dtls_accept(void *server, const ptls_io *io, const void *peer, size_t peer_len, char *err,
                       size_t errlen);
long ossl_dtls_next_timeout_ms(void *conn);
int ossl_dtls_timeout(void *conn);

/* ossl_info.c */
void ossl_get_info(void *conn, ptls_conn_info *info);
void ossl_last_error(void *conn, char *buf, size_t len);
long ossl_last_error_code(void *conn);
int ossl_enabled_ciphers(void *server, uint16_t *ids, int max);
void ossl_collect_errors(char *buf, size_t len, const char *prefix);

/* ossl_verify_policy.c: ptls_config.verify (X509_VERIFY_PARAM, Suite B) */
int ossl_apply_verify_policy(SSL_CTX *ctx, const ptls_config *cfg, char *err, size_t errlen);
/* -build_chain, once the keypairs are loaded. */
int ossl_build_chain(SSL_CTX *ctx, const ptls_config *cfg, char *err, size_t errlen);
/* ossl_protocol_opts.c: the options of ptls_config.proto */
void ossl_proto_caps_init(const char **caps);
int ossl_proto_global(const ptls_config *cfg, char *err, size_t errlen);
int ossl_proto_server_new(ossl_server *srv, const ptls_config *cfg, char *err, size_t errlen);
void ossl_proto_server_free(ossl_server *srv);
/* Unloads the -provider providers; after the server's SSL_CTXs are freed. */
void ossl_proto_unload_providers(void);
int ossl_proto_apply(SSL_CTX *ctx, ossl_server *srv, const ptls_config *cfg, char *err, size_t errlen);
int ossl_proto_apply_late(SSL_CTX *ctx, ossl_server *srv, const ptls_config *cfg, char *err, size_t errlen);
void ossl_proto_install_stateless(SSL_CTX *ctx);
int ossl_proto_stateless(ossl_conn *c);
/* ECH status of a finished handshake ("" without ECH), see ptls_conn_info. */
void ossl_proto_ech_info(SSL *ssl, char *ech, size_t ech_len, char *outer, size_t outer_len);

/* ossl_selfsigned.c */
int ossl_make_selfsigned(const char *cert_path, const char *key_path, char *err, size_t errlen);

#endif
