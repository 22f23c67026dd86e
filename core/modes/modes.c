/* The mode table for each -www/-WWW/-HTTP/-rev choice, and what the modes
 * share. */
#include "modes.h"

const ptls_mode_ops *ptls_mode_ops_for(int mode)
{
    switch (mode) {
    case MODE_REV:
        return &ptls_mode_rev;
    case MODE_WWW:
        return &ptls_mode_www;
    case MODE_WWW_FILES:
    case MODE_HTTP:
        return &ptls_mode_file;
    default:
        return &ptls_mode_echo;
    }
}

void ptls_mode_print_closed(ptls_conn *c, FILE *out)
{
    if (c->srv->o->quiet || c->state == CONN_HANDSHAKE) return;
    fprintf(out, "CONNECTION CLOSED\n");
    fflush(stdout);
}
