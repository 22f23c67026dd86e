/* The option table and parser: every option parses with its example value,
 * and every error path gives a usage error in s_server's style. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "options/options.h"
#include "options/server_opts.h"

static ptls_server_opts o;
static char err[2048];

static int parse(int argc, char **argv)
{
    return ptls_parse_args(argc, argv, &o, err, sizeof err);
}

static int parse_line(const char *line)
{
    static char buf[4096];
    char *argv[64];
    int argc = 0;
    snprintf(buf, sizeof buf, "%s", line);
    for (char *t = strtok(buf, " "); t && argc < 64; t = strtok(NULL, " "))
        argv[argc++] = t;
    return parse(argc, argv);
}

Test(options, table_is_consistent)
{
    cr_assert_gt(OPTID__COUNT, 180, "every s_server option must be known");
    for (int i = 0; i < OPTID__COUNT; i++) {
        const ptls_option *opt = &ptls_options[i];
        cr_assert_eq(opt->id, i);
        cr_assert(opt->name && opt->name[0] && opt->name[0] != '-', "option %d", i);
        cr_assert(opt->help && opt->help[0], "-%s has no help", opt->name);
        cr_assert(opt->group >= 0 && opt->group < GRP__COUNT, "-%s", opt->name);
        cr_assert(opt->cap >= PTLS_CAP_CLIENT_SIDE && opt->cap < PTLS_CAP__COUNT, "-%s", opt->name);
        static const char *const releases[] = {"1.0.2", "1.1.0", "1.1.1", "3.0", "3.2",    "3.3",
                                               "3.4",   "3.5",   "3.6",   "4.0", "polytls"};
        int known = 0;
        for (size_t r = 0; r < sizeof releases / sizeof releases[0]; r++)
            known |= opt->since != NULL && strcmp(opt->since, releases[r]) == 0;
        cr_assert(known, "-%s: since \"%s\" is not an s_server release", opt->name, opt->since);
        cr_assert_eq(opt->type == OPT_FLAG, opt->example == NULL, "-%s: example iff it takes a value",
                     opt->name);
        cr_assert_eq(ptls_option_find(opt->name), opt, "-%s is defined twice", opt->name);
    }
}

Test(options, seed_man_page_options_are_all_known)
{
    /* A sample across every theme of s_server.md. */
    static const char *names[] = {"accept",
                                  "port",
                                  "unix",
                                  "unlink",
                                  "naccept",
                                  "dtls1_2",
                                  "listen",
                                  "mtu",
                                  "cert",
                                  "certform",
                                  "key",
                                  "keyform",
                                  "pass",
                                  "cert_chain",
                                  "build_chain",
                                  "dcert",
                                  "dkey",
                                  "dpass",
                                  "xcert",
                                  "nocert",
                                  "dhparam",
                                  "no_dhe",
                                  "chainCAfile",
                                  "verify",
                                  "Verify",
                                  "verify_return_error",
                                  "CAfile",
                                  "CApath",
                                  "no-CAfile",
                                  "CRL",
                                  "crl_check_all",
                                  "no_ca_names",
                                  "purpose",
                                  "attime",
                                  "x509_strict",
                                  "ssl3",
                                  "tls1",
                                  "tls1_3",
                                  "no_tls1_3",
                                  "min_protocol",
                                  "cipher",
                                  "ciphersuites",
                                  "serverpref",
                                  "prioritize_chacha",
                                  "groups",
                                  "curves",
                                  "named_curve",
                                  "sigalgs",
                                  "client_sigalgs",
                                  "bugs",
                                  "comp",
                                  "no_comp",
                                  "strict",
                                  "no_etm",
                                  "no_ems",
                                  "legacy_renegotiation",
                                  "client_renegotiation",
                                  "record_padding",
                                  "context",
                                  "id_prefix",
                                  "no_cache",
                                  "ext_cache",
                                  "no_ticket",
                                  "num_tickets",
                                  "stateless",
                                  "alpn",
                                  "nextprotoneg",
                                  "servername",
                                  "servername_fatal",
                                  "cert2",
                                  "key2",
                                  "serverinfo",
                                  "status",
                                  "status_file",
                                  "use_srtp",
                                  "max_send_frag",
                                  "keymatexport",
                                  "early_data",
                                  "max_early_data",
                                  "anti_replay",
                                  "psk",
                                  "psk_identity",
                                  "psk_hint",
                                  "psk_session",
                                  "srpvfile",
                                  "www",
                                  "WWW",
                                  "HTTP",
                                  "rev",
                                  "crlf",
                                  "ign_eof",
                                  "msg",
                                  "msgfile",
                                  "trace",
                                  "debug",
                                  "state",
                                  "tlsextdebug",
                                  "security_debug",
                                  "keylogfile",
                                  "brief",
                                  "quiet",
                                  "help",
                                  "ssl_config",
                                  "async",
                                  "engine",
                                  "rand",
                                  "writerand",
                                  "provider",
                                  "ktls",
                                  "sendfile",
                                  "tfo"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        cr_assert_not_null(ptls_option_find(names[i]), "-%s is missing from the table", names[i]);
}

Test(options, every_option_parses_with_its_example)
{
    /* Files must exist for infile/dir options: use ones every system has. */
    for (int i = 0; i < OPTID__COUNT; i++) {
        const ptls_option *opt = &ptls_options[i];
        char name[64];
        snprintf(name, sizeof name, "-%s", opt->name);
        const char *value = opt->example;
        if (opt->type == OPT_INFILE) value = "/etc/hostname";
        if (opt->type == OPT_DIR) value = "/etc";
        char *argv[3] = {name, (char *)value, NULL};
        int rc = parse(value ? 2 : 1, argv);
        /* Some options need a companion to make sense; those may report a
         * usage conflict, but never "Unknown option" or a value error. */
        cr_assert(rc == 0 || (rc == 2 && !strstr(err, "Unknown option") && !strstr(err, "Invalid") &&
                              !strstr(err, "needs a value") && !strstr(err, "Cannot open")),
                  "-%s %s: %s", opt->name, value ? value : "", err);
    }
}

Test(options, unknown_option)
{
    cr_assert_eq(parse_line("-tls1_3 -no_such_opt"), 2);
    cr_assert(strstr(err, "Unknown option: -no_such_opt"), "%s", err);
    cr_assert(strstr(err, "Use -help for summary."), "%s", err);
}

Test(options, missing_value_and_bad_number)
{
    cr_assert_eq(parse_line("-naccept"), 2);
    cr_assert(strstr(err, "Option -naccept needs a value"), "%s", err);
    cr_assert_eq(parse_line("-naccept many"), 2);
    cr_assert(strstr(err, "Invalid number"), "%s", err);
    cr_assert_eq(parse_line("-naccept -1"), 2);
    cr_assert_eq(parse_line("-verify 99999999999"), 2);
}

Test(options, unreadable_files_and_dirs)
{
    cr_assert_eq(parse_line("-cert /nonexistent/x.pem"), 2);
    cr_assert(strstr(err, "Cannot open input file /nonexistent/x.pem"), "%s", err);
    cr_assert_eq(parse_line("-CApath /nonexistent"), 2);
    cr_assert(strstr(err, "Cannot open directory"), "%s", err);
}

Test(options, bad_values)
{
    cr_assert_eq(parse_line("-certform PEMX"), 2);
    cr_assert_eq(parse_line("-min_protocol TLSv9"), 2);
    cr_assert_eq(parse_line("-psk 0g"), 2);
    cr_assert_eq(parse_line("-psk abc"), 2, "odd hex length");
    cr_assert_eq(parse_line("-alpn h2,,x"), 2);
    cr_assert_eq(parse_line("-accept host:"), 2);
    cr_assert_eq(parse_line("-cipher NO-SUCH-SUITE"), 2);
    cr_assert_eq(parse_line("-ciphersuites ECDHE-RSA-AES128-GCM-SHA256"), 2,
                 "a TLS 1.2 suite in -ciphersuites");
    cr_assert_eq(parse_line("-sigalgs foo"), 2);
    cr_assert_eq(parse_line("-max_send_frag 100"), 2);
}

Test(options, conflicts)
{
    static const char *bad[] = {"-tls1_2 -tls1_3",
                                "-tls1_2 -min_protocol TLSv1.2",
                                "-dtls -www",
                                "-dtls1 -dtls1_2",
                                "-listen",
                                "-early_data -rev",
                                "-nextprotoneg x -tls1_3",
                                "-4 -6",
                                "-unix /tmp/s -port 1",
                                "-unlink",
                                "-nocert -cert /etc/hostname",
                                "-cert2 /etc/hostname",
                                "-servername a",
                                "-psk_hint x",
                                "-keymatexportlen 10",
                                "-verify 1 -Verify 1",
                                "-crl_check",
                                "-CRL /etc/hostname",
                                "-www -rev",
                                "-verify_depth 3",
                                "-min_protocol TLSv1.3 -max_protocol TLSv1.2",
                                "-max_early_data 5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(parse_line(bad[i]), 2, "\"%s\" must be a usage error", bad[i]);
}

Test(options, values_reach_the_config)
{
    cr_assert_eq(parse_line("-accept [::1]:8443 -alpn h2,http/1.1 -Verify 3 -CAfile /etc/hostname -no_ticket "
                            "-num_tickets 1 -cipher ECDHE-RSA-AES128-GCM-SHA256:TLS_RSA_WITH_AES_128_CBC_SHA "
                            "-groups X25519:prime256v1 -psk 0aFF -CRL /etc/hostname"),
                 0, "%s", err);
    cr_assert_str_eq(o.host, "::1");
    cr_assert_str_eq(o.port, "8443");
    cr_assert_eq(o.tls.alpn_wire_len, 12);
    cr_assert_eq(memcmp(o.tls.alpn_wire, "\x02h2\x08http/1.1", 12), 0);
    cr_assert_eq(o.tls.verify_mode, PTLS_VERIFY_REQUIRE);
    cr_assert_eq(o.tls.verify_depth, 3);
    cr_assert_eq(o.tls.tickets, 0);
    cr_assert_eq(o.tls.session_cache, 1);
    cr_assert_eq(o.tls.num_tickets, 1);
    cr_assert_eq(o.tls.n_cipher_ids, 2);
    cr_assert_eq(o.tls.cipher_ids[0], 0xC02F);
    cr_assert_eq(o.tls.cipher_ids[1], 0x002F);
    cr_assert_eq(o.tls.n_group_ids, 2);
    cr_assert_eq(o.tls.group_ids[0], 0x001d);
    cr_assert_eq(o.tls.group_ids[1], 0x0017);
    cr_assert_eq(o.tls.psk_len, 2);
    cr_assert_eq(o.tls.crl_check, 1, "-CRL implies -crl_check so the CRL is never loaded and ignored");
    cr_assert_str_eq(o.tls.cert.key, "server.pem", "the key defaults to the certificate file");
}

Test(options, cipher_keywords_flagged_for_capability_check)
{
    cr_assert_eq(parse_line("-cipher HIGH:!aNULL"), 0);
    cr_assert_eq(o.tls.n_cipher_ids, -1);
}

Test(options, secrets_hidden_in_recorded_command_line)
{
    cr_assert_eq(parse_line("-www -pass pass:topsecret -psk 0102"), 0);
    cr_assert_null(strstr(o.cmdline, "topsecret"));
    cr_assert_null(strstr(o.cmdline, "0102"));
    cr_assert(strstr(o.cmdline, "-pass <hidden>"), "%s", o.cmdline);
}

Test(options, help_lists_groups)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ptls_print_help(f);
    fclose(f);
    cr_assert(strstr(buf, "Protocol and version options:"));
    cr_assert(strstr(buf, " -tls1_3 "));
    cr_assert(strstr(buf, " -backend val"));
    free(buf);
}

Test(passphrase, sources)
{
    char buf[64], e[256];
    cr_assert_eq(ptls_resolve_pass("pass:abc", buf, sizeof buf, e, sizeof e), 0);
    cr_assert_str_eq(buf, "abc");
    setenv("PT_UNIT_PASS", "fromenv", 1);
    cr_assert_eq(ptls_resolve_pass("env:PT_UNIT_PASS", buf, sizeof buf, e, sizeof e), 0);
    cr_assert_str_eq(buf, "fromenv");
    cr_assert_eq(ptls_resolve_pass("env:PT_UNIT_NOPE", buf, sizeof buf, e, sizeof e), -1);
    cr_assert_eq(ptls_resolve_pass("file:/nonexistent", buf, sizeof buf, e, sizeof e), -1);
    cr_assert_eq(ptls_resolve_pass("hunter2", buf, sizeof buf, e, sizeof e), -1);
    cr_assert_null(strstr(e, "hunter2"), "an unprefixed password must not be echoed: %s", e);
}
