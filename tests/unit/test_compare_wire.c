/* polytls compare's wire code (issue #20): the ClientHello builder, read
 * back by the core's own ClientHello inspector; the first-flight decoder on
 * hand-made flights; the pcap reader on a capture written around builder
 * bytes. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "wire/clienthello.h"
#include "wire/clienthello_build.h"
#include "wire/pcap_hello.h"
#include "wire/server_flight.h"

static ptls_ch_parser parser;

static const ptls_client_hello *parse(const ptls_buf *rec)
{
    ptls_ch_parser_init(&parser, 0);
    int st = ptls_ch_feed(&parser, ptls_buf_head(rec), ptls_buf_size(rec));
    cr_assert_eq(st, PTLS_CH_DONE, "inspector: %d %s", st, ptls_ch_reason(&parser));
    return ptls_ch_result(&parser);
}

Test(chb, modern_hello_reads_back)
{
    ptls_chb b;
    ptls_chb_init(&b);
    ptls_chb_modern(&b);
    ptls_buf rec = {0};
    cr_assert_eq(ptls_chb_records(&b, 0x0301, 1, &rec), 0);
    const ptls_client_hello *ch = parse(&rec);
    cr_assert_eq(ch->record_version, 0x0301);
    cr_assert_eq(ch->legacy_version, 0x0303);
    cr_assert_eq(ch->n_ciphers, 15);
    cr_assert_eq(ch->ciphers[0], 0x1301);
    cr_assert_str_eq(ch->sni, "localhost");
    cr_assert_eq(ch->n_versions, 2);
    cr_assert_eq(ch->versions[0], 0x0304);
    cr_assert_eq(ch->n_key_shares, 1);
    cr_assert_eq(ch->key_shares[0].group, 0x001d);
    cr_assert_eq(ch->key_shares[0].key_len, 32);
    cr_assert(ch->has_extended_master_secret && ch->has_renegotiation_info && ch->has_session_ticket);
    ptls_ch_parser_free(&parser);
    /* deterministic: the same bytes every time */
    ptls_chb b2;
    ptls_chb_init(&b2);
    ptls_chb_modern(&b2);
    ptls_buf rec2 = {0};
    ptls_chb_records(&b2, 0x0301, 1, &rec2);
    cr_assert_eq(ptls_buf_size(&rec), ptls_buf_size(&rec2));
    cr_assert_eq(memcmp(ptls_buf_head(&rec), ptls_buf_head(&rec2), ptls_buf_size(&rec)), 0);
    ptls_buf_free(&rec);
    ptls_buf_free(&rec2);
    ptls_chb_free(&b);
    ptls_chb_free(&b2);
}

Test(chb, shares_split_and_padding)
{
    ptls_chb b;
    ptls_chb_init(&b);
    ptls_chb_cipher(&b, 0x1301);
    ptls_chb_versions(&b, (const uint16_t[]){0x0304}, 1);
    ptls_chb_groups(&b, (const uint16_t[]){0x11ec, 0x0017, 0x0018}, 3);
    ptls_chb_key_share(&b, (const uint16_t[]){0x11ec, 0x0017, 0x0018}, 3);
    ptls_chb_pad_to(&b, 4000);
    ptls_buf msg = {0}, rec = {0};
    ptls_chb_message(&b, &msg);
    cr_assert_eq(ptls_buf_size(&msg), 4000, "padded to %zu", ptls_buf_size(&msg));
    cr_assert_eq(ptls_chb_records(&b, 0x0303, 3, &rec), 0);
    const ptls_client_hello *ch = parse(&rec);
    cr_assert_eq(ch->records, 3);
    cr_assert_eq(ch->n_key_shares, 3);
    cr_assert_eq(ch->key_shares[0].key_len, 1216); /* X25519MLKEM768 */
    cr_assert_eq(ch->key_shares[1].key_len, 65);   /* P-256 generator, uncompressed */
    cr_assert_eq(ch->key_shares[2].key_len, 97);   /* P-384 */
    cr_assert(ch->has_padding);
    /* the P-256 share is the generator point 04||Gx||Gy */
    const unsigned char *m = ptls_buf_head(&msg);
    const unsigned char gx[4] = {0x04, 0x6b, 0x17, 0xd1};
    cr_assert_not_null(memmem(m, ptls_buf_size(&msg), gx, 4));
    ptls_ch_parser_free(&parser);
    ptls_buf_free(&msg);
    ptls_buf_free(&rec);
    ptls_chb_free(&b);
}

Test(chb, invalid_on_purpose)
{
    /* a 33-byte session id and a duplicate extension: built as asked, refused by the strict inspector */
    ptls_chb b;
    ptls_chb_init(&b);
    ptls_chb_session_id(&b, 33);
    ptls_chb_tls12(&b);
    ptls_buf rec = {0};
    ptls_chb_records(&b, 0x0301, 1, &rec);
    cr_assert_eq(ptls_buf_head(&rec)[5 + 4 + 34], 33);
    ptls_ch_parser_init(&parser, 0);
    cr_assert_eq(ptls_ch_feed(&parser, ptls_buf_head(&rec), ptls_buf_size(&rec)), PTLS_CH_MALFORMED);
    ptls_ch_parser_free(&parser);
    ptls_buf_free(&rec);
    ptls_chb_free(&b);
}

/* ---- the first-flight decoder ----------------------------------------------- */

static void put(ptls_buf *b, const char *hex)
{
    while (hex[0] && hex[1]) {
        if (hex[0] == ' ') {
            hex++;
            continue;
        }
        unsigned v;
        sscanf(hex, "%2x", &v);
        unsigned char c = (unsigned char)v;
        ptls_buf_append(b, &c, 1);
        hex += 2;
    }
}

static void record(ptls_buf *out, unsigned type, const ptls_buf *body)
{
    unsigned char h[5] = {(unsigned char)type, 3, 3, (unsigned char)(ptls_buf_size(body) >> 8),
                          (unsigned char)ptls_buf_size(body)};
    ptls_buf_append(out, h, 5);
    ptls_buf_append(out, ptls_buf_head(body), ptls_buf_size(body));
}

static void handshake(ptls_buf *out, unsigned type, const ptls_buf *body)
{
    size_t n = ptls_buf_size(body);
    unsigned char h[4] = {(unsigned char)type, (unsigned char)(n >> 16), (unsigned char)(n >> 8),
                          (unsigned char)n};
    ptls_buf_append(out, h, 4);
    ptls_buf_append(out, ptls_buf_head(body), n);
}

static void server_hello(ptls_buf *hs, const char *random_hex, const char *sid_hex, const char *rest_hex)
{
    ptls_buf sh = {0};
    put(&sh, "0303");
    put(&sh, random_hex);
    put(&sh, sid_hex);
    put(&sh, rest_hex);
    handshake(hs, 2, &sh);
    ptls_buf_free(&sh);
}

#define RND "1111111111111111111111111111111111111111111111111111111111111111"
#define HRR_RND "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c"

Test(flight, tls12_first_flight)
{
    ptls_buf hs = {0}, m = {0}, wire = {0};
    /* sid 32 bytes (new), suite c02f, null, exts: renegotiation_info empty, EMS */
    server_hello(&hs, RND, "20" RND, "c02f00 0009 ff01000100 00170000");
    put(&m, "00000d 00000a 30313233343536373839"); /* one 10-byte certificate */
    handshake(&hs, 11, &m);
    ptls_buf_free(&m);
    put(&m, "03001d20" RND "0804 0004 aabbccdd"); /* ECDHE X25519, rsa_pss_rsae_sha256 */
    handshake(&hs, 12, &m);
    ptls_buf_free(&m);
    handshake(&hs, 14, &m); /* ServerHelloDone */
    record(&wire, 22, &hs);
    ptls_server_flight f;
    ptls_sf_decode(ptls_buf_head(&wire), ptls_buf_size(&wire), NULL, 0, &f);
    cr_assert_eq(f.kind, PTLS_SF_SERVER_HELLO);
    cr_assert_eq(f.version, 0x0303);
    cr_assert_eq(f.cipher, 0xc02f);
    cr_assert_eq(f.session_id_len, 32);
    cr_assert_eq(f.session_id_echo, 0);
    cr_assert_eq(f.n_exts, 2);
    cr_assert_eq(f.exts[0].type, 0xff01);
    cr_assert_str_eq(f.exts[0].value, "empty");
    cr_assert_eq(f.cert_count, 1);
    cr_assert_eq(f.leaf_len, 10);
    cr_assert_eq(f.ske_group, 0x001d);
    cr_assert_eq(f.ske_sigalg, 0x0804);
    cr_assert(f.server_hello_done);
    cr_assert(ptls_sf_complete(&f));
    /* any prefix is incomplete, never wrong */
    for (size_t n = 0; n < ptls_buf_size(&wire); n += 7) {
        ptls_sf_decode(ptls_buf_head(&wire), n, NULL, 0, &f);
        cr_assert(!ptls_sf_complete(&f) || f.malformed[0] == 0);
        cr_assert(!f.server_hello_done);
    }
    ptls_buf_free(&hs);
    ptls_buf_free(&wire);
}

Test(flight, tls13_server_hello_and_encrypted_records)
{
    ptls_buf hs = {0}, wire = {0}, enc = {0};
    const unsigned char sid[4] = {1, 2, 3, 4};
    server_hello(&hs, RND, "04 01020304", "130100 002e 002b00020304 00330024001d0020" RND);
    record(&wire, 22, &hs);
    put(&enc, "01");
    record(&wire, 20, &enc); /* middlebox compatibility CCS */
    ptls_buf_free(&enc);
    put(&enc, "00112233445566778899");
    record(&wire, 23, &enc);
    record(&wire, 23, &enc);
    ptls_server_flight f;
    ptls_sf_decode(ptls_buf_head(&wire), ptls_buf_size(&wire), sid, sizeof sid, &f);
    cr_assert_eq(f.kind, PTLS_SF_SERVER_HELLO);
    cr_assert_eq(f.version, 0x0304);
    cr_assert_eq(f.legacy_version, 0x0303);
    cr_assert_eq(f.session_id_echo, 1);
    cr_assert_eq(f.group, 0x001d);
    cr_assert_eq(f.key_share_len, 32);
    cr_assert_str_eq(f.exts[0].value, "TLSv1.3");
    cr_assert_str_eq(f.exts[1].value, "X25519 (32 bytes)");
    cr_assert(f.ccs);
    cr_assert_eq(f.encrypted_records, 2);
    cr_assert_eq(f.encrypted_bytes, 20);
    cr_assert(!ptls_sf_complete(&f), "TLS 1.3: the caller waits for a quiet period");
    ptls_buf_free(&hs);
    ptls_buf_free(&wire);
    ptls_buf_free(&enc);
}

Test(flight, hrr_alert_and_garbage)
{
    ptls_buf hs = {0}, wire = {0};
    server_hello(&hs, HRR_RND, "00", "130100 000c 002b00020304 003300020017");
    record(&wire, 22, &hs);
    ptls_server_flight f;
    ptls_sf_decode(ptls_buf_head(&wire), ptls_buf_size(&wire), NULL, 0, &f);
    cr_assert_eq(f.kind, PTLS_SF_HRR);
    cr_assert_eq(f.group, 0x0017);
    cr_assert_str_eq(f.exts[1].value, "P-256");
    ptls_buf_free(&wire);

    put(&wire, "150303000202 28");
    ptls_sf_decode(ptls_buf_head(&wire), ptls_buf_size(&wire), NULL, 0, &f);
    cr_assert_eq(f.kind, PTLS_SF_ALERT);
    cr_assert_eq(f.alert_level, 2);
    cr_assert_eq(f.alert_desc, 40);
    cr_assert(ptls_sf_complete(&f));
    ptls_buf_free(&wire);

    put(&wire, "485454502f312e3120343030"); /* "HTTP/1.1 400" */
    ptls_sf_decode(ptls_buf_head(&wire), ptls_buf_size(&wire), NULL, 0, &f);
    cr_assert_eq(f.kind, PTLS_SF_NOT_TLS);
    cr_assert(ptls_sf_complete(&f));
    ptls_buf_free(&wire);
    ptls_buf_free(&hs);
}

/* ---- captures ----------------------------------------------------------------- */

static void le32(ptls_buf *b, uint32_t v)
{
    unsigned char c[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    ptls_buf_append(b, c, 4);
}

static void frame(ptls_buf *pcap, const unsigned char *payload, size_t n, uint32_t seq)
{
    unsigned char eth[14] = {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00};
    unsigned char ip[20] = {0x45, 0, 0, 0, 0, 1, 0x40, 0, 64, 6, 0, 0, 127, 0, 0, 1, 127, 0, 0, 2};
    unsigned char tcp[20] = {0x9c,
                             0x40,
                             0x01,
                             0xbb,
                             (unsigned char)(seq >> 24),
                             (unsigned char)(seq >> 16),
                             (unsigned char)(seq >> 8),
                             (unsigned char)seq,
                             0,
                             0,
                             0,
                             0,
                             0x50,
                             0x18,
                             0xff,
                             0xff};
    size_t tot = 20 + 20 + n;
    ip[2] = (unsigned char)(tot >> 8);
    ip[3] = (unsigned char)tot;
    le32(pcap, 0);
    le32(pcap, 0);
    le32(pcap, (uint32_t)(14 + tot));
    le32(pcap, (uint32_t)(14 + tot));
    ptls_buf_append(pcap, eth, 14);
    ptls_buf_append(pcap, ip, 20);
    ptls_buf_append(pcap, tcp, 20);
    ptls_buf_append(pcap, payload, n);
}

Test(pcap, first_client_hello_across_segments)
{
    ptls_chb b;
    ptls_chb_init(&b);
    ptls_chb_modern(&b);
    ptls_buf rec = {0}, pcap = {0}, out = {0};
    ptls_chb_records(&b, 0x0301, 2, &rec);
    le32(&pcap, 0xa1b2c3d4);
    put(&pcap, "0200 0400 00000000 00000000 ffff0000 01000000");
    frame(&pcap, (const unsigned char *)"GET /", 5, 1); /* not TLS: skipped */
    size_t half = ptls_buf_size(&rec) / 2;
    frame(&pcap, ptls_buf_head(&rec), half, 100);
    frame(&pcap, ptls_buf_head(&rec) + half, ptls_buf_size(&rec) - half, (uint32_t)(100 + half));
    frame(&pcap, (const unsigned char *)"\x17\x03\x03\x00\x01x", 6, (uint32_t)(100 + ptls_buf_size(&rec)));
    char err[200];
    cr_assert(ptls_pcap_is_capture(ptls_buf_head(&pcap), ptls_buf_size(&pcap)));
    cr_assert_eq(ptls_pcap_client_hello(ptls_buf_head(&pcap), ptls_buf_size(&pcap), &out, err, sizeof err), 0,
                 "%s", err);
    cr_assert_eq(ptls_buf_size(&out), ptls_buf_size(&rec), "%zu bytes, want %zu (what follows is dropped)",
                 ptls_buf_size(&out), ptls_buf_size(&rec));
    cr_assert_eq(memcmp(ptls_buf_head(&out), ptls_buf_head(&rec), ptls_buf_size(&rec)), 0);
    /* truncated captures are refused, never read past */
    for (size_t n = 0; n < ptls_buf_size(&pcap); n += 13) {
        ptls_buf o2 = {0};
        ptls_pcap_client_hello(ptls_buf_head(&pcap), n, &o2, err, sizeof err);
        ptls_buf_free(&o2);
    }
    ptls_buf_free(&rec);
    ptls_buf_free(&pcap);
    ptls_buf_free(&out);
    ptls_chb_free(&b);
}
