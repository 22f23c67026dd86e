/* `polytls compare`: one input against every built backend and flavour
 * (or -backends LIST), the server's answers side by side. See
 * docs/compare.md. Exit: 0 every flavour alike, 1 a difference, 2 usage,
 * 3 a flavour refused the options (capability error). */
#ifndef PTLS_COMPARE_CMD_H
#define PTLS_COMPARE_CMD_H

int ptls_cmd_compare(int argc, char **argv);
/* The usage text (also for the man page). */
const char *ptls_compare_usage(void);

#endif
