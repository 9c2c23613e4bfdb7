from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def refuse_unsafe_production():
    """Stop the app server from starting in production without a secret key
    or a list of allowed hosts, with a message that says what to set."""
    if settings.DEBUG:
        return
    try:
        secret_key = settings.SECRET_KEY
    except ImproperlyConfigured:  # Django's own refusal of an empty key
        secret_key = ""
    missing = [
        name
        for name, value in [
            ("DJANGO_SECRET_KEY", secret_key),
            ("DJANGO_ALLOWED_HOSTS", settings.ALLOWED_HOSTS),
        ]
        if not value
    ]
    if missing:
        raise ImproperlyConfigured(
            f"{' and '.join(missing)} must be set in production "
            "(or set DJANGO_DEBUG=true for local development)."
        )
