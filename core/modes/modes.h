/* The serving modes: what a connection does with its plaintext once the
 * handshake is done. Echo (the default, with s_server's stdin commands),
 * -rev, and the HTTP modes -www, -WWW and -HTTP. Each mode is one
 * ptls_mode_ops table (loop/server.h) that the loop calls; the modes call
 * the loop back through loop/conn.h (send, finish, kick). */
#ifndef PTLS_MODES_H
#define PTLS_MODES_H

#include <stdio.h>

#include "loop/conn.h"
#include "loop/server.h"

/* The table for enum ptls_mode (o->mode): what ptls_server_run is given. */
const ptls_mode_ops *ptls_mode_ops_for(int mode);

extern const ptls_mode_ops ptls_mode_echo; /* echo.c */
extern const ptls_mode_ops ptls_mode_rev;  /* rev.c */
extern const ptls_mode_ops ptls_mode_www;  /* http.c: -www */
extern const ptls_mode_ops ptls_mode_file; /* http.c: -WWW and -HTTP */

/* s_server's stdin session, the same in every mode (echo.c): a line goes
 * to the most recent connection, one-letter lines are commands. */
void ptls_stdin_line(ptls_server *s, const char *line, size_t n);

/* Runs a command op after checking capability, protocol version and op;
 * prints the capability error otherwise. Returns 0 if the action started.
 * (echo.c; GET /reneg of -www uses it too.) */
int ptls_run_command(ptls_conn *c, int cmd, char *why, size_t whylen);

/* "CONNECTION CLOSED" on out, as s_server prints it for echo and -rev
 * (nothing with -quiet or before the handshake finished). */
void ptls_mode_print_closed(ptls_conn *c, FILE *out);

#endif
