/* The serving modes (-www, -WWW, -HTTP, -rev, echo) and the server's
 * concurrency and lifecycle: idle clients, -naccept, closed stdin. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

#define RSA_CERT "-cert @PKI@/server-rsa.pem -key @PKI@/server-rsa.key"
#define S_CLIENT "openssl s_client -connect 127.0.0.1:@PORT@"
#define CURL "curl -sSk"

static void write_file(const char *dir, const char *name, const void *data, size_t len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "%s", path);
    fwrite(data, 1, len, f);
    fclose(f);
}

/* A -WWW root with an HTML page, a binary file, a subdirectory, a symlink
 * that stays inside and one that escapes. A secret sits next to the root. */
static void make_www_root(char *root, size_t len)
{
    char base[256];
    pt_mkdtemp(base, sizeof base);
    snprintf(root, len, "%s/root", base);
    mkdir(root, 0700);
    write_file(base, "secret.txt", "TOP-SECRET\n", 11);
    write_file(root, "index.html", "<h1>hello</h1>\n", 15);
    unsigned char bin[200000];
    for (size_t i = 0; i < sizeof bin; i++)
        bin[i] = (unsigned char)(i * 7 + (i >> 8));
    bin[100] = 0;
    bin[101] = '\r';
    bin[102] = '\n';
    write_file(root, "data.bin", bin, sizeof bin);
    char sub[512], link[512];
    snprintf(sub, sizeof sub, "%s/sub", root);
    mkdir(sub, 0700);
    write_file(sub, "a.txt", "in sub\n", 7);
    snprintf(link, sizeof link, "%s/escape", root);
    char target[512];
    snprintf(target, sizeof target, "%s/secret.txt", base);
    cr_assert_eq(symlink(target, link), 0);
    snprintf(link, sizeof link, "%s/inside", root);
    cr_assert_eq(symlink("sub/a.txt", link), 0);
}

static int http_code_with(int port, const char *path, const char *flags)
{
    char *out;
    pt_run(&out, 20, port,
           CURL " -o /dev/null -w '%%{http_code}' --path-as-is %s 'https://127.0.0.1:@PORT@%s'", flags, path);
    int code = atoi(out);
    free(out);
    return code;
}

static int http_code(int port, const char *path)
{
    return http_code_with(port, path, "");
}

Test(www_files, serves_files_binary_safe_with_length_and_type)
{
    char root[512];
    make_www_root(root, sizeof root);
    pt_server s;
    cr_assert_eq(pt_server_start_in(&s, root, 0, "-WWW " RSA_CERT), 0);
    char *out;
    char dl[600];
    snprintf(dl, sizeof dl, "%s/../download.bin", root);
    int rc = pt_run(&out, 20, s.port, CURL " -D - -o %s https://127.0.0.1:@PORT@/data.bin", dl);
    cr_assert_eq(rc, 0, "%s", out);
    cr_assert(strstr(out, "HTTP/1.1 200"), "%s", out);
    cr_assert(strstr(out, "Content-Length: 200000"), "%s", out);
    cr_assert(strstr(out, "Content-Type: application/octet-stream"), "%s", out);
    free(out);
    size_t a, b;
    char src[600];
    snprintf(src, sizeof src, "%s/data.bin", root);
    char *x = pt_read_file(src, &a), *y = pt_read_file(dl, &b);
    cr_assert_eq(a, b);
    cr_assert_eq(memcmp(x, y, a), 0, "downloaded bytes differ");
    free(x);
    free(y);
    rc = pt_run(&out, 20, s.port, CURL " -D - https://127.0.0.1:@PORT@/index.html");
    cr_assert(strstr(out, "Content-Type: text/html") && strstr(out, "<h1>hello</h1>"), "%s", out);
    free(out);
    cr_assert_eq(http_code(s.port, "/sub/a.txt"), 200);
    cr_assert_eq(http_code(s.port, "/inside"), 200, "a symlink that stays inside the root is served");
    pt_server_stop(&s);
}

Test(www_files, refuses_everything_outside_the_root)
{
    char root[512];
    make_www_root(root, sizeof root);
    pt_server s;
    cr_assert_eq(pt_server_start_in(&s, root, 0, "-WWW " RSA_CERT), 0);
    static const struct {
        const char *path;
        int code;
    } cases[] = {
        {"/../secret.txt", 403},
        {"/sub/../../secret.txt", 403},
        {"/%2e%2e/secret.txt", 403},
        {"/%2E%2E%2Fsecret.txt", 403},
        {"//etc/passwd", 403},
        {"/escape", 403},
        {"/sub%5c..%5csecret.txt", 403},
        {"/no-such-file", 404},
        {"/sub", 403},
        {"/a%00b", 400},
        {"/", 403},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cr_assert_eq(http_code(s.port, cases[i].path), cases[i].code, "%s", cases[i].path);
    char *out;
    pt_run(&out, 20, s.port,
           CURL " --path-as-is https://127.0.0.1:@PORT@/../secret.txt https://127.0.0.1:@PORT@/escape");
    cr_assert_null(strstr(out, "TOP-SECRET"), "content from outside the root: %s", out);
    free(out);
    cr_assert_eq(http_code_with(s.port, "/index.html", "-X POST"), 405);
    pt_server_stop(&s);
}

Test(www_files, keep_alive_reuses_the_connection)
{
    char root[512];
    make_www_root(root, sizeof root);
    pt_server s;
    cr_assert_eq(pt_server_start_in(&s, root, 0, "-WWW " RSA_CERT), 0);
    char *out;
    int rc = pt_run(&out, 20, s.port,
                    CURL " -v https://127.0.0.1:@PORT@/index.html https://127.0.0.1:@PORT@/sub/a.txt");
    cr_assert_eq(rc, 0, "%s", out);
    cr_assert(strstr(out, "Re-using existing connection") || strstr(out, "Reusing existing connection"), "%s",
              out);
    cr_assert(strstr(out, "in sub"), "%s", out);
    free(out);
    pt_server_stop(&s);
}

Test(http_mode, file_is_the_whole_response)
{
    char root[512];
    make_www_root(root, sizeof root);
    const char resp[] =
        "HTTP/1.0 200 OK\r\nX-Polytls-Test: raw\r\nContent-Type: text/plain\r\n\r\nraw body\n";
    write_file(root, "raw.txt", resp, sizeof resp - 1);
    pt_server s;
    cr_assert_eq(pt_server_start_in(&s, root, 0, "-HTTP " RSA_CERT), 0);
    char *out;
    int rc = pt_run(&out, 20, s.port, CURL " -D - https://127.0.0.1:@PORT@/raw.txt");
    cr_assert_eq(rc, 0, "%s", out);
    cr_assert(strstr(out, "X-Polytls-Test: raw") && strstr(out, "raw body"), "%s", out);
    free(out);
    cr_assert_eq(http_code(s.port, "/../secret.txt"), 403);
    pt_server_stop(&s);
}

Test(www_status, never_shows_secrets)
{
    PT_REQUIRE_CAP("key-password");
    pt_server s;
    PT_START(&s, 0, "-www -cert @PKI@/server-rsa.pem -key @PKI@/server-rsa-trad-enc.key -pass pass:secret");
    char *out;
    int rc = pt_run(&out, 20, s.port, CURL " https://127.0.0.1:@PORT@/");
    cr_assert_eq(rc, 0, "%s", out);
    cr_assert(strstr(out, "-pass &lt;hidden&gt;") || strstr(out, "-pass <hidden>"), "%s", out);
    cr_assert_null(strstr(out, "secret"), "the pass phrase leaked: %s", out);
    free(out);
    pt_server_stop(&s);
}

Test(rev, reverses_lines_and_close_ends)
{
    pt_server s;
    PT_START(&s, 0, "-rev " RSA_CERT);
    char *out;
    pt_run(&out, 20, s.port, "printf 'hello world\\nCLOSE\\n' | " S_CLIENT " -ign_eof -quiet");
    cr_assert(strstr(out, "dlrow olleh"), "%s", out);
    free(out);
    cr_assert(pt_server_wait_output(&s, "CONNECTION CLOSED", 5000));
    pt_server_stop(&s);
}

Test(echo, data_both_ways_and_q_closes)
{
    pt_server s;
    PT_START(&s, 1, RSA_CERT);
    pt_bg c;
    pt_spawn(&c, s.port, "(printf 'hello from client\\n'; sleep 8) | " S_CLIENT " -quiet");
    cr_assert(pt_server_wait_output(&s, "hello from client", 10000), "client data not printed by the server");
    pt_server_input(&s, "hello from server\n");
    pt_server_input(&s, "q\n");
    char *out;
    int rc = pt_spawn_wait(&c, 10000, &out);
    cr_assert(strstr(out, "hello from server"), "rc=%d %s", rc, out);
    cr_assert_neq(rc, -1, "q did not end the connection");
    free(out);
    pt_server_input(&s, "Q\n");
    cr_assert_eq(pt_server_wait(&s, 5000), 0, "Q must exit 0");
}

Test(concurrency, idle_tcp_client_does_not_block_others)
{
    pt_server s;
    PT_START(&s, 0, "-www " RSA_CERT);
    int idle[20];
    for (int i = 0; i < 20; i++) {
        idle[i] = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s.port)};
        inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
        cr_assert_eq(connect(idle[i], (struct sockaddr *)&a, sizeof a), 0);
    }
    /* One half-sent ClientHello as well. */
    cr_assert_eq(write(idle[0], "\x16\x03\x01\x02\x00\x01", 6), 6);
    char *out;
    int rc = pt_run(&out, 5, s.port, CURL " -m 4 https://127.0.0.1:@PORT@/");
    cr_assert_eq(rc, 0, "a client was blocked by idle ones: %s", out);
    cr_assert(strstr(out, "Protocol version"), "%s", out);
    free(out);
    for (int i = 0; i < 20; i++)
        close(idle[i]);
    pt_server_stop(&s);
}

Test(lifecycle, handshake_timeout_closes_idle_client)
{
    pt_server s;
    PT_START(&s, 0, "-www -handshake_timeout 1 " RSA_CERT);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s.port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    cr_assert_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    struct timeval tv = {.tv_sec = 5};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char b;
    cr_assert_eq(read(fd, &b, 1), 0, "the server must close a client that never finishes its handshake");
    close(fd);
    pt_server_stop(&s);
}

Test(lifecycle, naccept_exits_zero)
{
    pt_server s;
    PT_START(&s, 0, "-www -naccept 2 " RSA_CERT);
    for (int i = 0; i < 2; i++) {
        char *out;
        cr_assert_eq(pt_run(&out, 20, s.port, CURL " https://127.0.0.1:@PORT@/"), 0, "%s", out);
        free(out);
    }
    cr_assert_eq(pt_server_wait(&s, 5000), 0);
}

Test(lifecycle, closed_stdin_still_serves)
{
    pt_server s;
    PT_START(&s, -1, "-www " RSA_CERT);
    char *out;
    cr_assert_eq(pt_run(&out, 20, s.port, CURL " https://127.0.0.1:@PORT@/"), 0, "%s", out);
    cr_assert(strstr(out, "Protocol version"), "%s", out);
    free(out);
    /* And in echo mode, where stdin matters. */
    pt_server_stop(&s);
    PT_START(&s, -1, RSA_CERT);
    cr_assert_eq(pt_run(&out, 20, s.port, "printf 'ping\\n' | " S_CLIENT " -no_ign_eof"), 0, "%s", out);
    free(out);
    cr_assert(pt_server_wait_output(&s, "ping", 5000));
    pt_server_stop(&s);
}

Test(output, brief_lines)
{
    pt_server s;
    PT_START(&s, 0, "-www -brief " RSA_CERT);
    char *out;
    cr_assert_eq(pt_run(&out, 20, s.port, CURL " https://127.0.0.1:@PORT@/"), 0);
    free(out);
    cr_assert(pt_server_wait_output(&s, "Ciphersuite: TLS_", 5000));
    char *err = pt_server_stderr(&s);
    cr_assert(strstr(err, "CONNECTION ESTABLISHED\nProtocol version: TLSv1."), "%s", err);
    cr_assert(strstr(err, "No peer certificate"), "%s", err);
    free(err);
    pt_server_stop(&s);
}

Test(output, ephemeral_certificate_fingerprint_matches)
{
    PT_REQUIRE_CAP("self-signed");
    pt_server s;
    PT_START(&s, 0, "-www");
    char *err = pt_server_stderr(&s);
    char *fp = strstr(err, "SHA-256 fingerprint ");
    cr_assert_not_null(fp, "%s", err);
    fp += strlen("SHA-256 fingerprint ");
    char *eol = strchr(fp, '\n');
    if (eol) *eol = 0;
    char *out;
    pt_run(&out, 20, s.port, S_CLIENT " 2>/dev/null | openssl x509 -noout -fingerprint -sha256");
    cr_assert(strstr(out, fp), "client saw %s, server printed %s", out, fp);
    free(out);
    pt_run(&out, 20, s.port, S_CLIENT " 2>/dev/null | openssl x509 -noout -ext subjectAltName");
    cr_assert(strstr(out, "DNS:localhost") && strstr(out, "IP Address:127.0.0.1"), "%s", out);
    free(out);
    free(err);
    pt_server_stop(&s);
}

Test(listening, accept_port_only_is_dual_stack)
{
    pt_server s;
    PT_START(&s, 0, "-www -accept 0 " RSA_CERT);
    char *out;
    cr_assert_eq(pt_run(&out, 20, s.port, CURL " https://127.0.0.1:@PORT@/"), 0, "%s", out);
    free(out);
    pt_server_stop(&s);
}

Test(listening, ipv6_loopback)
{
    char *probe;
    if (pt_run(&probe, 5, 0, "ip -6 addr show dev lo | grep -q '::1' && echo yes") != 0) {
        free(probe);
        cr_skip_test("no IPv6 loopback on this machine");
    }
    free(probe);
    pt_server s;
    PT_START(&s, 0, "-www -6 -accept [::1]:0 " RSA_CERT);
    char *out;
    cr_assert_eq(pt_run(&out, 20, s.port, CURL " 'https://[::1]:@PORT@/'"), 0, "%s", out);
    cr_assert(strstr(out, "Client: [::1]:"), "%s", out);
    free(out);
    pt_server_stop(&s);
}

Test(listening, unix_socket)
{
    char dir[256];
    pt_mkdtemp(dir, sizeof dir);
    pt_bg srv;
    pt_spawn(&srv, 0,
             "exec @BIN@ s_server -backend @BACKEND@ -unix %s/sock -www -naccept 1 " RSA_CERT " </dev/null",
             dir);
    char *out;
    int rc = pt_run(&out, 20, 0,
                    "for i in $(seq 50); do [ -S %s/sock ] && break; sleep 0.1; done; " CURL
                    " --unix-socket %s/sock https://localhost/",
                    dir, dir);
    cr_assert_eq(rc, 0, "%s", out);
    cr_assert(strstr(out, "Protocol version: TLSv1"), "%s", out);
    free(out);
    cr_assert_eq(pt_spawn_wait(&srv, 5000, &out), 0, "%s", out);
    free(out);
}

Test(workers, connections_spread_and_tickets_resume_across_workers)
{
    pt_server s;
    PT_START(&s, 0, "-www -workers 2 " RSA_CERT);
    char *kids;
    pt_run(&kids, 5, 0, "cat /proc/%d/task/*/children", (int)s.pid);
    int child = atoi(kids);
    cr_assert_gt(child, 0, "no worker process: %s", kids);
    free(kids);
    int max_accepts = 0;
    for (int i = 0; i < 20; i++) {
        char *out;
        cr_assert_eq(pt_run(&out, 20, s.port, CURL " https://127.0.0.1:@PORT@/"), 0, "%s", out);
        char *p = strstr(out, " server accepts");
        while (p && p > out && p[-1] >= '0' && p[-1] <= '9')
            p--;
        int n = p ? atoi(p) : 0;
        if (n > max_accepts) max_accepts = n;
        free(out);
    }
    cr_assert_lt(max_accepts, 20, "every connection went to one worker");
    if (pt_has_cap("tls1.3") && pt_has_cap("tickets")) {
        /* The ticket keys were made before the fork: any worker resumes. */
        char dir[256], *out;
        pt_mkdtemp(dir, sizeof dir);
        pt_run(&out, 20, s.port,
               "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | openssl s_client -connect 127.0.0.1:@PORT@ -tls1_3 "
               "-ign_eof -sess_out %s/s",
               dir);
        free(out);
        int reused = 0;
        char *last = NULL;
        for (int i = 0; i < 6; i++) {
            pt_run(&out, 20, s.port,
                   "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | openssl s_client -connect 127.0.0.1:@PORT@ -tls1_3 "
                   "-ign_eof -sess_in %s/s",
                   dir);
            reused += strstr(out, "Reused, TLSv1.3") != NULL;
            free(last);
            last = out;
        }
        cr_assert_eq(reused, 6, "ticket resumption must work on every worker (%d/6): %s", reused, last);
        free(last);
    }
    pt_server_stop(&s);
    char path[64];
    snprintf(path, sizeof path, "/proc/%d", child);
    usleep(300000);
    cr_assert_neq(access(path, F_OK), 0, "worker %d outlived the server", child);
}

Test(workers, refused_with_naccept_and_echo)
{
    char *out;
    cr_assert_eq(pt_polytls(&out, "s_server -workers 2 -accept 127.0.0.1:0 </dev/null"), 2, "%s", out);
    free(out);
    cr_assert_eq(pt_polytls(&out, "s_server -workers 2 -www -naccept 3 -accept 127.0.0.1:0 </dev/null"), 2,
                 "%s", out);
    free(out);
}

Test(www_files, oversized_request_is_431_and_reported)
{
    char root[512];
    make_www_root(root, sizeof root);
    pt_server s;
    cr_assert_eq(pt_server_start_in(&s, root, 0, "-WWW -json events.jsonl " RSA_CERT), 0);
    char *out;
    pt_run(&out, 20, s.port,
           CURL " -o /dev/null -w '%%{http_code}' -H \"X-Big: $(head -c 20000 /dev/zero | tr '\\0' a)\" "
                "https://127.0.0.1:@PORT@/index.html");
    cr_assert(strstr(out, "431"), "%s", out);
    free(out);
    cr_assert(pt_server_wait_output(&s, "over the", 5000), "the limit must be logged");
    pt_server_stop(&s);
    char path[700];
    snprintf(path, sizeof path, "%s/events.jsonl", root);
    char *ev = pt_read_file(path, NULL);
    cr_assert(ev && strstr(ev, "\"limit\":\"http_header_size\""), "%s", ev ? ev : "");
    free(ev);
}

Test(echo, stats_plaintext_and_renegotiation_with_certificate_request)
{
    pt_server s;
    PT_START(&s, 1, RSA_CERT " -verify 1 -CAfile @PKI@/ca.pem");
    pt_bg c;
    pt_spawn(&c, s.port, "(printf 'x\\n'; sleep 6) | " S_CLIENT " -tls1_2 -cert @PKI@/client.pem -key @PKI@/client.key -msg");
    cr_assert(pt_server_wait_output(&s, "x", 10000));
    pt_server_input(&s, "S\n");
    cr_assert(pt_server_wait_output(&s, "1 handshakes", 5000), "S prints the statistics");
    if (pt_has_cap("renegotiation")) {
        pt_server_input(&s, "R\n");
        cr_assert(pt_server_wait_output(&s, "R (renegotiate, request a client certificate) started", 5000));
    }
    pt_server_input(&s, "P\n");
    char *out;
    pt_spawn_wait(&c, 10000, &out);
    /* The client reads plain text where a TLS record must be: it fails. */
    cr_assert(strstr(out, "wrong version number") || strstr(out, "record layer failure") || strstr(out, "error"),
              "P must break the client: %s", out);
    if (pt_has_cap("renegotiation"))
        cr_assert(strstr(out, "CertificateRequest"), "R requests a certificate: %s", out);
    free(out);
    pt_server_stop(&s);
}
