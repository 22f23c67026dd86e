#!/bin/sh
# Library flavours: fetch, verify, build and cache pinned upstream releases
# of the TLS libraries (backends/FAMILY/flavours/VERSION.pin).
#
#   flavour.sh prepare FAMILY VERSION   fetch + verify + build (cached); prints the install prefix
#   flavour.sh fetch FAMILY VERSION     fetch + verify only; prints the tarball's path
#   flavour.sh versions FAMILY          versions of FAMILY's source the Debian archive has now
#   flavour.sh list                     every pinned flavour (FAMILY@VERSION)
#   flavour.sh archive                  the Debian archive and security URIs this machine's apt uses
#
# Sources: $POLYTLS_FLAVOUR_SOURCES (a directory of already-downloaded
# tarballs) is tried first, then the Debian archive that this machine's apt
# sources name, through a private sources list and lists directory (the
# system's apt configuration is never changed), then
# $POLYTLS_FLAVOUR_FALLBACK (a directory, announced on stderr when used).
# Every file is checked against the pin's size and SHA-256 and, where
# upstream signs, the signature against the key in the pin's folder.
#
# Cache: ${POLYTLS_FLAVOUR_CACHE:-${XDG_CACHE_HOME:-~/.cache}/polytls/flavours},
# one directory per build, keyed by the source hash, the pin (flags), the
# family's build.sh and the compiler version. Progress goes to stderr, the
# one result line to stdout.
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
cache=${POLYTLS_FLAVOUR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/polytls/flavours}
cc=${FLAVOUR_CC:-cc}

say() { echo "polytls flavours: $*" >&2; }
die() {
    echo "polytls flavours: error: $*" >&2
    exit 1
}

load_pin() { # FAMILY VERSION
    family=$1 version=$2
    dir=$root/backends/$family/flavours
    pin=$dir/$version.pin
    [ -f "$pin" ] || die "no pin for $family@$version ($pin); pinned: $(list_pins | tr '\n' ' ')"
    SIG_FILE="" SIG_SHA256="" SIGNING_KEY=""
    # shellcheck disable=SC1090
    . "$pin"
}

list_pins() {
    for p in "$root"/backends/*/flavours/*.pin; do
        [ -f "$p" ] || continue
        f=$(basename "$(dirname "$(dirname "$p")")")
        echo "$f@$(basename "$p" .pin)"
    done
}

# --- the Debian archive, through a private apt state -------------------------
archive_uris() { # prints "MAIN_URI SECURITY_URI" from the system's apt sources
    main="" sec=""
    for u in $(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | sed -n 's/^URIs:[[:space:]]*//p') \
        $(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
            awk '$1 == "deb" || $1 == "deb-src" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }'); do
        case $u in
        *debian-security*) [ -n "$sec" ] || sec=${u%/} ;;
        */debian | */debian/) [ -n "$main" ] || main=${u%/} ;;
        esac
    done
    [ -n "$main" ] || die "no Debian archive in /etc/apt/sources.list*: cannot fetch from the archive"
    [ -n "$sec" ] || sec=${main%/debian}/debian-security
    echo "$main $sec"
}

APT_DIR=$cache/apt
apt_private() {
    apt-get -o Dir::Etc::SourceList="$APT_DIR/sources.list" -o Dir::Etc::SourceParts=/dev/null \
        -o Dir::State::Lists="$APT_DIR/lists" -o Dir::Cache="$APT_DIR/cache" -o Debug::NoLocking=1 \
        -o APT::Sandbox::User=root "$@"
}

apt_update() { # SUITES...
    mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial"
    set -- $(archive_uris) "$@"
    main=$1 sec=$2
    shift 2
    : >"$APT_DIR/sources.list.new"
    for s in "$@"; do
        case $s in
        *-security) echo "deb-src $sec $s main" ;;
        *) echo "deb-src $main $s main" ;;
        esac >>"$APT_DIR/sources.list.new"
    done
    # Refresh the indices at most once an hour for the same suites.
    if ! cmp -s "$APT_DIR/sources.list.new" "$APT_DIR/sources.list" ||
        [ -z "$(find "$APT_DIR/stamp" -mmin -60 2>/dev/null)" ]; then
        mv "$APT_DIR/sources.list.new" "$APT_DIR/sources.list"
        say "reading the Debian archive's source indices ($*) from $main"
        apt_private -qq update >"$APT_DIR/update.log" 2>&1 ||
            die "apt-get update of the private source list failed: $(tail -3 "$APT_DIR/update.log")"
        touch "$APT_DIR/stamp"
    else
        rm -f "$APT_DIR/sources.list.new"
    fi
}

versions_cmd() { # FAMILY
    family=$1
    suites="bookworm bookworm-security trixie trixie-security forky sid experimental"
    apt_update $suites
    src=$family
    p=$(ls "$root/backends/$family/flavours/"*.pin 2>/dev/null | head -1)
    [ -n "$p" ] && src=$(sed -n 's/^DEBIAN_SOURCE=//p' "$p")
    echo "Debian source package '$src': versions in $suites (a pin needs the one whose orig tarball the archive serves)"
    apt_private showsrc "$src" 2>/dev/null | awk '/^Version:/ { print "  " $2 }' | sort -uV
}

# --- fetching and verifying --------------------------------------------------
sha_of() { sha256sum "$1" | cut -d' ' -f1; }

check_file() { # PATH NAME SIZE SHA256 -> 0 ok, 1 mismatch (message printed)
    actual=$(sha_of "$1")
    if [ "$actual" != "$4" ]; then
        echo "polytls flavours: error: $2 does not match its pin: expected SHA-256 $4, actual $actual ($1)" >&2
        return 1
    fi
    if [ -n "$3" ] && [ "$(stat -c %s "$1")" != "$3" ]; then
        echo "polytls flavours: error: $2 does not match its pin: expected $3 bytes, actual $(stat -c %s "$1")" >&2
        return 1
    fi
    return 0
}

# fetch_one NAME SIZE SHA256: puts a verified copy into $cache/sources/NAME.
fetch_one() {
    name=$1 size=$2 sha=$3 dest=$cache/sources/$1
    mkdir -p "$cache/sources"
    if [ -f "$dest" ]; then
        check_file "$dest" "$name" "$size" "$sha" && return 0
        rm -f "$dest"
    fi
    if [ -n "${POLYTLS_FLAVOUR_SOURCES:-}" ] && [ -f "$POLYTLS_FLAVOUR_SOURCES/$name" ]; then
        say "$name from \$POLYTLS_FLAVOUR_SOURCES ($POLYTLS_FLAVOUR_SOURCES)"
        cp "$POLYTLS_FLAVOUR_SOURCES/$name" "$dest.part"
        check_file "$dest.part" "$name" "$size" "$sha" || {
            rm -f "$dest.part"
            exit 1
        }
        mv "$dest.part" "$dest"
        return 0
    fi
    why=""
    apt_update $DEBIAN_SUITES
    line=$(apt_private source --print-uris "$DEBIAN_SOURCE=$DEBIAN_VERSION" 2>/dev/null |
        awk -v f="$name" '$2 == f { print }') || true
    if [ -z "$line" ]; then
        why="the archive's indices ($DEBIAN_SUITES) no longer list $DEBIAN_SOURCE $DEBIAN_VERSION"
    else
        uri=$(echo "$line" | cut -d"'" -f2)
        idx_sha=$(echo "$line" | sed -n 's/.*SHA256:\([0-9a-f]*\).*/\1/p')
        [ -z "$idx_sha" ] || [ "$idx_sha" = "$sha" ] ||
            die "$name: the archive's index says SHA-256 $idx_sha, the pin says $sha: refusing it"
        say "downloading $uri"
        rm -f "$dest.part"
        if /usr/lib/apt/apt-helper download-file "$uri" "$dest.part" "SHA256:$sha" >"$cache/sources/$name.log" 2>&1 &&
            check_file "$dest.part" "$name" "$size" "$sha"; then
            mv "$dest.part" "$dest"
            return 0
        fi
        rm -f "$dest.part"
        why="downloading $uri failed: $(grep -m1 -iE 'err|fail|40[0-9]|hash' "$cache/sources/$name.log" || tail -1 "$cache/sources/$name.log")"
    fi
    if [ -n "${POLYTLS_FLAVOUR_FALLBACK:-}" ] && [ -f "$POLYTLS_FLAVOUR_FALLBACK/$name" ]; then
        say "the Debian archive did not serve $name ($why)"
        say "USING THE FALLBACK COPY of $name from \$POLYTLS_FLAVOUR_FALLBACK ($POLYTLS_FLAVOUR_FALLBACK)"
        cp "$POLYTLS_FLAVOUR_FALLBACK/$name" "$dest.part"
        check_file "$dest.part" "$name" "$size" "$sha" || {
            rm -f "$dest.part"
            exit 1
        }
        mv "$dest.part" "$dest"
        return 0
    fi
    die "cannot fetch $name, pinned for $family@$version ($DEBIAN_SOURCE $DEBIAN_VERSION): $why.
  The archive keeps only files some suite still references: the pinned file may be gone.
  See the versions it has now:  tools/flavours/flavour.sh versions $family
  then bump backends/$family/flavours/$version.pin (or set POLYTLS_FLAVOUR_SOURCES=DIR with the tarball)."
}

verify_signature() {
    [ -n "$SIG_FILE" ] || return 0
    key=$root/backends/$family/flavours/$SIGNING_KEY
    [ -f "$key" ] || die "signing key $key (named by the $family@$version pin) is missing"
    gpg_home=$(mktemp -d)
    trap 'rm -rf "$gpg_home"' EXIT
    gpg --homedir "$gpg_home" --batch --quiet --dearmor <"$key" >"$gpg_home/key.gpg" 2>/dev/null ||
        die "cannot read the signing key $key (gpg --dearmor failed)"
    if ! gpgv --keyring "$gpg_home/key.gpg" "$cache/sources/$SIG_FILE" "$cache/sources/$ORIG_FILE" \
        >"$gpg_home/gpgv.log" 2>&1; then
        cat "$gpg_home/gpgv.log" >&2
        die "$ORIG_FILE: bad or missing upstream signature ($SIG_FILE, key $key)"
    fi
    say "$ORIG_FILE: $(grep -m1 'Good signature' "$gpg_home/gpgv.log" | sed 's/^gpgv: //')"
    rm -rf "$gpg_home"
    trap - EXIT
}

fetch_cmd() {
    load_pin "$1" "$2"
    fetch_one "$ORIG_FILE" "$ORIG_SIZE" "$ORIG_SHA256"
    [ -z "$SIG_FILE" ] || fetch_one "$SIG_FILE" "" "$SIG_SHA256"
    verify_signature
    echo "$cache/sources/$ORIG_FILE"
}

# --- building ----------------------------------------------------------------
build_key() {
    {
        echo "$ORIG_SHA256"
        cat "$pin" "$root/backends/$family/flavours/build.sh"
        "$cc" --version | head -1
    } | sha256sum | cut -c1-16
}

prepare_cmd() {
    load_pin "$1" "$2"
    mkdir -p "$cache"
    prefix=$cache/$family-$version-$(build_key)
    if [ -f "$prefix/.complete" ]; then
        echo "$prefix"
        return 0
    fi
    # One build at a time per flavour (parallel configures share the cache).
    exec 9>"$cache/$family-$version.lock"
    flock 9
    if [ -f "$prefix/.complete" ]; then
        echo "$prefix"
        return 0
    fi
    tarball=$(fetch_cmd "$family" "$version")
    work=$(mktemp -d "$cache/build-$family-$version.XXXXXX")
    log=$cache/$family-$version.build.log
    say "building $family@$version into $prefix (log: $log)"
    start=$(date +%s)
    rm -rf "$prefix"
    if ! (cd "$work" && CC="$cc" JOBS="${JOBS:-$(nproc)}" sh "$root/backends/$family/flavours/build.sh" \
        "$tarball" "$prefix" "$pin") >"$log" 2>&1; then
        tail -30 "$log" >&2
        rm -rf "$work" "$prefix"
        die "building $family@$version failed (full log: $log)"
    fi
    rm -rf "$work"
    for l in $LIBRARIES; do
        [ -f "$prefix/$l" ] || die "building $family@$version did not produce $l (log: $log)"
    done
    { "$cc" --version | head -1; echo "pin: $pin"; } >"$prefix/.build-info"
    touch "$prefix/.complete"
    # CPU time of the build (children's user and system time, from the
    # shell's `times`): what a cold CI machine pays, whatever the load.
    times >"$work.times" # not in $(...): a subshell has no children of its own
    cpu=$(tail -1 "$work.times" | awk '{ for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] } printf "%d", t }')
    rm -f "$work.times"
    say "built $family@$version in $(($(date +%s) - start)) s wall, ${cpu} s CPU"
    # Older builds of the same flavour (other flags or compiler) are dropped.
    for old in "$cache/$family-$version"-*; do
        [ "$old" = "$prefix" ] || [ ! -d "$old" ] || rm -rf "$old"
    done
    echo "$prefix"
}

case ${1:-} in
prepare) [ $# -eq 3 ] || die "usage: flavour.sh prepare FAMILY VERSION"; prepare_cmd "$2" "$3" ;;
fetch) [ $# -eq 3 ] || die "usage: flavour.sh fetch FAMILY VERSION"; fetch_cmd "$2" "$3" ;;
versions) [ $# -eq 2 ] || die "usage: flavour.sh versions FAMILY"; versions_cmd "$2" ;;
list) list_pins ;;
archive) archive_uris ;;
*) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
