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
import urllib.request

from django.conf import settings

from .outbox import Outbox, send_with_retries

logger = logging.getLogger(__name__)

ATTEMPTS = 4
TIMEOUT_SECONDS = 2.0
FIRST_PAUSE_SECONDS = 0.2  # then twice as long after each failure
HEADER = "xkey-purge"


def purge(keys):
    """Have every configured shared cache drop the pages carrying `keys`."""
    if not (settings.CACHE_PURGE_URLS and keys):
        return
    _outbox.put((tuple(settings.CACHE_PURGE_URLS), frozenset(keys)))


def wait_until_sent():
    """Block until every purge asked for so far has been sent or given up
    on (for tests and for commands that exit right after a change)."""
    _outbox.wait_until_sent()


def _deliver(batches):
    by_host = {}
    for hosts, keys in batches:
        for host in hosts:
            by_host.setdefault(host, set()).update(keys)
    for host, keys in by_host.items():
        send(host, keys)


_outbox = Outbox("cache-purge", _deliver)


def send(host, keys):
    """One purge of `keys` at `host`, tried ATTEMPTS times; True if it was
    accepted."""
    problem = send_with_retries(
        lambda: urllib.request.Request(
            host, method="PURGE", headers={HEADER: " ".join(sorted(keys))}
        ),
        attempts=ATTEMPTS,
        timeout=TIMEOUT_SECONDS,
        first_pause=FIRST_PAUSE_SECONDS,
    )
    if problem is None:
        return True
    logger.error(
        "Could not purge %s at %s after %d attempts (%s): readers may see the old "
        "pages until they expire",
        " ".join(sorted(keys)),
        host,
        ATTEMPTS,
        problem,
    )
    return False
