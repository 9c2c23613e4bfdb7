"""Event cards and the filter form, kept rendered between pages.

A timeline page made afresh (the page cache missed, or is off) mostly shows
cards that have not changed since the last page that showed them. Each card
is rendered from its one partial (timeline/_event_card.html, the embed's
timeline/_embed_card.html) and kept in the page cache's backend under a key
that names everything the card shows, so a key finds only a card that is
still true:

- the event's own row, every column, and the rows it is shown with (its
  place; its conflict's slug and time zone): any edit of them, including a
  bulk status move, makes a new key, with no signal to miss;
- a *detail token* of the event, replaced whenever what the card reads
  through the event's details changes: a participant, claim, citation,
  correction or media item of the event saved or deleted, or an actor or
  source they name edited (detail_parts() and shown_records() list them);
- the token of everything, replaced by a bulk write that does not say which
  events it touched, and by deleting an actor, place or source;
- the release token of the page cache (a deploy with new templates never
  serves old markup) and the active language.

The details of an event (participants, claims, media) are loaded only for the
cards that missed. Detail tokens are read after the events' rows and before
their details, and replaced both when a record is saved and once its change
is committed, so that a card rendered from details read before a commit is
never stored under a token read after it.

A card that shows something new (an icon for a kind, a thumbnail from the
event's media, a "corrected" mark) stays right by construction when what it
reads is on the event's row or among the models of detail_parts() and
shown_records(): a new kind of detail is added there. Changing the partials
needs nothing: the release token changes with every deploy.

Off when CARD_CACHE_SECONDS is 0: every card is rendered on each page. Kept
in each process's memory, a card would outlive a change made through another
process, so like the page cache it is on by default only with Redis.
"""

import hashlib
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.db.models.signals import post_delete, post_save
from django.template.loader import get_template
from django.utils.translation import get_language

from . import cache as page_cache

DETAIL_PREFIX = "card-detail:"
EVERYTHING = DETAIL_PREFIX + "everything"


def enabled():
    return bool(settings.CARD_CACHE_SECONDS)


def _backend():
    return page_cache.page_cache()


def _tokens(keys):
    """The current tokens of `keys`; missing ones are made."""
    backend = _backend()
    tokens = backend.get_many(keys)
    for key in keys:
        if key not in tokens:
            backend.add(key, uuid.uuid4().hex, timeout=None)
            tokens[key] = backend.get(key) or ""
    return tokens


def _row(instance):
    if instance is None:
        return None
    return tuple(getattr(instance, field.attname) for field in instance._meta.concrete_fields)


def card_key(template_name, event, detail_token, common, context=None):
    """The key of `event`'s card: everything it shows, hashed."""
    conflict = event.conflict
    shown = (
        common,
        template_name,
        _row(event),
        _row(event.place),
        conflict.slug,
        conflict.timezone,
        detail_token,
        sorted(context.items()) if context else None,
    )
    digest = hashlib.blake2b(repr(shown).encode(), digest_size=20).hexdigest()
    return f"card:{digest}"


def cards(events, template_name="timeline/_event_card.html", *, context=None, details=None):
    """{event pk: markup} of `events` rendered by `template_name`, rendered
    only for those not kept; the details of the others are not loaded.

    `context(event)` gives what else the template reads about the event (a
    permalink), which the key names too; `details` are the lookups of the
    details it shows (by default a timeline card's: participants, claims,
    media)."""
    from tracker.models import Event

    template = get_template(template_name)
    events = list(events)
    details = Event.details("participants", "claims", "media") if details is None else details
    extra = {event.pk: context(event) if context else {} for event in events}

    def render(event):
        return template.render({"event": event, **extra[event.pk]})

    if not enabled():
        prefetch_related_objects(events, *details)
        return {event.pk: render(event) for event in events}
    release_key = page_cache.RELEASE
    detail_keys = {event.pk: f"{DETAIL_PREFIX}{event.pk}" for event in events}
    tokens = _tokens([release_key, EVERYTHING, *detail_keys.values()])
    common = (tokens[release_key], tokens[EVERYTHING], get_language())
    keys = {
        event.pk: card_key(
            template_name, event, tokens[detail_keys[event.pk]], common, extra[event.pk]
        )
        for event in events
    }
    backend = _backend()
    found = backend.get_many(list(keys.values()))
    markup, missed = {}, []
    for event in events:
        if keys[event.pk] in found:
            markup[event.pk] = found[keys[event.pk]]
        else:
            missed.append(event)
    prefetch_related_objects(missed, *details)
    made = {event.pk: render(event) for event in missed}
    backend.set_many({keys[pk]: html for pk, html in made.items()}, settings.CARD_CACHE_SECONDS)
    return markup | made


def filter_form(context, template_name="timeline/_filters.html"):
    """The timeline's filter and jump-to-date forms, rendered from `context`
    once per language, choices on offer and query: a form of a hundred
    actors and places is a thousand template nodes. A form with errors
    (bad input) is rendered each time, not kept."""
    template = get_template(template_name)
    filters, query = context["filters"], context["query"]
    shown = {name: context[name] for name in ("filters", "filtered", "newest_first", "query")}
    if not enabled() or filters.form.errors:
        return template.render(shown)
    release_key = page_cache.RELEASE
    offered = [
        [(str(value), str(label)) for value, label in filters.form.fields[name].widget.choices]
        for name in ("actor", "place")
    ]
    about = (
        _tokens([release_key])[release_key],
        get_language(),
        template_name,
        filters.conflict.pk,
        sorted(query.params.lists()),
        context["filtered"],
        context["newest_first"],
        offered,
    )
    key = "filter-form:" + hashlib.blake2b(repr(about).encode(), digest_size=20).hexdigest()
    backend = _backend()
    markup = backend.get(key)
    if markup is None:
        markup = template.render(shown)
        backend.set(key, markup, settings.CARD_CACHE_SECONDS)
    return markup


# What replaces detail tokens.


def detail_parts():
    """The models a card reads through its event's details, by event."""
    from tracker.models import Citation, Correction, FigureClaim, MediaItem, Participant

    return [Participant, FigureClaim, Citation, Correction, MediaItem]


def shown_records():
    """Records cards show through details, each with the events showing it."""
    from django.db.models import Q

    from tracker.models import Actor, Citation, FigureClaim, Participant, Source

    def of_actor(pk):
        return [
            *Participant.objects.filter(actor=pk).values_list("event", flat=True),
            *FigureClaim.objects.filter(Q(claimant=pk) | Q(party=pk)).values_list(
                "event", flat=True
            ),
        ]

    def of_source(pk):
        return [
            *FigureClaim.objects.filter(source=pk).values_list("event", flat=True),
            *Citation.objects.filter(source=pk).values_list("event", flat=True),
        ]

    return {Actor: of_actor, Source: of_source}


def renew_details(event_ids):
    """Make the cards of these events (None: of every event) stale."""
    keys = [EVERYTHING] if event_ids is None else [f"{DETAIL_PREFIX}{pk}" for pk in event_ids]
    if not keys:
        return
    _backend().delete_many(keys)
    transaction.on_commit(lambda: _backend().delete_many(keys))


def _after_part_change(sender, instance, **kwargs):
    # A part moved to another event leaves one card and joins another.
    renew_details({instance.event_id, instance.loaded("event_id")})


def _after_record_change(sender, instance, **kwargs):
    renew_details(set(shown_records()[sender](instance.pk)))


def _after_record_delete(sender, instance, **kwargs):
    # What named a deleted record was moved elsewhere first (a merge), not
    # always through save().
    renew_details(None)


def _after_bulk_change(sender, event_ids=None, **kwargs):
    renew_details(None if event_ids is None else list(event_ids))


def connect_signals():
    from tracker.models import Place
    from tracker.signals import changed_in_bulk

    changed_in_bulk.connect(_after_bulk_change, dispatch_uid="cards-bulk")
    for model in detail_parts():
        uid = f"cards-{model.__name__}"
        post_save.connect(_after_part_change, sender=model, dispatch_uid=uid)
        post_delete.connect(_after_part_change, sender=model, dispatch_uid=uid)
    for model in shown_records():
        uid = f"cards-{model.__name__}"
        post_save.connect(_after_record_change, sender=model, dispatch_uid=uid)
        post_delete.connect(_after_record_delete, sender=model, dispatch_uid=uid)
    post_delete.connect(_after_record_delete, sender=Place, dispatch_uid="cards-Place")
