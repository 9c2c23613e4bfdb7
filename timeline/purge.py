"""Telling the shared caches in front (Varnish, deploy/varnish.vcl) which
pages a committed change made stale.

Each host in CACHE_PURGE_URLS gets a `PURGE` request whose `xkey-purge`
header lists the cache keys (timeline.invalidation) of the pages to drop.
The requests are sent from a thread of the app server's own, after the
commit, so an editor's save never waits for a cache, and never fails
because one is slow or down: each host is tried a few times, with short
timeouts and growing pauses, and what still fails is logged (logger
"timeline.purge"). Keys waiting to be sent are merged, so a burst of saves
costs one request per host.
"""

import logging
import os
import queue
import threading
import time
import urllib.request

from django.conf import settings

logger = logging.getLogger(__name__)

ATTEMPTS = 4
TIMEOUT_SECONDS = 2.0
FIRST_PAUSE_SECONDS = 0.2  # then twice as long after each failure
HEADER = "xkey-purge"

_queue = queue.Queue()
_worker = {"pid": None}
_start_lock = threading.Lock()


def purge(keys):
    """Have every configured shared cache drop the pages carrying `keys`."""
    if not (settings.CACHE_PURGE_URLS and keys):
        return
    _ensure_worker()
    _queue.put((tuple(settings.CACHE_PURGE_URLS), frozenset(keys)))


def wait_until_sent():
    """Block until every purge asked for so far has been sent or given up
    on (for tests and for commands that exit right after a change)."""
    if _worker["pid"] == os.getpid():
        _queue.join()


def _ensure_worker():
    # Started in the process that sends: gunicorn forks its workers after
    # loading the app, and a thread does not survive a fork.
    with _start_lock:
        if _worker["pid"] != os.getpid():
            _worker["pid"] = os.getpid()
            threading.Thread(target=_run, name="cache-purge", daemon=True).start()


def _run():
    while True:
        batches = [_queue.get()]
        while True:  # merge what else is waiting
            try:
                batches.append(_queue.get_nowait())
            except queue.Empty:
                break
        by_host = {}
        for hosts, keys in batches:
            for host in hosts:
                by_host.setdefault(host, set()).update(keys)
        try:
            for host, keys in by_host.items():
                send(host, keys)
        finally:
            for _batch in batches:
                _queue.task_done()


def send(host, keys):
    """One purge of `keys` at `host`, tried ATTEMPTS times; True if it was
    accepted."""
    pause = FIRST_PAUSE_SECONDS
    problem = None
    for attempt in range(1, ATTEMPTS + 1):
        request = urllib.request.Request(
            host, method="PURGE", headers={HEADER: " ".join(sorted(keys))}
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                response.read()
            return True
        except OSError as error:  # refused, timed out, or an error status
            problem = error
        if attempt < ATTEMPTS:
            time.sleep(pause)
            pause *= 2
    logger.error(
        "Could not purge %s at %s after %d attempts (%s): readers may see the old "
        "pages until they expire",
        " ".join(sorted(keys)),
        host,
        ATTEMPTS,
        problem,
    )
    return False
