/* SHA-256 (FIPS 180-4), so the core can fingerprint certificates without
 * including any TLS library. */
#ifndef PTLS_SHA256_H
#define PTLS_SHA256_H

#include <stddef.h>
#include <stdint.h>

void ptls_sha256(const void *data, size_t len, unsigned char out[32]);

#endif
