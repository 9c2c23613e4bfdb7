"""System checks of our own, run by `manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from tracker.production import unshared_caches


@register(Tags.security, deploy=True)
def second_factor_required(app_configs, **kwargs):
    if settings.OTP_REQUIRED:
        return []
    return [
        Warning(
            "The admin does not ask for a second factor: a stolen password is enough to sign in.",
            hint="Unset DJANGO_OTP_REQUIRED (it is on by default in production) and "
            "enrol each staff member with `manage.py enrol_totp`.",
            id="tracker.W001",
        )
    ]


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
            id="tracker.E001",
        )
    ]
