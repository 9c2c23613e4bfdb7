from django.contrib import admin
from django.urls import include, path

from timeline.requests import ADMIN_PREFIX

urlpatterns = [
    # Mounted where the public site's middlewares expect the admin.
    path(ADMIN_PREFIX.removeprefix("/"), admin.site.urls),
    path("api/", include("timeline.api.urls")),
    path("", include("timeline.urls")),
]
