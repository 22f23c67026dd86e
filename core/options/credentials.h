/* Getting the server's credentials ready before the backend loads them:
 * pass phrases from their sources, and the ephemeral self-signed
 * certificate used when the user gives none. */
#ifndef PTLS_CREDENTIALS_H
#define PTLS_CREDENTIALS_H

#include <stddef.h>

#include "polytls/backend.h"
#include "server_opts.h"

typedef struct ptls_ephemeral_cert {
    char dir[64]; /* private temp directory, "" if unused */
    char cert[128], key[128];
} ptls_ephemeral_cert;

int ptls_credentials_prepare(ptls_server_opts *o, const ptls_backend *be, ptls_ephemeral_cert *eph, char *err,
                             size_t errlen);
/* Removes the ephemeral files (the backend has loaded them by then) and
 * wipes pass phrases from memory. */
void ptls_credentials_cleanup(ptls_server_opts *o, ptls_ephemeral_cert *eph);

#endif
