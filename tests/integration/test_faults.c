/* Hostile and broken clients (issue #8): the server keeps serving everyone
 * else, returns to its baseline memory and file descriptor count, and
 * stops by itself. Every loop here is bounded in count and time. */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define RSA_CERT "-cert @PKI@/server-rsa.pem -key @PKI@/server-rsa.key"
#define CURL "curl -sSk"

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int tcp_connect(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert_geq(fd, 0, "socket: %s", strerror(errno));
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    cr_assert_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0, "connect: %s", strerror(errno));
    return fd;
}

static void hard_close(int fd)
{
    /* RST instead of FIN. */
    struct linger l = {.l_onoff = 1, .l_linger = 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    close(fd);
}

static int count_fds(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
    DIR *d = opendir(path);
    cr_assert_not_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.') n++;
    closedir(d);
    return n;
}

static long rss_kb(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    char *st = pt_read_file(path, NULL);
    cr_assert_not_null(st);
    char *p = strstr(st, "VmRSS:");
    long kb = p ? atol(p + 6) : -1;
    free(st);
    return kb;
}

/* A normal client must complete a handshake and a request within 1 s. */
static void normal_client_ok(int port, const char *when)
{
    char *out;
    long t0 = now_ms();
    int rc =
        pt_run(&out, 10, port, CURL " -m 5 -o /dev/null -w 'HTTP %%{http_code}' https://127.0.0.1:@PORT@/");
    long dt = now_ms() - t0;
    cr_assert_eq(rc, 0, "%s: a normal client failed: %s", when, out);
    /* -www answers 200; a -WWW root without index answers 403. */
    cr_assert(strstr(out, "HTTP 200") || strstr(out, "HTTP 403"), "%s: %s", when, out);
    cr_assert_leq(dt, 1000 + 500 /* curl's own start-up */, "%s: a normal client took %ld ms", when, dt);
    free(out);
}

/* Under ASan freed memory stays in quarantine: RSS is not comparable. */
static int sanitized(void)
{
    const char *v = getenv("POLYTLS_TEST_SANITIZED");
    return v && *v == '1';
}

typedef struct baseline {
    int fds;
    long rss;
} baseline;

static baseline take_baseline(pt_server *s)
{
    normal_client_ok(s->port, "warm-up");
    usleep(200000);
    return (baseline){count_fds(s->pid), rss_kb(s->pid)};
}

/* After a fault: the server is back to its baseline within a few seconds. */
static void back_to_baseline(pt_server *s, baseline b, const char *fault)
{
    long deadline = now_ms() + 8000;
    int fds;
    while ((fds = count_fds(s->pid)) != b.fds && now_ms() < deadline)
        usleep(100000);
    cr_assert_eq(fds, b.fds, "%s: %d file descriptors open, baseline %d", fault, fds, b.fds);
    long rss = rss_kb(s->pid);
    if (!sanitized())
        cr_assert_leq(rss, b.rss + 16 * 1024, "%s: RSS %ld kB, baseline %ld kB", fault, rss, b.rss);
    normal_client_ok(s->port, fault);
    cr_log_info("%s: fds %d, RSS %ld kB (baseline %ld kB)", fault, fds, rss, b.rss);
}

static void raise_fd_limit(void)
{
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
}

Test(faults, five_hundred_idle_sockets)
{
    raise_fd_limit();
    pt_server s;
    PT_START(&s, 0, "-www -handshake_timeout 30 " RSA_CERT);
    baseline b = take_baseline(&s);
    static int fds[500];
    for (int i = 0; i < 500; i++)
        fds[i] = tcp_connect(s.port);
    normal_client_ok(s.port, "with 500 idle sockets open");
    for (int i = 0; i < 500; i++)
        close(fds[i]);
    back_to_baseline(&s, b, "500 idle sockets");
    pt_server_stop(&s);
}

Test(faults, slowloris_one_byte_a_second)
{
    pt_server s;
    PT_START(&s, 0, "-www -handshake_timeout 3 " RSA_CERT);
    baseline b = take_baseline(&s);
    /* 20 clients dribble a TLS record header, one byte each second. */
    static const unsigned char hello_start[] = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01,
                                                0x00, 0x01, 0xfc, 0x03, 0x03};
    int fds[20];
    for (int i = 0; i < 20; i++)
        fds[i] = tcp_connect(s.port);
    int closed_by_server = 0;
    for (size_t byte = 0; byte < sizeof hello_start && now_ms(); byte++) {
        for (int i = 0; i < 20; i++)
            if (fds[i] >= 0 && send(fds[i], hello_start + byte, 1, MSG_NOSIGNAL) != 1) {
                close(fds[i]);
                fds[i] = -1;
                closed_by_server++;
            }
        normal_client_ok(s.port, "during slowloris");
        sleep(1);
    }
    for (int i = 0; i < 20; i++)
        if (fds[i] >= 0) {
            char c;
            struct timeval tv = {.tv_sec = 5};
            setsockopt(fds[i], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
            if (recv(fds[i], &c, 1, 0) <= 0) closed_by_server++;
            close(fds[i]);
        }
    cr_assert_eq(closed_by_server, 20, "the handshake timeout must end every slowloris client");
    back_to_baseline(&s, b, "slowloris");
    pt_server_stop(&s);
}

Test(faults, garbage_truncated_and_oversized_records)
{
    pt_server s;
    PT_START(&s, 0, "-www " RSA_CERT);
    baseline b = take_baseline(&s);
    unsigned char garbage[4096];
    srand(42);
    for (size_t i = 0; i < sizeof garbage; i++)
        garbage[i] = (unsigned char)rand();
    static const unsigned char oversized[] = {0x16, 0x03, 0x01, 0xff, 0xff, 0x01, 0x00, 0xff, 0xfb};
    static const unsigned char truncated[] = {0x16, 0x03, 0x01, 0x00, 0x40, 0x01,
                                              0x00, 0x00, 0x3c, 0x03, 0x03};
    static const unsigned char http[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    struct {
        const unsigned char *p;
        size_t n;
        const char *what;
    } cases[] = {{garbage, sizeof garbage, "garbage"},
                 {oversized, sizeof oversized, "oversized record"},
                 {truncated, sizeof truncated, "truncated record"},
                 {http, sizeof http - 1, "plain HTTP"}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        for (int rep = 0; rep < 20; rep++) {
            int fd = tcp_connect(s.port);
            send(fd, cases[k].p, cases[k].n, MSG_NOSIGNAL);
            if (rep % 2)
                hard_close(fd);
            else
                close(fd);
        }
        normal_client_ok(s.port, cases[k].what);
    }
    back_to_baseline(&s, b, "garbage/truncated/oversized");
    /* The server reported the failures and kept running. */
    char *err = pt_server_stderr(&s);
    cr_assert(strstr(err, "handshake failed"), "%s", err);
    free(err);
    pt_server_stop(&s);
}

Test(faults, resets_mid_handshake_and_mid_transfer)
{
    char root[256];
    pt_mkdtemp(root, sizeof root);
    char *out;
    pt_run(&out, 20, 0, "head -c 20000000 /dev/urandom > %s/big.bin", root);
    free(out);
    pt_server s;
    cr_assert_eq(pt_server_start_in(&s, root, 0, "-WWW " RSA_CERT), 0);
    baseline b = {0, 0};
    {
        int fd = tcp_connect(s.port);
        close(fd);
        usleep(200000);
        char *o;
        pt_run(&o, 20, s.port, CURL " -o /dev/null https://127.0.0.1:@PORT@/big.bin");
        free(o);
        usleep(200000);
        b = (baseline){count_fds(s.pid), rss_kb(s.pid)};
    }
    /* Mid-handshake: real ClientHellos from s_client, then the client is
     * killed before it can answer. */
    for (int i = 0; i < 10; i++) {
        pt_bg c;
        pt_spawn(&c, s.port, "sleep 5 | openssl s_client -connect 127.0.0.1:@PORT@ -tls1_2 >/dev/null 2>&1");
        usleep(30000);
        pt_spawn_wait(&c, 1, NULL); /* killed: SIGKILL to the group */
    }
    /* Mid-transfer: curl downloading 20 MB, killed part way. */
    for (int i = 0; i < 5; i++) {
        pt_bg c;
        pt_spawn(&c, s.port, CURL " --limit-rate 2M -o /dev/null https://127.0.0.1:@PORT@/big.bin");
        usleep(400000);
        pt_spawn_wait(&c, 1, NULL);
    }
    /* Another client downloading at the same time gets every byte intact. */
    char dl[300];
    snprintf(dl, sizeof dl, "%s/../dl.bin", root);
    cr_assert_eq(pt_run(&out, 60, s.port,
                        CURL " -o %s https://127.0.0.1:@PORT@/big.bin && cmp %s %s/big.bin && echo SAME", dl,
                        dl, root),
                 0, "%s", out);
    cr_assert(strstr(out, "SAME"), "%s", out);
    free(out);
    long deadline = now_ms() + 8000;
    while (count_fds(s.pid) != b.fds && now_ms() < deadline)
        usleep(100000);
    cr_assert_eq(count_fds(s.pid), b.fds, "file descriptors leaked");
    if (!sanitized()) cr_assert_leq(rss_kb(s.pid), b.rss + 16 * 1024, "RSS grew");
    pt_server_stop(&s);
}

Test(faults, ten_thousand_connect_close_cycles)
{
    pt_server s;
    PT_START(&s, 0, "-www -quiet " RSA_CERT);
    baseline b = take_baseline(&s);
    long t0 = now_ms();
    int done = 0;
    for (; done < 10000 && now_ms() - t0 < 60000; done++) {
        int fd = tcp_connect(s.port);
        if (done % 3 == 0)
            hard_close(fd);
        else
            close(fd);
    }
    cr_assert_eq(done, 10000, "only %d cycles in 60 s", done);
    back_to_baseline(&s, b, "10000 connect/close cycles");
    pt_server_stop(&s);
}

Test(faults, client_that_never_reads_a_large_file)
{
    char root[256];
    pt_mkdtemp(root, sizeof root);
    char *out;
    pt_run(&out, 20, 0, "head -c 50000000 /dev/zero > %s/huge.bin", root);
    free(out);
    pt_server s;
    cr_assert_eq(pt_server_start_in(&s, root, 0, "-WWW " RSA_CERT), 0);
    normal_client_ok(s.port, "warm-up (404 page)");
    long rss0 = rss_kb(s.pid);
    /* s_client sends the request and then never reads (stopped). */
    pt_bg c;
    pt_spawn(&c, s.port,
             "(printf 'GET /huge.bin HTTP/1.0\\r\\n\\r\\n'; sleep 30) | openssl s_client -connect "
             "127.0.0.1:@PORT@ "
             "-quiet >/dev/null 2>&1 & p=$!; sleep 1; kill -STOP $p; sleep 6; kill -KILL $p");
    sleep(3);
    normal_client_ok(s.port, "while a client does not read");
    long rss = rss_kb(s.pid);
    if (!sanitized())
        cr_assert_leq(rss, rss0 + 8 * 1024,
                      "the server buffered a non-reading client's file: RSS %ld kB from %ld kB", rss, rss0);
    pt_spawn_wait(&c, 15000, NULL);
    pt_server_stop(&s);
}

Test(limits, max_conns_closes_extra_connections)
{
    pt_server s;
    PT_START(&s, 0, "-www -max_conns 5 -handshake_timeout 30 -json events.jsonl " RSA_CERT);
    int fds[5];
    for (int i = 0; i < 5; i++)
        fds[i] = tcp_connect(s.port);
    usleep(200000);
    int extra = tcp_connect(s.port);
    char c;
    struct timeval tv = {.tv_sec = 3};
    setsockopt(extra, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    cr_assert_leq(recv(extra, &c, 1, 0), 0, "the connection over -max_conns must be closed");
    close(extra);
    cr_assert(pt_server_wait_output(&s, "-max_conns 5 reached", 3000));
    for (int i = 0; i < 5; i++)
        close(fds[i]);
    usleep(300000);
    normal_client_ok(s.port, "after the limit cleared");
    pt_server_stop(&s);
    char path[400];
    snprintf(path, sizeof path, "%s/events.jsonl", s.dir);
    char *ev = pt_read_file(path, NULL);
    cr_assert(ev && strstr(ev, "\"event\":\"limit\",\"limit\":\"max_conns\",\"value\":5"), "no limit event: %s",
              ev ? ev : "");
    free(ev);
}

Test(faults, too_many_open_files_pauses_accept_and_recovers)
{
    /* The server runs with 40 descriptors: 60 clients exhaust them. */
    char dir[256];
    pt_mkdtemp(dir, sizeof dir);
    pt_bg srv;
    pt_spawn(&srv, 0,
             "ulimit -n 40; exec @BIN@ s_server -backend @BACKEND@ -accept 127.0.0.1:0 -www "
             "-handshake_timeout 30 " RSA_CERT " </dev/null >%s/out 2>%s/err",
             dir, dir);
    char path[300];
    snprintf(path, sizeof path, "%s/out", dir);
    int port = 0;
    for (int i = 0; i < 100 && !port; i++) {
        char *o = pt_read_file(path, NULL);
        char *a = o ? strstr(o, "ACCEPT ") : NULL;
        if (a && strchr(a, '\n')) port = atoi(strrchr(a, ':') + 1);
        free(o);
        usleep(50000);
    }
    cr_assert_gt(port, 0, "server did not start");
    int fds[60];
    for (int i = 0; i < 60; i++)
        fds[i] = tcp_connect(port);
    usleep(500000);
    snprintf(path, sizeof path, "%s/err", dir);
    char *err = pt_read_file(path, NULL);
    cr_assert(err && strstr(err, "Too many open files"), "the server must say why it stops accepting: %s",
              err ? err : "");
    free(err);
    for (int i = 0; i < 60; i++)
        close(fds[i]);
    sleep(2); /* the accept pause is one second */
    normal_client_ok(port, "after running out of descriptors");
    kill(srv.pid, SIGTERM);
    cr_assert_eq(pt_spawn_wait(&srv, 5000, NULL), 0);
}
