"""gunicorn settings for production, read by `gunicorn` started in this folder
(`make serve` runs it locally). Each can be changed from the environment."""

import multiprocessing
import os

wsgi_app = "config.wsgi:application"

# Behind the TLS-terminating proxy, on this machine by default.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))

# Load the app once before forking: a production misconfiguration then stops
# the server with its one-paragraph message instead of failing every worker.
preload_app = True

# A request that takes longer than this is stuck; its worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# Replace workers now and then, so a slow leak cannot grow for weeks.
max_requests = 2000
max_requests_jitter = 200

# Access log on stdout without query strings or client addresses: a search
# (?q=...) says what a reader looks for, and an address says who. The proxy
# in front decides what it keeps of those.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


def when_ready(server):
    """Pages and answers cached by an earlier release must not be served by
    this one: their shape may have changed."""
    from timeline.cache import renew_everything

    try:
        renew_everything()
    except Exception as error:  # a cache that is down must not stop the server
        server.log.warning("Could not renew the page cache: %s", error)
