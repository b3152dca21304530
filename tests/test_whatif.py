"""wfm.whatif: shocks, impact, recovery levers, ratio while redeployed, sweeps.

A small centre (hourly intervals, two days, seven agents) keeps every solve tiny and exact.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wfm import erlang, ratio
from wfm import whatif as W
from wfm.config import parse_config
from wfm.errors import InputError
from wfm.staffing import group_service_level, staff, staffing_requirement
from wfm.whatif.scenario import parse_scenarios

CONFIG = {
    "centre": {"name": "Small", "interval_minutes": 60, "front_line_headcount": 7},
    "queues": [
        {"name": "retail", "service_level": 0.8, "answer_within_s": 20, "shrinkage": 0.0, "patience_s": 180,
         "aht_s": 300, "max_occupancy": 0.9},
        {"name": "cards", "service_level": 0.8, "answer_within_s": 30, "shrinkage": 0.0, "aht_s": 240,
         "max_occupancy": 0.9},
    ],
    "contracts": [{"name": "full_time", "days_per_week": [1, 5], "paid_hours_per_week": [8, 40]}],
    "shifts": [
        {"name": "day", "contracts": ["full_time"], "start": ["08:00", "10:00"], "start_step_minutes": 60,
         "length_minutes": 480, "breaks": [{"minutes": 60, "paid": False, "window": ["04:00", "05:00"]}]}
    ],
    "back_office": {"roles": [{"role": "second_line", "headcount": 3}, {"role": "planning", "headcount": 1}]},
}
DAYS = ["2026-03-02", "2026-03-03"]


def small_config():
    return parse_config(CONFIG, source="small.toml")


def small_forecast(calls: float = 20.0) -> pd.DataFrame:
    """Two days, hourly; calls only 08:00-18:00 on both queues."""
    ts = pd.date_range(DAYS[0], periods=48, freq="60min")
    open_ = (ts.hour >= 8) & (ts.hour < 18)
    rows = []
    for q, aht in (("retail", 300.0), ("cards", 240.0)):
        rows.append(pd.DataFrame({"timestamp": ts, "queue": q, "volume": np.where(open_, calls, 0.0), "aht": aht}))
    return pd.concat(rows, ignore_index=True)


def small_roster() -> pd.DataFrame:
    """A..C 08-16 (break 12-13), D..F 10-18 (break 14-15) on both days; G works day 1 only (off on day 2)."""
    rows = []
    for day in DAYS:
        for a in "ABC":
            rows.append([a, "full_time", day, "day", "08:00", "16:00", "12:00-13:00"])
        for a in "DEF":
            rows.append([a, "full_time", day, "day", "10:00", "18:00", "14:00-15:00"])
    rows.append(["G", "full_time", DAYS[0], "day", "08:00", "16:00", "12:00-13:00"])
    return pd.DataFrame(rows, columns=W.ROSTER_COLUMNS)


def plan():
    return W.make_plan(small_config(), small_forecast(), small_roster())


def scenario(**body):
    return parse_scenarios({"scenario": [{"name": "s", **body}]})[0]


def run(body: dict, **kw):
    return W.run_scenario(plan(), scenario(**body), gap=0.0, **kw)


def hours_of(p) -> np.ndarray:
    return np.asarray(p.timestamps.hour)


# --------------------------------------------------------------------------- roster and plan
def test_on_phone_counts_shifts_minus_breaks():
    p = plan()
    on = W.on_phone(p)
    day1, day2 = on[:24], on[24:]
    expected1 = np.zeros(24)
    expected1[8:10] = 4  # A,B,C,G
    expected1[10:16] = 7
    expected1[12] = 3  # A,B,C,G on break
    expected1[14] = 4  # D,E,F on break
    expected1[16:18] = 3
    assert day1.tolist() == expected1.tolist()
    expected2 = expected1.copy()
    expected2[8:16] -= 1  # G is off
    expected2[12] = 3
    assert day2.tolist() == expected2.tolist()


def test_cyclic_roster_wraps_past_the_plan_end():
    p = plan()
    night = pd.DataFrame([["N", "full_time", DAYS[1], "day", "22:00", "06:00", ""]], columns=W.ROSTER_COLUMNS)
    p2 = W.make_plan(small_config(), small_forecast(), night)
    on = W.on_phone(p2)
    assert on[46:48].tolist() == [1, 1] and on[0:6].tolist() == [1] * 6 and on[6:46].sum() == 0
    assert len(p.timestamps) == 48


def test_roster_errors_name_line_and_field():
    bad = small_roster()
    bad.loc[3, "start"] = "8h"
    with pytest.raises(InputError, match=r"roster, line 5, field 'start': is not a time: '8h'"):
        W.make_plan(small_config(), small_forecast(), bad)
    bad = small_roster()
    bad.loc[0, "breaks"] = "12:00-13:00;noon"
    with pytest.raises(InputError, match=r"line 2, field 'breaks': 'noon' is not a break"):
        W.parse_roster(bad)


# --------------------------------------------------------------------------- shocks
def test_shock_shape_ramps_and_decays_linearly():
    ts = pd.date_range("2026-03-02", periods=12, freq="60min")
    s = W.shock_shape(ts, pd.Timestamp("2026-03-02 04:00"), pd.Timestamp("2026-03-02 06:00"), 2, 4)
    assert s.tolist() == [0, 0, 0, 0.5, 1, 1, 1, 0.75, 0.5, 0.25, 0, 0]


def test_volume_aht_absence_and_seats_land_where_asked():
    p = plan()
    sc = scenario(
        volume=[{"queue": "retail", "multiplier": 2.0, "start": "day 1 09:00", "end": "day 1 11:00"}],
        aht=[{"multiplier": 1.5, "start": "day 2 08:00", "end": "day 2 09:00"}],
        absence=[{"share": 0.5, "start": "day 2"}],
        capacity=[{"seats": 2, "start": "day 1 15:00", "end": "day 1 17:00"}],
    )
    sh = W.apply_shocks(p, sc)
    f = sh.forecast.set_index(["timestamp", "queue"])
    assert f.loc[(pd.Timestamp("2026-03-02 09:00"), "retail"), "volume"] == 40
    assert f.loc[(pd.Timestamp("2026-03-02 09:00"), "cards"), "volume"] == 20
    assert f.loc[(pd.Timestamp("2026-03-02 11:00"), "retail"), "volume"] == 20
    assert f.loc[(pd.Timestamp("2026-03-03 08:00"), "cards"), "aht"] == 360
    assert f.loc[(pd.Timestamp("2026-03-03 09:00"), "cards"), "aht"] == 240
    assert sh.absence.tolist() == [0.0, 0.5]
    assert np.isinf(sh.seats[:15]).all() and sh.seats[15:17].tolist() == [2, 2] and np.isinf(sh.seats[17:]).all()
    res = W.run_scenario(p, sc, gap=0.0)
    on = res.before.intervals["on_phone"].to_numpy()
    assert on[15] == 2 and on[16] == 2  # 3 rostered at 16:00 -> capped at 2 seats
    assert on[24 + 10] == 3.0  # 6 rostered on day 2 at 10:00, half absent


def test_added_calls_shock():
    sh = W.apply_shocks(plan(), scenario(volume=[{"added_calls": 5, "start": "day 1", "end": "day 1 02:00"}]))
    f = sh.forecast
    first = f[f["timestamp"] == pd.Timestamp("2026-03-02 01:00")]["volume"].tolist()
    assert first == [5.0, 5.0]
    assert f[f["timestamp"] == pd.Timestamp("2026-03-02 02:00")]["volume"].tolist() == [0.0, 0.0]


# --------------------------------------------------------------------------- impact
def test_zero_shock_reproduces_the_baseline_exactly():
    p = plan()
    base = W.run_scenario(p, W.Scenario.model_construct(name="baseline"), gap=0.0)
    zero_shocks = {
        "volume": [{"multiplier": 1.0, "start": "day 1", "end": "day 2", "decay_hours": 5},
                   {"added_calls": 0, "start": "day 2 08:00", "end": "day 2 12:00", "ramp_up_hours": 3}],
        "aht": [{"multiplier": 1.0, "start": "day 1 08:00", "end": "day 2"}],
        "absence": [{"share": 0.0, "start": "day 1"}],
    }
    zero = W.run_scenario(p, scenario(**zero_shocks), gap=0.0)
    for got, want in ((zero.before, base.before), (zero.after, base.after)):
        pd.testing.assert_frame_equal(got.intervals, want.intervals)
        pd.testing.assert_frame_equal(got.days, want.days)
        assert got.summary() == want.summary()
    assert base.recovery.status == zero.recovery.status == "no_levers"
    iv = base.before.intervals
    assert base.before.short_intervals == int((iv["on_phone"] < iv["required"]).sum()) > 0
    # with levers the impact before recovery is still the baseline's
    levered = W.run_scenario(p, scenario(**zero_shocks, levers={"overtime": {}}), gap=0.0)
    pd.testing.assert_frame_equal(levered.before.intervals, base.before.intervals)


def test_impact_is_the_group_service_level_with_erlang_a_abandonment():
    """At 11:00 on day 1 all seven agents are on the phones. Service level and ASA are the staff group's
    (wfm.staffing.group_service_level); abandonment is retail's (the queue with a patience) with its planned
    share of the agents: 7 x 6000/10800 = 3.89 -> 4 (largest remainder; cards gets 3)."""
    p = plan()
    res = run({})
    staffing = staff(p.forecast, p.config, 60)
    on = pd.Series(W.on_phone(p), index=p.timestamps)
    group = group_service_level(staffing, on, p.config, 60)
    iv = res.before.intervals
    busy = iv["volume"] > 0
    assert np.allclose(iv.loc[busy, "service_level"], group.loc[busy.to_numpy(), "service_level"])
    row = iv.iloc[11]
    r = erlang.evaluate(20, 300, 3600, 4, 20, 180)
    assert row["abandoned"] == pytest.approx(20 * r.abandon_rate[()])
    need = staffing_requirement(staffing, p.config).set_index("timestamp")["scheduled"]
    assert iv["required"].tolist() == need.reindex(p.timestamps).fillna(0).astype(int).tolist()
    assert iv["short"].tolist() == (iv["on_phone"] < iv["required"]).tolist()
    day = res.before.days.iloc[0]
    assert day["calls"] == 400 and day["date"] == "2026-03-02"
    assert day["abandoned"] == pytest.approx(iv["abandoned"].iloc[:24].sum())


@pytest.mark.parametrize("queue", ["all", "retail"])
def test_more_volume_never_raises_service_level(queue):
    p = plan()
    previous = None
    for m in [1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0]:
        sc = scenario(volume=[{"queue": queue, "multiplier": m, "start": "day 1 09:00", "end": "day 2",
                               "decay_hours": 6}])
        now = W.run_scenario(p, sc, gap=0.0).before
        if previous is not None:
            assert (now.intervals["service_level"] <= previous.intervals["service_level"] + 1e-12).all(), m
            assert (now.intervals["abandoned"] >= previous.intervals["abandoned"] - 1e-9).all(), m
            assert now.service_level <= previous.service_level + 1e-12
        previous = now
    assert previous.intervals["service_level"].iloc[11] < 0.5


@given(st.lists(st.floats(0.0, 5.0), min_size=2, max_size=2), st.floats(0.0, 60.0))
@settings(max_examples=25, deadline=None)
def test_more_volume_never_raises_service_level_property(multipliers, added):
    p = plan()
    lo, hi = sorted(multipliers)
    out = []
    for m in (lo, hi):
        sc = scenario(volume=[{"multiplier": m, "start": "day 1", "end": "day 3"},
                              {"added_calls": added, "start": "day 1 10:00", "end": "day 1 12:00"}])
        out.append(W.run_scenario(p, sc).before)
    assert (out[1].intervals["service_level"] <= out[0].intervals["service_level"] + 1e-12).all()
    if added == 0:  # the same multiplier everywhere: the plan's service level falls too
        assert out[1].service_level <= out[0].service_level + 1e-12


# --------------------------------------------------------------------------- levers
SURGE = {"volume": [{"multiplier": 3.0, "start": "day 1", "end": "day 3"}]}


def lever_gain(levers: dict) -> tuple[np.ndarray, W.ScenarioResult]:
    res = run({**SURGE, "levers": levers})
    gain = res.recovery.on_phone - res.before.intervals["on_phone"].to_numpy()
    return gain, res


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
    # 7 agents x (8 - 7) rest days a month x 2 days / 30 = 0.47 -> nothing may be cancelled
    gain, res = lever_gain({"rest_days": {"per_month": 8, "floor": 7}})
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
    base = res.before.intervals["on_phone"].to_numpy()
    people = base + res.recovery.usage["agency"].to_numpy()
    assert people.max() <= 7
    assert res.recovery.usage["agency"].to_numpy()[11] == 0  # 7 already on the phones


def test_recovery_restores_reachable_intervals_and_reports_the_rest():
    res = run({**SURGE, "levers": {"agency": {"max_agents": 50, "cost_per_hour": 3}}})
    assert res.before.short_intervals > 0
    assert res.after.short_intervals == 0
    assert (res.recovery.on_phone >= res.before.intervals["required"].to_numpy() - 1e-4).all()
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


# --------------------------------------------------------------------------- ratio while redeployed
def test_ratio_during_redeploy_matches_ratio_on_changed_headcounts():
    res = run({**SURGE, "levers": {"back_office": {"people": 3}}})
    moved = res.recovery.back_office_peak
    assert moved == 3
    expected = ratio.ratio(
        ratio.RatioParts(front_line=7 + moved, back_office=4 - moved, centre_headcount=11, management_layers=None)
    )
    got = res.ratio
    assert got.front_line == 10 and got.back_office == 1
    assert got.ratio == expected.ratio and got.status == expected.status
    assert got.back_office_share == pytest.approx(expected.back_office_share)
    assert got.moved_to_phones == 3


# --------------------------------------------------------------------------- whole runs and sweeps
def test_whatif_runs_baseline_and_scenarios_in_order():
    scen = parse_scenarios({"scenario": [{"name": "a", **SURGE}, {"name": "b"}]})
    out = W.whatif(small_config(), scen, small_forecast(), small_roster(), gap=0.0)
    assert out.baseline.name == "baseline" and [s.name for s in out.scenarios] == ["a", "b"]
    comp = out.comparison()
    assert comp["scenario"].tolist() == ["baseline", "a", "a", "b", "b"]
    assert comp["phase"].tolist() == ["", "as published", "after recovery", "as published", "after recovery"]
    assert out.exit_code == 1  # "a" has no levers: still short
    assert out.plan_start == "2026-03-02 00:00" and out.plan_end == "2026-03-04 00:00"


def test_parse_sweep():
    assert W.parse_sweep("volume=1.0:3.0:0.25") == ("volume", [1.0 + 0.25 * i for i in range(9)])
    assert W.parse_sweep("absence=0.1,0.3") == ("absence", [0.1, 0.3])
    for bad, msg in [("volume", "KEY=START:STOP:STEP"), ("speed=1:2:1", "unknown key 'speed'"),
                     ("volume=3:1:0.5", "START <= STOP"), ("absence=0.5:1.5:0.5", "absence=1 is out of range")]:
        with pytest.raises(InputError, match=msg):
            W.parse_sweep(bad)


def test_sweep_same_results_with_any_number_of_workers():
    scen = parse_scenarios({"scenario": [{"name": "surge", **SURGE, "levers": {"overtime": {}, "agency": {"max_agents": 3}}}]})
    one = W.whatif(small_config(), scen, small_forecast(), small_roster(), sweep="volume=1:3:0.5", workers=1)
    two = W.whatif(small_config(), scen, small_forecast(), small_roster(), sweep="volume=1:3:0.5", workers=2)
    assert one.to_dict() == two.to_dict()
    table = one.sweep_table()
    assert table["volume"].tolist() == [1.0, 1.5, 2.0, 2.5, 3.0]
    sl = table["service_level_before"].to_numpy()
    assert (np.diff(sl) <= 1e-12).all() and (np.diff(table["cost"].to_numpy()) >= -1e-3).all()
    assert math.isclose(sl[0], one.baseline.before.service_level)
    no_shock = W.run_scenario(plan(), scen[0].model_copy(update={"volume": []}))
    assert table["cost"].iloc[0] == pytest.approx(no_shock.recovery.cost)


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
    gain = rec.on_phone - s.before.intervals["on_phone"].to_numpy()
    assert (gain[: 2 * 24] == 0).all()  # the published shifts stand before day 3
    assert np.abs(gain[2 * 24:]).max() > 0

    def shortfall(imp):
        return float((imp.intervals["required"] - imp.intervals["on_phone"]).clip(lower=0).sum())

    assert shortfall(s.after) < shortfall(s.before)
    changed = int(rec.notes[0].split(": ")[1].split(" ")[0])
    assert rec.cost_by_lever == {"reoptimise": pytest.approx(0.5 * changed)} and changed > 0


def test_reoptimise_skipped_with_a_note_when_the_roster_stage_cannot_plan():
    res = run({**SURGE, "levers": {"reoptimise": {}, "agency": {"max_agents": 3}}})
    assert not res.recovery.reoptimised
    assert res.recovery.notes and res.recovery.notes[0].startswith("re-roster skipped: ")


def _brute_on_phone(frame: pd.DataFrame, start: pd.Timestamp, n: int, ivl: int) -> list[int]:
    """Agents on shift and off break per interval, minute by minute in plain Python (cyclic horizon)."""
    horizon = n * ivl
    count = [0] * n
    for row in frame.itertuples():
        day = int((pd.Timestamp(row.date) - start) / pd.Timedelta(minutes=1))
        s0 = day + int(row.start[:2]) * 60 + int(row.start[3:])
        s1 = day + int(row.end[:2]) * 60 + int(row.end[3:])
        s1 += 1440 if s1 <= s0 else 0
        off = set()
        for item in filter(None, row.breaks.split(";")):
            b0 = day + int(item[:2]) * 60 + int(item[3:5])
            b0 += 1440 if b0 < s0 else 0
            b1 = day + int(item[6:8]) * 60 + int(item[9:11])
            b1 += 1440 if b1 <= b0 else 0
            off |= set(range(b0, b1))
        busy = {(m % horizon) // ivl for m in range(s0, s1) if m not in off}
        for t in busy:
            count[t] += 1
    return count


def test_on_phone_matches_a_brute_force_count_including_wrapped_breaks():
    night = pd.DataFrame(
        [["N", "full_time", DAYS[1], "day", "21:00", "06:00", "22:00-23:00;01:00-02:00"],
         ["M", "full_time", DAYS[0], "day", "21:00", "06:00", "01:00-02:00"]],
        columns=W.ROSTER_COLUMNS,
    )
    both = pd.concat([small_roster(), night], ignore_index=True)
    p = W.make_plan(small_config(), small_forecast(), both)
    on = W.on_phone(p)
    assert on[1] == 0 and on[0] == 1 and on[2] == 1  # N's 01:00 break wraps to day 1 with N
    assert on[24 + 1] == 0 and on[24 + 2] == 1  # M (day 1 night) on break at 01:00 on day 2, back at 02:00
    assert on.tolist() == _brute_on_phone(both, pd.Timestamp("2026-03-02"), len(p.timestamps), 60)


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
