"""Gunicorn settings for Tremplin: `gunicorn -c site/gunicorn.conf.py tremplin.wsgi`.

Every value can be changed from the environment, so one file serves every machine.
Gunicorn behind nginx on the same machine: nginx faces the clients (TLS, slow
connections, static files), gunicorn only ever talks to nginx.
"""

import os


def _int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _cpu_count():
    # Cores this process may run on (honours cpusets and taskset), not the host's total.
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


# --- Socket -------------------------------------------------------------------------
# Loopback by default: only nginx may reach gunicorn. GUNICORN_BIND may also be
# "unix:/run/tremplin-web/gunicorn.sock". On a PaaS that sets PORT, listen on it.
if os.environ.get("GUNICORN_BIND"):
    bind = [os.environ["GUNICORN_BIND"]]
elif os.environ.get("PORT"):
    bind = [f"0.0.0.0:{os.environ['PORT']}"]  # the platform's router is then the proxy
else:
    bind = ["127.0.0.1:8000"]

# --- Processes ----------------------------------------------------------------------
# WEB_CONCURRENCY is the usual name (gunicorn itself and PaaS use it). Default
# 2 x cores + 1, capped: each process holds a full Django + Wagtail (~200 MB) and, with
# threads, several database connections.
workers = _int("WEB_CONCURRENCY", min(2 * _cpu_count() + 1, 8))

# Threaded workers: a request that waits on PostgreSQL, Redis or a long upload body
# does not block its whole process, and the master keeps receiving heartbeats during
# long requests (a sync worker would be killed after `timeout`).
# Capacity = workers x threads concurrent requests, and as many database connections.
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)

# A worker whose main loop is silent this long is killed and replaced. With gthread it
# is not a per-request limit: nginx's proxy_read_timeout bounds requests.
timeout = _int("GUNICORN_TIMEOUT", 60)
# On SIGTERM/HUP, running requests get this long to finish (systemd waits a bit more).
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# nginx talks to us over fresh connections; keep idle ones briefly.
keepalive = 5

# Recycle each worker after about this many requests, staggered by the jitter, so a
# slow memory leak never builds up and workers do not all restart together.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# The heartbeat file is touched constantly: keep it in RAM, not on a disk that may stall.
_SHM = "/dev/shm"  # noqa: S108 - RAM-backed; only gunicorn's private heartbeat files go there
if os.path.isdir(_SHM) and os.access(_SHM, os.W_OK):
    worker_tmp_dir = _SHM

# Under systemd (RuntimeDirectory=) put gunicornc's control socket there rather than
# in the service user's home directory.
if os.environ.get("RUNTIME_DIRECTORY"):
    control_socket = os.path.join(os.environ["RUNTIME_DIRECTORY"].split(":")[0], "gunicorn.ctl")

# --- The reverse proxy --------------------------------------------------------------
# Addresses whose X-Forwarded-Proto gunicorn believes (for wsgi.url_scheme). Django
# reads the same header itself (SECURE_PROXY_SSL_HEADER): what protects both is that
# only nginx can reach the bind address, and nginx always overwrites the header.
# Set to nginx's address if it runs on another machine; "*" only if nothing else can
# reach gunicorn.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Only the header nginx sets, as in Django's SECURE_PROXY_SSL_HEADER.
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}

# --- Logs: to stdout/stderr, collected by journald (or the platform) ----------------
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# %(h)s is nginx (127.0.0.1): log the client as nginx saw it, and the duration in ms.
access_log_format = '%({x-forwarded-for}i)s "%(r)s" %(s)s %(B)s %(M)sms "%(f)s" "%(a)s"'

proc_name = "tremplin-web"
