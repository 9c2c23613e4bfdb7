"""Limits on what one client may ask of the site per period: search, the
API, the downloads, the costliest pages (the timeline and the figures) and
sign-in attempts (settings.RATE_LIMITS).

Counted in Django's cache (settings.RATE_LIMIT_CACHE), per client address
(timeline.requests.client_ip) and per fixed window of the period. With the
default in-process cache each app server process counts on its own; with a
shared cache (Redis) the limit holds across them. A client over the limit
gets 429 Too Many Requests with Retry-After, the seconds until its window
ends. If the cache fails, requests pass: a limit must never cause an error.

django-ratelimit (4.1) was weighed: its get_usage() could do the counting
here without decorating views, but its windows are staggered by a hash of
the client's address instead of ending on the period's boundary (so
Retry-After would not be "the rest of the minute"), it reads the clock
itself, an error from the cache raises out of it, a count it cannot read
refuses every client unless RATELIMIT_FAIL_OPEN lets them all through
unlogged, and its decorator answers 403 through an exception, without
Retry-After. It would replace count_request() and nothing else.
"""

import logging
import math
import time

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import ngettext

from timeline.requests import client_ip

logger = logging.getLogger(__name__)

DOWNLOADS = {
    "events_csv",
    "claims_csv",
    "events_ucdp_csv",
    "events_geojson",
    "timelinejs",
    "feed_atom",
    "feed_rss",
    "conflict_feed_atom",
    "conflict_feed_rss",
}


def now():
    return time.time()


# Pages whose cost grows with the archive when they are not cached, and the
# live view with its updates, whose cursor a client can vary to miss every
# cache (the live view's script waits its longest after a refusal).
COSTLY_PAGES = {"conflict", "figures", "map", "live", "updates"}


def limited_group(request, resolver_match):
    """Which limit a request counts against, if any."""
    namespaces = resolver_match.namespaces
    if "api" in namespaces:
        return "api"
    if "timeline" in namespaces:
        if resolver_match.url_name in DOWNLOADS:
            return "downloads"
        if request.GET.get("q", "").strip():
            return "search"
        if resolver_match.url_name in COSTLY_PAGES:
            return "pages"
    # Guessing passwords across usernames from one address: django-axes
    # locks a username at one address, this limits the address.
    if resolver_match.view_name == "admin:login" and request.method == "POST":
        return "signin"
    return None


def count_request(group, client, period):
    """This request's number in the client's current window, and the
    seconds until the window ends."""
    moment = now()
    window = int(moment // period)
    key = f"ratelimit:{group}:{client}:{window}"
    cache = caches[settings.RATE_LIMIT_CACHE]
    cache.add(key, 0, timeout=period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period + 1)
        count = 1
    return count, max(1, math.ceil((window + 1) * period - moment))


def too_many_requests(group, retry_after):
    message = ngettext(
        "Too many requests: try again in %(seconds)d second.",
        "Too many requests: try again in %(seconds)d seconds.",
        retry_after,
    ) % {"seconds": retry_after}
    if group == "api":
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = HttpResponse(
            message + "\n", status=429, content_type="text/plain; charset=utf-8"
        )
    response.headers["Retry-After"] = str(retry_after)
    return response


def refusal(request):
    """The answer to a request over its limit, or None to let it through.
    Resolves the URL itself: the middleware (timeline.middleware) runs
    before the page cache, so that a cached page is limited as much as a
    rendered one."""
    try:
        resolver_match = resolve(request.path_info)
    except Resolver404:
        return None
    group = limited_group(request, resolver_match)
    limit = settings.RATE_LIMITS.get(group) if group else None
    if not limit:
        return None
    allowed, period = limit
    try:
        count, retry_after = count_request(group, client_ip(request), period)
    except Exception:
        logger.exception("Rate limit not checked: the cache failed")
        return None
    if count > allowed:
        return too_many_requests(group, retry_after)
    return None
