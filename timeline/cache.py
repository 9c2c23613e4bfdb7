"""The server-side cache of public pages: never stale news, never a pile-up.

Each page carries cache keys naming what it shows (timeline.invalidation:
`conflict-<slug>`, `event-<pk>`, `home`, ...). The cache keeps a random
*token* per key, and stores each page with the tokens of its keys as they
were when it was made. A change of the record replaces the tokens of the
keys it touches, so the pages that show it, and only those, are stale from
then on; publishing an event leaves the pages of the other events stored.

A stale page is made again by the first request that asks for it, holding a
lock in the cache (`cache.add`) while it does; requests for the same page
meanwhile get the previous copy (stale-while-revalidate), so a hundred
readers arriving after a publish cost one rebuild, not a hundred. If the
rebuild fails with a server error, the previous copy is served instead.

Tokens are random, never counters: a token evicted from the cache comes back
as a new one, so no old page can match it again. They are replaced when a
record is saved or deleted and again once the change is committed; a page
whose making overlapped any change is stored as already stale (the change
counter moved while it was made), so a page made from rows read before a
commit is never kept as fresh after it. Pages expire after
PAGE_CACHE_SECONDS anyway. Every key also holds a release token, replaced
when an app server starts (renew_everything()).

Only what an anonymous reader gets is cached (timeline.middleware's
PageCacheMiddleware): an anonymous public read (timeline.requests), a 200
answer marked public (PublicCachingMiddleware) that sets no cookie. Caching
is off when PAGE_CACHE_SECONDS is 0; with local memory as the cache each
process has its own copy, so turn it on only with a cache that all
processes share (Redis) or with a single process.
"""

import time
import uuid

from django.conf import settings
from django.core.cache import caches

TOKEN_PREFIX = "page-token:"
RELEASE = "page-release"
CHANGES = "page-changes"
# How long one request may hold a page's rebuild before another may take it
# over (a worker that died holding it); a little more than gunicorn's timeout.
REBUILD_SECONDS = 40
# How long a shared cache in front may keep a copy served stale: long
# enough to spare the app a burst, short enough that the rebuilt page
# replaces it at once.
STALE_SHARED_SECONDS = 2
# How long a request waits for another that is making the same page for the
# first time, before making it too.
FIRST_MAKING_WAIT, WAIT_PAUSE = 5.0, 0.05


def page_cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def enabled():
    return bool(settings.PAGE_CACHE_SECONDS)


def release():
    """This release's token, made when missing."""
    cache = page_cache()
    if (token := cache.get(RELEASE)) is None:
        cache.add(RELEASE, uuid.uuid4().hex, timeout=None)
        token = cache.get(RELEASE)
    return token


def renew_everything():
    """Make every stored page and remembered answer stale. The app server
    does this when it starts: a new release of the code must not serve what
    an older one stored, whose pages or answers may differ in shape."""
    page_cache().set(RELEASE, uuid.uuid4().hex, None)


def renew(keys):
    """Make every page carrying one of `keys` stale."""
    cache = page_cache()
    if keys:
        cache.set_many({TOKEN_PREFIX + key: uuid.uuid4().hex for key in keys}, None)
    try:
        cache.incr(CHANGES)
    except ValueError:  # missing, or evicted: any new value differs from None
        cache.add(CHANGES, 1, None)


def tokens_of(keys):
    """The current tokens of `keys`, made where missing."""
    cache = page_cache()
    names = [TOKEN_PREFIX + key for key in keys]
    tokens = cache.get_many(names)
    for name in names:
        if name not in tokens:
            cache.add(name, uuid.uuid4().hex, timeout=None)
            tokens[name] = cache.get(name)
    return tokens


def fresh(tokens):
    """Whether `tokens`, stored with a page, are still those of its keys."""
    return tokens is not None and page_cache().get_many(list(tokens)) == tokens


def build_once(key, compute, seconds):
    """What compute() returns, kept under `key` for `seconds`. While one
    request computes it, others wait for its answer rather than all
    computing it at once."""
    cache = page_cache()
    if (value := cache.get(key)) is not None:
        return value
    lock = f"{key}:making"
    if not cache.add(lock, 1, REBUILD_SECONDS):
        if (value := wait_for(key)) is not None:
            return value
        value = compute()
        cache.set(key, value, seconds)
        return value
    try:
        value = compute()
        cache.set(key, value, seconds)
        return value
    finally:
        cache.delete(lock)


def remembered(name, keys, compute, seconds=3600):
    """What compute() returns, kept until a change touches one of the page
    keys it depends on (or the release changes), and computed once however
    many requests ask for it meanwhile."""
    tokens = tokens_of(keys)
    about = ".".join([release(), *(tokens[TOKEN_PREFIX + key] for key in keys)])
    return build_once(f"remembered:{name}:{about}", compute, seconds)


def wait_for(key):
    """What another request is storing under `key`, or None after a wait."""
    cache = page_cache()
    deadline = time.monotonic() + FIRST_MAKING_WAIT
    while time.monotonic() < deadline:
        time.sleep(WAIT_PAUSE)
        if (value := cache.get(key)) is not None:
            return value
    return None


def response_keys(response):
    return response.get("xkey", "").split()
