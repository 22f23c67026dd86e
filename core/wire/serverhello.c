#include "serverhello.h"

#include <string.h>

#define CT_CCS 20
#define CT_HANDSHAKE 22
#define HT_SERVER_HELLO 2
#define HT_SERVER_KEY_EXCHANGE 12
#define HT_SERVER_HELLO_DONE 14
#define EXT_KEY_SHARE 51
#define EXT_SUPPORTED_VERSIONS 43
#define EXT_PRE_SHARED_KEY 41

void ptls_sh_init(ptls_sh_parser *p)
{
    memset(p, 0, sizeof *p);
}

static unsigned u16(const unsigned char *b)
{
    return (unsigned)b[0] << 8 | b[1];
}

static void server_hello(ptls_sh_parser *p, const unsigned char *m, size_t n)
{
    /* legacy_version(2) random(32) session_id<1> cipher(2) compression(1) extensions<2> */
    if (n < 38) return;
    size_t off = 34;
    size_t sid = m[off];
    off += 1 + sid;
    if (off + 3 > n) return;
    p->saw_server_hello = 1;
    p->version = (uint16_t)u16(m);
    p->cipher = (uint16_t)u16(m + off);
    off += 3;
    if (off + 2 > n) return;
    size_t ext_end = off + 2 + u16(m + off);
    off += 2;
    if (ext_end > n) return;
    while (off + 4 <= ext_end) {
        unsigned type = u16(m + off), len = u16(m + off + 2);
        const unsigned char *d = m + off + 4;
        if (off + 4 + len > ext_end) return;
        if (type == EXT_SUPPORTED_VERSIONS && len == 2) p->version = (uint16_t)u16(d);
        if (type == EXT_KEY_SHARE && len >= 2) p->group = (uint16_t)u16(d);
        if (type == EXT_PRE_SHARED_KEY) p->psk_ext = 1;
        off += 4 + len;
    }
    /* TLS 1.3: everything after ServerHello is encrypted. */
    if (p->version == 0x0304) p->done = 1;
}

/* TLS 1.2 ServerKeyExchange: the ECDHE group, and for both ECDHE and DHE
 * the SignatureScheme that signed the parameters. */
static void server_key_exchange(ptls_sh_parser *p, const unsigned char *m, size_t n)
{
    size_t off;
    if (n >= 4 && m[0] == 3) { /* curve_type named_curve, group, point<1> */
        p->group = (uint16_t)u16(m + 1);
        off = 4 + m[3];
    } else { /* DHE: p<2>, g<2>, Ys<2> */
        off = 0;
        for (int i = 0; i < 3; i++) {
            if (off + 2 > n) return;
            off += 2 + u16(m + off);
        }
    }
    if (p->version == 0x0303 && off + 2 <= n) p->sigalg = (uint16_t)u16(m + off);
}

static void handshake_message(ptls_sh_parser *p, unsigned type, const unsigned char *m, size_t n)
{
    switch (type) {
    case HT_SERVER_HELLO:
        server_hello(p, m, n);
        break;
    case HT_SERVER_KEY_EXCHANGE:
        server_key_exchange(p, m, n);
        break;
    case HT_SERVER_HELLO_DONE:
        p->saw_server_hello_done = 1;
        p->done = 1;
        break;
    default:
        break;
    }
}

/* Handshake-layer bytes (messages may span records). */
static void handshake_bytes(ptls_sh_parser *p, const unsigned char *b, size_t n)
{
    while (n && !p->done) {
        if (p->hs_hdr_len < 4) {
            p->hs_hdr[p->hs_hdr_len++] = *b++;
            n--;
            if (p->hs_hdr_len < 4) continue;
            p->hs_left = (size_t)p->hs_hdr[1] << 16 | (size_t)p->hs_hdr[2] << 8 | p->hs_hdr[3];
            p->msg_len = 0;
        } else {
            size_t take = n < p->hs_left ? n : p->hs_left;
            size_t keep = take;
            if (keep > sizeof p->msg - p->msg_len) keep = sizeof p->msg - p->msg_len;
            memcpy(p->msg + p->msg_len, b, keep);
            p->msg_len += keep;
            p->hs_left -= take;
            b += take;
            n -= take;
        }
        if (p->hs_left == 0) {
            handshake_message(p, p->hs_hdr[0], p->msg, p->msg_len);
            p->hs_hdr_len = 0;
        }
    }
}

void ptls_sh_feed(ptls_sh_parser *p, const unsigned char *data, size_t len)
{
    while (len && !p->done) {
        if (p->rec_hdr_len < 5) {
            p->rec_hdr[p->rec_hdr_len++] = *data++;
            len--;
            if (p->rec_hdr_len < 5) continue;
            p->rec_left = u16(p->rec_hdr + 3);
            unsigned type = p->rec_hdr[0];
            if (type == CT_CCS) {
                /* TLS 1.2: ChangeCipherSpec before ServerHelloDone is an
                 * abbreviated (resumed) handshake. */
                if (p->saw_server_hello && !p->saw_server_hello_done) p->saw_ccs_before_done = 1;
                p->done = 1;
                return;
            }
            if (type != CT_HANDSHAKE) {
                p->done = 1;
                return;
            }
            if (p->rec_left == 0) p->rec_hdr_len = 0;
            continue;
        }
        size_t take = len < p->rec_left ? len : p->rec_left;
        handshake_bytes(p, data, take);
        data += take;
        len -= take;
        p->rec_left -= take;
        if (p->rec_left == 0) p->rec_hdr_len = 0;
    }
}

int ptls_sh_resumed(const ptls_sh_parser *p)
{
    if (!p->saw_server_hello) return -1;
    if (p->version == 0x0304) return p->psk_ext;
    if (p->saw_ccs_before_done) return 1;
    if (p->saw_server_hello_done) return 0;
    return -1;
}
