"""The timeline's query string, read in one place.

A timeline address says what to show (the filters: `kind=`, `q=`, ...), in
which order (`order=newest` or `relevance`) and from where (`after=`,
`before=`, `on=`, `page=`). The page, its links, the jump-to-date form and
the feeds, downloads and embed of the same view all ask one TimelineQuery,
built once per request, instead of reading the parameters themselves.
"""

from dataclasses import dataclass

from django.utils.functional import cached_property

from .filters import EventFilter
from .pagination import Cursor, RelevancePage

# Where a page starts: dropped by a change of order, kept out of the feeds.
POSITION_PARAMS = ("after", "before", "on", "page")


@dataclass
class PageLinks:
    previous: str | None
    next: str | None


class TimelineQuery:
    def __init__(self, params):
        self.params = params

    @classmethod
    def of(cls, request):
        """The request's query, built on the first asking and kept with it."""
        if not hasattr(request, "_timeline_query"):
            request._timeline_query = cls(request.GET)
        return request._timeline_query

    @property
    def order(self):
        return self.params.get("order")

    @property
    def newest_first(self):
        return self.order == "newest"

    @property
    def asks_relevance(self):
        """Best match first asked for; it applies only to a search."""
        return self.order == "relevance"

    @property
    def page_number_text(self):
        return self.params.get("page")

    @property
    def before(self):
        return Cursor.parse(self.params.get("before"))

    @property
    def after(self):
        return Cursor.parse(self.params.get("after"))

    @property
    def on(self):
        """The date "jump to date" was given, as typed ("" when none)."""
        return self.params.get("on", "")

    def with_(self, **changes):
        """This query with parameters set, or removed when None, as Django's
        {% querystring %} writes it ("?..."; "" when there was and is none)."""
        params = self.params.copy()
        for name, value in changes.items():
            if value is None:
                params.pop(name, None)
            else:
                params[name] = str(value)
        if not params and not self.params:
            return ""
        return f"?{params.urlencode()}"

    def in_order(self, order):
        """This view in another order, from its start."""
        return self.with_(order=order, **dict.fromkeys(POSITION_PARAMS))

    @property
    def oldest_first_link(self):
        return self.in_order(None)

    @property
    def newest_first_link(self):
        return self.in_order("newest")

    @property
    def relevance_link(self):
        return self.in_order("relevance")

    def page_links(self, page):
        """The addresses of the pages before and after `page` (None at an end):
        by number for search results by relevance, else by cursor."""
        if isinstance(page, RelevancePage):
            return PageLinks(
                previous=self.with_(page=page.number - 1) if page.number > 1 else None,
                next=self.with_(page=page.number + 1) if page.has_next else None,
            )
        return PageLinks(
            previous=self.with_(before=page.previous, after=None, on=None)
            if page.previous
            else None,
            next=self.with_(after=page.next, before=None, on=None) if page.next else None,
        )

    @cached_property
    def kept_by_jump(self):
        """(name, value) of everything but the position: what "jump to date"
        keeps of the current view."""
        return [
            (name, value)
            for name, values in self.params.lists()
            if name not in POSITION_PARAMS
            for value in values
        ]

    @cached_property
    def filters(self):
        """The parameters the filters read, without the position and order:
        what a feed, download or embed of the same view needs."""
        kept = self.params.copy()
        for name in self.params:
            if name not in EventFilter.base_filters:
                del kept[name]
        return kept

    @cached_property
    def suffix(self):
        """'?kind=ceasefire&key=true', or '' without filters: appended to a
        feed, download or embed address."""
        return f"?{self.filters.urlencode()}" if self.filters else ""
