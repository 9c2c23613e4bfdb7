"""The compact timeline that other sites put in an iframe.

It is the one page that may be framed: it is exempt from X-Frame-Options and
its Content-Security-Policy names the sites allowed to frame it in the
frame-ancestors directive (settings.EMBED_ALLOWED_PARENTS). Every other page
stays DENY and frame-ancestors 'none'.

Besides the timeline's filters it takes a `theme` (light or dark; without
one it follows the reader's setting, like every page) and the `height` of
the frame in CSS pixels, from which it shows as many events as a frame of
that height begins with (EVENTS_PER_EMBED at most; the frame scrolls for
the rest). A theme or height it cannot read is ignored, never refused: the
snippet on another site must not break over a typo.
"""

from dataclasses import dataclass

from csp.constants import NONE
from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.views.decorators.clickjacking import xframe_options_exempt

from tracker.models import Conflict, Event

from . import fragments
from .look import theme_of
from .published import filtered_events
from .query import TimelineQuery

EVENTS_PER_EMBED = 20
EVENTS_AT_LEAST = 3
# A frame's height in CSS pixels, as accepted, and what the first screen of
# compact cards takes: the header, then about one card per CARD_HEIGHT.
HEIGHTS = range(200, 2001)
HEADER_HEIGHT, CARD_HEIGHT = 90, 85


def height_of(params):
    """The frame's height asked for, or None when it is not a number of
    pixels from 200 to 2000."""
    text = params.get("height", "")
    if not (text.isascii() and text.isdigit() and len(text) <= 4):
        return None
    return int(text) if int(text) in HEIGHTS else None


# The embed snippet on the timeline page: its own form's parameters, which
# the timeline itself ignores.
SNIPPET_THEME, SNIPPET_HEIGHT = "embed_theme", "embed_height"
FRAME_HEIGHT = 600


@dataclass
class Snippet:
    """What the timeline page's embed snippet offers: the theme and height
    chosen in its form (or none), and the view's filters, in the code."""

    theme: str | None
    height: int | None
    query: str  # the embed address's query string, "?..." or ""
    kept: list  # (name, value) of the view the form keeps

    @property
    def frame_height(self):
        return self.height or FRAME_HEIGHT

    @property
    def asked(self):
        return bool(self.theme or self.height)


def snippet(query):
    params = query.params
    theme = theme_of(params, SNIPPET_THEME)
    height = height_of({"height": params.get(SNIPPET_HEIGHT, "")})
    embed_params = query.filters.copy()
    if theme:
        embed_params["theme"] = theme
    if height:
        embed_params["height"] = str(height)
    kept = [
        (name, value)
        for name, value in query.kept_by_jump
        if name not in (SNIPPET_THEME, SNIPPET_HEIGHT)
    ]
    suffix = f"?{embed_params.urlencode()}" if embed_params else ""
    return Snippet(theme, height, suffix, kept)


def events_for(height):
    if height is None:
        return EVENTS_PER_EMBED
    fitting = (height - HEADER_HEIGHT) // CARD_HEIGHT + 1
    return max(EVENTS_AT_LEAST, min(EVENTS_PER_EMBED, fitting))


@xframe_options_exempt
def embed(request, conflict):
    conflict = get_object_or_404(Conflict, slug=conflict)
    query = TimelineQuery.of(request)
    # The latest developments first, as a live page would show them.
    events = list(
        filtered_events(request, conflict)
        .select_related("conflict", "place")
        .order_by("-starts_at", "-pk")[: events_for(height_of(query.params))]
    )
    ctx = {
        "conflict": conflict,
        "events": events,
        "cards": fragments.cards(
            events, "timeline/_embed_card.html", details=Event.details("claims", "media")
        ),
        "timeline_url": request.build_absolute_uri(conflict.get_absolute_url() + query.suffix),
        "site": request.get_host(),
        "filtered": bool(query.filters),
        "theme": theme_of(query.params),
    }
    response = render(request, "timeline/embed.html", ctx)
    # django-csp's per-view override (what its csp_replace decorator sets),
    # with the parents read at request time.
    response._csp_replace = {"frame-ancestors": settings.EMBED_ALLOWED_PARENTS or [NONE]}
    # A site whose pages require CORP of what they embed may still frame it.
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response
