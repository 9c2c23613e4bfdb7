"""export_archive and import_archive: the whole record in one file, and an
exact restore into an empty database."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.factories import CorrectionFactory, EventFactory, EventLinkFactory, PhaseFactory
from tracker.archive import FORMAT, FORMAT_VERSION
from tracker.models import Event, FigureClaim

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def record(django_user_model):
    """The demo record, edited by named staff, so it has history by them."""
    call_command("load_demo", stdout=io.StringIO())
    editor = django_user_model.objects.create_user("amira", password="pw", is_staff=True)
    reporter = django_user_model.objects.create_user("omar", password="pw", is_staff=True)
    event = Event.objects.get(slug="casualty-figures-disputed")
    event.title = "Conflicting casualty figures reported, updated"
    event._history_user = reporter
    event.save()
    claim = FigureClaim.objects.filter(event=event).first()
    claim.best += 1
    claim._history_user = editor
    claim.save()
    CorrectionFactory(event=event, author=editor, note="The figure was **one** too low.")
    PhaseFactory(conflict=event.conflict)
    EventLinkFactory(from_event=event, to_event=Event.objects.exclude(pk=event.pk).first())
    Event.objects.get(slug="ceasefire-takes-effect").retract(reason="Not as reported.")
    return event


def export(path=None):
    out = io.StringIO()
    call_command("export_archive", *([str(path)] if path else []), stdout=out, stderr=out)
    return out.getvalue()


def without_created_at(text):
    archive = json.loads(text)
    del archive["created_at"]
    return archive


def empty_the_database():
    call_command("flush", interactive=False, verbosity=0)


def test_the_round_trip_is_exact(record, tmp_path):
    path = tmp_path / "archive.json"
    export(path)
    first = path.read_text()
    empty_the_database()

    call_command("import_archive", str(path), stdout=io.StringIO())

    second = export()
    assert without_created_at(second) == without_created_at(first)
    created_line = next(line for line in first.splitlines() if '"created_at"' in line)
    assert (
        second.replace(
            next(line for line in second.splitlines() if '"created_at"' in line), created_line
        )
        == first
    )


def test_the_archive_holds_the_record_and_its_history(record):
    archive = json.loads(export())
    records = archive["records"]
    for label in [
        "tracker.conflict", "tracker.phase", "tracker.actor", "tracker.place",
        "tracker.source", "tracker.event", "tracker.participant", "tracker.citation",
        "tracker.eventlink", "tracker.figureclaim", "tracker.correction",
        "tracker.historicalevent", "tracker.historicalfigureclaim",
        "tracker.historicalsource", "tracker.historicalparticipant",
        "tracker.historicalcitation", "tracker.mediaitem", "tracker.historicalmediaitem",
    ]:  # fmt: skip
        assert records[label], label
    (correction,) = records["tracker.correction"]
    assert correction["author"] == ["amira"]
    titles = [row["title"] for row in records["tracker.historicalevent"]]
    assert "Conflicting casualty figures reported, updated" in titles
    assert {tuple(row["history_user"] or ()) for row in records["tracker.historicalevent"]} >= {
        ("omar",)
    }


def test_the_archive_is_versioned_and_names_its_schema(record):
    archive = json.loads(export())
    assert archive["format"] == FORMAT
    assert archive["format_version"] == FORMAT_VERSION
    assert archive["app_version"] == "0.1.0"
    assert archive["schema_migration"].startswith("tracker.0")
    assert archive["created_at"].endswith("+00:00")


def test_people_appear_only_by_username(record):
    text = export()
    archive = json.loads(text)
    assert archive["users"] == ["amira", "omar"]
    assert "password" not in text
    assert "example.org" not in text.split('"records"')[0]
    assert "md5$" not in text and "argon2" not in text and "pbkdf2" not in text


def test_restored_people_cannot_sign_in_until_given_a_password(record, tmp_path, django_user_model):
    path = tmp_path / "archive.json"
    export(path)
    empty_the_database()
    call_command("import_archive", str(path), stdout=io.StringIO())
    amira = django_user_model.objects.get(username="amira")
    assert not amira.is_active
    assert not amira.has_usable_password()


def test_new_records_can_be_added_after_a_restore(record, tmp_path):
    path = tmp_path / "archive.json"
    export(path)
    empty_the_database()
    call_command("import_archive", str(path), stdout=io.StringIO())
    highest = Event.objects.order_by("-pk").first().pk
    assert EventFactory(conflict=record.conflict, slug="after-the-restore").pk > highest


def test_an_archive_is_only_restored_into_an_empty_database(record, tmp_path):
    path = tmp_path / "archive.json"
    export(path)
    with pytest.raises(CommandError, match="already holds records: conflicts"):
        call_command("import_archive", str(path), stdout=io.StringIO())


def test_a_broken_archive_restores_nothing(record, tmp_path):
    archive = json.loads(export())
    archive["records"]["tracker.figureclaim"][0]["event"] = 999_999
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(archive))
    empty_the_database()
    with pytest.raises(Exception):  # noqa: B017 (the database's own integrity error)
        call_command("import_archive", str(path), stdout=io.StringIO())
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "something-else"}, "not an archive of this tracker"),
        ({"format_version": 99}, "format version 99"),
        ({"schema_migration": "tracker.0001_initial"}, "written at schema tracker.0001_initial"),
    ],
)
def test_an_archive_of_another_kind_or_version_is_refused(tmp_path, change, message):
    archive = {**json.loads(export()), **change}
    path = tmp_path / "other.json"
    path.write_text(json.dumps(archive))
    with pytest.raises(CommandError, match=message):
        call_command("import_archive", str(path), stdout=io.StringIO())
