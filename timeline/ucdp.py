"""Events in the layout of the UCDP Georeferenced Event Dataset (GED), which
conflict researchers already load: one row per event, its sides, where and
when with UCDP's precision codes, and its deaths by side, best/low/high.

UCDP stores one number per cell; we keep every claimant's figure. The cells
are derived from the claims by this rule.

Sides. Side A is the event's initiator, else its first party (participants
with the role "party", by actor name); side B is its target, else the next
party. Other roles (mediator, observer, ...) are never sides.

Claims. The event's current claims of people killed in it: metric "killed",
scope "incident" (a running total is not one event's deaths), and not
superseded by a newer figure from the same claimant (figure_groups.superseded).

Cells. Each claim goes to one cell:

- civilians: claims on civilians; claims on children, women, aid workers or
  journalists when the event has no claim on civilians (when it has one,
  they are among those civilians and are counted nowhere else);
- side A, side B: claims on any other population whose party (whose people
  it counts) is the side's actor or an actor affiliated with it;
- unknown: the rest.

A claim on people not specified first joins the first cell (civilians, side
A, side B, unknown) holding a claim that the comparability rule says counts
the same thing (FigureClaim.counts_same_as: same event, metric and scope,
population and party the same or unspecified): the regional authorities'
"32 civilians" and "about 100 people" of the same population are one count.
Otherwise it goes to its party's side, or else to unknown.

Figures. A claim's figure is its stated value within its own range ("more
than 200" is 201). A cell's best is the newsroom's own assessment in it when
there is one, otherwise the lowest figure of its claims; its low is the
lowest lower bound of its claims, its high the highest upper bound (an
open-ended claim counts its lower bound). deaths_a, deaths_b,
deaths_civilians and deaths_unknown are the cells' best; best, low and high
are the sums over the four cells. An event without such claims has 0.
"""

import calendar
import datetime
import functools
from dataclasses import dataclass, field

from django.utils import translation
from django_countries import countries

from tracker.dates import Precision, truncate
from tracker.models import FigureClaim, Participant, Place
from tracker.models.figure_groups import superseded

# The columns UCDP GED names, with their HXL hashtags (as the Humanitarian
# Data Exchange tags GED: #group+name+first for side_a, #affected+killed for best).
COLUMNS = {
    "id": "#event+id",
    "relid": "#event+slug",
    "year": "#date+year",
    "conflict_name": "#crisis+name",
    "side_a": "#group+name+first",
    "side_b": "#group+name+second",
    "source_article": "#meta+source+url",
    "where_prec": "#geo+precision+code",
    "where_description": "#loc+name",
    "adm_1": "#adm1+name",
    "country": "#country+name",
    "latitude": "#geo+lat",
    "longitude": "#geo+lon",
    "date_prec": "#date+precision+code",
    "date_start": "#date+start",
    "date_end": "#date+end",
    "deaths_a": "#affected+killed+first",
    "deaths_b": "#affected+killed+second",
    "deaths_civilians": "#affected+killed+civilians",
    "deaths_unknown": "#affected+killed+unknown",
    "best": "#affected+killed",
    "high": "#affected+killed+max",
    "low": "#affected+killed+min",
}

# UCDP's where_prec: 1 the exact location, 2 within about 25 km of a known
# point, 3 a second-order administrative division (district), 4 a first-order
# one (province), 5 a larger part of a country, 6 the country only, 7
# international waters or airspace.
WHERE_PREC = {
    Place.LocationPrecision.EXACT: 1,
    Place.LocationPrecision.NEAR: 2,
    Place.LocationPrecision.DISTRICT: 3,
    Place.LocationPrecision.PROVINCE: 4,
    Place.LocationPrecision.REGION: 5,
    Place.LocationPrecision.COUNTRY: 6,
    Place.LocationPrecision.SEA: 7,
}
# UCDP's date_prec: 1 the exact day, 2 within 2-6 days, 3 the week, 4 within
# 8-30 days or the month, 5 within a calendar year. A time known to the day
# or better is 1; our month and year are UCDP's 4 and 5.
DATE_PREC = {
    Precision.MINUTE: 1,
    Precision.HOUR: 1,
    Precision.DAY: 1,
    Precision.MONTH: 4,
    Precision.YEAR: 5,
}

P = FigureClaim.Population
PARTS_OF_CIVILIANS = {P.CHILDREN, P.WOMEN, P.AID_WORKERS, P.JOURNALISTS}
CIVILIANS, SIDE_A, SIDE_B, UNKNOWN = "civilians", "a", "b", "unknown"
CELLS = (CIVILIANS, SIDE_A, SIDE_B, UNKNOWN)


@dataclass(frozen=True)
class Side:
    pk: int
    name: str


def sides(participants):
    """(side A, side B), each a Side or None, from the event's participants
    given as (role, actor id, actor name)."""
    by_role = {}
    for role, pk, name in sorted(participants, key=lambda participant: participant[2]):
        by_role.setdefault(role, []).append(Side(pk, name))
    parties = by_role.get(Participant.Role.PARTY, [])
    side_a = next(iter(by_role.get(Participant.Role.INITIATOR, [])), None)
    if side_a is None and parties:
        side_a = parties[0]
    others = [side for side in parties if side != side_a]
    side_b = next(iter(by_role.get(Participant.Role.TARGET, [])), None)
    if side_b is None and others:
        side_b = others[0]
    return side_a, side_b


def killed_in_the_event(claims):
    """The claims the deaths are derived from: current tolls of the killed."""
    tolls = [
        claim
        for claim in claims
        if claim.metric == FigureClaim.Metric.KILLED and claim.scope == FigureClaim.Scope.INCIDENT
    ]
    replaced = {id(claim) for claim in superseded(tolls)}
    return [claim for claim in tolls if id(claim) not in replaced]


def figure(claim):
    """The claim's figure within its own range: 'more than 200' is 201."""
    lower, upper = claim.bounds
    value = max(claim.value, lower)
    return value if upper is None else min(value, upper)


@dataclass
class Cell:
    claims: list = field(default_factory=list)

    @property
    def best(self):
        if not self.claims:
            return 0
        assessed = [claim for claim in self.claims if claim.is_newsroom_assessment]
        return min(figure(claim) for claim in assessed or self.claims)

    @property
    def low(self):
        return min((claim.bounds[0] for claim in self.claims), default=0)

    @property
    def high(self):
        return max((_ceiling(claim) for claim in self.claims), default=0)


def _ceiling(claim):
    lower, upper = claim.bounds
    return lower if upper is None else upper


def deaths(claims, side_a, side_b):
    """The four cells of an event's deaths, by name (see the module's rule)."""
    claims = killed_in_the_event(claims)
    cells = {name: Cell() for name in CELLS}
    has_civilians = any(claim.population == P.CIVILIANS for claim in claims)

    def side_of(party):
        for name, side in ((SIDE_A, side_a), (SIDE_B, side_b)):
            if (
                side is not None
                and party is not None
                and side.pk in (party.pk, party.affiliation_id)
            ):
                return name
        return None

    def joined(claim):
        for name in CELLS:
            if any(claim.counts_same_as(other) for other in cells[name].claims):
                return name
        return None

    unspecified = []
    for claim in claims:
        if claim.population == P.UNSPECIFIED:
            unspecified.append(claim)
        elif claim.population == P.CIVILIANS:
            cells[CIVILIANS].claims.append(claim)
        elif claim.population in PARTS_OF_CIVILIANS:
            if not has_civilians:
                cells[CIVILIANS].claims.append(claim)
        else:
            cells[side_of(claim.party) or UNKNOWN].claims.append(claim)
    # Figures of people not specified: one that counts the same as a figure
    # already placed joins it; then by whose people they count.
    unplaced = []
    for claim in unspecified:
        name = joined(claim)
        if name:
            cells[name].claims.append(claim)
        else:
            unplaced.append(claim)
    rest = []
    for claim in unplaced:
        name = side_of(claim.party)
        if name:
            cells[name].claims.append(claim)
        else:
            rest.append(claim)
    for claim in rest:
        cells[joined(claim) or UNKNOWN].claims.append(claim)
    return cells


def date_range(event):
    """(date_start, date_end) as UCDP gives them: local days, a month or a
    year running from its first day to its last."""
    tz, precision = event.conflict.tz, event.precision
    start = truncate(event.starts_at, precision, tz).date()
    end = truncate(event.ends_at or event.starts_at, precision, tz).date()
    if precision == Precision.MONTH:
        end = end.replace(day=calendar.monthrange(end.year, end.month)[1])
    elif precision == Precision.YEAR:
        end = datetime.date(end.year, 12, 31)
    return start, end


@functools.cache
def country_name(code):
    """The country's English name from its ISO code: UCDP names countries."""
    with translation.override("en"):
        return str(countries.name(code)) if code else ""


def row(event, participants, claims, permalink):
    """The event's row, in the order of COLUMNS, from its participants as
    (role, actor id, actor name) and its claims."""
    side_a, side_b = sides(participants)
    cells = deaths(claims, side_a, side_b)
    date_start, date_end = date_range(event)
    place = event.place
    return [
        event.pk,
        event.slug,
        date_start.year,
        event.conflict.name,
        side_a.name if side_a else "",
        side_b.name if side_b else "",
        permalink,
        WHERE_PREC.get(place.location_precision) if place else None,
        place.name if place else "",
        place.admin_region if place else "",
        country_name(place.country_code) if place else "",
        place.latitude if place else None,
        place.longitude if place else None,
        DATE_PREC[Precision(event.precision)],
        date_start.isoformat(),
        date_end.isoformat(),
        cells[SIDE_A].best,
        cells[SIDE_B].best,
        cells[CIVILIANS].best,
        cells[UNKNOWN].best,
        sum(cell.best for cell in cells.values()),
        sum(cell.high for cell in cells.values()),
        sum(cell.low for cell in cells.values()),
    ]
