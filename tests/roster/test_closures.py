"""Closed days and hours in the roster (issue 12): nobody rostered while the centre is closed, and a closed
weekday (a holiday) shortens the week of the contracts that would have worked it, paid or unpaid."""

from __future__ import annotations

import pandas as pd
import pytest
from roster_cases import MONDAY, config, hours_needed, one_shift_config, requirement_staffing

from wfm.roster import closures, roster

WEEKDAYS = {"mon-fri": ["08:00", "18:00"], "sat-sun": "closed"}


def _weekday_centre(holiday: str = "paid", hours: dict | None = WEEKDAYS, holidays=(str(MONDAY),), start="09:00"):
    base = one_shift_config(5, 40, start=start)
    data = base.model_dump(exclude_unset=True)
    data["centre"]["open"] = hours
    data["contracts"][0]["holiday"] = holiday
    data["forecast"] = {"holidays": list(holidays)}
    return type(base).model_validate(data)


def _days_worked(r) -> pd.Series:
    return r.assignments.groupby("agent_id")["date"].nunique()


# three agents 09:00-17:00 Tuesday to Friday; Monday (2026-01-05) is a holiday, the weekend is closed
NEED = hours_needed(*[(d, 9, 17, 3) for d in (1, 2, 3, 4)])


@pytest.mark.parametrize(("holiday", "paid", "holiday_hours"), [("paid", 120.0, 24.0), ("unpaid", 96.0, 0.0)])
def test_a_closed_weekday_gives_nobody_rostered_and_four_day_weeks(holiday, paid, holiday_hours):
    r = roster(requirement_staffing(NEED), _weekday_centre(holiday))
    days = pd.to_datetime(r.assignments["date"]).dt.day_of_week
    assert r.agents == 3 and not (days.isin([0, 5, 6])).any()  # nobody on the holiday or the weekend
    assert (_days_worked(r) == 4).all()  # the 5-day contract works 4 days in the holiday week
    assert r.paid_hours == paid and r.paid_holiday_hours == holiday_hours
    assert r.cost == paid and r.under_agent_intervals == 0 and r.over_agent_intervals == 0


def test_without_the_holiday_the_contract_still_works_five_days():
    """The contrast the issue saw: with no closure the fifth day is worked, over-covered, on Monday."""
    r = roster(requirement_staffing(NEED), _weekday_centre(holidays=()))
    assert (_days_worked(r) == 5).all() and r.paid_hours == 120.0 and r.over_agent_intervals == 3 * 8


def test_a_holiday_with_no_calls_closes_the_day_without_declared_hours():
    """No [centre.open]: a config holiday whose requirement is zero all day is a closed holiday."""
    r = roster(requirement_staffing(NEED), _weekday_centre(hours=None))
    assert (_days_worked(r) == 4).all() and r.paid_hours == 120.0 and r.paid_holiday_hours == 24.0
    assert not (pd.to_datetime(r.assignments["date"]).dt.day_of_week == 0).any()


def test_no_shift_overlaps_the_closed_hours():
    """Open 10:00-18:00: the 08:00-10:00 starts of an 8-hour template would begin in a closed centre."""
    cfg = config(
        centre={"name": "Tiny", "interval_minutes": 60, "open": {"mon-sun": ["10:00", "18:00"]}},
        roster={"time_limit_s": 30, "gap": 0.0, "min_rest_hours": 11},
        contracts=[{"name": "c", "days_per_week": [1, 7], "paid_hours_per_week": [8, 56]}],
        shifts=[{"name": "s", "contracts": ["c"], "start": ["08:00", "12:00"], "start_step_minutes": 60,
                 "length_minutes": 480}],
    )
    need = hours_needed(*[(d, 8, 18, 2) for d in range(7)])  # asks for 08:00-10:00 too: nobody may come
    r = roster(requirement_staffing(need), cfg)
    assert set(r.assignments["start"]) == {"10:00"} and set(r.assignments["end"]) == {"18:00"}
    cov = r.coverage
    assert cov.loc[pd.DatetimeIndex(cov["timestamp"]).hour.isin([8, 9]), "rostered"].eq(0).all()


def test_the_closures_of_a_horizon():
    cfg = _weekday_centre()
    idx = pd.date_range(pd.Timestamp(MONDAY), periods=7 * 24, freq="60min")
    c = closures(cfg, idx, NEED, MONDAY)
    assert c.holidays == frozenset({0}) and c.shut.reshape(7, 24).sum(axis=1).tolist() == [24, 14, 14, 14, 14, 24, 24]


@pytest.mark.parametrize(("open_", "start", "length"), [
    ({"mon-fri": ["08:00", "18:00"], "sat-sun": "closed"}, ["06:00", "07:00"], 480),  # starts before opening
    ({"mon-fri": ["08:00", "14:00"], "sat-sun": "closed"}, ["08:00", "09:00"], 480),  # longer than the day
    ({"mon-sun": [["08:00", "12:00"], ["13:00", "18:00"]]}, ["08:00", "10:00"], 300),  # across the lunch closure
])
def test_a_shift_that_fits_no_open_period_is_a_config_error(open_, start, length):
    from wfm.errors import ConfigError
    from wfm.roster import check_roster_config

    def centre(hours):
        return config(centre={"name": "Tiny", "interval_minutes": 60, "open": hours},
                      contracts=[{"name": "c", "days_per_week": [1, 7], "paid_hours_per_week": [1, 100]}],
                      shifts=[{"name": "early", "contracts": ["c"], "start": start, "start_step_minutes": 60,
                               "length_minutes": length}])

    with pytest.raises(ConfigError, match=r"tiny.toml: shift 'early' \(.*\) fits in no open period of centre.open"):
        check_roster_config(centre(open_))
    check_roster_config(centre({"mon-sun": "24h"}))  # the same shift fits a 24-hour day
