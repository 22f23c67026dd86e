/* libFuzzer target for the ClientHello inspector (core/wire/clienthello.c).
 *
 * The input is the raw byte stream a client sends. Each input goes through
 * the TLS and the DTLS parser twice: in one feed, and split into chunks of
 * pseudo-random sizes (1..n bytes, derived from the input itself so runs are
 * reproducible). Both runs must agree on the status, the reason and the
 * fingerprints; every decoded list is then walked and named.
 *
 * Build by hand (not part of the CMake build):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Icore \
 *     tests/fuzz/fuzz_clienthello.c core/wire/clienthello.c \
 *     core/wire/cipher_table.c core/wire/group_table.c -lmd -o /tmp/fuzz_clienthello
 *   /tmp/fuzz_clienthello -max_total_time=60 -max_len=70000 CORPUS_DIR tests/data/clienthello
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire/clienthello.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk(const ptls_client_hello *ch)
{
    char buf[PTLS_CH_NAME_BUF];
    volatile size_t sink = 0;
    for (size_t i = 0; i < ch->n_ciphers; i++)
        sink += strlen(ptls_ch_name(PTLS_CH_NAME_CIPHER, ch->ciphers[i], buf));
    for (size_t i = 0; i < ch->n_exts; i++)
        sink += strlen(ptls_ch_name(PTLS_CH_NAME_EXT, ch->exts[i].type, buf)) + ch->exts[i].len;
    for (size_t i = 0; i < ch->n_groups; i++)
        sink += strlen(ptls_ch_name(PTLS_CH_NAME_GROUP, ch->groups[i], buf));
    for (size_t i = 0; i < ch->n_key_shares; i++)
        sink += strlen(ptls_ch_name(PTLS_CH_NAME_GROUP, ch->key_shares[i].group, buf));
    for (size_t i = 0; i < ch->n_sigalgs; i++)
        sink += strlen(ptls_ch_name(PTLS_CH_NAME_SIGALG, ch->sigalgs[i], buf));
    for (size_t i = 0; i < ch->n_sigalgs_cert; i++)
        sink += ch->sigalgs_cert[i];
    for (size_t i = 0; i < ch->n_versions; i++)
        sink += strlen(ptls_ch_name(PTLS_CH_NAME_VERSION, ch->versions[i], buf));
    for (size_t i = 0; i < ch->n_alpn; i++)
        for (size_t j = 0; j < ch->alpn[i].len; j++)
            sink += ch->alpn[i].data[j];
    for (size_t i = 0; i < ch->n_compression; i++)
        sink += ch->compression[i];
    for (size_t i = 0; i < ch->n_psk_modes; i++)
        sink += ch->psk_modes[i];
    for (size_t i = 0; i < ch->n_ec_point_formats; i++)
        sink += ch->ec_point_formats[i];
    for (size_t i = 0; i < ch->session_id_len; i++)
        sink += ch->session_id[i];
    for (size_t i = 0; i < ch->raw_len; i++)
        sink += ch->raw[i];
    sink += strlen(ch->sni) + strlen(ch->ja3) + strlen(ch->ja4_r);
    if (strlen(ch->ja4) != 36 || strlen(ch->ja3_md5) != 32 || ch->session_id_len > 32) abort();
    (void)sink;
}

static void one(const uint8_t *data, size_t size, int dtls)
{
    ptls_ch_parser a, b;
    ptls_ch_parser_init(&a, dtls);
    int sa = ptls_ch_feed(&a, data, size);

    uint32_t r = 2166136261u;
    for (size_t i = 0; i < size && i < 64; i++)
        r = (r ^ data[i]) * 16777619u;
    r ^= (uint32_t)size;
    ptls_ch_parser_init(&b, dtls);
    int sb = PTLS_CH_MORE;
    for (size_t off = 0; off < size && sb == PTLS_CH_MORE;) {
        r ^= r << 13;
        r ^= r >> 17;
        r ^= r << 5;
        size_t n = (r & 3) == 0 ? 1 + r % 4096 : 1 + (r >> 8) % 17;
        if (n > size - off) n = size - off;
        sb = ptls_ch_feed(&b, data + off, n);
        off += n;
    }
    if (sa != sb || strcmp(ptls_ch_reason(&a), ptls_ch_reason(&b))) abort();
    if (sa == PTLS_CH_DONE) {
        const ptls_client_hello *x = ptls_ch_result(&a), *y = ptls_ch_result(&b);
        if (strcmp(x->ja3, y->ja3) || strcmp(x->ja4, y->ja4) || strcmp(x->ja4_r, y->ja4_r) ||
            x->raw_len != y->raw_len || memcmp(x->raw, y->raw, x->raw_len))
            abort();
        walk(x);
    } else if (ptls_ch_result(&a)) {
        abort();
    }
    ptls_ch_parser_free(&a);
    ptls_ch_parser_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    one(data, size, 0);
    one(data, size, 1);
    return 0;
}
