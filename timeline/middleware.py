"""HTTP caching for the public site."""

from django.conf import settings
from django.utils.cache import patch_cache_control


class PublicCachingMiddleware:
    """Let browsers and shared caches keep public pages, checking back with
    us before reuse unless PUBLIC_CACHE_SECONDS allows a freshness lifetime.

    Applies to successful GET and HEAD answers outside the admin that chose
    no caching of their own and set no cookie: anything personal (a staff
    preview, the admin) says so itself or carries a session. Django's
    ConditionalGetMiddleware, further out, adds the ETag and answers
    conditional requests with 304 Not Modified.
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
            if settings.PUBLIC_CACHE_SECONDS:
                patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
            else:
                # Keep it, but ask each time: a 304 costs a slow connection
                # almost nothing, and nobody reads yesterday's page as today's.
                patch_cache_control(response, public=True, no_cache=True)
        return response
