# Sets openssl_FOUND, openssl_VERSION, openssl_DEBIAN_PACKAGE.
set(openssl_DEBIAN_PACKAGE libssl-dev)
find_package(OpenSSL 3.0 QUIET)
set(openssl_FOUND ${OPENSSL_FOUND})
set(openssl_VERSION "OpenSSL ${OPENSSL_VERSION}")
