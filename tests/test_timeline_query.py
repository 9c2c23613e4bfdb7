import pytest
from django.http import QueryDict
from django.template import RequestContext, Template
from django.test import RequestFactory

from timeline.query import TimelineQuery


def querystring_tag(query, arguments):
    request = RequestFactory().get("/" + query)
    return Template("{% querystring " + arguments + " %}").render(
        RequestContext(request, autoescape=False)
    )


@pytest.mark.parametrize("query", ["", "?kind=strike", "?order=newest&kind=a&kind=b&after=1-2"])
@pytest.mark.parametrize(
    ("changes", "arguments"),
    [
        ({"page": 2}, "page=2"),
        ({"order": "newest", "after": None, "page": None}, "order='newest' after=None page=None"),
        ({"order": None, "after": None}, "order=None after=None"),
    ],
)
def test_a_changed_query_is_written_as_djangos_querystring_writes_it(query, changes, arguments):
    params = QueryDict(query.removeprefix("?"))

    assert TimelineQuery(params).with_(**changes) == querystring_tag(query, arguments)


def test_the_suffix_keeps_the_filters_and_drops_position_order_and_strangers():
    params = QueryDict(
        "kind=strike&order=newest&after=1-2&on=2020-01-01&page=3&utm_source=x&key=true"
    )

    assert TimelineQuery(params).suffix == "?kind=strike&key=true"


def test_without_filters_the_suffix_is_empty():
    assert TimelineQuery(QueryDict("order=newest&page=2")).suffix == ""


def test_jump_to_date_keeps_everything_but_the_position():
    params = QueryDict("kind=a&kind=b&order=newest&after=1-2&on=2020-01-01&page=3")

    assert TimelineQuery(params).kept_by_jump == [("kind", "a"), ("kind", "b"), ("order", "newest")]


def test_a_request_builds_its_query_once():
    request = RequestFactory().get("/?kind=strike")

    assert TimelineQuery.of(request) is TimelineQuery.of(request)
