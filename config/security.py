"""Security headers Django itself does not set."""

from django.conf import settings

from timeline.requests import ADMIN_PREFIX


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


class PublicCsrfCookieMiddleware:
    """Outside the admin, a csrftoken cookie is not read: the public site
    has no forms that change anything, and Django's CSRF middleware would
    answer a stray or malformed cookie with a fresh one, setting a cookie on
    a public page and making it uncacheable. Sits before that middleware,
    which still guards every form of the admin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(ADMIN_PREFIX):
            request.COOKIES.pop(settings.CSRF_COOKIE_NAME, None)
        return self.get_response(request)
