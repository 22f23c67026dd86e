/* Canonical error names: one vocabulary for "what went wrong" on every
 * backend, so the same client against three stacks gives comparable
 * outcomes. Sources, most specific first: the library's own error code
 * (a table per backend below), a TLS alert seen on the wire, and what the
 * core itself observed (timeouts, EOF, not TLS at all). */
#ifndef PTLS_ERROR_NAMES_H
#define PTLS_ERROR_NAMES_H

/* RFC 8446/5246 alert description name ("unknown_ca"), NULL if unknown. */
const char *ptls_alert_name(int code);
/* Canonical name for a backend's error code, NULL if the table has none.
 * backend is the module's name (a flavour, "mbedtls@3.6.6", uses its
 * family's table); library its library_version(), which picks the table
 * where a library renumbered its codes between versions. */
const char *ptls_error_name(const char *backend, const char *library, long code);

#endif
