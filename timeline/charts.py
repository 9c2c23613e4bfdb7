"""Figures over time: each claimant's figures on one metric and population,
and the geometry of the line chart that shows them.

Pure Python on claims already loaded with their event, claimant and source,
but for which claims the page draws and the styles its claimants get, which
an event page shows its claimants in too. The template draws what this
module computes, in SVG user units.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import dateformat, formats
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from timeline.cache import remembered
from timeline.invalidation import conflict_key
from tracker import dates
from tracker.dates import Precision
from tracker.models import Event, FigureClaim
from tracker.models.figure_groups import FigureGroup

# The drawing is scaled to the width of the page: on a phone one unit is about
# 0.9 CSS pixels, so a 15-unit label still reads as 13 pixels.
WIDTH, HEIGHT = 400, 250
FONT_SIZE = 15
# An average character is narrower than this; labels are kept apart by it.
CHARACTER_WIDTH = 0.6 * FONT_SIZE
MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM = 26, 14, 34
MOST_VALUE_STEPS = 5
MOST_DATE_TICKS = 3
DAY_STEPS = (1, 2, 7, 14)
MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60, 120)

# How many of a conflict's latest figures its figures page draws.
FIGURES_SHOWN = 300

MARKER_SIZE = 5
CAP_WIDTH = 4
ARROW_LENGTH = 14
# Claimants are told apart by colour, marker and dash pattern together, so the
# chart still reads in black and white. The colours are in site.css.
STYLES = 6
DASHES = ("", "8 4", "2 3", "10 3 2 3", "5 2", "12 3 2 3 2 3")
SHAPES = (  # corners around the point, in marker sizes; None is a circle
    None,
    ((-0.9, -0.9), (0.9, -0.9), (0.9, 0.9), (-0.9, 0.9)),
    ((0, -1.3), (1.15, 0.8), (-1.15, 0.8)),
    ((0, -1.3), (1.3, 0), (0, 1.3), (-1.3, 0)),
    ((0, 1.3), (1.15, -0.8), (-1.15, -0.8)),
    (
        (-1.2, -0.4), (-0.4, -0.4), (-0.4, -1.2), (0.4, -1.2), (0.4, -0.4), (1.2, -0.4),
        (1.2, 0.4), (0.4, 0.4), (0.4, 1.2), (-0.4, 1.2), (-0.4, 0.4), (-1.2, 0.4),
    ),
)  # fmt: skip


def plotted_value(claim):
    """Where a claim sits on the chart: its best figure; without one, the middle
    of the range it allows, or its lower end when the range has no upper end."""
    if claim.best is not None:
        return claim.best
    lower, upper = claim.bounds
    return claim.value if upper is None else (lower + upper) / 2


@dataclass
class Series:
    """One claimant's figures on one thing counted, oldest first."""

    name: str
    style: int
    claims: list = field(default_factory=list)

    @property
    def first(self):
        return self.claims[0]

    @property
    def latest(self):
        return self.claims[-1]

    @property
    def colour(self):
        return self.style % STYLES

    @property
    def dashes(self):
        # Past six claimants the colours repeat, with another dash pattern.
        return DASHES[(self.style + self.style // STYLES) % len(DASHES)]

    @property
    def swatch_marker(self):
        """The series' marker in the legend, centred in a 40 by 16 swatch."""
        return marker_path(self.style, 20, 8)


def counted_key(claim):
    """What a chart counts: metric, population, party, scope and period."""
    return (claim.metric, claim.population, claim.party_id, claim.scope, claim.period_start)


def _covers(general, specific):
    """Whether a claim with the key `general` may count what `specific` counts:
    the same, or unspecified where `specific` names people or a side."""
    metric, population, party, scope, period = general
    return (
        (metric, scope, period) == (specific[0], specific[3], specific[4])
        and population in (specific[1], FigureClaim.Population.UNSPECIFIED)
        and party in (specific[2], None)
    )


def _specificity(key):
    return int(key[1] != FigureClaim.Population.UNSPECIFIED) + int(key[2] is not None)


@dataclass
class Trend:
    """Every claimant's figures on one thing counted, over time. Claims that
    count unspecified people (or no named side) and may be counting the same
    are drawn on the same chart, marked as such."""

    key: tuple
    series: list
    tz: object
    exemplar: FigureClaim  # a claim with exactly this key, for the title
    unspecified: set = field(default_factory=set)  # ids of the marked claims
    by_side: bool = False  # the running totals of every side on one metric

    @property
    def running(self):
        return self.by_side or self.key[3] == FigureClaim.Scope.RUNNING_TOTAL

    @property
    def slug(self):
        metric, population, party, scope, period = self.key
        if self.by_side:
            return f"{metric}-by-side"
        slug = f"{metric}-{population}"
        if party is not None:
            slug += f"-side-{party}"
        if period is not None:
            slug += f"-since-{period.isoformat()}"
        return slug

    @property
    def title(self):
        """'Killed, civilians', 'Killed, combatants (Armenian armed forces),
        running total since 27 September 2023'."""
        claim = self.exemplar
        if self.by_side:
            return capfirst(
                _("Running totals by side: %(metric)s") % {"metric": claim.get_metric_display()}
            )
        title = _("%(metric)s, %(population)s") % {
            "metric": claim.get_metric_display(),
            "population": claim.get_population_display(),
        }
        if claim.party_id:
            title += f" ({claim.party.name})"
        if claim.scope == FigureClaim.Scope.RUNNING_TOTAL:
            title = _("%(title)s, running total since %(day)s") % {
                "title": title,
                "day": dateformat.format(claim.period_start, "j E Y"),
            }
        return capfirst(title)

    @property
    def claims(self):
        return [claim for series in self.series for claim in series.claims]

    @property
    def rows(self):
        """The table's rows: each claim, and whether it is a marked one."""
        return [(claim, id(claim) in self.unspecified) for claim in self.claims]

    @cached_property
    def latest(self):
        """Each claimant's latest figure, lowest first."""
        claims = [series.latest for series in self.series]
        return sorted(claims, key=lambda claim: (plotted_value(claim), claim.bounds[0]))

    @cached_property
    def disputes(self):
        """Where the rule finds contradictions: on one event each."""
        if self.by_side:
            return []
        by_event = {}
        for claim in self.claims:
            by_event.setdefault(claim.event_id, []).append(claim)
        return [
            dispute
            for claims in by_event.values()
            for dispute in FigureGroup(claims[0].metric, "", claims).disputes
        ]

    @property
    def disputed(self):
        return bool(self.disputes)

    @cached_property
    def spread(self):
        """'32 to about 100': the lowest and the highest latest running total."""
        lowest, highest = self.latest[0].number_text(), self.latest[-1].number_text()
        if lowest == highest:
            return lowest
        return _("%(low)s to %(high)s") % {"low": lowest, "high": highest}

    @cached_property
    def summary(self):
        """The chart in a sentence, for those who cannot see it: 'Killed,
        civilians: 2 claimants, 2 figures on 1 event. Disputed: ...'."""
        count = len(self.series)
        claimants = ngettext("%(count)d claimant", "%(count)d claimants", count) % {"count": count}
        if self.running:
            if len({claim.number_text() for claim in self.latest}) == 1:
                latest = _("latest figures all %(figure)s") % {"figure": self.spread}
            else:
                latest = _("latest figures range from %(spread)s") % {"spread": self.spread}
            if count == 1:
                latest = _("latest figure %(figure)s") % {"figure": self.spread}
        else:
            figures, events = len(self.claims), len({claim.event_id for claim in self.claims})
            counted = ngettext("%(count)d figure", "%(count)d figures", figures)
            on = ngettext("on %(count)d event", "on %(count)d events", events)
            latest = f"{counted % {'count': figures}} {on % {'count': events}}"
        text = _("%(title)s: %(claimants)s; %(latest)s.") % {
            "title": self.title,
            "claimants": claimants,
            "latest": latest,
        }
        for dispute in self.disputes:
            text += " " + _("Disputed: %(dispute)s.") % {"dispute": dispute.summary}
        return text

    @cached_property
    def chart(self):
        return Chart(self.series, self.tz, running=self.running, unspecified=self.unspecified)


def claimant_styles(claimant_ids):
    """{claimant id: style} for the claimants of claims in time order (as_of,
    id): each in the order they first speak. The figures page draws each
    claimant in its style on every chart; an event page shows its claimants
    in the same (claimant_styles_of)."""
    styles = {}
    for claimant in claimant_ids:
        styles.setdefault(claimant, len(styles))
    return styles


def shown_claims(conflict):
    """The figures the figures page draws: the conflict's latest claims of
    published events, newest first, down the conflict's latest claims
    (claim_conflict_latest_idx), keeping those of published events."""
    return (
        FigureClaim.objects.filter(conflict=conflict, event__status=Event.Status.PUBLISHED)
        .shown()
        .order_by("-as_of", "-pk")
    )


def claimant_styles_of(conflict, shown=FIGURES_SHOWN):
    """The styles the figures page gives the conflict's claimants, remembered
    until its pages change: one query over the claims it draws, not the
    claims themselves."""

    def styles():
        rows = shown_claims(conflict).values_list("as_of", "pk", "claimant")[:shown]
        return claimant_styles(claimant for _as_of, _pk, claimant in sorted(rows))

    return remembered(f"claimant-styles:{conflict.pk}", [conflict_key(conflict.slug)], styles)


def with_claimant_styles(claims, styles):
    """Give each claim whose claimant the figures page draws its `series`
    (name and style, as the page's legend shows it); None for the others."""
    for claim in claims:
        style = styles.get(claim.claimant_id)
        claim.series = None if style is None else Series(claim.claimant_display(), style)
    return claims


def figure_trends(claims, tz):
    """One chart per thing counted, in the order of the choices, with each
    claimant's figures as one series, then each metric's running totals by
    side. A claimant keeps its style on every chart. A claim that counts
    unspecified people or sides joins the charts of the more specific things
    it may be counting, marked, and has a chart of its own only when there
    is none."""
    claims = sorted(claims, key=lambda claim: (claim.as_of, claim.pk))
    styles = claimant_styles(claim.claimant_id for claim in claims)
    by_key = {}
    for claim in claims:
        by_key.setdefault(counted_key(claim), []).append(claim)
    members = {}  # chart key: [(claim, unspecified)]
    for key in sorted(by_key, key=_specificity, reverse=True):
        narrower = [other for other in members if other != key and _covers(key, other)]
        if narrower:
            for other in narrower:
                members[other] += [(claim, True) for claim in by_key[key]]
        else:
            members[key] = [(claim, False) for claim in by_key[key]]
    metrics, populations = FigureClaim.Metric.values, FigureClaim.Population.values
    trends = []
    for key in sorted(
        members,
        key=lambda key: (
            metrics.index(key[0]),
            populations.index(key[1]),
            key[3],
            str(key[4]),
            str(key[2]),
        ),
    ):
        in_order = sorted(members[key], key=lambda pair: (pair[0].as_of, pair[0].pk))
        series = {}
        for claim, _marked in in_order:
            if claim.claimant_id not in series:
                series[claim.claimant_id] = Series(
                    claim.claimant_display(), styles[claim.claimant_id]
                )
            series[claim.claimant_id].claims.append(claim)
        exemplar = next(claim for claim, marked in in_order if not marked)
        unspecified = {id(claim) for claim, marked in in_order if marked}
        trends.append(Trend(key, list(series.values()), tz, exemplar, unspecified))
    return trends + _running_totals_by_side(claims, tz)


def _running_totals_by_side(claims, tz):
    """Per metric with running totals for more than one side: each side's
    figures over time, one series per side and claimant."""
    running = [claim for claim in claims if claim.scope == FigureClaim.Scope.RUNNING_TOTAL]
    trends = []
    for metric in FigureClaim.Metric.values:
        of_metric = [claim for claim in running if claim.metric == metric]
        if len({claim.party_id for claim in of_metric}) < 2:
            continue
        series = {}
        for claim in of_metric:
            key = (claim.party_id, claim.claimant_id)
            if key not in series:
                side = claim.party.name if claim.party_id else _("side not given")
                name = _("%(side)s, according to %(claimant)s") % {
                    "side": side,
                    "claimant": claim.claimant_display(),
                }
                series[key] = Series(name, len(series))
            series[key].claims.append(claim)
        key = (metric, None, None, FigureClaim.Scope.RUNNING_TOTAL, None)
        trends.append(Trend(key, list(series.values()), tz, of_metric[0], by_side=True))
    return trends


def value_ticks(maximum, most_steps=MOST_VALUE_STEPS):
    """Round ticks from 0 to at or just above `maximum`, in at most `most_steps`
    steps of 1, 2, 2.5 or 5 times a power of ten. People are counted whole, so
    a step is never a fraction."""
    smallest = maximum / most_steps
    magnitude = 10 ** (len(str(int(smallest))) - 1)
    multiples = (1, 2, 2.5, 5, 10) if magnitude >= 10 else (1, 2, 5, 10)
    step = next(int(m * magnitude) for m in multiples if m * magnitude >= smallest)
    steps = max(1, -(-maximum // step))
    return [n * step for n in range(int(steps) + 1)]


def _midnight(day, tz):
    return datetime(day.year, day.month, day.day, tzinfo=tz)


def date_ticks(start, end, tz, most=MOST_DATE_TICKS):
    """Local midnights from `start` to `end` to mark on the time axis: every day,
    every other day, every week... or the first of every month, quarter or
    year, whichever comes first with at most `most` ticks (a span of decades
    gets one a decade). Returns the moments and the precision to label them with."""
    first, last = start.astimezone(tz).date(), end.astimezone(tz).date()
    for step in DAY_STEPS:
        days = (first + timedelta(days=n) for n in range(0, (last - first).days + 1, step))
        moments = [m for m in (_midnight(day, tz) for day in days) if start <= m <= end]
        if len(moments) <= most:
            return moments, Precision.DAY
    first_month, last_month = first.year * 12 + first.month - 1, last.year * 12 + last.month - 1
    for step in MONTH_STEPS:
        months = (m for m in range(first_month, last_month + 1) if m % step == 0)
        days = (date(month // 12, month % 12 + 1, 1) for month in months)
        moments = [m for m in (_midnight(day, tz) for day in days) if start <= m <= end]
        if len(moments) <= most:
            break
    return moments, Precision.YEAR if step >= 12 else Precision.MONTH


def number(value):
    return formats.number_format(value, force_grouping=True)


def _units(value):
    """A coordinate as SVG wants it, whatever the locale: '12.5', '40'."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def marker_path(style, x, y, size=MARKER_SIZE):
    shape = SHAPES[style % len(SHAPES)]
    if shape is None:
        r, d = _units(size), _units(2 * size)
        return f"M{_units(x - size)},{_units(y)}a{r},{r} 0 1,0 {d},0a{r},{r} 0 1,0 -{d},0Z"
    corners = " ".join(f"{_units(x + dx * size)},{_units(y + dy * size)}" for dx, dy in shape)
    return f"M{corners}Z"


@dataclass
class Tick:
    label: str
    position: float
    anchor: str = "middle"


@dataclass
class Point:
    claim: FigureClaim
    x: float
    y: float
    marker: str
    band: str = ""  # the range the claim allows, from its lower to its upper end
    arrow: str = ""  # no upper end ("more than 200"), or off the top of the scale
    unspecified: bool = False  # counts people or a side the chart's title names not
    off_scale: bool = False


@dataclass
class Line:
    series: Series
    path: str
    points: list


# A figure this many times the next highest is drawn at the top edge, off the
# scale, so that one typo or outlier does not flatten every other figure.
OUTLIER_RATIO = 20
BAND_HALF_WIDTH = 3


class Chart:
    """Where everything goes in a chart of some series: a value axis from 0 with
    round ticks, a time axis in local dates, a line through each series'
    points where they form a series (a running total, or one incident's toll
    as it was updated), a band for each range and an arrow for each open end."""

    width, height, font_size = WIDTH, HEIGHT, FONT_SIZE

    def __init__(self, series, tz, *, running=True, unspecified=frozenset()):
        self.running, self.unspecified = running, unspecified
        claims = [claim for one in series for claim in one.claims]
        extents = sorted({value for claim in claims for value in self._extent(claim)})
        highest = extents[-1]
        if len(extents) > 1 and extents[-2] > 0 and highest > OUTLIER_RATIO * extents[-2]:
            highest = max(value for value in extents if value <= OUTLIER_RATIO * extents[-2])
        values = value_ticks(max(highest, 1))
        self.value_max = values[-1]
        widest_label = max(len(number(value)) for value in values)
        self.left = round(widest_label * CHARACTER_WIDTH + 10)
        self.right = WIDTH - MARGIN_RIGHT
        self.top, self.bottom = MARGIN_TOP, HEIGHT - MARGIN_BOTTOM
        self.value_label_x = self.left - 6
        self.tick_end = self.bottom + 5
        self.date_label_y = self.bottom + FONT_SIZE + 8
        earliest = min(claim.as_of for claim in claims)
        latest = max(claim.as_of for claim in claims)
        # Room on either side keeps the first and last points off the edges,
        # and a lone day still gets its date under it.
        padding = max((latest - earliest) / 20, timedelta(days=1))
        self.start, self.end = earliest - padding, latest + padding

        self.y_ticks = [Tick(number(value), self.y(value)) for value in values]
        moments, precision = date_ticks(self.start, self.end, tz)
        self.x_ticks = [
            self._date_tick(dates.format_short_date(moment, precision, tz), self.x(moment))
            for moment in moments
        ]
        self.lines = [self._line(one) for one in series]

    def x(self, moment):
        share = (moment - self.start) / (self.end - self.start)
        return round(self.left + share * (self.right - self.left), 1)

    def y(self, value):
        share = min(value / self.value_max, 1)
        return round(self.bottom - share * (self.bottom - self.top), 1)

    @staticmethod
    def _extent(claim):
        """The figures a claim needs room for on the value axis."""
        lower, upper = claim.bounds
        return [plotted_value(claim), lower, upper or 0]

    @staticmethod
    def _date_tick(label, x):
        half = len(label) * CHARACTER_WIDTH / 2
        if x - half < 0:
            return Tick(label, x, "start")
        if x + half > WIDTH:
            return Tick(label, x, "end")
        return Tick(label, x)

    def _line(self, series):
        points = [self._point(claim, series.style) for claim in series.claims]
        # Incident tolls are points of their own incidents; only a running
        # total, or the updates of one incident's toll, forms a line.
        runs = {}
        for point in points:
            runs.setdefault(None if self.running else point.claim.event_id, []).append(point)
        path = "".join(
            "M" + " L".join(f"{_units(p.x)},{_units(p.y)}" for p in run)
            for run in runs.values()
            if len(run) > 1
        )
        return Line(series, path, points)

    def _point(self, claim, style):
        value = plotted_value(claim)
        x, y = self.x(claim.as_of), self.y(value)
        point = Point(claim, x, y, marker_path(style, x, y))
        point.unspecified = id(claim) in self.unspecified
        point.off_scale = value > self.value_max
        lower, upper = claim.bounds
        if upper is not None and upper != lower:
            y_low, y_high = self.y(lower), self.y(upper)
            left, right = _units(x - BAND_HALF_WIDTH), _units(x + BAND_HALF_WIDTH)
            point.band = f"M{left},{_units(y_high)}H{right}V{_units(y_low)}H{left}Z"
        if upper is None or point.off_scale:
            # An arrow pointing up from the point: no upper end, or beyond the top.
            tail, tip = y - MARKER_SIZE * 1.4, y - MARKER_SIZE * 1.4 - ARROW_LENGTH
            if point.off_scale:
                tail, tip = y + ARROW_LENGTH / 2, y - ARROW_LENGTH / 2
            point.arrow = (
                f"M{_units(x)},{_units(tail)}V{_units(tip)}"
                f"M{_units(x - CAP_WIDTH)},{_units(tip + CAP_WIDTH + 1)}"
                f"L{_units(x)},{_units(tip)}L{_units(x + CAP_WIDTH)},{_units(tip + CAP_WIDTH + 1)}"
            )
        return point
