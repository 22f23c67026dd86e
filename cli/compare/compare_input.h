/* INPUT files of polytls compare: a ClientHello as a hex dump, as binary
 * bytes, or the first ClientHello of a pcap/pcapng capture
 * (core/wire/pcap_hello.c). A bare handshake message (first byte 0x01) is
 * wrapped in TLS 1.0-versioned records. */
#ifndef PTLS_COMPARE_INPUT_H
#define PTLS_COMPARE_INPUT_H

#include <stddef.h>

#include "base/buffer.h"

/* 0, or -1 with err. kind (may be NULL) receives "pcap", "binary" or "hex". */
int cmp_load_hello_file(const char *path, ptls_buf *out, const char **kind, char *err, size_t errlen);

#endif
