import io
from datetime import UTC, date, datetime, timedelta

import factory
from django.core.files.base import ContentFile
from PIL import Image

from tracker.models import (
    Actor,
    Citation,
    Conflict,
    Correction,
    Event,
    EventLink,
    FigureClaim,
    MediaItem,
    Participant,
    Phase,
    Place,
    Source,
)


class ConflictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conflict
        django_get_or_create = ["slug"]

    name = "Nagorno-Karabakh conflict"
    slug = "nagorno-karabakh"
    timezone = "Asia/Baku"


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor

    name = factory.Sequence(lambda n: f"Actor {n}")
    kind = Actor.Kind.GOVERNMENT_BODY


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    name = factory.Sequence(lambda n: f"Place {n}")
    country_code = "AZ"
    latitude = None
    longitude = None
    # Coordinates come with their precision (place_coordinates_have_precision).
    location_precision = factory.LazyAttribute(
        lambda place: "" if place.latitude is None else "exact"
    )


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Report {n}")
    publisher = "Newswire"
    url = factory.Sequence(lambda n: f"https://news.example.org/report-{n}")


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    conflict = factory.SubFactory(ConflictFactory)
    kind = Event.Kind.CEASEFIRE
    title = factory.Sequence(lambda n: f"Event {n}")
    starts_at = datetime(2023, 9, 20, 9, 0, tzinfo=UTC)
    precision = Event.precision.field.default
    status = Event.Status.PUBLISHED


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    event = factory.SubFactory(EventFactory)
    actor = factory.SubFactory(ActorFactory)
    role = Participant.Role.PARTY


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citation

    event = factory.SubFactory(EventFactory)
    source = factory.SubFactory(SourceFactory)
    excerpt = "The ceasefire was set to take effect at 13:00."


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FigureClaim

    event = factory.SubFactory(EventFactory)
    claimant = factory.SubFactory(ActorFactory)
    source = factory.SubFactory(SourceFactory)
    metric = FigureClaim.Metric.KILLED
    qualifier = FigureClaim.Qualifier.EXACT
    best = 32
    as_of = datetime(2023, 9, 19, 20, 0, tzinfo=UTC)


class EventLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventLink

    from_event = factory.SubFactory(EventFactory)
    to_event = factory.SubFactory(EventFactory)
    relation = EventLink.Relation.FOLLOWS


class CorrectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Correction

    event = factory.SubFactory(EventFactory)
    note = "An earlier version gave the wrong time."


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phase

    conflict = factory.SubFactory(ConflictFactory)
    name = factory.Sequence(lambda n: f"Phase {n}")
    starts_on = factory.Sequence(lambda n: date(2023, 1, 1) + timedelta(days=30 * n))


def jpeg_bytes(width=64, height=48, color=(90, 110, 140), noisy=False, **save_options):
    """A small JPEG made here, of one colour or (noisy) as detailed as a
    photograph, which does not compress to almost nothing; save_options
    (exif=...) as Pillow takes them."""
    if noisy:
        image = Image.merge("RGB", [Image.effect_noise((width, height), 60)] * 3)
    else:
        image = Image.new("RGB", (width, height), color)
    out = io.BytesIO()
    image.save(out, format="JPEG", **save_options)
    return out.getvalue()


def jpeg_file(name="photo.jpg", **kwargs):
    return ContentFile(jpeg_bytes(**kwargs), name=name)


class MediaItemFactory(factory.django.DjangoModelFactory):
    """A photo on an event, uploaded as a small JPEG."""

    class Meta:
        model = MediaItem

    event = factory.SubFactory(EventFactory)
    kind = MediaItem.Kind.IMAGE
    image = factory.LazyFunction(jpeg_file)
    credit = "Photo: Ani Petrosyan/Newswire"
    caption = "Residents gather outside the regional hospital."
    alt_text = "A crowd of people in winter coats in front of a low white building."
    position = factory.Sequence(lambda n: n)


def fully_detailed_event(conflict, starts_at):
    """A published event with one of everything a page can show about it,
    for pinning query counts."""
    event = EventFactory(conflict=conflict, starts_at=starts_at, place=PlaceFactory())
    ParticipantFactory(event=event, actor__affiliation=ActorFactory())
    ParticipantFactory(event=event, role=Participant.Role.MEDIATOR)
    CitationFactory(event=event)
    ClaimFactory(event=event, best=32)
    ClaimFactory(event=event, best=100, qualifier=FigureClaim.Qualifier.ABOUT)
    CorrectionFactory(event=event)
    EventLinkFactory(from_event=event, to_event=EventFactory(conflict=conflict))
    EventLinkFactory(from_event=EventFactory(conflict=conflict), to_event=event)
    MediaItemFactory(event=event, source=SourceFactory())
    return event
