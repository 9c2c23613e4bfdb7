"""The figures page: every claimant's figures on a metric and population over
time, as a chart and as a table, and the geometry behind the chart."""

import io
import re
import zoneinfo
from datetime import UTC, date, datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.factories import ActorFactory, ClaimFactory, ConflictFactory, EventFactory
from timeline import charts
from timeline.charts import Series, date_ticks, figure_trends, plotted_value, value_ticks
from tracker.dates import Precision
from tracker.models import Conflict, Event, FigureClaim

pytestmark = pytest.mark.django_db

BAKU = zoneinfo.ZoneInfo("Asia/Baku")
Qualifier = FigureClaim.Qualifier
Population = FigureClaim.Population


def baku(*args):
    return datetime(*args, tzinfo=BAKU)


def figures_url(conflict):
    return reverse("timeline:figures", args=[conflict.slug])


def trends_of(conflict):
    return figure_trends(FigureClaim.objects.filter(event__conflict=conflict), BAKU)


def disputed_badge_in(html):
    return '<strong class="badge">disputed</strong>' in html


# Series, first, latest and spread


def test_each_claimant_is_one_series_in_as_of_order():
    conflict = ConflictFactory()
    authorities, ombudsman = ActorFactory(name="Authorities"), ActorFactory(name="Ombudsman")
    event = EventFactory(conflict=conflict)
    ClaimFactory(event=event, claimant=authorities, best=64, as_of=baku(2023, 9, 23))
    ClaimFactory(event=event, claimant=ombudsman, best=40, as_of=baku(2023, 9, 21))
    ClaimFactory(event=event, claimant=authorities, best=32, as_of=baku(2023, 9, 20))

    [trend] = figure_trends(FigureClaim.objects.order_by("-as_of"), BAKU)

    assert [(s.name, [c.best for c in s.claims]) for s in trend.series] == [
        ("Authorities", [32, 64]),
        ("Ombudsman", [40]),
    ]


def test_figures_are_charted_by_what_they_count():
    conflict = ConflictFactory()
    event = EventFactory(conflict=conflict)
    side = ActorFactory(name="Armenian armed forces")
    ClaimFactory(event=event, metric="injured", population=Population.CIVILIANS)
    ClaimFactory(event=event, metric="killed", population=Population.CIVILIANS)
    ClaimFactory(event=event, metric="killed", population=Population.COMBATANTS, party=side)
    ClaimFactory(
        event=event,
        metric="killed",
        population=Population.COMBATANTS,
        party=side,
        scope=FigureClaim.Scope.RUNNING_TOTAL,
        period_start=date(2023, 9, 19),
    )

    titles = [trend.title for trend in trends_of(conflict)]

    assert titles == [
        "Killed, civilians",
        "Killed, combatants (Armenian armed forces)",
        "Killed, combatants (Armenian armed forces), running total since 19 September 2023",
        "Injured, civilians",
    ]


def test_a_figure_of_unspecified_people_is_drawn_marked_on_the_charts_it_may_count():
    conflict = ConflictFactory()
    event = EventFactory(conflict=conflict)
    civilians = ClaimFactory(event=event, best=32, population=Population.CIVILIANS)
    people = ClaimFactory(event=event, best=100, qualifier=Qualifier.ABOUT)

    [trend] = trends_of(conflict)

    assert trend.title == "Killed, civilians"
    assert trend.rows == [(civilians, False), (people, True)]
    assert trend.disputed is True


def test_a_figure_of_unspecified_people_has_its_own_chart_when_nothing_is_more_specific():
    conflict = ConflictFactory()
    ClaimFactory(event=EventFactory(conflict=conflict), best=100)

    assert [trend.title for trend in trends_of(conflict)] == ["Killed, people (not specified)"]


def test_the_demos_headline_dispute_is_on_one_chart(client):
    call_command("load_demo", stdout=io.StringIO())
    conflict = Conflict.objects.get()

    killed = [trend for trend in trends_of(conflict) if trend.key[0] == "killed"]

    assert [trend.title for trend in killed] == [
        "Killed, civilians (Armenian population of Nagorno-Karabakh)"
    ]
    assert killed[0].disputed is True
    assert {claim.claimant.name for claim in killed[0].claims} == {
        "Nagorno-Karabakh regional authorities",
        "Ruben Vardanyan",
    }


def test_one_claimants_tolls_of_two_incidents_are_points_not_a_line():
    conflict = ConflictFactory()
    claimant = ActorFactory()
    ClaimFactory(event=EventFactory(conflict=conflict), claimant=claimant, best=32)
    ClaimFactory(
        event=EventFactory(conflict=conflict), claimant=claimant, best=14, as_of=baku(2023, 9, 25)
    )

    [trend] = trends_of(conflict)

    assert trend.chart.lines[0].path == ""
    assert len(trend.chart.lines[0].points) == 2


def test_the_updates_of_one_incidents_toll_form_a_line():
    conflict = ConflictFactory()
    event, claimant = EventFactory(conflict=conflict), ActorFactory()
    ClaimFactory(event=event, claimant=claimant, best=32)
    ClaimFactory(event=event, claimant=claimant, best=40, as_of=baku(2023, 9, 25))

    [trend] = trends_of(conflict)

    assert trend.chart.lines[0].path.count("M") == 1


def test_running_totals_by_side_chart_each_sides_figures_per_claimant():
    conflict = ConflictFactory()
    event = EventFactory(conflict=conflict)
    armenian, azerbaijani = (
        ActorFactory(name="Armenian forces"),
        ActorFactory(name="Azerbaijani forces"),
    )
    running = {"scope": FigureClaim.Scope.RUNNING_TOTAL, "period_start": date(2023, 9, 19)}
    for day, figure in [(20, 100), (21, 150)]:
        ClaimFactory(
            event=event,
            claimant__name=f"MoD {day}",
            party=armenian,
            best=figure,
            as_of=baku(2023, 9, day),
            **running,
        )
    ClaimFactory(
        event=event,
        claimant__name="MoD Az",
        party=azerbaijani,
        best=80,
        as_of=baku(2023, 9, 21),
        **running,
    )

    by_side = trends_of(conflict)[-1]

    assert by_side.title == "Running totals by side: killed"
    assert [series.name for series in by_side.series] == [
        "Armenian forces, according to MoD 20",
        "Armenian forces, according to MoD 21",
        "Azerbaijani forces, according to MoD Az",
    ]
    assert by_side.disputed is False


def test_a_claimant_keeps_its_style_on_every_chart():
    conflict = ConflictFactory()
    event = EventFactory(conflict=conflict)
    authorities = ActorFactory()
    ClaimFactory(event=event, as_of=baku(2023, 9, 19))
    ClaimFactory(event=event, claimant=authorities, metric="killed", as_of=baku(2023, 9, 20))
    ClaimFactory(event=event, claimant=authorities, metric="injured", as_of=baku(2023, 9, 21))

    killed, injured = trends_of(conflict)

    assert killed.series[1].style == injured.series[0].style == 1


RUNNING = {"scope": FigureClaim.Scope.RUNNING_TOTAL, "period_start": date(2023, 9, 19)}


def test_the_page_gives_each_claimants_first_and_latest_running_total(client):
    event = EventFactory()
    authorities = ActorFactory(name="Regional authorities")
    for day, figure in [(20, 32), (21, 41), (23, 64)]:
        ClaimFactory(
            event=event, claimant=authorities, best=figure, as_of=baku(2023, 9, day), **RUNNING
        )

    html = client.get(figures_url(event.conflict)).content.decode()

    assert re.search(r"first 32 <span class=\"meta\">\(20 September 2023\)</span>", html)
    assert re.search(r"latest 64 <span class=\"meta\">\(23 September 2023\)</span>", html)


def test_the_spread_runs_from_the_lowest_to_the_highest_latest_running_total():
    conflict = ConflictFactory()
    event = EventFactory(conflict=conflict)
    authorities, vardanyan = ActorFactory(), ActorFactory()
    ClaimFactory(event=event, claimant=authorities, best=500, as_of=baku(2023, 9, 19), **RUNNING)
    ClaimFactory(event=event, claimant=authorities, best=32, as_of=baku(2023, 9, 20), **RUNNING)
    ClaimFactory(event=event, claimant=vardanyan, best=100, qualifier=Qualifier.ABOUT, **RUNNING)

    [trend] = trends_of(conflict)

    assert trend.spread == "32 to about 100"


def test_a_single_latest_figure_is_its_own_spread():
    event = EventFactory()
    ClaimFactory(event=event, best=200, qualifier=Qualifier.MORE_THAN)

    [trend] = trends_of(event.conflict)

    assert trend.spread == "more than 200"


# Disputes


def test_contradicting_latest_figures_are_marked_disputed(client):
    event = EventFactory()
    ClaimFactory(event=event, best=32)
    ClaimFactory(event=event, best=100, qualifier=Qualifier.ABOUT)

    html = client.get(figures_url(event.conflict)).content.decode()

    assert disputed_badge_in(html)
    assert 'class="trend is-disputed"' in html


def test_figures_that_contradicted_only_earlier_are_not_marked_disputed(client):
    event = EventFactory()
    authorities = ActorFactory()
    ClaimFactory(event=event, claimant=authorities, best=32, as_of=baku(2023, 9, 20))
    ClaimFactory(event=event, claimant=authorities, best=95, as_of=baku(2023, 9, 22))
    ClaimFactory(event=event, best=100, qualifier=Qualifier.ABOUT, as_of=baku(2023, 9, 21))

    html = client.get(figures_url(event.conflict)).content.decode()

    assert not disputed_badge_in(html)
    assert "is-disputed" not in html


def test_tolls_of_different_incidents_never_dispute_each_other():
    conflict = ConflictFactory()
    ClaimFactory(event=EventFactory(conflict=conflict), best=32)
    ClaimFactory(event=EventFactory(conflict=conflict), best=100, qualifier=Qualifier.ABOUT)

    [trend] = trends_of(conflict)

    assert trend.disputed is False


# What is shown


@pytest.mark.parametrize(
    ("status", "note"),
    [
        (Event.Status.DRAFT, ""),
        (Event.Status.IN_REVIEW, ""),
        (Event.Status.RETRACTED, "The figures were invented."),
    ],
)
def test_claims_on_unpublished_events_are_never_shown(client, status, note):
    conflict = ConflictFactory()
    ClaimFactory(event=EventFactory(conflict=conflict), claimant=ActorFactory(name="Seen"))
    hidden = EventFactory(conflict=conflict, status=status, retraction_note=note, title="Hidden")
    ClaimFactory(event=hidden, claimant=ActorFactory(name="Unseen"), best=9999, wording="secret")

    html = client.get(figures_url(conflict)).content.decode()

    assert "Seen" in html
    for text in ["Unseen", "9,999", "secret", "Hidden", hidden.get_absolute_url()]:
        assert text not in html


def test_claims_in_other_conflicts_are_not_shown(client):
    conflict = ConflictFactory()
    ClaimFactory(event=EventFactory(conflict=conflict))
    elsewhere = ConflictFactory(slug="elsewhere", name="Elsewhere")
    ClaimFactory(event=EventFactory(conflict=elsewhere), claimant=ActorFactory(name="Far away"))

    html = client.get(figures_url(conflict)).content.decode()

    assert "Far away" not in html


def test_each_point_links_to_the_event_of_its_claim_with_a_title(client):
    event = EventFactory(title="Casualty report")
    ClaimFactory(
        event=event,
        claimant=ActorFactory(name="Regional authorities"),
        population=Population.CIVILIANS,
        best=32,
        wording="32 civilian fatalities",
        as_of=datetime(2023, 9, 19, 21, 0, tzinfo=UTC),
    )

    html = client.get(figures_url(event.conflict)).content.decode()
    start = html.index('<svg class="chart"')
    chart = html[start : html.index("</svg>", start)]

    assert re.search(
        rf'<a href="{event.get_absolute_url()}">\s*<title>Regional authorities, '
        r"20 September 2023, 01:00 UTC\+4: 32 civilians killed — “32 civilian fatalities”</title>",
        chart,
    )


def test_the_table_gives_every_figure_with_its_source_and_event(client):
    event = EventFactory(title="Casualty report")
    ClaimFactory(
        event=event,
        claimant=ActorFactory(name="Regional authorities"),
        population=Population.CIVILIANS,
        best=32,
        as_of=datetime(2023, 9, 19, 21, 0, tzinfo=UTC),
        source__title="Ceasefire article",
        source__url="https://news.example.org/ceasefire",
    )

    html = client.get(figures_url(event.conflict)).content.decode()
    table = html[html.index('<table class="trend-claims">') : html.index("</table>")]

    assert "<caption>Killed, civilians: every figure, by claimant</caption>" in table
    assert '<th scope="col">Who claims it</th>' in table
    assert '<th scope="row">Regional authorities</th>' in table
    assert "20 September 2023, 01:00 UTC+4" in table
    assert "32 civilians killed" in table
    assert '<a href="https://news.example.org/ceasefire" rel="nofollow noopener">' in table
    assert f'<a href="{event.get_absolute_url()}">Casualty report</a>' in table


def test_the_chart_has_a_text_alternative(client):
    event = EventFactory()
    ClaimFactory(event=event, claimant__name="A", best=32, population=Population.CIVILIANS)
    ClaimFactory(event=event, claimant__name="B", best=30, population=Population.CIVILIANS)
    ClaimFactory(
        event=event, claimant__name="C", best=100, population="civilians", qualifier="about"
    )

    html = client.get(figures_url(event.conflict)).content.decode()

    assert 'aria-labelledby="chart-killed-civilians-title chart-killed-civilians-desc"' in html
    assert '<title id="chart-killed-civilians-title">Killed, civilians, over time' in html
    assert (
        '<desc id="chart-killed-civilians-desc">Killed, civilians: 3 claimants; 3 figures on '
        "1 event. Disputed: Killed: 30 civilians, according to B; 32 civilians, according "
        "to A; about 100 civilians, according to C.</desc>"
    ) in html


def test_the_page_shows_the_methodology_and_links_back_to_the_timeline(client):
    conflict = ConflictFactory(methodology="We keep every figure as a **claim**.")

    html = client.get(figures_url(conflict)).content.decode()

    assert "We keep every figure as a <strong>claim</strong>." in html
    assert f'href="{conflict.get_absolute_url()}"' in html


def test_the_timeline_links_to_the_figures_page(client):
    conflict = ConflictFactory()

    html = client.get(conflict.get_absolute_url()).content.decode()

    assert f'href="{figures_url(conflict)}"' in html


def test_it_says_so_when_no_figures_are_published(client):
    conflict = ConflictFactory()
    ClaimFactory(event=EventFactory(conflict=conflict, status=Event.Status.DRAFT))

    html = client.get(figures_url(conflict)).content.decode()

    assert "No figures have been published for this conflict yet." in html
    assert "<svg" not in html


def test_the_page_loads_in_a_fixed_number_of_queries(client, django_assert_num_queries):
    conflict = ConflictFactory()
    for day in (20, 21, 22):
        event = EventFactory(conflict=conflict, starts_at=baku(2023, 9, day))
        for metric in ("killed", "injured"):
            ClaimFactory.create_batch(3, event=event, metric=metric, as_of=baku(2023, 9, day))

    # 1. the conflict
    # 2. the claims on its published events, with event, conflict, claimant and source
    # 3. the newsroom's look, until it is in the cache
    with django_assert_num_queries(3):
        response = client.get(figures_url(conflict))

    assert response.content.decode().count("<tr>") == 2 * 3 * 3 + 2  # rows and headers


def test_a_figure_moves_to_the_figures_page_of_its_events_new_conflict(client):
    claim = ClaimFactory(event__conflict=ConflictFactory(slug="first"), wording="Forty dead")
    event = Event.objects.get(pk=claim.event_id)
    elsewhere = ConflictFactory(slug="elsewhere", timezone="Asia/Baku")

    event.conflict = elsewhere
    event.save()

    assert "Forty dead" not in client.get(figures_url(Conflict.objects.get(slug="first"))).text
    assert "Forty dead" in client.get(figures_url(elsewhere)).text


def test_an_unknown_conflict_is_not_found(client):
    assert client.get("/conflicts/no-such-conflict/figures/").status_code == 404


def test_the_page_sets_no_cookie(client):
    event = EventFactory()
    ClaimFactory(event=event)

    response = client.get(figures_url(event.conflict))

    assert "Set-Cookie" not in response.headers
    assert not response.cookies


# Chart geometry


@pytest.mark.parametrize(
    ("maximum", "ticks"),
    [
        (0, [0, 1]),
        (1, [0, 1]),
        (3, [0, 1, 2, 3]),
        (7, [0, 2, 4, 6, 8]),
        (12, [0, 5, 10, 15]),
        (32, [0, 10, 20, 30, 40]),
        (35.5, [0, 10, 20, 30, 40]),
        (100, [0, 20, 40, 60, 80, 100]),
        (110, [0, 25, 50, 75, 100, 125]),
        (100_500, [0, 25_000, 50_000, 75_000, 100_000, 125_000]),
    ],
)
def test_value_ticks_are_round_and_start_at_zero(maximum, ticks):
    assert value_ticks(maximum) == ticks


def test_date_ticks_are_local_midnights_every_day_for_a_short_span():
    start, end = datetime(2023, 9, 19, 8, 0, tzinfo=UTC), datetime(2023, 9, 21, 8, 0, tzinfo=UTC)

    assert date_ticks(start, end, BAKU) == ([baku(2023, 9, 20), baku(2023, 9, 21)], Precision.DAY)


def test_date_ticks_space_out_to_weeks():
    assert date_ticks(baku(2023, 9, 1), baku(2023, 9, 20), BAKU) == (
        [baku(2023, 9, 1), baku(2023, 9, 8), baku(2023, 9, 15)],
        Precision.DAY,
    )


def test_date_ticks_fall_on_months_for_a_long_span():
    assert date_ticks(baku(2023, 1, 15), baku(2023, 12, 15), BAKU) == (
        [baku(2023, 4, 1), baku(2023, 7, 1), baku(2023, 10, 1)],
        Precision.MONTH,
    )


def test_date_ticks_fall_on_years_for_years():
    assert date_ticks(baku(2020, 3, 1), baku(2023, 3, 1), BAKU) == (
        [baku(2021, 1, 1), baku(2022, 1, 1), baku(2023, 1, 1)],
        Precision.YEAR,
    )


def test_date_ticks_fall_on_decades_for_decades():
    ticks, precision = date_ticks(baku(1975, 1, 1), baku(2024, 1, 1), BAKU)

    assert [moment.year for moment in ticks] == [1980, 1990, 2000, 2010, 2020]
    assert precision == Precision.YEAR


@pytest.mark.parametrize(
    ("figures", "value"),
    [
        pytest.param({"best": 32}, 32, id="the best figure"),
        pytest.param({"qualifier": Qualifier.ABOUT, "best": 100}, 100, id="about: the best"),
        pytest.param({"low": 30, "best": None, "high": 40}, 35, id="a range: its middle"),
        pytest.param(
            {"qualifier": Qualifier.UP_TO, "best": None, "high": 50}, 25, id="up to: the middle"
        ),
        pytest.param(
            {"qualifier": Qualifier.AT_LEAST, "low": 200, "best": None},
            200,
            id="no upper end: the lower",
        ),
    ],
)
def test_where_a_claim_is_plotted(figures, value):
    assert plotted_value(ClaimFactory.build(**figures)) == value


def chart_of(*claims):
    return charts.Chart([Series("Claimant", 0, list(claims))], BAKU)


def test_points_are_placed_by_time_and_value():
    early = ClaimFactory(best=0, as_of=baku(2023, 9, 20))
    late = ClaimFactory(best=40, as_of=baku(2023, 9, 25))

    chart = chart_of(early, late)
    first, second = chart.lines[0].points

    assert chart.left < first.x < second.x < chart.right
    assert first.y == chart.bottom
    assert second.y == chart.top  # 40 is the top tick
    assert chart.lines[0].path == f"M{first.x:g},{first.y:g} L{second.x:g},{second.y:g}"


def test_a_lone_point_is_drawn_without_a_line():
    chart = chart_of(ClaimFactory(best=32))

    assert chart.lines[0].path == ""
    assert len(chart.lines[0].points) == 1


def test_an_open_ended_figure_gets_an_arrow_up():
    chart = chart_of(ClaimFactory(qualifier=Qualifier.MORE_THAN, best=200))
    [point] = chart.lines[0].points

    assert point.arrow
    assert not point.band


def test_a_figure_with_a_low_and_a_high_is_drawn_as_a_band():
    chart = chart_of(ClaimFactory(low=30, best=None, high=40, as_of=baku(2023, 9, 20)))
    [point] = chart.lines[0].points

    assert point.band == (
        f"M{point.x - 3:g},{chart.y(40):g}H{point.x + 3:g}V{chart.y(30):g}H{point.x - 3:g}Z"
    )
    assert not point.arrow


@pytest.mark.parametrize(
    "figures",
    [
        pytest.param({"qualifier": Qualifier.ABOUT, "best": 100}, id="about"),
        pytest.param({"qualifier": Qualifier.UP_TO, "best": 50}, id="up to"),
    ],
)
def test_a_figure_that_allows_a_range_is_drawn_as_a_band(figures):
    [point] = chart_of(ClaimFactory(**figures)).lines[0].points

    assert point.band
    assert not point.arrow


def test_an_exact_figure_is_a_point_alone():
    [point] = chart_of(ClaimFactory(best=32)).lines[0].points

    assert (point.band, point.arrow) == ("", "")


def test_an_outlier_is_drawn_off_the_top_of_the_scale_and_keeps_the_rest_readable():
    chart = chart_of(
        ClaimFactory.build(best=32, as_of=baku(2023, 9, 20)),
        ClaimFactory.build(best=99_999_999_999_999, as_of=baku(2023, 9, 21)),
    )
    low, outlier = chart.lines[0].points

    assert chart.value_max == 40
    assert outlier.off_scale and outlier.y == chart.top and outlier.arrow
    assert not low.off_scale


def test_the_first_claimants_differ_in_colour_marker_and_dashes():
    styles = [Series("Claimant", style) for style in range(charts.STYLES)]

    assert len({series.colour for series in styles}) == charts.STYLES
    assert len({series.dashes for series in styles}) == charts.STYLES
    assert len({series.swatch_marker for series in styles}) == charts.STYLES


def test_more_claimants_than_colours_still_differ_in_colour_or_dashes():
    styles = [Series("Claimant", style) for style in range(charts.STYLES * 3)]

    assert len({(series.colour, series.dashes) for series in styles}) == len(styles)


def test_the_page_shows_the_most_recent_figures_and_points_to_all_of_them(client, monkeypatch):
    from timeline import views

    monkeypatch.setattr(views, "FIGURES_SHOWN", 2)
    conflict = ConflictFactory()
    event, claimant = EventFactory(conflict=conflict), ActorFactory()
    for day, best in [(18, 5), (19, 7), (20, 9)]:
        ClaimFactory(
            event=event, claimant=claimant, best=best, as_of=baku(2023, 9, day, 12), **RUNNING
        )

    html = client.get(figures_url(conflict)).content.decode()

    assert "These charts show the 2 most recent figures, reported since 19 September 2023" in html
    assert reverse("timeline:claims_csv", args=[conflict.slug]) in html
    assert "first 7" in html and "latest 9" in html
    assert ">5<" not in html.split("<table", 1)[1]


def test_the_page_says_nothing_of_a_limit_when_everything_is_shown(client):
    ClaimFactory(event=EventFactory(), best=5)

    html = client.get(figures_url(ConflictFactory())).content.decode()

    assert "most recent figures" not in html


def test_the_methodology_lists_how_words_without_a_number_are_read(client):
    conflict = ConflictFactory()

    html = client.get(figures_url(conflict)).content.decode()

    assert "<li>“hundreds”: at least 200</li>" in html
    assert "<li>“a dozen”: about 12</li>" in html
    assert "When figures are compared" in html
