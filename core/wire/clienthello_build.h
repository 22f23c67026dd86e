/* A ClientHello builder: the bytes of a TLS ClientHello put together field
 * by field, for `polytls compare`'s corpus and the tests. Nothing here is a
 * captured hello of another stack: every byte comes from the calls below.
 *
 * It builds what it is told, valid or not (duplicate extensions, a 33-byte
 * session id, lengths that overflow a record): the point is to see what
 * each server does with it. Randomness (the hello's random, key shares) is
 * a fixed pseudo-random sequence, so a case always gives the same bytes.
 *
 * Usage:
 *     ptls_chb b;
 *     ptls_chb_init(&b);
 *     ptls_chb_cipher(&b, 0x1301);
 *     ptls_chb_versions(&b, (uint16_t[]){0x0304}, 1);
 *     ptls_chb_key_share(&b, (uint16_t[]){0x001d}, 1);
 *     ptls_buf rec = {0};
 *     ptls_chb_records(&b, 0x0301, 1, &rec);   // one record, ready to send
 *     ptls_chb_free(&b);
 */
#ifndef PTLS_CLIENTHELLO_BUILD_H
#define PTLS_CLIENTHELLO_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "base/buffer.h"

/* Extension types the helpers below write. */
enum {
    PTLS_EXT_SERVER_NAME = 0,
    PTLS_EXT_STATUS_REQUEST = 5,
    PTLS_EXT_SUPPORTED_GROUPS = 10,
    PTLS_EXT_EC_POINT_FORMATS = 11,
    PTLS_EXT_SIGNATURE_ALGORITHMS = 13,
    PTLS_EXT_ALPN = 16,
    PTLS_EXT_PADDING = 21,
    PTLS_EXT_ENCRYPT_THEN_MAC = 22,
    PTLS_EXT_EXTENDED_MASTER_SECRET = 23,
    PTLS_EXT_RECORD_SIZE_LIMIT = 28,
    PTLS_EXT_SESSION_TICKET = 35,
    PTLS_EXT_PRE_SHARED_KEY = 41,
    PTLS_EXT_EARLY_DATA = 42,
    PTLS_EXT_SUPPORTED_VERSIONS = 43,
    PTLS_EXT_COOKIE = 44,
    PTLS_EXT_PSK_KEY_EXCHANGE_MODES = 45,
    PTLS_EXT_KEY_SHARE = 51,
    PTLS_EXT_ECH = 0xfe0d,
    PTLS_EXT_RENEGOTIATION_INFO = 0xff01
};

#define PTLS_CHB_MAX_CIPHERS 256
#define PTLS_CHB_MAX_SESSION_ID 255

typedef struct ptls_chb {
    uint16_t legacy_version; /* default 0x0303 */
    unsigned char random[32];
    unsigned char session_id[PTLS_CHB_MAX_SESSION_ID];
    size_t session_id_len; /* default 0; any length up to 255 is written as given */
    uint16_t ciphers[PTLS_CHB_MAX_CIPHERS];
    size_t n_ciphers;
    unsigned char compression[16]; /* default {0} (null) */
    size_t n_compression;
    int no_extensions; /* omit the extensions block entirely (a TLS 1.0-style hello) */
    ptls_buf exts;     /* the extensions as written, type(2) len(2) data */
    uint64_t rng;      /* the pseudo-random sequence's state */
} ptls_chb;

void ptls_chb_init(ptls_chb *b);
void ptls_chb_free(ptls_chb *b);
/* The next pseudo-random bytes (xorshift; same sequence for every build). */
void ptls_chb_random_bytes(ptls_chb *b, unsigned char *out, size_t n);

void ptls_chb_cipher(ptls_chb *b, uint16_t id);
void ptls_chb_ciphers(ptls_chb *b, const uint16_t *ids, size_t n);
/* A legacy session id of len pseudo-random bytes (0..255). */
void ptls_chb_session_id(ptls_chb *b, size_t len);

/* Any extension, body as given. */
void ptls_chb_ext(ptls_chb *b, uint16_t type, const void *data, size_t len);
/* An extension whose body is len pseudo-random bytes. */
void ptls_chb_ext_random(ptls_chb *b, uint16_t type, size_t len);
/* server_name with one host_name of len bytes (len may be 0 or over 255). */
void ptls_chb_sni(ptls_chb *b, const char *host, size_t len);
/* application_layer_protocol_negotiation from a comma-separated list. */
void ptls_chb_alpn(ptls_chb *b, const char *list);
void ptls_chb_groups(ptls_chb *b, const uint16_t *ids, size_t n);
void ptls_chb_sigalgs(ptls_chb *b, const uint16_t *ids, size_t n);
void ptls_chb_versions(ptls_chb *b, const uint16_t *ids, size_t n);
/* key_share with one entry per group: X25519 32 random bytes (any 32 bytes
 * are a valid X25519 public key), P-256 and P-384 the curve's generator point
 * (uncompressed, a valid point), X448 56 random bytes, X25519MLKEM768 1216
 * random bytes, any other group 32 random bytes (GREASE: 1 byte). */
void ptls_chb_key_share(ptls_chb *b, const uint16_t *groups, size_t n);
/* key_share with one entry of an explicit length (random bytes). */
void ptls_chb_key_share_len(ptls_chb *b, uint16_t group, size_t len);
/* key_share with one X25519MLKEM768 (0x11ec) entry whose ML-KEM-768
 * encapsulation key is well formed (every coefficient below q = 3329, so it
 * passes the FIPS 203 modulus check) followed by 32 bytes for X25519: 1216
 * bytes a server can encapsulate to. */
void ptls_chb_key_share_mlkem768_x25519(ptls_chb *b);
/* psk_key_exchange_modes; ec_point_formats. */
void ptls_chb_psk_modes(ptls_chb *b, const uint8_t *modes, size_t n);
void ptls_chb_point_formats(ptls_chb *b, const uint8_t *formats, size_t n);
/* pre_shared_key with one identity of id_len random bytes, the given
 * obfuscated age and one binder of binder_len random bytes (a binder that
 * cannot verify). Must be the last extension to be valid. */
void ptls_chb_psk(ptls_chb *b, size_t id_len, uint32_t age, size_t binder_len);
/* padding up to a total handshake message length of target bytes (no-op
 * when the hello is already that long). Call last. */
void ptls_chb_pad_to(ptls_chb *b, size_t target);

/* A typical modern hello's extensions and suites: TLS 1.3 + 1.2 suites,
 * SNI "localhost", supported_groups X25519 P-256 P-384, sigalgs (ECDSA,
 * RSA-PSS, RSA PKCS#1), supported_versions 1.3 1.2, psk modes, key_share
 * X25519, ec_point_formats, EMS, renegotiation_info, session ticket. */
void ptls_chb_modern(ptls_chb *b);
/* The same with another host_name (host NULL: no server_name at all). */
void ptls_chb_modern_sni(ptls_chb *b, const char *host, size_t len);
/* A TLS 1.2-only hello: 1.2 ECDHE and RSA suites, SNI, groups, sigalgs,
 * ec_point_formats, EMS, renegotiation_info. */
void ptls_chb_tls12(ptls_chb *b);
void ptls_chb_tls12_sni(ptls_chb *b, const char *host, size_t len);

/* The handshake message: type 1, 24-bit length, body. */
int ptls_chb_message(const ptls_chb *b, ptls_buf *out);
/* The message in n_records TLS records (split as evenly as possible) of
 * record_version; records over 2^14 are written as they come if the
 * message is longer than n_records * 2^14 bytes. */
int ptls_chb_records(const ptls_chb *b, uint16_t record_version, unsigned n_records, ptls_buf *out);
/* Wraps any handshake bytes in records of at most max_frag bytes. */
int ptls_chb_wrap(const unsigned char *msg, size_t len, uint16_t record_version, size_t max_frag,
                  ptls_buf *out);

#endif
