"""Atom and RSS feeds of published events, per conflict and for all of them.

A feed lists the latest events by when we first published them, newest first,
not by when they happened: a reader subscribes to learn what is new, and an
event entered today about last week must still reach them. Query parameters
filter a feed as they filter the timeline (feed.atom?kind=ceasefire).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from tracker.models import Conflict

from .published import filter_params, filtered_events

ITEMS_PER_FEED = 50


@dataclass
class Subject:
    """What one request for a feed is about."""

    conflict: Conflict | None
    events: QuerySet
    link: str  # the timeline the feed follows, with the same filters
    feed_url: str
    absolute: Callable[[str], str]  # the request's build_absolute_uri


def latest(events):
    return (
        events.with_last_updated()
        .select_related("conflict", "place")
        .prefetch_related("claims", "corrections")
        .order_by("-published_at", "-pk")[:ITEMS_PER_FEED]
    )


class EventFeed(Feed):
    """Atom; EventRssFeed below is the same feed in RSS 2.0."""

    feed_type = Atom1Feed

    def get_object(self, request, conflict=None):
        if conflict is not None:
            conflict = get_object_or_404(Conflict, slug=conflict)
            link = conflict.get_absolute_url()
        else:
            link = reverse("timeline:home")
        params = filter_params(request.GET)
        query = f"?{params.urlencode()}" if params else ""
        return Subject(
            conflict=conflict,
            events=latest(filtered_events(request, conflict)),
            link=request.build_absolute_uri(link + query),
            feed_url=request.build_absolute_uri(request.get_full_path()),
            absolute=request.build_absolute_uri,
        )

    def title(self, subject):
        if subject.conflict is None:
            return _("Conflict timeline: latest events")
        return _("%(conflict)s: latest events") % {"conflict": subject.conflict.name}

    def description(self, subject):
        if subject.conflict is None:
            return _("Newly published events from every conflict we cover.")
        return subject.conflict.summary or _("Newly published events in %(conflict)s.") % {
            "conflict": subject.conflict.name
        }

    subtitle = description

    def link(self, subject):
        return subject.link

    def feed_url(self, subject):
        return subject.feed_url

    def author_name(self):
        return settings.NEWSROOM_NAME

    def items(self, subject):
        # One Feed instance serves every request, so what depends on the
        # request travels on the items rather than on self.
        events = list(subject.events)
        for event in events:
            event.permalink = subject.absolute(event.get_absolute_url())
        return events

    def item_title(self, event):
        # Atom titles are plain text; the XML writer escapes them once.
        return event.title

    def item_description(self, event):
        return render_to_string(
            "timeline/_event_text.html",
            {"event": event, "show_when": True, "permalink": self.item_link(event)},
        )

    def item_link(self, event):
        # Absolute already, so that the description can link to it too.
        return event.permalink

    def item_guid(self, event):
        # The permalink never changes, even when the title does.
        return event.permalink

    item_guid_is_permalink = True

    def item_pubdate(self, event):
        return event.published_at

    def item_updateddate(self, event):
        return event.last_updated

    def item_categories(self, event):
        return [str(event.get_kind_display())]


class EventRssFeed(EventFeed):
    feed_type = Rss201rev2Feed

    # RSS readers commonly read titles and descriptions as HTML: what is
    # plain text (the conflict's name and summary, event titles) is escaped
    # once more, as Django's own default does for items.

    def title(self, subject):
        return escape(super().title(subject))

    def description(self, subject):
        return escape(super().description(subject))

    def item_title(self, event):
        return escape(event.title)
