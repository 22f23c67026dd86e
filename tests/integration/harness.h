/* Integration test harness: starts `polytls s_server` on port 0 for the
 * backend under test (POLYTLS_TEST_BACKEND), learns the port from its
 * ACCEPT line, and drives real peer programs (openssl s_client, curl,
 * gnutls-cli, ...) against it. Tests are written once and skip by
 * capability, never by backend name. */
#ifndef PT_HARNESS_H
#define PT_HARNESS_H

#include <criterion/criterion.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

typedef struct pt_server {
    pid_t pid;
    int stdin_fd; /* write end of the server's stdin pipe, -1 if /dev/null */
    int port;
    char dir[256]; /* private scratch directory (server cwd, output files) */
    char out_path[300], err_path[300];
    int exited, status; /* after pt_server_wait */
} pt_server;

/* Environment given by CTest. */
const char *pt_backend(void); /* backend under test */
const char *pt_bin(void);     /* path of the polytls executable */
const char *pt_pki(void);     /* directory of the test PKI (tests/pki/make_pki.sh) */

/* Whether the backend under test has a capability (name as in
 * `polytls backends`, e.g. "tls1.3"). */
int pt_has_cap(const char *cap);
/* The capability's refusal reason ("" when supported). */
const char *pt_cap_reason(const char *cap);
/* Skips the test unless the backend has the capability. */
#define PT_REQUIRE_CAP(cap)                                                                                  \
    do {                                                                                                     \
        if (!pt_has_cap(cap)) cr_skip_test("backend %s lacks capability %s", pt_backend(), cap);             \
    } while (0)

/* Start `polytls s_server -backend B -accept 127.0.0.1:0 ARGS` in a fresh
 * scratch dir (ARGS is a shell-quoted string; "@PKI@" expands to the PKI
 * directory). With interactive, the server's stdin is a pipe for
 * pt_server_input; otherwise /dev/null. Waits for the ACCEPT line. */
int pt_server_start(pt_server *s, int interactive, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Start in a given directory (for -WWW roots); dir must exist. */
int pt_server_start_in(pt_server *s, const char *dir, int interactive, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void pt_server_input(pt_server *s, const char *text);
/* Waits up to timeout_ms for the server to exit; returns its exit code, or
 * -1 if still running (or killed by a signal: -signo - 100). */
int pt_server_wait(pt_server *s, int timeout_ms);
/* SIGTERM (then SIGKILL), reap, remove nothing (outputs stay readable). */
void pt_server_stop(pt_server *s);
/* The server's stdout / stderr so far (malloc'd, caller frees). */
char *pt_server_stdout(pt_server *s);
char *pt_server_stderr(pt_server *s);
/* Waits until the server's stdout or stderr contains needle. */
int pt_server_wait_output(pt_server *s, const char *needle, int timeout_ms);

/* Run a shell command (sh -c) with stdin from /dev/null unless the command
 * redirects it, stdout+stderr captured into *out (malloc'd, may be NULL),
 * bounded by timeout_s. "@PORT@" expands to port, "@PKI@" to the PKI dir.
 * Returns the exit status (124 on timeout). */
int pt_run(char **out, int timeout_s, int port, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* A command running in the background (a client that must stay connected
 * while the test drives the server). Output goes to a file. */
typedef struct pt_bg {
    pid_t pid;
    char out_path[300];
} pt_bg;
void pt_spawn(pt_bg *bg, int port, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Waits up to timeout_ms; returns the exit status or -1 (still running:
 * then it is killed). *out gets the output (malloc'd) if out != NULL. */
int pt_spawn_wait(pt_bg *bg, int timeout_ms, char **out);
char *pt_spawn_output(pt_bg *bg);

/* Start or fail the test, showing the server's stderr. */
#define PT_START(s, interactive, ...)                                                                        \
    do {                                                                                                     \
        if (pt_server_start((s), (interactive), __VA_ARGS__) != 0) {                                         \
            char *e_ = pt_server_stderr(s);                                                                  \
            cr_assert_fail("server did not start (exit %d): %s", (s)->status, e_);                           \
        }                                                                                                    \
    } while (0)

/* Run polytls itself (not a server start): returns exit status, captures
 * stderr+stdout. */
int pt_polytls(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Reads a whole file (malloc'd), NULL on error; *len gets the size. */
char *pt_read_file(const char *path, size_t *len);
/* Makes a fresh scratch directory under the build tree. */
void pt_mkdtemp(char *buf, size_t len);

#endif
