/* Small helpers of the wolfSSL backend: error formatting and file reading. */
#include "wssl_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void wssl_set_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL || errlen == 0) return;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* Reads a whole file into a malloc'd buffer (the OCSP staple must be
 * malloc'd anyway, and the DER certificate is converted from memory).
 * Returns NULL on any error, errno tells why. */
unsigned char *wssl_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    long size;

    if (f == NULL) return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) goto out;
    /* One spare byte so text callers may NUL-terminate. */
    buf = malloc((size_t)size + 1);
    if (buf == NULL) goto out;
    if (fread(buf, 1, (size_t)size, f) != (size_t)size) {
        free(buf);
        buf = NULL;
        goto out;
    }
    buf[size] = 0;
    *len = (size_t)size;
out:
    fclose(f);
    return buf;
}
