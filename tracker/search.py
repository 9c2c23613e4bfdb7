"""Free-text search over events: their title, summary and the titles of the
sources they cite.

On PostgreSQL this is ranked full-text search over a document stored with
each event (Event.search_document) and indexed with GIN: the database keeps
it, by the triggers below, whenever an event's title or summary, its
citations, or a cited source's title change (migration 0011 installs them).
One stored column, rather than an expression recomputed per row, lets the
planner choose: walk the timeline in order and stop at a page's worth of a
common word's events, or read a rare word's few events from the index.

On SQLite, the embedded default, search falls back to a case-insensitive
substring match, unranked.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections
from django.db.models import Exists, F, OuterRef, Q, Value

# One language configuration for documents and queries.
CONFIG = "english"

# ts_rank's weights for the labels D, C, B and A of the document's words:
# the title (A) and summary (B) rank an event as they always have; a cited
# source's title (D) finds it without moving it up.
RANK_WEIGHTS = [0.0, 0.2, 0.4, 1.0]

# The database's side, in the order it is created; migration 0011 keeps a
# copy (a test holds the two to the same text).
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

# The triggers a bulk write turns off, to make the documents afterwards.
DOCUMENT_TRIGGERS = {
    "tracker_event": ["tracker_event_search_document"],
    "tracker_citation": [
        "tracker_citation_inserted",
        "tracker_citation_updated",
        "tracker_citation_deleted",
    ],
    "tracker_source": ["tracker_source_retitled"],
}


def refresh_documents(events):
    """Make the stored documents of `events` again (on PostgreSQL), in one
    statement: after a bulk write that ran with the triggers off."""
    if connections[events.db].vendor != "postgresql":
        return
    ids, params = events.order_by().values("pk").query.sql_with_params()
    with connections[events.db].cursor() as cursor:
        cursor.execute(
            "UPDATE tracker_event SET search_document = "
            f"tracker_event_document(id, title, summary) WHERE id IN ({ids})",
            params,
        )


def set_document_triggers(connection, *, enabled):
    action = "ENABLE" if enabled else "DISABLE"
    with connection.cursor() as cursor:
        for table, triggers in DOCUMENT_TRIGGERS.items():
            for trigger in triggers:
                cursor.execute(f"ALTER TABLE {table} {action} TRIGGER {trigger}")


def search_events(events, terms):
    """Events matching the words in `terms`, annotated with `rank` (higher is
    more relevant; 0 everywhere on SQLite)."""
    from tracker.models import Citation

    terms = terms.strip()
    if not terms:
        return events
    if connections[events.db].vendor != "postgresql":
        cited = Citation.objects.filter(event=OuterRef("pk"), source__title__icontains=terms)
        matches = Q(title__icontains=terms) | Q(summary__icontains=terms) | Exists(cited)
        return events.filter(matches).annotate(rank=Value(0.0))

    query = SearchQuery(terms, search_type="websearch", config=CONFIG)
    rank = SearchRank(F("search_document"), query, weights=RANK_WEIGHTS)
    return events.filter(search_document=query).annotate(rank=rank)
