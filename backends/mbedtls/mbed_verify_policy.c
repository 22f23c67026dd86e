/*
 * The client certificate verification policy (ptls_config.verify) on Mbed
 * TLS (2.28 and 3.x). The library has no X509_VERIFY_PARAM; what its verify
 * callback can express is done there (mbed_verify_cb calls
 * mbed_policy_check for every certificate of the chain):
 *  - -verify_hostname, -verify_email, -verify_ip: the leaf's subjectAltName
 *    dNSName (the subject CN when there is none, as OpenSSL does),
 *    rfc822Name, iPAddress, read from the raw extensions (2.28 lists only
 *    dNSName in subject_alt_names);
 *  - -no_check_time: the date flags are cleared; -attime: cleared too and
 *    the validity period checked against that time instead;
 *  - -purpose sslclient (and -verify_name ssl_client/default): the
 *    clientAuth extended key usage, which the library also demands itself;
 *  - -partial_chain: the library already takes any certificate of the CA
 *    list as a trust anchor, intermediate or not.
 * The rest is refused by mbed_policy_check_config with the reason.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <mbedtls/asn1.h>
#include <mbedtls/oid.h>

#include "mbed_internal.h"

struct mbed_vpolicy {
    char host[256], email[256];
    unsigned char ip[16];
    size_t ip_len; /* 0: no -verify_ip */
    int purpose_client;
    int no_check_time;
    int have_attime;
    long long attime;
};

int mbed_policy_check_config(const ptls_config *cfg,
                             void (*refuse)(void *arg, const char *option, const char *reason), void *arg)
{
    const ptls_verify_policy *p = &cfg->verify;
    int n = 0;
    if (p->purpose != NULL && strcmp(p->purpose, "sslclient") != 0) {
        refuse(arg, "-purpose",
               MBED_LIB " always checks a client certificate for the clientAuth purpose "
                        "(mbedtls_ssl_check_cert_usage); only -purpose sslclient can be honoured");
        n++;
    }
    if (p->verify_name != NULL && strcmp(p->verify_name, "ssl_client") != 0 &&
        strcmp(p->verify_name, "default") != 0) {
        refuse(arg, "-verify_name",
               MBED_LIB
               " always checks a client certificate for the clientAuth purpose "
               "(mbedtls_ssl_check_cert_usage); only -verify_name ssl_client or default can be honoured");
        n++;
    }
    return n;
}

int mbed_policy_new(mbed_server *s, const ptls_config *cfg, char *err, size_t errlen)
{
    const ptls_verify_policy *p = &cfg->verify;
    struct mbed_vpolicy *v;

    if (!p->host && !p->email && !p->ip && !p->purpose && !p->verify_name && !p->have_attime &&
        !(p->flags & PTLS_VF_NO_CHECK_TIME))
        return 0;
    v = calloc(1, sizeof *v);
    if (v == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (p->host) snprintf(v->host, sizeof v->host, "%s", p->host);
    if (p->email) snprintf(v->email, sizeof v->email, "%s", p->email);
    if (p->ip) {
        if (inet_pton(AF_INET, p->ip, v->ip) == 1)
            v->ip_len = 4;
        else if (inet_pton(AF_INET6, p->ip, v->ip) == 1)
            v->ip_len = 16;
    }
    v->purpose_client = p->purpose != NULL || (p->verify_name && strcmp(p->verify_name, "ssl_client") == 0);
    v->no_check_time = (p->flags & PTLS_VF_NO_CHECK_TIME) != 0;
    v->have_attime = p->have_attime;
    v->attime = (long long)p->attime;
    s->vpolicy = v;
    return 0;
}

void mbed_policy_free(mbed_server *s)
{
    free(s->vpolicy);
    s->vpolicy = NULL;
}

/* The GeneralNames of the leaf's subjectAltName extension, from the raw
 * extensions (v3_ext: SEQUENCE OF Extension). */
static int mbed_san_find(const mbedtls_x509_crt *crt, unsigned char **san, size_t *san_len)
{
    unsigned char *p = crt->v3_ext.p, *end = p + crt->v3_ext.len, *ext_end;
    size_t len;
    static const unsigned char oid_san[] = {0x55, 0x1d, 0x11};

    if (p == NULL || mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE))
        return -1;
    end = p + len;
    while (p < end) {
        int critical = 0;
        if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE)) return -1;
        ext_end = p + len;
        if (mbedtls_asn1_get_tag(&p, ext_end, &len, MBEDTLS_ASN1_OID)) return -1;
        int is_san = len == sizeof oid_san && memcmp(p, oid_san, len) == 0;
        p += len;
        mbedtls_asn1_get_bool(&p, ext_end, &critical);
        if (mbedtls_asn1_get_tag(&p, ext_end, &len, MBEDTLS_ASN1_OCTET_STRING)) return -1;
        if (is_san) {
            unsigned char *q = p;
            if (mbedtls_asn1_get_tag(&q, p + len, san_len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE))
                return -1;
            *san = q;
            return 0;
        }
        p = ext_end;
    }
    return -1;
}

/* RFC 6125 matching: case-insensitive, a wildcard only as the whole
 * leftmost label of a name with at least three labels. */
static int mbed_host_match(const char *pattern, size_t plen, const char *host)
{
    size_t hlen = strlen(host);
    if (plen == hlen && strncasecmp(pattern, host, plen) == 0) return 1;
    if (plen > 2 && pattern[0] == '*' && pattern[1] == '.' && memchr(pattern + 2, '.', plen - 2)) {
        const char *dot = strchr(host, '.');
        if (dot == NULL || dot == host) return 0;
        size_t rest = hlen - (size_t)(dot - host);
        return rest == plen - 1 && strncasecmp(pattern + 1, dot, rest) == 0;
    }
    return 0;
}

/* 1 when a GeneralName of the given context tag ([1] rfc822Name, [2]
 * dNSName, [7] iPAddress) matches; *seen counts the names of that tag. */
static int mbed_san_match(const mbedtls_x509_crt *crt, int tag, const struct mbed_vpolicy *v, int *seen)
{
    unsigned char *p, *end;
    size_t len;

    *seen = 0;
    if (mbed_san_find(crt, &p, &len) != 0) return 0;
    end = p + len;
    while (p < end) {
        int t = *p++;
        if (mbedtls_asn1_get_len(&p, end, &len)) return 0;
        if (t == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | tag)) {
            (*seen)++;
            if (tag == 2 && mbed_host_match((const char *)p, len, v->host)) return 1;
            if (tag == 1 && len == strlen(v->email) && strncasecmp((const char *)p, v->email, len) == 0)
                return 1;
            if (tag == 7 && len == v->ip_len && memcmp(p, v->ip, len) == 0) return 1;
        }
        p += len;
    }
    return 0;
}

static int mbed_cn_match(const mbedtls_x509_crt *crt, const char *host)
{
    for (const mbedtls_x509_name *n = &crt->subject; n != NULL; n = n->next)
        if (MBEDTLS_OID_CMP(MBEDTLS_OID_AT_CN, &n->oid) == 0 &&
            mbed_host_match((const char *)n->val.p, n->val.len, host))
            return 1;
    return 0;
}

/* mbedtls_x509_time -> seconds since the epoch (UTC). */
static long long mbed_time_t(const mbedtls_x509_time *t)
{
    struct tm tm = {0};
    tm.tm_year = t->year - 1900;
    tm.tm_mon = t->mon - 1;
    tm.tm_mday = t->day;
    tm.tm_hour = t->hour;
    tm.tm_min = t->min;
    tm.tm_sec = t->sec;
    return (long long)timegm(&tm);
}

#define MBED_TIME_FLAGS (MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCERT_FUTURE)

void mbed_policy_check(const mbed_server *s, mbedtls_x509_crt *crt, int depth, uint32_t *flags, char *vtext,
                       size_t vtext_len)
{
    const struct mbed_vpolicy *v = s->vpolicy;
    int seen;

    if (v == NULL) return;
#define MBED_POLICY_FAIL(...)                                                                                \
    do {                                                                                                     \
        *flags |= MBEDTLS_X509_BADCERT_OTHER;                                                                \
        if (!vtext[0]) snprintf(vtext, vtext_len, __VA_ARGS__);                                              \
    } while (0)
    if (v->no_check_time || v->have_attime) *flags &= ~(uint32_t)MBED_TIME_FLAGS;
    if (v->have_attime && !v->no_check_time) {
        if (v->attime < mbed_time_t(&crt->valid_from)) {
            *flags |= MBEDTLS_X509_BADCERT_FUTURE;
            if (!vtext[0])
                snprintf(vtext, vtext_len, "certificate is not yet valid at -attime (depth %d)", depth);
        } else if (v->attime > mbed_time_t(&crt->valid_to)) {
            *flags |= MBEDTLS_X509_BADCERT_EXPIRED;
            if (!vtext[0]) snprintf(vtext, vtext_len, "certificate has expired at -attime (depth %d)", depth);
        }
    }
    if (depth != 0) return;
    if (v->host[0] && !mbed_san_match(crt, 2, v, &seen) && (seen || !mbed_cn_match(crt, v->host))) {
        *flags |= MBEDTLS_X509_BADCERT_CN_MISMATCH;
        if (!vtext[0]) snprintf(vtext, vtext_len, "hostname mismatch (-verify_hostname %.80s)", v->host);
    }
    if (v->email[0] && !mbed_san_match(crt, 1, v, &seen)) {
        *flags |= MBEDTLS_X509_BADCERT_CN_MISMATCH;
        if (!vtext[0]) snprintf(vtext, vtext_len, "email address mismatch (-verify_email %.80s)", v->email);
    }
    if (v->ip_len && !mbed_san_match(crt, 7, v, &seen)) {
        *flags |= MBEDTLS_X509_BADCERT_CN_MISMATCH;
        if (!vtext[0]) snprintf(vtext, vtext_len, "IP address mismatch (-verify_ip)");
    }
    if (v->purpose_client && crt->ext_key_usage.buf.p != NULL &&
        mbedtls_x509_crt_check_extended_key_usage(crt, MBEDTLS_OID_CLIENT_AUTH,
                                                  MBEDTLS_OID_SIZE(MBEDTLS_OID_CLIENT_AUTH)) != 0)
        MBED_POLICY_FAIL("unsupported certificate purpose (-purpose sslclient: no clientAuth)");
#undef MBED_POLICY_FAIL
}
