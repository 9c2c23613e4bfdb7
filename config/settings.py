"""Settings, read from environment variables.

Development defaults are safe; production (DJANGO_DEBUG unset or false) never
invents what it needs. Offline commands (makemigrations, collectstatic) work
without secrets; the app server refuses to start without them (config.wsgi).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
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


def env_rate(name, default):
    """A rate limit as (requests, seconds) from "30/m" (per second, minute or
    hour: s, m, h, or a number of seconds: "100/300"); "off" is no limit."""
    value = os.environ.get(name, "") or default
    if value.lower() == "off":
        return None
    periods = {"s": 1, "m": 60, "h": 3600}
    try:
        count, period = value.split("/")
        seconds = periods[period] if period in periods else int(period)
        if int(count) < 1 or seconds < 1:
            raise ValueError
        return int(count), seconds
    except (KeyError, ValueError):
        raise ImproperlyConfigured(
            f'{name} must be a rate such as "30/m" or "off", not {value!r}'
        ) from None


def env_int(name, default):
    value = os.environ.get(name, "")
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


DEBUG = env_bool("DJANGO_DEBUG")

# Left empty in production when unset: Django then refuses to sign anything,
# and the app server refuses to start (config.production).
DEVELOPMENT_SECRET_KEY = "development-only-key-never-used-in-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = DEVELOPMENT_SECRET_KEY

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)

INSTALLED_APPS = [
    # First, so that the records' translation columns (tracker/translation.py)
    # are on the models before the admin reads them.
    "modeltranslation",
    "tracker.apps.NewsroomAdminConfig",
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
    "imagekit",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "tracker",
    "timeline",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.security.CrossOriginResourcePolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    # The language, from the address alone, before anything resolves the
    # address (rate limits) or keys a page by it (the page cache).
    "timeline.middleware.LanguageMiddleware",
    # Before the page cache, so that cached answers count against the limits.
    "timeline.middleware.RateLimitMiddleware",
    "timeline.middleware.PageCacheMiddleware",
    "config.routers.ReplicaReadsMiddleware",
    "timeline.middleware.PublicCachingMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "config.security.PublicCsrfCookieMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Lets the audit history record who made each change. It only reads the
    # signed-in user when something is saved, so public pages set no cookie.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it answers a locked-out login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
# What runserver serves: in development the bare application; otherwise the
# app server's, which checks production first (config.production).
WSGI_APPLICATION = "config.development.application" if DEBUG else "config.wsgi.application"

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
# Django's form renderer, with the most drawn widget templates written in
# Python for speed (same HTML): see config/form_renderer.py.
FORM_RENDERER = "config.form_renderer.WidgetRenderer"

# SQLite in the project folder unless DATABASE_URL names another database
# (PostgreSQL in production: postgres://user:password@host:5432/name).
# A database that does not answer fails the request (and the app server's
# start) in seconds, not after the operating system gives up.
DATABASE_CONNECT_TIMEOUT = env_int("DJANGO_DATABASE_CONNECT_TIMEOUT", 5)
# Sent to PostgreSQL when connecting. Its JIT compiler spends 15 to 35 ms
# compiling the few queries whose row estimates are large (a feed's
# withdrawn events) and that then run in less: no page gains from it. Empty
# sends nothing (a pooler that refuses startup options).
DATABASE_STARTUP_OPTIONS = os.environ.get("DJANGO_DATABASE_STARTUP_OPTIONS", "-c jit=off")


def with_connect_timeout(database):
    if "postgresql" in database["ENGINE"]:
        options = database.setdefault("OPTIONS", {})
        options.setdefault("connect_timeout", DATABASE_CONNECT_TIMEOUT)
        if DATABASE_STARTUP_OPTIONS:
            options.setdefault("options", DATABASE_STARTUP_OPTIONS)
    return database


DATABASES = {
    "default": with_connect_timeout(
        dj_database_url.parse(
            os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
            conn_max_age=60,
        )
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A read replica of the primary for anonymous public reads (config.routers);
# the admin, staff and every write use the primary.
if DATABASE_REPLICA_URL := os.environ.get("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = {
        **with_connect_timeout(dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60)),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["config.routers.ReplicaRouter"]

# --- Staff accounts ---------------------------------------------------------
# Passwords are hashed with Argon2; older hashes still verify and are
# upgraded at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes counts failed sign-ins per username and address, locks that
# pair out after AXES_FAILURE_LIMIT failures for the cool-off time, and logs
# each failure (logger "axes").
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "timeline.requests.client_ip"
# The log of failures names the username and address tried (never the
# password): what whoever looks into an attack needs.
AXES_SENSITIVE_PARAMETERS = []
# Two-factor sign-in (TOTP, django-otp) for the admin: required in
# production, optional in development. Enrol with `manage.py enrol_totp`.
OTP_REQUIRED = env_bool("DJANGO_OTP_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = os.environ.get("NEWSROOM_NAME", "Conflict tracker")

# The public site's languages: English at today's addresses, the others
# under their prefix (/ru/conflicts/...). Named in their own language, as the
# language switcher shows them.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("ru", "Русский"),
    ("hy", "Հայերեն"),
    ("az", "Azərbaycanca"),
    ("uk", "Українська"),
    ("ar", "العربية"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The records' translations (tracker/translation.py): a column per language
# besides English, the original, which stays in the plain column. Its own
# notion of a default language is only the first of these.
MODELTRANSLATION_LANGUAGES = [code for code, _name in LANGUAGES if code != LANGUAGE_CODE]
MODELTRANSLATION_DEFAULT_LANGUAGE = MODELTRANSLATION_LANGUAGES[0]
MODELTRANSLATION_FALLBACK_LANGUAGES = ()
USE_I18N = True
# Everything is stored in UTC; pages show each conflict's own local time.
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# --- Media: photos on events -----------------------------------------------
# Uploaded images and their derived sizes are kept through Django's storage
# API: in MEDIA_ROOT on the file system by default (served by runserver in
# development only), or in an S3-compatible object store when
# DJANGO_MEDIA_S3_BUCKET is set, which readers' browsers fetch from directly
# (at DJANGO_MEDIA_URL, its public address or a CDN in front), so that public
# media never passes through the app server.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", "") or BASE_DIR / "media")
MEDIA_URL = "/media/"
MEDIA_S3_BUCKET = os.environ.get("DJANGO_MEDIA_S3_BUCKET", "")
MEDIA_S3_ENDPOINT_URL = os.environ.get("DJANGO_MEDIA_S3_ENDPOINT_URL", "")
# Where readers fetch the files: a CDN or the bucket's public host name. On
# AWS without one, the bucket's own; on another store, its endpoint.
MEDIA_S3_CUSTOM_DOMAIN = os.environ.get("DJANGO_MEDIA_S3_CUSTOM_DOMAIN", "") or (
    f"{MEDIA_S3_BUCKET}.s3.amazonaws.com" if MEDIA_S3_BUCKET and not MEDIA_S3_ENDPOINT_URL else ""
)
if MEDIA_S3_BUCKET:
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": MEDIA_S3_ENDPOINT_URL or None,
            "region_name": os.environ.get("DJANGO_MEDIA_S3_REGION", "") or None,
            "access_key": os.environ.get("DJANGO_MEDIA_S3_ACCESS_KEY_ID", "") or None,
            "secret_key": os.environ.get("DJANGO_MEDIA_S3_SECRET_ACCESS_KEY", "") or None,
            "custom_domain": MEDIA_S3_CUSTOM_DOMAIN or None,
            # Public files at stable addresses: no signed query strings,
            # which would change every card's markup on every render.
            "querystring_auth": False,
            "default_acl": None,
            "file_overwrite": False,
            # A stored name is random and its content never changes.
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def origin_of(url):
    """'https://media.example.org' of 'https://media.example.org/x/'."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}" if rest else ""


# The one host besides our own that pages may load images from (the CSP's
# img-src): the media store's, when media is kept in one.
MEDIA_HOST = ""
if MEDIA_S3_BUCKET:
    MEDIA_HOST = (
        f"https://{MEDIA_S3_CUSTOM_DOMAIN}"
        if MEDIA_S3_CUSTOM_DOMAIN
        else origin_of(MEDIA_S3_ENDPOINT_URL)
    )
# runserver serves MEDIA_ROOT at MEDIA_URL in development; an app server
# never does (config.urls).
MEDIA_SERVED_BY_DJANGO = DEBUG and not MEDIA_S3_BUCKET
# An upload larger than this, or with more pixels, is refused with a field
# error before it is decoded (a decompression bomb is a small file of a huge
# image).
MEDIA_MAX_UPLOAD_BYTES = env_int("DJANGO_MEDIA_MAX_UPLOAD_MB", 20) * 1024 * 1024
MEDIA_MAX_PIXELS = env_int("DJANGO_MEDIA_MAX_MEGAPIXELS", 50) * 1_000_000
# An import may name photos by URL, which the server then fetches: never
# from an address on its own networks (tracker.images.fetch_image).
MEDIA_IMPORT_FROM_PRIVATE_ADDRESSES = False
# Derived sizes are made when an image is saved (django-imagekit's
# Optimistic strategy), so a page only computes their addresses and never
# asks the storage whether they exist.
IMAGEKIT_DEFAULT_CACHEFILE_STRATEGY = "imagekit.cachefiles.strategies.Optimistic"
IMAGEKIT_CACHEFILE_DIR = "derived"
IMAGEKIT_SPEC_CACHEFILE_NAMER = "imagekit.cachefiles.namers.source_name_as_path"

STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploaded files (the newsroom's logo) go through Django's storage API to
# the default storage: the file system under DJANGO_MEDIA_ROOT unless
# STORAGES names another (S3-compatible object storage in production).
# Readers get them through the site's own addresses (timeline.look), never
# from the storage directly.
MEDIA_ROOT = os.environ.get("DJANGO_MEDIA_ROOT") or str(BASE_DIR / "media")
MEDIA_URL = "media/"

# The public site sets no cookies: CSRF protection, its token and its cookie
# exist only in the admin, where forms change things
# (config.security.PublicCsrfCookieMiddleware), and sessions only exist for
# signed-in staff.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# The client's address for login lockouts and rate limits
# (timeline.requests.client_ip): the connection's, unless a proxy in front
# sets a header naming it, e.g. "X-Forwarded-For" (the last address in it is
# the one the proxy saw). Set it only behind such a proxy: anyone can send it.
CLIENT_IP_HEADER = os.environ.get("DJANGO_CLIENT_IP_HEADER", "")

# --- Rate limits ------------------------------------------------------------
# Requests one client address may make per period (timeline.ratelimit);
# over it, 429 with Retry-After. Searches are the timeline with ?q=, the API
# is everything under /api/, downloads are the CSV files, the TimelineJS
# document and the feeds, pages are the timeline and the figures page, and
# sign-ins are the admin's sign-in attempts, whatever the username. Counted
# in the cache named here: "default" (in each process unless a shared cache
# such as Redis is configured).
RATE_LIMITS = {
    "search": env_rate("DJANGO_RATE_LIMIT_SEARCH", "30/m"),
    "api": env_rate("DJANGO_RATE_LIMIT_API", "120/m"),
    "downloads": env_rate("DJANGO_RATE_LIMIT_DOWNLOADS", "30/m"),
    "pages": env_rate("DJANGO_RATE_LIMIT_PAGES", "120/m"),
    "signin": env_rate("DJANGO_RATE_LIMIT_SIGNIN", "20/h"),
}
RATE_LIMIT_CACHE = "default"

# --- Production: HTTPS only -------------------------------------------------
# In production (DJANGO_DEBUG unset or false) every request is redirected to
# HTTPS, browsers are told to use nothing else for a year (HSTS), and the
# admin's cookies travel only over HTTPS. Behind a TLS-terminating proxy, set
# DJANGO_SECURE_PROXY_SSL_HEADER to the header the proxy sets, e.g.
# "X-Forwarded-Proto" (it must then overwrite that header on every request).
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
_proxy_ssl_header = os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER", "")
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https") if _proxy_ssl_header else None
)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading is a promise to the browsers' makers that is slow to take back:
# only on request.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Signed-in staff are signed out after a working day.
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_SECONDS", 12 * 60 * 60)
# The timeline index carries the overview's columns for PostgreSQL's
# index-only scans; SQLite builds it without them, as it should.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS += ["security.W021"]  # "HSTS preload not set": a choice, see above

# --- Security headers on every response ------------------------------------
# No inline script or style anywhere: our pages use site.css and no script,
# the admin uses Django's own files. A page that needs more says so itself
# (the embed's frame-ancestors, timeline.embed).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, *([MEDIA_HOST] if MEDIA_HOST else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Read by config.security.CrossOriginResourcePolicyMiddleware; the
# TimelineJS document and the embed, meant for other sites, say cross-origin.
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"

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

# An import is written in one transaction, or not at all. Who imported what
# is in each record's history (tracker.admin.imports), not in the admin's log.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = True

# The newsroom's name as readers see it (on every page, in feeds, and on
# its own assessments of figures) until an administrator sets another in
# the admin's "newsroom's look" (tracker.newsroom).
NEWSROOM_NAME = os.environ.get("NEWSROOM_NAME", "Our newsroom")

# The conflict (its slug) whose local time the forms without a conflict of
# their own use, such as a source's or a new event's; unset, the conflict of
# the newest event entered.
NEWSROOM_DEFAULT_CONFLICT = os.environ.get("NEWSROOM_DEFAULT_CONFLICT", "")

# A figure above this is confirmed by the editor before it is kept: a key
# held down gives 99,999,999,999,999 killed.
FIGURE_CONFIRMATION_ABOVE = env_int("NEWSROOM_FIGURE_CONFIRMATION_ABOVE", 10_000_000)

# How long browsers and shared caches may show a public page without asking
# again. None by default, because news changes: they revalidate each time,
# and an unchanged page costs a 304 with no body.
PUBLIC_CACHE_SECONDS = env_int("DJANGO_PUBLIC_CACHE_SECONDS", 0)

# The shared caches in front of the app servers (Varnish with the xkey
# module, deploy/varnish.vcl), as URLs that accept a PURGE request, comma
# separated: "http://10.0.0.5:6081/,http://10.0.0.6:6081/". Each change of
# the record purges the keys of the pages it touched there (timeline.purge).
CACHE_PURGE_URLS = env_list("DJANGO_CACHE_PURGE_URLS")
# How long those caches may keep a public page (s-maxage): long, since they
# are told of every change; 0, and they revalidate each time, which is the
# default unless purge URLs are set. While a page is made afresh, or while
# the app servers fail, they may serve the copy they have for
# SHARED_CACHE_STALE_SECONDS (stale-while-revalidate) or
# SHARED_CACHE_STALE_IF_ERROR_SECONDS (stale-if-error).
SHARED_CACHE_SECONDS = env_int("DJANGO_SHARED_CACHE_SECONDS", 3600 if CACHE_PURGE_URLS else 0)
SHARED_CACHE_STALE_SECONDS = env_int("DJANGO_SHARED_CACHE_STALE_SECONDS", 30)
SHARED_CACHE_STALE_IF_ERROR_SECONDS = env_int(
    "DJANGO_SHARED_CACHE_STALE_IF_ERROR_SECONDS", 24 * 60 * 60
)

# A WebSub hub the feeds advertise and tell of each change (timeline.websub),
# and the site's public origin, without which the hub cannot be told the
# feeds' addresses ("https://news.example.org").
WEBSUB_HUB_URL = os.environ.get("DJANGO_WEBSUB_HUB_URL", "")
PUBLIC_ORIGIN = os.environ.get("DJANGO_PUBLIC_ORIGIN", "")

# How often the live view (timeline.live) asks for updates at first, in
# seconds; it waits up to four times as long while nothing changes.
LIVE_POLL_SECONDS = env_int("DJANGO_LIVE_POLL_SECONDS", 15)

# The cache: Redis, shared by every app server, when REDIS_URL is set
# (redis://127.0.0.1:6379/0); otherwise each process's own memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "config.cache.SharedRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# How long anonymous public pages are kept server-side (timeline.cache); 0
# turns that off. On by default only with Redis: a page cache in each
# process's memory cannot be told of changes made in another process.
PAGE_CACHE_SECONDS = env_int("DJANGO_PAGE_CACHE_SECONDS", 600 if REDIS_URL else 0)
PAGE_CACHE_ALIAS = "default"
# How long rendered event cards and filter forms are kept, in the same cache
# (timeline.fragments); 0 turns that off. Their keys name what they show, so
# they may be kept long; on by default only with Redis, for the same reason.
CARD_CACHE_SECONDS = env_int("DJANGO_CARD_CACHE_SECONDS", 86400 if REDIS_URL else 0)

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
