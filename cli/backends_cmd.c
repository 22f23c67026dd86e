#include "backends_cmd.h"

#include <stdio.h>
#include <string.h>

#include "module/backend_loader.h"
#include "options/capability.h"
#include "options/options.h"
#include "options/server_opts.h"

static void json_string(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            printf("\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            printf("\\u%04x", *s);
        else
            putchar(*s);
    }
    putchar('"');
}

static void print_text(const ptls_backend *be)
{
    printf("%s: %s\n", be->name, be->library_version());
    for (int cap = 0; cap < PTLS_CAP__COUNT; cap++) {
        const char *why = ptls_cap_refusal(be, cap);
        printf("  %-22s %s%s\n", ptls_cap_name(cap), why ? "no: " : "yes", why ? why : "");
    }
}

static void print_json(const ptls_backend *be)
{
    printf("{\"name\":");
    json_string(be->name);
    printf(",\"library\":");
    json_string(be->library_version());
    printf(",\"capabilities\":{");
    for (int cap = 0; cap < PTLS_CAP__COUNT; cap++) {
        const char *why = ptls_cap_refusal(be, cap);
        printf("%s", cap ? "," : "");
        json_string(ptls_cap_name(cap));
        printf(":{\"supported\":%s", why ? "false" : "true");
        if (why) {
            printf(",\"reason\":");
            json_string(why);
        }
        printf("}");
    }
    printf("},\"options\":{");
    for (int i = 0; i < OPTID__COUNT; i++) {
        const char *why = ptls_cap_refusal(be, ptls_options[i].cap);
        char name[64];
        snprintf(name, sizeof name, "-%s", ptls_options[i].name);
        printf("%s", i ? "," : "");
        json_string(name);
        printf(":{\"supported\":%s", why ? "false" : "true");
        if (ptls_options[i].cap >= 0) {
            printf(",\"capability\":");
            json_string(ptls_cap_name(ptls_options[i].cap));
        }
        if (why) {
            printf(",\"reason\":");
            json_string(why);
        }
        /* Works, but not with TLS 1.3 enabled (e.g. -status_file on wolfSSL). */
        int cap13 = ptls_cap_tls13_variant(ptls_options[i].cap);
        const char *why13 = cap13 >= 0 ? ptls_cap_refusal(be, cap13) : NULL;
        if (!why && why13) {
            printf(",\"tls1.3\":{\"supported\":false,\"capability\":");
            json_string(ptls_cap_name(cap13));
            printf(",\"reason\":");
            json_string(why13);
            printf("}");
        }
        printf("}");
    }
    printf("}}");
}

int ptls_cmd_backends(int argc, char **argv)
{
    int json = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "-json") == 0 || strcmp(argv[i], "--json") == 0)
            json = 1;
        else {
            fprintf(stderr, "polytls backends: Unknown option: %s\nUsage: polytls backends [-json]\n",
                    argv[i]);
            return PTLS_EXIT_USAGE;
        }
    }
    int rc = PTLS_EXIT_OK, first = 1;
    if (json) printf("{\"backends\":[");
    for (int i = 0; i < ptls_backend_count(); i++) {
        char err[1024];
        const ptls_backend *be = ptls_backend_load(ptls_backend_name(i), err, sizeof err);
        if (!be) {
            fprintf(stderr, "polytls: %s\n", err);
            rc = PTLS_EXIT_RUNTIME;
            continue;
        }
        if (json) {
            printf("%s", first ? "" : ",");
            print_json(be);
        } else {
            print_text(be);
        }
        first = 0;
    }
    if (json) printf("]}\n");
    return rc;
}
