/* -json FILE: one JSON object per line and event. The schema is documented
 * in docs/events.md and docs/events.schema.json; field names are the same
 * for every backend, and a field a backend cannot know is absent, never
 * guessed. */
#ifndef PTLS_EVENTS_H
#define PTLS_EVENTS_H

#include <stddef.h>

#include "loop/server.h"

int ptls_events_open(const char *path, char *err, size_t errlen); /* "-" = stdout */
int ptls_events_enabled(void);
void ptls_events_close(void);

void ptls_event_listening(ptls_server *s, const char *address);
void ptls_event_accepted(ptls_conn *c);
void ptls_event_client_hello(ptls_conn *c); /* after the inspector finished (DONE or error) */
void ptls_event_handshake_done(ptls_conn *c);
/* A failure: stage is "handshake", "read" or "write"; canonical may be NULL
 * (then derived from the backend code, alerts seen, or "internal_error"). */
void ptls_event_error(ptls_conn *c, const char *stage, const char *canonical, const char *text);
void ptls_event_closed(ptls_conn *c, const char *reason);
/* A configured limit was hit: "max_conns" (c NULL, peer given),
 * "http_request_line", "http_header_size" ... value is the limit. */
void ptls_event_limit(ptls_conn *c, const char *peer, const char *limit, long value);

/* The canonical name of a connection's failure (also used by the text
 * output): backend code table, then alerts seen on the wire, then what the
 * core observed. */
const char *ptls_conn_error_name(ptls_conn *c, const char *observed);

#endif
