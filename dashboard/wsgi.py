"""The WSGI entry point for production: ``gunicorn -c gunicorn.conf.py dashboard.wsgi:server``.

Settings come from the environment (``Config.from_env``: ``SAYLAU_DATA_DIR``, ``SAYLAU_REDIS_URL``,
``SAYLAU_DEMO``). With several workers, set ``SAYLAU_REDIS_URL`` so they share one figure cache.
"""

from dashboard.app import create_app
from dashboard.components import data as data_module
from dashboard.config import Config

app = create_app(Config.from_env())
server = app.server

# Read the current election once here: with ``preload_app`` this runs in gunicorn's master, and every
# worker inherits the loaded version instead of each paying for it on its first request.
with server.app_context():
    data_module.election()
