#!/bin/sh
# Keeps docs/architecture.md's "How to add a flavour" checklist true:
#  1. every pin (backends/FAMILY/flavours/VERSION.pin) names its Debian
#     source, tarball, size, SHA-256, build flags and libraries, and its
#     signature key when it has a signature;
#  2. every family with pins has its build.sh;
#  3. every module in the build exports exactly one symbol, the entry;
#  4. every built flavour reports its own library version.
# Usage: flavour_checklist_test.sh SOURCE_DIR BUILD_DIR BACKEND...
set -u
src=$1 build=$2
shift 2
failed=0 checked=0
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
for pin in "$src"/backends/*/flavours/*.pin; do
    [ -f "$pin" ] || continue
    checked=$((checked + 1))
    family=$(basename "$(dirname "$(dirname "$pin")")") version=$(basename "$pin" .pin)
    (
        DEBIAN_SOURCE="" DEBIAN_VERSION="" DEBIAN_SUITES="" ORIG_FILE="" ORIG_SIZE="" ORIG_SHA256=""
        SIG_FILE="" SIG_SHA256="" SIGNING_KEY="" CONFIGURE_FLAGS="" LIBRARIES=""
        . "$pin"
        for v in DEBIAN_SOURCE DEBIAN_VERSION DEBIAN_SUITES ORIG_FILE ORIG_SIZE LIBRARIES CONFIGURE_FLAGS; do
            eval "[ -n \"\$$v\" ]" || { echo "FAIL: $family@$version: $v is empty"; exit 1; }
        done
        echo "$ORIG_SHA256" | grep -qx '[0-9a-f]\{64\}' || { echo "FAIL: $family@$version: ORIG_SHA256 is not a SHA-256"; exit 1; }
        case $ORIG_FILE in *"$version"*) ;; *) echo "FAIL: $family@$version: $ORIG_FILE is not version $version"; exit 1 ;; esac
        if [ -n "$SIG_FILE" ]; then
            echo "$SIG_SHA256" | grep -qx '[0-9a-f]\{64\}' || { echo "FAIL: $family@$version: SIG_SHA256 missing"; exit 1; }
            [ -f "$src/backends/$family/flavours/$SIGNING_KEY" ] || { echo "FAIL: $family@$version: no key $SIGNING_KEY"; exit 1; }
        fi
    ) || failed=$((failed + 1))
    [ -x "$src/backends/$family/flavours/build.sh" ] || fail "$family has pins but no executable flavours/build.sh"
done
for m in "$build"/lib/polytls/polytls-*.so; do
    checked=$((checked + 1))
    syms=$(nm -D --defined-only "$m" | awk '{ print $3 }' | sort -u | tr '\n' ' ')
    [ "$syms" = "polytls_backend_v1 " ] || fail "$(basename "$m") exports [$syms], not only polytls_backend_v1"
done
listing=$("$build/bin/polytls" version 2>&1)
for b in "$@"; do
    case $b in *@*) ;; *) continue ;; esac
    checked=$((checked + 1))
    line=$(echo "$listing" | grep -F "$b " | head -1)
    echo "$line" | grep -qF "${b#*@}" || fail "$b does not report its own version: [$line]"
done
echo "flavour checklist: $checked checked"
echo "$((checked - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
