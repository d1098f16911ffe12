#!/usr/bin/env bash
# The production stack on loopback, for tests and benchmarks: Redis (deploy/redis.conf), two gunicorn
# instances of the app (gunicorn.conf.py) and nginx in front (deploy/nginx.conf.template), all as the
# current user, with every pid, log, temp file and the nginx cache in one temporary directory.
#
#   deploy/local.sh PORT DATA_DIR
#
# Prints "Saylau stack: http://127.0.0.1:PORT/" once everything answers, then one "NAME=VALUE" line per
# part (run dir, ports, pids), and runs until SIGTERM/SIGINT or exit, when it stops everything it started
# and removes the run directory (SAYLAU_KEEP_RUN=1 keeps it). Each app instance runs in its own process
# group (pid = group id), so a test can kill one whole instance.
#
# Environment: SAYLAU_WORKERS (gunicorn workers per instance, default 2), SAYLAU_REDIS_MAXMEMORY
# (default 64mb), SAYLAU_NGINX_WORKERS (default 1), PYTHON (default python).
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 PORT DATA_DIR" >&2; exit 2; }
port=$1
data_dir=$(mkdir -p "$2" && cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
python=${PYTHON:-python}
export PYTHON=$python

run=$(mktemp -d "${TMPDIR:-/tmp}/saylau-stack.XXXXXX")
mkdir -p "$run/tmp" "$run/cache"
pids=()

stop() {
  trap - EXIT INT TERM
  [ -f "$run/nginx.pid" ] && kill -QUIT "$(cat "$run/nginx.pid")" 2>/dev/null || true
  for pid in "${pids[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  done
  for _ in $(seq 50); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive -eq 0 ] && break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  if [ "${SAYLAU_KEEP_RUN:-0}" = 1 ]; then echo "kept $run" >&2; else rm -rf "$run"; fi
}
trap stop EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

free_port() { "$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

wait_for() {  # wait_for URL|redis:PORT SECONDS
  local what=$1 deadline=$((SECONDS + $2))
  while [ $SECONDS -lt $deadline ]; do
    case $what in
      redis:*) redis-cli -p "${what#redis:}" ping >/dev/null 2>&1 && return 0 ;;
      *) "$python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$what" \
           2>/dev/null && return 0 ;;
    esac
    sleep 0.2
  done
  echo "local.sh: $what did not answer within $2 s; logs in $run" >&2
  SAYLAU_KEEP_RUN=1
  exit 1
}

redis_port=$(free_port)
setsid redis-server "$here/redis.conf" --port "$redis_port" --bind 127.0.0.1 --dir "$run" \
  --maxmemory "${SAYLAU_REDIS_MAXMEMORY:-64mb}" --logfile "$run/redis.log" --daemonize no &
redis_pid=$!
pids+=("$redis_pid")
wait_for "redis:$redis_port" 10

app_addrs=()
app_pids=()
for i in 1 2; do
  app_port=$(free_port)
  (
    cd "$root"
    export SAYLAU_BIND="127.0.0.1:$app_port" SAYLAU_DATA_DIR="$data_dir" SAYLAU_MISS_GATE="$run/misses" \
      SAYLAU_TRUST_PROXY=1 \
      SAYLAU_REDIS_URL="redis://127.0.0.1:$redis_port/0" SAYLAU_WORKERS="${SAYLAU_WORKERS:-2}"
    exec setsid "$python" -m gunicorn -c gunicorn.conf.py --pid "$run/app$i.pid" >"$run/app$i.log" 2>&1
  ) &
  app_pids+=($!)
  pids+=($!)
  app_addrs+=("127.0.0.1:$app_port")
done
for addr in "${app_addrs[@]}"; do wait_for "http://$addr/_dash-layout" 60; done

# Files put in $RUN_DIR/static/ are served at /_static-probe/ (bench/bench_nginx.py compares the app's
# cached answers with nginx serving a plain file of the same size).
mkdir -p "$run/static"
printf 'location /_static-probe/ {\n    alias %s/static/;\n}\n' "$run" >"$run/extra.conf"
user=()
[ "$(id -u)" -eq 0 ] && user=(SAYLAU_NGINX_USER=root)
env "${user[@]}" SAYLAU_NGINX_WORKERS="${SAYLAU_NGINX_WORKERS:-1}" SAYLAU_NGINX_EXTRA="$run/extra.conf" \
  "$here/render_nginx.sh" "127.0.0.1:$port" "$run" "$data_dir" "${app_addrs[@]}" >"$run/nginx.conf"
nginx -t -q -p "$run" -c "$run/nginx.conf" -e "$run/nginx-error.log"
nginx -p "$run" -c "$run/nginx.conf" -e "$run/nginx-error.log"
wait_for "http://127.0.0.1:$port/_dash-layout" 10

echo "Saylau stack: http://127.0.0.1:$port/"
echo "RUN_DIR=$run"
echo "NGINX_PID=$(cat "$run/nginx.pid")"
echo "REDIS_PORT=$redis_port"
echo "REDIS_PID=$redis_pid"
echo "APP1=${app_addrs[0]}"
echo "APP1_PID=${app_pids[0]}"
echo "APP2=${app_addrs[1]}"
echo "APP2_PID=${app_pids[1]}"
echo "READY"

# nginx daemonizes; watch it and the instances, and stay in the foreground until told to stop.
while kill -0 "$(cat "$run/nginx.pid" 2>/dev/null || echo 0)" 2>/dev/null; do
  sleep 1 &
  wait $! || true
done
echo "local.sh: nginx exited; logs in $run" >&2
