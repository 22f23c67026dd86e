#!/bin/sh
# Generated reference material (issue #10): man pages render without
# warnings and name the backends per option; bash completion completes
# options from the table; docs/options.md is not stale; the .deb installs
# into a temporary root and serves a handshake.
# usage: docs_test.sh SOURCE_DIR BUILD_DIR SCRATCH_DIR BACKENDS...
set -eu
src=$1 build=$2 scratch=$3/docs
shift 3
rm -rf "$scratch" && mkdir -p "$scratch"
gen=$build/generated
fail() { echo "docs test: $*" >&2; exit 1; }

# 1. Man pages: no groff warnings, and they say what they must.
for page in polytls.1 polytls-s_server.1; do
  w=$(groff -man -ww -z "$gen/$page" 2>&1) || fail "groff failed on $page"
  [ -z "$w" ] || fail "groff warnings in $page: $w"
done
cmake --install "$build" --prefix "$scratch/prefix" >/dev/null
text=$(MANWIDTH=200 man -M "$scratch/prefix/share/man" polytls-s_server 2>&1) || fail "man polytls-s_server failed: $text"
echo "$text" | grep -q -- "-backend" || fail "-backend missing from the man page"
echo "$text" | grep -A3 -- "^ *-early_data" | grep -q "Works on:" || fail "-early_data lacks its backends"
for b in "$@"; do
  echo "$text" | grep -q "$b" || fail "backend $b not named in the man page"
done

# 2. Bash completion from the installed file.
comp=$scratch/prefix/share/bash-completion/completions/polytls
[ -f "$comp" ] || fail "completion not installed"
got=$(bash -c ". '$comp'; COMP_WORDS=(polytls s_server -ve); COMP_CWORD=2; _polytls; printf '%s\n' \"\${COMPREPLY[@]}\"")
for want in -verify -verify_depth -verify_return_error -verify_quiet -verifyCAfile; do
  echo "$got" | grep -qx -- "$want" || fail "completion of -ve lacks $want: $got"
done
echo "$got" | grep -qx -- "-cert" && fail "completion of -ve offers -cert"
got=$(bash -c ". '$comp'; COMP_WORDS=(polytls s_server -backend ''); COMP_CWORD=3; _polytls; printf '%s\n' \"\${COMPREPLY[@]}\"")
for b in "$@"; do echo "$got" | grep -qx "$b" || fail "completion of -backend lacks $b"; done
touch "$scratch/zz-file.pem"
got=$(cd "$scratch" && bash -c ". '$comp'; COMP_WORDS=(polytls s_server -cert zz-); COMP_CWORD=3; _polytls; printf '%s\n' \"\${COMPREPLY[@]}\"")
[ "$got" = "zz-file.pem" ] || fail "completion of -cert does not complete files: $got"

# 3. docs/options.md is what the option and capability tables say now,
#    checked when this build has exactly the backends and flavours the file
#    documents (the "all" preset, as in CI).
documented=$(sed -n '/^| backend | library |/,/^$/s/^| \([a-z][a-z0-9@.]*\) | .*/\1/p' "$src/docs/options.md" | grep -vx backend | tr '\n' ' ')
if [ "$documented" = "$* " ]; then
  "$build/bin/polytls" docs options-md > "$scratch/options.md"
  diff -u "$src/docs/options.md" "$scratch/options.md" >&2 ||
    fail "docs/options.md is stale: regenerate with build-all/bin/polytls docs options-md > docs/options.md"
  # README's flavour table, between its markers.
  "$build/bin/polytls" docs flavours-md > "$scratch/flavours.md"
  sed -n '/<!-- flavours-md begin -->/,/<!-- flavours-md end -->/p' "$src/README.md" | sed '1d;$d' > "$scratch/flavours-readme.md"
  diff -u "$scratch/flavours-readme.md" "$scratch/flavours.md" >&2 ||
    fail "README.md's flavour table is stale: put the output of build-all/bin/polytls docs flavours-md between its markers"
else
  echo "docs test: docs/options.md documents [$documented], this build has [$*]: not compared"
fi

# 4. The .deb: dependencies are the backends' runtime libraries; it
#    installs into a temporary root and serves a handshake from there.
(cd "$build" && cpack -G DEB -B "$scratch/deb" >/dev/null) || fail "cpack failed"
deb=$(ls "$scratch"/deb/polytls_*.deb | head -1)
deps=$(dpkg-deb -f "$deb" Depends)
for b in "$@"; do
  case $b in
    openssl) echo "$deps" | grep -q libssl3 || fail "Depends lacks libssl3: $deps" ;;
    mbedtls) echo "$deps" | grep -q libmbedtls || fail "Depends lacks libmbedtls: $deps" ;;
    wolfssl) echo "$deps" | grep -q libwolfssl || fail "Depends lacks libwolfssl: $deps" ;;
  esac
done
dpkg-deb -x "$deb" "$scratch/root"
bin=$scratch/root/usr/bin/polytls
"$bin" backends >/dev/null || fail "installed polytls backends failed"
for b in "$@"; do
  "$bin" s_server -backend "$b" -accept 127.0.0.1:0 -www -naccept 1 </dev/null >"$scratch/srv-$b.out" 2>&1 &
  pid=$!
  i=0
  while ! grep -q '^ACCEPT ' "$scratch/srv-$b.out"; do
    i=$((i + 1)); [ $i -lt 100 ] || { kill $pid; fail "installed server ($b) did not start"; }; sleep 0.1
  done
  port=$(sed -n 's/^ACCEPT .*://p' "$scratch/srv-$b.out" | head -1)
  curl -sSk "https://127.0.0.1:$port/" | grep -q "backend $b" || { kill $pid; fail "no handshake from the .deb ($b)"; }
  wait $pid || fail "installed server ($b) exited non-zero"
done
echo "docs test: ok (man, completion, options.md, .deb with: $deps)"
