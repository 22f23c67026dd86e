#!/bin/sh
# Installs everything polytls needs to build and test on Debian bookworm:
# the three TLS libraries, Criterion, and the real peer clients the tests
# and the compat-matrix drive (OpenSSL, GnuTLS, NSS, Botan, Java, Go, Python,
# curl, wget, Node.js; Chromium renders the matrix page). Run as root (or through sudo).
set -eu
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  build-essential cmake pkg-config ca-certificates \
  libssl-dev libmbedtls-dev libwolfssl-dev libcriterion-dev libmd-dev \
  openssl curl gnutls-bin libnss3-tools python3 \
  dpkg-dev groff-base man-db python3-jsonschema tshark valgrind \
  clang libclang-rt-14-dev \
  botan openjdk-17-jdk-headless golang-go wget nodejs chromium >/dev/null
echo "install-deps: done"
