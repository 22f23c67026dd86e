#!/bin/sh
# `cmake --install` into a fresh prefix yields bin/polytls plus its backend
# modules, and the installed binary finds them with no environment variable.
# usage: install_test.sh BUILD_DIR SCRATCH_DIR
set -eu
build=$1
prefix=$2/install-root
rm -rf "$prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null
test -x "$prefix/bin/polytls"
unset POLYTLS_MODULE_DIR POLYTLS_BACKEND || true
out=$(cd / && "$prefix/bin/polytls" backends)
for m in "$prefix"/lib*/polytls/polytls-*.so "$prefix"/lib/*/polytls/polytls-*.so; do
  [ -e "$m" ] || continue
  name=$(basename "$m" .so); name=${name#polytls-}
  echo "$out" | grep -q "^$name: " || { echo "installed module $name not listed: $out"; exit 1; }
done
echo "$out" | grep -q ": " || { echo "no backend listed"; exit 1; }
# The installed server runs a handshake.
"$prefix/bin/polytls" s_server -accept 127.0.0.1:0 -www -naccept 1 </dev/null >"$2/install.out" 2>&1 &
pid=$!
i=0
while ! grep -q '^ACCEPT ' "$2/install.out" 2>/dev/null; do
  i=$((i + 1)); [ $i -lt 100 ] || { kill $pid; cat "$2/install.out"; exit 1; }; sleep 0.1
done
port=$(sed -n 's/^ACCEPT .*://p' "$2/install.out" | head -1)
curl -sSk "https://127.0.0.1:$port/" | grep -q "Protocol version: TLSv1" || { kill $pid; exit 1; }
wait $pid
echo "install test: ok ($(echo "$out" | grep -c '^[a-z]*: ') backends)"
