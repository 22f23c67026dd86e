/* A minimal JSON object writer for one-line events (-json). */
#ifndef PTLS_JSON_WRITER_H
#define PTLS_JSON_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "base/buffer.h"

typedef struct ptls_json {
    ptls_buf b;
    int need_comma; /* a member was written at the current level */
} ptls_json;

void ptls_json_open(ptls_json *j);                 /* "{" */
void ptls_json_close(ptls_json *j);                /* "}" */
void ptls_json_key(ptls_json *j, const char *key); /* "key": (then a value call) */
void ptls_json_str(ptls_json *j, const char *key, const char *v);
void ptls_json_strn(ptls_json *j, const char *key, const unsigned char *v, size_t n);
void ptls_json_int(ptls_json *j, const char *key, long long v);
void ptls_json_bool(ptls_json *j, const char *key, int v);
void ptls_json_array_open(ptls_json *j, const char *key); /* key NULL inside an array */
void ptls_json_array_close(ptls_json *j);
void ptls_json_object_open(ptls_json *j, const char *key); /* key NULL inside an array */
/* Values inside arrays. */
void ptls_json_elem_str(ptls_json *j, const char *v);
void ptls_json_elem_strn(ptls_json *j, const unsigned char *v, size_t n);
void ptls_json_elem_int(ptls_json *j, long long v);
void ptls_json_free(ptls_json *j);

#endif
