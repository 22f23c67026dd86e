/*
 * Capabilities: the features an option may need from a backend.
 *
 * Every option in the option table (core/options/options_table.c) names the
 * capability it needs; validation checks the chosen backend's cap table
 * (ptls_backend.caps) before anything is loaded or bound. Append new entries
 * at the end and bump PTLS_BACKEND_ABI.
 *
 * X(ID, "name shown in `polytls backends`", "what it is")
 */
#ifndef POLYTLS_CAPS_H
#define POLYTLS_CAPS_H

#define PTLS_CAP_LIST(X)                                                                                     \
    X(TLS1_0, "tls1.0", "TLS 1.0")                                                                           \
    X(TLS1_1, "tls1.1", "TLS 1.1")                                                                           \
    X(TLS1_2, "tls1.2", "TLS 1.2")                                                                           \
    X(TLS1_3, "tls1.3", "TLS 1.3")                                                                           \
    X(DTLS, "dtls", "DTLS over UDP")                                                                         \
    X(CERT_DER, "cert-der", "certificate and key files in DER")                                              \
    X(KEY_PASSWORD, "key-password", "encrypted private keys (-pass)")                                        \
    X(CERT_CHAIN, "cert-chain", "extra chain certificates (-cert_chain)")                                    \
    X(DUAL_CERT, "dual-cert", "a second certificate of another key type (-dcert)")                           \
    X(SNI_CERT, "sni-cert", "an alternate certificate chosen by SNI (-cert2)")                               \
    X(CLIENT_VERIFY, "client-verify", "client certificate request and verification")                         \
    X(VERIFY_DEPTH, "verify-depth", "client chain depth limit")                                              \
    X(CA_PATH, "ca-path", "hashed CA directory (-CApath)")                                                   \
    X(CRL, "crl", "certificate revocation lists")                                                            \
    X(CIPHER_LIST, "cipher-list", "TLS 1.2 cipher suite list by name")                                       \
    X(CIPHER_STRING, "cipher-string", "OpenSSL cipher-string keywords (HIGH, !aNULL, @SECLEVEL)")            \
    X(TLS13_CIPHERSUITES, "tls13-ciphersuites", "TLS 1.3 cipher suite list")                                 \
    X(GROUPS, "groups", "key exchange group list")                                                           \
    X(SIGALGS, "sigalgs", "signature algorithm list")                                                        \
    X(SERVER_PREF, "server-pref", "server or client cipher preference")                                      \
    X(SESSION_CACHE, "session-cache", "server session cache (resumption by session ID)")                     \
    X(TICKETS, "tickets", "session tickets")                                                                 \
    X(NUM_TICKETS, "num-tickets", "number of TLS 1.3 tickets")                                               \
    X(SESSION_CONTEXT, "session-context", "session ID context (-context)")                                   \
    X(ALPN, "alpn", "ALPN")                                                                                  \
    X(NPN, "npn", "NPN (next protocol negotiation)")                                                         \
    X(OCSP_STAPLE, "ocsp-staple", "OCSP stapling from a file (-status_file)")                                \
    X(SERVERINFO, "serverinfo", "serverinfo / custom extensions")                                            \
    X(PSK, "psk", "pre-shared keys, TLS 1.2")                                                                \
    X(PSK_TLS13, "psk-tls1.3", "pre-shared keys, TLS 1.3")                                                   \
    X(PSK_HINT, "psk-hint", "PSK identity hint")                                                             \
    X(SRP, "srp", "SRP")                                                                                     \
    X(EARLY_DATA, "early-data", "TLS 1.3 early data")                                                        \
    X(KEY_UPDATE, "key-update", "TLS 1.3 key update (k, K)")                                                 \
    X(POST_HANDSHAKE_AUTH, "post-handshake-auth", "TLS 1.3 post-handshake auth (c)")                         \
    X(RENEGOTIATION, "renegotiation", "server-initiated renegotiation (r, R, GET /reneg)")                   \
    X(CLIENT_RENEGOTIATION, "client-renegotiation", "client-initiated renegotiation")                        \
    X(LEGACY_RENEGOTIATION, "legacy-renegotiation", "renegotiation without RFC 5746")                        \
    X(KEYLOG, "keylog", "key log lines for TLS 1.2")                                                         \
    X(KEYLOG_TLS13, "keylog-tls1.3", "key log lines for TLS 1.3")                                            \
    X(EXPORT_KEYING, "export-keying", "keying material export (-keymatexport)")                              \
    X(MAX_SEND_FRAG, "max-send-frag", "maximum send fragment (-max_send_frag)")                              \
    X(RECORD_PADDING, "record-padding", "TLS 1.3 record padding")                                            \
    X(ANON_DH, "anon-dh", "anonymous DH with -nocert")                                                       \
    X(DHPARAM, "dhparam", "DH parameters from a file")                                                       \
    X(NO_DHE, "no-dhe", "disabling ephemeral DH (-no_dhe)")                                                  \
    X(SRTP, "srtp", "DTLS-SRTP")                                                                             \
    X(TRACE, "trace", "the library's own protocol trace (-trace)")                                           \
    X(STATE, "state", "handshake state reports (-state)")                                                    \
    X(PRIORITIZE_CHACHA, "prioritize-chacha", "ChaCha20 preference for clients that prefer it")              \
    X(NO_ETM, "no-etm", "disabling encrypt-then-MAC")                                                        \
    X(NO_EMS, "no-ems", "disabling extended master secret")                                                  \
    X(NO_CA_NAMES, "no-ca-names", "omitting CA names from CertificateRequest")                               \
    X(ID_PREFIX, "id-prefix", "session ID prefix")                                                           \
    X(SELF_SIGNED, "self-signed", "generating an ephemeral self-signed certificate")                         \
    X(CLIENT_SIGALGS, "client-sigalgs", "signature algorithms for client certificates")                      \
    X(DTLS1_0, "dtls1.0", "DTLS 1.0")                                                                        \
    X(DTLS1_2, "dtls1.2", "DTLS 1.2")                                                                        \
    X(OCSP_STAPLE_TLS13, "ocsp-staple-tls1.3", "OCSP stapling in TLS 1.3 (in the Certificate message)")      \
    X(DTLS1_3, "dtls1.3", "DTLS 1.3 (-dtls1_3)")                                                             \
    X(MLKEM, "mlkem", "ML-KEM key exchange groups (X25519MLKEM768, MLKEM768, ...)")                          \
    X(MLDSA, "mldsa", "ML-DSA server certificates and signatures (mldsa44/65/87)")

enum ptls_cap {
#define PTLS_CAP_ENUM(id, name, desc) PTLS_CAP_##id,
    PTLS_CAP_LIST(PTLS_CAP_ENUM)
#undef PTLS_CAP_ENUM
        PTLS_CAP__COUNT,
    /* Not a backend capability: the option is known but polytls implements
     * it on no backend yet. Validation refuses it the same way. */
    PTLS_CAP_NONE = -1,
    PTLS_CAP_UNIMPLEMENTED = -2
};

#endif
