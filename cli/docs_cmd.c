/* `polytls docs KIND`: reference material generated from the option table
 * (the single source of truth) and the compiled backends' capability
 * tables: man pages, bash completion, the per-backend option reference. */
#include "docs_cmd.h"

#include <stdio.h>
#include <string.h>

#include "module/backend_loader.h"
#include "build_config.h"
#include "options/capability.h"
#include "options/options.h"
#include "options/server_opts.h"

#define MAX_BACKENDS 16

static const ptls_backend *backends[MAX_BACKENDS];
static int n_backends;

static int load_backends(void)
{
    for (int i = 0; i < ptls_backend_count() && n_backends < MAX_BACKENDS; i++) {
        char err[1024];
        const ptls_backend *be = ptls_backend_load(ptls_backend_name(i), err, sizeof err);
        if (!be) {
            fprintf(stderr, "polytls docs: %s\n", err);
            return -1;
        }
        backends[n_backends++] = be;
    }
    return 0;
}

/* roff: escape backslashes and '-', and protect a leading '.' or '\''. */
static void roff(FILE *out, const char *s)
{
    if (*s == '.' || *s == '\'') fputs("\\&", out);
    for (; *s; s++) {
        if (*s == '\\')
            fputs("\\e", out);
        else if (*s == '-')
            fputs("\\-", out);
        else
            fputc(*s, out);
    }
}

static void man_header(FILE *out, const char *name, const char *summary)
{
    fprintf(out, ".TH \"");
    for (const char *p = name; *p; p++)
        fputc(*p >= 'a' && *p <= 'z' ? *p - 32 : *p, out);
    fprintf(out, "\" 1 \"\" \"polytls %s\" \"polytls manual\"\n.SH NAME\n", POLYTLS_VERSION);
    roff(out, name);
    fputs(" \\- ", out);
    roff(out, summary);
    fputc('\n', out);
}

static void man_backend_support(FILE *out, const ptls_option *opt)
{
    if (opt->cap == PTLS_CAP_NONE) {
        fputs(".br\nAll backends (implemented by the polytls core).\n", out);
        return;
    }
    if (opt->cap == PTLS_CAP_UNIMPLEMENTED) {
        fputs(".br\nNot implemented by polytls yet: refused with a capability error (exit 3) on every "
              "backend.\n",
              out);
        return;
    }
    int cap13 = ptls_cap_tls13_variant(opt->cap);
    fputs(".br\nWorks on:", out);
    int any = 0;
    for (int b = 0; b < n_backends; b++)
        if (!ptls_cap_refusal(backends[b], opt->cap)) {
            fprintf(out, "%s %s%s", any ? "," : "", backends[b]->name,
                    cap13 >= 0 && ptls_cap_refusal(backends[b], cap13) ? " (TLS 1.2 only)" : "");
            any = 1;
        }
    fputs(any ? ".\n" : " none of the compiled backends.\n", out);
    for (int b = 0; b < n_backends; b++) {
        const char *why = ptls_cap_refusal(backends[b], opt->cap);
        const char *why13 = cap13 >= 0 ? ptls_cap_refusal(backends[b], cap13) : NULL;
        if (!why && why13) {
            fprintf(out, ".br\nWith TLS 1.3 enabled, refused on %s (%s): ", backends[b]->name,
                    backends[b]->library_version());
            roff(out, why13);
            fputs(".\n", out);
        }
        if (!why) continue;
        fprintf(out, ".br\nRefused on %s (%s): ", backends[b]->name, backends[b]->library_version());
        roff(out, why);
        fputs(".\n", out);
    }
}

static int man_s_server(FILE *out)
{
    man_header(out, "polytls-s_server",
               "TLS test server with openssl s_server's options and pluggable backends");
    fputs(
        ".SH SYNOPSIS\n.B polytls s_server\n[\\fIoptions\\fR]\n.SH DESCRIPTION\n"
        "Every option of \\fBopenssl s_server\\fR(1) is known. On each backend an option either works or is "
        "refused before anything is loaded or bound, with a capability error naming the option, the backend, "
        "the library version and the reason (exit status 3). Nothing is accepted and ignored.\n"
        ".PP\nThe backend is chosen with \\fB\\-backend\\fR \\fIname\\fR or the \\fBPOLYTLS_BACKEND\\fR "
        "environment variable; compiled in this build:",
        out);
    for (int b = 0; b < n_backends; b++)
        fprintf(out, "%s %s (%s)", b ? "," : "", backends[b]->name, backends[b]->library_version());
    fputs(".\n", out);
    fputs(".SH OPTIONS\n", out);
    for (int g = 0; g < GRP__COUNT; g++) {
        fputs(".SS \"", out);
        roff(out, ptls_opt_group_names[g]);
        fputs("\"\n", out);
        for (int i = 0; i < OPTID__COUNT; i++) {
            const ptls_option *opt = &ptls_options[i];
            if (opt->group != g) continue;
            fputs(".TP\n.B \\-", out);
            roff(out, opt->name);
            if (opt->type != OPT_FLAG) {
                fputs(" \\fI", out);
                roff(out, ptls_opt_type_hint(opt->type));
                fputs("\\fR", out);
            }
            fputc('\n', out);
            roff(out, opt->help);
            fputs(".\n", out);
            man_backend_support(out, opt);
        }
    }
    fputs(
        ".SH EXIT STATUS\n.TP\n0\nnormal end: \\-naccept reached, Q typed, SIGTERM, \\-help\n"
        ".TP\n1\nruntime failure: cannot bind, cannot load a certificate, key, CA or CRL, wrong pass phrase\n"
        ".TP\n2\nusage error: unknown option, bad value, unreadable file, conflicting options\n"
        ".TP\n3\ncapability error: the backend cannot do what was asked\n"
        ".SH SEE ALSO\n\\fBpolytls\\fR(1), \\fBopenssl\\-s_server\\fR(1)\n",
        out);
    return 0;
}

static int man_polytls(FILE *out)
{
    man_header(out, "polytls", "openssl s_server with pluggable TLS backends");
    fputs(
        ".SH SYNOPSIS\n.B polytls\n\\fIcommand\\fR [\\fIoptions\\fR]\n.SH COMMANDS\n"
        ".TP\n.B s_server\nthe TLS test server; see \\fBpolytls\\-s_server\\fR(1)\n"
        ".TP\n.BR backends \" [\\-json]\"\ncompiled backends, their library versions and capability tables\n"
        ".TP\n.BR compare \" [options] [s_server options] \\-\\- \\fIINPUT\\fR | \\-\\-case \\fINAME\\fR | "
        "\\-\\-corpus\"\nthe same input against every built backend and flavour: each gets its own "
        "\\fBpolytls s_server\\fR child with the same options; \\fIINPUT\\fR is a client command with {host} "
        "and "
        "{port} placeholders, a ClientHello file (hex, binary, pcap or pcapng) or a case of the built-in "
        "corpus "
        "(\\fB\\-\\-list\\fR). Prints the server's first flight and its \\fB\\-json\\fR events side by side, "
        "one column per flavour, rows that differ marked; \\fB\\-json\\fR \\fIFILE\\fR for machines, "
        "\\fB\\-backends\\fR \\fILIST\\fR to choose. Exit status 0 every flavour alike, 1 they differ, 2 "
        "usage "
        "error, 3 a flavour refused the options (capability error); \\fBpolytls compare \\-help\\fR has the "
        "details\n"
        ".TP\n.B version\npolytls and library versions\n"
        ".TP\n.BI docs \" kind\"\nwrite generated reference material (man\\-polytls, man\\-s_server, "
        "completion, "
        "options\\-md) to standard output\n"
        ".SH ENVIRONMENT\n.TP\n.B POLYTLS_BACKEND\nthe default backend\n"
        ".TP\n.B POLYTLS_MODULE_DIR\nwhere backend modules are loaded from (default: the lib/polytls "
        "directory "
        "next to the executable's bin directory)\n"
        ".SH BACKENDS\n",
        out);
    for (int b = 0; b < n_backends; b++) {
        fprintf(out, ".TP\n.B %s\n", backends[b]->name);
        roff(out, backends[b]->library_version());
        fputc('\n', out);
    }
    fputs(".SH SEE ALSO\n\\fBpolytls\\-s_server\\fR(1)\n", out);
    return 0;
}

static int completion(FILE *out)
{
    fputs("# bash completion for polytls, generated from its option table by `polytls docs completion`.\n"
          "_polytls()\n{\n"
          "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
          "    COMPREPLY=()\n"
          "    if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
          "        COMPREPLY=($(compgen -W 's_server backends compare version docs help' -- \"$cur\"))\n"
          "        return\n"
          "    fi\n"
          "    case ${COMP_WORDS[1]} in\n"
          "    backends) COMPREPLY=($(compgen -W '-json' -- \"$cur\")); return ;;\n"
          "    docs) COMPREPLY=($(compgen -W 'man-polytls man-s_server completion options-md flavours-md' -- \"$cur\")); "
          "return ;;\n"
          "    s_server) ;;\n"
          "    *) return ;;\n"
          "    esac\n"
          "    case $prev in\n",
          out);
    const int types[] = {OPT_INFILE, OPT_OUTFILE, OPT_DIR, OPT_FORMAT, OPT_PROTOCOL};
    const char *actions[] = {"COMPREPLY=($(compgen -f -- \"$cur\"))", "COMPREPLY=($(compgen -f -- \"$cur\"))",
                             "COMPREPLY=($(compgen -d -- \"$cur\"))",
                             "COMPREPLY=($(compgen -W 'PEM DER' -- \"$cur\"))",
                             "COMPREPLY=($(compgen -W 'TLSv1 TLSv1.1 TLSv1.2 TLSv1.3' -- \"$cur\"))"};
    for (int t = 0; t < 5; t++) {
        int first = 1;
        for (int i = 0; i < OPTID__COUNT; i++) {
            if (ptls_options[i].type != types[t]) continue;
            fprintf(out, "%s-%s", first ? "    " : "|", ptls_options[i].name);
            first = 0;
        }
        if (!first) fprintf(out, ")\n        %s\n        return ;;\n", actions[t]);
    }
    fputs("    -backend)\n        COMPREPLY=($(compgen -W '", out);
    for (int b = 0; b < ptls_backend_count(); b++)
        fprintf(out, "%s%s", b ? " " : "", ptls_backend_name(b));
    fputs("' -- \"$cur\"))\n        return ;;\n", out);
    /* Other options that take a value: nothing sensible to offer. */
    int first = 1;
    for (int i = 0; i < OPTID__COUNT; i++) {
        int t = ptls_options[i].type;
        if (t != OPT_INT && t != OPT_STRING) continue;
        if (ptls_options[i].id == OPTID_BACKEND) continue;
        fprintf(out, "%s-%s", first ? "    " : "|", ptls_options[i].name);
        first = 0;
    }
    fputs(")\n        return ;;\n    esac\n    COMPREPLY=($(compgen -W '", out);
    for (int i = 0; i < OPTID__COUNT; i++)
        fprintf(out, "%s-%s", i ? " " : "", ptls_options[i].name);
    fputs("' -- \"$cur\"))\n}\ncomplete -F _polytls polytls\n", out);
    return 0;
}

static void md_cell(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '|') fputc('\\', out);
        fputc(*s, out);
    }
}

/* "OpenSSL 3.0.22 25 Aug 2026" -> "OpenSSL 3.0": the committed reference
 * must not change with every security update of a library. */
static void major_minor(const char *v, char *out, size_t len)
{
    size_t n = 0;
    int dots = 0;
    for (const char *p = v; *p && n + 1 < len; p++) {
        if (*p == '.' && ++dots == 2) break;
        if (dots == 1 && *p == ' ') break;
        out[n++] = *p;
    }
    out[n] = 0;
}

static int options_md(FILE *out)
{
    fputs("# polytls s_server: options by backend\n\n"
          "Generated by `polytls docs options-md` from the option table and each backend's capability table "
          "(do not edit; `ctest -R docs` fails when this file is stale).\n\n"
          "| backend | library |\n|---|---|\n",
          out);
    for (int b = 0; b < n_backends; b++) {
        char mm[64];
        major_minor(backends[b]->library_version(), mm, sizeof mm);
        fprintf(out, "| %s | %s (`polytls backends` shows the exact version) |\n", backends[b]->name, mm);
    }
    fputs(
        "\n\"yes\" means the option works on that backend and a test proves it; otherwise the cell gives the "
        "reason of the capability error polytls prints (exit 3). \"TLS 1.2 only\" means the option works "
        "while "
        "the server is limited to TLS 1.2 (-tls1_2, -max_protocol TLSv1.2) and is refused, for the reason "
        "given, when TLS 1.3 is enabled.\n",
        out);
    for (int g = 0; g < GRP__COUNT; g++) {
        fprintf(out, "\n## %s\n\n| option | what |", ptls_opt_group_names[g]);
        for (int b = 0; b < n_backends; b++)
            fprintf(out, " %s |", backends[b]->name);
        fputs("\n|---|---|", out);
        for (int b = 0; b < n_backends; b++)
            fputs("---|", out);
        fputc('\n', out);
        for (int i = 0; i < OPTID__COUNT; i++) {
            const ptls_option *opt = &ptls_options[i];
            if (opt->group != g) continue;
            fprintf(out, "| `-%s` | ", opt->name);
            md_cell(out, opt->help);
            fputs(" |", out);
            for (int b = 0; b < n_backends; b++) {
                const char *why = ptls_cap_refusal(backends[b], opt->cap);
                int cap13 = ptls_cap_tls13_variant(opt->cap);
                const char *why13 = cap13 >= 0 ? ptls_cap_refusal(backends[b], cap13) : NULL;
                fputc(' ', out);
                if (why) {
                    md_cell(out, why);
                } else if (why13) {
                    fputs("TLS 1.2 only; with TLS 1.3: ", out);
                    md_cell(out, why13);
                } else {
                    fputs("yes", out);
                }
                fputs(" |", out);
            }
            fputc('\n', out);
        }
    }
    return 0;
}

/* The system module of a flavour's family ("openssl" for "openssl@3.5.7"),
 * NULL when this build has none. */
static const ptls_backend *system_sibling(const char *flavour)
{
    size_t n = (size_t)(strchr(flavour, '@') - flavour);
    for (int b = 0; b < n_backends; b++)
        if (strlen(backends[b]->name) == n && strncmp(backends[b]->name, flavour, n) == 0) return backends[b];
    return NULL;
}

/* What each flavour can do that its system sibling cannot, and the reverse,
 * straight from the two capability tables (README's flavour table). */
static int flavours_md(FILE *out)
{
    fputs("| flavour | library | adds over the system library | lacks against it |\n|---|---|---|---|\n", out);
    for (int b = 0; b < n_backends; b++) {
        const ptls_backend *f = backends[b], *sys;
        if (!strchr(f->name, '@') || !(sys = system_sibling(f->name))) continue;
        char mm[64];
        major_minor(f->library_version(), mm, sizeof mm);
        fprintf(out, "| `%s` | %s |", f->name, mm);
        for (int pass = 0; pass < 2; pass++) {
            const ptls_backend *has = pass ? sys : f, *lacks = pass ? f : sys;
            int first = 1;
            for (int c = 0; c < PTLS_CAP__COUNT; c++) {
                if (ptls_cap_refusal(has, c) || !ptls_cap_refusal(lacks, c)) continue;
                fprintf(out, "%s%s", first ? " " : ", ", ptls_cap_name(c));
                first = 0;
            }
            fputs(first ? " - |" : " |", out);
        }
        fputc('\n', out);
    }
    return 0;
}

int ptls_cmd_docs(int argc, char **argv)
{
    static const struct {
        const char *kind;
        int (*fn)(FILE *);
    } kinds[] = {{"man-polytls", man_polytls},
                 {"man-s_server", man_s_server},
                 {"completion", completion},
                 {"options-md", options_md},
                 {"flavours-md", flavours_md}};
    if (argc != 1) {
        fprintf(stderr, "Usage: polytls docs man-polytls|man-s_server|completion|options-md|flavours-md\n");
        return PTLS_EXIT_USAGE;
    }
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(argv[0], kinds[i].kind) == 0) {
            if (load_backends() != 0) return PTLS_EXIT_RUNTIME;
            return kinds[i].fn(stdout) == 0 && fflush(stdout) == 0 ? PTLS_EXIT_OK : PTLS_EXIT_RUNTIME;
        }
    fprintf(stderr, "polytls docs: unknown kind \"%s\"\n", argv[0]);
    return PTLS_EXIT_USAGE;
}
