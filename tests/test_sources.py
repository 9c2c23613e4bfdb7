"""Source hygiene: one article is one source, however its URL was pasted."""

import pytest
from django.urls import reverse

from tests.factories import CitationFactory, ClaimFactory, EventFactory, SourceFactory
from tracker.links import normalise_url
from tracker.models import Source

ADD_URL = reverse("admin:tracker_source_add")


@pytest.mark.parametrize(
    ("pasted", "kept"),
    [
        ("  https://news.example.org/story  ", "https://news.example.org/story"),
        ("HTTPS://News.Example.ORG/Story", "https://news.example.org/Story"),
        ("https://news.example.org", "https://news.example.org/"),
        ("https://news.example.org:443/story", "https://news.example.org/story"),
        ("http://news.example.org:80/story", "http://news.example.org/story"),
        ("https://news.example.org:8443/story", "https://news.example.org:8443/story"),
        ("http://news.example.org:443/story", "http://news.example.org:443/story"),
        ("https://news.example.org/story#comments", "https://news.example.org/story"),
        (
            "https://news.example.org/story?utm_source=twitter&utm_medium=social",
            "https://news.example.org/story",
        ),
        (
            "https://news.example.org/story?id=7&UTM_Campaign=x&page=2",
            "https://news.example.org/story?id=7&page=2",
        ),
        ("https://news.example.org/story?fbclid=IwAR0abc", "https://news.example.org/story"),
        ("https://news.example.org/story?gclid=abc&p=1", "https://news.example.org/story?p=1"),
        (
            "https://news.example.org/story?mc_cid=1&mc_eid=2&q=a%20b",
            "https://news.example.org/story?q=a%20b",
        ),
        ("https://news.example.org/story?b=2&a=1", "https://news.example.org/story?b=2&a=1"),
        ("https://news.example.org/story?flag", "https://news.example.org/story?flag"),
        ("https://news.example.org/story?", "https://news.example.org/story"),
        ("https://user@News.Example.org/x", "https://user@news.example.org/x"),
        ("https://[2001:DB8::1]:443/x", "https://[2001:db8::1]/x"),
        ("", ""),
    ],
)
def test_urls_are_normalised(pasted, kept):
    assert normalise_url(pasted) == kept


@pytest.mark.django_db
def test_a_source_is_saved_under_its_normalised_url():
    source = SourceFactory(url="HTTPS://News.Example.org:443/story?utm_source=x&id=1#top")
    assert Source.objects.get(pk=source.pk).url == "https://news.example.org/story?id=1"


@pytest.mark.django_db
def test_a_duplicate_url_is_refused_with_a_link_to_the_existing_source(administrator_client):
    existing = SourceFactory(title="Ceasefire takes effect", url="https://news.example.org/story")
    data = {
        "title": "Same story, from a newsletter",
        "url": "https://NEWS.example.org/story?utm_source=newsletter&utm_medium=email",
        "kind": "news",
        "published_at_0": "",
        "published_at_1": "",
        "accessed_at_0": "",
        "accessed_at_1": "",
    }
    response = administrator_client.post(ADD_URL, data)
    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["url"]
    link = reverse("admin:tracker_source_change", args=[existing.pk])
    assert f'<a href="{link}">Ceasefire takes effect (Newswire)</a>' in response.content.decode()
    assert "already a source" in error
    assert Source.objects.count() == 1


@pytest.mark.django_db
def test_a_source_keeps_its_own_url_when_edited(administrator_client):
    source = SourceFactory(url="https://news.example.org/story")
    data = {
        "title": "Renamed",
        "url": "https://news.example.org/story",
        "kind": "news",
        "published_at_0": "",
        "published_at_1": "",
        "accessed_at_0": "2023-09-21",
        "accessed_at_1": "10:00",
    }
    url = reverse("admin:tracker_source_change", args=[source.pk])
    assert administrator_client.post(url, data).status_code == 302
    source.refresh_from_db()
    assert source.title == "Renamed"
    assert source.accessed_at is not None


@pytest.mark.django_db
def test_the_source_page_lists_every_event_and_claim_citing_it(administrator_client):
    source = SourceFactory()
    cited = CitationFactory(source=source, event=EventFactory(title="Talks in Yevlakh")).event
    claim = ClaimFactory(source=source, event=EventFactory(title="Shelling of Stepanakert"))
    EventFactory(title="Unrelated strike")
    html = administrator_client.get(
        reverse("admin:tracker_source_change", args=[source.pk])
    ).content.decode()
    assert reverse("admin:tracker_event_change", args=[cited.pk]) in html
    assert "Talks in Yevlakh" in html
    assert reverse("admin:tracker_event_change", args=[claim.event.pk]) in html
    assert "32 killed" in html
    assert "Unrelated strike" not in html
