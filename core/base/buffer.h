/* A growable byte buffer with a read offset: append at the end, consume
 * from the front. Used for per-connection plaintext in and out. */
#ifndef PTLS_BUFFER_H
#define PTLS_BUFFER_H

#include <stddef.h>

typedef struct ptls_buf {
    unsigned char *data;
    size_t off; /* first unconsumed byte */
    size_t len; /* end of valid data */
    size_t cap;
} ptls_buf;

int ptls_buf_append(ptls_buf *b, const void *p, size_t n); /* 0 or -1 (out of memory) */
int ptls_buf_printf(ptls_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ptls_buf_consume(ptls_buf *b, size_t n);
void ptls_buf_free(ptls_buf *b);
static inline size_t ptls_buf_size(const ptls_buf *b)
{
    return b->len - b->off;
}
static inline unsigned char *ptls_buf_head(const ptls_buf *b)
{
    return b->data + b->off;
}

#endif
