"""Migrations keep their own copies of what they build, so that later changes
to the live code never change what an old migration did; these tests hold
the copies to the live definitions they were taken from."""

import importlib

import pytest

from tracker.links import normalise_url
from tracker.models import FigureClaim
from tracker.search import DOCUMENT_SQL


def migration(name):
    return importlib.import_module(f"tracker.migrations.{name}")


def test_the_latest_search_migrations_build_the_document_search_is_written_for():
    # 0011 built the English document; 0019 the one of every language, 0021
    # the index's storage.
    *functions_and_triggers, index = DOCUMENT_SQL
    assert migration("0019_search_in_every_language").DOCUMENT_SQL[:-1] == functions_and_triggers
    storage = migration("0021_search_index_without_pending_list").STORAGE_SQL
    assert storage.endswith(index[index.index(" WITH ") + len(" WITH ") :])


def test_the_dispute_flag_migration_flags_events_by_todays_dispute_rule():
    frozen = migration("0010_event_has_disputed_figures").contradicted(FigureClaim)

    assert str(frozen.query) == str(FigureClaim.objects.contradicted().query)


@pytest.mark.parametrize(
    "url",
    [
        "HTTPS://News.Example.org:443/a?utm_source=x&id=1#top",
        "http://example.org",
        "  https://example.org/a?fbclid=1  ",
        "http://[::1]:8080/x",
        "not a url",
    ],
)
def test_the_url_migration_normalised_as_sources_still_are(url):
    frozen = migration("0003_newsroom_workflow").normalise_url

    assert frozen(url) == normalise_url(url)
