from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from timeline.requests import ADMIN_PREFIX

urlpatterns = [
    # Mounted where the public site's middlewares expect the admin.
    path(ADMIN_PREFIX.removeprefix("/"), admin.site.urls),
    path("api/", include("timeline.api.urls")),
]
# The public pages in each language: English at the addresses other sites
# already link to, the others under their prefix (/ru/conflicts/...). The
# admin and the API stay unprefixed (the API takes ?lang=).
urlpatterns += i18n_patterns(path("", include("timeline.urls")), prefix_default_language=False)
