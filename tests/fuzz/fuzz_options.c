/* libFuzzer target for the option parser (core/options/options_parse.c) and the
 * capability validation (core/options/capability.c).
 *
 * The input is split on NUL and newline bytes into an argument vector (one
 * argument per line; at most FUZZ_MAX_ARGS). It is parsed with ptls_parse_args
 * and, when that succeeds, validated with ptls_validate against fake
 * backends whose capability tables differ: everything supported, a
 * TLS-1.2-only library, and a table with many refusals and NULL entries.
 * After a successful validation the configuration must be consistent
 * (version range, list lengths, wire buffers inside their storage).
 *
 * Seeds: tests/fuzz/corpus/fuzz_options/ (one option per line).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options/capability.h"
#include "options/options.h"
#include "options/server_opts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_ARGS 512
#define FUZZ_MAX_INPUT 16384

enum { TABLE_ALL, TABLE_TLS12_ONLY, TABLE_SPARSE, TABLE__COUNT };

static const char *caps[TABLE__COUNT][PTLS_CAP__COUNT];

static const char *fake_version(void)
{
    return "FuzzTLS 0.0.1";
}

/* Value-dependent refusals, like a real backend's check_config. */
static int fake_check(const ptls_config *cfg, void (*refuse)(void *, const char *, const char *), void *arg)
{
    int n = 0;
    for (int i = 0; i < cfg->n_group_ids; i++)
        if (cfg->group_ids[i] >= 0x0100 && cfg->group_ids[i] <= 0x01ff) {
            refuse(arg, "-groups (FFDHE)", "FuzzTLS has no FFDHE groups");
            n++;
            break;
        }
    if (cfg->psk && cfg->psk_len < 16) {
        refuse(arg, "-psk", "FuzzTLS wants at least 16 bytes of PSK");
        n++;
    }
    if (cfg->n_cipher_ids > 64) {
        refuse(arg, "-cipher", "FuzzTLS takes at most 64 suites");
        n++;
    }
    return n;
}

static ptls_backend fakes[TABLE__COUNT];
static ptls_server_opts opts;
static FILE *devnull;

static void init_tables(void)
{
    for (int i = 0; i < PTLS_CAP__COUNT; i++) {
        caps[TABLE_ALL][i] = PTLS_SUPPORTED;
        caps[TABLE_TLS12_ONLY][i] = PTLS_SUPPORTED;
        /* Every third refused with a reason, every seventh unlisted. */
        caps[TABLE_SPARSE][i] = i % 7 == 0   ? NULL
                                : i % 3 == 0 ? "refused by the sparse fuzz table"
                                             : PTLS_SUPPORTED;
    }
    caps[TABLE_TLS12_ONLY][PTLS_CAP_TLS1_3] = "FuzzTLS has no TLS 1.3";
    caps[TABLE_TLS12_ONLY][PTLS_CAP_KEYLOG_TLS13] = "no TLS 1.3";
    caps[TABLE_TLS12_ONLY][PTLS_CAP_PSK_TLS13] = "no TLS 1.3";
    caps[TABLE_TLS12_ONLY][PTLS_CAP_OCSP_STAPLE_TLS13] = "no TLS 1.3";
    caps[TABLE_TLS12_ONLY][PTLS_CAP_EARLY_DATA] = "no TLS 1.3";
    caps[TABLE_TLS12_ONLY][PTLS_CAP_CIPHER_STRING] = "no OpenSSL cipher strings";
    for (int t = 0; t < TABLE__COUNT; t++) {
        fakes[t].abi = PTLS_BACKEND_ABI;
        fakes[t].name = "fuzz";
        /* The sparse table pretends to be a module built against an
         * older caps.h that knows fewer capabilities. */
        fakes[t].cap_count = t == TABLE_SPARSE ? PTLS_CAP__COUNT - 3 : PTLS_CAP__COUNT;
        fakes[t].caps = caps[t];
        fakes[t].library_version = fake_version;
        fakes[t].check_config = t == TABLE_ALL ? NULL : fake_check;
    }
}

static int valid_version(int v)
{
    return v >= PTLS_TLS1_0 && v <= PTLS_TLS1_3;
}

static void check_consistent(const ptls_server_opts *o)
{
    const ptls_config *c = &o->tls;
    if (c->dtls) {
        /* DTLS wire numbers decrease as versions increase (-dtls1_3 gives
         * PTLS_DTLS1_3). */
        if ((c->min_version != PTLS_DTLS1_0 && c->min_version != PTLS_DTLS1_2 &&
             c->min_version != PTLS_DTLS1_3) ||
            (c->max_version != PTLS_DTLS1_0 && c->max_version != PTLS_DTLS1_2 &&
             c->max_version != PTLS_DTLS1_3) ||
            c->min_version < c->max_version)
            abort();
    } else if (!valid_version(c->min_version) || !valid_version(c->max_version) ||
               c->min_version > c->max_version) {
        abort();
    }
    if (c->n_cipher_ids < -1 || c->n_cipher_ids > PTLS_MAX_CIPHERS) abort();
    if (c->n_tls13_ids < 0 || c->n_tls13_ids > 16) abort();
    if (c->n_group_ids < 0 || c->n_group_ids > 32 || c->n_sigalg_ids < 0 || c->n_sigalg_ids > 32 ||
        c->n_client_sigalg_ids < 0 || c->n_client_sigalg_ids > 32)
        abort();
    if (c->alpn_wire && (c->alpn_wire != o->alpn_buf || c->alpn_wire_len > sizeof o->alpn_buf)) abort();
    if (c->npn_wire && (c->npn_wire != o->npn_buf || c->npn_wire_len > sizeof o->npn_buf)) abort();
    if (c->psk && (c->psk != o->psk_buf || c->psk_len == 0 || c->psk_len > sizeof o->psk_buf)) abort();
    if (c->alpn_wire) /* well-formed wire format */
        for (size_t i = 0; i < c->alpn_wire_len; i += 1 + (size_t)c->alpn_wire[i])
            if (c->alpn_wire[i] == 0 || i + 1 + c->alpn_wire[i] > c->alpn_wire_len) abort();
    if (c->n_cipher_ids > 0 && (!c->cipher_string || !*c->cipher_string)) abort();
    if (!c->nocert && !c->cert.cert) abort();
    if (memchr(o->cmdline, 0, sizeof o->cmdline) == NULL) abort();
    if (o->n_given < 0 || o->n_given > PTLS_MAX_GIVEN) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char buf[FUZZ_MAX_INPUT + 1];
    static char *argv[FUZZ_MAX_ARGS + 1];
    static char err[1024];
    if (!devnull) {
        devnull = fopen("/dev/null", "w");
        if (!devnull) abort();
        init_tables();
    }
    if (size > FUZZ_MAX_INPUT) return -1; /* not worth keeping in the corpus */
    memcpy(buf, data, size);
    buf[size] = 0;
    int argc = 0;
    char *p = buf, *end = buf + size;
    while (p <= end && argc < FUZZ_MAX_ARGS) {
        char *q = p;
        while (q < end && *q && *q != '\n')
            q++;
        *q = 0;
        if (q == end && p == q) break; /* no empty last argument */
        argv[argc++] = p;
        p = q + 1;
    }
    argv[argc] = NULL;

    for (int t = 0; t < TABLE__COUNT; t++) {
        err[0] = 0;
        int rc = ptls_parse_args(argc, argv, &opts, err, sizeof err);
        if (rc != PTLS_EXIT_OK && rc != PTLS_EXIT_USAGE) abort();
        if (rc != PTLS_EXIT_OK) {
            if (!err[0] || !memchr(err, 0, sizeof err)) abort(); /* every usage error has a message */
            return 0;                                            /* same for every table */
        }
        if (opts.help) return 0;
        rc = ptls_validate(&opts, &fakes[t], devnull);
        if (rc == PTLS_EXIT_OK)
            check_consistent(&opts);
        else if (rc != PTLS_EXIT_USAGE && rc != PTLS_EXIT_CAPABILITY)
            abort();
        (void)ptls_opt_given(&opts, OPTID_CIPHER);
    }
    return 0;
}
