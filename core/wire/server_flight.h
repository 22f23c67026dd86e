/* A fuller reading of a server's answer to one ClientHello than
 * serverhello.c's (which the connection summary uses and which stays as it
 * is): every cleartext record of the server's first flight decoded for
 * `polytls compare`: ServerHello or HelloRetryRequest with each extension
 * and a short summary of its value, the TLS 1.2 messages up to
 * ServerHelloDone (certificate chain, ServerKeyExchange group and signature
 * scheme, CertificateRequest), a cleartext alert, and for TLS 1.3 how many
 * encrypted records followed.
 *
 * Decodes a complete byte buffer (what the server sent so far); call again
 * with more bytes to update. Hostile input: every length is checked; the
 * result holds no pointer into the input. */
#ifndef PTLS_SERVER_FLIGHT_H
#define PTLS_SERVER_FLIGHT_H

#include <stddef.h>
#include <stdint.h>

#define PTLS_SF_MAX_EXTS 32
#define PTLS_SF_MAX_MSGS 16

typedef struct ptls_sf_ext {
    uint16_t type;
    uint16_t len;
    char value[80]; /* short summary of the body: "TLSv1.3", "X25519 (32 bytes)", "h2", "" */
} ptls_sf_ext;

enum ptls_sf_kind {
    PTLS_SF_NOTHING = 0,  /* no complete record */
    PTLS_SF_SERVER_HELLO, /* a ServerHello */
    PTLS_SF_HRR,          /* a HelloRetryRequest */
    PTLS_SF_ALERT,        /* a cleartext alert before any ServerHello */
    PTLS_SF_OTHER,        /* some other record or message first */
    PTLS_SF_NOT_TLS       /* bytes that are no TLS record */
};

typedef struct ptls_server_flight {
    int kind;                /* enum ptls_sf_kind */
    uint16_t record_version; /* of the first record */
    size_t bytes;            /* total bytes decoded */
    unsigned records;        /* complete records */

    /* ServerHello / HelloRetryRequest */
    uint16_t legacy_version;
    uint16_t version; /* supported_versions if present, else legacy_version */
    uint16_t cipher;
    uint8_t compression;
    size_t session_id_len;
    int session_id_echo; /* 1: the client's own session id, 0: another (or empty) */
    uint16_t group;      /* key_share's group (SH: the server's share; HRR: the group asked for) */
    size_t key_share_len;
    int downgrade; /* random's last 8 bytes: 1 "DOWNGRD\1" (TLS 1.2), 2 "DOWNGRD\0" (<= 1.1) */
    ptls_sf_ext exts[PTLS_SF_MAX_EXTS];
    unsigned n_exts, exts_dropped;

    /* messages after the (Server|HelloRetry)Hello in cleartext, in order */
    uint8_t msgs[PTLS_SF_MAX_MSGS];
    unsigned n_msgs;
    int cert_count;             /* Certificate: entries (-1: none seen) */
    size_t leaf_len;            /* first certificate's DER length */
    int ske;                    /* ServerKeyExchange seen */
    int ske_kind;               /* 1 ECDHE (named curve), 2 DHE */
    uint16_t ske_group;         /* ECDHE */
    unsigned ske_dh_bits;       /* DHE: prime length in bits */
    uint16_t ske_sigalg;        /* TLS 1.2 signature scheme */
    int cert_request;           /* CertificateRequest seen */
    int cert_status;            /* CertificateStatus seen */
    int server_hello_done;      /* the TLS 1.2 first flight is complete */
    int ccs;                    /* a ChangeCipherSpec record (1.3 middlebox compatibility, 1.2 resumption) */
    unsigned encrypted_records; /* application_data records (TLS 1.3: encrypted handshake) */
    size_t encrypted_bytes;

    /* an alert in the clear (first one) */
    int alert; /* seen */
    int alert_level, alert_desc;
    int alert_after_hello; /* came after a ServerHello */

    char malformed[64]; /* why decoding stopped early, "" when it did not */
} ptls_server_flight;

/* client_sid: the legacy_session_id the client sent (for the echo check). */
void ptls_sf_decode(const unsigned char *data, size_t len, const unsigned char *client_sid,
                    size_t client_sid_len, ptls_server_flight *out);
/* Whether the flight is over by its own content: an alert, ServerHelloDone,
 * a TLS 1.2 ChangeCipherSpec (resumption), or undecodable bytes. A TLS 1.3
 * ServerHello or HRR is followed by records no one can read here: the
 * caller waits for a quiet period. */
int ptls_sf_complete(const ptls_server_flight *f);

/* Names: handshake message type ("certificate"), group names with the
 * hybrid ML-KEM groups the group table lacks. */
const char *ptls_sf_msg_name(uint8_t type);
/* buf: at least 24 bytes. */
const char *ptls_sf_group_name(uint16_t id, char *buf);

#endif
