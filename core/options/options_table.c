#include "options.h"

#include <string.h>

#define PTLS_OPT_ROW(id, name, type, group, cap, since, help, example)                                       \
    [OPTID_##id] = {OPTID_##id, name, type, group, PTLS_CAP_##cap, since, help, example},

const ptls_option ptls_options[OPTID__COUNT] = {PTLS_OPTION_LIST(PTLS_OPT_ROW)};

const char *const ptls_opt_group_names[GRP__COUNT] = {
    [GRP_GENERAL] = "General options",
    [GRP_NETWORK] = "Network options",
    [GRP_DTLS] = "DTLS options",
    [GRP_IDENTITY] = "Identity options",
    [GRP_VERIFY] = "Client verification options",
    [GRP_VALIDATION] = "Validation options",
    [GRP_PROTOCOL] = "Protocol and version options",
    [GRP_CIPHERS] = "TLS/SSL options",
    [GRP_SESSIONS] = "Session options",
    [GRP_EXTENSIONS] = "Extension options",
    [GRP_OCSP] = "OCSP options",
    [GRP_TLS13] = "TLS 1.3 options",
    [GRP_PSK] = "PSK and SRP options",
    [GRP_MODES] = "Mode options",
    [GRP_DEBUG] = "Debug options",
    [GRP_MISC] = "Miscellaneous options",
    [GRP_POLYTLS] = "polytls options",
};

const ptls_option *ptls_option_find(const char *name)
{
    for (int i = 0; i < OPTID__COUNT; i++)
        if (strcmp(ptls_options[i].name, name) == 0) return &ptls_options[i];
    return NULL;
}

const char *ptls_opt_type_hint(int type)
{
    switch (type) {
    case OPT_INT:
        return "+int";
    case OPT_STRING:
        return "val";
    case OPT_INFILE:
        return "infile";
    case OPT_OUTFILE:
        return "outfile";
    case OPT_DIR:
        return "dir";
    case OPT_FORMAT:
        return "PEM|DER";
    case OPT_PROTOCOL:
        return "val";
    default:
        return "";
    }
}
