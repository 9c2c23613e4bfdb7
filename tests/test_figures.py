"""Figures as claims: how each claim reads, what range it allows, and when
claims contradict each other (see the docstring of tracker/models/figures.py).

The dispute rule exists in Python and in SQL; one table of cases drives both,
so the two cannot drift apart."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from tests.factories import ActorFactory, ClaimFactory, EventFactory
from tracker.models import Actor, Event, FigureClaim
from tracker.models.figure_groups import superseded

Metric = FigureClaim.Metric
Population = FigureClaim.Population
Qualifier = FigureClaim.Qualifier


# describe()


@pytest.mark.parametrize(
    ("figures", "expected"),
    [
        pytest.param(
            {"qualifier": Qualifier.EXACT, "best": 32},
            "32 killed",
            id="exact",
        ),
        pytest.param(
            {"qualifier": Qualifier.EXACT, "best": 32, "population": Population.CIVILIANS},
            "32 civilians killed",
            id="population",
        ),
        pytest.param(
            {"qualifier": Qualifier.EXACT, "best": 1, "population": Population.CHILDREN},
            "1 child killed",
            id="one child",
        ),
        pytest.param(
            {"qualifier": Qualifier.EXACT, "best": 2, "population": Population.CHILDREN},
            "2 children killed",
            id="two children",
        ),
        pytest.param(
            {"qualifier": Qualifier.MORE_THAN, "best": 200, "metric": Metric.INJURED},
            "more than 200 injured",
            id="more than",
        ),
        pytest.param(
            {"qualifier": Qualifier.ABOUT, "best": 100},
            "about 100 killed",
            id="about",
        ),
        pytest.param(
            {"qualifier": Qualifier.AT_LEAST, "best": 200, "metric": Metric.INJURED},
            "at least 200 injured",
            id="at least",
        ),
        pytest.param(
            {"qualifier": Qualifier.AT_LEAST, "low": 200, "best": None, "metric": Metric.INJURED},
            "at least 200 injured",
            id="at least with only a low figure",
        ),
        pytest.param(
            {"qualifier": Qualifier.UP_TO, "best": 5000, "metric": Metric.DISPLACED},
            "up to 5,000 displaced",
            id="up to, with a thousands separator",
        ),
        pytest.param(
            {"qualifier": Qualifier.UP_TO, "high": 5000, "best": None, "metric": Metric.DISPLACED},
            "up to 5,000 displaced",
            id="up to with only a high figure",
        ),
        pytest.param(
            {"qualifier": Qualifier.EXACT, "low": 30, "best": None, "high": 40},
            "30 to 40 killed",
            id="exact range",
        ),
        pytest.param(
            {
                "qualifier": Qualifier.EXACT,
                "low": 1,
                "best": None,
                "high": 3,
                "population": Population.CHILDREN,
            },
            "1 to 3 children killed",
            id="range starting at one",
        ),
        pytest.param(
            {"qualifier": Qualifier.EXACT, "best": 32, "metric": Metric.CASUALTIES},
            "32 killed or injured",
            id="killed or injured",
        ),
    ],
)
def test_describe_puts_the_figure_in_words(figures, expected):
    claim = ClaimFactory.build(**figures)

    assert claim.describe() == expected


# bounds


@pytest.mark.parametrize(
    ("figures", "expected"),
    [
        pytest.param({"qualifier": Qualifier.EXACT, "best": 32}, (32, 32), id="exact"),
        pytest.param(
            {"qualifier": Qualifier.EXACT, "low": 30, "best": None, "high": 40},
            (30, 40),
            id="exact range",
        ),
        pytest.param({"qualifier": Qualifier.AT_LEAST, "best": 200}, (200, None), id="at least"),
        pytest.param({"qualifier": Qualifier.MORE_THAN, "best": 200}, (201, None), id="more than"),
        pytest.param(
            {"qualifier": Qualifier.ABOUT, "best": 100}, (90, 110), id="about: 10% either way"
        ),
        pytest.param(
            {"qualifier": Qualifier.ABOUT, "low": 80, "best": 100, "high": 150},
            (80, 150),
            id="about with its own low and high",
        ),
        pytest.param({"qualifier": Qualifier.UP_TO, "best": 5000}, (0, 5000), id="up to"),
        pytest.param(
            {"qualifier": Qualifier.UP_TO, "low": 1000, "best": None, "high": 5000},
            (1000, 5000),
            id="up to with a low figure",
        ),
    ],
)
def test_bounds_are_the_range_the_claim_allows(figures, expected):
    claim = ClaimFactory.build(**figures)

    assert claim.bounds == expected


# Disputes


def exact(best, **extra):
    return {"qualifier": Qualifier.EXACT, "best": best, **extra}


def about(best, **extra):
    return {"qualifier": Qualifier.ABOUT, "best": best, **extra}


def since(day):
    """A running total counted from a day of September 2023."""
    return {"scope": FigureClaim.Scope.RUNNING_TOTAL, "period_start": date(2023, 9, day)}


DISPUTE_CASES = [
    pytest.param(exact(32), about(100), {}, True, id="32 contradicts about 100"),
    pytest.param(
        {"qualifier": Qualifier.MORE_THAN, "best": 200},
        {"qualifier": Qualifier.AT_LEAST, "best": 200},
        {},
        False,
        id="more than 200 agrees with at least 200",
    ),
    pytest.param(about(100), exact(95), {}, False, id="about 100 agrees with 95"),
    pytest.param(about(95), exact(86), {}, False, id="about 95 agrees with 86"),
    pytest.param(about(95), exact(85), {}, True, id="about 95 contradicts 85"),
    pytest.param(
        {"qualifier": Qualifier.MORE_THAN, "best": 200},
        exact(200),
        {},
        True,
        id="more than 200 contradicts exactly 200",
    ),
    pytest.param(
        {"qualifier": Qualifier.UP_TO, "best": 50},
        exact(30),
        {},
        False,
        id="up to 50 agrees with 30",
    ),
    pytest.param(
        {"qualifier": Qualifier.UP_TO, "best": 50},
        exact(60),
        {},
        True,
        id="up to 50 contradicts 60",
    ),
    pytest.param(
        {"qualifier": Qualifier.EXACT, "low": 30, "best": None, "high": 40},
        about(100),
        {},
        True,
        id="30 to 40 contradicts about 100",
    ),
    pytest.param(exact(32), about(100), {"same_claimant": True}, False, id="same claimant twice"),
    pytest.param(
        exact(32, population=Population.CIVILIANS),
        about(100, population=Population.COMBATANTS),
        {},
        False,
        id="civilians and combatants are not compared",
    ),
    pytest.param(
        about(100),
        exact(32, population=Population.CIVILIANS),
        {},
        True,
        id="unspecified people are compared with civilians",
    ),
    pytest.param(
        exact(32, population=Population.CIVILIANS),
        about(100),
        {},
        True,
        id="civilians are compared with unspecified people",
    ),
    pytest.param(
        exact(32, metric=Metric.KILLED),
        about(100, metric=Metric.INJURED),
        {},
        False,
        id="different metrics are not compared",
    ),
    pytest.param(exact(32), about(100), {"same_event": False}, False, id="different events"),
    # Whose casualties: the party whose people a claim counts.
    pytest.param(
        exact(412, population=Population.COMBATANTS, party="Armenian armed forces"),
        exact(280, population=Population.COMBATANTS, party="Azerbaijani armed forces"),
        {},
        False,
        id="two ministries each giving their own side's dead are not compared",
    ),
    pytest.param(
        exact(412, population=Population.COMBATANTS, party="Armenian armed forces"),
        exact(280, population=Population.COMBATANTS, party="Armenian armed forces"),
        {},
        True,
        id="two claimants giving different figures for the same side disagree",
    ),
    pytest.param(
        exact(412, population=Population.COMBATANTS, party="Armenian armed forces"),
        exact(280, population=Population.COMBATANTS),
        {},
        True,
        id="a figure for no named side is compared with a side's",
    ),
    pytest.param(
        exact(280, population=Population.COMBATANTS),
        exact(412, population=Population.COMBATANTS, party="Armenian armed forces"),
        {},
        True,
        id="a side's figure is compared with one for no named side",
    ),
    pytest.param(
        exact(32, party="Armenian armed forces"),
        about(100, population=Population.COMBATANTS),
        {},
        True,
        id="unspecified people of a side are compared with unspecified sides' combatants",
    ),
    # Scope: this event's toll, or a running total since a date.
    pytest.param(
        exact(32),
        exact(400, **since(27)),
        {},
        False,
        id="an event's toll is not compared with a running total",
    ),
    pytest.param(
        exact(300, **since(27)),
        exact(400, **since(27)),
        {},
        True,
        id="running totals of one period stated on one day disagree",
    ),
    pytest.param(
        exact(300, **since(27)),
        exact(400, **since(27), as_of=datetime(2023, 9, 30, 9, 0, tzinfo=UTC)),
        {},
        False,
        id="running totals stated on different days are a series",
    ),
    pytest.param(
        exact(300, **since(27)),
        exact(400, **since(20)),
        {},
        False,
        id="running totals of different periods are not compared",
    ),
    pytest.param(
        # 21:00 UTC on the 28th is already the 29th in Baku (UTC+4).
        exact(300, **since(27), as_of=datetime(2023, 9, 28, 21, 0, tzinfo=UTC)),
        exact(400, **since(27), as_of=datetime(2023, 9, 29, 9, 0, tzinfo=UTC)),
        {},
        True,
        id="running totals stated on one local day are compared across UTC dates",
    ),
    pytest.param(
        # 19:00 UTC on the 28th is still the 28th in Baku; 21:00 is the 29th.
        exact(300, **since(27), as_of=datetime(2023, 9, 28, 19, 0, tzinfo=UTC)),
        exact(400, **since(27), as_of=datetime(2023, 9, 28, 21, 0, tzinfo=UTC)),
        {},
        False,
        id="running totals on one UTC date but two local days are a series",
    ),
    pytest.param(
        exact(300, population=Population.COMBATANTS, party="Armenian armed forces", **since(27)),
        exact(200, population=Population.COMBATANTS, party="Azerbaijani armed forces", **since(27)),
        {},
        False,
        id="running totals of different sides are not compared",
    ),
    # The newsroom's own assessment is shown apart, never one side of a dispute.
    pytest.param(
        exact(32), about(100), {"first_by_newsroom": True}, False, id="our own assessment"
    ),
]


def make_two_claims(
    first, second, *, same_claimant=False, same_event=True, first_by_newsroom=False
):
    event = EventFactory()
    claimant = ActorFactory(is_newsroom=first_by_newsroom)
    first, second = with_parties(first), with_parties(second)
    return (
        ClaimFactory(event=event, claimant=claimant, **first),
        ClaimFactory(
            event=event if same_event else EventFactory(),
            claimant=claimant if same_claimant else ActorFactory(),
            **second,
        ),
    )


def with_parties(figures):
    """The figures with their party named by an actor's name, made when new."""
    if "party" not in figures:
        return figures
    party, _created = Actor.objects.get_or_create(
        name=figures["party"], defaults={"kind": Actor.Kind.ARMED_FORCE}
    )
    return {**figures, "party": party}


@pytest.mark.django_db
@pytest.mark.parametrize(("first", "second", "setup", "disputed"), DISPUTE_CASES)
def test_event_is_disputed_in_python(first, second, setup, disputed):
    claim, _other = make_two_claims(first, second, **setup)

    assert claim.event.is_disputed is disputed


@pytest.mark.django_db
@pytest.mark.parametrize(("first", "second", "setup", "disputed"), DISPUTE_CASES)
def test_figure_group_is_disputed_in_python(first, second, setup, disputed):
    claim, _other = make_two_claims(first, second, **setup)

    groups = claim.event.figure_groups

    assert [group.disputed for group in groups if group.metric == claim.metric] == [disputed]


@pytest.mark.django_db
@pytest.mark.parametrize(("first", "second", "setup", "disputed"), DISPUTE_CASES)
def test_disputed_events_in_sql(first, second, setup, disputed):
    claim, _other = make_two_claims(first, second, **setup)

    assert list(Event.objects.disputed()) == ([claim.event] if disputed else [])


@pytest.mark.django_db
@pytest.mark.parametrize(("first", "second", "setup", "disputed"), DISPUTE_CASES)
def test_undisputed_events_in_sql(first, second, setup, disputed):
    claim, _other = make_two_claims(first, second, **setup)

    assert (claim.event in Event.objects.undisputed()) is not disputed


@pytest.mark.django_db
@pytest.mark.parametrize(("first", "second", "setup", "disputed"), DISPUTE_CASES)
def test_contradicted_claims_in_sql(first, second, setup, disputed):
    claim, other = make_two_claims(first, second, **setup)

    contradicted = set(FigureClaim.objects.contradicted().values_list("pk", flat=True))

    assert contradicted == ({claim.pk, other.pk} if disputed else set())


@pytest.mark.django_db
@pytest.mark.parametrize(("first", "second", "setup", "disputed"), DISPUTE_CASES)
def test_sql_bounds_match_python_bounds(first, second, setup, disputed):
    claim, other = make_two_claims(first, second, **setup)

    in_sql = {
        row.pk: (row.lower_bound, row.upper_bound) for row in FigureClaim.objects.with_bounds()
    }

    assert in_sql == {claim.pk: claim.bounds, other.pk: other.bounds}


@pytest.mark.django_db
def test_a_claim_that_agrees_with_both_sides_of_a_dispute_is_not_contradicted():
    event = EventFactory()
    low, high = ClaimFactory(event=event, **exact(32)), ClaimFactory(event=event, **about(100))
    ClaimFactory(event=event, qualifier=Qualifier.AT_LEAST, best=30)

    contradicted = set(FigureClaim.objects.contradicted().values_list("pk", flat=True))

    assert contradicted == {low.pk, high.pk}


@pytest.mark.django_db
@pytest.mark.parametrize(("first", "second", "setup", "disputed"), DISPUTE_CASES)
def test_claims_contradict_when_compared_and_their_ranges_disagree(first, second, setup, disputed):
    claim, other = make_two_claims(first, second, **setup)

    assert claim.contradicts(other) is (claim.compared_with(other) and claim.disagrees_with(other))
    assert claim.contradicts(other) is disputed


@pytest.mark.django_db
def test_claims_on_different_events_disagree_without_contradicting():
    claim, other = make_two_claims(exact(32), about(100), same_event=False)

    assert claim.disagrees_with(other) is True
    assert claim.contradicts(other) is False


# A claimant's newer figure replaces its older one


def three_claims_where_a_claimant_updates():
    """The authorities said 32, then 100; Vardanyan says about 100."""
    event = EventFactory()
    authorities, vardanyan = ActorFactory(), ActorFactory()
    first = ClaimFactory(event=event, claimant=authorities, best=32)
    update = ClaimFactory(
        event=event,
        claimant=authorities,
        best=100,
        as_of=first.as_of + timedelta(days=1),
    )
    ClaimFactory(event=event, claimant=vardanyan, **about(100))
    return event, first, update


@pytest.mark.django_db
def test_a_claimants_newer_figure_replaces_its_older_one_in_python():
    event, first, _update = three_claims_where_a_claimant_updates()

    [group] = Event.objects.with_details().get(pk=event.pk).figure_groups

    assert group.superseded == [first]
    assert group.disputed is False


@pytest.mark.django_db
def test_a_claimants_newer_figure_replaces_its_older_one_in_sql():
    event, first, update = three_claims_where_a_claimant_updates()

    assert first.pk not in set(FigureClaim.objects.current().values_list("pk", flat=True))
    assert update.pk in set(FigureClaim.objects.current().values_list("pk", flat=True))
    assert not Event.objects.disputed().filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_a_growing_running_toll_is_a_series_not_a_dispute():
    event = EventFactory()
    ministry, ombudsman = ActorFactory(), ActorFactory()
    day = datetime(2023, 9, 28, 9, 0, tzinfo=UTC)
    for n, figure in enumerate([100, 150, 200]):
        ClaimFactory(event=event, claimant=ministry, best=figure, as_of=day + timedelta(days=n))
    ClaimFactory(event=event, claimant=ombudsman, **about(200), as_of=day + timedelta(days=2))
    for claim in FigureClaim.objects.all():
        claim.scope, claim.period_start = FigureClaim.Scope.RUNNING_TOTAL, date(2023, 9, 27)
        claim.save()

    assert Event.objects.with_details().get(pk=event.pk).is_disputed is False
    assert not Event.objects.disputed().exists()


# FigureGroup.summary


@pytest.mark.django_db
def test_a_disputed_group_names_who_disagrees():
    event = EventFactory()
    ClaimFactory(event=event, claimant__name="The authorities", **exact(32, population="civilians"))
    ClaimFactory(event=event, claimant__name="Ruben Vardanyan", **about(100))

    [group] = event.figure_groups

    assert group.summary == (
        "Killed: 32 civilians, according to The authorities; about 100, according to "
        "Ruben Vardanyan"
    )


@pytest.mark.django_db
def test_a_dispute_is_spread_over_the_claims_it_compares_only():
    event = EventFactory()
    ClaimFactory(event=event, claimant__name="A", **about(100, population="civilians"))
    ClaimFactory(event=event, claimant__name="B", **exact(280, population="combatants"))
    ClaimFactory(event=event, claimant__name="C", **exact(412, population="combatants"))

    [group] = event.figure_groups

    assert [(line.text, line.disputed) for line in group.lines] == [
        ("Killed: 280 combatants, according to B; 412 combatants, according to C", True),
        ("about 100 civilians killed", False),
    ]


@pytest.mark.django_db
def test_a_dispute_about_one_side_names_the_side_once():
    event = EventFactory()
    side = ActorFactory(name="Armenian armed forces")
    ClaimFactory(event=event, claimant__name="A", party=side, **exact(412))
    ClaimFactory(event=event, claimant__name="B", party=side, **exact(280))

    [group] = event.figure_groups

    assert group.summary == (
        "Killed (Armenian armed forces): 280, according to B; 412, according to A"
    )


@pytest.mark.django_db
def test_two_sides_tolls_are_shown_apart_and_undisputed():
    event = EventFactory()
    armenian, azerbaijani = (
        ActorFactory(name="Armenian forces"),
        ActorFactory(name="Azerbaijani forces"),
    )
    ClaimFactory(
        event=event,
        claimant__name="MoD Armenia",
        party=armenian,
        **exact(412, population="combatants"),
    )
    ClaimFactory(
        event=event,
        claimant__name="MoD Azerbaijan",
        party=azerbaijani,
        **exact(280, population="combatants"),
    )

    [group] = event.figure_groups

    assert group.disputed is False
    assert [line.text for line in group.lines] == [
        "412 combatants killed (Armenian forces)",
        "280 combatants killed (Azerbaijani forces)",
    ]
    [pair] = group.not_compared
    assert pair.reason == "different sides"


@pytest.mark.django_db
def test_running_totals_of_one_claimant_on_two_days_are_not_listed_as_not_compared():
    event = EventFactory()
    ministry = ActorFactory()
    for n, figure in enumerate([100, 150]):
        ClaimFactory(
            event=event,
            claimant=ministry,
            best=figure,
            as_of=datetime(2023, 9, 28 + n, 9, tzinfo=UTC),
            **since(27),
        )

    [group] = event.figure_groups

    assert group.not_compared == []
    assert group.superseded == []


@pytest.mark.django_db
def test_figures_stated_on_different_days_say_why_they_are_not_compared():
    event = EventFactory()
    ClaimFactory(event=event, best=100, as_of=datetime(2023, 9, 28, 9, tzinfo=UTC), **since(27))
    ClaimFactory(event=event, best=150, as_of=datetime(2023, 9, 29, 9, tzinfo=UTC), **since(27))

    [group] = event.figure_groups

    assert [str(pair.reason) for pair in group.not_compared] == ["stated on different days"]


@pytest.mark.django_db
def test_the_newsroom_assessment_comes_first_and_is_labelled(settings):
    settings.NEWSROOM_NAME = "Our desk"
    event = EventFactory()
    ClaimFactory(event=event, claimant__name="A", **exact(32))
    ClaimFactory(event=event, claimant__name="Desk", claimant__is_newsroom=True, **about(60))
    ClaimFactory(event=event, claimant__name="B", **about(100))

    [group] = event.figure_groups

    assert group.in_reading_order[0].is_newsroom_assessment
    assert [line.text for line in group.lines][0].startswith("Killed: 32, according to A")
    assert "about 60 killed, according to Our desk's own assessment" in group.summary


@pytest.mark.django_db
def test_an_agreeing_group_summarises_with_the_tightest_figure():
    event = EventFactory()
    ClaimFactory(event=event, metric=Metric.INJURED, qualifier=Qualifier.AT_LEAST, best=200)
    ClaimFactory(event=event, metric=Metric.INJURED, qualifier=Qualifier.MORE_THAN, best=200)

    [group] = event.figure_groups

    assert group.summary == "more than 200 injured"


# The newsroom's own assessment


@pytest.mark.django_db
def test_a_claim_by_the_newsroom_is_its_assessment():
    claim = ClaimFactory(claimant=ActorFactory(is_newsroom=True))

    assert claim.is_newsroom_assessment is True


@pytest.mark.django_db
def test_a_claim_by_anyone_else_is_not_the_newsroom_assessment():
    claim = ClaimFactory(claimant=ActorFactory(name="Human Rights Ombudsman"))

    assert claim.is_newsroom_assessment is False


@pytest.mark.django_db
def test_the_newsroom_assessment_is_credited_to_the_newsroom_by_name(settings):
    settings.NEWSROOM_NAME = "The Caucasus Desk"
    claim = ClaimFactory(claimant=ActorFactory(name="Newsroom actor", is_newsroom=True))

    display = claim.claimant_display()

    assert "The Caucasus Desk" in display
    assert "assessment" in display


@pytest.mark.django_db
def test_any_other_claimant_is_credited_by_name():
    claim = ClaimFactory(claimant=ActorFactory(name="Human Rights Ombudsman"))

    assert claim.claimant_display() == "Human Rights Ombudsman"


# Whose casualties and scope, in words


@pytest.mark.django_db
def test_describe_names_the_side_whose_people_are_counted():
    claim = ClaimFactory(party=ActorFactory(name="Armenian armed forces"), best=412)

    assert claim.describe() == "412 killed (Armenian armed forces)"


def test_describe_says_since_when_a_running_total_counts():
    claim = ClaimFactory.build(best=412, **since(27))

    assert claim.describe() == "412 killed since 27 September 2023"


@pytest.mark.parametrize(
    ("figures", "expected"),
    [
        pytest.param(
            {"qualifier": Qualifier.UP_TO, "low": 50, "best": None, "high": 120},
            "50 to 120 missing",
            id="up to with a low figure keeps the low figure",
        ),
        pytest.param(
            {"qualifier": Qualifier.ABOUT, "low": 80, "best": 100, "high": 150},
            "about 100 (80 to 150) missing",
            id="about with its own range",
        ),
        pytest.param(
            {"qualifier": Qualifier.EXACT, "low": 30, "best": 32, "high": 40},
            "32 (30 to 40) missing",
            id="a best figure inside a range",
        ),
        pytest.param(
            {"qualifier": Qualifier.MORE_THAN, "best": 200, "high": 300},
            "more than 200, up to 300 missing",
            id="more than, with a high figure",
        ),
    ],
)
def test_a_claims_whole_range_is_shown(figures, expected):
    claim = ClaimFactory.build(metric=Metric.MISSING, **figures)

    assert claim.describe() == expected


def test_a_claim_is_attributed_to_its_claimant():
    claim = ClaimFactory.build(best=412, claimant=ActorFactory.build(name="MoD Armenia"))

    assert claim.attributed() == "412 killed, according to MoD Armenia"


# Words without a number


@pytest.mark.parametrize(
    ("wording", "qualifier", "low", "best"),
    [
        ("hundreds injured", Qualifier.AT_LEAST, 200, None),
        ("Dozens were killed.", Qualifier.AT_LEAST, 24, None),
        ("tens of thousands displaced", Qualifier.AT_LEAST, 20_000, None),
        ("thousands fled", Qualifier.AT_LEAST, 2_000, None),
        ("a dozen soldiers", Qualifier.ABOUT, None, 12),
    ],
)
def test_words_without_a_number_are_read_by_the_documented_convention(
    wording, qualifier, low, best
):
    claim = ClaimFactory.build(wording=wording, low=None, best=None, high=None)

    claim.clean()

    assert (claim.qualifier, claim.low, claim.best, claim.high) == (qualifier, low, best, None)


def test_a_given_figure_is_never_replaced_by_the_reading_of_its_words():
    claim = ClaimFactory.build(wording="hundreds injured", best=350)

    claim.clean()

    assert (claim.qualifier, claim.low, claim.best) == (Qualifier.EXACT, None, 350)


def test_words_that_say_no_number_still_need_a_figure():
    claim = ClaimFactory.build(wording="many people", low=None, best=None, high=None)

    with pytest.raises(ValidationError) as error:
        claim.clean()

    assert "best" in error.value.message_dict


@pytest.mark.django_db
def test_an_unsaved_figure_at_the_same_time_as_a_saved_one_is_the_claimants_latest():
    saved = ClaimFactory(best=32)
    unsaved = ClaimFactory.build(
        event=saved.event, claimant=saved.claimant, source=saved.source, best=40
    )

    assert superseded([saved, unsaved]) == [saved]
