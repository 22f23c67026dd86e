# Sets mbedtls_FOUND, mbedtls_VERSION, mbedtls_DEBIAN_PACKAGE.
# Debian's Mbed TLS ships neither pkg-config nor a CMake package: see
# cmake/FindMbedTLS.cmake.
set(mbedtls_DEBIAN_PACKAGE libmbedtls-dev)
find_package(MbedTLS QUIET)
set(mbedtls_FOUND ${MbedTLS_FOUND})
set(mbedtls_VERSION "Mbed TLS ${MbedTLS_VERSION}")
