/* The skeleton backend: every op a backend must have, refusing everything.
 * Copy this folder to backends/NAME/ and follow "How to add a backend" in
 * docs/architecture.md. The module includes only polytls/backend.h (and its
 * library's headers), exports only polytls_backend_v1, and links nothing of
 * the core: it reaches the core through the ptls_host it is given. */
#include <stdio.h>

#include "polytls/backend.h"

/* Indexed by enum ptls_cap (polytls/caps.h). A missing entry is refused
 * with a generic reason; mark what the library can do and a test proves,
 * e.g. [PTLS_CAP_TLS1_3] = PTLS_SUPPORTED, and give the reason for the rest. */
static const char *const skel_caps[PTLS_CAP__COUNT] = {
    [PTLS_CAP_TLS1_3] = "the skeleton backend implements nothing",
};

static const ptls_host *skel_host;

static const char *skel_library_version(void)
{
    return "skeleton 0";
}

static int skel_global_init(const ptls_host *host, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    skel_host = host;
    return 0;
}

static void skel_global_cleanup(void)
{
    skel_host = NULL;
}

static void *skel_server_new(const ptls_config *cfg, char *err, size_t errlen)
{
    (void)cfg;
    snprintf(err, errlen, "the skeleton backend cannot make a server context");
    return NULL;
}

static void skel_server_free(void *server)
{
    (void)server;
}

static void *skel_conn_new(void *server, const ptls_io *io, char *err, size_t errlen)
{
    (void)server;
    (void)io;
    snprintf(err, errlen, "the skeleton backend cannot make a connection");
    return NULL;
}

static int skel_handshake(void *conn)
{
    (void)conn;
    return PTLS_ERROR;
}

static long skel_read(void *conn, unsigned char *buf, size_t len)
{
    (void)conn;
    (void)buf;
    (void)len;
    return PTLS_ERROR;
}

static long skel_write(void *conn, const unsigned char *buf, size_t len)
{
    (void)conn;
    (void)buf;
    (void)len;
    return PTLS_ERROR;
}

static int skel_shutdown(void *conn)
{
    (void)conn;
    return PTLS_ERROR;
}

static size_t skel_pending(void *conn)
{
    (void)conn;
    return 0;
}

static void skel_get_info(void *conn, ptls_conn_info *info)
{
    (void)conn;
    (void)info; /* leave what is unknown as the core preset it */
}

static void skel_last_error(void *conn, char *buf, size_t len)
{
    (void)conn;
    snprintf(buf, len, "the skeleton backend implements nothing");
}

static void skel_conn_free(void *conn)
{
    (void)conn;
}

/* Designated initialisers: an op left out is NULL, which the core reads as
 * "this backend cannot do that" for every optional op (renegotiate,
 * key_update, dtls_accept, ...). */
static const ptls_backend skel_backend = {
    .abi = PTLS_BACKEND_ABI,
    .name = PTLS_BACKEND_NAME, /* "skeleton", or "skeleton@1.2.3" for a flavour (set by CMake) */
    .prefix = "skel",
    .cap_count = PTLS_CAP__COUNT,
    .caps = skel_caps,
    .library_version = skel_library_version,
    .global_init = skel_global_init,
    .global_cleanup = skel_global_cleanup,
    .server_new = skel_server_new,
    .server_free = skel_server_free,
    .conn_new = skel_conn_new,
    .handshake = skel_handshake,
    .read = skel_read,
    .write = skel_write,
    .shutdown = skel_shutdown,
    .pending = skel_pending,
    .get_info = skel_get_info,
    .last_error = skel_last_error,
    .conn_free = skel_conn_free,
};

__attribute__((visibility("default"))) const ptls_backend *polytls_backend_v1(void);

__attribute__((visibility("default"))) const ptls_backend *polytls_backend_v1(void)
{
    return &skel_backend;
}
