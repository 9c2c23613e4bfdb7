"""Reported figures, each kept as a claim, and how disputes are computed.

A claim says: this claimant says, in this source, as of this time, that so
many people (of a population) were killed, injured, ... The figure is a range:
"about 100" is not "100", "more than 200" has no upper end. Two claims
*contradict* each other when

- they are on the same event and metric,
- they come from different claimants,
- their populations are the same, or either one is unspecified (a claimant
  who says "100 people" may be counting the same civilians), and
- their ranges do not overlap.

An event with a contradiction is *disputed*. This rule exists twice, on
purpose: in Python for the claims already loaded on a page, and in SQL for
filtering (FigureClaimQuerySet.contradicted); the tests hold the two to the
same answers.
"""

from dataclasses import dataclass, field
from itertools import combinations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact
from django.utils import formats
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

# "about 100" is taken to mean within 10% either way, unless the claim gives
# its own low and high.
ABOUT_TOLERANCE_DIVISOR = 10


class FigureClaimQuerySet(models.QuerySet):
    def with_bounds(self):
        """Annotate lower_bound and upper_bound (NULL: no upper end)."""
        Q_ = FigureClaim.Qualifier
        value = Coalesce("best", "low", "high")
        return self.annotate(
            lower_bound=Case(
                When(qualifier=Q_.MORE_THAN, then=Coalesce("low", value) + 1),
                When(qualifier=Q_.UP_TO, then=Coalesce("low", Value(0))),
                When(
                    qualifier=Q_.ABOUT,
                    then=Coalesce("low", value - value / ABOUT_TOLERANCE_DIVISOR),
                ),
                default=Coalesce("low", value),
            ),
            upper_bound=Case(
                When(qualifier__in=[Q_.AT_LEAST, Q_.MORE_THAN], then=F("high")),
                When(
                    qualifier=Q_.ABOUT,
                    then=Coalesce("high", value + value / ABOUT_TOLERANCE_DIVISOR),
                ),
                default=Coalesce("high", value),
            ),
        )

    def contradicted(self):
        """Claims that at least one other claim contradicts."""
        unspecified = FigureClaim.Population.UNSPECIFIED
        contradicting = (
            FigureClaim.objects.with_bounds()
            .filter(event=OuterRef("event"), metric=OuterRef("metric"))
            .exclude(claimant=OuterRef("claimant"))
            .filter(
                Q(population=OuterRef("population"))
                | Q(population=unspecified)
                | Q(Exact(OuterRef("population"), Value(unspecified)))
            )
            .filter(
                Q(upper_bound__lt=OuterRef("lower_bound"))
                | Q(lower_bound__gt=OuterRef("upper_bound"))
            )
        )
        return self.with_bounds().filter(Exists(contradicting))


class FigureClaim(models.Model):
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

    event = models.ForeignKey("Event", on_delete=models.CASCADE, related_name="claims")
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
        max_length=500, blank=True, help_text=_("The original words, e.g. 'over 200 injuries'.")
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

    history = HistoricalRecords()

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
        ]
        indexes = [models.Index(fields=["event", "metric"], name="claim_event_metric_idx")]

    def __str__(self):
        return f"{self.claimant}: {self.describe()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
        super().save(*args, **kwargs)

    def clean(self):
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

    def contradicts(self, other):
        return self.event_id == other.event_id and self.disagrees_with(other)

    def disagrees_with(self, other):
        """The dispute rule, leaving aside which event each claim is on: the
        figures page compares claimants' latest figures, wherever they were
        reported."""
        comparable = (
            self.metric == other.metric
            and self.claimant_id != other.claimant_id
            and (
                self.population == other.population
                or self.Population.UNSPECIFIED in (self.population, other.population)
            )
        )
        if not comparable:
            return False
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
        """'32', 'more than 200', 'about 100', '30 to 40', 'up to 5,000'."""
        if self.is_plain_range:
            return _("%(low)s to %(high)s") % {"low": _n(self.low), "high": _n(self.high)}
        if self.qualifier == self.Qualifier.EXACT:
            return _n(self.value)
        return f"{self.get_qualifier_display()} {_n(self.stated_number)}"

    def people_text(self):
        """'about 100', '32 civilians', '1 child', without the metric."""
        noun = population_noun(self.population, self.stated_number)
        return f"{self.number_text()} {noun}" if noun else self.number_text()

    def describe(self):
        """The figure in words: 'more than 200 injured', '32 civilians killed'."""
        return f"{self.people_text()} {self.get_metric_display()}"

    @property
    def is_newsroom_assessment(self):
        return self.claimant.is_newsroom

    @property
    def public_note(self):
        return note_for_readers(self.note, by_newsroom=self.is_newsroom_assessment)

    def claimant_display(self):
        if self.is_newsroom_assessment:
            return _("%(newsroom)s's own assessment") % {"newsroom": settings.NEWSROOM_NAME}
        return self.claimant.name


def note_for_readers(note, *, by_newsroom):
    """What readers see of a claim's note, wherever the claim is shown: the
    method of the newsroom's own assessment, and nothing of a note on anyone
    else's claim, where editors write what they make of that claimant."""
    return note if by_newsroom else ""


def _n(number):
    return formats.number_format(number, force_grouping=True)


def population_noun(population, count):
    P = FigureClaim.Population
    nouns = {
        P.UNSPECIFIED: "",
        P.CIVILIANS: ngettext("civilian", "civilians", count),
        P.COMBATANTS: ngettext("combatant", "combatants", count),
        P.CHILDREN: ngettext("child", "children", count),
        P.WOMEN: ngettext("woman", "women", count),
        P.AID_WORKERS: ngettext("aid worker", "aid workers", count),
        P.JOURNALISTS: ngettext("journalist", "journalists", count),
    }
    return nouns[population]


@dataclass
class FigureGroup:
    """An event's claims on one metric, and what they add up to."""

    metric: str
    metric_display: str
    claims: list = field(default_factory=list)

    @cached_property
    def disputed(self):
        return any(a.contradicts(b) for a, b in combinations(self.claims, 2))

    @cached_property
    def summary(self):
        """'32 civilians to about 100 killed' when disputed; otherwise the
        tightest figure for each population ('more than 200 civilians injured')."""
        if self.disputed:
            ordered = sorted(self.claims, key=lambda claim: (claim.value, claim.bounds[0]))
            lowest, highest = ordered[0], ordered[-1]
            return _("%(lowest)s to %(highest)s %(metric)s") % {
                "lowest": lowest.people_text(),
                "highest": highest.people_text(),
                "metric": self.metric_display,
            }
        tightest = {}
        for claim in self.claims:
            lower, upper = claim.bounds
            key = (-lower, upper is None, upper or 0)
            best_so_far = tightest.get(claim.population)
            if best_so_far is None or key < best_so_far[0]:
                tightest[claim.population] = (key, claim)
        if len(tightest) > 1:
            # Unspecified figures agree with the specific ones here, which say more.
            tightest.pop(FigureClaim.Population.UNSPECIFIED, None)
        return "; ".join(claim.describe() for _key, claim in tightest.values())


def group_claims(claims):
    """Claims grouped by metric, in the order of FigureClaim.Metric."""
    groups = {}
    for claim in claims:
        if claim.metric not in groups:
            groups[claim.metric] = FigureGroup(claim.metric, claim.get_metric_display())
        groups[claim.metric].claims.append(claim)
    order = list(FigureClaim.Metric.values)
    return sorted(groups.values(), key=lambda group: order.index(group.metric))
