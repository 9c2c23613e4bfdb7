"""The API's views: read-only, anonymous, and only about what the public
timeline shows. Drafts and events in review appear nowhere; a retracted
event's record answers 404, and /api/v1/retracted/ lists the retractions
with their notes. /api/v1/withdrawals/ lists every event that was published
and no longer is, unpublished or retracted, so that mirrors can delete
their copies."""

from django.db.models import Exists, F, OuterRef
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import NotFound

from timeline.filters import EventFilter
from tracker.models import Actor, Conflict, Event, Place, Source

from . import pagination
from .schema import FILTER_PARAMETERS, detail_schema, list_schema, updated_since_parameter
from .serializers import (
    ActorSerializer,
    ConflictSerializer,
    EventSerializer,
    PlaceSerializer,
    RetractedEventSerializer,
    SourceSerializer,
    WithdrawalSerializer,
)


def parse_updated_since(request):
    """The `updated_since` time of the request, None when not given; a bad
    value is a 400 answer."""
    text = request.query_params.get("updated_since")
    if text is None:
        return None
    try:
        return serializers.DateTimeField().to_internal_value(text)
    except serializers.ValidationError as error:
        raise serializers.ValidationError({"updated_since": error.detail}) from None


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    pagination_class = pagination.ByIdPagination
    # Any key reaches the view, so that a bad one is a JSON 404 like a missing one.
    lookup_value_regex = "[^/]+"

    def get_object(self):
        # No record's key holds a NUL byte, and PostgreSQL refuses to be asked.
        if "\x00" in self.kwargs[self.lookup_url_kwarg or self.lookup_field]:
            raise NotFound
        return super().get_object()


@extend_schema_view(
    list=list_schema(
        ConflictSerializer,
        "List the conflicts",
        "Every conflict the newsroom covers, with its phases, by id.",
    ),
    retrieve=detail_schema(
        ConflictSerializer,
        "One conflict",
        "A conflict by its slug, e.g. `/api/v1/conflicts/nagorno-karabakh/`.",
        key=OpenApiParameter(
            "slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="The conflict's slug."
        ),
    ),
)
class ConflictViewSet(ReadOnlyViewSet):
    queryset = Conflict.objects.prefetch_related("phases")
    serializer_class = ConflictSerializer
    lookup_field = "slug"


@extend_schema_view(
    list=list_schema(
        EventSerializer,
        "List the published events",
        "Published events in time order (by `starts_at`, then id), filtered as on the "
        "timeline, 50 to a page. With `updated_since`, the events that changed (edited or "
        "corrected) since then, in the order of their changes.\n\n"
        "Example: `/api/v1/events/?conflict=nagorno-karabakh&kind=ceasefire"
        "&kind=agreement&disputed=true`",
        parameters=[
            *FILTER_PARAMETERS,
            updated_since_parameter(
                "For mirrors: only the events edited or corrected at or after this "
                "ISO 8601 time (e.g. `2023-09-20T13:00:00Z`; UTC when no offset is given), "
                "in the order of those changes. Follow `next` to the end, and start the "
                "next run from the latest `updated_at` or `corrected_at` seen."
            ),
        ],
    ),
    retrieve=detail_schema(
        EventSerializer,
        "One published event",
        "A published event with its participants, figure claims, sources, corrections "
        "and related events. Drafts, events in review and retracted events answer 404; "
        "retractions are listed at `/api/v1/retracted/`.",
    ),
)
class EventViewSet(ReadOnlyViewSet):
    serializer_class = EventSerializer
    # What the schema documents; `paginator` picks the changes' pages, whose
    # cursors have the same form, for `updated_since`.
    pagination_class = pagination.TimelinePagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = EventFilter

    def get_queryset(self):
        events = Event.objects.published().with_record()
        if self.action == "list" and (since := self.updated_since) is not None:
            events = events.with_last_updated().filter(last_updated__gte=since)
        return events

    def filter_queryset(self, queryset):
        # An event's record is the same whatever the query string says.
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    @property
    def updated_since(self):
        if not hasattr(self, "_updated_since"):
            self._updated_since = parse_updated_since(self.request)
        return self._updated_since

    @property
    def paginator(self):
        if not hasattr(self, "_paginator"):
            changes = self.request is not None and self.updated_since is not None
            self._paginator = (
                pagination.ChangesPagination() if changes else pagination.TimelinePagination()
            )
        return self._paginator


@extend_schema_view(
    list=list_schema(
        RetractedEventSerializer,
        "List the retracted events",
        "Events that were published and later retracted, with the public note saying "
        "why, in the order of their retraction: for mirrors to delete their copies. "
        "Their records (`/api/v1/events/{id}/`) answer 404.",
        parameters=[
            updated_since_parameter(
                "Only the events retracted, or whose note was edited, at or after this "
                "ISO 8601 time (UTC when no offset is given)."
            )
        ],
    ),
)
class RetractedEventViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = RetractedEventSerializer
    pagination_class = pagination.ChangesPagination

    def get_queryset(self):
        events = Event.objects.retracted_in_public().select_related("conflict")
        if (since := parse_updated_since(self.request)) is not None:
            events = events.filter(updated_at__gte=since)
        return events.annotate(last_updated=F("updated_at"))


@extend_schema_view(
    list=list_schema(
        WithdrawalSerializer,
        "List the withdrawn events",
        "Events that were published and no longer are: returned to draft or review, or "
        "retracted, in the order of those changes, so that mirrors can delete their copies. "
        "Only what was public is given: the id, conflict, slug and permalink the event had, "
        "how and when it was withdrawn, and a retraction's public note. Events never "
        "published are not listed.",
        parameters=[
            updated_since_parameter(
                "Only the events withdrawn, or whose retraction note was reworded, at or "
                "after this ISO 8601 time (UTC when no offset is given). Follow `next` to "
                "the end, and start the next run from the latest `changed_at` seen."
            )
        ],
    ),
)
class WithdrawalViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = WithdrawalSerializer
    pagination_class = pagination.WithdrawalsPagination

    def get_queryset(self):
        events = Event.objects.select_related("conflict")
        if (since := parse_updated_since(self.request)) is not None:
            return events.withdrawn_since(since)
        return events.withdrawn()


@extend_schema_view(
    list=list_schema(
        ActorSerializer,
        "List the actors",
        "Actors taking part in or stating figures on published events, by id.",
    ),
    retrieve=detail_schema(ActorSerializer, "One actor", "An actor, by id."),
)
class ActorViewSet(ReadOnlyViewSet):
    queryset = (
        Actor.objects.named_by_public_record()
        .select_related("affiliation")
        .annotate(
            affiliation_is_public=Exists(
                Actor.objects.named_by_public_record().filter(pk=OuterRef("affiliation_id"))
            )
        )
    )
    serializer_class = ActorSerializer


@extend_schema_view(
    list=list_schema(PlaceSerializer, "List the places", "Places of published events, by id."),
    retrieve=detail_schema(PlaceSerializer, "One place", "A place, by id."),
)
class PlaceViewSet(ReadOnlyViewSet):
    queryset = Place.objects.named_by_public_record()
    serializer_class = PlaceSerializer


@extend_schema_view(
    list=list_schema(
        SourceSerializer,
        "List the sources",
        "Sources cited by published events or by their figure claims, by id.",
    ),
    retrieve=detail_schema(SourceSerializer, "One source", "A source, by id."),
)
class SourceViewSet(ReadOnlyViewSet):
    queryset = Source.objects.named_by_public_record()
    serializer_class = SourceSerializer
