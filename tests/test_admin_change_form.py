"""The change form of an event with many figures stays light: its queries
do not grow with the figures, and each field's help is said once above the
figures rather than in every figure."""

import pytest
from django.urls import reverse

from tests.factories import CitationFactory, ClaimFactory, EventFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def event_with(claims):
    event = EventFactory(status="published")
    for _ in range(claims):
        ClaimFactory(event=event)
    for _ in range(3):
        CitationFactory(event=event)
        ParticipantFactory(event=event)
    return event


def change_form(client, event):
    return client.get(reverse("admin:tracker_event_change", args=[event.pk]))


def test_the_change_form_makes_as_many_queries_for_fifty_figures_as_for_two(
    administrator_client, django_assert_max_num_queries
):
    change_form(administrator_client, event_with(1))  # what any page reads once is read
    counts = []
    for claims in (2, 50):
        event = event_with(claims)
        with django_assert_max_num_queries(30) as captured:
            response = change_form(administrator_client, event)
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_fifty_figures_say_each_fields_help_once_and_keep_every_field_editable(
    administrator_client,
):
    event = event_with(50)
    page = change_form(administrator_client, event).content.decode()
    # "Where we read it." is the help of a figure's source, and of a citation's.
    assert page.count("Lowest figure claimed.") == 1
    # Fifty claims, a blank one and the template of another.
    assert page.count('aria-describedby="claims-help-low"') == 52
    assert 'id="claims-help-low"' in page
    for name in ("claimant", "source", "metric", "best", "as_of_0", "grade", "note"):
        assert f'name="claims-49-{name}"' in page
    assert 'name="claims-49-DELETE"' in page
    assert 'name="claims-49-seen_version"' in page


def test_the_figures_of_an_event_shown_read_only_show_each_value_under_its_label(
    reporter_client,
):
    # A reporter may read a published event's form but not change it.
    event = EventFactory(status="published")
    ClaimFactory(event=event, wording="Thirty-two civilians", best=32)
    page = change_form(reporter_client, event).content.decode()
    assert 'name="claims-0-wording"' not in page
    assert (
        '<div class="claim-field field-wording"><label>Wording</label>'
        '<div class="readonly">Thirty-two civilians</div></div>'
    ) in page
    assert "&#x27;help_text&#x27;" not in page
