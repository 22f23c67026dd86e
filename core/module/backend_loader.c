#include "backend_loader.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build_config.h" /* generated: POLYTLS_BUILT_BACKENDS, POLYTLS_MODULE_RELDIR */

static const char *const built[] = {POLYTLS_BUILT_BACKENDS};

int ptls_backend_count(void)
{
    return (int)(sizeof built / sizeof built[0]);
}

const char *ptls_backend_name(int i)
{
    return i >= 0 && i < ptls_backend_count() ? built[i] : NULL;
}

/* Whether "3.5" names "3.5.7": every dot-separated component of want equals
 * the corresponding component of have. */
static int version_prefix(const char *want, const char *have)
{
    size_t n = strlen(want);
    return strncmp(want, have, n) == 0 && (have[n] == '\0' || have[n] == '.');
}

static void list_built(char *err, size_t errlen, size_t n)
{
    for (int i = 0; i < ptls_backend_count() && n < errlen; i++)
        n += (size_t)snprintf(err + n, errlen - n, " %s", built[i]);
}

/* -backend NAME: a family ("openssl": the system library's module), an exact
 * flavour ("openssl@3.5.7") or a flavour by version prefix ("openssl@3.5",
 * "openssl@3"), which must name exactly one built flavour. */
const char *ptls_backend_resolve(const char *name, char *err, size_t errlen)
{
    for (int i = 0; i < ptls_backend_count(); i++)
        if (strcmp(built[i], name) == 0) return built[i];
    const char *at = strchr(name, '@');
    const char *found = NULL;
    int matches = 0;
    if (at && at[1]) {
        size_t flen = (size_t)(at - name) + 1; /* "openssl@" */
        for (int i = 0; i < ptls_backend_count(); i++)
            if (strncmp(built[i], name, flen) == 0 && version_prefix(at + 1, built[i] + flen)) {
                found = built[i];
                matches++;
            }
    }
    if (matches == 1) return found;
    size_t n = (size_t)snprintf(err, errlen, matches ? "backend \"%s\" is ambiguous; this build has:"
                                                     : "unknown backend \"%s\"; this build has:",
                                name);
    list_built(err, errlen, n);
    return NULL;
}

int ptls_backend_known(const char *name)
{
    char err[16];
    return ptls_backend_resolve(name, err, sizeof err) != NULL;
}

const char *ptls_default_backend(void)
{
    const char *env = getenv("POLYTLS_BACKEND");
    if (env && *env) return env;
    if (ptls_backend_known("openssl")) return "openssl";
    return built[0];
}

void ptls_module_dir(char *buf, size_t len)
{
    const char *env = getenv("POLYTLS_MODULE_DIR");
    if (env && *env) {
        snprintf(buf, len, "%s", env);
        return;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) {
        snprintf(buf, len, "%s", POLYTLS_MODULE_INSTALL_DIR);
        return;
    }
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (slash) *slash = 0;
    snprintf(buf, len, "%s/%s", exe, POLYTLS_MODULE_RELDIR);
}

const ptls_backend *ptls_backend_load(const char *name, char *err, size_t errlen)
{
    name = ptls_backend_resolve(name, err, errlen);
    if (!name) return NULL;
    char dir[PATH_MAX], path[PATH_MAX + 64];
    ptls_module_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/polytls-%s.so", dir, name);
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(err, errlen, "cannot load backend module %s: %s", path, dlerror());
        return NULL;
    }
    ptls_backend_entry_fn entry;
    *(void **)&entry = dlsym(h, PTLS_BACKEND_SYMBOL);
    if (!entry) {
        snprintf(err, errlen, "%s does not export %s", path, PTLS_BACKEND_SYMBOL);
        dlclose(h);
        return NULL;
    }
    const ptls_backend *be = entry();
    if (!be || be->abi != PTLS_BACKEND_ABI || strcmp(be->name, name) != 0) {
        snprintf(err, errlen, "%s: incompatible module (ABI %d, expected %d)", path, be ? be->abi : -1,
                 PTLS_BACKEND_ABI);
        dlclose(h);
        return NULL;
    }
    /* Deliberately never dlclose()d: the module lives as long as the process. */
    return be;
}
