"""The public site's middlewares, in the order settings.MIDDLEWARE runs them:
the language, rate limits, then the page cache, then HTTP caching headers. The page cache
and the header apply only to anonymous public reads (timeline.requests)."""

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import (
    get_cache_key,
    learn_cache_key,
    patch_cache_control,
    set_response_etag,
)

from timeline import cache, languages, ratelimit
from timeline.invalidation import keys_of_path
from timeline.requests import ADMIN_PREFIX, is_anonymous_read


class LanguageMiddleware:
    """Activates the language a request is read in (timeline.languages):
    the address's, never a cookie's or the session's, so that what the page
    cache keeps under an address is in that address's language. Replaces
    Django's LocaleMiddleware, which would read the cookie and redirect by
    Accept-Language. Comes before the rate limits and the page cache, which
    resolve the address and key pages by it.

    The address is resolved in its prefix's language (English unprefixed);
    the view then runs in the language asked for, which differs only where
    `?lang=` asks for another (the API, the downloads). The page cache keys
    by request.LANGUAGE_CODE, the language of the answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = languages.of_request(request)
        previous = translation.get_language()
        if language is None:
            translation.activate(settings.LANGUAGE_CODE)
            try:
                return languages.unknown_language(request)
            finally:
                translation.activate(previous)
        request.LANGUAGE_CODE = language
        # Only for this request: the thread goes back to the language it was
        # in, so nothing after it (the next request's early middlewares, a
        # test's own reverse()) inherits another reader's language. A
        # streamed download keeps its language itself (timeline.downloads).
        translation.activate(
            language
            if request.path_info.startswith(ADMIN_PREFIX)
            else languages.of_address(request.path_info)
        )
        try:
            response = self.get_response(request)
        finally:
            translation.activate(previous)
        response.headers.setdefault("Content-Language", language)
        return response

    def process_view(self, request, view, args, kwargs):
        translation.activate(request.LANGUAGE_CODE)


class RateLimitMiddleware:
    """Refuses a client over its limit (timeline.ratelimit). Counts before
    the page cache answers, so that a cached page is limited as much as a
    rendered one: it resolves the URL itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return ratelimit.refusal(request) or self.get_response(request)


class PageCacheMiddleware:
    """Serves anonymous public pages from the cache (see timeline.cache): a
    fresh copy at once; a stale one to every request but the one that makes
    the page again, holding the page's lock.

    Sits inside ConditionalGetMiddleware, so a cached page still answers a
    conditional request with 304, and outside PublicCachingMiddleware, so it
    stores pages with the Cache-Control and cache key headers they are
    served with.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (cache.enabled() and is_anonymous_read(request)):
            return self.get_response(request)
        pages = cache.page_cache()
        prefix = cache.release()
        key = get_cache_key(request, prefix, "GET", cache=pages)
        if key is None:
            return self._make(request, prefix)
        lock = f"{key}:making"
        if (entry := pages.get(key)) is None:
            # Made for the first time: one request makes it, the others
            # wait a little for its copy.
            if not pages.add(lock, 1, cache.REBUILD_SECONDS):
                entry = cache.wait_for(key)
                return entry[0] if entry else self._make(request, prefix)
            try:
                return self._make(request, prefix)
            finally:
                pages.delete(lock)
        stored, tokens = entry
        if cache.fresh(tokens):
            return stored
        if request.method != "GET" or not pages.add(lock, 1, cache.REBUILD_SECONDS):
            return _served_stale(stored)  # another request is making it afresh
        try:
            return self._make(request, prefix, previous=stored)
        finally:
            pages.delete(lock)

    def _make(self, request, prefix, previous=None):
        pages = cache.page_cache()
        changes = pages.get(cache.CHANGES)
        response = self.get_response(request)
        if request.method != "GET":
            return response
        if self._public(response):
            if not response.has_header("ETag"):  # a view may give its own (timeline.live)
                set_response_etag(response)  # once, rather than on every hit
            tokens = cache.tokens_of(cache.response_keys(response))
            if pages.get(cache.CHANGES) != changes:
                tokens = None  # something changed while it was made: stale at once
            seconds = settings.PAGE_CACHE_SECONDS
            key = learn_cache_key(request, response, seconds, prefix, pages)
            pages.set(key, (_bare(response), tokens), seconds)
        elif previous is not None and response.status_code >= 500:
            return _served_stale(previous)
        elif previous is not None:
            # Gone (a moved or withdrawn page) or no longer public.
            pages.delete(get_cache_key(request, prefix, "GET", cache=pages))
        return response

    def _public(self, response):
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "public" in cache_control
            and "private" not in cache_control
            and "no-store" not in cache_control
        )


def _served_stale(response):
    """A stored copy served while the page is made afresh: a shared cache
    in front keeps it only for a moment."""
    if "s-maxage" in response.get("Cache-Control", ""):
        patch_cache_control(response, s_maxage=cache.STALE_SHARED_SECONDS)
    return response


def _bare(response):
    """The response as bytes and headers only: no template context or API
    data to pickle and unpickle on every hit."""
    bare = HttpResponse(response.content, status=response.status_code)
    for header, value in response.items():
        bare[header] = value
    return bare


class PublicCachingMiddleware:
    """Let browsers and shared caches keep public pages, checking back with
    us before reuse unless PUBLIC_CACHE_SECONDS allows a freshness lifetime.
    With SHARED_CACHE_SECONDS, shared caches (which we purge on each change,
    timeline.purge) may keep them that long, and serve them a while longer
    while they fetch them afresh or while we fail.

    Applies to successful answers to anonymous public reads that chose no
    caching of their own and set no cookie. What staff or a client with
    credentials is shown is never marked public: a shared cache could hand
    it to the next reader. Django's ConditionalGetMiddleware, further out,
    adds the ETag and answers conditional requests with 304 Not Modified.
    Each such answer names what it shows as cache keys
    (timeline.invalidation), in the `Surrogate-Key` header CDNs read and the
    `xkey` header of Varnish's xkey module.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            is_anonymous_read(request)
            and response.status_code == 200
            and not response.has_header("Cache-Control")
            and not response.cookies
        ):
            if settings.SHARED_CACHE_SECONDS:
                patch_cache_control(
                    response,
                    public=True,
                    max_age=settings.PUBLIC_CACHE_SECONDS,
                    s_maxage=settings.SHARED_CACHE_SECONDS,
                    stale_while_revalidate=settings.SHARED_CACHE_STALE_SECONDS,
                    stale_if_error=settings.SHARED_CACHE_STALE_IF_ERROR_SECONDS,
                )
            elif settings.PUBLIC_CACHE_SECONDS:
                patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
            else:
                # Keep it, but ask each time: a 304 costs a slow connection
                # almost nothing, and nobody reads yesterday's page as today's.
                patch_cache_control(response, public=True, no_cache=True)
            keys = [*keys_of_path(request.path_info), *getattr(response, "cache_keys", [])]
            response["Surrogate-Key"] = response["xkey"] = " ".join(dict.fromkeys(keys))
        return response
