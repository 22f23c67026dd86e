/* The first TLS ClientHello in a packet capture, for `polytls compare`:
 * a small reader of pcap (microsecond and nanosecond, either byte order)
 * and pcapng (SHB, IDB, EPB, SPB, old PB), link types Ethernet (with
 * 802.1Q tags), BSD null/loopback, raw IPv4/IPv6, Linux cooked SLL and
 * SLL2; IPv4 and IPv6 (hop-by-hop, routing, destination options headers
 * skipped), TCP. The first TCP payload that starts a TLS handshake record
 * holding a ClientHello (0x16 0x03 .. type 1) is taken, and the payloads of
 * the same direction of that connection that follow it in sequence are
 * appended until the records cover the whole hello. IP fragments are not
 * reassembled. Hostile input: every length is checked. */
#ifndef PTLS_PCAP_HELLO_H
#define PTLS_PCAP_HELLO_H

#include <stddef.h>

#include "base/buffer.h"

/* Whether the bytes start like a pcap or pcapng file. */
int ptls_pcap_is_capture(const unsigned char *d, size_t len);
/* The ClientHello's records (as sent on the wire) appended to out. 0, or
 * -1 with err (not a capture, no ClientHello, truncated). */
int ptls_pcap_client_hello(const unsigned char *d, size_t len, ptls_buf *out, char *err, size_t errlen);

#endif
