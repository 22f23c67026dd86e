/* One flavour x one input: start `polytls s_server -backend FLAVOUR
 * -accept 127.0.0.1:0 -naccept 1 -json FILE ...` as a child process (stdin
 * /dev/null, its ACCEPT line read from its stdout), drive the input at it
 * (the raw sender, or the client command through a relay that records the
 * server's bytes), stop the child by its PID within a bounded time, and
 * read its -json events. Thread-safe: runs may go two at a time. */
#ifndef PTLS_COMPARE_RUN_H
#define PTLS_COMPARE_RUN_H

#include "compare.h"

void cmp_run(const cmp_settings *s, const cmp_input *in, const char *flavour, cmp_result *r);

/* The legacy_session_id of the ClientHello in records (for the echo
 * check); 0 with *len 0 when it cannot be read. */
int cmp_client_session_id(const unsigned char *rec, size_t len, unsigned char *sid, size_t *sid_len);

#endif
