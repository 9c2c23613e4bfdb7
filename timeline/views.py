from django.core.paginator import Paginator
from django.db.models import Max, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from tracker.models import Conflict, Event, EventLink, FigureClaim

from .charts import figure_trends

EVENTS_PER_PAGE = 50


def home(request):
    conflicts = Conflict.objects.annotate(
        last_activity=Max("events__updated_at", filter=Q(events__status=Event.Status.PUBLISHED))
    ).order_by("-last_activity", "name")
    return render(request, "timeline/home.html", {"conflicts": conflicts})


def conflict_figures(request, conflict):
    conflict = get_object_or_404(Conflict, slug=conflict)
    claims = FigureClaim.objects.filter(
        event__in=Event.objects.published().in_conflict(conflict)
    ).select_related("event__conflict", "claimant", "source")
    ctx = {"conflict": conflict, "trends": figure_trends(claims, conflict.tz)}
    return render(request, "timeline/figures.html", ctx)


def conflict_timeline(request, conflict):
    conflict = get_object_or_404(Conflict, slug=conflict)
    newest_first = request.GET.get("order") == "newest"
    events = Event.objects.published().in_conflict(conflict).with_details()
    if newest_first:
        events = events.order_by("-starts_at", "-pk")
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    ctx = {"conflict": conflict, "page": page, "newest_first": newest_first}
    return render(request, "timeline/conflict.html", ctx)


def event_detail(request, conflict, event):
    related = Event.objects.published().select_related("conflict")
    events = Event.objects.with_details().prefetch_related(
        "citations__source",
        "corrections",
        Prefetch(
            "links_out",
            queryset=EventLink.objects.filter(to_event__in=related).select_related(
                "to_event__conflict"
            ),
        ),
        Prefetch(
            "links_in",
            queryset=EventLink.objects.filter(from_event__in=related).select_related(
                "from_event__conflict"
            ),
        ),
    )
    event = get_object_or_404(events, conflict__slug=conflict, slug=event)
    preview = False
    if event.status == Event.Status.RETRACTED:
        return render(
            request, "timeline/retracted.html", {"event": event, "conflict": event.conflict}
        )
    if event.status != Event.Status.PUBLISHED:
        # Staff preview drafts through the admin's "view on site"; to anyone
        # else an unpublished event does not exist.
        if not request.user.has_perm("tracker.view_event"):
            raise Http404("No such event")
        preview = True
    ctx = {"event": event, "conflict": event.conflict, "preview": preview}
    return render(request, "timeline/event.html", ctx)
