"""The live view of a conflict, and what it asks for to update itself.

/conflicts/<c>/live/ lists the conflict's published events newest first by
when they were first published (the feeds' order, timeline.feeds.latest),
with the key events of the last 24 hours pinned above them. Without a
script it is a plain page with a link to look again; static/timeline/live.js
asks /conflicts/<c>/updates/?after=<cursor> what was published, corrected or
withdrawn since the cursor, and offers it to the reader.

A cursor is a moment, in microseconds since the epoch. Each answer names
the next one: the latest change it reports, or the same cursor when nothing
changed, so that every reader who is up to date asks for the same address
and a shared cache in front answers them all. An answer reports the changes
since a little before its cursor (OVERLAP): a change is stamped when it is
saved and seen only when it is committed, and the script ignores what it
already shows.

The answer's ETag is the conflict's page-cache token (timeline.cache, which
replaces it exactly when a public page of the conflict changes) with the
cursor: a conditional request is answered 304 before any query.
"""

import datetime
import hashlib
import json

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.http import HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags, quote_etag
from django.utils.translation import get_language

from tracker.models import Conflict, Correction, Event

from . import cache, fragments
from .feeds import latest
from .invalidation import conflict_key

PINNED_HOURS = 24
PINNED_MOST = 5
# How far before its cursor an answer looks: longer than a save takes to commit.
OVERLAP = datetime.timedelta(seconds=30)
# Changes reported in one answer at most; a reader far behind reloads.
MOST_CHANGES = 50
# How long a browser and a shared cache may reuse an answer: a few seconds
# turn a hundred thousand polling readers into one request now and then.
UPDATES_SECONDS = 5
# Corrections of every conflict read at most, for the changes of one.
MOST_CORRECTIONS_SEEN = 500
CURSOR_DIGITS = 17


def cursor_of(moment):
    return str(int(moment.timestamp() * 1_000_000))


def moment_of(cursor):
    """The moment a cursor names, or None if it names none."""
    if not (cursor and len(cursor) <= CURSOR_DIGITS and cursor.isascii() and cursor.isdigit()):
        return None
    try:
        moment = datetime.datetime.fromtimestamp(int(cursor) / 1_000_000, tz=datetime.UTC)
    except (OverflowError, OSError, ValueError):
        return None
    # No cursor we gave names a moment to come.
    return moment if moment <= timezone.now() + OVERLAP else None


def with_live_details(events):
    """Annotated with what a live card says beyond the card: when the event
    was last corrected, and the note of that correction."""
    latest_correction = Correction.objects.filter(event=OuterRef("pk")).order_by(
        "-published_at", "-pk"
    )
    return events.with_last_correction().annotate(
        correction_note=Subquery(latest_correction.values("note")[:1])
    )


def stamp_of(event):
    """When an event on the live view last changed for readers."""
    return cursor_of(max(event.last_updated, event.corrected_at or event.last_updated))


def live_cards(events, conflict):
    """{pk: markup} of `events` as the live view shows them: the timeline's
    card (timeline.fragments, kept rendered) in the live view's wrapper."""
    for event in events:
        event.conflict = conflict
    cards = fragments.cards(events)
    return {
        event.pk: render_to_string(
            "timeline/_live_card.html",
            {"event": event, "card": cards[event.pk], "stamp": stamp_of(event)},
        )
        for event in events
    }


def live(request, conflict):
    conflict = get_object_or_404(Conflict, slug=conflict)
    published = with_live_details(Event.objects.published().in_conflict(conflict))
    now = timezone.now()
    events = list(latest(published))
    day = now - datetime.timedelta(hours=PINNED_HOURS)
    pinned = list(latest(published.filter(is_key=True, published_at__gte=day))[:PINNED_MOST])
    cards = live_cards({event.pk: event for event in [*pinned, *events]}.values(), conflict)
    stamps = [stamp_of(event) for event in [*pinned, *events]]
    ctx = {
        "conflict": conflict,
        "events": [cards[event.pk] for event in events],
        "pinned": [cards[event.pk] for event in pinned],
        "cursor": max(stamps, key=int) if stamps else cursor_of(now),
        "poll_seconds": settings.LIVE_POLL_SECONDS,
    }
    return render(request, "timeline/live.html", ctx)


def etag_of(slug, cursor):
    key = conflict_key(slug)
    token = cache.tokens_of([key])[cache.TOKEN_PREFIX + key]
    about = f"{cache.release()}.{token}.{get_language()}.{cursor}"
    return quote_etag(hashlib.blake2b(about.encode(), digest_size=16).hexdigest())


def updates(request, conflict):
    """What was published, corrected or withdrawn in `conflict` since the
    cursor `after`, as JSON: each change with its markup, rendered and
    escaped here, and the cursor to ask with next."""
    cursor = request.GET.get("after", "")
    since = moment_of(cursor)
    if since is None:
        return _json({"error": "after must be a cursor given by the live view"}, status=400)
    etag = etag_of(conflict, cursor)
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        return _cacheable(HttpResponseNotModified(), conflict, etag)
    conflict = get_object_or_404(Conflict, slug=conflict)
    looked_from = since - OVERLAP
    published = Event.objects.published().in_conflict(conflict)
    # Two short lists of ids, each down an index or over few rows, rather
    # than one query whose OR the planner answers by walking every event.
    updated = published.filter(updated_at__gte=looked_from).order_by("-updated_at", "-pk")
    # Every conflict's latest corrections, few in any minute: no join with
    # the events, which the planner may answer by a pass over them all.
    corrected = Correction.objects.filter(published_at__gte=looked_from).order_by(
        "-published_at", "-pk"
    )
    ids = {
        *updated.values_list("pk", flat=True)[:MOST_CHANGES],
        *corrected.values_list("event", flat=True)[:MOST_CORRECTIONS_SEEN],
    }
    changed = list(
        with_live_details(published.filter(pk__in=ids))
        .with_last_updated()
        .select_related("place")
        .order_by("-updated_at", "-pk")[:MOST_CHANGES]
    )
    withdrawn = list(
        Event.objects.in_conflict(conflict)
        .withdrawn_since(looked_from)
        .order_by("-changed_at", "-pk")[:MOST_CHANGES]
    )
    cards = live_cards(changed, conflict)
    found = [
        {
            "id": event.pk,
            "stamp": stamp_of(event),
            "new": event.published_at >= looked_from,
            "html": cards[event.pk],
        }
        for event in changed
    ]
    for event in withdrawn:
        event.conflict = conflict
    gone = []
    for event in withdrawn:
        stamp = cursor_of(event.changed_at)
        html = render_to_string("timeline/_live_withdrawn.html", {"event": event, "stamp": stamp})
        gone.append({"id": event.pk, "stamp": stamp, "html": html})
    stamps = [int(cursor), *(int(item["stamp"]) for item in [*found, *gone])]
    body = {
        "cursor": str(max(stamps)),
        # Oldest first, so that the script can put each new one on top.
        "published": [item for item in reversed(found) if item["new"]],
        "corrected": [item for item in found if not item["new"]],
        "withdrawn": gone,
        "complete": len(changed) < MOST_CHANGES and len(withdrawn) < MOST_CHANGES,
    }
    return _cacheable(_json(body), conflict.slug, etag)


def _json(body, status=200):
    return HttpResponse(
        json.dumps(body, ensure_ascii=True), status=status, content_type="application/json"
    )


def _cacheable(response, slug, etag):
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=UPDATES_SECONDS, s_maxage=UPDATES_SECONDS)
    response["Surrogate-Key"] = response["xkey"] = conflict_key(slug)
    return response
