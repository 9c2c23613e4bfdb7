"""The admin's front page: the newsroom's desk, records before the site's
own administration."""

import pytest
from django.test import Client

from tests.factories import EventFactory
from tracker.models import Event

pytestmark = pytest.mark.django_db

INDEX = "/admin/"


def draft_by(client, title):
    """A draft saved through the admin by the person signed in to `client`."""
    event = EventFactory(title=title, status=Event.Status.DRAFT)
    record = event.history.get()
    record.history_user = client.user
    record.save()
    return event


@pytest.fixture
def signed_in_reporter(reporter):
    client = Client()
    client.force_login(reporter)
    client.user = reporter
    return client


def test_the_front_page_counts_and_lists_what_waits_for_review(signed_in_reporter):
    EventFactory(title="Talks in Yevlakh", status=Event.Status.IN_REVIEW)
    EventFactory(title="Ceasefire", status=Event.Status.IN_REVIEW)
    EventFactory(title="Published", status=Event.Status.PUBLISHED)

    html = signed_in_reporter.get(INDEX).content.decode()

    queue = html.split('id="review-queue-module"', 1)[1].split("</section>", 1)[0]
    assert '<span class="dashboard-count">2</span> waiting for review' in queue
    assert "Talks in Yevlakh" in queue and "Ceasefire" in queue
    assert "Published" not in queue


def test_the_front_page_lists_the_persons_own_drafts_only(signed_in_reporter, django_user_model):
    draft_by(signed_in_reporter, "My draft")
    colleague = Client()
    colleague.user = django_user_model.objects.create_user("colleague", is_staff=True)
    draft_by(colleague, "Their draft")

    html = signed_in_reporter.get(INDEX).content.decode()

    drafts = html.split('id="my-drafts-module"', 1)[1].split("</section>", 1)[0]
    assert '<span class="dashboard-count">1</span> of your drafts' in drafts
    assert "My draft" in drafts and "Their draft" not in drafts


def test_the_front_page_offers_quick_entry(signed_in_reporter):
    html = signed_in_reporter.get(INDEX).content.decode()
    assert 'href="/admin/tracker/event/quick/"' in html


def test_the_records_come_first_and_the_site_administration_folds_away(administrator_client):
    html = administrator_client.get(INDEX).content.decode()

    records, administration = html.split('id="administration"', 1)
    assert "Newsroom records" in records
    assert "Axes" not in records and "OTP_TOTP" not in records
    assert "Axes" in administration and "Authentication and Authorization" in administration


def test_a_reporter_sees_no_site_administration(signed_in_reporter):
    html = signed_in_reporter.get(INDEX).content.decode()
    assert 'id="administration"' not in html
    assert "Newsroom records" in html


def test_the_front_page_makes_a_fixed_number_of_queries(
    signed_in_reporter, django_assert_num_queries
):
    for n in range(15):
        EventFactory(title=f"Waiting {n}", status=Event.Status.IN_REVIEW)
        draft_by(signed_in_reporter, f"Draft {n}")
    # Session, user, the user's and the group's permissions; the review
    # queue's first rows and count; the person's drafts and their count; the
    # person's recent actions.
    with django_assert_num_queries(9):
        assert signed_in_reporter.get(INDEX).status_code == 200
