#include "host_api.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wire/cipher_table.h"

/* One server per process: the host callbacks carry no context argument. */
static const ptls_server_opts *host_opts;
static ptls_hello_lookup host_hello_lookup;
static int keylog_fd = -1;

static void host_log(const char *fmt, ...)
{
    if (host_opts && host_opts->quiet) return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

int ptls_keylog_format(char *buf, size_t len, const char *label, const unsigned char *random32,
                       const unsigned char *secret, size_t secret_len)
{
    size_t n = (size_t)snprintf(buf, len, "%s ", label);
    if (n + 64 + 1 + secret_len * 2 + 2 > len || secret_len == 0) return -1;
    for (int i = 0; i < 32; i++)
        n += (size_t)snprintf(buf + n, len - n, "%02x", random32[i]);
    buf[n++] = ' ';
    for (size_t i = 0; i < secret_len; i++)
        n += (size_t)snprintf(buf + n, len - n, "%02x", secret[i]);
    buf[n++] = '\n';
    buf[n] = 0;
    return (int)n;
}

static void host_keylog(const char *label, const unsigned char *random32, const unsigned char *secret,
                        size_t len)
{
    char line[512];
    if (keylog_fd < 0) return;
    int n = ptls_keylog_format(line, sizeof line, label, random32, secret, len);
    /* One write() per line on an O_APPEND descriptor: lines from concurrent
     * polytls processes never interleave. */
    if (n > 0 && write(keylog_fd, line, (size_t)n) != n)
        fprintf(stderr, "polytls: writing the keylog file failed: %s\n", strerror(errno));
}

int ptls_alpn_choose(const unsigned char *server, size_t server_len, const unsigned char *offer,
                     size_t offer_len, const unsigned char **out, unsigned char *outlen)
{
    /* Server preference, as s_server's SSL_select_next_proto call does. */
    for (size_t i = 0; i < server_len; i += 1 + (size_t)server[i]) {
        size_t sl = server[i];
        if (i + 1 + sl > server_len) break;
        for (size_t j = 0; j < offer_len; j += 1 + (size_t)offer[j]) {
            size_t cl = offer[j];
            if (j + 1 + cl > offer_len) break;
            if (cl == sl && memcmp(server + i + 1, offer + j + 1, sl) == 0) {
                *out = server + i + 1;
                *outlen = (unsigned char)sl;
                return 1;
            }
        }
    }
    return 0; /* no overlap: continue without ALPN, like s_server */
}

static int host_alpn_select(const unsigned char *offer, size_t offer_len, const unsigned char **out,
                            unsigned char *outlen)
{
    const ptls_config *c = &host_opts->tls;
    if (!c->alpn_wire) return 0;
    return ptls_alpn_choose(c->alpn_wire, c->alpn_wire_len, offer, offer_len, out, outlen);
}

int ptls_sni_choose(const char *configured, int fatal, const char *requested)
{
    if (!configured) return PTLS_SNI_DEFAULT;
    if (requested && strcasecmp(configured, requested) == 0) return PTLS_SNI_ALT;
    return fatal ? PTLS_SNI_REJECT : PTLS_SNI_DEFAULT;
}

static int host_sni_select(const char *name)
{
    const ptls_config *c = &host_opts->tls;
    return ptls_sni_choose(c->cert2.cert ? c->servername : NULL, c->servername_fatal, name);
}

static const ptls_hello_view *host_client_hello(void *io_ctx)
{
    return host_hello_lookup ? host_hello_lookup(io_ctx) : NULL;
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

int ptls_host_open(const ptls_server_opts *o, ptls_hello_lookup client_hello, char *err, size_t errlen)
{
    host_opts = o;
    host_hello_lookup = client_hello;
    if (o->keylogfile) {
        /* Secrets: created 0600 and appended to, as SSLKEYLOGFILE users expect. */
        keylog_fd = open(o->keylogfile, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        if (keylog_fd < 0) {
            snprintf(err, errlen, "cannot open keylog file %s: %s", o->keylogfile, strerror(errno));
            return -1;
        }
        struct stat st;
        if (fstat(keylog_fd, &st) == 0 && (st.st_mode & 077))
            fprintf(stderr, "polytls: warning: keylog file %s is readable by others (mode %03o)\n",
                    o->keylogfile, (unsigned)(st.st_mode & 0777));
    }
    return 0;
}

const ptls_host *ptls_host_api(void)
{
    return &host;
}

void ptls_host_close(void)
{
    if (keylog_fd >= 0) close(keylog_fd);
    keylog_fd = -1;
    host_opts = NULL;
    host_hello_lookup = NULL;
}
