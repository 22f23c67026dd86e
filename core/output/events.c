#include "events.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "build_config.h"
#include "wire/cipher_table.h"
#include "wire/error_names.h"
#include "hello_report.h"
#include "json_writer.h"
#include "options/pem.h"
#include "report.h"

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

static void begin(ptls_json *j, const char *event, const ptls_conn *c)
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
    if (c) ptls_json_int(j, "conn", (long long)c->id);
}

static void emit(ptls_json *j)
{
    ptls_json_close(j);
    ptls_buf_append(&j->b, "\n", 1);
    fwrite(ptls_buf_head(&j->b), 1, ptls_buf_size(&j->b), events_out);
    fflush(events_out);
    ptls_json_free(j);
}

void ptls_event_listening(ptls_server *s, const char *address)
{
    if (!events_out) return;
    ptls_json j;
    begin(&j, "listening", NULL);
    ptls_json_str(&j, "address", address);
    ptls_json_str(&j, "backend", s->be->name);
    ptls_json_str(&j, "library", s->be->library_version());
    ptls_json_str(&j, "polytls", POLYTLS_VERSION);
    ptls_json_int(&j, "pid", (long long)getpid());
    emit(&j);
}

void ptls_event_accepted(ptls_conn *c)
{
    if (!events_out) return;
    ptls_json j;
    begin(&j, "accepted", c);
    ptls_json_str(&j, "peer", c->peer);
    if (c->srv->o->workers > 1) ptls_json_int(&j, "worker_pid", (long long)getpid());
    emit(&j);
}

void ptls_event_client_hello(ptls_conn *c)
{
    if (!events_out || !c->hello) return;
    ptls_json j;
    const ptls_client_hello *ch = ptls_ch_result(c->hello);
    if (ch) {
        begin(&j, "client_hello", c);
        ptls_hello_json(ch, &j);
    } else {
        begin(&j, "client_hello_error", c);
        ptls_json_str(&j, "status", c->hello_status == PTLS_CH_NOT_TLS ? "not_tls" : "malformed");
        ptls_json_str(&j, "reason", ptls_ch_reason(c->hello));
    }
    emit(&j);
}

static void alert_events(ptls_conn *c)
{
    for (int dir = 0; dir < 2; dir++) {
        ptls_wire_dir *w = &c->wire[dir];
        if (w->last_alert < 0 || c->alert_reported[dir]) continue;
        c->alert_reported[dir] = 1;
        if (!events_out) continue;
        ptls_json j;
        begin(&j, "alert", c);
        ptls_json_str(&j, "direction", dir == PTLS_WIRE_OUT ? "sent" : "received");
        ptls_json_str(&j, "level", w->last_alert_level == 2 ? "fatal" : "warning");
        const char *name = ptls_alert_name(w->last_alert);
        ptls_json_str(&j, "description", name ? name : "unknown");
        ptls_json_int(&j, "code", w->last_alert);
        emit(&j);
    }
}

void ptls_event_handshake_done(ptls_conn *c)
{
    alert_events(c);
    if (!events_out) return;
    const ptls_conn_info *i = &c->info;
    ptls_json j;
    begin(&j, "handshake_done", c);
    ptls_json_str(&j, "version", ptls_version_name(i->version));
    const char *cipher = ptls_cipher_iana_name(i->cipher_id);
    if (cipher) ptls_json_str(&j, "cipher", cipher);
    if (i->cipher_id) ptls_json_int(&j, "cipher_id", i->cipher_id);
    if (i->group[0]) ptls_json_str(&j, "group", i->group);
    if (i->sigalg[0]) ptls_json_str(&j, "signature_scheme", i->sigalg);
    if (i->alpn[0]) ptls_json_str(&j, "alpn", i->alpn);
    if (i->sni[0]) ptls_json_str(&j, "sni", i->sni);
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
    ptls_json_int(&j, "handshake_us", (long long)(ptls_now_us() - c->t_accept_us));
    emit(&j);
}

const char *ptls_conn_error_name(ptls_conn *c, const char *observed)
{
    const ptls_backend *be = c->srv->be;
    if (observed && strcmp(observed, "handshake_timeout") == 0) return observed;
    if (c->hello_status == PTLS_CH_NOT_TLS) return "not_tls";
    const char *from_code = NULL, *sent = NULL, *received = NULL;
    if (c->tls && be->last_error_code) from_code = ptls_error_name(be->name, be->last_error_code(c->tls));
    if (c->wire[PTLS_WIRE_OUT].last_alert > 0) sent = ptls_alert_name(c->wire[PTLS_WIRE_OUT].last_alert);
    if (c->wire[PTLS_WIRE_IN].last_alert > 0) received = ptls_alert_name(c->wire[PTLS_WIRE_IN].last_alert);
    /* The library's code is the most specific (no_shared_cipher rather than
     * handshake_failure), except where it only says "the certificate did
     * not verify": then the alert we sent says why (unknown_ca, ...). */
    if (from_code && sent && strcmp(from_code, "bad_certificate") == 0) return sent;
    if (from_code) return from_code;
    if (sent) return sent;
    if (received) return received;
    if (c->hello_status == PTLS_CH_MALFORMED) return "decode_error";
    if (observed) return observed;
    if (c->peer_eof) return "peer_closed";
    return "internal_error";
}

void ptls_event_error(ptls_conn *c, const char *stage, const char *canonical, const char *text)
{
    alert_events(c);
    if (!events_out) return;
    ptls_json j;
    begin(&j, "error", c);
    ptls_json_str(&j, "stage", stage);
    ptls_json_str(&j, "error", canonical ? canonical : ptls_conn_error_name(c, NULL));
    if (c->tls && c->srv->be->last_error_code) {
        long code = c->srv->be->last_error_code(c->tls);
        if (code) ptls_json_int(&j, "backend_code", code);
    }
    if (text && text[0]) ptls_json_str(&j, "backend_text", text);
    emit(&j);
}

void ptls_event_closed(ptls_conn *c, const char *reason)
{
    alert_events(c);
    if (!events_out) return;
    ptls_json j;
    begin(&j, "closed", c);
    ptls_json_str(&j, "reason", reason);
    ptls_json_int(&j, "bytes_in", (long long)c->bytes_in);
    ptls_json_int(&j, "bytes_out", (long long)c->bytes_out);
    ptls_json_int(&j, "duration_us", (long long)(ptls_now_us() - c->t_accept_us));
    emit(&j);
}

void ptls_event_limit(ptls_conn *c, const char *peer, const char *limit, long value)
{
    if (!events_out) return;
    ptls_json j;
    begin(&j, "limit", c);
    ptls_json_str(&j, "limit", limit);
    ptls_json_int(&j, "value", value);
    if (peer) ptls_json_str(&j, "peer", peer);
    emit(&j);
}
