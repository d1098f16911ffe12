#!/usr/bin/env bash
# Builds assets/plotly-saylau.min.js: plotly.js with only the trace types Saylau draws.
#
# Why: the full plotly.min.js that dcc.Graph loads is 4.8 MB (1.5 MB gzipped) and most of it is trace
# types (3-D, WebGL, maps with tiles, …) the dashboard never draws. dcc.Graph uses ``window.Plotly`` when
# it is already defined and only fetches Dash's own plotly.min.js otherwise, and every .js file in
# ``assets/`` is loaded before the renderer starts — so this bundle replaces it with no other change.
#
# The built file is committed, so a fresh clone needs no npm. Rebuild it (node ≥ 18 and npm, network
# access to the npm registry) whenever the trace types in dashboard/figures change or plotly.py is
# upgraded: the plotly.js version is the one plotly.py (and so Dash) ships.
#
#   scripts/build_plotly_bundle.sh            # writes assets/plotly-saylau.min.js
set -euo pipefail
cd "$(dirname "$0")/.."

# The trace types the figures use (grep dashboard/figures for go.<Trace>); scatter is always in core.
TRACES=(bar choropleth scattergeo)
ESBUILD_VERSION=0.28.2
PLOTLYJS_VERSION=$(python -c "from plotly.offline import get_plotlyjs_version as v; print(v())")
OUT=assets/plotly-saylau.min.js

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(
  cd "$work"
  npm init -y >/dev/null
  npm install --no-audit --no-fund --ignore-scripts --silent \
    "plotly.js@${PLOTLYJS_VERSION}" "esbuild@${ESBUILD_VERSION}"
  {
    echo "// plotly.js ${PLOTLYJS_VERSION}: core + ${TRACES[*]} (scripts/build_plotly_bundle.sh)"
    echo "var Plotly = require('plotly.js/lib/core');"
    echo "Plotly.register(["
    for t in "${TRACES[@]}"; do echo "  require('plotly.js/lib/${t}'),"; done
    echo "]);"
    echo "window.Plotly = Plotly;"
  } > entry.js
  npx esbuild entry.js --bundle --minify --format=iife --target=es2018 --legal-comments=none \
    --define:process.env.NODE_ENV='"production"' --define:global=globalThis --banner:js="/*! plotly.js ${PLOTLYJS_VERSION} (MIT, (c) Plotly, Inc.) partial bundle: core ${TRACES[*]} */" \
    --log-level=warning --outfile=bundle.js
)
cp "$work/bundle.js" "$OUT"
echo "wrote $OUT ($(wc -c < "$OUT") bytes, gzip $(gzip -9c "$OUT" | wc -c) bytes; plotly.js ${PLOTLYJS_VERSION}: core ${TRACES[*]})"
