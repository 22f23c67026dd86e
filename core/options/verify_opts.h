/* The client certificate verification policy options (-purpose,
 * -verify_hostname, -attime, -partial_chain, -suiteB_128, ...): parsed into
 * ptls_config.verify, checked for values and combinations. */
#ifndef PTLS_VERIFY_OPTS_H
#define PTLS_VERIFY_OPTS_H

#include <stddef.h>

#include "server_opts.h"

/* Apply option id with value v (NULL for flags). Returns -1 when id is not
 * a verification policy option, 0 when applied, PTLS_EXIT_USAGE with a
 * message in err for a bad value. */
int ptls_apply_verify_option(ptls_server_opts *o, int id, const char *v, char *err, size_t errlen);

/* After all options: a policy needs -verify or -Verify (it applies to
 * client certificates). Returns 0 or PTLS_EXIT_USAGE with err set. */
int ptls_check_verify_options(const ptls_server_opts *o, char *err, size_t errlen);

#endif
