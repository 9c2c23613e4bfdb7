from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "timeline"
    verbose_name = "Public timeline"

    def ready(self):
        from . import (
            checks,  # noqa: F401 (registers the deploy checks)
            fragments,
            invalidation,
            websub,
        )

        invalidation.connect_signals()
        fragments.connect_signals()
        websub.connect_signals()
