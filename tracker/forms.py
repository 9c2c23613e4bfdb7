import datetime

from django import forms
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from tracker import history
from tracker.models import Actor, Event, Source
from tracker.models.records import names_of, normalise_url


class DateWithOptionalTimeField(forms.SplitDateTimeField):
    """A date and a time, where a reporter who knows only the day leaves the
    time empty: it then means the start of that day."""

    def __init__(self, **kwargs):
        super().__init__(require_all_fields=False, **kwargs)
        date_field, time_field = self.fields
        date_field.required = True
        time_field.required = False

    def compress(self, data_list):
        date_without_time = (
            data_list
            and data_list[0] not in self.empty_values
            and data_list[1] in self.empty_values
        )
        if date_without_time:
            data_list = [data_list[0], datetime.time(0, 0)]
        return super().compress(data_list)


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


class EventAdminForm(StaleEditCheck):
    """The event form in the admin, which knows who is using it."""

    user = None

    correction_note = forms.CharField(
        label=_("Public correction note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text=_(
            "Required when you change what this published event says (its text, time or "
            "place) or change or delete one of its figures: what changed and why. A new "
            "figure (the toll rose) is an update and needs no note."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # What the move and the correction are judged against: the event as
        # stored, since the instance may be an old version being restored.
        stored = Event.objects.filter(pk=self.instance.pk).first()
        self.before = stored or Event()

    def clean(self):
        cleaned_data = super().clean()
        self.was_published = self.before.status == Event.Status.PUBLISHED
        note = cleaned_data.get("correction_note", "").strip()
        if self.was_published and self.changes_what_readers_see(cleaned_data) and not note:
            self.add_error("correction_note", CORRECTION_NOTE_REQUIRED)
        return cleaned_data

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


class SourceForm(PublicRecordForm):
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


class FigureClaimFormSet(forms.BaseInlineFormSet):
    """An event's figures in its form. Once the event is published, a new
    figure is an update (the toll rose from 32 to 40), published with its own
    time and shown as the latest; changing or deleting a figure readers have
    seen is a correction, and needs the public correction note of the event's
    form (sent along in the same POST)."""

    missing_correction_note = False

    def clean(self):
        super().clean()
        corrected = [
            form for form in self.forms if form.instance.pk is not None and form.has_changed()
        ]
        if not corrected:
            return
        published = Event.objects.filter(pk=self.instance.pk, status=Event.Status.PUBLISHED)
        if published.exists() and not self.data.get("correction_note", "").strip():
            self.missing_correction_note = True
            raise forms.ValidationError(CORRECTION_NOTE_REQUIRED)


class FigureClaimForm(StaleEditCheck, EventPartForm):
    def clean_event(self):
        event = self.cleaned_data["event"]
        if event.status == Event.Status.PUBLISHED:
            raise forms.ValidationError(
                _(
                    "This event is published: change its figures in the event's own form, "
                    "with a public correction note."
                )
            )
        return event


class FigureClaimInlineForm(StaleEditCheck):
    """A figure in its event's form."""

    instance_may_be_old = False
