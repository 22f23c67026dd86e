#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire/cipher_table.h"
#include "options/pem.h"

const char *ptls_version_name(int v)
{
    switch (v) {
    case PTLS_TLS1_0:
        return "TLSv1";
    case PTLS_TLS1_1:
        return "TLSv1.1";
    case PTLS_TLS1_2:
        return "TLSv1.2";
    case PTLS_TLS1_3:
        return "TLSv1.3";
    case PTLS_DTLS1_0:
        return "DTLSv1";
    case PTLS_DTLS1_2:
        return "DTLSv1.2";
    case PTLS_DTLS1_3:
        return "DTLSv1.3";
    default:
        return "unknown";
    }
}

static const char *cipher_name(const ptls_conn_info *i, char *buf, size_t len)
{
    const char *n = ptls_cipher_iana_name(i->cipher_id);
    if (n) return n;
    snprintf(buf, len, "0x%04X", i->cipher_id);
    return buf;
}

static void print_keymat(const ptls_server_opts *o, const ptls_backend *be, void *tls, FILE *out)
{
    if (!o->keymatexport || !be->export_keying_material) return;
    unsigned char *km = malloc((size_t)o->keymatexportlen);
    if (!km) return;
    fprintf(out, "Keying material exporter:\n    Label: '%s'\n    Length: %i bytes\n", o->keymatexport,
            o->keymatexportlen);
    if (be->export_keying_material(tls, o->keymatexport, km, (size_t)o->keymatexportlen) == PTLS_OK) {
        fprintf(out, "    Keying material: ");
        for (int i = 0; i < o->keymatexportlen; i++)
            fprintf(out, "%02X", km[i]);
        fprintf(out, "\n");
    } else {
        char text[256] = "";
        be->last_error(tls, text, sizeof text);
        fprintf(out, "    Error: %s\n", text[0] ? text : "export failed");
    }
    free(km);
}

/* -brief: s_server's print_ssl_summary lines, on stderr. */
static void print_brief(const ptls_conn_info *i)
{
    char cb[16];
    fprintf(stderr, "CONNECTION ESTABLISHED\n");
    fprintf(stderr, "Protocol version: %s\n", ptls_version_name(i->version));
    fprintf(stderr, "Ciphersuite: %s\n", cipher_name(i, cb, sizeof cb));
    if (i->peer_cert) {
        fprintf(stderr, "Peer certificate: %s\n", i->peer_subject);
        if (i->verify_ok == 1)
            fprintf(stderr, "Verification: OK\n");
        else if (i->verify_ok == 0)
            fprintf(stderr, "Verification error: %s\n", i->verify_text);
    } else {
        fprintf(stderr, "No peer certificate\n");
    }
    if (i->group[0])
        fprintf(stderr, i->version == PTLS_TLS1_3 ? "Negotiated TLS1.3 group: %s\n" : "Server Temp Key: %s\n",
                i->group);
    if (i->alpn[0]) fprintf(stderr, "ALPN protocol: %s\n", i->alpn);
    if (i->sni[0]) fprintf(stderr, "Server name: %s\n", i->sni);
    fprintf(stderr, "Session: %s\n", i->resumed == 1 ? "Reused" : i->resumed == 0 ? "New" : "unknown");
}

/* Default: s_server's print_connection_info lines, on stdout. */
static void print_default(const ptls_server_opts *o, const ptls_conn_info *i)
{
    char cb[16];
    if (i->peer_cert && i->peer_der_len) {
        printf("Client certificate\n");
        ptls_pem_write_cert(stdout, i->peer_der, i->peer_der_len);
    }
    if (i->peer_cert) printf("subject=%s\n", i->peer_subject);
    if (i->peer_cert && i->verify_ok == 0 && !o->verify_quiet) printf("verify error: %s\n", i->verify_text);
    printf("Protocol version: %s\n", ptls_version_name(i->version));
    const ptls_cipher_entry *e = ptls_cipher_by_id(i->cipher_id);
    printf("CIPHER is %s\n", e ? e->openssl : cipher_name(i, cb, sizeof cb));
    if (i->group[0]) printf("Negotiated group: %s\n", i->group);
    if (i->alpn[0]) printf("ALPN protocol: %s\n", i->alpn);
    if (i->sni[0]) printf("Server name: %s\n", i->sni);
    if (i->resumed == 1) printf("Reused session-id\n");
    if (i->secure_renegotiation >= 0)
        printf("Secure Renegotiation IS%s supported\n", i->secure_renegotiation ? "" : " NOT");
}

void ptls_report_established(const ptls_server_opts *o, const ptls_backend *be, void *tls,
                             const ptls_conn_info *i)
{
    if (o->quiet) return;
    if (o->brief)
        print_brief(i);
    else
        print_default(o, i);
    print_keymat(o, be, tls, o->brief ? stderr : stdout);
    fflush(stdout);
}

void ptls_report_session(const ptls_conn_info *i, ptls_buf *b)
{
    char cb[16];
    const ptls_cipher_entry *e = ptls_cipher_by_id(i->cipher_id);
    ptls_buf_printf(b, "Protocol version: %s\n", ptls_version_name(i->version));
    ptls_buf_printf(b, "Cipher suite: %s (%s, 0x%04X)\n", cipher_name(i, cb, sizeof cb), e ? e->openssl : "-",
                    i->cipher_id);
    ptls_buf_printf(b, "Key exchange group: %s\n",
                    i->group[0]                                     ? i->group
                    : (i->resumed == 1 && i->version < PTLS_TLS1_3) ? "(none: resumed without a key exchange)"
                                                                    : "(not known for this handshake)");
    ptls_buf_printf(b, "ALPN protocol: %s\n", i->alpn[0] ? i->alpn : "(none)");
    ptls_buf_printf(b, "Server name (SNI): %s\n", i->sni[0] ? i->sni : "(none)");
    ptls_buf_printf(b, "Session: %s\n", i->resumed == 1 ? "Reused" : i->resumed == 0 ? "New" : "unknown");
    if (i->secure_renegotiation >= 0)
        ptls_buf_printf(b, "Secure Renegotiation IS%s supported\n", i->secure_renegotiation ? "" : " NOT");
}
