"""Times as a newsroom states them: in the conflict's local time, with its
offset, and no more precise than what is known."""

import zoneinfo
from datetime import UTC, datetime

import pytest

from tests.factories import ConflictFactory, EventFactory
from tracker.dates import (
    Precision,
    format_moment,
    format_reported_at,
    format_short_date,
    format_span,
    machine_date,
    truncate,
)

BAKU = zoneinfo.ZoneInfo("Asia/Baku")
KOLKATA = zoneinfo.ZoneInfo("Asia/Kolkata")
SAO_PAULO = zoneinfo.ZoneInfo("America/Sao_Paulo")
ST_JOHNS = zoneinfo.ZoneInfo("America/St_Johns")
KYIV = zoneinfo.ZoneInfo("Europe/Kyiv")

# 13:00 in Baku (UTC+4), when the 2023 ceasefire took effect.
CEASEFIRE = datetime(2023, 9, 20, 9, 0, tzinfo=UTC)


# machine_date


@pytest.mark.parametrize(
    ("precision", "expected"),
    [
        ("year", "2023"),
        ("month", "2023-09"),
        ("day", "2023-09-20"),
        ("hour", "2023-09-20T13:00:00+04:00"),
        ("minute", "2023-09-20T13:00:00+04:00"),
    ],
)
def test_machine_date_is_iso_8601_at_the_precision(precision, expected):
    assert machine_date(CEASEFIRE, precision, BAKU) == expected


def test_machine_date_of_a_day_is_the_local_day_not_the_utc_one():
    # Local midnight of 27 September in Baku is 20:00 UTC on the 26th.
    midnight = datetime(2023, 9, 26, 20, 0, tzinfo=UTC)
    assert machine_date(midnight, "day", BAKU) == "2023-09-27"


def test_machine_date_gives_the_local_month_and_year_at_their_turn():
    new_year = datetime(2019, 12, 31, 20, 0, tzinfo=UTC)
    assert machine_date(new_year, "month", BAKU) == "2020-01"
    assert machine_date(new_year, "year", BAKU) == "2020"


def test_machine_date_cuts_to_the_hour_with_the_offset_of_a_half_hour_zone():
    assert machine_date(datetime(2023, 9, 20, 9, 47, tzinfo=UTC), "hour", KOLKATA) == (
        "2023-09-20T15:00:00+05:30"
    )


def test_machine_date_keeps_the_minute_with_a_negative_offset():
    assert machine_date(datetime(2023, 7, 1, 15, 5, 30, tzinfo=UTC), "minute", SAO_PAULO) == (
        "2023-07-01T12:05:00-03:00"
    )


# format_moment


@pytest.mark.parametrize(
    ("precision", "expected"),
    [
        (Precision.MINUTE, "20 September 2023, 13:00 UTC+4"),
        (Precision.HOUR, "20 September 2023, 13:00 UTC+4"),
        (Precision.DAY, "20 September 2023"),
        (Precision.MONTH, "September 2023"),
        (Precision.YEAR, "2023"),
    ],
)
def test_format_moment_shows_no_more_than_the_precision(precision, expected):
    assert format_moment(CEASEFIRE, precision, BAKU) == expected


def test_format_moment_never_shows_midnight_for_a_day():
    local_midnight = datetime(2023, 9, 20, tzinfo=BAKU)

    text = format_moment(local_midnight, Precision.DAY, BAKU)

    assert "00:00" not in text
    assert text == "20 September 2023"


def test_format_moment_shows_the_date_in_local_time_not_in_utc():
    late_evening_utc = datetime(2023, 9, 19, 22, 0, tzinfo=UTC)

    assert format_moment(late_evening_utc, Precision.DAY, BAKU) == "20 September 2023"


def test_format_moment_shows_an_offset_with_minutes():
    assert format_moment(CEASEFIRE, Precision.MINUTE, KOLKATA) == (
        "20 September 2023, 14:30 IST (UTC+5:30)"
    )


def test_format_moment_shows_a_negative_offset():
    assert format_moment(CEASEFIRE, Precision.MINUTE, SAO_PAULO) == (
        "20 September 2023, 06:00 UTC-3"
    )


def test_format_moment_shows_a_negative_offset_with_minutes():
    assert format_moment(CEASEFIRE, Precision.MINUTE, ST_JOHNS) == (
        "20 September 2023, 06:30 NDT (UTC-2:30)"
    )


def test_format_moment_names_a_zone_with_a_lettered_abbreviation():
    summer = datetime(2023, 7, 1, 9, 0, tzinfo=UTC)

    assert format_moment(summer, Precision.MINUTE, KYIV) == "1 July 2023, 12:00 EEST (UTC+3)"


def test_format_moment_follows_the_offset_in_force_in_winter():
    winter = datetime(2023, 1, 10, 9, 0, tzinfo=UTC)

    assert format_moment(winter, Precision.MINUTE, KYIV) == "10 January 2023, 11:00 EET (UTC+2)"


def test_format_moment_shows_plain_utc_without_an_offset():
    assert format_moment(CEASEFIRE, Precision.MINUTE, UTC) == "20 September 2023, 09:00 UTC"


# truncate


def test_truncate_keeps_the_local_date_of_a_day_not_the_utc_one():
    two_in_the_morning_in_baku = datetime(2023, 9, 20, 2, 0, tzinfo=BAKU)

    stored = truncate(two_in_the_morning_in_baku, Precision.DAY, BAKU)

    assert stored == datetime(2023, 9, 20, 0, 0, tzinfo=BAKU)
    assert stored.astimezone(UTC) == datetime(2023, 9, 19, 20, 0, tzinfo=UTC)


def test_truncate_drops_seconds_at_minute_precision():
    moment = datetime(2023, 9, 20, 9, 0, 42, 500, tzinfo=UTC)

    assert truncate(moment, Precision.MINUTE, BAKU) == CEASEFIRE


def test_truncate_cuts_to_the_local_hour_in_a_half_hour_zone():
    moment = datetime(2023, 9, 20, 9, 37, tzinfo=UTC)  # 15:07 in Kolkata

    assert truncate(moment, Precision.HOUR, KOLKATA) == datetime(2023, 9, 20, 9, 30, tzinfo=UTC)


def test_truncate_to_the_day_uses_the_offset_at_midnight_after_clocks_go_forward():
    # Kyiv moved from UTC+2 to UTC+3 at 03:00 on 26 March 2023.
    afternoon = datetime(2023, 3, 26, 12, 0, tzinfo=KYIV)

    stored = truncate(afternoon, Precision.DAY, KYIV)

    assert stored.astimezone(UTC) == datetime(2023, 3, 25, 22, 0, tzinfo=UTC)


def test_truncate_to_the_month_uses_the_offset_on_the_first_of_the_month():
    summer_time = datetime(2023, 3, 30, 12, 0, tzinfo=KYIV)

    stored = truncate(summer_time, Precision.MONTH, KYIV)

    assert stored.astimezone(UTC) == datetime(2023, 2, 28, 22, 0, tzinfo=UTC)


def test_truncate_to_the_year_is_local_new_year():
    stored = truncate(CEASEFIRE, Precision.YEAR, BAKU)

    assert stored.astimezone(UTC) == datetime(2022, 12, 31, 20, 0, tzinfo=UTC)


def test_truncate_keeps_a_minute_in_the_repeated_hour_when_clocks_go_back():
    # Kyiv went from 04:00 UTC+3 back to 03:00 UTC+2 on 29 October 2023, so
    # 03:30 happened twice; this is the second one, at 01:30 UTC.
    second_half_past_three = datetime(2023, 10, 29, 1, 30, tzinfo=UTC)

    stored = truncate(second_half_past_three, Precision.MINUTE, KYIV)

    # Compared in UTC: Python never finds an ambiguous local time equal to
    # a moment in another zone.
    assert stored.astimezone(UTC) == second_half_past_three


def test_truncate_keeps_the_hour_in_the_repeated_hour_when_clocks_go_back():
    second_half_past_three = datetime(2023, 10, 29, 1, 30, tzinfo=UTC)

    stored = truncate(second_half_past_three, Precision.HOUR, KYIV)

    assert stored.astimezone(UTC) == datetime(2023, 10, 29, 1, 0, tzinfo=UTC)


# format_span


def test_format_span_without_an_end_is_the_moment():
    assert format_span(CEASEFIRE, None, Precision.MINUTE, BAKU) == (
        "20 September 2023, 13:00 UTC+4"
    )


def test_format_span_on_one_day_gives_the_date_once():
    ends_at = datetime(2023, 9, 20, 11, 0, tzinfo=UTC)

    assert format_span(CEASEFIRE, ends_at, Precision.MINUTE, BAKU) == (
        "20 September 2023, 13:00–15:00 UTC+4"
    )


def test_format_span_over_several_days_gives_both_dates():
    starts_at = datetime(2023, 9, 19, tzinfo=BAKU)
    ends_at = datetime(2023, 9, 20, tzinfo=BAKU)

    assert format_span(starts_at, ends_at, Precision.DAY, BAKU) == (
        "19 September 2023 – 20 September 2023"
    )


def test_format_span_within_one_day_at_day_precision_is_that_day():
    ends_at = datetime(2023, 9, 20, 15, 0, tzinfo=UTC)

    assert format_span(CEASEFIRE, ends_at, Precision.DAY, BAKU) == "20 September 2023"


def test_format_span_over_midnight_at_minute_precision_gives_both_dates_and_times():
    ends_at = datetime(2023, 9, 21, 5, 0, tzinfo=UTC)

    assert format_span(CEASEFIRE, ends_at, Precision.MINUTE, BAKU) == (
        "20 September 2023, 13:00 UTC+4 – 21 September 2023, 09:00 UTC+4"
    )


# format_reported_at


def test_format_reported_at_local_midnight_shows_only_the_date():
    assert format_reported_at(datetime(2023, 9, 20, tzinfo=BAKU), BAKU) == "20 September 2023"


def test_format_reported_at_utc_midnight_is_not_local_midnight():
    assert format_reported_at(datetime(2023, 9, 20, tzinfo=UTC), BAKU) == (
        "20 September 2023, 04:00 UTC+4"
    )


def test_format_reported_at_any_other_time_shows_the_time():
    assert format_reported_at(CEASEFIRE, BAKU) == "20 September 2023, 13:00 UTC+4"


# format_short_date


@pytest.mark.parametrize(
    ("precision", "expected"),
    [(Precision.DAY, "20 Sep 2023"), (Precision.MONTH, "Sep 2023"), (Precision.YEAR, "2023")],
)
def test_format_short_date_is_brief(precision, expected):
    assert format_short_date(CEASEFIRE, precision, BAKU) == expected


def test_format_short_date_gives_the_local_date():
    # 22:00 UTC on the 19th is 02:00 on the 20th in Baku.
    assert format_short_date(datetime(2023, 9, 19, 22, 0, tzinfo=UTC), "day", BAKU) == "20 Sep 2023"


# Event


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("precision", "stored"),
    [
        (Precision.MINUTE, datetime(2023, 9, 20, 9, 37, tzinfo=UTC)),
        (Precision.HOUR, datetime(2023, 9, 20, 9, 0, tzinfo=UTC)),
        (Precision.DAY, datetime(2023, 9, 19, 20, 0, tzinfo=UTC)),
        (Precision.MONTH, datetime(2023, 8, 31, 20, 0, tzinfo=UTC)),
        (Precision.YEAR, datetime(2022, 12, 31, 20, 0, tzinfo=UTC)),
    ],
)
def test_saving_an_event_cuts_its_start_to_its_precision_in_local_time(precision, stored):
    event = EventFactory(
        starts_at=datetime(2023, 9, 20, 9, 37, 15, tzinfo=UTC), precision=precision
    )

    event.refresh_from_db()

    assert event.starts_at == stored


@pytest.mark.django_db
def test_saving_an_event_cuts_to_the_hour_of_the_conflicts_own_zone():
    conflict = ConflictFactory(name="Manipur violence", slug="manipur", timezone="Asia/Kolkata")

    event = EventFactory(
        conflict=conflict,
        starts_at=datetime(2023, 9, 20, 9, 37, tzinfo=UTC),
        precision=Precision.HOUR,
    )

    assert event.starts_at == datetime(2023, 9, 20, 9, 30, tzinfo=UTC)


@pytest.mark.django_db
def test_saving_a_minute_precision_event_in_the_repeated_hour_keeps_its_time():
    conflict = ConflictFactory(name="Russia-Ukraine war", slug="ukraine", timezone="Europe/Kyiv")
    second_half_past_three = datetime(2023, 10, 29, 1, 30, tzinfo=UTC)

    event = EventFactory(
        conflict=conflict, starts_at=second_half_past_three, precision=Precision.MINUTE
    )
    event.refresh_from_db()

    assert event.starts_at == second_half_past_three


@pytest.mark.django_db
def test_saving_an_event_cuts_its_end_to_its_precision_too():
    event = EventFactory(
        starts_at=CEASEFIRE,
        ends_at=datetime(2023, 9, 21, 15, 45, tzinfo=UTC),
        precision=Precision.DAY,
    )

    event.refresh_from_db()

    assert event.ends_at == datetime(2023, 9, 20, 20, 0, tzinfo=UTC)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("precision", "local_day"),
    [
        (Precision.MINUTE, "20 September 2023"),
        (Precision.HOUR, "20 September 2023"),
        (Precision.DAY, "20 September 2023"),
        (Precision.MONTH, "September 2023"),
        (Precision.YEAR, "2023"),
    ],
)
def test_an_event_sits_under_its_local_day_month_or_year(precision, local_day):
    event = EventFactory(starts_at=CEASEFIRE, precision=precision)

    assert event.local_day == local_day


@pytest.mark.django_db
def test_an_event_late_in_the_utc_evening_sits_under_the_next_local_day():
    event = EventFactory(starts_at=datetime(2023, 9, 19, 21, 30, tzinfo=UTC))

    assert event.local_day == "20 September 2023"
