#!/usr/bin/env bash
# Renders deploy/nginx.conf.template to stdout: the nginx.conf of the production setup and of
# deploy/local.sh alike.
#
#   deploy/render_nginx.sh LISTEN RUN_DIR DATA_DIR APP_ADDR [APP_ADDR …] > nginx.conf
#
# LISTEN is nginx's `listen` (e.g. 80 or 127.0.0.1:8080); DATA_DIR is the app's data dir (nginx reads only
# DATA_DIR/elections/<id>/public/status.json, the live status each publish of an election writes: nginx's
# workers need read access to them and search access to the folders on the way); RUN_DIR holds the pid, error log, temp files
# and the micro-cache (it must exist and be writable by nginx's workers); each APP_ADDR is one gunicorn
# instance (host:port). The static paths (assets/, Dash's package, the region GeoJSON) are found with the
# Python interpreter that runs the app. Optional: SAYLAU_NGINX_ACCESS_LOG (default "off"),
# SAYLAU_NGINX_WORKERS (default "auto"), SAYLAU_NGINX_EXTRA (a file of extra `location` blocks for the
# server; deploy/local.sh uses it for the benchmark's static probe) and SAYLAU_NGINX_USER (the workers'
# user when nginx starts as root, e.g. www-data; without it nginx uses its built-in default, "nobody").
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
[ $# -ge 4 ] || { echo "usage: $0 LISTEN RUN_DIR DATA_DIR APP_ADDR [APP_ADDR …]" >&2; exit 2; }
listen=$1; run_dir=$(cd "$2" && pwd); data_dir=$(cd "$3" && pwd); shift 3

python=${PYTHON:-python}
dash_dir=$("$python" -c 'import dash, os; print(os.path.dirname(dash.__file__))')
geodata_dir=$(cd "$root" && "$python" -c 'from dashboard.app import geojson_path; print(geojson_path().parent)')

upstreams=""
for addr in "$@"; do
  upstreams+="        server ${addr} max_fails=1 fail_timeout=2s;\n"
done
user_line=""
[ -n "${SAYLAU_NGINX_USER:-}" ] && user_line="user ${SAYLAU_NGINX_USER};"

extra=""
[ -n "${SAYLAU_NGINX_EXTRA:-}" ] && extra="        include ${SAYLAU_NGINX_EXTRA};"

sed -e "s|@USER_LINE@|${user_line}|" \
    -e "s|@EXTRA_INCLUDE@|${extra}|" \
    -e "s|@WORKER_PROCESSES@|${SAYLAU_NGINX_WORKERS:-auto}|" \
    -e "s|@RUN_DIR@|${run_dir}|g" \
    -e "s|@DATA_DIR@|${data_dir}|g" \
    -e "s|@ACCESS_LOG@|${SAYLAU_NGINX_ACCESS_LOG:-off}|" \
    -e "s|@MIME_TYPES@|${SAYLAU_NGINX_MIME_TYPES:-/etc/nginx/mime.types}|" \
    -e "s|@LISTEN@|${listen}|" \
    -e "s|@ASSETS_DIR@|${root}/assets|g" \
    -e "s|@DASH_DIR@|${dash_dir}|g" \
    -e "s|@GEODATA_DIR@|${geodata_dir}|g" \
    -e "s|@PROXY_CONF@|${here}/proxy.conf|g" \
    -e "s|@MICROCACHE_CONF@|${here}/microcache.conf|g" \
    -e "s|@POSTCACHE_CONF@|${here}/postcache.conf|g" \
    -e "s|@PROXY_INNER_CONF@|${here}/proxy-inner.conf|g" \
    -e "s|@UPSTREAM_SERVERS@|${upstreams%\\n}|" \
    "$here/nginx.conf.template"
