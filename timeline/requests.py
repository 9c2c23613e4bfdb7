"""What the public site needs to know about a request: whether it is an
anonymous public read, and the address it came from."""

from django.conf import settings

# Where the newsroom's admin is mounted (config.urls); everything else is
# the public site.
ADMIN_PREFIX = "/admin/"


def is_anonymous_read(request):
    """A request for the public site that carries nothing personal: GET or
    HEAD, outside the admin, with no session cookie and no Authorization
    header. Only its answers may be stored in the page cache, read from the
    replica or marked public for shared caches.

    The admin is recognised by path_info, the path within the site, so that
    it is still the admin when the site is served under a script prefix.
    """
    return (
        request.method in ("GET", "HEAD")
        and not request.path_info.startswith(ADMIN_PREFIX)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "Authorization" not in request.headers
    )


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
