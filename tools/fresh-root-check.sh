#!/bin/sh
# Proves that the README's commands work on a fresh, minimal Debian bookworm:
# builds a root with `debootstrap --variant=minbase` from this machine's own
# Debian mirror (plus git and ca-certificates, which the README tells users
# to have), copies this source tree into it and, inside it, runs the README's
# first command (install step, configure, build, serve a page to curl), the
# unit tests and the packaging test; with --full, the whole tests command.
# Any package that tools/install-deps.sh forgets makes a step fail here.
#
#   tools/fresh-root-check.sh [--full] [--keep] WORKDIR
#
# Needs root (debootstrap, chroot, mounts). The host's downloaded .deb files
# are shared with the root (bind mount of /var/cache/apt/archives) only to
# save download time: every package is still installed by the project's
# own install step inside the root.
set -eu

full=0 keep=0
while [ $# -gt 1 ]; do
    case $1 in
    --full) full=1 ;;
    --keep) keep=1 ;;
    *) break ;;
    esac
    shift
done
[ $# -eq 1 ] || {
    echo "usage: $0 [--full] [--keep] WORKDIR" >&2
    exit 2
}
[ "$(id -u)" -eq 0 ] || {
    echo "fresh-root-check: must run as root (debootstrap, chroot, mount)" >&2
    exit 1
}
src=$(cd "$(dirname "$0")/.." && pwd)
work=$1
root=$work/root
log() { echo "fresh-root-check: $(date +%T) $*"; }

mounted=""
cleanup() {
    for m in $mounted; do umount -l "$m" 2>/dev/null || true; done
    if [ "$keep" -eq 0 ]; then rm -rf "$root"; fi
}
trap cleanup EXIT INT TERM

set -- $("$src/tools/flavours/flavour.sh" archive)
mirror=$1 security=$2

rm -rf "$root"
mkdir -p "$work"
log "debootstrap --variant=minbase bookworm from $mirror"
start=$(date +%s)
debootstrap --variant=minbase --include=git,ca-certificates bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 || {
    tail -20 "$work/debootstrap.log"
    echo "fresh-root-check: debootstrap failed (log: $work/debootstrap.log)" >&2
    exit 1
}
cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main
EOF
# No daemon of an installed package (nginx) starts inside the root.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod +x "$root/usr/sbin/policy-rc.d"

for m in proc sys dev dev/pts; do
    mkdir -p "$root/$m"
done
mount -t proc proc "$root/proc" && mounted="$root/proc $mounted"
mount --rbind /sys "$root/sys" && mounted="$root/sys $mounted"
mount --rbind /dev "$root/dev" && mounted="$root/dev $mounted"
if [ -d /var/cache/apt/archives ]; then
    mount --bind /var/cache/apt/archives "$root/var/cache/apt/archives" &&
        mounted="$root/var/cache/apt/archives $mounted"
fi

# The source tree as a user's clone would have it (tracked and new files,
# nothing ignored: no build directories).
mkdir -p "$root/root/polytls"
(cd "$src" && git ls-files -co --exclude-standard -z | xargs -0 tar -cf - --) | tar -xf - -C "$root/root/polytls"
if [ -d "$src/../shared" ]; then
    cp -r "$src/../shared" "$root/root/shared" 2>/dev/null || true
fi

inroot() {
    chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root LANG=C.UTF-8 CI="${CI:-}" /bin/sh -c "cd /root/polytls && $1"
}

log "README first command: install step, configure, build"
inroot 'tools/install-deps.sh && cmake --preset default >/dev/null && cmake --build --preset default >/dev/null'
log "README first command: the server answers curl"
inroot 'build/bin/polytls s_server -accept 0 -www -naccept 1 >/tmp/srv.out 2>&1 </dev/null &
  for i in $(seq 100); do grep -q "^ACCEPT" /tmp/srv.out && break; sleep 0.1; done
  port=$(sed -n "s/^ACCEPT .*:\([0-9]*\)$/\1/p" /tmp/srv.out)
  [ -n "$port" ] || { cat /tmp/srv.out; exit 1; }
  curl -sk "https://localhost:$port/" >/tmp/page.html
  grep -q "<pre>\|<PRE>\|Cipher" /tmp/page.html || { echo "unexpected page:"; head /tmp/page.html; exit 1; }
  wait'
log "unit tests and the packaging test"
inroot 'ctest --test-dir build -L unit --output-on-failure >/tmp/ctest.log 2>&1 || { cat /tmp/ctest.log; exit 1; }
  tail -3 /tmp/ctest.log
  ctest --test-dir build -R "^docs$" --output-on-failure >/tmp/ctest.log 2>&1 || { cat /tmp/ctest.log; exit 1; }
  tail -3 /tmp/ctest.log'
if [ "$full" -eq 1 ]; then
    cmd=$(awk '/Run every test/ { f = 1 } f && fence { print; exit } f && /^```/ { fence = 1 }' "$src/README.md")
    log "README tests command: $cmd"
    inroot "$cmd"
fi
log "passed in $(($(date +%s) - start)) s"
