/* -pass/-dpass sources, as openssl(1) "Pass Phrase Options" defines them. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server_opts.h"

static int read_line_fd(int fd, char *buf, size_t buflen)
{
    size_t n = 0;
    while (n + 1 < buflen) {
        ssize_t r = read(fd, buf + n, 1);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0 || buf[n] == '\n') break;
        n++;
    }
    if (n > 0 && buf[n - 1] == '\r') n--;
    buf[n] = 0;
    return 0;
}

int ptls_resolve_pass(const char *src, char *buf, size_t buflen, char *err, size_t errlen)
{
    if (strncmp(src, "pass:", 5) == 0) {
        if (strlen(src + 5) >= buflen) goto toolong;
        snprintf(buf, buflen, "%s", src + 5);
        return 0;
    }
    if (strncmp(src, "env:", 4) == 0) {
        const char *v = getenv(src + 4);
        if (!v) {
            snprintf(err, errlen, "pass phrase source %s: environment variable %s is not set", src, src + 4);
            return -1;
        }
        if (strlen(v) >= buflen) goto toolong;
        snprintf(buf, buflen, "%s", v);
        return 0;
    }
    if (strncmp(src, "file:", 5) == 0) {
        int fd = open(src + 5, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            snprintf(err, errlen, "pass phrase source %s: cannot open %s: %s", src, src + 5, strerror(errno));
            return -1;
        }
        read_line_fd(fd, buf, buflen);
        close(fd);
        return 0;
    }
    if (strncmp(src, "fd:", 3) == 0) {
        char *end;
        long fd = strtol(src + 3, &end, 10);
        if (*end || fd < 0) {
            snprintf(err, errlen, "pass phrase source %s: not a file descriptor number", src);
            return -1;
        }
        read_line_fd((int)fd, buf, buflen);
        return 0;
    }
    if (strcmp(src, "stdin") == 0) {
        read_line_fd(0, buf, buflen);
        return 0;
    }
    /* Never echo the argument: it may be the password itself, typed without
     * the pass: prefix. */
    snprintf(err, errlen, "invalid pass phrase source (expected pass:, env:, file:, fd: or stdin)");
    return -1;
toolong:
    snprintf(err, errlen, "pass phrase from %.*s is too long", (int)(strchr(src, ':') - src + 1), src);
    return -1;
}
