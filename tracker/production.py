"""What the app server checks before it serves anything in production.

Offline commands (collectstatic, makemigrations, check) run without secrets;
the app server (tracker.wsgi) does not start without them.
"""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# As Django's deploy check judges a key (security.W009).
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5


def weak_secret_key(key):
    return (
        len(key) < SECRET_KEY_MIN_LENGTH
        or len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
        or key.startswith("django-insecure")
        or key == settings.DEVELOPMENT_SECRET_KEY
    )


def production_problems():
    """What is missing or unsafe, each as a phrase naming the variable."""
    try:
        secret_key = settings.SECRET_KEY
    except ImproperlyConfigured:  # Django's own refusal of an empty key
        secret_key = ""
    problems = []
    if not secret_key:
        problems.append("DJANGO_SECRET_KEY is not set")
    elif weak_secret_key(secret_key):
        problems.append(
            f"DJANGO_SECRET_KEY is too weak (it needs at least {SECRET_KEY_MIN_LENGTH} "
            "random characters; the development key and django-insecure keys are refused)"
        )
    if not settings.ALLOWED_HOSTS:
        problems.append("DJANGO_ALLOWED_HOSTS is not set")
    if not os.environ.get("DATABASE_URL"):
        problems.append(
            "DATABASE_URL is not set (production keeps its record in PostgreSQL, "
            "never in the SQLite file of a development checkout)"
        )
    return problems


def refuse_unsafe_production():
    """Stop the app server from starting in production without a strong
    secret key, a list of allowed hosts and a database, with a message that
    says what to set."""
    if settings.DEBUG:
        return
    problems = production_problems()
    if problems:
        raise ImproperlyConfigured(
            "Refusing to start in production: "
            + "; ".join(problems)
            + ". Set them in the app server's environment (see the README, "
            '"Deploying"; a key can be made with `python -c "import secrets; '
            'print(secrets.token_urlsafe(50))"`), or set DJANGO_DEBUG=true '
            "for local development."
        )
