/* The s_server option model: one table (options_table.c) drives parsing,
 * -help, validation against backend capabilities, and the generated docs. */
#ifndef PTLS_OPTIONS_H
#define PTLS_OPTIONS_H

#include <stddef.h>

#include "polytls/caps.h"
#include "polytls/config.h"

enum ptls_opt_type {
    OPT_FLAG,    /* no value */
    OPT_INT,     /* integer >= 0 */
    OPT_STRING,  /* any text */
    OPT_INFILE,  /* a file that must be readable */
    OPT_OUTFILE, /* a file that will be written */
    OPT_DIR,     /* a directory that must be readable */
    OPT_FORMAT,  /* PEM or DER */
    OPT_PROTOCOL /* TLSv1, TLSv1.1, TLSv1.2, TLSv1.3 */
};

enum ptls_opt_group {
    GRP_GENERAL,
    GRP_NETWORK,
    GRP_DTLS,
    GRP_IDENTITY,
    GRP_VERIFY,
    GRP_VALIDATION,
    GRP_PROTOCOL,
    GRP_CIPHERS,
    GRP_SESSIONS,
    GRP_EXTENSIONS,
    GRP_OCSP,
    GRP_TLS13,
    GRP_PSK,
    GRP_MODES,
    GRP_DEBUG,
    GRP_MISC,
    GRP_POLYTLS,
    GRP__COUNT
};

/* The option ids: X(ID, "name", type, group, capability, "since", "help", "example value") */
#include "options_list.h"

enum ptls_opt_id {
#define PTLS_OPT_ENUM(id, name, type, group, cap, since, help, example) OPTID_##id,
    PTLS_OPTION_LIST(PTLS_OPT_ENUM)
#undef PTLS_OPT_ENUM
        OPTID__COUNT
};

typedef struct ptls_option {
    int id;
    const char *name; /* without the leading '-' */
    int type;         /* enum ptls_opt_type */
    int group;        /* enum ptls_opt_group */
    int cap;          /* enum ptls_cap, PTLS_CAP_NONE, PTLS_CAP_UNIMPLEMENTED or PTLS_CAP_CLIENT_SIDE */
    const char *since; /* the openssl s_server release that introduced it ("1.0.2" for 1.0.2 and
                        * earlier, "3.2", "4.0"), or "polytls" for polytls's own options */
    const char *help;
    const char *example; /* a valid sample value (tests, docs); NULL for flags */
} ptls_option;

extern const ptls_option ptls_options[OPTID__COUNT];
extern const char *const ptls_opt_group_names[GRP__COUNT];
const ptls_option *ptls_option_find(const char *name); /* name without '-' */
const char *ptls_opt_type_hint(int type);              /* "int", "infile", ... for -help */

#endif
