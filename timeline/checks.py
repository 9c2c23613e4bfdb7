"""System checks of the public site's own, run by `manage.py check --deploy`,
and the rule behind them, which the app server also applies at its start
(config.production)."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.utils.module_loading import import_string

# Caches every app server shares, and any backend built on one of them (the
# project's Redis cache is). Another (each process's memory, a local file,
# none) would let each server count rate limits and lockouts of its own:
# five servers, five times the limit.
SHARED_CACHE_BACKENDS = (
    "django.core.cache.backends.redis.RedisCache",
    "django.core.cache.backends.memcached.PyMemcacheCache",
    "django.core.cache.backends.memcached.PyLibMCCache",
    "django.core.cache.backends.db.DatabaseCache",
)


def caches_that_must_be_shared():
    """The caches holding what every app server must see alike: the rate
    limits, the page cache's tokens, and django-axes's lockouts when it
    keeps them in a cache (by default it keeps them in the database)."""
    aliases = {settings.RATE_LIMIT_CACHE, settings.PAGE_CACHE_ALIAS}
    if "cache" in getattr(settings, "AXES_HANDLER", "axes.handlers.database.AxesDatabaseHandler"):
        aliases.add(getattr(settings, "AXES_CACHE", "default"))
    return sorted(aliases)


def unshared_caches():
    return [alias for alias in caches_that_must_be_shared() if not _is_shared(alias)]


def _is_shared(alias):
    try:
        backend = import_string(settings.CACHES.get(alias, {}).get("BACKEND", ""))
    except ImportError:
        return False
    shared = tuple(import_string(name) for name in SHARED_CACHE_BACKENDS)
    return isinstance(backend, type) and issubclass(backend, shared)


@register(Tags.caches, deploy=True)
def shared_cache_required(app_configs, **kwargs):
    if not (unshared := unshared_caches()):
        return []
    return [
        Error(
            f"The {', '.join(unshared)} cache is each process's own: every app server "
            "counts rate limits and sign-in lockouts by itself, and a page cache in one "
            "never hears of changes made through another.",
            hint="Set REDIS_URL to the Redis that all app servers share.",
            id="timeline.E001",
        )
    ]
