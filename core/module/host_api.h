/* The ptls_host services the core gives every backend: keylog writing,
 * ALPN and SNI policy, cipher names, logging. One implementation, so the
 * policy is identical on every backend. */
#ifndef PTLS_HOST_API_H
#define PTLS_HOST_API_H

#include <stddef.h>

#include "options/server_opts.h"
#include "polytls/backend.h"

/* Where ptls_host.client_hello finds a connection's ClientHello view. */
typedef const ptls_hello_view *(*ptls_hello_lookup)(void *io_ctx);

/* Binds the services to the server's options and the connections' hello
 * views, and opens -keylogfile. */
int ptls_host_open(const ptls_server_opts *o, ptls_hello_lookup client_hello, char *err, size_t errlen);
const ptls_host *ptls_host_api(void);
void ptls_host_close(void);

/* The policies themselves, exposed for unit tests. */
int ptls_alpn_choose(const unsigned char *server, size_t server_len, const unsigned char *offer,
                     size_t offer_len, const unsigned char **out, unsigned char *outlen);
int ptls_sni_choose(const char *configured, int fatal, const char *requested);
/* Formats one SSLKEYLOGFILE line into buf; returns its length or -1. */
int ptls_keylog_format(char *buf, size_t len, const char *label, const unsigned char *random32,
                       const unsigned char *secret, size_t secret_len);

#endif
