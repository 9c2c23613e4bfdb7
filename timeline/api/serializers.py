"""What the API says about each record. Every field is described for the
OpenAPI schema; times are ISO 8601 in UTC, with a display string in the
conflict's local time where a reader would want one."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tracker import markdown
from tracker.dates import Precision
from tracker.models import (
    Actor,
    Event,
    EventLink,
    FigureClaim,
    MediaItem,
    Participant,
    Place,
    Source,
)


@extend_schema_field(OpenApiTypes.STR)
class MarkdownHTMLField(serializers.Field):
    """Markdown rendered to HTML with no script, style or unsafe link."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return str(markdown.to_html(value))


@extend_schema_field(OpenApiTypes.URI)
class PermalinkField(serializers.Field):
    """The absolute address of the object's public page."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance):
        return self.context["request"].build_absolute_uri(instance.get_absolute_url())


class ApiUrlField(serializers.HyperlinkedIdentityField):
    def __init__(self, view_name, **kwargs):
        super().__init__(view_name=view_name, **kwargs)


class PhaseSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    starts_on = serializers.DateField(read_only=True, help_text="The first local day of the phase.")
    ends_on = serializers.DateField(
        read_only=True, allow_null=True, help_text="The last local day; null while it lasts."
    )
    description = serializers.CharField(read_only=True, help_text="Markdown.")
    description_html = MarkdownHTMLField(source="description", help_text="Sanitised HTML.")


class ConflictSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True, help_text="Identifies the conflict in URLs.")
    name = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True, help_text="One or two sentences.")
    introduction = serializers.CharField(
        read_only=True, help_text="Markdown: what a reader needs to know first."
    )
    introduction_html = MarkdownHTMLField(source="introduction", help_text="Sanitised HTML.")
    methodology = serializers.CharField(
        read_only=True,
        help_text="Markdown: how the newsroom records, attributes and grades figures.",
    )
    methodology_html = MarkdownHTMLField(source="methodology", help_text="Sanitised HTML.")
    timezone = serializers.CharField(
        read_only=True,
        help_text="IANA time zone (e.g. Asia/Baku) in which the newsroom states times.",
    )
    start_date = serializers.DateField(read_only=True, allow_null=True)
    end_date = serializers.DateField(read_only=True, allow_null=True)
    phases = PhaseSerializer(
        many=True, read_only=True, help_text="Named stretches of the conflict, in order."
    )
    permalink = PermalinkField(help_text="The timeline's public page.")
    url = ApiUrlField("api:conflict-detail", lookup_field="slug", help_text="This record.")


class ActorRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text="Stable; never reused.")
    name = serializers.CharField(read_only=True)


class ActorSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text="Stable; never reused.")
    name = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=Actor.Kind.choices, read_only=True)
    description = serializers.CharField(read_only=True, help_text="Who this is, in a line.")
    aliases = serializers.SerializerMethodField(help_text="Other names and spellings.")
    affiliation = serializers.SerializerMethodField(
        help_text="The actor this one belongs to or is aligned with, if the published "
        "record names it."
    )
    is_newsroom = serializers.BooleanField(
        read_only=True, help_text="True for the newsroom itself: its claims are its assessment."
    )
    url = ApiUrlField("api:actor-detail", help_text="This record.")

    def get_aliases(self, actor) -> list[str]:
        return [line.strip() for line in actor.aliases.splitlines() if line.strip()]

    @extend_schema_field(ActorRefSerializer(allow_null=True))
    def get_affiliation(self, actor):
        # Annotated by the view: an actor only drafts name stays unnamed here too.
        if actor.affiliation is None or not actor.affiliation_is_public:
            return None
        return ActorRefSerializer(actor.affiliation).data


class PlaceSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text="Stable; never reused.")
    name = serializers.CharField(read_only=True)
    country_code = serializers.CharField(read_only=True, help_text="ISO 3166-1 alpha-2.")
    admin_region = serializers.CharField(read_only=True)
    latitude = serializers.FloatField(read_only=True, allow_null=True)
    longitude = serializers.FloatField(read_only=True, allow_null=True)
    location_precision = serializers.ChoiceField(
        choices=Place.LocationPrecision.choices,
        read_only=True,
        allow_blank=True,
        help_text="How exactly the coordinates locate the event; empty when not stated.",
    )
    url = ApiUrlField("api:place-detail", help_text="This record.")


class SourceSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text="Stable; never reused.")
    title = serializers.CharField(read_only=True)
    publisher = serializers.CharField(read_only=True)
    url = serializers.CharField(read_only=True, help_text="Where we read it; may be empty.")
    archive_url = serializers.CharField(
        read_only=True, help_text="A stable archived copy; may be empty."
    )
    published_at = serializers.DateTimeField(read_only=True, allow_null=True)
    kind = serializers.ChoiceField(choices=Source.Kind.choices, read_only=True)
    language = serializers.CharField(read_only=True, help_text="e.g. en, ru, hy, az.")


class CitedSourceSerializer(SourceSerializer):
    excerpt = serializers.CharField(
        read_only=True,
        help_text="The words the event relies on, quoted exactly; empty for a source "
        "that is only cited by a figure claim.",
    )


class ParticipantSerializer(serializers.Serializer):
    actor = ActorRefSerializer(read_only=True)
    role = serializers.ChoiceField(choices=Participant.Role.choices, read_only=True)


class ImageSizeSerializer(serializers.Serializer):
    width = serializers.IntegerField(read_only=True)
    height = serializers.IntegerField(read_only=True)
    webp = serializers.URLField(read_only=True)
    jpeg = serializers.URLField(read_only=True)


class MediaSerializer(serializers.Serializer):
    """A photo or a link on an event, in its order. Every stored image holds
    its pixels only: no EXIF, GPS, XMP or IPTC metadata."""

    kind = serializers.ChoiceField(choices=MediaItem.Kind.choices, read_only=True)
    url = serializers.SerializerMethodField(
        help_text="An image: the JPEG 960 pixels wide (or the original's width when "
        "narrower). A link: the video or post elsewhere."
    )
    link_title = serializers.CharField(
        read_only=True, help_text="A link's title; empty for an image."
    )
    caption = serializers.CharField(read_only=True)
    credit = serializers.CharField(read_only=True, help_text="Who took it and for whom.")
    rights = serializers.CharField(read_only=True, help_text="Usage rights or licence.")
    alt_text = serializers.CharField(read_only=True, help_text="What an image shows, in words.")
    graphic = serializers.BooleanField(
        source="is_graphic",
        read_only=True,
        help_text="Graphic content: the site shows it only to readers who open a warning.",
    )
    taken_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="UTC, only as exact as taken_at_precision."
    )
    taken_at_precision = serializers.CharField(read_only=True)
    source = SourceSerializer(read_only=True, allow_null=True)
    width = serializers.IntegerField(read_only=True, allow_null=True, help_text="The original's.")
    height = serializers.IntegerField(read_only=True, allow_null=True, help_text="The original's.")
    thumbnail = serializers.SerializerMethodField(help_text="The card's 96 × 72 thumbnail.")
    sizes = serializers.SerializerMethodField(help_text="The widths the event page shows.")

    def _absolute(self, file):
        return self.context["request"].build_absolute_uri(file.url)

    def get_url(self, item) -> str:
        if item.kind == MediaItem.Kind.LINK:
            return item.url
        return self._absolute(item.shared_size[1])

    @extend_schema_field(ImageSizeSerializer(allow_null=True))
    def get_thumbnail(self, item):
        if item.kind != MediaItem.Kind.IMAGE:
            return None
        return {
            "width": 96,
            "height": 72,
            "webp": self._absolute(item.thumbnail_webp),
            "jpeg": self._absolute(item.thumbnail_jpeg),
        }

    @extend_schema_field(ImageSizeSerializer(many=True))
    def get_sizes(self, item):
        if item.kind != MediaItem.Kind.IMAGE:
            return []
        return [
            {
                "width": width,
                "height": height,
                "webp": self._absolute(webp),
                "jpeg": self._absolute(jpeg),
            }
            for width, webp, jpeg, height in item.widths
        ]


class BoundsSerializer(serializers.Serializer):
    lower = serializers.IntegerField(read_only=True, help_text="The least the claim allows.")
    upper = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="The most the claim allows; null when open-ended ('more than 200').",
    )


class ClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text="Stable; never reused.")
    claimant = ActorRefSerializer(read_only=True, help_text="Who says it.")
    is_newsroom_assessment = serializers.BooleanField(
        read_only=True, help_text="True when the claimant is the newsroom itself."
    )
    metric = serializers.ChoiceField(choices=FigureClaim.Metric.choices, read_only=True)
    population = serializers.ChoiceField(choices=FigureClaim.Population.choices, read_only=True)
    party = ActorRefSerializer(
        read_only=True,
        allow_null=True,
        help_text="Whose people the figure counts (e.g. 'Armenian armed forces'); null when "
        "the claim does not say, and it is then compared with every side's figures.",
    )
    scope = serializers.ChoiceField(
        choices=FigureClaim.Scope.choices,
        read_only=True,
        help_text="`incident`: the toll of this event; `running_total`: all counted since "
        "`period_start`.",
    )
    period_start = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="For a running total, the first local day it counts; null for a toll.",
    )
    qualifier = serializers.ChoiceField(choices=FigureClaim.Qualifier.choices, read_only=True)
    low = serializers.IntegerField(read_only=True, allow_null=True)
    best = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The figure as stated: 200 for 'more than 200'."
    )
    high = serializers.IntegerField(read_only=True, allow_null=True)
    bounds = serializers.SerializerMethodField(
        help_text="The range the claim allows, from its qualifier and figures: "
        "'about 100' is 90 to 110 unless low and high are given."
    )
    description = serializers.CharField(
        source="describe", read_only=True, help_text="In words: 'more than 200 injured'."
    )
    wording = serializers.CharField(read_only=True, help_text="The claimant's original words.")
    as_of = serializers.DateTimeField(read_only=True, help_text="When the figure was stated.")
    grade = serializers.ChoiceField(
        choices=FigureClaim.Grade.choices, read_only=True, help_text="How well it is verified."
    )
    note = serializers.CharField(
        source="public_note",
        read_only=True,
        help_text="The method of the newsroom's own assessment; empty for other claims.",
    )
    source = serializers.IntegerField(
        source="source_id",
        read_only=True,
        help_text="Where we read it: the id of one of the event's `sources`.",
    )
    event = serializers.IntegerField(
        source="event_id", read_only=True, help_text="The id of the event the claim is on."
    )

    @extend_schema_field(BoundsSerializer)
    def get_bounds(self, claim):
        lower, upper = claim.bounds
        return {"lower": lower, "upper": upper}


class FigureLineSerializer(serializers.Serializer):
    text = serializers.CharField(
        read_only=True,
        help_text="A dispute, naming who disagrees ('Killed: 32 civilians, according to the "
        "regional authorities; about 100, according to Ruben Vardanyan'), or the tightest "
        "figure for one thing counted ('more than 200 civilians injured').",
    )
    disputed = serializers.BooleanField(read_only=True)


class FigureSummarySerializer(serializers.Serializer):
    metric = serializers.ChoiceField(choices=FigureClaim.Metric.choices, read_only=True)
    summary = serializers.CharField(
        read_only=True, help_text="The lines below in one text, separated by ' · '."
    )
    disputed = serializers.BooleanField(
        read_only=True,
        help_text="Compared claims from different claimants contradict each other "
        "(the rule: /api/docs/ and the README).",
    )
    lines = FigureLineSerializer(many=True, read_only=True)


class CorrectionSerializer(serializers.Serializer):
    published_at = serializers.DateTimeField(read_only=True)
    note = serializers.CharField(read_only=True, help_text="What changed and why.")


class EventRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text="Stable; never reused.")
    conflict = serializers.CharField(
        source="conflict.slug", read_only=True, help_text="The conflict's slug."
    )
    slug = serializers.SlugField(read_only=True)
    title = serializers.CharField(read_only=True)
    starts_at = serializers.DateTimeField(read_only=True)
    permalink = PermalinkField()
    url = ApiUrlField("api:event-detail", help_text="The related event's record.")


class RelatedEventSerializer(serializers.Serializer):
    relation = serializers.ChoiceField(
        choices=EventLink.Relation.choices,
        read_only=True,
        help_text="How the two events relate, read from `direction`'s side.",
    )
    direction = serializers.ChoiceField(
        choices=[("to", "to"), ("from", "from")],
        read_only=True,
        help_text="`to`: this event <relation> the other one (this event violates "
        "the ceasefire); `from`: the other event <relation> this one.",
    )
    label = serializers.CharField(
        read_only=True, help_text="The relation in words, from this event's side."
    )
    event = EventRefSerializer(read_only=True)


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text="Stable; never reused.")
    conflict = serializers.CharField(
        source="conflict.slug", read_only=True, help_text="The conflict's slug."
    )
    kind = serializers.ChoiceField(choices=Event.Kind.choices, read_only=True)
    title = serializers.CharField(read_only=True)
    slug = serializers.SlugField(
        read_only=True, help_text="Unique within the conflict; never changes."
    )
    permalink = PermalinkField(help_text="The event's public page.")
    url = ApiUrlField("api:event-detail", help_text="This record.")
    summary = serializers.CharField(read_only=True, help_text="Markdown.")
    summary_html = MarkdownHTMLField(source="summary", help_text="Sanitised HTML.")
    starts_at = serializers.DateTimeField(
        read_only=True,
        help_text="UTC. Only as exact as `precision`: a day-precision event starts at "
        "local midnight, which is not a time of day.",
    )
    ends_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="UTC.")
    precision = serializers.ChoiceField(
        choices=Precision.choices, read_only=True, help_text="How exactly the time is known."
    )
    when = serializers.CharField(
        read_only=True,
        help_text="The time as the timeline shows it, in the conflict's local time: "
        "'20 September 2023, 13:00 UTC+4', or '20 September 2023' for a day.",
    )
    place = PlaceSerializer(read_only=True, allow_null=True)
    participants = ParticipantSerializer(
        many=True, read_only=True, help_text="Who took part, and in what role."
    )
    claims = ClaimSerializer(
        many=True,
        read_only=True,
        help_text="Every reported figure as a claim: who says what, where and when.",
    )
    figures = serializers.SerializerMethodField(
        help_text="The claims summed up by metric, as the timeline shows them."
    )
    disputed = serializers.BooleanField(
        source="is_disputed",
        read_only=True,
        help_text="Some claims on the same metric from different claimants contradict each other.",
    )
    sources = serializers.SerializerMethodField(
        help_text="What the event relies on: the cited sources, then those only cited "
        "by figure claims."
    )
    corrections = CorrectionSerializer(many=True, read_only=True)
    media = MediaSerializer(many=True, read_only=True, help_text="Photos and links, in order.")
    related = serializers.SerializerMethodField(help_text="Published events linked to this one.")
    is_key = serializers.BooleanField(
        read_only=True, help_text="A turning point readers should not miss."
    )
    published_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="When the event was first published."
    )
    updated_at = serializers.DateTimeField(
        read_only=True, help_text="When the event was last edited."
    )
    corrected_at = serializers.SerializerMethodField(
        help_text="When its latest correction was published; null without corrections."
    )

    @extend_schema_field(FigureSummarySerializer(many=True))
    def get_figures(self, event):
        return [
            {
                "metric": group.metric,
                "summary": str(group.summary),
                "disputed": group.disputed,
                "lines": [{"text": str(line), "disputed": line.disputed} for line in group.lines],
            }
            for group in event.figure_groups
        ]

    @extend_schema_field(CitedSourceSerializer(many=True))
    def get_sources(self, event):
        cited = [(citation.source, citation.excerpt) for citation in event.citations.all()]
        seen = {source.pk for source, _excerpt in cited}
        for claim in event.claims.all():
            if claim.source_id not in seen:
                cited.append((claim.source, ""))
                seen.add(claim.source_id)
        return [
            {**SourceSerializer(source, context=self.context).data, "excerpt": excerpt}
            for source, excerpt in cited
        ]

    @extend_schema_field(RelatedEventSerializer(many=True))
    def get_related(self, event):
        links = [
            {
                "relation": link.relation,
                "direction": "to",
                "label": link.get_relation_display(),
                "event": link.to_event,
            }
            for link in event.links_out.all()
        ] + [
            {
                "relation": link.relation,
                "direction": "from",
                "label": link.inverse_display(),
                "event": link.from_event,
            }
            for link in event.links_in.all()
        ]
        return RelatedEventSerializer(links, many=True, context=self.context).data

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_corrected_at(self, event):
        moments = [correction.published_at for correction in event.corrections.all()]
        return serializers.DateTimeField().to_representation(max(moments)) if moments else None


class RetractedEventSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text="Stable; never reused.")
    conflict = serializers.CharField(
        source="conflict.slug", read_only=True, help_text="The conflict's slug."
    )
    slug = serializers.SlugField(read_only=True)
    permalink = PermalinkField(help_text="The event's public page, which now shows the note.")
    retracted_at = serializers.DateTimeField(
        source="updated_at",
        read_only=True,
        help_text="When the event was retracted, or its retraction note last edited.",
    )
    retraction_note = serializers.CharField(read_only=True, help_text="Why it was retracted.")


class WithdrawalSerializer(serializers.Serializer):
    """Only what the public already saw and what stays true of it: never a
    draft's current title or text."""

    id = serializers.IntegerField(read_only=True, help_text="Stable; never reused.")
    conflict = serializers.CharField(
        source="conflict.slug", read_only=True, help_text="The conflict's slug."
    )
    slug = serializers.SlugField(read_only=True)
    permalink = PermalinkField(
        help_text="The address the event was published at: it shows the retraction note, "
        "or answers 404 while the event is unpublished."
    )
    how = serializers.ChoiceField(
        source="withdrawal",
        choices=Event.Withdrawal.choices,
        read_only=True,
        help_text="`unpublished`: returned to draft or review, and may be published again "
        "(it then reappears in `/api/v1/events/?updated_since=`); `retracted`: withdrawn "
        "for good, with a public note.",
    )
    withdrawn_at = serializers.DateTimeField(
        read_only=True,
        help_text="When it was unpublished or retracted: the status change, from the "
        "event's history, that made it what it now is. Later edits do not move it.",
    )
    changed_at = serializers.DateTimeField(
        read_only=True,
        help_text="When this record last changed: the withdrawal, or a later rewording of "
        "the retraction note. Start the next run's `updated_since` from the latest seen.",
    )
    retraction_note = serializers.SerializerMethodField(
        help_text="Why it was retracted, as its page says; null when it was unpublished."
    )

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_retraction_note(self, event):
        if event.withdrawal == Event.Withdrawal.RETRACTED:
            return event.retraction_note
        return None
