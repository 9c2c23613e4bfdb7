"""Bulk import in the admin: a preview first, then all rows or none."""

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
import tablib
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from import_export.tmp_storages import TempFolderStorage

from tests.admin_forms import page_form_data
from tests.factories import ActorFactory, ClaimFactory, ConflictFactory, EventFactory, SourceFactory
from tracker.models import Event, FigureClaim, Source

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).parent / "data" / "claims.csv"
CSV, XLSX = "0", "1"


@pytest.fixture
def event():
    """What the example file's rows refer to."""
    ActorFactory(name="Nagorno-Karabakh regional authorities")
    ActorFactory(name="Ruben Vardanyan")
    SourceFactory(url="https://news.example.org/stepanakert-shelling")
    return EventFactory(
        conflict=ConflictFactory(slug="nagorno-karabakh", timezone="Asia/Baku"),
        slug="shelling-in-stepanakert",
        status=Event.Status.DRAFT,
    )


def preview(client, model, content, file_format=CSV, name="import.csv"):
    upload = SimpleUploadedFile(name, content)
    url = reverse(f"admin:tracker_{model}_import")
    response = client.post(url, {"import_file": upload, "format": file_format, "resource": "0"})
    assert response.status_code == 200
    return response


def confirm(client, model, previewed):
    data = page_form_data(previewed)
    return client.post(reverse(f"admin:tracker_{model}_process_import"), data)


def totals(response):
    return {kind: n for kind, n in response.context["result"].totals.items() if n}


def example():
    return EXAMPLE.read_bytes()


def test_the_preview_lists_new_rows_and_writes_nothing(reporter_client, event):
    response = preview(reporter_client, "figureclaim", example())
    assert totals(response) == {"new": 3}
    assert "Confirm import" in response.content.decode()
    assert not FigureClaim.objects.exists()


def test_a_confirmed_import_writes_every_row_with_its_importer_in_the_history(
    reporter_client, reporter, event
):
    confirm(reporter_client, "figureclaim", preview(reporter_client, "figureclaim", example()))
    claims = FigureClaim.objects.order_by("as_of")
    assert [c.describe() for c in claims] == [
        "more than 200 civilians injured",
        "32 civilians killed",
        "about 100 killed",
    ]
    for claim in claims:
        record = claim.history.get()
        assert (record.history_user, record.history_change_reason) == (reporter, "Imported")


def test_imported_times_are_the_conflicts_local_time(reporter_client, event):
    confirm(reporter_client, "figureclaim", preview(reporter_client, "figureclaim", example()))
    as_of = sorted(FigureClaim.objects.values_list("as_of", flat=True))
    assert as_of == [
        datetime(2023, 9, 19, 20, 0, tzinfo=UTC),  # 20 September, day only: local midnight
        datetime(2023, 9, 20, 14, 0, tzinfo=UTC),
        datetime(2023, 9, 20, 15, 0, tzinfo=UTC),
    ]


def test_importing_the_same_file_again_changes_nothing(reporter_client, event):
    confirm(reporter_client, "figureclaim", preview(reporter_client, "figureclaim", example()))
    before = list(FigureClaim.history.values_list("history_id", flat=True))

    again = preview(reporter_client, "figureclaim", example())
    assert totals(again) == {"skip": 3}
    confirm(reporter_client, "figureclaim", again)

    assert FigureClaim.objects.count() == 3
    assert list(FigureClaim.history.values_list("history_id", flat=True)) == before
    assert set(FigureClaim.objects.values_list("version", flat=True)) == {1}


def test_a_changed_row_updates_its_claim(reporter_client, event):
    confirm(reporter_client, "figureclaim", preview(reporter_client, "figureclaim", example()))
    revised = example().replace(b"exact,,32,,32 civilians", b"exact,,40,,40 civilians")
    response = preview(reporter_client, "figureclaim", revised)
    assert totals(response) == {"update": 1, "skip": 2}
    confirm(reporter_client, "figureclaim", response)
    assert FigureClaim.objects.filter(best=40, population="civilians").exists()
    assert not FigureClaim.objects.filter(best=32).exists()


def test_invalid_rows_are_listed_with_their_errors_and_nothing_is_written(reporter_client, event):
    broken = (
        example()
        .replace(b"Ruben Vardanyan", b"Nobody Known")
        .replace(b"more_than,,200,", b"more_than,300,200,")
    )
    response = preview(reporter_client, "figureclaim", broken)
    html = response.content.decode()
    assert response.context["result"].has_validation_errors()
    assert "No actor &#x27;Nobody Known&#x27;." in html
    assert "The low figure (300) is above the best figure (200)." in html
    assert "Confirm import" not in html
    assert not FigureClaim.objects.exists()


def test_a_forged_confirmation_of_an_invalid_file_writes_nothing(reporter_client, event):
    valid = preview(reporter_client, "figureclaim", example())
    # The file kept for the confirmation is swapped for one with an invalid last row.
    broken = example().replace(b"more_than,,200,", b"more_than,300,200,")
    stored = valid.context["confirm_form"].initial["import_file_name"]
    TempFolderStorage(name=stored).save(broken.decode())
    response = confirm(reporter_client, "figureclaim", valid)
    assert not FigureClaim.objects.exists()
    assert response.url == reverse("admin:tracker_figureclaim_import")


def test_figures_of_a_published_event_are_not_imported(reporter_client, event):
    event.status = Event.Status.PUBLISHED
    event.save()
    response = preview(reporter_client, "figureclaim", example())
    assert totals(response) == {"invalid": 3}
    assert "public correction note" in response.content.decode()
    assert not FigureClaim.objects.exists()


def test_an_xlsx_file_is_imported_like_a_csv(reporter_client, event):
    sheet = tablib.Dataset().load(EXAMPLE.read_text(), format="csv")
    response = preview(
        reporter_client, "figureclaim", sheet.export("xlsx"), file_format=XLSX, name="x.xlsx"
    )
    assert totals(response) == {"new": 3}
    confirm(reporter_client, "figureclaim", response)
    assert FigureClaim.objects.count() == 3


EVENTS_CSV = (Path(__file__).parent / "data" / "events.csv").read_bytes()


def test_events_are_imported_as_drafts_in_local_time_and_only_once(reporter_client):
    ConflictFactory(slug="nagorno-karabakh", timezone="Asia/Baku")
    response = preview(reporter_client, "event", EVENTS_CSV)
    assert totals(response) == {"new": 2}
    confirm(reporter_client, "event", response)
    talks = Event.objects.get(slug="talks-in-yevlakh")
    assert talks.status == Event.Status.DRAFT
    assert talks.starts_at == datetime(2023, 9, 21, 9, 0, tzinfo=UTC)
    assert totals(preview(reporter_client, "event", EVENTS_CSV)) == {"skip": 2}


def test_an_import_does_not_change_a_published_event(reporter_client):
    conflict = ConflictFactory(slug="nagorno-karabakh", timezone="Asia/Baku")
    EventFactory(
        conflict=conflict,
        slug="ceasefire-takes-effect",
        title="Ceasefire announced",
        status=Event.Status.PUBLISHED,
    )
    response = preview(reporter_client, "event", EVENTS_CSV)
    assert totals(response) == {"new": 1, "invalid": 1}
    assert "Confirm import" not in response.content.decode()


def test_sources_are_matched_by_their_normalised_url(reporter_client):
    SourceFactory(url="https://news.example.org/story", title="Ceasefire story")
    rows = (
        b"url,title,publisher,kind,language,published_at,accessed_at,archive_url\n"
        b"HTTPS://News.Example.org/story?utm_source=x,Ceasefire story,Newswire,news,,,,\n"
        b"https://news.example.org/other#top,Another story,Newswire,news,en,,,\n"
    )
    response = preview(reporter_client, "source", rows)
    assert totals(response) == {"skip": 1, "new": 1}
    confirm(reporter_client, "source", response)
    assert sorted(Source.objects.values_list("url", flat=True)) == [
        "https://news.example.org/other",
        "https://news.example.org/story",
    ]


EVENT_COLUMNS = b"conflict,slug,kind,title,summary,starts_at,ends_at,precision,place,is_key\n"


def test_an_event_known_only_to_the_month_is_imported_to_the_month(reporter_client):
    ConflictFactory(slug="nagorno-karabakh", timezone="Asia/Baku")
    row = b"nagorno-karabakh,ceasefire-2020,ceasefire,2020 ceasefire,,2020-11,,,,0\n"
    confirm(reporter_client, "event", preview(reporter_client, "event", EVENT_COLUMNS + row))
    event = Event.objects.get()
    assert (event.precision, event.when) == ("month", "November 2020")


def test_an_imported_time_that_its_precision_would_drop_is_refused(reporter_client):
    ConflictFactory(slug="nagorno-karabakh", timezone="Asia/Baku")
    row = b"nagorno-karabakh,ceasefire,ceasefire,Ceasefire,,2023-09-20 13:00,,day,,0\n"
    response = preview(reporter_client, "event", EVENT_COLUMNS + row)
    assert totals(response) == {"invalid": 1}
    assert "its time of day would be lost" in response.content.decode()


def test_imported_source_times_are_in_the_default_conflicts_local_time(reporter_client):
    EventFactory(conflict=ConflictFactory(slug="nagorno-karabakh", timezone="Asia/Baku"))
    rows = (
        b"url,title,publisher,kind,language,published_at,accessed_at,archive_url\n"
        b"https://news.example.org/story,Ceasefire story,Newswire,news,en,2023-09-20 12:00,,\n"
    )
    confirm(reporter_client, "source", preview(reporter_client, "source", rows))
    assert Source.objects.get().published_at == datetime(2023, 9, 20, 8, 0, tzinfo=UTC)


def test_someone_who_may_only_read_cannot_import(client, django_user_model, event):
    reader = django_user_model.objects.create_user("reader", password="pw", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_figureclaim"))
    client.force_login(reader)
    assert client.get(reverse("admin:tracker_figureclaim_import")).status_code == 403
    upload = SimpleUploadedFile("import.csv", example())
    response = client.post(
        reverse("admin:tracker_figureclaim_import"),
        {"import_file": upload, "format": CSV, "resource": "0"},
    )
    assert response.status_code == 403
    assert not FigureClaim.objects.exists()


def test_the_export_gives_local_times_and_natural_keys(administrator_client, event):
    ClaimFactory(
        event=event,
        source=Source.objects.get(),
        as_of=datetime(2023, 9, 20, 14, 0, tzinfo=UTC),
    )
    response = administrator_client.post(
        reverse("admin:tracker_figureclaim_export"),
        {
            "format": CSV,
            "resource": "0",
            **{
                f"figureclaimresource_{name}": "on"
                for name in ["conflict", "event", "claimant", "source", "metric", "best", "as_of"]
            },
        },
    )
    text = response.content.decode()
    assert "nagorno-karabakh,shelling-in-stepanakert" in text
    assert "https://news.example.org/stepanakert-shelling" in text
    assert "2023-09-20 18:00" in text


def test_an_exported_file_imports_back_without_changes(administrator_client, event):
    confirm(
        administrator_client, "figureclaim", preview(administrator_client, "figureclaim", example())
    )
    export_url = reverse("admin:tracker_figureclaim_export")
    data = page_form_data(administrator_client.get(export_url)) | {"format": CSV}
    exported = administrator_client.post(export_url, data).content
    assert totals(preview(administrator_client, "figureclaim", exported)) == {"skip": 3}


CLAIM_HEADER = (
    "conflict,event,claimant,source,metric,population,qualifier,low,best,high,wording,as_of,"
    "grade,note\n"
)


def claims_file(count):
    rows = [
        f"nagorno-karabakh,shelling-in-stepanakert,Ruben Vardanyan,"
        f"https://news.example.org/stepanakert-shelling,killed,civilians,exact,,{n},,,"
        f"2023-09-20 {n // 60:02}:{n % 60:02},unverified,\n"
        for n in range(count)
    ]
    return (CLAIM_HEADER + "".join(rows)).encode()


def queries_to_import(client, count):
    FigureClaim.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        previewed = preview(client, "figureclaim", claims_file(count))
        confirm(client, "figureclaim", previewed)
    assert FigureClaim.objects.count() == count
    return len(queries)


def test_an_import_costs_the_same_queries_for_five_rows_as_for_forty(reporter_client, event):
    # Within one batch of rows (SQLite takes fewer values per statement than
    # PostgreSQL): lookups, matching and writes do not follow the rows.
    few = queries_to_import(reporter_client, 5)
    assert queries_to_import(reporter_client, 40) == few


def test_a_file_naming_one_record_on_two_rows_is_refused_whole(reporter_client, event):
    content = claims_file(2).decode().splitlines()
    twice = "\n".join([content[0], content[1], content[1], content[2]]) + "\n"
    response = preview(reporter_client, "figureclaim", twice.encode())
    assert totals(response) == {"new": 2, "invalid": 1}
    assert "Row 1 of this file already names this record" in response.content.decode()
    assert not FigureClaim.objects.exists()


def test_a_preview_shows_its_first_hundred_rows_and_counts_them_all(reporter_client, event):
    response = preview(reporter_client, "figureclaim", claims_file(150))
    assert totals(response) == {"new": 150}
    assert len(response.context["result"].valid_rows()) == 100
    confirm(reporter_client, "figureclaim", response)
    assert FigureClaim.objects.count() == 150


def test_a_large_import_writes_each_row_with_its_importer_in_the_history(
    reporter_client, reporter, event
):
    confirm(
        reporter_client, "figureclaim", preview(reporter_client, "figureclaim", claims_file(150))
    )
    records = FigureClaim.history.values_list("history_user", "history_change_reason")
    assert set(records) == {(reporter.pk, "Imported")}
    assert records.count() == 150


EXAMPLES = Path(__file__).parent.parent / "examples"


def test_the_readme_examples_import_cleanly_into_the_demo(reporter_client):
    call_command("load_demo", stdout=io.StringIO())
    for model, name in [("event", "events.csv"), ("figureclaim", "claims.csv")]:
        rows = (EXAMPLES / name).read_bytes()
        response = preview(reporter_client, model, rows)
        assert totals(response) == {"new": 2}, name
        confirm(reporter_client, model, response)
        assert totals(preview(reporter_client, model, rows)) == {"skip": 2}, name

    event = Event.objects.get(slug="regional-authorities-report-casualties")
    assert event.status == Event.Status.DRAFT
    assert [claim.describe() for claim in event.claims.order_by("best")] == [
        "2 children killed or injured",
        "32 civilians killed",
    ]


def test_row_errors_are_written_out_on_the_page(reporter_client, event):
    broken = (
        example()
        .replace(b"Ruben Vardanyan", b"Nobody Known")
        .replace(b"more_than,,200,", b"more_than,300,200,")
    )

    html = preview(reporter_client, "figureclaim", broken).content.decode()

    assert "<li>Row 2: No actor &#x27;Nobody Known&#x27;.</li>" in html
    assert "<li>Row 3, low: The low figure (300) is above the best figure (200).</li>" in html
    assert "Non field specific" not in html
    assert "validation-error-container" not in html  # shown only on hover


def test_the_import_page_lists_the_columns_an_import_reads(reporter_client):
    html = reporter_client.get(reverse("admin:tracker_event_import")).content.decode()

    columns = html.split("This importer will import the following fields:", 1)[1]
    columns = columns.split("</code>", 1)[0]
    assert "slug" in columns and "starts_at" in columns
    assert "status" not in columns


def test_a_reporter_is_told_that_an_editor_corrects_a_published_event(reporter_client, event):
    event.status = Event.Status.PUBLISHED
    event.save()

    html = preview(reporter_client, "figureclaim", example()).content.decode()

    assert "imports do not change its figures. An editor changes them" in html


def test_a_source_without_a_url_is_named_by_its_title(reporter_client, event):
    SourceFactory(url="", title="Press conference in Baku")
    rows = example().replace(
        b"https://news.example.org/stepanakert-shelling,killed,unspecified",
        b"Press conference in Baku,killed,unspecified",
    )

    confirm(reporter_client, "figureclaim", preview(reporter_client, "figureclaim", rows))

    assert FigureClaim.objects.get(claimant__name="Ruben Vardanyan").source.title == (
        "Press conference in Baku"
    )
