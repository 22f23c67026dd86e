/* polytls compare: the same input against every backend and flavour, the
 * server's answers side by side (issue #20). Types shared by the files of
 * cli/compare/:
 *
 *   compare_cmd.c     the command: arguments, jobs, exit status
 *   compare_run.c     one flavour x one input: the s_server child, the raw
 *                     sender or the client command behind a recording relay
 *   compare_corpus.c  the built-in ClientHello cases (core/wire/clienthello_build.c)
 *   compare_output.c  fields, the side-by-side table, the corpus matrix, JSON
 *   compare_input.c   INPUT files: hex, binary, pcap/pcapng
 */
#ifndef PTLS_COMPARE_H
#define PTLS_COMPARE_H

#include <stddef.h>

#include "base/buffer.h"
#include "wire/server_flight.h"

/* What drives the server. */
enum cmp_input_kind { CMP_INPUT_BYTES, CMP_INPUT_COMMAND };

typedef struct cmp_input {
    int kind;
    const char *name;        /* corpus case name, or a label for the input */
    const char *description; /* one line */
    ptls_buf bytes;          /* CMP_INPUT_BYTES: the ClientHello records as sent */
    char **argv;             /* CMP_INPUT_COMMAND: argv ({host} {port} substituted per run) */
    int argc;
    int use_shell;              /* argv[0] is one shell command line */
    const char *server_args[8]; /* extra s_server options of a corpus case */
    int n_server_args;
} cmp_input;

/* How a run ended. */
enum cmp_status {
    CMP_RAN = 0,  /* the input was driven at the server */
    CMP_REFUSED,  /* the s_server child exited 3: a capability error (reason) */
    CMP_USAGE,    /* the s_server child exited 2 (reason) */
    CMP_NO_SERVER /* the child failed otherwise or printed no ACCEPT line (reason) */
};

enum cmp_end {
    CMP_END_NONE,
    CMP_END_FLIGHT,
    CMP_END_QUIET,
    CMP_END_CLOSE,
    CMP_END_RESET,
    CMP_END_TIMEOUT,
    CMP_END_CLIENT_EXIT
};

typedef struct cmp_result {
    const char *flavour;
    int status; /* enum cmp_status */
    char reason[512];
    int server_exit; /* child's exit code, -1 killed/unknown */
    int server_killed;

    /* what the server sent (raw sender, or through the relay) */
    ptls_server_flight flight;
    int end;      /* enum cmp_end */
    int sent_all; /* raw sender: the whole hello was written */

    /* client command */
    int client_exit; /* -1: timed out and killed */

    /* the server's -json events */
    char library[128];
    int handshake_done;
    char hs_version[16], hs_cipher[80], hs_group[40], hs_alpn[64], hs_resumed[8], hs_verify[16],
        hs_sigscheme[48];
    char error[48], error_stage[24];
    char alert_sent[48];
    char client_hello_error[64];
} cmp_result;

typedef struct cmp_settings {
    const char *self;   /* path of the polytls executable */
    char **server_args; /* s_server options from the command line */
    int n_server_args;
    const char *cert, *key; /* the built-in certificate, written to a temp dir ("" when -cert given) */
    int timeout_ms;         /* per run: answer / client command */
    int quiet_ms;           /* TLS 1.3: quiet period that ends the flight */
    const char *tmpdir;
} cmp_settings;

#endif
