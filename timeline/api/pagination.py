"""Keyset pagination for the API.

A page is fetched by where the previous one ended, never by its number: the
database walks an index from that point, nothing is counted, and rows added
meanwhile neither repeat nor skip anything on the following pages.

Events in time order use the timeline's own cursor (timeline.pagination.Cursor,
"<microseconds>-<id>" of the last event's start), so the timeline's `after=`
and the API's `cursor=` name the same position. Changes for mirrors use the
same form over the time of the change; the other lists go by id alone.

Not DRF's CursorPagination: its cursors are opaque (base64 of a position,
an offset and a direction), so they cannot be the timeline's readable
`after=`; it positions on the first ordering field alone and steps over ties
by an offset capped at 1,000 rows, where thousands of day-precision events
share one local midnight; and it answers a bad cursor with 404 and ignores a
bad page size, where these pages answer 400 naming the parameter.
"""

import re

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from timeline.pagination import CURSOR, Cursor, beyond

ID_CURSOR = re.compile(r"^[0-9]{1,19}$")
DIGITS = re.compile(r"^[0-9]+$")


class KeysetPagination(BasePagination):
    page_size = 50
    max_page_size = 200
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    # The datetime rows are ordered by, before their id; None orders by id alone.
    moment = None

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = self.get_page_size(request)
        after = self.get_cursor(request)
        if after is not None:
            queryset = queryset.filter(self.beyond(after))
        order = [self.moment, "pk"] if self.moment else ["pk"]
        rows = list(queryset.order_by(*order)[: size + 1])
        self.next_cursor = self.cursor_of(rows[size - 1]) if len(rows) > size else None
        return rows[:size]

    def get_page_size(self, request):
        text = request.query_params.get(self.page_size_query_param)
        if text is None:
            return self.page_size
        digits = text.lstrip("0") if DIGITS.match(text) else ""
        if (
            not digits
            or len(digits) > len(str(self.max_page_size))
            or (int(digits) > self.max_page_size)
        ):
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("A whole number from 1 to %(most)d.") % {"most": self.max_page_size}
                    ]
                }
            )
        return int(digits)

    def get_cursor(self, request):
        text = request.query_params.get(self.cursor_query_param)
        if text is None:
            return None
        cursor = self.parse(text)
        if cursor is None:
            raise ValidationError(
                {self.cursor_query_param: [_("Not a cursor given by a previous page.")]}
            )
        return cursor

    @property
    def cursor_pattern(self):
        return (CURSOR if self.moment else ID_CURSOR).pattern

    def parse(self, text):
        if self.moment:
            return Cursor.parse(text)
        return int(text) if ID_CURSOR.match(text) else None

    def cursor_of(self, row):
        return Cursor(getattr(row, self.moment), row.pk) if self.moment else row.pk

    def beyond(self, cursor):
        """Rows strictly after the cursor."""
        if not self.moment:
            return Q(pk__gt=cursor)
        return beyond(cursor, moment=self.moment)

    def get_next_link(self):
        if self.next_cursor is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, str(self.next_cursor))

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "The next page, or null on the last one.",
                    "example": "https://example.org/api/v1/events/?cursor=1695200400000000-42",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": (
                    "Where the page starts: the cursor in the previous page's `next` link. "
                    "Leave out for the first page; any other value answers 400."
                ),
                "schema": {"type": "string", "pattern": self.cursor_pattern},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": (
                    f"Rows per page: {self.page_size} unless given, at most {self.max_page_size}."
                ),
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]


class ByIdPagination(KeysetPagination):
    pass


class TimelinePagination(KeysetPagination):
    """Events in time order, as on the timeline."""

    moment = "starts_at"


class ChangesPagination(KeysetPagination):
    """Rows in the order they last changed, for mirrors."""

    moment = "last_updated"


class WithdrawalsPagination(KeysetPagination):
    """Withdrawn events in the order they last changed (Event.objects.withdrawn)."""

    moment = "changed_at"
