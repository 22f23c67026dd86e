/* First ClientHello of a capture: see pcap_hello.h. */
#include "pcap_hello.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define LT_NULL 0
#define LT_ETHERNET 1
#define LT_RAW_A 12
#define LT_RAW_B 14
#define LT_RAW 101
#define LT_LOOP 108
#define LT_SLL 113
#define LT_IPV4 228
#define LT_IPV6 229
#define LT_SLL2 276

typedef struct flow {
    int found;                      /* the hello's first segment was seen */
    unsigned char src[16], dst[16]; /* addresses (IPv4 in the first 4 bytes) */
    int v6;
    unsigned sport, dport;
    uint32_t next_seq;
    size_t need; /* bytes of records that cover the hello, 0 unknown */
    ptls_buf *out;
    size_t start;
    int done;
} flow;

static unsigned be16(const unsigned char *b)
{
    return (unsigned)b[0] << 8 | b[1];
}

static uint32_t be32(const unsigned char *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint32_t rd32(const unsigned char *b, int swap)
{
    return swap ? be32(b) : (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[1] << 8 | b[0];
}

static unsigned rd16(const unsigned char *b, int swap)
{
    return swap ? be16(b) : (unsigned)b[1] << 8 | b[0];
}

int ptls_pcap_is_capture(const unsigned char *d, size_t len)
{
    if (len < 4) return 0;
    uint32_t m = be32(d);
    return m == 0xa1b2c3d4 || m == 0xd4c3b2a1 || m == 0xa1b23c4d || m == 0x4d3cb2a1 || m == 0x0a0d0d0a;
}

/* How many bytes of TLS records, starting at b, the ClientHello needs: the
 * handshake length is in the first record. */
static size_t records_needed(const unsigned char *b, size_t have)
{
    /* walk records until their handshake bytes cover 4 + message length */
    size_t off = 0, hs = 0, msg = 0;
    int msg_known = 0;
    unsigned char hdr[4];
    size_t hdr_have = 0;
    while (off + 5 <= have) {
        size_t rl = be16(b + off + 3);
        size_t take = rl;
        for (size_t i = 0; i < rl && off + 5 + i < have && hdr_have < 4; i++)
            hdr[hdr_have++] = b[off + 5 + i];
        if (!msg_known && hdr_have == 4) {
            msg = (size_t)hdr[1] << 16 | (size_t)hdr[2] << 8 | hdr[3];
            msg_known = 1;
        }
        hs += take;
        off += 5 + rl;
        if (msg_known && hs >= msg + 4) return off;
    }
    return 0; /* unknown yet */
}

static void tcp_payload(flow *f, const unsigned char *src, const unsigned char *dst, int v6,
                        const unsigned char *t, size_t tlen)
{
    if (f->done || tlen < 20) return;
    size_t hl = (size_t)(t[12] >> 4) * 4;
    if (hl < 20 || hl > tlen) return;
    unsigned sport = be16(t), dport = be16(t + 2);
    uint32_t seq = be32(t + 4);
    const unsigned char *p = t + hl;
    size_t n = tlen - hl;
    size_t alen = v6 ? 16 : 4;
    if (!f->found) {
        if (n < 6 || p[0] != 0x16 || p[1] != 0x03 || p[5] != 0x01) return;
        f->found = 1;
        f->v6 = v6;
        memcpy(f->src, src, alen);
        memcpy(f->dst, dst, alen);
        f->sport = sport;
        f->dport = dport;
        f->start = ptls_buf_size(f->out);
    } else {
        if (n == 0 || v6 != f->v6 || sport != f->sport || dport != f->dport ||
            memcmp(src, f->src, alen) != 0 || memcmp(dst, f->dst, alen) != 0)
            return;
        if (seq != f->next_seq) return; /* retransmission or out of order */
    }
    ptls_buf_append(f->out, p, n);
    f->next_seq = seq + (uint32_t)n;
    size_t have = ptls_buf_size(f->out) - f->start;
    size_t need = records_needed(ptls_buf_head(f->out) + f->start, have);
    if (need && have >= need) {
        f->out->len = f->out->off + f->start + need; /* drop what follows the hello */
        f->done = 1;
    }
}

static void ip_packet(flow *f, const unsigned char *p, size_t n)
{
    if (n < 1) return;
    int ver = p[0] >> 4;
    if (ver == 4) {
        if (n < 20) return;
        size_t ihl = (size_t)(p[0] & 15) * 4;
        size_t tot = be16(p + 2);
        if (ihl < 20 || tot < ihl || tot > n) tot = n; /* captures with TSO can show 0 */
        if (ihl > tot) return;
        if (p[9] != 6) return;
        if ((be16(p + 6) & 0x1fff) != 0) return; /* a non-first fragment */
        tcp_payload(f, p + 12, p + 16, 0, p + ihl, tot - ihl);
    } else if (ver == 6) {
        if (n < 40) return;
        size_t plen = be16(p + 4);
        size_t end = 40 + plen <= n && plen ? 40 + plen : n;
        unsigned nh = p[6];
        size_t off = 40;
        for (int i = 0; i < 8 && (nh == 0 || nh == 43 || nh == 60); i++) {
            if (off + 8 > end) return;
            unsigned next = p[off];
            off += ((size_t)p[off + 1] + 1) * 8;
            nh = next;
        }
        if (nh != 6 || off > end) return;
        tcp_payload(f, p + 8, p + 24, 1, p + off, end - off);
    }
}

static void link_packet(flow *f, unsigned linktype, const unsigned char *p, size_t n)
{
    unsigned proto;
    switch (linktype) {
    case LT_ETHERNET: {
        if (n < 14) return;
        size_t off = 12;
        proto = be16(p + off);
        off += 2;
        while ((proto == 0x8100 || proto == 0x88a8) && off + 4 <= n) {
            proto = be16(p + off + 2);
            off += 4;
        }
        if (proto == 0x0800 || proto == 0x86dd) ip_packet(f, p + off, n - off);
        return;
    }
    case LT_NULL:
    case LT_LOOP:
        if (n < 4) return;
        ip_packet(f, p + 4, n - 4); /* family in either byte order: the IP version nibble decides */
        return;
    case LT_RAW:
    case LT_RAW_A:
    case LT_RAW_B:
    case LT_IPV4:
    case LT_IPV6:
        ip_packet(f, p, n);
        return;
    case LT_SLL:
        if (n < 16) return;
        proto = be16(p + 14);
        if (proto == 0x0800 || proto == 0x86dd) ip_packet(f, p + 16, n - 16);
        return;
    case LT_SLL2:
        if (n < 20) return;
        proto = be16(p);
        if (proto == 0x0800 || proto == 0x86dd) ip_packet(f, p + 20, n - 20);
        return;
    default:
        return;
    }
}

static int read_pcap(flow *f, const unsigned char *d, size_t len, char *err, size_t errlen)
{
    if (len < 24) {
        snprintf(err, errlen, "pcap: truncated file header");
        return -1;
    }
    uint32_t m = be32(d);
    int swap = m == 0xa1b2c3d4 || m == 0xa1b23c4d; /* big-endian file */
    unsigned linktype = (unsigned)(rd32(d + 20, swap) & 0x0fffffff);
    size_t off = 24;
    while (off + 16 <= len && !f->done) {
        size_t caplen = rd32(d + off + 8, swap);
        off += 16;
        if (caplen > len - off) {
            snprintf(err, errlen, "pcap: truncated packet record");
            return f->found ? 0 : -1;
        }
        link_packet(f, linktype, d + off, caplen);
        off += caplen;
    }
    return 0;
}

static int read_pcapng(flow *f, const unsigned char *d, size_t len, char *err, size_t errlen)
{
    unsigned linktypes[64];
    unsigned n_if = 0;
    int swap = 0;
    size_t off = 0;
    while (off + 12 <= len && !f->done) {
        uint32_t type = rd32(d + off, swap);
        if (be32(d + off) == 0x0a0d0d0a) { /* section header: learn the byte order */
            uint32_t bom = be32(d + off + 8);
            if (bom == 0x1a2b3c4d)
                swap = 1;
            else if (bom == 0x4d3c2b1a)
                swap = 0;
            else {
                snprintf(err, errlen, "pcapng: bad byte-order magic");
                return -1;
            }
            type = 0x0a0d0d0a;
            n_if = 0;
        }
        size_t blen = rd32(d + off + 4, swap);
        if (blen < 12 || blen > len - off || blen % 4) {
            snprintf(err, errlen, "pcapng: bad block length");
            return f->found ? 0 : -1;
        }
        const unsigned char *b = d + off + 8;
        size_t bl = blen - 12; /* body between the length fields */
        if (type == 1 && bl >= 8) {
            if (n_if < 64) linktypes[n_if++] = rd16(b, swap);
        } else if (type == 6 && bl >= 20) {
            uint32_t ifid = rd32(b, swap);
            size_t caplen = rd32(b + 12, swap);
            if (ifid < n_if && caplen <= bl - 20) link_packet(f, linktypes[ifid], b + 20, caplen);
        } else if (type == 3 && bl >= 4 && n_if > 0) {
            size_t olen = rd32(b, swap);
            size_t caplen = olen < bl - 4 ? olen : bl - 4;
            link_packet(f, linktypes[0], b + 4, caplen);
        } else if (type == 2 && bl >= 20) {
            unsigned ifid = rd16(b, swap);
            size_t caplen = rd32(b + 12, swap);
            if (ifid < n_if && caplen <= bl - 20) link_packet(f, linktypes[ifid], b + 20, caplen);
        }
        off += blen;
    }
    return 0;
}

int ptls_pcap_client_hello(const unsigned char *d, size_t len, ptls_buf *out, char *err, size_t errlen)
{
    flow f;
    memset(&f, 0, sizeof f);
    f.out = out;
    if (!ptls_pcap_is_capture(d, len)) {
        snprintf(err, errlen, "not a pcap or pcapng file");
        return -1;
    }
    size_t before = ptls_buf_size(out);
    err[0] = 0;
    int rc =
        be32(d) == 0x0a0d0d0a ? read_pcapng(&f, d, len, err, errlen) : read_pcap(&f, d, len, err, errlen);
    if (rc != 0) return -1;
    if (!f.found) {
        snprintf(err, errlen, "no TLS ClientHello in the capture");
        return -1;
    }
    if (!f.done) {
        snprintf(err, errlen, "the capture holds only the first %zu bytes of the ClientHello",
                 ptls_buf_size(out) - before);
        return -1;
    }
    return 0;
}
