/* polytls: openssl s_server with pluggable TLS backends. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends_cmd.h"
#include "build_config.h"
#include "compare/compare_cmd.h"
#include "docs_cmd.h"
#include "loop/server.h"
#include "modes/modes.h"
#include "module/backend_loader.h"
#include "module/host_api.h"
#include "options/capability.h"
#include "options/server_opts.h"

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: polytls COMMAND [options]\n\n"
            "Commands:\n"
            "  s_server [options]   TLS test server with openssl s_server's options (-backend NAME)\n"
            "  backends [-json]     compiled backends, library versions and capabilities\n"
            "  compare ... INPUT    one handshake against every backend and flavour, side by side;\n"
            "                       INPUT: -- CLIENT COMMAND, -- FILE (ClientHello), --case NAME, --corpus\n"
            "  version              polytls and backend library versions\n"
            "  docs KIND            generated reference: man-polytls, man-s_server, completion, options-md,\n"
            "                       flavours-md\n"
            "  help                 this summary (s_server -help lists every option)\n\n"
            "Exit codes: 0 done, 1 runtime failure, 2 usage error, 3 capability error.\n");
}

/* A server started with stdin, stdout or stderr closed would hand out fd 0,
 * 1 or 2 to a socket and later write log lines into a client connection. */
static void ensure_std_fds(void)
{
    for (int fd = 0; fd < 3; fd++)
        if (fcntl(fd, F_GETFD) < 0) {
            int n = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
            if (n >= 0 && n != fd) {
                dup2(n, fd);
                close(n);
            }
        }
}

static int cmd_version(void)
{
    printf("polytls %s\n", POLYTLS_VERSION);
    int width = 8; /* the longest name: flavours are "openssl@3.5.7" */
    for (int i = 0; i < ptls_backend_count(); i++)
        if ((int)strlen(ptls_backend_name(i)) > width) width = (int)strlen(ptls_backend_name(i));
    for (int i = 0; i < ptls_backend_count(); i++) {
        char err[1024];
        const ptls_backend *be = ptls_backend_load(ptls_backend_name(i), err, sizeof err);
        printf("  %-*s %s\n", width, ptls_backend_name(i), be ? be->library_version() : err);
    }
    return 0;
}

static int cmd_s_server(int argc, char **argv)
{
    static ptls_server_opts o; /* large: keep it off the stack */
    char err[2048];
    int rc = ptls_parse_args(argc, argv, &o, err, sizeof err);
    if (rc) {
        fprintf(stderr, "%s\n", err);
        return rc;
    }
    if (o.help) {
        ptls_print_help(stdout);
        return PTLS_EXIT_OK;
    }
    const char *name = o.backend ? o.backend : ptls_default_backend();
    if (!ptls_backend_known(name)) {
        ptls_backend_load(name, err, sizeof err); /* formats the list of known backends */
        fprintf(stderr, "polytls s_server: %s\npolytls s_server: Use -help for summary.\n", err);
        return PTLS_EXIT_USAGE;
    }
    const ptls_backend *be = ptls_backend_load(name, err, sizeof err);
    if (!be) {
        fprintf(stderr, "polytls: %s\n", err);
        return PTLS_EXIT_RUNTIME;
    }
    /* The backend is initialised before validation: its check_config may
     * need the core's services (cipher names). */
    if (be->global_init(ptls_host_api(), err, sizeof err) != 0) {
        fprintf(stderr, "polytls: %s\n", err);
        return PTLS_EXIT_RUNTIME;
    }
    rc = ptls_validate(&o, be, stderr);
    if (rc) return rc;
    return ptls_server_run(&o, be, ptls_mode_ops_for(o.mode));
}

int main(int argc, char **argv)
{
    ensure_std_fds();
    if (argc < 2) {
        usage(stderr);
        return PTLS_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "s_server") == 0) return cmd_s_server(argc - 2, argv + 2);
    if (strcmp(cmd, "backends") == 0) return ptls_cmd_backends(argc - 2, argv + 2);
    if (strcmp(cmd, "compare") == 0) return ptls_cmd_compare(argc - 2, argv + 2);
    if (strcmp(cmd, "docs") == 0) return ptls_cmd_docs(argc - 2, argv + 2);
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "-version") == 0) return cmd_version();
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "-help") == 0 || strcmp(cmd, "--help") == 0) {
        usage(stdout);
        return PTLS_EXIT_OK;
    }
    fprintf(stderr, "polytls: unknown command \"%s\"\n", cmd);
    usage(stderr);
    return PTLS_EXIT_USAGE;
}
