/* A strict, bounded HTTP/1.x request parser for -www, -WWW and -HTTP, and
 * the mapping of a request target to a path below the served root. */
#ifndef PTLS_HTTP_REQUEST_H
#define PTLS_HTTP_REQUEST_H

#include <stddef.h>

#define PTLS_HTTP_MAX_REQUEST_LINE 8192
#define PTLS_HTTP_MAX_HEADERS 16384

typedef struct ptls_http_request {
    char method[16];
    char target[PTLS_HTTP_MAX_REQUEST_LINE];
    int minor;      /* HTTP/1.<minor>; 0 for a request without a version */
    int keep_alive; /* after the response: keep the connection */
} ptls_http_request;

/* Parse one request from buf. Returns the bytes it occupies (> 0) when
 * complete, 0 when more bytes are needed, or -status (-400, -414, -431,
 * -505) when it is malformed or too large. */
long ptls_http_parse(const char *buf, size_t len, ptls_http_request *req);

/* Map a request target to a relative path (no leading '/'). Percent-decodes;
 * refuses NUL, backslashes, ':', '..' components, absolute and '//' paths.
 * Returns 0, or the HTTP status to answer (400, 403, 414). */
int ptls_http_target_to_path(const char *target, char *out, size_t outlen);

/* Content-Type by file extension. */
const char *ptls_http_content_type(const char *path);

#endif
