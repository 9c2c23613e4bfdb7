from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "timeline"
    verbose_name = "Public timeline"

    def ready(self):
        from . import cache, fragments

        cache.connect_signals()
        fragments.connect_signals()
