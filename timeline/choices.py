"""The timeline filter form's choices of actors and places, kept up to date
as the record changes rather than found again after each change.

Finding every actor and place the published record of a large conflict
names reads all of its events (seconds, in the largest). It is done once,
and then each committed change asks only about the actors and places it
touched (timeline.invalidation), one indexed query for each kind: is this
actor still named by a published event of the conflict, and by what name?

The choices of a conflict are stored under a *version*; a change stores the
revised choices under a new version. A full count that began before a change
was committed stores its answer under the version it began with, which
nobody asks for any more, so it cannot undo the change.
"""

import time
import uuid

from django.db.models import CharField, Value

from timeline.cache import build_once, page_cache, release

# How long a reviser waits for another to finish before giving up and
# letting the next reader count afresh.
REVISE_ATTEMPTS, REVISE_PAUSE = 20, 0.05
SECONDS = 24 * 60 * 60


def _version_key(conflict_pk):
    return f"filter-choices-version:{release()}:{conflict_pk}"


def _choices_key(conflict_pk, version):
    return f"filter-choices:{release()}:{conflict_pk}:{version}"


def _version(conflict_pk):
    cache = page_cache()
    key = _version_key(conflict_pk)
    if (version := cache.get(key)) is None:
        cache.add(key, uuid.uuid4().hex, SECONDS)
        version = cache.get(key)
    return version


def count_choices(conflict):
    """Every actor and place the published record of `conflict` names, by pk,
    with its label, in one query."""
    from tracker.models import Actor, Place

    text = CharField()
    actors = Actor.objects.named_by_public_record(conflict).values_list(
        Value("actor", output_field=text), "pk", "name", Value("", output_field=text)
    )
    places = Place.objects.named_by_public_record(conflict).values_list(
        Value("place", output_field=text), "pk", "name", "country_code"
    )
    found = {"actor": {}, "place": {}}
    for what, pk, name, country_code in actors.order_by().union(places.order_by()):
        found[what][pk] = _label(what, name, country_code)
    return found


def _label(what, name, country_code):
    from tracker.models import Place

    return str(Place(name=name, country_code=country_code)) if what == "place" else name


def filter_choices(conflict):
    """The actors and places of `conflict`'s filter form, as (pk, label)
    pairs in the order of their labels."""
    version = _version(conflict.pk)
    found = build_once(_choices_key(conflict.pk, version), lambda: count_choices(conflict), SECONDS)
    return tuple(
        sorted(found[what].items(), key=lambda choice: choice[1]) for what in ("actor", "place")
    )


def revise(conflict_pk, actors=(), places=()):
    """Check these actors and places again in the choices of the conflict,
    after a committed change."""
    from tracker.models import Actor, Conflict, Place

    cache = page_cache()
    lock = f"filter-choices-lock:{conflict_pk}"
    for _attempt in range(REVISE_ATTEMPTS):
        if cache.add(lock, 1, 30):
            break
        time.sleep(REVISE_PAUSE)
    else:
        forget(conflict_pk)
        return
    try:
        found = cache.get(_choices_key(conflict_pk, _version(conflict_pk)))
        if found is None:
            # Nothing kept, or a count under way that may predate the change.
            forget(conflict_pk)
            return
        conflict = Conflict(pk=conflict_pk)
        named = {
            "actor": dict(
                Actor.objects.named_by_public_record(conflict)
                .filter(pk__in=actors)
                .values_list("pk", "name")
            ),
            "place": {
                pk: _label("place", name, country_code)
                for pk, name, country_code in Place.objects.named_by_public_record(conflict)
                .filter(pk__in=places)
                .values_list("pk", "name", "country_code")
            },
        }
        for what, asked in (("actor", actors), ("place", places)):
            for pk in asked:
                found[what].pop(pk, None)
            found[what].update(named[what])
        version = uuid.uuid4().hex
        cache.set(_choices_key(conflict_pk, version), found, SECONDS)
        cache.set(_version_key(conflict_pk), version, SECONDS)
    finally:
        cache.delete(lock)


def forget(conflict_pk):
    """Count the conflict's choices afresh at the next reading."""
    page_cache().set(_version_key(conflict_pk), uuid.uuid4().hex, SECONDS)


def revise_touched(touched):
    """Bring the choices up to date with a committed change (see
    timeline.invalidation.Touched)."""
    from tracker.models import Conflict

    if touched.every_choice:
        for pk in Conflict.objects.values_list("pk", flat=True):
            forget(pk)
        return
    for conflict_pk in set(touched.actors) | set(touched.places):
        revise(
            conflict_pk, touched.actors.get(conflict_pk, ()), touched.places.get(conflict_pk, ())
        )
