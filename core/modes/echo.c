/* The default mode: what the client sends goes to stdout; lines typed on
 * stdin go to the most recent connection, and one-letter lines are s_server's
 * commands. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "modes.h"
#include "options/capability.h"
#include "output/report.h"

static void echo_data(ptls_conn *c, const unsigned char *p, size_t n)
{
    (void)c;
    fwrite(p, 1, n, stdout);
    fflush(stdout);
}

static const char *command_name(int cmd)
{
    switch (cmd) {
    case 'r':
        return "r (renegotiate)";
    case 'R':
        return "R (renegotiate, request a client certificate)";
    case 'k':
        return "k (TLS 1.3 key update)";
    case 'K':
        return "K (TLS 1.3 key update, request one back)";
    case 'c':
        return "c (TLS 1.3 post-handshake certificate request)";
    default:
        return "command";
    }
}

int ptls_run_command(ptls_conn *c, int cmd, char *why, size_t whylen)
{
    const ptls_backend *be = c->srv->be;
    int cap = (cmd == 'r' || cmd == 'R') ? PTLS_CAP_RENEGOTIATION
              : (cmd == 'c')             ? PTLS_CAP_POST_HANDSHAKE_AUTH
                                         : PTLS_CAP_KEY_UPDATE;
    const char *reason = ptls_cap_refusal(be, cap);
    int has_op = (cap == PTLS_CAP_RENEGOTIATION) ? be->renegotiate != NULL
                 : (cap == PTLS_CAP_KEY_UPDATE)  ? be->key_update != NULL
                                                 : be->request_client_cert != NULL;
    if (!reason && !has_op) reason = "the backend has no operation for it";
    if (reason) {
        ptls_print_cap_error(stderr, be, command_name(cmd), reason);
        snprintf(why, whylen, "%s is not supported by backend %s (%s): %s", command_name(cmd), be->name,
                 be->library_version(), reason);
        return -1;
    }
    if (c->state != CONN_OPEN) {
        snprintf(why, whylen, "%s: the handshake is not finished", command_name(cmd));
        fprintf(stderr, "polytls: %s\n", why);
        return -1;
    }
    int tls13 = c->info.version == PTLS_TLS1_3;
    if (cap == PTLS_CAP_RENEGOTIATION ? tls13 : !tls13) {
        snprintf(why, whylen, "%s is not possible on a %s connection", command_name(cmd),
                 ptls_version_name(c->info.version));
        fprintf(stderr, "polytls: %s\n", why);
        return -1;
    }
    int r = cap == PTLS_CAP_RENEGOTIATION ? be->renegotiate(c->tls, cmd == 'R')
            : cap == PTLS_CAP_KEY_UPDATE  ? be->key_update(c->tls, cmd == 'K')
                                          : be->request_client_cert(c->tls);
    if (r != PTLS_OK) {
        char text[256] = "";
        be->last_error(c->tls, text, sizeof text);
        snprintf(why, whylen, "%s failed: %s", command_name(cmd), text[0] ? text : "error");
        fprintf(stderr, "polytls: %s\n", why);
        return -1;
    }
    if (!c->srv->o->quiet) fprintf(stderr, "%s started\n", command_name(cmd));
    return 0;
}

static void print_stats(ptls_server *s)
{
    ptls_stats *st = &s->stats;
    printf("%ld accepts\n%ld handshakes\n%ld resumed (session cache hits)\n%ld handshake failures\n"
           "%ld timeouts\n%ld rejected (-max_conns)\n%d open connections\n"
           "%ld DTLS cookie exchanges\n%ld DTLS datagrams dropped\n",
           st->accepts, st->handshakes, st->resumed, st->handshake_failures, st->timeouts, st->rejected,
           s->n_conns, st->cookie_exchanges, st->dtls_dropped);
    fflush(stdout);
}

void ptls_stdin_line(ptls_server *s, const char *line, size_t n)
{
    ptls_conn *c = s->current;
    int is_cmd = (n == 1 || (n == 2 && line[1] == '\n')) && strchr("qQrRPSkKc", line[0]) && !s->o->quiet &&
                 !s->o->brief;
    if (is_cmd) {
        char why[512];
        switch (line[0]) {
        case 'Q':
            fprintf(stderr, "polytls: Q: closing every connection and exiting\n");
            s->draining = 1;
            for (ptls_conn *x = s->conns, *next; x; x = next) {
                next = x->next;
                ptls_conn_finish(x);
                ptls_conn_kick(x);
            }
            return;
        case 'S':
            print_stats(s);
            return;
        default:
            break;
        }
        if (!c) {
            fprintf(stderr, "polytls: no connection for command %c\n", line[0]);
            return;
        }
        switch (line[0]) {
        case 'q':
            fprintf(stderr, "polytls: q: closing %s\n", c->peer);
            ptls_conn_finish(c);
            break;
        case 'P': {
            /* Plain text straight onto the TCP stream: the peer must fail. */
            static const char text[] = "Lets print some clear text\n";
            if (send(c->fd, text, sizeof text - 1, MSG_NOSIGNAL) < 0) perror("polytls: P");
            break;
        }
        default:
            ptls_run_command(c, line[0], why, sizeof why);
            break;
        }
        ptls_conn_kick(c);
        return;
    }
    if (!c) {
        fprintf(stderr, "polytls: no connection: input line dropped\n");
        return;
    }
    if (s->o->crlf && n && line[n - 1] == '\n' && (n < 2 || line[n - 2] != '\r')) {
        ptls_conn_send(c, line, n - 1);
        ptls_conn_send(c, "\r\n", 2);
    } else {
        ptls_conn_send(c, line, n);
    }
    ptls_conn_kick(c);
}

static void echo_closed(ptls_conn *c)
{
    ptls_mode_print_closed(c, c->srv->o->brief ? stderr : stdout);
}

const ptls_mode_ops ptls_mode_echo = {
    .name = "echo",
    .on_data = echo_data,
    .on_closed = echo_closed,
    .on_stdin_line = ptls_stdin_line,
};
