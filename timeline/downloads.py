"""A conflict's published events as data: three CSV files (events, claims,
and events in the UCDP GED layout) and a TimelineJS document. Each honours
the timeline's filters, so the view a reader has narrowed down is the view
they download.

The CSV files are streamed row by row from a database iterator, so memory
stays flat however long the archive. They start with a UTF-8 byte order mark:
without it Excel, still the tool most newsrooms open a CSV in, reads the file
in the computer's legacy code page and garbles Armenian, Azerbaijani or
Russian names; Python (utf-8-sig), R, pandas and LibreOffice all skip it.
Column names and coded values (kind, metric, grade) are fixed English
identifiers, not translated text, so that scripts written against one
download keep working on the next. The CSV files hold the records as the
newsroom wrote them, in the original, whatever ?lang= says; the TimelineJS
document, a presentation for readers, is in the language asked for, like the
pages, with the original marked where not translated.
"""

import csv
import datetime
import io
import re
from collections import defaultdict

from django.core.exceptions import BadRequest
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import conditional_escape, escape, format_html
from django.utils.translation import gettext as _

from tracker.dates import Precision, machine_date
from tracker.models import Actor, Conflict, Event, FigureClaim, Participant, Source
from tracker.models.figures import note_for_readers

from . import ucdp
from .id_arrays import AnyOf
from .isotext import IsoDate, IsoUtc
from .published import filtered_events
from .templatetags.timeline import translated, translated_markdown

ROWS_PER_CHUNK = 500
TIMELINEJS_MOST_EVENTS = 1000

# A cell starting with one of = + - @ tab or carriage return, also after
# spaces, which spreadsheets skip, is read as a formula by Excel, LibreOffice
# and Google Sheets ("CSV injection"). Figures and coordinates go out as
# numbers and are left alone; every text cell is checked.
STARTS_A_FORMULA = re.compile(r"\s*[=+\-@\t\r]")
FORMULA_CHARACTERS = frozenset("=+-@\t\r")

# Each file's columns, by name, with the HXL hashtag (https://hxlstandard.org)
# that `?hxl=1` puts in a second row for humanitarian data tools. Standard
# hashtags and attributes where HXL has them (#event, #date+start, #adm1+name,
# #geo+lat, #affected+killed, ...); our own attributes where it has none
# (+precision, +disputed). New columns go at the end: scripts read by name.
EVENT_COLUMNS = {
    "id": "#event+id",
    "slug": "#event+slug",
    "permalink": "#event+url",
    "kind": "#event+type",
    "title": "#event+name",
    "summary": "#description",
    "starts_at": "#date+start+utc",
    "ends_at": "#date+end+utc",
    "precision": "#date+precision",
    "local_time": "#date+local+text",
    "place": "#loc+name",
    "latitude": "#geo+lat",
    "longitude": "#geo+lon",
    "is_key": "#event+key",
    "disputed": "#event+disputed",
    "first_published": "#date+published",
    "last_updated": "#date+updated",
    "conflict": "#crisis+code",
    "start_date": "#date+start",
    "end_date": "#date+end",
    "participants": "#group+name+list",
    "country_code": "#country+code+v_iso2",
    "admin_region": "#adm1+name",
    "location_precision": "#geo+precision",
}
CLAIM_COLUMNS = {
    "event_slug": "#event+slug",
    "event_permalink": "#event+url",
    "claimant": "#org+name+claimant",
    "claimant_kind": "#org+type+claimant",
    "metric": "#impact+type",
    "population": "#affected+type",
    "qualifier": "#affected+qualifier",
    "low": "#affected+num+min",
    "best": "#affected+num",
    "high": "#affected+num+max",
    "wording": "#description+wording",
    "as_of": "#date+reported",
    "grade": "#status+verification",
    "source_title": "#meta+source+title",
    "source_publisher": "#meta+source+publisher",
    "source_url": "#meta+source+url",
    "archive_url": "#meta+source+archive+url",
    "note": "#description+method",
    "claim_id": "#meta+id",
    "event_id": "#event+id",
    "party": "#group+name",
    "scope": "#indicator+scope",
    "period_start": "#date+start+period",
}


def formula_safe(text):
    """The text as a spreadsheet will show it, as text: a leading quote
    stops a cell from being run as a formula, including one that starts with
    spaces, which spreadsheets skip. Only a text starting with one of those
    characters or with white space needs the pattern: a download checks
    millions of cells."""
    if text and (
        text[0] in FORMULA_CHARACTERS or text[0].isspace() and STARTS_A_FORMULA.match(text)
    ):
        return "'" + text
    return text


def spreadsheet_safe(row):
    """The row with its text cells made formula_safe. Numbers stay numbers."""
    return [formula_safe(cell) if isinstance(cell, str) else cell for cell in row]


def iso_utc(moment):
    """'2023-09-20T09:00:00Z', or empty."""
    if moment is None:
        return ""
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def yes_no(flag):
    return "yes" if flag else "no"


def wants_hxl(request):
    """Whether `?hxl=1` asks for the row of HXL hashtags; a value that is
    neither 1 nor 0 is refused, as a filter a download cannot read is."""
    value = request.GET.get("hxl", "0")
    if value not in ("0", "1"):
        raise BadRequest("hxl: 1 for a row of HXL hashtags under the column names, or 0.")
    return value == "1"


def _csv_response(request, columns, chunks, filename):
    """`columns` maps each column's name to its HXL hashtag; `chunks` gives
    lists of rows whose text cells are formula_safe already."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(columns)
    if wants_hxl(request):
        writer.writerow(columns.values())

    # The rows are made while the file is sent, after the view has
    # returned: in the language the request asked for (its prefix or ?lang=).
    language = translation.get_language()

    def lines():
        # One write to the client per chunk of rows: one per row would cost
        # more than making the row.
        with translation.override(language):
            for chunk in chunks:
                writer.writerows(chunk)
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        if buffer.tell():  # the head of a file without rows
            yield buffer.getvalue()

    return StreamingHttpResponse(
        lines(),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def safe_chunks(rows):
    """The rows made spreadsheet_safe, in lists of up to ROWS_PER_CHUNK."""
    return in_chunks(map(spreadsheet_safe, rows))


def events_csv(request, conflict):
    conflict = get_object_or_404(Conflict, slug=conflict)
    events = (
        filtered_events(request, conflict)
        .with_last_updated()
        .with_disputed()
        .select_related("conflict", "place")
        .order_by("starts_at", "pk")
    )
    tz, permalink = conflict.tz, permalinks(request, conflict)

    def rows():
        for chunk in in_chunks(events.iterator(chunk_size=ROWS_PER_CHUNK)):
            participants = participants_of(chunk)
            for event in chunk:
                place = event.place
                yield [
                    event.pk,
                    event.slug,
                    permalink(event.slug),
                    event.kind,
                    event.title,
                    event.summary,
                    iso_utc(event.starts_at),
                    iso_utc(event.ends_at),
                    event.precision,
                    event.when,
                    str(place) if place else "",
                    place.latitude if place else None,
                    place.longitude if place else None,
                    yes_no(event.is_key),
                    yes_no(event.disputed),
                    iso_utc(event.published_at),
                    iso_utc(event.last_updated),
                    conflict.slug,
                    machine_date(event.starts_at, event.precision, tz),
                    machine_date(event.ends_at, event.precision, tz) if event.ends_at else "",
                    "; ".join(f"{name} ({role})" for role, _pk, name in participants[event.pk]),
                    place.country_code if place else "",
                    place.admin_region if place else "",
                    place.location_precision if place else "",
                ]

    return _csv_response(request, EVENT_COLUMNS, safe_chunks(rows()), f"{conflict.slug}-events.csv")


def events_ucdp_csv(request, conflict):
    """One row per event in the UCDP GED layout, its deaths derived from the
    claims by the rule in timeline/ucdp.py."""
    conflict = get_object_or_404(Conflict, slug=conflict)
    events = (
        filtered_events(request, conflict)
        .select_related("conflict", "place")
        .order_by("starts_at", "pk")
    )
    killed = FigureClaim.objects.filter(
        metric=FigureClaim.Metric.KILLED, scope=FigureClaim.Scope.INCIDENT
    ).select_related("claimant", "party")
    permalink = permalinks(request, conflict)

    def rows():
        for chunk in in_chunks(events.iterator(chunk_size=ROWS_PER_CHUNK)):
            participants = participants_of(chunk)
            claims = defaultdict(list)
            for claim in killed.filter(event__in=chunk):
                claims[claim.event_id].append(claim)
            for event in chunk:
                yield ucdp.row(
                    event, participants[event.pk], claims[event.pk], permalink(event.slug)
                )

    return _csv_response(
        request, ucdp.COLUMNS, safe_chunks(rows()), f"{conflict.slug}-events-ucdp.csv"
    )


def in_chunks(rows):
    """Lists of up to ROWS_PER_CHUNK rows. What goes with a chunk of events
    (participants, claims) is fetched in one query for the chunk, as plain
    values where they will do: a model instance and a prefetch queryset for
    each row would cost more than writing the row."""
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == ROWS_PER_CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def participants_of(events):
    """The events' participants as (role, actor id, actor name), by role then
    actor name, in lists by event id."""
    found = defaultdict(list)
    rows = (
        Participant.objects.filter(event__in=events)
        .order_by("role", "actor__name")
        .values_list("event_id", "role", "actor_id", "actor__name")
    )
    for event_id, *participant in rows:
        found[event_id].append(tuple(participant))
    return found


def permalinks(request, conflict):
    """An event's absolute permalink from its slug, without resolving a URL
    for each row: within one conflict they differ only by slug."""
    placeholder = "-"
    prefix = request.build_absolute_uri(
        reverse("timeline:event", args=[conflict.slug, placeholder])
    ).removesuffix(f"{placeholder}/")
    return lambda slug: f"{prefix}{slug}/"


def _claims_in_timeline_order(events, permalink):
    """The rows of claims.csv, spreadsheet-safe, in the timeline's order, in
    lists of a chunk of events' claims. Each chunk costs two or three
    indexed queries (its claims, the sources they name, and the actors no
    earlier chunk named: a conflict's claimants are a few dozen) whose size
    follows the download's, not the archive's, and no model instance is
    built."""
    slugs = events.order_by("starts_at", "pk").values_list("pk", "slug")
    actors = {}
    for chunk in in_chunks(slugs.iterator(chunk_size=ROWS_PER_CHUNK)):
        if rows := _claims_of(dict(chunk), permalink, actors):
            yield rows


def _claims_of(slugs, permalink, actors):
    """Claim rows for the events whose slugs are given by id, in that order.
    `actors` keeps the cells of each actor loaded, by id, for the next chunk.

    The claimants, sides and sources are looked up by id rather than joined:
    joined, PostgreSQL read the whole table of sources for every chunk
    (half a million rows, 0.3 s a chunk), as it cannot tell how few of them
    500 events cite. Nothing is sorted by the database but moments and ids:
    sorting text in the database's collation cost more than the rest of the
    query, and Python's sort, stable, puts the claims of an event in their
    order (metric, population, then as the database gave them: as_of, id).
    Times and days come as text (timeline/isotext.py), and each event's,
    actor's and source's cells are made safe once, not once a claim."""
    if not slugs:
        return []
    position = {event_id: n for n, event_id in enumerate(slugs)}
    claims = FigureClaim.objects.filter(AnyOf("event_id", slugs)).order_by("as_of", "pk")
    claims = sorted(
        claims.values_list(
            "event_id", "metric", "population", "claimant_id", "party_id", "source_id",
            "qualifier", "low", "best", "high", "wording", IsoUtc("as_of"), "grade", "note",
            "pk", "scope", IsoDate("period_start"),
        ),
        key=lambda claim: (position[claim[0]], claim[1], claim[2]),
    )  # fmt: skip
    named = {claim[3] for claim in claims} | {claim[4] for claim in claims}
    actors.update(
        (pk, (formula_safe(name), kind, is_newsroom))
        for pk, name, kind, is_newsroom in Actor.objects.filter(
            AnyOf("pk", named - actors.keys() - {None})
        )
        .order_by()
        .values_list("pk", "name", "kind", "is_newsroom")
    )
    sources = {
        pk: tuple(map(formula_safe, rest))
        for pk, *rest in Source.objects.filter(AnyOf("pk", {claim[5] for claim in claims}))
        .order_by()
        .values_list("pk", "title", "publisher", "url", "archive_url")
    }
    events = {event_id: (formula_safe(slug), permalink(slug)) for event_id, slug in slugs.items()}
    no_party = ("",)
    rows = []
    for (
        event_id, metric, population, claimant_id, party_id, source_id, qualifier, low, best,
        high, wording, as_of, grade, note, pk, scope, period_start,
    ) in claims:  # fmt: skip
        claimant, claimant_kind, by_newsroom = actors[claimant_id]
        rows.append((
            *events[event_id], claimant, claimant_kind, metric, population, qualifier, low, best,
            high, formula_safe(wording), as_of, grade, *sources[source_id],
            formula_safe(note_for_readers(note, by_newsroom=by_newsroom)), pk, event_id,
            actors.get(party_id, no_party)[0], scope, period_start,
        ))  # fmt: skip
    return rows


def claims_csv(request, conflict):
    conflict = get_object_or_404(Conflict, slug=conflict)
    chunks = _claims_in_timeline_order(
        filtered_events(request, conflict), permalinks(request, conflict)
    )
    return _csv_response(request, CLAIM_COLUMNS, chunks, f"{conflict.slug}-claims.csv")


# The parts of a TimelineJS date that each precision knows.
DATE_PARTS = {
    Precision.YEAR: ("year",),
    Precision.MONTH: ("year", "month"),
    Precision.DAY: ("year", "month", "day"),
    Precision.HOUR: ("year", "month", "day", "hour"),
    Precision.MINUTE: ("year", "month", "day", "hour", "minute"),
}


def timelinejs_date(moment, precision, tz):
    """A TimelineJS date object with no more parts than are known, in the
    conflict's local time. TimelineJS reads these parts in the viewer's own
    time zone, so each slide also carries the site's display_date with its
    UTC offset."""
    local = moment.astimezone(tz)
    return {part: getattr(local, part) for part in DATE_PARTS[Precision(precision)]}


def day_date(day):
    return {"year": day.year, "month": day.month, "day": day.day}


def timelinejs_json(request, conflict):
    """The filtered events as a TimelineJS3 document
    (https://timeline.knightlab.com/docs/json-format.html), with the
    conflict's phases as eras. TimelineJS fetches it from other sites, so
    it may be read from any origin: it is public and uses no cookies."""
    conflict = get_object_or_404(Conflict, slug=conflict)
    events = list(
        filtered_events(request, conflict)
        .select_related("conflict", "place")
        .with_figures()
        .prefetch_related("corrections", *Event.details("media"))
        .order_by("starts_at", "pk")[: TIMELINEJS_MOST_EVENTS + 1]
    )
    introduction = translated_markdown(
        conflict, "introduction" if conflict.introduction else "summary"
    )
    if len(events) > TIMELINEJS_MOST_EVENTS:
        # TimelineJS is a slide show: past a few hundred slides it is unusable,
        # and the document would grow with the archive. Say so, and how to narrow it.
        events = events[:TIMELINEJS_MOST_EVENTS]
        introduction += format_html(
            "<p>{}</p>",
            _(
                "This document holds the first %(count)s events that match. Narrow it "
                "with the timeline's filters, for example key events only (?key=true) "
                "or a date range."
            )
            % {"count": TIMELINEJS_MOST_EVENTS},
        )
    tz = conflict.tz
    if events:
        last_day = timezone.localtime(events[-1].ends_at or events[-1].starts_at, tz).date()
    else:
        last_day = timezone.localtime(timezone.now(), tz).date()

    document = {
        "title": {
            "text": {
                "headline": as_html(conflict, "name"),
                "text": introduction,
            }
        },
        "events": [_slide(request, event) for event in events],
        "eras": [_era(phase, last_day) for phase in conflict.phases.all()],
        "scale": "human",
    }
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False})
    response.headers["Content-Disposition"] = f'inline; filename="{conflict.slug}-timelinejs.json"'
    # TimelineJS on other sites loads this document.
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def as_html(record, name):
    """`record`'s field `name` as the pages show it (the original marked
    where not translated), as HTML for TimelineJS to write into its page."""
    return conditional_escape(translated(record, name))


def _era(phase, last_day):
    """A phase as a TimelineJS era. A phase holds its last day whole, so the
    era ends at the start of the next day: TimelineJS drops an end date equal
    to the start date, and then refuses the era, and with it the whole
    timeline ("All eras must have start and end dates")."""
    # A phase still going on lasts, on the timeline, until its latest event
    # (or today, when nothing is shown).
    last = phase.ends_on or max(last_day, phase.starts_on)
    return {
        "start_date": day_date(phase.starts_on),
        "end_date": day_date(last + datetime.timedelta(days=1)),
        "text": {"headline": as_html(phase, "name")},
    }


def _slide(request, event):
    tz = event.conflict.tz
    slide = {
        "start_date": timelinejs_date(event.starts_at, event.precision, tz),
        "display_date": event.when,
        # TimelineJS writes headline and text into the page as HTML: like the
        # pages, in the language asked for (?lang=), the original marked.
        "text": {
            "headline": as_html(event, "title"),
            "text": render_to_string(
                "timeline/_event_text.html",
                {
                    "event": event,
                    "show_when": False,
                    "permalink": request.build_absolute_uri(event.get_absolute_url()),
                },
            ).strip(),
        },
        "group": str(event.get_kind_display()),
        "unique_id": event.slug,
    }
    if event.ends_at:
        slide["end_date"] = timelinejs_date(event.ends_at, event.precision, tz)
    if image := event.lead_image:
        slide["media"] = timelinejs_media(request, image)
    return slide


def timelinejs_media(request, image):
    """A TimelineJS media object of an event's lead image (never a graphic
    one: TimelineJS shows it with no warning to open): a JPEG of the shared
    size, which TimelineJS shows as an image by its extension, and the card's
    thumbnail for its time navigation. Caption and credit are written into
    the page as HTML, so they are escaped."""
    _width, shared, _height = image.shared_size
    return {
        "url": request.build_absolute_uri(shared.url),
        "thumbnail": request.build_absolute_uri(image.thumbnail_2x_jpeg.url),
        "caption": as_html(image, "caption"),
        "credit": escape(image.credit),
        "alt": image.alt_text,
    }
