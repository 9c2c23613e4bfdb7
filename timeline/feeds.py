"""Atom and RSS feeds of published events, per conflict and for all of them.

A feed lists the latest events by when we first published them, newest first,
not by when they happened: a reader subscribes to learn what is new, and an
event entered today about last week must still reach them. Query parameters
filter a feed as they filter the timeline (feed.atom?kind=ceasefire).

The Atom feed also tells of the events most recently withdrawn (returned to
draft or review, or retracted) with RFC 6721 tombstones, so that a reader or
aggregator that kept an entry can drop it. Tombstones ignore the filters:
matching a search against a withdrawn event would reveal what its draft now
says, and a tombstone for an entry a reader never had is ignored.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed, rfc3339_date
from django.utils.html import escape
from django.utils.translation import gettext as _

from tracker import newsroom
from tracker.models import Conflict, Event
from tracker.models.translated import in_language

from . import fragments, websub
from .look import absolute_logo_url
from .published import filtered_events
from .query import TimelineQuery

ITEMS_PER_FEED = 50
TOMBSTONES_PER_FEED = 20
TOMBSTONES_NS = "http://purl.org/atompub/tombstones/1.0"


@dataclass
class Subject:
    """What one request for a feed is about."""

    conflict: Conflict | None
    events: QuerySet
    link: str  # the timeline the feed follows, with the same filters
    feed_url: str
    absolute: Callable[[str], str]  # the request's build_absolute_uri
    logo: str = ""  # the newsroom's logo, as a full address

    def tombstones(self):
        """The latest withdrawals, each as (the id its entry had, when, the
        retraction note or "")."""
        events = Event.objects.select_related("conflict")
        if self.conflict is not None:
            events = events.in_conflict(self.conflict)
        return [
            Tombstone(
                ref=self.absolute(event.get_absolute_url()),
                when=event.withdrawn_at,
                comment=event.retraction_note
                if event.withdrawal == Event.Withdrawal.RETRACTED
                else "",
            )
            for event in events.latest_withdrawals(TOMBSTONES_PER_FEED)
        ]


@dataclass
class Tombstone:
    ref: str
    when: object  # an aware datetime
    comment: str


class TombstoneAtom1Feed(Atom1Feed):
    """Atom with RFC 6721 deleted entries (`at:deleted-entry`) after the
    entries, from the feed's `tombstones`. A withdrawal is a change to the
    feed, so it moves the feed's updated time."""

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:at": TOMBSTONES_NS}

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if self.feed.get("logo"):
            handler.addQuickElement("logo", self.feed["logo"])
        if hub := self.feed.get("hub"):
            handler.addQuickElement("link", "", {"rel": "hub", "href": hub})

    def write_items(self, handler):
        super().write_items(handler)
        for tombstone in self.feed["tombstones"]:
            handler.startElement(
                "at:deleted-entry", {"ref": tombstone.ref, "when": rfc3339_date(tombstone.when)}
            )
            if tombstone.comment:
                handler.addQuickElement("at:comment", tombstone.comment)
            handler.endElement("at:deleted-entry")

    def latest_post_date(self):
        moments = [tombstone.when for tombstone in self.feed["tombstones"]]
        if self.items or not moments:
            moments.append(super().latest_post_date())
        return max(moments)


class LogoRss201rev2Feed(Rss201rev2Feed):
    """RSS 2.0 with the newsroom's logo as the channel's image, and the
    WebSub hub (timeline.websub) as an atom:link."""

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if self.feed.get("logo"):
            handler.startElement("image", {})
            handler.addQuickElement("url", self.feed["logo"])
            handler.addQuickElement("title", self.feed["title"])
            handler.addQuickElement("link", self.feed["link"])
            handler.endElement("image")
        if hub := self.feed.get("hub"):
            handler.addQuickElement("atom:link", None, {"rel": "hub", "href": hub})


def enclosure_of(event, absolute):
    """The event's lead image (never a graphic one: a feed reader shows it
    with no warning) as an enclosure, the JPEG of the shared size. Its length
    is 0, "unknown", as the RSS Best Practices Profile asks when it cannot be
    told: asking the media store the size of fifty files would cost a
    request each."""
    image = event.lead_image
    if image is None:
        return None
    _width, shared, _height = image.shared_size
    return Enclosure(absolute(shared.url), "0", "image/jpeg")


def latest(events):
    return (
        events.with_last_updated()
        .select_related("conflict", "place")
        .order_by("-published_at", "-pk")[:ITEMS_PER_FEED]
    )


class EventFeed(Feed):
    """Atom; EventRssFeed below is the same feed in RSS 2.0."""

    feed_type = TombstoneAtom1Feed

    def get_object(self, request, conflict=None):
        if conflict is not None:
            conflict = get_object_or_404(Conflict, slug=conflict)
            link = conflict.get_absolute_url()
        else:
            link = reverse("timeline:home")
        return Subject(
            conflict=conflict,
            events=latest(filtered_events(request, conflict)),
            link=request.build_absolute_uri(link + TimelineQuery.of(request).suffix),
            feed_url=request.build_absolute_uri(request.get_full_path()),
            absolute=request.build_absolute_uri,
            logo=absolute_logo_url(request),
        )

    def title(self, subject):
        if subject.conflict is None:
            return _("Conflict timeline: latest events")
        return _("%(conflict)s: latest events") % {
            "conflict": in_language(subject.conflict, "name")
        }

    def description(self, subject):
        if subject.conflict is None:
            return _("Newly published events from every conflict we cover.")
        summary = str(in_language(subject.conflict, "summary"))
        return summary or _("Newly published events in %(conflict)s.") % {
            "conflict": in_language(subject.conflict, "name")
        }

    subtitle = description

    def link(self, subject):
        return subject.link

    def feed_url(self, subject):
        return subject.feed_url

    def author_name(self):
        return newsroom.name()

    def author_link(self):
        return newsroom.look().site_url or None

    def feed_extra_kwargs(self, subject):
        return {"tombstones": subject.tombstones(), "logo": subject.logo, "hub": websub.hub()}

    def items(self, subject):
        # One Feed instance serves every request, so what depends on the
        # request travels on the items rather than on self.
        events = list(subject.events)
        # Every item's lead image, for its enclosure, kept card or not.
        prefetch_related_objects(events, *Event.details("media"))
        for event in events:
            event.permalink = subject.absolute(event.get_absolute_url())
            event.enclosure = enclosure_of(event, subject.absolute)
        descriptions = fragments.cards(
            events,
            "timeline/_event_text.html",
            context=lambda event: {"show_when": True, "permalink": event.permalink},
            details=Event.details("claims", "corrections"),
        )
        for event in events:
            event.description = descriptions[event.pk]
        return events

    def item_title(self, event):
        # Atom titles are plain text; the XML writer escapes them once. In
        # the feed's language where translated; the description marks the
        # original.
        return str(in_language(event, "title"))

    def item_enclosures(self, event):
        return [event.enclosure] if event.enclosure else []

    def item_description(self, event):
        return event.description

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
    feed_type = LogoRss201rev2Feed

    def feed_extra_kwargs(self, subject):
        # RSS has no way to say an item was withdrawn.
        return {"logo": subject.logo, "hub": websub.hub()}

    # RSS readers commonly read titles and descriptions as HTML: what is
    # plain text (the conflict's name and summary, event titles) is escaped
    # once more, as Django's own default does for items.

    def title(self, subject):
        return escape(super().title(subject))

    def description(self, subject):
        return escape(super().description(subject))

    def item_title(self, event):
        return escape(super().item_title(event))
