/* polytls bench load generator: a real TLS client on OpenSSL, one thread,
 * non-blocking sockets + epoll. Every run is bounded by a count (-n) and a
 * wall-clock deadline (-t); it prints one JSON object on stdout.
 *
 * Modes
 *   hs    N connections, C at a time: TCP connect, full or resumed handshake,
 *         close_notify, read until the server closes (this also reads the
 *         TLS 1.3 session tickets). Latency = connect() to handshake done.
 *   bulk  N connections, C at a time: handshake, "GET PATH HTTP/1.0", read the
 *         body (Content-Length, or until EOF when there is none).
 *   idle  open N connections (C handshakes in flight), keep them all; print
 *         {"held":N} on stderr, hold until a line on stdin, EOF on stdin or
 *         -hold seconds, then close them all.
 *
 * Build: cc -O2 -o loadgen loadgen.c -lssl -lcrypto
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { M_HS, M_BULK, M_IDLE };
enum { R_NONE, R_TICKET, R_ID };
enum { S_CONNECTING, S_HANDSHAKE, S_SHUTDOWN, S_READEOF, S_WRITEREQ, S_READRESP, S_HELD };

typedef struct conn {
    int fd, state, slot;
    SSL *ssl;
    double t0, thandshake;
    size_t hdr_len;
    char hdr[8192];
    long long content_length, body;
    int got_hdr;
    unsigned events;
} conn;

static int mode = M_HS, resume = R_NONE, tlsver = 13, conc = 16, nsrc = 0;
static long total = 100;
static double deadline_s = 10, hold_s = 30, conn_timeout = 15;
static const char *host = "127.0.0.1", *path = "/big.bin";
static int port = 4433;
static struct in_addr srcs[16];
static SSL_SESSION *latest_sess;
static int epfd;
static long launched, ok, failed, resumed_n, held;
static long long total_body;
static double *lat;
static long nlat;
static char first_err[256];
static char proto_seen[32], cipher_seen[64];

static double cpu_self(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static void put_err(void)
{
    for (const char *p = first_err; *p; p++)
        if (*p != '"' && *p != '\\' && (unsigned char)*p >= 32) putchar(*p);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void note_err(const char *what)
{
    if (first_err[0]) return;
    unsigned long e = ERR_peek_error();
    char buf[160] = "";
    if (e) ERR_error_string_n(e, buf, sizeof buf);
    snprintf(first_err, sizeof first_err, "%s %s %s", what, buf, errno ? strerror(errno) : "");
}

static int new_sess_cb(SSL *ssl, SSL_SESSION *sess)
{
    (void)ssl;
    if (!SSL_SESSION_is_resumable(sess)) return 0;
    if (latest_sess) SSL_SESSION_free(latest_sess);
    latest_sess = sess; /* we keep the reference */
    return 1;
}

static void set_events(conn *c, unsigned ev)
{
    if (c->events == ev) return;
    struct epoll_event e = {.events = ev, .data.ptr = c};
    epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &e);
    c->events = ev;
}

static void conn_close(conn *c, int success)
{
    if (success) ok++;
    else failed++;
    struct linger lg = {1, 0}; /* RST: no TIME_WAIT on either side */
    setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    if (c->ssl) SSL_free(c->ssl);
    free(c);
}

static conn *conn_open(SSL_CTX *ctx)
{
    conn *c = calloc(1, sizeof *c);
    c->t0 = now();
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0) {
        note_err("socket");
        free(c);
        return NULL;
    }
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (nsrc) {
        struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr = srcs[launched % nsrc]};
        setsockopt(c->fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        if (bind(c->fd, (struct sockaddr *)&sa, sizeof sa) != 0) note_err("bind");
    }
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, host, &sa.sin_addr);
    c->ssl = SSL_new(ctx);
    SSL_set_fd(c->ssl, c->fd);
    if (resume != R_NONE && latest_sess) SSL_set_session(c->ssl, latest_sess);
    int r = connect(c->fd, (struct sockaddr *)&sa, sizeof sa);
    struct epoll_event e = {.events = EPOLLOUT, .data.ptr = c};
    c->events = EPOLLOUT;
    if (r != 0 && errno != EINPROGRESS) {
        note_err("connect");
        epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &e);
        conn_close(c, 0);
        return NULL;
    }
    c->state = S_CONNECTING;
    epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &e);
    return c;
}

/* returns 1 if the connection is finished (closed) */
static int want(conn *c, int r)
{
    int e = SSL_get_error(c->ssl, r);
    if (e == SSL_ERROR_WANT_READ) {
        set_events(c, EPOLLIN);
        return 0;
    }
    if (e == SSL_ERROR_WANT_WRITE) {
        set_events(c, EPOLLOUT);
        return 0;
    }
    return -1;
}

static int step(conn *c)
{
    for (;;) {
        int r;
        switch (c->state) {
        case S_CONNECTING: {
            int err = 0;
            socklen_t l = sizeof err;
            getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &l);
            if (err) {
                errno = err;
                note_err("connect");
                conn_close(c, 0);
                return 1;
            }
            c->state = S_HANDSHAKE;
            break;
        }
        case S_HANDSHAKE:
            ERR_clear_error();
            r = SSL_connect(c->ssl);
            if (r != 1) {
                if (want(c, r) == 0) return 0;
                note_err("handshake");
                conn_close(c, 0);
                return 1;
            }
            c->thandshake = now();
            if (nlat < total) lat[nlat++] = c->thandshake - c->t0;
            if (SSL_session_reused(c->ssl)) resumed_n++;
            if (!proto_seen[0]) {
                snprintf(proto_seen, sizeof proto_seen, "%s", SSL_get_version(c->ssl));
                snprintf(cipher_seen, sizeof cipher_seen, "%s", SSL_get_cipher_name(c->ssl));
            }
            if (mode == M_HS) c->state = S_SHUTDOWN;
            else if (mode == M_BULK) {
                c->state = S_WRITEREQ;
                c->hdr_len = (size_t)snprintf(c->hdr, sizeof c->hdr, "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n", path, host);
            } else {
                c->state = S_HELD;
                held++;
                set_events(c, 0);
                return 0;
            }
            break;
        case S_SHUTDOWN:
            ERR_clear_error();
            r = SSL_shutdown(c->ssl);
            if (r < 0) {
                if (want(c, r) == 0) return 0;
                conn_close(c, 1); /* the handshake was done; the close is not what we measure */
                return 1;
            }
            c->state = S_READEOF;
            break;
        case S_READEOF: {
            char buf[4096];
            ERR_clear_error();
            r = SSL_read(c->ssl, buf, sizeof buf);
            if (r > 0) continue;
            int e = SSL_get_error(c->ssl, r);
            if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
                set_events(c, e == SSL_ERROR_WANT_READ ? EPOLLIN : EPOLLOUT);
                return 0;
            }
            conn_close(c, 1); /* close_notify, EOF or reset after a finished handshake */
            return 1;
        }
        case S_WRITEREQ:
            ERR_clear_error();
            r = SSL_write(c->ssl, c->hdr, (int)c->hdr_len);
            if (r <= 0) {
                if (want(c, r) == 0) return 0;
                note_err("write");
                conn_close(c, 0);
                return 1;
            }
            c->hdr_len = 0;
            c->content_length = -1;
            c->state = S_READRESP;
            break;
        case S_READRESP: {
            static char buf[1 << 16];
            ERR_clear_error();
            r = SSL_read(c->ssl, buf, sizeof buf);
            if (r <= 0) {
                int e = SSL_get_error(c->ssl, r);
                if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
                    set_events(c, e == SSL_ERROR_WANT_READ ? EPOLLIN : EPOLLOUT);
                    return 0;
                }
                /* EOF: success only when no length was announced */
                int good = c->got_hdr && c->content_length < 0 && c->body > 0;
                if (!good) note_err("short body");
                total_body += c->body;
                conn_close(c, good);
                return 1;
            }
            size_t off = 0;
            if (!c->got_hdr) {
                size_t take = (size_t)r;
                if (take > sizeof c->hdr - 1 - c->hdr_len) take = sizeof c->hdr - 1 - c->hdr_len;
                memcpy(c->hdr + c->hdr_len, buf, take);
                size_t old = c->hdr_len;
                c->hdr_len += take;
                c->hdr[c->hdr_len] = 0;
                char *end = strstr(c->hdr, "\r\n\r\n");
                if (!end) {
                    if (c->hdr_len >= sizeof c->hdr - 1) {
                        note_err("header too long");
                        conn_close(c, 0);
                        return 1;
                    }
                    continue;
                }
                c->got_hdr = 1;
                if (strncmp(c->hdr, "HTTP/1.", 7) != 0 || strncmp(c->hdr + 9, "200", 3) != 0) {
                    snprintf(first_err, sizeof first_err, "status: %.40s", c->hdr);
                    conn_close(c, 0);
                    return 1;
                }
                for (char *p = c->hdr; p < end; p++)
                    if ((p == c->hdr || p[-1] == '\n') && strncasecmp(p, "content-length:", 15) == 0)
                        c->content_length = atoll(p + 15);
                off = (size_t)(end + 4 - c->hdr) - old;
            }
            c->body += r - (long long)off;
            if (c->content_length >= 0 && c->body >= c->content_length) {
                total_body += c->body;
                conn_close(c, 1);
                return 1;
            }
            break;
        }
        default:
            return 0;
        }
    }
}

static int cmpd(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(double p)
{
    if (!nlat) return 0;
    long i = (long)(p / 100.0 * (nlat - 1) + 0.5);
    return lat[i] * 1000.0;
}

static void usage(void)
{
    fprintf(stderr, "usage: loadgen -mode hs|bulk|idle -port P [-host A] [-tls 12|13] [-n N] [-c C] [-t S]\n"
                    "  [-resume none|ticket|id] [-path /file] [-src a,b,..] [-hold S]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) usage();
        i++;
        if (!strcmp(a, "-mode")) mode = !strcmp(v, "hs") ? M_HS : !strcmp(v, "bulk") ? M_BULK : !strcmp(v, "idle") ? M_IDLE : -1;
        else if (!strcmp(a, "-host")) host = v;
        else if (!strcmp(a, "-port")) port = atoi(v);
        else if (!strcmp(a, "-tls")) tlsver = atoi(v);
        else if (!strcmp(a, "-n")) total = atol(v);
        else if (!strcmp(a, "-c")) conc = atoi(v);
        else if (!strcmp(a, "-t")) deadline_s = atof(v);
        else if (!strcmp(a, "-hold")) hold_s = atof(v);
        else if (!strcmp(a, "-path")) path = v;
        else if (!strcmp(a, "-resume")) resume = !strcmp(v, "ticket") ? R_TICKET : !strcmp(v, "id") ? R_ID : R_NONE;
        else if (!strcmp(a, "-src")) {
            char *s = strdup(v), *save = NULL;
            for (char *t = strtok_r(s, ",", &save); t && nsrc < 16; t = strtok_r(NULL, ",", &save))
                if (inet_pton(AF_INET, t, &srcs[nsrc]) == 1) nsrc++;
        } else usage();
    }
    if (mode < 0 || total < 1 || conc < 1) usage();
    signal(SIGPIPE, SIG_IGN);
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);

    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    int v = tlsver == 12 ? TLS1_2_VERSION : TLS1_3_VERSION;
    SSL_CTX_set_min_proto_version(ctx, v);
    SSL_CTX_set_max_proto_version(ctx, v);
    /* the same suite and group for every server, so that each does the same work */
    SSL_CTX_set_ciphersuites(ctx, "TLS_AES_128_GCM_SHA256");
    SSL_CTX_set_cipher_list(ctx, "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256");
    /* X25519 for the key exchange (the only TLS 1.3 key share); P-256 listed too,
     * since in TLS 1.2 the groups also bound the curve of an ECDSA certificate */
    SSL_CTX_set1_groups_list(ctx, "X25519:P-256");
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
    if (resume == R_ID) SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
    if (resume != R_NONE) {
        SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
        SSL_CTX_sess_set_new_cb(ctx, new_sess_cb);
    }

    lat = calloc((size_t)total, sizeof *lat);
    epfd = epoll_create1(EPOLL_CLOEXEC);
    conn **held_list = mode == M_IDLE ? calloc((size_t)total, sizeof *held_list) : NULL;
    long nheld_list = 0;
    struct epoll_event evs[256];
    double start = now(), end_launch = start + deadline_s, hard_end = end_launch + conn_timeout;
    long inflight = 0; /* connections not yet finished or held */
    double cpu0 = cpu_self();

    /* with resumption: one priming connection, not counted, to get a session */
    if (resume != R_NONE) {
        long save_total = total;
        conn *c = conn_open(ctx);
        if (c) {
            inflight = 1;
            while (inflight && now() < hard_end) {
                int n = epoll_wait(epfd, evs, 256, 100);
                for (int i = 0; i < n; i++)
                    if (step(evs[i].data.ptr)) inflight--;
            }
        }
        ok = failed = resumed_n = nlat = 0;
        total = save_total;
        if (!latest_sess) {
            printf("{\"error\":\"no session from the priming connection: %s\"}\n", first_err);
            return 1;
        }
        first_err[0] = 0;
        cpu0 = cpu_self();
        start = now();
        end_launch = start + deadline_s;
        hard_end = end_launch + conn_timeout;
    }

    double last_done = start;
    while (1) {
        double t = now();
        while (inflight < conc && launched < total && t < end_launch) {
            conn *c = conn_open(ctx);
            launched++;
            if (c) {
                inflight++;
                if (held_list) held_list[nheld_list++] = c;
            }
        }
        if (inflight == 0 && (launched >= total || t >= end_launch)) break;
        if (t >= hard_end) break;
        int n = epoll_wait(epfd, evs, 256, 50);
        for (int i = 0; i < n; i++) {
            conn *c = evs[i].data.ptr;
            int was_held = c->state == S_HELD;
            if (was_held) continue;
            int fin = step(c);
            if (fin) {
                inflight--;
                last_done = now();
                if (held_list) /* remove from the held list */
                    for (long k = nheld_list - 1; k >= 0; k--)
                        if (held_list[k] == c) {
                            held_list[k] = held_list[--nheld_list];
                            break;
                        }
            } else if (c->state == S_HELD) {
                inflight--;
                last_done = now();
            }
        }
    }
    double elapsed = last_done - start;
    if (elapsed <= 0) elapsed = now() - start;
    long aborted = inflight;
    double client_cpu = cpu_self() - cpu0;

    if (mode == M_IDLE) {
        fprintf(stderr, "{\"held\":%ld}\n", held);
        fflush(stderr);
        /* hold: until a line or EOF on stdin, or hold_s; connections that the
         * server closes meanwhile are counted */
        struct pollfd p = {.fd = 0, .events = POLLIN};
        poll(&p, 1, (int)(hold_s * 1000));
        long still = 0;
        for (long k = 0; k < nheld_list; k++) {
            conn *c = held_list[k];
            char b;
            ssize_t r = recv(c->fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);
            int alive = 1;
            if (r == 0) alive = 0;
            else if (r < 0 && errno != EAGAIN) alive = 0;
            else if (r > 0) { /* data: tickets; check for a pending FIN after them via a non-TLS peek is not possible; count alive */
            }
            still += alive;
            conn_close(c, 1);
        }
        ok = held;
        printf("{\"mode\":\"idle\",\"target\":%ld,\"held\":%ld,\"still_open_at_end\":%ld,\"failed\":%ld,\"elapsed\":%.3f,"
               "\"client_cpu\":%.3f,\"proto\":\"%s\",\"cipher\":\"%s\",\"error\":\"",
               total, held, still, failed, elapsed, client_cpu, proto_seen, cipher_seen);
        put_err();
        printf("\"}\n");
        return 0;
    }
    qsort(lat, (size_t)nlat, sizeof *lat, cmpd);
    printf("{\"mode\":\"%s\",\"tls\":%d,\"resume\":\"%s\",\"conc\":%d,\"launched\":%ld,\"ok\":%ld,\"failed\":%ld,"
           "\"aborted\":%ld,\"resumed\":%ld,\"elapsed\":%.4f,\"client_cpu\":%.3f,\"rate\":%.2f,\"bytes\":%lld,"
           "\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f,\"proto\":\"%s\",\"cipher\":\"%s\",\"error\":\"",
           mode == M_HS ? "hs" : "bulk", tlsver, resume == R_TICKET ? "ticket" : resume == R_ID ? "id" : "none", conc,
           launched, ok, failed, aborted, resumed_n, elapsed, client_cpu, ok / elapsed, total_body, pct(50), pct(90), pct(99),
           pct(100), proto_seen, cipher_seen);
    put_err();
    printf("\"}\n");
    return 0;
}
