#!/bin/sh
# Builds one pinned Mbed TLS release with its own build system (CMake):
# static, position-independent libraries plus the sample programs
# (ssl_client2, ssl_server2: peers for the interop tests). Called by
# tools/flavours/flavour.sh in an empty work directory:
#   build.sh TARBALL PREFIX PINFILE
set -eu
tarball=$1 prefix=$2 pin=$3
. "$pin"
mkdir src
tar -xf "$tarball" -C src --strip-components=1
cd src
for opt in $CONFIG_SET; do
  python3 scripts/config.py set "$opt"
done
# shellcheck disable=SC2086
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" \
  -DUSE_STATIC_MBEDTLS_LIBRARY=ON -DUSE_SHARED_MBEDTLS_LIBRARY=OFF \
  -DCMAKE_POSITION_INDEPENDENT_CODE=ON -DCMAKE_INSTALL_LIBDIR=lib $CONFIGURE_FLAGS >/dev/null
cmake --build build -j"${JOBS:-2}"
cmake --install build >/dev/null
mkdir -p "$prefix/bin"
for p in ssl_client2 ssl_server2; do
  cp "build/programs/ssl/$p" "$prefix/bin/mbedtls-$p"
done
