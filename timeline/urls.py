from django.urls import path

from . import views

app_name = "timeline"

urlpatterns = [
    path("", views.home, name="home"),
    path("conflicts/<slug:conflict>/", views.conflict_timeline, name="conflict"),
    path("conflicts/<slug:conflict>/events/<slug:event>/", views.event_detail, name="event"),
    path("conflicts/<slug:conflict>/figures/", views.conflict_figures, name="figures"),
]
