from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Conflict tracker newsroom"
admin.site.site_title = "Newsroom"
admin.site.index_title = "Events, sources and figures"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("timeline.api.urls")),
    path("", include("timeline.urls")),
]
