"""What the OpenAPI schema says beyond what drf-spectacular reads from the
serializers: summaries, the errors, and what the timeline's filters mean to
an API client."""

from django_filters import ModelChoiceFilter
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers

BAD_REQUEST = OpenApiResponse(
    {
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
        "example": {"date_from": ["Enter a valid date."]},
    },
    description="A parameter is not understood: the errors, by parameter name.",
)
NOT_FOUND = OpenApiResponse(
    inline_serializer("NotFound", {"detail": serializers.CharField()}),
    description="No such public record.",
)
TOO_MANY_REQUESTS = OpenApiResponse(
    inline_serializer("TooManyRequests", {"detail": serializers.CharField()}),
    description="Too many requests from this address in the current period: "
    "the `Retry-After` header says in how many seconds to try again.",
)


def list_schema(serializer, summary, description, parameters=()):
    return extend_schema(
        summary=summary,
        description=description,
        parameters=list(parameters),
        responses={
            200: OpenApiResponse(serializer, description="A page; `next` leads to the next."),
            400: BAD_REQUEST,
            429: TOO_MANY_REQUESTS,
        },
    )


# Record ids are the database's 64-bit keys.
ID = {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}


def detail_schema(serializer, summary, description, key=None):
    key = key or OpenApiParameter("id", ID, OpenApiParameter.PATH, description="The record's id.")
    return extend_schema(
        summary=summary,
        description=description,
        parameters=[key],
        responses={
            200: OpenApiResponse(serializer, description="The record."),
            404: NOT_FOUND,
            429: TOO_MANY_REQUESTS,
        },
    )


def updated_since_parameter(description):
    return OpenApiParameter("updated_since", OpenApiTypes.DATETIME, description=description)


# The filters are the timeline's (timeline.filters.EventFilter); these say
# what each one means to an API client.
FILTER_PARAMETERS = [
    OpenApiParameter(
        "conflict",
        OpenApiTypes.STR,
        description="Only this conflict's events, by its slug, e.g. `nagorno-karabakh`.",
    ),
    OpenApiParameter(
        "actor",
        ID,
        description="Only events in which this actor (an id) takes part in any role, "
        "or states a figure.",
    ),
    OpenApiParameter("place", ID, description="Only events at this place (an id)."),
    OpenApiParameter(
        "date_from",
        OpenApiTypes.DATE,
        description="Only events starting on or after this date (YYYY-MM-DD): a local "
        "date of the conflict given as `conflict`, otherwise a UTC date.",
    ),
    OpenApiParameter(
        "date_to",
        OpenApiTypes.DATE,
        description="Only events starting on or before this date (YYYY-MM-DD), read as "
        "`date_from` is.",
    ),
    OpenApiParameter(
        "disputed",
        OpenApiTypes.BOOL,
        description="`true`: only events whose figures are disputed; `false`: only the "
        "others. Leave out for both.",
    ),
    OpenApiParameter(
        "has_figures",
        OpenApiTypes.BOOL,
        description="`true`: only events with figures; `false`: only those without.",
    ),
    OpenApiParameter(
        "key", OpenApiTypes.BOOL, description="`true`: only key events; `false`: only the others."
    ),
]


class TimelineFilterExtension(DjangoFilterExtension):
    """django-filter's schema, also knowing that a model choice filtered by a
    method (EventFilter's `actor`) takes the chosen model's key, not a field
    of the filtered model."""

    priority = 1

    def _get_schema_from_model_field(self, auto_schema, filter_field, model):
        if isinstance(filter_field, ModelChoiceFilter) and filter_field.method:
            chosen = filter_field.queryset.model._meta
            key = filter_field.extra.get("to_field_name") or chosen.pk.name
            return auto_schema._map_model_field(chosen.get_field(key), direction=None)
        return super()._get_schema_from_model_field(auto_schema, filter_field, model)
