/* What the ClientHello inspector found, shown the same way on every
 * backend: -brief's "Client cipher list", -tlsextdebug, the -www page's
 * offered and shared ciphers, and the client_hello JSON event. */
#ifndef PTLS_HELLO_REPORT_H
#define PTLS_HELLO_REPORT_H

#include <stdio.h>

#include "base/buffer.h"
#include "wire/clienthello.h"
#include "json_writer.h"
#include "loop/server.h"

/* "ECDHE-RSA-AES128-GCM-SHA256:TLS_AES_128_GCM_SHA256:0x1234" (s_server's
 * spelling: OpenSSL names where known, 0xXXXX otherwise). */
void ptls_hello_cipher_list(const ptls_client_hello *ch, ptls_buf *out);
/* -brief lines, at the moment the hello is parsed. */
void ptls_hello_print_brief(const ptls_client_hello *ch, FILE *out);
/* -tlsextdebug: every extension with its hex dump. */
void ptls_hello_print_extensions(const ptls_client_hello *ch, FILE *out);
/* -www: offered ciphers and the ones this server really shares. */
void ptls_hello_www_section(ptls_conn *c, ptls_buf *b);
/* The client_hello event's members. */
void ptls_hello_json(const ptls_client_hello *ch, ptls_json *j);

#endif
