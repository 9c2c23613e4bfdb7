"""Security headers Django itself does not set."""

from django.conf import settings


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
