#include "error_names.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

const char *ptls_alert_name(int code)
{
    switch (code) {
    case 0:
        return "close_notify";
    case 10:
        return "unexpected_message";
    case 20:
        return "bad_record_mac";
    case 22:
        return "record_overflow";
    case 40:
        return "handshake_failure";
    case 42:
        return "bad_certificate";
    case 43:
        return "unsupported_certificate";
    case 44:
        return "certificate_revoked";
    case 45:
        return "certificate_expired";
    case 46:
        return "certificate_unknown";
    case 47:
        return "illegal_parameter";
    case 48:
        return "unknown_ca";
    case 49:
        return "access_denied";
    case 50:
        return "decode_error";
    case 51:
        return "decrypt_error";
    case 70:
        return "protocol_version";
    case 71:
        return "insufficient_security";
    case 80:
        return "internal_error";
    case 86:
        return "inappropriate_fallback";
    case 90:
        return "user_canceled";
    case 100:
        return "no_renegotiation";
    case 109:
        return "missing_extension";
    case 110:
        return "unsupported_extension";
    case 112:
        return "unrecognized_name";
    case 113:
        return "bad_certificate_status_response";
    case 115:
        return "unknown_psk_identity";
    case 116:
        return "certificate_required";
    case 120:
        return "no_application_protocol";
    default:
        return NULL;
    }
}

struct code_name {
    long code;
    const char *name;
};

/* OpenSSL: the reason part of the packed ERR code (ERR_GET_REASON); reasons
 * 1000 + N mean "alert N received from the peer". Values from sslerr.h. */
static const struct code_name openssl_reasons[] = {
    {193, "no_shared_cipher"},
    {410, "no_shared_cipher"}, /* no shared groups */
    {258, "protocol_version"},
    {267, "protocol_version"},
    {396, "protocol_version"},
    {166, "protocol_version"},
    {266, "protocol_version"},
    {191, "protocol_version"},
    {199, "certificate_required"},
    {134, "bad_certificate"},
    {244, "unexpected_message"},
    {281, "bad_record_mac"},
    {147, "bad_record_mac"},
    {156, "not_tls"}, /* plain HTTP */
    {155, "not_tls"},
    {252, "not_tls"},
    {294, "peer_closed"},
    {118, "handshake_failure"},
    {159, "decode_error"},
    {115, "decode_error"},
    {198, "record_overflow"},
    {235, "no_application_protocol"},
    {110, "decode_error"},
    {443, "unexpected_message"},
    {223, "unknown_psk_identity"},
    {373, "inappropriate_fallback"},
    {339, "no_renegotiation"},
    {123, "decrypt_error"},
};

/* Mbed TLS 2.28 return codes (ssl.h, x509.h). */
static const struct code_name mbedtls_codes[] = {
    {-0x7380, "no_shared_cipher"},     {-0x6980, "no_shared_cipher"},     {-0x6E80, "protocol_version"},
    {-0x7480, "certificate_required"}, {-0x7580, "certificate_required"}, {-0x2700, "bad_certificate"},
    {-0x7A00, "bad_certificate"},      {-0x7180, "bad_record_mac"},       {-0x7700, "unexpected_message"},
    {-0x7200, "decode_error"},         {-0x7900, "decode_error"},         {-0x7280, "peer_closed"},
    {-0x7880, "peer_closed"},          {-0x6C80, "unknown_psk_identity"}, {-0x7E80, "decrypt_error"},
    {-0x7D80, "decrypt_error"},        {-0x7C00, "decode_error"},
};

/* Mbed TLS 3.x return codes: 3.0 renumbered several SSL errors, so the
 * same number means another thing than in 2.28 (-0x7580 is
 * no_application_protocol, -0x7800 unrecognized_name, -0x6E00 the generic
 * handshake failure that 3.6 also returns for "no shared cipher"). */
static const struct code_name mbedtls3_codes[] = {
    {-0x6E80, "protocol_version"},
    {-0x7480, "certificate_required"},
    {-0x7A00, "bad_certificate"},
    {-0x2700, "bad_certificate"},
    {-0x7180, "bad_record_mac"},
    {-0x7700, "unexpected_message"},
    {-0x7200, "decode_error"},
    {-0x7300, "decode_error"},
    {-0x7280, "peer_closed"},
    {-0x7880, "peer_closed"},
    {-0x6C80, "unknown_psk_identity"},
    {-0x5300, "unsupported_extension"},
    {-0x7580, "no_application_protocol"},
    {-0x7800, "unrecognized_name"},
    {-0x6E00, "handshake_failure"},
    {-0x6600, "illegal_parameter"},
};

/* wolfSSL 5.5 error codes (error-ssl.h, error-crypt.h). */
static const struct code_name wolfssl_codes[] = {
    {-501, "no_shared_cipher"},
    {-500, "no_shared_cipher"},
    {-326, "protocol_version"},
    {-450, "protocol_version"},
    {-345, "certificate_required"},
    {-330, "certificate_required"},
    {-188, "unknown_ca"},
    {-329, "bad_certificate"},
    {-155, "bad_certificate"},
    {-151, "certificate_expired"},
    {-361, "certificate_revoked"},
    {-305, "bad_record_mac"},
    {-312, "bad_record_mac"},
    {-373, "unexpected_message"},
    {-394, "unexpected_message"},
    {-395, "unexpected_message"},
    {-311, "not_tls"},
    {-306, "decode_error"},
    {-328, "decode_error"},
    {-416, "decode_error"},
    {-341, "record_overflow"},
    {-397, "peer_closed"},
    {-343, "peer_closed"},
    {-333, "unknown_psk_identity"},
    {-423, "decrypt_error"},
    {-405, "no_application_protocol"},
    {-428, "missing_extension"},
    {-421, "illegal_parameter"},
};

static const char *lookup(const struct code_name *t, size_t n, long code)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].code == code) return t[i].name;
    return NULL;
}

#define COUNT(t) (sizeof(t) / sizeof((t)[0]))

const char *ptls_error_name(const char *backend, const char *library, long code)
{
    if (code == 0) return NULL;
    /* A flavour ("openssl@3.5.7") has its family's codes. */
    char family[32];
    snprintf(family, sizeof family, "%.*s", (int)strcspn(backend, "@"), backend);
    backend = family;
    if (strcmp(backend, "openssl") == 0) {
        long reason = code & 0x7FFFFF; /* ERR_GET_REASON in OpenSSL 3 */
        if (reason >= 1000 && reason < 1256) return ptls_alert_name((int)(reason - 1000));
        return lookup(openssl_reasons, COUNT(openssl_reasons), reason);
    }
    if (strcmp(backend, "mbedtls") == 0) {
        /* High-level SSL codes may be combined with a low-level crypto code. */
        int v3 = library && strncmp(library, "Mbed TLS ", 9) == 0 && library[9] >= '3';
        const struct code_name *t = v3 ? mbedtls3_codes : mbedtls_codes;
        size_t n = v3 ? COUNT(mbedtls3_codes) : COUNT(mbedtls_codes);
        const char *name = lookup(t, n, code);
        return name ? name : lookup(t, n, -((-code) & 0xFF80));
    }
    if (strcmp(backend, "wolfssl") == 0) return lookup(wolfssl_codes, COUNT(wolfssl_codes), code);
    return NULL;
}
