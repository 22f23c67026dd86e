/*
 * The validated server configuration a backend receives (read-only).
 *
 * The core fills it from the command line and validates it against the
 * backend's capabilities; a backend must apply every field that is set and
 * fail server_new() when it cannot, never skip one. Defaults that differ
 * between libraries are made explicit here so that every backend sets them
 * the same way (see ../shared/reference/backends.md, "Defaults that differ").
 */
#ifndef POLYTLS_CONFIG_H
#define POLYTLS_CONFIG_H

#include <stddef.h>
#include <stdint.h>

/* Wire version numbers. */
#define PTLS_TLS1_0 0x0301
#define PTLS_TLS1_1 0x0302
#define PTLS_TLS1_2 0x0303
#define PTLS_TLS1_3 0x0304
#define PTLS_DTLS1_0 0xfeff
#define PTLS_DTLS1_2 0xfefd
#define PTLS_DTLS1_3 0xfefc

enum ptls_format { PTLS_FORMAT_PEM = 0, PTLS_FORMAT_DER = 1 };

enum ptls_verify_mode {
    PTLS_VERIFY_NONE = 0,    /* no CertificateRequest */
    PTLS_VERIFY_REQUEST = 1, /* -verify: request; a certificate that is sent must verify */
    PTLS_VERIFY_REQUIRE = 2  /* -Verify: a valid certificate is mandatory */
};

/* One certificate with its key. Paths are NULL when unset. */
typedef struct ptls_keypair {
    const char *cert;
    const char *key; /* defaults to cert (key in the same file) */
    const char *chain;
    int cert_form; /* enum ptls_format */
    int key_form;
    const char *pass; /* resolved passphrase (from -pass/-dpass), NULL if none */
} ptls_keypair;

#define PTLS_MAX_CIPHERS 256

typedef struct ptls_config {
    /* Identity */
    ptls_keypair cert;      /* -cert/-key: always set unless nocert */
    ptls_keypair dcert;     /* -dcert/-dkey: second key type; cert == NULL if unset */
    ptls_keypair cert2;     /* -cert2/-key2: served for servername; cert == NULL if unset */
    const char *servername; /* -servername: name that selects cert2 */
    int servername_fatal;
    int nocert; /* -nocert: anonymous DH */
    const char *dhparam;
    int no_dhe;

    /* Client verification */
    int verify_mode;  /* enum ptls_verify_mode */
    int verify_depth; /* max number of intermediate CAs between the client certificate and a
                       * trusted CA (OpenSSL's meaning); -1: library default */
    const char *ca_file;
    const char *ca_path;
    const char *crl_file;
    int crl_form;      /* enum ptls_format */
    int crl_check;     /* check the leaf against CRLs */
    int crl_check_all; /* check the whole chain */
    int no_ca_names;

    /* Versions: always set to concrete values, intersected with what the
     * backend supports when the user gave no version option. */
    int min_version; /* PTLS_TLS1_x */
    int max_version;

    /* Cipher suites. When every element of -cipher is a plain suite name (in
     * OpenSSL, IANA or Mbed TLS spelling), the core gives the IANA ids in
     * order (cipher_ids) and cipher_string lists the same suites in
     * OpenSSL's spelling; backends without OpenSSL's cipher-string language
     * need no parser. n_cipher_ids == -1 means cipher_string is the user's
     * text with keywords only OpenSSL understands (validation refused it on
     * backends without the cipher-string capability). */
    const char *cipher_string; /* NULL: library default for TLS <= 1.2 */
    uint16_t cipher_ids[PTLS_MAX_CIPHERS];
    int n_cipher_ids;
    const char *ciphersuites; /* -ciphersuites text (IANA names), NULL: default */
    uint16_t tls13_ids[16];
    int n_tls13_ids;
    /* Groups and signature schemes: the user's text and the IANA ids the
     * core resolved from it (core/wire/group_table.c accepts OpenSSL and IANA
     * spellings), in preference order. n == 0: library default. When the
     * text is set, the whole list must be applied or server_new() fails. */
    const char *groups;
    uint16_t group_ids[32]; /* TLS NamedGroup: 0x001d X25519, 0x0017 P-256, 0x0100 ffdhe2048 ... */
    int n_group_ids;
    const char *sigalgs;
    uint16_t sigalg_ids[32]; /* TLS SignatureScheme: 0x0804 rsa_pss_rsae_sha256 ... */
    int n_sigalg_ids;
    const char *client_sigalgs;
    uint16_t client_sigalg_ids[32];
    int n_client_sigalg_ids;
    int server_pref; /* 1: server's cipher order (-serverpref); 0: client's */
    int prioritize_chacha;

    /* Sessions: cache and tickets are on unless disabled, on every backend. */
    int session_cache; /* 0 with -no_cache */
    int tickets;       /* 0 with -no_ticket */
    int num_tickets;   /* TLS 1.3 tickets after a full handshake: 2 unless -num_tickets */
    const char *context;

    /* Extensions */
    const unsigned char *alpn_wire; /* -alpn as wire format (len-prefixed), NULL if unset */
    size_t alpn_wire_len;
    const unsigned char *npn_wire; /* -nextprotoneg, wire format */
    size_t npn_wire_len;
    const char *status_file; /* DER OCSP response to staple */
    int max_send_frag;       /* 0: default */
    int record_padding;      /* 0: none */

    /* PSK */
    const unsigned char *psk; /* binary key, NULL if unset */
    size_t psk_len;
    const char *psk_identity; /* identity the client must use */
    const char *psk_hint;     /* NULL: none */

    /* TLS 1.3 */
    int early_data;
    uint32_t max_early_data;

    /* Renegotiation policy */
    int no_renegotiation;
    int client_renegotiation;
    int legacy_renegotiation;

    /* Debug that the backend must wire: keylog goes through ptls_host.keylog. */
    int keylog;
    int trace; /* -trace: library protocol trace to stdout/-msgfile */
    int state; /* -state */
    int no_etm;
    int no_ems;
    const char *id_prefix;

    /* DTLS (-dtls, -dtls1, -dtls1_2, -dtls1_3): the server speaks DTLS over
     * UDP, and min_version/max_version hold DTLS wire versions (PTLS_DTLS1_0,
     * PTLS_DTLS1_2, PTLS_DTLS1_3 only with -dtls1_3; note DTLS numbers decrease as versions increase: a
     * range is min_version >= max_version numerically). */
    int dtls;
    int dtls_mtu; /* -mtu: the link MTU the records must fit; 0: library default */
} ptls_config;

#endif
