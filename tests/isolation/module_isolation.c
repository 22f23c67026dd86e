/* Library flavours are isolated: every built module of one family (the
 * system library and each pinned flavour) loaded into ONE process, through
 * the core's loader, each still runs its own library.
 *
 *   module_isolation CLIENT PKI NAME=VERSION [NAME=VERSION ...]
 *
 * CLIENT is an OpenSSL >= 3.5 command-line tool (ML-KEM), PKI the test PKI
 * directory, and each NAME=VERSION a module ("openssl", "openssl@3.5.7") with
 * the library version it must report ("3.0.22", "3.5.7"). Modules are loaded
 * in the order given (CTest runs both orders).
 *
 * 1. Load every module (ptls_backend_load: dlopen RTLD_NOW|RTLD_LOCAL), then
 *    check each library_version() names its own VERSION.
 * 2. With all loaded: global_init each and build a server context on each
 *    from the same command line (parsed and validated by the core, as
 *    `polytls s_server` does).
 * 3. On each module's server ops in turn, one handshake with CLIENT offering
 *    only X25519MLKEM768: it must succeed exactly on libraries >= 3.5 (and
 *    report the group), fail on older ones, and agree with the module's mlkem
 *    capability; then one with X25519 only, which every module completes.
 *
 * A module that silently ran another module's copy of the library (shared
 * symbols, a reused soname) reports the wrong version or the wrong ML-KEM
 * outcome. Exit 0 when everything holds, 1 otherwise. */
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "module/backend_loader.h"
#include "options/capability.h"
#include "wire/cipher_table.h"
#include "polytls/backend.h"
#include "options/server_opts.h"

#define MAX_MODULES 8

typedef struct module {
    const char *name;
    char version[32]; /* expected library version, "3.5.7" */
    const ptls_backend *be;
    ptls_server_opts *opts; /* the configuration points into it */
    void *server;
} module;

static int failures;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("FAIL: ", stdout);
    vprintf(fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
    fflush(stdout);
    failures++;
}

static void host_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void host_log(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

static void host_keylog(const char *label, const unsigned char *client_random, const unsigned char *secret,
                        size_t secret_len)
{
    (void)label;
    (void)client_random;
    (void)secret;
    (void)secret_len;
}

static int host_alpn_select(const unsigned char *offer, size_t offer_len, const unsigned char **out,
                            unsigned char *outlen)
{
    (void)offer;
    (void)offer_len;
    (void)out;
    (void)outlen;
    return 0;
}

static int host_sni_select(const char *servername)
{
    (void)servername;
    return PTLS_SNI_DEFAULT;
}

static const ptls_hello_view *host_client_hello(void *io_ctx)
{
    (void)io_ctx;
    return NULL;
}

static const ptls_host host = {
    .log = host_log,
    .keylog = host_keylog,
    .alpn_select = host_alpn_select,
    .sni_select = host_sni_select,
    .cipher_iana_name = ptls_cipher_iana_name,
    .cipher_id_by_name = ptls_cipher_id_by_name,
    .client_hello = host_client_hello,
};

/* Blocking socket IO for the backend (receive timeout: a stuck handshake
 * ends as an error). */
static long io_recv(void *ctx, unsigned char *buf, size_t len)
{
    int fd = *(int *)ctx;
    ssize_t n = recv(fd, buf, len, 0);
    if (n > 0) return (long)n;
    return n == 0 ? PTLS_CLOSED : PTLS_ERROR;
}

static long io_send(void *ctx, const unsigned char *buf, size_t len)
{
    int fd = *(int *)ctx;
    ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
    return n > 0 ? (long)n : PTLS_ERROR;
}

/* "3.5.7" -> 305 (major * 100 + minor). */
static int major_minor(const char *v)
{
    int major = 0, minor = 0;
    sscanf(v, "%d.%d", &major, &minor);
    return major * 100 + minor;
}

/* One handshake on m's server with CLIENT offering only `groups`. Returns 1
 * when the handshake completed; *group gets the group the module reports. */
static int handshake(module *m, const char *client, const char *groups, char *group, size_t grouplen)
{
    group[0] = '\0';
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof addr;
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(lfd, 1) != 0 ||
        getsockname(lfd, (struct sockaddr *)&addr, &alen) != 0) {
        fail("%s: listening socket: %s", m->name, strerror(errno));
        return 0;
    }
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "exec %s s_client -connect 127.0.0.1:%d -tls1_3 -groups %s -servername localhost "
             "</dev/null >/dev/null 2>&1",
             client, ntohs(addr.sin_port), groups);
    pid_t pid = fork();
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    struct timeval tv = {.tv_sec = 15};
    setsockopt(lfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    int fd = accept(lfd, NULL, NULL);
    close(lfd);
    int ok = 0;
    if (fd < 0) {
        fail("%s: the client (%s) never connected", m->name, groups);
    } else {
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        ptls_io io = {.ctx = &fd, .recv = io_recv, .send = io_send};
        char err[512];
        void *conn = m->be->conn_new(m->server, &io, err, sizeof err);
        if (!conn) {
            fail("%s: conn_new: %s", m->name, err);
        } else {
            int rc;
            do
                rc = m->be->handshake(conn);
            while (rc == PTLS_WANT_READ || rc == PTLS_WANT_WRITE);
            if (rc == PTLS_OK) {
                ptls_conn_info info;
                m->be->get_info(conn, &info);
                snprintf(group, grouplen, "%s", info.group);
                ok = 1;
                (void)m->be->shutdown(conn);
            } else {
                m->be->last_error(conn, err, sizeof err);
                printf("  %s, client offering %s: handshake failed: %s\n", m->name, groups, err);
            }
            m->be->conn_free(conn);
        }
        close(fd);
    }
    int status;
    for (int i = 0; i < 100 && waitpid(pid, &status, WNOHANG) == 0; i++)
        usleep(100000);
    if (waitpid(pid, &status, WNOHANG) == 0) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
    }
    return ok;
}

int main(int argc, char **argv)
{
    if (argc < 4 || argc - 3 > MAX_MODULES) {
        fprintf(stderr, "usage: %s CLIENT PKI NAME=VERSION [NAME=VERSION ...] (at most %d)\n", argv[0],
                MAX_MODULES);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    const char *client = argv[1], *pki = argv[2];
    module mods[MAX_MODULES];
    int n = argc - 3;
    char err[1024];

    /* 1. Load them all, in the order given, before anything else runs. */
    for (int i = 0; i < n; i++) {
        module *m = &mods[i];
        memset(m, 0, sizeof *m);
        char *eq = strchr(argv[3 + i], '=');
        if (!eq) {
            fprintf(stderr, "%s: NAME=VERSION expected\n", argv[3 + i]);
            return 2;
        }
        *eq = '\0';
        m->name = argv[3 + i];
        snprintf(m->version, sizeof m->version, "%s", eq + 1);
        m->be = ptls_backend_load(m->name, err, sizeof err);
        if (!m->be) {
            fail("load %s: %s", m->name, err);
            return 1;
        }
        printf("loaded %s\n", m->name);
    }
    for (int i = 0; i < n; i++) {
        module *m = &mods[i];
        const char *v = m->be->library_version();
        char want[64];
        snprintf(want, sizeof want, "OpenSSL %s ", m->version);
        printf("%-16s library_version: %s\n", m->name, v);
        if (strncmp(v, want, strlen(want)) != 0)
            fail("%s reports \"%s\", expected its own library, %s", m->name, v, m->version);
    }

    /* 2. Every module initialised and serving, all at once. */
    char cert[512], key[512];
    snprintf(cert, sizeof cert, "%s/server-rsa.pem", pki);
    snprintf(key, sizeof key, "%s/server-rsa.key", pki);
    for (int i = 0; i < n; i++) {
        module *m = &mods[i];
        if (m->be->global_init(&host, err, sizeof err) != 0) {
            fail("%s: global_init: %s", m->name, err);
            return 1;
        }
        m->opts = calloc(1, sizeof *m->opts);
        char *args[] = {"-cert", cert, "-key", key};
        if (ptls_parse_args(4, args, m->opts, err, sizeof err) != PTLS_EXIT_OK ||
            ptls_validate(m->opts, m->be, stderr) != PTLS_EXIT_OK) {
            fail("%s: configuration refused: %s", m->name, err);
            return 1;
        }
        m->server = m->be->server_new(&m->opts->tls, err, sizeof err);
        if (!m->server) {
            fail("%s: server_new: %s", m->name, err);
            return 1;
        }
    }

    /* 3. Each module's own library decides the handshakes. */
    for (int i = 0; i < n; i++) {
        module *m = &mods[i];
        int want_mlkem = major_minor(m->version) >= 305;
        int cap_mlkem = ptls_cap_refusal(m->be, PTLS_CAP_MLKEM) == NULL;
        if (cap_mlkem != want_mlkem)
            fail("%s (%s): mlkem capability %s, but its library version says %s", m->name, m->version,
                 cap_mlkem ? "claimed" : "refused", want_mlkem ? "yes" : "no");
        char group[64];
        int ok = handshake(m, client, "X25519MLKEM768", group, sizeof group);
        printf("%-16s client offering X25519MLKEM768: %s%s%s\n", m->name,
               ok ? "handshake, group " : "refused", group, ok ? "" : " (no shared group)");
        if (ok != want_mlkem)
            fail("%s (%s): X25519MLKEM768 handshake %s", m->name, m->version,
                 ok ? "succeeded on a library without ML-KEM" : "failed on a library with ML-KEM");
        else if (ok && strcmp(group, "X25519MLKEM768") != 0)
            fail("%s: group reported as \"%s\"", m->name, group);
        ok = handshake(m, client, "X25519", group, sizeof group);
        printf("%-16s client offering X25519: %s%s\n", m->name, ok ? "handshake, group " : "failed", group);
        if (!ok || strcmp(group, "X25519") != 0) fail("%s: X25519 handshake (group \"%s\")", m->name, group);
    }

    for (int i = 0; i < n; i++) {
        mods[i].be->server_free(mods[i].server);
        mods[i].be->global_cleanup();
        free(mods[i].opts);
    }
    printf("%s\n", failures ? "FAILED" : "all modules isolated");
    return failures ? 1 : 0;
}
