"""Bad input, tried systematically (hypothesis): figure claims, the
timeline's and the API's parameters, Markdown, and source URLs."""

import html
import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.provisional import urls

from tests.factories import ActorFactory, ClaimFactory, EventFactory
from timeline.templatetags.timeline import markdown, plain_text
from tracker.links import normalise_url
from tracker.models import Actor, FigureClaim

# Text as it can arrive over HTTP: any Unicode except lone surrogates, which
# no UTF-8 request can carry.
TEXT = st.text(st.characters(blacklist_categories=["Cs"]), max_size=60)
FIGURE = st.none() | st.integers(min_value=0, max_value=10**9)
WITH_FIXTURES = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def unsaved_claim(claimant_id, metric, population, qualifier, low, best, high):
    return FigureClaim(
        event_id=1,
        claimant=Actor(pk=claimant_id, name=f"Claimant {claimant_id}"),
        metric=metric,
        population=population,
        qualifier=qualifier,
        low=low,
        best=best,
        high=high,
    )


CLAIMS = st.builds(
    unsaved_claim,
    claimant_id=st.sampled_from([1, 2, 3]),
    metric=st.sampled_from(FigureClaim.Metric.values),
    population=st.sampled_from(FigureClaim.Population.values),
    qualifier=st.sampled_from(FigureClaim.Qualifier.values),
    low=FIGURE,
    best=FIGURE,
    high=FIGURE,
)


def in_order(low, best, high):
    given_figures = [n for n in (low, best, high) if n is not None]
    return bool(given_figures) and given_figures == sorted(given_figures)


def exact_with_a_range(qualifier, low, best, high):
    """'Exactly 10' with a low or high figure other than 10."""
    exact = qualifier == FigureClaim.Qualifier.EXACT and best is not None
    return exact and any(n is not None and n != best for n in (low, high))


def allowed(claim):
    """Figures given and in order, "more than N" leaves room below its high,
    and an exact figure is not also a range."""
    if not in_order(claim.low, claim.best, claim.high):
        return False
    if exact_with_a_range(claim.qualifier, claim.low, claim.best, claim.high):
        return False
    stated = next(n for n in (claim.low, claim.best, claim.high) if n is not None)
    more_than = claim.qualifier == FigureClaim.Qualifier.MORE_THAN
    return not (more_than and claim.high is not None and claim.high <= stated)


# Figure claims.


@given(claim=CLAIMS)
@settings(max_examples=100)
def test_a_claim_is_valid_exactly_when_its_figures_are_given_in_order_with_room(claim):
    try:
        claim.clean()
        valid = True
    except ValidationError:
        valid = False
    assert valid is allowed(claim)


@given(claim=CLAIMS.filter(allowed))
@settings(max_examples=100)
def test_a_valid_claim_allows_some_number(claim):
    lower, upper = claim.bounds
    assert upper is None or lower <= upper


@given(claim=CLAIMS.filter(lambda c: in_order(c.low, c.best, c.high)))
@settings(max_examples=100)
def test_every_valid_claim_can_be_put_in_words(claim):
    words = claim.describe()
    assert isinstance(words, str)
    assert words.endswith(claim.get_metric_display())
    assert "None" not in words


@given(a=CLAIMS.filter(lambda c: in_order(c.low, c.best, c.high)), b=CLAIMS)
@settings(max_examples=100)
def test_the_dispute_rule_is_symmetric(a, b):
    b.low, b.best, b.high = a.low, a.best, a.high
    assert a.disagrees_with(b) is b.disagrees_with(a)


@given(
    a=CLAIMS.filter(lambda c: in_order(c.low, c.best, c.high)),
    b=CLAIMS.filter(lambda c: in_order(c.low, c.best, c.high)),
)
@settings(max_examples=100)
def test_claims_by_one_claimant_or_on_different_metrics_never_dispute(a, b):
    if a.claimant_id == b.claimant_id or a.metric != b.metric:
        assert not a.contradicts(b)
    assert a.contradicts(b) is b.contradicts(a)


@pytest.mark.django_db
@given(low=FIGURE, best=FIGURE, high=FIGURE)
@WITH_FIXTURES
def test_the_database_refuses_exactly_the_claims_clean_refuses(low, best, high):
    event, claimant = EventFactory(), ActorFactory()
    claim = ClaimFactory.build(event=event, claimant=claimant, low=low, best=best, high=high)
    claim.source.save()
    try:
        with transaction.atomic():
            claim.save()
        stored = True
    except IntegrityError:
        stored = False
    exact = FigureClaim.Qualifier.EXACT
    assert stored is (in_order(low, best, high) and not exact_with_a_range(exact, low, best, high))


# The timeline's and the API's parameters.

PARAMETER_NAMES = st.sampled_from(
    ["q", "kind", "actor", "place", "date_from", "date_to", "disputed", "has_figures", "key"]
    + ["conflict", "order", "page", "on", "cursor", "page_size", "updated_since", "format"]
)
# What str.isdigit() accepts and int() does not (superscripts, circled
# digits), digits of other scripts that int() reads, and the NUL byte, which
# PostgreSQL refuses in text.
DIGITISH = st.text(st.sampled_from("0123456789²³¹①⑨٣०߃\x00-+ "), min_size=1, max_size=6)
VALUES = TEXT | DIGITISH
PARAMETERS = st.dictionaries(
    PARAMETER_NAMES | TEXT, VALUES | st.lists(VALUES, max_size=3), max_size=5
)


@pytest.fixture
def record(db):
    ClaimFactory(event=EventFactory(slug="ceasefire", summary="Talks **resumed**."))


@given(params=PARAMETERS)
@example(params={"q": "\x00"})
@example(params={"date_from": "99999-01-01", "kind": ["ceasefire", "nonsense"]})
@example(params={"actor": "1e309", "place": "-1", "on": "2023-02-30"})
@WITH_FIXTURES
def test_no_timeline_parameters_cause_a_server_error(client, record, params):
    for path in ["/conflicts/nagorno-karabakh/", "/conflicts/nagorno-karabakh/embed/"]:
        assert client.get(path, params).status_code < 500


@given(params=PARAMETERS)
@example(params={"page": "²"})
@example(params={"page": "①"})
@example(params={"page": "9" * 5000})
@WITH_FIXTURES
def test_no_parameters_of_a_search_by_relevance_cause_a_server_error(client, record, params):
    search = {**params, "q": "ceasefire", "order": "relevance"}
    assert client.get("/conflicts/nagorno-karabakh/", search).status_code < 500


# Every part of a path that names a record.
KEYS = (TEXT | DIGITISH).filter(lambda key: key.strip("/. ") != "")
RECORD_PATHS = [
    "/conflicts/{}/",
    "/conflicts/nagorno-karabakh/events/{}/",
    "/conflicts/{}/figures/",
    "/conflicts/{}/feed.atom",
    "/conflicts/{}/events.csv",
    "/api/v1/conflicts/{}/",
    "/api/v1/events/{}/",
    "/api/v1/actors/{}/",
    "/api/v1/places/{}/",
    "/api/v1/sources/{}/",
]


@given(key=KEYS)
@example(key="\x00")
@example(key="a\x00b")
@example(key="²")
@example(key="①")
@WITH_FIXTURES
def test_no_key_in_a_path_causes_a_server_error(client, record, key):
    for path in RECORD_PATHS:
        url = path.format(quote(key, safe=""))
        assert client.get(url).status_code < 500, url


@given(params=PARAMETERS)
@example(params={"q": "\x00", "updated_since": "\x00"})
@example(params={"cursor": "garbage", "page_size": "-5"})
@example(params={"actor": "²", "place": "①", "cursor": "\x00"})
@WITH_FIXTURES
def test_no_api_parameters_cause_a_server_error(client, record, params):
    for path in ["/api/v1/events/", "/conflicts/nagorno-karabakh/events.csv"]:
        assert client.get(path, params).status_code < 500


# Markdown.

HOSTILE = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x]( javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "<a href='java\tscript:alert(1)'>x</a>",
        "![x](javascript:alert(1))",
        "<svg onload=alert(1)>",
        "<iframe src=//evil.example>",
        "<style>body{}</style>",
        '"><b onmouseover=alert(1)>',
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "<details open ontoggle=alert(1)>",
        "`<script>`",
        "<",
        ">",
        '"',
        "\n\n",
        "**",
        "](",
        "<http://example.org>",
    ]
)
MARKDOWN = st.lists(HOSTILE | TEXT, max_size=8).map("".join)


class Tags(HTMLParser):
    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def scheme(url):
    """The scheme a browser reads in a link, as the URL standard parses it:
    entities decoded, leading and trailing spaces and control characters
    dropped, tabs and newlines anywhere removed, in any case."""
    text = html.unescape(url or "").strip("".join(map(chr, range(0x21))))
    text = re.sub(r"[\t\n\r]", "", text).lower()
    match = re.match(r"([a-z][a-z0-9+.-]*):", text)
    return match.group(1) if match else ""


@given(text=MARKDOWN)
@settings(max_examples=200)
def test_markdown_never_emits_a_script_an_event_handler_or_a_script_link(text):
    rendered = str(markdown(text))
    for tag, attrs in Tags(rendered).tags:
        assert tag not in {"script", "style", "iframe", "svg", "object", "embed"}, rendered
        for name, value in attrs:
            assert not name.startswith("on"), rendered
            if name in {"href", "src"}:
                assert scheme(value) in {"", "http", "https", "mailto"}, rendered


@given(text=MARKDOWN)
@settings(max_examples=100)
def test_markdown_as_plain_text_is_one_line_of_words(text):
    # For attributes such as the page description, which the template escapes.
    words = plain_text(text)
    assert words == " ".join(words.split())


# Source URLs.


@given(url=TEXT)
@example(url="http://[]/")
@example(url="http://[::1]:99999/")
@example(url="http://user@:80")
@settings(max_examples=200)
def test_normalising_any_text_never_crashes(url):
    assert isinstance(normalise_url(url), str)


URLISH = st.builds(
    "{}://{}{}".format,
    st.sampled_from(["http", "HTTPS", "Http"]),
    st.sampled_from(["example.org", "EXAMPLE.org:80", "news.example.com:8443", "[::1]"]),
    TEXT,
)


@given(url=urls() | URLISH)
@example(url="HTTP://Example.ORG:80/a?utm_source=x&b=1#top")
@example(url="http://example.org/0\x08#")
@settings(max_examples=200)
def test_normalising_a_url_is_idempotent(url):
    once = normalise_url(url)
    assert normalise_url(once) == once
