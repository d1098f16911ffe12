"""The ceiling for a Python answer in ``bench_cache.py``: bare Flask endpoints, served by the same gunicorn
settings (``gunicorn.conf.py``) as the dashboard.

``POST /json`` answers a small JSON object; ``POST /payload`` answers the bytes of the file named by
``BENCH_PAYLOAD`` (the cached home-page answer, ~89 KB), so the cost of the payload's size can be told
apart from the cost of the cache lookup.
"""

import os
from pathlib import Path

from flask import Flask, Response, jsonify

app = Flask(__name__)
PAYLOAD = Path(os.environ["BENCH_PAYLOAD"]).read_bytes() if os.environ.get("BENCH_PAYLOAD") else b"{}"


@app.post("/json")
def small_json():
    return jsonify(ok=True, version=0)


@app.post("/payload")
def same_bytes():
    return Response(PAYLOAD, content_type="application/json")
