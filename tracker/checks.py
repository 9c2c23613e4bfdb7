"""System checks of our own, run by `manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


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
