#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

const char *pt_backend(void)
{
    const char *b = getenv("POLYTLS_TEST_BACKEND");
    return b && *b ? b : "openssl";
}

const char *pt_bin(void)
{
    const char *b = getenv("POLYTLS_BIN");
    return b && *b ? b : "polytls";
}

const char *pt_pki(void)
{
    const char *p = getenv("POLYTLS_TEST_PKI");
    return p && *p ? p : "pki";
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Replace @PORT@ and @PKI@ placeholders. */
static char *expand(const char *in, int port)
{
    size_t cap = strlen(in) * 2 + 4096, n = 0;
    char *out = malloc(cap);
    char portbuf[16];
    snprintf(portbuf, sizeof portbuf, "%d", port);
    for (const char *p = in; *p;) {
        const char *rep = NULL;
        size_t skip = 0;
        if (strncmp(p, "@PORT@", 6) == 0)
            rep = portbuf, skip = 6;
        else if (strncmp(p, "@PKI@", 5) == 0)
            rep = pt_pki(), skip = 5;
        else if (strncmp(p, "@BIN@", 5) == 0)
            rep = pt_bin(), skip = 5;
        else if (strncmp(p, "@BACKEND@", 9) == 0)
            rep = pt_backend(), skip = 9;
        else if (strncmp(p, "@SRC@", 5) == 0)
            rep = getenv("POLYTLS_TEST_SRC") ? getenv("POLYTLS_TEST_SRC") : ".", skip = 5;
        if (rep) {
            size_t rl = strlen(rep);
            if (n + rl + 1 >= cap) out = realloc(out, cap = (n + rl) * 2 + 64);
            memcpy(out + n, rep, rl);
            n += rl;
            p += skip;
        } else {
            if (n + 2 >= cap) out = realloc(out, cap *= 2);
            out[n++] = *p++;
        }
    }
    out[n] = 0;
    return out;
}

char *pt_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 8192, n = 0;
    char *buf = malloc(cap);
    size_t r;
    while ((r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (cap - n < 4096) buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    buf[n] = 0;
    if (len) *len = n;
    return buf;
}

void pt_mkdtemp(char *buf, size_t len)
{
    const char *base = getenv("POLYTLS_TEST_TMP");
    snprintf(buf, len, "%s/pt-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(buf)) cr_assert_fail("mkdtemp %s: %s", buf, strerror(errno));
}

/* ---- capabilities, from `polytls backends` ---- */

static char *caps_text;

static void load_caps(void)
{
    if (caps_text) return;
    char *out = NULL;
    int rc = pt_run(&out, 30, 0, "@BIN@ backends");
    cr_assert_eq(rc, 0, "polytls backends failed: %s", out ? out : "");
    /* Keep only the section of the backend under test. */
    char header[64];
    snprintf(header, sizeof header, "%s: ", pt_backend());
    char *start = strstr(out, header);
    cr_assert_not_null(start, "backend %s not in `polytls backends` output", pt_backend());
    char *end = start + 1;
    while ((end = strchr(end, '\n')) && end[1] == ' ')
        end++;
    if (end) *end = 0;
    caps_text = strdup(start);
    free(out);
}

const char *pt_cap_reason(const char *cap)
{
    static char reason[512];
    load_caps();
    char needle[64];
    snprintf(needle, sizeof needle, "\n  %s ", cap);
    const char *p = strstr(caps_text, needle);
    cr_assert_not_null(p, "unknown capability %s", cap);
    p += strlen(needle);
    while (*p == ' ')
        p++;
    if (strncmp(p, "yes", 3) == 0) return "";
    p += 4; /* "no: " */
    const char *eol = strchr(p, '\n');
    size_t l = eol ? (size_t)(eol - p) : strlen(p);
    if (l >= sizeof reason) l = sizeof reason - 1;
    memcpy(reason, p, l);
    reason[l] = 0;
    return reason;
}

int pt_has_cap(const char *cap)
{
    return pt_cap_reason(cap)[0] == 0;
}

/* ---- processes ---- */

int pt_run(char **out, int timeout_s, int port, const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    char *full = expand(cmd, port);
    int pfd[2];
    if (pipe(pfd) != 0) cr_assert_fail("pipe");
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        int devnull = open("/dev/null", O_RDONLY);
        dup2(devnull, 0);
        dup2(pfd[1], 1);
        dup2(pfd[1], 2);
        close(pfd[0]);
        execl("/bin/sh", "sh", "-c", full, (char *)NULL);
        _exit(127);
    }
    close(pfd[1]);
    size_t cap = 16384, n = 0;
    char *buf = malloc(cap);
    long deadline = now_ms() + timeout_s * 1000L;
    int timed_out = 0;
    for (;;) {
        long left = deadline - now_ms();
        if (left <= 0) {
            timed_out = 1;
            break;
        }
        struct pollfd p = {.fd = pfd[0], .events = POLLIN};
        int r = poll(&p, 1, (int)left);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) continue;
        if (cap - n < 4096) buf = realloc(buf, cap *= 2);
        ssize_t k = read(pfd[0], buf + n, cap - n - 1);
        if (k <= 0) break;
        n += (size_t)k;
    }
    close(pfd[0]);
    if (timed_out) kill(-pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    buf[n] = 0;
    if (out)
        *out = buf;
    else
        free(buf);
    free(full);
    if (timed_out) return 124;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int pt_polytls(char **out, const char *fmt, ...)
{
    char args[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    return pt_run(out, 30, 0, "@BIN@ %s", args);
}

static int start(pt_server *s, const char *dir, int interactive, const char *args)
{
    memset(s, 0, sizeof *s);
    s->stdin_fd = -1;
    if (dir)
        snprintf(s->dir, sizeof s->dir, "%s", dir);
    else
        pt_mkdtemp(s->dir, sizeof s->dir);
    snprintf(s->out_path, sizeof s->out_path, "%s/.server.out", s->dir);
    snprintf(s->err_path, sizeof s->err_path, "%s/.server.err", s->dir);
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "exec @BIN@ s_server -backend @BACKEND@ -accept 127.0.0.1:0 %s", args);
    char *full = expand(cmd, 0);
    int in[2] = {-1, -1};
    if (interactive > 0 && pipe(in) != 0) cr_assert_fail("pipe");
    pid_t pid = fork();
    if (pid == 0) {
        /* The server dies with the test, even when an assertion ends it. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (chdir(s->dir) != 0) _exit(126);
        int o = open(s->out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int e = open(s->err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (interactive < 0) {
            close(0); /* the server must cope with a closed stdin */
        } else {
            int i = interactive ? in[0] : open("/dev/null", O_RDONLY);
            dup2(i, 0);
        }
        dup2(o, 1);
        dup2(e, 2);
        if (interactive > 0) close(in[1]);
        execl("/bin/sh", "sh", "-c", full, (char *)NULL);
        _exit(127);
    }
    free(full);
    s->pid = pid;
    if (interactive > 0) {
        close(in[0]);
        s->stdin_fd = in[1];
    }
    long deadline = now_ms() + 15000;
    while (now_ms() < deadline) {
        char *out = pt_read_file(s->out_path, NULL);
        char *acc = out ? strstr(out, "ACCEPT ") : NULL;
        char *eol = acc ? strchr(acc, '\n') : NULL;
        if (acc && eol) {
            *eol = 0;
            char *colon = strrchr(acc, ':');
            s->port = colon ? atoi(colon + 1) : 0;
            free(out);
            return 0;
        }
        free(out);
        int st;
        if (waitpid(pid, &st, WNOHANG) == pid) {
            s->exited = 1;
            s->status = WIFEXITED(st) ? WEXITSTATUS(st) : -100 - WTERMSIG(st);
            return -1;
        }
        usleep(20000);
    }
    return -1;
}

int pt_server_start(pt_server *s, int interactive, const char *fmt, ...)
{
    char args[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    return start(s, NULL, interactive, args);
}

int pt_server_start_in(pt_server *s, const char *dir, int interactive, const char *fmt, ...)
{
    char args[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    return start(s, dir, interactive, args);
}

void pt_server_input(pt_server *s, const char *text)
{
    cr_assert_geq(s->stdin_fd, 0, "server was not started interactive");
    size_t l = strlen(text);
    cr_assert_eq(write(s->stdin_fd, text, l), (ssize_t)l);
}

int pt_server_wait(pt_server *s, int timeout_ms)
{
    if (s->exited) return s->status;
    long deadline = now_ms() + timeout_ms;
    do {
        int st;
        if (waitpid(s->pid, &st, WNOHANG) == s->pid) {
            s->exited = 1;
            s->status = WIFEXITED(st) ? WEXITSTATUS(st) : -100 - WTERMSIG(st);
            return s->status;
        }
        usleep(10000);
    } while (now_ms() < deadline);
    return -1;
}

void pt_server_stop(pt_server *s)
{
    if (s->stdin_fd >= 0) {
        close(s->stdin_fd);
        s->stdin_fd = -1;
    }
    if (!s->pid || s->exited) return;
    kill(s->pid, SIGTERM);
    int rc = pt_server_wait(s, 5000);
    if (rc == -1) {
        kill(s->pid, SIGKILL);
        pt_server_wait(s, 5000);
    }
    /* A clean stop is part of every test: SIGTERM ends the server with exit
     * 0, and (in the sanitizer build) without any ASan/UBSan/LSan report. */
    char *err = pt_server_stderr(s);
    int sanitizer = strstr(err, "Sanitizer") || strstr(err, "runtime error:");
    cr_assert(!sanitizer, "sanitizer report from the server: %s", err);
    cr_assert_eq(rc, 0, "server did not exit 0 on SIGTERM (status %d): %s", rc, err);
    free(err);
}

char *pt_server_stdout(pt_server *s)
{
    char *t = pt_read_file(s->out_path, NULL);
    return t ? t : strdup("");
}

char *pt_server_stderr(pt_server *s)
{
    char *t = pt_read_file(s->err_path, NULL);
    return t ? t : strdup("");
}

int pt_server_wait_output(pt_server *s, const char *needle, int timeout_ms)
{
    long deadline = now_ms() + timeout_ms;
    do {
        char *o = pt_server_stdout(s), *e = pt_server_stderr(s);
        int found = strstr(o, needle) || strstr(e, needle);
        free(o);
        free(e);
        if (found) return 1;
        usleep(20000);
    } while (now_ms() < deadline);
    return 0;
}

void pt_spawn(pt_bg *bg, int port, const char *fmt, ...)
{
    char cmd[8192], dir[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    char *full = expand(cmd, port);
    pt_mkdtemp(dir, sizeof dir);
    snprintf(bg->out_path, sizeof bg->out_path, "%s/out", dir);
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        int o = open(bg->out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int devnull = open("/dev/null", O_RDONLY);
        dup2(devnull, 0);
        dup2(o, 1);
        dup2(o, 2);
        execl("/bin/sh", "sh", "-c", full, (char *)NULL);
        _exit(127);
    }
    free(full);
    bg->pid = pid;
}

char *pt_spawn_output(pt_bg *bg)
{
    char *t = pt_read_file(bg->out_path, NULL);
    return t ? t : strdup("");
}

int pt_spawn_wait(pt_bg *bg, int timeout_ms, char **out)
{
    long deadline = now_ms() + timeout_ms;
    int rc = -1, st;
    for (;;) {
        if (waitpid(bg->pid, &st, WNOHANG) == bg->pid) {
            rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
            break;
        }
        if (now_ms() >= deadline) {
            kill(-bg->pid, SIGKILL);
            waitpid(bg->pid, &st, 0);
            break;
        }
        usleep(10000);
    }
    if (out) *out = pt_spawn_output(bg);
    return rc;
}
