from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Newsroom records"

    def ready(self):
        from . import (
            checks,  # noqa: F401 (registers the deploy checks)
            newsroom,
        )
        from .disputes import connect

        connect()
        newsroom.connect()


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """Django's admin app, with the newsroom's site (tracker.sites)."""

    default = False  # named in INSTALLED_APPS; the tracker app is TrackerConfig
    default_site = "tracker.sites.NewsroomAdminSite"
