/* -rev: every received line comes back reversed; the line CLOSE ends the
 * connection (s_server's rev mode). */
#include <string.h>

#include "modes.h"

static void rev_established(ptls_conn *c)
{
    if (!c->srv->o->quiet && !c->srv->o->brief) fprintf(stderr, "CONNECTION ESTABLISHED\n");
}

static void rev_data(ptls_conn *c, const unsigned char *p, size_t n)
{
    if (c->close_after_flush) return; /* after CLOSE */
    ptls_buf_append(&c->in, p, n);
    for (;;) {
        unsigned char *head = ptls_buf_head(&c->in);
        unsigned char *nl = memchr(head, '\n', ptls_buf_size(&c->in));
        if (!nl) {
            /* A line longer than 64 KiB is answered in pieces rather than
             * buffered without limit. */
            if (ptls_buf_size(&c->in) < 65536) return;
            nl = head + ptls_buf_size(&c->in) - 1;
        }
        size_t len = (size_t)(nl - head), consumed = len + 1;
        if (len && head[len - 1] == '\r') len--;
        if (len == 5 && memcmp(head, "CLOSE", 5) == 0) {
            ptls_buf_consume(&c->in, consumed);
            if (!c->srv->o->quiet) fprintf(stderr, "CLOSE\n");
            ptls_conn_finish(c);
            return;
        }
        unsigned char rev[65536 + 1];
        for (size_t i = 0; i < len; i++)
            rev[i] = head[len - 1 - i];
        rev[len] = '\n';
        ptls_conn_send(c, rev, len + 1);
        ptls_buf_consume(&c->in, consumed);
    }
}

static void rev_closed(ptls_conn *c)
{
    ptls_mode_print_closed(c, stderr);
}

const ptls_mode_ops ptls_mode_rev = {
    .name = "rev",
    .on_established = rev_established,
    .on_data = rev_data,
    .on_closed = rev_closed,
    .on_stdin_line = ptls_stdin_line,
};
