from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "timeline"
    verbose_name = "Public timeline"

    def ready(self):
        from . import checks  # noqa: F401 (registers them)
        from .invalidation import connect_signals

        connect_signals()
