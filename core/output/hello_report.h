/* What the ClientHello inspector found, shown the same way on every
 * backend: -brief's "Client cipher list", -tlsextdebug, the -www page's
 * offered and shared ciphers, and the client_hello JSON event. */
#ifndef PTLS_HELLO_REPORT_H
#define PTLS_HELLO_REPORT_H

#include <stdio.h>

#include "base/buffer.h"
#include "json_writer.h"
#include "polytls/backend.h"
#include "wire/clienthello.h"

/* "ECDHE-RSA-AES128-GCM-SHA256:TLS_AES_128_GCM_SHA256:0x1234" (s_server's
 * spelling: OpenSSL names where known, 0xXXXX otherwise). */
void ptls_hello_cipher_list(const ptls_client_hello *ch, ptls_buf *out);
/* -brief lines, at the moment the hello is parsed. */
void ptls_hello_print_brief(const ptls_client_hello *ch, FILE *out);
/* -tlsextdebug: every extension with its hex dump. */
void ptls_hello_print_extensions(const ptls_client_hello *ch, FILE *out);
/* -www: offered ciphers (ch, NULL if the hello was not parsed) and the ones
 * the server context tls_server of backend be really shares. */
void ptls_hello_www_section(const ptls_client_hello *ch, const ptls_backend *be, void *tls_server,
                            ptls_buf *b);
/* The client_hello event's members. */
void ptls_hello_json(const ptls_client_hello *ch, ptls_json *j);

#endif
