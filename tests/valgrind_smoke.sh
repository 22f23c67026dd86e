#!/usr/bin/env bash
# Valgrind memcheck smoke run for one backend (issue #8).
#
#   tests/valgrind_smoke.sh BUILD_DIR BACKEND
#
# Runs `polytls s_server` under valgrind memcheck once per mode (echo,
# -www, -WWW with a file, -rev), each with -verify 1 (client
# certificates requested and checked) and -naccept 25, and drives its 25
# connections with real peers: openssl s_client saving a session and
# resuming it (-sess_out/-sess_in, TLS 1.2 session cache and tickets, and
# TLS 1.3 where the backend has it), s_client with and without a client
# certificate, and curl (with a client certificate, too) in the HTTP modes.
# A fifth run staples an OCSP response (-status_file, TLS 1.2) where the
# backend has OCSP stapling.
# Every client must succeed; each server must exit 0 once its connections
# are served, with "ERROR SUMMARY: 0 errors" (no invalid access, no
# definite or indirect leak).
#
# Environment: POLYTLS_TEST_PKI (default BUILD_DIR/tests/pki, made by
# tests/pki/make_pki.sh if missing), VALGRIND (default: valgrind on PATH),
# POLYTLS_VG_CONNS (connections per mode, default 25).
# Logs are kept in BUILD_DIR/tests/tmp/valgrind-BACKEND/.
set -u
if [ $# -ne 2 ]; then
    echo "usage: $0 BUILD_DIR BACKEND" >&2
    exit 2
fi
build=$(cd "$1" && pwd) || exit 2
backend=$2
src=$(cd "$(dirname "$0")" && pwd)
bin=$build/bin/polytls
pki=${POLYTLS_TEST_PKI:-$build/tests/pki}
vg=${VALGRIND:-$(command -v valgrind || true)}
per_mode=${POLYTLS_VG_CONNS:-25}

fail() {
    echo "valgrind-$backend: FAILED: $*" >&2
    exit 1
}
[ -n "$vg" ] && [ -x "$vg" ] || fail "valgrind not found (apt-get install valgrind)"
[ -x "$bin" ] || fail "no polytls executable at $bin"
command -v openssl >/dev/null || fail "openssl (the tool) not found"
command -v curl >/dev/null || fail "curl not found"
if [ ! -f "$pki/.complete" ]; then
    "$src/pki/make_pki.sh" "$pki" || fail "cannot make the test PKI in $pki"
fi
if nm -D "$bin" 2>/dev/null | grep -q __asan_init || ldd "$bin" 2>/dev/null | grep -q libasan; then
    fail "$bin is built with AddressSanitizer; valgrind needs a build without POLYTLS_SANITIZE"
fi

out=$build/tests/tmp/valgrind-$backend
rm -rf "$out"
mkdir -p "$out/www" || fail "cannot create $out"
# A file for -WWW: binary-safe content checked byte for byte.
head -c 20000 /dev/urandom >"$out/www/blob.bin"
printf '<html>polytls valgrind smoke</html>\n' >"$out/www/index.html"

supp=()
[ -f "$src/valgrind.supp" ] && supp=(--suppressions="$src/valgrind.supp")

# Ask the real validation: a TLS 1.3-only server refuses to start with a
# capability error (exit 3) on a backend without TLS 1.3.
timeout 20 "$bin" s_server -backend "$backend" -tls1_3 -accept 127.0.0.1:0 -naccept 1 </dev/null \
    >/dev/null 2>&1 &
probe=$!
sleep 1
if kill -0 $probe 2>/dev/null; then
    has_tls13=1
    kill $probe 2>/dev/null
else
    has_tls13=0
fi
wait $probe 2>/dev/null

total=0
reused=0
extra=0 # connections a run makes besides drive_mode's
server_pid=
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
}
trap cleanup EXIT

# start_server MODE_NAME ARGS...: polytls under valgrind in $out/www; sets port.
start_server() {
    local name=$1
    shift
    log=$out/$name.valgrind.log
    sout=$out/$name.stdout
    serr=$out/$name.stderr
    (cd "$out/www" && exec "$vg" --tool=memcheck --leak-check=full --errors-for-leak-kinds=definite,indirect \
        --show-leak-kinds=definite,indirect --error-exitcode=99 --track-fds=no --num-callers=40 \
        "${supp[@]}" --log-file="$log" \
        "$bin" s_server -backend "$backend" -accept 127.0.0.1:0 -naccept "$((per_mode + extra))" \
        -cert "$pki/server-rsa.pem" -key "$pki/server-rsa.key" -verify 1 -CAfile "$pki/ca.pem" \
        -handshake_timeout 120 "$@" </dev/null >"$sout" 2>"$serr") &
    server_pid=$!
    port=
    for _ in $(seq 1 600); do
        port=$(sed -n 's/^ACCEPT .*:\([0-9][0-9]*\)$/\1/p' "$sout" 2>/dev/null | head -1)
        [ -n "$port" ] && break
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    [ -n "$port" ] || fail "$name: server did not start: $(cat "$serr")"
}

# finish_server NAME: waits for the server's exit after its last connection.
finish_server() {
    local name=$1 rc=
    for _ in $(seq 1 1200); do
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid"
        wait "$server_pid"
        server_pid=
        fail "$name: server still running after its $per_mode connections (stderr: $(tail -5 "$serr"))"
    fi
    wait "$server_pid"
    rc=$?
    server_pid=
    local summary
    summary=$(grep -m1 'ERROR SUMMARY:' "$log" | sed 's/^==[0-9]*== //')
    local leaks
    leaks=$(grep -E 'definitely lost:|indirectly lost:' "$log" | sed 's/^==[0-9]*== *//' | tr '\n' ' ')
    echo "valgrind-$backend $name: server exit $rc; $summary; $leaks"
    if [ $rc -ne 0 ] || ! grep -q 'ERROR SUMMARY: 0 errors' "$log"; then
        sed 's/^/    /' "$log" | tail -150 >&2
        fail "$name: exit $rc, $summary (full log: $log)"
    fi
}

# client N CMD...: runs one peer, bounded; must exit 0 and print EXPECT.
client() {
    local what=$1 expect=$2
    shift 2
    local o
    o=$(timeout 120 "$@" 2>&1)
    local rc=$?
    total=$((total + 1))
    if [ $rc -ne 0 ] || { [ -n "$expect" ] && ! grep -qF -- "$expect" <<<"$o"; }; then
        echo "$o" | tail -20 >&2
        fail "connection $total ($what) exit $rc, expected \"$expect\"; server stderr: $(tail -5 "$serr")"
    fi
    if grep -q '^Reused' <<<"$o"; then reused=$((reused + 1)); fi
}

S_CLIENT=(openssl s_client -connect "127.0.0.1:PORT" -servername localhost -CAfile "$pki/ca.pem" -verify_return_error)
CLIENT_CERT=(-cert "$pki/client.pem" -key "$pki/client.key")

# The connection mix for one mode. $1: the request a client sends; $2: the
# text the answer must contain (empty: none checked); $3: whether curl
# speaks the mode; $4: -ign_eof to wait for the server's close.
drive_mode() {
    local req=$1 expect=$2 curl_ok=$3 wait_close=$4
    local sess12=$out/sess12.$RANDOM sess13=$out/sess13.$RANDOM
    local n=0 versions=(-tls1_2)
    [ $has_tls13 = 1 ] && versions+=(-tls1_3)
    # First connections of each version save a session (with a client certificate).
    for v in "${versions[@]}"; do
        local f=$sess12
        [ "$v" = -tls1_3 ] && f=$sess13
        # The server sends TLS 1.3 tickets after the handshake: the client
        # waits for them (a second of stdin) before it closes.
        client "save session $v" "$expect" sh -c 'r=$1; shift; { printf "%b" "$r"; sleep 2; } | "$@"' sh "$req" \
            "${S_CLIENT[@]/PORT/$port}" "${CLIENT_CERT[@]}" "$v" -sess_out "$f" $wait_close
        n=$((n + 1))
    done
    local i=0
    while [ $n -lt "$per_mode" ]; do
        local v=${versions[$((i % ${#versions[@]}))]} f=$sess12
        [ "$v" = -tls1_3 ] && f=$sess13
        case $((i % 5)) in
        0 | 3) # resume (session id or ticket), with the client certificate
            client "resume $v" "$expect" sh -c 'r=$1; shift; { printf "%b" "$r"; sleep 0.3; } | "$@"' sh "$req" \
                "${S_CLIENT[@]/PORT/$port}" "${CLIENT_CERT[@]}" "$v" -sess_in "$f" $wait_close ;;
        1) # client certificate, full handshake
            client "client cert $v" "$expect" sh -c 'r=$1; shift; { printf "%b" "$r"; sleep 0.3; } | "$@"' sh "$req" \
                "${S_CLIENT[@]/PORT/$port}" "${CLIENT_CERT[@]}" "$v" $wait_close ;;
        2) # no client certificate (requested, not sent), no ticket
            client "no client cert $v" "$expect" sh -c 'r=$1; shift; { printf "%b" "$r"; sleep 0.3; } | "$@"' sh "$req" \
                "${S_CLIENT[@]/PORT/$port}" "$v" -no_ticket $wait_close ;;
        4) # curl where the mode speaks HTTP, else a resumption without a certificate
            if [ "$curl_ok" = www ]; then
                client "curl" "polytls" curl -sS --fail --max-time 100 --cacert "$pki/ca.pem" \
                    --cert "$pki/client.pem" --key "$pki/client.key" "https://localhost:$port/" \
                    --resolve "localhost:$port:127.0.0.1"
            elif [ "$curl_ok" = WWW ]; then
                local got=$out/got.$n
                client "curl file" "" curl -sS --fail --max-time 100 --cacert "$pki/ca.pem" \
                    --resolve "localhost:$port:127.0.0.1" -o "$got" "https://localhost:$port/blob.bin"
                cmp -s "$got" "$out/www/blob.bin" || fail "-WWW: blob.bin came back different"
            else
                client "resume, no cert $v" "$expect" sh -c 'r=$1; shift; { printf "%b" "$r"; sleep 0.3; } | "$@"' sh \
                    "$req" "${S_CLIENT[@]/PORT/$port}" "$v" -sess_in "$f" $wait_close
            fi ;;
        esac
        n=$((n + 1))
        i=$((i + 1))
    done
}

echo "valgrind-$backend: $per_mode connections per mode, TLS 1.3: $([ $has_tls13 = 1 ] && echo yes || echo no)"

start_server echo
drive_mode 'hello from the client\n' "" none ""
finish_server echo
grep -q 'hello from the client' "$sout" || fail "echo: client data not on the server's stdout"

start_server www -www
drive_mode 'GET / HTTP/1.0\r\n\r\n' "polytls" www -ign_eof
finish_server www

start_server WWW -WWW
drive_mode 'GET /index.html HTTP/1.0\r\n\r\n' "polytls valgrind smoke" WWW -ign_eof
finish_server WWW

start_server rev -rev
drive_mode 'hello world\nCLOSE\n' "dlrow olleh" none -ign_eof
finish_server rev

modes=4
# (`polytls backends` lists each backend's capabilities indented under it)
if "$bin" backends | awk -v b="$backend: " 'index($0, b) == 1 { on = 1; next } /^[^ ]/ { on = 0 } on' |
    grep -qE '^ +ocsp-staple +yes'; then
    # One client checks the staple; the rest of the mix (resumptions
    # included, which carry no staple) runs against the same server.
    extra=1 has_tls13=0
    start_server staple -www -tls1_2 -status_file "$pki/ocsp-good.der"
    client "stapled" "Cert Status: good" sh -c 'printf "GET / HTTP/1.0\r\n\r\n" | "$@"' sh \
        "${S_CLIENT[@]/PORT/$port}" -tls1_2 -status -ign_eof
    drive_mode 'GET / HTTP/1.0\r\n\r\n' "polytls" www -ign_eof
    finish_server staple
    modes=5
fi

echo "valgrind-$backend: ok: $total connections ($reused resumed), $modes runs, no valgrind errors"
exit 0
