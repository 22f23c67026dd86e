/* Capability lookups and the one place that turns a refused capability into
 * the error users see. */
#ifndef PTLS_CAPABILITY_H
#define PTLS_CAPABILITY_H

#include <stdio.h>

#include "polytls/backend.h"
#include "server_opts.h"

/* Name ("tls1.3") and description of a capability. */
const char *ptls_cap_name(int cap);
const char *ptls_cap_desc(int cap);
/* NULL if the backend supports cap; otherwise the reason it does not. */
const char *ptls_cap_refusal(const ptls_backend *be, int cap);
/* The capability the TLS 1.3 form of cap's option needs (PTLS_CAP_PSK ->
 * PTLS_CAP_PSK_TLS13), or -1 if the option has no separate TLS 1.3 form. */
int ptls_cap_tls13_variant(int cap);
/* The standard one-line capability error for `what` (an option such as
 * "-tls1_3" or a command such as "r (renegotiate)"). */
void ptls_print_cap_error(FILE *out, const ptls_backend *be, const char *what, const char *reason);

/* Validate the whole configuration against the backend: resolves the
 * protocol range, checks every given option's capability and value-dependent
 * needs, then asks the backend's check_config. Every refusal is printed to
 * `out`. Returns PTLS_EXIT_OK, PTLS_EXIT_USAGE or PTLS_EXIT_CAPABILITY. */
int ptls_validate(ptls_server_opts *o, const ptls_backend *be, FILE *out);

#endif
