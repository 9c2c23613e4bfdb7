"""A filter on a list of ids, sent to PostgreSQL as one array parameter."""

import re

import pytest
from django.db import connection

from tests.factories import ActorFactory, ClaimFactory
from timeline.id_arrays import AnyOf
from tracker.models import Actor, FigureClaim

pytestmark = pytest.mark.django_db


def test_any_of_keeps_the_records_whose_field_is_among_the_ids():
    kept, other, left_out = ClaimFactory(), ClaimFactory(), ClaimFactory()
    found = FigureClaim.objects.filter(AnyOf("event_id", {kept.event_id, other.event_id, 0}))
    assert set(found) == {kept, other}
    assert left_out not in found


def test_any_of_no_ids_finds_nothing_without_asking_the_database(
    django_assert_num_queries,
):
    ActorFactory()
    with django_assert_num_queries(0):
        assert list(Actor.objects.filter(AnyOf("pk", []))) == []


def test_any_of_sends_the_ids_as_one_array_on_postgresql_and_a_list_on_sqlite(
    django_assert_num_queries,
):
    actors = [ActorFactory() for _ in range(3)]
    with django_assert_num_queries(1) as captured:
        assert set(Actor.objects.filter(AnyOf("pk", [a.pk for a in actors]))) == set(actors)
    sql = captured.captured_queries[0]["sql"]
    if connection.vendor == "postgresql":
        # As the array's text, cast to the column's type.
        assert re.search(r"= ANY\(.*::(integer|bigint)\[\]\)", sql)
    else:
        assert " IN (" in sql


def test_any_of_passes_over_a_missing_id():
    kept = ClaimFactory()
    assert list(FigureClaim.objects.filter(AnyOf("event_id", [None, kept.event_id]))) == [kept]
