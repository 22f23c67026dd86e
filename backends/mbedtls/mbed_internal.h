/*
 * Private declarations of the Mbed TLS backend (prefix mbed_), built
 * against 2.28 and 3.6 (version differences: mbed_compat.h).
 *
 * Design: one mbedtls_ssl_config per server holds everything that is the
 * same for every connection (certificates, CA, DH, versions...). Each
 * connection takes a shallow struct copy of it (mbed_conn.conf) so that
 * the per-connection decisions this library only lets us make on a config
 * (cipher order taken from the ClientHello, ALPN chosen by the core, the
 * authmode of a renegotiation, whether a renegotiation is accepted) and the
 * callback contexts (which connection a cache hit or exported key belongs
 * to) can be set without touching the shared config. The copy owns
 * nothing: it is never passed to mbedtls_ssl_config_free().
 */
#ifndef POLYTLS_MBED_INTERNAL_H
#define POLYTLS_MBED_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/dhm.h>
#include <mbedtls/entropy.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_cache.h>
#include <mbedtls/ssl_cookie.h>
#include <mbedtls/ssl_ticket.h>
#include <mbedtls/x509_crl.h>
#include <mbedtls/x509_crt.h>

#include "mbed_compat.h"
#include "polytls/backend.h"

/* Set by global_init: the core's services and the process-wide RNG. */
extern const ptls_host *mbed_host;
int mbed_rng(void *ctx, unsigned char *out, size_t len);

/* Formats "what: library error text (-0xNNNN)" into err. */
void mbed_errf(char *err, size_t errlen, int ret, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

typedef struct mbed_keypair {
    mbedtls_x509_crt crt; /* leaf first, then the -cert_chain certificates */
    mbedtls_pk_context pk;
    int loaded;
} mbed_keypair;

typedef struct mbed_server {
    mbedtls_ssl_config conf;
    mbed_keypair cert, dcert, cert2;
    mbedtls_x509_crt ca;
    mbedtls_x509_crl crl;
    int have_ca, have_crl;
    mbedtls_dhm_context dhm;
    mbedtls_ssl_cache_context cache;
    mbedtls_ssl_ticket_context ticket;

    /* Allowed suites in the server's order, 0-terminated. */
    int suites[PTLS_MAX_CIPHERS + 1];
    int n_suites;
    /* Allowed groups (IANA NamedGroup) in the server's order, and the
     * same list in the library's form (mbed_compat.h). */
    uint16_t groups[40];
    int n_groups;
    mbed_group_t lib_groups[41];
#if MBED_V3
    uint16_t sig_algs[33]; /* -sigalgs, 0-terminated */
#else
    int hashes[16]; /* -sigalgs as hashes, MBEDTLS_MD_NONE-terminated */
#endif

    /* Policy copied from the configuration (the config is not ours). */
    int verify_mode;
    int verify_depth;
    int crl_check, crl_check_all;
    int server_pref, prioritize_chacha;
    int session_cache, tickets;
    int keylog;
    int alpn;      /* -alpn given: the core chooses */
    int sni_cert2; /* -cert2 given: the core chooses */
    int no_renegotiation, client_renegotiation, legacy_renegotiation;
    int early_data; /* TLS 1.3 early data accepted (mbed_tls13.c) */
    unsigned char psk[MBEDTLS_PSK_MAX_LEN];
    size_t psk_len;
    char psk_identity[256];

    /* DTLS (mbed_dtls.c): the transport is set on conf; the cookie context
     * holds the server-wide HMAC key, made here in server_new, so a fresh
     * connection object verifies a cookie another one issued. */
    int dtls;
    int dtls_mtu; /* the link MTU (-mtu), 0: library default */
    mbedtls_ssl_cookie_ctx cookie;
    int have_cookie;
} mbed_server;

typedef struct mbed_conn {
    mbed_server *srv;
    mbedtls_ssl_config conf; /* shallow per-connection copy of srv->conf */
    mbedtls_ssl_context ssl;
    ptls_io io;

    int hello_done; /* the client's offer has been applied (mbed_hello.c) */
    int own_suites; /* conf's suite list is suites[], not the server's */
    int suites[PTLS_MAX_CIPHERS + 1];
    mbed_group_t lib_groups[41];
    char alpn_proto[256];
    const char *alpn_list[2];

    int resumed;
    char sni[256];

    /* Client verification. */
    int verify_mode; /* effective mode: raised to REQUEST by 'R' */
    uint32_t vflags; /* flags accumulated over the chain being verified */
    int vnew;        /* the next callback starts a new chain */
    char vtext[128]; /* our reason for a check the library does not make */
    /* -verify (REQUEST) and a certificate that fails: the callback lets the
     * library go on (OPTIONAL) and the handshake loop ends the handshake
     * right after that step with this alert (mbed_handshake), so that the
     * client gets the reason, not the library's generic one. */
    int stepping;         /* inside mbed_handshake's step loop */
    unsigned char valert; /* 0: no failure pending */

    /* From the export-keys callback: for keying material export. */
    unsigned char master[48];
    unsigned char randoms[64]; /* client_random || server_random */
    mbedtls_tls_prf_types prf;
    int have_keys;
    unsigned keys_seen;  /* key derivations so far: one per handshake */
    unsigned reneg_keys; /* keys_seen when the renegotiation started */

    /* Renegotiation: 0 none, 1 HelloRequest not yet flushed, 2 waiting for
     * the client's new handshake to finish. */
    int reneg;

    /* DTLS: the retransmission timer on the monotonic clock (the
     * library's set_timer/get_timer pair, mbed_dtls.c). */
    int dtls;
    int timer_on;
    uint64_t timer_start_us;
    uint32_t timer_int_ms, timer_fin_ms;
    int cookie_ok;    /* a ClientHello cookie verified on this object */
    int deferred_ret; /* dtls_accept's handshake failed after a valid cookie */

    /* TLS 1.3 early data, read during the handshake and handed out by
     * read() first (mbed_tls13.c). */
    unsigned char *early;
    size_t early_len, early_off;

    int last_ret;
    char err[256];
} mbed_conn;

/* mbed_context.c */
int mbed_check_config(const ptls_config *cfg,
                      void (*refuse)(void *arg, const char *option, const char *reason), void *arg);
void *mbed_server_new(const ptls_config *cfg, char *err, size_t errlen);
void mbed_server_free(void *server);

/* mbed_load.c: files */
int mbed_load_keypair(mbed_keypair *kp, const ptls_keypair *src, const char *what, char *err, size_t errlen);
int mbed_load_crl_dir(mbedtls_x509_crl *crl, const char *dir);

/* mbed_hello.c: reading the ClientHello as it passes */
int mbed_hello_apply(mbed_conn *c, const ptls_hello_view *h);

/* mbed_verify.c */
int mbed_verify_cb(void *ctx, mbedtls_x509_crt *crt, int depth, uint32_t *flags);

/* mbed_conn.c */
mbed_conn *mbed_conn_create(mbed_server *s, const ptls_io *io, char *err, size_t errlen);
void *mbed_conn_new(void *server, const ptls_io *io, char *err, size_t errlen);
int mbed_handshake(void *conn);
long mbed_read(void *conn, unsigned char *buf, size_t len);
long mbed_write(void *conn, const unsigned char *buf, size_t len);
int mbed_shutdown(void *conn);
size_t mbed_pending(void *conn);
void mbed_conn_free(void *conn);
int mbed_renegotiate(void *conn, int request_cert);
int mbed_renegotiation_pending(void *conn);

/* mbed_dtls.c */
int mbed_dtls_check_config(const ptls_config *cfg,
                           void (*refuse)(void *arg, const char *option, const char *reason), void *arg);
int mbed_dtls_server_setup(mbed_server *s, const ptls_config *cfg, char *err, size_t errlen);
void mbed_dtls_conn_setup(mbed_conn *c);
void *mbed_dtls_accept(void *server, const ptls_io *io, const void *peer, size_t peer_len, char *err,
                       size_t errlen);
long mbed_dtls_next_timeout_ms(void *conn);
int mbed_dtls_timeout(void *conn);
int mbed_wire_version(const mbed_conn *c);

/* mbed_info.c */
void mbed_get_info(void *conn, ptls_conn_info *info);
void mbed_last_error(void *conn, char *buf, size_t len);
long mbed_last_error_code(void *conn);
int mbed_enabled_ciphers(void *server, uint16_t *ids, int max);
int mbed_export_keying_material(void *conn, const char *label, unsigned char *out, size_t len);
/* The TLS 1.2 master secret of a handshake (from the version's export-keys
 * callback, mbed_compat*.c): keylog line, keying material export. */
void mbed_keys_tls12(mbed_conn *c, const unsigned char *ms, const unsigned char client_random[32],
                     const unsigned char server_random[32], mbedtls_tls_prf_types prf);

/* mbed_tls13.c: TLS 1.3 (Mbed TLS 3.x built with it) */
#if MBED_TLS13
int mbed_tls13_server_setup(mbed_server *s, const ptls_config *cfg, char *err, size_t errlen);
/* After MBEDTLS_ERR_SSL_RECEIVED_EARLY_DATA: takes the early data in.
 * Returns 0 or a library error. */
int mbed_tls13_read_early(mbed_conn *c);
/* The client's identity matched -psk: TLS 1.3 then uses the external
 * PSK's suite, TLS_AES_128_GCM_SHA256, as s_server does. */
void mbed_tls13_psk_suite(mbed_conn *c);
void mbed_tls13_secret(mbed_conn *c, int type, const unsigned char *secret, size_t len,
                       const unsigned char client_random[32]);
#endif

/* mbed_selfsigned.c */
int mbed_make_selfsigned(const char *cert_path, const char *key_path, char *err, size_t errlen);

#endif
