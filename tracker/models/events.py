"""Events and what hangs off them: who took part, what we cite, how events
relate to each other, and the public corrections."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Case, Exists, F, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tracker import dates, workflow
from tracker.dates import Precision
from tracker.signals import changed_in_bulk
from tracker.slugs import slug_of

from .figure_groups import group_claims
from .figures import FigureClaim
from .labels import ChoiceLabels
from .loaded import RemembersLoadedValues
from .media import MediaItem
from .translated import column

UNSOURCED = _(
    "A published event needs a source: cite one, or give a figure with the source it is from."
)


def _withdrawal():
    """How an event stands towards the public, as withdrawals tell it:
    published, retracted, or (in draft or in review) unpublished."""
    return Case(
        When(status=Event.Status.PUBLISHED, then=Value(Event.Status.PUBLISHED.value)),
        When(status=Event.Status.RETRACTED, then=Value(Event.Withdrawal.RETRACTED.value)),
        default=Value(Event.Withdrawal.UNPUBLISHED.value),
    )


# Rows per statement of a bulk write.
BULK_BATCH_SIZE = 1000

# Events the public once saw and no longer sees (EventQuerySet.withdrawn):
# the statuses named, not "not published", so that the status index and the
# withdrawals' own indexes (Event.Meta) serve.
WITHDRAWN = Q(
    published_at__isnull=False,
    status__in=[status for status in workflow.Status if status != workflow.Status.PUBLISHED],
)

# How much later than its updated_at an event's withdrawn_at or changed_at
# can be. Each is the date of the history record of a save, written a moment
# after the save set updated_at, which later saves only move on: so the
# latest withdrawals are found among the latest updated withdrawn events,
# which an index serves, without reading the history of every one.
WITHDRAWAL_LAG = datetime.timedelta(minutes=1)


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Event.Status.PUBLISHED)

    def retracted_in_public(self):
        """Retracted events that readers once saw. A draft retracted before
        it was ever published was never public: it is spiked, and stays as
        unknown to readers as any other draft."""
        return self.filter(status=Event.Status.RETRACTED, published_at__isnull=False)

    def with_frozen_figures(self):
        """Events whose figures readers have seen (workflow.figures_are_frozen)."""
        return self.filter(workflow.frozen_figures())

    def in_conflict(self, conflict):
        return self.filter(conflict=conflict)

    def move_to(self, status, *, by, retraction_note=None):
        """Move every one of these events to `status`, with a history record
        each naming `by`, in one transaction: all of them or, when any move
        is not `by`'s to make (PermissionDenied) or anything fails, none.
        Written in a few statements, whatever the number of events, so that
        a large selection finishes well within a request. Returns how many
        moved."""
        if workflow.lacks_retraction_note(status, retraction_note):
            raise ValidationError({"retraction_note": workflow.RETRACTION_UNEXPLAINED})
        selected = Event.objects.filter(pk__in=self.values("pk"))
        if (
            status == Event.Status.PUBLISHED
            and selected.exclude(pk__in=selected.sourced().values("pk")).exists()
        ):
            raise ValidationError(UNSOURCED)
        now = timezone.now()
        with transaction.atomic():
            # Through the ids: a selection may be DISTINCT or joined, which
            # FOR UPDATE refuses.
            locked = Event.objects.filter(pk__in=self.values("pk")).select_for_update()
            events = list(locked.order_by("pk"))
            if not all(event.can_move(by, status) for event in events):
                raise PermissionDenied
            changes = {"status": status, "version": F("version") + 1, "updated_at": now}
            if status == Event.Status.PUBLISHED:
                changes["published_at"] = Coalesce("published_at", now)
            if retraction_note is not None:
                changes["retraction_note"] = retraction_note
            ids = [event.pk for event in events]
            for start in range(0, len(ids), BULK_BATCH_SIZE):
                batch = ids[start : start + BULK_BATCH_SIZE]
                Event.objects.filter(pk__in=batch).update(**changes)
            for event in events:
                event.status, event.version, event.updated_at = status, event.version + 1, now
                if status == Event.Status.PUBLISHED and event.published_at is None:
                    event.published_at = now
                if retraction_note is not None:
                    event.retraction_note = retraction_note
            Event.history.bulk_history_create(
                events, batch_size=BULK_BATCH_SIZE, update=True, default_user=by, default_date=now
            )
            changed_in_bulk.send(sender=Event, event_ids=ids)
        return len(events)

    def untranslated(self, language):
        """Events readers of `language` see in English, all or part: the
        title not translated, or a summary without its translation."""
        title, summary = column("title", language), column("summary", language)
        missing = Q(**{f"{title}__isnull": True}) | Q(**{title: ""})
        summary_missing = Q(**{f"{summary}__isnull": True}) | Q(**{summary: ""})
        return self.filter(missing | (~Q(summary="") & summary_missing))

    def disputed(self):
        """Events with at least two claims that contradict each other (see
        FigureClaimQuerySet.contradicted), as their stored flag says."""
        return self.filter(has_disputed_figures=True)

    def refresh_disputed(self):
        """Set these events' has_disputed_figures by the dispute rule, in one
        statement. Called wherever what the rule reads changes (tracker.disputes)."""
        contradicted = FigureClaim.objects.contradicted().filter(event=OuterRef("pk"))
        return self.update(has_disputed_figures=Exists(contradicted))

    def with_disputed(self):
        """Annotated with `disputed`: whether the event is one of disputed()."""
        return self.annotate(disputed=F("has_disputed_figures"))

    def sourced(self):
        """Events that cite a source or have a figure (which has its source):
        only these may be published."""
        return self.filter(
            Exists(Citation.objects.filter(event=OuterRef("pk")))
            | Exists(FigureClaim.objects.filter(event=OuterRef("pk")))
        )

    def undisputed(self):
        return self.filter(has_disputed_figures=False)

    def with_record(self):
        """Everything an event's own page or API record shows, in a fixed
        number of queries: its details, sources, corrections, and its links
        to other events, only those the public may see."""
        published = Event.objects.published()
        return self.with_details().prefetch_related(
            Prefetch("citations", queryset=Citation.objects.select_related("source")),
            "corrections",
            _media(),
            Prefetch(
                "links_out",
                queryset=EventLink.objects.filter(to_event__in=published).select_related(
                    "to_event__conflict"
                ),
            ),
            Prefetch(
                "links_in",
                queryset=EventLink.objects.filter(from_event__in=published).select_related(
                    "from_event__conflict"
                ),
            ),
        )

    def with_last_correction(self):
        """Annotate `corrected_at`: when the latest public correction was
        made, or None; a card marks a corrected event with its date."""
        latest_correction = (
            Correction.objects.filter(event=OuterRef("pk"))
            .order_by("-published_at")
            .values("published_at")[:1]
        )
        return self.annotate(corrected_at=Subquery(latest_correction))

    def with_last_updated(self):
        """Annotate `last_updated`: the later of the event's last edit and its
        latest correction. A correction is news about the event, so it moves
        the time that readers, feeds and mirrors watch for changes."""
        latest_correction = (
            Correction.objects.filter(event=OuterRef("pk"))
            .order_by("-published_at")
            .values("published_at")[:1]
        )
        return self.annotate(
            last_updated=Greatest("updated_at", Coalesce(Subquery(latest_correction), "updated_at"))
        )

    def drafted_by(self, user):
        """Drafts this person started: the first version in their history is theirs."""
        started = Event.history.model.objects.filter(
            id=OuterRef("pk"), history_type="+", history_user=user
        )
        return self.filter(Exists(started), status=Event.Status.DRAFT)

    def withdrawn(self):
        """Events the public once saw that it no longer sees: published
        (`published_at` is set) and now back in draft or in review
        ("unpublished") or retracted. An event that was never published is
        not among them: nothing outside the newsroom ever knew of it.

        Annotated with `withdrawal` (how: "unpublished" or "retracted"),
        `withdrawn_at` and `changed_at`:

        - `withdrawn_at` is read from the history: the status move that made
          the event what it now is, that is the first history record after
          the last one that was something else (published, or withdrawn the
          other way). Not `updated_at`, which moves with every edit of a draft
          the newsroom goes on working on: it would give the wrong time, list
          the event again at each edit, and tell the public when an
          unpublished story is being worked on. An event older than its
          history falls back to `updated_at`, the best there is.
        - `changed_at` is `withdrawn_at`, or for a retraction the later
          moment its public note was last reworded: what a mirror polling
          for changes must hear of.
        """
        history = Event.history.model.objects.filter(id=OuterRef("pk"))

        def first_record_after(moment):
            return Subquery(
                history.filter(history_date__gt=OuterRef(moment))
                .order_by("history_date")
                .values("history_date")[:1]
            )

        def last_record(otherwise):
            return Subquery(
                history.annotate(was=_withdrawal())
                .filter(otherwise)
                .order_by("-history_date")
                .values("history_date")[:1]
            )

        otherwise = ~Q(was=OuterRef("withdrawal"))
        note_reworded = Q(Exact(OuterRef("withdrawal"), Value(Event.Withdrawal.RETRACTED))) & ~Q(
            retraction_note=OuterRef("retraction_note")
        )
        return (
            self.filter(WITHDRAWN)
            .annotate(withdrawal=_withdrawal())
            .alias(
                last_otherwise=last_record(otherwise),
                last_otherwise_or_reworded=last_record(otherwise | note_reworded),
            )
            .annotate(
                withdrawn_at=Coalesce(first_record_after("last_otherwise"), "updated_at"),
                changed_at=Coalesce(first_record_after("last_otherwise_or_reworded"), "updated_at"),
            )
        )

    def withdrawn_since(self, moment):
        """The withdrawn events (`withdrawn`) whose changed_at is at or after
        `moment`: withdrawn, or their retraction note reworded, since then."""
        return self.withdrawn().filter(
            updated_at__gte=moment - WITHDRAWAL_LAG, changed_at__gte=moment
        )

    def latest_withdrawals(self, count):
        """The `count` latest withdrawn events, by withdrawn_at then id, newest
        first, as a list. The `count` latest updated of them are withdrawn no
        earlier than the earliest of theirs, so an event updated well before
        that cannot be among the latest: only the history of those updated
        since is read, not that of every withdrawn event (all 29,706 of them,
        in the bulk data, for the site-wide feed)."""
        withdrawn = self.withdrawn()
        latest_updated = list(withdrawn.order_by("-updated_at", "-pk")[:count])
        if len(latest_updated) < count:  # all there are
            return sorted(latest_updated, key=lambda e: (e.withdrawn_at, e.pk), reverse=True)
        earliest = min(event.withdrawn_at for event in latest_updated)
        candidates = withdrawn.filter(updated_at__gte=earliest - WITHDRAWAL_LAG)
        return list(candidates.order_by("-withdrawn_at", "-pk")[:count])

    def waiting_for_review(self):
        """Events in review, longest waiting first, annotated with when and by
        whom they were submitted: the first history record of their current
        stretch in review."""
        records = Event.history.model.objects
        last_left_review = (
            records.filter(id=OuterRef("id"))
            .exclude(status=Event.Status.IN_REVIEW)
            .order_by("-history_date")
            .values("history_date")[:1]
        )
        submission = (
            records.filter(id=OuterRef("pk"), status=Event.Status.IN_REVIEW)
            .annotate(last_left_review=Subquery(last_left_review))
            .filter(Q(last_left_review__isnull=True) | Q(history_date__gt=F("last_left_review")))
            .order_by("history_date")
        )
        return (
            self.filter(status=Event.Status.IN_REVIEW)
            .annotate(
                submitted_at=Subquery(submission.values("history_date")[:1]),
                submitted_by=Subquery(submission.values("history_user__username")[:1]),
            )
            .order_by(F("submitted_at").asc(nulls_first=True), "pk")
        )

    def with_details(self):
        """Everything a timeline entry shows, in a fixed number of queries."""
        return self.select_related("conflict", "place").with_participants().with_figures()

    def with_participants(self):
        return self.prefetch_related(_participants())

    def with_figures(self):
        return self.prefetch_related(_shown_claims())


def _participants():
    """Who took part in each event, with their actors, by role then name."""
    return Prefetch(
        "participants",
        queryset=Participant.objects.select_related("actor").order_by("role", "actor__name"),
    )


def _shown_claims():
    """The claims of each event, with what they show in words."""
    return Prefetch("claims", queryset=FigureClaim.objects.shown())


def _media():
    """The photos and links of each event, in their order, with their sources."""
    return Prefetch("media", queryset=MediaItem.objects.select_related("source"))


class Event(ChoiceLabels, RemembersLoadedValues, models.Model):
    remembered_fields = ["conflict_id"]

    class Kind(models.TextChoices):
        MILITARY_OPERATION = "military_operation", _("military operation")
        CLASH = "clash", _("clash")
        STRIKE = "strike", _("strike")
        CEASEFIRE = "ceasefire", _("ceasefire")
        NEGOTIATION = "negotiation", _("negotiation")
        AGREEMENT = "agreement", _("agreement")
        STATEMENT = "statement", _("statement")
        CASUALTY_REPORT = "casualty_report", _("casualty report")
        HUMANITARIAN = "humanitarian", _("humanitarian")
        DISPLACEMENT = "displacement", _("displacement")
        OTHER = "other", _("other")

    Status = workflow.Status

    class Withdrawal(models.TextChoices):
        """How a published event left the public record (EventQuerySet.withdrawn)."""

        UNPUBLISHED = "unpublished", _("unpublished: back in draft or in review")
        RETRACTED = "retracted", _("retracted, with a public note")

    # No index of its own: the indexes below begin with the conflict and
    # serve its lookups. With one, PostgreSQL ANDs a search's few matches
    # with a bitmap of every event of the conflict, which costs as much as
    # the conflict is large.
    conflict = models.ForeignKey(
        "Conflict", on_delete=models.PROTECT, related_name="events", db_index=False
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    slug = models.SlugField(
        max_length=120,
        blank=True,
        help_text=_(
            "The permanent address of the event. Made from the title when left "
            "empty; never changes afterwards, so links keep working."
        ),
    )
    summary = models.TextField(
        blank=True,
        help_text=_(
            "Markdown. Attribute every claim: write 'Azerbaijan said', not the claim as fact."
        ),
    )
    starts_at = models.DateTimeField(
        help_text=_(
            "In the conflict's local time: a year (2020), a month (2020-12), a day "
            "(2020-12-05), or a day and a time (13:00). The precision follows what is "
            "typed unless one is chosen."
        )
    )
    ends_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("For events that last, such as a two-day operation; typed like the start."),
    )
    precision = models.CharField(
        max_length=10,
        choices=Precision.choices,
        default=Precision.DAY,
        help_text=_("How exactly the time is known: a day-precision event never shows a time."),
    )
    place = models.ForeignKey(
        "Place", on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    is_key = models.BooleanField(
        _("key event"),
        default=False,
        help_text=_(
            "A turning point readers should not miss: shown prominently and in the "
            "'key events only' view."
        ),
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    retraction_note = models.TextField(
        blank=True, help_text=_("Shown to the public on the event's page once it is retracted.")
    )
    published_at = models.DateTimeField(_("first published"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text=_("Counts the saves; forms refuse stale edits.")
    )
    # Whether two of the event's claims contradict each other, by the rule of
    # FigureClaimQuerySet.contradicted: stored, so that the disputed view
    # reads an index instead of comparing every claim of the conflict.
    # Kept in step by tracker.disputes.
    has_disputed_figures = models.BooleanField(default=False, db_default=False, editable=False)
    # Title, summary and cited sources' titles, for search on PostgreSQL:
    # kept by the database (tracker.search), empty elsewhere.
    search_document = SearchVectorField(null=True, editable=False)

    # What a published event tells readers: changing any of these, or its
    # figures, needs a public correction note.
    CORRECTABLE_FIELDS = ["kind", "title", "summary", "starts_at", "ends_at", "precision", "place"]

    objects = EventQuerySet.as_manager()

    # Who changed what and when, status moves included: "who moved it to
    # published" is the history record where the status became published
    # (Event.status_changes). A separate transition log would repeat it.
    # updated_at is left out: every record's own date says the same; what is
    # derived from the record (the dispute flag, the search document) too.
    history = HistoricalRecords(
        excluded_fields=["updated_at", "has_disputed_figures", "search_document"]
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        permissions = workflow.EVENT_PERMISSIONS
        indexes = [
            # The timeline walks this index in both directions, by (starts_at, id).
            # The overview counts a conflict's events, key and disputed ones by
            # day from it alone (an index-only scan, on PostgreSQL).
            models.Index(
                fields=["conflict", "status", "starts_at", "id"],
                include=["is_key", "has_disputed_figures"],
                name="event_timeline_idx",
            ),
            # The home page's latest activity in each conflict.
            models.Index(fields=["conflict", "status", "updated_at"], name="event_activity_idx"),
            # The feeds: a conflict's, and every conflict's, latest published
            # events by when they were first published, newest first.
            models.Index(
                fields=["conflict", "status", "-published_at", "-id"], name="event_feed_idx"
            ),
            models.Index(fields=["status", "-published_at", "-id"], name="event_feed_all_idx"),
            # The newsroom's list of every event, in time order.
            models.Index(fields=["starts_at", "id"], name="event_starts_idx"),
            # The map counts a conflict's published events by place and kind,
            # within dates or disputed only, from this index alone (an
            # index-only scan: no event row is read).
            models.Index(
                fields=["conflict", "status", "place", "kind", "starts_at", "has_disputed_figures"],
                name="event_map_idx",
            ),
            # The disputed view walks the disputed events only.
            models.Index(
                fields=["conflict", "status", "starts_at", "id"],
                condition=Q(has_disputed_figures=True),
                name="event_disputed_idx",
            ),
            # The latest withdrawals, a few in a hundred events, by when they
            # were last updated (EventQuerySet.latest_withdrawals): a
            # conflict's, and every conflict's.
            models.Index(
                fields=["conflict", "-updated_at", "-id"],
                condition=WITHDRAWN,
                name="event_withdrawn_idx",
            ),
            models.Index(
                fields=["-updated_at", "-id"], condition=WITHDRAWN, name="event_withdrawn_all_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["conflict", "slug"],
                name="event_slug_unique_in_conflict",
                violation_error_message=_("Another event in this conflict has this slug."),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at")),
                name="event_end_not_before_start",
                violation_error_message=_("The event cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(status="retracted") | ~Q(retraction_note=""),
                name="event_retraction_has_note",
                violation_error_message=_("A retracted event needs a public retraction note."),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self._unique_slug()
        tz = self.conflict.tz
        self.starts_at = dates.truncate(self.starts_at, self.precision, tz)
        if self.ends_at:
            self.ends_at = dates.truncate(self.ends_at, self.precision, tz)
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        if not self._state.adding:
            self.version += 1
        moved = not self._state.adding and self.conflict_id != self.loaded("conflict_id")
        # The row and its history record (written on post_save) together, or
        # neither: who made a change is never lost.
        with transaction.atomic():
            super().save(*args, **kwargs)
            if moved:
                self.claims.update(conflict=self.conflict_id)

    def get_absolute_url(self):
        return reverse("timeline:event", args=[self.conflict.slug, self.slug])

    @staticmethod
    def details(*names):
        """Lookups for prefetch_related_objects() of what an event shows
        beyond its row, by name: "participants" and "claims" as
        with_details() loads them, "corrections", "media"."""
        lookups = {
            "participants": _participants,
            "claims": _shown_claims,
            "corrections": lambda: "corrections",
            "media": _media,
        }
        return [lookups[name]() for name in names]

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            # Written as typed, to the event's precision: no invented 00:00.
            tz = self.conflict.tz if self.conflict_id else timezone.get_current_timezone()
            errors["ends_at"] = _("The end (%(end)s) is before the start (%(start)s).") % {
                "end": dates.typed_text(self.ends_at, self.precision, tz),
                "start": dates.typed_text(self.starts_at, self.precision, tz),
            }
        if workflow.lacks_retraction_note(self.status, self.retraction_note):
            errors["retraction_note"] = workflow.RETRACTION_UNEXPLAINED
        if errors:
            raise ValidationError(errors)

    def _unique_slug(self):
        # Transliterated from any script (tracker.slugs), so that an Armenian
        # or Arabic title gives a readable address, not "event-2".
        base = slug_of(self.title) or "event"
        taken = set(
            Event.objects.filter(conflict_id=self.conflict_id, slug__startswith=base)
            .exclude(pk=self.pk)
            .values_list("slug", flat=True)
        )
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        return slug

    @property
    def when(self):
        return dates.format_span(self.starts_at, self.ends_at, self.precision, self.conflict.tz)

    @property
    def machine_when(self):
        """The start for a `<time datetime>`: '2023-09-20' for a day, never
        a UTC midnight that claims a time nobody knows."""
        return dates.machine_date(self.starts_at, self.precision, self.conflict.tz)

    @property
    def local_day(self):
        """The heading this event sits under on the timeline: its local date,
        or its month or year when it is known no better."""
        day_or_coarser = {Precision.MONTH, Precision.YEAR}
        precision = self.precision if self.precision in day_or_coarser else Precision.DAY
        return dates.format_moment(self.starts_at, precision, self.conflict.tz)

    @cached_property
    def figure_groups(self):
        return group_claims(self.claims.all())

    @property
    def lead_image(self):
        """The image that stands for the event on its card, in feeds, on
        social media and in TimelineJS: its first image that readers may see
        without a warning (none when all of them are graphic). Reads the
        media prefetched with Event.details("media")."""
        return next(
            (
                item
                for item in self.media.all()
                if item.kind == MediaItem.Kind.IMAGE and not item.is_graphic
            ),
            None,
        )

    @property
    def is_disputed(self):
        return any(group.disputed for group in self.figure_groups)

    @property
    def was_ever_published(self):
        return self.published_at is not None

    @property
    def figures_are_frozen(self):
        return workflow.figures_are_frozen(self.status, self.published_at)

    def stored_status(self):
        """The status saved in the database, which an instance being edited
        (or an old version being restored) may not show."""
        if self.pk is None:
            return self.status
        stored = Event.objects.filter(pk=self.pk).values_list("status", flat=True).first()
        return stored or self.status

    def can_be_changed_by(self, user):
        return workflow.may_change_event(user, self.status)

    def can_move(self, user, status):
        return workflow.may_move(user, self.status, status)

    def status_changes(self):
        """Every move between statuses, oldest first, from the history."""
        changes, before = [], None
        records = self.history.order_by("history_date", "history_id").select_related("history_user")
        for record in records:
            if record.status != before:
                changes.append(
                    StatusChange(record.history_date, record.history_user, before, record.status)
                )
                before = record.status
        return changes

    def submit_for_review(self):
        self.status = self.Status.IN_REVIEW
        self.save()

    def is_sourced(self):
        return Event.objects.filter(pk=self.pk).sourced().exists()

    def publish(self):
        if not self.is_sourced():
            raise ValidationError(UNSOURCED)
        self.status = self.Status.PUBLISHED
        self.save()

    def return_to_draft(self):
        self.status = self.Status.DRAFT
        self.save()

    def retract(self, *, reason):
        self.status = self.Status.RETRACTED
        self.retraction_note = reason
        self.full_clean()
        self.save()

    # Each step above is one save(): the event and its history record in one
    # transaction. Many events at once: Event.objects.filter(...).move_to().


class EventInReview(Event):
    """The review queue: the admin's list of what waits for an editor."""

    class Meta:
        proxy = True
        verbose_name = _("event waiting for review")
        verbose_name_plural = _("review queue")


@dataclass
class StatusChange:
    moved_at: datetime.datetime
    moved_by: object  # the user, None for changes made outside a request
    before: str | None  # None: the event was created with this status
    after: str

    def __str__(self):
        after = Event.Status(self.after).label
        who = self.moved_by or _("(no user)")
        if self.before is None:
            return _("created as %(after)s by %(who)s") % {"after": after, "who": who}
        before = Event.Status(self.before).label
        return _("%(before)s → %(after)s by %(who)s") % {
            "before": before,
            "after": after,
            "who": who,
        }


class Participant(ChoiceLabels, RemembersLoadedValues, models.Model):
    remembered_fields = ["event_id"]  # a part moved to another event changes both

    class Role(models.TextChoices):
        PARTY = "party", _("party")
        INITIATOR = "initiator", _("initiator")
        TARGET = "target", _("target")
        MEDIATOR = "mediator", _("mediator")
        SIGNATORY = "signatory", _("signatory")
        GUARANTOR = "guarantor", _("guarantor")
        OBSERVER = "observer", _("observer")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    actor = models.ForeignKey("Actor", on_delete=models.PROTECT, related_name="participations")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.PARTY)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "actor", "role"], name="participant_unique_role"
            ),
        ]

    def __str__(self):
        return f"{self.actor} ({self.get_role_display()})"


class Citation(RemembersLoadedValues, models.Model):
    remembered_fields = ["event_id"]  # a part moved to another event changes both

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey("Source", on_delete=models.PROTECT, related_name="citations")
    excerpt = models.TextField(blank=True, help_text=_("The words we rely on, quoted exactly."))

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return str(self.source)


class EventLink(ChoiceLabels, models.Model):
    class Relation(models.TextChoices):
        FOLLOWS = "follows", _("follows")
        RESPONDS_TO = "responds_to", _("responds to")
        VIOLATES = "violates", _("violates")
        PART_OF = "part_of", _("is part of")
        SUPERSEDES = "supersedes", _("supersedes")

    # How the link reads from the other end, on the linked event's page.
    INVERSE = {
        Relation.FOLLOWS: _("is followed by"),
        Relation.RESPONDS_TO: _("is answered by"),
        Relation.VIOLATES: _("is violated by"),
        Relation.PART_OF: _("includes"),
        Relation.SUPERSEDES: _("is superseded by"),
    }

    from_event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="links_out")
    to_event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="links_in")
    relation = models.CharField(max_length=12, choices=Relation.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["from_event", "to_event", "relation"], name="event_link_unique"
            ),
            models.CheckConstraint(
                condition=~Q(from_event=F("to_event")),
                name="event_link_not_to_itself",
                violation_error_message=_("An event cannot be linked to itself."),
            ),
        ]

    def __str__(self):
        return f"{self.from_event} {self.get_relation_display()} {self.to_event}"

    def inverse_display(self):
        return self.INVERSE[self.relation]


class Correction(RemembersLoadedValues, models.Model):
    remembered_fields = ["event_id"]  # a part moved to another event changes both

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="corrections")
    published_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(help_text=_("Public: what changed and why."))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Who made the correction; not shown to the public."),
    )

    class Meta:
        ordering = ["published_at"]

    def __str__(self):
        return f"Correction of {self.published_at:%Y-%m-%d}"
