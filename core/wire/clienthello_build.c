/* ClientHello builder: see clienthello_build.h. */
#include "clienthello_build.h"

#include <string.h>

#define GROUP_P256 0x0017
#define GROUP_P384 0x0018
#define GROUP_X25519 0x001d
#define GROUP_X448 0x001e
#define GROUP_X25519MLKEM768 0x11ec

/* The curves' generator points, uncompressed (SEC 1 / FIPS 186-4 constants). */
static const unsigned char p256_g[65] = {
    0x04, 0x6b, 0x17, 0xd1, 0xf2, 0xe1, 0x2c, 0x42, 0x47, 0xf8, 0xbc, 0xe6, 0xe5, 0x63, 0xa4, 0x40, 0xf2,
    0x77, 0x03, 0x7d, 0x81, 0x2d, 0xeb, 0x33, 0xa0, 0xf4, 0xa1, 0x39, 0x45, 0xd8, 0x98, 0xc2, 0x96, 0x4f,
    0xe3, 0x42, 0xe2, 0xfe, 0x1a, 0x7f, 0x9b, 0x8e, 0xe7, 0xeb, 0x4a, 0x7c, 0x0f, 0x9e, 0x16, 0x2b, 0xce,
    0x33, 0x57, 0x6b, 0x31, 0x5e, 0xce, 0xcb, 0xb6, 0x40, 0x68, 0x37, 0xbf, 0x51, 0xf5};
static const unsigned char p384_g[97] = {
    0x04, 0xaa, 0x87, 0xca, 0x22, 0xbe, 0x8b, 0x05, 0x37, 0x8e, 0xb1, 0xc7, 0x1e, 0xf3, 0x20, 0xad, 0x74,
    0x6e, 0x1d, 0x3b, 0x62, 0x8b, 0xa7, 0x9b, 0x98, 0x59, 0xf7, 0x41, 0xe0, 0x82, 0x54, 0x2a, 0x38, 0x55,
    0x02, 0xf2, 0x5d, 0xbf, 0x55, 0x29, 0x6c, 0x3a, 0x54, 0x5e, 0x38, 0x72, 0x76, 0x0a, 0xb7, 0x36, 0x17,
    0xde, 0x4a, 0x96, 0x26, 0x2c, 0x6f, 0x5d, 0x9e, 0x98, 0xbf, 0x92, 0x92, 0xdc, 0x29, 0xf8, 0xf4, 0x1d,
    0xbd, 0x28, 0x9a, 0x14, 0x7c, 0xe9, 0xda, 0x31, 0x13, 0xb5, 0xf0, 0xb8, 0xc0, 0x0a, 0x60, 0xb1, 0xce,
    0x1d, 0x7e, 0x81, 0x9d, 0x7a, 0x43, 0x1d, 0x7c, 0x90, 0xea, 0x0e, 0x5f};

static void put8(ptls_buf *o, unsigned v)
{
    unsigned char c = (unsigned char)v;
    ptls_buf_append(o, &c, 1);
}

static void put16(ptls_buf *o, unsigned v)
{
    unsigned char c[2] = {(unsigned char)(v >> 8), (unsigned char)v};
    ptls_buf_append(o, c, 2);
}

static void put24(ptls_buf *o, size_t v)
{
    unsigned char c[3] = {(unsigned char)(v >> 16), (unsigned char)(v >> 8), (unsigned char)v};
    ptls_buf_append(o, c, 3);
}

void ptls_chb_random_bytes(ptls_chb *b, unsigned char *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        b->rng ^= b->rng << 13;
        b->rng ^= b->rng >> 7;
        b->rng ^= b->rng << 17;
        out[i] = (unsigned char)(b->rng >> 24);
    }
}

void ptls_chb_init(ptls_chb *b)
{
    memset(b, 0, sizeof *b);
    b->rng = 0x706f6c79746c73ull; /* "polytls" */
    b->legacy_version = 0x0303;
    ptls_chb_random_bytes(b, b->random, sizeof b->random);
    b->n_compression = 1; /* compression[0] = 0: null */
}

void ptls_chb_free(ptls_chb *b)
{
    ptls_buf_free(&b->exts);
}

void ptls_chb_cipher(ptls_chb *b, uint16_t id)
{
    if (b->n_ciphers < PTLS_CHB_MAX_CIPHERS) b->ciphers[b->n_ciphers++] = id;
}

void ptls_chb_ciphers(ptls_chb *b, const uint16_t *ids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ptls_chb_cipher(b, ids[i]);
}

void ptls_chb_session_id(ptls_chb *b, size_t len)
{
    if (len > PTLS_CHB_MAX_SESSION_ID) len = PTLS_CHB_MAX_SESSION_ID;
    b->session_id_len = len;
    ptls_chb_random_bytes(b, b->session_id, len);
}

void ptls_chb_ext(ptls_chb *b, uint16_t type, const void *data, size_t len)
{
    put16(&b->exts, type);
    put16(&b->exts, (unsigned)len);
    if (len) ptls_buf_append(&b->exts, data, len);
}

void ptls_chb_ext_random(ptls_chb *b, uint16_t type, size_t len)
{
    put16(&b->exts, type);
    put16(&b->exts, (unsigned)len);
    unsigned char chunk[256];
    while (len) {
        size_t n = len < sizeof chunk ? len : sizeof chunk;
        ptls_chb_random_bytes(b, chunk, n);
        ptls_buf_append(&b->exts, chunk, n);
        len -= n;
    }
}

/* Writes an extension whose body the caller built in body. */
static void ext_from(ptls_chb *b, uint16_t type, ptls_buf *body)
{
    ptls_chb_ext(b, type, ptls_buf_head(body), ptls_buf_size(body));
    ptls_buf_free(body);
}

void ptls_chb_sni(ptls_chb *b, const char *host, size_t len)
{
    ptls_buf e = {0};
    put16(&e, (unsigned)(len + 3));
    put8(&e, 0); /* host_name */
    put16(&e, (unsigned)len);
    if (len) ptls_buf_append(&e, host, len);
    ext_from(b, PTLS_EXT_SERVER_NAME, &e);
}

void ptls_chb_alpn(ptls_chb *b, const char *list)
{
    ptls_buf names = {0}, e = {0};
    const char *p = list;
    while (*p) {
        size_t n = strcspn(p, ",");
        put8(&names, (unsigned)n);
        ptls_buf_append(&names, p, n);
        p += n;
        if (*p == ',') p++;
    }
    put16(&e, (unsigned)ptls_buf_size(&names));
    ptls_buf_append(&e, ptls_buf_head(&names), ptls_buf_size(&names));
    ptls_buf_free(&names);
    ext_from(b, PTLS_EXT_ALPN, &e);
}

static void u16_list_ext(ptls_chb *b, uint16_t type, const uint16_t *ids, size_t n, int len8)
{
    ptls_buf e = {0};
    if (len8)
        put8(&e, (unsigned)(2 * n));
    else
        put16(&e, (unsigned)(2 * n));
    for (size_t i = 0; i < n; i++)
        put16(&e, ids[i]);
    ext_from(b, type, &e);
}

void ptls_chb_groups(ptls_chb *b, const uint16_t *ids, size_t n)
{
    u16_list_ext(b, PTLS_EXT_SUPPORTED_GROUPS, ids, n, 0);
}

void ptls_chb_sigalgs(ptls_chb *b, const uint16_t *ids, size_t n)
{
    u16_list_ext(b, PTLS_EXT_SIGNATURE_ALGORITHMS, ids, n, 0);
}

void ptls_chb_versions(ptls_chb *b, const uint16_t *ids, size_t n)
{
    u16_list_ext(b, PTLS_EXT_SUPPORTED_VERSIONS, ids, n, 1);
}

static void share_entry(ptls_chb *b, ptls_buf *e, uint16_t group, size_t len)
{
    put16(e, group);
    if (group == GROUP_P256 && (len == 0 || len == sizeof p256_g)) {
        put16(e, sizeof p256_g);
        ptls_buf_append(e, p256_g, sizeof p256_g);
        return;
    }
    if (group == GROUP_P384 && (len == 0 || len == sizeof p384_g)) {
        put16(e, sizeof p384_g);
        ptls_buf_append(e, p384_g, sizeof p384_g);
        return;
    }
    if (len == 0) {
        len = 32;
        if (group == GROUP_X448) len = 56;
        if (group == GROUP_X25519MLKEM768) len = 1216;
        if ((group & 0x0f0f) == 0x0a0a && (group >> 8) == (group & 0xff)) len = 1; /* GREASE */
    }
    put16(e, (unsigned)len);
    unsigned char chunk[256];
    while (len) {
        size_t n = len < sizeof chunk ? len : sizeof chunk;
        ptls_chb_random_bytes(b, chunk, n);
        ptls_buf_append(e, chunk, n);
        len -= n;
    }
}

void ptls_chb_key_share(ptls_chb *b, const uint16_t *groups, size_t n)
{
    ptls_buf entries = {0}, e = {0};
    for (size_t i = 0; i < n; i++)
        share_entry(b, &entries, groups[i], 0);
    put16(&e, (unsigned)ptls_buf_size(&entries));
    ptls_buf_append(&e, ptls_buf_head(&entries), ptls_buf_size(&entries));
    ptls_buf_free(&entries);
    ext_from(b, PTLS_EXT_KEY_SHARE, &e);
}

void ptls_chb_key_share_len(ptls_chb *b, uint16_t group, size_t len)
{
    ptls_buf entries = {0}, e = {0};
    share_entry(b, &entries, group, len);
    put16(&e, (unsigned)ptls_buf_size(&entries));
    ptls_buf_append(&e, ptls_buf_head(&entries), ptls_buf_size(&entries));
    ptls_buf_free(&entries);
    ext_from(b, PTLS_EXT_KEY_SHARE, &e);
}

void ptls_chb_key_share_mlkem768_x25519(ptls_chb *b)
{
    ptls_buf e = {0};
    put16(&e, 4 + 1216);
    put16(&e, GROUP_X25519MLKEM768);
    put16(&e, 1216);
    /* t: 3 polynomials x 256 coefficients, 12 bits each, two per 3 bytes */
    for (int i = 0; i < 3 * 256 / 2; i++) {
        unsigned char r[4], c[3];
        ptls_chb_random_bytes(b, r, 4);
        unsigned a = (unsigned)(r[0] | r[1] << 8) % 3329, d = (unsigned)(r[2] | r[3] << 8) % 3329;
        c[0] = (unsigned char)a;
        c[1] = (unsigned char)(a >> 8 | (d & 0x0f) << 4);
        c[2] = (unsigned char)(d >> 4);
        ptls_buf_append(&e, c, 3);
    }
    unsigned char rho_x25519[32 + 32];
    ptls_chb_random_bytes(b, rho_x25519, sizeof rho_x25519); /* rho, then the X25519 share */
    ptls_buf_append(&e, rho_x25519, sizeof rho_x25519);
    ext_from(b, PTLS_EXT_KEY_SHARE, &e);
}

void ptls_chb_psk_modes(ptls_chb *b, const uint8_t *modes, size_t n)
{
    ptls_buf e = {0};
    put8(&e, (unsigned)n);
    ptls_buf_append(&e, modes, n);
    ext_from(b, PTLS_EXT_PSK_KEY_EXCHANGE_MODES, &e);
}

void ptls_chb_point_formats(ptls_chb *b, const uint8_t *formats, size_t n)
{
    ptls_buf e = {0};
    put8(&e, (unsigned)n);
    ptls_buf_append(&e, formats, n);
    ext_from(b, PTLS_EXT_EC_POINT_FORMATS, &e);
}

void ptls_chb_psk(ptls_chb *b, size_t id_len, uint32_t age, size_t binder_len)
{
    ptls_buf e = {0};
    unsigned char rnd[256];
    if (id_len > sizeof rnd) id_len = sizeof rnd;
    if (binder_len > sizeof rnd) binder_len = sizeof rnd;
    put16(&e, (unsigned)(2 + id_len + 4)); /* identities */
    put16(&e, (unsigned)id_len);
    ptls_chb_random_bytes(b, rnd, id_len);
    ptls_buf_append(&e, rnd, id_len);
    unsigned char a[4] = {(unsigned char)(age >> 24), (unsigned char)(age >> 16), (unsigned char)(age >> 8),
                          (unsigned char)age};
    ptls_buf_append(&e, a, 4);
    put16(&e, (unsigned)(1 + binder_len)); /* binders */
    put8(&e, (unsigned)binder_len);
    ptls_chb_random_bytes(b, rnd, binder_len);
    ptls_buf_append(&e, rnd, binder_len);
    ext_from(b, PTLS_EXT_PRE_SHARED_KEY, &e);
}

static size_t message_len(const ptls_chb *b)
{
    size_t n = 4 + 2 + 32 + 1 + b->session_id_len + 2 + 2 * b->n_ciphers + 1 + b->n_compression;
    if (!b->no_extensions) n += 2 + ptls_buf_size(&b->exts);
    return n;
}

void ptls_chb_pad_to(ptls_chb *b, size_t target)
{
    size_t have = message_len(b);
    if (have + 4 > target) return;
    size_t pad = target - have - 4;
    static const unsigned char zeros[512];
    put16(&b->exts, PTLS_EXT_PADDING);
    put16(&b->exts, (unsigned)pad);
    while (pad) {
        size_t n = pad < sizeof zeros ? pad : sizeof zeros;
        ptls_buf_append(&b->exts, zeros, n);
        pad -= n;
    }
}

static const uint16_t modern_ciphers[] = {0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9,
                                          0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035};
static const uint16_t tls12_ciphers[] = {0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8,
                                         0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035};
static const uint16_t std_groups[] = {0x001d, 0x0017, 0x0018};
static const uint16_t std_sigalgs[] = {0x0403, 0x0804, 0x0401, 0x0503, 0x0805,
                                       0x0501, 0x0806, 0x0601, 0x0201};
static const uint8_t uncompressed[] = {0};

void ptls_chb_modern(ptls_chb *b)
{
    ptls_chb_modern_sni(b, "localhost", 9);
}

void ptls_chb_modern_sni(ptls_chb *b, const char *host, size_t len)
{
    ptls_chb_ciphers(b, modern_ciphers, sizeof modern_ciphers / sizeof modern_ciphers[0]);
    if (host) ptls_chb_sni(b, host, len);
    ptls_chb_ext(b, PTLS_EXT_EXTENDED_MASTER_SECRET, NULL, 0);
    ptls_chb_ext(b, PTLS_EXT_RENEGOTIATION_INFO, "", 1);
    ptls_chb_groups(b, std_groups, 3);
    ptls_chb_point_formats(b, uncompressed, 1);
    ptls_chb_ext(b, PTLS_EXT_SESSION_TICKET, NULL, 0);
    ptls_chb_sigalgs(b, std_sigalgs, sizeof std_sigalgs / sizeof std_sigalgs[0]);
    ptls_chb_versions(b, (const uint16_t[]){0x0304, 0x0303}, 2);
    ptls_chb_psk_modes(b, (const uint8_t[]){1}, 1);
    ptls_chb_key_share(b, (const uint16_t[]){0x001d}, 1);
}

void ptls_chb_tls12(ptls_chb *b)
{
    ptls_chb_tls12_sni(b, "localhost", 9);
}

void ptls_chb_tls12_sni(ptls_chb *b, const char *host, size_t len)
{
    ptls_chb_ciphers(b, tls12_ciphers, sizeof tls12_ciphers / sizeof tls12_ciphers[0]);
    if (host) ptls_chb_sni(b, host, len);
    ptls_chb_ext(b, PTLS_EXT_EXTENDED_MASTER_SECRET, NULL, 0);
    ptls_chb_ext(b, PTLS_EXT_RENEGOTIATION_INFO, "", 1);
    ptls_chb_groups(b, std_groups, 3);
    ptls_chb_point_formats(b, uncompressed, 1);
    ptls_chb_sigalgs(b, std_sigalgs, sizeof std_sigalgs / sizeof std_sigalgs[0]);
}

int ptls_chb_message(const ptls_chb *b, ptls_buf *out)
{
    size_t start = ptls_buf_size(out);
    put8(out, 1); /* client_hello */
    put24(out, message_len(b) - 4);
    put16(out, b->legacy_version);
    ptls_buf_append(out, b->random, 32);
    put8(out, (unsigned)b->session_id_len);
    if (b->session_id_len) ptls_buf_append(out, b->session_id, b->session_id_len);
    put16(out, (unsigned)(2 * b->n_ciphers));
    for (size_t i = 0; i < b->n_ciphers; i++)
        put16(out, b->ciphers[i]);
    put8(out, (unsigned)b->n_compression);
    ptls_buf_append(out, b->compression, b->n_compression);
    if (!b->no_extensions) {
        put16(out, (unsigned)ptls_buf_size(&b->exts));
        if (ptls_buf_size(&b->exts)) ptls_buf_append(out, ptls_buf_head(&b->exts), ptls_buf_size(&b->exts));
    }
    return ptls_buf_size(out) - start == message_len(b) ? 0 : -1;
}

int ptls_chb_wrap(const unsigned char *msg, size_t len, uint16_t record_version, size_t max_frag,
                  ptls_buf *out)
{
    if (max_frag == 0) return -1;
    size_t off = 0;
    do {
        size_t n = len - off < max_frag ? len - off : max_frag;
        put8(out, 22);
        put16(out, record_version);
        put16(out, (unsigned)n);
        if (ptls_buf_append(out, msg + off, n) != 0) return -1;
        off += n;
    } while (off < len);
    return 0;
}

int ptls_chb_records(const ptls_chb *b, uint16_t record_version, unsigned n_records, ptls_buf *out)
{
    ptls_buf msg = {0};
    if (ptls_chb_message(b, &msg) != 0) {
        ptls_buf_free(&msg);
        return -1;
    }
    if (n_records == 0) n_records = 1;
    size_t len = ptls_buf_size(&msg);
    size_t frag = (len + n_records - 1) / n_records;
    if (frag > 65535) frag = 65535;
    int rc = ptls_chb_wrap(ptls_buf_head(&msg), len, record_version, frag, out);
    ptls_buf_free(&msg);
    return rc;
}
