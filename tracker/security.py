"""Security headers Django itself does not set."""

from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware

ADMIN_PREFIX = "/admin/"


class CrossOriginResourcePolicyMiddleware:
    """Send Cross-Origin-Resource-Policy on every response that has not
    chosen its own: other sites may link to our pages, not load them as
    their resources (except what is made for that, e.g. timelinejs.json)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault(
            "Cross-Origin-Resource-Policy", settings.CROSS_ORIGIN_RESOURCE_POLICY
        )
        return response


def client_ip(request):
    """The address a request came from, for login lockouts and rate limits.

    The connection's address, unless settings.CLIENT_IP_HEADER names the
    header a trusted proxy in front of us sets: then the last address in it,
    the one the proxy itself saw (earlier ones are whatever the client sent).
    """
    if settings.CLIENT_IP_HEADER:
        key = "HTTP_" + settings.CLIENT_IP_HEADER.upper().replace("-", "_")
        forwarded = [part.strip() for part in request.META.get(key, "").split(",")]
        if forwarded[-1]:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "")


class NewsroomCsrfMiddleware(CsrfViewMiddleware):
    """Django's CSRF protection, in the admin only. The public site reads and
    never changes anything, so it has no use for a token; and answering a
    stray or malformed csrftoken cookie with a fresh one would set a cookie
    on a public page and make it uncacheable."""

    def _in_the_admin(self, request):
        return request.path_info.startswith(ADMIN_PREFIX)

    def process_request(self, request):
        if self._in_the_admin(request):
            super().process_request(request)

    def process_view(self, request, callback, callback_args, callback_kwargs):
        if self._in_the_admin(request):
            return super().process_view(request, callback, callback_args, callback_kwargs)
        return None

    def process_response(self, request, response):
        if self._in_the_admin(request):
            return super().process_response(request, response)
        return response
