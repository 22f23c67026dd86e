#!/bin/sh
# Builds one pinned OpenSSL release with its own build system (no Debian
# patches): static, position-independent libraries and the openssl CLI.
# Called by tools/flavours/flavour.sh in an empty work directory:
#   build.sh TARBALL PREFIX PINFILE
set -eu
tarball=$1 prefix=$2 pin=$3
. "$pin"
mkdir src
tar -xf "$tarball" -C src --strip-components=1
cd src
# --openssldir inside the prefix: the static library must never read the
# system's /usr/lib/ssl/openssl.cnf (written for OpenSSL 3.0).
# shellcheck disable=SC2086
./Configure $CONFIGURE_FLAGS --prefix="$prefix" --openssldir="$prefix/ssl" --libdir=lib
make -j"${JOBS:-2}" build_sw
make install_sw install_ssldirs
