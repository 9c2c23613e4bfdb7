"""Figures as claims: how each claim reads, what range it allows, and when
claims contradict each other (see the docstring of tracker/models/figures.py).

The dispute rule exists in Python and in SQL; one table of cases drives both,
so the two cannot drift apart."""

import pytest

from tests.factories import ActorFactory, ClaimFactory, EventFactory
from tracker.models import Event, FigureClaim

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
]


def make_two_claims(first, second, *, same_claimant=False, same_event=True):
    event = EventFactory()
    claimant = ActorFactory()
    return (
        ClaimFactory(event=event, claimant=claimant, **first),
        ClaimFactory(
            event=event if same_event else EventFactory(),
            claimant=claimant if same_claimant else ActorFactory(),
            **second,
        ),
    )


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
def test_claims_disagree_where_they_would_contradict_on_one_event(first, second, setup, disputed):
    claim, other = make_two_claims(first, second, **{**setup, "same_event": True})

    assert claim.disagrees_with(other) is claim.contradicts(other)


@pytest.mark.django_db
def test_claims_on_different_events_disagree_without_contradicting():
    claim, other = make_two_claims(exact(32), about(100), same_event=False)

    assert claim.disagrees_with(other) is True
    assert claim.contradicts(other) is False


# FigureGroup.summary


@pytest.mark.django_db
def test_a_disputed_group_summarises_the_spread():
    event = EventFactory()
    ClaimFactory(event=event, **exact(32, population=Population.CIVILIANS))
    ClaimFactory(event=event, **about(100))

    [group] = event.figure_groups

    assert group.summary == "32 civilians to about 100 killed"


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
