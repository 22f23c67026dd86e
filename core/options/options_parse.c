/* Command-line parsing for `polytls s_server`, driven by the option table.
 * Syntax and checks follow openssl s_server; every error is a usage error
 * (exit 2) reported in s_server's style. Capability checks come later, in
 * ptls_validate (capability.c), once the backend is known. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wire/cipher_table.h"
#include "wire/group_table.h"
#include "options.h"
#include "server_opts.h"

#define PROG "polytls s_server"

static int usage_error(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int usage_error(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(err, errlen, "%s: ", PROG);
    if (n < 0 || (size_t)n >= errlen) return PTLS_EXIT_USAGE;
    va_start(ap, fmt);
    int m = vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
    va_end(ap);
    if (m >= 0 && (size_t)(n + m) < errlen)
        snprintf(err + n + m, errlen - (size_t)(n + m), "\n%s: Use -help for summary.", PROG);
    return PTLS_EXIT_USAGE;
}

int ptls_opt_given(const ptls_server_opts *o, int id)
{
    for (int i = 0; i < o->n_given; i++)
        if (o->given[i].id == id) return 1;
    return 0;
}

static int parse_int(const char *s, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 0 || v > 0x7fffffffL) return -1;
    *out = v;
    return 0;
}

static int parse_protocol(const char *s)
{
    static const struct {
        const char *name;
        int v;
    } names[] = {{"TLSv1", PTLS_TLS1_0},
                 {"TLSv1.0", PTLS_TLS1_0},
                 {"TLSv1.1", PTLS_TLS1_1},
                 {"TLSv1.2", PTLS_TLS1_2},
                 {"TLSv1.3", PTLS_TLS1_3}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(s, names[i].name) == 0) return names[i].v;
    return 0;
}

/* "h2,http/1.1" -> "\x02h2\x08http/1.1" (the ALPN/NPN wire format). */
static int protocols_to_wire(const char *list, unsigned char *out, size_t cap, size_t *len)
{
    size_t n = 0;
    const char *p = list;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l == 0 || l > 255 || n + 1 + l > cap) return -1;
        out[n++] = (unsigned char)l;
        memcpy(out + n, p, l);
        n += l;
        p += l;
        if (*p == ',') {
            p++;
            if (!*p) return -1;
        }
    }
    *len = n;
    return n ? 0 : -1;
}

static int hex_to_bin(const char *hex, unsigned char *out, size_t cap, size_t *len)
{
    size_t l = strlen(hex);
    if (l == 0 || l % 2 || l / 2 > cap) return -1;
    for (size_t i = 0; i < l; i += 2) {
        if (!isxdigit((unsigned char)hex[i]) || !isxdigit((unsigned char)hex[i + 1])) return -1;
        char b[3] = {hex[i], hex[i + 1], 0};
        out[i / 2] = (unsigned char)strtoul(b, NULL, 16);
    }
    *len = l / 2;
    return 0;
}

/* host:port, [v6]:port, port, *:port */
static int split_accept(const char *v, ptls_server_opts *o)
{
    const char *colon = strrchr(v, ':');
    const char *host = "", *port = v;
    size_t hostlen = 0;
    if (colon) {
        host = v;
        hostlen = (size_t)(colon - v);
        port = colon + 1;
        if (hostlen >= 2 && host[0] == '[' && host[hostlen - 1] == ']') {
            host++;
            hostlen -= 2;
        }
        if (hostlen == 1 && host[0] == '*') hostlen = 0;
    }
    long p;
    if (parse_int(port, &p) || p > 65535 || hostlen >= sizeof o->host) return -1;
    memcpy(o->host, host, hostlen);
    o->host[hostlen] = 0;
    snprintf(o->port, sizeof o->port, "%ld", p);
    return 0;
}

static int is_secret_option(int id)
{
    return id == OPTID_PASS || id == OPTID_DPASS || id == OPTID_PSK;
}

static void record_cmdline(ptls_server_opts *o, int argc, char **argv)
{
    size_t n = 0;
    n += (size_t)snprintf(o->cmdline + n, sizeof o->cmdline - n, "polytls s_server");
    for (int i = 0; i < argc && n < sizeof o->cmdline; i++) {
        const ptls_option *prev = (i > 0 && argv[i - 1][0] == '-') ? ptls_option_find(argv[i - 1] + 1) : NULL;
        const char *shown =
            (prev && is_secret_option(prev->id) && prev->type != OPT_FLAG) ? "<hidden>" : argv[i];
        n += (size_t)snprintf(o->cmdline + n, sizeof o->cmdline - n, " %s", shown);
    }
}

static void set_defaults(ptls_server_opts *o)
{
    memset(o, 0, sizeof *o);
    snprintf(o->port, sizeof o->port, "4433");
    o->family = AF_UNSPEC;
    o->naccept = -1;
    o->mode = MODE_ECHO;
    o->keymatexportlen = 20;
    o->handshake_timeout = 10;
    o->idle_timeout = 300;
    o->max_conns = 10000;
    o->workers = 1;
    ptls_config *c = &o->tls;
    c->cert.cert = "server.pem";
    c->verify_depth = -1;
    c->session_cache = 1;
    c->tickets = 1;
    c->num_tickets = 2;
    c->server_pref = 0; /* OpenSSL's default: the client's order */
    c->n_cipher_ids = 0;
    c->psk_identity = "Client_identity";
    c->max_early_data = 16384;
}

static int check_value(const ptls_option *opt, const char *v, char *err, size_t errlen)
{
    long n;
    switch (opt->type) {
    case OPT_INT:
        if (parse_int(v, &n))
            return usage_error(err, errlen, "Invalid number \"%s\" for option -%s", v, opt->name);
        break;
    case OPT_INFILE:
        if (access(v, R_OK) != 0)
            return usage_error(err, errlen, "Cannot open input file %s for -%s: %s", v, opt->name,
                               strerror(errno));
        break;
    case OPT_DIR: {
        DIR *d = opendir(v);
        if (!d)
            return usage_error(err, errlen, "Cannot open directory %s for -%s: %s", v, opt->name,
                               strerror(errno));
        closedir(d);
        break;
    }
    case OPT_FORMAT:
        if (strcasecmp(v, "PEM") && strcasecmp(v, "DER"))
            return usage_error(err, errlen, "Invalid format \"%s\" for option -%s (PEM or DER)", v,
                               opt->name);
        break;
    case OPT_PROTOCOL:
        if (!parse_protocol(v))
            return usage_error(err, errlen,
                               "Invalid protocol \"%s\" for option -%s (TLSv1, TLSv1.1, TLSv1.2, TLSv1.3)", v,
                               opt->name);
        break;
    default:
        break;
    }
    return 0;
}

/* A list of plain suite names, whatever spelling the user chose, reaches
 * every backend in OpenSSL's spelling too, so that backends that take
 * cipher strings never see an IANA or Mbed TLS name they cannot parse. */
static int canonical_cipher_string(ptls_server_opts *o)
{
    ptls_config *c = &o->tls;
    size_t n = 0;
    o->cipher_buf[0] = 0;
    for (int i = 0; i < c->n_cipher_ids; i++) {
        const ptls_cipher_entry *e = ptls_cipher_by_id(c->cipher_ids[i]);
        int w = snprintf(o->cipher_buf + n, sizeof o->cipher_buf - n, "%s%s", i ? ":" : "", e->openssl);
        if (w < 0 || (size_t)w >= sizeof o->cipher_buf - n) return -1;
        n += (size_t)w;
    }
    c->cipher_string = o->cipher_buf;
    return 0;
}

static int format_of(const char *v)
{
    return strcasecmp(v, "DER") == 0 ? PTLS_FORMAT_DER : PTLS_FORMAT_PEM;
}

/* Apply one option to the configuration. Value checks that need more than
 * the type (lists, hex) happen here. */
static int apply(ptls_server_opts *o, int id, const char *v, char *err, size_t errlen)
{
    ptls_config *c = &o->tls;
    long n = 0;
    char *bad = NULL;
    if (v && ptls_options[id].type == OPT_INT) parse_int(v, &n);
    switch (id) {
    case OPTID_HELP:
        o->help = 1;
        break;
    case OPTID_BACKEND:
        o->backend = v;
        break;
    case OPTID_HANDSHAKE_TIMEOUT:
        if (n < 1) return usage_error(err, errlen, "-handshake_timeout must be at least 1 second");
        o->handshake_timeout = (int)n;
        break;
    case OPTID_IDLE_TIMEOUT:
        o->idle_timeout = (int)n;
        break;
    case OPTID_MAX_CONNS:
        if (n < 1) return usage_error(err, errlen, "-max_conns must be at least 1");
        o->max_conns = (int)n;
        break;
    case OPTID_ALLOW_EXPIRED_CERT:
        o->allow_expired_cert = 1;
        break;
    case OPTID_WORKERS:
        if (n < 1 || n > 64) return usage_error(err, errlen, "-workers must be 1..64");
        o->workers = (int)n;
        break;
    case OPTID_PORT:
        if (n > 65535) return usage_error(err, errlen, "Invalid port %s", v);
        snprintf(o->port, sizeof o->port, "%ld", n);
        break;
    case OPTID_ACCEPT:
        if (split_accept(v, o))
            return usage_error(err, errlen, "Invalid -accept value \"%s\" (expected [host:]port)", v);
        break;
    case OPTID_UNIX:
        o->unix_path = v;
        break;
    case OPTID_UNLINK:
        o->unlink_unix = 1;
        break;
    case OPTID_IPV4:
        o->family = AF_INET;
        break;
    case OPTID_IPV6:
        o->family = AF_INET6;
        break;
    case OPTID_NACCEPT:
        if (n < 1) return usage_error(err, errlen, "-naccept must be at least 1");
        o->naccept = n;
        break;
    case OPTID_TFO:
        o->tfo = 1;
        break;
    case OPTID_CERT:
        c->cert.cert = v;
        o->cert_given = 1;
        break;
    case OPTID_CERTFORM:
        c->cert.cert_form = format_of(v);
        break;
    case OPTID_KEY:
        c->cert.key = v;
        break;
    case OPTID_KEYFORM:
        c->cert.key_form = format_of(v);
        break;
    case OPTID_PASS:
        o->pass_src = v;
        break;
    case OPTID_CERT_CHAIN:
        c->cert.chain = v;
        break;
    case OPTID_DCERT:
        c->dcert.cert = v;
        break;
    case OPTID_DCERTFORM:
        c->dcert.cert_form = format_of(v);
        break;
    case OPTID_DKEY:
        c->dcert.key = v;
        break;
    case OPTID_DKEYFORM:
        c->dcert.key_form = format_of(v);
        break;
    case OPTID_DPASS:
        o->dpass_src = v;
        break;
    case OPTID_DCERT_CHAIN:
        c->dcert.chain = v;
        break;
    case OPTID_NOCERT:
        c->nocert = 1;
        break;
    case OPTID_DHPARAM:
        c->dhparam = v;
        break;
    case OPTID_NO_DHE:
        c->no_dhe = 1;
        break;
    case OPTID_CONTEXT:
        c->context = v;
        break;
    case OPTID_SERVERNAME:
        c->servername = v;
        break;
    case OPTID_SERVERNAME_FATAL:
        c->servername_fatal = 1;
        break;
    case OPTID_CERT2:
        c->cert2.cert = v;
        break;
    case OPTID_KEY2:
        c->cert2.key = v;
        break;
    case OPTID_VERIFY:
        c->verify_mode = PTLS_VERIFY_REQUEST;
        c->verify_depth = (int)n;
        break;
    case OPTID_VERIFY_UPPER:
        c->verify_mode = PTLS_VERIFY_REQUIRE;
        c->verify_depth = (int)n;
        break;
    case OPTID_VERIFY_DEPTH:
        c->verify_depth = (int)n;
        break;
    case OPTID_VERIFY_QUIET:
        o->verify_quiet = 1;
        break;
    case OPTID_CAFILE:
    case OPTID_VERIFYCAFILE:
        c->ca_file = v;
        break;
    case OPTID_CAPATH:
    case OPTID_VERIFYCAPATH:
        c->ca_path = v;
        break;
    case OPTID_CRL:
        c->crl_file = v;
        break;
    case OPTID_CRLFORM:
        c->crl_form = format_of(v);
        break;
    case OPTID_CRL_CHECK:
        c->crl_check = 1;
        break;
    case OPTID_CRL_CHECK_ALL:
        c->crl_check_all = 1;
        break;
    case OPTID_NO_CA_NAMES:
        c->no_ca_names = 1;
        break;
    case OPTID_TLS1:
    case OPTID_TLS1_1:
    case OPTID_TLS1_2:
    case OPTID_TLS1_3: {
        int v2 = id == OPTID_TLS1     ? PTLS_TLS1_0
                 : id == OPTID_TLS1_1 ? PTLS_TLS1_1
                 : id == OPTID_TLS1_2 ? PTLS_TLS1_2
                                      : PTLS_TLS1_3;
        if (o->proto_flag && o->proto_flag != v2)
            return usage_error(err, errlen, "Cannot supply multiple protocol flags");
        o->proto_flag = v2;
        break;
    }
    case OPTID_DTLS:
        c->dtls = 1;
        break;
    case OPTID_DTLS1:
        c->dtls = 1;
        o->dtls_flag = PTLS_DTLS1_0;
        break;
    case OPTID_DTLS1_2:
        c->dtls = 1;
        o->dtls_flag = PTLS_DTLS1_2;
        break;
    case OPTID_DTLS1_3:
        c->dtls = 1;
        o->dtls_flag = PTLS_DTLS1_3;
        break;
    case OPTID_MTU:
        if (n < 256 || n > 65535) return usage_error(err, errlen, "-mtu must be 256..65535");
        c->dtls_mtu = (int)n;
        break;
    case OPTID_NO_TLS1:
        o->no_versions |= 1u << 1;
        break;
    case OPTID_NO_TLS1_1:
        o->no_versions |= 1u << 2;
        break;
    case OPTID_NO_TLS1_2:
        o->no_versions |= 1u << 3;
        break;
    case OPTID_NO_TLS1_3:
        o->no_versions |= 1u << 4;
        break;
    case OPTID_MIN_PROTOCOL:
        o->min_proto_given = parse_protocol(v);
        break;
    case OPTID_MAX_PROTOCOL:
        o->max_proto_given = parse_protocol(v);
        break;
    case OPTID_CIPHER: {
        c->cipher_string = v;
        int r = ptls_cipher_parse_list(v, c->cipher_ids, PTLS_MAX_CIPHERS, &bad);
        if (r == -2) {
            usage_error(err, errlen, "Unknown cipher suite \"%s\" in -cipher", bad);
            free(bad);
            return PTLS_EXIT_USAGE;
        }
        free(bad);
        c->n_cipher_ids = r; /* -1: OpenSSL cipher-string keywords */
        if (r >= 0 && canonical_cipher_string(o)) return usage_error(err, errlen, "-cipher list is too long");
        break;
    }
    case OPTID_CIPHERSUITES: {
        c->ciphersuites = v;
        int r = ptls_cipher_parse_list(v, c->tls13_ids, 16, &bad);
        if (r < 0) {
            usage_error(err, errlen, "Invalid TLS 1.3 ciphersuite \"%s\" in -ciphersuites", bad ? bad : v);
            free(bad);
            return PTLS_EXIT_USAGE;
        }
        for (int i = 0; i < r; i++)
            if ((c->tls13_ids[i] >> 8) != 0x13)
                return usage_error(err, errlen,
                                   "\"%s\" is not a TLS 1.3 ciphersuite (use -cipher for TLS 1.2)",
                                   ptls_cipher_iana_name(c->tls13_ids[i]));
        c->n_tls13_ids = r;
        break;
    }
    case OPTID_SERVERPREF:
        c->server_pref = 1;
        break;
    case OPTID_PRIORITIZE_CHACHA:
        c->prioritize_chacha = 1;
        break;
    case OPTID_GROUPS:
    case OPTID_CURVES:
    case OPTID_NAMED_CURVE: {
        int r = ptls_parse_id_list(v, ptls_group_id, c->group_ids, 32, &bad);
        if (r < 0) {
            usage_error(err, errlen, "Unknown group \"%s\" in -%s", bad ? bad : v, ptls_options[id].name);
            free(bad);
            return PTLS_EXIT_USAGE;
        }
        c->groups = v;
        c->n_group_ids = r;
        break;
    }
    case OPTID_SIGALGS:
    case OPTID_CLIENT_SIGALGS: {
        uint16_t *ids = id == OPTID_SIGALGS ? c->sigalg_ids : c->client_sigalg_ids;
        int r = ptls_parse_id_list(v, ptls_sigalg_id, ids, 32, &bad);
        if (r < 0) {
            usage_error(err, errlen, "Unknown signature algorithm \"%s\" in -%s", bad ? bad : v,
                        ptls_options[id].name);
            free(bad);
            return PTLS_EXIT_USAGE;
        }
        if (id == OPTID_SIGALGS) {
            c->sigalgs = v;
            c->n_sigalg_ids = r;
        } else {
            c->client_sigalgs = v;
            c->n_client_sigalg_ids = r;
        }
        break;
    }
    case OPTID_NO_ETM:
        c->no_etm = 1;
        break;
    case OPTID_NO_EMS:
        c->no_ems = 1;
        break;
    case OPTID_LEGACY_RENEGOTIATION:
        c->legacy_renegotiation = 1;
        break;
    case OPTID_NO_RENEGOTIATION:
        c->no_renegotiation = 1;
        break;
    case OPTID_CLIENT_RENEGOTIATION:
        c->client_renegotiation = 1;
        break;
    case OPTID_RECORD_PADDING:
        if (n < 1 || n > 16384) return usage_error(err, errlen, "-record_padding must be 1..16384");
        c->record_padding = (int)n;
        break;
    case OPTID_ID_PREFIX:
        c->id_prefix = v;
        break;
    case OPTID_NO_CACHE:
        c->session_cache = 0;
        break;
    case OPTID_NO_TICKET:
        c->tickets = 0;
        break;
    case OPTID_NUM_TICKETS:
        c->num_tickets = (int)n;
        break;
    case OPTID_ALPN:
        if (protocols_to_wire(v, o->alpn_buf, sizeof o->alpn_buf, &c->alpn_wire_len))
            return usage_error(err, errlen, "Invalid -alpn list \"%s\" (comma-separated, 1..255 bytes each)",
                               v);
        c->alpn_wire = o->alpn_buf;
        break;
    case OPTID_NEXTPROTONEG:
        if (protocols_to_wire(v, o->npn_buf, sizeof o->npn_buf, &c->npn_wire_len))
            return usage_error(err, errlen, "Invalid -nextprotoneg list \"%s\"", v);
        c->npn_wire = o->npn_buf;
        break;
    case OPTID_MAX_SEND_FRAG:
        if (n < 512 || n > 16384) return usage_error(err, errlen, "-max_send_frag must be 512..16384");
        c->max_send_frag = (int)n;
        break;
    case OPTID_KEYMATEXPORT:
        o->keymatexport = v;
        break;
    case OPTID_KEYMATEXPORTLEN:
        if (n < 1 || n > 4096) return usage_error(err, errlen, "-keymatexportlen must be 1..4096");
        o->keymatexportlen = (int)n;
        break;
    case OPTID_STATUS_FILE:
        c->status_file = v;
        break;
    case OPTID_EARLY_DATA:
        c->early_data = 1;
        break;
    case OPTID_MAX_EARLY_DATA:
        c->max_early_data = (uint32_t)n;
        break;
    case OPTID_PSK:
        if (hex_to_bin(v, o->psk_buf, sizeof o->psk_buf, &c->psk_len))
            return usage_error(err, errlen, "Not a hex number for -psk");
        c->psk = o->psk_buf;
        break;
    case OPTID_PSK_IDENTITY:
        c->psk_identity = v;
        break;
    case OPTID_PSK_HINT:
        c->psk_hint = v;
        break;
    case OPTID_WWW_STATUS:
    case OPTID_WWW_FILES:
    case OPTID_HTTP:
    case OPTID_REV: {
        int m = id == OPTID_WWW_STATUS  ? MODE_WWW
                : id == OPTID_WWW_FILES ? MODE_WWW_FILES
                : id == OPTID_HTTP      ? MODE_HTTP
                                        : MODE_REV;
        if (o->mode != MODE_ECHO && o->mode != m)
            return usage_error(err, errlen, "Cannot supply more than one of -www, -WWW, -HTTP and -rev");
        o->mode = m;
        break;
    }
    case OPTID_CRLF:
        o->crlf = 1;
        break;
    case OPTID_NO_IGN_EOF:
        o->no_ign_eof = 1;
        break;
    case OPTID_QUIET:
        o->quiet = 1;
        break;
    case OPTID_BRIEF:
        o->brief = 1;
        break;
    case OPTID_STATE:
        c->state = 1;
        break;
    case OPTID_TRACE:
        c->trace = 1;
        break;
    case OPTID_MSG:
        o->msg = 1;
        break;
    case OPTID_DEBUG:
        o->debug = 1;
        break;
    case OPTID_TLSEXTDEBUG:
        o->tlsextdebug = 1;
        break;
    case OPTID_MSGFILE:
        o->msgfile = v;
        break;
    case OPTID_JSON:
        o->json = v;
        break;
    case OPTID_KEYLOGFILE:
        o->keylogfile = v;
        c->keylog = 1;
        break;
    default:
        /* Options that change nothing in polytls (-nbio, -no_ssl3, -no_comp,
         * -ign_eof, ...: their effect is always in force) and options that
         * validation refuses (UNIMPLEMENTED, backend capabilities). */
        break;
    }
    return 0;
}

/* Usage conflicts that s_server also rejects, plus combinations that would
 * leave a setting without effect. */
static int check_conflicts(ptls_server_opts *o, char *err, size_t errlen)
{
    ptls_config *c = &o->tls;
    int ndtls = ptls_opt_given(o, OPTID_DTLS) + ptls_opt_given(o, OPTID_DTLS1) +
                ptls_opt_given(o, OPTID_DTLS1_2) + ptls_opt_given(o, OPTID_DTLS1_3);
    int dtls = ndtls > 0;
    if (ndtls > 1 || (dtls && o->proto_flag))
        return usage_error(err, errlen, "Cannot supply multiple protocol flags");
    if (o->proto_flag && (o->min_proto_given || o->max_proto_given))
        return usage_error(err, errlen,
                           "Cannot supply both a protocol flag and '-min_protocol' or '-max_protocol'");
    if (dtls && (o->mode == MODE_WWW || o->mode == MODE_WWW_FILES || o->mode == MODE_HTTP))
        return usage_error(err, errlen, "Can't use -HTTP, -www or -WWW with DTLS");
    if (ptls_opt_given(o, OPTID_LISTEN) && !dtls)
        return usage_error(err, errlen, "Can only use -listen with DTLS");
    if ((ptls_opt_given(o, OPTID_MTU) || ptls_opt_given(o, OPTID_TIMEOUT)) && !dtls)
        return usage_error(err, errlen, "-mtu and -timeout apply to DTLS only");
    if (dtls && (o->min_proto_given || o->max_proto_given || o->no_versions))
        return usage_error(
            err, errlen, "-min_protocol, -max_protocol and -no_tls* are TLS options; use -dtls1 or -dtls1_2");
    if (dtls && (o->workers > 1 || o->unix_path))
        return usage_error(err, errlen, "DTLS needs one UDP socket: not with -workers or -unix");
    if (c->early_data && o->mode == MODE_REV)
        return usage_error(err, errlen, "Can't use -early_data in combination with -rev");
    if (c->npn_wire && o->proto_flag == PTLS_TLS1_3)
        return usage_error(err, errlen, "Cannot supply -nextprotoneg with TLSv1.3");
    if (ptls_opt_given(o, OPTID_IPV4) && ptls_opt_given(o, OPTID_IPV6))
        return usage_error(err, errlen, "Cannot supply both -4 and -6");
    if (o->unix_path && (ptls_opt_given(o, OPTID_ACCEPT) || ptls_opt_given(o, OPTID_PORT)))
        return usage_error(err, errlen, "Cannot supply -unix together with -accept or -port");
    if (o->unlink_unix && !o->unix_path) return usage_error(err, errlen, "-unlink needs -unix");
    if (c->nocert && (o->cert_given || c->cert.key))
        return usage_error(err, errlen, "Cannot supply -nocert together with -cert or -key");
    if ((c->cert2.cert || c->cert2.key) && !c->servername)
        return usage_error(err, errlen, "-cert2/-key2 need -servername (the name that selects them)");
    if (c->servername && !c->cert2.cert)
        return usage_error(err, errlen, "-servername needs -cert2 (the certificate served for that name)");
    if (c->cert2.key && !c->cert2.cert) return usage_error(err, errlen, "-key2 needs -cert2");
    if ((c->dcert.key || c->dcert.chain || o->dpass_src) && !c->dcert.cert)
        return usage_error(err, errlen, "-dkey, -dcert_chain and -dpass need -dcert");
    if ((ptls_opt_given(o, OPTID_PSK_IDENTITY) || c->psk_hint) && !c->psk)
        return usage_error(err, errlen, "-psk_identity and -psk_hint need -psk");
    if (ptls_opt_given(o, OPTID_KEYMATEXPORTLEN) && !o->keymatexport)
        return usage_error(err, errlen, "-keymatexportlen needs -keymatexport");
    if (ptls_opt_given(o, OPTID_MAX_EARLY_DATA) && !c->early_data)
        return usage_error(err, errlen, "-max_early_data needs -early_data");
    if (ptls_opt_given(o, OPTID_VERIFY) && ptls_opt_given(o, OPTID_VERIFY_UPPER))
        return usage_error(err, errlen, "Cannot supply both -verify and -Verify");
    if ((c->crl_check || c->crl_check_all) && c->verify_mode == PTLS_VERIFY_NONE)
        return usage_error(err, errlen, "-crl_check/-crl_check_all need -verify or -Verify");
    if (c->crl_file && c->verify_mode == PTLS_VERIFY_NONE)
        return usage_error(err, errlen, "-CRL needs -verify or -Verify (it applies to client certificates)");
    /* A CRL that is loaded but never consulted would be a silent no-op:
     * -CRL therefore implies the leaf check, as documented in -help. */
    if (c->crl_file && !c->crl_check && !c->crl_check_all) c->crl_check = 1;
    if (ptls_opt_given(o, OPTID_VERIFY_DEPTH) && c->verify_mode == PTLS_VERIFY_NONE)
        return usage_error(err, errlen, "-verify_depth needs -verify or -Verify");
    if (o->workers > 1 && (o->naccept > 0 || o->unix_path || o->mode == MODE_ECHO))
        return usage_error(
            err, errlen,
            "-workers needs a TCP listener and -www, -WWW, -HTTP or -rev (not -naccept, -unix or "
            "the interactive echo mode)");
    if (o->msgfile && !o->msg && !o->debug) return usage_error(err, errlen, "-msgfile needs -msg or -debug");
    if (o->min_proto_given && o->max_proto_given && o->min_proto_given > o->max_proto_given)
        return usage_error(err, errlen, "-min_protocol is above -max_protocol");
    if (o->mode == MODE_REV && o->crlf) { /* fine: -crlf only concerns stdin */
    }
    return 0;
}

int ptls_parse_args(int argc, char **argv, ptls_server_opts *o, char *err, size_t errlen)
{
    set_defaults(o);
    err[0] = 0;
    record_cmdline(o, argc, argv);
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (arg[0] != '-' || !arg[1]) return usage_error(err, errlen, "Unknown parameter %s", arg);
        const char *name = arg + 1;
        if (name[0] == '-' && name[1]) name++; /* accept --option too */
        const ptls_option *opt = ptls_option_find(name);
        if (!opt) return usage_error(err, errlen, "Unknown option: %s", arg);
        const char *value = NULL;
        if (opt->type != OPT_FLAG) {
            if (i + 1 >= argc) return usage_error(err, errlen, "Option -%s needs a value", opt->name);
            value = argv[++i];
            int rc = check_value(opt, value, err, errlen);
            if (rc) return rc;
        }
        if (o->n_given >= PTLS_MAX_GIVEN) return usage_error(err, errlen, "Too many options");
        o->given[o->n_given].id = opt->id;
        o->given[o->n_given].value = value;
        o->n_given++;
        int rc = apply(o, opt->id, value, err, errlen);
        if (rc) return rc;
    }
    if (o->help) return PTLS_EXIT_OK;
    int rc = check_conflicts(o, err, errlen);
    if (rc) return rc;
    /* Keys default to their certificate file (a combined PEM), as in s_server. */
    if (o->tls.cert.key == NULL) o->tls.cert.key = o->tls.cert.cert;
    if (o->tls.dcert.cert && !o->tls.dcert.key) o->tls.dcert.key = o->tls.dcert.cert;
    if (o->tls.cert2.cert && !o->tls.cert2.key) o->tls.cert2.key = o->tls.cert2.cert;
    return PTLS_EXIT_OK;
}

void ptls_print_help(FILE *out)
{
    fprintf(out, "Usage: polytls s_server [options]\n");
    for (int g = 0; g < GRP__COUNT; g++) {
        fprintf(out, "\n%s:\n", ptls_opt_group_names[g]);
        for (int i = 0; i < OPTID__COUNT; i++) {
            const ptls_option *opt = &ptls_options[i];
            if (opt->group != g) continue;
            char left[64];
            snprintf(left, sizeof left, "-%s %s", opt->name, ptls_opt_type_hint(opt->type));
            fprintf(out, " %-26s %s%s\n", left, opt->help,
                    opt->cap == PTLS_CAP_UNIMPLEMENTED ? " [not implemented yet]" : "");
        }
    }
    fprintf(out, "\nWhich options each backend supports: polytls backends\n");
}
