/* Fuzz regressions (issue #8): inputs replayed through the fuzz targets'
 * own entry points, with the targets' own property checks (a violated
 * property aborts, which Criterion reports as a crashed test).
 *
 * The fuzz sources are compiled into this file with their entry points
 * renamed, so a unit-test build (any compiler, no libFuzzer) runs exactly
 * the code the fuzzers run. Replayed here:
 *  - every seed in tests/fuzz/corpus/<target>/ and every saved crash input
 *    in tests/fuzz/regressions/<target>/ (a crash the fuzzers find is saved
 *    there by name, and also gets a Test below with the bytes inline);
 *  - edge inputs for each parser.
 * The whole-server handshake targets need a backend module and are not
 * replayed here: tests/fuzz/run_fuzzers.sh replays their regressions
 * directory as part of the corpus.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LLVMFuzzerTestOneInput fuzz_http_one
#include "../fuzz/fuzz_http.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_options_one
#include "../fuzz/fuzz_options.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_clienthello_one
#include "../fuzz/fuzz_clienthello.c"
#undef LLVMFuzzerTestOneInput

typedef int (*entry_fn)(const uint8_t *, size_t);

static void replay(entry_fn fn, const void *data, size_t size)
{
    /* An exact-size heap copy, as libFuzzer hands it over. */
    uint8_t *copy = malloc(size ? size : 1);
    cr_assert(copy);
    memcpy(copy, data, size);
    fn(copy, size);
    free(copy);
}

#define REPLAY(fn, lit) replay(fn, lit, sizeof lit - 1)

/* Replays every file in tests/fuzz/<sub>/<target>/ (sub: corpus or
 * regressions); returns the number of files. The tree is found next to this
 * source file (CMake compiles it by absolute path). */
static int replay_dir(entry_fn fn, const char *sub, const char *target)
{
    char dir[4096];
    const char *slash = strrchr(__FILE__, '/');
    if (!slash) return 0;
    snprintf(dir, sizeof dir, "%.*s/../fuzz/%s/%s", (int)(slash - __FILE__), __FILE__, sub, target);
    DIR *d = opendir(dir);
    if (!d) return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char path[4400];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        if (!f) continue;
        static uint8_t buf[1 << 20];
        size_t len = fread(buf, 1, sizeof buf, f);
        fclose(f);
        replay(fn, buf, len);
        n++;
    }
    closedir(d);
    return n;
}

Test(fuzz_regressions, http_corpus_and_saved_inputs)
{
    int n = replay_dir(fuzz_http_one, "corpus", "fuzz_http");
    replay_dir(fuzz_http_one, "regressions", "fuzz_http");
    cr_expect_gt(n, 0, "the seed corpus tests/fuzz/corpus/fuzz_http was not found");
}

Test(fuzz_regressions, options_corpus_and_saved_inputs)
{
    int n = replay_dir(fuzz_options_one, "corpus", "fuzz_options");
    replay_dir(fuzz_options_one, "regressions", "fuzz_options");
    cr_expect_gt(n, 0, "the seed corpus tests/fuzz/corpus/fuzz_options was not found");
}

Test(fuzz_regressions, clienthello_corpus_and_saved_inputs)
{
    int n = replay_dir(fuzz_clienthello_one, "corpus", "fuzz_clienthello");
    replay_dir(fuzz_clienthello_one, "regressions", "fuzz_clienthello");
    cr_expect_gt(n, 0, "the seed corpus tests/fuzz/corpus/fuzz_clienthello was not found");
}

/* Edge inputs: truncated escapes, empty and oversized parts, bytes that
 * end a request line early, traversal spelled every way. */
Test(fuzz_regressions, http_edges)
{
    REPLAY(fuzz_http_one, "");
    REPLAY(fuzz_http_one, "\n");
    REPLAY(fuzz_http_one, " \n");
    REPLAY(fuzz_http_one, "GET \r\n");
    REPLAY(fuzz_http_one, "GET  HTTP/1.1\r\n\r\n");
    REPLAY(fuzz_http_one, "GET /%");
    REPLAY(fuzz_http_one, "GET /%\n");
    REPLAY(fuzz_http_one, "GET /%4\n");
    REPLAY(fuzz_http_one, "GET /a%2 HTTP/1.1\n\n");
    REPLAY(fuzz_http_one, "GET /%2e%2e HTTP/1.1\n\r\n");
    REPLAY(fuzz_http_one, "GET /.%2e/x HTTP/1.0\n\n");
    REPLAY(fuzz_http_one, "GET /a/../../b HTTP/1.1\r\n\r\n");
    REPLAY(fuzz_http_one, "GET /%2f%2fetc HTTP/1.1\r\n\r\n");
    REPLAY(fuzz_http_one, "GET /%5c HTTP/1.1\r\n\r\n");
    REPLAY(fuzz_http_one, "GET /%3a HTTP/1.1\r\n\r\n");
    REPLAY(fuzz_http_one, "GET /a HTTP/1.\r\n\r\n");
    REPLAY(fuzz_http_one, "GET /a HTTP/1.9\r\n\r\n");
    REPLAY(fuzz_http_one, "GET /a HTTP/1.1\r\nConnection:\r\n\r\n");
    REPLAY(fuzz_http_one, "GET /a HTTP/1.1\r\nConnection\r\n\r\nGET /b\n");
    REPLAY(fuzz_http_one, "ABCDEFGHIJKLMNOP /a\n");
    REPLAY(fuzz_http_one, "GET /\x00\x7f HTTP/1.1\r\n\r\n");
}

Test(fuzz_regressions, options_edges)
{
    REPLAY(fuzz_options_one, "");
    REPLAY(fuzz_options_one, "\n");
    REPLAY(fuzz_options_one, "-");
    REPLAY(fuzz_options_one, "--");
    REPLAY(fuzz_options_one, "-accept");
    REPLAY(fuzz_options_one, "-accept\n:");
    REPLAY(fuzz_options_one, "-accept\n[]:1");
    REPLAY(fuzz_options_one, "-accept\n[:1");
    REPLAY(fuzz_options_one, "-alpn\n,");
    REPLAY(fuzz_options_one, "-alpn\na,");
    REPLAY(fuzz_options_one, "-psk\n0");
    REPLAY(fuzz_options_one, "-cipher\n");
    REPLAY(fuzz_options_one, "-cipher\n::");
    REPLAY(fuzz_options_one, "-ciphersuites\n");
    REPLAY(fuzz_options_one, "-groups\n:");
    REPLAY(fuzz_options_one, "-min_protocol\ntlsv1.3\n-max_protocol\nTLSv1");
    REPLAY(fuzz_options_one, "-no_tls1\n-no_tls1_1\n-no_tls1_2\n-no_tls1_3");
    REPLAY(fuzz_options_one, "-tls1\n-no_tls1");
    REPLAY(fuzz_options_one, "-verify\n2147483647\n-port\n65536");
    REPLAY(fuzz_options_one, "-keylogfile\n/dev/null\n-tls1_3");
    REPLAY(fuzz_options_one, "-early_data\n-tls1_2");
    REPLAY(fuzz_options_one, "-pass\n\x00-dpass\n");
}

Test(fuzz_regressions, clienthello_edges)
{
    REPLAY(fuzz_clienthello_one, "");
    REPLAY(fuzz_clienthello_one, "\x16\x03\x01\x00\x00");
    REPLAY(fuzz_clienthello_one, "\x16\x03\x01\x00\x04\x01\x00\x00\x00");
    REPLAY(fuzz_clienthello_one, "\x16\xfe\xff\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00");
    REPLAY(fuzz_clienthello_one, "\x80\x2e\x01\x03\x01");
}
