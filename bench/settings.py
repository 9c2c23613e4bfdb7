"""The project's settings, plus the ceiling view, for `make bench`.

Production settings, except what a loopback benchmark over plain HTTP from
one address cannot have: the redirect to HTTPS, cookies sent only over
HTTPS, a second factor for the admin, and per-client rate limits."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
OTP_REQUIRED = False
RATE_LIMITS = {}
