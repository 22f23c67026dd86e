#include "hello_view.h"

#include <stdlib.h>
#include <string.h>

void ptls_hello_view_fill(ptls_hello_view *v, const ptls_client_hello *ch, unsigned char **alpn_wire)
{
    memset(v, 0, sizeof *v);
    *alpn_wire = NULL;
    v->ciphers = ch->ciphers;
    v->n_ciphers = ch->n_ciphers;
    v->groups = ch->n_groups ? ch->groups : NULL;
    v->n_groups = ch->n_groups;
    v->sni = ch->sni;
    if (!ch->n_alpn) return;
    size_t len = 0;
    for (size_t i = 0; i < ch->n_alpn; i++)
        len += 1 + ch->alpn[i].len;
    unsigned char *wire = malloc(len);
    if (!wire) return;
    size_t off = 0;
    for (size_t i = 0; i < ch->n_alpn; i++) {
        wire[off++] = (unsigned char)ch->alpn[i].len;
        memcpy(wire + off, ch->alpn[i].data, ch->alpn[i].len);
        off += ch->alpn[i].len;
    }
    *alpn_wire = wire;
    v->alpn_wire = wire;
    v->alpn_wire_len = len;
}
