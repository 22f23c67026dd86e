/* MD5 (RFC 1321), only for the JA3 fingerprint, whose definition uses it.
 * Not for any security purpose. */
#ifndef PTLS_MD5_H
#define PTLS_MD5_H

#include <stddef.h>

void ptls_md5(const void *data, size_t len, unsigned char out[16]);

#endif
