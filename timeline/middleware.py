"""HTTP caching for the public site."""

from django.conf import settings
from django.utils.cache import patch_cache_control

from timeline.invalidation import keys_of_path


class PublicCachingMiddleware:
    """Let browsers and shared caches keep public pages, checking back with
    us before reuse unless PUBLIC_CACHE_SECONDS allows a freshness lifetime.
    With SHARED_CACHE_SECONDS, shared caches (which we purge on each change,
    timeline.purge) may keep them that long, and serve them a while longer
    while they fetch them afresh or while we fail.

    Applies to successful GET and HEAD answers outside the admin that chose
    no caching of their own and set no cookie: anything personal (a staff
    preview, the admin) says so itself or carries a session. Django's
    ConditionalGetMiddleware, further out, adds the ETag and answers
    conditional requests with 304 Not Modified. Each such answer names what
    it shows as cache keys (timeline.invalidation), in the `Surrogate-Key`
    header CDNs read and the `xkey` header of Varnish's xkey module.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/admin/"

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not request.path.startswith(self.admin_prefix)
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
            keys = " ".join(
                dict.fromkeys(
                    [*keys_of_path(request.path_info), *getattr(response, "cache_keys", [])]
                )
            )
            response["Surrogate-Key"] = response["xkey"] = keys
        return response
