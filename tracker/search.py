"""Free-text search over events: their title, summary and the titles of the
sources they cite.

On PostgreSQL this is ranked full-text search served by GIN indexes built on
the very expressions below (migration 0002), so the planner can use them. On
SQLite, the embedded default, it falls back to a case-insensitive substring
match, unranked.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import Exists, OuterRef, Q, Value

# One language configuration for documents, queries and indexes: the index is
# only used when the query's expression matches it exactly.
CONFIG = "english"


def event_document():
    return SearchVector("title", weight="A", config=CONFIG) + SearchVector(
        "summary", weight="B", config=CONFIG
    )


def source_document():
    return SearchVector("title", config=CONFIG)


def search_indexes():
    """The PostgreSQL indexes behind search, by model name."""
    return {
        "event": GinIndex(event_document(), name="event_search_idx"),
        "source": GinIndex(source_document(), name="source_search_idx"),
    }


def search_events(events, terms):
    """Events matching the words in `terms`, annotated with `rank` (higher is
    more relevant; 0 everywhere on SQLite)."""
    from tracker.models import Citation, Source

    terms = terms.strip()
    if not terms:
        return events
    if connections[events.db].vendor != "postgresql":
        cited = Citation.objects.filter(event=OuterRef("pk"), source__title__icontains=terms)
        matches = Q(title__icontains=terms) | Q(summary__icontains=terms) | Exists(cited)
        return events.filter(matches).annotate(rank=Value(0.0))

    query = SearchQuery(terms, search_type="websearch", config=CONFIG)
    # A union rather than an OR, so that each half can use its own index;
    # each half keeps the other filters, so it looks only at their events.
    candidates = events.order_by().values("pk")
    by_text = events.annotate(document=event_document()).filter(document=query)
    by_source = Citation.objects.filter(
        event__in=candidates,
        source__in=Source.objects.annotate(document=source_document()).filter(document=query),
    )
    matching = by_text.order_by().values("pk").union(by_source.order_by().values("event_id"))
    return events.filter(pk__in=matching).annotate(rank=SearchRank(event_document(), query))
