/* Every openssl s_server option (1.0.2 and 1.1.1 man pages plus the 3.x
 * additions) and polytls's own. Columns:
 *   X(ID, "name", type, group, capability, "help", "example value")
 * capability: a PTLS_CAP_x the backend must have, NONE for options the core
 * implements itself, UNIMPLEMENTED for options polytls knows but implements
 * on no backend yet (refused as a capability error, never ignored). */
#ifndef PTLS_OPTIONS_LIST_H
#define PTLS_OPTIONS_LIST_H

#define PTLS_OPTION_LIST(X)                                                                                  \
    /* General */                                                                                            \
    X(HELP, "help", OPT_FLAG, GRP_GENERAL, NONE, "Display this summary", NULL)                               \
    X(BACKEND, "backend", OPT_STRING, GRP_POLYTLS, NONE, "TLS backend: openssl, mbedtls or wolfssl",         \
      "openssl")                                                                                             \
    X(HANDSHAKE_TIMEOUT, "handshake_timeout", OPT_INT, GRP_POLYTLS, NONE,                                    \
      "Seconds a client may take to finish the handshake (default 10)", "10")                                \
    X(IDLE_TIMEOUT, "idle_timeout", OPT_INT, GRP_POLYTLS, NONE,                                              \
      "Seconds an established connection may stay silent (default 300, 0 = none)", "300")                    \
    X(MAX_CONNS, "max_conns", OPT_INT, GRP_POLYTLS, NONE,                                                    \
      "Maximum concurrent connections; more are closed at once (default 10000)", "100")                      \
    X(WORKERS, "workers", OPT_INT, GRP_POLYTLS, NONE,                                                        \
      "Serve with N processes sharing the port (SO_REUSEPORT; default 1)", "2")                              \
    X(ALLOW_EXPIRED_CERT, "allow_expired_cert", OPT_FLAG, GRP_POLYTLS, NONE,                                 \
      "Serve a -cert outside its validity period (to test clients)", NULL)                                  \
    X(SSL_CONFIG, "ssl_config", OPT_STRING, GRP_GENERAL, UNIMPLEMENTED,                                      \
      "Configure SSL_CTX using the given configuration value", "system_default")                             \
    X(TRACE, "trace", OPT_FLAG, GRP_DEBUG, TRACE, "Trace protocol messages (library trace)", NULL)           \
    X(ENGINE, "engine", OPT_STRING, GRP_MISC, UNIMPLEMENTED, "Use engine, possibly a hardware device",       \
      "dynamic")                                                                                             \
    /* Network */                                                                                            \
    X(PORT, "port", OPT_INT, GRP_NETWORK, NONE, "TCP/IP port to listen on (default 4433)", "4433")           \
    X(ACCEPT, "accept", OPT_STRING, GRP_NETWORK, NONE,                                                       \
      "[host:]port to listen on (default *:4433; port 0 picks a free port)", "127.0.0.1:0")                  \
    X(UNIX, "unix", OPT_STRING, GRP_NETWORK, NONE, "Unix domain socket to accept on", "/tmp/polytls.sock")   \
    X(UNLINK, "unlink", OPT_FLAG, GRP_NETWORK, NONE, "For -unix, unlink existing socket first", NULL)        \
    X(IPV4, "4", OPT_FLAG, GRP_NETWORK, NONE, "Use IPv4 only", NULL)                                         \
    X(IPV6, "6", OPT_FLAG, GRP_NETWORK, NONE, "Use IPv6 only", NULL)                                         \
    X(NACCEPT, "naccept", OPT_INT, GRP_NETWORK, NONE, "Terminate after n accepted connections", "1")         \
    X(NBIO, "nbio", OPT_FLAG, GRP_NETWORK, NONE, "Use non-blocking IO (always the case in polytls)", NULL)   \
    X(NBIO_TEST, "nbio_test", OPT_FLAG, GRP_NETWORK, UNIMPLEMENTED, "Test with the non-blocking test bio",   \
      NULL)                                                                                                  \
    X(TFO, "tfo", OPT_FLAG, GRP_NETWORK, NONE, "Enable TCP Fast Open on the listening socket", NULL)         \
    X(READ_BUF, "read_buf", OPT_INT, GRP_NETWORK, UNIMPLEMENTED, "Default read buffer size for connections", \
      "16384")                                                                                               \
    /* DTLS */                                                                                               \
    X(DTLS, "dtls", OPT_FLAG, GRP_DTLS, DTLS, "Use any DTLS version", NULL)                                  \
    X(DTLS1, "dtls1", OPT_FLAG, GRP_DTLS, DTLS1_0, "Just talk DTLSv1", NULL)                                    \
    X(DTLS1_2, "dtls1_2", OPT_FLAG, GRP_DTLS, DTLS1_2, "Just talk DTLSv1.2", NULL)                              \
    X(DTLS1_3, "dtls1_3", OPT_FLAG, GRP_DTLS, DTLS1_3, "Just talk DTLSv1.3 (polytls; s_server has none)", NULL) \
    X(LISTEN, "listen", OPT_FLAG, GRP_DTLS, DTLS, "Cookie exchange before any per-peer state (always the case in polytls)", NULL) \
    X(TIMEOUT, "timeout", OPT_FLAG, GRP_DTLS, DTLS, "Enable DTLS retransmission timeouts (always on)", NULL)                            \
    X(MTU, "mtu", OPT_INT, GRP_DTLS, DTLS, "Set link-layer MTU", "1200")                                     \
    X(SCTP, "sctp", OPT_FLAG, GRP_DTLS, UNIMPLEMENTED, "Use SCTP", NULL)                                     \
    X(SCTP_LABEL_BUG, "sctp_label_bug", OPT_FLAG, GRP_DTLS, UNIMPLEMENTED, "Enable SCTP label length bug",   \
      NULL)                                                                                                  \
    /* Identity */                                                                                           \
    X(CERT, "cert", OPT_INFILE, GRP_IDENTITY, NONE,                                                          \
      "Server certificate file; default server.pem, else an ephemeral self-signed one", "server.pem")        \
    X(CERTFORM, "certform", OPT_FORMAT, GRP_IDENTITY, NONE, "Server certificate format (PEM or DER)", "PEM") \
    X(KEY, "key", OPT_INFILE, GRP_IDENTITY, NONE, "Private key file; default is the -cert file",             \
      "server.key")                                                                                          \
    X(KEYFORM, "keyform", OPT_FORMAT, GRP_IDENTITY, NONE, "Private key format (PEM or DER)", "PEM")          \
    X(PASS, "pass", OPT_STRING, GRP_IDENTITY, KEY_PASSWORD,                                                  \
      "Private key pass phrase source (pass:, env:, file:, fd:, stdin)", "pass:secret")                      \
    X(CERT_CHAIN, "cert_chain", OPT_INFILE, GRP_IDENTITY, CERT_CHAIN, "Server certificate chain file (PEM)", \
      "chain.pem")                                                                                           \
    X(BUILD_CHAIN, "build_chain", OPT_FLAG, GRP_IDENTITY, UNIMPLEMENTED, "Build server certificate chain",   \
      NULL)                                                                                                  \
    X(DCERT, "dcert", OPT_INFILE, GRP_IDENTITY, DUAL_CERT, "Second server certificate (another key type)",   \
      "ecdsa.pem")                                                                                           \
    X(DCERTFORM, "dcertform", OPT_FORMAT, GRP_IDENTITY, DUAL_CERT, "Second certificate format", "PEM")       \
    X(DKEY, "dkey", OPT_INFILE, GRP_IDENTITY, DUAL_CERT, "Second private key file", "ecdsa.key")             \
    X(DKEYFORM, "dkeyform", OPT_FORMAT, GRP_IDENTITY, DUAL_CERT, "Second key format", "PEM")                 \
    X(DPASS, "dpass", OPT_STRING, GRP_IDENTITY, DUAL_CERT, "Second private key pass phrase source",          \
      "pass:secret")                                                                                         \
    X(DCERT_CHAIN, "dcert_chain", OPT_INFILE, GRP_IDENTITY, DUAL_CERT, "Second certificate chain file",      \
      "chain.pem")                                                                                           \
    X(XCERT, "xcert", OPT_INFILE, GRP_IDENTITY, UNIMPLEMENTED, "Cert for extended certificates", "x.pem")    \
    X(XKEY, "xkey", OPT_INFILE, GRP_IDENTITY, UNIMPLEMENTED, "Key for extended certificates", "x.key")       \
    X(XCHAIN, "xchain", OPT_INFILE, GRP_IDENTITY, UNIMPLEMENTED, "Chain for extended certificates", "x.pem") \
    X(XCHAIN_BUILD, "xchain_build", OPT_FLAG, GRP_IDENTITY, UNIMPLEMENTED,                                   \
      "Build chain for the extended certificates", NULL)                                                     \
    X(XCERTFORM, "xcertform", OPT_FORMAT, GRP_IDENTITY, UNIMPLEMENTED, "Extended certificate format", "PEM") \
    X(XKEYFORM, "xkeyform", OPT_FORMAT, GRP_IDENTITY, UNIMPLEMENTED, "Extended key format", "PEM")           \
    X(NOCERT, "nocert", OPT_FLAG, GRP_IDENTITY, ANON_DH, "Don't use any certificates (anonymous DH)", NULL)  \
    X(DHPARAM, "dhparam", OPT_INFILE, GRP_IDENTITY, DHPARAM, "DH parameters file to use", "dh.pem")          \
    X(NO_DHE, "no_dhe", OPT_FLAG, GRP_IDENTITY, NO_DHE, "Disable ephemeral DH", NULL)                        \
    X(CHAINCAFILE, "chainCAfile", OPT_INFILE, GRP_IDENTITY, UNIMPLEMENTED,                                   \
      "CA file for certificate chain building", "ca.pem")                                                    \
    X(CHAINCAPATH, "chainCApath", OPT_DIR, GRP_IDENTITY, UNIMPLEMENTED, "CA directory for chain building",   \
      "/tmp")                                                                                                \
    X(CHAINCASTORE, "chainCAstore", OPT_STRING, GRP_IDENTITY, UNIMPLEMENTED,                                 \
      "CA store URI for chain building", "file:/tmp")                                                        \
    X(CONTEXT, "context", OPT_STRING, GRP_SESSIONS, SESSION_CONTEXT, "Set session ID context", "polytls")    \
    X(SERVERNAME, "servername", OPT_STRING, GRP_EXTENSIONS, SNI_CERT, "Server name that selects -cert2",     \
      "alt.test")                                                                                            \
    X(SERVERNAME_FATAL, "servername_fatal", OPT_FLAG, GRP_EXTENSIONS, SNI_CERT,                              \
      "On servername mismatch send a fatal alert", NULL)                                                     \
    X(CERT2, "cert2", OPT_INFILE, GRP_EXTENSIONS, SNI_CERT, "Certificate served for -servername",            \
      "server2.pem")                                                                                         \
    X(KEY2, "key2", OPT_INFILE, GRP_EXTENSIONS, SNI_CERT, "Private key for -cert2", "server2.key")           \
    X(SERVERINFO, "serverinfo", OPT_INFILE, GRP_EXTENSIONS, UNIMPLEMENTED, "PEM serverinfo file",            \
      "info.pem")                                                                                            \
    /* Client verification */                                                                                \
    X(VERIFY, "verify", OPT_INT, GRP_VERIFY, CLIENT_VERIFY,                                                  \
      "Request a client certificate (chain depth n); one that is sent must verify", "1")                     \
    X(VERIFY_UPPER, "Verify", OPT_INT, GRP_VERIFY, CLIENT_VERIFY,                                            \
      "Require a valid client certificate (chain depth n)", "1")                                             \
    X(VERIFY_RETURN_ERROR, "verify_return_error", OPT_FLAG, GRP_VERIFY, CLIENT_VERIFY,                       \
      "Close connection on verification error (always the case in polytls)", NULL)                           \
    X(VERIFY_QUIET, "verify_quiet", OPT_FLAG, GRP_VERIFY, NONE, "No verify output except verify errors",     \
      NULL)                                                                                                  \
    X(CAFILE, "CAfile", OPT_INFILE, GRP_VERIFY, CLIENT_VERIFY, "PEM file of CAs for client verification",    \
      "ca.pem")                                                                                              \
    X(CAPATH, "CApath", OPT_DIR, GRP_VERIFY, CA_PATH, "Hashed directory of CAs for client verification",     \
      "/tmp")                                                                                                \
    X(CASTORE, "CAstore", OPT_STRING, GRP_VERIFY, UNIMPLEMENTED, "URI to store of CAs", "file:/tmp")         \
    X(NO_CAFILE, "no-CAfile", OPT_FLAG, GRP_VERIFY, NONE,                                                    \
      "Do not load the default CA file (polytls never loads it)", NULL)                                      \
    X(NO_CAPATH, "no-CApath", OPT_FLAG, GRP_VERIFY, NONE,                                                    \
      "Do not load the default CA directory (polytls never loads it)", NULL)                                 \
    X(NO_CASTORE, "no-CAstore", OPT_FLAG, GRP_VERIFY, NONE,                                                  \
      "Do not load the default CA store (polytls never loads it)", NULL)                                     \
    X(VERIFYCAFILE, "verifyCAfile", OPT_INFILE, GRP_VERIFY, CLIENT_VERIFY, "Same as -CAfile", "ca.pem")      \
    X(VERIFYCAPATH, "verifyCApath", OPT_DIR, GRP_VERIFY, CA_PATH, "Same as -CApath", "/tmp")                 \
    X(VERIFYCASTORE, "verifyCAstore", OPT_STRING, GRP_VERIFY, UNIMPLEMENTED,                                 \
      "CA store URI for verification", "file:/tmp")                                                          \
    X(CRL, "CRL", OPT_INFILE, GRP_VERIFY, CRL, "CRL file for client verification (implies -crl_check)",      \
      "crl.pem")                                                                                             \
    X(CRLFORM, "CRLform", OPT_FORMAT, GRP_VERIFY, CRL, "CRL file format (PEM or DER)", "PEM")                \
    X(CRL_DOWNLOAD, "crl_download", OPT_FLAG, GRP_VERIFY, UNIMPLEMENTED, "Download CRLs from CDP entries",   \
      NULL)                                                                                                  \
    X(CRL_CHECK, "crl_check", OPT_FLAG, GRP_VALIDATION, CRL, "Check leaf certificate revocation", NULL)      \
    X(CRL_CHECK_ALL, "crl_check_all", OPT_FLAG, GRP_VALIDATION, CRL, "Check full chain revocation", NULL)    \
    X(NO_CA_NAMES, "no_ca_names", OPT_FLAG, GRP_VERIFY, NO_CA_NAMES, "Disable TLS Extension CA Names", NULL) \
    X(NAMEOPT, "nameopt", OPT_STRING, GRP_VERIFY, UNIMPLEMENTED, "Certificate name printing options",        \
      "oneline")                                                                                             \
    X(VERIFY_DEPTH, "verify_depth", OPT_INT, GRP_VALIDATION, VERIFY_DEPTH, "Chain depth limit", "2")         \
    X(PURPOSE, "purpose", OPT_STRING, GRP_VALIDATION, UNIMPLEMENTED, "Certificate chain purpose",            \
      "sslclient")                                                                                           \
    X(VERIFY_NAME, "verify_name", OPT_STRING, GRP_VALIDATION, UNIMPLEMENTED, "Verification policy name",     \
      "default")                                                                                             \
    X(AUTH_LEVEL, "auth_level", OPT_INT, GRP_VALIDATION, UNIMPLEMENTED,                                      \
      "Chain authentication security level", "1")                                                            \
    X(ATTIME, "attime", OPT_INT, GRP_VALIDATION, UNIMPLEMENTED, "Verification epoch time", "1700000000")     \
    X(VERIFY_HOSTNAME, "verify_hostname", OPT_STRING, GRP_VALIDATION, UNIMPLEMENTED,                         \
      "Expected peer hostname", "client.test")                                                               \
    X(VERIFY_EMAIL, "verify_email", OPT_STRING, GRP_VALIDATION, UNIMPLEMENTED, "Expected peer email",        \
      "a@b.test")                                                                                            \
    X(VERIFY_IP, "verify_ip", OPT_STRING, GRP_VALIDATION, UNIMPLEMENTED, "Expected peer IP address",         \
      "127.0.0.1")                                                                                           \
    X(POLICY, "policy", OPT_STRING, GRP_VALIDATION, UNIMPLEMENTED, "Add policy to the acceptable set",       \
      "1.2.3")                                                                                               \
    X(IGNORE_CRITICAL, "ignore_critical", OPT_FLAG, GRP_VALIDATION, UNIMPLEMENTED,                           \
      "Permit unhandled critical extensions", NULL)                                                          \
    X(ISSUER_CHECKS, "issuer_checks", OPT_FLAG, GRP_VALIDATION, UNIMPLEMENTED, "(deprecated)", NULL)         \
    X(POLICY_CHECK, "policy_check", OPT_FLAG, GRP_VALIDATION, UNIMPLEMENTED,                                 \
      "Perform RFC 5280 policy checks", NULL)                                                                \
    X(EXPLICIT_POLICY, "explicit_policy", OPT_FLAG, GRP_VALIDATION, UNIMPLEMENTED,                           \
      "Require explicit policy", NULL)                                                                       \
    X(INHIBIT_ANY, "inhibit_any", OPT_FLAG, GRP_VALIDATION, UNIMPLEMENTED, "Inhibit any-policy", NULL)       \
    X(INHIBIT_MAP, "inhibit_map", OPT_FLAG, GRP_VALIDATION, UNIMPLEMENTED, "Inhibit policy mapping", NULL)   \
    X(X509_STRICT, "x509_strict", OPT_FLAG, GRP_VALIDATION, UNIMPLEMENTED,                                   \
      "Disable certificate work-arounds", NULL)                                                              \
    X(EXTENDED_CRL, "extended_crl", OPT_FLAG, GRP_VALIDATION, UNIMPLEMENTED, "Enable extended CRL features", \
      NULL)                                                                                                  \
    X(USE_DELTAS, "use_deltas", OPT_FLAG, GRP_VALIDATION, UNIMPLEMENTED, "Use delta CRLs", NULL)             \
    X(POLICY_PRINT, "policy_print", OPT_FLAG, GRP_VALIDATION, UNIMPLEMENTED, "Print policy diagnostics",     \
      NULL)                                                                                                  \
    X(CHECK_SS_SIG, "check_ss_sig", OPT_FLAG, GRP_VALIDATION, UNIMPLEMENTED,                                 \
      "Check root CA self-signatures", NULL)                                                                 \
    X(TRUSTED_FIRST, "trusted_first", OPT_FLAG, GRP_VALIDATION, UNIMPLEMENTED, "Search trust store first",   \
      NULL)                                                                                                  \
    X(SUITEB_128_ONLY, "suiteB_128_only", OPT_FLAG, GRP_VALIDATION, UNIMPLEMENTED,                           \
      "Suite B 128-bit-only mode", NULL)                                                                     \
    X(SUITEB_128, "suiteB_128", OPT_FLAG, GRP_VALIDATION, UNIMPLEMENTED, "Suite B 128-bit mode", NULL)       \
    X(SUITEB_192, "suiteB_192", OPT_FLAG, GRP_VALIDATION, UNIMPLEMENTED, "Suite B 192-bit-only mode", NULL)  \
    X(PARTIAL_CHAIN, "partial_chain", OPT_FLAG, GRP_VALIDATION, UNIMPLEMENTED,                               \
      "Accept chains anchored by intermediate CAs", NULL)                                                    \
    X(NO_ALT_CHAINS, "no_alt_chains", OPT_FLAG, GRP_VALIDATION, UNIMPLEMENTED, "(deprecated)", NULL)         \
    X(NO_CHECK_TIME, "no_check_time", OPT_FLAG, GRP_VALIDATION, UNIMPLEMENTED,                               \
      "Ignore certificate validity time", NULL)                                                              \
    X(ALLOW_PROXY_CERTS, "allow_proxy_certs", OPT_FLAG, GRP_VALIDATION, UNIMPLEMENTED,                       \
      "Allow proxy certificates", NULL)                                                                      \
    /* Protocol versions */                                                                                  \
    X(SSL3, "ssl3", OPT_FLAG, GRP_PROTOCOL, UNIMPLEMENTED, "Just talk SSLv3", NULL)                          \
    X(TLS1, "tls1", OPT_FLAG, GRP_PROTOCOL, TLS1_0, "Just talk TLSv1", NULL)                                 \
    X(TLS1_1, "tls1_1", OPT_FLAG, GRP_PROTOCOL, TLS1_1, "Just talk TLSv1.1", NULL)                           \
    X(TLS1_2, "tls1_2", OPT_FLAG, GRP_PROTOCOL, TLS1_2, "Just talk TLSv1.2", NULL)                           \
    X(TLS1_3, "tls1_3", OPT_FLAG, GRP_PROTOCOL, TLS1_3, "Just talk TLSv1.3", NULL)                           \
    X(NO_SSL3, "no_ssl3", OPT_FLAG, GRP_PROTOCOL, NONE, "Just disable SSLv3 (never enabled in polytls)",     \
      NULL)                                                                                                  \
    X(NO_TLS1, "no_tls1", OPT_FLAG, GRP_PROTOCOL, NONE, "Just disable TLSv1", NULL)                          \
    X(NO_TLS1_1, "no_tls1_1", OPT_FLAG, GRP_PROTOCOL, NONE, "Just disable TLSv1.1", NULL)                    \
    X(NO_TLS1_2, "no_tls1_2", OPT_FLAG, GRP_PROTOCOL, NONE, "Just disable TLSv1.2", NULL)                    \
    X(NO_TLS1_3, "no_tls1_3", OPT_FLAG, GRP_PROTOCOL, NONE, "Just disable TLSv1.3", NULL)                    \
    X(MIN_PROTOCOL, "min_protocol", OPT_PROTOCOL, GRP_PROTOCOL, NONE, "Minimum protocol version", "TLSv1.2") \
    X(MAX_PROTOCOL, "max_protocol", OPT_PROTOCOL, GRP_PROTOCOL, NONE, "Maximum protocol version", "TLSv1.3") \
    /* Ciphers, groups, signature algorithms */                                                              \
    X(CIPHER, "cipher", OPT_STRING, GRP_CIPHERS, CIPHER_LIST,                                                \
      "TLSv1.2 and below cipher list (OpenSSL or IANA names)", "ECDHE-RSA-AES128-GCM-SHA256")                \
    X(CIPHERSUITES, "ciphersuites", OPT_STRING, GRP_CIPHERS, TLS13_CIPHERSUITES,                             \
      "TLSv1.3 ciphersuites (IANA names)", "TLS_AES_128_GCM_SHA256")                                         \
    X(SERVERPREF, "serverpref", OPT_FLAG, GRP_CIPHERS, SERVER_PREF, "Use server's cipher preferences", NULL) \
    X(PRIORITIZE_CHACHA, "prioritize_chacha", OPT_FLAG, GRP_CIPHERS, PRIORITIZE_CHACHA,                      \
      "Prioritize ChaCha ciphers when preferred by clients", NULL)                                           \
    X(GROUPS, "groups", OPT_STRING, GRP_CIPHERS, GROUPS, "Groups to advertise (colon-separated)",            \
      "X25519:P-256")                                                                                        \
    X(CURVES, "curves", OPT_STRING, GRP_CIPHERS, GROUPS, "Same as -groups", "X25519:P-256")                  \
    X(NAMED_CURVE, "named_curve", OPT_STRING, GRP_CIPHERS, GROUPS, "Elliptic curve used for ECDHE", "P-256") \
    X(SIGALGS, "sigalgs", OPT_STRING, GRP_CIPHERS, SIGALGS, "Signature algorithms (colon-separated)",        \
      "ecdsa_secp256r1_sha256:rsa_pss_rsae_sha256")                                                          \
    X(CLIENT_SIGALGS, "client_sigalgs", OPT_STRING, GRP_CIPHERS, CLIENT_SIGALGS,                             \
      "Signature algorithms for client certificates", "rsa_pss_rsae_sha256")                                 \
    X(BUGS, "bugs", OPT_FLAG, GRP_CIPHERS, UNIMPLEMENTED, "Turn on SSL bug compatibility", NULL)             \
    X(COMP, "comp", OPT_FLAG, GRP_CIPHERS, UNIMPLEMENTED, "Use SSL/TLS-level compression", NULL)             \
    X(NO_COMP, "no_comp", OPT_FLAG, GRP_CIPHERS, NONE, "Disable compression (always the case in polytls)",   \
      NULL)                                                                                                  \
    X(STRICT, "strict", OPT_FLAG, GRP_CIPHERS, UNIMPLEMENTED, "Enforce strict certificate checks", NULL)     \
    X(NO_ETM, "no_etm", OPT_FLAG, GRP_CIPHERS, NO_ETM, "Disable Encrypt-then-Mac extension", NULL)           \
    X(NO_EMS, "no_ems", OPT_FLAG, GRP_CIPHERS, NO_EMS, "Disable Extended Master Secret extension", NULL)     \
    X(LEGACY_RENEGOTIATION, "legacy_renegotiation", OPT_FLAG, GRP_CIPHERS, LEGACY_RENEGOTIATION,             \
      "Enable use of legacy renegotiation (dangerous)", NULL)                                                \
    X(NO_RENEGOTIATION, "no_renegotiation", OPT_FLAG, GRP_CIPHERS, NONE, "Disable all renegotiation", NULL)  \
    X(CLIENT_RENEGOTIATION, "client_renegotiation", OPT_FLAG, GRP_CIPHERS, CLIENT_RENEGOTIATION,             \
      "Allow client-initiated renegotiation", NULL)                                                          \
    X(LEGACY_SERVER_CONNECT, "legacy_server_connect", OPT_FLAG, GRP_CIPHERS, UNIMPLEMENTED,                  \
      "Allow initial connection to servers that don't support RI (client-side)", NULL)                       \
    X(NO_LEGACY_SERVER_CONNECT, "no_legacy_server_connect", OPT_FLAG, GRP_CIPHERS, UNIMPLEMENTED,            \
      "Disallow initial connection to servers that don't support RI (client-side)", NULL)                    \
    X(NO_RESUMPTION_ON_RENEG, "no_resumption_on_reneg", OPT_FLAG, GRP_CIPHERS, UNIMPLEMENTED,                \
      "Disallow session resumption on renegotiation", NULL)                                                  \
    X(ALLOW_NO_DHE_KEX, "allow_no_dhe_kex", OPT_FLAG, GRP_CIPHERS, UNIMPLEMENTED,                            \
      "In TLSv1.3 allow non-(ec)dhe key exchange on resumption", NULL)                                       \
    X(DEBUG_BROKEN_PROTOCOL, "debug_broken_protocol", OPT_FLAG, GRP_CIPHERS, UNIMPLEMENTED,                  \
      "Perform protocol violations for testing", NULL)                                                       \
    X(RECORD_PADDING, "record_padding", OPT_INT, GRP_CIPHERS, RECORD_PADDING,                                \
      "Block size to pad TLS 1.3 records to", "512")                                                         \
    X(NO_MIDDLEBOX, "no_middlebox", OPT_FLAG, GRP_CIPHERS, UNIMPLEMENTED,                                    \
      "Disable TLSv1.3 middlebox compat mode", NULL)                                                         \
    X(IGNORE_UNEXPECTED_EOF, "ignore_unexpected_eof", OPT_FLAG, GRP_CIPHERS, UNIMPLEMENTED,                  \
      "Do not treat lack of close_notify as an error", NULL)                                                 \
    /* Sessions */                                                                                           \
    X(ID_PREFIX, "id_prefix", OPT_STRING, GRP_SESSIONS, ID_PREFIX, "Generate session IDs prefixed by arg",   \
      "pt")                                                                                                  \
    X(NO_CACHE, "no_cache", OPT_FLAG, GRP_SESSIONS, SESSION_CACHE, "Disable session cache", NULL)            \
    X(EXT_CACHE, "ext_cache", OPT_FLAG, GRP_SESSIONS, UNIMPLEMENTED, "Use an external session cache", NULL)  \
    X(NO_RESUME_EPHEMERAL, "no_resume_ephemeral", OPT_FLAG, GRP_SESSIONS, UNIMPLEMENTED,                     \
      "Disable caching and tickets if ephemeral (EC)DH is used", NULL)                                       \
    X(NO_TICKET, "no_ticket", OPT_FLAG, GRP_SESSIONS, TICKETS, "Disable use of TLS session tickets", NULL)   \
    X(NUM_TICKETS, "num_tickets", OPT_INT, GRP_SESSIONS, NUM_TICKETS,                                        \
      "Number of TLSv1.3 session tickets issued (default 2)", "1")                                           \
    X(STATELESS, "stateless", OPT_FLAG, GRP_SESSIONS, UNIMPLEMENTED, "Require TLSv1.3 cookies", NULL)        \
    /* Extensions */                                                                                         \
    X(ALPN, "alpn", OPT_STRING, GRP_EXTENSIONS, ALPN, "ALPN protocols, comma-separated, server order",       \
      "h2,http/1.1")                                                                                         \
    X(NEXTPROTONEG, "nextprotoneg", OPT_STRING, GRP_EXTENSIONS, NPN, "NPN protocols, comma-separated",       \
      "http/1.1")                                                                                            \
    X(USE_SRTP, "use_srtp", OPT_STRING, GRP_EXTENSIONS, SRTP, "SRTP profiles, colon-separated",              \
      "SRTP_AES128_CM_SHA1_80")                                                                              \
    X(MAX_SEND_FRAG, "max_send_frag", OPT_INT, GRP_EXTENSIONS, MAX_SEND_FRAG, "Maximum size of send frames", \
      "1024")                                                                                                \
    X(SPLIT_SEND_FRAG, "split_send_frag", OPT_INT, GRP_EXTENSIONS, UNIMPLEMENTED,                            \
      "Size used to split data for encrypt pipelines", "1024")                                               \
    X(MAX_PIPELINES, "max_pipelines", OPT_INT, GRP_EXTENSIONS, UNIMPLEMENTED,                                \
      "Maximum encrypt/decrypt pipelines", "2")                                                              \
    X(KEYMATEXPORT, "keymatexport", OPT_STRING, GRP_EXTENSIONS, EXPORT_KEYING,                               \
      "Export keying material using label", "EXPERIMENTAL-polytls")                                          \
    X(KEYMATEXPORTLEN, "keymatexportlen", OPT_INT, GRP_EXTENSIONS, EXPORT_KEYING,                            \
      "Export len bytes of keying material (default 20)", "20")                                              \
    /* OCSP */                                                                                               \
    X(STATUS, "status", OPT_FLAG, GRP_OCSP, UNIMPLEMENTED,                                                   \
      "Respond to certificate status requests (responder lookup)", NULL)                                     \
    X(STATUS_VERBOSE, "status_verbose", OPT_FLAG, GRP_OCSP, UNIMPLEMENTED,                                   \
      "Print more output in the status callback", NULL)                                                      \
    X(STATUS_TIMEOUT, "status_timeout", OPT_INT, GRP_OCSP, UNIMPLEMENTED,                                    \
      "Status request responder timeout", "5")                                                               \
    X(STATUS_URL, "status_url", OPT_STRING, GRP_OCSP, UNIMPLEMENTED, "Status request fallback URL",          \
      "http://ocsp.test/")                                                                                   \
    X(STATUS_FILE, "status_file", OPT_INFILE, GRP_OCSP, OCSP_STAPLE,                                         \
      "File with a DER OCSP response to staple", "ocsp.der")                                                 \
    X(PROXY, "proxy", OPT_STRING, GRP_OCSP, UNIMPLEMENTED, "HTTP(S) proxy for OCSP", "proxy.test:8080")      \
    X(NO_PROXY, "no_proxy", OPT_STRING, GRP_OCSP, UNIMPLEMENTED, "Hosts not to use the proxy for",           \
      "localhost")                                                                                           \
    /* TLS 1.3 */                                                                                            \
    X(EARLY_DATA, "early_data", OPT_FLAG, GRP_TLS13, EARLY_DATA, "Accept early data", NULL)                  \
    X(MAX_EARLY_DATA, "max_early_data", OPT_INT, GRP_TLS13, EARLY_DATA,                                      \
      "Maximum early data bytes advertised in tickets", "16384")                                             \
    X(RECV_MAX_EARLY_DATA, "recv_max_early_data", OPT_INT, GRP_TLS13, UNIMPLEMENTED,                         \
      "Maximum early data bytes accepted (hard limit)", "16384")                                             \
    X(ANTI_REPLAY, "anti_replay", OPT_FLAG, GRP_TLS13, UNIMPLEMENTED, "Switch on anti-replay protection",    \
      NULL)                                                                                                  \
    X(NO_ANTI_REPLAY, "no_anti_replay", OPT_FLAG, GRP_TLS13, UNIMPLEMENTED,                                  \
      "Switch off anti-replay protection", NULL)                                                             \
    /* PSK, SRP */                                                                                           \
    X(PSK, "psk", OPT_STRING, GRP_PSK, PSK, "PSK in hex (without 0x)", "0102030405060708")                   \
    X(PSK_IDENTITY, "psk_identity", OPT_STRING, GRP_PSK, PSK,                                                \
      "PSK identity to expect (default Client_identity)", "Client_identity")                                 \
    X(PSK_HINT, "psk_hint", OPT_STRING, GRP_PSK, PSK_HINT, "PSK identity hint to send", "hint")              \
    X(PSK_SESSION, "psk_session", OPT_INFILE, GRP_PSK, UNIMPLEMENTED, "File to read a PSK SSL session from", \
      "psk.pem")                                                                                             \
    X(SRPVFILE, "srpvfile", OPT_INFILE, GRP_PSK, UNIMPLEMENTED, "The verifier file for SRP", "srp.txt")      \
    X(SRPUSERSEED, "srpuserseed", OPT_STRING, GRP_PSK, UNIMPLEMENTED,                                        \
      "A seed string for a default user salt", "seed")                                                       \
    /* Modes */                                                                                              \
    X(WWW_STATUS, "www", OPT_FLAG, GRP_MODES, NONE, "Respond to a 'GET /' with a status page", NULL)         \
    X(WWW_FILES, "WWW", OPT_FLAG, GRP_MODES, NONE, "Serve files below the current directory", NULL)          \
    X(HTTP, "HTTP", OPT_FLAG, GRP_MODES, NONE, "Like -WWW but the file holds the complete HTTP response",    \
      NULL)                                                                                                  \
    X(REV, "rev", OPT_FLAG, GRP_MODES, NONE, "Send back each received line reversed; CLOSE ends", NULL)      \
    X(CRLF, "crlf", OPT_FLAG, GRP_MODES, NONE, "Convert LF from terminal into CRLF", NULL)                   \
    X(IGN_EOF, "ign_eof", OPT_FLAG, GRP_MODES, NONE, "Ignore stdin EOF (always the case in polytls)", NULL)  \
    X(NO_IGN_EOF, "no_ign_eof", OPT_FLAG, GRP_MODES, NONE, "Exit when stdin (a terminal) reaches EOF", NULL) \
    X(QUIET, "quiet", OPT_FLAG, GRP_MODES, NONE, "No server output", NULL)                                   \
    X(BRIEF, "brief", OPT_FLAG, GRP_MODES, NONE, "Brief summary of connection parameters", NULL)             \
    X(HTTP_SERVER_BINMODE, "http_server_binmode", OPT_FLAG, GRP_MODES, NONE,                                 \
      "Open files in binary mode for -WWW/-HTTP (always the case)", NULL)                                    \
    X(SENDFILE, "sendfile", OPT_FLAG, GRP_MODES, UNIMPLEMENTED, "Use sendfile for -WWW", NULL)               \
    /* Debug */                                                                                              \
    X(MSG, "msg", OPT_FLAG, GRP_DEBUG, NONE, "Show every TLS record and handshake message, both directions", \
      NULL)                                                                                                  \
    X(MSGFILE, "msgfile", OPT_OUTFILE, GRP_DEBUG, NONE, "File for -msg and -debug output (default stdout)",  \
      "msg.txt")                                                                                             \
    X(DEBUG, "debug", OPT_FLAG, GRP_DEBUG, NONE, "Hex dump of all traffic", NULL)                            \
    X(STATE, "state", OPT_FLAG, GRP_DEBUG, STATE, "Print the handshake states", NULL)                        \
    X(TLSEXTDEBUG, "tlsextdebug", OPT_FLAG, GRP_DEBUG, NONE,                                                 \
      "Print every ClientHello extension with a hex dump", NULL)                                             \
    X(SECURITY_DEBUG, "security_debug", OPT_FLAG, GRP_DEBUG, UNIMPLEMENTED,                                  \
      "Print security framework output", NULL)                                                               \
    X(SECURITY_DEBUG_VERBOSE, "security_debug_verbose", OPT_FLAG, GRP_DEBUG, UNIMPLEMENTED,                  \
      "Print more security framework output", NULL)                                                          \
    X(JSON, "json", OPT_STRING, GRP_POLYTLS, NONE,                                                           \
      "Write one JSON object per event to FILE (- for stdout); see docs/events.md", "events.jsonl")          \
    X(KEYLOGFILE, "keylogfile", OPT_OUTFILE, GRP_DEBUG, KEYLOG,                                              \
      "Write TLS secrets to file (SSLKEYLOGFILE format)", "keys.log")                                        \
    X(ASYNC, "async", OPT_FLAG, GRP_MISC, UNIMPLEMENTED, "Operate in asynchronous mode", NULL)               \
    X(RAND, "rand", OPT_STRING, GRP_MISC, UNIMPLEMENTED, "Load file(s) into the random number generator",    \
      "seed.bin")                                                                                            \
    X(WRITERAND, "writerand", OPT_OUTFILE, GRP_MISC, UNIMPLEMENTED, "Write random data to the file",         \
      "seed.bin")                                                                                            \
    X(PROVIDER, "provider", OPT_STRING, GRP_MISC, UNIMPLEMENTED, "Provider to load", "default")              \
    X(PROVIDER_PATH, "provider-path", OPT_STRING, GRP_MISC, UNIMPLEMENTED, "Provider load path", "/tmp")     \
    X(PROPQUERY, "propquery", OPT_STRING, GRP_MISC, UNIMPLEMENTED, "Property query for fetching algorithms", \
      "fips=no")                                                                                             \
    X(KTLS, "ktls", OPT_FLAG, GRP_MISC, UNIMPLEMENTED, "Enable kernel TLS", NULL)

#endif
