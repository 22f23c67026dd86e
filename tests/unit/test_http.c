/* The HTTP request parser and the target-to-path mapping that confines
 * -WWW/-HTTP to their root. */
#include <criterion/criterion.h>
#include <string.h>

#include "modes/http_request.h"

static ptls_http_request req;

static long parse(const char *s)
{
    return ptls_http_parse(s, strlen(s), &req);
}

Test(http, complete_request)
{
    const char *r = "GET /a/b.txt HTTP/1.1\r\nHost: x\r\n\r\nEXTRA";
    cr_assert_eq(parse(r), (long)strlen(r) - 5);
    cr_assert_str_eq(req.method, "GET");
    cr_assert_str_eq(req.target, "/a/b.txt");
    cr_assert_eq(req.minor, 1);
    cr_assert_eq(req.keep_alive, 1);
}

Test(http, incomplete_needs_more)
{
    cr_assert_eq(parse("GET / HTTP/1.1\r\nHost: x\r\n"), 0);
    cr_assert_eq(parse("GET / HT"), 0);
}

Test(http, connection_header_and_versions)
{
    cr_assert_gt(parse("GET / HTTP/1.1\r\nConnection: close\r\n\r\n"), 0);
    cr_assert_eq(req.keep_alive, 0);
    cr_assert_gt(parse("GET / HTTP/1.0\r\n\r\n"), 0);
    cr_assert_eq(req.keep_alive, 0);
    cr_assert_gt(parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"), 0);
    cr_assert_eq(req.keep_alive, 1);
    cr_assert_gt(parse("GET /\r\n"), 0, "a request line without version (s_server accepts it)");
    cr_assert_eq(req.keep_alive, 0);
    cr_assert_gt(parse("GET / HTTP/1.0\n\n"), 0, "bare LF line ends");
}

Test(http, malformed)
{
    cr_assert_eq(parse("GET\r\n\r\n"), -400);
    cr_assert_eq(parse("get / HTTP/1.1\r\n\r\n"), -400);
    cr_assert_eq(parse("GET / HTTP/2.0\r\n\r\n"), -505);
    cr_assert_eq(parse("GET / FOO/1.1\r\n\r\n"), -400);
    cr_assert_eq(parse("GET /a\x01 HTTP/1.1\r\n\r\n"), -400);
}

Test(http, limits)
{
    static char big[PTLS_HTTP_MAX_REQUEST_LINE + 100];
    memset(big, 'a', sizeof big - 1);
    memcpy(big, "GET /", 5);
    cr_assert_eq(parse(big), -414, "overlong request line without newline");
    static char hdrs[PTLS_HTTP_MAX_HEADERS + 200];
    strcpy(hdrs, "GET / HTTP/1.1\r\n");
    size_t n = strlen(hdrs);
    while (n < sizeof hdrs - 10) {
        memcpy(hdrs + n, "X: y\r\n", 6);
        n += 6;
    }
    hdrs[n] = 0;
    cr_assert_eq(parse(hdrs), -431);
}

static int map(const char *target, char *out)
{
    return ptls_http_target_to_path(target, out, 256);
}

Test(http_path, plain_and_encoded)
{
    char p[256];
    cr_assert_eq(map("/a/b.txt", p), 0);
    cr_assert_str_eq(p, "a/b.txt");
    cr_assert_eq(map("/a%20b.txt?x=1#f", p), 0);
    cr_assert_str_eq(p, "a b.txt");
    cr_assert_eq(map("/", p), 0);
    cr_assert_str_eq(p, "");
    cr_assert_eq(map("/./a", p), 0);
}

Test(http_path, refusals)
{
    char p[256];
    cr_assert_eq(map("/../x", p), 403);
    cr_assert_eq(map("/a/../../x", p), 403);
    cr_assert_eq(map("/a/..", p), 403);
    cr_assert_eq(map("/%2e%2e/x", p), 403);
    cr_assert_eq(map("/%2E%2e%2fx", p), 403);
    cr_assert_eq(map("//etc/passwd", p), 403);
    cr_assert_eq(map("/%2fetc/passwd", p), 403);
    cr_assert_eq(map("/a\\b", p), 403);
    cr_assert_eq(map("/a%5cb", p), 403);
    cr_assert_eq(map("/c:/x", p), 403);
    cr_assert_eq(map("/a%00b", p), 400);
    cr_assert_eq(map("/a%zz", p), 400);
    cr_assert_eq(map("/a%4", p), 400);
    cr_assert_eq(map("x", p), 400);
    char longt[600];
    memset(longt, 'a', sizeof longt - 1);
    longt[0] = '/';
    longt[sizeof longt - 1] = 0;
    cr_assert_eq(map(longt, p), 414);
    cr_assert_eq(map("/...", p), 0, "three dots is a name");
}

Test(http_path, content_types)
{
    cr_assert_str_eq(ptls_http_content_type("a/index.HTML"), "text/html");
    cr_assert_str_eq(ptls_http_content_type("x.txt"), "text/plain");
    cr_assert_str_eq(ptls_http_content_type("x.bin"), "application/octet-stream");
    cr_assert_str_eq(ptls_http_content_type("dir.d/file"), "application/octet-stream");
}
