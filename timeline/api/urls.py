from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import docs, views

app_name = "api"

router = DefaultRouter()
router.include_format_suffixes = False
router.register("conflicts", views.ConflictViewSet, basename="conflict")
router.register("events", views.EventViewSet, basename="event")
router.register("retracted", views.RetractedEventViewSet, basename="retracted")
router.register("withdrawals", views.WithdrawalViewSet, basename="withdrawal")
router.register("actors", views.ActorViewSet, basename="actor")
router.register("places", views.PlaceViewSet, basename="place")
router.register("sources", views.SourceViewSet, basename="source")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs.api_docs, name="docs"),
]
