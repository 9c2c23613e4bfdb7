"""Merging actors that turn out to be one: "Ministry of Defense of Azerbaijan"
and "Ministry of Defence of Azerbaijan" entered twice.

Everything that names a merged actor, through any foreign key to Actor,
today's and tomorrow's, is moved to the kept actor and saved (so its own
history records the move and why), and the audit history of those records is
rewritten to name the kept actor, so that no version points at an actor that
no longer exists. The merged names become the kept actor's aliases."""

from django.apps import apps
from django.db import models, transaction
from django.utils.translation import gettext as _
from simple_history.models import HistoricalChanges

from tracker.models import Actor
from tracker.models.records import names_of


@transaction.atomic
def merge_actors(*, keep, merged):
    """Moves what names each of `merged` to `keep` and deletes them.
    Returns how many records moved, by the plural name of their kind."""
    moved = {}
    keep = Actor.objects.select_for_update().get(pk=keep.pk)
    for other in Actor.objects.select_for_update().filter(pk__in=[a.pk for a in merged]):
        if other.pk == keep.pk:
            continue
        reason = _("Actor “%(merged)s” merged into “%(kept)s”") % {
            "merged": other.name,
            "kept": keep.name,
        }
        for relation in Actor._meta.related_objects:
            count = _move(relation, other, keep, reason)
            if count:
                # "figure claims (claimant)", "figure claims (whose people)", ...
                kind = relation.related_model._meta.verbose_name_plural
                label = f"{kind} ({relation.field.verbose_name})"
                moved[label] = moved.get(label, 0) + count
        _rewrite_history(other, keep)
        keep.refresh_from_db()
        known = {name.casefold() for name in names_of(keep.name, keep.aliases)}
        new_names = [n for n in names_of(other.name, other.aliases) if n.casefold() not in known]
        keep.aliases = "\n".join([*names_of("", keep.aliases), *new_names])
        became_newsroom = other.is_newsroom
        other.delete()
        keep.is_newsroom = keep.is_newsroom or became_newsroom
        keep.save()
    return moved


def _move(relation, other, keep, reason):
    """Points every row of one relation at `keep` instead of `other`; a row
    that would then repeat one `keep` already has is deleted instead."""
    field = relation.field
    rows = relation.related_model._base_manager.filter(**{field.name: other})
    count = 0
    for row in rows.select_for_update():
        count += 1
        row._change_reason = reason
        if relation.many_to_many:
            getattr(row, field.name).remove(other)
            getattr(row, field.name).add(keep)
        elif isinstance(row, Actor) and row.pk == keep.pk:
            # The kept actor was affiliated with the one merged into it.
            setattr(row, field.name, None)
            row.save(update_fields=[field.name])
        elif _would_repeat(row, field, keep):
            row.delete()
        else:
            setattr(row, field.name, keep)
            row.save()
    return count


def _would_repeat(row, field, keep):
    """Whether pointing `row` at `keep` would break one of its model's unique
    rules (a participant twice in the same role, say)."""
    model = type(row)
    opts = model._meta
    unique_sets = [(field.name,)] if field.unique else []
    unique_sets += [tuple(names) for names in opts.unique_together]
    unique_sets += [
        tuple(constraint.fields)
        for constraint in opts.constraints
        if isinstance(constraint, models.UniqueConstraint) and constraint.condition is None
    ]
    for names in unique_sets:
        if field.name not in names:
            continue
        lookup = {opts.get_field(n).attname: getattr(row, opts.get_field(n).attname) for n in names}
        lookup[field.attname] = keep.pk
        if model._base_manager.filter(**lookup).exclude(pk=row.pk).exists():
            return True
    return False


def _rewrite_history(other, keep):
    for model in apps.get_models():
        if not issubclass(model, HistoricalChanges):
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is Actor:
                model.objects.filter(**{field.attname: other.pk}).update(**{field.attname: keep.pk})
