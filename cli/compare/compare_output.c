/* polytls compare's output: see compare_output.h. */
#include "compare_output.h"

#include <stdlib.h>
#include <string.h>

#include "wire/cipher_table.h"
#include "wire/clienthello.h"
#include "wire/error_names.h"
#include "wire/group_table.h"

#define RED "\033[1;31m"
#define DIM "\033[2m"
#define OFF "\033[0m"

static const char *version_name(uint16_t v, char *buf)
{
    return ptls_ch_name(PTLS_CH_NAME_VERSION, v, buf);
}

static const char *short_version(uint16_t v)
{
    switch (v) {
    case 0x0304:
        return "1.3";
    case 0x0303:
        return "1.2";
    case 0x0302:
        return "1.1";
    case 0x0301:
        return "1.0";
    case 0x0300:
        return "SSL3";
    default:
        return "?";
    }
}

/* TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 -> "ECDHE-RSA AES128GCM";
 * TLS_AES_128_GCM_SHA256 -> "AES128GCM"; TLS_RSA_WITH_AES_128_CBC_SHA ->
 * "RSA AES128CBC-SHA". */
static void short_cipher(uint16_t id, char *out, size_t len)
{
    const char *iana = ptls_cipher_iana_name(id);
    if (!iana) {
        snprintf(out, len, "0x%04x", id);
        return;
    }
    char tmp[96];
    snprintf(tmp, sizeof tmp, "%s", strncmp(iana, "TLS_", 4) == 0 ? iana + 4 : iana);
    char *bulk = strstr(tmp, "_WITH_");
    char kx[48] = "";
    if (bulk) {
        *bulk = 0;
        snprintf(kx, sizeof kx, "%.47s", tmp);
        for (char *p = kx; *p; p++)
            if (*p == '_') *p = '-';
        bulk += 6;
    } else {
        bulk = tmp;
    }
    char b[64] = "";
    size_t o = 0;
    int cbc = 0;
    char *save = NULL;
    for (char *t = strtok_r(bulk, "_", &save); t; t = strtok_r(NULL, "_", &save)) {
        if (strcmp(t, "POLY1305") == 0) continue;
        if (strncmp(t, "SHA", 3) == 0) {
            if (cbc) o += (size_t)snprintf(b + o, sizeof b - o, "-%s", t);
            continue;
        }
        if (strcmp(t, "CBC") == 0) cbc = 1;
        if (o < sizeof b) o += (size_t)snprintf(b + o, sizeof b - o, "%s", t);
    }
    snprintf(out, len, "%s%s%s", kx, kx[0] ? " " : "", b);
}

static const char *alert_name(int desc, char *buf, size_t len)
{
    const char *n = ptls_alert_name(desc);
    if (n) return n;
    snprintf(buf, len, "alert_%d", desc);
    return buf;
}

void cmp_code(const cmp_result *r, char *buf, size_t len)
{
    const ptls_server_flight *f = &r->flight;
    char c[64], g[PTLS_CH_NAME_BUF], a[32];
    switch (r->status) {
    case CMP_REFUSED:
        snprintf(buf, len, "refused");
        return;
    case CMP_USAGE:
        snprintf(buf, len, "usage error");
        return;
    case CMP_NO_SERVER:
        snprintf(buf, len, "server failed");
        return;
    default:
        break;
    }
    switch (f->kind) {
    case PTLS_SF_SERVER_HELLO: {
        short_cipher(f->cipher, c, sizeof c);
        char grp[48] = "";
        if (f->version == 0x0304)
            snprintf(grp, sizeof grp, "%s", f->group ? ptls_sf_group_name(f->group, g) : "psk");
        else if (f->ske && f->ske_kind == 1)
            snprintf(grp, sizeof grp, "%s", ptls_sf_group_name(f->ske_group, g));
        else if (f->ske && f->ske_kind == 2)
            snprintf(grp, sizeof grp, "DHE-%u", f->ske_dh_bits);
        int n = snprintf(buf, len, "%s %s%s%s", short_version(f->version), c, grp[0] ? " " : "", grp);
        if (f->alert && n > 0 && (size_t)n < len)
            snprintf(buf + n, len - (size_t)n, " +alert %s", alert_name(f->alert_desc, a, sizeof a));
        else if (f->version != 0x0304 && !f->server_hello_done && !f->ccs && n > 0 && (size_t)n < len)
            snprintf(buf + n, len - (size_t)n, " (incomplete)");
        return;
    }
    case PTLS_SF_HRR:
        snprintf(buf, len, "HRR %s", f->group ? ptls_sf_group_name(f->group, g) : "(no group)");
        return;
    case PTLS_SF_ALERT:
        snprintf(buf, len, "alert %s%s", f->alert_level == 1 ? "warning " : "",
                 alert_name(f->alert_desc, a, sizeof a));
        return;
    case PTLS_SF_NOT_TLS:
        snprintf(buf, len, "not TLS");
        return;
    case PTLS_SF_OTHER:
        snprintf(buf, len, "other (%s)", f->n_msgs ? ptls_sf_msg_name(f->msgs[0]) : "record");
        return;
    default:
        break;
    }
    switch (r->end) {
    case CMP_END_CLOSE:
        snprintf(buf, len, "close");
        return;
    case CMP_END_RESET:
        snprintf(buf, len, "reset");
        return;
    case CMP_END_TIMEOUT:
        snprintf(buf, len, "timeout");
        return;
    case CMP_END_CLIENT_EXIT:
        snprintf(buf, len, "no answer (client exited)");
        return;
    default:
        snprintf(buf, len, "nothing");
        return;
    }
}

int cmp_ext_types(const cmp_result *rs, int n, uint16_t *types, int max)
{
    int k = 0;
    for (int i = 0; i < n; i++)
        for (unsigned e = 0; e < rs[i].flight.n_exts; e++) {
            uint16_t t = rs[i].flight.exts[e].type;
            int have = 0;
            for (int j = 0; j < k; j++)
                have |= types[j] == t;
            if (!have && k < max) types[k++] = t;
        }
    /* by type number: the same row order whatever order the servers used */
    for (int i = 1; i < k; i++)
        for (int j = i; j > 0 && types[j - 1] > types[j]; j--) {
            uint16_t t = types[j];
            types[j] = types[j - 1];
            types[j - 1] = t;
        }
    return k;
}

static cmp_field *add(cmp_field *out, int *k, int max, const char *name, int info)
{
    if (*k >= max) return NULL;
    cmp_field *f = &out[(*k)++];
    snprintf(f->name, sizeof f->name, "%s", name);
    snprintf(f->value, sizeof f->value, "-");
    f->info = info;
    return f;
}

#define SET(fld, ...)                                                                                        \
    do {                                                                                                     \
        if (fld) snprintf((fld)->value, sizeof(fld)->value, __VA_ARGS__);                                    \
    } while (0)

/* the conventional short names of the first flight's messages */
static const char *short_msg(uint8_t t)
{
    switch (t) {
    case 11:
        return "Certificate";
    case 12:
        return "ServerKeyExchange";
    case 13:
        return "CertificateRequest";
    case 14:
        return "ServerHelloDone";
    case 22:
        return "CertificateStatus";
    default:
        return ptls_sf_msg_name(t);
    }
}

static const char *end_name(int e)
{
    switch (e) {
    case CMP_END_FLIGHT:
        return "end of flight";
    case CMP_END_QUIET:
        return "quiet period";
    case CMP_END_CLOSE:
        return "server closed";
    case CMP_END_RESET:
        return "connection reset";
    case CMP_END_TIMEOUT:
        return "timeout";
    case CMP_END_CLIENT_EXIT:
        return "client exited";
    default:
        return "-";
    }
}

int cmp_fields(const cmp_input *in, const cmp_result *r, const uint16_t *ext_types, int n_ext_types,
               cmp_field *out, int max)
{
    int k = 0;
    const ptls_server_flight *f = &r->flight;
    int ran = r->status == CMP_RAN;
    int hello = ran && (f->kind == PTLS_SF_SERVER_HELLO || f->kind == PTLS_SF_HRR);
    int tls12 = hello && f->kind == PTLS_SF_SERVER_HELLO && f->version != 0x0304;
    char v[PTLS_CH_NAME_BUF], g[PTLS_CH_NAME_BUF], a[32], code[96];
    cmp_field *x;

    cmp_code(r, code, sizeof code);
    x = add(out, &k, max, "outcome", 0);
    SET(x, "%s", code);
    x = add(out, &k, max, "refused", 0);
    if (!ran) SET(x, "%.199s", r->reason);
    x = add(out, &k, max, "record version", 0);
    if (ran && f->records) SET(x, "%s", version_name(f->record_version, v));
    x = add(out, &k, max, "version", 0);
    if (hello) SET(x, "%s", version_name(f->version, v));
    x = add(out, &k, max, "legacy version", 0);
    if (hello) SET(x, "%s", version_name(f->legacy_version, v));
    x = add(out, &k, max, "cipher suite", 0);
    if (hello) {
        const char *n = ptls_cipher_iana_name(f->cipher);
        if (n)
            SET(x, "%s", n);
        else
            SET(x, "0x%04x", f->cipher);
    }
    x = add(out, &k, max, "key share", 0);
    if (hello && f->group) {
        if (f->kind == PTLS_SF_HRR)
            SET(x, "%s (requested)", ptls_sf_group_name(f->group, g));
        else
            SET(x, "%s (%zu bytes)", ptls_sf_group_name(f->group, g), f->key_share_len);
    }
    x = add(out, &k, max, "session id", 0);
    if (hello) {
        if (f->session_id_len == 0)
            SET(x, "empty");
        else
            SET(x, "%s (%zu bytes)", f->session_id_echo ? "echo" : "new", f->session_id_len);
    }
    x = add(out, &k, max, "compression", 0);
    if (hello) SET(x, f->compression ? "0x%02x" : "null", f->compression);
    x = add(out, &k, max, "downgrade sentinel", 0);
    if (hello) SET(x, "%s", f->downgrade == 1 ? "TLS 1.2" : f->downgrade == 2 ? "TLS 1.1 or older" : "none");
    x = add(out, &k, max, "extensions", 0);
    if (hello) SET(x, "%u", f->n_exts + f->exts_dropped);
    for (int i = 0; i < n_ext_types; i++) {
        char name[40];
        snprintf(name, sizeof name, "ext %s", ptls_ch_name(PTLS_CH_NAME_EXT, ext_types[i], g));
        x = add(out, &k, max, name, 0);
        for (unsigned e = 0; hello && e < f->n_exts; e++)
            if (f->exts[e].type == ext_types[i]) SET(x, "%s", f->exts[e].value[0] ? f->exts[e].value : "yes");
    }
    x = add(out, &k, max, "extension order", 1);
    if (hello && f->n_exts) {
        char m[200];
        size_t o = 0;
        m[0] = 0;
        for (unsigned e = 0; e < f->n_exts && o < sizeof m; e++)
            o += (size_t)snprintf(m + o, sizeof m - o, "%s%s", e ? ", " : "",
                                  ptls_ch_name(PTLS_CH_NAME_EXT, f->exts[e].type, g));
        SET(x, "%s", m);
    }
    x = add(out, &k, max, "messages", 0);
    if (ran && f->n_msgs) {
        char m[200];
        size_t o = 0;
        m[0] = 0;
        for (unsigned i = 0; i < f->n_msgs && o < sizeof m; i++)
            o += (size_t)snprintf(m + o, sizeof m - o, "%s%s", i ? " " : "", short_msg(f->msgs[i]));
        SET(x, "%s", m);
    }
    x = add(out, &k, max, "certificates", 0);
    if (ran && f->cert_count >= 0) SET(x, "%d, leaf %zu bytes", f->cert_count, f->leaf_len);
    x = add(out, &k, max, "key exchange", 0);
    if (tls12) {
        if (f->ske && f->ske_kind == 1)
            SET(x, "ECDHE %s", ptls_sf_group_name(f->ske_group, g));
        else if (f->ske)
            SET(x, "DHE %u bits", f->ske_dh_bits);
        else if (f->server_hello_done)
            SET(x, "none");
    }
    x = add(out, &k, max, "signature scheme", 0);
    if (tls12 && f->ske_sigalg) {
        const char *n = ptls_sigalg_name(f->ske_sigalg);
        if (n)
            SET(x, "%s", n);
        else
            SET(x, "0x%04x", f->ske_sigalg);
    }
    x = add(out, &k, max, "certificate request", 0);
    if (tls12 && f->server_hello_done) SET(x, "%s", f->cert_request ? "yes" : "no");
    x = add(out, &k, max, "change cipher spec", 0);
    if (hello) SET(x, "%s", f->ccs ? "yes" : "no");
    x = add(out, &k, max, "alert", 0);
    if (ran && f->alert)
        SET(x, "%s %s (%d)",
            f->alert_level == 1   ? "warning"
            : f->alert_level == 2 ? "fatal"
                                  : "level?",
            alert_name(f->alert_desc, a, sizeof a), f->alert_desc);
    x = add(out, &k, max, "decode problem", 0);
    if (ran && f->malformed[0]) SET(x, "%s", f->malformed);
    x = add(out, &k, max, "encrypted records", 1);
    if (ran && f->encrypted_records) SET(x, "%u (%zu bytes)", f->encrypted_records, f->encrypted_bytes);
    x = add(out, &k, max, "ended by", 1);
    if (ran) SET(x, "%s", end_name(r->end));

    /* the server's own account (-json events) */
    x = add(out, &k, max, "server: handshake", 0);
    if (ran && in->kind == CMP_INPUT_COMMAND) SET(x, "%s", r->handshake_done ? "done" : "not done");
    x = add(out, &k, max, "server: version", 0);
    if (r->handshake_done) SET(x, "%s", r->hs_version);
    x = add(out, &k, max, "server: cipher", 0);
    if (r->handshake_done) SET(x, "%s", r->hs_cipher);
    x = add(out, &k, max, "server: group", 0);
    if (r->handshake_done && r->hs_group[0]) SET(x, "%s", r->hs_group);
    x = add(out, &k, max, "server: alpn", 0);
    if (r->handshake_done && r->hs_alpn[0]) SET(x, "%s", r->hs_alpn);
    x = add(out, &k, max, "server: resumed", 0);
    if (r->handshake_done && r->hs_resumed[0]) SET(x, "%s", r->hs_resumed);
    x = add(out, &k, max, "server: verify", 0);
    if (r->handshake_done && r->hs_verify[0]) SET(x, "%s", r->hs_verify);
    /* TLS 1.3 signs encrypted: only libraries that report it have it */
    x = add(out, &k, max, "server: signature scheme", 1);
    if (r->handshake_done && r->hs_sigscheme[0]) SET(x, "%s", r->hs_sigscheme);
    x = add(out, &k, max, "server: error", 0);
    if (ran && r->error[0]) SET(x, "%s (%s)", r->error, r->error_stage[0] ? r->error_stage : "?");
    x = add(out, &k, max, "client exit", 0);
    if (ran && in->kind == CMP_INPUT_COMMAND) {
        if (r->client_exit >= 0)
            SET(x, "%d", r->client_exit);
        else
            SET(x, "killed (timeout)");
    }
    x = add(out, &k, max, "server exit", 1);
    if (ran) {
        if (r->server_killed)
            SET(x, "stopped by polytls compare");
        else
            SET(x, "%d", r->server_exit);
    }
    return k;
}

/* fields of every result (same names, same order) */
typedef struct cmp_grid {
    cmp_field *f; /* n x nf */
    int nf;
} cmp_grid;

static void grid_make(cmp_grid *gd, const cmp_input *in, const cmp_result *rs, int n)
{
    uint16_t types[64];
    int nt = cmp_ext_types(rs, n, types, 64);
    gd->f = calloc((size_t)(n > 0 && n < 1024 ? n : 1) * CMP_MAX_FIELDS, sizeof *gd->f);
    gd->nf = 0;
    for (int i = 0; i < n; i++)
        gd->nf = cmp_fields(in, &rs[i], types, nt, gd->f + (size_t)i * CMP_MAX_FIELDS, CMP_MAX_FIELDS);
}

static const cmp_field *cell(const cmp_grid *gd, int i, int row)
{
    return &gd->f[(size_t)i * CMP_MAX_FIELDS + (size_t)row];
}

static int row_differs(const cmp_grid *gd, int n, int row)
{
    for (int i = 1; i < n; i++)
        if (strcmp(cell(gd, i, row)->value, cell(gd, 0, row)->value) != 0) return 1;
    return 0;
}

static int row_empty(const cmp_grid *gd, int n, int row)
{
    for (int i = 0; i < n; i++)
        if (strcmp(cell(gd, i, row)->value, "-") != 0) return 0;
    return 1;
}

int cmp_differs(const cmp_input *in, const cmp_result *rs, int n, char *diff, size_t difflen)
{
    cmp_grid gd;
    grid_make(&gd, in, rs, n);
    int any = 0;
    size_t o = 0;
    if (diff && difflen) diff[0] = 0;
    for (int row = 0; row < gd.nf; row++) {
        if (cell(&gd, 0, row)->info || !row_differs(&gd, n, row)) continue;
        any = 1;
        if (diff && o < difflen)
            o += (size_t)snprintf(diff + o, difflen - o, "%s%s", o ? ", " : "", cell(&gd, 0, row)->name);
    }
    free(gd.f);
    return any;
}

/* Display width of a UTF-8 string (the values are ASCII, names may not be). */
static int width(const char *s)
{
    int w = 0;
    for (; *s; s++)
        if ((*s & 0xc0) != 0x80) w++;
    return w;
}

static void pad(FILE *out, const char *s, int w)
{
    fputs(s, out);
    for (int i = width(s); i < w; i++)
        fputc(' ', out);
}

#define COLW_MAX 48

/* value cut to the column width with "..." */
static void fit(char *dst, size_t len, const char *v, int w)
{
    if (width(v) <= w) {
        snprintf(dst, len, "%s", v);
        return;
    }
    snprintf(dst, len, "%.*s...", w - 3, v);
}

void cmp_print_table(FILE *out, const cmp_input *in, const cmp_result *rs, int n, int color)
{
    cmp_grid gd;
    grid_make(&gd, in, rs, n);
    int namew = 10, colw[64];
    for (int row = 0; row < gd.nf; row++)
        if (width(cell(&gd, 0, row)->name) > namew) namew = width(cell(&gd, 0, row)->name);
    for (int i = 0; i < n && i < 64; i++) {
        colw[i] = width(rs[i].flavour);
        for (int row = 0; row < gd.nf; row++) {
            int w = width(cell(&gd, i, row)->value);
            if (strcmp(cell(&gd, i, row)->name, "refused") == 0) continue; /* printed in full below */
            if (w > colw[i]) colw[i] = w;
        }
        if (colw[i] > COLW_MAX) colw[i] = COLW_MAX;
    }
    fprintf(out, "  ");
    pad(out, "", namew);
    for (int i = 0; i < n && i < 64; i++) {
        fprintf(out, "  ");
        pad(out, rs[i].flavour, colw[i]);
    }
    fprintf(out, "\n");
    for (int row = 0; row < gd.nf; row++) {
        if (row_empty(&gd, n, row)) continue;
        const cmp_field *h = cell(&gd, 0, row);
        int d = row_differs(&gd, n, row);
        const char *mark = d ? (h->info ? "~ " : "* ") : "  ";
        if (color && d) fputs(h->info ? DIM : RED, out);
        fputs(mark, out);
        pad(out, h->name, namew);
        for (int i = 0; i < n && i < 64; i++) {
            char v[COLW_MAX + 8];
            fit(v, sizeof v, cell(&gd, i, row)->value, colw[i]);
            fprintf(out, "  ");
            pad(out, v, colw[i]);
        }
        if (color && d) fputs(OFF, out);
        fprintf(out, "\n");
    }
    for (int i = 0; i < n; i++)
        if (rs[i].status != CMP_RAN) fprintf(out, "\n%s: %s", rs[i].flavour, rs[i].reason);
    int any = 0;
    for (int i = 0; i < n; i++)
        any |= rs[i].status != CMP_RAN;
    if (any) fprintf(out, "\n");
    free(gd.f);
}

void cmp_print_matrix(FILE *out, const cmp_input *ins, int n_cases, const cmp_result *rs, int n_flavours,
                      int color)
{
    int namew = 4, colw[64];
    char code[96];
    for (int c = 0; c < n_cases; c++)
        if (width(ins[c].name) > namew) namew = width(ins[c].name);
    for (int i = 0; i < n_flavours && i < 64; i++) {
        colw[i] = width(rs[i].flavour);
        for (int c = 0; c < n_cases; c++) {
            cmp_code(&rs[(size_t)c * (size_t)n_flavours + (size_t)i], code, sizeof code);
            if (width(code) > colw[i]) colw[i] = width(code);
        }
        if (colw[i] > COLW_MAX) colw[i] = COLW_MAX;
    }
    fprintf(out, "  ");
    pad(out, "case", namew);
    for (int i = 0; i < n_flavours && i < 64; i++) {
        fprintf(out, "  ");
        pad(out, rs[i].flavour, colw[i]);
    }
    fprintf(out, "\n");
    int n_diff = 0;
    for (int c = 0; c < n_cases; c++) {
        const cmp_result *row = &rs[(size_t)c * (size_t)n_flavours];
        int d = cmp_differs(&ins[c], row, n_flavours, NULL, 0);
        n_diff += d;
        if (color && d) fputs(RED, out);
        fputs(d ? "* " : "  ", out);
        pad(out, ins[c].name, namew);
        for (int i = 0; i < n_flavours && i < 64; i++) {
            char v[COLW_MAX + 8];
            cmp_code(&row[i], code, sizeof code);
            fit(v, sizeof v, code, colw[i]);
            fprintf(out, "  ");
            pad(out, v, colw[i]);
        }
        if (color && d) fputs(OFF, out);
        fprintf(out, "\n");
    }
    fprintf(out, "\n%d cases, %d flavours: %d cases differ (*)\n", n_cases, n_flavours, n_diff);
    /* what differs, per case: the outcome shows in the matrix; when the
     * outcomes agree, the fields that do not, with each flavour's value */
    if (n_diff) fprintf(out, "\nDifferences (same outcome, other fields: values in flavour order):\n");
    for (int c = 0; c < n_cases; c++) {
        const cmp_result *row = &rs[(size_t)c * (size_t)n_flavours];
        if (!cmp_differs(&ins[c], row, n_flavours, NULL, 0)) continue;
        cmp_grid gd;
        grid_make(&gd, &ins[c], row, n_flavours);
        int first = 1;
        if (row_differs(&gd, n_flavours, 0)) {
            int others = 0;
            for (int r = 1; r < gd.nf; r++)
                others += !cell(&gd, 0, r)->info && row_differs(&gd, n_flavours, r);
            fprintf(out, "  %s: outcome (and %d more fields)\n", ins[c].name, others);
            free(gd.f);
            continue;
        }
        fprintf(out, "  %s:", ins[c].name);
        for (int r = 1; r < gd.nf; r++) {
            if (cell(&gd, 0, r)->info || !row_differs(&gd, n_flavours, r)) continue;
            fprintf(out, "%s %s [", first ? "" : ";", cell(&gd, 0, r)->name);
            for (int i = 0; i < n_flavours; i++)
                fprintf(out, "%s%s", i ? " | " : "", cell(&gd, i, r)->value);
            fprintf(out, "]");
            first = 0;
        }
        fprintf(out, "\n");
        free(gd.f);
    }
}

void cmp_json_case(ptls_json *j, const cmp_input *in, const cmp_result *rs, int n, const char *repro)
{
    cmp_grid gd;
    grid_make(&gd, in, rs, n);
    char diff[2048], code[96];
    int d = cmp_differs(in, rs, n, diff, sizeof diff);
    ptls_json_open(j);
    ptls_json_str(j, "case", in->name);
    if (in->description) ptls_json_str(j, "description", in->description);
    ptls_json_str(j, "input", in->kind == CMP_INPUT_BYTES ? "clienthello" : "command");
    if (in->kind == CMP_INPUT_BYTES) ptls_json_int(j, "bytes", (long long)ptls_buf_size(&in->bytes));
    if (in->n_server_args) {
        ptls_json_array_open(j, "server_args");
        for (int i = 0; i < in->n_server_args; i++)
            ptls_json_elem_str(j, in->server_args[i]);
        ptls_json_array_close(j);
    }
    if (repro) ptls_json_str(j, "repro", repro);
    ptls_json_bool(j, "differs", d);
    ptls_json_array_open(j, "differing_fields");
    if (d) {
        char *save = NULL;
        for (char *t = strtok_r(diff, ",", &save); t; t = strtok_r(NULL, ",", &save))
            ptls_json_elem_str(j, t[0] == ' ' ? t + 1 : t);
    }
    ptls_json_array_close(j);
    ptls_json_object_open(j, "results");
    for (int i = 0; i < n; i++) {
        const cmp_result *r = &rs[i];
        ptls_json_object_open(j, r->flavour);
        static const char *status[] = {"ran", "refused", "usage", "no_server"};
        ptls_json_str(j, "status", status[r->status]);
        cmp_code(r, code, sizeof code);
        ptls_json_str(j, "code", code);
        if (r->status != CMP_RAN) ptls_json_str(j, "reason", r->reason);
        ptls_json_object_open(j, "fields");
        for (int row = 0; row < gd.nf; row++) {
            const cmp_field *fl = cell(&gd, i, row);
            if (fl->info || strcmp(fl->value, "-") == 0 || strcmp(fl->name, "outcome") == 0 ||
                strcmp(fl->name, "refused") == 0)
                continue;
            ptls_json_str(j, fl->name, fl->value);
        }
        ptls_json_close(j);
        ptls_json_object_open(j, "info");
        for (int row = 0; row < gd.nf; row++) {
            const cmp_field *fl = cell(&gd, i, row);
            if (fl->info && strcmp(fl->value, "-") != 0) ptls_json_str(j, fl->name, fl->value);
        }
        ptls_json_close(j);
        ptls_json_close(j);
    }
    ptls_json_close(j);
    ptls_json_close(j);
    free(gd.f);
}
