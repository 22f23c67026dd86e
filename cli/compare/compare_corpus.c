/* The built-in corpus: see compare_corpus.h. Every case starts from
 * ptls_chb_init (legacy_version TLS 1.2, no session id, null compression)
 * and is sent in TLS 1.0-versioned records (0x0301) unless it says other. */
#include "compare_corpus.h"

#include <string.h>

#include "wire/clienthello_build.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

typedef struct cmp_case {
    const char *name;
    const char *description;
    void (*build)(ptls_chb *b, ptls_buf *out);
    const char *server_args[4];
} cmp_case;

static const uint16_t sig_std[] = {0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601};
static const uint16_t sig_no_pss[] = {0x0403, 0x0503, 0x0401, 0x0501, 0x0601};
static const uint16_t tls13_suites[] = {0x1301, 0x1302, 0x1303};
static const uint8_t ke_dhe[] = {1};
static const uint8_t pf_unc[] = {0};

static void rec(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_records(b, 0x0301, 1, out);
}

/* A TLS 1.3 hello without key_share and supported_groups, for cases that
 * choose their own; suites TLS 1.3 + two 1.2 ECDHE ones. */
static void tls13_base(ptls_chb *b, const uint16_t *versions, size_t nv)
{
    ptls_chb_ciphers(b, tls13_suites, N(tls13_suites));
    ptls_chb_cipher(b, 0xc02f);
    ptls_chb_cipher(b, 0xc02b);
    ptls_chb_sni(b, "localhost", 9);
    ptls_chb_sigalgs(b, sig_std, N(sig_std));
    ptls_chb_versions(b, versions, nv);
    ptls_chb_psk_modes(b, ke_dhe, 1);
    ptls_chb_point_formats(b, pf_unc, 1);
}

static const uint16_t v13[] = {0x0304};
static const uint16_t v13_12[] = {0x0304, 0x0303};

/* ---- baselines ---------------------------------------------------------- */

static void c_modern(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_modern(b);
    rec(b, out);
}

static void c_tls12(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_tls12(b);
    rec(b, out);
}

static void c_tls13_only(ptls_chb *b, ptls_buf *out)
{
    tls13_base(b, v13, 1);
    ptls_chb_groups(b, (const uint16_t[]){0x001d, 0x0017}, 2);
    ptls_chb_key_share(b, (const uint16_t[]){0x001d}, 1);
    rec(b, out);
}

static void c_tls13_p256(ptls_chb *b, ptls_buf *out)
{
    tls13_base(b, v13_12, 2);
    ptls_chb_groups(b, (const uint16_t[]){0x0017}, 1);
    ptls_chb_key_share(b, (const uint16_t[]){0x0017}, 1);
    rec(b, out);
}

static void c_tls13_x448(ptls_chb *b, ptls_buf *out)
{
    tls13_base(b, v13_12, 2);
    ptls_chb_groups(b, (const uint16_t[]){0x001e, 0x001d}, 2);
    ptls_chb_key_share(b, (const uint16_t[]){0x001e}, 1);
    rec(b, out);
}

/* ---- GREASE ------------------------------------------------------------- */

static void c_grease(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_cipher(b, 0x0a0a);
    ptls_chb_ciphers(b, tls13_suites, N(tls13_suites));
    ptls_chb_cipher(b, 0xc02f);
    ptls_chb_ext(b, 0x1a1a, NULL, 0);
    ptls_chb_sni(b, "localhost", 9);
    ptls_chb_groups(b, (const uint16_t[]){0x2a2a, 0x001d, 0x0017}, 3);
    ptls_chb_sigalgs(b, (const uint16_t[]){0x3a3a, 0x0403, 0x0804, 0x0401}, 4);
    ptls_chb_versions(b, (const uint16_t[]){0x4a4a, 0x0304, 0x0303}, 3);
    ptls_chb_psk_modes(b, (const uint8_t[]){0x0b, 1}, 2);
    ptls_chb_key_share(b, (const uint16_t[]){0x2a2a, 0x001d}, 2);
    ptls_chb_alpn(b, "\x7a\x7a,http/1.1");
    ptls_chb_ext(b, 0x5a5a, "", 1);
    rec(b, out);
}

/* ---- key shares and groups ---------------------------------------------- */

static void c_hrr_low_rank(ptls_chb *b, ptls_buf *out)
{
    tls13_base(b, v13_12, 2);
    ptls_chb_groups(b, (const uint16_t[]){0x001d, 0x0017, 0x0018}, 3);
    ptls_chb_key_share(b, (const uint16_t[]){0x0018}, 1);
    rec(b, out);
}

static void c_share_unsupported(ptls_chb *b, ptls_buf *out)
{
    tls13_base(b, v13_12, 2);
    ptls_chb_groups(b, (const uint16_t[]){0x001f, 0x001d, 0x0017}, 3); /* brainpoolP256r1tls13 first */
    ptls_chb_key_share(b, (const uint16_t[]){0x001f}, 1);
    rec(b, out);
}

static void c_share_unsupported_only(ptls_chb *b, ptls_buf *out)
{
    tls13_base(b, v13_12, 2);
    ptls_chb_groups(b, (const uint16_t[]){0x001f}, 1);
    ptls_chb_key_share(b, (const uint16_t[]){0x001f}, 1);
    rec(b, out);
}

static void c_share_not_in_groups(ptls_chb *b, ptls_buf *out)
{
    tls13_base(b, v13_12, 2);
    ptls_chb_groups(b, (const uint16_t[]){0x0017}, 1);
    ptls_chb_key_share(b, (const uint16_t[]){0x001d}, 1);
    rec(b, out);
}

static void c_empty_key_share(ptls_chb *b, ptls_buf *out)
{
    tls13_base(b, v13, 1);
    ptls_chb_groups(b, (const uint16_t[]){0x001d, 0x0017}, 2);
    ptls_chb_key_share(b, NULL, 0);
    rec(b, out);
}

static void c_no_key_share(ptls_chb *b, ptls_buf *out)
{
    tls13_base(b, v13, 1);
    ptls_chb_groups(b, (const uint16_t[]){0x001d, 0x0017}, 2);
    rec(b, out);
}

static void c_bad_x25519_len(ptls_chb *b, ptls_buf *out)
{
    tls13_base(b, v13_12, 2);
    ptls_chb_groups(b, (const uint16_t[]){0x001d, 0x0017}, 2);
    ptls_chb_key_share_len(b, 0x001d, 31);
    rec(b, out);
}

static void c_mlkem_only(ptls_chb *b, ptls_buf *out)
{
    tls13_base(b, v13_12, 2);
    ptls_chb_groups(b, (const uint16_t[]){0x11ec}, 1);
    ptls_chb_key_share(b, (const uint16_t[]){0x11ec}, 1);
    rec(b, out);
}

static void c_mlkem_x25519(ptls_chb *b, ptls_buf *out)
{
    tls13_base(b, v13_12, 2);
    ptls_chb_groups(b, (const uint16_t[]){0x11ec, 0x001d}, 2);
    ptls_chb_key_share(b, (const uint16_t[]){0x11ec}, 1);
    rec(b, out);
}

static void c_mlkem_valid(ptls_chb *b, ptls_buf *out)
{
    tls13_base(b, v13_12, 2);
    ptls_chb_groups(b, (const uint16_t[]){0x11ec, 0x001d}, 2);
    ptls_chb_key_share_mlkem768_x25519(b);
    rec(b, out);
}

static void c_ffdhe_tls13(ptls_chb *b, ptls_buf *out)
{
    tls13_base(b, v13_12, 2);
    ptls_chb_groups(b, (const uint16_t[]){0x0100, 0x001d}, 2);
    ptls_chb_key_share_len(b, 0x0100, 256);
    rec(b, out);
}

static void c_dup_key_share_group(ptls_chb *b, ptls_buf *out)
{
    tls13_base(b, v13_12, 2);
    ptls_chb_groups(b, (const uint16_t[]){0x001d, 0x0017}, 2);
    ptls_chb_key_share(b, (const uint16_t[]){0x001d, 0x001d}, 2);
    rec(b, out);
}

/* ---- versions ----------------------------------------------------------- */

static void c_versions_unknown(ptls_chb *b, ptls_buf *out)
{
    tls13_base(b, (const uint16_t[]){0x0305, 0x7f1c}, 2);
    ptls_chb_groups(b, (const uint16_t[]){0x001d}, 1);
    ptls_chb_key_share(b, (const uint16_t[]){0x001d}, 1);
    rec(b, out);
}

static void c_versions_12_only_ext(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_tls12(b);
    ptls_chb_versions(b, (const uint16_t[]){0x0303}, 1);
    rec(b, out);
}

static void c_legacy_0304(ptls_chb *b, ptls_buf *out)
{
    b->legacy_version = 0x0304;
    ptls_chb_modern(b);
    rec(b, out);
}

static void c_tls11_hello(ptls_chb *b, ptls_buf *out)
{
    b->legacy_version = 0x0302;
    ptls_chb_ciphers(b, (const uint16_t[]){0xc013, 0xc014, 0x002f, 0x0035}, 4);
    ptls_chb_sni(b, "localhost", 9);
    ptls_chb_groups(b, (const uint16_t[]){0x001d, 0x0017}, 2);
    ptls_chb_point_formats(b, pf_unc, 1);
    ptls_chb_ext(b, 0xff01, "", 1);
    rec(b, out);
}

static void c_fallback_scsv(ptls_chb *b, ptls_buf *out)
{
    b->legacy_version = 0x0302;
    ptls_chb_ciphers(b, (const uint16_t[]){0xc013, 0xc014, 0x002f, 0x0035, 0x5600}, 5);
    ptls_chb_sni(b, "localhost", 9);
    ptls_chb_groups(b, (const uint16_t[]){0x001d, 0x0017}, 2);
    ptls_chb_point_formats(b, pf_unc, 1);
    rec(b, out);
}

static void c_no_extensions(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_ciphers(b, (const uint16_t[]){0x009c, 0x002f, 0x0035, 0x003c}, 4);
    b->no_extensions = 1;
    rec(b, out);
}

/* ---- TLS 1.2 suites and extensions ------------------------------------- */

static void c_cbc_only(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_ciphers(b, (const uint16_t[]){0xc027, 0xc028, 0xc013, 0xc014, 0x003c, 0x002f, 0x0035}, 7);
    ptls_chb_sni(b, "localhost", 9);
    ptls_chb_ext(b, 23, NULL, 0);
    ptls_chb_ext(b, 0xff01, "", 1);
    ptls_chb_groups(b, (const uint16_t[]){0x001d, 0x0017}, 2);
    ptls_chb_point_formats(b, pf_unc, 1);
    ptls_chb_sigalgs(b, sig_std, N(sig_std));
    ptls_chb_ext(b, 22, NULL, 0); /* encrypt_then_mac */
    rec(b, out);
}

static void c_rsa_kex_only(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_ciphers(b, (const uint16_t[]){0x009c, 0x009d, 0x002f, 0x0035}, 4);
    ptls_chb_sni(b, "localhost", 9);
    ptls_chb_ext(b, 23, NULL, 0);
    ptls_chb_ext(b, 0xff01, "", 1);
    ptls_chb_sigalgs(b, sig_std, N(sig_std));
    rec(b, out);
}

static void c_dhe_only(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_ciphers(b, (const uint16_t[]){0x009e, 0x009f, 0x0033, 0x0039}, 4);
    ptls_chb_sni(b, "localhost", 9);
    ptls_chb_ext(b, 23, NULL, 0);
    ptls_chb_ext(b, 0xff01, "", 1);
    ptls_chb_groups(b, (const uint16_t[]){0x0100, 0x0101}, 2);
    ptls_chb_sigalgs(b, sig_std, N(sig_std));
    rec(b, out);
}

static void c_ecdsa_suites_only(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_ciphers(b, (const uint16_t[]){0xc02b, 0xc02c, 0xcca9, 0xc009, 0xc00a}, 5);
    ptls_chb_sni(b, "localhost", 9);
    ptls_chb_groups(b, (const uint16_t[]){0x001d, 0x0017}, 2);
    ptls_chb_point_formats(b, pf_unc, 1);
    ptls_chb_sigalgs(b, sig_std, N(sig_std));
    rec(b, out);
}

static void c_chacha_first(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_ciphers(b, (const uint16_t[]){0xcca8, 0xc030, 0xc02f}, 3);
    ptls_chb_sni(b, "localhost", 9);
    ptls_chb_groups(b, (const uint16_t[]){0x001d, 0x0017}, 2);
    ptls_chb_point_formats(b, pf_unc, 1);
    ptls_chb_sigalgs(b, sig_std, N(sig_std));
    rec(b, out);
}

static void c_no_reneg_no_scsv(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_ciphers(b, (const uint16_t[]){0xc02f, 0xc030, 0x009c}, 3);
    ptls_chb_sni(b, "localhost", 9);
    ptls_chb_ext(b, 23, NULL, 0);
    ptls_chb_groups(b, (const uint16_t[]){0x001d, 0x0017}, 2);
    ptls_chb_point_formats(b, pf_unc, 1);
    ptls_chb_sigalgs(b, sig_std, N(sig_std));
    rec(b, out);
}

static void c_scsv_only(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_ciphers(b, (const uint16_t[]){0xc02f, 0xc030, 0x009c, 0x00ff}, 4);
    ptls_chb_sni(b, "localhost", 9);
    ptls_chb_ext(b, 23, NULL, 0);
    ptls_chb_groups(b, (const uint16_t[]){0x001d, 0x0017}, 2);
    ptls_chb_point_formats(b, pf_unc, 1);
    ptls_chb_sigalgs(b, sig_std, N(sig_std));
    rec(b, out);
}

static void c_reneg_info_nonempty(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_ciphers(b, (const uint16_t[]){0xc02f, 0xc030}, 2);
    ptls_chb_sni(b, "localhost", 9);
    ptls_chb_ext(b, 0xff01,
                 "\x0c"
                 "0123456789ab",
                 13); /* a verify_data on an initial handshake */
    ptls_chb_groups(b, (const uint16_t[]){0x001d, 0x0017}, 2);
    ptls_chb_sigalgs(b, sig_std, N(sig_std));
    rec(b, out);
}

static void c_no_ems(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_ciphers(b, (const uint16_t[]){0xc02f, 0xc030, 0x009c}, 3);
    ptls_chb_sni(b, "localhost", 9);
    ptls_chb_ext(b, 0xff01, "", 1);
    ptls_chb_groups(b, (const uint16_t[]){0x001d, 0x0017}, 2);
    ptls_chb_point_formats(b, pf_unc, 1);
    ptls_chb_sigalgs(b, sig_std, N(sig_std));
    rec(b, out);
}

static void c_no_sigalgs_tls12(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_ciphers(b, (const uint16_t[]){0xc02f, 0xc013, 0x002f}, 3);
    ptls_chb_sni(b, "localhost", 9);
    ptls_chb_groups(b, (const uint16_t[]){0x001d, 0x0017}, 2);
    ptls_chb_point_formats(b, pf_unc, 1);
    rec(b, out);
}

static void c_no_groups_tls12(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_ciphers(b, (const uint16_t[]){0xc02f, 0xc030, 0x009c}, 3);
    ptls_chb_sni(b, "localhost", 9);
    ptls_chb_sigalgs(b, sig_std, N(sig_std));
    rec(b, out);
}

static void c_point_formats_compressed_only(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_ciphers(b, (const uint16_t[]){0xc02f, 0xc030, 0x009c}, 3);
    ptls_chb_sni(b, "localhost", 9);
    ptls_chb_groups(b, (const uint16_t[]){0x001d, 0x0017}, 2);
    ptls_chb_point_formats(b, (const uint8_t[]){1, 2}, 2);
    ptls_chb_sigalgs(b, sig_std, N(sig_std));
    rec(b, out);
}

static void c_max_fragment(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_tls12(b);
    ptls_chb_ext(b, 1, "\x01", 1); /* 2^9 */
    rec(b, out);
}

static void c_record_size_limit(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_modern(b);
    ptls_chb_ext(b, 28, "\x02\x00", 2); /* 512 */
    rec(b, out);
}

static void c_status_request(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_tls12(b);
    ptls_chb_ext(b, 5, "\x01\x00\x00\x00\x00", 5);
    rec(b, out);
}

/* ---- compression, session id, legacy fields ------------------------------ */

static void c_compression_deflate_null(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_tls12(b);
    b->compression[0] = 1;
    b->compression[1] = 0;
    b->n_compression = 2;
    rec(b, out);
}

static void c_compression_deflate_only(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_tls12(b);
    b->compression[0] = 1;
    b->n_compression = 1;
    rec(b, out);
}

static void c_compression_tls13(ptls_chb *b, ptls_buf *out)
{
    tls13_base(b, v13, 1);
    ptls_chb_groups(b, (const uint16_t[]){0x001d}, 1);
    ptls_chb_key_share(b, (const uint16_t[]){0x001d}, 1);
    b->compression[0] = 1;
    b->compression[1] = 0;
    b->n_compression = 2;
    rec(b, out);
}

static void c_session_id_33(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_session_id(b, 33);
    ptls_chb_modern(b);
    rec(b, out);
}

static void c_session_id_32_tls13(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_session_id(b, 32);
    ptls_chb_modern(b);
    rec(b, out);
}

static void c_session_id_32_tls12(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_session_id(b, 32);
    ptls_chb_tls12(b);
    rec(b, out);
}

static void c_no_ciphers(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_sni(b, "localhost", 9);
    ptls_chb_groups(b, (const uint16_t[]){0x001d}, 1);
    ptls_chb_sigalgs(b, sig_std, N(sig_std));
    rec(b, out);
}

static void c_unknown_ciphers_only(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_ciphers(b, (const uint16_t[]){0x1399, 0xff85, 0x00ff}, 3);
    ptls_chb_sni(b, "localhost", 9);
    ptls_chb_groups(b, (const uint16_t[]){0x001d}, 1);
    ptls_chb_sigalgs(b, sig_std, N(sig_std));
    rec(b, out);
}

/* ---- extension framing ---------------------------------------------------- */

static void c_dup_extension(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_tls12(b);
    ptls_chb_groups(b, (const uint16_t[]){0x0017}, 1);
    rec(b, out);
}

static void c_dup_extension_tls13(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_modern(b);
    ptls_chb_versions(b, v13, 1);
    rec(b, out);
}

static void c_unknown_ext_large(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_modern(b);
    ptls_chb_ext_random(b, 0x7e57, 8000);
    rec(b, out);
}

static void c_unknown_exts_many(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_modern(b);
    for (unsigned i = 0; i < 40; i++)
        ptls_chb_ext_random(b, (uint16_t)(0x7e00 + i), i % 5);
    rec(b, out);
}

static void c_ext_trailing_garbage(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_tls12(b);
    ptls_buf_append(&b->exts, "\x00\x17\x00", 3); /* 3 bytes that are no complete extension */
    rec(b, out);
}

/* ---- SNI and ALPN ----------------------------------------------------------- */

static void c_sni_empty(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_tls12_sni(b, "", 0);
    rec(b, out);
}

static void c_sni_overlong(ptls_chb *b, ptls_buf *out)
{
    char host[300];
    memset(host, 'a', sizeof host);
    for (size_t i = 63; i < sizeof host; i += 64)
        host[i] = '.';
    ptls_chb_modern_sni(b, host, sizeof host);
    rec(b, out);
}

static void c_sni_trailing_dot(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_modern_sni(b, "localhost.", 10);
    rec(b, out);
}

static void c_sni_ip_literal(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_modern_sni(b, "127.0.0.1", 9);
    rec(b, out);
}

static void c_sni_extension_empty(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_tls12_sni(b, NULL, 0);
    ptls_chb_ext(b, 0, NULL, 0);
    rec(b, out);
}

static void c_sni_nul_byte(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_tls12_sni(b, "local\0host", 10);
    rec(b, out);
}

static void c_alpn_no_overlap(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_modern(b);
    ptls_chb_alpn(b, "spdy/1,foo");
    rec(b, out);
}

static void c_alpn_overlap(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_modern(b);
    ptls_chb_alpn(b, "http/1.1,h2");
    rec(b, out);
}

static void c_alpn_empty_name(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_modern(b);
    ptls_chb_ext(b, 16, "\x00\x04\x02h2\x00", 6); /* h2 then a zero-length name */
    rec(b, out);
}

static void c_alpn_no_overlap_tls12(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_tls12(b);
    ptls_chb_alpn(b, "spdy/1,foo");
    rec(b, out);
}

/* ---- records -------------------------------------------------------------- */

static void c_split_three(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_modern(b);
    ptls_chb_records(b, 0x0301, 3, out);
}

static void c_split_tiny(ptls_chb *b, ptls_buf *out)
{
    ptls_buf msg = {0};
    ptls_chb_modern(b);
    ptls_chb_message(b, &msg);
    ptls_chb_wrap(ptls_buf_head(&msg), ptls_buf_size(&msg), 0x0301, 7, out);
    ptls_buf_free(&msg);
}

static void c_hello_16k(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_modern(b);
    ptls_chb_pad_to(b, 16384);
    rec(b, out);
}

static void c_hello_20k_two_records(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_modern(b);
    ptls_chb_ext_random(b, 0x7e57, 20000);
    ptls_chb_records(b, 0x0301, 2, out);
}

static void c_record_overflow(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_modern(b);
    ptls_chb_ext_random(b, 0x7e57, 17000);
    rec(b, out); /* one record of about 17 kB: over 2^14 */
}

static void c_record_0300(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_modern(b);
    ptls_chb_records(b, 0x0300, 1, out);
}

static void c_record_0304(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_modern(b);
    ptls_chb_records(b, 0x0304, 1, out);
}

static void c_record_03ff(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_modern(b);
    ptls_chb_records(b, 0x03ff, 1, out);
}

static void c_truncated(ptls_chb *b, ptls_buf *out)
{
    ptls_buf all = {0};
    ptls_chb_modern(b);
    rec(b, &all);
    ptls_buf_append(out, ptls_buf_head(&all), ptls_buf_size(&all) / 2);
    ptls_buf_free(&all);
}

static void c_http_request(ptls_chb *b, ptls_buf *out)
{
    (void)b;
    static const char req[] = "GET / HTTP/1.0\r\nHost: localhost\r\n\r\n";
    ptls_buf_append(out, req, sizeof req - 1);
}

static void c_sslv2_hello(ptls_chb *b, ptls_buf *out)
{
    /* SSLv2-format ClientHello offering TLS 1.2 (RFC 5246 E.2): 3-byte
     * cipher specs, 16-byte challenge */
    unsigned char m[64];
    size_t n = 0;
    m[n++] = 0x01;                /* client_hello */
    m[n++] = 0x03, m[n++] = 0x03; /* version */
    m[n++] = 0x00, m[n++] = 9;    /* cipher specs length */
    m[n++] = 0x00, m[n++] = 0x00; /* session id length */
    m[n++] = 0x00, m[n++] = 16;   /* challenge length */
    static const unsigned char specs[9] = {0x00, 0xc0, 0x2f, 0x00, 0x00, 0x2f, 0x00, 0x00, 0x35};
    memcpy(m + n, specs, 9);
    n += 9;
    ptls_chb_random_bytes(b, m + n, 16);
    n += 16;
    unsigned char hdr[2] = {(unsigned char)(0x80 | (n >> 8)), (unsigned char)n};
    ptls_buf_append(out, hdr, 2);
    ptls_buf_append(out, m, n);
}

/* ---- TLS 1.3 specifics ----------------------------------------------------- */

static void c_psk_bad_binder(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_modern(b);
    ptls_chb_psk(b, 64, 0x01020304u, 32);
    rec(b, out);
}

static void c_psk_not_last(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_modern(b);
    ptls_chb_psk(b, 64, 0x01020304u, 32);
    ptls_chb_ext(b, 0x7e57, "x", 1);
    rec(b, out);
}

static void c_psk_no_modes(ptls_chb *b, ptls_buf *out)
{
    tls13_base(b, v13_12, 2);
    /* tls13_base wrote psk_key_exchange_modes: rebuild without it */
    ptls_buf_free(&b->exts);
    ptls_chb_sni(b, "localhost", 9);
    ptls_chb_sigalgs(b, sig_std, N(sig_std));
    ptls_chb_versions(b, v13_12, 2);
    ptls_chb_groups(b, (const uint16_t[]){0x001d}, 1);
    ptls_chb_key_share(b, (const uint16_t[]){0x001d}, 1);
    ptls_chb_psk(b, 32, 0, 32);
    rec(b, out);
}

static void c_early_data_no_psk(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_modern(b);
    ptls_chb_ext(b, 42, NULL, 0);
    rec(b, out);
}

static void c_sigalgs_no_pss(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_ciphers(b, tls13_suites, N(tls13_suites));
    ptls_chb_cipher(b, 0xc02f);
    ptls_chb_sni(b, "localhost", 9);
    ptls_chb_sigalgs(b, sig_no_pss, N(sig_no_pss));
    ptls_chb_versions(b, v13_12, 2);
    ptls_chb_psk_modes(b, ke_dhe, 1);
    ptls_chb_groups(b, (const uint16_t[]){0x001d}, 1);
    ptls_chb_key_share(b, (const uint16_t[]){0x001d}, 1);
    rec(b, out);
}

static void c_sigalgs_no_pss_tls13_only(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_ciphers(b, tls13_suites, N(tls13_suites));
    ptls_chb_sni(b, "localhost", 9);
    ptls_chb_sigalgs(b, sig_no_pss, N(sig_no_pss));
    ptls_chb_versions(b, v13, 1);
    ptls_chb_psk_modes(b, ke_dhe, 1);
    ptls_chb_groups(b, (const uint16_t[]){0x001d}, 1);
    ptls_chb_key_share(b, (const uint16_t[]){0x001d}, 1);
    rec(b, out);
}

static void c_no_sigalgs_tls13(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_ciphers(b, tls13_suites, N(tls13_suites));
    ptls_chb_sni(b, "localhost", 9);
    ptls_chb_versions(b, v13, 1);
    ptls_chb_psk_modes(b, ke_dhe, 1);
    ptls_chb_groups(b, (const uint16_t[]){0x001d}, 1);
    ptls_chb_key_share(b, (const uint16_t[]){0x001d}, 1);
    rec(b, out);
}

static void c_tls13_suites_only_with_12(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_ciphers(b, tls13_suites, N(tls13_suites));
    ptls_chb_sni(b, "localhost", 9);
    ptls_chb_sigalgs(b, sig_std, N(sig_std));
    ptls_chb_versions(b, v13_12, 2);
    ptls_chb_psk_modes(b, ke_dhe, 1);
    ptls_chb_groups(b, (const uint16_t[]){0x001d}, 1);
    ptls_chb_key_share(b, (const uint16_t[]){0x001d}, 1);
    rec(b, out);
}

static void c_ccm_only_tls13(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_ciphers(b, (const uint16_t[]){0x1304, 0x1305}, 2);
    ptls_chb_sni(b, "localhost", 9);
    ptls_chb_sigalgs(b, sig_std, N(sig_std));
    ptls_chb_versions(b, v13, 1);
    ptls_chb_psk_modes(b, ke_dhe, 1);
    ptls_chb_groups(b, (const uint16_t[]){0x001d}, 1);
    ptls_chb_key_share(b, (const uint16_t[]){0x001d}, 1);
    rec(b, out);
}

static void c_cookie_unsolicited(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_modern(b);
    ptls_chb_ext_random(b, 44, 34); /* cookie<2>: a 32-byte value with its length */
    rec(b, out);
}

static void c_ech_grease(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_modern(b);
    unsigned char ech[1 + 4 + 1 + 2 + 32 + 2 + 176];
    size_t n = 0;
    ech[n++] = 0;                                           /* outer */
    ech[n++] = 0, ech[n++] = 1, ech[n++] = 0, ech[n++] = 1; /* HKDF-SHA256, AES-128-GCM */
    ptls_chb_random_bytes(b, ech + n, 1);                   /* config_id */
    n++;
    ech[n++] = 0, ech[n++] = 32; /* enc */
    ptls_chb_random_bytes(b, ech + n, 32);
    n += 32;
    ech[n++] = 0, ech[n++] = 176; /* payload */
    ptls_chb_random_bytes(b, ech + n, 176);
    n += 176;
    ptls_chb_ext(b, 0xfe0d, ech, n);
    rec(b, out);
}

static void c_post_handshake_auth(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_modern(b);
    ptls_chb_ext(b, 49, NULL, 0);
    rec(b, out);
}

static void c_padding_nonzero(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_modern(b);
    ptls_chb_ext(b, 21, "\x01\x02\x03\x04", 4); /* RFC 7685: must be zeros */
    rec(b, out);
}

static void c_heartbeat(ptls_chb *b, ptls_buf *out)
{
    ptls_chb_tls12(b);
    ptls_chb_ext(b, 15, "\x01", 1); /* peer_allowed_to_send */
    rec(b, out);
}

static void c_legacy_version_0300(ptls_chb *b, ptls_buf *out)
{
    b->legacy_version = 0x0300;
    ptls_chb_ciphers(b, (const uint16_t[]){0x002f, 0x0035, 0x000a}, 3);
    b->no_extensions = 1;
    rec(b, out);
}

static const cmp_case cases[] = {
    {"baseline-modern", "a typical TLS 1.3 + 1.2 hello: X25519 share, SNI, EMS, tickets", c_modern, {0}},
    {"baseline-tls12",
     "a typical TLS 1.2-only hello (ECDHE and RSA suites, no supported_versions)",
     c_tls12,
     {0}},
    {"tls13-only", "supported_versions lists TLS 1.3 only", c_tls13_only, {0}},
    {"tls13-p256-share",
     "TLS 1.3 with only P-256 offered and shared (the generator point)",
     c_tls13_p256,
     {0}},
    {"tls13-x448-share", "key share X448 only, groups X448 then X25519", c_tls13_x448, {0}},
    {"grease-everywhere",
     "GREASE in suites, extensions, groups, key shares, versions, sigalgs, psk modes, ALPN",
     c_grease,
     {0}},
    {"hrr-low-ranked-share",
     "groups X25519,P-256,P-384 but a key share for P-384 only (HRR or accept)",
     c_hrr_low_rank,
     {0}},
    {"share-unsupported-group",
     "key share for brainpoolP256r1tls13 only; X25519 and P-256 also listed",
     c_share_unsupported,
     {0}},
    {"share-unsupported-only",
     "brainpoolP256r1tls13 is the only group and share (TLS 1.2 also offered)",
     c_share_unsupported_only,
     {0}},
    {"share-not-in-groups",
     "key share X25519 but supported_groups lists only P-256",
     c_share_not_in_groups,
     {0}},
    {"key-share-empty", "TLS 1.3 only, key_share with no entries (HRR expected)", c_empty_key_share, {0}},
    {"key-share-missing", "TLS 1.3 only, supported_groups but no key_share extension", c_no_key_share, {0}},
    {"key-share-x25519-31-bytes", "an X25519 share of 31 bytes", c_bad_x25519_len, {0}},
    {"key-share-duplicate-group", "two X25519 entries in key_share", c_dup_key_share_group, {0}},
    {"mlkem-hybrid-only",
     "X25519MLKEM768 (0x11ec) is the only group, random 1216-byte share",
     c_mlkem_only,
     {0}},
    {"mlkem-hybrid-then-x25519",
     "groups X25519MLKEM768, X25519; share for the hybrid only",
     c_mlkem_x25519,
     {0}},
    {"mlkem-hybrid-valid-key",
     "X25519MLKEM768 share with a well-formed ML-KEM-768 key; X25519 also listed",
     c_mlkem_valid,
     {0}},
    {"ffdhe2048-share",
     "TLS 1.3 key share ffdhe2048 (random 256 bytes), X25519 also listed",
     c_ffdhe_tls13,
     {0}},
    {"versions-unknown-only",
     "supported_versions lists only unknown versions (0x0305, 0x7f1c)",
     c_versions_unknown,
     {0}},
    {"versions-tls12-in-ext",
     "a TLS 1.2 hello whose supported_versions lists TLS 1.2 only",
     c_versions_12_only_ext,
     {0}},
    {"legacy-version-0304", "legacy_version 0x0304 (RFC 8446 says 0x0303)", c_legacy_0304, {0}},
    {"legacy-version-0300", "an SSL 3.0 hello without extensions", c_legacy_version_0300, {0}},
    {"tls11-hello", "a TLS 1.1 hello (legacy_version 0x0302, no supported_versions)", c_tls11_hello, {0}},
    {"fallback-scsv", "TLS 1.1 hello with TLS_FALLBACK_SCSV", c_fallback_scsv, {0}},
    {"no-extensions",
     "TLS 1.2 hello without an extensions block, RSA key exchange suites",
     c_no_extensions,
     {0}},
    {"tls12-cbc-only", "TLS 1.2 with only CBC suites, encrypt_then_mac offered", c_cbc_only, {0}},
    {"tls12-rsa-kex-only", "TLS 1.2 with only RSA key exchange suites", c_rsa_kex_only, {0}},
    {"tls12-dhe-only", "TLS 1.2 with only DHE suites, groups ffdhe2048 ffdhe3072", c_dhe_only, {0}},
    {"tls12-ecdsa-suites-only",
     "only ECDHE-ECDSA suites against an RSA certificate",
     c_ecdsa_suites_only,
     {0}},
    {"tls12-chacha-first",
     "ECDHE-RSA-CHACHA20-POLY1305 first, then AES-GCM (server or client order)",
     c_chacha_first,
     {0}},
    {"tls12-no-reneg-no-scsv", "no renegotiation_info and no SCSV", c_no_reneg_no_scsv, {0}},
    {"tls12-scsv-only", "TLS_EMPTY_RENEGOTIATION_INFO_SCSV instead of the extension", c_scsv_only, {0}},
    {"tls12-reneg-info-nonempty",
     "renegotiation_info carrying verify_data on an initial handshake",
     c_reneg_info_nonempty,
     {0}},
    {"tls12-no-ems", "TLS 1.2 without extended_master_secret", c_no_ems, {0}},
    {"tls12-no-sigalgs", "TLS 1.2 without signature_algorithms", c_no_sigalgs_tls12, {0}},
    {"tls12-no-groups", "ECDHE suites but no supported_groups", c_no_groups_tls12, {0}},
    {"tls12-point-formats-compressed-only",
     "ec_point_formats without uncompressed",
     c_point_formats_compressed_only,
     {0}},
    {"max-fragment-length-512", "max_fragment_length 2^9 on a TLS 1.2 hello", c_max_fragment, {0}},
    {"record-size-limit-512", "record_size_limit 512", c_record_size_limit, {0}},
    {"status-request", "OCSP status_request, no staple configured", c_status_request, {0}},
    {"heartbeat", "heartbeat extension (peer_allowed_to_send)", c_heartbeat, {0}},
    {"compression-deflate-and-null",
     "TLS 1.2, compression methods deflate, null",
     c_compression_deflate_null,
     {0}},
    {"compression-deflate-only", "TLS 1.2, compression method deflate only", c_compression_deflate_only, {0}},
    {"compression-tls13-nonnull",
     "TLS 1.3 only, compression methods deflate, null",
     c_compression_tls13,
     {0}},
    {"session-id-33", "legacy_session_id of 33 bytes", c_session_id_33, {0}},
    {"session-id-32-tls13",
     "32-byte legacy_session_id (middlebox compatibility mode)",
     c_session_id_32_tls13,
     {0}},
    {"session-id-32-tls12", "TLS 1.2 hello with an unknown 32-byte session id", c_session_id_32_tls12, {0}},
    {"no-cipher-suites", "an empty cipher suite list", c_no_ciphers, {0}},
    {"unknown-cipher-suites-only", "only unknown suites and the SCSV", c_unknown_ciphers_only, {0}},
    {"duplicate-extension", "supported_groups twice (TLS 1.2 hello)", c_dup_extension, {0}},
    {"duplicate-extension-tls13", "supported_versions twice", c_dup_extension_tls13, {0}},
    {"unknown-extension-8k", "an unknown extension with an 8000-byte body", c_unknown_ext_large, {0}},
    {"unknown-extensions-40", "40 unknown extensions", c_unknown_exts_many, {0}},
    {"extensions-trailing-bytes", "3 bytes after the last extension", c_ext_trailing_garbage, {0}},
    {"sni-empty-name", "server_name with an empty host_name", c_sni_empty, {0}},
    {"sni-extension-empty", "server_name extension with an empty body", c_sni_extension_empty, {0}},
    {"sni-overlong", "a 300-byte host_name", c_sni_overlong, {0}},
    {"sni-trailing-dot", "host_name \"localhost.\"", c_sni_trailing_dot, {0}},
    {"sni-ip-literal", "host_name \"127.0.0.1\" (RFC 6066 forbids literal addresses)", c_sni_ip_literal, {0}},
    {"sni-nul-byte", "host_name with a NUL byte inside", c_sni_nul_byte, {0}},
    {"alpn-no-overlap", "ALPN spdy/1,foo; server -alpn h2", c_alpn_no_overlap, {"-alpn", "h2"}},
    {"alpn-no-overlap-tls12",
     "TLS 1.2, ALPN spdy/1,foo; server -alpn h2",
     c_alpn_no_overlap_tls12,
     {"-alpn", "h2"}},
    {"alpn-overlap", "ALPN http/1.1,h2; server -alpn h2,http/1.1", c_alpn_overlap, {"-alpn", "h2,http/1.1"}},
    {"alpn-empty-name", "an ALPN list holding a zero-length name", c_alpn_empty_name, {"-alpn", "h2"}},
    {"split-three-records", "the hello split across three records", c_split_three, {0}},
    {"split-7-byte-records", "the hello in records of 7 bytes", c_split_tiny, {0}},
    {"hello-16k", "a ClientHello of 16384 bytes (padding) in one record", c_hello_16k, {0}},
    {"hello-20k-two-records", "a 20 kB ClientHello in two records", c_hello_20k_two_records, {0}},
    {"record-over-16k", "one handshake record of about 17 kB (over 2^14)", c_record_overflow, {0}},
    {"record-version-0300", "record version 0x0300", c_record_0300, {0}},
    {"record-version-0304", "record version 0x0304", c_record_0304, {0}},
    {"record-version-03ff", "record version 0x03ff", c_record_03ff, {0}},
    {"truncated-hello", "half of a hello, then silence", c_truncated, {0}},
    {"http-request", "plain HTTP instead of TLS", c_http_request, {0}},
    {"sslv2-format-hello", "an SSLv2-format ClientHello offering TLS 1.2", c_sslv2_hello, {0}},
    {"psk-bad-binder",
     "TLS 1.3 pre_shared_key with an unknown identity and a wrong binder",
     c_psk_bad_binder,
     {0}},
    {"psk-not-last", "pre_shared_key followed by another extension", c_psk_not_last, {0}},
    {"psk-without-modes", "pre_shared_key without psk_key_exchange_modes", c_psk_no_modes, {0}},
    {"early-data-no-psk", "early_data without a pre_shared_key", c_early_data_no_psk, {0}},
    {"sigalgs-no-pss",
     "RSA certificate, signature_algorithms without RSA-PSS (TLS 1.3 + 1.2)",
     c_sigalgs_no_pss,
     {0}},
    {"sigalgs-no-pss-tls13-only",
     "RSA certificate, TLS 1.3 only, no RSA-PSS",
     c_sigalgs_no_pss_tls13_only,
     {0}},
    {"sigalgs-missing-tls13", "TLS 1.3 only without signature_algorithms", c_no_sigalgs_tls13, {0}},
    {"tls13-suites-with-tls12",
     "only TLS 1.3 suites while TLS 1.2 is also offered",
     c_tls13_suites_only_with_12,
     {0}},
    {"tls13-ccm-only", "TLS 1.3 with only the CCM suites", c_ccm_only_tls13, {0}},
    {"cookie-unsolicited", "a cookie extension in the first ClientHello", c_cookie_unsolicited, {0}},
    {"ech-grease", "a GREASE encrypted_client_hello (0xfe0d) outer extension", c_ech_grease, {0}},
    {"post-handshake-auth", "post_handshake_auth offered", c_post_handshake_auth, {0}},
    {"padding-nonzero", "a padding extension with non-zero bytes", c_padding_nonzero, {0}},
};

int cmp_corpus_count(void)
{
    return (int)N(cases);
}

const char *cmp_corpus_name(int i)
{
    return cases[i].name;
}

const char *cmp_corpus_description(int i)
{
    return cases[i].description;
}

int cmp_corpus_find(const char *name)
{
    for (int i = 0; i < (int)N(cases); i++)
        if (strcmp(cases[i].name, name) == 0) return i;
    return -1;
}

void cmp_corpus_input(int i, cmp_input *in)
{
    memset(in, 0, sizeof *in);
    in->kind = CMP_INPUT_BYTES;
    in->name = cases[i].name;
    in->description = cases[i].description;
    ptls_chb b;
    ptls_chb_init(&b);
    cases[i].build(&b, &in->bytes);
    ptls_chb_free(&b);
    for (int k = 0; k < 4 && cases[i].server_args[k]; k++)
        in->server_args[in->n_server_args++] = cases[i].server_args[k];
}
