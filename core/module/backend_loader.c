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

int ptls_backend_known(const char *name)
{
    for (int i = 0; i < ptls_backend_count(); i++)
        if (strcmp(built[i], name) == 0) return 1;
    return 0;
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
    if (!ptls_backend_known(name)) {
        size_t n = (size_t)snprintf(err, errlen, "unknown backend \"%s\"; this build has:", name);
        for (int i = 0; i < ptls_backend_count() && n < errlen; i++)
            n += (size_t)snprintf(err + n, errlen - n, " %s", built[i]);
        return NULL;
    }
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
