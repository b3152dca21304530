"""wfm.whatif.recovery: the least-cost recovery over the levers, together, on a whole scenario."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wfm import whatif as W
from wfm.whatif.scenario import parse_scenarios
from whatif.small import (
    DAYS,
    SURGE,
    hours_of,
    lever_gain,
    plan,
    run,
    scenario,
    small_config,
)


def test_back_office_only_in_its_hours_and_counts_as_a_fraction():
    gain, res = lever_gain({"back_office": {"hours": ["09:00", "12:00"], "handle_time_factor": 1.25}})
    h = hours_of(plan())
    assert (gain[(h < 9) | (h >= 12)] == 0).all()
    assert gain.max() > 0
    people = res.recovery.usage["back_office"].to_numpy()
    assert np.allclose(gain, people / 1.25)
    assert people.max() <= 4
    assert res.recovery.hours["back_office"].sum() == pytest.approx(people.sum())


def test_back_office_roles_and_daily_hours_limit():
    _, res = lever_gain({"back_office": {"roles": ["planning"], "max_hours_per_day": 2}})
    people = res.recovery.usage["back_office"].to_numpy()
    assert people.max() == pytest.approx(1)  # one planner
    hours = res.recovery.hours["back_office"].to_numpy()
    assert (hours <= 2 + 1e-6).all() and hours.max() == pytest.approx(2)  # 2 h a day each


def test_overtime_only_next_to_published_shifts():
    gain, res = lever_gain({"overtime": {"max_hours_per_day": 1, "max_hours_per_week": 5}})
    h = hours_of(plan())
    # shifts start 08/10 and end 16/18: one hour before a start or after an end
    allowed = np.isin(h, [7, 9, 16, 18])
    assert (gain[~allowed] == 0).all()
    assert gain.max() > 0
    # 09:00 extension before the 10:00 start: at most the 3 agents starting then; 1 h cap per agent per day
    assert gain[9] <= 3 and gain[24 + 9] <= 3
    assert res.recovery.hours["overtime"].sum() <= 7 * 5


def test_overtime_daily_cap_is_per_agent():
    """With 2 h a day, an agent may do 2 h after, or 1 h before and 1 h after, never 2 + 2."""
    _, res = lever_gain({"overtime": {"max_hours_per_day": 2, "max_hours_per_week": 100}})
    use = res.recovery.usage["overtime"].to_numpy()
    # group D-F (10:00-18:00, 3 agents on day 1): before-depth k plus after-depth (3-k) <= 3 agents
    assert use[8] + use[19] <= 3 and use[9] + use[18] <= 3
    assert res.recovery.hours["overtime"].sum() > 0


def test_rest_days_only_where_someone_is_off():
    gain, res = lever_gain({"rest_days": {"per_month": 8, "floor": 4, "cost_per_hour": 1.5}})
    assert (gain[:24] == 0).all()  # everyone works day 1: no rest day to cancel
    assert gain[24:].max() == 1  # G, off on day 2, works one extra shift
    day2 = gain[24:]
    assert set(np.flatnonzero(day2)) <= set(range(8, 18))
    assert res.recovery.rest_days_cancelled == 1
    assert res.recovery.hours["rest_days"].tolist() == [0.0, 7.0]  # 8 h on site, 1 h unpaid break
    assert res.recovery.cost_by_lever["rest_days"] == pytest.approx(10.5)


def test_rest_days_cap_over_the_plan():
    # the month's floor pro rata: 8 rest days in March's 31 days is round(8 x 2 / 31) = 1 in the plan's two
    # days, and G (the only one off, on day 2) has just that one: nothing may be cancelled
    gain, res = lever_gain({"rest_days": {"per_month": 8, "floor": 8}})
    assert (gain == 0).all() and res.recovery.rest_days_cancelled == 0


def test_agency_only_in_its_hours_and_limit():
    gain, res = lever_gain({"agency": {"max_agents": 2, "hours": ["13:00", "15:00"], "cost_per_hour": 3}})
    h = hours_of(plan())
    assert (gain[(h < 13) | (h >= 15)] == 0).all()
    assert gain.max() == 2


def test_seats_limit_the_levers_too():
    body = {**SURGE, "capacity": [{"seats": 7, "start": "day 1", "end": "day 3"}],
            "levers": {"agency": {"max_agents": 10}}}
    res = run(body)
    base = res.before.intervals["rostered"].to_numpy()
    people = base + res.recovery.usage["agency"].to_numpy()
    assert people.max() <= 7
    assert res.recovery.usage["agency"].to_numpy()[11] == 0  # 7 already on the phones


def test_recovery_restores_reachable_intervals_and_reports_the_rest():
    res = run({**SURGE, "levers": {"agency": {"max_agents": 50, "cost_per_hour": 3}}})
    assert res.before.short_intervals > 0
    assert res.after.short_intervals == 0
    assert (res.recovery.rostered >= res.before.intervals["required_scheduled"].to_numpy() - 1e-4).all()
    assert res.after.service_level > res.before.service_level
    limited = run({**SURGE, "levers": {"agency": {"max_agents": 50, "hours": ["08:00", "12:00"]}}})
    short = limited.after.intervals.loc[limited.after.intervals["short"], "timestamp"].dt.hour
    assert set(short) and set(short) <= set(range(12, 18))


def test_recovery_never_costs_more_than_the_most_expensive_lever_alone():
    levers = {
        "back_office": {"handle_time_factor": 1.3, "cost_per_hour": 1.2, "hours": ["06:00", "20:00"]},
        "overtime": {"max_hours_per_day": 2, "max_hours_per_week": 10, "cost_per_hour": 1.5},
        "rest_days": {"per_month": 8, "floor": 4, "cost_per_hour": 1.5},
        "agency": {"max_agents": 40, "cost_per_hour": 3.0},
    }
    all_levers = run({**SURGE, "levers": levers})
    alone = {k: run({**SURGE, "levers": {k: v}}) for k, v in levers.items()}
    priciest = alone["agency"]  # the highest cost per hour, and able to restore everything alone
    assert priciest.after.short_intervals == 0 and all_levers.after.short_intervals == 0
    assert all_levers.recovery.cost <= priciest.recovery.cost + 1e-9
    assert all_levers.recovery.cost < priciest.recovery.cost  # cheaper levers do part of the work
    for res in alone.values():
        # never more short than any lever alone, and no dearer than any lever that restores as much
        assert all_levers.after.short_intervals <= res.after.short_intervals
        if res.after.short_intervals == 0:
            assert all_levers.recovery.cost <= res.recovery.cost + 1e-9

def week_inputs():
    """Seven days, calls 08:00-18:00; five agents all on 08:00-16:00, Monday to Friday."""
    ts = pd.date_range(DAYS[0], periods=24 * 7, freq="60min")
    open_ = (ts.hour >= 8) & (ts.hour < 18)
    fc = pd.concat(
        [pd.DataFrame({"timestamp": ts, "queue": q, "volume": np.where(open_, 10.0, 0.0), "aht": a})
         for q, a in (("retail", 300.0), ("cards", 240.0))],
        ignore_index=True,
    )
    rows = [[a, "full_time", f"{d:%Y-%m-%d}", "day", "08:00", "16:00", "12:00-13:00"]
            for d in pd.date_range(DAYS[0], periods=5) for a in "ABCDE"]
    return fc, pd.DataFrame(rows, columns=W.ROSTER_COLUMNS)


def test_reoptimise_re_rosters_from_its_day_when_that_is_better():
    fc, ro = week_inputs()
    sc = parse_scenarios({"scenario": [{
        "name": "late", "volume": [{"multiplier": 2.0, "start": "day 1 14:00", "end": "day 8"}],
        "levers": {"reoptimise": {"from_day": 3, "cost_per_changed_shift": 0.5, "time_limit_s": 10}},
    }]})
    out = W.whatif(small_config(), sc, fc, ro, gap=0.0)
    (s,) = out.scenarios
    rec = s.recovery
    assert rec.reoptimised and rec.levers == ["reoptimise"]
    gain = rec.rostered - s.before.intervals["rostered"].to_numpy()
    assert (gain[: 2 * 24] == 0).all()  # the published shifts stand before day 3
    assert np.abs(gain[2 * 24:]).max() > 0

    def shortfall(imp):
        return float((imp.intervals["required_scheduled"] - imp.intervals["rostered"]).clip(lower=0).sum())

    assert shortfall(s.after) < shortfall(s.before)
    changed = int(rec.notes[0].split(": ")[1].split(" ")[0])
    assert rec.cost_by_lever == {"reoptimise": pytest.approx(0.5 * changed)} and changed > 0


def test_reoptimise_skipped_with_a_note_when_the_roster_stage_cannot_plan():
    res = run({**SURGE, "levers": {"reoptimise": {}, "agency": {"max_agents": 3}}})
    assert not res.recovery.reoptimised
    assert res.recovery.notes and res.recovery.notes[0].startswith("re-roster skipped: ")

def test_reoptimise_no_roster_note_names_the_lever_time_limit(monkeypatch):
    """The roster solver returns no plan within the lever's limit: the note names
    [scenario.levers.reoptimise] time_limit_s and its value, not `wfm roster`'s --time-limit."""
    import wfm.roster as roster_mod
    from wfm.roster.solve import SolveResult

    seen = []

    def no_plan(m, solver, time_limit_s, gap, progress):
        seen.append(time_limit_s)
        return SolveResult("Not Solved", float("inf"), float("-inf"), time_limit_s, "highs")

    monkeypatch.setattr(roster_mod, "solve", no_plan)
    fc, ro = week_inputs()
    sc = parse_scenarios({"scenario": [{
        "name": "late", "volume": [{"multiplier": 2.0, "start": "day 1 14:00", "end": "day 8"}],
        "levers": {"reoptimise": {"from_day": 3, "time_limit_s": 7.5}},
    }]})
    (s,) = W.whatif(small_config(), sc, fc, ro, gap=0.0).scenarios
    assert seen == [7.5] and not s.recovery.reoptimised
    assert s.recovery.notes == [
        "re-roster skipped: the solver found no roster (Not Solved) within 7.5 s; "
        "raise [scenario.levers.reoptimise] time_limit_s (now 7.5)"
    ]


@given(st.integers(0, 23), st.integers(1, 24), st.sampled_from(["back_office", "agency"]))
@settings(max_examples=15, deadline=None)
def test_hour_limited_levers_only_act_inside_their_hours(start, length, lever):
    end = min(start + length, 24)
    hours = [f"{start:02d}:00", f"{end:02d}:00"]
    body = {"hours": hours} if lever == "back_office" else {"hours": hours, "max_agents": 5}
    gain, res = lever_gain({lever: body})
    h = hours_of(plan())
    inside = (h >= start) & (h < end)
    assert (gain[~inside] == 0).all()
    assert (res.recovery.usage[lever].to_numpy()[~inside] == 0).all()
    short_before = res.before.intervals["short"].to_numpy()
    if (inside & short_before).any():
        assert gain[inside & short_before].max() > 0


@given(
    st.floats(1.2, 4.0), st.floats(0.0, 0.6), st.integers(0, 4), st.integers(0, 6), st.floats(0.0, 3.0),
    st.booleans(),
)
@settings(max_examples=12, deadline=None)
def test_after_recovery_is_always_a_recount_of_the_roster_after(surge, absent, people, agency, overtime, rest):
    """Whatever the surge, absence and levers, the figures after recovery are the roster after recovery's own:
    its people on the phones recounted (back office at 1/1.3), the service level and short intervals through
    the same model, the cost the sum of recovery.csv; nobody named absent works, nobody works twice a day."""
    from wfm.staffing import staff, staffing_requirement
    from wfm.whatif.naming import recount

    levers: dict = {}
    if people:
        levers["back_office"] = {"people": people, "hours": ["08:00", "20:00"]}
    if agency:
        levers["agency"] = {"max_agents": agency}
    if overtime:
        levers["overtime"] = {"max_hours_per_day": overtime}
    if rest:
        levers["rest_days"] = {"per_month": 8, "floor": 4}
    body = {"volume": [{"multiplier": surge, "start": "day 1", "end": "day 3"}],
            "absence": [{"share": absent, "start": "day 2"}], "levers": levers}
    p = plan()
    sc = scenario(**body)
    res = W.run_scenario(p, sc, gap=0.0)
    named = res.recovery.named
    weights = {"back_office": 1 / 1.3, "agency": 1.0}
    counted, _ = recount(p, named.roster_after, weights, np.full(len(p.timestamps), np.inf))
    assert np.allclose(res.after.intervals["rostered"].to_numpy(), counted, atol=1e-4)  # shown to 4 places
    shocked = W.apply_shocks(p, sc)
    staffing = staff(shocked.forecast, p.config, p.interval_minutes)
    required = staffing_requirement(staffing, p.config).set_index("timestamp")["scheduled"].reindex(p.timestamps)
    again = W.assess_cover(staffing, counted, required.fillna(0).to_numpy(float), p)
    assert again.service_level == pytest.approx(res.after.service_level, abs=1e-12)
    assert again.short_intervals == res.after.short_intervals
    assert res.recovery.cost == pytest.approx(float(named.recovery["cost"].sum()), abs=1e-6)
    after = named.roster_after
    assert not after.duplicated(["agent_id", "date"]).any()
    mine = after[after["contract"] == "full_time"]
    day2 = p.shifts.date == np.datetime64("2026-03-03")
    rostered_day2 = set(p.shifts.agent_id[day2])
    gone = rostered_day2 - set(mine.loc[mine["date"] == "2026-03-03", "agent_id"])
    assert len(gone) == int(np.floor(absent * len(rostered_day2) + 0.5 + 1e-9))  # the named absent, whole people
