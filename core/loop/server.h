/* The server: listening sockets, the epoll loop, stdin, timers and orderly
 * exit. The serving mode plugs in through ptls_mode_ops; connections are in
 * conn.h. */
#ifndef PTLS_SERVER_H
#define PTLS_SERVER_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "base/buffer.h"
#include "options/server_opts.h"
#include "polytls/backend.h"

typedef struct ptls_server ptls_server;
typedef struct ptls_conn ptls_conn;

/* What the loop calls above itself: the serving mode's hooks, one table per
 * server, installed by whoever starts the server (modes/ has one per mode).
 * A NULL member is skipped. */
typedef struct ptls_mode_ops {
    const char *name;
    /* Once, after the handshake. */
    void (*on_established)(ptls_conn *c);
    /* Plaintext received. */
    void (*on_data)(ptls_conn *c, const unsigned char *p, size_t n);
    /* The output queue is empty; may queue more (file streaming). */
    void (*on_drained)(ptls_conn *c);
    /* A renegotiation the mode waits for (c->reneg_wait, cleared by the
     * connection before the call) completed, or its wait timed out
     * (completed == 0). */
    void (*on_reneg_done)(ptls_conn *c, int completed);
    /* The connection is about to be destroyed. */
    void (*on_closed)(ptls_conn *c);
    /* A line typed on stdin (s_server's interactive session). */
    void (*on_stdin_line)(ptls_server *s, const char *line, size_t n);
} ptls_mode_ops;

typedef struct ptls_stats {
    long accepts, handshakes, resumed, handshake_failures, timeouts, rejected;
    long cookie_exchanges; /* DTLS: stateless HelloVerifyRequests sent */
    long dtls_dropped;     /* DTLS: datagrams from unknown peers that were not a ClientHello */
} ptls_stats;

struct ptls_server {
    ptls_server_opts *o;
    const ptls_backend *be;
    const ptls_mode_ops *mode;
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

/* Monotonic clock. */
int64_t ptls_now_ms(void);
int64_t ptls_now_us(void);

/* Sets everything up from validated options and runs until done. Returns
 * the process exit code. */
int ptls_server_run(ptls_server_opts *o, const ptls_backend *be, const ptls_mode_ops *mode);

#endif
