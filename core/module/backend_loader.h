/* Finds and loads backend modules (polytls-NAME.so), each with
 * dlopen(RTLD_NOW|RTLD_LOCAL) so that two TLS libraries never share a
 * symbol scope. */
#ifndef PTLS_BACKEND_LOADER_H
#define PTLS_BACKEND_LOADER_H

#include <stddef.h>

#include "polytls/backend.h"

/* Backends compiled into this build, in preference order. */
int ptls_backend_count(void);
const char *ptls_backend_name(int i);
/* -backend default: $POLYTLS_BACKEND, else openssl if built, else the first. */
const char *ptls_default_backend(void);
/* Directory the modules are loaded from: $POLYTLS_MODULE_DIR, else the
 * install-relative directory next to the executable. */
void ptls_module_dir(char *buf, size_t len);
/* Resolves name (ptls_backend_resolve), loads and checks the module (ABI,
 * name). NULL with err on failure. */
const ptls_backend *ptls_backend_load(const char *name, char *err, size_t errlen);
/* Whether name is one of the compiled backends. */
int ptls_backend_known(const char *name);
/* The built backend that -backend NAME selects: an exact name ("openssl",
 * "openssl@3.5.7") or a flavour by version prefix ("openssl@3.5"). NULL with
 * err listing what is built when unknown or ambiguous. */
const char *ptls_backend_resolve(const char *name, char *err, size_t errlen);

#endif
