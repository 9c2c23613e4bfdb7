"""The public site's middlewares, in the order settings.MIDDLEWARE runs them:
rate limits, then the page cache, then HTTP caching headers. The page cache
and the header apply only to anonymous public reads (timeline.requests)."""

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import (
    get_cache_key,
    learn_cache_key,
    patch_cache_control,
    set_response_etag,
)

from timeline import cache, ratelimit
from timeline.requests import is_anonymous_read


class RateLimitMiddleware:
    """Refuses a client over its limit (timeline.ratelimit). Counts before
    the page cache answers, so that a cached page is limited as much as a
    rendered one: it resolves the URL itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return ratelimit.refusal(request) or self.get_response(request)


class PageCacheMiddleware:
    """Serves anonymous public pages from the cache (see timeline.cache).

    Sits inside ConditionalGetMiddleware, so a cached page still answers a
    conditional request with 304, and outside PublicCachingMiddleware, so it
    stores pages with the Cache-Control header they are served with.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (cache.enabled() and is_anonymous_read(request)):
            return self.get_response(request)
        pages = cache.page_cache()
        prefix = cache.generation(cache.scopes_of(request.path_info))
        key = get_cache_key(request, prefix, "GET", cache=pages)
        if key is not None and (cached := pages.get(key)) is not None:
            return cached
        response = self.get_response(request)
        if request.method == "GET" and self._public(response):
            set_response_etag(response)  # once, rather than on every hit
            seconds = settings.PAGE_CACHE_SECONDS
            key = learn_cache_key(request, response, seconds, prefix, pages)
            pages.set(key, _bare(response), seconds)
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

    Applies to successful answers to anonymous public reads that chose no
    caching of their own and set no cookie. What staff or a client with
    credentials is shown is never marked public: a shared cache could hand
    it to the next reader. Django's ConditionalGetMiddleware, further out,
    adds the ETag and answers conditional requests with 304 Not Modified.
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
            if settings.PUBLIC_CACHE_SECONDS:
                patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
            else:
                # Keep it, but ask each time: a 304 costs a slow connection
                # almost nothing, and nobody reads yesterday's page as today's.
                patch_cache_control(response, public=True, no_cache=True)
        return response
