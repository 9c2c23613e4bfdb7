"""Bulk import and export of events, figure claims and sources (CSV, XLSX).

Rows are matched to what exists by natural keys: an event by its conflict
and slug, a source by its normalised URL, a claim by its event, claimant,
source, metric, population and as-of time. A row that changes nothing is
skipped, so importing the same file twice changes nothing the second time.
Times are in the conflict's local time, as in the admin, and follow its
rule for precision. Rows are saved one
by one with save(), so each change is in the audit history with the person
who imported it. What readers already see (published and retracted events
and their figures) is not changed by imports: that takes the event's form
and a public correction note.
"""

import datetime

from django.core.exceptions import MultipleObjectsReturned, ObjectDoesNotExist, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from tracker import dates
from tracker.models import Actor, Conflict, Event, FigureClaim, Place, Source
from tracker.models.records import normalise_url

PUBLIC = (Event.Status.PUBLISHED, Event.Status.RETRACTED)
TIMES = ["starts_at", "ends_at"]
LOCAL_TIME_FORMAT = "%Y-%m-%d %H:%M"


class LookupWidget(widgets.ForeignKeyWidget):
    """A related object named by one column, with a message a person can act
    on when it is not found."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except ObjectDoesNotExist:
            raise ValueError(
                _("No %(model)s %(value)r.")
                % {"model": self.model._meta.verbose_name, "value": value}
            ) from None
        except MultipleObjectsReturned:
            raise ValueError(
                _("More than one %(model)s matches %(value)r.")
                % {"model": self.model._meta.verbose_name, "value": value}
            ) from None


class EventWidget(LookupWidget):
    """An event named by its slug, in the conflict of the row's conflict column."""

    def __init__(self):
        super().__init__(Event, "slug")

    def get_lookup_kwargs(self, value, row, **kwargs):
        return {"conflict__slug": row.get("conflict"), "slug": value}


class SourceWidget(LookupWidget):
    """A source named by its URL, or by its exact title when it has none
    (an article known only from print or a press conference)."""

    def __init__(self):
        super().__init__(Source, "url")

    def get_lookup_kwargs(self, value, row, **kwargs):
        url = normalise_url(value)
        if Source.objects.filter(url=url).exclude(url="").exists():
            return {"url": url}
        return {"url": "", "title": value.strip()}

    def render(self, value, obj=None, **kwargs):
        return (value.url or value.title) if value else ""


class URLWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return normalise_url(super().clean(value, row, **kwargs) or "")


class LocalTimeWidget(widgets.Widget):
    """A time written in the conflict's local time ("2023-09-20 13:00"), or
    a day ("2023-09-20"): the start of that day; for an event, also a month
    ("2023-09") or a year ("2023"). A time with a UTC offset
    ("2023-09-20T13:00+04:00") is taken as it is. Without a conflict column
    (sources), times are in the newsroom's default conflict's local time,
    as in the admin."""

    def __init__(self, conflict_column="conflict", coarsest=dates.Precision.DAY):
        super().__init__()
        self.conflict_column = conflict_column
        self.coarsest = coarsest
        self._zones = {}

    def clean(self, value, row=None, **kwargs):
        if value is None or value == "":
            return None
        moment, precision = typed_moment(value)
        if dates.RANK[precision] > dates.RANK[self.coarsest]:
            raise ValueError(
                _("%(value)r gives no day: give at least the day, e.g. 2023-09-20.")
                % {"value": value}
            )
        if timezone.is_aware(moment):
            return moment
        return timezone.make_aware(moment, self._zone(row))

    def _zone(self, row):
        slug = (row or {}).get(self.conflict_column)
        if slug not in self._zones:
            if not slug:
                conflict = Conflict.objects.newsroom_default()
                self._zones[slug] = conflict.tz if conflict else datetime.UTC
                return self._zones[slug]
            conflict = Conflict.objects.filter(slug=slug).first()
            if conflict is None:
                raise ValueError(_("No conflict %(slug)r.") % {"slug": slug})
            self._zones[slug] = conflict.tz
        return self._zones[slug]


def typed_moment(value):
    """(datetime, the precision it was written to) for a cell: text as
    dates.parse_typed reads it, or a spreadsheet's date or date and time."""
    if isinstance(value, datetime.datetime):
        at_midnight = (value.hour, value.minute) == (0, 0)
        return value, dates.Precision.DAY if at_midnight else dates.Precision.MINUTE
    if isinstance(value, datetime.date):
        return datetime.datetime.combine(value, datetime.time()), dates.Precision.DAY
    try:
        return dates.parse_typed(str(value))
    except ValueError:
        raise ValueError(
            _(
                "%(value)r is not a local time such as 2023-09-20 13:00, a day (2023-09-20), "
                "a month (2023-09) or a year (2023)."
            )
            % {"value": value}
        ) from None


def local_time(moment, conflict):
    if moment is None:
        return ""
    return timezone.localtime(moment, conflict.tz).strftime(LOCAL_TIME_FORMAT)


class NewsroomResource(resources.ModelResource):
    """What the three imports share."""

    def before_import_row(self, row, **kwargs):
        # A spreadsheet's empty cell is None; a CSV's is "", which text fields need.
        for column, value in row.items():
            if value is None:
                row[column] = ""

    def get_instance(self, instance_loader, row):
        # A natural key that names nothing valid is a mistake in the row.
        try:
            return super().get_instance(instance_loader, row)
        except ValueError as error:
            raise ValidationError(str(error)) from None

    def before_save_instance(self, instance, row, **kwargs):
        instance._change_reason = _("Imported")

    def get_user_visible_fields(self):
        # The columns an import reads: not those only exported for information.
        return [field for field in self.get_import_fields() if not field.readonly]


class EventResource(NewsroomResource):
    conflict = fields.Field("conflict", "conflict", LookupWidget(Conflict, "slug"))
    starts_at = fields.Field(
        "starts_at", "starts_at", LocalTimeWidget(coarsest=dates.Precision.YEAR)
    )
    ends_at = fields.Field("ends_at", "ends_at", LocalTimeWidget(coarsest=dates.Precision.YEAR))
    place = fields.Field("place", "place", LookupWidget(Place, "name"))
    # Exported for information; imports never publish or unpublish.
    status = fields.Field("status", "status", readonly=True)

    class Meta:
        model = Event
        fields = [
            "conflict",
            "slug",
            "kind",
            "title",
            "summary",
            "starts_at",
            "ends_at",
            "precision",
            "place",
            "is_key",
            "status",
        ]
        import_id_fields = ["conflict", "slug"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_queryset(self):
        return super().get_queryset().select_related("conflict", "place")

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if not instance.slug:
            raise ValidationError({"slug": _("Give each event a slug: it is its permanent name.")})
        if instance.starts_at and instance.conflict_id:
            self._settle_precision(instance, row)
        # As saving would, so that an unchanged row compares as unchanged.
        if instance.starts_at and instance.conflict_id:
            tz = instance.conflict.tz
            instance.starts_at = dates.truncate(instance.starts_at, instance.precision, tz)
            if instance.ends_at:
                instance.ends_at = dates.truncate(instance.ends_at, instance.precision, tz)

    def _settle_precision(self, instance, row):
        """As in the admin: an empty precision is the one the start was
        written to; a time never loses what was written, nor gains a day
        or a time that was not."""
        tz = instance.conflict.tz
        typed = {name: typed_moment(row[name])[1] for name in TIMES if row.get(name)}
        if not row.get("precision"):
            instance.precision = typed["starts_at"]
        errors = {}
        for name, precision in typed.items():
            moment = getattr(instance, name)
            if problem := dates.precision_conflict(moment, precision, instance.precision, tz):
                errors[name] = dates.precision_error(
                    problem, moment, precision, instance.precision, tz
                )
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk and instance.status in PUBLIC:
            raise ValidationError(
                _(
                    "This event is %(status)s: imports do not change it. An editor "
                    "changes it in its form in the admin, with a public correction note."
                )
                % {"status": instance.get_status_display()}
            )
        super().before_save_instance(instance, row, **kwargs)

    def dehydrate_starts_at(self, event):
        return local_time(event.starts_at, event.conflict)

    def dehydrate_ends_at(self, event):
        return local_time(event.ends_at, event.conflict)


class FigureClaimResource(NewsroomResource):
    # The conflict column only says where to find the event and its time zone.
    conflict = fields.Field(column_name="conflict", attribute=None)
    event = fields.Field("event", "event", EventWidget())
    claimant = fields.Field("claimant", "claimant", LookupWidget(Actor, "name"))
    party = fields.Field("party", "party", LookupWidget(Actor, "name"))
    source = fields.Field("source", "source", SourceWidget())
    as_of = fields.Field("as_of", "as_of", LocalTimeWidget())

    class Meta:
        model = FigureClaim
        fields = [
            "conflict",
            "event",
            "claimant",
            "source",
            "metric",
            "population",
            "party",
            "scope",
            "period_start",
            "qualifier",
            "low",
            "best",
            "high",
            "wording",
            "as_of",
            "grade",
            "note",
        ]
        import_id_fields = ["event", "claimant", "source", "metric", "population", "as_of"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_queryset(self):
        return (
            super().get_queryset().select_related("event__conflict", "claimant", "party", "source")
        )

    def before_save_instance(self, instance, row, **kwargs):
        if instance.event.status in PUBLIC:
            raise ValidationError(
                _(
                    "The event is %(status)s: imports do not change its figures. An editor "
                    "changes them in the event's form in the admin, with a public "
                    "correction note."
                )
                % {"status": instance.event.get_status_display()}
            )
        super().before_save_instance(instance, row, **kwargs)

    def dehydrate_conflict(self, claim):
        return claim.event.conflict.slug

    def dehydrate_source(self, claim):
        return claim.source.url or claim.source.title

    def dehydrate_as_of(self, claim):
        return local_time(claim.as_of, claim.event.conflict)


class SourceResource(NewsroomResource):
    url = fields.Field("url", "url", URLWidget())
    published_at = fields.Field("published_at", "published_at", LocalTimeWidget())
    accessed_at = fields.Field("accessed_at", "accessed_at", LocalTimeWidget())

    class Meta:
        model = Source
        fields = [
            "url",
            "title",
            "publisher",
            "kind",
            "language",
            "published_at",
            "accessed_at",
            "archive_url",
        ]
        import_id_fields = ["url"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if not instance.url:
            raise ValidationError({"url": _("Give the source's URL: it is how it is matched.")})

    def dehydrate_published_at(self, source):
        return _utc(source.published_at)

    def dehydrate_accessed_at(self, source):
        return _utc(source.accessed_at)


def _utc(moment):
    return moment.astimezone(datetime.UTC).isoformat() if moment else ""
