"""Bulk import and export of events, figure claims, sources and media (CSV,
XLSX).

Rows are matched to what exists by natural keys: an event by its conflict
and slug, a source by its normalised URL, a claim by its event, claimant,
source, metric, population and as-of time. A row that changes nothing is
skipped, so importing the same file twice changes nothing the second time.
Times are in the conflict's local time, as in the admin, and follow its
rule for precision. What readers
already see (published and retracted events, their figures, and sources
published events show) is not changed by imports: that takes the admin's
form and a public correction note.

A file of 10,000 rows must be previewed and confirmed within the app
server's timeout, so the cost of a row is kept to Python work: the records
a file names are looked up once per import (LookupWidget), the records its
rows match are loaded in a few queries (NaturalKeyInstanceLoader), and rows
are written a thousand at a time, each with its history record naming the
person who imported it.
"""

import copy
import datetime

from django.core.exceptions import MultipleObjectsReturned, ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, instance_loaders, resources, results, widgets
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from tracker import dates, images, workflow
from tracker.links import normalise_url
from tracker.models import Actor, Conflict, Event, FigureClaim, MediaItem, Place, Source
from tracker.signals import changed_in_bulk

BATCH_SIZE = 1000
# How many rows a preview shows field by field; the rest are counted.
PREVIEW_ROWS = 100

TIMES = ["starts_at", "ends_at"]
LOCAL_TIME_FORMAT = "%Y-%m-%d %H:%M"


class LookupWidget(widgets.ForeignKeyWidget):
    """A related object named by one column, with a message a person can act
    on when it is not found. Each name is looked up once per import: a file
    names the same few events, actors and sources on thousands of rows."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.found = {}

    def memo_key(self, value, row):
        """What the lookup depends on, cheaper to compute than its arguments."""
        return value

    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        key = self.memo_key(value, row)
        if key not in self.found:
            try:
                self.found[key] = super().clean(value, row, **kwargs)
            except ObjectDoesNotExist:
                self.found[key] = _("No %(model)s %(value)r.") % {
                    "model": self.model._meta.verbose_name,
                    "value": value,
                }
            except MultipleObjectsReturned:
                self.found[key] = _("More than one %(model)s matches %(value)r.") % {
                    "model": self.model._meta.verbose_name,
                    "value": value,
                }
        found = self.found[key]
        if isinstance(found, str):
            raise ValueError(found)
        return found


class EventWidget(LookupWidget):
    """An event named by its slug, in the conflict of the row's conflict column."""

    def __init__(self):
        super().__init__(Event, "slug")

    def get_lookup_kwargs(self, value, row, **kwargs):
        return {"conflict__slug": row.get("conflict"), "slug": value}

    def memo_key(self, value, row):
        return row.get("conflict"), value


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


class CountedRowResult(results.RowResult):
    """A row a preview counts but does not show: naming its record (the
    claim in words) would cost more than importing it."""

    def add_instance_info(self, instance):
        self.object_id = getattr(instance, "pk", None)


def stored_values(instance):
    return {
        field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields
    }


def _comparable(value):
    return value.pk if isinstance(value, models.Model) else value


class NaturalKeyInstanceLoader(instance_loaders.ModelInstanceLoader):
    """The records a file's rows match by their natural keys, loaded in one
    query per thousand rows rather than one per row. A file that names one
    record on two rows is refused at the second: which would win is not
    something to leave to the order of the rows."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.key_fields = [resource.fields[name] for name in resource.get_import_id_fields()]
        # Each matched record's values as loaded, to tell an unchanged row.
        self.stored = {}
        keys = set()
        for row in dataset.dict if dataset is not None else []:
            try:
                keys.add(self.key(row))
            except (ValueError, ValidationError):
                continue  # the row's own import reports what is wrong with it
        self.existing = self._load(keys)
        self.seen = {}

    def key(self, row):
        return tuple(_comparable(field.clean(row)) for field in self.key_fields)

    def _load(self, keys):
        first = self.key_fields[0].attribute
        values = sorted({key[0] for key in keys if key[0] is not None}, key=str)
        existing = {}
        for start in range(0, len(values), BATCH_SIZE):
            batch = values[start : start + BATCH_SIZE]
            for instance in self.get_queryset().filter(**{f"{first}__in": batch}):
                existing[self._key_of(instance)] = instance
                self.stored[instance.pk] = stored_values(instance)
        return existing

    def _key_of(self, instance):
        return tuple(_comparable(getattr(instance, field.attribute)) for field in self.key_fields)

    def get_instance(self, row):
        key = self.key(row)
        if key in self.seen:
            raise ValidationError(
                _("Row %(number)s of this file already names this record: give it once.")
                % {"number": self.seen[key]}
            )
        self.seen[key] = len(self.seen) + 1
        return self.existing.get(key)


class NewsroomResource(resources.ModelResource):
    """What the three imports share: rows matched by natural keys, checked
    by the model's clean(), and written in bulk with their history."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.user = None
        self.event_ids = set()
        self.shown = True
        # This import's own options: import_row() changes one as it goes.
        self._meta = copy.copy(self._meta)

    def import_row(self, row, instance_loader, **kwargs):
        # Only the rows a preview shows are compared field by field for it
        # (a deep copy of the record and its related records each).
        self.instance_loader = instance_loader
        self.shown = kwargs.get("dry_run") and kwargs.get("row_number", 0) <= PREVIEW_ROWS
        self._meta.skip_diff = not self.shown
        return super().import_row(row, instance_loader, **kwargs)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """A row that gives a record exactly the values it has changes nothing."""
        if import_validation_errors or instance.pk is None:
            return False
        before = self.instance_loader.stored.get(instance.pk)
        after = stored_values(instance)
        names = [
            instance._meta.get_field(field.attribute).attname
            for field in self.get_import_fields()
            if field.attribute and not field.readonly
        ]
        return before is not None and all(before[name] == after[name] for name in names)

    def get_row_result_class(self):
        return super().get_row_result_class() if self.shown else CountedRowResult

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.user = kwargs.get("user")

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # The model's clean() states each of its check constraints, and the
        # natural keys stand for its unique ones; the database still enforces
        # both at the write. A related record a lookup has just found
        # exists. Django would otherwise ask the database about every
        # constraint and every related record on every row, most of its cost.
        errors = dict(import_validation_errors or {})
        found = [
            field.name
            for field in instance._meta.concrete_fields
            if field.is_relation and getattr(instance, field.attname) is not None
        ]
        try:
            instance.full_clean(
                exclude={*errors, *found}, validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def get_bulk_update_fields(self):
        names = [
            field.attribute
            for name, field in self.fields.items()
            if field.attribute and not field.readonly and name not in self.get_import_id_fields()
        ]
        model_fields = {field.name for field in self._meta.model._meta.concrete_fields}
        return [*names, *({"version", "updated_at"} & model_fields)]

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        self._write(self.create_instances, bulk_create_with_history, result, raise_errors, dry_run)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        def update_with_history(instances, model, **kwargs):
            bulk_update_with_history(instances, model, self.get_bulk_update_fields(), **kwargs)

        self._write(self.update_instances, update_with_history, result, raise_errors, dry_run)

    def _write(self, instances, write, result, raise_errors, dry_run):
        if not instances:
            return
        try:
            write(
                instances,
                self._meta.model,
                batch_size=BATCH_SIZE,
                default_user=self.user,
                default_change_reason=_("Imported"),
            )
            self.event_ids |= self.events_changed(instances)
        except Exception as error:
            self.handle_import_error(result, error, raise_errors)
        finally:
            instances.clear()

    def events_changed(self, instances):
        """The ids of the events whose pages the written rows change."""
        return set()

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if kwargs.get("dry_run"):
            # Counted in the totals; invalid rows are listed apart, every one.
            result.rows = result.rows[:PREVIEW_ROWS]
        else:
            changed_in_bulk.send(sender=self._meta.model, event_ids=self.changed_event_ids())

    def changed_event_ids(self):
        return sorted(self.event_ids)

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
        # As save() would: bulk writes do not call it.
        if instance.pk is not None:
            if hasattr(instance, "version"):
                instance.version += 1
            if hasattr(instance, "updated_at"):
                instance.updated_at = timezone.now()

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
        instance_loader_class = NaturalKeyInstanceLoader
        use_bulk = True
        batch_size = BATCH_SIZE

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
        if instance.pk and instance.status in workflow.PUBLIC:
            raise ValidationError(
                _(
                    "This event is %(status)s: imports do not change it. An editor "
                    "changes it in its form in the admin, with a public correction note."
                )
                % {"status": instance.get_status_display()}
            )
        super().before_save_instance(instance, row, **kwargs)

    def events_changed(self, instances):
        return {event.pk for event in instances}

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
        instance_loader_class = NaturalKeyInstanceLoader
        use_bulk = True
        batch_size = BATCH_SIZE

    def get_queryset(self):
        return (
            super().get_queryset().select_related("event__conflict", "claimant", "party", "source")
        )

    def before_save_instance(self, instance, row, **kwargs):
        if instance.event.figures_are_frozen:
            raise ValidationError(
                _(
                    "The event is %(status)s: imports do not change its figures. An editor "
                    "changes them in the event's form in the admin, with a public "
                    "correction note."
                )
                % {"status": instance.event.get_status_display()}
            )
        # As save() would: bulk writes do not call it.
        instance.conflict_id = instance.event.conflict_id
        super().before_save_instance(instance, row, **kwargs)

    def events_changed(self, instances):
        return {claim.event_id for claim in instances}

    def after_import(self, dataset, result, **kwargs):
        # Bulk writes send no post_save: the dispute flags are set here.
        if not kwargs.get("dry_run"):
            Event.objects.filter(pk__in=self.event_ids).refresh_disputed()
        super().after_import(dataset, result, **kwargs)

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
        instance_loader_class = NaturalKeyInstanceLoader
        use_bulk = True
        batch_size = BATCH_SIZE

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

    def changed_event_ids(self):
        return None  # sources are shared by every conflict

    def dehydrate_published_at(self, source):
        return _utc(source.published_at)

    def dehydrate_accessed_at(self, source):
        return _utc(source.accessed_at)


def _utc(moment):
    return moment.astimezone(datetime.UTC).isoformat() if moment else ""


class MediaItemResource(resources.ModelResource):
    """Photos and links on events, each named by its URL: a link's, or the
    address a photo is fetched from (tracker.images.fetch_image), checked
    and stripped like an upload. A row is matched by event and URL. Media
    are few: each row is saved on its own, so that the photo is made safe
    and its sizes made, with its history record. A preview fetches and
    checks each photo, and stores nothing."""

    conflict = fields.Field(column_name="conflict", attribute=None)
    event = fields.Field("event", "event", EventWidget())
    source = fields.Field("source", "source", SourceWidget())
    taken_at = fields.Field("taken_at", "taken_at", LocalTimeWidget(coarsest=dates.Precision.YEAR))

    class Meta:
        model = MediaItem
        fields = [
            "conflict",
            "event",
            "position",
            "kind",
            "url",
            "link_title",
            "caption",
            "credit",
            "rights",
            "alt_text",
            "source",
            "taken_at",
            "is_graphic",
        ]
        import_id_fields = ["event", "url"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_queryset(self):
        return super().get_queryset().select_related("event__conflict", "source")

    def before_import_row(self, row, **kwargs):
        for column, value in row.items():
            if value is None:
                row[column] = ""
        row["url"] = normalise_url(row.get("url") or "")

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if instance.event_id is None:
            return  # the event column's error says why
        if instance.event.status in workflow.PUBLIC:
            raise ValidationError(
                _(
                    "The event is %(status)s: imports do not change its media. An editor "
                    "adds or corrects them in the event's form in the admin."
                )
                % {"status": instance.event.get_status_display()}
            )
        if row.get("taken_at"):
            instance.taken_at_precision = typed_moment(row["taken_at"])[1]
        if instance.kind == MediaItem.Kind.IMAGE and instance.url and not instance.image:
            try:
                made = images.fetch_image(instance.url)
            except ValidationError as error:
                raise ValidationError({"url": error.messages}) from None
            content = made.content
            content.made_safe, content.sha256 = True, made.sha256
            instance.image = content

    def save_instance(self, instance, is_create, row, **kwargs):
        if self._is_dry_run(kwargs):
            return  # the photo is checked; a preview stores nothing
        super().save_instance(instance, is_create, row, **kwargs)

    def dehydrate_conflict(self, item):
        return item.event.conflict.slug

    def dehydrate_source(self, item):
        return (item.source.url or item.source.title) if item.source else ""

    def dehydrate_taken_at(self, item):
        return local_time(item.taken_at, item.event.conflict)
