#include "json_writer.h"

#include <stdio.h>
#include <string.h>

static void sep(ptls_json *j)
{
    if (j->need_comma) ptls_buf_append(&j->b, ",", 1);
    j->need_comma = 1;
}

static void escaped(ptls_json *j, const unsigned char *s, size_t n)
{
    ptls_buf_append(&j->b, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = s[i];
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            ptls_buf_append(&j->b, e, 2);
        } else if (c < 0x20 || c >= 0x7f) {
            /* Control bytes and anything non-ASCII from the wire (SNI, ALPN)
             * as \u00XX: the output stays valid JSON whatever the peer sent. */
            ptls_buf_printf(&j->b, "\\u%04x", c);
        } else {
            ptls_buf_append(&j->b, &c, 1);
        }
    }
    ptls_buf_append(&j->b, "\"", 1);
}

void ptls_json_open(ptls_json *j)
{
    memset(j, 0, sizeof *j);
    ptls_buf_append(&j->b, "{", 1);
}

void ptls_json_close(ptls_json *j)
{
    ptls_buf_append(&j->b, "}", 1);
    j->need_comma = 1;
}

void ptls_json_key(ptls_json *j, const char *key)
{
    sep(j);
    escaped(j, (const unsigned char *)key, strlen(key));
    ptls_buf_append(&j->b, ":", 1);
}

void ptls_json_str(ptls_json *j, const char *key, const char *v)
{
    ptls_json_strn(j, key, (const unsigned char *)v, strlen(v));
}

void ptls_json_strn(ptls_json *j, const char *key, const unsigned char *v, size_t n)
{
    ptls_json_key(j, key);
    escaped(j, v, n);
}

void ptls_json_int(ptls_json *j, const char *key, long long v)
{
    ptls_json_key(j, key);
    ptls_buf_printf(&j->b, "%lld", v);
}

void ptls_json_bool(ptls_json *j, const char *key, int v)
{
    ptls_json_key(j, key);
    ptls_buf_printf(&j->b, "%s", v ? "true" : "false");
}

void ptls_json_array_open(ptls_json *j, const char *key)
{
    if (key)
        ptls_json_key(j, key);
    else
        sep(j);
    ptls_buf_append(&j->b, "[", 1);
    j->need_comma = 0;
}

void ptls_json_array_close(ptls_json *j)
{
    ptls_buf_append(&j->b, "]", 1);
    j->need_comma = 1;
}

void ptls_json_object_open(ptls_json *j, const char *key)
{
    if (key)
        ptls_json_key(j, key);
    else
        sep(j);
    ptls_buf_append(&j->b, "{", 1);
    j->need_comma = 0;
}

void ptls_json_elem_str(ptls_json *j, const char *v)
{
    sep(j);
    escaped(j, (const unsigned char *)v, strlen(v));
}

void ptls_json_elem_strn(ptls_json *j, const unsigned char *v, size_t n)
{
    sep(j);
    escaped(j, v, n);
}

void ptls_json_elem_int(ptls_json *j, long long v)
{
    sep(j);
    ptls_buf_printf(&j->b, "%lld", v);
}

void ptls_json_free(ptls_json *j)
{
    ptls_buf_free(&j->b);
}
