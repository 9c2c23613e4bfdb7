"""Admin lists over tables too large to count on every page view."""

from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

# Below this many rows an exact count is cheap enough.
EXACT_COUNT_BELOW = 100_000


class EstimatedCountPaginator(Paginator):
    """Counts an unfiltered list of a large PostgreSQL table from the
    planner's estimate (pg_class.reltuples) instead of COUNT(*), which reads
    the whole table. A filtered list is counted exactly: its filters are
    served by indexes. The page links near the end may then be a little off,
    which a newsroom scrolling its latest entries never notices."""

    @cached_property
    def count(self):
        queryset = self.object_list
        connection = connections[getattr(queryset, "db", "default")]
        if (
            connection.vendor == "postgresql"
            and hasattr(queryset, "query")
            and not queryset.query.where
        ):
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
                    [queryset.model._meta.db_table],
                )
                row = cursor.fetchone()
            if row and row[0] >= EXACT_COUNT_BELOW:
                return int(row[0])
        return super().count


class NarrowedDateHierarchyChangeList(ChangeList):
    """Shows the date hierarchy only once the list is narrowed by one of
    the hierarchy's `narrowing` parameters: drawing it reads the dates of
    every row in the list."""

    narrowing = ("conflict__id__exact",)

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        if not any(name in request.GET for name in (*self.narrowing, *self._date_params())):
            self.date_hierarchy = None

    def _date_params(self):
        if not self.date_hierarchy:
            return ()
        return tuple(f"{self.date_hierarchy}__{part}" for part in ("year", "month", "day"))


def narrowed_date_hierarchy_changelist(model_admin, request, **kwargs):
    """For ModelAdmin.get_changelist."""
    return NarrowedDateHierarchyChangeList
