/* -json FILE: one JSON object per line and event. The schema is documented
 * in docs/events.md and docs/events.schema.json; field names are the same
 * for every backend, and a field a backend cannot know is absent, never
 * guessed.
 *
 * Every event takes the facts it prints as arguments: this file knows no
 * server or connection structure. conn is the connection's id (the "conn"
 * member), 0 for an event that belongs to no connection. */
#ifndef PTLS_EVENTS_H
#define PTLS_EVENTS_H

#include <stddef.h>
#include <stdint.h>

#include "polytls/backend.h"
#include "wire/clienthello.h"

int ptls_events_open(const char *path, char *err, size_t errlen); /* "-" = stdout */
int ptls_events_enabled(void);
void ptls_events_close(void);

void ptls_event_listening(const char *address, const char *backend, const char *library);
/* worker_pid: add this process's pid (-workers). */
void ptls_event_accepted(uint64_t conn, const char *peer, int worker_pid);
/* After the inspector finished (status DONE or an error); nothing if
 * hello is NULL (no byte reached the inspector). */
void ptls_event_client_hello(uint64_t conn, const ptls_ch_parser *hello, int status);
/* A TLS alert seen on the wire: sent by us (sent != 0) or received. */
void ptls_event_alert(uint64_t conn, int sent, int level, int code);
void ptls_event_handshake_done(uint64_t conn, const ptls_conn_info *info, int64_t handshake_us);
/* A failure: stage is "handshake", "read" or "write"; canonical is its
 * name (docs/events.md); backend_code 0 and text NULL or "" are left out. */
void ptls_event_error(uint64_t conn, const char *stage, const char *canonical, long backend_code,
                      const char *text);
void ptls_event_closed(uint64_t conn, const char *reason, uint64_t bytes_in, uint64_t bytes_out,
                       int64_t duration_us);
/* A configured limit was hit: "max_conns" (conn 0, peer given),
 * "http_request_line", "http_header_size" ... value is the limit. */
void ptls_event_limit(uint64_t conn, const char *peer, const char *limit, long value);

#endif
