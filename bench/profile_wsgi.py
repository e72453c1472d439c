"""The application of tremplin/wsgi.py under cProfile, for a gunicorn worker (not a test).

    PROFILE_OUT=var/bench/home.prof GUNICORN_THREADS=1 WEB_CONCURRENCY=1 \\
        .venv/bin/gunicorn -c site/gunicorn.conf.py --pythonpath bench profile_wsgi

Profiles each request from the moment gunicorn hands it over to the end of the body
(Django's middleware, view, template, the database driver), in CPU time of the
worker's thread (waiting on PostgreSQL or Redis is not counted): what a worker's CPU
spends per request, minus gunicorn's own parsing and writing. One thread per worker: cProfile
sees only the thread that enables it. The statistics of the requests served so far
are written to `PROFILE_OUT.<pid>` every `PROFILE_EVERY` (200) requests; read them
with `python -m pstats` or `pstats.Stats(path).sort_stats("cumulative")`.
"""

import cProfile
import os
import threading
import time

from tremplin.wsgi import application as django_application

# CPU time of the worker's thread: waiting on PostgreSQL or Redis is not counted.
_profiler = cProfile.Profile(time.thread_time)
_lock = threading.Lock()
_served = 0
_every = int(os.environ.get("PROFILE_EVERY", "200"))
_out = os.environ.get("PROFILE_OUT", "var/bench/profile.prof")


def application(environ, start_response):
    global _served
    with _lock:
        _profiler.enable()
        try:
            body = django_application(environ, start_response)
            chunks = list(body)
            if hasattr(body, "close"):
                body.close()
        finally:
            _profiler.disable()
        _served += 1
        if _served % _every == 0:
            _profiler.dump_stats(f"{_out}.{os.getpid()}")
    return chunks
