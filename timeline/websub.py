"""Telling a WebSub hub (DJANGO_WEBSUB_HUB_URL) that feeds changed, so that
it pushes them to their subscribers rather than waiting for them to poll.

The feeds advertise the hub (`<link rel="hub">`, in RSS an `atom:link`).
When an event the public sees or saw is saved (published, edited,
withdrawn) or one of its corrections is, the hub is told, after the commit,
of its conflict's Atom and RSS feeds and the site-wide ones: a POST of
`hub.mode=publish` and `hub.url=<the feed's address>` for each. Like the
purges of timeline.purge, the pings go out through timeline.outbox, from a
thread of the app server's own, so an editor's save never waits for the hub
nor fails because it is down: each ping is tried a few times with growing pauses, and what
still fails is logged (logger "timeline.websub"). Feeds waiting to be pinged
are merged, so a burst of saves costs one ping per feed.

A hub fetches the feed from the address it is given, so the addresses are
absolute, from DJANGO_PUBLIC_ORIGIN; without it no ping is sent, and each
change logs a warning.
"""

import logging
import urllib.parse
import urllib.request

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.urls import reverse

from .outbox import Outbox, send_with_retries

logger = logging.getLogger(__name__)

ATTEMPTS = 4
TIMEOUT_SECONDS = 3.0
FIRST_PAUSE_SECONDS = 0.5  # then twice as long after each failure
SITE_WIDE = object()  # the site-wide feeds, beside each conflict's slug


def hub():
    return settings.WEBSUB_HUB_URL


def feed_urls(subjects):
    """The absolute addresses of the feeds of `subjects`: conflict slugs, or
    SITE_WIDE."""
    origin = settings.PUBLIC_ORIGIN.rstrip("/")
    urls = []
    for subject in subjects:
        if subject is SITE_WIDE:
            names = [reverse("timeline:feed_atom"), reverse("timeline:feed_rss")]
        else:
            names = [
                reverse("timeline:conflict_feed_atom", args=[subject]),
                reverse("timeline:conflict_feed_rss", args=[subject]),
            ]
        urls += [origin + name for name in names]
    return urls


def ping(slugs):
    """Have the hub fetch the feeds of these conflicts and the site-wide
    ones, once the current transaction is committed."""
    if not (hub() and slugs):
        return
    if not settings.PUBLIC_ORIGIN:
        logger.warning(
            "DJANGO_WEBSUB_HUB_URL is set but DJANGO_PUBLIC_ORIGIN is not: the hub "
            "was not told of the changed feeds, whose public address is unknown"
        )
        return
    urls = feed_urls([*sorted(slugs), SITE_WIDE])
    transaction.on_commit(lambda: _send_later(hub(), urls))


def _send_later(hub_url, urls):
    _outbox.put((hub_url, tuple(urls)))


def wait_until_sent():
    """Block until every ping asked for so far has been sent or given up on
    (for tests and for commands that exit right after a change)."""
    _outbox.wait_until_sent()


def _deliver(batches):
    waiting = {}
    for hub_url, urls in batches:
        waiting.update(dict.fromkeys((hub_url, url) for url in urls))
    for hub_url, url in waiting:
        send(hub_url, url)


_outbox = Outbox("websub-ping", _deliver)


def send(hub_url, feed_url):
    """One publish ping of `feed_url` at `hub_url`, tried ATTEMPTS times;
    True if the hub accepted it."""
    body = urllib.parse.urlencode({"hub.mode": "publish", "hub.url": feed_url}).encode()
    problem = send_with_retries(
        lambda: urllib.request.Request(
            hub_url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ),
        attempts=ATTEMPTS,
        timeout=TIMEOUT_SECONDS,
        first_pause=FIRST_PAUSE_SECONDS,
    )
    if problem is None:
        return True
    logger.error(
        "Could not tell the hub %s that %s changed after %d attempts (%s): its "
        "subscribers will hear of it when they next poll",
        hub_url,
        feed_url,
        ATTEMPTS,
        problem,
    )
    return False


# What changes a feed: an event the public sees or saw, and its corrections.


def _slug_of_conflict(conflict_id):
    from tracker.models import Conflict

    return Conflict.objects.filter(pk=conflict_id).values_list("slug", flat=True).first()


def _after_event_change(sender, instance, **kwargs):
    if hub() and instance.published_at is not None:
        ping({_slug_of_conflict(instance.conflict_id)} - {None})


def _after_correction_change(sender, instance, **kwargs):
    from tracker.models import Event

    if hub():
        slugs = Event.objects.filter(pk=instance.event_id, published_at__isnull=False)
        ping(set(slugs.values_list("conflict__slug", flat=True)))


def _after_bulk_change(sender, event_ids=None, **kwargs):
    from tracker.models import Conflict, Event

    if not hub():
        return
    if event_ids is None:
        ping(set(Conflict.objects.values_list("slug", flat=True)))
        return
    shown = Event.objects.filter(pk__in=list(event_ids), published_at__isnull=False)
    ping(set(shown.values_list("conflict__slug", flat=True).distinct()))


def connect_signals():
    from tracker.models import Correction, Event
    from tracker.signals import changed_in_bulk

    changed_in_bulk.connect(_after_bulk_change, dispatch_uid="websub-bulk")
    for model, handler in ((Event, _after_event_change), (Correction, _after_correction_change)):
        uid = f"websub-{model.__name__}"
        post_save.connect(handler, sender=model, dispatch_uid=uid)
        post_delete.connect(handler, sender=model, dispatch_uid=uid)
