#include "pem.h"

#include <stdint.h>
#include <sha2.h> /* libmd */
#include <stdlib.h>
#include <string.h>

static int b64val(int c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

long ptls_pem_read_first_cert(const char *path, unsigned char **der)
{
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    char line[256];
    int in = 0;
    size_t cap = 4096, n = 0;
    unsigned char *out = malloc(cap);
    unsigned acc = 0;
    int bits = 0;
    while (out && fgets(line, sizeof line, f)) {
        if (!in) {
            in = strncmp(line, "-----BEGIN CERTIFICATE-----", 27) == 0;
            continue;
        }
        if (strncmp(line, "-----END", 8) == 0) break;
        for (char *p = line; *p; p++) {
            int v = b64val((unsigned char)*p);
            if (v < 0) continue;
            acc = (acc << 6) | (unsigned)v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                if (n == cap) {
                    unsigned char *bigger = realloc(out, cap *= 2);
                    if (!bigger) {
                        free(out);
                        out = NULL;
                        break;
                    }
                    out = bigger;
                }
                out[n++] = (unsigned char)(acc >> bits);
            }
        }
    }
    fclose(f);
    if (!out || !in || n == 0) {
        free(out);
        return -1;
    }
    *der = out;
    return (long)n;
}

void ptls_pem_write_cert(FILE *out, const unsigned char *der, size_t len)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    fputs("-----BEGIN CERTIFICATE-----\n", out);
    int col = 0;
    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned)der[i] << 16 | (i + 1 < len ? (unsigned)der[i + 1] << 8 : 0) |
                     (i + 2 < len ? der[i + 2] : 0);
        char q[4] = {tab[v >> 18 & 63], tab[v >> 12 & 63], i + 1 < len ? tab[v >> 6 & 63] : '=',
                     i + 2 < len ? tab[v & 63] : '='};
        fwrite(q, 1, 4, out);
        if ((col += 4) == 64) {
            fputc('\n', out);
            col = 0;
        }
    }
    if (col) fputc('\n', out);
    fputs("-----END CERTIFICATE-----\n", out);
}

void ptls_fingerprint(const unsigned char *der, size_t len, char *out, size_t outlen)
{
    unsigned char md[SHA256_DIGEST_LENGTH];
    SHA2_CTX ctx;
    SHA256Init(&ctx);
    SHA256Update(&ctx, der, len);
    SHA256Final(md, &ctx);
    size_t n = 0;
    out[0] = 0;
    for (int i = 0; i < 32 && n + 3 < outlen; i++)
        n += (size_t)snprintf(out + n, outlen - n, i ? ":%02X" : "%02X", md[i]);
}
