/* libFuzzer target: arbitrary client bytes into one backend's server
 * handshake, through the same ptls_io callbacks the core uses. Built once
 * per backend (PTLS_FUZZ_BACKEND, e.g. "openssl"); the module is loaded
 * from PTLS_FUZZ_MODULE_DIR (the build's lib/polytls) unless
 * POLYTLS_MODULE_DIR is set.
 *
 * Once per process: load the module, global_init with a minimal host (no
 * output, fixed ALPN list, default SNI, the core's cipher table), make a
 * self-signed certificate with the backend's make_selfsigned, and build one
 * server context from a configuration made by the core's own parser and
 * validation (so every default is the core's): the certificate, -alpn, and
 * -verify 1 with the certificate as CA (client certificates in TLS 1.2
 * travel in clear text and so are reachable by fuzz input).
 *
 * Per input: conn_new with IO callbacks that hand out the input as the
 * client's bytes in input-derived chunk sizes (sometimes WANT_READ first),
 * then PTLS_CLOSED, and through the core's ClientHello inspector, whose
 * view the host hands to the backend as the core does (so Mbed TLS's and
 * wolfSSL's client-order code runs too); what the server sends is swallowed
 * (sometimes only in part, sometimes WANT_WRITE first). handshake() and then read() are driven
 * until they stop making progress; get_info, last_error, a write and
 * shutdown are exercised on the way; then conn_free.
 *
 * Seeds: tests/fuzz/corpus/fuzz_server_handshake/ (ClientHello captures).
 * POLYTLS_FUZZ_VERBOSE=1 shows the backend's log output.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "module/backend_loader.h"
#include "options/capability.h"
#include "wire/cipher_table.h"
#include "wire/hello_view.h"
#include "module/host_api.h"
#include "polytls/backend.h"
#include "options/server_opts.h"

#ifndef PTLS_FUZZ_BACKEND
#error "PTLS_FUZZ_BACKEND must name the backend (compile definition)"
#endif
#ifndef PTLS_FUZZ_MODULE_DIR
#error "PTLS_FUZZ_MODULE_DIR must name the module directory (compile definition)"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const ptls_backend *be;
static void *server;
static ptls_server_opts opts; /* the configuration points into it */
static int verbose;

static void die(const char *what, const char *err)
{
    fprintf(stderr, "fuzz_server_handshake(%s): %s: %s\n", PTLS_FUZZ_BACKEND, what, err);
    exit(1);
}

static void host_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void host_log(const char *fmt, ...)
{
    if (!verbose) return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

static void host_keylog(const char *label, const unsigned char *client_random, const unsigned char *secret,
                        size_t secret_len)
{
    char line[512];
    /* Formats the line as the core would, so bad lengths are caught. */
    (void)ptls_keylog_format(line, sizeof line, label, client_random, secret, secret_len);
}

static const unsigned char alpn_server[] = "\x02h2\x08http/1.1";

static int host_alpn_select(const unsigned char *offer, size_t offer_len, const unsigned char **out,
                            unsigned char *outlen)
{
    return ptls_alpn_choose(alpn_server, sizeof alpn_server - 1, offer, offer_len, out, outlen);
}

static int host_sni_select(const char *servername)
{
    return servername && strcmp(servername, "reject.invalid") == 0 ? PTLS_SNI_REJECT : PTLS_SNI_DEFAULT;
}

/* The connection's ClientHello view (defined with the feed below). */
static const ptls_hello_view *host_client_hello(void *io_ctx);

static const ptls_host host = {
    .log = host_log,
    .keylog = host_keylog,
    .alpn_select = host_alpn_select,
    .sni_select = host_sni_select,
    .cipher_iana_name = ptls_cipher_iana_name,
    .cipher_id_by_name = ptls_cipher_id_by_name,
    .client_hello = host_client_hello,
};

/* Parse and validate like `polytls s_server ARGS` would. */
static int make_config(int argc, char **argv)
{
    char err[1024];
    if (ptls_parse_args(argc, argv, &opts, err, sizeof err) != PTLS_EXIT_OK) die("parse", err);
    FILE *out = verbose ? stderr : fopen("/dev/null", "w");
    if (!out) die("open", "/dev/null");
    int rc = ptls_validate(&opts, be, out);
    if (out != stderr) fclose(out);
    return rc;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char err[1024];
    verbose = getenv("POLYTLS_FUZZ_VERBOSE") != NULL;
    setenv("POLYTLS_MODULE_DIR", PTLS_FUZZ_MODULE_DIR, 0);
    be = ptls_backend_load(PTLS_FUZZ_BACKEND, err, sizeof err);
    if (!be) die("load", err);
    if (be->global_init(&host, err, sizeof err) != 0) die("global_init", err);

    char dir[] = "/tmp/polytls-fuzz-XXXXXX";
    if (!mkdtemp(dir)) die("mkdtemp", "failed");
    char cert[64], key[64];
    snprintf(cert, sizeof cert, "%s/cert.pem", dir);
    snprintf(key, sizeof key, "%s/key.pem", dir);
    if (!be->make_selfsigned || be->make_selfsigned(cert, key, err, sizeof err) != 0)
        die("make_selfsigned", err);

    char *full[] = {"-cert", cert, "-key", key, "-alpn", "h2,http/1.1", "-verify", "1", "-CAfile", cert};
    char *minimal[] = {"-cert", cert, "-key", key};
    int rc = make_config((int)(sizeof full / sizeof full[0]), full);
    if (rc != PTLS_EXIT_OK) {
        fprintf(stderr, "fuzz_server_handshake(%s): full configuration refused (%d), using -cert/-key only\n",
                PTLS_FUZZ_BACKEND, rc);
        if (make_config((int)(sizeof minimal / sizeof minimal[0]), minimal) != PTLS_EXIT_OK)
            die("validate", "minimal configuration refused");
    }
    server = be->server_new(&opts.tls, err, sizeof err);
    /* Every file is loaded by now. */
    unlink(cert);
    unlink(key);
    rmdir(dir);
    if (!server) die("server_new", err);
    fprintf(stderr, "fuzz_server_handshake(%s): %s, TLS 0x%04x-0x%04x\n", PTLS_FUZZ_BACKEND,
            be->library_version(), opts.tls.min_version, opts.tls.max_version);
    return 0;
}

/* The client side of one connection. */
typedef struct feed {
    const uint8_t *data;
    size_t size, off;
    uint32_t rng;
    int stalled_recv, stalled_send; /* the next call returns WANT_* once */
    unsigned long sent;             /* bytes the server wrote */
    /* The core's inspector over the bytes handed out, as in core/loop/conn.c: the
     * backend may read the view (ptls_host.client_hello) once it is done. */
    ptls_ch_parser hello;
    int hello_status;
    ptls_hello_view view;
    unsigned char *alpn_wire;
} feed;

static uint32_t next(feed *f)
{
    f->rng ^= f->rng << 13;
    f->rng ^= f->rng >> 17;
    f->rng ^= f->rng << 5;
    return f->rng;
}

static long io_recv(void *ctx, unsigned char *buf, size_t len)
{
    feed *f = ctx;
    if (f->off >= f->size) return PTLS_CLOSED;
    uint32_t r = next(f);
    if ((r & 7) == 0 && !f->stalled_recv) {
        f->stalled_recv = 1;
        return PTLS_WANT_READ;
    }
    f->stalled_recv = 0;
    /* Mostly whole records' worth, sometimes a byte or a few at a time. */
    size_t n = (r & 3) == 0 ? 1 + (r >> 4) % 7 : (r & 3) == 1 ? 1 + (r >> 4) % 300 : len;
    if (n > len) n = len;
    if (n > f->size - f->off) n = f->size - f->off;
    memcpy(buf, f->data + f->off, n);
    f->off += n;
    if (f->hello_status == PTLS_CH_MORE) {
        f->hello_status = ptls_ch_feed(&f->hello, buf, n);
        const ptls_client_hello *ch = ptls_ch_result(&f->hello);
        if (f->hello_status == PTLS_CH_DONE && ch) ptls_hello_view_fill(&f->view, ch, &f->alpn_wire);
    }
    return (long)n;
}

static const ptls_hello_view *host_client_hello(void *io_ctx)
{
    feed *f = io_ctx;
    return f && f->hello_status == PTLS_CH_DONE ? &f->view : NULL;
}

static long io_send(void *ctx, const unsigned char *buf, size_t len)
{
    feed *f = ctx;
    (void)buf;
    if (len == 0) return 0;
    uint32_t r = next(f);
    if ((r & 15) == 0 && !f->stalled_send) {
        f->stalled_send = 1;
        return PTLS_WANT_WRITE;
    }
    f->stalled_send = 0;
    size_t n = (r & 15) == 1 ? 1 + len / 2 : len;
    if (n > len) n = len;
    f->sent += n;
    return (long)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512];
    feed f = {.data = data, .size = size, .rng = 2166136261u};
    for (size_t i = 0; i < size && i < 64; i++)
        f.rng = (f.rng ^ data[i]) * 16777619u;
    f.rng ^= (uint32_t)size;
    if (!f.rng) f.rng = 1;
    ptls_ch_parser_init(&f.hello, 0);
    f.hello_status = PTLS_CH_MORE;
    ptls_io io = {.ctx = &f, .recv = io_recv, .send = io_send};

    void *c = be->conn_new(server, &io, err, sizeof err);
    if (!c) die("conn_new", err);

    static unsigned char buf[16384];
    static const char reply[] = "HTTP/1.0 200 ok\r\nContent-Length: 2\r\n\r\nok";
    int done = 0, stall = 0, wrote = 0;
    for (int iter = 0; iter < 4096 && stall < 8; iter++) {
        size_t off = f.off;
        unsigned long sent = f.sent;
        if (!done) {
            int r = be->handshake(c);
            if (r == PTLS_OK) {
                done = 1;
                ptls_conn_info info;
                memset(&info, 0, sizeof info);
                be->get_info(c, &info);
                if (!memchr(info.alpn, 0, sizeof info.alpn) || !memchr(info.sni, 0, sizeof info.sni) ||
                    !memchr(info.group, 0, sizeof info.group) || info.peer_der_len > sizeof info.peer_der)
                    abort();
                continue;
            }
            if (r == PTLS_ERROR || r == PTLS_CLOSED) break;
            if (r != PTLS_WANT_READ && r != PTLS_WANT_WRITE) abort();
        } else {
            long n = be->read(c, buf, sizeof buf);
            if (n > 0) {
                if ((size_t)n > sizeof buf) abort();
                (void)be->pending(c);
                if (!wrote) {
                    long w = be->write(c, (const unsigned char *)reply, sizeof reply - 1);
                    if (w > 0) wrote = 1;
                }
                stall = 0;
                continue;
            }
            if (n == PTLS_CLOSED || n == PTLS_ERROR) break;
            if (n != PTLS_WANT_READ && n != PTLS_WANT_WRITE) abort();
        }
        stall = (f.off == off && f.sent == sent) ? stall + 1 : 0;
    }
    be->last_error(c, err, sizeof err);
    if (!memchr(err, 0, sizeof err)) abort();
    if (verbose)
        fprintf(stderr, "input %zu bytes: consumed %zu, server sent %lu, handshake %s, last error \"%s\"\n",
                size, f.off, f.sent, done ? "done" : "not done", err);
    if (done) (void)be->shutdown(c);
    be->conn_free(c);
    ptls_ch_parser_free(&f.hello);
    free(f.alpn_wire);
    return 0;
}
