/* The backend-facing view of a parsed ClientHello (ptls_host.client_hello):
 * what a backend whose library offers no hook may read of the client's
 * offer. Built once from the inspector's result by the core, and by the
 * backend fuzz harness the same way. */
#ifndef PTLS_HELLO_VIEW_H
#define PTLS_HELLO_VIEW_H

#include "clienthello.h"
#include "polytls/backend.h"

/* Fills v from ch. Lists point into ch (valid while its parser lives); the
 * ALPN list is re-encoded in wire format into *alpn_wire (malloc'd, the
 * caller frees it; NULL when the client sent none or memory ran out). */
void ptls_hello_view_fill(ptls_hello_view *v, const ptls_client_hello *ch, unsigned char **alpn_wire);

#endif
