from django.urls import path

from . import live, look, views
from .downloads import claims_csv, events_csv, events_ucdp_csv, timelinejs_json
from .embed import embed
from .feeds import EventFeed, EventRssFeed
from .geojson import events_geojson

app_name = "timeline"

urlpatterns = [
    path("", views.home, name="home"),
    path("look/<slug:version>.css", look.look_css, name="look_css"),
    path("look/logo/<str:file>", look.logo, name="logo"),
    path("conflicts/<slug:conflict>/", views.conflict_timeline, name="conflict"),
    path("conflicts/<slug:conflict>/events/<slug:event>/", views.event_detail, name="event"),
    path("conflicts/<slug:conflict>/live/", live.live, name="live"),
    path("conflicts/<slug:conflict>/updates/", live.updates, name="updates"),
    path("conflicts/<slug:conflict>/figures/", views.conflict_figures, name="figures"),
    path("conflicts/<slug:conflict>/map/", views.conflict_map, name="map"),
    path("feed.atom", EventFeed(), name="feed_atom"),
    path("feed.rss", EventRssFeed(), name="feed_rss"),
    path("conflicts/<slug:conflict>/feed.atom", EventFeed(), name="conflict_feed_atom"),
    path("conflicts/<slug:conflict>/feed.rss", EventRssFeed(), name="conflict_feed_rss"),
    path("conflicts/<slug:conflict>/events.csv", events_csv, name="events_csv"),
    path("conflicts/<slug:conflict>/claims.csv", claims_csv, name="claims_csv"),
    path("conflicts/<slug:conflict>/events-ucdp.csv", events_ucdp_csv, name="events_ucdp_csv"),
    path("conflicts/<slug:conflict>/timelinejs.json", timelinejs_json, name="timelinejs"),
    path("conflicts/<slug:conflict>/events.geojson", events_geojson, name="events_geojson"),
    path("conflicts/<slug:conflict>/embed/", embed, name="embed"),
]
