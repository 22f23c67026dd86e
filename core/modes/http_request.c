#include "http_request.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static const char *find_end_of_headers(const char *buf, size_t len, size_t *hdr_len)
{
    for (size_t i = 0; i < len; i++) {
        if (buf[i] != '\n') continue;
        if (i + 1 < len && buf[i + 1] == '\n') {
            *hdr_len = i + 2;
            return buf + i;
        }
        if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n') {
            *hdr_len = i + 3;
            return buf + i;
        }
    }
    return NULL;
}

/* Case-insensitive search for a header's value within [p, end). */
static int header_has_token(const char *p, const char *end, const char *name, const char *token)
{
    size_t nl = strlen(name), tl = strlen(token);
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol) eol = end;
        if ((size_t)(eol - p) > nl && strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
            for (const char *v = p + nl + 1; v + tl <= eol; v++)
                if (strncasecmp(v, token, tl) == 0) return 1;
        }
        p = eol + 1;
    }
    return 0;
}

long ptls_http_parse(const char *buf, size_t len, ptls_http_request *req)
{
    const char *eol = memchr(buf, '\n', len);
    if (!eol) return len > PTLS_HTTP_MAX_REQUEST_LINE ? -414 : 0;
    size_t line_len = (size_t)(eol - buf);
    if (line_len > PTLS_HTTP_MAX_REQUEST_LINE) return -414;
    size_t hdr_len = 0;
    /* A request line with no version (HTTP/0.9 style, as s_server accepts)
     * ends the request by itself. */
    const char *sp1 = memchr(buf, ' ', line_len);
    if (!sp1 || sp1 == buf || (size_t)(sp1 - buf) >= sizeof req->method) return -400;
    const char *target = sp1 + 1;
    size_t rest = line_len - (size_t)(target - buf);
    if (rest && target[rest - 1] == '\r') rest--;
    const char *sp2 = memchr(target, ' ', rest);
    size_t tlen = sp2 ? (size_t)(sp2 - target) : rest;
    if (tlen == 0) return -400;
    if (tlen >= sizeof req->target) return -414;
    if (sp2) {
        const char *ver = sp2 + 1;
        size_t vlen = rest - tlen - 1;
        if (vlen != 8 || strncmp(ver, "HTTP/1.", 7) != 0)
            return vlen > 5 && !strncmp(ver, "HTTP/", 5) ? -505 : -400;
        if (ver[7] != '0' && ver[7] != '1') return -505;
        if (!find_end_of_headers(buf, len, &hdr_len)) return len > PTLS_HTTP_MAX_HEADERS ? -431 : 0;
        if (hdr_len > PTLS_HTTP_MAX_HEADERS) return -431;
        req->minor = ver[7] - '0';
    } else {
        hdr_len = line_len + 1;
        req->minor = 0;
    }
    for (const char *p = buf; p < sp1; p++)
        if (!isupper((unsigned char)*p)) return -400;
    memcpy(req->method, buf, (size_t)(sp1 - buf));
    req->method[sp1 - buf] = 0;
    memcpy(req->target, target, tlen);
    req->target[tlen] = 0;
    for (size_t i = 0; i < tlen; i++)
        if ((unsigned char)target[i] <= ' ' || (unsigned char)target[i] == 0x7f) return -400;
    const char *hstart = eol + 1, *hend = buf + hdr_len;
    if (req->minor == 1)
        req->keep_alive = !header_has_token(hstart, hend, "Connection", "close");
    else
        req->keep_alive = sp2 && header_has_token(hstart, hend, "Connection", "keep-alive");
    return (long)hdr_len;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

int ptls_http_target_to_path(const char *target, char *out, size_t outlen)
{
    if (target[0] != '/') return 400;
    size_t n = 0;
    for (const char *p = target + 1; *p && *p != '?' && *p != '#'; p++) {
        int ch = (unsigned char)*p;
        if (ch == '%') {
            int hi = hexval((unsigned char)p[1]), lo = hi < 0 ? -1 : hexval((unsigned char)p[2]);
            if (hi < 0 || lo < 0) return 400;
            ch = hi * 16 + lo;
            p += 2;
        }
        if (ch == 0) return 400;
        if (ch == '\\' || ch == ':') return 403;
        if (n + 1 >= outlen) return 414;
        out[n++] = (char)ch;
    }
    out[n] = 0;
    if (out[0] == '/') return 403; /* "//etc/passwd": absolute after the root slash */
    /* Refuse any ".." component, wherever it stands. */
    for (const char *c = out; *c;) {
        const char *slash = strchr(c, '/');
        size_t cl = slash ? (size_t)(slash - c) : strlen(c);
        if (cl == 2 && c[0] == '.' && c[1] == '.') return 403;
        c += cl;
        if (*c == '/') c++;
    }
    return 0;
}

const char *ptls_http_content_type(const char *path)
{
    static const struct {
        const char *ext, *type;
    } types[] = {{".html", "text/html"},        {".htm", "text/html"},  {".php", "text/html"},
                 {".txt", "text/plain"},        {".css", "text/css"},   {".js", "text/javascript"},
                 {".json", "application/json"}, {".png", "image/png"},  {".jpg", "image/jpeg"},
                 {".jpeg", "image/jpeg"},       {".gif", "image/gif"},  {".svg", "image/svg+xml"},
                 {".pdf", "application/pdf"},   {".pem", "text/plain"}, {".xml", "application/xml"}};
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (dot && (!slash || dot > slash))
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
            if (strcasecmp(dot, types[i].ext) == 0) return types[i].type;
    return "application/octet-stream";
}
