"""Each lever of wfm.whatif.levers.LEVERS alone, on a hand-made shortfall: the cost it restores it at (worked
out by hand from the lever's settings), and a shortfall it cannot reach (lever unused, nothing spent).

The base is the small centre of tests/whatif/small.py (two days, hourly; A..C 08-16 and D..F 10-18 on both days,
G 08-16 on day 1 only). ``required`` and ``base`` are set by hand, so only the lever under test decides.
"""

from __future__ import annotations

import sys

import numpy as np
import pytest

from wfm import whatif as W
from wfm.whatif.people import people
from wfm.whatif.scenario import parse_scenarios
from whatif.small import small_config, small_forecast, small_roster

T = 48  # intervals: two days of hours


def recover(levers: dict, short_at: dict[int, float]):
    """Recover with only ``levers`` from nobody on the phones to ``short_at`` ({interval: agents})."""
    plan = W.make_plan(small_config(), small_forecast(), small_roster())
    scenario = parse_scenarios({"scenario": [{"name": "s", "levers": levers}]})[0]
    required = np.zeros(T)
    for t, n in short_at.items():
        required[t] = n
    base = np.zeros(T)
    shocked = W.Shocked(plan.forecast, np.zeros(2), np.full(T, np.inf))
    crew = people(plan.shifts, plan.dates, shocked.absence)
    return W.recover(plan, scenario, None, required, base, shocked, crew, gap=0.0)


def still_short(rec, short_at: dict[int, float]) -> float:
    return sum(max(n - rec.rostered[t], 0.0) for t, n in short_at.items())


# --------------------------------------------------------------------------- back office
def test_back_office_restores_one_agent_at_its_handle_time_factor():
    # one agent short at 10:00 on day 1: 1.25 back-office people (factor 1.25) make one agent, and people come
    # whole: 2 of them for an hour at 2.0 = 4.0, 1.6 agents on the phones
    rec = recover({"back_office": {"handle_time_factor": 1.25, "cost_per_hour": 2.0}}, {10: 1})
    assert rec.status == "optimal" and still_short(rec, {10: 1}) == pytest.approx(0)
    assert rec.usage["back_office"].iloc[10] == 2
    assert rec.cost_by_lever == {"back_office": pytest.approx(4.0)}
    assert rec.back_office_peak == 2


def test_back_office_not_used_outside_its_hours():
    rec = recover({"back_office": {"hours": ["08:00", "20:00"]}}, {22: 1})
    assert rec.usage["back_office"].sum() == 0 and rec.cost == 0 and still_short(rec, {22: 1}) == 1


# --------------------------------------------------------------------------- agency
def test_agency_restores_two_agents_for_an_hour():
    # two agents short at 10:00: 2 agency agents x 1 h x 3.0 = 6.0
    rec = recover({"agency": {"max_agents": 2, "cost_per_hour": 3.0}}, {10: 2})
    assert still_short(rec, {10: 2}) == pytest.approx(0)
    assert rec.usage["agency"].iloc[10] == pytest.approx(2)
    assert rec.cost_by_lever == {"agency": pytest.approx(6.0)}


def test_agency_not_used_outside_its_hours():
    rec = recover({"agency": {"max_agents": 2, "hours": ["13:00", "15:00"]}}, {10: 2})
    assert rec.usage["agency"].sum() == 0 and rec.cost == 0 and still_short(rec, {10: 2}) == 2


# --------------------------------------------------------------------------- overtime
def test_overtime_extends_a_shift_by_an_hour():
    # one agent short at 16:00 on day 1, just after A..C (and G) end: one of them stays an hour at 1.5
    rec = recover({"overtime": {"max_hours_per_day": 2, "cost_per_hour": 1.5}}, {16: 1})
    assert still_short(rec, {16: 1}) == pytest.approx(0)
    assert rec.usage["overtime"].iloc[16] == pytest.approx(1) and rec.usage["overtime"].sum() == pytest.approx(1)
    assert rec.cost_by_lever == {"overtime": pytest.approx(1.5)}
    assert rec.hours["overtime"].tolist() == [1.0, 0.0]


def test_overtime_not_used_away_from_any_shift():
    rec = recover({"overtime": {"max_hours_per_day": 2}}, {3: 1})  # 03:00: no shift starts or ends nearby
    assert rec.usage["overtime"].sum() == 0 and rec.cost == 0 and still_short(rec, {3: 1}) == 1


# --------------------------------------------------------------------------- rest days
def test_rest_days_cancels_one_for_a_whole_shift():
    # one agent short at 10:00 on day 2, when G is off: G works one 8 h shift (1 h unpaid break) at 1.5 = 10.5
    rec = recover({"rest_days": {"per_month": 8, "floor": 4, "cost_per_hour": 1.5}}, {24 + 10: 1})
    assert still_short(rec, {24 + 10: 1}) == pytest.approx(0)
    assert rec.rest_days_cancelled == 1
    assert rec.hours["rest_days"].tolist() == [0.0, 7.0]
    assert rec.cost_by_lever == {"rest_days": pytest.approx(10.5)}


def test_rest_days_night_shift_books_its_hours_on_the_days_worked():
    """G off on day 1 (works day 2 instead); one agent short at 01:00 on day 2. Only a 22:00-06:00 night
    shift from day 1 covers it: on the phones 22-24 on day 1 (2 h) and 00-02 and 03-06 on day 2 (5 h; the
    unpaid break 02-03), so its 7 paid hours (10.5 at 1.5) are booked 2 on day 1 and 5 on day 2."""
    import copy

    from wfm.config import parse_config
    from whatif.small import CONFIG, DAYS

    raw = copy.deepcopy(CONFIG)
    raw.setdefault("roster", {})["min_rest_hours"] = 2  # the night shift ends 06:00, G's day-2 shift starts 08:00
    raw["shifts"].append({"name": "night", "contracts": ["full_time"], "start": ["22:00", "22:00"],
                          "length_minutes": 480,
                          "breaks": [{"minutes": 60, "paid": False, "window": ["04:00", "05:00"]}]})
    roster = small_roster()
    roster.loc[roster["agent_id"] == "G", "date"] = DAYS[1]
    plan = W.make_plan(parse_config(raw, source="night.toml"), small_forecast(), roster)
    scenario = parse_scenarios({"scenario": [{"name": "s", "levers": {
        "rest_days": {"per_month": 8, "floor": 4, "cost_per_hour": 1.5}}}]})[0]
    required = np.zeros(T)
    required[24 + 1] = 1
    shocked = W.Shocked(plan.forecast, np.zeros(2), np.full(T, np.inf))
    rec = W.recover(plan, scenario, None, required, np.zeros(T), shocked, people(plan.shifts, plan.dates), gap=0.0)
    assert still_short(rec, {24 + 1: 1}) == pytest.approx(0)
    assert rec.hours["rest_days"].tolist() == [2.0, 5.0]
    assert rec.hours["rest_days_cancelled"].tolist() == [1, 0]  # cancelled on the day it starts
    assert rec.cost_by_lever == {"rest_days": pytest.approx(10.5)}


def test_rest_days_not_used_when_nobody_is_off():
    rec = recover({"rest_days": {"per_month": 8, "floor": 4}}, {10: 1})  # day 1: all seven work
    assert rec.rest_days_cancelled == 0 and rec.cost == 0 and still_short(rec, {10: 1}) == 1


# --------------------------------------------------------------------------- every lever has its tests
def test_every_lever_has_a_restoring_and_an_unused_test():
    names = [n for n in vars(sys.modules[__name__]) if n.startswith("test_")]
    for lever in W.LEVERS:
        mine = [n for n in names if n.startswith(f"test_{lever.name}_")]
        assert any("not_used" in n for n in mine), lever.name
        assert any("not_used" not in n for n in mine), lever.name
    assert [lever.name for lever in W.LEVERS] == ["back_office", "agency", "overtime", "rest_days"]
    assert set(W.LABELS) == {"back_office", "agency", "overtime", "rest_days", "reoptimise"}
