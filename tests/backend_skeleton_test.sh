#!/bin/sh
# Keeps the checklist "How to add a backend" (docs/architecture.md) true: in
# a copy of the source tree, follows its steps mechanically with the
# skeleton backend (docs/backend-skeleton/) as a new backend NAME, builds
# only that backend and the polytls executable, and checks that polytls
# loads the module and reports its name, library version and ABI, and that
# the module exports nothing but the entry symbol.
#
#   backend_skeleton_test.sh SOURCE_DIR TMP_DIR [C_COMPILER]
set -eu
src=$1
work=$2/backend-skeleton
cc=${3:-cc}
name=newtls
prefix=ntls

fail() {
    echo "backend-skeleton: $*" >&2
    exit 1
}

rm -rf "$work"
mkdir -p "$work/src"
for d in CMakeLists.txt cmake include core cli backends; do cp -r "$src/$d" "$work/src/"; done
mkdir -p "$work/src/docs"
cp -r "$src/docs/backend-skeleton" "$work/src/docs/"
cd "$work/src"

# 1. Copy the skeleton to backends/NAME/.
cp -r docs/backend-skeleton "backends/$name"
# 2. Rename the skel prefix (file names, symbols) and the name "skeleton".
for f in "backends/$name"/skel_*; do mv "$f" "backends/$name/${prefix}_${f##*/skel_}"; done
sed -i "s/skel_/${prefix}_/g; s/\"skel\"/\"$prefix\"/g; s/skeleton/$name/g" "backends/$name"/*
grep -rq skel "backends/$name" && fail "the rename left a skel name in backends/$name"
# 3. (detect.cmake and CMakeLists.txt of the folder: already right for a
#    backend without a library.) 4. Add NAME to POLYTLS_ALL_BACKENDS.
sed -i "s/^set(POLYTLS_ALL_BACKENDS \(.*\))\$/set(POLYTLS_ALL_BACKENDS \1 $name)/" CMakeLists.txt
grep -q "^set(POLYTLS_ALL_BACKENDS .* $name)\$" CMakeLists.txt || fail "cannot add $name to POLYTLS_ALL_BACKENDS"
# 5. Build it alone (no optimisation: this only checks that it builds and loads).
cmake -S . -B ../build -DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE= -DPOLYTLS_WERROR=ON -DPOLYTLS_TESTS=OFF \
    "-DPOLYTLS_BACKENDS=$name" >../configure.log 2>&1 || {
    cat ../configure.log >&2
    fail "configure failed"
}
cmake --build ../build -j2 --target polytls "polytls-$name" >../build.log 2>&1 || {
    cat ../build.log >&2
    fail "build failed"
}

# 6. polytls loads it: `polytls backends` shows its name and library version.
bin=../build/bin/polytls
module=../build/lib/polytls/polytls-$name.so
[ -f "$module" ] || module=$(find ../build -name "polytls-$name.so" | head -1)
out=$("$bin" backends) || fail "polytls backends failed: $out"
first=$(echo "$out" | head -1)
[ "$first" = "$name: $name 0" ] || fail "polytls backends says '$first', expected '$name: $name 0'"
"$bin" backends -json | grep -q "{\"name\":\"$name\",\"library\":\"$name 0\"" || fail "polytls backends -json"
"$bin" version | grep -q "^  $name *$name 0\$" || fail "polytls version does not list $name"
# A module the loader accepted has the right ABI and name; the exported
# dynamic symbols are the entry point only.
syms=$(nm -D --defined-only "$module" | awk '$2 == "T" || $2 == "D" || $2 == "B" || $2 == "R" {print $3}')
[ "$syms" = "polytls_backend_v1" ] || fail "the module exports more than polytls_backend_v1: $syms"
# The skeleton refuses everything: s_server ends with the skeleton's
# errors, never a crash: exit 1 from server_new, exit 3 for a capability.
echo dummy >../dummy.pem
run() {
    set +e
    timeout 20 "$bin" s_server -backend "$name" -accept 0 -cert ../dummy.pem -key ../dummy.pem "$@" </dev/null \
        >../s_server.out 2>&1
    rc=$?
    set -e
}
run
[ "$rc" -eq 1 ] && grep -q "the $name backend cannot make a server context" ../s_server.out || {
    cat ../s_server.out >&2
    fail "s_server -backend $name exited with $rc, expected 1 and the skeleton's server_new error"
}
run -tls1_3
[ "$rc" -eq 3 ] && grep -q "capability error: -tls1_3 is not supported by backend $name ($name 0)" ../s_server.out || {
    cat ../s_server.out >&2
    fail "s_server -backend $name -tls1_3 exited with $rc, expected the capability error (3)"
}
echo "backend-skeleton: $name built from the skeleton, loaded ($first), refused as expected"
