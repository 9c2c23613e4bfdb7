"""The newsroom: where reporters and editors enter and curate the record.

Times in an event's form are entered and shown in the conflict's own time
zone, because that is the time the sources give.
"""

import zoneinfo

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import models
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tracker.forms import DateWithOptionalTimeField, RetractionForm
from tracker.models import (
    Actor,
    Citation,
    Conflict,
    Correction,
    Event,
    EventLink,
    FigureClaim,
    Participant,
    Phase,
    Place,
    Source,
)
from tracker.paging import EstimatedCountPaginator, narrowed_date_hierarchy_changelist

# Every date and time in the newsroom may be given without a time of day.
DATE_FIRST = {models.DateTimeField: {"form_class": DateWithOptionalTimeField}}


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


@admin.register(Conflict)
class ConflictAdmin(admin.ModelAdmin):
    list_display = ["name", "timezone", "start_date", "end_date", "event_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PhaseInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "timezone", ("start_date", "end_date")]}),
        (_("For readers"), {"fields": ["summary", "introduction", "methodology"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(event_count=Count("events"))

    @admin.display(description=_("events"), ordering="event_count")
    def event_count(self, conflict):
        return conflict.event_count


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "affiliation", "is_newsroom"]
    list_filter = ["kind", "is_newsroom"]
    search_fields = ["name", "aliases", "description"]
    autocomplete_fields = ["affiliation"]
    list_select_related = ["affiliation"]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "country_code", "admin_region", "location_precision"]
    list_filter = ["country_code", "location_precision"]
    search_fields = ["name", "admin_region"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "kind", "published_at", "url"]
    list_filter = ["kind", "language"]
    search_fields = ["title", "publisher", "url"]
    date_hierarchy = "published_at"
    # A pasted "example.org/story" means the secure address.
    formfield_overrides = {**DATE_FIRST, models.URLField: {"assume_scheme": "https"}}


class ParticipantInline(admin.TabularInline):
    model = Participant
    autocomplete_fields = ["actor"]
    extra = 1


class CitationInline(admin.TabularInline):
    model = Citation
    autocomplete_fields = ["source"]
    extra = 1


class FigureClaimInline(admin.StackedInline):
    model = FigureClaim
    formfield_overrides = DATE_FIRST
    autocomplete_fields = ["claimant", "source"]
    extra = 1
    fieldsets = [
        (None, {"fields": [("claimant", "source"), ("metric", "population")]}),
        (None, {"fields": [("qualifier", "low", "best", "high"), "wording"]}),
        (None, {"fields": [("as_of", "grade"), "note"]}),
    ]


class EventLinkInline(admin.TabularInline):
    model = EventLink
    fk_name = "from_event"
    autocomplete_fields = ["to_event"]
    extra = 0
    verbose_name = _("link to another event")
    verbose_name_plural = _("links to other events")


class CorrectionInline(admin.TabularInline):
    model = Correction
    formfield_overrides = DATE_FIRST
    extra = 0


class DisputeFilter(admin.SimpleListFilter):
    title = _("figures")
    parameter_name = "figures"

    def lookups(self, request, model_admin):
        return [("disputed", _("disputed")), ("undisputed", _("not disputed"))]

    def queryset(self, request, queryset):
        if self.value() == "disputed":
            return queryset.disputed()
        if self.value() == "undisputed":
            return queryset.undisputed()
        return queryset


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "conflict", "kind", "status", "is_key", "local_when", "updated_at"]
    list_filter = ["conflict", "kind", "status", "is_key", DisputeFilter]
    list_select_related = ["conflict"]
    search_fields = ["title", "summary", "slug"]
    date_hierarchy = "starts_at"
    # A million events: no COUNT(*) of the whole table on each view.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    get_changelist = narrowed_date_hierarchy_changelist
    autocomplete_fields = ["place"]
    readonly_fields = ["published_at", "created_at", "updated_at"]
    formfield_overrides = DATE_FIRST
    inlines = [
        ParticipantInline,
        CitationInline,
        FigureClaimInline,
        EventLinkInline,
        CorrectionInline,
    ]
    actions = ["publish", "return_to_draft", "retract"]
    fieldsets = [
        (None, {"fields": ["conflict", "kind", "title", "slug", "summary", "is_key"]}),
        (_("When and where"), {"fields": [("starts_at", "ends_at"), "precision", "place"]}),
        (
            _("Publication"),
            {"fields": ["status", "retraction_note", ("published_at", "updated_at", "created_at")]},
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        # The slug is the permalink: set once, never changed.
        readonly = super().get_readonly_fields(request, obj)
        return [*readonly, "slug"] if obj else readonly

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with timezone.override(self._time_zone_for(request, object_id)):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            # Render now: the form shows its times in the zone active here.
            if hasattr(response, "render"):
                response.render()
            return response

    def _time_zone_for(self, request, object_id):
        """The time zone of the conflict being edited: the one chosen in the
        submitted form, else the saved event's, else UTC."""
        conflict_id = request.POST.get("conflict") or request.GET.get("conflict")
        conflict = None
        if conflict_id and conflict_id.isdigit():
            conflict = Conflict.objects.filter(pk=conflict_id).first()
        if conflict is None and object_id and object_id.isdigit():
            event = Event.objects.filter(pk=object_id).select_related("conflict").first()
            conflict = event.conflict if event else None
        return conflict.tz if conflict else zoneinfo.ZoneInfo("UTC")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        zone = timezone.get_current_timezone_name()
        note = _("Times are in %(zone)s local time.") % {"zone": zone}
        if zone == "UTC":
            note = _("Times are in the conflict's local time (UTC until a conflict is chosen).")
        note += " " + _("Leave the time empty when only the day is known.")
        form.base_fields["starts_at"].help_text = note
        return form

    @admin.display(description=_("when (local time)"), ordering="starts_at")
    def local_when(self, event):
        return event.when

    def _apply(self, request, queryset, transition, done_message):
        count = 0
        for event in queryset.select_related("conflict"):
            transition(event)
            count += 1
        self.message_user(request, done_message(count), messages.SUCCESS)

    @admin.action(description=_("Publish selected events"), permissions=["change"])
    def publish(self, request, queryset):
        self._apply(
            request,
            queryset,
            Event.publish,
            lambda n: ngettext("Published %d event.", "Published %d events.", n) % n,
        )

    @admin.action(description=_("Return selected events to draft"), permissions=["change"])
    def return_to_draft(self, request, queryset):
        self._apply(
            request,
            queryset,
            Event.return_to_draft,
            lambda n: (
                ngettext("Returned %d event to draft.", "Returned %d events to draft.", n) % n
            ),
        )

    @admin.action(description=_("Retract selected events…"), permissions=["change"])
    def retract(self, request, queryset):
        form = RetractionForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            self._apply(
                request,
                queryset,
                lambda event: event.retract(reason=reason),
                lambda n: ngettext("Retracted %d event.", "Retracted %d events.", n) % n,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Retract events"),
            "opts": self.model._meta,
            "events": queryset,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/tracker/event/retract.html", context)


@admin.register(FigureClaim)
class FigureClaimAdmin(admin.ModelAdmin):
    formfield_overrides = DATE_FIRST
    list_display = ["__str__", "event", "metric", "population", "grade", "as_of"]
    list_filter = ["metric", "population", "qualifier", "grade"]
    list_select_related = ["claimant", "event"]
    search_fields = ["wording", "claimant__name", "event__title"]
    autocomplete_fields = ["event", "claimant", "source"]
    date_hierarchy = "as_of"


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    formfield_overrides = DATE_FIRST
    list_display = ["event", "published_at", "note"]
    list_select_related = ["event"]
    autocomplete_fields = ["event"]
    search_fields = ["note", "event__title"]
    date_hierarchy = "published_at"


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ["event", "source"]
    list_select_related = ["event", "source"]
    autocomplete_fields = ["event", "source"]
    search_fields = ["excerpt", "event__title", "source__title"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["event", "actor", "role"]
    list_filter = ["role"]
    list_select_related = ["event", "actor"]
    autocomplete_fields = ["event", "actor"]


@admin.register(EventLink)
class EventLinkAdmin(admin.ModelAdmin):
    list_display = ["from_event", "relation", "to_event"]
    list_filter = ["relation"]
    list_select_related = ["from_event", "to_event"]
    autocomplete_fields = ["from_event", "to_event"]
