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

/* Verification flags (ptls_verify_policy.flags), one per s_server option. */
enum ptls_verify_flag {
    PTLS_VF_IGNORE_CRITICAL = 1u << 0,   /* -ignore_critical */
    PTLS_VF_ISSUER_CHECKS = 1u << 1,     /* -issuer_checks (a no-op since OpenSSL 1.1.0) */
    PTLS_VF_POLICY_CHECK = 1u << 2,      /* -policy_check */
    PTLS_VF_EXPLICIT_POLICY = 1u << 3,   /* -explicit_policy */
    PTLS_VF_INHIBIT_ANY = 1u << 4,       /* -inhibit_any */
    PTLS_VF_INHIBIT_MAP = 1u << 5,       /* -inhibit_map */
    PTLS_VF_X509_STRICT = 1u << 6,       /* -x509_strict */
    PTLS_VF_EXTENDED_CRL = 1u << 7,      /* -extended_crl */
    PTLS_VF_USE_DELTAS = 1u << 8,        /* -use_deltas */
    PTLS_VF_POLICY_PRINT = 1u << 9,      /* -policy_print */
    PTLS_VF_CHECK_SS_SIG = 1u << 10,     /* -check_ss_sig */
    PTLS_VF_TRUSTED_FIRST = 1u << 11,    /* -trusted_first */
    PTLS_VF_PARTIAL_CHAIN = 1u << 12,    /* -partial_chain */
    PTLS_VF_NO_ALT_CHAINS = 1u << 13,    /* -no_alt_chains */
    PTLS_VF_NO_CHECK_TIME = 1u << 14,    /* -no_check_time */
    PTLS_VF_ALLOW_PROXY_CERTS = 1u << 15 /* -allow_proxy_certs */
};

enum ptls_suiteb { PTLS_SUITEB_NONE = 0, PTLS_SUITEB_128_ONLY = 1, PTLS_SUITEB_128 = 2, PTLS_SUITEB_192 = 3 };

#define PTLS_MAX_POLICIES 8

/* How a client certificate is checked beyond the chain to a trusted CA.
 * Strings are NULL when unset. */
typedef struct ptls_verify_policy {
    const char *purpose;     /* -purpose short name: sslclient, sslserver, nssslserver, smimesign,
                              * smimeencrypt, crlsign, any, ocsphelper, timestampsign (core-checked) */
    const char *verify_name; /* -verify_name: default, pkcs7, smime_sign, ssl_client, ssl_server */
    int auth_level;          /* -auth_level, -1: unset */
    int have_attime;         /* -attime given */
    int64_t attime;          /* seconds since the epoch the chain is checked at */
    const char *host;        /* -verify_hostname: a DNS name the leaf must match */
    const char *email;       /* -verify_email: an rfc822Name the leaf must carry */
    const char *ip;          /* -verify_ip: an address (text, v4 or v6) the leaf must carry */
    const char *policies[PTLS_MAX_POLICIES]; /* -policy OIDs (dotted), in order given */
    int n_policies;
    unsigned flags; /* enum ptls_verify_flag */
    int suiteb;     /* enum ptls_suiteb */

    /* Stores and chains. */
    const char *ca_store;       /* -CAstore/-verifyCAstore: store URI of trusted CAs (OpenSSL's OSSL_STORE) */
    const char *chain_ca_file;  /* -chainCAfile: CAs the server's own chain is built from */
    const char *chain_ca_path;  /* -chainCApath */
    const char *chain_ca_store; /* -chainCAstore */
    int build_chain;            /* -build_chain: build (and check) the server's chain at start */
} ptls_verify_policy;
/* s_server's protocol, session and runtime options (issue #19). Unset is
 * 0/NULL unless noted; a backend applies every field that is set. */
#define PTLS_MAX_PROVIDERS 8
typedef struct ptls_protocol_opts {
    int stateless;              /* -stateless: TLS 1.3 HelloRetryRequest cookie before any state */
    int anti_replay;            /* -1 library default, 1 -anti_replay, 0 -no_anti_replay */
    long recv_max_early_data;   /* -recv_max_early_data; -1: unset */
    int no_resume_ephemeral;    /* -no_resume_ephemeral */
    int no_resumption_on_reneg; /* -no_resumption_on_reneg */
    int allow_no_dhe_kex;       /* -allow_no_dhe_kex */
    int prefer_no_dhe_kex;      /* -prefer_no_dhe_kex */
    int no_middlebox;           /* -no_middlebox */
    int ignore_unexpected_eof;  /* -ignore_unexpected_eof */
    int bugs;                   /* -bugs */
    int strict;                 /* -strict */
    int debug_broken_protocol;  /* -debug_broken_protocol */
    const char *serverinfo;     /* -serverinfo FILE (PEM SERVERINFO blocks) */
    const char *use_srtp;       /* -use_srtp profiles, colon-separated */
    int split_send_frag;        /* -split_send_frag; 0: unset */
    int max_pipelines;          /* -max_pipelines; 0: unset */
    int read_buf;               /* -read_buf; 0: unset */
    const char *psk_session;    /* -psk_session FILE (PEM SSL_SESSION) */
    int ext_cache;              /* -ext_cache: the server's own session store, not the library's */
    int cert_comp;              /* -cert_comp: pre-compress the certificates */
    int no_tx_cert_comp;        /* -no_tx_cert_comp */
    int no_rx_cert_comp;        /* -no_rx_cert_comp */
    int enable_server_rpk;      /* -enable_server_rpk */
    int enable_client_rpk;      /* -enable_client_rpk */
    const char *expected_rpks;  /* -expected-rpks FILE */
    const char *rand_files;     /* -rand FILE[:FILE...] */
    const char *writerand;      /* -writerand FILE, written when the server stops */
    const char *ssl_config;     /* -ssl_config SECTION */
    const char *providers[PTLS_MAX_PROVIDERS]; /* -provider NAME, in order */
    int n_providers;
    const char *provider_path;                  /* -provider-path DIR */
    const char *propquery;                      /* -propquery QUERY */
    const char *provparams[PTLS_MAX_PROVIDERS]; /* -provparam [NAME:]KEY=VALUE */
    int n_provparams;
    const char *engine;  /* -engine ID */
    int security_debug;  /* 1 -security_debug, 2 -security_debug_verbose */
    int ktls;            /* -ktls */
    int sendfile;        /* -sendfile, -zerocopy_sendfile (2) */
    const char *ech_key; /* -ech_key FILE */
    const char *ech_dir; /* -ech_dir DIR */
    const char *ech_noretry_dir;
    int ech_trialdecrypt;
    int ech_greaseretries;
    int comp; /* -comp: TLS record compression (TLS <= 1.2) */
} ptls_protocol_opts;

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

    /* Client certificate verification policy (OpenSSL's X509_VERIFY_PARAM
     * options, issue #18); only set together with -verify/-Verify. */
    ptls_verify_policy verify;
    /* Protocol, session and runtime options (issue #19). */
    ptls_protocol_opts proto;
} ptls_config;

#endif
