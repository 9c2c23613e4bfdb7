from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from timeline.requests import ADMIN_PREFIX

urlpatterns = [
    # Mounted where the public site's middlewares expect the admin.
    path(ADMIN_PREFIX.removeprefix("/"), admin.site.urls),
    path("api/", include("timeline.api.urls")),
    path("", include("timeline.urls")),
]

if settings.MEDIA_SERVED_BY_DJANGO:
    # Development only: in production the web server in front or the media
    # store serves uploads, never the app server.
    urlpatterns.insert(
        0,
        re_path(
            r"^{}(?P<path>.*)$".format(settings.MEDIA_URL.lstrip("/")),
            serve,
            {"document_root": settings.MEDIA_ROOT},
        ),
    )
