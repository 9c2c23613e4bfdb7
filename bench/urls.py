from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def ceiling(request):
    """The cheapest page there is: no database, no template. Served through
    the same middleware and server as the real pages, it is the ceiling of
    what they could reach."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/ceiling/", ceiling), *project_urlpatterns]
