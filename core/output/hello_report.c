#include "hello_report.h"

#include <string.h>

#include "wire/cipher_table.h"
#include "wire/wire_trace.h"

static void cipher_spelling(uint16_t id, char *buf, size_t len)
{
    const ptls_cipher_entry *e = ptls_cipher_by_id(id);
    if (e)
        snprintf(buf, len, "%s", e->openssl);
    else
        snprintf(buf, len, "0x%04X", id);
}

void ptls_hello_cipher_list(const ptls_client_hello *ch, ptls_buf *out)
{
    for (size_t i = 0; i < ch->n_ciphers; i++) {
        char name[64];
        cipher_spelling(ch->ciphers[i], name, sizeof name);
        ptls_buf_printf(out, "%s%s", i ? ":" : "", name);
    }
}

static void print_list(FILE *out, const char *label, enum ptls_ch_name_kind kind, const uint16_t *v, size_t n)
{
    if (!n) return;
    fprintf(out, "%s: ", label);
    for (size_t i = 0; i < n; i++) {
        char buf[PTLS_CH_NAME_BUF];
        fprintf(out, "%s%s", i ? ":" : "", ptls_ch_name(kind, v[i], buf));
    }
    fputc('\n', out);
}

void ptls_hello_print_brief(const ptls_client_hello *ch, FILE *out)
{
    ptls_buf b = {0};
    ptls_hello_cipher_list(ch, &b);
    fprintf(out, "Client cipher list: %.*s\n", (int)ptls_buf_size(&b), (const char *)ptls_buf_head(&b));
    ptls_buf_free(&b);
    print_list(out, "Client supported versions", PTLS_CH_NAME_VERSION, ch->versions, ch->n_versions);
    print_list(out, "Client signature algorithms", PTLS_CH_NAME_SIGALG, ch->sigalgs, ch->n_sigalgs);
    print_list(out, "Client supported groups", PTLS_CH_NAME_GROUP, ch->groups, ch->n_groups);
    fprintf(out, "Client JA3: %s (%s)\nClient JA4: %s\n", ch->ja3, ch->ja3_md5, ch->ja4);
}

/* Walks the reassembled hello to the extensions block. */
static const unsigned char *extensions_block(const ptls_client_hello *ch, size_t *len)
{
    const unsigned char *p = ch->raw, *end = ch->raw + ch->raw_len;
    size_t off = 2 + 32;
    if (off + 1 > ch->raw_len) return NULL;
    off += 1 + p[off]; /* session id */
    if (ch->dtls) {
        if (off + 1 > ch->raw_len) return NULL;
        off += 1 + p[off]; /* cookie */
    }
    if (off + 2 > ch->raw_len) return NULL;
    off += 2 + ((size_t)p[off] << 8 | p[off + 1]); /* cipher suites */
    if (off + 1 > ch->raw_len) return NULL;
    off += 1 + p[off]; /* compression */
    if (off + 2 > ch->raw_len) return NULL;
    size_t ext_len = (size_t)p[off] << 8 | p[off + 1];
    off += 2;
    if (p + off + ext_len > end) return NULL;
    *len = ext_len;
    return p + off;
}

void ptls_hello_print_extensions(const ptls_client_hello *ch, FILE *out)
{
    size_t len = 0;
    const unsigned char *e = ch->has_extensions ? extensions_block(ch, &len) : NULL;
    for (size_t off = 0; e && off + 4 <= len;) {
        unsigned type = (unsigned)e[off] << 8 | e[off + 1];
        size_t elen = (size_t)e[off + 2] << 8 | e[off + 3];
        if (off + 4 + elen > len) break;
        char buf[PTLS_CH_NAME_BUF];
        fprintf(out, "TLS client extension \"%s\" (id=%u), len=%zu\n",
                ptls_ch_name(PTLS_CH_NAME_EXT, (uint16_t)type, buf), type, elen);
        ptls_wire_hexdump(out, NULL, e + off + 4, elen);
        off += 4 + elen;
    }
    fflush(out);
}

void ptls_hello_www_section(const ptls_client_hello *ch, const ptls_backend *be, void *tls_server,
                            ptls_buf *b)
{
    if (!ch) {
        ptls_buf_printf(b, "Ciphers offered by the client: (ClientHello not parsed)\n");
        return;
    }
    ptls_buf_printf(b, "Ciphers offered by the client, in its order (%zu):\n", ch->n_ciphers);
    for (size_t i = 0; i < ch->n_ciphers; i++) {
        uint16_t id = ch->ciphers[i];
        const ptls_cipher_entry *e = ptls_cipher_by_id(id);
        char buf[PTLS_CH_NAME_BUF];
        if (e)
            ptls_buf_printf(b, "  0x%04X %-45s %s\n", id, e->iana, e->openssl);
        else
            ptls_buf_printf(b, "  0x%04X %s\n", id, ptls_ch_name(PTLS_CH_NAME_CIPHER, id, buf));
    }
    /* Shared: offered by the client and enabled on this server (the
     * seed's "Ciphers common between both SSL end points" printed the
     * server's list; this is the intersection). */
    uint16_t enabled[512];
    int n = be->enabled_ciphers ? be->enabled_ciphers(tls_server, enabled, 512) : -1;
    if (n < 0) {
        ptls_buf_printf(b, "Shared ciphers: (this backend cannot list its enabled suites)\n");
        return;
    }
    ptls_buf_printf(b, "Shared ciphers (offered by the client and enabled here):");
    int shared = 0;
    for (size_t i = 0; i < ch->n_ciphers; i++)
        for (int k = 0; k < n; k++)
            if (enabled[k] == ch->ciphers[i]) {
                const char *iana = ptls_cipher_iana_name(enabled[k]);
                ptls_buf_printf(b, "%s%s", shared++ ? ":" : " ", iana ? iana : "?");
                break;
            }
    ptls_buf_printf(b, "%s\n", shared ? "" : " none");
}

static void json_u16_names(ptls_json *j, const char *key, enum ptls_ch_name_kind kind, const uint16_t *v,
                           size_t n)
{
    ptls_json_array_open(j, key);
    for (size_t i = 0; i < n; i++) {
        char buf[PTLS_CH_NAME_BUF];
        ptls_json_elem_str(j, ptls_ch_name(kind, v[i], buf));
    }
    ptls_json_array_close(j);
}

void ptls_hello_json(const ptls_client_hello *ch, ptls_json *j)
{
    char buf[PTLS_CH_NAME_BUF];
    ptls_json_str(j, "record_version", ptls_ch_name(PTLS_CH_NAME_VERSION, ch->record_version, buf));
    ptls_json_str(j, "legacy_version", ptls_ch_name(PTLS_CH_NAME_VERSION, ch->legacy_version, buf));
    if (ch->n_versions)
        json_u16_names(j, "supported_versions", PTLS_CH_NAME_VERSION, ch->versions, ch->n_versions);
    json_u16_names(j, "ciphers", PTLS_CH_NAME_CIPHER, ch->ciphers, ch->n_ciphers);
    ptls_json_array_open(j, "cipher_ids");
    for (size_t i = 0; i < ch->n_ciphers; i++)
        ptls_json_elem_int(j, ch->ciphers[i]);
    ptls_json_array_close(j);
    ptls_json_array_open(j, "compression");
    for (size_t i = 0; i < ch->n_compression; i++)
        ptls_json_elem_int(j, ch->compression[i]);
    ptls_json_array_close(j);
    ptls_json_array_open(j, "extensions");
    for (size_t i = 0; i < ch->n_exts; i++) {
        ptls_json_object_open(j, NULL);
        ptls_json_int(j, "type", ch->exts[i].type);
        ptls_json_str(j, "name", ptls_ch_name(PTLS_CH_NAME_EXT, ch->exts[i].type, buf));
        ptls_json_int(j, "length", ch->exts[i].len);
        ptls_json_close(j);
    }
    ptls_json_array_close(j);
    if (ch->has_sni) ptls_json_str(j, "sni", ch->sni);
    if (ch->n_alpn) {
        ptls_json_array_open(j, "alpn");
        for (size_t i = 0; i < ch->n_alpn; i++)
            ptls_json_elem_strn(j, ch->alpn[i].data, ch->alpn[i].len);
        ptls_json_array_close(j);
    }
    if (ch->n_groups) json_u16_names(j, "groups", PTLS_CH_NAME_GROUP, ch->groups, ch->n_groups);
    if (ch->has_key_share) {
        ptls_json_array_open(j, "key_shares");
        for (size_t i = 0; i < ch->n_key_shares; i++)
            ptls_json_elem_str(j, ptls_ch_name(PTLS_CH_NAME_GROUP, ch->key_shares[i].group, buf));
        ptls_json_array_close(j);
    }
    if (ch->n_sigalgs)
        json_u16_names(j, "signature_algorithms", PTLS_CH_NAME_SIGALG, ch->sigalgs, ch->n_sigalgs);
    if (ch->n_psk_modes) {
        ptls_json_array_open(j, "psk_modes");
        for (size_t i = 0; i < ch->n_psk_modes; i++)
            ptls_json_elem_str(j, ch->psk_modes[i] == 1   ? "psk_dhe_ke"
                                  : ch->psk_modes[i] == 0 ? "psk_ke"
                                                          : "unknown");
        ptls_json_array_close(j);
    }
    ptls_json_int(j, "session_id_length", (long long)ch->session_id_len);
    ptls_json_bool(j, "session_ticket", ch->has_session_ticket);
    ptls_json_bool(j, "pre_shared_key", ch->has_pre_shared_key);
    ptls_json_bool(j, "early_data", ch->has_early_data);
    ptls_json_bool(j, "grease", ch->grease != 0);
    ptls_json_str(j, "ja3", ch->ja3);
    ptls_json_str(j, "ja3_md5", ch->ja3_md5);
    ptls_json_str(j, "ja4", ch->ja4);
}
