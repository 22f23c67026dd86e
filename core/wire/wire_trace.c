#include "wire_trace.h"

#include <stdlib.h>
#include <string.h>

#include "error_names.h"

void ptls_wire_init(ptls_wire_dir *d)
{
    memset(d, 0, sizeof *d);
    d->last_alert_level = d->last_alert = -1;
}

void ptls_wire_free(ptls_wire_dir *d)
{
    free(d->rec);
    d->rec = NULL;
}

static const char *content_type_name(unsigned t)
{
    switch (t) {
    case 20:
        return "ChangeCipherSpec";
    case 21:
        return "Alert";
    case 22:
        return "Handshake";
    case 23:
        return "ApplicationData";
    case 24:
        return "Heartbeat";
    default:
        return "unknown";
    }
}

static const char *handshake_name(unsigned t)
{
    switch (t) {
    case 0:
        return "HelloRequest";
    case 1:
        return "ClientHello";
    case 2:
        return "ServerHello";
    case 3:
        return "HelloVerifyRequest";
    case 4:
        return "NewSessionTicket";
    case 5:
        return "EndOfEarlyData";
    case 8:
        return "EncryptedExtensions";
    case 11:
        return "Certificate";
    case 12:
        return "ServerKeyExchange";
    case 13:
        return "CertificateRequest";
    case 14:
        return "ServerHelloDone";
    case 15:
        return "CertificateVerify";
    case 16:
        return "ClientKeyExchange";
    case 20:
        return "Finished";
    case 22:
        return "CertificateStatus";
    case 24:
        return "KeyUpdate";
    default:
        return "unknown";
    }
}

static const char *version_name(unsigned v)
{
    switch (v) {
    case 0x0300:
        return "SSL 3.0";
    case 0x0301:
        return "TLS 1.0";
    case 0x0302:
        return "TLS 1.1";
    case 0x0303:
        return "TLS 1.2";
    case 0x0304:
        return "TLS 1.3";
    case 0xfeff:
        return "DTLS 1.0";
    case 0xfefd:
        return "DTLS 1.2";
    default:
        return "???";
    }
}

void ptls_wire_hexdump(FILE *out, const char *title, const unsigned char *p, size_t n)
{
    if (title) fprintf(out, "%s\n", title);
    for (size_t off = 0; off < n; off += 16) {
        fprintf(out, "%04zx -", off);
        for (size_t i = 0; i < 16; i++) {
            if (off + i < n)
                fprintf(out, "%c%02x", i == 8 ? '-' : ' ', p[off + i]);
            else
                fputs("   ", out);
        }
        fputs("   ", out);
        for (size_t i = 0; i < 16 && off + i < n; i++) {
            unsigned char c = p[off + i];
            fputc(c >= 0x20 && c < 0x7f ? c : '.', out);
        }
        fputc('\n', out);
    }
}

static void print_record(const ptls_wire_dir *d, int dir, FILE *msg)
{
    const char *arrow = dir == PTLS_WIRE_IN ? "<<<" : ">>>";
    unsigned type = d->hdr[0], ver = (unsigned)d->hdr[1] << 8 | d->hdr[2];
    size_t len = d->rec_len;
    /* DTLS handshake messages carry 12-byte headers (seq and fragment). */
    const size_t mh = d->dtls ? 12 : 4;
    int protected_rec = type == 23 || (d->encrypted && type != 20);
    fprintf(msg, "%s %s record, %s [length %04zx]%s\n", arrow, version_name(ver), content_type_name(type),
            len, protected_rec ? " (encrypted)" : "");
    if (protected_rec) return;
    if (type == 22) {
        /* The handshake messages that start in this record. */
        size_t off = 0;
        while (off + mh <= len) {
            size_t mlen = (size_t)d->rec[off + 1] << 16 | (size_t)d->rec[off + 2] << 8 | d->rec[off + 3];
            size_t flen =
                d->dtls ? ((size_t)d->rec[off + 9] << 16 | (size_t)d->rec[off + 10] << 8 | d->rec[off + 11])
                        : mlen;
            fprintf(msg, "%s   %s [length %06zx]%s\n", arrow, handshake_name(d->rec[off]), mlen,
                    off + mh + flen > len ? " (continues in the next record)"
                    : flen < mlen         ? " (fragment)"
                                          : "");
            off += mh + flen;
        }
    } else if (type == 21 && len >= 2) {
        const char *n = ptls_alert_name(d->rec[1]);
        fprintf(msg, "%s   %s alert: %s (%u)\n", arrow, d->rec[0] == 2 ? "fatal" : "warning",
                n ? n : "unknown", d->rec[1]);
    }
    ptls_wire_hexdump(msg, NULL, d->rec, len < 4096 ? len : 4096);
    if (len > 4096) fprintf(msg, "    ... %zu more bytes\n", len - 4096);
}

void ptls_wire_feed(ptls_wire_dir *d, int dir, const unsigned char *p, size_t n, FILE *msg)
{
    const size_t hl = d->dtls ? 13 : 5;
    while (n && !d->not_tls) {
        if (d->hdr_len < hl) {
            d->hdr[d->hdr_len++] = *p++;
            n--;
            if (d->hdr_len == 1 && (d->hdr[0] < 20 || d->hdr[0] > 24)) {
                d->not_tls = 1;
                if (msg)
                    fprintf(msg, "%s not TLS records (first byte 0x%02x)\n", dir ? ">>>" : "<<<", d->hdr[0]);
                return;
            }
            if (d->hdr_len < hl) continue;
            d->left = (size_t)d->hdr[hl - 2] << 8 | d->hdr[hl - 1];
            d->rec_len = 0;
            d->alert_len = 0;
            if (d->left > 16384 + 2048) {
                d->not_tls = 1; /* not a record stream we can follow */
                return;
            }
        } else {
            size_t take = n < d->left ? n : d->left;
            if (msg) {
                if (d->rec_len + take > d->rec_cap) {
                    size_t cap = d->rec_len + take + 1024;
                    unsigned char *r = realloc(d->rec, cap);
                    if (!r) return;
                    d->rec = r;
                    d->rec_cap = cap;
                }
                memcpy(d->rec + d->rec_len, p, take);
            }
            d->rec_len += take;
            if (d->hdr[0] == 21 && !d->encrypted)
                for (size_t i = 0; i < take && d->alert_len < 2; i++)
                    d->alert[d->alert_len++] = p[i];
            d->left -= take;
            p += take;
            n -= take;
        }
        if (d->hdr_len == hl && d->left == 0) {
            if (msg) print_record(d, dir, msg);
            if (d->hdr[0] == 21 && !d->encrypted && d->alert_len == 2) {
                d->last_alert_level = d->alert[0];
                d->last_alert = d->alert[1];
            }
            if (d->hdr[0] == 20) d->encrypted = 1;
            d->hdr_len = 0;
        }
    }
}
