from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from timeline.requests import ADMIN_PREFIX

urlpatterns = [
    # Mounted where the public site's middlewares expect the admin.
    path(ADMIN_PREFIX.removeprefix("/"), admin.site.urls),
    path("api/", include("timeline.api.urls")),
]


def media_file(request, path):
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    # Photos are public and shown by other sites too: TimelineJS on a
    # newsroom's page, feed readers.
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


if settings.MEDIA_SERVED_BY_DJANGO:
    # Development only: in production the web server in front or the media
    # store serves uploads, never the app server.
    urlpatterns.insert(0, re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", media_file))

# The public pages in each language: English at the addresses other sites
# already link to, the others under their prefix (/ru/conflicts/...). The
# admin and the API stay unprefixed (the API takes ?lang=).
urlpatterns += i18n_patterns(path("", include("timeline.urls")), prefix_default_language=False)
