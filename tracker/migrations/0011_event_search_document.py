import importlib

import django.contrib.postgres.search
from django.db import migrations

# The database's side of search as tracker/search.py wrote it (DOCUMENT_SQL)
# when this migration was written; a test holds the two to the same text.
DOCUMENT_SQL = [
    """
    CREATE FUNCTION tracker_event_document(for_event bigint, event_title text, event_summary text)
    RETURNS tsvector LANGUAGE sql STABLE AS $$
        SELECT setweight(to_tsvector('english'::regconfig, COALESCE(event_title, '')), 'A')
            || setweight(to_tsvector('english'::regconfig, COALESCE(event_summary, '')), 'B')
            || setweight(to_tsvector('english'::regconfig, COALESCE((
                SELECT string_agg(cited.title, ' ' ORDER BY citation.id)
                FROM tracker_citation citation
                JOIN tracker_source cited ON cited.id = citation.source_id
                WHERE citation.event_id = for_event
            ), '')), 'D')
    $$
    """,
    # Django writes the column empty with every save of an event; a write
    # that changes neither the title nor the summary keeps the document.
    """
    CREATE FUNCTION tracker_event_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            NEW.search_document := tracker_event_document(NEW.id, NEW.title, NEW.summary);
        ELSIF NEW.search_document IS NULL OR NEW.title IS DISTINCT FROM OLD.title
                OR NEW.summary IS DISTINCT FROM OLD.summary THEN
            NEW.search_document := tracker_event_document(NEW.id, NEW.title, NEW.summary);
        END IF;
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER tracker_event_search_document BEFORE INSERT OR UPDATE ON tracker_event
    FOR EACH ROW EXECUTE FUNCTION tracker_event_search_document()
    """,
    # Once per statement, so that a bulk write of citations updates each of
    # its events once.
    """
    CREATE FUNCTION tracker_citation_search_documents() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            UPDATE tracker_event SET search_document = tracker_event_document(id, title, summary)
            WHERE id IN (SELECT event_id FROM new_citations);
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            UPDATE tracker_event SET search_document = tracker_event_document(id, title, summary)
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
        UPDATE tracker_event SET search_document = tracker_event_document(id, title, summary)
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

DROP_SQL = [
    "DROP INDEX IF EXISTS event_search_document_idx",
    "DROP TRIGGER IF EXISTS tracker_source_retitled ON tracker_source",
    "DROP FUNCTION IF EXISTS tracker_source_search_documents()",
    "DROP TRIGGER IF EXISTS tracker_citation_deleted ON tracker_citation",
    "DROP TRIGGER IF EXISTS tracker_citation_updated ON tracker_citation",
    "DROP TRIGGER IF EXISTS tracker_citation_inserted ON tracker_citation",
    "DROP FUNCTION IF EXISTS tracker_citation_search_documents()",
    "DROP TRIGGER IF EXISTS tracker_event_search_document ON tracker_event",
    "DROP FUNCTION IF EXISTS tracker_event_search_document()",
    "DROP FUNCTION IF EXISTS tracker_event_document(bigint, text, text)",
]


def expression_indexes():
    """The expression indexes search used before, as migration 0002 made them."""
    return importlib.import_module("tracker.migrations.0002_timeline_curation_and_search")


def store_documents(apps, schema_editor):
    # Triggers and GIN indexes exist only on PostgreSQL; SQLite searches by
    # substring and leaves the column empty.
    if schema_editor.connection.vendor != "postgresql":
        return
    expression_indexes().drop_search_indexes(apps, schema_editor)
    for statement in DOCUMENT_SQL[:-1]:
        schema_editor.execute(statement)
    schema_editor.execute(
        "UPDATE tracker_event SET search_document = tracker_event_document(id, title, summary)"
    )
    schema_editor.execute(DOCUMENT_SQL[-1])


def drop_documents(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in DROP_SQL:
        schema_editor.execute(statement)
    expression_indexes().create_search_indexes(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0010_event_has_disputed_figures"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="search_document",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(store_documents, drop_documents),
    ]
