/* Dispatch from the connection state machine to the selected mode. */
#include "modes.h"

void ptls_mode_on_established(ptls_conn *c)
{
    switch (c->srv->o->mode) {
    case MODE_REV:
        ptls_rev_established(c);
        break;
    default:
        break;
    }
}

void ptls_mode_on_data(ptls_conn *c, const unsigned char *p, size_t n)
{
    switch (c->srv->o->mode) {
    case MODE_ECHO:
        ptls_echo_data(c, p, n);
        break;
    case MODE_REV:
        ptls_rev_data(c, p, n);
        break;
    default:
        ptls_http_data(c, p, n);
        break;
    }
}

void ptls_mode_on_drained(ptls_conn *c)
{
    switch (c->srv->o->mode) {
    case MODE_WWW:
    case MODE_WWW_FILES:
    case MODE_HTTP:
        ptls_http_drained(c);
        break;
    default:
        break;
    }
}

void ptls_mode_on_reneg_done(ptls_conn *c, int completed)
{
    c->reneg_wait = 0;
    switch (c->srv->o->mode) {
    case MODE_WWW:
        ptls_http_reneg_done(c, completed);
        break;
    default:
        break;
    }
}

void ptls_mode_on_closed(ptls_conn *c)
{
    ptls_server_opts *o = c->srv->o;
    if (o->quiet || c->state == CONN_HANDSHAKE) return;
    if (o->mode == MODE_ECHO || o->mode == MODE_REV) {
        fprintf(o->brief || o->mode == MODE_REV ? stderr : stdout, "CONNECTION CLOSED\n");
        fflush(stdout);
    }
}
