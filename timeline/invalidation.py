"""Which change touches which public pages.

Every public page carries *cache keys* naming what it shows (the response's
`Surrogate-Key` and `xkey` headers, read by the page cache in timeline.cache
and by a shared cache in front, deploy/varnish.vcl):

- `home`: the home page and every page outside a conflict (site-wide feeds,
  the API);
- `conflict-<slug>`: a conflict's own pages (timeline, live view and its
  updates, embed, feeds, figures, downloads), which list its events;
- `event-<pk>`: one event's page;
- `events-of-<slug>`: every event page of a conflict, for the changes that
  reach them all (the conflict renamed; an actor shown by thousands of
  them; the newsroom's look, which is on every page).

An event page also names the published events just before and after it on
the timeline: a change of an event touches the pages of its neighbours,
where it was and where it now is.

A change of the record touches the keys of the pages that show it, and no
others: publishing an event touches its page, its conflict's pages and the
home page, not the pages of the other events. Editing an actor, a place or a
source touches the pages of the events that show it, whose own version does
not change. The map also names, per conflict, the actors and places whose
place in the timeline's filter choices may have changed (timeline.choices).
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_save

HOME = "home"
# A conflict's pages, in any language: English at /conflicts/..., the others
# under their prefix (/ru/conflicts/...); each language's copy carries the
# same keys, so that one change renews them all.
CONFLICT_PAGE = re.compile(
    r"^(?:/[a-z]{2}(?:-[a-z]+)?)?/conflicts/(?P<slug>[^/]+)/(?P<event>events/[^/]+/)?"
)
# Above this many events, a change names the pages of their conflicts as a
# whole rather than each event's: a purge of a few keys, not of thousands.
MOST_EVENTS_NAMED = 500
# A change of more events than this at once (a bulk move) names every event
# page of their conflicts rather than looking up each event's neighbours
# before and after: two queries an event would make a bulk publish cost
# more queries the more events it moves.
NEIGHBOURS_NAMED_AT_MOST = 1


def conflict_key(slug):
    return f"conflict-{slug}"


def event_key(pk):
    return f"event-{pk}"


def events_of_key(slug):
    return f"events-of-{slug}"


def keys_of_path(path):
    """The keys a page carries by its address alone; an event's page adds its
    own (event_key) where it is made."""
    if match := CONFLICT_PAGE.match(path):
        if match["event"]:
            return [events_of_key(match["slug"])]
        return [conflict_key(match["slug"])]
    return [HOME]


def add_keys(response, *keys):
    """Let `response` carry `keys` as well as those of its address."""
    response.cache_keys = [*getattr(response, "cache_keys", []), *keys]
    return response


@dataclass
class Touched:
    """What a change touches: cache keys, and per conflict (by pk) the actors
    and places to check again in its filter choices."""

    keys: set = field(default_factory=set)
    actors: dict = field(default_factory=lambda: defaultdict(set))
    places: dict = field(default_factory=lambda: defaultdict(set))
    every_choice: bool = False  # too much changed: make them afresh

    def __or__(self, other):
        merged = Touched(keys=self.keys | other.keys)
        for mine, theirs, into in (
            (self.actors, other.actors, merged.actors),
            (self.places, other.places, merged.places),
        ):
            for source in (mine, theirs):
                for conflict, ids in source.items():
                    into[conflict] |= ids
        merged.every_choice = self.every_choice or other.every_choice
        return merged

    def __bool__(self):
        return bool(self.keys or self.actors or self.places or self.every_choice)


def _events(event_ids):
    """(pk, conflict pk, conflict slug) of these events."""
    from tracker.models import Event

    ids = [pk for pk in set(event_ids) if pk is not None]
    rows = []
    for start in range(0, len(ids), 1000):
        batch = ids[start : start + 1000]
        rows += Event.objects.filter(pk__in=batch).values_list("pk", "conflict", "conflict__slug")
    return rows


def _touch_events(touched, rows):
    """The pages showing these events: their own (or, for very many, all of
    their conflicts'), their conflicts' and the home page."""
    touched.keys.add(HOME)
    slugs = {slug for _pk, _conflict, slug in rows}
    touched.keys |= {conflict_key(slug) for slug in slugs}
    if len(rows) > MOST_EVENTS_NAMED:
        touched.keys |= {events_of_key(slug) for slug in slugs}
    else:
        touched.keys |= {event_key(pk) for pk, _conflict, _slug in rows}
    return touched


def _named_by(event_rows):
    """Per conflict, the actors and places these events name."""
    from tracker.models import Event, FigureClaim, Participant

    conflict_of = {pk: conflict for pk, conflict, _slug in event_rows}
    actors, places = defaultdict(set), defaultdict(set)
    ids = list(conflict_of)
    for start in range(0, len(ids), 1000):
        batch = ids[start : start + 1000]
        for event, actor in Participant.objects.filter(event__in=batch).values_list(
            "event", "actor"
        ):
            actors[conflict_of[event]].add(actor)
        for event, claimant in FigureClaim.objects.filter(event__in=batch).values_list(
            "event", "claimant"
        ):
            actors[conflict_of[event]].add(claimant)
        for event, place in Event.objects.filter(pk__in=batch, place__isnull=False).values_list(
            "pk", "place"
        ):
            places[conflict_of[event]].add(place)
    return actors, places


def neighbour_keys(positions):
    """The keys of the pages of the published events just before and just
    after each position, (conflict pk, starts_at, pk): the pages that name
    an event at that place of its timeline as their neighbour
    (timeline.position). Two queries along the timeline's index each."""
    from .pagination import Cursor
    from .position import beside

    keys = set()
    for conflict, starts_at, pk in positions:
        if starts_at is None:
            continue
        for after in (False, True):
            nearest = beside(conflict, Cursor(starts_at, pk or 0), after=after)
            keys |= {event_key(neighbour) for neighbour in nearest.values_list("pk", flat=True)[:1]}
    return keys


def _touch_neighbours(touched, rows):
    """The pages of these events' neighbours; past a few events, every event
    page of their conflicts."""
    from tracker.models import Event

    if len(rows) > NEIGHBOURS_NAMED_AT_MOST:
        touched.keys |= {events_of_key(slug) for _pk, _conflict, slug in rows}
        return touched
    # A draft never published is nobody's neighbour, and was not.
    positions = (
        Event.objects.filter(pk__in=[pk for pk, _conflict, _slug in rows])
        .filter(Q(status=Event.Status.PUBLISHED) | Q(published_at__isnull=False))
        .values_list("conflict", "starts_at", "pk")
    )
    touched.keys |= neighbour_keys(positions)
    return touched


def events_touched(event_ids):
    """The pages and choices that showing these events touches, with the
    events linked to them (whose pages show their titles) and their
    neighbours on the timeline (whose pages link to them)."""
    from tracker.models import EventLink

    rows = _events(event_ids)
    if len(rows) > MOST_EVENTS_NAMED:
        touched = _touch_events(Touched(every_choice=True), rows)
        return _touch_neighbours(touched, rows)
    ids = [pk for pk, _conflict, _slug in rows]
    linked = EventLink.objects.filter(Q(from_event__in=ids) | Q(to_event__in=ids)).values_list(
        "from_event", "to_event"
    )
    touched = _touch_neighbours(_touch_events(Touched(), rows), rows)
    touched.keys |= {event_key(pk) for pair in linked for pk in pair}
    actors, places = _named_by(rows)
    touched.actors.update(actors)
    touched.places.update(places)
    return touched


def _of_event(event):
    if event.pk is not None and (touched := events_touched([event.pk])):
        return touched
    # A new event without a row yet, or a deleted one without one any more.
    from tracker.models import Conflict

    slugs = Conflict.objects.filter(pk=event.conflict_id).values_list("slug", flat=True)
    touched = Touched(keys={HOME, *(conflict_key(slug) for slug in slugs)})
    if event.pk is not None:
        touched.keys.add(event_key(event.pk))
    touched.keys |= neighbour_keys([(event.conflict_id, event.starts_at, event.pk)])
    if event.place_id:
        touched.places[event.conflict_id].add(event.place_id)
    return touched


def _of_event_part(part):
    touched = _touch_events(Touched(), _events([part.event_id]))
    touched.keys.add(event_key(part.event_id))
    conflicts = [conflict for _pk, conflict, _slug in _events([part.event_id])]
    for actor in (getattr(part, "actor_id", None), getattr(part, "claimant_id", None)):
        for conflict in conflicts:
            if actor is not None:
                touched.actors[conflict].add(actor)
    return touched


def _of_link(link):
    touched = _touch_events(Touched(), _events([link.from_event_id, link.to_event_id]))
    touched.keys |= {event_key(link.from_event_id), event_key(link.to_event_id)}
    return touched


def _of_phase(phase):
    from tracker.models import Conflict

    slugs = Conflict.objects.filter(pk=phase.conflict_id).values_list("slug", flat=True)
    return Touched(keys={HOME, *(conflict_key(slug) for slug in slugs)})


def _of_conflict(conflict):
    # Its name is on every one of its pages, and on the home page.
    return Touched(keys={HOME, conflict_key(conflict.slug), events_of_key(conflict.slug)})


def _of_shown_record(events_showing, *, actor=None, place=None):
    """An actor, place or source: the events that show it, in any status
    (a retracted event's page, a draft's preview)."""
    from tracker.models import Event

    ids = list(Event.objects.filter(events_showing).values_list("pk", flat=True).distinct())
    rows = _events(ids)
    touched = _touch_events(Touched(), rows)
    for conflict in {conflict for _pk, conflict, _slug in rows}:
        if actor is not None:
            touched.actors[conflict].add(actor)
        if place is not None:
            touched.places[conflict].add(place)
    return touched


def _of_actor(actor):
    if actor.pk is None:
        return Touched(keys={HOME})
    showing = (
        Q(participants__actor=actor.pk)
        | Q(claims__claimant=actor.pk)
        | Q(claims__party=actor.pk)
        # An affiliate's name may be shown with the actor it is aligned with.
        | Q(participants__actor__affiliation=actor.pk)
    )
    return _of_shown_record(showing, actor=actor.pk)


def _of_place(place):
    if place.pk is None:
        return Touched(keys={HOME})
    return _of_shown_record(Q(place=place.pk), place=place.pk)


def _of_source(source):
    if source.pk is None:
        return Touched(keys={HOME})
    return _of_shown_record(
        Q(citations__source=source.pk) | Q(claims__source=source.pk) | Q(media__source=source.pk)
    )


def tracked():
    """Each kind of record the public site shows, with what a change of one
    touches, read from its field values (before and after the change)."""
    from tracker.models import (
        Actor,
        Citation,
        Conflict,
        Correction,
        Event,
        EventLink,
        FigureClaim,
        MediaItem,
        Participant,
        Phase,
        Place,
        Source,
    )

    return {
        Event: _of_event,
        FigureClaim: _of_event_part,
        Citation: _of_event_part,
        Participant: _of_event_part,
        Correction: _of_event_part,
        MediaItem: _of_event_part,
        EventLink: _of_link,
        Phase: _of_phase,
        Conflict: _of_conflict,
        Actor: _of_actor,
        Place: _of_place,
        Source: _of_source,
    }


def touched_by(instance):
    """What a change of `instance`, as it now is, touches."""
    return tracked()[type(instance)](instance)


# What an actor, a place or a source touches does not depend on its own
# fields; the others may leave a page behind when a field moves them (an
# event moved to another conflict, a claim to another claimant).
MOVABLE = {
    "Event",
    "FigureClaim",
    "Citation",
    "Participant",
    "Correction",
    "MediaItem",
    "EventLink",
    "Phase",
    "Conflict",
}


def touched_before(instance):
    """What `instance` touched before the change about to be saved, read
    from its row."""
    model = type(instance)
    if instance.pk is None or model.__name__ not in MOVABLE:
        return Touched()
    rows = model._default_manager.filter(pk=instance.pk)
    if model.__name__ == "Event":
        # An event leaves pages behind only when it moves to another
        # conflict or place, or to another time, away from the events it
        # stood between; the rest of it is where it was.
        where = (instance.conflict_id, instance.place_id, instance.starts_at)
        was = rows.values_list("conflict", "place", "starts_at", "published_at").first()
        if was is None or was[:3] == where:
            return Touched()
        if was[:2] != where[:2]:
            return events_touched([instance.pk])
        if was[3] is None:
            return Touched()  # a draft never published: nobody's neighbour
        return Touched(keys=neighbour_keys([(was[0], was[2], instance.pk)]))
    before = rows.first()
    return touched_by(before) if before is not None else Touched()


def everything_touched():
    """A change to records every conflict shares, said of no event in
    particular (an import of sources): every conflict's pages."""
    return Touched(keys=everything_shown(), every_choice=True)


# When the record changes: the page cache's tokens are replaced at once and
# again after the commit; after the commit, the filter choices are revised
# (timeline.choices) and the shared caches in front told (timeline.purge,
# which merges what waits to be sent).


def changed(touched):
    from timeline import cache

    cache.renew(touched.keys)
    transaction.on_commit(partial(_committed, touched))  # at once outside a transaction


def _committed(touched):
    from timeline import cache, choices, purge

    # The choices first: a page made again after its tokens are replaced
    # must show the revised ones.
    choices.revise_touched(touched)
    cache.renew(touched.keys)
    purge.purge(touched.keys)


def everything_shown():
    """Every public page: the home page's key, and every conflict's and
    every event page's."""
    from tracker.models import Conflict

    keys = {HOME}
    for slug in Conflict.objects.values_list("slug", flat=True):
        keys |= {conflict_key(slug), events_of_key(slug)}
    return keys


def look_changed():
    """The newsroom's look (its name, logo, colours) is on every public page,
    every card and every feed: all of them are made afresh, as after a new
    release, and the shared caches in front drop every page. At once, and
    again after the commit, once the new look is what every app server
    reads (tracker.newsroom.refresh)."""
    from timeline import cache

    cache.renew_everything()
    touched = Touched(keys=everything_shown())
    cache.renew(touched.keys)
    transaction.on_commit(partial(_look_committed, touched))


def _look_committed(touched):
    from timeline import cache, purge
    from tracker import newsroom

    newsroom.refresh()
    cache.renew_everything()
    cache.renew(touched.keys)
    purge.purge(touched.keys)


def _after_look_change(sender, instance, **kwargs):
    look_changed()


def _before_save(sender, instance, raw=False, **kwargs):
    instance._touched_before = touched_before(instance)


def _after_change(sender, instance, **kwargs):
    changed(touched_by(instance) | getattr(instance, "_touched_before", Touched()))


def _after_bulk_change(sender, event_ids=None, **kwargs):
    changed(everything_touched() if event_ids is None else events_touched(list(event_ids)))


def connect_signals():
    from tracker.models import NewsroomLook
    from tracker.signals import changed_in_bulk

    changed_in_bulk.connect(_after_bulk_change, dispatch_uid="page-cache-bulk")
    for signal in (post_save, post_delete):
        signal.connect(_after_look_change, sender=NewsroomLook, dispatch_uid="page-cache-look")
    for model in tracked():
        uid = f"page-cache-{model.__name__}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=uid)
        post_save.connect(_after_change, sender=model, dispatch_uid=uid)
        post_delete.connect(_after_change, sender=model, dispatch_uid=uid)
