#include "capability.h"

#include <string.h>

#include "options.h"

static const char *const cap_names[PTLS_CAP__COUNT] = {
#define PTLS_CAP_NAME(id, name, desc) [PTLS_CAP_##id] = name,
    PTLS_CAP_LIST(PTLS_CAP_NAME)
#undef PTLS_CAP_NAME
};
static const char *const cap_descs[PTLS_CAP__COUNT] = {
#define PTLS_CAP_DESC(id, name, desc) [PTLS_CAP_##id] = desc,
    PTLS_CAP_LIST(PTLS_CAP_DESC)
#undef PTLS_CAP_DESC
};

const char *ptls_cap_name(int cap)
{
    return cap >= 0 && cap < PTLS_CAP__COUNT ? cap_names[cap] : "?";
}

const char *ptls_cap_desc(int cap)
{
    return cap >= 0 && cap < PTLS_CAP__COUNT ? cap_descs[cap] : "?";
}

/* Options whose TLS 1.3 form is a capability of its own: the library
 * does it in another place (TLS 1.3 secrets, PSK binders, the staple inside
 * the Certificate message), and a backend may have one and not the other. */
static const struct {
    int cap, cap13;
    const char *what; /* the refusal's subject */
    int hint;         /* add how to stay within TLS 1.2 */
} tls13_variants[] = {
    {PTLS_CAP_KEYLOG, PTLS_CAP_KEYLOG_TLS13, "-keylogfile with TLS 1.3 enabled", 1},
    {PTLS_CAP_PSK, PTLS_CAP_PSK_TLS13, "-psk with TLS 1.3", 0},
    {PTLS_CAP_OCSP_STAPLE, PTLS_CAP_OCSP_STAPLE_TLS13, "-status_file with TLS 1.3 enabled", 1},
};

int ptls_cap_tls13_variant(int cap)
{
    for (size_t i = 0; i < sizeof tls13_variants / sizeof tls13_variants[0]; i++)
        if (tls13_variants[i].cap == cap) return tls13_variants[i].cap13;
    return -1;
}

const char *ptls_cap_refusal(const ptls_backend *be, int cap)
{
    if (cap == PTLS_CAP_NONE) return NULL;
    if (cap == PTLS_CAP_UNIMPLEMENTED) return "not implemented by polytls yet";
    /* A module built against an older caps.h knows fewer capabilities: the
     * ones it does not know are refused. */
    if (cap < 0 || cap >= PTLS_CAP__COUNT || cap >= be->cap_count || !be->caps[cap])
        return "not implemented by this backend";
    if (strcmp(be->caps[cap], PTLS_SUPPORTED) == 0) return NULL;
    return be->caps[cap];
}

void ptls_print_cap_error(FILE *out, const ptls_backend *be, const char *what, const char *reason)
{
    fprintf(out, "polytls: capability error: %s is not supported by backend %s (%s): %s\n", what, be->name,
            be->library_version(), reason);
}

struct refusals {
    FILE *out;
    const ptls_backend *be;
    int count;
};

static void refuse(void *arg, const char *option, const char *reason)
{
    struct refusals *r = arg;
    ptls_print_cap_error(r->out, r->be, option, reason);
    r->count++;
}

static void refuse_cap(struct refusals *r, const char *option, int cap)
{
    const char *why = ptls_cap_refusal(r->be, cap);
    if (why) refuse(r, option, why);
}

static int version_cap(int v)
{
    switch (v) {
    case PTLS_TLS1_0:
        return PTLS_CAP_TLS1_0;
    case PTLS_TLS1_1:
        return PTLS_CAP_TLS1_1;
    case PTLS_TLS1_2:
        return PTLS_CAP_TLS1_2;
    default:
        return PTLS_CAP_TLS1_3;
    }
}

static const char *version_option_text(int v, char *buf, size_t len, const char *opt)
{
    static const char *names[] = {"TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"};
    snprintf(buf, len, "%s %s", opt, names[(v & 0xff) - 1]);
    return buf;
}

/* Turns the version options into one concrete range. Bounds the user gave
 * must be supported; default bounds shrink to what the backend has (so
 * Mbed TLS 2.28 serves TLS 1.2 by default instead of refusing to start). */
/* DTLS: -dtls1/-dtls1_2 ask for one version (their option capability was
 * checked); -dtls for every DTLS version the backend has. Wire numbers
 * decrease as versions increase. */
static int resolve_dtls_versions(ptls_server_opts *o, struct refusals *r)
{
    if (o->dtls_flag) {
        o->tls.min_version = o->tls.max_version = o->dtls_flag;
        return 0;
    }
    int has10 = !ptls_cap_refusal(r->be, PTLS_CAP_DTLS1_0),
        has12 = !ptls_cap_refusal(r->be, PTLS_CAP_DTLS1_2);
    if (!has10 && !has12) {
        refuse(r, "-dtls", ptls_cap_refusal(r->be, PTLS_CAP_DTLS1_2));
        return 0;
    }
    o->tls.min_version = has10 ? PTLS_DTLS1_0 : PTLS_DTLS1_2;
    o->tls.max_version = has12 ? PTLS_DTLS1_2 : PTLS_DTLS1_0;
    return 0;
}

static int resolve_versions(ptls_server_opts *o, struct refusals *r)
{
    if (o->tls.dtls) return resolve_dtls_versions(o, r);
    int lo = 0, hi = 0;
    char buf[64];
    for (int v = PTLS_TLS1_0; v <= PTLS_TLS1_3; v++) {
        if (ptls_cap_refusal(r->be, version_cap(v))) continue;
        if (!lo) lo = v;
        hi = v;
    }
    int min, max;
    if (o->proto_flag) {
        min = max = o->proto_flag; /* the flag's own capability was checked */
    } else {
        min = o->min_proto_given ? o->min_proto_given : PTLS_TLS1_2;
        max = o->max_proto_given ? o->max_proto_given : PTLS_TLS1_3;
        if (o->min_proto_given && ptls_cap_refusal(r->be, version_cap(min)))
            refuse(r, version_option_text(min, buf, sizeof buf, "-min_protocol"),
                   ptls_cap_refusal(r->be, version_cap(min)));
        if (o->max_proto_given && ptls_cap_refusal(r->be, version_cap(max)))
            refuse(r, version_option_text(max, buf, sizeof buf, "-max_protocol"),
                   ptls_cap_refusal(r->be, version_cap(max)));
        if (!o->min_proto_given && lo && min < lo) min = lo;
        if (!o->max_proto_given && hi && max > hi) max = hi;
    }
    while (min <= max && (o->no_versions & (1u << (min - 0x0300))))
        min++;
    while (max >= min && (o->no_versions & (1u << (max - 0x0300))))
        max--;
    for (int v = min; v <= max; v++)
        if (o->no_versions & (1u << (v - 0x0300))) {
            fprintf(r->out,
                    "polytls s_server: -no_tls options may only trim the ends of the version range\n");
            return PTLS_EXIT_USAGE;
        }
    if (min > max) {
        fprintf(r->out, "polytls s_server: no protocol version is left enabled\n");
        return PTLS_EXIT_USAGE;
    }
    o->tls.min_version = min;
    o->tls.max_version = max;
    return 0;
}

/* An option given while TLS 1.3 is enabled needs its TLS 1.3 capability
 * too (when the option itself is refused, that refusal already says so). */
static void tls13_variant_checks(const ptls_config *c, const ptls_backend *be, struct refusals *r)
{
    if (c->dtls || c->max_version < PTLS_TLS1_3) return;
    for (size_t i = 0; i < sizeof tls13_variants / sizeof tls13_variants[0]; i++) {
        int cap = tls13_variants[i].cap;
        int given = cap == PTLS_CAP_KEYLOG ? c->keylog != 0
                    : cap == PTLS_CAP_PSK  ? c->psk != NULL
                                           : c->status_file != NULL;
        const char *why = ptls_cap_refusal(be, tls13_variants[i].cap13);
        if (!given || why == NULL || ptls_cap_refusal(be, cap) != NULL) continue;
        char reason[512];
        snprintf(reason, sizeof reason, "%s%s", why,
                 tls13_variants[i].hint ? "; limit the server to TLS 1.2 (-tls1_2 or -max_protocol TLSv1.2)"
                                        : "");
        refuse(r, tls13_variants[i].what, reason);
    }
}

int ptls_validate(ptls_server_opts *o, const ptls_backend *be, FILE *out)
{
    struct refusals r = {out, be, 0};
    unsigned char seen[OPTID__COUNT] = {0};
    char what[96];
    for (int i = 0; i < o->n_given; i++) {
        int id = o->given[i].id;
        if (seen[id]++) continue;
        snprintf(what, sizeof what, "-%s", ptls_options[id].name);
        /* -nocert with -psk serves PSK-only suites, as in s_server: what
         * it needs then is PSK, not anonymous DH. */
        if (id == OPTID_NOCERT && o->tls.psk) continue;
        refuse_cap(&r, what, ptls_options[id].cap);
    }
    int rc = resolve_versions(o, &r);
    if (rc) return rc;
    ptls_config *c = &o->tls;
    if (c->cipher_string && c->n_cipher_ids < 0)
        refuse_cap(&r, "-cipher (OpenSSL cipher-string keywords)", PTLS_CAP_CIPHER_STRING);
    tls13_variant_checks(c, be, &r);
    /* Refused capabilities first: a combination check below must not hide
     * the real reason (e.g. -early_data on a backend without TLS 1.3). */
    if (r.count) return PTLS_EXIT_CAPABILITY;
    if (c->early_data && (c->dtls || c->max_version < PTLS_TLS1_3)) {
        fprintf(out, "polytls s_server: -early_data needs TLS 1.3 enabled\n");
        return PTLS_EXIT_USAGE;
    }
    if (r.count == 0 && be->check_config) be->check_config(c, refuse, &r);
    return r.count ? PTLS_EXIT_CAPABILITY : PTLS_EXIT_OK;
}
