"""Settings, read from environment variables.

Development defaults are safe; production (DJANGO_DEBUG unset or false) never
invents what it needs. Offline commands (makemigrations, collectstatic) work
without secrets; the app server refuses to start without them (tracker.wsgi).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name, default=()):
    value = os.environ.get(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] or list(default)


def env_int(name, default):
    value = os.environ.get(name, "")
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


DEBUG = env_bool("DJANGO_DEBUG")

# Left empty in production when unset: Django then refuses to sign anything.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "development-only-key-never-used-in-production"

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "simple_history",
    "import_export",
    "tracker",
    "timeline",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "timeline.cache.PageCacheMiddleware",
    "tracker.routers.ReplicaReadsMiddleware",
    "timeline.middleware.PublicCachingMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Lets the audit history record who made each change. It only reads the
    # signed-in user when something is saved, so public pages set no cookie.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "timeline.context_processors.newsroom",
            ],
        },
    },
]

# SQLite in the project folder unless DATABASE_URL names another database
# (PostgreSQL in production: postgres://user:password@host:5432/name).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A read replica of the primary for anonymous public reads (tracker.routers);
# the admin, staff and every write use the primary.
if DATABASE_REPLICA_URL := os.environ.get("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = {
        **dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["tracker.routers.ReplicaRouter"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# Everything is stored in UTC; pages show each conflict's own local time.
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# The public site sets no cookies: the CSRF token is only issued where a form
# needs it (the admin), and sessions only exist for signed-in staff.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# No page may be framed by another site, except the embeddable timeline
# (/conflicts/<conflict>/embed/), which lists the sites that may frame it in
# a Content-Security-Policy frame-ancestors directive. Each item is a CSP
# source, comma separated: "https:" (the default) is any HTTPS site;
# "https://news.example.org,https://*.example.com" names the sites.
X_FRAME_OPTIONS = "DENY"
EMBED_ALLOWED_PARENTS = env_list("DJANGO_EMBED_ALLOWED_PARENTS", ["https:"])
if any(";" in parent for parent in EMBED_ALLOWED_PARENTS):
    raise ImproperlyConfigured(
        f"DJANGO_EMBED_ALLOWED_PARENTS must list CSP sources, not {EMBED_ALLOWED_PARENTS!r}"
    )

# An import is written in one transaction, or not at all.
IMPORT_EXPORT_USE_TRANSACTIONS = True

# The name under which the newsroom's own assessments are shown to readers.
NEWSROOM_NAME = os.environ.get("NEWSROOM_NAME", "Our newsroom")

# How long browsers and shared caches may show a public page without asking
# again. None by default, because news changes: they revalidate each time,
# and an unchanged page costs a 304 with no body.
PUBLIC_CACHE_SECONDS = env_int("DJANGO_PUBLIC_CACHE_SECONDS", 0)

# The cache: Redis, shared by every app server, when REDIS_URL is set
# (redis://127.0.0.1:6379/0); otherwise each process's own memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# How long anonymous public pages are kept server-side (timeline.cache); 0
# turns that off. On by default only with Redis: a page cache in each
# process's memory cannot be told of changes made in another process.
PAGE_CACHE_SECONDS = env_int("DJANGO_PAGE_CACHE_SECONDS", 600 if REDIS_URL else 0)
PAGE_CACHE_ALIAS = "default"

# The API is public, read-only and anonymous: no authentication, so no
# session or CSRF cookie, and JSON only.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Conflict timeline API",
    "DESCRIPTION": (
        "The published record of the conflicts this newsroom covers: events, the "
        "figures reported about them as claims, their sources, and corrections. "
        "Read-only and anonymous. Lists are paged by cursor: follow `next`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Several models have a `kind`; each gets its own named enum.
    "ENUM_NAME_OVERRIDES": {
        "EventKindEnum": "tracker.models.Event.Kind",
        "ActorKindEnum": "tracker.models.Actor.Kind",
        "SourceKindEnum": "tracker.models.Source.Kind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
