"""What the app server checks before it serves anything.

An app server (gunicorn, or any WSGI server loading config.wsgi) is
production: it refuses DEBUG, a weak or missing secret key, a missing or
wildcard host list, SQLite and a database it cannot reach, each with a
message that says what to set. Django's development server (runserver, with
DJANGO_DEBUG=true) loads config.development instead. Offline commands
(collectstatic, makemigrations, check) run without secrets.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections

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
    """What is missing or unsafe in the settings, each as a phrase naming
    the variable."""
    try:
        secret_key = settings.SECRET_KEY
    except ImproperlyConfigured:  # Django's own refusal of an empty key
        secret_key = ""
    problems = []
    if settings.DEBUG:
        problems.append(
            "DJANGO_DEBUG is on (an app server never runs with DEBUG: it shows "
            "tracebacks to anyone; develop with `make run`)"
        )
    if not secret_key:
        problems.append("DJANGO_SECRET_KEY is not set")
    elif weak_secret_key(secret_key):
        problems.append(
            f"DJANGO_SECRET_KEY is too weak (it needs at least {SECRET_KEY_MIN_LENGTH} "
            "random characters; the development key and django-insecure keys are refused)"
        )
    if not settings.ALLOWED_HOSTS:
        problems.append("DJANGO_ALLOWED_HOSTS is not set")
    elif "*" in settings.ALLOWED_HOSTS:
        problems.append("DJANGO_ALLOWED_HOSTS allows any host (*): name the site's own host names")
    if "sqlite" in settings.DATABASES["default"]["ENGINE"]:
        problems.append(
            "DATABASE_URL is not set or names SQLite (production keeps its record in "
            "PostgreSQL, never in the SQLite file of a development checkout)"
        )
    return problems


def database_problem():
    """Why the database cannot be reached, or None. Asked on a connection of
    its own, closed at once: the app server forks its workers after this."""
    connection = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        connection.ensure_connection()
    except Exception as error:  # whatever the driver raises: the start must say it
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error)
        return f"the database at DATABASE_URL cannot be reached ({reason})"
    finally:
        connection.close()
    return None


def refuse_unsafe_production():
    """Stop the app server from starting unless it is configured for
    production and its database answers."""
    problems = production_problems()
    if not problems and (problem := database_problem()):
        problems.append(problem)
    if problems:
        raise ImproperlyConfigured(
            "Refusing to start in production: "
            + "; ".join(problems)
            + ". Set them in the app server's environment (see the README, "
            '"Deploying"; a key can be made with `python -c "import secrets; '
            'print(secrets.token_urlsafe(50))"`), or develop with `make run` '
            "(DJANGO_DEBUG=true and Django's development server)."
        )
