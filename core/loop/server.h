/* The server: listening sockets, the epoll loop, connections and stdin. */
#ifndef PTLS_SERVER_H
#define PTLS_SERVER_H

#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "base/buffer.h"
#include "polytls/backend.h"
#include "options/server_opts.h"
#include "wire/clienthello.h"
#include "wire/serverhello.h"
#include "wire/wire_trace.h"

enum ptls_conn_state { CONN_HANDSHAKE, CONN_OPEN, CONN_CLOSING };

typedef struct ptls_server ptls_server;
typedef struct ptls_conn ptls_conn;

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

typedef struct ptls_stats {
    long accepts, handshakes, resumed, handshake_failures, timeouts, rejected;
    long cookie_exchanges; /* DTLS: stateless HelloVerifyRequests sent */
    long dtls_dropped;     /* DTLS: datagrams from unknown peers that were not a ClientHello */
} ptls_stats;

struct ptls_server {
    ptls_server_opts *o;
    const ptls_backend *be;
    void *tls_server;
    int epfd;
    int listen_fd[2];
    int n_listen;
    int listening;
    int udp_fd; /* DTLS: the one UDP socket, -1 for TCP */
    int64_t accept_paused_until_ms;
    ptls_conn *conns;
    ptls_conn *graveyard;   /* destroyed connections awaiting free() */
    long closed_since_trim; /* connections freed since memory was last returned */
    int n_conns;
    ptls_conn *current; /* most recent connection, target of stdin */
    int stdin_watched;
    ptls_buf stdin_buf;
    int stop;     /* leave the loop now (signal) */
    int draining; /* stop accepting; exit once every connection has closed (Q) */
    int exit_code;
    uint64_t next_id;
    ptls_stats stats;
    char www_root[4096];   /* realpath of the current directory (-WWW/-HTTP) */
    FILE *msg_out;         /* -msg and -debug output (stdout or -msgfile) */
    pid_t worker_pids[64]; /* -workers: the other workers (in the parent only) */
    int n_workers;
};

int64_t ptls_now_ms(void);
/* How long GET /reneg waits for the client's new handshake before it
 * answers anyway (s_server waits forever). */
#define PTLS_RENEG_WAIT_MS 10000
int64_t ptls_now_us(void);

/* Sets everything up from validated options and runs until done. Returns
 * the process exit code. */
int ptls_server_run(ptls_server_opts *o, const ptls_backend *be);

/* Connection helpers for the modes. */
void ptls_conn_send(ptls_conn *c, const void *p, size_t n); /* queue plaintext */
void ptls_conn_sendf(ptls_conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ptls_conn_finish(ptls_conn *c); /* close_notify once everything queued is sent */
void ptls_conn_kick(ptls_conn *c);   /* drive the connection now (after queuing from outside) */
void ptls_conn_abort(ptls_conn *c);  /* close at once, no close_notify */

/* Modes (mode_*.c). on_established runs once after the handshake; on_data
 * gets plaintext; on_drained runs when the output queue is empty and may
 * queue more (file streaming). */
void ptls_mode_on_established(ptls_conn *c);
void ptls_mode_on_data(ptls_conn *c, const unsigned char *p, size_t n);
void ptls_mode_on_drained(ptls_conn *c);
/* A renegotiation the mode waits for (reneg_wait) completed, or its wait
 * timed out (completed == 0). */
void ptls_mode_on_reneg_done(ptls_conn *c, int completed);
void ptls_mode_on_closed(ptls_conn *c);

/* Stdin commands of the echo mode (mode_echo.c). */
void ptls_stdin_line(ptls_server *s, const char *line, size_t n);

#endif
