/* ClientHello inspector: see clienthello.h. Hostile input: every read goes
 * through the bounds-checked cursor below; no recursion; the only
 * allocations are the reassembly buffer (grown as bytes arrive, never above
 * PTLS_CH_MAX_LEN), the DTLS fragment bitmap (msg_len / 8 after the cap
 * check) and the decoded lists (sized by elements actually present). */
#include "clienthello.h"

#include <md5.h> /* libmd */
#include <sha2.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cipher_table.h"
#include "group_table.h"

#define TLS_RECORD_HDR 5
#define DTLS_RECORD_HDR 13
#define TLS_HS_HDR 4
#define DTLS_HS_HDR 12
#define MAX_PLAINTEXT 16384u /* RFC 8446 5.1 / RFC 6347 4.3.1 */
#define CT_HANDSHAKE 22
#define HS_CLIENT_HELLO 1

enum {
    EXT_SERVER_NAME = 0,
    EXT_STATUS_REQUEST = 5,
    EXT_SUPPORTED_GROUPS = 10,
    EXT_EC_POINT_FORMATS = 11,
    EXT_SIGNATURE_ALGORITHMS = 13,
    EXT_ALPN = 16,
    EXT_PADDING = 21,
    EXT_ENCRYPT_THEN_MAC = 22,
    EXT_EXTENDED_MASTER_SECRET = 23,
    EXT_SESSION_TICKET = 35,
    EXT_PRE_SHARED_KEY = 41,
    EXT_EARLY_DATA = 42,
    EXT_SUPPORTED_VERSIONS = 43,
    EXT_PSK_KEY_EXCHANGE_MODES = 45,
    EXT_POST_HANDSHAKE_AUTH = 49,
    EXT_SIGNATURE_ALGORITHMS_CERT = 50,
    EXT_KEY_SHARE = 51,
    EXT_ECH = 0xfe0d,
    EXT_RENEGOTIATION_INFO = 0xff01
};

/* ---- private allocations of the result ---------------------------------- */

struct chunk {
    struct chunk *next;
    max_align_t align; /* the data that follows is aligned for any type */
};

static void *palloc(ptls_ch_parser *p, size_t n)
{
    struct chunk *c = malloc(sizeof *c + n);
    if (!c) return NULL;
    c->next = p->mem;
    p->mem = c;
    return c + 1;
}

static int fail(ptls_ch_parser *p, int status, const char *reason)
{
    p->status = status;
    p->reason = reason;
    return status;
}

/* ---- bounds-checked cursor ---------------------------------------------- */

typedef struct cur {
    const unsigned char *p;
    size_t n;
} cur;

static int get_u8(cur *c, unsigned *v)
{
    if (c->n < 1) return 0;
    *v = c->p[0];
    c->p++;
    c->n--;
    return 1;
}

static int get_u16(cur *c, uint16_t *v)
{
    if (c->n < 2) return 0;
    *v = (uint16_t)(c->p[0] << 8 | c->p[1]);
    c->p += 2;
    c->n -= 2;
    return 1;
}

static int get_bytes(cur *c, size_t len, cur *out)
{
    if (c->n < len) return 0;
    out->p = c->p;
    out->n = len;
    c->p += len;
    c->n -= len;
    return 1;
}

/* A vector with a 1- or 2-byte length prefix, which must fit in c. */
static int get_vec8(cur *c, cur *out)
{
    unsigned len;
    return get_u8(c, &len) && get_bytes(c, len, out);
}

static int get_vec16(cur *c, cur *out)
{
    uint16_t len;
    return get_u16(c, &len) && get_bytes(c, len, out);
}

static uint32_t be24(const unsigned char *b)
{
    return (uint32_t)b[0] << 16 | (uint32_t)b[1] << 8 | b[2];
}

static uint16_t be16(const unsigned char *b)
{
    return (uint16_t)(b[0] << 8 | b[1]);
}

/* Decodes a list of uint16 filling all of c (non-empty, even length). */
static const char *u16_list(ptls_ch_parser *p, cur c, const uint16_t **out, size_t *n, unsigned grease_bit)
{
    if (c.n == 0 || c.n % 2) return "empty or odd-length list of 16-bit values";
    uint16_t *v = palloc(p, c.n);
    if (!v) return "out of memory";
    size_t k = c.n / 2;
    for (size_t i = 0; i < k; i++) {
        v[i] = be16(c.p + 2 * i);
        if (ptls_is_grease(v[i])) p->ch.grease |= grease_bit;
    }
    *out = v;
    *n = k;
    return NULL;
}

/* ---- extensions ---------------------------------------------------------- */

static const char *ext_server_name(ptls_ch_parser *p, cur e)
{
    cur list;
    ptls_client_hello *ch = &p->ch;
    ch->has_sni = 1;
    if (!get_vec16(&e, &list) || e.n || list.n == 0) return "bad server_name list length";
    int have_host = 0;
    while (list.n) {
        unsigned type;
        cur name;
        if (!get_u8(&list, &type) || !get_vec16(&list, &name)) return "truncated server_name entry";
        if (type != 0) continue; /* unknown name types are carried as opaque vectors */
        if (have_host) return "more than one host_name in server_name";
        if (name.n == 0 || name.n >= sizeof ch->sni || memchr(name.p, 0, name.n))
            return "server_name host_name empty, longer than 255 bytes or containing NUL";
        memcpy(ch->sni, name.p, name.n);
        ch->sni[name.n] = 0;
        have_host = 1;
    }
    return NULL;
}

static const char *ext_alpn(ptls_ch_parser *p, cur e)
{
    cur list, name;
    if (!get_vec16(&e, &list) || e.n || list.n == 0) return "bad ALPN list length";
    size_t count = 0;
    for (cur c = list; c.n; count++)
        if (!get_vec8(&c, &name) || name.n == 0) return "empty or truncated ALPN protocol name";
    ptls_ch_bytes *v = palloc(p, count * sizeof *v);
    if (!v) return "out of memory";
    for (size_t i = 0; i < count; i++) {
        get_vec8(&list, &name);
        v[i].data = name.p;
        v[i].len = name.n;
        if (name.n == 2 && ptls_is_grease(be16(name.p))) p->ch.grease |= PTLS_CH_GREASE_ALPN;
    }
    p->ch.alpn = v;
    p->ch.n_alpn = count;
    return NULL;
}

static const char *ext_key_share(ptls_ch_parser *p, cur e)
{
    cur list, key;
    uint16_t group;
    p->ch.has_key_share = 1;
    if (!get_vec16(&e, &list) || e.n) return "bad key_share list length";
    size_t count = 0;
    for (cur c = list; c.n; count++)
        if (!get_u16(&c, &group) || !get_vec16(&c, &key) || key.n == 0)
            return "empty or truncated key_share entry";
    if (!count) return NULL; /* an empty list asks for HelloRetryRequest: legal */
    ptls_ch_key_share *v = palloc(p, count * sizeof *v);
    if (!v) return "out of memory";
    for (size_t i = 0; i < count; i++) {
        get_u16(&list, &group);
        get_vec16(&list, &key);
        v[i].group = group;
        v[i].key_len = (uint16_t)key.n;
        if (ptls_is_grease(group)) p->ch.grease |= PTLS_CH_GREASE_KEYSHARE;
    }
    p->ch.key_shares = v;
    p->ch.n_key_shares = count;
    return NULL;
}

static const char *ext_pre_shared_key(ptls_ch_parser *p, cur e)
{
    cur ids, binders, id, binder, age;
    p->ch.has_pre_shared_key = 1;
    if (!get_vec16(&e, &ids) || !get_vec16(&e, &binders) || e.n || ids.n == 0 || binders.n == 0)
        return "bad pre_shared_key lengths";
    unsigned n_ids = 0, n_binders = 0;
    while (ids.n) {
        if (!get_vec16(&ids, &id) || id.n == 0 || !get_bytes(&ids, 4, &age))
            return "truncated pre_shared_key identity";
        n_ids++;
    }
    while (binders.n) {
        if (!get_vec8(&binders, &binder) || binder.n < 32) return "truncated or short pre_shared_key binder";
        n_binders++;
    }
    if (n_ids != n_binders) return "pre_shared_key identity and binder counts differ";
    p->ch.psk_identities = n_ids;
    return NULL;
}

static const char *u8_list(cur e, const uint8_t **out, size_t *n, int even)
{
    cur list;
    if (!get_vec8(&e, &list) || e.n || list.n == 0 || (even && list.n % 2))
        return "bad length in a list of 8-bit values";
    *out = list.p;
    *n = list.n;
    return NULL;
}

static const char *parse_ext(ptls_ch_parser *p, uint16_t type, cur e)
{
    ptls_client_hello *ch = &p->ch;
    cur list;
    const char *err;
    switch (type) {
    case EXT_SERVER_NAME:
        return ext_server_name(p, e);
    case EXT_SUPPORTED_GROUPS:
        if (!get_vec16(&e, &list) || e.n) return "bad supported_groups length";
        return u16_list(p, list, &ch->groups, &ch->n_groups, PTLS_CH_GREASE_GROUP);
    case EXT_EC_POINT_FORMATS:
        if (u8_list(e, &ch->ec_point_formats, &ch->n_ec_point_formats, 0))
            return "bad ec_point_formats length";
        return NULL;
    case EXT_SIGNATURE_ALGORITHMS:
        if (!get_vec16(&e, &list) || e.n) return "bad signature_algorithms length";
        return u16_list(p, list, &ch->sigalgs, &ch->n_sigalgs, PTLS_CH_GREASE_SIGALG);
    case EXT_SIGNATURE_ALGORITHMS_CERT:
        if (!get_vec16(&e, &list) || e.n) return "bad signature_algorithms_cert length";
        return u16_list(p, list, &ch->sigalgs_cert, &ch->n_sigalgs_cert, PTLS_CH_GREASE_SIGALG);
    case EXT_ALPN:
        return ext_alpn(p, e);
    case EXT_SUPPORTED_VERSIONS: {
        const uint8_t *raw;
        size_t n;
        if ((err = u8_list(e, &raw, &n, 1))) return "bad supported_versions length";
        cur c = {raw, n};
        return u16_list(p, c, &ch->versions, &ch->n_versions, PTLS_CH_GREASE_VERSION);
    }
    case EXT_PSK_KEY_EXCHANGE_MODES:
        if ((err = u8_list(e, &ch->psk_modes, &ch->n_psk_modes, 0)))
            return "bad psk_key_exchange_modes length";
        for (size_t i = 0; i < ch->n_psk_modes; i++)
            if (ch->psk_modes[i] >= 0x0b && (ch->psk_modes[i] - 0x0b) % 0x1f == 0)
                ch->grease |= PTLS_CH_GREASE_PSKMODE;
        return NULL;
    case EXT_KEY_SHARE:
        return ext_key_share(p, e);
    case EXT_PRE_SHARED_KEY:
        return ext_pre_shared_key(p, e);
    case EXT_SESSION_TICKET:
        ch->has_session_ticket = 1;
        ch->session_ticket_len = e.n;
        return NULL;
    case EXT_EARLY_DATA:
        ch->has_early_data = 1;
        return e.n ? "early_data with content" : NULL;
    case EXT_ENCRYPT_THEN_MAC:
        ch->has_encrypt_then_mac = 1;
        return e.n ? "encrypt_then_mac with content" : NULL;
    case EXT_EXTENDED_MASTER_SECRET:
        ch->has_extended_master_secret = 1;
        return e.n ? "extended_master_secret with content" : NULL;
    case EXT_POST_HANDSHAKE_AUTH:
        ch->has_post_handshake_auth = 1;
        return e.n ? "post_handshake_auth with content" : NULL;
    case EXT_RENEGOTIATION_INFO:
        ch->has_renegotiation_info = 1;
        if (!get_vec8(&e, &list) || e.n) return "bad renegotiation_info length";
        return NULL;
    case EXT_STATUS_REQUEST:
        ch->has_status_request = 1;
        return NULL;
    case EXT_ECH:
        ch->has_ech = 1;
        return NULL;
    case EXT_PADDING:
        ch->has_padding = 1;
        return NULL;
    default:
        return NULL;
    }
}

static const char *parse_extensions(ptls_ch_parser *p, cur block)
{
    ptls_client_hello *ch = &p->ch;
    uint16_t type;
    cur data;
    size_t count = 0;
    unsigned char seen[65536 / 8];
    memset(seen, 0, sizeof seen);
    for (cur c = block; c.n; count++) {
        if (!get_u16(&c, &type) || !get_vec16(&c, &data)) return "truncated extension";
        if (seen[type >> 3] & (1u << (type & 7))) return "duplicate extension";
        seen[type >> 3] |= (unsigned char)(1u << (type & 7));
        if (type == EXT_PRE_SHARED_KEY && c.n) return "pre_shared_key is not the last extension";
    }
    ch->has_extensions = 1;
    if (!count) return NULL;
    ptls_ch_ext *v = palloc(p, count * sizeof *v);
    if (!v) return "out of memory";
    ch->exts = v;
    ch->n_exts = count;
    for (size_t i = 0; i < count; i++) {
        get_u16(&block, &type);
        get_vec16(&block, &data);
        v[i].type = type;
        v[i].len = (uint16_t)data.n;
        if (ptls_is_grease(type)) ch->grease |= PTLS_CH_GREASE_EXT;
        const char *err = parse_ext(p, type, data);
        if (err) return err;
    }
    return NULL;
}

/* ---- fingerprints -------------------------------------------------------- */

typedef struct sbuf {
    char *s;
    size_t cap, len;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, unsigned v)
{
    if (b->len >= b->cap) return;
    int n = snprintf(b->s + b->len, b->cap - b->len, fmt, v);
    if (n > 0) b->len += (size_t)n < b->cap - b->len ? (size_t)n : b->cap - b->len - 1;
}

static void sb_char(sbuf *b, char ch)
{
    if (b->len + 1 < b->cap) {
        b->s[b->len++] = ch;
        b->s[b->len] = 0;
    }
}

static void ja3_u16(sbuf *b, const uint16_t *v, size_t n)
{
    int first = 1;
    for (size_t i = 0; i < n; i++) {
        if (ptls_is_grease(v[i])) continue;
        if (!first) sb_char(b, '-');
        sb_printf(b, "%u", v[i]);
        first = 0;
    }
}

static void hex_list(sbuf *b, const uint16_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i) sb_char(b, ',');
        sb_printf(b, "%04x", v[i]);
    }
}

static int cmp_u16(const void *a, const void *b)
{
    uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;
    return (x > y) - (x < y);
}

/* Copies the non-GREASE values of v, minus skip1/skip2 (-1: none). */
static size_t filtered(const uint16_t *v, size_t n, uint16_t *out, int skip1, int skip2)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!ptls_is_grease(v[i]) && v[i] != skip1 && v[i] != skip2) out[k++] = v[i];
    return k;
}

static void hash12(const char *s, size_t len, char out[13])
{
    unsigned char d[SHA256_DIGEST_LENGTH];
    SHA2_CTX ctx;
    SHA256Init(&ctx);
    SHA256Update(&ctx, (const uint8_t *)s, len);
    SHA256Final(d, &ctx);
    for (int i = 0; i < 6; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* Order of versions, newest highest (DTLS numbers run backwards). */
static int version_rank(uint16_t v)
{
    switch (v) {
    case 0x0002:
        return 1;
    case 0x0300:
        return 2;
    case 0x0301:
        return 3;
    case 0x0302:
    case 0xfeff:
        return 4;
    case 0x0303:
    case 0xfefd:
        return 5;
    case 0x0304:
    case 0xfefc:
        return 6;
    default:
        return 0;
    }
}

static const char *ja4_version(uint16_t v)
{
    switch (v) {
    case 0x0304:
        return "13";
    case 0x0303:
        return "12";
    case 0x0302:
        return "11";
    case 0x0301:
        return "10";
    case 0x0300:
        return "s3";
    case 0x0002:
        return "s2";
    case 0xfeff:
        return "d1";
    case 0xfefd:
        return "d2";
    case 0xfefc:
        return "d3";
    default:
        return "00";
    }
}

static int alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static const char *fingerprints(ptls_ch_parser *p)
{
    ptls_client_hello *ch = &p->ch;
    static const char hexd[] = "0123456789abcdef";

    /* JA3: every field decimal, GREASE removed, extensions in wire order. */
    size_t n_ext_ids = ch->n_exts;
    uint16_t *ext_ids = palloc(p, (n_ext_ids + 1) * sizeof *ext_ids);
    size_t cap = 16 + 6 * (ch->n_ciphers + ch->n_exts + ch->n_groups) + 4 * ch->n_ec_point_formats;
    char *ja3 = palloc(p, cap);
    size_t rcap = 64 + 5 * (ch->n_ciphers + ch->n_exts + ch->n_sigalgs);
    char *raw = palloc(p, rcap);
    uint16_t *tmp = palloc(p, (ch->n_ciphers + ch->n_exts + ch->n_sigalgs + 1) * sizeof *tmp);
    if (!ext_ids || !ja3 || !raw || !tmp) return "out of memory";
    for (size_t i = 0; i < n_ext_ids; i++)
        ext_ids[i] = ch->exts[i].type;
    ja3[0] = 0;
    sbuf b = {ja3, cap, 0};
    sb_printf(&b, "%u,", ch->legacy_version);
    ja3_u16(&b, ch->ciphers, ch->n_ciphers);
    sb_char(&b, ',');
    ja3_u16(&b, ext_ids, n_ext_ids);
    sb_char(&b, ',');
    ja3_u16(&b, ch->groups, ch->n_groups);
    sb_char(&b, ',');
    for (size_t i = 0; i < ch->n_ec_point_formats; i++) {
        if (i) sb_char(&b, '-');
        sb_printf(&b, "%u", ch->ec_point_formats[i]);
    }
    ch->ja3 = ja3;
    unsigned char md[MD5_DIGEST_LENGTH];
    MD5_CTX md5ctx;
    MD5Init(&md5ctx);
    MD5Update(&md5ctx, (const uint8_t *)ja3, b.len);
    MD5Final(md, &md5ctx);
    for (int i = 0; i < 16; i++) {
        ch->ja3_md5[2 * i] = hexd[md[i] >> 4];
        ch->ja3_md5[2 * i + 1] = hexd[md[i] & 15];
    }
    ch->ja3_md5[32] = 0;

    /* JA4 part a. */
    uint16_t ver = ch->legacy_version;
    int best = -1;
    for (size_t i = 0; i < ch->n_versions; i++) {
        if (ptls_is_grease(ch->versions[i])) continue;
        int r = version_rank(ch->versions[i]);
        if (r > best) {
            best = r;
            ver = ch->versions[i];
        }
    }
    size_t nc = filtered(ch->ciphers, ch->n_ciphers, tmp, -1, -1);
    size_t ne_all = filtered(ext_ids, n_ext_ids, tmp + nc, -1, -1);
    char alpn[3] = "00";
    if (ch->n_alpn) {
        const unsigned char *a = ch->alpn[0].data;
        size_t al = ch->alpn[0].len;
        if (alnum(a[0]) && alnum(a[al - 1])) {
            alpn[0] = (char)a[0];
            alpn[1] = (char)a[al - 1];
        } else {
            alpn[0] = hexd[a[0] >> 4];
            alpn[1] = hexd[a[al - 1] & 15];
        }
    }
    char part_a[11];
    snprintf(part_a, sizeof part_a, "%c%s%c%02u%02u%s", ch->dtls ? 'd' : 't', ja4_version(ver),
             ch->has_sni ? 'd' : 'i', (unsigned)(nc > 99 ? 99 : nc), (unsigned)(ne_all > 99 ? 99 : ne_all),
             alpn);

    /* Part b: sorted ciphers. */
    raw[0] = 0;
    sbuf r = {raw, rcap, 0};
    for (const char *s = part_a; *s; s++)
        sb_char(&r, *s);
    sb_char(&r, '_');
    qsort(tmp, nc, sizeof *tmp, cmp_u16);
    size_t b_start = r.len;
    hex_list(&r, tmp, nc);
    char hb[13] = "000000000000", hc[13] = "000000000000";
    if (nc) hash12(raw + b_start, r.len - b_start, hb);
    sb_char(&r, '_');

    /* Part c: sorted extensions without SNI and ALPN, "_", sigalgs in order. */
    size_t ne = filtered(ext_ids, n_ext_ids, tmp, EXT_SERVER_NAME, EXT_ALPN);
    qsort(tmp, ne, sizeof *tmp, cmp_u16);
    size_t c_start = r.len;
    hex_list(&r, tmp, ne);
    size_t ns = filtered(ch->sigalgs, ch->n_sigalgs, tmp, -1, -1);
    if (ns) {
        sb_char(&r, '_');
        hex_list(&r, tmp, ns);
    }
    if (ne) hash12(raw + c_start, r.len - c_start, hc);
    ch->ja4_r = raw;
    snprintf(ch->ja4, sizeof ch->ja4, "%s_%s_%s", part_a, hb, hc);
    return NULL;
}

/* ---- the ClientHello body ------------------------------------------------ */

static int parse_body(ptls_ch_parser *p)
{
    ptls_client_hello *ch = &p->ch;
    cur c = {p->msg, p->msg_len}, v;
    const char *err;
    ch->raw = p->msg;
    ch->raw_len = p->msg_len;
    if (!get_u16(&c, &ch->legacy_version) || !get_bytes(&c, 32, &v))
        return fail(p, PTLS_CH_MALFORMED, "ClientHello too short");
    memcpy(ch->random, v.p, 32);
    if (!get_vec8(&c, &v) || v.n > 32) return fail(p, PTLS_CH_MALFORMED, "bad session_id length");
    ch->session_id = v.p;
    ch->session_id_len = v.n;
    if (p->dtls) {
        if (!get_vec8(&c, &v)) return fail(p, PTLS_CH_MALFORMED, "bad cookie length");
        ch->cookie_len = v.n;
    }
    if (!get_vec16(&c, &v)) return fail(p, PTLS_CH_MALFORMED, "bad cipher_suites length");
    if ((err = u16_list(p, v, &ch->ciphers, &ch->n_ciphers, PTLS_CH_GREASE_CIPHER)))
        return fail(p, PTLS_CH_MALFORMED, v.n && v.n % 2 == 0 ? err : "empty or odd cipher_suites list");
    if (!get_vec8(&c, &v) || v.n == 0) return fail(p, PTLS_CH_MALFORMED, "bad compression_methods length");
    ch->compression = v.p;
    ch->n_compression = v.n;
    if (c.n) {
        if (!get_vec16(&c, &v)) return fail(p, PTLS_CH_MALFORMED, "bad extensions length");
        if (c.n) return fail(p, PTLS_CH_MALFORMED, "trailing bytes after the extensions");
        if ((err = parse_extensions(p, v))) return fail(p, PTLS_CH_MALFORMED, err);
    }
    if ((err = fingerprints(p))) return fail(p, PTLS_CH_MALFORMED, err);
    return p->status = PTLS_CH_DONE;
}

/* ---- reassembly ---------------------------------------------------------- */

/* Grows the message buffer to hold at least need (<= msg_len) bytes. */
static int reserve(ptls_ch_parser *p, size_t need)
{
    if (need <= p->msg_cap) return 1;
    size_t cap = p->msg_cap ? p->msg_cap : 512;
    while (cap < need)
        cap *= 2;
    if (cap > p->msg_len) cap = p->msg_len;
    unsigned char *m = realloc(p->msg, cap);
    if (!m) {
        fail(p, PTLS_CH_MALFORMED, "out of memory");
        return 0;
    }
    p->msg = m;
    p->msg_cap = cap;
    return 1;
}

/* TLS: the handshake stream is the concatenation of record payloads. */
static void tls_payload(ptls_ch_parser *p, const unsigned char *d, size_t n)
{
    while (n && p->status == PTLS_CH_MORE) {
        if (!p->have_len) {
            p->hh[p->hh_have++] = *d++;
            n--;
            if (p->hh_have == 1 && p->hh[0] != HS_CLIENT_HELLO) {
                fail(p, PTLS_CH_MALFORMED, "first handshake message is not a ClientHello");
                return;
            }
            if (p->hh_have < TLS_HS_HDR) continue;
            p->msg_len = be24(p->hh + 1);
            if (p->msg_len > PTLS_CH_MAX_LEN) {
                fail(p, PTLS_CH_MALFORMED, "ClientHello larger than 64 KiB");
                return;
            }
            p->have_len = 1;
        } else {
            size_t take = p->msg_len - p->msg_have;
            if (take > n) take = n;
            if (!reserve(p, p->msg_have + take)) return;
            memcpy(p->msg + p->msg_have, d, take);
            p->msg_have += take;
            d += take;
            n -= take;
        }
        if (p->have_len && p->msg_have == p->msg_len) parse_body(p);
    }
}

/* DTLS: a record holds whole handshake fragments (12-byte header each). */
static void dtls_payload(ptls_ch_parser *p, const unsigned char *d, size_t n)
{
    while (n && p->status == PTLS_CH_MORE) {
        if (p->hh_have < DTLS_HS_HDR) {
            p->hh[p->hh_have++] = *d++;
            n--;
            p->rec_left--;
            if (p->hh_have < DTLS_HS_HDR) continue;
            uint32_t mlen = be24(p->hh + 1), seq = be16(p->hh + 4);
            uint32_t off = be24(p->hh + 6), flen = be24(p->hh + 9);
            if (flen > p->rec_left) {
                fail(p, PTLS_CH_MALFORMED, "handshake fragment crosses a record boundary");
                return;
            }
            p->frag_off = off;
            p->frag_len = flen;
            p->frag_done = 0;
            /* The ClientHello to read is the first one seen: message_seq 0
             * normally, 1 when it carries the cookie after a
             * HelloVerifyRequest (RFC 6347 4.2.2). Fragments of any other
             * message are skipped. */
            if (p->dtls_seq < 0 && p->hh[0] == HS_CLIENT_HELLO) p->dtls_seq = (int)seq;
            p->frag_skip = p->dtls_seq < 0 ? seq != 0 : seq != (uint32_t)p->dtls_seq;
            if (!p->frag_skip) {
                if (p->hh[0] != HS_CLIENT_HELLO) {
                    fail(p, PTLS_CH_MALFORMED, "first handshake message is not a ClientHello");
                    return;
                }
                if (mlen > PTLS_CH_MAX_LEN) {
                    fail(p, PTLS_CH_MALFORMED, "ClientHello larger than 64 KiB");
                    return;
                }
                if ((uint64_t)off + flen > mlen) {
                    fail(p, PTLS_CH_MALFORMED, "handshake fragment outside its message");
                    return;
                }
                if (!p->have_len) {
                    p->msg_len = mlen;
                    p->have_len = 1;
                    p->bitmap = calloc(mlen / 8 + 1, 1);
                    if (!p->bitmap) {
                        fail(p, PTLS_CH_MALFORMED, "out of memory");
                        return;
                    }
                } else if (mlen != p->msg_len) {
                    fail(p, PTLS_CH_MALFORMED, "handshake fragments disagree on the message length");
                    return;
                }
            }
        } else {
            size_t take = p->frag_len - p->frag_done;
            if (take > n) take = n;
            if (!p->frag_skip) {
                size_t base = p->frag_off + p->frag_done;
                if (!reserve(p, base + take)) return;
                for (size_t i = 0; i < take; i++) {
                    size_t pos = base + i;
                    unsigned char bit = (unsigned char)(1u << (pos & 7));
                    if (p->bitmap[pos >> 3] & bit) {
                        if (p->msg[pos] != d[i]) {
                            fail(p, PTLS_CH_MALFORMED, "overlapping handshake fragments disagree");
                            return;
                        }
                    } else {
                        p->bitmap[pos >> 3] |= bit;
                        p->msg[pos] = d[i];
                        p->msg_have++;
                    }
                }
            }
            p->frag_done += take;
            p->rec_left -= take;
            d += take;
            n -= take;
        }
        if (p->frag_done == p->frag_len) {
            p->hh_have = 0; /* next fragment */
            if (!p->frag_skip && p->have_len && p->msg_have == p->msg_len) parse_body(p);
        }
    }
}

void ptls_ch_parser_init(ptls_ch_parser *p, int dtls)
{
    memset(p, 0, sizeof *p);
    p->dtls = dtls ? 1 : 0;
    p->ch.dtls = p->dtls;
    p->status = PTLS_CH_MORE;
    p->dtls_seq = -1;
}

int ptls_ch_feed(ptls_ch_parser *p, const unsigned char *data, size_t len)
{
    size_t hl = p->dtls ? DTLS_RECORD_HDR : TLS_RECORD_HDR;
    while (len && p->status == PTLS_CH_MORE) {
        if (!p->in_record) {
            int first = p->ch.records == 0;
            p->rh[p->rh_have++] = *data++;
            len--;
            if (p->rh_have == 1 && p->rh[0] != CT_HANDSHAKE)
                return first
                           ? fail(p, PTLS_CH_NOT_TLS, "not a TLS handshake record")
                           : fail(p, PTLS_CH_MALFORMED, "non-handshake record before the ClientHello ended");
            if (p->rh_have == 2 && p->rh[1] != (p->dtls ? 0xfe : 0x03))
                return first ? fail(p, PTLS_CH_NOT_TLS, "not a TLS handshake record (version)")
                             : fail(p, PTLS_CH_MALFORMED, "bad record version");
            if (p->rh_have < hl) continue;
            size_t rlen = be16(p->rh + hl - 2);
            if (p->dtls && be16(p->rh + 3) != 0)
                return fail(p, PTLS_CH_MALFORMED,
                            "DTLS record of a non-zero epoch before the ClientHello ended");
            if (rlen == 0 || rlen > MAX_PLAINTEXT)
                return fail(p, PTLS_CH_MALFORMED, "handshake record empty or longer than 2^14");
            if (first) p->ch.record_version = be16(p->rh + 1);
            p->ch.records++;
            p->rh_have = 0;
            p->in_record = 1;
            p->rec_left = rlen;
            continue;
        }
        size_t n = len < p->rec_left ? len : p->rec_left;
        if (p->dtls) {
            dtls_payload(p, data, n); /* consumes rec_left itself */
        } else {
            tls_payload(p, data, n);
            p->rec_left -= n;
        }
        data += n;
        len -= n;
        if (p->status != PTLS_CH_MORE) break;
        if (p->rec_left == 0) {
            p->in_record = 0;
            if (p->dtls && p->hh_have)
                return fail(p, PTLS_CH_MALFORMED, "handshake fragment crosses a record boundary");
        }
    }
    return p->status;
}

const char *ptls_ch_reason(const ptls_ch_parser *p)
{
    return p->reason ? p->reason : "";
}

const ptls_client_hello *ptls_ch_result(const ptls_ch_parser *p)
{
    return p->status == PTLS_CH_DONE ? &p->ch : NULL;
}

void ptls_ch_parser_free(ptls_ch_parser *p)
{
    struct chunk *c = p->mem;
    while (c) {
        struct chunk *next = c->next;
        free(c);
        c = next;
    }
    free(p->msg);
    free(p->bitmap);
    memset(p, 0, sizeof *p);
}

/* ---- names --------------------------------------------------------------- */

static const struct {
    uint16_t type;
    const char *name;
} ext_names[] = {
    {0, "server_name"},
    {1, "max_fragment_length"},
    {2, "client_certificate_url"},
    {3, "trusted_ca_keys"},
    {4, "truncated_hmac"},
    {5, "status_request"},
    {6, "user_mapping"},
    {7, "client_authz"},
    {8, "server_authz"},
    {9, "cert_type"},
    {10, "supported_groups"},
    {11, "ec_point_formats"},
    {12, "srp"},
    {13, "signature_algorithms"},
    {14, "use_srtp"},
    {15, "heartbeat"},
    {16, "application_layer_protocol_negotiation"},
    {17, "status_request_v2"},
    {18, "signed_certificate_timestamp"},
    {19, "client_certificate_type"},
    {20, "server_certificate_type"},
    {21, "padding"},
    {22, "encrypt_then_mac"},
    {23, "extended_master_secret"},
    {24, "token_binding"},
    {25, "cached_info"},
    {26, "tls_lts"},
    {27, "compress_certificate"},
    {28, "record_size_limit"},
    {29, "pwd_protect"},
    {30, "pwd_clear"},
    {31, "password_salt"},
    {32, "ticket_pinning"},
    {33, "tls_cert_with_extern_psk"},
    {34, "delegated_credential"},
    {35, "session_ticket"},
    {41, "pre_shared_key"},
    {42, "early_data"},
    {43, "supported_versions"},
    {44, "cookie"},
    {45, "psk_key_exchange_modes"},
    {47, "certificate_authorities"},
    {48, "oid_filters"},
    {49, "post_handshake_auth"},
    {50, "signature_algorithms_cert"},
    {51, "key_share"},
    {52, "transparency_info"},
    {53, "connection_id_deprecated"},
    {54, "connection_id"},
    {55, "external_id_hash"},
    {56, "external_session_id"},
    {57, "quic_transport_parameters"},
    {58, "ticket_request"},
    {59, "dnssec_chain"},
    {0x3374, "next_protocol_negotiation"},
    {0x4469, "application_settings_old"},
    {0x44cd, "application_settings"},
    {0xfd00, "ech_outer_extensions"},
    {0xfe0d, "encrypted_client_hello"},
    {0xff01, "renegotiation_info"},
};

static const char *version_name(uint16_t v)
{
    switch (v) {
    case 0x0002:
        return "SSLv2";
    case 0x0300:
        return "SSLv3";
    case 0x0301:
        return "TLSv1";
    case 0x0302:
        return "TLSv1.1";
    case 0x0303:
        return "TLSv1.2";
    case 0x0304:
        return "TLSv1.3";
    case 0xfeff:
        return "DTLSv1";
    case 0xfefd:
        return "DTLSv1.2";
    case 0xfefc:
        return "DTLSv1.3";
    default:
        return NULL;
    }
}

const char *ptls_ch_name(enum ptls_ch_name_kind kind, uint16_t v, char *buf)
{
    const char *name = NULL;
    if (ptls_is_grease(v)) {
        snprintf(buf, PTLS_CH_NAME_BUF, "GREASE(0x%04x)", v);
        return buf;
    }
    switch (kind) {
    case PTLS_CH_NAME_CIPHER:
        name = ptls_cipher_iana_name(v);
        if (!name && v == 0x00ff) name = "TLS_EMPTY_RENEGOTIATION_INFO_SCSV";
        if (!name && v == 0x5600) name = "TLS_FALLBACK_SCSV";
        break;
    case PTLS_CH_NAME_EXT:
        for (size_t i = 0; i < sizeof ext_names / sizeof ext_names[0]; i++)
            if (ext_names[i].type == v) name = ext_names[i].name;
        break;
    case PTLS_CH_NAME_GROUP:
        name = ptls_group_name(v);
        break;
    case PTLS_CH_NAME_SIGALG:
        name = ptls_sigalg_name(v);
        break;
    case PTLS_CH_NAME_VERSION:
        name = version_name(v);
        break;
    }
    if (name) return name;
    snprintf(buf, PTLS_CH_NAME_BUF, "0x%04x", v);
    return buf;
}
