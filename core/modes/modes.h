/* The serving modes: echo (default, with stdin commands), -rev, and the
 * HTTP modes -www, -WWW and -HTTP. */
#ifndef PTLS_MODES_H
#define PTLS_MODES_H

#include <stdio.h>

#include "loop/server.h"

void ptls_echo_data(ptls_conn *c, const unsigned char *p, size_t n);
void ptls_rev_established(ptls_conn *c);
void ptls_rev_data(ptls_conn *c, const unsigned char *p, size_t n);
void ptls_http_data(ptls_conn *c, const unsigned char *p, size_t n);
void ptls_http_drained(ptls_conn *c);
void ptls_http_reneg_done(ptls_conn *c, int completed);

/* Runs a command op after checking capability, protocol version and op;
 * prints the capability error otherwise. Returns 0 if the action started. */
int ptls_run_command(ptls_conn *c, int cmd, char *why, size_t whylen);

#endif
