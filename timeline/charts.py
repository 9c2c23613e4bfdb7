"""Figures over time: each claimant's figures on one metric and population,
and the geometry of the line chart that shows them.

Pure Python on claims already loaded with their event, claimant and source.
The template draws what this module computes, in SVG user units.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import combinations

from django.utils import formats
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tracker import dates
from tracker.dates import Precision
from tracker.models import FigureClaim

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
    """One claimant's figures on a metric and population, oldest first."""

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


@dataclass
class Trend:
    """All claimants' figures on one metric and population, over time."""

    metric: str
    population: str
    series: list
    tz: object

    @property
    def slug(self):
        return f"{self.metric}-{self.population}"

    @property
    def title(self):
        """'Killed, civilians'."""
        first = self.series[0].first
        return capfirst(
            _("%(metric)s, %(population)s")
            % {"metric": first.get_metric_display(), "population": first.get_population_display()}
        )

    @property
    def claims(self):
        return [claim for series in self.series for claim in series.claims]

    @cached_property
    def latest(self):
        """Each claimant's latest figure, lowest first."""
        claims = [series.latest for series in self.series]
        return sorted(claims, key=lambda claim: (plotted_value(claim), claim.bounds[0]))

    @cached_property
    def disputed(self):
        """Whether the claimants' latest figures contradict each other (see
        tracker/models/figures.py)."""
        return any(a.disagrees_with(b) for a, b in combinations(self.latest, 2))

    @cached_property
    def spread(self):
        """'32 to about 100': the lowest and the highest latest figure."""
        lowest, highest = self.latest[0].number_text(), self.latest[-1].number_text()
        if lowest == highest:
            return lowest
        return _("%(low)s to %(high)s") % {"low": lowest, "high": highest}

    @cached_property
    def summary(self):
        """The chart in a sentence, for those who cannot see it: 'Killed,
        civilians: 3 claimants; latest figures range from 32 to about 100.'"""
        count = len(self.series)
        claimants = ngettext("%(count)d claimant", "%(count)d claimants", count) % {"count": count}
        if count == 1:
            latest = _("latest figure %(figure)s") % {"figure": self.spread}
        elif len({claim.number_text() for claim in self.latest}) == 1:
            latest = _("latest figures all %(figure)s") % {"figure": self.spread}
        else:
            latest = _("latest figures range from %(spread)s") % {"spread": self.spread}
        text = _("%(title)s: %(claimants)s; %(latest)s.") % {
            "title": self.title,
            "claimants": claimants,
            "latest": latest,
        }
        if self.disputed:
            text += " " + _("The latest figures contradict each other: disputed.")
        return text

    @cached_property
    def chart(self):
        return Chart(self.series, self.tz)


def figure_trends(claims, tz):
    """Claims by metric and population, in the order of their choices, with each
    claimant's figures as one series. A claimant keeps its style on every chart."""
    claims = sorted(claims, key=lambda claim: (claim.as_of, claim.pk))
    styles = {}
    trends = {}
    for claim in claims:
        style = styles.setdefault(claim.claimant_id, len(styles))
        by_claimant = trends.setdefault((claim.metric, claim.population), {})
        if claim.claimant_id not in by_claimant:
            by_claimant[claim.claimant_id] = Series(claim.claimant_display(), style)
        by_claimant[claim.claimant_id].claims.append(claim)
    metrics, populations = FigureClaim.Metric.values, FigureClaim.Population.values
    order = sorted(trends, key=lambda key: (metrics.index(key[0]), populations.index(key[1])))
    return [Trend(*key, list(trends[key].values()), tz) for key in order]


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
    whisker: str = ""
    arrow: str = ""


@dataclass
class Line:
    series: Series
    path: str
    points: list


class Chart:
    """Where everything goes in a chart of some series: a value axis from 0 with
    round ticks, a time axis in local dates, one line of points per series."""

    width, height, font_size = WIDTH, HEIGHT, FONT_SIZE

    def __init__(self, series, tz):
        claims = [claim for one in series for claim in one.claims]
        highest = max(max(self._extent(claim)) for claim in claims)
        values = value_ticks(highest)
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
        share = value / self.value_max
        return round(self.bottom - share * (self.bottom - self.top), 1)

    @staticmethod
    def _extent(claim):
        """The figures a claim needs room for on the value axis."""
        lower, upper = claim.bounds
        has_range = claim.low is not None or claim.high is not None
        return [plotted_value(claim)] + ([lower, upper or 0] if has_range else [])

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
        path = "M" + " L".join(f"{_units(p.x)},{_units(p.y)}" for p in points)
        return Line(series, path if len(points) > 1 else "", points)

    def _point(self, claim, style):
        value = plotted_value(claim)
        x, y = self.x(claim.as_of), self.y(value)
        point = Point(claim, x, y, marker_path(style, x, y))
        lower, upper = claim.bounds
        if claim.low is not None or claim.high is not None:
            # The range the claim gives: from its lower to its upper end, or up
            # to the point when it has no upper end.
            y_low, y_high = self.y(lower), self.y(value if upper is None else upper)
            if max(y_low - y, y - y_high) > MARKER_SIZE:  # it shows past the marker
                cap = [f"M{_units(x - CAP_WIDTH)},{_units(y_low)}h{2 * CAP_WIDTH}"]
                if upper is not None:
                    cap.append(f"M{_units(x - CAP_WIDTH)},{_units(y_high)}h{2 * CAP_WIDTH}")
                point.whisker = f"M{_units(x)},{_units(y_low)}V{_units(y_high)}" + "".join(cap)
        if upper is None:
            # No upper end ("more than 200"): an arrow pointing up from the point.
            tail, tip = y - MARKER_SIZE * 1.4, y - MARKER_SIZE * 1.4 - ARROW_LENGTH
            point.arrow = (
                f"M{_units(x)},{_units(tail)}V{_units(tip)}"
                f"M{_units(x - CAP_WIDTH)},{_units(tip + CAP_WIDTH + 1)}"
                f"L{_units(x)},{_units(tip)}L{_units(x + CAP_WIDTH)},{_units(tip + CAP_WIDTH + 1)}"
            )
        return point
