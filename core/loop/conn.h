/* One client connection of the loop: the core-owned transport the backend
 * reads and writes ciphertext through (TCP socket or queued datagrams, every
 * byte passing the ClientHello inspector and the -msg/-debug tracers), and
 * the state machine that drives handshake, data and close_notify without
 * ever blocking. Above it, the serving mode is reached only through the
 * server's ptls_mode_ops table (server.h). */
#ifndef PTLS_CONN_H
#define PTLS_CONN_H

#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "base/buffer.h"
#include "polytls/backend.h"
#include "server.h"
#include "wire/clienthello.h"
#include "wire/serverhello.h"
#include "wire/wire_trace.h"

enum ptls_conn_state { CONN_HANDSHAKE, CONN_OPEN, CONN_CLOSING };

/* One queued datagram of a DTLS connection. */
typedef struct ptls_dgram {
    struct ptls_dgram *next;
    size_t len;
    unsigned char data[];
} ptls_dgram;

struct ptls_conn {
    ptls_server *srv;
    int fd; /* TCP: the connection's socket; DTLS: -1 (the server's UDP socket is shared) */
    /* DTLS: the peer's address and the datagrams received from it, not yet
     * read by the backend. */
    int dtls;
    struct sockaddr_storage peer_addr;
    socklen_t peer_addr_len;
    ptls_dgram *inbox, *inbox_tail;
    int inbox_len;
    uint64_t id;
    char peer[96]; /* "127.0.0.1:50000" */
    void *tls;
    ptls_io io;
    int state;       /* enum ptls_conn_state */
    uint32_t events; /* current epoll interest */
    int64_t t_accept_ms, t_last_ms, t_closing_ms;
    ptls_buf in;          /* plaintext received, not yet consumed by the mode */
    ptls_buf out;         /* plaintext to send */
    size_t write_pending; /* length of a write that returned WANT_*: retried as is */
    int file_fd;          /* -WWW body being streamed, -1 if none */
    off_t file_left;
    int close_after_flush;
    int http_requests; /* requests served on this connection (keep-alive) */
    /* GET /reneg: the page waits for the client's new handshake. */
    int reneg_wait;
    int64_t reneg_deadline_ms;
    const char *reneg_note;
    ptls_conn_info info;
    ptls_sh_parser server_flight; /* our own cleartext handshake, read as sent */
    uint64_t bytes_in, bytes_out; /* ciphertext */
    int64_t t_accept_us;
    ptls_ch_parser *hello;      /* the client's first flight, inspected by the core */
    int hello_status;           /* enum ptls_ch_status */
    ptls_hello_view hello_view; /* what backends may read of it (ptls_host.client_hello) */
    unsigned char *hello_alpn_wire;
    ptls_wire_dir wire[2]; /* record streams in (from the client) and out */
    int alert_reported[2];
    int peer_eof;             /* the client closed its side */
    const char *close_reason; /* for the closed event */
    int dead;                 /* destroyed; freed after the current event batch */
    ptls_conn *prev, *next;
};

/* For the modes: queue plaintext, close, drive. */
void ptls_conn_send(ptls_conn *c, const void *p, size_t n); /* queue plaintext */
void ptls_conn_sendf(ptls_conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ptls_conn_finish(ptls_conn *c); /* close_notify once everything queued is sent */
void ptls_conn_kick(ptls_conn *c);   /* drive the connection now (after queuing from outside) */
void ptls_conn_abort(ptls_conn *c);  /* close at once, no close_notify */

/* For the loop (server.c). */
/* A new TCP connection on fd; its TLS side is created when the client
 * first sends something. NULL on failure (the caller closes fd). */
ptls_conn *ptls_conn_new(ptls_server *s, int fd, const char *peer);
/* DTLS: a datagram from a peer with no connection. The backend does the
 * stateless cookie exchange; only a ClientHello with a valid cookie makes
 * a connection (a spoofed source address never gets one): NULL otherwise. */
ptls_conn *ptls_conn_dtls_accept(ptls_server *s, const struct sockaddr *addr, socklen_t alen,
                                 const char *peer, const unsigned char *dgram, size_t len);
/* Queue a datagram for a DTLS connection (bounded: a flood from one peer
 * cannot grow the queue without limit). 0, or -1 if dropped. */
int ptls_conn_push_dgram(ptls_conn *c, const unsigned char *p, size_t n);
/* An epoll event on this connection. */
void ptls_conn_event(ptls_conn *c, uint32_t ev);
/* Once a second: handshake, idle and close timeouts, GET /reneg waits. */
void ptls_conn_timers(ptls_server *s, int64_t now);
/* DTLS retransmission timers: the soonest one, for the loop's epoll
 * timeout (ms, capped at cap), and firing the expired ones. */
int ptls_conn_dtls_next_timeout(ptls_server *s, int cap);
void ptls_conn_dtls_timers(ptls_server *s);
/* Frees the connections destroyed during the last event batch. */
void ptls_conn_reap(ptls_server *s);

/* ptls_host.client_hello: the inspector's view of the connection whose
 * ptls_io.ctx is io_ctx, NULL until its ClientHello is parsed. */
const ptls_hello_view *ptls_conn_hello_view(void *io_ctx);

#endif
