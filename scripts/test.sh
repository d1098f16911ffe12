#!/usr/bin/env bash
# The one test command (README "Quick start"; .ci/run runs exactly this):
# installs what the tests need — Debian's chromium, chromium-driver, redis-server, nginx and wrk, and the pinned
# Python packages — then runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v nginx >/dev/null 2>&1 || need+=(nginx)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
python -m ruff check .
python -m mypy  # the pure core: dashboard/model.py, ingest, store, rehearsal, electoral ([tool.mypy] in pyproject.toml)
python -m pytest -n 2 "$@"
