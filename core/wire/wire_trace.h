/* Reading the TLS record stream in both directions as the core moves it:
 * -msg (every record and cleartext handshake message, the same format on
 * every backend), -debug (hex dump of all traffic), and the alerts either
 * side sent in the clear (for -json and canonical errors). */
#ifndef PTLS_WIRE_TRACE_H
#define PTLS_WIRE_TRACE_H

#include <stddef.h>
#include <stdio.h>

enum ptls_wire_direction { PTLS_WIRE_IN = 0, PTLS_WIRE_OUT = 1 };

typedef struct ptls_wire_dir {
    int dtls; /* DTLS records: 13-byte headers (epoch and sequence number) */
    unsigned char hdr[13];
    size_t hdr_len;
    size_t left;        /* body bytes of the current record still to come */
    unsigned char *rec; /* current record body, kept only for -msg */
    size_t rec_len, rec_cap;
    unsigned char alert[2];
    size_t alert_len;
    int encrypted; /* a ChangeCipherSpec went this way: later handshake records are protected */
    int not_tls;   /* the stream is not TLS records: stop reading it */
    int last_alert_level, last_alert; /* -1 none */
} ptls_wire_dir;

void ptls_wire_init(ptls_wire_dir *d);
/* Feed bytes moved in one direction. With msg != NULL, print each record
 * (-msg). Alerts in the clear are remembered in last_alert*. */
void ptls_wire_feed(ptls_wire_dir *d, int dir, const unsigned char *p, size_t n, FILE *msg);
void ptls_wire_free(ptls_wire_dir *d);
/* -debug: one chunk as read or written, s_server's BIO_dump layout. */
void ptls_wire_hexdump(FILE *out, const char *title, const unsigned char *p, size_t n);

#endif
