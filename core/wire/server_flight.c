/* The server's first flight, decoded for polytls compare: see server_flight.h. */
#include "server_flight.h"

#include <stdio.h>
#include <string.h>

#include "cipher_table.h"
#include "clienthello.h"
#include "group_table.h"

#define CT_CCS 20
#define CT_ALERT 21
#define CT_HANDSHAKE 22
#define CT_APPDATA 23
#define MAX_HS_MSG 65536

static const unsigned char hrr_random[32] = {0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c,
                                             0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb,
                                             0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c};

static unsigned u16(const unsigned char *b)
{
    return (unsigned)b[0] << 8 | b[1];
}

static size_t u24(const unsigned char *b)
{
    return (size_t)b[0] << 16 | (size_t)b[1] << 8 | b[2];
}

const char *ptls_sf_group_name(uint16_t id, char *buf)
{
    const char *n = ptls_group_name(id);
    if (n) return n;
    switch (id) {
    case 0x11ec:
        return "X25519MLKEM768";
    case 0x11eb:
        return "SecP256r1MLKEM768";
    case 0x11ed:
        return "SecP384r1MLKEM1024";
    case 0x6399:
        return "X25519Kyber768Draft00";
    case 0x0200:
        return "MLKEM512";
    case 0x0201:
        return "MLKEM768";
    case 0x0202:
        return "MLKEM1024";
    default:
        break;
    }
    return ptls_ch_name(PTLS_CH_NAME_GROUP, id, buf);
}

const char *ptls_sf_msg_name(uint8_t type)
{
    switch (type) {
    case 0:
        return "hello_request";
    case 1:
        return "client_hello";
    case 2:
        return "server_hello";
    case 4:
        return "new_session_ticket";
    case 8:
        return "encrypted_extensions";
    case 11:
        return "certificate";
    case 12:
        return "server_key_exchange";
    case 13:
        return "certificate_request";
    case 14:
        return "server_hello_done";
    case 15:
        return "certificate_verify";
    case 20:
        return "finished";
    case 22:
        return "certificate_status";
    default:
        return "unknown";
    }
}

static void ext_value(ptls_server_flight *f, ptls_sf_ext *e, const unsigned char *d, size_t n)
{
    char g[PTLS_CH_NAME_BUF];
    e->value[0] = 0;
    switch (e->type) {
    case 43: /* supported_versions */
        if (n == 2) {
            ptls_ch_name(PTLS_CH_NAME_VERSION, (uint16_t)u16(d), g);
            snprintf(e->value, sizeof e->value, "%s",
                     ptls_ch_name(PTLS_CH_NAME_VERSION, (uint16_t)u16(d), g));
        }
        break;
    case 51: /* key_share */
        if (f->kind == PTLS_SF_HRR && n == 2) {
            snprintf(e->value, sizeof e->value, "%s", ptls_sf_group_name((uint16_t)u16(d), g));
        } else if (n >= 4) {
            snprintf(e->value, sizeof e->value, "%s (%u bytes)", ptls_sf_group_name((uint16_t)u16(d), g),
                     u16(d + 2));
        }
        break;
    case 16: /* ALPN: one name */
        if (n >= 3 && d[2] + 3u <= n) {
            size_t k = d[2], o = 0;
            for (size_t i = 0; i < k && o + 5 < sizeof e->value; i++) {
                unsigned char c = d[3 + i];
                if (c >= 0x20 && c < 0x7f && c != '\\')
                    e->value[o++] = (char)c;
                else
                    o += (size_t)snprintf(e->value + o, sizeof e->value - o, "\\x%02x", c);
            }
            e->value[o] = 0;
        }
        break;
    case 0xff01: /* renegotiation_info */
        snprintf(e->value, sizeof e->value, n == 1 && d[0] == 0 ? "empty" : "%zu bytes", n);
        break;
    case 11: /* ec_point_formats */
        if (n >= 1) {
            size_t o = 0;
            for (size_t i = 1; i < n && i <= d[0] && o + 8 < sizeof e->value; i++) {
                const char *pf = d[i] == 0   ? "uncompressed"
                                 : d[i] == 1 ? "ansiX962_prime"
                                 : d[i] == 2 ? "ansiX962_char2"
                                             : "?";
                o += (size_t)snprintf(e->value + o, sizeof e->value - o, "%s%s", o ? "," : "", pf);
            }
        }
        break;
    case 41: /* pre_shared_key: selected identity */
        if (n == 2) snprintf(e->value, sizeof e->value, "identity %u", u16(d));
        break;
    case 1: /* max_fragment_length */
        if (n == 1) snprintf(e->value, sizeof e->value, "%u", 1u << (8 + d[0]));
        break;
    case 28: /* record_size_limit */
        if (n == 2) snprintf(e->value, sizeof e->value, "%u", u16(d));
        break;
    case 44: /* cookie */
        snprintf(e->value, sizeof e->value, "%zu bytes", n);
        break;
    case 0:  /* server_name */
    case 5:  /* status_request */
    case 22: /* encrypt_then_mac */
    case 23: /* extended_master_secret */
    case 35: /* session_ticket */
    case 42: /* early_data */
        if (n) snprintf(e->value, sizeof e->value, "%zu bytes", n);
        break;
    default:
        snprintf(e->value, sizeof e->value, "%zu bytes", n);
        break;
    }
}

static void server_hello(ptls_server_flight *f, const unsigned char *m, size_t n, const unsigned char *csid,
                         size_t csid_len)
{
    if (n < 38) {
        snprintf(f->malformed, sizeof f->malformed, "short server_hello");
        return;
    }
    f->legacy_version = f->version = (uint16_t)u16(m);
    f->kind = memcmp(m + 2, hrr_random, 32) == 0 ? PTLS_SF_HRR : PTLS_SF_SERVER_HELLO;
    if (memcmp(m + 26, "DOWNGRD\1", 8) == 0) f->downgrade = 1;
    if (memcmp(m + 26, "DOWNGRD\0", 8) == 0) f->downgrade = 2;
    size_t off = 34;
    size_t sid = m[off++];
    if (off + sid + 3 > n) {
        snprintf(f->malformed, sizeof f->malformed, "server_hello: session id");
        return;
    }
    f->session_id_len = sid;
    f->session_id_echo = sid && sid == csid_len && memcmp(m + off, csid, sid) == 0;
    off += sid;
    f->cipher = (uint16_t)u16(m + off);
    f->compression = m[off + 2];
    off += 3;
    if (off == n) return; /* no extensions */
    if (off + 2 > n || off + 2 + u16(m + off) != n) {
        snprintf(f->malformed, sizeof f->malformed, "server_hello: extensions length");
        return;
    }
    off += 2;
    while (off + 4 <= n) {
        unsigned type = u16(m + off), len = u16(m + off + 2);
        const unsigned char *d = m + off + 4;
        if (off + 4 + len > n) {
            snprintf(f->malformed, sizeof f->malformed, "server_hello: extension length");
            return;
        }
        if (type == 43 && len == 2) f->version = (uint16_t)u16(d);
        if (type == 51 && len >= 2) {
            f->group = (uint16_t)u16(d);
            if (len >= 4) f->key_share_len = u16(d + 2);
        }
        if (f->n_exts < PTLS_SF_MAX_EXTS) {
            ptls_sf_ext *e = &f->exts[f->n_exts++];
            e->type = (uint16_t)type;
            e->len = (uint16_t)len;
            ext_value(f, e, d, len);
        } else {
            f->exts_dropped++;
        }
        off += 4 + len;
    }
}

static void certificate(ptls_server_flight *f, const unsigned char *m, size_t n)
{
    /* TLS 1.2: certificate_list<3> of ASN.1Cert<3> */
    f->cert_count = 0;
    if (n < 3 || u24(m) + 3 != n) return;
    size_t off = 3;
    while (off + 3 <= n) {
        size_t l = u24(m + off);
        if (off + 3 + l > n) return;
        if (f->cert_count == 0) f->leaf_len = l;
        f->cert_count++;
        off += 3 + l;
    }
}

static void server_key_exchange(ptls_server_flight *f, const unsigned char *m, size_t n)
{
    size_t off;
    f->ske = 1;
    if (n >= 4 && m[0] == 3) { /* named_curve */
        f->ske_kind = 1;
        f->ske_group = (uint16_t)u16(m + 1);
        off = 4 + m[3];
    } else { /* DHE: p<2> g<2> Ys<2> */
        f->ske_kind = 2;
        off = 0;
        for (int i = 0; i < 3; i++) {
            if (off + 2 > n) return;
            size_t l = u16(m + off);
            if (i == 0) {
                size_t lead = 0; /* leading zero bytes of p */
                while (lead < l && off + 2 + lead < n && m[off + 2 + lead] == 0)
                    lead++;
                f->ske_dh_bits = (unsigned)((l - lead) * 8);
            }
            off += 2 + l;
        }
    }
    if (f->version >= 0x0303 && off + 2 <= n) f->ske_sigalg = (uint16_t)u16(m + off);
}

static void handshake_message(ptls_server_flight *f, unsigned type, const unsigned char *m, size_t n,
                              const unsigned char *csid, size_t csid_len)
{
    if (f->kind == PTLS_SF_NOTHING) {
        if (type == 2) {
            server_hello(f, m, n, csid, csid_len);
            return;
        }
        f->kind = PTLS_SF_OTHER;
    }
    if (f->n_msgs < PTLS_SF_MAX_MSGS) f->msgs[f->n_msgs++] = (uint8_t)type;
    switch (type) {
    case 11:
        certificate(f, m, n);
        break;
    case 12:
        server_key_exchange(f, m, n);
        break;
    case 13:
        f->cert_request = 1;
        break;
    case 14:
        f->server_hello_done = 1;
        break;
    case 22:
        f->cert_status = 1;
        break;
    default:
        break;
    }
}

void ptls_sf_decode(const unsigned char *data, size_t len, const unsigned char *client_sid,
                    size_t client_sid_len, ptls_server_flight *f)
{
    memset(f, 0, sizeof *f);
    f->cert_count = -1;
    /* Handshake messages may span records: collect the handshake bytes of
     * consecutive handshake records, bounded. */
    size_t hs_len = 0, hs_off = 0;
    unsigned char hsbuf[MAX_HS_MSG + 4];
    size_t off = 0;
    int encrypted = 0; /* after a TLS 1.3 ServerHello / a 1.2 CCS */
    while (off + 5 <= len) {
        const unsigned char *r = data + off;
        unsigned type = r[0], rlen = u16(r + 3);
        if ((type < 20 || type > 24) || r[1] != 3) {
            if (f->records == 0) f->kind = PTLS_SF_NOT_TLS;
            snprintf(f->malformed, sizeof f->malformed, "not a TLS record (0x%02x 0x%02x)", r[0], r[1]);
            break;
        }
        if (off + 5 + rlen > len) break; /* incomplete: wait for more */
        if (f->records == 0) f->record_version = (uint16_t)u16(r + 1);
        f->records++;
        const unsigned char *body = r + 5;
        off += 5 + rlen;
        f->bytes = off;
        if (type == CT_APPDATA || (encrypted && type != CT_CCS)) {
            f->encrypted_records++;
            f->encrypted_bytes += rlen;
            continue;
        }
        if (type == CT_CCS) {
            f->ccs = 1;
            if (f->version != 0x0304) encrypted = 1; /* TLS 1.2: Finished follows encrypted */
            continue;
        }
        if (type == CT_ALERT) {
            if (!f->alert && rlen >= 2) {
                f->alert = 1;
                f->alert_level = body[0];
                f->alert_desc = body[1];
                f->alert_after_hello = f->kind == PTLS_SF_SERVER_HELLO || f->kind == PTLS_SF_HRR;
                if (f->kind == PTLS_SF_NOTHING) f->kind = PTLS_SF_ALERT;
            }
            continue;
        }
        if (type != CT_HANDSHAKE) {
            if (f->kind == PTLS_SF_NOTHING) f->kind = PTLS_SF_OTHER;
            continue;
        }
        /* handshake bytes: append to the reassembly buffer and take out
         * complete messages */
        if (hs_len - hs_off + rlen > sizeof hsbuf) {
            snprintf(f->malformed, sizeof f->malformed, "handshake message over %zu bytes", sizeof hsbuf);
            break;
        }
        if (hs_off) {
            memmove(hsbuf, hsbuf + hs_off, hs_len - hs_off);
            hs_len -= hs_off;
            hs_off = 0;
        }
        memcpy(hsbuf + hs_len, body, rlen);
        hs_len += rlen;
        while (hs_len - hs_off >= 4) {
            size_t mlen = u24(hsbuf + hs_off + 1);
            if (hs_off + 4 + mlen > hs_len) {
                if (4 + mlen > sizeof hsbuf)
                    snprintf(f->malformed, sizeof f->malformed, "handshake message of %zu bytes", mlen);
                break;
            }
            handshake_message(f, hsbuf[hs_off], hsbuf + hs_off + 4, mlen, client_sid, client_sid_len);
            hs_off += 4 + mlen;
            if (f->version == 0x0304 && (f->kind == PTLS_SF_SERVER_HELLO)) encrypted = 1;
        }
        if (f->malformed[0]) break;
    }
}

int ptls_sf_complete(const ptls_server_flight *f)
{
    if (f->alert || f->server_hello_done || f->kind == PTLS_SF_NOT_TLS || f->malformed[0]) return 1;
    if (f->ccs && f->version != 0x0304 && f->kind == PTLS_SF_SERVER_HELLO) return 1;
    return 0;
}
