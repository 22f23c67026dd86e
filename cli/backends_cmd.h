#ifndef PTLS_BACKENDS_CMD_H
#define PTLS_BACKENDS_CMD_H
/* `polytls backends [-json]`: every compiled backend, its library version
 * and its capability table, from the same data validation uses. */
int ptls_cmd_backends(int argc, char **argv);
#endif
