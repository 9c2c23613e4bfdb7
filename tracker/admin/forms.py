import copy
import datetime

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminIntegerFieldWidget
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from tracker import dates, history
from tracker.dates import Precision
from tracker.links import normalise_url, url_variants
from tracker.models import Actor, Event, Source
from tracker.models.events import UNSOURCED
from tracker.models.records import names_of
from tracker.translation import translation_columns
from tracker.typed_times import ConflictSelect


class ConfirmationMixin:
    """A check the person may overrule: the save is refused once with the
    reason, above a box to tick; saving again with it ticked keeps the input.
    Each box is a confirmation_field(), hidden until it is needed. The
    reason is the box's error, so the input it is about stays valid and is
    checked as usual."""

    def ask_to_confirm(self, name, message):
        if self.cleaned_data.get(name):
            return
        self.fields[name].widget = forms.CheckboxInput()
        self.add_error(name, message)


def confirmation_field(label):
    return forms.BooleanField(label=label, required=False, widget=forms.HiddenInput)


class RetractionForm(forms.Form):
    reason = forms.CharField(
        label=_("Public retraction note"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=_("Readers see this on the event's page in place of the event."),
    )


class StaleEditCheck(forms.ModelForm):
    """Refuses to save over a change someone else saved after this form was
    opened, and says what they changed.

    The form carries the version of the object it was opened on; the stored
    version is read under a row lock (the admin saves in a transaction), so
    two saves of the same version cannot both pass. The refused form keeps
    the person's input and takes the stored version: saving it again, after
    checking it against the other person's changes, is a deliberate choice.
    """

    # The version this form was opened on.
    seen_version = forms.IntegerField(widget=forms.HiddenInput)
    # False where the instance was just loaded (inline rows): no query then.
    instance_may_be_old = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["seen_version"].required = False
        elif self.instance_may_be_old:
            self.fields["seen_version"].initial = self.stored_version() or self.instance.version
        else:
            self.fields["seen_version"].initial = self.instance.version

    def stored_version(self):
        """The version in the database; the instance may be an old version
        (when reverting) or be changed by this very form."""
        stored = type(self.instance)._default_manager.filter(pk=self.instance.pk)
        return stored.values_list("version", flat=True).first()

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None or "seen_version" not in cleaned_data:
            return cleaned_data
        model = type(self.instance)
        stored = (
            model._default_manager.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        seen = cleaned_data["seen_version"]
        if stored is not None and seen != stored:
            changes = history.changes_since(self.instance, seen)
            self.add_error(
                None,
                [
                    _(
                        "Someone else saved this %(object)s after you opened it, so your "
                        "changes were not saved. What they changed:"
                    )
                    % {"object": model._meta.verbose_name},
                    *(str(change) for change in changes),
                    _(
                        "Your changes are still in the form. Check them against theirs "
                        "and save again to keep yours."
                    ),
                ],
            )
            self.data = self.data.copy()
            self.data[self.add_prefix("seen_version")] = stored
        # Saved as the next version of what is stored, even when reverting.
        self.instance.version = stored or self.instance.version
        return cleaned_data


CORRECTION_NOTE_REQUIRED = _(
    "This event is published: say publicly what you changed and why. "
    "Readers see the note on the event's page."
)


# A start further ahead than this is more often a typo than scheduled talks.
FAR_FUTURE = datetime.timedelta(days=365)
TIMES = ["starts_at", "ends_at"]


class EventAdminForm(ConfirmationMixin, StaleEditCheck):
    """The event form in the admin, which knows who is using it."""

    user = None

    precision = forms.ChoiceField(
        choices=[("", _("as typed")), *Precision.choices],
        required=False,
        help_text=_(
            "How exactly the time is known: a day-precision event never shows a time. "
            "“As typed” takes it from the start: 2020 is to the year, 2020-12 to the month, "
            "a date to the day, a date and a time to the minute."
        ),
    )
    correction_note = forms.CharField(
        label=_("Public correction note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text=_(
            "Required when you change what this published event says (its text, time or "
            "place) or change or delete one of its figures or photos: what changed and why. "
            "A new figure (the toll rose) or a new photo is an update and needs no note."
        ),
    )
    confirm_far_future = confirmation_field(_("Yes, it starts that far ahead"))

    class Meta:
        widgets = {"conflict": ConflictSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # What the move and the correction are judged against: the event as
        # stored, since the instance may be an old version being restored.
        stored = Event.objects.filter(pk=self.instance.pk).first()
        self.before = stored or Event()
        if self.instance.pk is None:
            self.initial.setdefault("precision", "")
        for name in TIMES:
            if name in self.fields:
                # An event may be known only to the month or the year.
                self.fields[name].fields[0].coarsest = Precision.YEAR
                self.fields[name].widget.precision = self.instance.precision

    def clean(self):
        cleaned_data = super().clean()
        if "precision" in self.fields:
            self._settle_precision(cleaned_data)
        self._confirm_far_future(cleaned_data)
        self.was_published = self.before.status == Event.Status.PUBLISHED
        note = cleaned_data.get("correction_note", "").strip()
        if self.was_published and self.changes_what_readers_see(cleaned_data) and not note:
            self.add_error("correction_note", CORRECTION_NOTE_REQUIRED)
        return cleaned_data

    def _settle_precision(self, cleaned_data):
        """The precision chosen, or when none was chosen, the one the start
        was typed to; never one that drops or invents part of a typed time."""
        typed = {
            name: self.fields[name].typed_precision
            for name in TIMES
            if cleaned_data.get(name) is not None and self.fields[name].typed_precision
        }
        if "starts_at" not in typed:
            cleaned_data["precision"] = cleaned_data.get("precision") or self.instance.precision
            return
        chosen = cleaned_data.get("precision") or None
        tz = timezone.get_current_timezone()
        fits = chosen and not any(
            dates.precision_conflict(cleaned_data[name], typed[name], chosen, tz) for name in typed
        )
        if not fits and "precision" not in self.changed_data:
            # Left as it was: it follows what was typed.
            chosen = typed["starts_at"]
        cleaned_data["precision"] = chosen
        for name in typed:
            moment = cleaned_data[name]
            if problem := dates.precision_conflict(moment, typed[name], chosen, tz):
                error = dates.precision_error(problem, moment, typed[name], chosen, tz)
                self.add_error(name, error)

    def _confirm_far_future(self, cleaned_data):
        starts_at = cleaned_data.get("starts_at")
        if "starts_at" not in self.changed_data or starts_at is None:
            return
        if starts_at > timezone.now() + FAR_FUTURE:
            self.ask_to_confirm(
                "confirm_far_future",
                _(
                    "This starts on %(start)s, more than a year from now. Talks may be "
                    "scheduled that far ahead; a mistyped year should not be published. "
                    "If it is right, tick “Yes, it starts that far ahead” and save again."
                )
                % {"start": dates.typed_text(starts_at, Precision.DAY, starts_at.tzinfo)},
            )

    def changes_what_readers_see(self, cleaned_data):
        for name in Event.CORRECTABLE_FIELDS:
            if name in cleaned_data:
                new, old = cleaned_data[name], getattr(self.before, name)
                if getattr(new, "pk", new) != getattr(old, "pk", old):
                    return True
        return False

    def clean_status(self):
        status = self.cleaned_data["status"]
        if not self.before.can_move(self.user, status):
            raise forms.ValidationError(
                _("You may not move this event from %(before)s to %(after)s."),
                params={
                    "before": self.before.get_status_display(),
                    "after": Event.Status(status).label,
                },
            )
        return status


class EventPartForm(forms.ModelForm):
    """The form of something that belongs to an event (a claim, a citation,
    a participant) edited on its own page rather than in the event's form."""

    user = None
    event_field = "event"

    def clean(self):
        cleaned_data = super().clean()
        event = cleaned_data.get(self.event_field)
        if event is not None and not event.can_be_changed_by(self.user):
            self.add_error(
                self.event_field,
                _("This event is %(status)s; only an editor can change it.")
                % {"status": event.get_status_display()},
            )
        return cleaned_data


class PublicRecordForm(forms.ModelForm):
    """An actor, place or source: once published events show it, changing
    what readers see of it needs a public correction note, which each of
    those events then carries."""

    correction_note = forms.CharField(
        label=_("Public correction note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text=_(
            "Required when published events show this record and you change what "
            "readers see of it: what changed and why. Each of those events carries the note."
        ),
    )

    def clean(self):
        cleaned_data = super().clean()
        model = type(self.instance)
        changed = set(self.changed_data) & set(model.CORRECTABLE_FIELDS)
        note = cleaned_data.get("correction_note", "").strip()
        shown = self.instance.pk and changed and self.instance.published_events().exists()
        if shown and not note:
            self.add_error(
                "correction_note",
                _(
                    "Published events show this %(record)s: say publicly what you "
                    "changed and why. Readers see the note on each of those events."
                )
                % {"record": model._meta.verbose_name},
            )
        return cleaned_data


class SourceForm(ConfirmationMixin, PublicRecordForm):
    confirm_different = confirmation_field(_("It is a different article"))

    def clean_url(self):
        url = normalise_url(self.cleaned_data["url"])
        existing = Source.objects.filter(url=url).exclude(pk=self.instance.pk).first()
        if url and existing:
            # A link to the existing source, so that it is cited instead.
            raise forms.ValidationError(
                format_html(
                    'This article is already a source: <a href="{}">{}</a>. Cite that one.',
                    reverse("admin:tracker_source_change", args=[existing.pk]),
                    existing,
                ),
                code="duplicate",
            )
        return url

    def clean(self):
        cleaned_data = super().clean()
        url = cleaned_data.get("url")
        if not url or "url" not in self.changed_data:
            return cleaned_data
        probable = (
            Source.objects.filter(url__in=url_variants(url))
            .exclude(pk=self.instance.pk)
            .order_by("pk")
            .first()
        )
        if probable:
            self.ask_to_confirm(
                "confirm_different",
                format_html(
                    'This is probably the same article as the source <a href="{}">{}</a> '
                    "({}). Cite that one; or, if it is a different article, tick "
                    "“It is a different article” and save again.",
                    reverse("admin:tracker_source_change", args=[probable.pk]),
                    probable,
                    probable.url,
                ),
            )
        return cleaned_data


def kept_forms(formset):
    """The rows a save of the formset keeps: stored ones not marked for
    deletion, and new ones that were filled in."""
    formset.errors  # noqa: B018  (cleans the rows, whose deletion mark is read below)
    return [
        form
        for index, form in enumerate(formset.forms)
        if not (formset.can_delete and formset._should_delete_form(form))
        and (index < formset.initial_form_count() or form.has_changed())
    ]


class CitationFormSet(forms.BaseInlineFormSet):
    """An event's citations in its form. A published event keeps at least
    one source: a citation, or a figure (each has its source), so the
    event's admin hands this formset the figures' formset too."""

    claims_formset = None
    missing_source = False

    def clean(self):
        super().clean()
        if self.instance.status != Event.Status.PUBLISHED:
            return
        formsets = [self] if self.claims_formset is None else [self, self.claims_formset]
        if any(kept_forms(formset) for formset in formsets):
            return
        # Published before sources were required, and still without one: it
        # is not being published now, and no source is being taken away.
        had_sources = any(formset.initial_form_count() for formset in formsets)
        stored = Event.objects.filter(pk=self.instance.pk).values_list("status", flat=True)
        if had_sources or stored.first() != Event.Status.PUBLISHED:
            self.missing_source = True
            raise forms.ValidationError(UNSOURCED, code="unsourced")


class ActorForm(PublicRecordForm):
    """Warns of actors already kept under a similar name or alias, before a
    second "Ministry of Defence" splits one ministry's claims in two."""

    NEAR_MATCHES_SHOWN = 5

    not_a_duplicate = forms.BooleanField(
        label=_("This is a different actor"),
        required=False,
        widget=forms.HiddenInput,
        help_text=_("Tick only when none of the similar actors above is this one."),
    )

    class Meta:
        model = Actor
        fields = ["name", "kind", "aliases", "description", "affiliation", "is_newsroom"]

    def clean(self):
        cleaned_data = super().clean()
        name, aliases = cleaned_data.get("name"), cleaned_data.get("aliases", "")
        renamed = self.instance.pk is None or {"name", "aliases"} & set(self.changed_data)
        if not name or not renamed or cleaned_data.get("not_a_duplicate"):
            return cleaned_data
        similar = list(
            Actor.objects.similar_to(name, aliases).exclude(pk=self.instance.pk)[
                : self.NEAR_MATCHES_SHOWN
            ]
        )
        if similar:
            self.fields["not_a_duplicate"].widget = forms.CheckboxInput()
            self.add_error(
                "name",
                format_html(
                    "{} <ul>{}</ul> {}",
                    _("Similar actors already exist:"),
                    format_html_join(
                        "",
                        '<li><a href="{}">{}</a>{}</li>',
                        (
                            (
                                reverse("admin:tracker_actor_change", args=[actor.pk]),
                                actor.name,
                                f" ({', '.join(aliases)})"
                                if (aliases := names_of("", actor.aliases))
                                else "",
                            )
                            for actor in similar
                        ),
                    ),
                    _(
                        "If one of them is this actor, choose it instead. If not, tick "
                        "“This is a different actor” and save again."
                    ),
                ),
            )
        return cleaned_data


class ActorMergeForm(forms.Form):
    keep = forms.ModelChoiceField(
        queryset=Actor.objects.none(),
        widget=forms.RadioSelect,
        label=_("Keep"),
        help_text=_(
            "The others' claims, participations and history move to this actor, their "
            "names become its aliases, and they are deleted."
        ),
    )

    def __init__(self, *args, actors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = actors


class SeenPartsFormSet(forms.BaseInlineFormSet):
    """An inline of an event's parts (figures, photos) once readers have
    seen the event: changing or removing a part they saw is a correction,
    and needs the public correction note of the event's form, sent along in
    the same POST. Adding one is an update, and needs none."""

    missing_correction_note = False

    def clean(self):
        super().clean()
        # A translation corrects nothing readers saw in the original.
        translations = set(translation_columns(self.model))
        corrected = [
            form
            for form in self.forms
            if form.instance.pk is not None and set(form.changed_data) - translations
        ]
        frozen = Event.objects.with_frozen_figures().filter(pk=self.instance.pk)
        if corrected and frozen.exists() and not self.data.get("correction_note", "").strip():
            self.missing_correction_note = True
            raise forms.ValidationError(CORRECTION_NOTE_REQUIRED)


class FigureClaimFormSet(SeenPartsFormSet):
    """An event's figures in its form. Once the event is published, a new
    figure is an update (the toll rose from 32 to 40), published with its own
    time and shown as the latest; changing or deleting a figure readers have
    seen is a correction, and needs the public correction note of the event's
    form (sent along in the same POST). `preview_only` checks the figures
    and saves nothing, so that the form can show what readers would see."""

    preview_only = False

    def clean(self):
        super().clean()
        if self.preview_only:
            raise forms.ValidationError(PREVIEW_ONLY, code="preview")

    def readers_claims(self):
        """The figures as they would be saved (unsaved instances of the
        rows as filled in), or as they are stored before any input."""
        if not self.is_bound:
            return [form.instance for form in self.initial_forms]
        claims = [copy.copy(form.instance) for form in kept_forms(self) if form.is_valid()]
        # A row not saved yet counts as entered after the stored ones, in
        # order, where two figures of one claimant are stated at one time.
        entered = max((claim.pk for claim in claims if claim.pk), default=0)
        for claim in claims:
            if claim.pk is None:
                entered += 1
                claim.pk = entered
        return claims


PREVIEW_ONLY = _("Nothing was saved: this shows what readers would see.")
FIGURES = ["low", "best", "high"]
# A phone offers its number pad, and the browser counts no lower than 0.
FIGURE_WIDGETS = {
    name: AdminIntegerFieldWidget(attrs={"min": "0", "inputmode": "numeric"}) for name in FIGURES
}


class FigureChecks(ConfirmationMixin):
    """What a figure's forms check beyond the claim's own rules: a figure
    beyond what is plausible is kept only once the editor confirms it."""

    def clean(self):
        cleaned_data = super().clean()
        limit = settings.FIGURE_CONFIRMATION_ABOVE
        for name in FIGURES:
            figure = cleaned_data.get(name)
            if figure is not None and figure > limit and name in self.changed_data:
                self.ask_to_confirm(
                    "confirm_figure",
                    _(
                        "%(figure)s is more than %(limit)s, which is rarely right. If it is, "
                        "tick “Yes, the figure is right” and save again."
                    )
                    % {"figure": _grouped(figure), "limit": _grouped(limit)},
                )
                break
        return cleaned_data


def _grouped(number):
    return formats.number_format(number, force_grouping=True)


class FigureClaimForm(FigureChecks, StaleEditCheck, EventPartForm):
    confirm_figure = confirmation_field(_("Yes, the figure is right"))

    class Meta:
        widgets = FIGURE_WIDGETS

    def clean_event(self):
        event = self.cleaned_data["event"]
        if event.figures_are_frozen:
            raise forms.ValidationError(
                _(
                    "This event is %(status)s: change its figures in the event's own form, "
                    "with a public correction note."
                )
                % {"status": event.get_status_display()}
            )
        return event


class FigureClaimInlineForm(FigureChecks, StaleEditCheck):
    """A figure in its event's form."""

    instance_may_be_old = False
    confirm_figure = confirmation_field(_("Yes, the figure is right"))

    class Meta:
        widgets = FIGURE_WIDGETS


class PlaceForm(PublicRecordForm):
    """The name field tells the gazetteer script where to ask for matches;
    the script is ours and static, so the admin's CSP holds."""

    gazetteer_url = ""

    class Media:
        js = ["tracker/admin/place-gazetteer.js"]
        css = {"all": ["tracker/admin.css"]}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "name" in self.fields and self.gazetteer_url:
            self.fields["name"].widget.attrs.update(
                {
                    "data-gazetteer": self.gazetteer_url,
                    "autocomplete": "off",
                    "aria-describedby": "id_name_helptext gazetteer-status",
                }
            )
            self.fields["name"].help_text = _(
                "Type a few letters to choose a city from the gazetteer, which fills its "
                "coordinates and country; or type the name and the coordinates yourself."
            )
