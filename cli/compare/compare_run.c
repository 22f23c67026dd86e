/* One flavour x one input: see compare_run.h. */
#include "compare_run.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define CAPTURE_MAX (512 * 1024)
#define START_TIMEOUT_MS 15000
#define STOP_GRACE_MS 2000

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int remaining(long long deadline)
{
    long long d = deadline - now_ms();
    return d < 0 ? 0 : d > 100000 ? 100000 : (int)d;
}

/* ---- the ClientHello's session id ------------------------------------------ */

int cmp_client_session_id(const unsigned char *rec, size_t len, unsigned char *sid, size_t *sid_len)
{
    /* gather the first 300 handshake bytes from the records */
    unsigned char hs[300];
    size_t n = 0, off = 0;
    *sid_len = 0;
    while (off + 5 <= len && n < sizeof hs) {
        size_t rl = (size_t)rec[off + 3] << 8 | rec[off + 4];
        if (rec[off] != 22) break;
        size_t take = rl;
        if (off + 5 + take > len) take = len - off - 5;
        if (take > sizeof hs - n) take = sizeof hs - n;
        memcpy(hs + n, rec + off + 5, take);
        n += take;
        off += 5 + rl;
    }
    if (n < 4 + 2 + 32 + 1 || hs[0] != 1) return 0;
    size_t l = hs[38];
    if (39 + l > n || l > 255) return 0;
    memcpy(sid, hs + 39, l);
    *sid_len = l;
    return 1;
}

/* ---- processes --------------------------------------------------------------- */

static char *read_file(const char *path, size_t max)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = malloc(max + 1);
    size_t n = buf ? fread(buf, 1, max, f) : 0;
    fclose(f);
    if (buf) buf[n] = 0;
    return buf;
}

/* stderr of a refused child: its lines joined, the "polytls: " prefixes kept short */
static void stderr_reason(const char *path, char *out, size_t outlen)
{
    char *t = read_file(path, 4000);
    out[0] = 0;
    if (!t) return;
    size_t o = 0;
    for (char *line = strtok(t, "\n"); line && o + 2 < outlen; line = strtok(NULL, "\n")) {
        if (strncmp(line, "polytls: ", 9) == 0) line += 9;
        if (strncmp(line, "polytls s_server: ", 18) == 0) line += 18;
        if (strncmp(line, "capability error: ", 18) == 0) line += 18;
        if (!*line || strstr(line, "Use -help")) continue;
        o += (size_t)snprintf(out + o, outlen - o, "%s%s", o ? "; " : "", line);
    }
    if (o >= outlen) o = outlen - 1;
    out[o] = 0;
    free(t);
}

/* Waits for pid up to ms; 1 and *status when it exited. */
static int wait_pid(pid_t pid, int ms, int *status, int drain_fd)
{
    long long deadline = now_ms() + ms;
    for (;;) {
        pid_t w = waitpid(pid, status, WNOHANG);
        if (w == pid) return 1;
        if (w < 0 && errno != EINTR) return 1;
        if (now_ms() >= deadline) return 0;
        if (drain_fd >= 0) { /* keep the child's stdout flowing */
            char buf[4096];
            while (read(drain_fd, buf, sizeof buf) > 0) {
            }
        }
        struct timespec ts = {0, 5 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

/* SIGTERM, then SIGKILL; always reaps. Returns the exit code, -1 when killed. */
static int stop_child(pid_t pid, int grace_ms, int drain_fd, int *killed, int group)
{
    int st = 0;
    *killed = 0;
    if (!wait_pid(pid, grace_ms, &st, drain_fd)) {
        *killed = 1;
        kill(group ? -pid : pid, SIGTERM);
        if (!wait_pid(pid, 1000, &st, drain_fd)) {
            kill(group ? -pid : pid, SIGKILL);
            waitpid(pid, &st, 0);
        }
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static pid_t spawn(char **argv, const char *out_path, int out_fd, const char *err_path, int new_group)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&at);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    if (out_fd >= 0)
        posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
    else
        posix_spawn_file_actions_addopen(&fa, 1, out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (err_path)
        posix_spawn_file_actions_addopen(&fa, 2, err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    else
        posix_spawn_file_actions_adddup2(&fa, 1, 2);
    short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setsigdefault(&at, &all);
    if (new_group) {
        flags |= POSIX_SPAWN_SETPGROUP;
        posix_spawnattr_setpgroup(&at, 0);
    }
    posix_spawnattr_setflags(&at, flags);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, &at, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    return rc == 0 ? pid : -1;
}

/* Reads the child's stdout until "ACCEPT host:port". 1 with the port. */
static int read_accept(int fd, pid_t pid, int *port, char *host, size_t hostlen)
{
    char line[512];
    size_t n = 0;
    long long deadline = now_ms() + START_TIMEOUT_MS;
    for (;;) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int pr = poll(&p, 1, remaining(deadline) < 50 ? remaining(deadline) : 50);
        if (pr < 0 && errno != EINTR) return 0;
        if (pr > 0) {
            char c;
            ssize_t k;
            while ((k = read(fd, &c, 1)) == 1) {
                if (c == '\n') {
                    line[n] = 0;
                    n = 0;
                    char *colon;
                    if (strncmp(line, "ACCEPT ", 7) == 0 && (colon = strrchr(line, ':'))) {
                        *colon = 0;
                        snprintf(host, hostlen, "%.200s", line + 7);
                        *port = atoi(colon + 1);
                        return *port > 0;
                    }
                } else if (n + 1 < sizeof line) {
                    line[n++] = c;
                }
            }
            if (k == 0) return 0; /* EOF: the child is gone */
            if (k < 0 && errno != EAGAIN && errno != EINTR) return 0;
        }
        if (now_ms() >= deadline) return 0;
        int st;
        if (pr == 0 && waitpid(pid, &st, WNOHANG) == pid) {
            /* exited without ACCEPT: put the status back for the caller */
            return -(WIFEXITED(st) ? WEXITSTATUS(st) : 255) - 1;
        }
    }
}

/* ---- sockets ---------------------------------------------------------------- */

static int connect_to(const char *host, int port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, host, &a.sin_addr) != 1) inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void set_nonblock(int fd)
{
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static int is_tls13_hello(const ptls_server_flight *f)
{
    return f->kind == PTLS_SF_HRR || (f->kind == PTLS_SF_SERVER_HELLO && f->version == 0x0304);
}

/* The raw sender: the hello's bytes, then the server's answer until its
 * first flight is complete, an alert, a close, or the timeout. */
static void raw_send(const char *host, int port, const cmp_input *in, const cmp_settings *s, cmp_result *r)
{
    unsigned char sid[256];
    size_t sid_len = 0;
    cmp_client_session_id(ptls_buf_head(&in->bytes), ptls_buf_size(&in->bytes), sid, &sid_len);
    int fd = connect_to(host, port);
    if (fd < 0) {
        r->end = CMP_END_RESET;
        return;
    }
    set_nonblock(fd);
    ptls_buf cap = {0};
    const unsigned char *out = ptls_buf_head(&in->bytes);
    size_t out_left = ptls_buf_size(&in->bytes);
    long long deadline = now_ms() + s->timeout_ms, quiet = 0;
    r->end = CMP_END_TIMEOUT;
    for (;;) {
        long long until = quiet && quiet < deadline ? quiet : deadline;
        struct pollfd p = {.fd = fd, .events = POLLIN | (out_left ? POLLOUT : 0)};
        int pr = poll(&p, 1, remaining(until));
        if (pr < 0 && errno == EINTR) continue;
        if (pr == 0) {
            r->end = quiet && now_ms() >= quiet ? CMP_END_QUIET : CMP_END_TIMEOUT;
            if (now_ms() >= until) break;
            continue;
        }
        if (p.revents & POLLOUT && out_left) {
            ssize_t k = send(fd, out, out_left, MSG_NOSIGNAL);
            if (k > 0) {
                out += k;
                out_left -= (size_t)k;
            }
        }
        if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
            unsigned char buf[16384];
            ssize_t k = recv(fd, buf, sizeof buf, 0);
            if (k == 0) {
                r->end = CMP_END_CLOSE;
                break;
            }
            if (k < 0) {
                if (errno == EAGAIN || errno == EINTR) continue;
                r->end = CMP_END_RESET;
                break;
            }
            if (ptls_buf_size(&cap) < CAPTURE_MAX) ptls_buf_append(&cap, buf, (size_t)k);
            ptls_sf_decode(ptls_buf_head(&cap), ptls_buf_size(&cap), sid, sid_len, &r->flight);
            if (ptls_sf_complete(&r->flight)) {
                r->end = CMP_END_FLIGHT;
                break;
            }
            /* TLS 1.3 (or anything unfinished): the flight ends when the server goes quiet */
            quiet = now_ms() + (is_tls13_hello(&r->flight) ? s->quiet_ms : 4 * s->quiet_ms);
        }
    }
    r->sent_all = out_left == 0;
    ptls_sf_decode(ptls_buf_head(&cap), ptls_buf_size(&cap), sid, sid_len, &r->flight);
    ptls_buf_free(&cap);
    close(fd);
}

/* Substitutes {host} and {port} in one argument. */
static char *subst(const char *arg, const char *host, int port)
{
    ptls_buf b = {0};
    char portstr[16];
    snprintf(portstr, sizeof portstr, "%d", port);
    while (*arg) {
        if (strncmp(arg, "{host}", 6) == 0) {
            ptls_buf_append(&b, host, strlen(host));
            arg += 6;
        } else if (strncmp(arg, "{port}", 6) == 0) {
            ptls_buf_append(&b, portstr, strlen(portstr));
            arg += 6;
        } else {
            ptls_buf_append(&b, arg++, 1);
        }
    }
    ptls_buf_append(&b, "", 1);
    return (char *)b.data;
}

static int relay_bytes(int from, int to, ptls_buf *capture)
{
    unsigned char buf[16384];
    ssize_t k = recv(from, buf, sizeof buf, 0);
    if (k == 0) return 0;
    if (k < 0) return errno == EAGAIN || errno == EINTR ? 1 : -1;
    if (capture && ptls_buf_size(capture) < CAPTURE_MAX) ptls_buf_append(capture, buf, (size_t)k);
    size_t off = 0;
    while (off < (size_t)k) { /* the peer is local and reads: a short blocking wait at most */
        ssize_t w = send(to, buf + off, (size_t)k - off, MSG_NOSIGNAL);
        if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
            struct pollfd p = {.fd = to, .events = POLLOUT};
            poll(&p, 1, 100);
            continue;
        }
        if (w <= 0) return -1;
        off += (size_t)w;
    }
    return 1;
}

/* The client command, connected to a relay in front of the server that
 * records the bytes in both directions. */
static void run_command(const char *host, int port, const cmp_input *in, const cmp_settings *s,
                        const char *dir, cmp_result *r)
{
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    socklen_t al = sizeof a;
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof a) != 0 || listen(lfd, 4) != 0 ||
        getsockname(lfd, (struct sockaddr *)&a, &al) != 0) {
        if (lfd >= 0) close(lfd);
        snprintf(r->reason, sizeof r->reason, "relay: %s", strerror(errno));
        r->client_exit = -1;
        return;
    }
    int rport = ntohs(a.sin_port);
    char **argv = calloc((size_t)in->argc + 4, sizeof *argv);
    int k = 0;
    if (in->use_shell) {
        argv[k++] = strdup("/bin/sh");
        argv[k++] = strdup("-c");
    }
    for (int i = 0; i < in->argc; i++)
        argv[k++] = subst(in->argv[i], "127.0.0.1", rport);
    char log[600];
    snprintf(log, sizeof log, "%s/client.log", dir);
    pid_t cpid = spawn(argv, log, -1, NULL, 1);
    for (int i = 0; i < k; i++)
        free(argv[i]);
    free(argv);
    if (cpid < 0) {
        close(lfd);
        snprintf(r->reason, sizeof r->reason, "cannot start the client command: %s", strerror(errno));
        r->client_exit = -1;
        return;
    }
    ptls_buf c2s = {0}, s2c = {0};
    int cfd = -1, sfd = -1, c_eof = 0, s_eof = 0, exited = 0, st = 0;
    long long deadline = now_ms() + s->timeout_ms, linger = 0;
    r->end = CMP_END_TIMEOUT;
    while (now_ms() < deadline && !(linger && now_ms() >= linger)) {
        struct pollfd p[3];
        int np = 0;
        p[np++] = (struct pollfd){.fd = cfd < 0 ? lfd : -1, .events = POLLIN};
        p[np++] = (struct pollfd){.fd = cfd >= 0 && !c_eof ? cfd : -1, .events = POLLIN};
        p[np++] = (struct pollfd){.fd = sfd >= 0 && !s_eof ? sfd : -1, .events = POLLIN};
        int pr = poll(p, (nfds_t)np, 20);
        if (pr > 0 && (p[0].revents & POLLIN)) {
            cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
            if (cfd >= 0) {
                sfd = connect_to(host, port);
                if (sfd < 0) {
                    close(cfd);
                    cfd = -1;
                } else {
                    set_nonblock(cfd);
                    set_nonblock(sfd);
                }
            }
        }
        if (pr > 0 && (p[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            int rc = relay_bytes(cfd, sfd, &c2s);
            if (rc <= 0) {
                c_eof = 1;
                shutdown(sfd, SHUT_WR);
            }
        }
        if (pr > 0 && (p[2].revents & (POLLIN | POLLHUP | POLLERR))) {
            int rc = relay_bytes(sfd, cfd, &s2c);
            if (rc <= 0) {
                s_eof = 1;
                r->end = rc == 0 ? CMP_END_CLOSE : CMP_END_RESET;
                shutdown(cfd, SHUT_WR);
            }
        }
        if (c_eof && s_eof) break;
        if (!exited && waitpid(cpid, &st, WNOHANG) == cpid) {
            exited = 1;
            linger = now_ms() + 200; /* what is still in flight */
            if (r->end == CMP_END_TIMEOUT) r->end = CMP_END_CLIENT_EXIT;
        }
    }
    if (!exited) {
        int killed;
        r->client_exit = stop_child(cpid, c_eof && s_eof ? 1000 : 0, -1, &killed, 1);
        if (killed) r->client_exit = -1;
    } else {
        r->client_exit = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    }
    unsigned char sid[256];
    size_t sid_len = 0;
    cmp_client_session_id(ptls_buf_head(&c2s), ptls_buf_size(&c2s), sid, &sid_len);
    ptls_sf_decode(ptls_buf_head(&s2c), ptls_buf_size(&s2c), sid, sid_len, &r->flight);
    ptls_buf_free(&c2s);
    ptls_buf_free(&s2c);
    if (cfd >= 0) close(cfd);
    if (sfd >= 0) close(sfd);
    close(lfd);
}

/* ---- the server's -json events ------------------------------------------------ */

/* The value of "key" in one compact JSON line: strings unescaped (\uXXXX
 * as '?'), literals as written. 1 if found. */
static int json_get(const char *line, const char *key, char *out, size_t outlen)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = strstr(line, pat);
    if (!p || outlen == 0) return 0;
    p += strlen(pat);
    size_t o = 0;
    if (*p == '"') {
        for (p++; *p && *p != '"'; p++) {
            char c = *p;
            if (c == '\\' && p[1]) {
                p++;
                c = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p == 'u' ? '?' : *p;
                if (*p == 'u')
                    for (int i = 0; i < 4 && p[1]; i++)
                        p++;
            }
            if (o + 1 < outlen) out[o++] = c;
        }
    } else {
        for (; *p && *p != ',' && *p != '}'; p++)
            if (o + 1 < outlen) out[o++] = *p;
    }
    out[o] = 0;
    return 1;
}

static void read_events(const char *path, cmp_result *r)
{
    FILE *f = fopen(path, "r");
    if (!f) return;
    char *line = NULL;
    size_t cap = 0;
    char ev[32], v[64];
    while (getline(&line, &cap, f) > 0) {
        if (!json_get(line, "event", ev, sizeof ev)) continue;
        if (strcmp(ev, "listening") == 0) {
            json_get(line, "library", r->library, sizeof r->library);
        } else if (strcmp(ev, "handshake_done") == 0) {
            r->handshake_done = 1;
            json_get(line, "version", r->hs_version, sizeof r->hs_version);
            json_get(line, "cipher", r->hs_cipher, sizeof r->hs_cipher);
            json_get(line, "group", r->hs_group, sizeof r->hs_group);
            json_get(line, "alpn", r->hs_alpn, sizeof r->hs_alpn);
            json_get(line, "resumed", r->hs_resumed, sizeof r->hs_resumed);
            json_get(line, "verify", r->hs_verify, sizeof r->hs_verify);
            json_get(line, "signature_scheme", r->hs_sigscheme, sizeof r->hs_sigscheme);
        } else if (strcmp(ev, "error") == 0 && !r->error[0]) {
            json_get(line, "error", r->error, sizeof r->error);
            json_get(line, "stage", r->error_stage, sizeof r->error_stage);
        } else if (strcmp(ev, "alert") == 0 && !r->alert_sent[0]) {
            if (json_get(line, "direction", v, sizeof v) && strcmp(v, "sent") == 0)
                json_get(line, "description", r->alert_sent, sizeof r->alert_sent);
        } else if (strcmp(ev, "client_hello_error") == 0) {
            json_get(line, "status", r->client_hello_error, sizeof r->client_hello_error);
        }
    }
    free(line);
    fclose(f);
}

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char p[1200];
        while ((e = readdir(d)))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
                snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
                unlink(p);
            }
        closedir(d);
    }
    rmdir(dir);
}

void cmp_run(const cmp_settings *s, const cmp_input *in, const char *flavour, cmp_result *r)
{
    memset(r, 0, sizeof *r);
    r->flavour = flavour;
    r->server_exit = -1;
    r->client_exit = -1;
    r->flight.cert_count = -1;
    char dir[512], json[600], err[600];
    snprintf(dir, sizeof dir, "%s/polytls-compare-XXXXXX", s->tmpdir);
    if (!mkdtemp(dir)) {
        r->status = CMP_NO_SERVER;
        snprintf(r->reason, sizeof r->reason, "mkdtemp %.400s: %s", dir, strerror(errno));
        return;
    }
    snprintf(json, sizeof json, "%s/events.json", dir);
    snprintf(err, sizeof err, "%s/stderr.txt", dir);

    const char *argv[96];
    int n = 0;
    argv[n++] = s->self;
    argv[n++] = "s_server";
    argv[n++] = "-backend";
    argv[n++] = flavour;
    argv[n++] = "-accept";
    argv[n++] = "127.0.0.1:0";
    argv[n++] = "-naccept";
    argv[n++] = "1";
    argv[n++] = "-json";
    argv[n++] = json;
    if (s->cert && s->cert[0]) {
        argv[n++] = "-cert";
        argv[n++] = s->cert;
        argv[n++] = "-key";
        argv[n++] = s->key;
    }
    for (int i = 0; i < s->n_server_args && n < 80; i++)
        argv[n++] = s->server_args[i];
    for (int i = 0; i < in->n_server_args && n < 94; i++)
        argv[n++] = in->server_args[i];
    argv[n] = NULL;

    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC) != 0) {
        r->status = CMP_NO_SERVER;
        snprintf(r->reason, sizeof r->reason, "pipe: %s", strerror(errno));
        remove_dir(dir);
        return;
    }
    pid_t pid = spawn((char **)argv, NULL, pfd[1], err, 0);
    close(pfd[1]);
    fcntl(pfd[0], F_SETFL, fcntl(pfd[0], F_GETFL) | O_NONBLOCK);
    if (pid < 0) {
        close(pfd[0]);
        r->status = CMP_NO_SERVER;
        snprintf(r->reason, sizeof r->reason, "cannot start %s: %s", s->self, strerror(errno));
        remove_dir(dir);
        return;
    }
    char host[256];
    int port = 0;
    int acc = read_accept(pfd[0], pid, &port, host, sizeof host);
    if (acc <= 0) {
        int code;
        if (acc < 0) {
            code = -acc - 1;
        } else {
            int killed;
            code = stop_child(pid, 1000, pfd[0], &killed, 0);
        }
        r->server_exit = code;
        r->status = code == 3 ? CMP_REFUSED : code == 2 ? CMP_USAGE : CMP_NO_SERVER;
        stderr_reason(err, r->reason, sizeof r->reason);
        if (!r->reason[0])
            snprintf(r->reason, sizeof r->reason, "s_server exited %d without an ACCEPT line", code);
        close(pfd[0]);
        read_events(json, r);
        remove_dir(dir);
        return;
    }
    r->status = CMP_RAN;
    if (in->kind == CMP_INPUT_BYTES)
        raw_send(host, port, in, s, r);
    else
        run_command(host, port, in, s, dir, r);
    r->server_exit = stop_child(pid, STOP_GRACE_MS, pfd[0], &r->server_killed, 0);
    close(pfd[0]);
    read_events(json, r);
    remove_dir(dir);
}
