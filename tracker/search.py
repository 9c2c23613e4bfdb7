"""Free-text search over events: their title and summary, in every language
the newsroom translated them into, and the titles of the sources they cite.

On PostgreSQL this is ranked full-text search over a document stored with
each event (Event.search_document) and indexed with GIN: the database keeps
it, by the triggers below, whenever an event's titles or summaries, its
citations, or a cited source's title change (migration 0019 installs them
as they are now, 0011 as they were). One stored column, rather than an
expression recomputed per row, lets the planner choose: walk the timeline in
order and stop at a page's worth of a common word's events, or read a rare
word's few events from the index.

A query is read in the reader's language (the page's, or ?lang=) and in
English, the originals' language.

On SQLite, the embedded default, search falls back to a case-insensitive
substring match, unranked, of the originals and of the reader's language's
translations.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections
from django.db.models import Exists, F, OuterRef, Q, Value
from django.utils.translation import get_language

from tracker.models.translated import LANGUAGES, ORIGINAL_LANGUAGE, column

# The text search configuration of each language's words: PostgreSQL's
# stemmers where it has one for the language, `simple` (lower case, no
# stemming, no stop words) elsewhere. The originals are English.
CONFIGS = {
    "en": "english",
    "ru": "russian",
    "ar": "arabic",
    "hy": "simple",
    "az": "simple",
    "uk": "simple",
}
CONFIG = CONFIGS["en"]

# ts_rank's weights for the labels D, C, B and A of the document's words:
# the title (A) and summary (B), in every language, rank an event as they
# always have; a cited source's title (D) finds it without moving it up.
RANK_WEIGHTS = [0.0, 0.2, 0.4, 1.0]

# The database's side, in the order it is created; migration 0019 keeps a
# copy of the functions and triggers, 0021 gives the index its storage (tests
# hold each to this text). The document is made from the event's whole row,
# so that its translations are read with it: each title and summary with its
# language's configuration.
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
    # Django writes the column empty with every save of an event; a write
    # that changes no title or summary, in any language, keeps the document.
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
    # Once per statement, so that a bulk write of citations updates each of
    # its events once.
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
    # Without a pending list (fastupdate), a write goes into the index at
    # once: about 0.6 ms a document, not 0.15, where a day's pending writes
    # made every search read them all (3,000 writes: 239 pages, not 4) and
    # led the planner away from the index until a vacuum (migration 0021).
    "CREATE INDEX event_search_document_idx ON tracker_event USING gin (search_document)"
    " WITH (fastupdate = off)",
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
    statement: after a bulk write that ran with the triggers off. The index
    is built afresh around it: written into one document at a time, as it
    takes them (no pending list), 100,000 documents took 25 s, 17 s with
    the index built afterwards."""
    if connections[events.db].vendor != "postgresql":
        return
    ids, params = events.order_by().values("pk").query.sql_with_params()
    *_, make_index = DOCUMENT_SQL
    with connections[events.db].cursor() as cursor:
        cursor.execute("DROP INDEX event_search_document_idx")
        cursor.execute(
            "UPDATE tracker_event SET search_document = "
            f"tracker_event_document(tracker_event) WHERE id IN ({ids})",
            params,
        )
        cursor.execute(make_index)


def set_document_triggers(connection, *, enabled):
    action = "ENABLE" if enabled else "DISABLE"
    with connection.cursor() as cursor:
        for table, triggers in DOCUMENT_TRIGGERS.items():
            for trigger in triggers:
                cursor.execute(f"ALTER TABLE {table} {action} TRIGGER {trigger}")


def reader_language():
    """The active language, as one of the records' (English otherwise)."""
    language = (get_language() or ORIGINAL_LANGUAGE).split("-")[0]
    return language if language in LANGUAGES else ORIGINAL_LANGUAGE


def search_events(events, terms):
    """Events matching the words in `terms`, annotated with `rank` (higher is
    more relevant; 0 everywhere on SQLite)."""
    from tracker.models import Citation

    terms = terms.strip()
    if not terms:
        return events
    language = reader_language()
    if connections[events.db].vendor != "postgresql":
        cited = Citation.objects.filter(event=OuterRef("pk"), source__title__icontains=terms)
        matches = Q(title__icontains=terms) | Q(summary__icontains=terms) | Exists(cited)
        if language != ORIGINAL_LANGUAGE:
            for name in ("title", "summary"):
                matches |= Q(**{f"{column(name, language)}__icontains": terms})
        return events.filter(matches).annotate(rank=Value(0.0))

    # The words as the reader's language stems them, and as English does:
    # the originals are English, and a name is often typed in Latin letters.
    query = SearchQuery(terms, search_type="websearch", config=CONFIGS[language])
    if language != ORIGINAL_LANGUAGE:
        query |= SearchQuery(terms, search_type="websearch", config=CONFIG)
    rank = SearchRank(F("search_document"), query, weights=RANK_WEIGHTS)
    return events.filter(search_document=query).annotate(rank=rank)
