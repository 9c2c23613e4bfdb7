"""Quick entry: a breaking event on one short page, for a reporter on
deadline. Its conflict is chosen already; it takes the title, kind and time,
one source, and figures that take that source and the event's time.

It builds nothing of its own: the event's fields are the event form's (the
admin's get_form), the figures are the event form's figure rows (the inline's
formset), a new source goes through the source form, and each is saved as the
full form saves it. So it creates the same records under the same rules, and
whatever those forms learn, quick entry knows too. The full form is a click
away for the rest (summary, place, participants, links)."""

import zoneinfo

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tracker.models import Citation, Conflict, Event, Source

EVENT_FIELDS = ["conflict", "kind", "title", "starts_at", "precision", "status"]
EVENT_FIELDSETS = [
    (None, {"fields": ["conflict", "kind", "title", ("starts_at", "precision"), "status"]})
]
NEW_SOURCE_FIELDS = ["url", "title", "publisher", "kind"]
# Each figure is the event's own toll; a running total goes in the full form.
CLAIM_FIELDS = [
    "claimant", "metric", "population", "party", "qualifier", "low", "best", "high", "wording",
]  # fmt: skip
CLAIM_ROWS = 3


class SourceChoiceForm(forms.Form):
    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"] = forms.ModelChoiceField(
            label=_("Source"),
            queryset=Source.objects.all(),
            required=False,
            widget=AutocompleteSelect(Citation._meta.get_field("source"), admin_site),
            help_text=_("What you read or heard. Or enter a new source below."),
        )


def default_conflict(request):
    """The conflict a reporter is most likely covering: the one asked for,
    else that of the event they last saved, else the one with the latest
    change."""
    asked = request.POST.get("conflict") or request.GET.get("conflict")
    if asked and asked.isdigit() and (conflict := Conflict.objects.filter(pk=asked).first()):
        return conflict
    chosen = (
        Event.history.filter(history_user=request.user)
        .order_by("-history_date")
        .values_list("conflict_id", flat=True)
        .first()
    ) or Event.objects.order_by("-updated_at").values_list("conflict_id", flat=True).first()
    return Conflict.objects.filter(pk=chosen).first() or Conflict.objects.first()


def quick_entry_view(event_admin, request):
    if not event_admin.has_add_permission(request):
        raise PermissionDenied
    conflict = default_conflict(request)
    zone = conflict.tz if conflict else zoneinfo.ZoneInfo("UTC")
    with timezone.override(zone):
        response = _quick_entry(event_admin, request, conflict)
        if hasattr(response, "render"):
            # Render now: the form shows its times in the zone active here.
            response.render()
        return response


def _quick_entry(event_admin, request, conflict):
    site = event_admin.admin_site
    source_admin = site._registry[Source]
    claims_inline = next(
        inline
        for inline in event_admin.get_inline_instances(request)
        if inline.model._meta.model_name == "figureclaim"
    )
    EventForm = event_admin.get_form(request, None, change=False, fields=EVENT_FIELDS)
    NewSourceForm = source_admin.get_form(request, None, change=False, fields=NEW_SOURCE_FIELDS)
    ClaimFormSet = claims_inline.get_formset(
        request, None, fields=CLAIM_FIELDS, extra=CLAIM_ROWS, can_delete=False
    )
    data = request.POST if request.method == "POST" else None
    event_form = EventForm(data, initial={"conflict": conflict.pk if conflict else None})
    source_form = SourceChoiceForm(data, prefix="source", admin_site=site)
    new_source_form = NewSourceForm(
        data, prefix="new_source", empty_permitted=True, use_required_attribute=False
    )
    event = event_form.instance
    claims = ClaimFormSet(data, instance=event, prefix="claims")

    if data is not None:
        event_valid = event_form.is_valid()
        if event_valid:
            event_admin.save_form(request, event_form, change=False)
        source = _the_source(source_form, new_source_form)
        _from_the_source_at_the_time(claims, source, event)
        claims_valid = claims.is_valid()
        if event_valid and source is not None and claims_valid:
            with transaction.atomic():
                _save(event_admin, request, event_form, source, new_source_form, claims)
            return _saved(event_admin, request, event, claims)

    errors = helpers.AdminErrorList(event_form, [claims])
    for form in (source_form, new_source_form):
        errors.extend(form.errors.values())
    context = {
        **site.each_context(request),
        "title": _("Quick entry: a breaking event"),
        "opts": Event._meta,
        "adminform": helpers.AdminForm(event_form, EVENT_FIELDSETS, {}, model_admin=event_admin),
        "source_form": source_form,
        "new_source_form": new_source_form,
        "claims": claims,
        "errors": errors,
        "media": event_admin.media
        + event_form.media
        + source_form.media
        + new_source_form.media
        + claims.media,
        "full_form_url": reverse("admin:tracker_event_add"),
    }
    return TemplateResponse(request, "admin/tracker/event/quick_entry.html", context)


def _the_source(source_form, new_source_form):
    """The source chosen, or the new one entered (not yet saved); None, with
    an error on the form, when there is neither or both."""
    chosen = source_form.cleaned_data.get("source") if source_form.is_valid() else None
    entered = new_source_form.has_changed()
    if chosen and entered:
        source_form.add_error(
            "source", _("Choose an existing source or enter a new one, not both.")
        )
        return None
    if chosen:
        return chosen
    if entered:
        return new_source_form.instance if new_source_form.is_valid() else None
    if source_form.is_valid():
        source_form.add_error("source", _("Give the source: choose one, or enter a new one below."))
    return None


def _from_the_source_at_the_time(claims, source, event):
    """Every figure is from the one source, as of the event's time."""
    for form in claims.forms:
        form.instance.source = source
        form.instance.as_of = event.starts_at


def _save(event_admin, request, event_form, source, new_source_form, claims):
    event = event_form.instance
    if source.pk is None:
        source_admin = event_admin.admin_site._registry[Source]
        source_admin.save_model(request, source, new_source_form, change=False)
        source_admin.log_addition(request, source, [{"added": {}}])
    event_admin.save_model(request, event, event_form, change=False)
    Citation.objects.create(event=event, source=source)
    # Saving set the event's time to its precision.
    _from_the_source_at_the_time(claims, source, event)
    event_admin.save_related(request, event_form, [claims], change=False)
    event_admin.log_addition(request, event, [{"added": {}}])


def _saved(event_admin, request, event, claims):
    figures = sum(1 for form in claims.forms if form.instance.pk)
    event_admin.message_user(
        request,
        ngettext(
            "“%(title)s” was added with %(count)d figure. Add its summary, place and "
            "participants here when you can.",
            "“%(title)s” was added with %(count)d figures. Add its summary, place and "
            "participants here when you can.",
            figures,
        )
        % {"title": event.title, "count": figures},
        messages.SUCCESS,
    )
    if "_addanother" in request.POST:
        url = reverse("admin:tracker_event_quick_entry") + f"?conflict={event.conflict_id}"
    else:
        url = reverse("admin:tracker_event_change", args=[event.pk])
    return HttpResponseRedirect(url)
