/* libFuzzer target for the HTTP request parser and the request-target to
 * path mapping (core/modes/http_request.c), as -www, -WWW and -HTTP use them.
 *
 * The input is what a client sends after the handshake. It is parsed as a
 * whole (the buffer is exactly the input, so ASan sees any over-read), then
 * every parsed request's target is mapped to a path; the input itself is
 * also mapped as a target (NUL-terminated), into an output buffer whose
 * size is derived from the input, allocated exactly so that ASan sees any
 * overflow. Properties checked:
 *  - a complete request occupies at most the input, and parsing exactly
 *    those bytes gives the same result (no dependence on what follows);
 *  - the parsed method and target are NUL-terminated strings;
 *  - a mapped path never leaves the root: no leading '/', no ".."
 *    component, no backslash, no ':' and no NUL.
 *
 * Seeds: tests/fuzz/corpus/fuzz_http/ (requests, traversal attempts).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "modes/http_request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_path(const char *path, size_t outlen)
{
    size_t n = strnlen(path, outlen);
    if (n >= outlen) abort();
    if (path[0] == '/') abort();
    if (memchr(path, '\\', n) || memchr(path, ':', n)) abort();
    for (const char *c = path; *c;) {
        const char *slash = strchr(c, '/');
        size_t cl = slash ? (size_t)(slash - c) : strlen(c);
        if (cl == 2 && c[0] == '.' && c[1] == '.') abort();
        c += cl;
        if (*c == '/') c++;
    }
    (void)ptls_http_content_type(path);
}

static void map(const char *target, size_t outlen)
{
    char *out = malloc(outlen);
    if (!out) abort();
    int rc = ptls_http_target_to_path(target, out, outlen);
    if (rc == 0)
        check_path(out, outlen);
    else if (rc != 400 && rc != 403 && rc != 414)
        abort();
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ptls_http_request req;
    const char *buf = (const char *)data;

    /* Pipelined requests, as core/modes/http.c consumes them. */
    size_t off = 0;
    for (int i = 0; i < 64 && off < size; i++) {
        long r = ptls_http_parse(buf + off, size - off, &req);
        if (r == 0) break;
        if (r < 0) {
            if (r != -400 && r != -414 && r != -431 && r != -505) abort();
            break;
        }
        if ((size_t)r > size - off) abort();
        if (!memchr(req.method, 0, sizeof req.method) || !memchr(req.target, 0, sizeof req.target)) abort();
        if (req.minor != 0 && req.minor != 1) abort();
        /* Exactly the request's bytes parse to the same request. */
        char *exact = malloc((size_t)r);
        if (!exact) abort();
        memcpy(exact, buf + off, (size_t)r);
        static ptls_http_request again;
        if (ptls_http_parse(exact, (size_t)r, &again) != r || strcmp(again.target, req.target) ||
            strcmp(again.method, req.method) || again.minor != req.minor ||
            again.keep_alive != req.keep_alive)
            abort();
        free(exact);
        map(req.target, PTLS_HTTP_MAX_REQUEST_LINE);
        off += (size_t)r;
    }

    /* The raw input as a target, into a buffer of input-derived size. */
    if (size > 0 && size <= 2 * PTLS_HTTP_MAX_REQUEST_LINE) {
        char *t = malloc(size + 1);
        if (!t) abort();
        memcpy(t, data, size);
        t[size] = 0;
        t[0] = '/';
        map(t, 1 + (size_t)data[0] % 64);
        map(t, PTLS_HTTP_MAX_REQUEST_LINE);
        free(t);
    }
    return 0;
}
