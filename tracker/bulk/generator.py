"""Synthetic data at scale, for benchmarks: conflicts full of events with their
participants, citations, figure claims, links, corrections and phases.

Rows are made as plain tuples with their ids chosen here, so that events and
what hangs off them can be written in one pass: by COPY on PostgreSQL, by
bulk_create elsewhere. Nothing goes through Model.save(), so the rules save()
applies are applied here instead: start and end times cut to their precision in
the conflict's time zone, slugs unique in their conflict, published events
with a first-published time. Every figure keeps low <= best <= high.

The data is the same for the same seed and sizes.
"""

import random
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Max

from tracker import dates, search
from tracker.dates import Precision
from tracker.models import (
    Actor,
    Citation,
    Conflict,
    Correction,
    Event,
    EventLink,
    FigureClaim,
    Participant,
    Phase,
    Place,
    Source,
)
from tracker.slugs import slug_of

from .writer import Table, Writer

# The slug of the event, in the largest conflict, that carries the most detail.
SHOWCASE_SLUG = "showcase"
SHOWCASE_CLAIMS, SHOWCASE_SOURCES, SHOWCASE_PARTICIPANTS = 50, 30, 20

TIME_ZONES = [
    "Asia/Baku",
    "Europe/Kyiv",
    "Asia/Gaza",
    "Africa/Khartoum",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Yangon",
    "America/Bogota",
    "Asia/Damascus",
    "Africa/Tripoli",
    "Asia/Kabul",
    "America/Port-au-Prince",
    "Africa/Lagos",
    "Asia/Tehran",
    "Europe/Chisinau",
]
SYLLABLES = [
    "ar",
    "ven",
    "ko",
    "lis",
    "ta",
    "mir",
    "do",
    "sel",
    "an",
    "bur",
    "gal",
    "ne",
    "ri",
    "mor",
    "tash",
    "kel",
    "vi",
    "on",
    "za",
    "ush",
]
E, K = Event.Kind, Actor.Kind
KIND_WEIGHTS = {
    E.STRIKE: 22,
    E.CLASH: 18,
    E.MILITARY_OPERATION: 8,
    E.STATEMENT: 14,
    E.CASUALTY_REPORT: 10,
    E.HUMANITARIAN: 7,
    E.DISPLACEMENT: 5,
    E.NEGOTIATION: 5,
    E.CEASEFIRE: 3,
    E.AGREEMENT: 2,
    E.OTHER: 6,
}
# Kinds whose events usually carry casualty or displacement figures.
WITH_FIGURES = {
    E.STRIKE,
    E.CLASH,
    E.MILITARY_OPERATION,
    E.CASUALTY_REPORT,
    E.HUMANITARIAN,
    E.DISPLACEMENT,
}
TITLES = {
    E.STRIKE: ["Airstrike on {place}", "Drone strike near {place}", "Shelling of {place}"],
    E.CLASH: ["Fighting near {place}", "Clashes on the road to {place}"],
    E.MILITARY_OPERATION: ["Offensive launched towards {place}", "Operation around {place}"],
    E.STATEMENT: ["{actor} statement on {place}", "{actor} calls for restraint"],
    E.CASUALTY_REPORT: ["Casualty figures for {place}", "Death toll in {place} revised"],
    E.HUMANITARIAN: ["Aid convoy reaches {place}", "Hospital in {place} runs out of fuel"],
    E.DISPLACEMENT: ["Families leave {place}", "Evacuation of {place}"],
    E.NEGOTIATION: ["Talks on {place} in the capital", "{actor} hosts negotiations"],
    E.CEASEFIRE: ["Ceasefire announced around {place}", "Local truce in {place}"],
    E.AGREEMENT: ["Agreement on corridors through {place}", "Prisoner exchange agreed"],
    E.OTHER: ["Power cut across {place}", "Bridge at {place} closed"],
}
SUMMARIES = [
    "{actor} said the events in {place} began in the early morning. Residents described "
    "heavy damage to homes, a school and the water station.",
    "According to {actor}, the situation in {place} remains tense. The claims could not be "
    "independently verified.",
    "{actor} reported movement of armoured vehicles near {place}; local officials asked "
    "civilians to stay in shelters.",
    "Reporters in {place} saw queues at the only open bakery. {actor} blamed the other "
    "side for the shortages.",
]
PRECISION_WEIGHTS = {
    Precision.MINUTE: 30,
    Precision.HOUR: 20,
    Precision.DAY: 40,
    Precision.MONTH: 8,
    Precision.YEAR: 2,
}
STATUS_WEIGHTS = {
    Event.Status.PUBLISHED: 90,
    Event.Status.DRAFT: 4,
    Event.Status.IN_REVIEW: 3,
    Event.Status.RETRACTED: 3,
}
ACTOR_KINDS = [  # per conflict: how many of each kind
    (K.STATE, 2),
    (K.ARMED_FORCE, 4),
    (K.ARMED_GROUP, 4),
    (K.GOVERNMENT_BODY, 10),
    (K.NGO, 5),
    (K.MEDIA, 5),
    (K.PERSON, 10),
]
INTERNATIONAL = [
    "United Nations",
    "International Committee of the Red Cross",
    "UN Office for the Coordination of Humanitarian Affairs",
    "World Health Organization",
    "UNHCR",
    "UNICEF",
    "European Union",
    "African Union",
    "Organization for Security and Co-operation in Europe",
    "Amnesty International",
    "Human Rights Watch",
    "Doctors Without Borders",
]
PUBLISHERS = ["Newswire", "Daily Courier", "Regional Broadcaster", "Agency Press", "The Ledger"]
METRICS = [metric.value for metric in FigureClaim.Metric]
GROUP_SIZES = [1, 2, 2, 3, 3, 4]
POPULATIONS = [
    FigureClaim.Population.UNSPECIFIED,
    FigureClaim.Population.UNSPECIFIED,
    FigureClaim.Population.CIVILIANS,
    FigureClaim.Population.CIVILIANS,
    FigureClaim.Population.COMBATANTS,
    FigureClaim.Population.CHILDREN,
]
GRADES = [grade.value for grade in FigureClaim.Grade]
Q = FigureClaim.Qualifier
# How claims state their figure: "range" is a plain low-to-high range.
FORMS = [*(qualifier.value for qualifier in Q), Q.EXACT.value, Q.EXACT.value, "range"]
ROLES = [role.value for role in Participant.Role]
RELATIONS = [relation.value for relation in EventLink.Relation]
PARTICIPANTS = [1, 2, 2, 3]  # per event, drawn at random
CITATIONS = [0, 1, 1, 1, 2, 2, 3]
PUBLISHED, RETRACTED = Event.Status.PUBLISHED.value, Event.Status.RETRACTED.value
RETRACTION_NOTE = "The reports behind this event could not be confirmed."
CORRECTION_NOTE = "An earlier version gave the wrong place."
EXCERPT = "“We saw it happen,” a resident said."


def weighted(weights):
    return [str(item) for item in weights], list(_cumulative(weights.values()))


def _cumulative(values):
    total = 0
    for value in values:
        total += value
        yield total


@dataclass
class Sizes:
    conflicts: int = 100
    events: int = 1_000_000
    largest: int = 200_000
    small: int = 1_000
    claims: int = 3_000_000
    seed: int = 1

    def events_per_conflict(self):
        """The largest conflict first, the small one (for comparisons) last,
        and the rest shared out unevenly, none larger than the largest."""
        if self.conflicts < 1 or self.events < self.conflicts:
            raise ValueError("Give at least one conflict, and at least one event for each.")
        if self.conflicts == 1:
            return [self.events]
        largest = min(self.largest, self.events - (self.conflicts - 1))
        counts = [largest]
        rest = self.events - largest
        middle = self.conflicts - 2
        small = min(self.small, rest - middle) if middle else rest
        if middle:
            share = rest - small
            weights = [1 / (i + 2) ** 0.7 for i in range(middle)]
            scale = share / sum(weights)
            shares = [max(1, min(largest, round(w * scale))) for w in weights]
            shares[-1] = max(1, shares[-1] + share - sum(shares))
            counts += shares
        return [*counts, small]


@dataclass
class ConflictPlan:
    """What the events of one conflict are drawn from."""

    pk: int
    slug: str
    tz: ZoneInfo
    start: datetime
    span_seconds: int
    places: list  # (id, name)
    actors: list  # (id, name): who takes part
    claimants: list  # ids
    sources: list  # ids
    event_ids: list = field(default_factory=list)


class Generator:
    def __init__(self, sizes, *, prefix="bulk", using="default", chunk=20_000, progress=None):
        self.sizes = sizes
        self.prefix = prefix
        self.rng = random.Random(sizes.seed)
        self.progress = progress or (lambda message: None)
        self.writer = Writer(using, self.progress)
        self.chunk = chunk
        self.today = date.today()
        self.qualifier_words = {qualifier.value: str(qualifier.label) for qualifier in Q}
        self.kinds = weighted(KIND_WEIGHTS)
        self.precisions = weighted(PRECISION_WEIGHTS)
        self.statuses = weighted(STATUS_WEIGHTS)
        self.used_names = set(Actor.objects.using(using).values_list("name", flat=True))
        self.newsroom = (
            Actor.objects.using(using).filter(is_newsroom=True).values_list("pk", flat=True).first()
        )
        self.conflicts = self._table(
            Conflict, ["name", "slug", "summary", "timezone", "start_date", "end_date"]
        )
        self.actors = self._table(Actor, ["name", "kind", "description", "affiliation_id"])
        self.places = self._table(
            Place,
            ["name", "country_code", "admin_region", "latitude", "longitude", "location_precision"],
        )
        self.sources = self._table(
            Source, ["title", "publisher", "url", "kind", "language", "published_at", "accessed_at"]
        )
        self.phases = self._table(Phase, ["conflict_id", "name", "starts_on", "ends_on"])
        self.events = self._table(
            Event,
            [
                "conflict_id",
                "kind",
                "title",
                "slug",
                "summary",
                "starts_at",
                "ends_at",
                "precision",
                "place_id",
                "is_key",
                "status",
                "retraction_note",
                "published_at",
                "created_at",
                "updated_at",
            ],
        )
        self.participants = self._table(Participant, ["event_id", "actor_id", "role"])
        self.citations = self._table(Citation, ["event_id", "source_id", "excerpt"])
        self.claims = self._table(
            FigureClaim,
            [
                "event_id",
                "conflict_id",
                "claimant_id",
                "source_id",
                "metric",
                "population",
                "qualifier",
                "low",
                "best",
                "high",
                "wording",
                "as_of",
                "grade",
            ],
        )
        self.links = self._table(EventLink, ["from_event_id", "to_event_id", "relation"])
        self.corrections = self._table(Correction, ["event_id", "published_at", "note"])
        self.event_tables = [
            self.events,
            self.participants,
            self.citations,
            self.claims,
            self.links,
            self.corrections,
        ]

    def _table(self, model, columns):
        return Table(model, columns, using=self.writer.using)

    def run(self):
        counts = self.sizes.events_per_conflict()
        existing = Conflict.objects.using(self.writer.using).filter(
            slug__startswith=f"{self.prefix}-"
        )
        if existing.exists():
            raise ValueError(f"Conflicts named {self.prefix}-... exist already.")
        international = self._international_actors()
        claims_left, events_left = self.sizes.claims, self.sizes.events
        with (
            self.derived_afterwards(),
            self.writer.checked_afterwards([Source, *(table.model for table in self.event_tables)]),
        ):
            for number, count in enumerate(counts):
                quota = round(claims_left * count / events_left)
                claims_left, events_left = claims_left - quota, events_left - count
                plan = self._conflict(number, count, international)
                self._conflict_events(plan, count, quota, showcase=number == 0)
                self._report(number + 1, len(counts))
        self.writer.reset_sequences(
            [Conflict, Actor, Place, Source, Phase, *(table.model for table in self.event_tables)]
        )
        return {table.model.__name__: table.written for table in self.all_tables()}

    @contextmanager
    def derived_afterwards(self):
        """What is derived from the rows written, made once at the end rather
        than row by row: on PostgreSQL the search documents, which triggers
        would otherwise remake for each citation; everywhere the events'
        dispute flags, which save() would have set."""
        writer = self.writer
        first_event = Event.objects.using(writer.using).aggregate(top=Max("pk"))["top"] or 0
        if writer.copy:
            search.set_document_triggers(writer.connection, enabled=False)
        try:
            yield
        finally:
            if writer.copy:
                search.set_document_triggers(writer.connection, enabled=True)
        written = Event.objects.using(writer.using).filter(pk__gt=first_event)
        if writer.copy:
            writer.progress("making the search documents")
            search.refresh_documents(written)
        writer.progress("flagging disputed events")
        written.refresh_disputed()

    def all_tables(self):
        return [
            self.conflicts,
            self.actors,
            self.places,
            self.sources,
            self.phases,
            *self.event_tables,
        ]

    def _report(self, conflicts_done, conflicts_total):
        self.progress(
            f"{conflicts_done}/{conflicts_total} conflicts, "
            f"{self.events.written:,}/{self.sizes.events:,} events, "
            f"{self.claims.written:,} claims, {self.citations.written:,} citations, "
            f"{self.participants.written:,} participants"
        )

    def _pick(self, table):
        items, cumulative = table
        point = self.rng.random() * cumulative[-1]
        low, high = 0, len(cumulative) - 1
        while low < high:
            middle = (low + high) // 2
            if cumulative[middle] > point:
                high = middle
            else:
                low = middle + 1
        return items[low]

    def _unique_name(self, name):
        candidate, n = name, 2
        while candidate in self.used_names:
            candidate, n = f"{name} {n}", n + 1
        self.used_names.add(candidate)
        return candidate

    def _word(self, syllables=2):
        return "".join(self.rng.choice(SYLLABLES) for _ in range(syllables)).capitalize()

    def _international_actors(self):
        existing = dict(
            Actor.objects.using(self.writer.using)
            .filter(name__in=INTERNATIONAL)
            .values_list("name", "pk")
        )
        ids = []
        for name in INTERNATIONAL:
            if name not in existing:
                existing[name] = self.actors.add(name, K.INTERNATIONAL, "", None)
                self.used_names.add(name)
            ids.append((existing[name], name))
        return ids

    def _conflict(self, number, count, international):
        rng = self.rng
        country = self._unique_name(self._word(3) + "ia")
        rival = self._unique_name(self._word(2) + "stan")
        tz_name = TIME_ZONES[number % len(TIME_ZONES)]
        tz = ZoneInfo(tz_name)
        span_days = min(3650, max(30, count // 40))
        last_day = self.today - timedelta(days=30 + rng.randrange(365))
        first_day = last_day - timedelta(days=span_days)
        slug = f"{self.prefix}-{number:03d}"
        conflict_id = self.conflicts.add(
            f"{country}–{rival} war",
            slug,
            f"Synthetic conflict number {number} between {country} and {rival}.",
            tz_name,
            first_day,
            None if number % 3 else last_day,
        )
        for index, (name, share) in enumerate([("Escalation", 0), ("Offensive", 0.3)]):
            starts = first_day + timedelta(days=int(span_days * share))
            ends = first_day + timedelta(days=int(span_days * (0.3, 0.7)[index]) - 1)
            self.phases.add(conflict_id, name, starts, ends)
        starts = first_day + timedelta(days=int(span_days * 0.7))
        self.phases.add(conflict_id, "Stalemate and talks", starts, None)

        actors, claimants = [], [pk for pk, _name in international]
        names = {
            K.STATE: [country, rival],
            K.ARMED_FORCE: [f"{country} Armed Forces", f"{rival} Armed Forces"]
            + [f"{country} Border Guard", f"{rival} National Guard"],
            K.ARMED_GROUP: [f"{country} Liberation Front", f"{rival} Defence Brigades"]
            + [f"{country} Popular Militia", f"{rival} Volunteer Battalion"],
            K.GOVERNMENT_BODY: [
                f"{ministry} of {side}"
                for side in (country, rival)
                for ministry in (
                    "Ministry of Defence",
                    "Ministry of Health",
                    "Ministry of Foreign Affairs",
                    "Ministry of Interior",
                    "Emergency Service",
                )
            ],
            K.NGO: [f"{country} Human Rights Centre", f"{rival} Red Crescent"]
            + [f"{country} Legal Aid", f"{rival} Civic Monitor", "Border Villages Union"],
            K.MEDIA: [f"{country} State Television", f"{rival} Press Agency"]
            + [f"{side} {outlet}" for side in (country, rival) for outlet in ("Daily", "Radio")],
            K.PERSON: [f"{self._word(2)} {self._word(3)}" for _ in range(10)],
        }
        for kind, kind_names in names.items():
            for name in kind_names:
                name = self._unique_name(name)
                pk = self.actors.add(name, kind, "", None)
                if kind != K.MEDIA:
                    actors.append((pk, name))
                if kind in (K.STATE, K.GOVERNMENT_BODY, K.NGO, K.ARMED_FORCE, K.PERSON):
                    claimants.append(pk)
        if self.newsroom:
            claimants.append(self.newsroom)
        actors += international[:4]

        places = []
        region = f"{country} {self.rng.choice(['North', 'South', 'East', 'West'])}"
        code = country[:2].upper()
        latitude, longitude = rng.uniform(-40, 50), rng.uniform(-80, 100)
        taken = set()
        for _ in range(min(300, max(15, count // 700))):
            name = self._word(rng.choice([2, 3])) + rng.choice(["", "ovo", "abad", "pur", "sk"])
            while name in taken:
                name += rng.choice(SYLLABLES)
            taken.add(name)
            precision = rng.choice(["exact", "exact", "exact", "near", "district", "province"])
            pk = self.places.add(
                name,
                code,
                region,
                round(latitude + rng.uniform(-2, 2), 5),
                round(longitude + rng.uniform(-2, 2), 5),
                precision,
            )
            places.append((pk, name))

        start = datetime(first_day.year, first_day.month, first_day.day, tzinfo=UTC)
        sources = []
        for j in range(max(SHOWCASE_SOURCES, count // 2)):
            publisher = rng.choice(PUBLISHERS)
            published = start + timedelta(seconds=rng.randrange(span_days * 86400))
            sources.append(
                self.sources.add(
                    f"{rng.choice(places)[1]}: {rng.choice(['report', 'update', 'briefing'])}"
                    f" from the {rng.choice(['front', 'capital', 'border', 'hospitals'])}",
                    publisher,
                    f"https://{self.prefix}-news.example/{slug}/{publisher.lower()[:5]}/{j}",
                    rng.choice(list(Source.Kind)),
                    "en",
                    published,
                    published + timedelta(hours=rng.randrange(1, 200)),
                )
            )
        for table in (self.conflicts, self.actors, self.places, self.sources, self.phases):
            self.writer.flush(table)
        return ConflictPlan(
            conflict_id, slug, tz, start, span_days * 86400, places, actors, claimants, sources
        )

    def _conflict_events(self, plan, count, quota, *, showcase):
        figure_share = sum(KIND_WEIGHTS[kind] for kind in WITH_FIGURES) / sum(KIND_WEIGHTS.values())
        for index in range(count):
            left = count - index
            if index == 0 and showcase:
                claims = min(quota, SHOWCASE_CLAIMS)
            elif left == 1:
                claims = quota
            else:
                mean = quota / max(1.0, left * figure_share)
                claims = min(quota, int(mean * self.rng.uniform(0.4, 1.6) + self.rng.random()))
            claims = self._event(
                plan, index, claims, showcase=index == 0 and showcase, exact=left == 1
            )
            quota -= claims
            if len(self.events.rows) >= self.chunk:
                for table in self.event_tables:
                    self.writer.flush(table)
        for table in self.event_tables:
            self.writer.flush(table)

    def _event(self, plan, index, claims, *, showcase, exact):
        """Add one event and what hangs off it; return how many claims it got."""
        random = self.rng.random
        kind = E.CASUALTY_REPORT.value if showcase else self._pick(self.kinds)
        if kind not in WITH_FIGURES and not (showcase or exact) and random() < 0.85:
            claims = 0
        place_id, place_name = plan.places[int(random() * len(plan.places))]
        actor_name = plan.actors[int(random() * len(plan.actors))][1]
        titles = TITLES[kind]
        title = titles[int(random() * len(titles))].format(place=place_name, actor=actor_name)
        precision = Precision.MINUTE.value if showcase else self._pick(self.precisions)
        status = PUBLISHED if showcase else self._pick(self.statuses)
        moment = plan.start + timedelta(seconds=int(random() * plan.span_seconds))
        starts_at = dates.truncate(moment, precision, plan.tz)
        ends_at = None
        if random() < 0.1:
            later = moment + timedelta(hours=int(random() * 70) + 2)
            ends_at = max(dates.truncate(later, precision, plan.tz), starts_at)
        published_at = None
        if status in (PUBLISHED, RETRACTED):
            published_at = moment + timedelta(minutes=int(random() * 2000) + 20)
        created_at = moment + timedelta(minutes=int(random() * 15) + 5)
        updated_at = (published_at or created_at) + timedelta(minutes=int(random() * 600))
        event_id = self.events.add(
            plan.pk,
            kind,
            f"Figures disputed after {title.lower()}" if showcase else title,
            SHOWCASE_SLUG if showcase else f"{_slug(title)}-{index + 1}",
            SUMMARIES[int(random() * len(SUMMARIES))].format(actor=actor_name, place=place_name),
            starts_at,
            ends_at,
            precision,
            None if random() < 0.1 else place_id,
            showcase or random() < 0.005,
            status,
            RETRACTION_NOTE if status == RETRACTED else "",
            published_at,
            created_at,
            updated_at,
        )

        taking_part = (
            min(SHOWCASE_PARTICIPANTS, len(plan.actors))
            if showcase
            else PARTICIPANTS[int(random() * len(PARTICIPANTS))]
        )
        for actor_pk, _name in self._distinct(plan.actors, taking_part):
            self.participants.add(event_id, actor_pk, ROLES[int(random() * len(ROLES))])
        citing = SHOWCASE_SOURCES if showcase else CITATIONS[int(random() * len(CITATIONS))]
        cited = self._distinct(plan.sources, citing)
        for source_pk in cited:
            self.citations.add(event_id, source_pk, EXCERPT)
        self._claims(plan, event_id, moment, claims, cited or plan.sources)

        if plan.event_ids and random() < 0.03:
            earlier = plan.event_ids[int(random() * len(plan.event_ids))]
            self.links.add(event_id, earlier, RELATIONS[int(random() * len(RELATIONS))])
        if published_at and (showcase or random() < 0.01):
            for n in range(3 if showcase else 1):
                self.corrections.add(
                    event_id, published_at + timedelta(hours=6 * (n + 1)), CORRECTION_NOTE
                )
        plan.event_ids.append(event_id)
        return claims

    def _claims(self, plan, event_id, moment, count, sources):
        """`count` claims in groups on one metric each; a quarter of the
        groups disputed."""
        random, claimants = self.rng.random, plan.claimants
        offset = int(random() * len(METRICS))
        group = 0
        while count > 0:
            size = min(count, GROUP_SIZES[int(random() * len(GROUP_SIZES))], len(claimants))
            count -= size
            metric = METRICS[(offset + group) % len(METRICS)]
            population = POPULATIONS[(offset + group) % len(POPULATIONS)]
            group += 1
            disputed = size > 1 and random() < 0.25
            value = min(100_000, int(self.rng.paretovariate(1.2) * 5))
            for position, claimant in enumerate(self._distinct(claimants, size)):
                low = best = high = None
                if disputed and position == size - 1:
                    qualifier, best = Q.ABOUT.value, value * 3 + 10
                else:
                    spread = int(random() * (value // 10 + 1))
                    qualifier = FORMS[int(random() * len(FORMS))]
                    if qualifier == "range":
                        qualifier, low, high = Q.EXACT.value, value - spread, value + spread + 1
                    elif qualifier == Q.AT_LEAST:
                        best = value - spread
                    elif qualifier == Q.MORE_THAN:
                        best = value - spread - 1
                    elif qualifier == Q.UP_TO:
                        best = value + spread
                    else:
                        best = value
                shown = best if best is not None else f"{low} to {high}"
                self.claims.add(
                    event_id,
                    plan.pk,
                    claimant,
                    sources[int(random() * len(sources))],
                    metric,
                    population,
                    qualifier,
                    low,
                    best,
                    high,
                    f"{self.qualifier_words[qualifier]} {shown} {metric}",
                    moment + timedelta(minutes=int(random() * 5760) + 60),
                    GRADES[int(random() * len(GRADES))],
                )

    def _distinct(self, pool, count):
        """`count` different items of `pool`, cheaply when `pool` is large."""
        if count * 3 > len(pool):
            return self.rng.sample(pool, count)
        random, chosen = self.rng.random, {}
        while len(chosen) < count:
            item = pool[int(random() * len(pool))]
            chosen[item] = None
        return list(chosen)


def _slug(title):
    # Transliterated as the admin's are (tracker.slugs): a generated title in
    # any script still gives an address the URLs accept.
    return slug_of(title, max_length=80)
