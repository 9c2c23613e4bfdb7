"""Events, what they are made of, and how they move towards publication."""

from functools import partial

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tracker import workflow
from tracker.history import part_changes
from tracker.models import (
    Citation,
    Conflict,
    Correction,
    Event,
    EventInReview,
    EventLink,
    FigureClaim,
    MediaItem,
    Participant,
)
from tracker.models.events import UNSOURCED
from tracker.models.figure_groups import group_claims
from tracker.models.translated import LANGUAGES as TRANSLATED_LANGUAGES

from .base import (
    DATE_FIRST,
    EventPartAdmin,
    EventPartInline,
    EventPartPage,
    HistoryAdmin,
    ImportExportAdmin,
    LocalTimeAdmin,
    PreloadedAutocomplete,
    default_time_zone,
    local_moment,
    place_after,
    preload_autocomplete_choices,
    translations_fieldset,
)
from .forms import (
    CORRECTION_NOTE_REQUIRED,
    PREVIEW_ONLY,
    CitationFormSet,
    EventAdminForm,
    FigureClaimForm,
    FigureClaimFormSet,
    FigureClaimInlineForm,
    RetractionForm,
)
from .imports import EventResource, FigureClaimResource, MediaItemResource
from .media import MEDIA_FIELDS, MediaItemInline, MediaItemPageForm
from .paging import EstimatedCountPaginator, narrowed_date_hierarchy_changelist
from .quick_entry import quick_entry_view

# The most events one bulk action moves: 10,000 took 8.5 s on PostgreSQL here,
# well inside the app server's 30 s (3,000 took 48 s one save at a time).
BULK_MOVE_MOST = 10_000


def _n(number):
    return formats.number_format(number, force_grouping=True)


def is_id(text):
    """Whether `text` can be a record's id: ASCII digits only, since "²" passes
    isdigit() and fails int()."""
    return bool(text) and text.isascii() and text.isdigit()


class ParticipantInline(EventPartInline, admin.TabularInline):
    model = Participant
    autocomplete_fields = ["actor"]
    extra = 1

    def get_queryset(self, request):
        # Each row is headed by its participant's name.
        return super().get_queryset(request).select_related("actor")


class CitationInline(EventPartInline, admin.TabularInline):
    model = Citation
    formset = CitationFormSet
    autocomplete_fields = ["source"]
    extra = 1

    def get_queryset(self, request):
        # Each row is headed by its source's title.
        return super().get_queryset(request).select_related("source")


class FigureClaimInline(EventPartInline, admin.StackedInline):
    model = FigureClaim
    form = FigureClaimInlineForm
    formset = FigureClaimFormSet
    formfield_overrides = DATE_FIRST
    autocomplete_fields = ["claimant", "source", "party"]
    extra = 1
    fieldsets = [
        (None, {"fields": [("claimant", "source"), ("metric", "population", "party")]}),
        (None, {"fields": [("scope", "period_start")]}),
        (None, {"fields": [("qualifier", "low", "best", "high"), "confirm_figure", "wording"]}),
        (None, {"fields": [("as_of", "grade"), "note", "seen_version"]}),
    ]

    # Fifty figures in one form: compact rows, each field's help said once.
    template = "admin/tracker/event/claims_inline.html"

    def get_queryset(self, request):
        # What readers will see (at the form's end) names them.
        return super().get_queryset(request).select_related("claimant", "party")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        prefix = formset.get_default_prefix()
        formset.field_help = []
        for name, field in formset.form.base_fields.items():
            if field.help_text and not field.widget.is_hidden:
                formset.field_help.append((name, field.label, field.help_text))
                # Every row's box points to the one help above the rows.
                widget = getattr(field.widget, "widget", field.widget)
                widget.attrs["aria-describedby"] = f"{prefix}-help-{name}"
        return formset


class EventLinkInline(EventPartInline, admin.TabularInline):
    model = EventLink
    fk_name = "from_event"
    autocomplete_fields = ["to_event"]
    extra = 0
    verbose_name = _("link to another event")
    verbose_name_plural = _("links to other events")


class CorrectionInline(EventPartInline, admin.TabularInline):
    """Corrections are added with the correction note of the event's form;
    here their wording can be mended."""

    model = Correction
    formfield_overrides = DATE_FIRST
    fields = ["published_at", "note", "author"]
    readonly_fields = ["author"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False


def readers_see(claims):
    """An event's figures as the public pages would show them: each dispute
    with the claimants who disagree, then what agrees. The answer is the
    dispute rule's own (FigureGroup.disputes), for the form to show before
    saving."""
    lines = []
    for group in group_claims(claims):
        lines += [(dispute.summary, _and_join(dispute.claimants)) for dispute in group.disputes]
        lines += [(line.text, None) for line in group.lines if not line.disputed]
    return lines


def _and_join(names):
    if len(names) < 2:
        return "".join(names)
    return _("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


class EventTimeZone:
    """The parts of an event (figures, corrections) on their own pages are
    in the local time of the event's conflict."""

    def time_zone_for(self, request, object_id):
        event_id = request.POST.get("event") or request.GET.get("event")
        if not (event_id and event_id.isdigit()) and object_id and object_id.isdigit():
            part = self.model.objects.filter(pk=object_id).values("event_id").first()
            event_id = str(part["event_id"]) if part else None
        if event_id and event_id.isdigit():
            event = Event.objects.filter(pk=event_id).select_related("conflict").first()
            if event is not None:
                return event.conflict.tz
        return default_time_zone()


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


class MissingTranslationFilter(admin.SimpleListFilter):
    """The newsroom's translation queue: published events readers of a
    language see in English, all or part."""

    title = _("missing translation")
    parameter_name = "untranslated"

    def lookups(self, request, model_admin):
        names = dict(settings.LANGUAGES)
        return [
            (code, _("published, not into %(language)s") % {"language": names[code]})
            for code in TRANSLATED_LANGUAGES
        ]

    def queryset(self, request, queryset):
        if self.value() in TRANSLATED_LANGUAGES:
            return queryset.published().untranslated(self.value())
        return queryset


@admin.register(Event)
class EventAdmin(PreloadedAutocomplete, LocalTimeAdmin, ImportExportAdmin, HistoryAdmin):
    resource_classes = [EventResource]
    form = EventAdminForm
    time_note_field = "starts_at"
    object_history_template = "admin/tracker/event/object_history.html"
    list_display = [
        "title",
        "conflict",
        "kind",
        "status",
        "is_key",
        "local_when",
        "local_updated_at",
    ]
    list_filter = ["conflict", "kind", "status", "is_key", DisputeFilter, MissingTranslationFilter]
    list_select_related = ["conflict"]
    search_fields = ["title", "summary", "slug"]
    date_hierarchy = "starts_at"
    # A million events: no COUNT(*) of the whole table on each view.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    get_changelist = narrowed_date_hierarchy_changelist
    autocomplete_fields = ["place"]
    readonly_fields = ["published_at", "created_at", "updated_at", "status_changes"]
    formfield_overrides = DATE_FIRST
    inlines = [
        ParticipantInline,
        CitationInline,
        FigureClaimInline,
        MediaItemInline,
        EventLinkInline,
        CorrectionInline,
    ]
    actions = ["submit_for_review", "publish", "return_to_draft", "retract"]

    class Media:
        css = {"all": ["tracker/admin.css"]}

    fieldsets = [
        (
            None,
            {"fields": ["conflict", "kind", "title", "slug", "summary", "is_key", "seen_version"]},
        ),
        translations_fieldset(Event),
        (
            _("When and where"),
            {"fields": [("starts_at", "ends_at"), "confirm_far_future", "precision", "place"]},
        ),
        (
            _("Publication"),
            {
                "fields": [
                    "status",
                    "retraction_note",
                    ("published_at", "updated_at", "created_at"),
                    "status_changes",
                ]
            },
        ),
    ]

    def get_urls(self):
        quick_entry = self.admin_site.admin_view(partial(quick_entry_view, self))
        return [
            path("quick/", quick_entry, name="tracker_event_quick_entry"),
            *super().get_urls(),
        ]

    def get_readonly_fields(self, request, obj=None):
        # The slug is the permalink: set once, never changed.
        readonly = super().get_readonly_fields(request, obj)
        return [*readonly, "slug"] if obj else readonly

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        correctable = (
            obj is not None and Event.objects.with_frozen_figures().filter(pk=obj.pk).exists()
        )
        if not correctable or not self.has_change_permission(request, obj):
            return fieldsets
        return [*fieldsets, (_("Correction"), {"fields": ["correction_note"]})]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "conflict" not in initial and (conflict := Conflict.objects.newsroom_default()):
            initial["conflict"] = conflict.pk
        return initial

    def _create_formsets(self, request, obj, change):
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        by_prefix = {formset.prefix: formset for formset in formsets}
        claims = by_prefix.get("claims")
        if citations := by_prefix.get("citations"):
            citations.claims_formset = claims
        if claims is not None and "_preview" in request.POST:
            claims.preview_only = True
        return formsets, inline_instances

    def before_render(self, request, response):
        context = response.context_data
        form = context["adminform"].form
        formsets = [inline.formset for inline in context.get("inline_admin_formsets", [])]
        by_prefix = {formset.prefix: formset for formset in formsets}
        self._point_to_the_event_form(form, formsets)
        preload_autocomplete_choices([form, *(f for formset in formsets for f in formset.forms)])
        claims = by_prefix.get("claims")
        if claims is not None:
            if claims.preview_only:
                self._show_the_preview(claims)
                context["errors"] = helpers.AdminErrorList(form, formsets)
                if not context["errors"]:
                    messages.info(request, PREVIEW_ONLY)
            # Figures are read in their conflict's time: none chosen, none read.
            if form.instance.conflict_id is not None:
                context["readers_see"] = readers_see(claims.readers_claims())
        if "correction_note" in form.errors:
            # The note to write goes next to the message that asks for it.
            fieldsets = context["adminform"].fieldsets
            fieldsets.sort(key=lambda fieldset: "correction_note" not in fieldset[1]["fields"])

    def _point_to_the_event_form(self, form, formsets):
        """Changed figures without a note are refused by the figures' formset,
        a published event without a source by the citations'; what to change
        is in the event's form, so the error goes there too."""
        for formset in formsets:
            missing_note = getattr(formset, "missing_correction_note", False)
            if missing_note and "correction_note" not in form.errors:
                form.add_error("correction_note", CORRECTION_NOTE_REQUIRED)
            if getattr(formset, "missing_source", False) and "status" not in form.errors:
                form.add_error("status", UNSOURCED)

    def _show_the_preview(self, claims):
        # The formset refused the save to show this; that is not an error.
        claims._non_form_errors = claims.error_class(
            [error for error in claims.non_form_errors().as_data() if error.code != "preview"],
            error_class="nonform",
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        note = form.cleaned_data.get("correction_note", "").strip()
        # What readers saw: a published event, or one published and retracted.
        if change and note and form.before.figures_are_frozen:
            Correction.objects.create(event=obj, note=note, author=request.user)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        with timezone.override(self.time_zone_for(request, object_id)):
            return super().history_form_view(request, object_id, version_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        with timezone.override(self.time_zone_for(request, object_id)):
            parts = part_changes(unquote(object_id)) if is_id(object_id) else []
            extra_context = {**(extra_context or {}), "part_changes": parts}
            return super().history_view(request, object_id, extra_context)

    @admin.display(description=_("status changes"))
    def status_changes(self, event):
        if event.pk is None:
            return "-"
        lines = format_html_join(
            mark_safe("<br>"),
            "{}: {}",
            (
                (local_moment(move.moved_at, timezone.get_current_timezone()), move)
                for move in event.status_changes()
            ),
        )
        return lines or "-"

    def time_zone_for(self, request, object_id):
        """The time zone of the conflict being edited: the one chosen in the
        submitted form, else the saved event's, else the default conflict's."""
        conflict_id = request.POST.get("conflict") or request.GET.get("conflict")
        conflict = None
        if is_id(conflict_id):
            conflict = Conflict.objects.filter(pk=conflict_id).first()
        if conflict is None and is_id(object_id):
            event = Event.objects.filter(pk=object_id).select_related("conflict").first()
            conflict = event.conflict if event else None
        return conflict.tz if conflict else default_time_zone()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        if "status" not in form.base_fields:
            return form  # shown read-only: nothing to enter
        # Offer only the moves this person may make; the form refuses others.
        current = Event(status=obj.stored_status()) if obj else Event()
        status = form.base_fields["status"]
        status.choices = [
            (value, label)
            for value, label in status.choices
            if current.can_move(request.user, value)
        ]
        return form

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.can_be_changed_by(request.user))

    def changelist_view(self, request, extra_context=None):
        # Django answers an action it does not offer with "No action selected";
        # one this person may not run is refused outright.
        action = request.POST.get("action")
        known = {*self.actions, *dict(self.admin_site.actions)}
        if action in known and action not in self.get_actions(request):
            raise PermissionDenied
        return super().changelist_view(request, extra_context)

    def has_publish_permission(self, request):
        return workflow.may_publish(request.user)

    def has_retract_permission(self, request):
        return workflow.may_retract(request.user)

    @admin.display(description=_("when (local time)"), ordering="starts_at")
    def local_when(self, event):
        return event.when

    @admin.display(description=_("last updated"), ordering="updated_at")
    def local_updated_at(self, event):
        return local_moment(event.updated_at, event.conflict.tz)

    def _apply(self, request, queryset, status, done_message, retraction_note=None):
        """Move every selected event, or none when any of the moves is not
        this person's to make (403). A selection too large to move within
        one request is refused with a message, before anything is read."""
        selected = queryset.count()
        if selected > BULK_MOVE_MOST:
            self.message_user(
                request,
                _(
                    "Nothing was changed: %(selected)s events are selected, and at most "
                    "%(most)s can be moved at once. Narrow the list with its filters."
                )
                % {"selected": _n(selected), "most": _n(BULK_MOVE_MOST)},
                messages.ERROR,
            )
            return
        if status == Event.Status.PUBLISHED:
            unsourced = queryset.exclude(pk__in=queryset.sourced().values("pk"))
            if titles := list(unsourced.values_list("title", flat=True)[:10]):
                self.message_user(
                    request,
                    _("Nothing was published: %(message)s Without one: %(titles)s.")
                    % {"message": UNSOURCED, "titles": "; ".join(titles)},
                    messages.ERROR,
                )
                return
        moved = queryset.move_to(status, by=request.user, retraction_note=retraction_note)
        self.message_user(request, done_message(moved), messages.SUCCESS)

    @admin.action(description=_("Submit selected events for review"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._apply(
            request,
            queryset,
            Event.Status.IN_REVIEW,
            lambda n: (
                ngettext("Submitted %d event for review.", "Submitted %d events for review.", n) % n
            ),
        )

    @admin.action(description=_("Publish selected events"), permissions=["publish"])
    def publish(self, request, queryset):
        self._apply(
            request,
            queryset,
            Event.Status.PUBLISHED,
            lambda n: ngettext("Published %d event.", "Published %d events.", n) % n,
        )

    @admin.action(description=_("Return selected events to draft"), permissions=["change"])
    def return_to_draft(self, request, queryset):
        self._apply(
            request,
            queryset,
            Event.Status.DRAFT,
            lambda n: (
                ngettext("Returned %d event to draft.", "Returned %d events to draft.", n) % n
            ),
        )

    @admin.action(description=_("Retract selected events…"), permissions=["retract"])
    def retract(self, request, queryset):
        form = RetractionForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            self._apply(
                request,
                queryset,
                Event.Status.RETRACTED,
                lambda n: ngettext("Retracted %d event.", "Retracted %d events.", n) % n,
                retraction_note=form.cleaned_data["reason"],
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
class FigureClaimAdmin(EventTimeZone, LocalTimeAdmin, ImportExportAdmin, EventPartAdmin):
    """Figures of published events are read here and changed in the event's
    form, where the change needs a public correction note."""

    form = FigureClaimForm
    resource_classes = [FigureClaimResource]
    formfield_overrides = DATE_FIRST
    time_note_field = "as_of"
    list_display = ["__str__", "event", "metric", "population", "grade", "local_as_of"]
    list_filter = ["metric", "population", "scope", "qualifier", "grade"]
    list_select_related = ["claimant", "party", "event__conflict"]
    search_fields = ["wording", "claimant__name", "party__name", "event__title"]
    autocomplete_fields = ["event", "claimant", "source", "party"]
    date_hierarchy = "as_of"

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or not obj.event.figures_are_frozen)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or not obj.event.figures_are_frozen)

    def get_fields(self, request, obj=None):
        return place_after(super().get_fields(request, obj), "high", "confirm_figure")

    @admin.display(description=_("as of (local time)"), ordering="as_of")
    def local_as_of(self, claim):
        return local_moment(claim.as_of, claim.event.conflict.tz)


@admin.register(MediaItem)
class MediaItemAdmin(EventTimeZone, LocalTimeAdmin, ImportExportAdmin, EventPartAdmin):
    """Every photo and link, to find and import them; those of events readers
    have seen are changed in the event's form, with a correction note."""

    form = MediaItemPageForm
    resource_classes = [MediaItemResource]
    formfield_overrides = MEDIA_FIELDS
    time_note_field = "taken_at"
    list_display = ["__str__", "event", "kind", "credit", "is_graphic"]
    list_filter = ["kind", "is_graphic"]
    list_select_related = ["event"]
    search_fields = ["caption", "credit", "alt_text", "link_title", "event__title"]
    autocomplete_fields = ["event", "source"]
    readonly_fields = ["preview"]
    preview = MediaItemInline.preview

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or not obj.event.figures_are_frozen)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or not obj.event.figures_are_frozen)


@admin.register(Correction)
class CorrectionAdmin(EventTimeZone, LocalTimeAdmin, admin.ModelAdmin):
    formfield_overrides = DATE_FIRST
    time_note_field = "published_at"
    list_display = ["event", "local_published_at", "note"]
    list_select_related = ["event__conflict"]
    autocomplete_fields = ["event"]
    search_fields = ["note", "event__title"]
    date_hierarchy = "published_at"
    readonly_fields = ["author"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("published (local time)"), ordering="published_at")
    def local_published_at(self, correction):
        return local_moment(correction.published_at, correction.event.conflict.tz)


@admin.register(Citation)
class CitationAdmin(EventPartAdmin):
    list_display = ["event", "source"]
    list_select_related = ["event", "source"]
    autocomplete_fields = ["event", "source"]
    search_fields = ["excerpt", "event__title", "source__title"]


@admin.register(Participant)
class ParticipantAdmin(EventPartAdmin):
    list_display = ["event", "actor", "role"]
    list_filter = ["role"]
    list_select_related = ["event", "actor"]
    autocomplete_fields = ["event", "actor"]


@admin.register(EventLink)
class EventLinkAdmin(EventPartPage, admin.ModelAdmin):
    event_field = "from_event"
    list_display = ["from_event", "relation", "to_event"]
    list_filter = ["relation"]
    list_select_related = ["from_event", "to_event"]
    autocomplete_fields = ["from_event", "to_event"]


@admin.register(EventInReview)
class ReviewQueueAdmin(admin.ModelAdmin):
    """What waits for an editor, longest waiting first. Each row leads to
    the event's own page, where it is reviewed and published."""

    list_display = ["event", "conflict", "kind", "local_when", "submitted_by", "submitted_at"]
    list_display_links = None
    list_filter = ["conflict"]
    actions = None

    def get_queryset(self, request):
        return EventInReview.objects.waiting_for_review().select_related("conflict")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("tracker.view_event")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("event"), ordering="title")
    def event(self, event):
        url = reverse("admin:tracker_event_change", args=[event.pk])
        return format_html('<a href="{}">{}</a>', url, event.title)

    @admin.display(description=_("when (local time)"), ordering="starts_at")
    def local_when(self, event):
        return event.when

    @admin.display(description=_("submitted by"))
    def submitted_by(self, event):
        return event.submitted_by or "-"

    @admin.display(description=_("submitted (local time)"), ordering="submitted_at")
    def submitted_at(self, event):
        return local_moment(event.submitted_at, event.conflict.tz)
