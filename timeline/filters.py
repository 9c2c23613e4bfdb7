"""The one set of filters over published events, shared by the HTML timeline,
the downloads and the API, so that a filtered view means the same everywhere.

Dates are the conflict's local dates: "from 20 September" starts at local
midnight, not at midnight UTC.
"""

import datetime

import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import CharField, Exists, OuterRef, Value
from django.utils.translation import gettext_lazy as _

from timeline.cache import remembered
from tracker.models import Actor, Conflict, Event, FigureClaim, Participant, Place
from tracker.search import search_events

# Dates far outside any conflict we could record are refused as input errors
# rather than overflowing when turned into times.
EARLIEST, LATEST = datetime.date(1800, 1, 1), datetime.date(2999, 12, 31)
DATE_RANGE = [MinValueValidator(EARLIEST), MaxValueValidator(LATEST)]
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class Checkbox(forms.CheckboxInput):
    """A tick box that also reads the words an API client would send:
    true/1/on and false/0. Anything else reads as not given (None), so
    `disputed=maybe` is ignored rather than taken for yes."""

    def value_from_datadict(self, data, files, name):
        value = str(data.get(name, "")).strip().lower()
        if value in {"true", "1", "on"}:
            return True
        if value in {"", "false", "0"}:
            return False
        return None


CHECKBOX = Checkbox(attrs={"value": "true"})


def choices(conflict):
    """The actors and places the published record of `conflict` names, as
    (id, label) pairs in the order of their labels, in one query. Finding
    them reads every event of the conflict, so the filters remember them
    (timeline.cache)."""
    text = CharField()
    actors = Actor.objects.named_by_public_record(conflict).values_list(
        Value("actor", output_field=text), "pk", "name", Value("", output_field=text)
    )
    places = Place.objects.named_by_public_record(conflict).values_list(
        Value("place", output_field=text), "pk", "name", "country_code"
    )
    rows = actors.order_by().union(places.order_by())
    found = {"actor": [], "place": []}
    for what, pk, name, country_code in rows:
        label = str(Place(name=name, country_code=country_code)) if what == "place" else name
        found[what].append((pk, label))
    return (
        sorted(found["actor"], key=lambda choice: choice[1]),
        sorted(found["place"], key=lambda choice: choice[1]),
    )


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
    disputed = django_filters.BooleanFilter(
        label=_("Disputed figures only"), method="filter_disputed", widget=CHECKBOX
    )
    has_figures = django_filters.BooleanFilter(
        label=_("With figures only"), method="filter_has_figures", widget=CHECKBOX
    )
    key = django_filters.BooleanFilter(
        label=_("Key events only"), method="filter_key", widget=CHECKBOX
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
            self.filters["actor"].queryset = Actor.objects.named_by_public_record(conflict)
            self.filters["place"].queryset = Place.objects.named_by_public_record(conflict)

    def offer_remembered_choices(self):
        """For a page that shows the form: list the conflict's actors and
        places from what choices() remembers, rather than asking of every
        actor and place whether it appears in the conflict."""
        remembered_choices = remembered(
            "filter-choices", self.conflict, lambda: choices(self.conflict)
        )
        pairs = dict(zip(("actor", "place"), remembered_choices, strict=True))
        for name, model in (("actor", Actor), ("place", Place)):
            ids = [pk for pk, _label in pairs[name]]
            self.filters[name].queryset = model.objects.filter(pk__in=ids)
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
        return events.disputed() if value else events

    def filter_has_figures(self, events, name, value):
        return (
            events.filter(Exists(FigureClaim.objects.filter(event=OuterRef("pk"))))
            if value
            else events
        )

    def filter_key(self, events, name, value):
        return events.filter(is_key=True) if value else events
