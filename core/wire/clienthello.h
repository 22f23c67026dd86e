/* ClientHello inspector: a strict, incremental parser of the client's first
 * flight, fed with the raw bytes exactly as recv() returned them (any split,
 * one byte at a time included), for TLS and DTLS.
 *
 * It reassembles the first handshake message (a ClientHello) from TLS
 * records (the message may span any number of records; records may be split
 * across reads) or from DTLS records and handshake fragments (message_seq 0,
 * fragments in any order, overlapping retransmissions allowed if they agree),
 * then decodes every field and computes the JA3 and JA4 fingerprints.
 *
 * The input is hostile: every length is checked against its container, no
 * recursion, and memory is bounded: the message is refused above
 * PTLS_CH_MAX_LEN (64 KiB) before anything of that size is allocated, and
 * all other allocations are proportional to bytes actually received. The
 * result is for display and logging; it is never handed to a backend.
 *
 * Usage:
 *     ptls_ch_parser p;
 *     ptls_ch_parser_init(&p, is_dtls);
 *     ... for each recv():  switch (ptls_ch_feed(&p, buf, n)) { ... }
 *     if DONE: const ptls_client_hello *ch = ptls_ch_result(&p);
 *     ptls_ch_parser_free(&p);
 * Once the parser returns anything but PTLS_CH_MORE it keeps returning that
 * value and ignores later input. Everything in the result (lists, strings)
 * is owned by the parser and valid until ptls_ch_parser_free (call
 * ptls_ch_parser_init again to reuse it).
 *
 * Strictness: lengths must fill their containers exactly; empty lists where
 * the RFCs require content, duplicate extensions, pre_shared_key not last,
 * a session_id over 32 bytes, an SNI host_name that is empty, over 255
 * bytes or holds NUL, records over 2^14 or empty, non-handshake records (or
 * DTLS epoch != 0) before the hello is complete: all PTLS_CH_MALFORMED.
 * Unknown extensions, suites, groups and versions are recorded, not refused.
 *
 * Limits: SSLv2-format hellos are PTLS_CH_NOT_TLS; QUIC is not handled;
 * DTLS: only message_seq 0 is reassembled (fragments of other messages are
 * skipped), so after a HelloVerifyRequest the second (cookie) hello is not
 * parsed by this instance.
 */
#ifndef PTLS_CLIENTHELLO_H
#define PTLS_CLIENTHELLO_H

#include <stddef.h>
#include <stdint.h>

/* Largest ClientHello body accepted (the handshake length field). */
#define PTLS_CH_MAX_LEN 65536u

enum ptls_ch_status {
    PTLS_CH_MORE = 0,     /* need more bytes */
    PTLS_CH_DONE = 1,     /* a complete ClientHello was parsed */
    PTLS_CH_NOT_TLS = 2,  /* the first bytes are not a TLS/DTLS handshake record */
    PTLS_CH_MALFORMED = 3 /* a handshake record, but not a valid ClientHello */
};

/* GREASE (RFC 8701) seen in these lists: bits of ptls_client_hello.grease. */
enum {
    PTLS_CH_GREASE_CIPHER = 1 << 0,
    PTLS_CH_GREASE_EXT = 1 << 1,
    PTLS_CH_GREASE_GROUP = 1 << 2,
    PTLS_CH_GREASE_KEYSHARE = 1 << 3,
    PTLS_CH_GREASE_VERSION = 1 << 4,
    PTLS_CH_GREASE_SIGALG = 1 << 5,
    PTLS_CH_GREASE_PSKMODE = 1 << 6,
    PTLS_CH_GREASE_ALPN = 1 << 7
};

typedef struct ptls_ch_ext {
    uint16_t type;
    uint16_t len; /* extension_data length */
} ptls_ch_ext;

typedef struct ptls_ch_key_share {
    uint16_t group;
    uint16_t key_len; /* key_exchange length */
} ptls_ch_key_share;

typedef struct ptls_ch_bytes {
    const unsigned char *data; /* raw bytes, not NUL-terminated, may hold any value */
    size_t len;
} ptls_ch_bytes;

/* Lists hold every value in wire order, GREASE included. uint8 lists and
 * ptls_ch_bytes point into the reassembled message. */
typedef struct ptls_client_hello {
    int dtls;
    uint16_t record_version; /* of the first record */
    unsigned records;        /* records read until the hello was complete */
    uint16_t legacy_version;
    unsigned char random[32];
    size_t session_id_len; /* 0..32 */
    const unsigned char *session_id;
    size_t cookie_len; /* DTLS only */

    const uint16_t *ciphers;
    size_t n_ciphers;
    const uint8_t *compression;
    size_t n_compression;

    int has_extensions; /* the extensions block is present (may be empty) */
    const ptls_ch_ext *exts;
    size_t n_exts;

    const uint16_t *versions; /* supported_versions; n_versions 0: absent */
    size_t n_versions;
    char sni[256];             /* host_name, "" when absent; never contains NUL, may hold other
                                  control bytes: escape before printing */
    int has_sni;               /* server_name extension present (even without a host_name) */
    const ptls_ch_bytes *alpn; /* protocol names in order */
    size_t n_alpn;
    const uint16_t *groups; /* supported_groups */
    size_t n_groups;
    const ptls_ch_key_share *key_shares;
    size_t n_key_shares;
    int has_key_share;
    const uint16_t *sigalgs; /* signature_algorithms */
    size_t n_sigalgs;
    const uint16_t *sigalgs_cert; /* signature_algorithms_cert */
    size_t n_sigalgs_cert;
    const uint8_t *psk_modes; /* psk_key_exchange_modes */
    size_t n_psk_modes;
    const uint8_t *ec_point_formats;
    size_t n_ec_point_formats;

    int has_pre_shared_key;
    unsigned psk_identities;
    int has_session_ticket;
    size_t session_ticket_len;
    int has_early_data;
    int has_encrypt_then_mac;
    int has_extended_master_secret;
    int has_renegotiation_info;
    int has_status_request;
    int has_post_handshake_auth;
    int has_ech; /* encrypted_client_hello (0xfe0d) */
    int has_padding;
    unsigned grease; /* PTLS_CH_GREASE_* */

    const char *ja3;   /* "771,4865-4866-...,0-23-...,29-23-24,0" (GREASE removed) */
    char ja3_md5[33];  /* lower-case hex */
    char ja4[37];      /* "t13d1516h2_8daaf6152771_b186095e22b6" */
    const char *ja4_r; /* raw form: "t13d1516h2_002f,0035,..._0005,000a,..._0403,..." */

    const unsigned char *raw; /* the reassembled handshake body (after the header) */
    size_t raw_len;
} ptls_client_hello;

/* The parser. Caller-allocated; fields are private. */
typedef struct ptls_ch_parser {
    int dtls;
    int status;
    const char *reason;
    unsigned char rh[13]; /* record header being read */
    size_t rh_have;
    size_t rec_left; /* payload bytes left in the current record */
    int in_record;
    unsigned char hh[12]; /* handshake (fragment) header being read */
    size_t hh_have;
    uint32_t msg_len; /* handshake body length, valid when have_len */
    int have_len;
    unsigned char *msg; /* body, grows as bytes arrive (<= msg_len) */
    size_t msg_cap;
    size_t msg_have;       /* TLS: bytes received; DTLS: distinct bytes received */
    unsigned char *bitmap; /* DTLS: received bytes */
    size_t frag_off, frag_len, frag_done;
    int frag_skip; /* DTLS: fragment of another message_seq */
    int dtls_seq;  /* DTLS: message_seq of the ClientHello being read, -1 until seen */
    void *mem;     /* private allocations of the result */
    ptls_client_hello ch;
} ptls_ch_parser;

void ptls_ch_parser_init(ptls_ch_parser *p, int dtls);
/* Feeds the next bytes the client sent. Returns enum ptls_ch_status. */
int ptls_ch_feed(ptls_ch_parser *p, const unsigned char *data, size_t len);
/* Short reason for PTLS_CH_NOT_TLS / PTLS_CH_MALFORMED, "" otherwise. */
const char *ptls_ch_reason(const ptls_ch_parser *p);
/* The parsed hello after PTLS_CH_DONE, NULL before. */
const ptls_client_hello *ptls_ch_result(const ptls_ch_parser *p);
void ptls_ch_parser_free(ptls_ch_parser *p);

/* Display names. Each returns a static string or buf (filled with "0xXXXX",
 * lower-case hex, or "GREASE(0xXXXX)" for a GREASE value). buf holds at
 * least PTLS_CH_NAME_BUF bytes. */
#define PTLS_CH_NAME_BUF 24
enum ptls_ch_name_kind {
    PTLS_CH_NAME_CIPHER, /* IANA suite name */
    PTLS_CH_NAME_EXT,    /* extension type: "server_name", "key_share", ... */
    PTLS_CH_NAME_GROUP,  /* "X25519", "P-256", ... */
    PTLS_CH_NAME_SIGALG, /* "rsa_pss_rsae_sha256", ... */
    PTLS_CH_NAME_VERSION /* "TLSv1.3", "DTLSv1.2", ... */
};
const char *ptls_ch_name(enum ptls_ch_name_kind kind, uint16_t v, char *buf);

#endif
