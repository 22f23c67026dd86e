/* polytls compare: see compare_cmd.h. */
#include "compare_cmd.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "build_config.h"
#include "compare.h"
#include "compare_cert.h"
#include "compare_corpus.h"
#include "compare_input.h"
#include "compare_output.h"
#include "compare_run.h"
#include "module/backend_loader.h"
#include "options/server_opts.h"

#define MAX_FLAVOURS 32

static const char usage_text[] =
    "Usage: polytls compare [options] [s_server options] -- INPUT\n"
    "       polytls compare [options] [s_server options] --case NAME\n"
    "       polytls compare [options] [s_server options] --corpus\n"
    "       polytls compare --list | --dump NAME\n\n"
    "Starts `polytls s_server -backend B -accept 127.0.0.1:0 -naccept 1` with the same options for\n"
    "every built backend and flavour, drives the same input at each and shows what each server\n"
    "answered, side by side; rows that differ are marked (*; ~ for framing that is not compared).\n\n"
    "INPUT:\n"
    "  CLIENT COMMAND...     run once per flavour with {host} and {port} replaced (stdin /dev/null),\n"
    "                        e.g. -- openssl s_client -connect {host}:{port} -tls1_2\n"
    "  FILE                  a ClientHello: hex dump, binary records, or a pcap/pcapng capture\n"
    "                        (its first ClientHello), sent by the built-in raw sender\n"
    "  --case NAME           a ClientHello of the built-in corpus (--list shows them)\n"
    "  --corpus              every corpus case: a case x flavour matrix\n\n"
    "Options:\n"
    "  -backends LIST        comma-separated backends/flavours (default: every one built)\n"
    "  -json FILE            the results as JSON (- for stdout)\n"
    "  -jobs N               flavours run at a time (1 or 2, default 2)\n"
    "  -timeout MS           per run: wait for the answer or the client command (default 3000;\n"
    "                        client commands default 15000)\n"
    "  -quiet_ms MS          TLS 1.3: the first flight ends after MS ms without bytes (default 250)\n"
    "  -color, -no_color     mark differing rows in colour (default: when stdout is a terminal)\n"
    "  --list                the corpus cases\n"
    "  --dump NAME           a corpus case's bytes as hex\n\n"
    "Any other option goes to every s_server (not -backend, -accept, -port, -naccept, -unix, -dtls*).\n"
    "Unless -cert or -nocert is given, every flavour serves the same built-in RSA-2048 certificate.\n\n"
    "Exit: 0 every flavour answered alike, 1 they differ, 2 usage error, 3 a flavour refused the\n"
    "options with a capability error (the others still run; the table says why).\n";

const char *ptls_compare_usage(void)
{
    return usage_text;
}

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "polytls compare: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\npolytls compare: use -help for a summary\n");
    return PTLS_EXIT_USAGE;
}

/* ---- the job queue: (input, flavour) pairs, run by up to 2 threads ---- */

typedef struct job_queue {
    pthread_mutex_t mu;
    int next, total, n_flavours;
    const cmp_settings *s;
    const cmp_input *ins;
    const char *const *flavours;
    cmp_result *rs;
    int progress; /* print a dot per run on stderr */
} job_queue;

static void *worker(void *arg)
{
    job_queue *q = arg;
    for (;;) {
        pthread_mutex_lock(&q->mu);
        int k = q->next < q->total ? q->next++ : -1;
        pthread_mutex_unlock(&q->mu);
        if (k < 0) return NULL;
        int c = k / q->n_flavours, f = k % q->n_flavours;
        cmp_run(q->s, &q->ins[c], q->flavours[f], &q->rs[k]);
        if (q->progress) {
            pthread_mutex_lock(&q->mu);
            fputc('.', stderr);
            fflush(stderr);
            pthread_mutex_unlock(&q->mu);
        }
    }
}

static void run_all(job_queue *q, int jobs)
{
    pthread_t t[2];
    int n = jobs > 1 && q->total > 1 ? 2 : 1;
    int started = 0;
    for (int i = 0; i < n; i++)
        if (pthread_create(&t[i], NULL, worker, q) == 0) started++;
    if (!started) worker(q);
    for (int i = 0; i < started; i++)
        pthread_join(t[i], NULL);
}

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    fputs(text, f);
    return fclose(f);
}

static void json_document(FILE *out, const cmp_input *ins, int n_cases, const cmp_result *rs, int n_flavours,
                          const char *const *flavours, const char *libs[], int corpus,
                          char *const *server_args, int n_server_args, double secs, int jobs)
{
    ptls_json j = {0};
    ptls_json_open(&j);
    ptls_json_str(&j, "polytls", POLYTLS_VERSION);
    ptls_json_str(&j, "kind", corpus ? "corpus" : "single");
    ptls_json_int(&j, "runs", (long long)n_cases * n_flavours);
    ptls_json_int(&j, "jobs", jobs);
    ptls_json_int(&j, "wall_ms", (long long)(secs * 1000));
    ptls_json_array_open(&j, "server_args");
    for (int i = 0; i < n_server_args; i++)
        ptls_json_elem_str(&j, server_args[i]);
    ptls_json_array_close(&j);
    ptls_json_array_open(&j, "flavours");
    for (int i = 0; i < n_flavours; i++) {
        ptls_json_object_open(&j, NULL);
        ptls_json_str(&j, "name", flavours[i]);
        const char *lib = libs[i];
        for (int c = 0; c < n_cases && (!lib || !lib[0]); c++)
            lib = rs[(size_t)c * (size_t)n_flavours + (size_t)i].library;
        ptls_json_str(&j, "library", lib ? lib : "");
        ptls_json_close(&j);
    }
    ptls_json_array_close(&j);
    fprintf(out, "%.*s,\"cases\":[\n", (int)ptls_buf_size(&j.b), (char *)ptls_buf_head(&j.b));
    ptls_json_free(&j);
    for (int c = 0; c < n_cases; c++) {
        ptls_json cj = {0};
        char repro[512];
        if (corpus || ins[c].kind == CMP_INPUT_BYTES) {
            if (cmp_corpus_find(ins[c].name) >= 0)
                snprintf(repro, sizeof repro, "polytls compare --case %s", ins[c].name);
            else
                snprintf(repro, sizeof repro, "polytls compare -- %s", ins[c].name);
        } else {
            snprintf(repro, sizeof repro, "polytls compare -- %s", ins[c].name);
        }
        cmp_json_case(&cj, &ins[c], &rs[(size_t)c * (size_t)n_flavours], n_flavours, repro);
        fprintf(out, "%.*s%s\n", (int)ptls_buf_size(&cj.b), (char *)ptls_buf_head(&cj.b),
                c + 1 < n_cases ? "," : "");
        ptls_json_free(&cj);
    }
    fprintf(out, "]}\n");
}

/* What compare_main allocated, freed on every way out by ptls_cmd_compare. */
static struct {
    char **sargs;
    char *blist;
    cmp_input *ins;
    int n_inputs;
    cmp_result *rs;
} own;

static int compare_main(int argc, char **argv)
{
    const char *backends = NULL, *json = NULL, *case_name = NULL, *dump = NULL;
    int corpus = 0, list = 0, jobs = 2, timeout = -1, quiet = 250, color = -1;
    char **sargs = own.sargs = calloc((size_t)argc + 1, sizeof *sargs);
    int n_sargs = 0, input_at = -1;
    static const char *forbidden[] = {"-backend", "-accept",  "-port",   "-naccept", "-unix", "-dtls",
                                      "-dtls1",   "-dtls1_2", "-listen", "-workers", NULL};
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (strcmp(a, "--") == 0) {
            input_at = i + 1;
            break;
        } else if (strcmp(a, "-help") == 0 || strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_text, stdout);
            return PTLS_EXIT_OK;
        } else if (strcmp(a, "-backends") == 0 && more) {
            backends = argv[++i];
        } else if (strcmp(a, "-json") == 0 && more) {
            json = argv[++i];
        } else if (strcmp(a, "-jobs") == 0 && more) {
            jobs = atoi(argv[++i]);
            if (jobs < 1 || jobs > 2) return usage_error("-jobs takes 1 or 2, not %s", argv[i]);
        } else if (strcmp(a, "-timeout") == 0 && more) {
            timeout = atoi(argv[++i]);
            if (timeout < 100 || timeout > 600000)
                return usage_error("-timeout %s: 100 to 600000 ms", argv[i]);
        } else if (strcmp(a, "-quiet_ms") == 0 && more) {
            quiet = atoi(argv[++i]);
            if (quiet < 20 || quiet > 10000) return usage_error("-quiet_ms %s: 20 to 10000 ms", argv[i]);
        } else if (strcmp(a, "-color") == 0) {
            color = 1;
        } else if (strcmp(a, "-no_color") == 0) {
            color = 0;
        } else if (strcmp(a, "--case") == 0 && more) {
            case_name = argv[++i];
        } else if (strcmp(a, "--corpus") == 0) {
            corpus = 1;
        } else if (strcmp(a, "--list") == 0) {
            list = 1;
        } else if (strcmp(a, "--dump") == 0 && more) {
            dump = argv[++i];
        } else {
            for (int k = 0; forbidden[k]; k++)
                if (strcmp(a, forbidden[k]) == 0) {
                    return usage_error("%s is set by compare itself (each child listens on 127.0.0.1:0, "
                                       "-naccept 1)",
                                       a);
                }
            if (strncmp(a, "--", 2) == 0) {
                return usage_error("unknown option %s", a);
            }
            sargs[n_sargs++] = argv[i];
        }
    }

    if (list) {
        for (int i = 0; i < cmp_corpus_count(); i++)
            printf("%-36s %s\n", cmp_corpus_name(i), cmp_corpus_description(i));
        return PTLS_EXIT_OK;
    }
    if (dump) {
        int i = cmp_corpus_find(dump);
        if (i < 0) return usage_error("no corpus case %s (--list shows them)", dump);
        cmp_input in;
        cmp_corpus_input(i, &in);
        for (size_t k = 0; k < ptls_buf_size(&in.bytes); k++)
            printf("%02x%s", ptls_buf_head(&in.bytes)[k], (k + 1) % 32 ? "" : "\n");
        if (ptls_buf_size(&in.bytes) % 32) printf("\n");
        ptls_buf_free(&in.bytes);
        return PTLS_EXIT_OK;
    }
    int n_inputs_given = (input_at >= 0) + (case_name != NULL) + corpus;
    if (n_inputs_given != 1) {
        return usage_error("%s", n_inputs_given
                                     ? "give one INPUT: -- INPUT, --case NAME or --corpus"
                                     : "no INPUT: -- CLIENT COMMAND, -- FILE, --case NAME or --corpus");
    }
    if (input_at >= 0 && input_at >= argc) {
        return usage_error("%s", "nothing after --");
    }

    /* The s_server options must parse (a usage error is the same on every backend). */
    static ptls_server_opts o;
    char err[2048];
    if (ptls_parse_args(n_sargs, sargs, &o, err, sizeof err) != 0) {
        fprintf(stderr, "polytls compare: s_server options: %s\n", err);
        return PTLS_EXIT_USAGE;
    }

    /* Flavours: every built one, or -backends. */
    const char *flavours[MAX_FLAVOURS];
    int n_flavours = 0;
    char *blist = own.blist = backends ? strdup(backends) : NULL;
    if (blist) {
        char *save = NULL;
        for (char *t = strtok_r(blist, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
            const char *name = ptls_backend_resolve(t, err, sizeof err);
            if (!name) {
                fprintf(stderr, "polytls compare: -backends: %s\n", err);
                return PTLS_EXIT_USAGE;
            }
            if (n_flavours < MAX_FLAVOURS) flavours[n_flavours++] = name;
        }
    } else {
        for (int i = 0; i < ptls_backend_count() && n_flavours < MAX_FLAVOURS; i++)
            flavours[n_flavours++] = ptls_backend_name(i);
    }
    if (n_flavours == 0) {
        return usage_error("%s", "no backend to compare");
    }
    /* Library versions; by default a module that does not load is left out
     * (as `polytls backends` leaves it out), named with -backends it gets a
     * column saying why its server failed. */
    const char *libs[MAX_FLAVOURS];
    int kept = 0;
    for (int i = 0; i < n_flavours; i++) {
        const ptls_backend *be = ptls_backend_load(flavours[i], err, sizeof err);
        if (!be && !backends) {
            fprintf(stderr, "polytls compare: leaving out %s: %s\n", flavours[i], err);
            continue;
        }
        libs[kept] = be ? be->library_version() : NULL;
        flavours[kept++] = flavours[i];
    }
    n_flavours = kept;
    if (n_flavours == 0) {
        fprintf(stderr, "polytls compare: no backend module loads\n");
        return PTLS_EXIT_RUNTIME;
    }

    /* Inputs. */
    int n_inputs = corpus ? cmp_corpus_count() : 1;
    cmp_input *ins = own.ins = calloc((size_t)n_inputs, sizeof *ins);
    own.n_inputs = n_inputs;
    char label[1024];
    int rc_setup = 0;
    if (corpus) {
        for (int i = 0; i < n_inputs; i++)
            cmp_corpus_input(i, &ins[i]);
    } else if (case_name) {
        int i = cmp_corpus_find(case_name);
        if (i < 0) {
            rc_setup = usage_error("no corpus case %s (--list shows them)", case_name);
        } else {
            cmp_corpus_input(i, &ins[0]);
        }
    } else {
        int n_in = argc - input_at;
        struct stat st;
        const char *first = argv[input_at];
        if (n_in == 1 && !strstr(first, "{port}") && stat(first, &st) == 0 && S_ISREG(st.st_mode)) {
            const char *kind = NULL;
            if (cmp_load_hello_file(first, &ins[0].bytes, &kind, err, sizeof err) != 0) {
                fprintf(stderr, "polytls compare: %s\n", err);
                rc_setup = PTLS_EXIT_USAGE;
            }
            ins[0].kind = CMP_INPUT_BYTES;
            ins[0].name = first;
            snprintf(label, sizeof label, "ClientHello from %s (%s, %zu bytes)", first, kind ? kind : "?",
                     ptls_buf_size(&ins[0].bytes));
            ins[0].description = label;
        } else {
            ins[0].kind = CMP_INPUT_COMMAND;
            ins[0].argv = argv + input_at;
            ins[0].argc = n_in;
            ins[0].use_shell = n_in == 1 && strpbrk(first, " \t|;&<>") != NULL;
            size_t o2 = 0;
            for (int i = 0; i < n_in && o2 < sizeof label; i++)
                o2 +=
                    (size_t)snprintf(label + o2, sizeof label - o2, "%s%s", i ? " " : "", argv[input_at + i]);
            ins[0].name = label;
            ins[0].description = "client command";
            if (!strstr(label, "{port}"))
                fprintf(stderr, "polytls compare: warning: the client command has no {port} placeholder\n");
        }
    }
    if (rc_setup) {
        return rc_setup;
    }

    /* Scratch: the built-in certificate. */
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp) tmp = "/tmp";
    char dir[PATH_MAX], cert[PATH_MAX + 16], key[PATH_MAX + 16], self[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/polytls-compare-XXXXXX", tmp);
    if (!mkdtemp(dir)) {
        fprintf(stderr, "polytls compare: mkdtemp %s: %s\n", dir, strerror(errno));
        return PTLS_EXIT_RUNTIME;
    }
    cert[0] = key[0] = 0;
    if (!o.cert_given && !o.tls.nocert) {
        snprintf(cert, sizeof cert, "%s/cert.pem", dir);
        snprintf(key, sizeof key, "%s/key.pem", dir);
        if (write_file(cert, cmp_cert_pem) != 0 || write_file(key, cmp_key_pem) != 0) {
            fprintf(stderr, "polytls compare: cannot write %s: %s\n", cert, strerror(errno));
            return PTLS_EXIT_RUNTIME;
        }
        chmod(key, 0600);
    }
    ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);
    if (sl <= 0) {
        fprintf(stderr, "polytls compare: cannot find its own executable\n");
        return PTLS_EXIT_RUNTIME;
    }
    self[sl] = 0;

    cmp_settings s = {
        .self = self,
        .server_args = sargs,
        .n_server_args = n_sargs,
        .cert = cert,
        .key = key,
        .timeout_ms = timeout > 0 ? timeout : (ins[0].kind == CMP_INPUT_COMMAND ? 15000 : 3000),
        .quiet_ms = quiet,
        .tmpdir = tmp,
    };
    cmp_result *rs = own.rs = calloc((size_t)n_inputs * (size_t)n_flavours, sizeof *rs);
    job_queue q = {.next = 0,
                   .total = n_inputs * n_flavours,
                   .n_flavours = n_flavours,
                   .s = &s,
                   .ins = ins,
                   .flavours = flavours,
                   .rs = rs,
                   .progress = corpus && isatty(2)};
    pthread_mutex_init(&q.mu, NULL);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    run_all(&q, jobs);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (q.progress) fputc('\n', stderr);
    pthread_mutex_destroy(&q.mu);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;

    if (cert[0]) {
        unlink(cert);
        unlink(key);
    }
    rmdir(dir);

    /* Output. */
    if (color < 0) color = isatty(1) && !getenv("NO_COLOR");
    int to_stdout_json = json && strcmp(json, "-") == 0;
    if (!to_stdout_json) {
        if (corpus) {
            cmp_print_matrix(stdout, ins, n_inputs, rs, n_flavours, color);
            printf("(%d runs in %.1f s)\n", n_inputs * n_flavours, secs);
        } else {
            if (ins[0].kind == CMP_INPUT_COMMAND)
                printf("input: client command: %s\n", ins[0].name);
            else
                printf("input: %s - %s\n", ins[0].name, ins[0].description);
            if (n_sargs) {
                printf("s_server options:");
                for (int i = 0; i < n_sargs; i++)
                    printf(" %s", sargs[i]);
                printf("\n");
            }
            printf("\n");
            cmp_print_table(stdout, &ins[0], rs, n_flavours, color);
        }
    }
    if (json) {
        FILE *jf = to_stdout_json ? stdout : fopen(json, "w");
        if (!jf) {
            fprintf(stderr, "polytls compare: %s: %s\n", json, strerror(errno));
        } else {
            json_document(jf, ins, n_inputs, rs, n_flavours, flavours, libs, corpus, sargs, n_sargs, secs,
                          jobs);
            if (!to_stdout_json) fclose(jf);
        }
    }

    int refused = 0, differs = 0;
    for (int c = 0; c < n_inputs; c++) {
        const cmp_result *row = &rs[(size_t)c * (size_t)n_flavours];
        for (int i = 0; i < n_flavours; i++)
            refused |= row[i].status == CMP_REFUSED;
        differs |= cmp_differs(&ins[c], row, n_flavours, NULL, 0);
    }
    int all_usage = 1;
    for (int i = 0; i < n_inputs * n_flavours; i++)
        all_usage &= rs[i].status == CMP_USAGE;
    if (all_usage) return PTLS_EXIT_USAGE;
    if (refused) return PTLS_EXIT_CAPABILITY;
    return differs ? 1 : 0;
}

int ptls_cmd_compare(int argc, char **argv)
{
    int rc = compare_main(argc, argv);
    for (int i = 0; own.ins && i < own.n_inputs; i++)
        ptls_buf_free(&own.ins[i].bytes);
    free(own.ins);
    free(own.rs);
    free(own.blist);
    free(own.sargs);
    memset(&own, 0, sizeof own);
    return rc;
}
