"""gunicorn settings for Saylau: ``gunicorn -c gunicorn.conf.py dashboard.wsgi:server``.

Environment:
    SAYLAU_BIND      address to listen on (default ``0.0.0.0:8050``; ``$PORT`` is honoured too)
    SAYLAU_WORKERS   worker processes (default 2 × cores + 1)
    SAYLAU_THREADS   threads per worker (default 4)
    SAYLAU_MISS_GATE the folder of the machine's cache-miss slots, the same for every instance
                     (dashboard/web/missgate.py; default: one per instance)
    SAYLAU_MISS_SLOTS how many misses are drawn at once (default half the cores, at least 1)
    SAYLAU_TIMEOUT   seconds before a silent worker is restarted (default 60)
    SAYLAU_ACCESS_LOG  ``-`` for stdout, a path, or empty for none (default none)
    SAYLAU_REDIS_URL the shared figure cache (strongly recommended with more than one worker)
"""

import multiprocessing
import os

bind = os.environ.get("SAYLAU_BIND") or f"0.0.0.0:{os.environ.get('PORT', '8050')}"
workers = int(os.environ.get("SAYLAU_WORKERS") or 2 * multiprocessing.cpu_count() + 1)
# Threads, not sync workers: a request that waits (for Redis, for another worker drawing the same view) holds
# one thread, not the whole process, so cache hits are still answered beside it; and keep-alive
# connections from nginx are reused. Misses wait for a turn only briefly (dashboard/web/missgate.py). Four,
# not more: bench/bench_live.py (a rehearsal night under 8 load clients, 2 cores) gave file -> open page p95
# 4.70 s with 4 threads, 5.4-6.3 s with 8 (the load clients got more of the CPU), 4.48 s with 1 and no
# drawing process, but half the requests served.
threads = int(os.environ.get("SAYLAU_THREADS") or 4)
worker_class = "gthread"
# Build the app (and read the current election) once in the master; workers share it copy-on-write.
preload_app = True
wsgi_app = "dashboard.wsgi:server"
timeout = int(os.environ.get("SAYLAU_TIMEOUT") or 60)
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so slow leaks cannot grow without bound. Not every 5,000 requests: cache
# hits cost ~1 ms, so at election-night rates all workers reached 5,000 within the same second every ~20 s
# and restarted together, and nobody answered for 1-2 s (bench/bench_cache.py: p99 1.7 s, timeouts). A wide
# jitter spreads the restarts so that they never coincide.
max_requests = 200_000
max_requests_jitter = 100_000
accesslog = os.environ.get("SAYLAU_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("SAYLAU_LOG_LEVEL", "info")
proc_name = "saylau"


def post_worker_init(worker):
    """Fork the worker's drawing process for cache misses (``dashboard/web/renderpool.py``) while the
    worker still has one thread; then watch for published versions, to draw their default views before a
    visitor asks (``FastCache.watch_publishes``)."""
    from dashboard.web import renderpool
    from dashboard.web.fastcache import EXTENSION
    from dashboard.wsgi import server

    renderpool.start(server)
    server.extensions[EXTENSION].watch_publishes()
