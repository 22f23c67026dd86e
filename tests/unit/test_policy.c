/* Policies the core applies identically for every backend: ALPN, SNI,
 * keylog line format, certificate fingerprint. */
#include <criterion/criterion.h>
#include <string.h>

#include "module/host_api.h"
#include "options/pem.h"

Test(alpn, server_preference_and_no_overlap)
{
    const unsigned char server[] = "\x02h2\x08http/1.1";
    const unsigned char *out;
    unsigned char len;
    const unsigned char offer1[] = "\x08http/1.1\x02h2";
    cr_assert_eq(ptls_alpn_choose(server, 12, offer1, 12, &out, &len), 1);
    cr_assert_eq(len, 2);
    cr_assert_eq(memcmp(out, "h2", 2), 0);
    const unsigned char offer2[] = "\x08http/1.1";
    cr_assert_eq(ptls_alpn_choose(server, 12, offer2, 9, &out, &len), 1);
    cr_assert_eq(len, 8);
    const unsigned char offer3[] = "\x06spdy/3";
    cr_assert_eq(ptls_alpn_choose(server, 12, offer3, 7, &out, &len), 0);
    const unsigned char bad[] = "\x09h2";
    cr_assert_eq(ptls_alpn_choose(server, 12, bad, 3, &out, &len), 0, "a truncated offer matches nothing");
}

Test(sni, choice)
{
    cr_assert_eq(ptls_sni_choose(NULL, 0, "a"), PTLS_SNI_DEFAULT);
    cr_assert_eq(ptls_sni_choose("alt.test", 0, "ALT.test"), PTLS_SNI_ALT);
    cr_assert_eq(ptls_sni_choose("alt.test", 0, "other"), PTLS_SNI_DEFAULT);
    cr_assert_eq(ptls_sni_choose("alt.test", 1, "other"), PTLS_SNI_REJECT);
    cr_assert_eq(ptls_sni_choose("alt.test", 1, NULL), PTLS_SNI_REJECT);
}

Test(keylog, nss_format)
{
    unsigned char random[32], secret[48];
    for (int i = 0; i < 32; i++)
        random[i] = (unsigned char)i;
    for (int i = 0; i < 48; i++)
        secret[i] = 0xAB;
    char line[512];
    int n = ptls_keylog_format(line, sizeof line, "CLIENT_RANDOM", random, secret, 48);
    cr_assert_eq(n, (int)strlen("CLIENT_RANDOM ") + 64 + 1 + 96 + 1);
    cr_assert_eq(strncmp(line, "CLIENT_RANDOM 000102030405", 26), 0, "%s", line);
    cr_assert_eq(line[n - 1], '\n');
}

/* The certificate fingerprint is the SHA-256 (libmd) of the DER bytes. */
Test(sha256, known_vectors)
{
    char fp[128];
    ptls_fingerprint((const unsigned char *)"abc", 3, fp, sizeof fp);
    cr_assert_str_eq(fp,
                     "BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD");
    ptls_fingerprint((const unsigned char *)"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, fp,
                     sizeof fp);
    cr_assert_str_eq(fp,
                     "24:8D:6A:61:D2:06:38:B8:E5:C0:26:93:0C:3E:60:39:A3:3C:E4:59:64:FF:21:67:F6:EC:ED:D4:19:DB:06:C1");
}
