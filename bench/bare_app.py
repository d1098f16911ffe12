"""The ceiling for a Python answer in ``bench_cache.py``: a bare Flask JSON endpoint, served by the same
gunicorn settings (``gunicorn.conf.py``) as the dashboard."""

from flask import Flask, jsonify

app = Flask(__name__)


@app.post("/json")
def small_json():
    return jsonify(ok=True, version=0)
