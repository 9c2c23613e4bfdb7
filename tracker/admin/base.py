"""What the newsroom's admin pages share."""

import dataclasses
import datetime

from django import forms
from django.contrib import messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from tracker import dates, history
from tracker.models import Conflict
from tracker.translation import translation_columns
from tracker.typed_times import LocalDateTimeField, LocalSplitDateTime, time_help

from .forms import EventPartForm

# Every date and time in the newsroom is typed in local time, and may be
# given without a time of day.
DATE_FIRST = {
    models.DateTimeField: {"form_class": LocalDateTimeField, "widget": LocalSplitDateTime}
}


def default_time_zone():
    """The zone of a form that has no conflict (yet): the newsroom's default
    conflict's, else UTC."""
    conflict = Conflict.objects.newsroom_default()
    return conflict.tz if conflict else datetime.UTC


def local_moment(moment, tz):
    """A stored time in an admin list: local, with its offset."""
    if moment is None:
        return "-"
    return dates.format_moment(moment, dates.Precision.MINUTE, tz)


TRANSLATIONS = _("Translations")


def translations_fieldset(model, title=TRANSLATIONS):
    """A collapsed fieldset of `model`'s translations, a language at a time.
    Changing only a translation corrects nothing readers saw in the original,
    so it needs no correction note (the notes' rules read the original fields)."""
    return (
        title,
        {
            "classes": ["collapse"],
            "description": _(
                "What readers of the other languages see; left empty, they see the "
                "English, marked “(in English)”."
            ),
            "fields": translation_columns(model, by_language=True),
        },
    )


def place_after(fields, anchor, name):
    """The form's fields with `name` moved to just after `anchor`, so that a
    confirmation box sits by what it confirms."""
    fields = [field for field in fields if field != name]
    if anchor not in fields:
        return [*fields, name]
    at = fields.index(anchor) + 1
    return [*fields[:at], name, *fields[at:]]


class LocalTimeAdmin:
    """Times in a change form are typed and shown in the local time of the
    conflict the record belongs to (time_zone_for), which the form states
    on its first time field (time_note_field); "Today" and "Now" give that
    local time."""

    time_note_field = None

    @property
    def media(self):
        return super().media + forms.Media(js=["tracker/admin/local-time.js"])

    def time_zone_for(self, request, object_id):
        return default_time_zone()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with timezone.override(self.time_zone_for(request, object_id)):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render"):
                self.before_render(request, response)
                # Render now: the form shows its times in the zone active here.
                response.render()
            return response

    def before_render(self, request, response):
        pass

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        field = form.base_fields.get(self.time_note_field)
        if field is not None:
            field.help_text = time_help(timezone.get_current_timezone(), field.help_text)
        return form


def admin_links(rows):
    """One line per (event id, text, note), linked to the event's admin page."""
    lines = format_html_join(
        mark_safe("<br>"),
        '<a href="{}">{}</a> ({})',
        ((reverse("admin:tracker_event_change", args=[pk]), text, note) for pk, text, note in rows),
    )
    return lines or "-"


class HistoryHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        return history.display_value(self.model, change.field, value)

    def context_for_delta_changes(self, delta):
        changes = [c for c in delta.changes if c.field not in history.UNSHOWN]
        return super().context_for_delta_changes(dataclasses.replace(delta, changes=changes))


class HistoryAdmin(SimpleHistoryAdmin):
    """Adds "History" to the change page: every saved version, who saved it,
    and what changed field by field. Reverting to an old version goes
    through the same form, and the same checks, as any other change, and is
    itself recorded with its reason."""

    def get_historical_record_context_helper(self, request, historical_record):
        return HistoryHelper(self.model, historical_record)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            obj = self.get_object(request, object_id)
            # simple-history lets anyone who may view the history revert.
            if obj is None or not self.has_change_permission(request, obj):
                raise PermissionDenied
            request.reverting_to = get_object_or_404(
                self.model.history.model, id=obj.pk, history_id=version_id
            )
        with transaction.atomic():
            return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        if reverting_to := getattr(request, "reverting_to", None):
            obj._change_reason = _("Reverted to the version of %(date)s") % {
                "date": formats.date_format(
                    timezone.localtime(reverting_to.history_date), "DATETIME_FORMAT"
                )
            }
        super().save_model(request, obj, form, change)


class ImportExportAdmin(ImportExportMixin):
    """Import and export as CSV or XLSX. Importing creates and changes
    records, so it takes both permissions; exporting takes viewing."""

    import_formats = [CSV, XLSX]
    export_formats = [CSV, XLSX]
    # Row errors as text on the page, not in a box shown on hover.
    import_template_name = "admin/tracker/import.html"

    def has_import_permission(self, request):
        opts = self.opts
        return request.user.has_perms(
            [
                f"{opts.app_label}.add_{opts.model_name}",
                f"{opts.app_label}.change_{opts.model_name}",
            ]
        )

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_import_data_kwargs(self, **kwargs):
        # All rows or none: the preview offers to confirm only a file without
        # invalid rows, and a file changed after its preview is refused whole.
        kwargs = super().get_import_data_kwargs(**kwargs)
        return {**kwargs, "rollback_on_validation_errors": True}

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            self.message_user(
                request,
                _("Nothing was imported: the file has rows that cannot be imported."),
                messages.ERROR,
            )
            return HttpResponseRedirect(
                reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")
            )
        return super().process_result(result, request)


class PreloadedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete box that shows its chosen record from labels loaded
    once for every form of a page (preload_autocomplete_choices), rather than
    asking the database in each form: an event with fifty figures would
    otherwise make three queries a figure to name their claimants, sources
    and sides. The copies Django makes of a widget for each form share
    `labels`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.labels = {}  # str(value) -> label, None when not among the choices

    def _to_field_name(self):
        remote = self.field.remote_field.model._meta
        name = getattr(self.field.remote_field, "field_name", remote.pk.attname)
        return remote.get_field(name).attname

    def _chosen(self, values):
        empty = self.choices.field.empty_values
        return {str(value) for value in values if str(value) not in empty}

    def preload(self, values):
        """Load, in one query, the labels of `values` not loaded yet."""
        wanted = self._chosen(values) - self.labels.keys()
        if not wanted:
            return
        to_field_name = self._to_field_name()
        self.labels.update(dict.fromkeys(wanted))
        found = self.choices.queryset.using(self.db).filter(**{f"{to_field_name}__in": wanted})
        for record in found:
            label = self.choices.field.label_from_instance(record)
            self.labels[str(getattr(record, to_field_name))] = label

    def optgroups(self, name, value, attr=None):
        chosen = self._chosen(value)
        if not chosen <= self.labels.keys():
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        for option_value in sorted(chosen):
            if (label := self.labels[option_value]) is not None:
                options.append(self.create_option(name, option_value, label, chosen, len(options)))
        return [(None, options, 0)]


def preload_autocomplete_choices(forms):
    """Load the chosen records of every preloaded autocomplete box in
    `forms`, one query per box across all the forms."""
    wanted = {}
    for form in forms:
        for bound_field in form:
            widget = getattr(bound_field.field.widget, "widget", bound_field.field.widget)
            if isinstance(widget, PreloadedAutocompleteSelect):
                values = wanted.setdefault(id(widget.labels), (widget, set()))[1]
                values.update(widget.format_value(bound_field.value()))
    for widget, values in wanted.values():
        widget.preload(values)


class PreloadedAutocomplete:
    """Autocomplete boxes whose chosen records are loaded once per page."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = PreloadedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class EventPartPermissions:
    """What an event is made of is changed with the event: not at all by
    those who may not change the event itself (a reporter, once it is
    published). The own pages of an event's parts follow this rule as the
    inlines do."""

    # Where a part names its event; None on an inline, whose obj is the event.
    event_field = "event"

    def _event_allows(self, request, obj):
        if obj is None:
            return True
        event = obj if self.event_field is None else getattr(obj, self.event_field)
        return event.can_be_changed_by(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._event_allows(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._event_allows(request, obj)


class EventPartPage(EventPartPermissions):
    """A part's own admin page: its form checks the event it is moved to."""

    form = EventPartForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        form.event_field = self.event_field
        return form


class EventPartInline(PreloadedAutocomplete, EventPartPermissions):
    """An event's parts on the event's own page: added there too only by
    those who may change the event."""

    event_field = None

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._event_allows(request, obj)


class EventPartAdmin(EventPartPage, HistoryAdmin):
    pass
