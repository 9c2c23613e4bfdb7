"""Search in each language: the stored document of an event holds its
translations, each with its language's text search configuration, and is
made again when any of them changes (tracker/search.py)."""

import importlib

from django.db import migrations

# The database's side of search as tracker/search.py writes it (DOCUMENT_SQL),
# copied here so that later changes there never change what this migration
# does; tests/test_migrations.py holds the two to the same text.
DOCUMENT_SQL = [
    """
    CREATE FUNCTION tracker_event_document(event tracker_event)
    RETURNS tsvector LANGUAGE sql STABLE AS $$
        SELECT setweight(to_tsvector('english'::regconfig, COALESCE(event.title, '')), 'A')
            || setweight(to_tsvector('english'::regconfig, COALESCE(event.summary, '')), 'B')
            || setweight(to_tsvector('russian'::regconfig, COALESCE(event.title_ru, '')), 'A')
            || setweight(to_tsvector('russian'::regconfig, COALESCE(event.summary_ru, '')), 'B')
            || setweight(to_tsvector('simple'::regconfig, COALESCE(event.title_hy, '')), 'A')
            || setweight(to_tsvector('simple'::regconfig, COALESCE(event.summary_hy, '')), 'B')
            || setweight(to_tsvector('simple'::regconfig, COALESCE(event.title_az, '')), 'A')
            || setweight(to_tsvector('simple'::regconfig, COALESCE(event.summary_az, '')), 'B')
            || setweight(to_tsvector('simple'::regconfig, COALESCE(event.title_uk, '')), 'A')
            || setweight(to_tsvector('simple'::regconfig, COALESCE(event.summary_uk, '')), 'B')
            || setweight(to_tsvector('arabic'::regconfig, COALESCE(event.title_ar, '')), 'A')
            || setweight(to_tsvector('arabic'::regconfig, COALESCE(event.summary_ar, '')), 'B')
            || setweight(to_tsvector('english'::regconfig, COALESCE((
                SELECT string_agg(cited.title, ' ' ORDER BY citation.id)
                FROM tracker_citation citation
                JOIN tracker_source cited ON cited.id = citation.source_id
                WHERE citation.event_id = event.id
            ), '')), 'D')
    $$
    """,
    """
    CREATE FUNCTION tracker_event_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' OR NEW.search_document IS NULL OR (
            NEW.title, NEW.summary, NEW.title_ru, NEW.summary_ru, NEW.title_hy, NEW.summary_hy,
            NEW.title_az, NEW.summary_az, NEW.title_uk, NEW.summary_uk, NEW.title_ar,
            NEW.summary_ar
        ) IS DISTINCT FROM (
            OLD.title, OLD.summary, OLD.title_ru, OLD.summary_ru, OLD.title_hy, OLD.summary_hy,
            OLD.title_az, OLD.summary_az, OLD.title_uk, OLD.summary_uk, OLD.title_ar,
            OLD.summary_ar
        ) THEN
            NEW.search_document := tracker_event_document(NEW);
        END IF;
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER tracker_event_search_document BEFORE INSERT OR UPDATE ON tracker_event
    FOR EACH ROW EXECUTE FUNCTION tracker_event_search_document()
    """,
    """
    CREATE FUNCTION tracker_citation_search_documents() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            UPDATE tracker_event SET search_document = tracker_event_document(tracker_event)
            WHERE id IN (SELECT event_id FROM new_citations);
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            UPDATE tracker_event SET search_document = tracker_event_document(tracker_event)
            WHERE id IN (SELECT event_id FROM old_citations);
        END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER tracker_citation_inserted AFTER INSERT ON tracker_citation
    REFERENCING NEW TABLE AS new_citations
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_citation_search_documents()
    """,
    """
    CREATE TRIGGER tracker_citation_updated AFTER UPDATE ON tracker_citation
    REFERENCING OLD TABLE AS old_citations NEW TABLE AS new_citations
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_citation_search_documents()
    """,
    """
    CREATE TRIGGER tracker_citation_deleted AFTER DELETE ON tracker_citation
    REFERENCING OLD TABLE AS old_citations
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_citation_search_documents()
    """,
    """
    CREATE FUNCTION tracker_source_search_documents() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE tracker_event SET search_document = tracker_event_document(tracker_event)
        WHERE id IN (
            SELECT citation.event_id
            FROM tracker_citation citation
            JOIN new_sources ON new_sources.id = citation.source_id
            JOIN old_sources ON old_sources.id = new_sources.id
            WHERE new_sources.title IS DISTINCT FROM old_sources.title
        );
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER tracker_source_retitled AFTER UPDATE ON tracker_source
    REFERENCING OLD TABLE AS old_sources NEW TABLE AS new_sources
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_source_search_documents()
    """,
    "CREATE INDEX event_search_document_idx ON tracker_event USING gin (search_document)",
]

# What 0011 made, but for the index on the column, which stays.
DROP_SQL = [
    "DROP TRIGGER IF EXISTS tracker_source_retitled ON tracker_source",
    "DROP FUNCTION IF EXISTS tracker_source_search_documents()",
    "DROP TRIGGER IF EXISTS tracker_citation_deleted ON tracker_citation",
    "DROP TRIGGER IF EXISTS tracker_citation_updated ON tracker_citation",
    "DROP TRIGGER IF EXISTS tracker_citation_inserted ON tracker_citation",
    "DROP FUNCTION IF EXISTS tracker_citation_search_documents()",
    "DROP TRIGGER IF EXISTS tracker_event_search_document ON tracker_event",
    "DROP FUNCTION IF EXISTS tracker_event_search_document()",
]


def earlier():
    return importlib.import_module("tracker.migrations.0011_event_search_document")


def documents_in_every_language(apps, schema_editor):
    # Triggers exist only on PostgreSQL; SQLite searches by substring.
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in DROP_SQL:
        schema_editor.execute(statement)
    schema_editor.execute("DROP FUNCTION IF EXISTS tracker_event_document(bigint, text, text)")
    for statement in DOCUMENT_SQL[:-1]:
        schema_editor.execute(statement)
    schema_editor.execute(
        "UPDATE tracker_event SET search_document = tracker_event_document(tracker_event)"
    )


def documents_in_english(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in DROP_SQL:
        schema_editor.execute(statement)
    schema_editor.execute("DROP FUNCTION IF EXISTS tracker_event_document(tracker_event)")
    for statement in earlier().DOCUMENT_SQL[:-1]:
        schema_editor.execute(statement)
    schema_editor.execute(
        "UPDATE tracker_event SET search_document = tracker_event_document(id, title, summary)"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0018_translated_records"),
    ]

    operations = [
        migrations.RunPython(documents_in_every_language, documents_in_english),
    ]
