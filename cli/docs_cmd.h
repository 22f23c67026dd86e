#ifndef PTLS_DOCS_CMD_H
#define PTLS_DOCS_CMD_H
/* `polytls docs KIND`: man pages, bash completion and the per-backend
 * option reference, generated from the option table and capability tables. */
int ptls_cmd_docs(int argc, char **argv);
#endif
