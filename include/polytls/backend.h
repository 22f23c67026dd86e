/*
 * polytls backend interface: the one header a TLS backend implements.
 *
 * A backend is a shared module (backends/NAME/) loaded with
 * dlopen(RTLD_NOW|RTLD_LOCAL) by the polytls executable, which links no TLS
 * library itself: OpenSSL and wolfSSL export clashing symbols, so each
 * library must live in its own symbol scope.
 *
 * The module exports exactly one symbol, PTLS_BACKEND_SYMBOL, a function
 * returning its ops table. The core owns sockets, the event loop, option
 * parsing and validation, SNI/ALPN policy, keylog writing, cipher-name
 * translation and all output. A backend only translates the validated
 * configuration and the core's requests into calls of its library.
 *
 * Conventions:
 *  - A NULL op means "this backend cannot do that"; the core checks every
 *    optional op before calling it and reports a capability error.
 *  - No TLS library type appears here. Backend objects are opaque void *.
 *  - Ciphertext moves only through the ptls_io callbacks below.
 *
 * To add a backend: copy backends/openssl/ to backends/NEW/, rename the
 * prefix, fill in the ops table, add NEW to POLYTLS_BACKENDS.
 */
#ifndef POLYTLS_BACKEND_H
#define POLYTLS_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "polytls/caps.h"
#include "polytls/config.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever this header, caps.h or config.h changes incompatibly. */
#define PTLS_BACKEND_ABI 5
#define PTLS_BACKEND_SYMBOL "polytls_backend_v1"

/* Status codes shared by IO callbacks and connection ops. Byte counts are
 * returned as positive values; these are all <= 0. */
enum {
    PTLS_OK = 0,
    PTLS_WANT_READ = -1,  /* retry when the socket is readable */
    PTLS_WANT_WRITE = -2, /* retry when the socket is writable */
    PTLS_CLOSED = -3,     /* orderly end: EOF or close_notify */
    PTLS_ERROR = -4       /* fatal; see last_error */
};

/* Core-owned transport. A backend's library IO hooks call these. */
typedef struct ptls_io {
    void *ctx; /* the core's connection; pass back unchanged */
    /* Receive up to len ciphertext bytes: >0 bytes, PTLS_WANT_READ,
     * PTLS_CLOSED (peer EOF) or PTLS_ERROR. */
    long (*recv)(void *ctx, unsigned char *buf, size_t len);
    /* Send up to len ciphertext bytes: >0 bytes, PTLS_WANT_WRITE or
     * PTLS_ERROR. */
    long (*send)(void *ctx, const unsigned char *buf, size_t len);
} ptls_io;

/* The client's first ClientHello as the core's inspector parsed it (ABI 2),
 * for backends whose library offers no hook to see it in time (Mbed TLS;
 * wolfSSL for the client's cipher order). Arrays
 * are valid for the life of the connection. */
typedef struct ptls_hello_view {
    const uint16_t *ciphers; /* in the client's order, GREASE included */
    size_t n_ciphers;
    const uint16_t *groups; /* supported_groups; NULL when the extension is absent */
    size_t n_groups;
    const unsigned char *alpn_wire; /* protocol_name_list (wire format); NULL when absent */
    size_t alpn_wire_len;
    const char *sni; /* "" when absent */
} ptls_hello_view;

/* What the core offers the backend: policy that must be identical on every
 * backend lives behind these calls, not in the backends. */
typedef struct ptls_host {
    /* Diagnostic output (stderr unless -quiet). */
    void (*log)(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
    /* One SSLKEYLOGFILE line. label is e.g. "CLIENT_RANDOM" or
     * "CLIENT_HANDSHAKE_TRAFFIC_SECRET"; random is the 32-byte client random.
     * The core formats and writes it (no-op when -keylogfile is not set). */
    void (*keylog)(const char *label, const unsigned char *client_random, const unsigned char *secret,
                   size_t secret_len);
    /* ALPN policy: given the client's offer in wire format, choose the
     * protocol. Returns 1 and sets *out and *outlen (pointing into the core's
     * configured list, valid for the process lifetime), 0 for "no overlap:
     * continue without ALPN" (s_server behaviour), -1 for "refuse" . */
    int (*alpn_select)(const unsigned char *offer, size_t offer_len, const unsigned char **out,
                       unsigned char *outlen);
    /* SNI policy: which configured keypair serves this host name. */
    int (*sni_select)(const char *servername); /* enum ptls_sni_choice */
    /* Cipher table (core/wire/cipher_table.c) for backends that need names. */
    const char *(*cipher_iana_name)(uint16_t id);
    int (*cipher_id_by_name)(const char *name); /* OpenSSL or IANA name, -1 if unknown */
    /* ABI 2: the parsed ClientHello of the connection whose ptls_io.ctx is
     * io_ctx; NULL until the core has seen all of it (it has by the time
     * the recv callback returns its last byte) or if it was not one. */
    const ptls_hello_view *(*client_hello)(void *io_ctx);
} ptls_host;

enum ptls_sni_choice {
    PTLS_SNI_DEFAULT = 0, /* serve the main certificate */
    PTLS_SNI_ALT = 1,     /* serve -cert2/-key2 */
    PTLS_SNI_REJECT = 2   /* -servername_fatal and a mismatch: fatal alert */
};

/* Everything the core shows about a finished handshake. Fixed-size fields so
 * that no ownership crosses the module boundary. Unknown text fields are
 * left empty, unknown numbers as documented. */
typedef struct ptls_conn_info {
    int version;            /* wire version, 0x0303 = TLS 1.2, 0x0304 = TLS 1.3 */
    uint16_t cipher_id;     /* IANA cipher suite id, 0 if unknown */
    char group[32];         /* key exchange group, e.g. "X25519"; "" unknown */
    char alpn[256];         /* negotiated ALPN protocol, "" if none */
    char sni[256];          /* server name the client sent, "" if none */
    int resumed;            /* 1 resumed, 0 full handshake, -1 unknown */
    int peer_cert;          /* 1 if the client presented a certificate */
    char peer_subject[512]; /* one-line subject, e.g. "CN = client" */
    unsigned char peer_der[8192];
    size_t peer_der_len;      /* 0 if absent or larger than peer_der */
    int verify_ok;            /* 1 verified, 0 failed, -1 not requested/no cert */
    char verify_text[128];    /* the library's reason when verify_ok == 0 */
    int secure_renegotiation; /* 1 supported by peer, 0 not, -1 unknown */
    char sigalg[64];          /* signature scheme the server used, "" unknown */
} ptls_conn_info;

typedef struct ptls_backend {
    int abi;            /* PTLS_BACKEND_ABI */
    const char *name;   /* "openssl": what -backend takes */
    const char *prefix; /* symbol prefix, "ossl" (documentation only) */
    int cap_count;      /* PTLS_CAP__COUNT the module was built with */

    /* Indexed by enum ptls_cap. PTLS_SUPPORTED marks a capability the
     * backend has and a test proves; any other string is the reason it is
     * refused. NULL is refused too, with a generic reason: a capability
     * added to caps.h is therefore refused by every backend until one
     * implements it, never silently accepted. */
    const char *const *caps;

    /* Library name and run-time version, e.g. "OpenSSL 3.0.19 27 Jan 2026". */
    const char *(*library_version)(void);

    /* Process-wide setup; returns 0 or -1 with err filled. */
    int (*global_init)(const ptls_host *host, char *err, size_t errlen);
    void (*global_cleanup)(void);

    /* Checks that depend on the combination of options or their values and
     * cannot be expressed by a single capability bit. For each refusal, call
     * refuse(option, reason). Returns the number of refusals. May be NULL. */
    int (*check_config)(const ptls_config *cfg,
                        void (*refuse)(void *arg, const char *option, const char *reason), void *arg);

    /* Build the server context from the whole validated configuration: load
     * every file, apply every setting. Any failure is fatal (returns NULL
     * with err filled, naming the file or setting). Nothing may be skipped. */
    void *(*server_new)(const ptls_config *cfg, char *err, size_t errlen);
    void (*server_free)(void *server);

    /* Per connection. conn_new never touches the network. */
    void *(*conn_new)(void *server, const ptls_io *io, char *err, size_t errlen);
    /* Drive the handshake: PTLS_OK when done, WANT_*, or PTLS_ERROR. */
    int (*handshake)(void *conn);
    /* Plaintext: >0 bytes, 0 never, WANT_*, PTLS_CLOSED, PTLS_ERROR. read()
     * also completes actions started by the command ops below. */
    long (*read)(void *conn, unsigned char *buf, size_t len);
    /* On WANT_* the core retries with the same buf and len. */
    long (*write)(void *conn, const unsigned char *buf, size_t len);
    /* Send close_notify: PTLS_OK, WANT_*, or PTLS_ERROR. */
    int (*shutdown)(void *conn);
    /* Decrypted bytes buffered inside the library (readable without IO). */
    size_t (*pending)(void *conn);
    void (*get_info)(void *conn, ptls_conn_info *info);
    /* Text for the last failure on this connection ("" if none). */
    void (*last_error)(void *conn, char *buf, size_t len);
    void (*conn_free)(void *conn);

    /* Optional actions (NULL: unsupported). They start the action and return
     * PTLS_OK or PTLS_ERROR; the core then keeps calling read(). */
    int (*renegotiate)(void *conn, int request_cert);
    int (*key_update)(void *conn, int request_peer_update);
    int (*request_client_cert)(void *conn); /* TLS 1.3 post-handshake auth */
    int (*export_keying_material)(void *conn, const char *label, unsigned char *out, size_t len);

    /* Write a fresh self-signed certificate (CN=localhost, SAN localhost and
     * 127.0.0.1, ::1) and its unencrypted key as PEM files. */
    int (*make_selfsigned)(const char *cert_path, const char *key_path, char *err, size_t errlen);

    /* ABI 2. The library's own numeric code for the last failure on this
     * connection (OpenSSL: the packed ERR code; Mbed TLS and wolfSSL: the
     * negative return code), 0 if none. The core maps it to a canonical
     * error name (core/wire/error_names.c). May be NULL. */
    long (*last_error_code)(void *conn);
    /* The cipher suites the server context may negotiate, as IANA ids in
     * the library's preference order (for the -www "shared ciphers"
     * line). Returns how many were written (<= max). May be NULL. */
    int (*enabled_ciphers)(void *server, uint16_t *ids, int max);

    /* ABI 3: DTLS (cfg->dtls). The core owns one UDP socket and
     * demultiplexes datagrams by peer address. A DTLS connection's ptls_io
     * recv returns exactly one datagram (PTLS_WANT_READ when none is
     * queued); each send is sent as one datagram.
     *
     * dtls_accept: a datagram from a peer that has no connection. Do the
     * stateless cookie exchange: a ClientHello without a valid cookie is
     * answered with a HelloVerifyRequest through io->send, and NULL is
     * returned with err[0] == '\0' and no state kept. A ClientHello with a
     * valid cookie gives a new connection (as conn_new would) that goes on
     * with handshake(); the datagram has been consumed. Anything else:
     * NULL with err set (the core drops the datagram). peer is the client's
     * sockaddr (peer_len bytes), for the cookie. */
    void *(*dtls_accept)(void *server, const ptls_io *io, const void *peer, size_t peer_len, char *err,
                         size_t errlen);
    /* Milliseconds until the connection's retransmission timer fires, -1
     * when no timer runs. When it has fired the core calls dtls_timeout,
     * which retransmits through io->send: PTLS_OK, or PTLS_ERROR when the
     * library gives up. */
    long (*dtls_next_timeout_ms)(void *conn);
    int (*dtls_timeout)(void *conn);

    /* ABI 4. 1 while a renegotiation started by renegotiate() has not
     * completed (the client's new handshake is still to come or under
     * way), 0 otherwise. The core's GET /reneg answers only after it, as
     * s_server does. May be NULL (then the page goes out at once). */
    int (*renegotiation_pending)(void *conn);
} ptls_backend;

/* The marker for a supported capability in ptls_backend.caps. */
#define PTLS_SUPPORTED "+"

typedef const ptls_backend *(*ptls_backend_entry_fn)(void);

#ifdef __cplusplus
}
#endif
#endif
