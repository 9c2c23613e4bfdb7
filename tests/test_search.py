"""Search on PostgreSQL reads a stored, indexed document that the database
keeps in step with the event, its citations and their sources."""

import pytest
from django.db import connection

from tests.factories import CitationFactory, ConflictFactory, EventFactory, SourceFactory
from tracker.models import Citation, Event, Source
from tracker.search import search_events

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the stored document is PostgreSQL's"
    ),
]


def model_fields(event):
    return {
        f.attname: getattr(event, f.attname)
        for f in Event._meta.concrete_fields
        if not f.primary_key
    }


def found(terms):
    return sorted(search_events(Event.objects.all(), terms).values_list("title", flat=True))


def test_a_rare_word_is_looked_up_in_the_documents_index():
    conflict = ConflictFactory()
    shelling = EventFactory.build(conflict=conflict, summary="Homes were hit.")
    Event.objects.bulk_create(
        [
            Event(**{**model_fields(shelling), "title": f"Shelling {n}", "slug": f"shelling-{n}"})
            for n in range(2000)
        ]
    )
    EventFactory(conflict=conflict, title="Ceasefire agreed")
    events = search_events(Event.objects.published().in_conflict(conflict), "ceasefire")
    sql, params = events.order_by("starts_at", "pk")[:51].query.sql_with_params()

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tracker_event")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "event_search_document_idx" in plan
    assert "to_tsvector" not in plan


def test_the_documents_index_takes_each_write_at_once():
    # A pending list of writes is read by every search until a vacuum: a
    # suite's worth of rolled-back events made the planner walk the status
    # index instead, and the test above failed when it ran late.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reloptions FROM pg_class WHERE relname = 'event_search_document_idx'"
        )
        (options,) = cursor.fetchone()

    assert options == ["fastupdate=off"]


def test_no_index_holds_the_events_of_a_conflict_by_the_conflict_alone():
    # With one, PostgreSQL ANDs a search's matches with a bitmap of every
    # event of the conflict: measured on 200,000 events, a word in 1,649 of
    # them took 10 ms against 5 ms without it (and 0.7 ms in a conflict of
    # 1,000). The indexes that begin with the conflict serve its lookups.
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, Event._meta.db_table)

    by_conflict = [
        index["columns"]
        for index in indexes.values()
        if index["index"] and index["columns"][:1] == ["conflict_id"]
    ]
    assert len(by_conflict) > 1, "the timeline's indexes begin with the conflict"
    assert ["conflict_id"] not in by_conflict


def test_an_edited_title_is_found_by_its_new_words():
    event = EventFactory(title="Talks postponed")

    event.title = "Ceasefire agreed"
    event.save()

    assert found("ceasefire") == ["Ceasefire agreed"]
    assert found("postponed") == []


def test_a_title_changed_in_bulk_is_found_by_its_new_words():
    event = EventFactory(title="Talks postponed")

    Event.objects.filter(pk=event.pk).update(summary="The ceasefire holds.")

    assert found("ceasefire") == ["Talks postponed"]


def test_a_newly_cited_source_finds_the_event_and_an_uncited_one_no_longer_does():
    event = EventFactory(title="Talks")
    citation = CitationFactory(event=event, source=SourceFactory(title="Shelling in Stepanakert"))
    assert found("stepanakert") == ["Talks"]

    citation.delete()

    assert found("stepanakert") == []


def test_citations_written_in_bulk_find_their_events():
    events = [EventFactory(title="Talks"), EventFactory(title="Clashes")]
    source = SourceFactory(title="Report from Stepanakert")

    Citation.objects.bulk_create([Citation(event=event, source=source) for event in events])

    assert found("stepanakert") == ["Clashes", "Talks"]


def test_a_retitled_source_finds_its_events_by_the_new_title():
    source = SourceFactory(title="Report from Stepanakert")
    CitationFactory(event=EventFactory(title="Talks"), source=source)

    Source.objects.filter(pk=source.pk).update(title="Report from Yevlakh")

    assert found("yevlakh") == ["Talks"]
    assert found("stepanakert") == []


def test_a_cited_sources_title_finds_an_event_without_ranking_it():
    by_source = EventFactory(title="Talks")
    CitationFactory(event=by_source, source=SourceFactory(title="Ceasefire report"))
    EventFactory(title="Ceasefire holds")

    ranks = dict(search_events(Event.objects.all(), "ceasefire").values_list("title", "rank"))

    assert ranks["Talks"] == 0
    assert ranks["Ceasefire holds"] > 0
