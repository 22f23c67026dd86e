/* One TLS connection: the core-owned transport the backend reads and writes
 * ciphertext through, and the state machine that drives handshake, data and
 * close_notify without ever blocking the event loop. */
#include "conn.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "output/events.h"
#include "output/hello_report.h"
#include "output/report.h"
#include "wire/error_names.h"
#include "wire/group_table.h"
#include "wire/hello_view.h"

/* Largest plaintext chunk handed to the backend per call: one TLS record. */
#define PTLS_CHUNK 16384

const ptls_hello_view *ptls_conn_hello_view(void *io_ctx)
{
    ptls_conn *c = io_ctx;
    return c && c->hello_status == PTLS_CH_DONE ? &c->hello_view : NULL;
}

/* The client's first flight went through the inspector: show it. */
static void on_client_hello(ptls_conn *c)
{
    ptls_server_opts *o = c->srv->o;
    const ptls_client_hello *ch = ptls_ch_result(c->hello);
    if (ch && !c->hello_view.ciphers) ptls_hello_view_fill(&c->hello_view, ch, &c->hello_alpn_wire);
    /* DTLS: a hello still in the cookie exchange has no connection yet;
     * it is reported when (if) the connection is made. */
    if (c->dtls && c->id == 0) return;
    if (ch && !o->quiet) {
        if (o->brief) ptls_hello_print_brief(ch, stderr);
        if (o->tlsextdebug) ptls_hello_print_extensions(ch, stdout);
    }
    if (!ch && !o->quiet && c->hello_status == PTLS_CH_NOT_TLS)
        fprintf(stderr, "polytls: %s: not a TLS client (%s)\n", c->peer, ptls_ch_reason(c->hello));
    ptls_event_client_hello(c->id, c->hello, c->hello_status);
}

/* Everything the client sends passes here: the inspector, -msg, -debug. */
/* -debug's dump and -msg's record reader, for either direction. */
static void trace_bytes(ptls_conn *c, int dir, const unsigned char *buf, size_t n)
{
    ptls_server *s = c->srv;
    if (s->o->debug) {
        char title[160];
        snprintf(title, sizeof title, "%s %s (%zu bytes)", dir == PTLS_WIRE_IN ? "read from" : "write to",
                 c->peer, n);
        ptls_wire_hexdump(s->msg_out, title, buf, n);
    }
    ptls_wire_feed(&c->wire[dir], dir, buf, n, s->o->msg ? s->msg_out : NULL);
}

static void observe_in(ptls_conn *c, const unsigned char *buf, size_t n)
{
    trace_bytes(c, PTLS_WIRE_IN, buf, n);
    if (c->hello_status == PTLS_CH_MORE && c->state == CONN_HANDSHAKE) {
        if (!c->hello) {
            c->hello = malloc(sizeof *c->hello);
            if (!c->hello) return;
            ptls_ch_parser_init(c->hello, c->dtls);
        }
        c->hello_status = ptls_ch_feed(c->hello, buf, n);
        if (c->hello_status != PTLS_CH_MORE) on_client_hello(c);
    }
}

static void observe_out(ptls_conn *c, const unsigned char *buf, size_t n)
{
    trace_bytes(c, PTLS_WIRE_OUT, buf, n);
    if (c->state == CONN_HANDSHAKE && !c->server_flight.done) ptls_sh_feed(&c->server_flight, buf, n);
}

static long io_recv(void *ctx, unsigned char *buf, size_t len)
{
    ptls_conn *c = ctx;
    for (;;) {
        ssize_t n = recv(c->fd, buf, len, 0);
        if (n > 0) {
            c->bytes_in += (uint64_t)n;
            observe_in(c, buf, (size_t)n);
            return (long)n;
        }
        if (n == 0) {
            c->peer_eof = 1;
            return PTLS_CLOSED;
        }
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return PTLS_WANT_READ;
        return PTLS_ERROR;
    }
}

static long io_send(void *ctx, const unsigned char *buf, size_t len)
{
    ptls_conn *c = ctx;
    for (;;) {
        ssize_t n = send(c->fd, buf, len, MSG_NOSIGNAL);
        if (n >= 0) {
            c->bytes_out += (uint64_t)n;
            if (n > 0) observe_out(c, buf, (size_t)n);
            return n > 0 ? (long)n : PTLS_WANT_WRITE;
        }
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return PTLS_WANT_WRITE;
        return PTLS_ERROR;
    }
}

/* DTLS: one queued datagram per call. */
static long io_recv_dgram(void *ctx, unsigned char *buf, size_t len)
{
    ptls_conn *c = ctx;
    ptls_dgram *d = c->inbox;
    if (!d) return PTLS_WANT_READ;
    c->inbox = d->next;
    if (!c->inbox) c->inbox_tail = NULL;
    c->inbox_len--;
    size_t n = d->len < len ? d->len : len; /* a too small buffer truncates, as recv() would */
    memcpy(buf, d->data, n);
    free(d);
    c->bytes_in += n;
    observe_in(c, buf, n);
    return (long)n;
}

static long io_send_dgram(void *ctx, const unsigned char *buf, size_t len)
{
    ptls_conn *c = ctx;
    for (;;) {
        ssize_t n = sendto(c->srv->udp_fd, buf, len, MSG_NOSIGNAL, (struct sockaddr *)&c->peer_addr,
                           c->peer_addr_len);
        if (n >= 0) {
            c->bytes_out += (uint64_t)n;
            if (n > 0) observe_out(c, buf, (size_t)n);
            return (long)n;
        }
        if (errno == EINTR) continue;
        /* A full socket buffer loses the datagram like any lost UDP
         * packet: DTLS retransmission repairs handshake flights. */
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS) return (long)len;
        return PTLS_ERROR;
    }
}

int ptls_conn_push_dgram(ptls_conn *c, const unsigned char *p, size_t n)
{
    if (c->inbox_len >= 64) return -1;
    ptls_dgram *d = malloc(sizeof *d + n);
    if (!d) return -1;
    d->next = NULL;
    d->len = n;
    memcpy(d->data, p, n);
    if (c->inbox_tail)
        c->inbox_tail->next = d;
    else
        c->inbox = d;
    c->inbox_tail = d;
    c->inbox_len++;
    return 0;
}

static void set_interest(ptls_conn *c, uint32_t ev)
{
    if (c->dtls) return; /* datagrams and timers drive DTLS connections */
    if (c->events == ev) return;
    struct epoll_event e = {.events = ev, .data.ptr = c};
    if (epoll_ctl(c->srv->epfd, EPOLL_CTL_MOD, c->fd, &e) == 0) c->events = ev;
}

static void conn_link(ptls_server *s, ptls_conn *c)
{
    c->next = s->conns;
    if (s->conns) s->conns->prev = c;
    s->conns = c;
    s->n_conns++;
    s->current = c;
}

ptls_conn *ptls_conn_dtls_accept(ptls_server *s, const struct sockaddr *addr, socklen_t alen,
                                 const char *peer, const unsigned char *dgram, size_t len)
{
    ptls_conn *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->srv = s;
    c->fd = -1;
    c->dtls = 1;
    c->file_fd = -1;
    memcpy(&c->peer_addr, addr, alen);
    c->peer_addr_len = alen;
    snprintf(c->peer, sizeof c->peer, "%s", peer);
    c->io = (ptls_io){.ctx = c, .recv = io_recv_dgram, .send = io_send_dgram};
    c->close_reason = "closed";
    ptls_wire_init(&c->wire[0]);
    ptls_wire_init(&c->wire[1]);
    c->wire[0].dtls = c->wire[1].dtls = 1;
    ptls_sh_init(&c->server_flight);
    c->server_flight.done = 1; /* the TLS first-flight reader does not read DTLS */
    char err[512] = "";
    if (ptls_conn_push_dgram(c, dgram, len) == 0)
        c->tls = s->be->dtls_accept(s->tls_server, &c->io, addr, alen, err, sizeof err);
    if (!c->tls) {
        /* Anyone can send junk datagrams: reported only with -debug, so
         * they cannot flood the log; always counted. */
        if (!err[0])
            s->stats.cookie_exchanges++;
        else {
            s->stats.dtls_dropped++;
            if (s->o->debug) fprintf(stderr, "polytls: %s: datagram dropped: %s\n", peer, err);
        }
        while (c->inbox) {
            ptls_dgram *d = c->inbox;
            c->inbox = d->next;
            free(d);
        }
        if (c->hello) {
            ptls_ch_parser_free(c->hello);
            free(c->hello);
        }
        free(c->hello_alpn_wire);
        ptls_wire_free(&c->wire[0]);
        ptls_wire_free(&c->wire[1]);
        free(c);
        return NULL;
    }
    c->id = ++s->next_id;
    c->t_accept_ms = c->t_last_ms = ptls_now_ms();
    c->t_accept_us = ptls_now_us();
    s->stats.accepts++;
    ptls_event_accepted(c->id, c->peer, s->o->workers > 1);
    if (c->hello_status != PTLS_CH_MORE) on_client_hello(c);
    conn_link(s, c);
    return c;
}

ptls_conn *ptls_conn_new(ptls_server *s, int fd, const char *peer)
{
    ptls_conn *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->srv = s;
    c->fd = fd;
    c->file_fd = -1;
    c->id = ++s->next_id;
    snprintf(c->peer, sizeof c->peer, "%s", peer);
    c->t_accept_ms = c->t_last_ms = ptls_now_ms();
    c->t_accept_us = ptls_now_us();
    c->close_reason = "closed";
    ptls_wire_init(&c->wire[0]);
    ptls_wire_init(&c->wire[1]);
    c->io = (ptls_io){.ctx = c, .recv = io_recv, .send = io_send};
    ptls_sh_init(&c->server_flight);
    /* The backend's connection (tens of kB of buffers in some libraries) is
     * created when the client first sends something: idle sockets cost
     * almost nothing. */
    struct epoll_event e = {.events = EPOLLIN, .data.ptr = c};
    if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &e) != 0) {
        free(c);
        return NULL;
    }
    c->events = EPOLLIN;
    ptls_event_accepted(c->id, c->peer, s->o->workers > 1);
    conn_link(s, c);
    return c;
}

/* Alerts seen on the wire, each direction's last one reported once, ahead
 * of the event that follows them (handshake_done, error, closed). */
static void report_alerts(ptls_conn *c)
{
    for (int dir = 0; dir < 2; dir++) {
        const ptls_wire_dir *w = &c->wire[dir];
        if (w->last_alert < 0 || c->alert_reported[dir]) continue;
        c->alert_reported[dir] = 1;
        ptls_event_alert(c->id, dir == PTLS_WIRE_OUT, w->last_alert_level, w->last_alert);
    }
}

/* Whether the client offered no suite this server has enabled: -1 when
 * unknown (no ClientHello parsed, or the backend cannot list its suites). */
static int no_shared_suite(ptls_conn *c)
{
    const ptls_backend *be = c->srv->be;
    const ptls_client_hello *ch = c->hello ? ptls_ch_result(c->hello) : NULL;
    uint16_t enabled[512];
    int n = be->enabled_ciphers && ch ? be->enabled_ciphers(c->srv->tls_server, enabled, 512) : -1;
    if (n < 0) return -1;
    for (size_t i = 0; i < ch->n_ciphers; i++)
        for (int k = 0; k < n; k++)
            if (enabled[k] == ch->ciphers[i]) return 0;
    return 1;
}

/* The canonical name of a connection's failure (the text output and the
 * error event): backend code table, then alerts seen on the wire, then
 * what the core observed. */
static const char *conn_error_name(ptls_conn *c, const char *observed)
{
    const ptls_backend *be = c->srv->be;
    if (observed && strcmp(observed, "handshake_timeout") == 0) return observed;
    if (c->hello_status == PTLS_CH_NOT_TLS) return "not_tls";
    const char *from_code = NULL, *sent = NULL, *received = NULL;
    if (c->tls && be->last_error_code)
        from_code = ptls_error_name(be->name, be->library_version(), be->last_error_code(c->tls));
    if (c->wire[PTLS_WIRE_OUT].last_alert > 0) sent = ptls_alert_name(c->wire[PTLS_WIRE_OUT].last_alert);
    if (c->wire[PTLS_WIRE_IN].last_alert > 0) received = ptls_alert_name(c->wire[PTLS_WIRE_IN].last_alert);
    /* The library's code is the most specific (no_shared_cipher rather than
     * handshake_failure), except where it only says "the certificate did
     * not verify": then the alert we sent says why (unknown_ca, ...). */
    if (from_code && sent && strcmp(from_code, "bad_certificate") == 0) return sent;
    /* Libraries with one generic code for every failed negotiation (Mbed
     * TLS 3.x): the core's own view says whether it was the suites. */
    if ((from_code && strcmp(from_code, "handshake_failure") == 0) ||
        (!from_code && sent && strcmp(sent, "handshake_failure") == 0))
        if (no_shared_suite(c) == 1) return "no_shared_cipher";
    if (from_code) return from_code;
    if (sent) return sent;
    if (received) return received;
    if (c->hello_status == PTLS_CH_MALFORMED) return "decode_error";
    if (observed) return observed;
    if (c->peer_eof) return "peer_closed";
    return "internal_error";
}

/* The error event: stage is "handshake", "read" or "write". */
static void report_error(ptls_conn *c, const char *stage, const char *canonical, const char *text)
{
    const ptls_backend *be = c->srv->be;
    report_alerts(c);
    long code = c->tls && be->last_error_code ? be->last_error_code(c->tls) : 0;
    ptls_event_error(c->id, stage, canonical, code, text);
}

/* The renegotiation c->reneg_wait waited for is done (or timed out). */
static void reneg_done(ptls_conn *c, int completed)
{
    c->reneg_wait = 0;
    if (c->srv->mode->on_reneg_done) c->srv->mode->on_reneg_done(c, completed);
}

static void conn_destroy(ptls_conn *c)
{
    ptls_server *s = c->srv;
    if (s->mode->on_closed) s->mode->on_closed(c);
    report_alerts(c);
    ptls_event_closed(c->id, c->close_reason, c->bytes_in, c->bytes_out, ptls_now_us() - c->t_accept_us);
    if (c->hello) {
        ptls_ch_parser_free(c->hello);
        free(c->hello);
        c->hello = NULL;
    }
    free(c->hello_alpn_wire);
    c->hello_alpn_wire = NULL;
    ptls_wire_free(&c->wire[0]);
    ptls_wire_free(&c->wire[1]);
    if (c->fd >= 0) {
        epoll_ctl(s->epfd, EPOLL_CTL_DEL, c->fd, NULL);
        close(c->fd);
    }
    while (c->inbox) {
        ptls_dgram *d = c->inbox;
        c->inbox = d->next;
        free(d);
    }
    if (c->file_fd >= 0) close(c->file_fd);
    if (c->tls) s->be->conn_free(c->tls);
    s->closed_since_trim++;
    ptls_buf_free(&c->in);
    ptls_buf_free(&c->out);
    if (c->prev) c->prev->next = c->next;
    if (c->next) c->next->prev = c->prev;
    if (s->conns == c) s->conns = c->next;
    if (s->current == c) s->current = s->conns; /* the next most recent */
    s->n_conns--;
    /* The event batch being processed may still name this connection:
     * free it only after the batch (ptls_conn_reap). */
    c->dead = 1;
    c->tls = NULL;
    c->next = s->graveyard;
    s->graveyard = c;
}

void ptls_conn_reap(ptls_server *s)
{
    while (s->graveyard) {
        ptls_conn *c = s->graveyard;
        s->graveyard = c->next;
        free(c);
    }
}

void ptls_conn_abort(ptls_conn *c)
{
    conn_destroy(c);
}

void ptls_conn_send(ptls_conn *c, const void *p, size_t n)
{
    if (ptls_buf_append(&c->out, p, n)) {
        fprintf(stderr, "polytls: out of memory queueing %zu bytes for %s\n", n, c->peer);
        c->close_after_flush = 1;
    }
}

void ptls_conn_sendf(ptls_conn *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[1024];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof small) {
        ptls_conn_send(c, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) return;
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    ptls_conn_send(c, big, (size_t)n);
    free(big);
}

void ptls_conn_finish(ptls_conn *c)
{
    c->close_after_flush = 1;
}

static void report_failure(ptls_conn *c, const char *when, long r)
{
    char text[512] = "";
    if (c->tls) c->srv->be->last_error(c->tls, text, sizeof text);
    const char *canonical = conn_error_name(c, r == PTLS_CLOSED ? "peer_closed" : NULL);
    if (!c->srv->o->quiet)
        fprintf(stderr, "polytls: %s %s failed [%s]: %s\n", c->peer, when, canonical,
                text[0]            ? text
                : r == PTLS_CLOSED ? "peer closed the connection"
                                   : "error");
    report_error(c, when, canonical, text);
    c->close_reason = "error";
}

/* Send queued plaintext. Returns 1 when the queue is empty, 0 when waiting
 * for the socket (interest set), -1 on a fatal error. */
static int flush_out(ptls_conn *c)
{
    const ptls_backend *be = c->srv->be;
    while (ptls_buf_size(&c->out) > 0) {
        size_t len = c->write_pending ? c->write_pending : ptls_buf_size(&c->out);
        if (len > PTLS_CHUNK) len = PTLS_CHUNK;
        long n = be->write(c->tls, ptls_buf_head(&c->out), len);
        if (n > 0) {
            c->write_pending = 0;
            ptls_buf_consume(&c->out, (size_t)n);
            c->t_last_ms = ptls_now_ms();
            continue;
        }
        if (n == PTLS_WANT_WRITE || n == PTLS_WANT_READ) {
            c->write_pending = len;
            set_interest(c, n == PTLS_WANT_WRITE ? EPOLLOUT : EPOLLIN);
            return 0;
        }
        if (n != PTLS_CLOSED) report_failure(c, "write", n);
        return -1;
    }
    return 1;
}

/* What the backend could not report, read from the server's own first
 * flight (the same way for every backend). */
static void fill_from_wire(ptls_conn *c)
{
    const ptls_sh_parser *w = &c->server_flight;
    if (!w->saw_server_hello) return;
    if (!c->info.version) c->info.version = w->version;
    if (!c->info.cipher_id) c->info.cipher_id = w->cipher;
    if (!c->info.group[0] && w->group && ptls_group_name(w->group))
        snprintf(c->info.group, sizeof c->info.group, "%s", ptls_group_name(w->group));
    if (c->info.resumed < 0) c->info.resumed = ptls_sh_resumed(w);
    /* A TLS 1.3 ServerHello with pre_shared_key accepted a PSK: a ticket or
     * an external key. OpenSSL calls both "reused"; wolfSSL only the first.
     * The wire decides, the same way for every backend. */
    if (w->version == 0x0304 && w->psk_ext == 1) c->info.resumed = 1;
    if (!c->info.sigalg[0] && w->sigalg && ptls_sigalg_name(w->sigalg))
        snprintf(c->info.sigalg, sizeof c->info.sigalg, "%s", ptls_sigalg_name(w->sigalg));
}

/* After a renegotiation: what the new handshake brought (a client
 * certificate for GET /renegcert) replaces the first one's peer. */
static void refresh_peer(ptls_conn *c)
{
    ptls_conn_info fresh;
    memset(&fresh, 0, sizeof fresh);
    fresh.resumed = -1;
    c->srv->be->get_info(c->tls, &fresh);
    c->info.peer_cert = fresh.peer_cert;
    memcpy(c->info.peer_subject, fresh.peer_subject, sizeof c->info.peer_subject);
    memcpy(c->info.peer_der, fresh.peer_der, sizeof c->info.peer_der);
    c->info.peer_der_len = fresh.peer_der_len;
    c->info.verify_ok = fresh.verify_ok;
    memcpy(c->info.verify_text, fresh.verify_text, sizeof c->info.verify_text);
}

/* Runs the connection as far as it can go without blocking. Returns 0 if the
 * connection still exists, -1 if it was destroyed. Queued output is always
 * flushed before more input is read, so a client that never reads stops
 * being read from instead of making the server buffer without bound. */
static int drive(ptls_conn *c)
{
    ptls_server *s = c->srv;
    const ptls_backend *be = s->be;
    unsigned char buf[PTLS_CHUNK];
    /* Bounded so one busy client cannot monopolise the loop; if the bound is
     * hit, interest in writability brings us straight back. */
    if (!c->tls) {
        unsigned char peek;
        ssize_t n = recv(c->fd, &peek, 1, MSG_PEEK);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return 0;
        if (n <= 0) {
            /* Connected and went away without a byte (port scanners, health
             * checks): nothing to report. */
            c->close_reason = "peer_closed";
            conn_destroy(c);
            return -1;
        }
        char err[512] = "";
        c->tls = be->conn_new(s->tls_server, &c->io, err, sizeof err);
        if (!c->tls) {
            fprintf(stderr, "polytls: %s: cannot create the TLS connection: %s\n", c->peer, err);
            conn_destroy(c);
            return -1;
        }
    }
    for (int round = 0; round < 64; round++) {
        if (c->state == CONN_HANDSHAKE) {
            int r = be->handshake(c->tls);
            if (r == PTLS_WANT_READ || r == PTLS_WANT_WRITE) {
                set_interest(c, r == PTLS_WANT_READ ? EPOLLIN : EPOLLOUT);
                return 0;
            }
            if (r != PTLS_OK) {
                s->stats.handshake_failures++;
                report_failure(c, "handshake", r);
                conn_destroy(c);
                return -1;
            }
            c->state = CONN_OPEN;
            c->t_last_ms = ptls_now_ms();
            be->get_info(c->tls, &c->info);
            fill_from_wire(c);
            s->stats.handshakes++;
            if (c->info.resumed == 1) s->stats.resumed++;
            ptls_report_established(s->o, be, c->tls, &c->info);
            report_alerts(c);
            ptls_event_handshake_done(c->id, &c->info, ptls_now_us() - c->t_accept_us);
            if (s->mode->on_established) s->mode->on_established(c);
            continue;
        }
        if (c->state == CONN_OPEN) {
            int f = flush_out(c);
            if (f < 0) {
                conn_destroy(c);
                return -1;
            }
            if (f == 0) return 0;
            if (s->mode->on_drained) s->mode->on_drained(c);
            if (ptls_buf_size(&c->out) > 0) continue;
            if (c->close_after_flush) {
                c->state = CONN_CLOSING;
                c->t_closing_ms = ptls_now_ms();
                continue;
            }
            long n = be->read(c->tls, buf, sizeof buf);
            if (n > 0) {
                c->t_last_ms = ptls_now_ms();
                if (s->mode->on_data) s->mode->on_data(c, buf, (size_t)n);
                continue;
            }
            if (n == PTLS_WANT_READ || n == PTLS_WANT_WRITE) {
                if (c->reneg_wait && !be->renegotiation_pending(c->tls)) {
                    refresh_peer(c);
                    reneg_done(c, 1);
                    continue;
                }
                set_interest(c, n == PTLS_WANT_READ ? EPOLLIN : EPOLLOUT);
                return 0;
            }
            if (n == PTLS_CLOSED) {
                /* The peer sent close_notify (or EOF): answer with ours. */
                c->close_reason = "peer_closed";
                c->state = CONN_CLOSING;
                c->t_closing_ms = ptls_now_ms();
                continue;
            }
            report_failure(c, "read", n);
            conn_destroy(c);
            return -1;
        }
        /* CONN_CLOSING */
        int r = be->shutdown(c->tls);
        if (r == PTLS_WANT_READ || r == PTLS_WANT_WRITE) {
            set_interest(c, r == PTLS_WANT_READ ? EPOLLIN : EPOLLOUT);
            return 0;
        }
        conn_destroy(c);
        return -1;
    }
    set_interest(c, EPOLLIN | EPOLLOUT);
    return 0;
}

void ptls_conn_kick(ptls_conn *c)
{
    if (!c->dead) drive(c);
}

void ptls_conn_event(ptls_conn *c, uint32_t ev)
{
    (void)ev; /* errors surface through recv/send in the backend */
    if (!c->dead) drive(c);
}

void ptls_conn_timers(ptls_server *s, int64_t now)
{
    ptls_conn *next;
    for (ptls_conn *c = s->conns; c; c = next) {
        next = c->next;
        const char *why = NULL;
        if (c->state == CONN_HANDSHAKE && now - c->t_accept_ms > (int64_t)s->o->handshake_timeout * 1000)
            why = "handshake timeout";
        else if (c->state == CONN_OPEN && s->o->idle_timeout > 0 &&
                 now - c->t_last_ms > (int64_t)s->o->idle_timeout * 1000)
            why = "idle timeout";
        else if (c->state == CONN_CLOSING && now - c->t_closing_ms > 5000)
            why = "close timeout";
        if (!why && c->state == CONN_OPEN && c->reneg_wait && now > c->reneg_deadline_ms) {
            reneg_done(c, 0);
            ptls_conn_kick(c); /* may destroy c: next was taken first */
            continue;
        }
        if (why) {
            s->stats.timeouts++;
            if (!s->o->quiet) fprintf(stderr, "polytls: %s: %s, closing\n", c->peer, why);
            if (c->state == CONN_HANDSHAKE) report_error(c, "handshake", "handshake_timeout", why);
            c->close_reason = c->state == CONN_HANDSHAKE ? "handshake_timeout"
                              : c->state == CONN_OPEN    ? "idle_timeout"
                                                         : "close_timeout";
            conn_destroy(c);
        }
    }
}

int ptls_conn_dtls_next_timeout(ptls_server *s, int cap)
{
    int best = cap;
    if (!s->be->dtls_next_timeout_ms) return best;
    for (ptls_conn *c = s->conns; c; c = c->next) {
        if (!c->dtls || !c->tls) continue;
        long t = s->be->dtls_next_timeout_ms(c->tls);
        if (t >= 0 && t < best) best = (int)t;
    }
    return best;
}

void ptls_conn_dtls_timers(ptls_server *s)
{
    if (!s->be->dtls_next_timeout_ms || !s->be->dtls_timeout) return;
    ptls_conn *next;
    for (ptls_conn *c = s->conns; c; c = next) {
        next = c->next;
        if (!c->dtls || !c->tls || c->dead) continue;
        if (s->be->dtls_next_timeout_ms(c->tls) != 0) continue;
        if (s->be->dtls_timeout(c->tls) != PTLS_OK) {
            s->stats.timeouts++;
            if (!s->o->quiet)
                fprintf(stderr, "polytls: %s: DTLS retransmissions exhausted, closing\n", c->peer);
            if (c->state == CONN_HANDSHAKE)
                report_error(c, "handshake", "handshake_timeout", "retransmissions");
            c->close_reason = "handshake_timeout";
            conn_destroy(c);
            continue;
        }
        drive(c);
    }
}
