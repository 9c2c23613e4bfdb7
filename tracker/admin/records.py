"""Conflicts, actors, places and sources."""

import zoneinfo

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Count
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracker import gazetteer
from tracker.merging import merge_actors
from tracker.models import (
    Actor,
    Conflict,
    Correction,
    Phase,
    Place,
    Source,
)
from tracker.translation import translation_columns

from .base import (
    DATE_FIRST,
    HistoryAdmin,
    ImportExportAdmin,
    LocalTimeAdmin,
    admin_links,
    default_time_zone,
    local_moment,
    place_after,
    translations_fieldset,
)
from .forms import ActorForm, ActorMergeForm, PlaceForm, PublicRecordForm, SourceForm
from .imports import SourceResource


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


@admin.register(Conflict)
class ConflictAdmin(LocalTimeAdmin, admin.ModelAdmin):
    """A conflict's dates and its phases' are local: "Today" gives the date
    in the conflict's own zone."""

    list_display = ["name", "timezone", "start_date", "end_date", "event_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PhaseInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "timezone", ("start_date", "end_date")]}),
        (_("For readers"), {"fields": ["summary", "introduction", "methodology"]}),
        translations_fieldset(Conflict),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(event_count=Count("events"))

    def time_zone_for(self, request, object_id):
        name = request.POST.get("timezone", "")
        if name not in zoneinfo.available_timezones():
            known = object_id and object_id.isdigit()
            stored = Conflict.objects.filter(pk=object_id).first() if known else None
            name = stored.timezone if stored else None
        return zoneinfo.ZoneInfo(name) if name else default_time_zone()

    @admin.display(description=_("events"), ordering="event_count")
    def event_count(self, conflict):
        return conflict.event_count


class PublicRecordAdmin:
    """Actors, places and sources: reporters add them and change those only
    drafts use; what published events show changes only by those who may
    publish, with a public correction note on each of those events."""

    form = PublicRecordForm

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.can_be_changed_by(request.user))

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is None or not obj.published_events().exists():
            fields = [name for name in fields if name != "correction_note"]
        return fields

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        note = form.cleaned_data.get("correction_note", "").strip()
        if change and note:
            Correction.objects.bulk_create(
                Correction(event=event, note=note, author=request.user)
                for event in obj.published_events()
            )


@admin.register(Actor)
class ActorAdmin(PublicRecordAdmin, admin.ModelAdmin):
    form = ActorForm
    fields = [
        "name",
        "not_a_duplicate",
        "kind",
        "aliases",
        "description",
        "affiliation",
        "is_newsroom",
        *translation_columns(Actor),
        "correction_note",
    ]
    list_display = ["name", "kind", "affiliation", "is_newsroom"]
    list_filter = ["kind", "is_newsroom"]
    search_fields = ["name", "aliases", "description"]
    autocomplete_fields = ["affiliation"]
    list_select_related = ["affiliation"]
    actions = ["merge"]

    @admin.action(description=_("Merge selected actors into one…"), permissions=["delete"])
    def merge(self, request, queryset):
        actors = queryset.order_by("name")
        if actors.count() < 2:
            self.message_user(request, _("Select at least two actors to merge."), messages.ERROR)
            return None
        form = ActorMergeForm(request.POST if "apply" in request.POST else None, actors=actors)
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            merged = [actor for actor in actors if actor.pk != keep.pk]
            with transaction.atomic():
                self.log_deletions(request, merged)
                moved = merge_actors(keep=keep, merged=merged)
                summary = ", ".join(f"{count} {label}" for label, count in moved.items()) or "-"
                for actor in merged:
                    self.log_change(
                        request,
                        keep,
                        _("Merged “%(merged)s” (id %(id)s) into this actor; moved: %(moved)s.")
                        % {"merged": actor.name, "id": actor.pk, "moved": summary},
                    )
            self.message_user(
                request,
                _("Merged %(names)s into “%(kept)s”; moved: %(moved)s.")
                % {
                    "names": ", ".join(f"“{actor.name}”" for actor in merged),
                    "kept": keep.name,
                    "moved": summary,
                },
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Merge actors"),
            "opts": self.model._meta,
            "actors": actors,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/tracker/actor/merge.html", context)

    def get_readonly_fields(self, request, obj=None):
        # Who "our newsroom" is decides whose figures readers take for our
        # own assessment, notes and all: an administrator's setting.
        readonly = super().get_readonly_fields(request, obj)
        return readonly if request.user.is_superuser else [*readonly, "is_newsroom"]


@admin.register(Place)
class PlaceAdmin(PublicRecordAdmin, admin.ModelAdmin):
    """A place's name offers the gazetteer's cities as the editor types
    (static/tracker/admin/place-gazetteer.js asks gazetteer_view); picking
    one fills its coordinates and country. Without the script, or for a
    village or a checkpoint, the coordinates are typed."""

    form = PlaceForm
    fields = [
        "name",
        "country_code",
        "admin_region",
        ("latitude", "longitude"),
        "location_precision",
        *translation_columns(Place),
        "correction_note",
    ]
    list_display = ["name", "country_code", "admin_region", "latitude", "longitude"]
    list_filter = ["country_code", "location_precision"]
    search_fields = ["name", "admin_region"]

    def get_urls(self):
        gazetteer = path(
            "gazetteer/",
            self.admin_site.admin_view(self.gazetteer_view),
            name="tracker_place_gazetteer",
        )
        return [gazetteer, *super().get_urls()]

    def gazetteer_view(self, request):
        """The gazetteer's matches for `q`, as JSON, for staff who may add or
        change places."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        found = gazetteer.matches(request.GET.get("q", "")[:100])
        return JsonResponse({"matches": [match.as_json() for match in found]})

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.gazetteer_url = reverse("admin:tracker_place_gazetteer")
        return form

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.outside_its_country():
            self.message_user(
                request,
                _(
                    "The coordinates of “%(place)s” (%(latitude)s, %(longitude)s) lie "
                    "outside %(country)s. Check them: latitude and longitude swapped, or a "
                    "sign missing?"
                )
                % {
                    "place": obj.name,
                    "latitude": obj.latitude,
                    "longitude": obj.longitude,
                    "country": obj.country_code,
                },
                messages.WARNING,
            )


@admin.register(Source)
class SourceAdmin(LocalTimeAdmin, PublicRecordAdmin, ImportExportAdmin, HistoryAdmin):
    """A source belongs to no conflict: its times are typed and shown in
    the local time of the newsroom's default conflict."""

    resource_classes = [SourceResource]
    form = SourceForm
    time_note_field = "published_at"
    list_display = ["title", "publisher", "kind", "local_published_at", "url"]
    list_filter = ["kind", "language"]
    search_fields = ["title", "publisher", "url"]
    date_hierarchy = "published_at"
    # A pasted "example.org/story" means the secure address.
    formfield_overrides = {**DATE_FIRST, models.URLField: {"assume_scheme": "https"}}
    readonly_fields = ["cited_in", "figures_from_it"]

    def get_fields(self, request, obj=None):
        return place_after(super().get_fields(request, obj), "url", "confirm_different")

    @admin.display(description=_("cited in"))
    def cited_in(self, source):
        if source.pk is None:
            return "-"
        citations = source.citations.select_related("event").order_by("event__starts_at")
        return admin_links((c.event_id, c.event, c.event.get_status_display()) for c in citations)

    @admin.display(description=_("figures from it"))
    def figures_from_it(self, source):
        if source.pk is None:
            return "-"
        claims = source.claims.select_related("event", "claimant").order_by("event__starts_at")
        return admin_links((c.event_id, c, c.event) for c in claims)

    def changelist_view(self, request, extra_context=None):
        with timezone.override(default_time_zone()):
            response = super().changelist_view(request, extra_context)
            if hasattr(response, "render"):
                response.render()
            return response

    @admin.display(description=_("published (local time)"), ordering="published_at")
    def local_published_at(self, source):
        return local_moment(source.published_at, timezone.get_current_timezone())
