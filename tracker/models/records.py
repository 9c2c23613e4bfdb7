"""What events are about: conflicts, the actors in them, places and sources."""

import difflib
import re
import unicodedata
import zoneinfo

from django.conf import settings
from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tracker import workflow
from tracker.links import normalise_url

from .labels import ChoiceLabels
from .loaded import RemembersLoadedValues


def validate_timezone(name):
    if name not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(name)s is not an IANA time zone name such as Asia/Baku."),
            params={"name": name},
        )


class ConflictQuerySet(models.QuerySet):
    def newsroom_default(self):
        """The conflict a form without one takes its local time from (a
        source's, a new event's): settings.NEWSROOM_DEFAULT_CONFLICT (a slug),
        else the conflict of the newest event entered, else the first."""
        from .events import Event

        conflicts = self.order_by("name")
        slug = settings.NEWSROOM_DEFAULT_CONFLICT
        if slug and (chosen := conflicts.filter(slug=slug).first()):
            return chosen
        newest = Event.objects.order_by("-pk").values("conflict_id")[:1]
        return conflicts.filter(pk=models.Subquery(newest)).first() or conflicts.first()


class Conflict(RemembersLoadedValues, models.Model):
    remembered_fields = ["timezone"]

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.TextField(
        blank=True, help_text=_("One or two sentences; shown in the conflict list and in feeds.")
    )
    introduction = models.TextField(
        blank=True,
        help_text=_("Markdown; what a reader needs to know first, shown on top of the timeline."),
    )
    methodology = models.TextField(
        blank=True,
        help_text=_(
            "Markdown; how the newsroom records, attributes and grades figures for this "
            "conflict. Shown with the timeline and the figures."
        ),
    )
    timezone = models.CharField(
        max_length=64,
        validators=[validate_timezone],
        help_text=_(
            "IANA time zone of the conflict, e.g. Asia/Baku. Times are entered "
            "and shown in this local time."
        ),
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    objects = ConflictQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="conflict_end_not_before_start",
                violation_error_message=_("The conflict cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("timeline:conflict", args=[self.slug])

    @cached_property
    def tz(self):
        return zoneinfo.ZoneInfo(self.timezone)


class Phase(models.Model):
    """A named stretch of a conflict, such as "offensive" or "ceasefire",
    shown as a section heading on the timeline. Dates are local to the
    conflict; a phase without an end is still going on."""

    conflict = models.ForeignKey(Conflict, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(max_length=100)
    starts_on = models.DateField(help_text=_("The first local day of the phase."))
    ends_on = models.DateField(
        null=True, blank=True, help_text=_("The last local day; empty while it lasts.")
    )
    description = models.TextField(blank=True, help_text=_("Markdown; a paragraph at most."))

    class Meta:
        ordering = ["conflict", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="phase_end_not_before_start",
                violation_error_message=_("The phase cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["conflict", "starts_on"],
                name="phase_start_unique_in_conflict",
                violation_error_message=_("Another phase of this conflict starts on this day."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.conflict_id is None or self.starts_on is None:
            return
        overlapping = Phase.objects.filter(conflict_id=self.conflict_id).exclude(pk=self.pk)
        overlapping = overlapping.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=self.starts_on))
        if self.ends_on is not None:
            overlapping = overlapping.filter(starts_on__lte=self.ends_on)
        if other := overlapping.first():
            raise ValidationError(
                _("This overlaps the phase '%(name)s'; a day belongs to one phase at most."),
                params={"name": other.name},
            )

    def contains(self, day):
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


def _public_parts(model, conflict):
    """`model`'s rows (participants, claims, citations) on published events,
    of `conflict` when given."""
    from .events import Event

    parts = model.objects.filter(event__status=Event.Status.PUBLISHED)
    return parts.filter(event__conflict=conflict) if conflict is not None else parts


class ShownByPublishedEvents:
    """What Actor, Place and Source share: readers see them on the published
    events that name them, so changing one changes those events' pages."""

    # The fields readers see; changing one needs a correction note.
    CORRECTABLE_FIELDS: list[str] = []

    def published_events(self):
        raise NotImplementedError

    def can_be_changed_by(self, user):
        return workflow.may_change_shown(
            user, lambda: bool(self.pk and self.published_events().exists())
        )


def _published_events_with(model, **match):
    from .events import Event

    return Event.objects.published().filter(
        Exists(model.objects.filter(event=OuterRef("pk"), **match))
    )


class PlaceQuerySet(models.QuerySet):
    def with_coordinates(self):
        return self.filter(latitude__isnull=False, longitude__isnull=False)

    def named_by_public_record(self, conflict=None):
        """Places of published events (of `conflict` when given)."""
        from .events import Event

        events = Event.objects.published().filter(place=OuterRef("pk"))
        if conflict is not None:
            events = events.filter(conflict=conflict)
        return self.filter(Exists(events))


class SourceQuerySet(models.QuerySet):
    def named_by_public_record(self, conflict=None):
        """Sources cited by published events or by their figure claims (of
        `conflict` when given)."""
        from .events import Citation
        from .figures import FigureClaim

        return self.filter(
            Exists(_public_parts(Citation, conflict).filter(source=OuterRef("pk")))
            | Exists(_public_parts(FigureClaim, conflict).filter(source=OuterRef("pk")))
        )


# How alike two names must be for the newsroom to be asked whether they are one
# actor: pg_trgm's similarity on PostgreSQL ("Ministry of Defense of Azerbaijan"
# and "... Defence ..." score 0.82, "... of Armenia" and "... of Azerbaijan"
# 0.44), and elsewhere the likeness of the folded spellings (difflib's ratio).
SIMILAR_TRIGRAMS = 0.5
SIMILAR_FOLDED = 0.85


def fold(text):
    """A name as compared for near matches: no case, accents or punctuation."""
    letters = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(c for c in letters if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\W_]+", " ", letters).split())


def names_of(name, aliases=""):
    """A name and its aliases (one per line), without blanks."""
    return [
        label for label in [name.strip(), *(line.strip() for line in aliases.splitlines())] if label
    ]


class ActorQuerySet(models.QuerySet):
    def similar_to(self, name, aliases=""):
        """Actors whose name or one of whose aliases nearly matches `name` or
        one of `aliases`, most alike first: candidates for being the same
        actor under another spelling."""
        wanted = names_of(name, aliases)
        if not wanted:
            return self.none()
        if connections[self.db].vendor == "postgresql":
            likeness = Greatest(
                *(TrigramSimilarity("name", label) for label in wanted),
                *(TrigramWordSimilarity(label, "aliases") for label in wanted),
            )
            return (
                self.annotate(likeness=likeness)
                .filter(likeness__gte=SIMILAR_TRIGRAMS)
                .order_by("-likeness", "name")
            )
        # Without trigrams, every actor's names are compared in Python: fine
        # for the thousands of actors a newsroom keeps.
        folded = {fold(label) for label in wanted}
        scores = {}
        for pk, other_name, other_aliases in self.values_list("pk", "name", "aliases"):
            score = max(
                difflib.SequenceMatcher(None, mine, fold(theirs)).ratio()
                for mine in folded
                for theirs in names_of(other_name, other_aliases)
            )
            if score >= SIMILAR_FOLDED:
                scores[pk] = score
        likeness = Case(
            *(When(pk=pk, then=Value(score)) for pk, score in scores.items()),
            output_field=models.FloatField(),
        )
        return self.filter(pk__in=scores).annotate(likeness=likeness).order_by("-likeness", "name")

    def named_by_public_record(self, conflict=None):
        """Actors taking part in, or stating a figure on, a published event
        (of `conflict` when given). A draft may name a witness the newsroom
        has not published: until then the public sees their name nowhere,
        not even as a filter choice."""
        from .events import Participant
        from .figures import FigureClaim

        return self.filter(
            Exists(_public_parts(Participant, conflict).filter(actor=OuterRef("pk")))
            | Exists(_public_parts(FigureClaim, conflict).filter(claimant=OuterRef("pk")))
        )


class Actor(ChoiceLabels, RemembersLoadedValues, ShownByPublishedEvents, models.Model):
    remembered_fields = ["is_newsroom"]

    class Kind(models.TextChoices):
        STATE = "state", _("state")
        ARMED_FORCE = "armed_force", _("state armed force")
        ARMED_GROUP = "armed_group", _("non-state armed group")
        GOVERNMENT_BODY = "government_body", _("government body or authority")
        INTERNATIONAL = "international", _("international organisation")
        NGO = "ngo", _("NGO")
        MEDIA = "media", _("media outlet")
        PERSON = "person", _("person")
        POPULATION = "population", _("population or community")

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    aliases = models.TextField(
        blank=True, help_text=_("Other names and spellings, one per line; searched in the admin.")
    )
    description = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("Who this is, in a line, e.g. 'former state minister'."),
    )
    affiliation = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="affiliates",
        help_text=_("The actor this one belongs to or is aligned with."),
    )
    is_newsroom = models.BooleanField(
        _("is our newsroom"),
        default=False,
        help_text=_(
            "Tick for this newsroom itself: its figure claims are shown to readers "
            "as our own assessment, with their notes. Only an administrator may change it."
        ),
    )

    objects = ActorQuerySet.as_manager()

    CORRECTABLE_FIELDS = ["name", "kind", "aliases", "description", "affiliation"]

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_newsroom"],
                condition=Q(is_newsroom=True),
                name="actor_single_newsroom",
                violation_error_message=_("Only one actor can be the newsroom itself."),
            ),
        ]

    def __str__(self):
        return self.name

    def published_events(self):
        from .events import Participant
        from .figures import FigureClaim

        return _published_events_with(Participant, actor=self) | _published_events_with(
            FigureClaim, claimant=self
        )

    def clean(self):
        if self.pk and self.affiliation_id == self.pk:
            raise ValidationError({"affiliation": _("An actor cannot be affiliated with itself.")})


class Place(ChoiceLabels, ShownByPublishedEvents, models.Model):
    class LocationPrecision(models.TextChoices):
        EXACT = "exact", _("exact place")
        NEAR = "near", _("near a place")
        DISTRICT = "district", _("district")
        PROVINCE = "province", _("province")
        REGION = "region", _("region")
        COUNTRY = "country", _("country")
        SEA = "sea", _("at sea")

    name = models.CharField(max_length=200)
    country_code = models.CharField(
        max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2, e.g. AZ.")
    )
    admin_region = models.CharField(
        _("region"),
        max_length=200,
        blank=True,
        help_text=_("The first-level region (province, oblast, rayon) it lies in."),
    )
    # Five decimals locate a point to about a metre: finer than any source.
    latitude = models.DecimalField(
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Degrees north (negative south), e.g. 40.61832."),
    )
    longitude = models.DecimalField(
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("Degrees east (negative west), e.g. 47.15014."),
    )
    location_precision = models.CharField(
        max_length=10,
        choices=LocationPrecision.choices,
        blank=True,
        help_text=_(
            "How exactly the coordinates locate what happened there: needed with "
            "coordinates. A region's events placed at its chief town are 'region'."
        ),
    )

    objects = PlaceQuerySet.as_manager()

    CORRECTABLE_FIELDS = [
        "name",
        "country_code",
        "admin_region",
        "latitude",
        "longitude",
        "location_precision",
    ]

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "country_code", "admin_region"], name="place_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="place_coordinates_valid",
                violation_error_message=_(
                    "Give both latitude (-90 to 90) and longitude (-180 to 180), or neither."
                ),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | ~Q(location_precision=""),
                name="place_coordinates_have_precision",
                violation_error_message=_(
                    "Say how exactly the coordinates locate the place (location precision)."
                ),
            ),
        ]

    def __str__(self):
        return ", ".join(part for part in [self.name, self.country_code] if part)

    def save(self, *args, **kwargs):
        self.country_code = self.country_code.upper()
        super().save(*args, **kwargs)

    def clean(self):
        self.country_code = self.country_code.strip().upper()
        errors = {}
        if self.latitude is None and self.longitude is not None:
            errors["latitude"] = _("Give the latitude with the longitude.")
        if self.longitude is None and self.latitude is not None:
            errors["longitude"] = _("Give the longitude with the latitude.")
        if self.latitude is not None and not self.location_precision:
            errors["location_precision"] = _("Say how exactly the coordinates locate the place.")
        if errors:
            raise ValidationError(errors)

    @property
    def has_coordinates(self):
        return self.latitude is not None and self.longitude is not None

    def outside_its_country(self):
        """Whether the coordinates fall outside the box around the place's
        country: likely a slip (a sign, latitude and longitude swapped), yet
        possible (a border crossing, an outline simplified), so the admin
        warns rather than refuses."""
        from tracker import geo

        if not self.has_coordinates:
            return False
        return geo.outside_country(self.country_code, self.latitude, self.longitude)

    def published_events(self):
        from .events import Event

        return Event.objects.published().filter(place=self)


class Source(ChoiceLabels, ShownByPublishedEvents, models.Model):
    class Kind(models.TextChoices):
        OFFICIAL = "official", _("official statement")
        NEWS = "news", _("news report")
        WIRE = "wire", _("wire report")
        REPORT = "report", _("NGO or UN report")
        SOCIAL = "social", _("social media")
        PRESS_CONFERENCE = "press_conference", _("press conference")
        OTHER = "other", _("other")

    title = models.CharField(max_length=500)
    publisher = models.CharField(max_length=200, blank=True)
    url = models.URLField(
        "URL", max_length=1000, blank=True, help_text=_("Where we read it. One source per URL.")
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NEWS)
    language = models.CharField(max_length=16, blank=True, help_text=_("e.g. en, ru, hy, az"))
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_(
            "In the local time of the newsroom's default conflict (the form names it); "
            "leave the time empty when only the day is known."
        ),
    )
    accessed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When we read it; typed like the published time.")
    )
    archive_url = models.URLField(
        "archive URL", max_length=1000, blank=True, help_text=_("A stable archived copy.")
    )

    objects = SourceQuerySet.as_manager()

    CORRECTABLE_FIELDS = [
        "title",
        "publisher",
        "url",
        "kind",
        "language",
        "published_at",
        "archive_url",
    ]

    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_at", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["url"],
                condition=~Q(url=""),
                name="source_url_unique",
                violation_error_message=_("A source with this URL already exists."),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.publisher})" if self.publisher else self.title

    def save(self, *args, **kwargs):
        self.url = normalise_url(self.url)
        super().save(*args, **kwargs)

    def clean(self):
        self.url = normalise_url(self.url)
        self.archive_url = self.archive_url.strip()

    def published_events(self):
        from .events import Citation
        from .figures import FigureClaim
        from .media import MediaItem

        return (
            _published_events_with(Citation, source=self)
            | _published_events_with(FigureClaim, source=self)
            | _published_events_with(MediaItem, source=self)
        )
