#!/bin/sh
# Installs everything polytls needs to build and test on Debian bookworm,
# starting from a minimal root (debootstrap --variant=minbase plus git):
# tools/fresh-root-check.sh proves that list complete in CI. Run as root (or
# through sudo). Each group says who needs it; add a package here in the
# same commit as the first script that calls its tool.
set -eu
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# Build: compiler, CMake, the three system TLS libraries, Criterion (tests),
# libmd (JA3/JA4 hashes), file (CPack's shlibdeps in the packaging test).
build="build-essential cmake pkg-config ca-certificates git file
  libssl-dev libmbedtls-dev libwolfssl-dev libcriterion-dev libmd-dev"
# Library flavours (tools/flavours/flavour.sh and backends/*/flavours/build.sh):
# fetch and verify (apt's own helper, gpg, gpgv), unpack (bzip2, xz), the
# upstream build systems (perl for OpenSSL, autotools for wolfSSL, python3
# for Mbed TLS's config.py) and the compression libraries the pinned
# OpenSSL builds enable for certificate compression.
flavours="gpg gpgv bzip2 xz-utils perl python3 autoconf automake libtool make
  zlib1g-dev libbrotli-dev libzstd-dev"
# Real peers the integration tests, the compat-matrix and the interop tests
# drive, and the tools that check their output.
peers="openssl curl gnutls-bin libnss3-tools python3 python3-jsonschema botan
  openjdk-17-jdk-headless golang-go wget nodejs chromium tshark
  android-boringssl erlang-base erlang-ssl"
# Docs, packaging, memory and fuzz checks: man pages (groff, man-db), the
# .deb (dpkg-dev), valgrind, clang with its sanitizer/libFuzzer runtime.
checks="dpkg-dev groff-base man-db valgrind clang libclang-rt-14-dev"
# The benchmark (bench/run.sh): nginx as the reference server, taskset.
bench="nginx util-linux procps"
# tools/fresh-root-check.sh: a minimal bookworm root from the mirror.
fresh="debootstrap"
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $build $flavours $peers $checks $bench $fresh >/dev/null
echo "install-deps: done"
