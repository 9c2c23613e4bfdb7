"""The live view's updates behind the real shared cache: readers who poll
the same cursor cost the app one request, and a publish reaches them at
once rather than when the answer expires."""

import json

import pytest
from django.utils import timezone

from tests.factories import CitationFactory, EventFactory
from tests.test_varnish import app, event, until, varnish  # noqa: F401 (fixtures)
from timeline.live import cursor_of

pytestmark = [pytest.mark.varnish, pytest.mark.django_db(transaction=True)]


def test_a_hundred_readers_polling_the_same_cursor_cost_the_app_one_request(
    app,  # noqa: F811
    varnish,  # noqa: F811
    event,  # noqa: F811
):
    path = f"{event.conflict.get_absolute_url()}updates/?after={cursor_of(timezone.now())}"

    answers = [varnish.get(path) for _ in range(100)]

    assert all(status == 200 for status, _cache, _body in answers)
    assert app.requests.count(path.split("?")[0]) == 1


def test_a_publish_reaches_readers_polling_the_updates_within_a_second(
    app,  # noqa: F811
    varnish,  # noqa: F811
    event,  # noqa: F811
):
    path = f"{event.conflict.get_absolute_url()}updates/?after={cursor_of(timezone.now())}"

    def offered():
        return [item["id"] for item in json.loads(varnish.get(path)[2])["published"]]

    assert offered() == [event.pk]  # published just before the cursor: in its overlap
    draft = EventFactory(conflict=event.conflict, title="Talks scheduled", status="draft")
    CitationFactory(event=draft)

    draft.publish()

    assert until(lambda: draft.pk in offered(), seconds=1.0) is not None
