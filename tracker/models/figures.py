"""Reported figures, each kept as a claim, and how disputes are computed.

A claim says: this claimant says, in this source, as of this time, that so
many people (of a population, of a party to the conflict) were killed,
injured, ... either in the event it belongs to (its toll) or in all since a
date (a running total). The figure is a range: "about 100" is not "100",
"more than 200" has no upper end.

The comparability rule. Two claims are *compared* only when they count the
same thing:

- they are on the same event and metric, with the same scope;
- their populations are the same, or either one is unspecified (a claimant
  who says "100 people" may be counting the same civilians);
- their parties (whose people they count) are the same, or either one is
  unspecified: two ministries each giving their own side's dead count
  different people;
- running totals also count from the same first day and were stated on the
  same local day: a toll that grows from one day to the next is a series;
- they come from different claimants, neither of them the newsroom: its own
  assessment is a judgement over the claims, shown apart, never one side of
  a dispute;
- each is its claimant's latest figure for that thing: a newer figure from
  the same claimant (the toll rose from 32 to 40) replaces the older one,
  which stays on the record as superseded.

Compared claims whose ranges do not overlap *contradict* each other, and an
event with a contradiction is *disputed*. This rule exists twice, on purpose:
in Python for the claims already loaded on a page (FigureClaim.compared_with,
and FigureGroup in figure_groups.py), and in SQL for filtering (FigureClaimQuerySet.current and
.contradicted); one table of cases in the tests holds the two to the same
answers.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, Exists, F, Func, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact, IsNull
from django.utils import dateformat, formats
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from tracker import newsroom

from .labels import ChoiceLabels
from .loaded import RemembersLoadedValues
from .translated import in_language

# "about 100" is taken to mean within 10% either way, unless the claim gives
# its own low and high.
ABOUT_TOLERANCE_DIVISOR = 10


# Words that give a number without stating one, read as the least they can
# mean, with no upper end: "hundreds" is at least two hundred. ACLED codes
# "dozens" as 12 and "hundreds" as 100 because it needs one number per event
# for its totals; a claim here keeps a range beside the original wording, so
# it can keep what the plural says without inventing an upper end. Longer
# phrases come first: "tens of thousands" before "thousands".
WORDS_WITHOUT_A_NUMBER = [
    # words, qualifier, figure
    ("hundreds of thousands", "at_least", 200_000),
    ("tens of thousands", "at_least", 20_000),
    ("thousands", "at_least", 2_000),
    ("hundreds", "at_least", 200),
    ("scores", "at_least", 40),
    ("dozens", "at_least", 24),
    ("tens", "at_least", 20),
    ("a dozen", "about", 12),
]


def reading_of_words(wording):
    """(qualifier, low, best) that words without a number stand for, or None."""
    text = " ".join(wording.lower().split())
    for words, qualifier, figure in WORDS_WITHOUT_A_NUMBER:
        if re.search(rf"\b{words}\b", text):
            if qualifier == "at_least":
                return qualifier, figure, None
            return qualifier, None, figure
    return None


class LocalDate(Func):
    """The local date of a stored (UTC) moment in the time zone named by
    another expression, such as the conflict's `timezone` column."""

    arity = 2
    output_field = models.DateField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="((%(expressions)s)::date)", arg_joiner=" AT TIME ZONE "
        )

    def as_sqlite(self, compiler, connection, **extra):
        # Django's own SQLite function behind TruncDate: (moment, zone, the
        # connection's zone), the connection being in UTC.
        return self.as_sql(
            compiler,
            connection,
            template="django_datetime_cast_date(%(expressions)s, 'UTC')",
        )


def _same_or_both_empty(name):
    """The field equals the outer claim's, NULL included."""
    return Q(**{name: OuterRef(name)}) | (
        Q(**{f"{name}__isnull": True}) & Q(IsNull(OuterRef(name), True))
    )


def _same_or_either_empty(name, empty):
    """The field equals the outer claim's, or either one is unspecified."""
    if empty is None:
        return (
            Q(**{name: OuterRef(name)})
            | Q(**{f"{name}__isnull": True})
            | Q(IsNull(OuterRef(name), True))
        )
    return Q(**{name: OuterRef(name)}) | Q(**{name: empty}) | Q(Exact(OuterRef(name), Value(empty)))


def _wide(field):
    """A figure's column in 64 bits: near the column's limit, a figure give or
    take its tolerance must not overflow PostgreSQL's 32-bit integers."""
    return Func(
        field, template="CAST(%(expressions)s AS bigint)", output_field=models.IntegerField()
    )


class FigureClaimQuerySet(models.QuerySet):
    def shown(self):
        """With everything a claim shows in words: who says it, whose people
        it counts, where we read it."""
        return self.select_related("claimant", "party", "source")

    def with_bounds(self):
        """Annotate lower_bound and upper_bound (NULL: no upper end)."""
        Q_ = FigureClaim.Qualifier
        value = Coalesce(_wide("best"), _wide("low"), _wide("high"))
        return self.annotate(
            lower_bound=Case(
                When(qualifier=Q_.MORE_THAN, then=Coalesce(_wide("low"), value) + _wide(Value(1))),
                When(
                    qualifier=Q_.UP_TO,
                    then=Coalesce(_wide("low"), Value(0)),
                ),
                When(
                    qualifier=Q_.ABOUT,
                    then=Coalesce(
                        _wide("low"), value - value / _wide(Value(ABOUT_TOLERANCE_DIVISOR))
                    ),
                ),
                default=Coalesce(_wide("low"), value),
            ),
            upper_bound=Case(
                When(qualifier__in=[Q_.AT_LEAST, Q_.MORE_THAN], then=_wide("high")),
                When(
                    qualifier=Q_.ABOUT,
                    then=Coalesce(
                        _wide("high"), value + value / _wide(Value(ABOUT_TOLERANCE_DIVISOR))
                    ),
                ),
                default=Coalesce(_wide("high"), value),
            ),
        )

    def with_stated_on(self):
        """Annotate stated_on: the local day of as_of in the conflict's zone."""
        return self.annotate(stated_on=LocalDate("as_of", "event__conflict__timezone"))

    def current(self):
        """Claims no newer figure from the same claimant replaces: none on the
        same event counts exactly the same thing with a later as_of."""
        Scope = FigureClaim.Scope
        newer = (
            FigureClaim.objects.with_stated_on()
            .filter(
                claimant=OuterRef("claimant"),
                event=OuterRef("event"),
                metric=OuterRef("metric"),
                population=OuterRef("population"),
                scope=OuterRef("scope"),
            )
            .filter(_same_or_both_empty("party"), _same_or_both_empty("period_start"))
            .filter(Q(scope=Scope.INCIDENT) | Q(stated_on=OuterRef("stated_on")))
            .filter(
                Q(as_of__gt=OuterRef("as_of")) | Q(as_of=OuterRef("as_of"), pk__gt=OuterRef("pk"))
            )
        )
        return self.with_stated_on().filter(~Exists(newer))

    def contradicted(self):
        """Claims that at least one compared claim contradicts."""
        Scope = FigureClaim.Scope
        contradicting = (
            FigureClaim.objects.current()
            .with_bounds()
            .filter(event=OuterRef("event"), metric=OuterRef("metric"), scope=OuterRef("scope"))
            .exclude(claimant=OuterRef("claimant"))
            .exclude(claimant__is_newsroom=True)
            .filter(
                _same_or_either_empty("population", FigureClaim.Population.UNSPECIFIED),
                _same_or_either_empty("party", None),
            )
            .filter(
                Q(scope=Scope.INCIDENT)
                | Q(period_start=OuterRef("period_start"), stated_on=OuterRef("stated_on"))
            )
            .filter(
                Q(upper_bound__lt=OuterRef("lower_bound"))
                | Q(lower_bound__gt=OuterRef("upper_bound"))
            )
        )
        return (
            self.current()
            .with_bounds()
            .exclude(claimant__is_newsroom=True)
            .filter(Exists(contradicting))
        )


class FigureClaim(ChoiceLabels, RemembersLoadedValues, models.Model):
    remembered_fields = ["event_id"]

    class Metric(models.TextChoices):
        KILLED = "killed", _("killed")
        INJURED = "injured", _("injured")
        CASUALTIES = "casualties", _("killed or injured")
        MISSING = "missing", _("missing")
        DETAINED = "detained", _("detained")
        DISPLACED = "displaced", _("displaced")

    class Population(models.TextChoices):
        UNSPECIFIED = "unspecified", _("people (not specified)")
        CIVILIANS = "civilians", _("civilians")
        COMBATANTS = "combatants", _("combatants")
        CHILDREN = "children", _("children")
        WOMEN = "women", _("women")
        AID_WORKERS = "aid_workers", _("aid workers")
        JOURNALISTS = "journalists", _("journalists")

    class Qualifier(models.TextChoices):
        EXACT = "exact", _("exactly")
        AT_LEAST = "at_least", _("at least")
        MORE_THAN = "more_than", _("more than")
        ABOUT = "about", _("about")
        UP_TO = "up_to", _("up to")

    class Grade(models.TextChoices):
        UNVERIFIED = "unverified", _("unverified")
        SINGLE_SOURCE = "single_source", _("single source")
        CORROBORATED = "corroborated", _("corroborated")
        CONFIRMED = "confirmed", _("confirmed")
        CONTESTED = "contested", _("contested")
        DISCOUNTED = "discounted", _("discounted")

    class Scope(models.TextChoices):
        INCIDENT = "incident", _("this event's toll")
        RUNNING_TOTAL = "running_total", _("running total since a date")

    event = models.ForeignKey("Event", on_delete=models.CASCADE, related_name="claims")
    # The event's conflict, repeated here (save() and Event.save() keep it)
    # so that a conflict's latest figures are read from one index.
    conflict = models.ForeignKey(
        "Conflict", on_delete=models.CASCADE, related_name="+", editable=False
    )
    claimant = models.ForeignKey(
        "Actor",
        on_delete=models.PROTECT,
        related_name="claims",
        help_text=_("Who says it. For our own assessment, the newsroom."),
    )
    source = models.ForeignKey(
        "Source",
        on_delete=models.PROTECT,
        related_name="claims",
        help_text=_("Where we read it."),
    )
    metric = models.CharField(max_length=12, choices=Metric.choices)
    population = models.CharField(
        max_length=12, choices=Population.choices, default=Population.UNSPECIFIED
    )
    party = models.ForeignKey(
        "Actor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="counted_in_claims",
        verbose_name=_("whose people"),
        help_text=_(
            "The side or population whose people the figure counts, e.g. 'Armenian armed "
            "forces'. Two ministries each giving their own side's dead do not dispute each "
            "other. Leave empty when the claim does not say: it is then compared with every "
            "side's figures."
        ),
    )
    scope = models.CharField(
        max_length=13,
        choices=Scope.choices,
        default=Scope.INCIDENT,
        help_text=_(
            "This event's toll, or a running total of the whole conflict since a date. "
            "Running totals are compared only with running totals for the same side and "
            "period, stated on the same day."
        ),
    )
    period_start = models.DateField(
        _("counted since"),
        null=True,
        blank=True,
        help_text=_(
            "For a running total: the first local day it counts ('since 27 September'). "
            "Leave empty for this event's toll."
        ),
    )
    qualifier = models.CharField(max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT)
    low = models.IntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Lowest figure claimed."),
    )
    best = models.IntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("The figure as stated: 200 for 'more than 200'."),
    )
    high = models.IntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Highest figure claimed."),
    )
    wording = models.CharField(
        max_length=500,
        blank=True,
        help_text=_(
            "The original words, e.g. 'over 200 injuries'. Words without a number "
            "('hundreds', 'dozens') with the figures left empty are read as the least they "
            "can mean: 'hundreds' is at least 200."
        ),
    )
    as_of = models.DateTimeField(
        help_text=_(
            "When the figure was stated, in local time; leave the time empty when "
            "only the day is known."
        )
    )
    grade = models.CharField(max_length=14, choices=Grade.choices, default=Grade.UNVERIFIED)
    note = models.TextField(
        blank=True,
        help_text=_(
            "For the newsroom's own assessment: the method behind it, shown to readers. "
            "On anyone else's claim the note stays in the newsroom."
        ),
    )
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text=_("Counts the saves; forms refuse stale edits.")
    )

    objects = FigureClaimQuerySet.as_manager()

    # The conflict is left out: it is the event's, which the event's history holds.
    history = HistoricalRecords(excluded_fields=["conflict"])

    class Meta:
        ordering = ["metric", "population", "as_of", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(low__isnull=False) | Q(best__isnull=False) | Q(high__isnull=False),
                name="claim_has_a_figure",
                violation_error_message=_("Give at least one figure: low, best or high."),
            ),
            models.CheckConstraint(
                condition=(Q(low__isnull=True) | Q(low__gte=0))
                & (Q(best__isnull=True) | Q(best__gte=0))
                & (Q(high__isnull=True) | Q(high__gte=0)),
                name="claim_figures_not_negative",
                violation_error_message=_("Figures cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(low__isnull=True) | Q(best__isnull=True) | Q(low__lte=F("best")),
                name="claim_low_le_best",
                violation_error_message=_("The low figure cannot be above the best figure."),
            ),
            models.CheckConstraint(
                condition=Q(best__isnull=True) | Q(high__isnull=True) | Q(best__lte=F("high")),
                name="claim_best_le_high",
                violation_error_message=_("The best figure cannot be above the high figure."),
            ),
            models.CheckConstraint(
                condition=Q(low__isnull=True) | Q(high__isnull=True) | Q(low__lte=F("high")),
                name="claim_low_le_high",
                violation_error_message=_("The low figure cannot be above the high figure."),
            ),
            # "More than N" allows N + 1 and up: a high figure must leave room.
            models.CheckConstraint(
                condition=~Q(qualifier="more_than")
                | Q(high__isnull=True)
                | Q(high__gt=Coalesce("low", "best", "high")),
                name="claim_more_than_below_high",
                violation_error_message=_(
                    "'More than' needs a high figure above the figure it qualifies."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(scope="running_total") | Q(period_start__isnull=False),
                name="claim_running_total_has_period_start",
                violation_error_message=_("A running total needs the day it counts from."),
            ),
            models.CheckConstraint(
                condition=~Q(scope="incident") | Q(period_start__isnull=True),
                name="claim_incident_has_no_period",
                violation_error_message=_(
                    "An event's toll counts no period: clear 'counted since', or make it a "
                    "running total."
                ),
            ),
            # "Exactly 10" cannot also be "5 to 15": an exact range has no best.
            models.CheckConstraint(
                condition=~Q(qualifier="exact")
                | Q(best__isnull=True)
                | (Q(low__isnull=True) | Q(low=F("best")))
                & (Q(high__isnull=True) | Q(high=F("best"))),
                name="claim_exact_is_not_a_range",
                violation_error_message=_(
                    "An exact figure has no range: give the best figure alone, or the low and "
                    "high figures without it."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["event", "metric"], name="claim_event_metric_idx"),
            # The figures page: a conflict's latest figures first.
            models.Index(
                F("conflict"), F("as_of").desc(), F("id").desc(), name="claim_conflict_latest_idx"
            ),
        ]

    def __str__(self):
        return f"{self.claimant}: {self.describe()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
        if self.conflict_id is None or self.event_id != self.loaded("event_id"):
            self.conflict_id = self.event.conflict_id
        super().save(*args, **kwargs)

    def clean(self):
        no_figure = self.low is None and self.best is None and self.high is None
        if no_figure and (reading := reading_of_words(self.wording)):
            self.qualifier, self.low, self.best = reading
        low, best, high = self.low, self.best, self.high
        errors = {}
        if low is None and best is None and high is None:
            errors["best"] = _("Give the figure: at least one of low, best or high.")
        if low is not None and best is not None and low > best:
            errors["low"] = _("The low figure (%(low)s) is above the best figure (%(best)s).") % {
                "low": low,
                "best": best,
            }
        if best is not None and high is not None and best > high:
            errors["high"] = _(
                "The high figure (%(high)s) is below the best figure (%(best)s)."
            ) % {
                "high": high,
                "best": best,
            }
        if (
            self.qualifier == self.Qualifier.MORE_THAN
            and high is not None
            and "high" not in errors
            and high <= next(n for n in (low, best, high) if n is not None)
        ):
            errors["high"] = _(
                "'More than %(figure)s' leaves no room up to the high figure (%(high)s): "
                "give a higher high figure, or another qualifier."
            ) % {"figure": next(n for n in (low, best, high) if n is not None), "high": high}
        if self.scope == self.Scope.RUNNING_TOTAL and self.period_start is None:
            errors["period_start"] = _(
                "A running total counts from a day: give the first day it counts "
                "('since 27 September'), or make the figure this event's toll."
            )
        if self.scope == self.Scope.INCIDENT and self.period_start is not None:
            errors["period_start"] = _(
                "This event's toll counts no period: clear this day, or make the figure "
                "a running total."
            )
        exact_range = [n for n in (low, high) if n is not None and n != best]
        if self.qualifier == self.Qualifier.EXACT and best is not None and exact_range:
            given = {_("low"): low, _("high"): high}
            errors["qualifier"] = _(
                "“Exactly %(best)s” contradicts the range given (%(range)s): choose another "
                "qualifier, such as “about”, or leave out the best figure or the range."
            ) % {
                "best": best,
                "range": ", ".join(f"{name} {n}" for name, n in given.items() if n is not None),
            }
        if low is not None and high is not None and low > high and "low" not in errors:
            errors["low"] = _("The low figure (%(low)s) is above the high figure (%(high)s).") % {
                "low": low,
                "high": high,
            }
        if errors:
            raise ValidationError(errors)

    @property
    def value(self):
        """The headline number: the best figure, else the low, else the high."""
        return next(n for n in (self.best, self.low, self.high) if n is not None)

    @property
    def bounds(self):
        """(lower, upper) of what the claim allows; upper is None when open."""
        value, low, high = self.value, self.low, self.high
        tolerance = value // ABOUT_TOLERANCE_DIVISOR
        match self.qualifier:
            case self.Qualifier.MORE_THAN:
                return (value if low is None else low) + 1, high
            case self.Qualifier.AT_LEAST:
                return (value if low is None else low), high
            case self.Qualifier.UP_TO:
                return (0 if low is None else low), (value if high is None else high)
            case self.Qualifier.ABOUT:
                return (
                    value - tolerance if low is None else low,
                    value + tolerance if high is None else high,
                )
            case _:
                return (value if low is None else low), (value if high is None else high)

    @cached_property
    def stated_on(self):
        """The local day the figure was stated on, in the conflict's zone."""
        return self.as_of.astimezone(self.event.conflict.tz).date()

    def counted_thing(self):
        """What exactly the claim counts: a claimant's newer claim on the same
        thing replaces this one."""
        running = self.scope == self.Scope.RUNNING_TOTAL
        return (
            self.event_id,
            self.metric,
            self.population,
            self.party_id,
            self.scope,
            self.period_start,
            self.stated_on if running else None,
        )

    def difference_in_what_is_counted(self, other):
        """None when the two claims count the same thing (see the module's
        docstring); otherwise what differs, in words a reader understands."""
        P = self.Population
        if self.event_id != other.event_id:
            return _("different events")
        if self.metric != other.metric:
            return _("different measures")
        if P.UNSPECIFIED not in (self.population, other.population) and (
            self.population != other.population
        ):
            return _("different groups of people")
        if self.party_id and other.party_id and self.party_id != other.party_id:
            return _("different sides")
        if self.scope != other.scope:
            return _("one is this event's toll, the other a running total")
        if self.scope == self.Scope.RUNNING_TOTAL:
            if self.period_start != other.period_start:
                return _("different periods")
            if self.stated_on != other.stated_on:
                return _("stated on different days")
        return None

    def counts_same_as(self, other):
        return self.difference_in_what_is_counted(other) is None

    def compared_with(self, other):
        """Whether the dispute rule compares the two claims' figures."""
        return (
            self.counts_same_as(other)
            and self.claimant_id != other.claimant_id
            and not self.is_newsroom_assessment
            and not other.is_newsroom_assessment
        )

    def contradicts(self, other):
        """Compared, and their ranges do not overlap. Only claimants' current
        figures are compared: FigureGroup leaves superseded claims out."""
        return self.compared_with(other) and self.disagrees_with(other)

    def disagrees_with(self, other):
        """Whether the two ranges leave no figure both claims allow."""
        (low_a, high_a), (low_b, high_b) = self.bounds, other.bounds
        return (high_a is not None and high_a < low_b) or (high_b is not None and high_b < low_a)

    @property
    def is_plain_range(self):
        """An exact claim given only as low and high: '30 to 40'."""
        return (
            self.qualifier == self.Qualifier.EXACT
            and self.best is None
            and self.low is not None
            and self.high is not None
            and self.low != self.high
        )

    @property
    def stated_number(self):
        """The number the wording ends on, which the noun agrees with."""
        if self.is_plain_range:
            return self.high
        if self.qualifier == self.Qualifier.UP_TO and self.high is not None:
            return self.high
        if self.qualifier in (self.Qualifier.AT_LEAST, self.Qualifier.MORE_THAN):
            return self.low if self.best is None and self.low is not None else self.value
        return self.value

    def number_text(self):
        """'32', 'more than 200', 'about 100', '30 to 40', 'up to 5,000':
        the whole range the claimant gave, never cut to one end."""
        low, best, high = self.low, self.best, self.high
        if self.is_plain_range or (
            self.qualifier == self.Qualifier.UP_TO and low is not None and high is not None
        ):
            return _("%(low)s to %(high)s") % {"low": _n(low), "high": _n(high)}
        if self.qualifier == self.Qualifier.EXACT:
            text = _n(self.value)
        else:
            text = f"{self.get_qualifier_display()} {_n(self.stated_number)}"
        if self.qualifier in (self.Qualifier.EXACT, self.Qualifier.ABOUT) and best is not None:
            lower, upper = (best if low is None else low), (best if high is None else high)
            if (lower, upper) != (best, best):
                text += " (%s)" % (_("%(low)s to %(high)s") % {"low": _n(lower), "high": _n(upper)})
        elif self.qualifier in (self.Qualifier.AT_LEAST, self.Qualifier.MORE_THAN) and high:
            text = _("%(figure)s, up to %(high)s") % {"figure": text, "high": _n(high)}
        return text

    def people_text(self):
        """'about 100', '32 civilians', '1 child', without the metric."""
        noun = population_noun(self.population, self.stated_number)
        return f"{self.number_text()} {noun}" if noun else self.number_text()

    def counted_text(self, *, party=True):
        """What is counted, without the figure: 'killed', 'killed since 27
        September 2023 (Armenian armed forces)'."""
        text = str(self.get_metric_display())
        if self.scope == self.Scope.RUNNING_TOTAL and self.period_start:
            text = _("%(metric)s since %(day)s") % {
                "metric": text,
                "day": dateformat.format(self.period_start, "j E Y"),
            }
        if party and self.party_id:
            text = f"{text} ({self.party.name})"
        return text

    def describe(self):
        """The figure in words: 'more than 200 injured', '32 civilians killed',
        '412 combatants killed (Armenian armed forces)'."""
        return f"{self.people_text()} {self.counted_text()}"

    def attributed(self, text=None):
        """'412 combatants killed (Armenian armed forces), according to the
        Ministry of Defence of Armenia'."""
        return _("%(figure)s, according to %(claimant)s") % {
            "figure": self.describe() if text is None else text,
            "claimant": self.claimant_display(),
        }

    @property
    def is_newsroom_assessment(self):
        return self.claimant.is_newsroom

    @property
    def public_note(self):
        return note_for_readers(self.note, by_newsroom=self.is_newsroom_assessment)

    def claimant_display(self):
        if self.is_newsroom_assessment:
            return _("%(newsroom)s's own assessment") % {"newsroom": newsroom.name()}
        return str(in_language(self.claimant, "name"))

    @property
    def wording_language(self):
        """The language of the original wording, which is never translated:
        its source's, or "" (unknown, as HTML's lang says it) without one."""
        return self.source.language.strip() if self.source_id else ""


def note_for_readers(note, *, by_newsroom):
    """What readers see of a claim's note, wherever the claim is shown: the
    method of the newsroom's own assessment, and nothing of a note on anyone
    else's claim, where editors write what they make of that claimant."""
    return note if by_newsroom else ""


def _n(number):
    return formats.number_format(number, force_grouping=True)


# Each population's noun, translated only when asked for: a page names
# hundreds of figures.
POPULATION_NOUNS = {
    FigureClaim.Population.UNSPECIFIED: lambda count: "",
    FigureClaim.Population.CIVILIANS: lambda count: ngettext("civilian", "civilians", count),
    FigureClaim.Population.COMBATANTS: lambda count: ngettext("combatant", "combatants", count),
    FigureClaim.Population.CHILDREN: lambda count: ngettext("child", "children", count),
    FigureClaim.Population.WOMEN: lambda count: ngettext("woman", "women", count),
    FigureClaim.Population.AID_WORKERS: lambda count: ngettext("aid worker", "aid workers", count),
    FigureClaim.Population.JOURNALISTS: lambda count: ngettext("journalist", "journalists", count),
}


def population_noun(population, count):
    return POPULATION_NOUNS[population](count)
