#include "x509_time.h"

#include <string.h>

/* Reads one DER TLV header at *p; returns the content length and sets *tag,
 * or -1. Advances *p past the header. */
static long tlv(const unsigned char **p, const unsigned char *end, int *tag)
{
    if (end - *p < 2) return -1;
    *tag = *(*p)++;
    size_t len = *(*p)++;
    if (len & 0x80) {
        size_t n = len & 0x7f;
        if (n == 0 || n > 4 || (size_t)(end - *p) < n) return -1;
        len = 0;
        while (n--)
            len = len << 8 | *(*p)++;
    }
    if (len > (size_t)(end - *p)) return -1;
    return (long)len;
}

static int digits(const unsigned char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* UTCTime YYMMDDHHMMSSZ or GeneralizedTime YYYYMMDDHHMMSSZ. */
static int der_time(int tag, const unsigned char *s, long len, time_t *out)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    int off;
    if (tag == 0x17 && len == 13) {
        int yy = digits(s, 2);
        tm.tm_year = (yy < 50 ? 2000 + yy : 1900 + yy) - 1900;
        off = 2;
    } else if (tag == 0x18 && len == 15) {
        tm.tm_year = digits(s, 4) - 1900;
        off = 4;
    } else {
        return -1;
    }
    if (s[len - 1] != 'Z') return -1;
    tm.tm_mon = digits(s + off, 2) - 1;
    tm.tm_mday = digits(s + off + 2, 2);
    tm.tm_hour = digits(s + off + 4, 2);
    tm.tm_min = digits(s + off + 6, 2);
    tm.tm_sec = digits(s + off + 8, 2);
    if (tm.tm_mon < 0 || tm.tm_mday < 1 || tm.tm_hour < 0 || tm.tm_min < 0 || tm.tm_sec < 0) return -1;
    *out = timegm(&tm);
    return 0;
}

int ptls_cert_validity(const unsigned char *der, size_t len, time_t *not_before, time_t *not_after)
{
    const unsigned char *p = der, *end = der + len;
    int tag;
    long l = tlv(&p, end, &tag); /* Certificate */
    if (l < 0 || tag != 0x30) return -1;
    l = tlv(&p, end, &tag); /* tbsCertificate */
    if (l < 0 || tag != 0x30) return -1;
    end = p + l;
    /* Skip [0] version (optional), serialNumber, signature, issuer. */
    for (int need = 3; need > 0;) {
        l = tlv(&p, end, &tag);
        if (l < 0) return -1;
        p += l;
        if (tag != 0xa0) need--;
    }
    l = tlv(&p, end, &tag); /* validity */
    if (l < 0 || tag != 0x30) return -1;
    const unsigned char *vend = p + l;
    long tl = tlv(&p, vend, &tag);
    if (tl < 0 || der_time(tag, p, tl, not_before) != 0) return -1;
    p += tl;
    tl = tlv(&p, vend, &tag);
    if (tl < 0 || der_time(tag, p, tl, not_after) != 0) return -1;
    return 0;
}
