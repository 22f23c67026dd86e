#!/bin/sh
# polytls benchmark: one command, one run, every backend + openssl s_server + nginx.
#   bench/run.sh [--quick] [--build] [--polytls PATH] [--out FILE] [--only NAMES] [--report JSON]
# Needs the packages in bench/REQUIREMENTS and a built tree (build/bin/polytls).
set -e
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec /usr/bin/python3 "$(dirname "$0")/run.py" "$@"
