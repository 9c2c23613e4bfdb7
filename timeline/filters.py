"""The one set of filters over published events, shared by the HTML timeline,
the downloads and the API, so that a filtered view means the same everywhere.

Dates are the conflict's local dates: "from 20 September" starts at local
midnight, not at midnight UTC.
"""

import datetime

import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from timeline.choices import filter_choices
from timeline.id_arrays import AnyOf
from tracker.models import Actor, Conflict, Event, FigureClaim, Participant, Place
from tracker.search import search_events

# Dates far outside any conflict we could record are refused as input errors
# rather than overflowing when turned into times.
EARLIEST, LATEST = datetime.date(1800, 1, 1), datetime.date(2999, 12, 31)
DATE_RANGE = [MinValueValidator(EARLIEST), MaxValueValidator(LATEST)]
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


YES = {"true", "1", "on"}
NO = {"false", "0"}


class YesNoSelect(forms.Select):
    """Either way, or one of them: the URL says `true` or `false`, and the
    form shows the choice a URL made, so it survives the next search."""

    def format_value(self, value):
        if value is True or str(value).lower() in YES:
            return ["true"]
        if value is False or str(value).lower() in NO:
            return ["false"]
        return [""]


class YesNoField(forms.Field):
    """true/1/on or false/0, in any case; empty means not asked. Anything
    else is an input error, not a silent "either": `disputed=maybe` must
    not deliver every event as if it had been understood."""

    default_error_messages = {"invalid": _("Enter true or false.")}

    def to_python(self, value):
        if value is None or value is True or value is False:
            return value
        text = str(value).strip().lower()
        if text == "":
            return None
        if text in YES:
            return True
        if text in NO:
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class YesNoFilter(django_filters.BooleanFilter):
    field_class = YesNoField


class EventFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        max_length=200,
        help_text=_("Words in the title, summary or a cited source's title."),
    )
    conflict = django_filters.ModelChoiceFilter(
        label=_("Conflict"), queryset=Conflict.objects.all(), to_field_name="slug"
    )
    kind = django_filters.MultipleChoiceFilter(
        label=_("Kind of event"),
        choices=Event.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        # A column of the event itself: nothing to de-duplicate, and DISTINCT
        # would sort every match before the page could be cut.
        distinct=False,
    )
    actor = django_filters.ModelChoiceFilter(
        label=_("Actor"),
        queryset=Actor.objects.named_by_public_record(),
        method="filter_actor",
        empty_label=_("Any actor"),
        help_text=_("Taking part in any role, or stating a figure."),
    )
    place = django_filters.ModelChoiceFilter(
        label=_("Place"),
        queryset=Place.objects.named_by_public_record(),
        empty_label=_("Any place"),
    )
    date_from = django_filters.DateFilter(
        label=_("From"), method="filter_date_from", validators=DATE_RANGE, widget=DATE_INPUT
    )
    date_to = django_filters.DateFilter(
        label=_("To"), method="filter_date_to", validators=DATE_RANGE, widget=DATE_INPUT
    )
    disputed = YesNoFilter(
        label=_("Disputed figures"),
        method="filter_disputed",
        widget=YesNoSelect(
            choices=[
                ("", _("either")),
                ("true", _("disputed only")),
                ("false", _("undisputed only")),
            ]
        ),
    )
    has_figures = YesNoFilter(
        label=_("Figures"),
        method="filter_has_figures",
        widget=YesNoSelect(
            choices=[
                ("", _("either")),
                ("true", _("with figures only")),
                ("false", _("without figures only")),
            ]
        ),
    )
    key = YesNoFilter(
        label=_("Key events"),
        method="filter_key",
        widget=YesNoSelect(
            choices=[
                ("", _("all events")),
                ("true", _("key events only")),
                ("false", _("other events only")),
            ]
        ),
    )

    class Meta:
        model = Event
        fields = []  # all declared above

    def __init__(self, data=None, queryset=None, *, conflict=None, **kwargs):
        """With a `conflict`, the filters are those of its timeline: no choice
        of conflict, actors and places narrowed to those in it, and dates read
        in its time zone."""
        super().__init__(data, queryset, **kwargs)
        self.conflict = conflict
        if conflict is not None:
            del self.filters["conflict"]
            # Built when the form is, if ever: a page that offers the
            # remembered choices replaces them first.
            self.filters["actor"].queryset = lambda request: Actor.objects.named_by_public_record(
                conflict
            )
            self.filters["place"].queryset = lambda request: Place.objects.named_by_public_record(
                conflict
            )

    # The form class of each set of filters, made once. django-filter makes
    # one for every filter set, with a form field for each filter: most of
    # the cost of a timeline page's form (1.4 of 2 ms). What differs from
    # one filter set to the next, the actors and places on offer, is set on
    # each form (`form` below).
    _form_classes = {}
    CHOSEN_BY_QUERYSET = ("actor", "place")

    def get_form_class(self):
        key = (type(self), tuple(self.filters))
        if (form_class := self._form_classes.get(key)) is None:
            form_class = self._form_classes[key] = super().get_form_class()
        return form_class

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            for name in self.CHOSEN_BY_QUERYSET:
                form.fields[name].queryset = self.filters[name].get_queryset(self.request)
        return self._form

    def offer_remembered_choices(self):
        """For a page that shows the form: list the conflict's actors and
        places from what timeline.choices keeps, rather than asking of every
        actor and place whether it appears in the conflict."""
        pairs = dict(zip(("actor", "place"), filter_choices(self.conflict), strict=True))
        for name, model in (("actor", Actor), ("place", Place)):
            ids = [pk for pk, _label in pairs[name]]
            # AnyOf: a lookup made ready when it is asked, if a value is
            # chosen; `pk__in` prepares each of hundreds of ids at once.
            self.filters[name].queryset = model.objects.filter(AnyOf("pk", ids))
        for name, found in pairs.items():
            # Shown from memory; the queryset still checks a chosen value.
            field = self.form.fields[name]
            field.widget.choices = [("", field.empty_label), *found]

    @property
    def time_zone(self):
        conflict = self.conflict or self.form.cleaned_data.get("conflict")
        return conflict.tz if conflict else datetime.UTC

    def local_midnight(self, day):
        return datetime.datetime.combine(day, datetime.time.min, tzinfo=self.time_zone)

    def filter_search(self, events, name, value):
        return search_events(events, value)

    def filter_actor(self, events, name, actor):
        return events.filter(
            Exists(Participant.objects.filter(event=OuterRef("pk"), actor=actor))
            | Exists(FigureClaim.objects.filter(event=OuterRef("pk"), claimant=actor))
        )

    def filter_date_from(self, events, name, day):
        return events.filter(starts_at__gte=self.local_midnight(day))

    def filter_date_to(self, events, name, day):
        return events.filter(starts_at__lt=self.local_midnight(day + datetime.timedelta(days=1)))

    def filter_disputed(self, events, name, value):
        return events.disputed() if value else events.undisputed()

    def filter_has_figures(self, events, name, value):
        has_claims = Exists(FigureClaim.objects.filter(event=OuterRef("pk")))
        return events.filter(has_claims if value else ~has_claims)

    def filter_key(self, events, name, value):
        return events.filter(is_key=value)
