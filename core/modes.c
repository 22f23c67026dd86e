/* Dispatch from the connection state machine to the selected mode. */
#include "modes.h"

#include <string.h>

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
    if (completed) {
        /* What the new handshake brought (a client certificate for
         * /renegcert) is what the page must show. */
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
