"""The compact timeline that other sites put in an iframe.

It is the one page that may be framed: it is exempt from X-Frame-Options and
names the sites allowed to frame it in a CSP frame-ancestors directive
(settings.EMBED_ALLOWED_PARENTS). Every other page stays DENY.
"""

from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.views.decorators.clickjacking import xframe_options_exempt

from tracker.models import Conflict

from .published import filter_params, filtered_events

EVENTS_PER_EMBED = 20


@xframe_options_exempt
def embed(request, conflict):
    conflict = get_object_or_404(Conflict, slug=conflict)
    # The latest developments first, as a live page would show them.
    events = (
        filtered_events(request, conflict)
        .select_related("conflict", "place")
        .prefetch_related("claims")
        .order_by("-starts_at", "-pk")[:EVENTS_PER_EMBED]
    )
    params = filter_params(request.GET)
    query = f"?{params.urlencode()}" if params else ""
    ctx = {
        "conflict": conflict,
        "events": events,
        "timeline_url": request.build_absolute_uri(conflict.get_absolute_url() + query),
        "site": request.get_host(),
        "filtered": bool(params),
    }
    response = render(request, "timeline/embed.html", ctx)
    parents = " ".join(settings.EMBED_ALLOWED_PARENTS) or "'none'"
    response.headers["Content-Security-Policy"] = f"frame-ancestors {parents}"
    return response
