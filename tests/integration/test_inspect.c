/* Issue #5: the same handshake seen the same way on every backend: the
 * ClientHello inspector's output (-brief, -tlsextdebug, -www), -msg,
 * -debug, -json events and canonical error names. */
#include <arpa/inet.h>
#include <signal.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness.h"

#define RSA_CERT "-cert @PKI@/server-rsa.pem -key @PKI@/server-rsa.key"
#define S_CLIENT "openssl s_client -connect 127.0.0.1:@PORT@"

static const char *data_dir(void)
{
    const char *d = getenv("POLYTLS_TEST_DATA");
    return d && *d ? d : "tests/data";
}

/* A real ClientHello (captured from openssl s_client) with its first two
 * cipher suites replaced by an unknown suite and a GREASE value. */
static void send_crafted_hello(int port)
{
    char path[512];
    snprintf(path, sizeof path, "%s/clienthello/openssl_s_client.bin", data_dir());
    size_t len;
    unsigned char *hello = (unsigned char *)pt_read_file(path, &len);
    cr_assert_not_null(hello, "%s", path);
    size_t off = 5 + 4 + 2 + 32;
    off += 1 + hello[off]; /* session id */
    off += 2;              /* cipher suites length */
    hello[off] = 0x12, hello[off + 1] = 0x34;
    hello[off + 2] = 0x0A, hello[off + 3] = 0x0A;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    cr_assert_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    cr_assert_eq(write(fd, hello, len), (ssize_t)len);
    char buf[4096];
    struct timeval tv = {.tv_sec = 3};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    while (read(fd, buf, sizeof buf) > 0) {
        /* the server answers; we never finish the handshake */
        break;
    }
    close(fd);
    free(hello);
}

Test(inspect, brief_shows_unknown_and_grease_suites)
{
    pt_server s;
    PT_START(&s, 0, "-www -brief " RSA_CERT);
    send_crafted_hello(s.port);
    cr_assert(pt_server_wait_output(&s, "Client cipher list: 0x1234:0x0A0A:TLS_AES_128_GCM_SHA256:", 5000),
              "-brief must list every offered suite, unknown ones as 0x....");
    /* And a normal client's list, as s_server spells it. */
    char *out;
    pt_run(&out, 20, s.port, S_CLIENT " -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA </dev/null");
    free(out);
    cr_assert(pt_server_wait_output(&s, "Client cipher list: ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA", 5000));
    char *err = pt_server_stderr(&s);
    cr_assert(strstr(err, "Client JA4: t13d") || strstr(err, "Client JA4: t12d"), "%s", err);
    free(err);
    pt_server_stop(&s);
}

Test(inspect, tlsextdebug_prints_every_extension)
{
    pt_server s;
    PT_START(&s, 0, "-www -tlsextdebug " RSA_CERT);
    char *out;
    pt_run(&out, 20, s.port, S_CLIENT " -servername example.test -alpn h2 </dev/null");
    free(out);
    cr_assert(pt_server_wait_output(
        &s, "TLS client extension \"application_layer_protocol_negotiation\" (id=16), len=5", 5000));
    char *o = pt_server_stdout(&s);
    cr_assert(strstr(o, "TLS client extension \"server_name\" (id=0), len=17"), "%s", o);
    cr_assert(strstr(o, "example.test"), "the hex dump shows the bytes: %s", o);
    free(o);
    pt_server_stop(&s);
}

Test(inspect, www_lists_offered_and_shared_ciphers)
{
    PT_REQUIRE_CAP("cipher-list");
    pt_server s;
    PT_START(&s, 0, "-www -tls1_2 -cipher ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256 " RSA_CERT);
    char *out;
    pt_run(&out, 20, s.port,
           "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | " S_CLIENT " -tls1_2 -ign_eof "
           "-cipher ECDHE-RSA-AES128-GCM-SHA256:AES256-SHA:ECDHE-ECDSA-AES128-GCM-SHA256");
    cr_assert(strstr(out, "Ciphers offered by the client, in its order (4):"), "%s", out);
    cr_assert(strstr(out, "0xC02F TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), "%s", out);
    cr_assert(strstr(out, "0x00FF TLS_EMPTY_RENEGOTIATION_INFO_SCSV"), "%s", out);
    cr_assert(strstr(out, "Shared ciphers (offered by the client and enabled here): "
                          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\n"),
              "only the really shared suite: %s", out);
    free(out);
    pt_server_stop(&s);
}

Test(inspect, msg_and_debug_show_both_directions)
{
    pt_server s;
    PT_START(&s, 0, "-www -msg -debug " RSA_CERT);
    char *out;
    pt_run(&out, 20, s.port, "curl -sSk --tlsv1.2 --tls-max 1.2 https://127.0.0.1:@PORT@/");
    free(out);
    cr_assert(pt_server_wait_output(&s, ">>>   ServerHelloDone", 5000));
    cr_assert(pt_server_wait_output(&s, "ApplicationData [length", 5000));
    char *o = pt_server_stdout(&s);
    cr_assert(strstr(o, "<<<   ClientHello [length"), "%s", o);
    cr_assert(strstr(o, ">>>   ServerHello [length"), "%s", o);
    cr_assert(strstr(o, "ChangeCipherSpec"), "%s", o);
    cr_assert(strstr(o, "ApplicationData [length") && strstr(o, "(encrypted)"), "%s", o);
    cr_assert(strstr(o, "read from 127.0.0.1:") && strstr(o, "write to 127.0.0.1:"), "-debug: %s", o);
    free(o);
    pt_server_stop(&s);
}

/* The same failing client gets the same canonical error name whatever the
 * backend: in the text output and in the -json error event. */
Test(inspect, canonical_errors_agree)
{
    PT_REQUIRE_CAP("cipher-list");
    PT_REQUIRE_CAP("client-verify");
    /* Each failing client against a server set up for it (wolfSSL, for
     * one, narrows the client certificate types to the allowed suites). */
    static const struct {
        const char *server, *client, *name;
    } cases[] = {
        {"-cipher ECDHE-RSA-AES256-GCM-SHA384", S_CLIENT " -tls1_2 -cipher AES128-SHA", "no_shared_cipher"},
        {"-Verify 1 -CAfile @PKI@/ca.pem", S_CLIENT " -tls1_2", "certificate_required"},
        {"-Verify 1 -CAfile @PKI@/ca.pem",
         S_CLIENT " -tls1_2 -cert @PKI@/stranger.pem -key @PKI@/stranger.key", "unknown_ca"},
        {"", "curl -s http://127.0.0.1:@PORT@/", "not_tls"},
        {"", "curl -sk --tls-max 1.1 https://127.0.0.1:@PORT@/", "protocol_version"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pt_server s;
        PT_START(&s, 0, "-www -tls1_2 -json events.jsonl %s " RSA_CERT, cases[i].server);
        char *out;
        pt_run(&out, 20, s.port, "%s </dev/null", cases[i].client);
        free(out);
        char want[96];
        snprintf(want, sizeof want, "failed [%s]", cases[i].name);
        int seen = pt_server_wait_output(&s, want, 5000);
        char *err = pt_server_stderr(&s);
        cr_assert(seen, "%s: expected %s in: %s", cases[i].client, want, err);
        free(err);
        pt_server_stop(&s);
        char path[400];
        snprintf(path, sizeof path, "%s/events.jsonl", s.dir);
        char *ev = pt_read_file(path, NULL);
        cr_assert_not_null(ev);
        snprintf(want, sizeof want, "\"event\":\"error\",\"conn\":1,\"stage\":\"handshake\",\"error\":\"%s\"",
                 cases[i].name);
        cr_assert(strstr(ev, want), "missing %s in %s", want, ev);
        free(ev);
    }
}

Test(inspect, json_events_for_a_session)
{
    pt_server s;
    PT_START(&s, 0, "-www -json events.jsonl -alpn http/1.1 " RSA_CERT);
    char *out;
    cr_assert_eq(pt_run(&out, 20, s.port, "curl -sSk https://127.0.0.1:@PORT@/"), 0, "%s", out);
    free(out);
    pt_server_stop(&s);
    char path[400];
    snprintf(path, sizeof path, "%s/events.jsonl", s.dir);
    char *ev = pt_read_file(path, NULL);
    cr_assert_not_null(ev);
    static const char *events[] = {"\"event\":\"listening\"", "\"event\":\"accepted\",\"conn\":1",
                                   "\"event\":\"client_hello\",\"conn\":1",
                                   "\"event\":\"handshake_done\",\"conn\":1",
                                   "\"event\":\"closed\",\"conn\":1"};
    for (size_t i = 0; i < 5; i++)
        cr_assert(strstr(ev, events[i]), "missing %s in %s", events[i], ev);
    cr_assert(strstr(ev, "\"alpn\":[\"h2\",\"http/1.1\"]"), "curl's ALPN offer: %s", ev);
    cr_assert(strstr(ev, "\"alpn\":\"http/1.1\""), "negotiated ALPN: %s", ev);
    cr_assert(strstr(ev, "\"ja4\":\"t13i"), "curl to an IP address sends no SNI (JA4 i): %s", ev);
    /* Every line validates against the documented schema. */
    int rc = pt_run(&out, 20, 0,
                    "/usr/bin/python3 @SRC@/tests/validate_events.py @SRC@/docs/events.schema.json %s", path);
    cr_assert_eq(rc, 0, "schema validation: %s", out);
    free(out);
    free(ev);
}

/* The keylog lines decrypt a real capture: tshark, given only the server's
 * keylog file, sees the HTTP request inside the TLS session. */
static void keylog_decrypts(const char *version_flag)
{
    pt_server s;
    PT_START(&s, 0, "-www %s -keylogfile keys.log " RSA_CERT, version_flag);
    char cap[400];
    snprintf(cap, sizeof cap, "%s/cap.pcapng", s.dir);
    pt_bg shark;
    pt_spawn(&shark, s.port, "exec tshark -i lo -f 'tcp port @PORT@' -w %s -a duration:20", cap);
    /* dumpcap is capturing once the file exists and has its header. */
    char *out;
    pt_run(&out, 15, 0, "for i in $(seq 100); do [ -s %s ] && break; sleep 0.1; done; sleep 0.5", cap);
    free(out);
    cr_assert_eq(pt_run(&out, 20, s.port, "curl -sSk %s https://127.0.0.1:@PORT@/polytls-keylog-probe",
                        strcmp(version_flag, "-tls1_2") == 0 ? "--tls-max 1.2" : "--tlsv1.3"),
                 0, "%s", out);
    free(out);
    usleep(500000);
    kill(shark.pid, SIGINT);
    pt_spawn_wait(&shark, 5000, NULL);
    pt_server_stop(&s);
    pt_run(&out, 30, 0,
           "tshark -r %s -o tls.keylog_file:%s/keys.log -Y http.request -T fields -e http.request.uri", cap,
           s.dir);
    cr_assert(strstr(out, "/polytls-keylog-probe"), "tshark could not decrypt with the server's keylog: %s",
              out);
    free(out);
}

Test(keylog, tshark_decrypts_tls12)
{
    PT_REQUIRE_CAP("keylog");
    keylog_decrypts("-tls1_2");
}

Test(keylog, tshark_decrypts_tls13)
{
    PT_REQUIRE_CAP("keylog-tls1.3");
    keylog_decrypts("-tls1_3");
}
