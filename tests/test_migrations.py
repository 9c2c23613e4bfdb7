"""Migrations keep their own copies of what they build, so that later changes
to the live code never change what an old migration did; these tests hold
the copies to the live definitions they were taken from."""

import importlib

import pytest

from tracker.links import normalise_url
from tracker.search import search_indexes


def migration(name):
    return importlib.import_module(f"tracker.migrations.{name}")


def test_the_search_migration_builds_the_indexes_search_is_written_for():
    built = migration("0002_timeline_curation_and_search").search_indexes()

    assert {name: index.deconstruct() for name, index in built.items()} == {
        name: index.deconstruct() for name, index in search_indexes().items()
    }


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
