"""Bulk import and export of events, figure claims and sources (CSV, XLSX).

Rows are matched to what exists by natural keys: an event by its conflict
and slug, a source by its normalised URL, a claim by its event, claimant,
source, metric, population and as-of time. A row that changes nothing is
skipped, so importing the same file twice changes nothing the second time.
Times are in the conflict's local time, as in the admin. Rows are saved one
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
    def __init__(self):
        super().__init__(Source, "url")

    def get_lookup_kwargs(self, value, row, **kwargs):
        return {"url": normalise_url(value)}


class URLWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return normalise_url(super().clean(value, row, **kwargs) or "")


class LocalTimeWidget(widgets.Widget):
    """A time written in the conflict's local time ("2023-09-20 13:00"), or
    a day ("2023-09-20"): the start of that day. A time with a UTC offset
    ("2023-09-20T13:00+04:00") is taken as it is. Without a conflict
    column, times are UTC."""

    def __init__(self, conflict_column="conflict"):
        super().__init__()
        self.conflict_column = conflict_column
        self._zones = {}

    def clean(self, value, row=None, **kwargs):
        if value is None or value == "":
            return None
        if isinstance(value, datetime.datetime):
            moment = value
        elif isinstance(value, datetime.date):
            moment = datetime.datetime.combine(value, datetime.time())
        else:
            try:
                moment = datetime.datetime.fromisoformat(str(value).strip())
            except ValueError:
                raise ValueError(
                    _("%(value)r is not a local time such as 2023-09-20 13:00 or a day.")
                    % {"value": value}
                ) from None
        if timezone.is_aware(moment):
            return moment
        return timezone.make_aware(moment, self._zone(row))

    def _zone(self, row):
        slug = (row or {}).get(self.conflict_column)
        if not slug:
            return datetime.UTC
        if slug not in self._zones:
            conflict = Conflict.objects.filter(slug=slug).first()
            if conflict is None:
                raise ValueError(_("No conflict %(slug)r.") % {"slug": slug})
            self._zones[slug] = conflict.tz
        return self._zones[slug]


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


class EventResource(NewsroomResource):
    conflict = fields.Field("conflict", "conflict", LookupWidget(Conflict, "slug"))
    starts_at = fields.Field("starts_at", "starts_at", LocalTimeWidget())
    ends_at = fields.Field("ends_at", "ends_at", LocalTimeWidget())
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
        # As saving would, so that an unchanged row compares as unchanged.
        if instance.starts_at and instance.conflict_id:
            tz = instance.conflict.tz
            instance.starts_at = dates.truncate(instance.starts_at, instance.precision, tz)
            if instance.ends_at:
                instance.ends_at = dates.truncate(instance.ends_at, instance.precision, tz)

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk and instance.status in PUBLIC:
            raise ValidationError(
                _(
                    "This event is %(status)s: change it in the admin, with a public "
                    "correction note."
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
        return super().get_queryset().select_related("event__conflict", "claimant", "source")

    def before_save_instance(self, instance, row, **kwargs):
        if instance.event.status in PUBLIC:
            raise ValidationError(
                _(
                    "The event is %(status)s: change its figures in the event's form, with a "
                    "public correction note."
                )
                % {"status": instance.event.get_status_display()}
            )
        super().before_save_instance(instance, row, **kwargs)

    def dehydrate_conflict(self, claim):
        return claim.event.conflict.slug

    def dehydrate_source(self, claim):
        return claim.source.url

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

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk and instance.published_events().exists():
            raise ValidationError(
                _(
                    "Published events show this source: change it in the admin, with a "
                    "public correction note."
                )
            )
        super().before_save_instance(instance, row, **kwargs)

    def dehydrate_published_at(self, source):
        return _utc(source.published_at)

    def dehydrate_accessed_at(self, source):
        return _utc(source.accessed_at)


def _utc(moment):
    return moment.astimezone(datetime.UTC).isoformat() if moment else ""
