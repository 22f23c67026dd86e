/* Everything `polytls s_server` was asked to do: the core's own settings
 * plus the ptls_config handed to the backend. Filled by options_parse.c,
 * completed by ptls_validate (capability.c), consumed by loop/server.c. */
#ifndef PTLS_SERVER_OPTS_H
#define PTLS_SERVER_OPTS_H

#include <stddef.h>
#include <stdio.h>

#include "polytls/config.h"

/* Exit codes (README "Exit codes"). */
enum { PTLS_EXIT_OK = 0, PTLS_EXIT_RUNTIME = 1, PTLS_EXIT_USAGE = 2, PTLS_EXIT_CAPABILITY = 3 };

enum ptls_mode { MODE_ECHO, MODE_WWW, MODE_WWW_FILES, MODE_HTTP, MODE_REV };

typedef struct ptls_given_opt {
    int id;            /* enum ptls_opt_id */
    const char *value; /* NULL for flags */
} ptls_given_opt;

#define PTLS_MAX_GIVEN 256

typedef struct ptls_server_opts {
    const char *backend; /* NULL: POLYTLS_BACKEND or the default */
    int help;

    /* Listening */
    char host[256]; /* "" = any */
    char port[32];
    const char *unix_path;
    int unlink_unix;
    int family; /* AF_UNSPEC, AF_INET, AF_INET6 */
    int tfo;
    long naccept; /* -1: unlimited */

    /* Behaviour */
    int mode; /* enum ptls_mode */
    int quiet, brief, crlf, no_ign_eof, verify_quiet;
    const char *keylogfile;
    int msg, debug, tlsextdebug;
    const char *msgfile;
    const char *json; /* -json FILE, "-" = stdout */
    const char *keymatexport;
    int keymatexportlen;
    int handshake_timeout; /* seconds */
    int idle_timeout;      /* seconds, 0 = none */
    int max_conns;
    int workers; /* processes sharing the port (SO_REUSEPORT) */
    int allow_expired_cert;

    /* Secrets are resolved after validation (pass_src -> tls.cert.pass). */
    const char *pass_src, *dpass_src;

    /* Versions as given, resolved by ptls_validate into tls.min/max_version. */
    int proto_flag;       /* -tls1..-tls1_3: that version, else 0 */
    int dtls_flag;        /* -dtls1/-dtls1_2: that DTLS version; -dtls: 0 */
    int min_proto_given;  /* -min_protocol value, else 0 */
    int max_proto_given;  /* -max_protocol value, else 0 */
    unsigned no_versions; /* bit (v - 0x0300) for each -no_tlsX */

    int cert_given; /* -cert was on the command line */

    ptls_config tls;

    ptls_given_opt given[PTLS_MAX_GIVEN];
    int n_given;

    /* The command line, with secrets replaced, for the -www page. */
    char cmdline[2048];

    /* Storage the config points into. */
    unsigned char alpn_buf[1024], npn_buf[1024], psk_buf[512];
    char pass_buf[1024], dpass_buf[1024];
    char cipher_buf[PTLS_MAX_CIPHERS * 48];
} ptls_server_opts;

/* Parse `s_server` arguments (argv[0] is the first option). Returns
 * PTLS_EXIT_OK, or PTLS_EXIT_USAGE with a message in err. */
int ptls_parse_args(int argc, char **argv, ptls_server_opts *o, char *err, size_t errlen);

/* Print the grouped option summary (s_server -help style). */
void ptls_print_help(FILE *out);

/* Whether option id appears on the command line. */
int ptls_opt_given(const ptls_server_opts *o, int id);

/* Resolve a -pass style source (pass:, env:, file:, fd:, stdin) into buf.
 * Returns 0, or -1 with a message in err that never contains the secret. */
int ptls_resolve_pass(const char *src, char *buf, size_t buflen, char *err, size_t errlen);

#endif
