"""Reading the audit history: what changed between two saved versions, in
words an editor can check against their own edits."""

import datetime
from dataclasses import dataclass, field

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from tracker.models import Citation, FigureClaim, MediaItem, Participant

# Bookkeeping, not content: each record already says when it was made.
UNSHOWN = {"version", "updated_at"}


@dataclass
class Change:
    """One saved version of an object, and what it changed."""

    record: object  # the historical record
    kind: str
    fields: list = field(default_factory=list)  # (label, old, new)

    def __str__(self):
        who = self.record.history_user or _("someone")
        when = formats.date_format(timezone.localtime(self.record.history_date), "DATETIME_FORMAT")
        what = "; ".join(f"{label}: {old!s} → {new!s}" for label, old, new in self.fields)
        if self.record.history_type == "+":
            what = _("added %(object)s") % {"object": self.record.instance}
        elif self.record.history_type == "-":
            what = _("deleted %(object)s") % {"object": self.record.instance}
        elif not what:
            what = _("saved it unchanged")
        return _("%(who)s, %(when)s, %(kind)s: %(what)s") % {
            "who": who,
            "when": when,
            "kind": self.kind,
            "what": what,
        }


def display_value(model, name, value):
    """A stored value as the admin shows it: choice labels, local times."""
    if value is None or value == "":
        return "-"
    model_field = model._meta.get_field(name)
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    return value


def _changes(model, records):
    """Each record with what it changed from the one before it (of the same
    object), oldest first; the first record of each object has no diff."""
    changes, previous = [], {}
    for record in records.select_related("history_user").order_by("history_date", "history_id"):
        before = previous.get(record.id)
        fields = []
        if before is not None:
            delta = record.diff_against(before, foreign_keys_are_objs=True)
            fields = [
                (
                    model._meta.get_field(c.field).verbose_name,
                    display_value(model, c.field, c.old),
                    display_value(model, c.field, c.new),
                )
                for c in delta.changes
                if c.field not in UNSHOWN
            ]
        changes.append(Change(record, str(model._meta.verbose_name), fields))
        previous[record.id] = record
    return changes


def part_changes(event_id, since=None):
    """The history of an event's figures, citations, participants and
    media, newest first; only what was saved after `since` when given."""
    changes = []
    for model in (FigureClaim, Citation, Participant, MediaItem):
        changes += _changes(model, model.history.filter(event_id=event_id))
    if since is not None:
        changes = [c for c in changes if c.record.history_date > since]
    return sorted(changes, key=lambda change: change.record.history_date, reverse=True)


def changes_since(obj, version):
    """What was saved on obj (an event or a claim) after the given version,
    oldest first; for an event, its figures, citations, participants and
    media changed since then as well."""
    model = type(obj)
    records = model.history.filter(id=obj.pk, version__gte=version)
    changes = [c for c in _changes(model, records) if c.record.version > version]
    if model.__name__ == "Event":
        base = records.filter(version=version).order_by("history_date").first()
        if base is not None:
            changes += reversed(part_changes(obj.pk, since=base.history_date))
    return changes
