/* The shared name tables: one name means one suite/group on every backend. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "wire/cipher_table.h"
#include "wire/group_table.h"

Test(ciphers, names_in_every_spelling)
{
    cr_assert_eq(ptls_cipher_id_by_name("ECDHE-RSA-AES128-GCM-SHA256"), 0xC02F);
    cr_assert_eq(ptls_cipher_id_by_name("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), 0xC02F);
    cr_assert_eq(ptls_cipher_id_by_name("TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256"), 0xC02F,
                 "Mbed TLS spelling");
    cr_assert_eq(ptls_cipher_id_by_name("tls_aes_128_gcm_sha256"), 0x1301);
    cr_assert_eq(ptls_cipher_id_by_name("TLS13-CHACHA20-POLY1305-SHA256"), 0x1303, "wolfSSL spelling");
    cr_assert_eq(ptls_cipher_id_by_name("NOPE"), -1);
    cr_assert_str_eq(ptls_cipher_iana_name(0x1302), "TLS_AES_256_GCM_SHA384");
    cr_assert_null(ptls_cipher_iana_name(0x0A0A));
}

Test(ciphers, table_sorted_and_round_trips)
{
    int last = -1, n = 0;
    for (int id = 0; id <= 0xFFFF; id++) {
        const ptls_cipher_entry *e = ptls_cipher_by_id((uint16_t)id);
        if (!e) continue;
        cr_assert_gt(id, last);
        last = id;
        n++;
        cr_assert_eq(ptls_cipher_id_by_name(e->iana), id, "%s", e->iana);
    }
    cr_assert_gt(n, 100);
}

Test(ciphers, parse_list)
{
    uint16_t ids[8];
    char *bad;
    cr_assert_eq(
        ptls_cipher_parse_list("ECDHE-RSA-AES128-GCM-SHA256:TLS_RSA_WITH_AES_128_CBC_SHA", ids, 8, &bad), 2);
    cr_assert_eq(ids[1], 0x002F);
    cr_assert_eq(ptls_cipher_parse_list("HIGH:!aNULL", ids, 8, &bad), -1);
    cr_assert_str_eq(bad, "HIGH");
    free(bad);
    cr_assert_eq(ptls_cipher_parse_list("ECDHE-RSA-NOPE-SHA256", ids, 8, &bad), -2);
    free(bad);
}

Test(ciphers, grease)
{
    cr_assert(ptls_is_grease(0x0A0A));
    cr_assert(ptls_is_grease(0xFAFA));
    cr_assert(!ptls_is_grease(0x0A1A));
    cr_assert(!ptls_is_grease(0x1301));
}

Test(groups, names)
{
    cr_assert_eq(ptls_group_id("X25519"), 0x001d);
    cr_assert_eq(ptls_group_id("prime256v1"), 0x0017);
    cr_assert_eq(ptls_group_id("secp384r1"), 0x0018);
    cr_assert_eq(ptls_group_id("P-521"), 0x0019);
    cr_assert_eq(ptls_group_id("ffdhe2048"), 0x0100);
    cr_assert_eq(ptls_group_id("P-999"), -1);
    cr_assert_str_eq(ptls_group_name(0x001d), "X25519");
    cr_assert_eq(ptls_sigalg_id("rsa_pss_rsae_sha256"), 0x0804);
    cr_assert_eq(ptls_sigalg_id("ECDSA+SHA256"), 0x0403);
    cr_assert_eq(ptls_sigalg_id("ed25519"), 0x0807);
}
