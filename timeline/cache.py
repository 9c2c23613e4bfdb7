"""The server-side cache of public pages, which never serves stale news.

A page is stored under a key that includes *generation* tokens, and every
change to what public pages show replaces the tokens it touches, so the next
reader misses the cache and gets the page made afresh:

- pages under /conflicts/<slug>/ depend on that conflict's token and on the
  token of the records conflicts share (actors, places, sources, conflicts);
- every other page (the home page, site-wide feeds, the API) depends on the
  site's token, which every change replaces.

Tokens are random, never counters: a token evicted from the cache comes back
as a new one, so no old page can match it again. They are replaced when a
record is saved or deleted and again once the change is committed, so a page
made from the data before the commit cannot be stored under the new token.
Pages expire after PAGE_CACHE_SECONDS anyway. The same tokens keep other
costly answers about a conflict fresh (remembered()). Every key also holds a
release token, replaced when an app server starts (renew_everything()).

Only what an anonymous reader gets is cached: GET and HEAD, no session
cookie, not the admin, a 200 answer marked public (PublicCachingMiddleware)
that sets no cookie. Caching is off when PAGE_CACHE_SECONDS is 0; with local
memory as the cache each process has its own copy, so turn it on only with a
cache that all processes share (Redis) or with a single process.
"""

import re
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_save

SITE, SHARED, RELEASE = "site", "shared", "release"
CONFLICT_PAGE = re.compile(r"^/conflicts/(?P<slug>[^/]+)/")
KEY_PREFIX = "page-generation:"


def page_cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def enabled():
    return bool(settings.PAGE_CACHE_SECONDS)


def scopes_of(path):
    """The generations a page at `path` depends on."""
    if match := CONFLICT_PAGE.match(path):
        return [SHARED, conflict_scope(match["slug"])]
    return [SITE]


def conflict_scope(slug):
    return f"conflict:{slug}"


def generation(scopes):
    """The current tokens of `scopes`, joined; missing ones are made."""
    cache = page_cache()
    keys = [KEY_PREFIX + scope for scope in (RELEASE, *scopes)]
    tokens = cache.get_many(keys)
    for key in keys:
        if key not in tokens:
            cache.add(key, uuid.uuid4().hex, timeout=None)
            tokens[key] = cache.get(key)
    return ".".join(tokens[key] for key in keys)


def remembered(name, conflict, compute, seconds=3600):
    """What compute() returns about `conflict`, kept until anything its
    pages show changes."""
    cache = page_cache()
    key = f"{name}:{conflict.pk}:{generation([SHARED, conflict_scope(conflict.slug)])}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def renew_everything():
    """Make every stored page and remembered answer stale. The app server
    does this when it starts: a new release of the code must not serve what
    an older one stored, whose pages or answers may differ in shape."""
    page_cache().set(KEY_PREFIX + RELEASE, uuid.uuid4().hex, None)


def renew(scopes):
    """Make every page depending on `scopes` (and the site) stale."""
    scopes = {SITE, *scopes}
    page_cache().set_many({KEY_PREFIX + scope: uuid.uuid4().hex for scope in scopes}, None)


# What each kind of record changes on the public site. Each function returns
# the scopes an instance touches, from its field values.


def _event_conflicts(*event_ids):
    from tracker.models import Event

    ids = [pk for pk in event_ids if pk is not None]
    return set(Event.objects.filter(pk__in=ids).values_list("conflict__slug", flat=True))


def _conflicts(*conflict_ids):
    from tracker.models import Conflict

    slugs = Conflict.objects.filter(pk__in=conflict_ids).values_list("slug", flat=True)
    return {conflict_scope(slug) for slug in slugs}


def _scopes_of_event(event):
    from tracker.models import EventLink

    scopes = _conflicts(event.conflict_id)
    if event.pk is not None:
        # Pages of linked events, in any conflict, show this event's title.
        links = EventLink.objects.filter(from_event=event.pk).values_list(
            "to_event__conflict__slug", flat=True
        )
        back = EventLink.objects.filter(to_event=event.pk).values_list(
            "from_event__conflict__slug", flat=True
        )
        scopes |= {conflict_scope(slug) for slug in links.union(back)}
    return scopes


def _scopes_of_event_part(part):
    return {conflict_scope(slug) for slug in _event_conflicts(part.event_id)}


def _scopes_of_link(link):
    return {conflict_scope(slug) for slug in _event_conflicts(link.from_event_id, link.to_event_id)}


def _scopes_of_phase(phase):
    return _conflicts(phase.conflict_id)


def _shared(_instance):
    return {SHARED}


def _tracked():
    from tracker.models import (
        Actor,
        Citation,
        Conflict,
        Correction,
        Event,
        EventLink,
        FigureClaim,
        Participant,
        Phase,
        Place,
        Source,
    )

    return {
        Event: _scopes_of_event,
        FigureClaim: _scopes_of_event_part,
        Citation: _scopes_of_event_part,
        Participant: _scopes_of_event_part,
        Correction: _scopes_of_event_part,
        EventLink: _scopes_of_link,
        Phase: _scopes_of_phase,
        Conflict: _shared,
        Actor: _shared,
        Place: _shared,
        Source: _shared,
    }


def _before_save(sender, instance, raw=False, **kwargs):
    # Where the record was before this change: an event moved to another
    # conflict leaves a page behind.
    if instance.pk is None:
        return
    before = sender._default_manager.filter(pk=instance.pk).first()
    instance._page_scopes_before = _tracked()[sender](before) if before else set()


def _after_change(sender, instance, **kwargs):
    scopes = _tracked()[sender](instance) | getattr(instance, "_page_scopes_before", set())
    renew(scopes)
    transaction.on_commit(lambda: renew(scopes))


def _scopes_of_events(event_ids):
    """The conflicts of these events and of the events linked to them."""
    from tracker.models import Event, EventLink

    slugs = set()
    for start in range(0, len(event_ids), 1000):
        batch = event_ids[start : start + 1000]
        slugs |= set(Event.objects.filter(pk__in=batch).values_list("conflict__slug", flat=True))
        links = EventLink.objects.filter(Q(from_event__in=batch) | Q(to_event__in=batch))
        for pair in links.values_list("from_event__conflict__slug", "to_event__conflict__slug"):
            slugs |= set(pair)
    return {conflict_scope(slug) for slug in slugs}


def _after_bulk_change(sender, event_ids=None, **kwargs):
    scopes = {SHARED} if event_ids is None else _scopes_of_events(list(event_ids))
    renew(scopes)
    transaction.on_commit(lambda: renew(scopes))


def connect_signals():
    from tracker.signals import changed_in_bulk

    changed_in_bulk.connect(_after_bulk_change, dispatch_uid="page-cache-bulk")
    for model in _tracked():
        uid = f"page-cache-{model.__name__}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=uid)
        post_save.connect(_after_change, sender=model, dispatch_uid=uid)
        post_delete.connect(_after_change, sender=model, dispatch_uid=uid)
