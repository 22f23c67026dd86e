/* INPUT files: see compare_input.h. */
#include "compare_input.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire/clienthello_build.h"
#include "wire/pcap_hello.h"

#define MAX_FILE (64u << 20)

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/* Hex digits with any whitespace, ':' ',' separators, "0x" prefixes and
 * '#' comments; -1 on anything else or an odd digit count. */
static int parse_hex(const unsigned char *d, size_t n, ptls_buf *out)
{
    int hi = -1;
    for (size_t i = 0; i < n; i++) {
        int c = d[i];
        if (c == '#') {
            while (i < n && d[i] != '\n')
                i++;
            continue;
        }
        if (isspace(c) || c == ':' || c == ',') continue;
        if (c == '0' && i + 1 < n && (d[i + 1] == 'x' || d[i + 1] == 'X') && hi < 0) {
            i++;
            continue;
        }
        int v = hexval(c);
        if (v < 0) return -1;
        if (hi < 0) {
            hi = v;
        } else {
            unsigned char b = (unsigned char)(hi << 4 | v);
            ptls_buf_append(out, &b, 1);
            hi = -1;
        }
    }
    return hi < 0 ? 0 : -1;
}

int cmp_load_hello_file(const char *path, ptls_buf *out, const char **kind, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    ptls_buf raw = {0};
    unsigned char chunk[65536];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0 && ptls_buf_size(&raw) < MAX_FILE)
        ptls_buf_append(&raw, chunk, k);
    fclose(f);
    const unsigned char *d = ptls_buf_head(&raw);
    size_t n = ptls_buf_size(&raw);
    ptls_buf bytes = {0};
    const char *what;
    int rc = 0;
    if (ptls_pcap_is_capture(d, n)) {
        what = "pcap";
        rc = ptls_pcap_client_hello(d, n, &bytes, err, errlen);
    } else if (n && (d[0] == 0x16 || d[0] == 0x01 || d[0] >= 0x80)) {
        what = "binary";
        ptls_buf_append(&bytes, d, n);
    } else {
        what = "hex";
        if (parse_hex(d, n, &bytes) != 0 || ptls_buf_size(&bytes) == 0) {
            snprintf(err, errlen, "%s: neither a capture, nor binary TLS records, nor a hex dump", path);
            rc = -1;
        }
    }
    ptls_buf_free(&raw);
    if (rc == 0 && ptls_buf_size(&bytes) && ptls_buf_head(&bytes)[0] == 0x01) {
        ptls_buf rec = {0};
        ptls_chb_wrap(ptls_buf_head(&bytes), ptls_buf_size(&bytes), 0x0301, 16384, &rec);
        ptls_buf_free(&bytes);
        bytes = rec;
    }
    if (rc == 0) {
        ptls_buf_append(out, ptls_buf_head(&bytes), ptls_buf_size(&bytes));
        if (kind) *kind = what;
    }
    ptls_buf_free(&bytes);
    return rc;
}
