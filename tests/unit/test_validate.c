/* Capability validation against a fake backend whose cap table the test
 * controls. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "options/capability.h"
#include "options/options.h"
#include "options/server_opts.h"

static const char *caps[PTLS_CAP__COUNT];
static const char *fake_version(void)
{
    return "FakeTLS 1.2.3";
}
static int refusals_from_check;
static int fake_check(const ptls_config *cfg, void (*refuse)(void *, const char *, const char *), void *arg)
{
    if (cfg->n_group_ids && cfg->group_ids[0] == 0x0100) {
        refuse(arg, "-groups ffdhe2048", "FakeTLS has no FFDHE");
        return ++refusals_from_check;
    }
    return 0;
}
static ptls_backend fake = {.abi = PTLS_BACKEND_ABI,
                            .name = "fake",
                            .cap_count = PTLS_CAP__COUNT,
                            .caps = caps,
                            .library_version = fake_version,
                            .check_config = fake_check};

static ptls_server_opts o;

static int validate(const char *line, char **msg)
{
    static char buf[4096], err[2048];
    char *argv[64];
    int argc = 0;
    snprintf(buf, sizeof buf, "%s", line);
    for (char *t = strtok(buf, " "); t && argc < 64; t = strtok(NULL, " "))
        argv[argc++] = t;
    cr_assert_eq(ptls_parse_args(argc, argv, &o, err, sizeof err), 0, "%s", err);
    size_t len;
    FILE *f = open_memstream(msg, &len);
    int rc = ptls_validate(&o, &fake, f);
    fclose(f);
    return rc;
}

static void all_supported(void)
{
    for (int i = 0; i < PTLS_CAP__COUNT; i++)
        caps[i] = PTLS_SUPPORTED;
}

Test(validate, supported_options_pass)
{
    all_supported();
    char *msg;
    cr_assert_eq(validate("-tls1_3 -alpn h2", &msg), 0, "%s", msg);
    cr_assert_eq(o.tls.min_version, PTLS_TLS1_3);
    cr_assert_eq(o.tls.max_version, PTLS_TLS1_3);
    free(msg);
}

Test(validate, refusal_names_option_backend_version_reason)
{
    all_supported();
    caps[PTLS_CAP_TLS1_3] = "FakeTLS has no TLS 1.3";
    char *msg;
    cr_assert_eq(validate("-tls1_3", &msg), 3);
    cr_assert(strstr(msg, "-tls1_3") && strstr(msg, "fake") && strstr(msg, "FakeTLS 1.2.3") &&
                  strstr(msg, "FakeTLS has no TLS 1.3"),
              "%s", msg);
    free(msg);
}

Test(validate, every_refusal_listed_at_once)
{
    all_supported();
    caps[PTLS_CAP_NPN] = "no NPN";
    caps[PTLS_CAP_EARLY_DATA] = "no early data";
    char *msg;
    cr_assert_eq(validate("-nextprotoneg a -early_data -nbio_test -legacy_server_connect", &msg), 3);
    cr_assert(strstr(msg, "-nextprotoneg") && strstr(msg, "no NPN"), "%s", msg);
    cr_assert(strstr(msg, "-early_data") && strstr(msg, "no early data"), "%s", msg);
    cr_assert(strstr(msg, "-nbio_test") && strstr(msg, "not implemented by polytls yet"), "%s", msg);
    cr_assert(strstr(msg, "-legacy_server_connect") && strstr(msg, "client-side setting"), "%s", msg);
    free(msg);
}

Test(validate, null_cap_entry_is_refused)
{
    all_supported();
    caps[PTLS_CAP_SRTP] = NULL;
    char *msg;
    cr_assert_eq(validate("-dtls -use_srtp SRTP_AES128_CM_SHA1_80", &msg), 3,
                 "an unlisted capability is never accepted");
    free(msg);
}

Test(validate, default_range_shrinks_to_backend_explicit_range_does_not)
{
    all_supported();
    caps[PTLS_CAP_TLS1_3] = "no 1.3";
    char *msg;
    cr_assert_eq(validate("-www", &msg), 0, "%s", msg);
    cr_assert_eq(o.tls.min_version, PTLS_TLS1_2);
    cr_assert_eq(o.tls.max_version, PTLS_TLS1_2);
    free(msg);
    cr_assert_eq(validate("-max_protocol TLSv1.3", &msg), 3);
    cr_assert(strstr(msg, "-max_protocol TLSv1.3"), "%s", msg);
    free(msg);
    caps[PTLS_CAP_TLS1_0] = "no 1.0";
    cr_assert_eq(validate("-min_protocol TLSv1", &msg), 3);
    free(msg);
}

Test(validate, no_tls_flags_trim_range)
{
    all_supported();
    char *msg;
    cr_assert_eq(validate("-no_tls1_3", &msg), 0, "%s", msg);
    cr_assert_eq(o.tls.max_version, PTLS_TLS1_2);
    free(msg);
    cr_assert_eq(validate("-no_tls1_2 -no_tls1_3", &msg), 2, "nothing left");
    free(msg);
    cr_assert_eq(validate("-min_protocol TLSv1 -no_tls1_1", &msg), 2, "a hole in the range");
    free(msg);
}

Test(validate, cipher_keywords_need_cipher_string)
{
    all_supported();
    caps[PTLS_CAP_CIPHER_STRING] = "no OpenSSL cipher strings";
    char *msg;
    cr_assert_eq(validate("-cipher HIGH:!aNULL", &msg), 3);
    cr_assert(strstr(msg, "no OpenSSL cipher strings"), "%s", msg);
    free(msg);
    cr_assert_eq(validate("-cipher ECDHE-RSA-AES128-GCM-SHA256", &msg), 0, "%s", msg);
    free(msg);
}

Test(validate, keylog_with_tls13_needs_keylog_tls13)
{
    all_supported();
    caps[PTLS_CAP_KEYLOG_TLS13] = "no TLS 1.3 secrets";
    char *msg;
    cr_assert_eq(validate("-keylogfile k", &msg), 3);
    cr_assert(strstr(msg, "-keylogfile") && strstr(msg, "TLS 1.2"), "%s", msg);
    free(msg);
    cr_assert_eq(validate("-keylogfile k -tls1_2", &msg), 0, "%s", msg);
    free(msg);
}

Test(validate, backend_check_config_refusals)
{
    all_supported();
    char *msg;
    cr_assert_eq(validate("-groups ffdhe2048", &msg), 3);
    cr_assert(strstr(msg, "FakeTLS has no FFDHE"), "%s", msg);
    free(msg);
}
