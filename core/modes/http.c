/* The HTTP modes: -www (status page), -WWW (files below the current
 * directory) and -HTTP (files holding a complete response). Unlike s_server
 * they answer with real status codes, Content-Length and keep-alive, and
 * never serve anything outside the root, symlinks included. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build_config.h"
#include "http_request.h"
#include "modes.h"
#include "output/events.h"
#include "output/hello_report.h"
#include "output/report.h"

#define FILE_CHUNK 65536
/* How long GET /reneg waits for the client's new handshake before it
 * answers anyway (s_server waits forever). */
#define PTLS_RENEG_WAIT_MS 10000

static const char *status_text(int code)
{
    switch (code) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 414:
        return "URI Too Long";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Error";
    }
}

static void send_status(ptls_conn *c, int code, int keep_alive)
{
    char body[256];
    int blen = snprintf(body, sizeof body, "<HTML><BODY>%d %s</BODY></HTML>\r\n", code, status_text(code));
    ptls_conn_sendf(c, "HTTP/1.1 %d %s\r\nContent-Type: text/html\r\nContent-Length: %d\r\n%s%s\r\n%s", code,
                    status_text(code), blen, code == 405 ? "Allow: GET, HEAD\r\n" : "",
                    keep_alive ? "" : "Connection: close\r\n", body);
    if (!keep_alive) ptls_conn_finish(c);
}

static void html_escape(ptls_buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<':
            ptls_buf_printf(b, "&lt;");
            break;
        case '>':
            ptls_buf_printf(b, "&gt;");
            break;
        case '&':
            ptls_buf_printf(b, "&amp;");
            break;
        default:
            ptls_buf_append(b, s, 1);
        }
    }
}

/* -www: s_server's status page, with what polytls knows on every backend.
 * Never shows a pass phrase or PSK: the command line is recorded with
 * secrets replaced. */
static void send_status_page(ptls_conn *c, const char *note)
{
    ptls_server *s = c->srv;
    ptls_buf b = {0}, sess = {0};
    ptls_buf_printf(&b, "<HTML><BODY BGCOLOR=\"#ffffff\">\n<pre>\n");
    ptls_buf_printf(&b, "polytls %s, backend %s (%s)\n", POLYTLS_VERSION, s->be->name,
                    s->be->library_version());
    html_escape(&b, s->o->cmdline);
    ptls_buf_printf(&b, "\n\n");
    if (note) {
        html_escape(&b, note);
        ptls_buf_printf(&b, "\n\n");
    }
    ptls_buf_printf(&b, "Client: %s\n", c->peer);
    ptls_report_session(&c->info, &sess);
    ptls_buf_append(&b, ptls_buf_head(&sess), ptls_buf_size(&sess));
    ptls_buf_free(&sess);
    ptls_buf_printf(&b, "\n");
    ptls_hello_www_section(c->hello ? ptls_ch_result(c->hello) : NULL, s->be, s->tls_server, &b);
    ptls_buf_printf(&b, "\n");
    if (c->info.peer_cert) {
        ptls_buf_printf(&b, "Client certificate: ");
        html_escape(&b, c->info.peer_subject);
        ptls_buf_printf(&b, "\nClient certificate verification: %s\n",
                        c->info.verify_ok == 1   ? "OK"
                        : c->info.verify_ok == 0 ? c->info.verify_text
                                                 : "not done");
    } else {
        ptls_buf_printf(&b, "no client certificate available\n");
    }
    ptls_stats *st = &s->stats;
    ptls_buf_printf(&b,
                    "\n%ld server accepts (TCP)\n%ld server handshakes completed\n%ld session cache hits "
                    "(resumed)\n%ld handshake failures\n%ld timeouts\n%ld rejected by -max_conns\n%d open "
                    "connections\n",
                    st->accepts, st->handshakes, st->resumed, st->handshake_failures, st->timeouts,
                    st->rejected, s->n_conns);
    ptls_buf_printf(&b, "</pre></BODY></HTML>\r\n");
    ptls_conn_sendf(c, "HTTP/1.0 200 ok\r\nContent-Type: text/html\r\nContent-Length: %zu\r\n\r\n",
                    ptls_buf_size(&b));
    ptls_conn_send(c, ptls_buf_head(&b), ptls_buf_size(&b));
    ptls_buf_free(&b);
    ptls_conn_finish(c);
}

static void serve_www(ptls_conn *c, const ptls_http_request *req)
{
    if (strcmp(req->method, "GET") != 0) {
        send_status(c, 405, 0);
        return;
    }
    char why[512];
    const char *note = NULL;
    if (strcmp(req->target, "/reneg") == 0 || strcmp(req->target, "/renegcert") == 0) {
        int cmd = req->target[6] ? 'R' : 'r';
        if (ptls_run_command(c, cmd, why, sizeof why) == 0) {
            note = cmd == 'R' ? "Renegotiation with a client certificate request started"
                              : "Renegotiation started";
            /* As s_server: the page goes out once the client's new
             * handshake is done (strict clients refuse a renegotiation in
             * the middle of a response), and shows what it brought. */
            if (c->srv->be->renegotiation_pending) {
                c->reneg_wait = 1;
                c->reneg_deadline_ms = ptls_now_ms() + PTLS_RENEG_WAIT_MS;
                c->reneg_note = note;
                return;
            }
        } else {
            note = why;
        }
    }
    send_status_page(c, note);
}

static void http_reneg_done(ptls_conn *c, int completed)
{
    char note[160];
    if (completed)
        snprintf(note, sizeof note, "%s; completed", c->reneg_note);
    else
        snprintf(note, sizeof note, "%s; the client did not renegotiate within %d s", c->reneg_note,
                 PTLS_RENEG_WAIT_MS / 1000);
    send_status_page(c, note);
}

/* Resolve and open a file strictly below the root. Returns the fd or
 * -status. */
static int open_below_root(ptls_conn *c, const char *target, struct stat *st)
{
    char rel[PATH_MAX], joined[PATH_MAX * 2], real[PATH_MAX];
    int code = ptls_http_target_to_path(target, rel, sizeof rel);
    if (code) return -code;
    snprintf(joined, sizeof joined, "%s/%s", c->srv->www_root, rel);
    if (!realpath(joined, real))
        return errno == ENOENT || errno == ENOTDIR ? -404 : errno == ENAMETOOLONG ? -414 : -403;
    /* realpath resolved every symlink: what it names must still be inside. */
    size_t rl = strlen(c->srv->www_root);
    if (strncmp(real, c->srv->www_root, rl) != 0 || (real[rl] != '/' && real[rl] != 0)) return -403;
    int fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return errno == ENOENT ? -404 : -403;
    if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
        close(fd);
        return -403; /* directories and devices are not served */
    }
    return fd;
}

static void serve_file(ptls_conn *c, const ptls_http_request *req, int raw)
{
    int head = strcmp(req->method, "HEAD") == 0;
    if (strcmp(req->method, "GET") != 0 && !(head && !raw)) {
        send_status(c, 405, req->keep_alive && !raw);
        return;
    }
    struct stat st;
    int fd = open_below_root(c, req->target, &st);
    if (fd < 0) {
        send_status(c, -fd, req->keep_alive && !raw);
        return;
    }
    if (raw) {
        /* -HTTP: the file is the whole response; the end of the file ends it. */
        c->file_fd = fd;
        c->file_left = st.st_size;
        ptls_conn_finish(c);
        return;
    }
    char rel[PATH_MAX];
    ptls_http_target_to_path(req->target, rel, sizeof rel);
    ptls_conn_sendf(c, "HTTP/1.%d 200 OK\r\nContent-Type: %s\r\nContent-Length: %lld\r\n%s\r\n", req->minor,
                    ptls_http_content_type(rel), (long long)st.st_size,
                    req->keep_alive ? (req->minor == 0 ? "Connection: keep-alive\r\n" : "")
                                    : "Connection: close\r\n");
    if (head || st.st_size == 0) {
        close(fd);
    } else {
        c->file_fd = fd;
        c->file_left = st.st_size;
    }
    if (!req->keep_alive) ptls_conn_finish(c);
}

static int busy(ptls_conn *c)
{
    return ptls_buf_size(&c->out) > 0 || c->file_fd >= 0 || c->close_after_flush;
}

/* Handle complete requests one at a time (pipelined ones wait until the
 * previous response has been sent). */
static void process_requests(ptls_conn *c)
{
    while (!busy(c) && ptls_buf_size(&c->in) > 0) {
        ptls_http_request req;
        long r = ptls_http_parse((const char *)ptls_buf_head(&c->in), ptls_buf_size(&c->in), &req);
        if (r == 0) return;
        if (r < 0) {
            if (r == -414 || r == -431) {
                const char *what = r == -414 ? "http_request_line" : "http_header_size";
                long limit = r == -414 ? PTLS_HTTP_MAX_REQUEST_LINE : PTLS_HTTP_MAX_HEADERS;
                if (!c->srv->o->quiet)
                    fprintf(stderr, "polytls: %s: HTTP %s over the %ld-byte limit, answered %ld\n", c->peer,
                            r == -414 ? "request line" : "request header", limit, -r);
                ptls_event_limit(c->id, NULL, what, limit);
            }
            send_status(c, (int)-r, 0);
            ptls_buf_consume(&c->in, ptls_buf_size(&c->in));
            return;
        }
        ptls_buf_consume(&c->in, (size_t)r);
        c->http_requests++;
        switch (c->srv->o->mode) {
        case MODE_WWW:
            serve_www(c, &req);
            break;
        case MODE_WWW_FILES:
            serve_file(c, &req, 0);
            break;
        default:
            serve_file(c, &req, 1);
            break;
        }
    }
}

static void http_data(ptls_conn *c, const unsigned char *p, size_t n)
{
    if (c->close_after_flush) return;
    if (ptls_buf_size(&c->in) + n > PTLS_HTTP_MAX_HEADERS + PTLS_HTTP_MAX_REQUEST_LINE) {
        if (!c->srv->o->quiet)
            fprintf(stderr, "polytls: %s: HTTP request over the %d-byte limit, answered 431\n", c->peer,
                    PTLS_HTTP_MAX_HEADERS + PTLS_HTTP_MAX_REQUEST_LINE);
        ptls_event_limit(c->id, NULL, "http_header_size", PTLS_HTTP_MAX_HEADERS + PTLS_HTTP_MAX_REQUEST_LINE);
        send_status(c, 431, 0);
        return;
    }
    ptls_buf_append(&c->in, p, n);
    process_requests(c);
}

static void http_drained(ptls_conn *c)
{
    if (c->reneg_wait) return; /* the answer to GET /reneg comes first */
    if (c->file_fd >= 0) {
        unsigned char chunk[FILE_CHUNK];
        size_t want = c->file_left < (off_t)sizeof chunk ? (size_t)c->file_left : sizeof chunk;
        ssize_t r = want ? read(c->file_fd, chunk, want) : 0;
        if (r > 0) {
            ptls_conn_send(c, chunk, (size_t)r);
            c->file_left -= r;
        }
        if (r <= 0 || c->file_left <= 0) {
            if (r < 0 || (r == 0 && c->file_left > 0)) {
                /* The file shrank or failed under us: the promised length
                 * cannot be met, so the connection must end. */
                fprintf(stderr, "polytls: %s: file read failed, closing\n", c->peer);
                c->close_after_flush = 1;
            }
            close(c->file_fd);
            c->file_fd = -1;
        }
        return;
    }
    process_requests(c);
}

const ptls_mode_ops ptls_mode_www = {
    .name = "www",
    .on_data = http_data,
    .on_drained = http_drained,
    .on_reneg_done = http_reneg_done,
    .on_stdin_line = ptls_stdin_line,
};

const ptls_mode_ops ptls_mode_file = {
    .name = "file",
    .on_data = http_data,
    .on_drained = http_drained,
    .on_stdin_line = ptls_stdin_line,
};
