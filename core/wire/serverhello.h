/* Reads the server's own first flight as the core sends it, so that what a
 * library cannot report (Mbed TLS has no API for the negotiated group or for
 * resumption) is still known, the same way for every backend. Only the
 * cleartext part is read: TLS 1.2 up to ChangeCipherSpec, TLS 1.3 up to the
 * first encrypted record. */
#ifndef PTLS_SERVERHELLO_H
#define PTLS_SERVERHELLO_H

#include <stddef.h>
#include <stdint.h>

/* Streaming: only record and message headers and the first bytes of the
 * messages it reads are kept (about 1 kB per connection). */
typedef struct ptls_sh_parser {
    unsigned char rec_hdr[5];
    size_t rec_hdr_len, rec_left; /* header bytes seen; body bytes still to come */
    unsigned char hs_hdr[4];
    size_t hs_hdr_len, hs_left; /* same for the current handshake message */
    unsigned char msg[1024];    /* the first bytes of the current message body */
    size_t msg_len;
    int done; /* nothing more to learn */
    int saw_server_hello, saw_server_hello_done, saw_ccs_before_done;
    uint16_t version; /* negotiated: supported_versions or legacy */
    uint16_t cipher;  /* cipher suite id */
    uint16_t group;   /* key_share (1.3) or ServerKeyExchange named curve (1.2), 0 unknown */
    int psk_ext;      /* TLS 1.3 ServerHello carried pre_shared_key */
    uint16_t sigalg;  /* TLS 1.2 ServerKeyExchange signature scheme, 0 unknown */
} ptls_sh_parser;

void ptls_sh_init(ptls_sh_parser *p);
/* Feed bytes exactly as sent to the client. */
void ptls_sh_feed(ptls_sh_parser *p, const unsigned char *data, size_t len);
/* 1 resumed, 0 full handshake, -1 unknown. */
int ptls_sh_resumed(const ptls_sh_parser *p);

#endif
