#!/bin/sh
# Builds one pinned wolfSSL release with its own build system: static,
# position-independent library plus the example client and server (peers
# for the interop tests). Called by tools/flavours/flavour.sh in an empty
# work directory:
#   build.sh TARBALL PREFIX PINFILE
set -eu
tarball=$1 prefix=$2 pin=$3
. "$pin"
mkdir src
tar -xf "$tarball" -C src --strip-components=1
cd src
# The tarball is a git tag archive: it has no ./configure.
autoreconf -fi >/dev/null
# shellcheck disable=SC2086
./configure --prefix="$prefix" --enable-static --disable-shared --with-pic $CONFIGURE_FLAGS \
  CFLAGS="-O2 -fPIC $EXTRA_CFLAGS"
make -j"${JOBS:-2}"
make install
mkdir -p "$prefix/bin"
cp examples/client/client "$prefix/bin/wolfssl-client"
cp examples/server/server "$prefix/bin/wolfssl-server"
