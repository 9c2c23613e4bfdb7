"""An event's claims read together: which a newer claim replaces, which
contradict each other, and the lines a card or page shows for them. The rule
itself is FigureClaim's (tracker/models/figures.py)."""

from dataclasses import dataclass, field
from itertools import combinations

from django.utils.functional import cached_property
from django.utils.text import capfirst, get_text_list
from django.utils.translation import gettext_lazy as _

from .figures import FigureClaim


def superseded(claims):
    """The claims a newer claim of the same claimant on the same thing
    replaces (see counted_thing)."""
    latest = {}
    for claim in claims:
        key = (claim.claimant_id, claim.counted_thing())
        if key not in latest or _recency(claim) > _recency(latest[key]):
            latest[key] = claim
    kept = {id(claim) for claim in latest.values()}
    return [claim for claim in claims if id(claim) not in kept]


def _recency(claim):
    """Later as_of first; at the same time, the later saved, and a claim not
    yet saved (as in a form's preview) after every saved one."""
    return (claim.as_of, claim.pk is None, claim.pk or 0)


def _in_reading_order(claims):
    """The newsroom's assessment first, then lowest figure first."""
    return sorted(
        claims,
        key=lambda claim: (not claim.is_newsroom_assessment, claim.value, claim.bounds[0]),
    )


@dataclass
class Dispute:
    """Compared claims that contradict each other, and those they are tied
    to by contradiction: one disagreement about one count."""

    claims: list

    @cached_property
    def summary(self):
        """'Killed (Armenian population): 32 civilians, according to the
        regional authorities; about 100, according to Ruben Vardanyan'.
        Naming each claimant keeps the spread from reading as an estimate."""
        claims = _in_reading_order(self.claims)
        shared_party = len({claim.party_id for claim in claims}) == 1
        figures = []
        for claim in claims:
            people = claim.people_text()
            if claim.party_id and not shared_party:
                people = f"{people} ({claim.party.name})"
            figures.append(claim.attributed(people))
        return _("%(counted)s: %(figures)s") % {
            "counted": capfirst(claims[0].counted_text(party=shared_party)),
            "figures": "; ".join(figures),
        }

    @property
    def claimants(self):
        return sorted({claim.claimant_display() for claim in self.claims})


@dataclass
class FigureLine:
    """One line of an event's figures on a card: a dispute, or what agrees."""

    text: str
    disputed: bool = False
    claimants: list = field(default_factory=list)  # of a dispute, who disagree

    def __str__(self):
        return str(self.text)

    @property
    def between(self):
        """'between the regional authorities and Ruben Vardanyan': who
        disagree, for the badge a reader scans before the figures."""
        if not self.claimants:
            return ""
        return _("between %(claimants)s") % {
            "claimants": get_text_list([str(name) for name in self.claimants], _("and"))
        }


@dataclass
class NotCompared:
    """Two figures that look alike but count different things."""

    first: object
    second: object
    reason: str


@dataclass
class FigureGroup:
    """An event's claims on one metric, and what they add up to."""

    metric: str
    metric_display: str
    claims: list = field(default_factory=list)

    @cached_property
    def superseded(self):
        return superseded(self.claims)

    @property
    def in_reading_order(self):
        """The newsroom's own assessment first, the rest as recorded."""
        return sorted(self.claims, key=lambda claim: not claim.is_newsroom_assessment)

    @cached_property
    def current(self):
        replaced = {id(claim) for claim in self.superseded}
        return [claim for claim in self.claims if id(claim) not in replaced]

    @cached_property
    def disputes(self):
        """The contradictions among current claims, each a connected set."""
        tied = {}
        for a, b in combinations(self.current, 2):
            if a.contradicts(b):
                tied.setdefault(id(a), {id(a): a})
                tied.setdefault(id(b), {id(b): b})
                merged = {**tied[id(a)], **tied[id(b)]}
                for claim in merged.values():
                    tied[id(claim)] = merged
        unique = {id(group): group for group in tied.values()}
        disputes = [Dispute(list(group.values())) for group in unique.values()]
        return sorted(disputes, key=lambda dispute: min(c.pk or 0 for c in dispute.claims))

    @cached_property
    def disputed(self):
        return bool(self.disputes)

    @cached_property
    def lines(self):
        """Each dispute, then the tightest undisputed figure for each thing
        counted ('more than 200 civilians injured')."""
        lines = [
            FigureLine(dispute.summary, disputed=True, claimants=dispute.claimants)
            for dispute in self.disputes
        ]
        in_dispute = {id(claim) for dispute in self.disputes for claim in dispute.claims}
        tightest = {}
        for claim in self.current:
            if id(claim) in in_dispute:
                continue
            lower, upper = claim.bounds
            key = (not claim.is_newsroom_assessment, -lower, upper is None, upper or 0)
            thing = claim.counted_thing()
            if thing not in tightest or key < tightest[thing][0]:
                tightest[thing] = (key, claim)
        kept = [claim for _key, claim in tightest.values()]
        # A less specific figure that counts the same as a more specific one
        # agrees with it here, and the specific one says more.
        kept = [
            claim
            for claim in kept
            if not any(
                _specificity(other) > _specificity(claim) and claim.counts_same_as(other)
                for other in kept
            )
        ]
        lines += [
            FigureLine(claim.attributed() if claim.is_newsroom_assessment else claim.describe())
            for claim in kept
        ]
        return lines

    @cached_property
    def summary(self):
        return " · ".join(str(line) for line in self.lines)

    @cached_property
    def not_compared(self):
        """Figures from different claimants that look alike (the same metric
        and people) but are not compared, with why: 'different sides'."""
        P = FigureClaim.Population
        found, seen = [], set()
        for a, b in combinations(self.current, 2):
            same_people = a.population == b.population or P.UNSPECIFIED in (
                a.population,
                b.population,
            )
            reason = a.difference_in_what_is_counted(b)
            if a.claimant_id == b.claimant_id or not same_people or reason is None:
                continue
            key = (str(reason), frozenset((a.counted_thing(), b.counted_thing())))
            if key not in seen:
                seen.add(key)
                found.append(NotCompared(a, b, reason))
        return found


def _specificity(claim):
    """How much a claim says about whose casualties it counts."""
    specified_people = claim.population != FigureClaim.Population.UNSPECIFIED
    return int(specified_people) + int(claim.party_id is not None)


def group_claims(claims):
    """Claims grouped by metric, in the order of FigureClaim.Metric."""
    groups = {}
    for claim in claims:
        if claim.metric not in groups:
            groups[claim.metric] = FigureGroup(claim.metric, claim.get_metric_display())
        groups[claim.metric].claims.append(claim)
    order = list(FigureClaim.Metric.values)
    return sorted(groups.values(), key=lambda group: order.index(group.metric))
