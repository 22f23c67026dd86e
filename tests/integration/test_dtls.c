/* DTLS (issue #9): handshakes and data with real peers over UDP, a lossy
 * path, a small MTU, several peers at once, and cookieless ClientHellos
 * that must cost the server no per-peer state. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define RSA_CERT "-cert @PKI@/server-rsa.pem -key @PKI@/server-rsa.key"
#define DTLS_CLIENT "openssl s_client -dtls1_2 -connect 127.0.0.1:%d"

/* Echo over DTLS: the client's line reaches the server's stdout and the
 * server's stdin line reaches the client. */
static void echo_roundtrip(const char *server_args, const char *client_fmt, int relay_port)
{
    pt_server s;
    PT_START(&s, 1, "%s", server_args);
    int port = relay_port ? relay_port : s.port;
    char client[512];
    snprintf(client, sizeof client, client_fmt, port);
    pt_bg c;
    pt_spawn(&c, s.port, "(printf 'hello over dtls\\n'; sleep 6) | %s -quiet", client);
    cr_assert(pt_server_wait_output(&s, "hello over dtls", 15000), "the client's data did not arrive");
    pt_server_input(&s, "reply from server\n");
    sleep(1);
    pt_server_input(&s, "q\n");
    char *out;
    pt_spawn_wait(&c, 10000, &out);
    cr_assert(strstr(out, "reply from server"), "%s", out);
    free(out);
    pt_server_stop(&s);
}

Test(dtls, dtls12_echo_with_openssl)
{
    PT_REQUIRE_CAP("dtls1.2");
    echo_roundtrip("-dtls1_2 " RSA_CERT, DTLS_CLIENT, 0);
}

Test(dtls, dtls10_echo_with_openssl)
{
    PT_REQUIRE_CAP("dtls1.0");
    echo_roundtrip("-dtls1 " RSA_CERT,
                   "openssl s_client -dtls1 -cipher DEFAULT@SECLEVEL=0 -connect 127.0.0.1:%d", 0);
}

/* OCSP stapling over DTLS 1.2: the client gets the staple, or the server
 * refuses -status_file with DTLS up front. */
Test(dtls, ocsp_staple)
{
    PT_REQUIRE_CAP("dtls1.2");
    PT_REQUIRE_CAP("ocsp-staple");
    pt_server s;
    if (pt_server_start(&s, 1,
                        "-dtls1_2 " RSA_CERT " -status_file @PKI@/ocsp-good.der -CAfile @PKI@/ca.pem") != 0) {
        char *err = pt_server_stderr(&s);
        cr_assert_eq(s.status, 3, "exit %d: %s", s.status, err);
        cr_assert(strstr(err, "capability error") && strstr(err, "-status_file") && strstr(err, "DTLS"), "%s",
                  err);
        free(err);
        return;
    }
    char *out;
    pt_run(&out, 20, s.port, "(printf 'staple\\n'; sleep 2) | " DTLS_CLIENT " -status", s.port);
    cr_assert(strstr(out, "Cert Status: good"), "no staple over DTLS: %s", out);
    free(out);
    pt_server_stop(&s);
}

/* DTLS 1.3 (-dtls1_3, a polytls option). Neither OpenSSL nor GnuTLS on
 * this system speak it; wolfSSL's example client from a wolfSSL flavour
 * build does (tools/flavours/flavour.sh installs it as bin/wolfssl-client).
 * The first ClientHello is answered statelessly (HelloRetryRequest with a
 * cookie): S counts one cookie exchange. */
Test(dtls, dtls13_with_wolfssl_client, .timeout = 60)
{
    PT_REQUIRE_CAP("dtls1.3");
    char *client;
    pt_run(&client, 10, 0,
           "ls -d ${POLYTLS_FLAVOUR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/polytls/flavours}/wolfssl-*/bin/"
           "wolfssl-client 2>/dev/null | tail -1 | tr -d '\\n'");
    if (client == NULL || client[0] == '\0')
        cr_skip_test("no DTLS 1.3 client (wolfssl-client of a wolfSSL flavour)");
    /* The example client looks for its source tree (certs/dh2048.pem)
     * before it does anything: give it one. */
    char dir[256];
    pt_mkdtemp(dir, sizeof dir);
    char *out;
    cr_assert_eq(pt_run(&out, 10, 0, "mkdir -p %s/certs && cp @PKI@/dh.pem %s/certs/dh2048.pem", dir, dir), 0,
                 "%s", out);
    free(out);
    pt_server s;
    PT_START(&s, 1, "-dtls1_3 " RSA_CERT);
    pt_bg c;
    pt_spawn(&c, s.port, "cd %s && exec %s -u -v 4 -h 127.0.0.1 -p @PORT@ -d -x", dir, client);
    cr_assert(pt_server_wait_output(&s, "hello wolfssl!", 15000), "the client's data did not arrive");
    cr_assert(pt_server_wait_output(&s, "Protocol version: DTLSv1.3", 1000), "not DTLS 1.3");
    pt_server_input(&s, "reply over dtls13\n");
    int rc = pt_spawn_wait(&c, 10000, &out);
    cr_assert(strstr(out, "reply over dtls13"), "exit %d: %s", rc, out);
    free(out);
    pt_server_input(&s, "S\n");
    cr_assert(pt_server_wait_output(&s, "1 DTLS cookie exchanges", 5000), "no stateless HelloRetryRequest");
    pt_server_stop(&s);
    free(client);
}

Test(dtls, gnutls_udp)
{
    PT_REQUIRE_CAP("dtls1.2");
    pt_server s;
    PT_START(&s, 0, "-dtls1_2 -rev " RSA_CERT);
    char *out;
    pt_run(&out, 20, s.port,
           "(printf 'gnutls datagram\\n'; sleep 2) | gnutls-cli --udp --insecure -p @PORT@ 127.0.0.1");
    cr_assert(strstr(out, "margatad sltung"), "-rev over DTLS with gnutls-cli: %s", out);
    free(out);
    pt_server_stop(&s);
}

Test(dtls, small_mtu_fragments_the_handshake)
{
    PT_REQUIRE_CAP("dtls1.2");
    pt_server s;
    if (pt_server_start(&s, 1, "-dtls1_2 -mtu 400 -debug " RSA_CERT) != 0) {
        /* A backend may refuse a small MTU up front: that is a capability
         * error naming -mtu, never a silent default. */
        char *err = pt_server_stderr(&s);
        cr_assert(s.status == 3 && strstr(err, "capability error") && strstr(err, "-mtu"), "exit %d: %s",
                  s.status, err);
        free(err);
        cr_skip_test("backend refuses -mtu 400 (capability error checked)");
    }
    pt_bg c;
    pt_spawn(&c, s.port,
             "(printf 'small mtu\\n'; sleep 4) | openssl s_client -dtls1_2 -mtu 400 -connect "
             "127.0.0.1:@PORT@ -quiet");
    cr_assert(pt_server_wait_output(&s, "small mtu", 15000), "no data through a 400-byte MTU");
    pt_server_input(&s, "q\n");
    pt_spawn_wait(&c, 10000, NULL);
    char *o = pt_server_stdout(&s);
    /* Every datagram the server wrote fits the MTU (IP and UDP headers
     * aside: at most 400 bytes of payload). */
    int biggest = 0;
    for (char *p = o; (p = strstr(p, "write to ")); p++) {
        char *b = strstr(p, " (");
        if (b) {
            int n = atoi(b + 2);
            if (n > biggest) biggest = n;
        }
    }
    cr_assert(biggest > 0 && biggest <= 400, "largest datagram %d bytes with -mtu 400", biggest);
    free(o);
    pt_server_stop(&s);
}

Test(dtls, several_peers_at_once)
{
    PT_REQUIRE_CAP("dtls1.2");
    pt_server s;
    PT_START(&s, 0, "-dtls1_2 -rev " RSA_CERT);
    pt_bg c[5];
    for (int i = 0; i < 5; i++)
        pt_spawn(&c[i], s.port,
                 "(sleep 1; printf 'peer%d\\n'; sleep 3) | openssl s_client -dtls1_2 -connect "
                 "127.0.0.1:@PORT@ -quiet",
                 i);
    for (int i = 0; i < 5; i++) {
        char *out, want[16];
        pt_spawn_wait(&c[i], 15000, &out);
        snprintf(want, sizeof want, "%dreep", i);
        cr_assert(strstr(out, want), "peer %d: %s", i, out);
        free(out);
    }
    pt_server_stop(&s);
}

/* A UDP relay that drops and reorders datagrams in both directions: in each
 * direction the 2nd datagram is lost and the 4th arrives after the 5th (or
 * after 300 ms of silence). Retransmission must repair the handshake. */
static pid_t start_lossy_relay(int server_port, int *relay_port)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t al = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &al);
    *relay_port = ntohs(a.sin_port);
    pid_t pid = fork();
    if (pid != 0) {
        close(fd);
        return pid;
    }
    alarm(30); /* bounded: the relay ends by itself */
    struct timeval tv = {.tv_sec = 0, .tv_usec = 300000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct sockaddr_in srv = {.sin_family = AF_INET, .sin_port = htons((uint16_t)server_port)};
    inet_pton(AF_INET, "127.0.0.1", &srv.sin_addr);
    struct sockaddr_in client = {0};
    unsigned count[2] = {0, 0};
    unsigned char held[2][4096];
    ssize_t held_len[2] = {0, 0};
    for (;;) {
        unsigned char buf[4096];
        struct sockaddr_in from;
        socklen_t fl = sizeof from;
        ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
        if (n <= 0) { /* silence: release what was held back */
            for (int d = 0; d < 2; d++)
                if (held_len[d]) {
                    sendto(fd, held[d], (size_t)held_len[d], 0, (struct sockaddr *)(d ? &srv : &client),
                           sizeof srv);
                    held_len[d] = 0;
                }
            continue;
        }
        int d = from.sin_port != srv.sin_port; /* 1: towards the server */
        if (d) client = from;
        struct sockaddr_in *dst = d ? &srv : &client;
        unsigned k = ++count[d];
        if (k == 2) continue; /* lost */
        if (k == 4) {         /* late */
            memcpy(held[d], buf, (size_t)n);
            held_len[d] = n;
            continue;
        }
        sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)dst, sizeof *dst);
        if (held_len[d]) {
            sendto(fd, held[d], (size_t)held_len[d], 0, (struct sockaddr *)dst, sizeof *dst);
            held_len[d] = 0;
        }
    }
}

Test(dtls, handshake_survives_a_lossy_reordering_path)
{
    PT_REQUIRE_CAP("dtls1.2");
    pt_server s;
    PT_START(&s, 1, "-dtls1_2 -msg " RSA_CERT);
    int relay_port;
    pid_t relay = start_lossy_relay(s.port, &relay_port);
    pt_bg c;
    pt_spawn(&c, relay_port,
             "(sleep 1; printf 'through the lossy relay\\n'; sleep 14) | openssl s_client -dtls1_2 -connect "
             "127.0.0.1:@PORT@ -quiet");
    int ok = pt_server_wait_output(&s, "through the lossy relay", 25000);
    kill(relay, SIGKILL);
    waitpid(relay, NULL, 0);
    pt_spawn_wait(&c, 1000, NULL);
    cr_assert(ok, "the handshake and the data did not survive a path that drops and reorders datagrams");
    pt_server_stop(&s);
}

Test(dtls, cookieless_hellos_cost_no_state)
{
    PT_REQUIRE_CAP("dtls1.2");
    pt_server s;
    PT_START(&s, 0, "-dtls1_2 -json events.jsonl -quiet " RSA_CERT);
    char path[512];
    const char *data = getenv("POLYTLS_TEST_DATA");
    snprintf(path, sizeof path, "%s/clienthello/openssl_dtls.bin", data ? data : "tests/data");
    size_t len;
    char *hello = pt_read_file(path, &len);
    cr_assert_not_null(hello, "%s", path);
    /* 300 "clients" (distinct source ports), each one ClientHello without a
     * cookie, as a spoofed flood would look. */
    struct sockaddr_in dst = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s.port)};
    inet_pton(AF_INET, "127.0.0.1", &dst.sin_addr);
    int answered = 0;
    for (int i = 0; i < 300; i++) {
        int fd = socket(AF_INET, SOCK_DGRAM, 0);
        sendto(fd, hello, len, 0, (struct sockaddr *)&dst, sizeof dst);
        struct timeval tv = {.tv_sec = 0, .tv_usec = 300000};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        unsigned char buf[2048];
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        /* A HelloVerifyRequest: handshake record, handshake type 3. */
        if (n > 13 + 12 && buf[0] == 22 && buf[13] == 3) answered++;
        close(fd);
    }
    free(hello);
    cr_assert_geq(answered, 290, "only %d of 300 cookieless hellos got a HelloVerifyRequest", answered);
    /* No connection was made for any of them, and a real client still gets in. */
    char *out;
    pt_run(
        &out, 20, s.port,
        "(printf 'still serving\\n'; sleep 2) | openssl s_client -dtls1_2 -connect 127.0.0.1:@PORT@ -quiet");
    free(out);
    pt_server_stop(&s);
    snprintf(path, sizeof path, "%s/events.jsonl", s.dir);
    char *ev = pt_read_file(path, NULL);
    cr_assert_not_null(ev);
    int accepted = 0;
    for (char *p = ev; (p = strstr(p, "\"event\":\"accepted\"")); p++)
        accepted++;
    cr_assert_eq(accepted, 1, "cookieless hellos must not create connections (%d accepted)", accepted);
    cr_assert(strstr(ev, "\"event\":\"handshake_done\""), "%s", ev);
    free(ev);
}
