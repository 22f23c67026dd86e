#include "events.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "build_config.h"
#include "hello_report.h"
#include "json_writer.h"
#include "options/pem.h"
#include "report.h"
#include "wire/cipher_table.h"
#include "wire/error_names.h"

static FILE *events_out;
static int events_is_stdout;

int ptls_events_open(const char *path, char *err, size_t errlen)
{
    if (strcmp(path, "-") == 0) {
        events_out = stdout;
        events_is_stdout = 1;
        return 0;
    }
    events_out = fopen(path, "a");
    if (!events_out) {
        snprintf(err, errlen, "cannot open -json file %s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

int ptls_events_enabled(void)
{
    return events_out != NULL;
}

void ptls_events_close(void)
{
    if (events_out && !events_is_stdout) fclose(events_out);
    events_out = NULL;
}

static void begin(ptls_json *j, const char *event, uint64_t conn)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    gmtime_r(&tv.tv_sec, &tm);
    char ts[64];
    snprintf(ts, sizeof ts, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (long)tv.tv_usec);
    ptls_json_open(j);
    ptls_json_str(j, "time", ts);
    ptls_json_str(j, "event", event);
    if (conn) ptls_json_int(j, "conn", (long long)conn);
}

static void emit(ptls_json *j)
{
    ptls_json_close(j);
    ptls_buf_append(&j->b, "\n", 1);
    fwrite(ptls_buf_head(&j->b), 1, ptls_buf_size(&j->b), events_out);
    fflush(events_out);
    ptls_json_free(j);
}

void ptls_event_listening(const char *address, const char *backend, const char *library)
{
    if (!events_out) return;
    ptls_json j;
    begin(&j, "listening", 0);
    ptls_json_str(&j, "address", address);
    ptls_json_str(&j, "backend", backend);
    ptls_json_str(&j, "library", library);
    ptls_json_str(&j, "polytls", POLYTLS_VERSION);
    ptls_json_int(&j, "pid", (long long)getpid());
    emit(&j);
}

void ptls_event_accepted(uint64_t conn, const char *peer, int worker_pid)
{
    if (!events_out) return;
    ptls_json j;
    begin(&j, "accepted", conn);
    ptls_json_str(&j, "peer", peer);
    if (worker_pid) ptls_json_int(&j, "worker_pid", (long long)getpid());
    emit(&j);
}

void ptls_event_client_hello(uint64_t conn, const ptls_ch_parser *hello, int status)
{
    if (!events_out || !hello) return;
    ptls_json j;
    const ptls_client_hello *ch = ptls_ch_result(hello);
    if (ch) {
        begin(&j, "client_hello", conn);
        ptls_hello_json(ch, &j);
    } else {
        begin(&j, "client_hello_error", conn);
        ptls_json_str(&j, "status", status == PTLS_CH_NOT_TLS ? "not_tls" : "malformed");
        ptls_json_str(&j, "reason", ptls_ch_reason(hello));
    }
    emit(&j);
}

void ptls_event_alert(uint64_t conn, int sent, int level, int code)
{
    if (!events_out) return;
    ptls_json j;
    begin(&j, "alert", conn);
    ptls_json_str(&j, "direction", sent ? "sent" : "received");
    ptls_json_str(&j, "level", level == 2 ? "fatal" : "warning");
    const char *name = ptls_alert_name(code);
    ptls_json_str(&j, "description", name ? name : "unknown");
    ptls_json_int(&j, "code", code);
    emit(&j);
}

void ptls_event_handshake_done(uint64_t conn, const ptls_conn_info *i, int64_t handshake_us)
{
    if (!events_out) return;
    ptls_json j;
    begin(&j, "handshake_done", conn);
    ptls_json_str(&j, "version", ptls_version_name(i->version));
    const char *cipher = ptls_cipher_iana_name(i->cipher_id);
    if (cipher) ptls_json_str(&j, "cipher", cipher);
    if (i->cipher_id) ptls_json_int(&j, "cipher_id", i->cipher_id);
    if (i->group[0]) ptls_json_str(&j, "group", i->group);
    if (i->sigalg[0]) ptls_json_str(&j, "signature_scheme", i->sigalg);
    if (i->alpn[0]) ptls_json_str(&j, "alpn", i->alpn);
    if (i->sni[0]) ptls_json_str(&j, "sni", i->sni);
    if (i->ech[0]) ptls_json_str(&j, "ech", i->ech);
    if (i->ech_outer_sni[0]) ptls_json_str(&j, "ech_outer_sni", i->ech_outer_sni);
    if (i->resumed >= 0) ptls_json_bool(&j, "resumed", i->resumed);
    if (i->peer_cert) {
        ptls_json_str(&j, "peer_cert_subject", i->peer_subject);
        if (i->peer_der_len) {
            char fp[128];
            ptls_fingerprint(i->peer_der, i->peer_der_len, fp, sizeof fp);
            ptls_json_str(&j, "peer_cert_sha256", fp);
        }
        if (i->verify_ok >= 0) ptls_json_str(&j, "verify", i->verify_ok ? "ok" : "failed");
    }
    ptls_json_int(&j, "handshake_us", (long long)handshake_us);
    emit(&j);
}

void ptls_event_error(uint64_t conn, const char *stage, const char *canonical, long backend_code,
                      const char *text)
{
    if (!events_out) return;
    ptls_json j;
    begin(&j, "error", conn);
    ptls_json_str(&j, "stage", stage);
    ptls_json_str(&j, "error", canonical);
    if (backend_code) ptls_json_int(&j, "backend_code", backend_code);
    if (text && text[0]) ptls_json_str(&j, "backend_text", text);
    emit(&j);
}

void ptls_event_closed(uint64_t conn, const char *reason, uint64_t bytes_in, uint64_t bytes_out,
                       int64_t duration_us)
{
    if (!events_out) return;
    ptls_json j;
    begin(&j, "closed", conn);
    ptls_json_str(&j, "reason", reason);
    ptls_json_int(&j, "bytes_in", (long long)bytes_in);
    ptls_json_int(&j, "bytes_out", (long long)bytes_out);
    ptls_json_int(&j, "duration_us", (long long)duration_us);
    emit(&j);
}

void ptls_event_limit(uint64_t conn, const char *peer, const char *limit, long value)
{
    if (!events_out) return;
    ptls_json j;
    begin(&j, "limit", conn);
    ptls_json_str(&j, "limit", limit);
    ptls_json_int(&j, "value", value);
    if (peer) ptls_json_str(&j, "peer", peer);
    emit(&j);
}
