"""Where the paid hours go (wfm.roster.explain): the parts add up to the paid hours exactly, and each part is the
figure known without the code on cases small enough to work out by hand or with a textbook Erlang C."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from roster_cases import MONDAY, config, hourly_forecast

from wfm.errors import InputError
from wfm.roster import HOLIDAY_SHIFT, coverage, explain_paid_hours, roster, rostered_per_interval
from wfm.roster.explain import PART_KEYS, _row_intervals, largest_remainder
from wfm.roster.rows import parse_roster_rows
from wfm.staffing import interval_requirement, staff, staffing_requirement


def adds_up(e) -> None:
    """The exact parts add up to the paid hours (1e-9), and the shown parts to the shown total to the cent."""
    assert [p.key for p in e.parts] == list(PART_KEYS)
    assert math.fsum(p.hours for p in e.parts) == pytest.approx(e.paid_hours, abs=1e-9)
    assert round(sum(round(p.shown * 100) for p in e.parts)) == round(e.paid_shown * 100)
    assert all(abs(p.shown - p.hours) < 0.01 for p in e.parts)
    assert round(sum(round(float(row[1].replace(",", "")) * 100) for row in e.table_rows()[:-1])) == \
        round(float(e.table_rows()[-1][1].replace(",", "")) * 100)


# --------------------------------------------------------------------------- largest remainders
def test_largest_remainder_rounds_to_the_cent_and_adds_up() -> None:
    assert largest_remainder([1 / 3, 1 / 3, 1 / 3], 1.0) == [0.34, 0.33, 0.33]  # ties: the earlier value
    assert largest_remainder([2.005, -1.004, 0.999], 2.0) == [2.0, -1.0, 1.0]  # remainders .5, .6, .9: 2 cents left
    assert largest_remainder([4.5, 0.0, -0.25], 4.25) == [4.5, 0.0, -0.25]
    values = [0.1] * 10 + [1e-13]  # float sums a hair off a whole cent
    assert sum(largest_remainder(values, 1.0)) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="add up to"):
        largest_remainder([1.0, 2.0], 4.0)


# --------------------------------------------------------------------------- by hand
HAND_SHIFTS = [
    {"name": "early", "contracts": ["c"], "start": ["09:00", "09:00"], "length_minutes": 120},
    {"name": "late", "contracts": ["c"], "start": ["09:00", "10:00"], "start_step_minutes": 60, "length_minutes": 300,
     "breaks": [{"minutes": 60, "paid": True, "window": ["02:00", "03:00"]},
                {"minutes": 60, "paid": False, "window": ["03:00", "04:00"]}]},
]


def hand_case():
    """One queue, hourly, shrinkage 20%, calls on Monday 09:00 and 10:00 only, the queues' `scheduled` summed.

    Staffing (as a planner's file): 09:00 30 calls x 360 s, 4.6 fractional agents, 5 agents, 7 scheduled;
    10:00 20 calls x 360 s, 3.3, 4 and 5. Roster: A1-A5 early 09:00-11:00; A7 late 10:00-15:00 (paid break
    12:00, unpaid 13:00: on the phones 10, 11 and 14); A8 a paid holiday on Tuesday 00:00-08:00; A9 late
    09:00-14:00 (paid break 11:00, unpaid 12:00: on the phones 9, 10 and 13)."""
    cfg = config(
        queues=[{"name": "q", "service_level": 0.8, "answer_within_s": 20, "shrinkage": 0.2, "aht_s": 360}],
        contracts=[{"name": "c", "days_per_week": [1, 5], "paid_hours_per_week": [2, 40]}],
        shifts=HAND_SHIFTS,
    )
    idx = pd.date_range(pd.Timestamp(MONDAY), periods=168, freq="60min")
    st = pd.DataFrame({"timestamp": idx, "queue": "q", "volume": 0.0, "aht": 360.0, "agents": 0,
                       "fractional_agents": 0.0, "scheduled": 0})
    st.loc[9, ["volume", "agents", "fractional_agents", "scheduled"]] = [30.0, 5, 4.6, 7]
    st.loc[10, ["volume", "agents", "fractional_agents", "scheduled"]] = [20.0, 4, 3.3, 5]
    rows = [(f"A{i}", "c", "2026-01-05", "early", "09:00", "11:00", "") for i in range(1, 6)]
    rows += [("A7", "c", "2026-01-05", "late", "10:00", "15:00", "12:00-13:00;13:00-14:00"),
             ("A8", "c", "2026-01-06", HOLIDAY_SHIFT, "00:00", "08:00", ""),
             ("A9", "c", "2026-01-05", "late", "09:00", "14:00", "11:00-12:00;12:00-13:00")]
    frame = pd.DataFrame(rows, columns=["agent_id", "contract", "date", "shift", "start", "end", "breaks"])
    return cfg, st, frame


def test_every_part_on_a_case_worked_by_hand() -> None:
    cfg, st, frame = hand_case()
    e = explain_paid_hours(frame, st, cfg)
    adds_up(e)
    hours = {p.key: p.hours for p in e.parts}
    expected = {
        "workload": (30 * 360 + 20 * 360) / 3600,  # 5
        "queueing_margin": 4.6 + 3.3 - 5.0,  # fractional agents less the workload
        "occupancy_cap": 0.0,
        "pooling": 0.0,  # the queues' scheduled added up: no pool
        "routing": 0.0,
        "rounding": (5 - 4.6) + (4 - 3.3) + (7 - 5 / 0.8) + (5 - 4 / 0.8),  # 1.85
        "shrinkage": (5 / 0.8 - 5) + (4 / 0.8 - 4),  # 2.25
        "under_coverage": -1.0,  # 09:00: 6 on the phones (A1-A5, A9) of 7
        "period_targets": 0.0,
        "over_coverage": 2.0,  # 10:00: 6 of 5 (A7 taken out); 13:00: A9 with no requirement
        "contract_minimums": 4.0,  # A7: every interval keeps its requirement without it; 5 h less 1 unpaid
        "paid_breaks": 1.0,  # A9's paid hour
        "paid_closed_days": 8.0,  # A8
        "off_grid": 0.0,
    }
    assert hours == pytest.approx(expected, abs=1e-12)
    assert e.paid_hours == 5 * 2 + 4 + 4 + 8
    assert e.required_hours == 12.0
    assert [p.shown for p in e.parts] == [5.0, 2.9, 0.0, 0.0, 0.0, 1.85, 2.25, -1.0, 0.0, 2.0, 4.0, 1.0, 8.0, 0.0]
    assert [p.key for p in e.shown_parts()] == [k for k in PART_KEYS if k not in ("period_targets", "off_grid")]
    # over-coverage: at 10:00 1 of 5 required (20%), at 13:00 1 with no requirement
    by_hour = {b.hour: b for b in e.by_hour}
    assert (by_hour[10].over_hours, by_hour[10].required_hours, by_hour[10].share) == (1.0, 5.0, 0.2)
    assert (by_hour[10].day_low, by_hour[10].day_high) == (0.2, 0.2)
    assert (by_hour[13].over_hours, by_hour[13].share, by_hour[13].day_low) == (1.0, None, None)
    assert [b.label for b in e.top_hours()] == ["10:00-11:00", "13:00-14:00"]
    assert e.hour_rows()[1] == ["13:00-14:00", "1.00", "no requirement", "-"]
    # by shift: 10:00's hour over shared by its 6 agents (5 early, A9 late); 13:00's is A9's alone
    shifts = {s.shift: s for s in e.by_shift}
    assert shifts["early"].over_hours == pytest.approx(5 / 6)
    assert shifts["late"].over_hours == pytest.approx(1 / 6 + 1)
    assert (shifts["early"].shifts, shifts["early"].on_phone_hours) == (5, 10.0)
    assert (shifts["late"].shifts, shifts["late"].on_phone_hours) == (1, 3.0)
    assert (shifts["late"].contract_minimum_shifts, shifts["late"].contract_minimum_hours) == (1, 4.0)


def test_a_shift_no_interval_needs_is_kept_only_once_its_work_is_needed() -> None:
    """Two identical surplus shifts: the first in roster order is taken out, the second then holds a requirement."""
    cfg, st, frame = hand_case()
    st.loc[9, ["volume", "agents", "fractional_agents", "scheduled"]] = [30.0, 5, 4.6, 5]  # 5 scheduled at 09:00
    frame = frame[frame["agent_id"].isin(["A1", "A2", "A3", "A4", "A5", "A9"])]
    e = explain_paid_hours(frame, st, cfg)
    adds_up(e)
    # 09:00 has 6 of 5 and 10:00 6 of 5: one early shift (A1, first) is a contract minimum, then none is
    assert e.part("contract_minimums").hours == 2.0
    assert e.part("over_coverage").hours == 1.0  # A9 alone at 13:00
    assert e.part("under_coverage").hours == 0.0


def test_with_a_queue_judged_over_the_day_a_surplus_shift_counts_only_on_a_day_with_no_interval_short() -> None:
    """Two surplus early shifts, Monday and Tuesday; Tuesday has an interval below its target (made up over the
    day): only Monday's is a contract minimum. Judged per interval, both are."""
    from wfm.roster.explain import _contract_minimum_rows

    cfg, _, _ = hand_case()
    day = cfg.model_copy(update={"queues": [cfg.queues[0].model_copy(update={
        "service_level_period": "day", "min_interval_service_level": 0.5})]})
    frame = pd.DataFrame([("A1", "c", "2026-01-05", "early", "09:00", "11:00", ""),
                          ("A2", "c", "2026-01-06", "early", "09:00", "11:00", "")],
                         columns=["agent_id", "contract", "date", "shift", "start", "end", "breaks"])
    rows = parse_roster_rows(frame)
    idx = pd.date_range(pd.Timestamp(MONDAY), periods=168, freq="60min")
    spare = np.zeros(168)
    spare[[9, 10, 33, 34]] = 1.0  # each shift's hours have an agent to spare
    short = np.zeros(168)
    short[40] = 1.0  # Tuesday 16:00 below its target
    holiday = np.zeros(2, dtype=bool)
    assert _contract_minimum_rows(rows, holiday, spare, short, idx, 60, day).tolist() == [True, False]
    assert _contract_minimum_rows(rows, holiday, spare, short, idx, 60, cfg).tolist() == [True, True]
    spare[34] = 0.0  # Tuesday 10:00 has none to spare: never taken out
    assert _contract_minimum_rows(rows, holiday, spare, short, idx, 60, cfg).tolist() == [True, False]


def test_holiday_rows_are_paid_and_never_on_the_phones() -> None:
    cfg, st, frame = hand_case()
    with_holiday = explain_paid_hours(frame, st, cfg)
    without = explain_paid_hours(frame[frame["shift"] != HOLIDAY_SHIFT], st, cfg)
    assert with_holiday.paid_hours - without.paid_hours == 8.0
    assert with_holiday.part("paid_closed_days").hours == 8.0 and without.part("paid_closed_days").hours == 0.0
    for key in PART_KEYS:
        if key != "paid_closed_days":
            assert with_holiday.part(key).hours == without.part(key).hours, key


def test_a_roster_off_the_interval_grid_adds_up_through_its_own_part() -> None:
    cfg, st, frame = hand_case()
    frame = frame.copy()
    frame.loc[frame["agent_id"] == "A1", "end"] = "10:30"  # 1.5 h, counted in both its hours
    e = explain_paid_hours(frame, st, cfg)
    adds_up(e)
    assert e.part("off_grid").hours == -0.5
    assert e.paid_hours == 26.0 - 0.5


@pytest.mark.parametrize(("edit", "message"), [
    ({"shift": "swing"}, "roster, line 2, field 'shift': 'swing' is not a shift template of the config ('early', "
                         "'late'; a paid closed day is 'holiday'), so its paid hours are unknown"),
    ({"shift": "late", "end": "14:00", "breaks": "11:00-12:00"},
     "roster, line 2, field 'breaks': shift 'late' has 2 break(s) in the config and this row 1, so which are paid "
     "is unknown"),
])
def test_a_row_whose_paid_hours_are_unknown_is_an_input_error(edit: dict, message: str) -> None:
    cfg, st, frame = hand_case()
    frame = frame.copy()
    for column, value in edit.items():
        frame.loc[0, column] = value
    with pytest.raises(InputError) as exc:
        explain_paid_hours(frame, st, cfg)
    assert str(exc.value) == message


def test_a_staffing_frame_without_fractional_agents_or_aht_takes_the_agents_and_the_queues_aht() -> None:
    cfg, st, frame = hand_case()
    e = explain_paid_hours(frame, st.drop(columns=["fractional_agents", "aht"]), cfg)
    adds_up(e)
    assert e.part("workload").hours == pytest.approx(5.0)  # the queue's aht_s, 360 s
    assert e.part("queueing_margin").hours == pytest.approx(5 + 4 - 5.0)  # the whole agents
    assert e.part("rounding").hours == pytest.approx(0.75)  # only the scheduled's
    with pytest.raises(InputError, match=r"^staffing: missing column 'agents' \(make it with `wfm staff`\)$"):
        explain_paid_hours(frame, st.drop(columns=["agents"]), cfg)


# --------------------------------------------------------------------------- against textbook Erlang C
def _erlang_c_sl(load: float, n: int, aht: float, within: float) -> float:
    """Textbook Erlang C service level with ``n`` agents (Erlang B by its recursion)."""
    if n <= load:
        return 0.0
    b = 1.0
    for k in range(1, n + 1):
        b = load * b / (k + load * b)
    c = n * b / (n - load * (1 - b))
    return 1.0 - c * math.exp(-(n - load) * within / aht)


def _textbook_fractional(load: float, aht: float, within: float, target: float) -> float:
    """The fewest agents meeting ``target`` and the fraction of the last one the service level needs (linear
    between ``n - 1`` and ``n``: :func:`wfm.erlang.fractional_agents`'s definition)."""
    n = 1
    while _erlang_c_sl(load, n, aht, within) < target:
        n += 1
    lo, hi = _erlang_c_sl(load, n - 1, aht, within), _erlang_c_sl(load, n, aht, within)
    return n - 1 + min(max((target - lo) / (hi - lo), 0.0), 1.0)


def _day_forecast(volumes: dict[str, list[float]], aht: dict[str, float]) -> pd.DataFrame:
    idx = pd.date_range(pd.Timestamp(MONDAY), periods=168, freq="60min")
    hour = idx.hour.to_numpy()
    frames = []
    for q, per_hour in volumes.items():
        vol = np.zeros(168)
        for k, v in enumerate(per_hour):
            vol[hour == 9 + k] = v
        frames.append(pd.DataFrame({"timestamp": idx, "queue": q, "volume": vol, "aht": aht[q]}))
    return pd.concat(frames).sort_values(["timestamp", "queue"], kind="stable").reset_index(drop=True)


def test_occupancy_cap_part_is_load_over_cap_less_the_service_levels_agents_where_it_binds() -> None:
    """Erlang C, 80/20, occupancy at most 75%: at 200 calls an hour (AHT 300 s, 16.7 Erlangs) the cap binds
    (22.2 agents, the service level 20.7); at 30 calls (2.5 Erlangs: 3.3 against 4.5) it does not."""
    cfg = config(queues=[{"name": "q", "service_level": 0.8, "answer_within_s": 20, "shrinkage": 0.0, "aht_s": 300,
                          "max_occupancy": 0.75}],
                 shifts=[{"name": "day", "contracts": ["full_time"], "start": ["09:00", "09:00"],
                          "length_minutes": 480},
                         {"name": "part", "contracts": ["part_time"], "start": ["09:00", "13:00"],
                          "start_step_minutes": 60, "length_minutes": 240}])
    fc = _day_forecast({"q": [200.0, 30.0, 200.0, 30.0, 200.0, 30.0, 200.0, 30.0]}, {"q": 300.0})
    st = staff(fc, cfg)
    res = roster(st, cfg, explain=True)
    e = res.explained
    adds_up(e)
    assert e.paid_hours == res.paid_hours
    big, small = 200 * 300 / 3600, 30 * 300 / 3600
    sl_big, sl_small = (_textbook_fractional(a, 300, 20, 0.8) for a in (big, small))
    assert big / 0.75 > sl_big and small / 0.75 < sl_small
    days = 7
    assert e.part("workload").hours == pytest.approx(days * 4 * (big + small))
    assert e.part("occupancy_cap").hours == pytest.approx(days * 4 * (big / 0.75 - sl_big), abs=days * 8 * 1e-4)
    assert e.part("queueing_margin").hours == pytest.approx(days * 4 * (sl_big - big + sl_small - small),
                                                            abs=days * 8 * 1e-4)


def test_pooling_part_is_the_pooled_erlang_c_less_the_queues_sized_apart() -> None:
    """Two queues with the same targets and AHT in one FIFO pool: the pool is one Erlang C queue of their
    calls together; routing adds nothing."""
    queues = [{"name": n, "service_level": 0.8, "answer_within_s": 20, "shrinkage": 0.25, "aht_s": 240}
              for n in ("a", "b")]
    cfg = config(queues=queues, roster={"time_limit_s": 30, "gap": 0.03, "min_rest_hours": 11,
                                         "start_band_minutes": 60, "under_penalty": 50, "requirement": "pooled"})
    fc = _day_forecast({"a": [60.0] * 8, "b": [90.0] * 8}, {"a": 240.0, "b": 240.0})
    st = staff(fc, cfg)
    res = roster(st, cfg, explain=True)
    e = res.explained
    adds_up(e)
    a, b = 60 * 240 / 3600, 90 * 240 / 3600
    apart = _textbook_fractional(a, 240, 20, 0.8) + _textbook_fractional(b, 240, 20, 0.8)
    pooled = _textbook_fractional(a + b, 240, 20, 0.8)
    intervals = 7 * 8
    assert e.part("pooling").hours == pytest.approx(intervals * (pooled - apart), abs=intervals * 2e-4)
    assert e.part("pooling").hours < 0
    assert e.part("routing").hours == 0.0
    # rounding and shrinkage: the pool's whole agents n, scheduled ceil(n / 0.75)
    n = math.ceil(pooled)
    assert e.part("rounding").hours == pytest.approx(intervals * (n - pooled + math.ceil(n / 0.75) - n / 0.75))
    assert e.part("shrinkage").hours == pytest.approx(intervals * (n / 0.75 - n))
    assert e.required_hours == intervals * math.ceil(n / 0.75)


def test_priority_routing_against_a_fifo_pool_is_the_routing_part() -> None:
    """Two queues with different targets served by priority (the strict one first): the routing part is the
    priority requirement's fractional agents less the FIFO pool's, which every caller at the strict target makes
    larger."""
    queues = [{"name": "a", "service_level": 0.7, "answer_within_s": 60, "shrinkage": 0.0, "aht_s": 300,
               "staff_group": "g"},
              {"name": "b", "service_level": 0.9, "answer_within_s": 10, "shrinkage": 0.0, "aht_s": 300,
               "staff_group": "g"}]
    cfg = config(queues=queues, staff_groups=[{"name": "g", "routing": "priority", "priority": ["b", "a"]}],
                 roster={"time_limit_s": 30, "gap": 0.03, "min_rest_hours": 11, "start_band_minutes": 60,
                         "under_penalty": 50, "requirement": "pooled"})
    st = staff(_day_forecast({"a": [120.0] * 8, "b": [30.0] * 8}, {"a": 300.0, "b": 300.0}), cfg)
    res = roster(st, cfg, explain=True)
    e = res.explained
    adds_up(e)
    fifo = interval_requirement(st, cfg, fifo=True)["fractional_agents"].sum()
    priority = interval_requirement(st, cfg)["fractional_agents"].sum()
    assert e.part("routing").hours == pytest.approx(priority - fifo)
    assert e.part("routing").hours < 0
    assert e.required_hours == res.coverage["required_scheduled"].sum()


def test_interval_requirement_is_the_pooled_requirement_where_every_queue_is_judged_per_interval() -> None:
    queues = [{"name": "a", "service_level": 0.8, "answer_within_s": 20, "shrinkage": 0.3, "aht_s": 300},
              {"name": "b", "service_level": 0.9, "answer_within_s": 15, "shrinkage": 0.2, "aht_s": 420,
               "patience_s": 200}]
    for routing in ("fifo", "priority"):
        group = {"name": "g", "routing": routing, **({"priority": ["b", "a"]} if routing == "priority" else {})}
        cfg = config(queues=[{**q, "staff_group": "g"} for q in queues], staff_groups=[group])
        st = staff(_day_forecast({"a": [40.0, 80.0, 5.0], "b": [10.0, 30.0, 0.0]}, {"a": 300.0, "b": 420.0}), cfg)
        mine = interval_requirement(st, cfg)
        theirs = staffing_requirement(st, cfg, pooled=True)
        assert (mine["agents"].to_numpy() == theirs["agents"].to_numpy()).all()
        assert (mine["scheduled"].to_numpy() == theirs["scheduled"].to_numpy()).all()
        np.testing.assert_allclose(mine["fractional_agents"], theirs["fractional_agents"], atol=5e-5)


# --------------------------------------------------------------------------- on solved rosters
def test_the_week_roster_adds_up_and_its_requirement_is_the_rosters(week) -> None:
    cfg, st, res = week
    e = explain_paid_hours(res.assignments, st, cfg)
    adds_up(e)
    assert e.paid_hours == pytest.approx(res.paid_hours, abs=1e-9)
    cov = res.coverage
    h = cfg.centre.interval_minutes / 60
    assert e.required_hours == h * cov["required_scheduled"].sum()
    # every agent on the phones is the requirement, less the short, plus the over: coverage.csv's, no shift
    # being a contract minimum here
    assert e.part("under_coverage").hours == -h * cov["under"].sum()
    assert e.part("over_coverage").hours == h * cov["over"].sum() - sum(
        s.contract_minimum_hours for s in e.by_shift)  # no paid break in the tiny centre's shifts
    # the coverage frame given or worked out again: the same explanation
    assert explain_paid_hours(res.assignments, st, cfg, coverage=cov) == e


def test_row_intervals_count_as_the_one_counter_does(week) -> None:
    cfg, st, res = week
    rows = parse_roster_rows(res.assignments)
    n, ivl = len(res.coverage), cfg.centre.interval_minutes
    cells, member = _row_intervals(rows, np.arange(len(rows)), pd.Timestamp(MONDAY), n, ivl)
    counted = np.zeros(n, dtype=np.int64)
    np.add.at(counted, cells.ravel(), member.ravel())
    assert (counted == rostered_per_interval(rows, pd.Timestamp(MONDAY), n, ivl)).all()


def test_two_weeks_on_a_six_minute_grid_add_up_to_the_cent() -> None:
    """A two-week roster on 6-minute intervals (breaks of 12 and 30 minutes, starts every 18 minutes)."""
    cfg = config(
        centre={"name": "Six", "interval_minutes": 6},
        queues=[{"name": "q", "service_level": 0.8, "answer_within_s": 20, "shrinkage": 0.3, "aht_s": 280}],
        contracts=[{"name": "full_time", "days_per_week": 5, "paid_hours_per_week": [37.5, 37.5],
                    "consecutive_days_off": 2}],
        shifts=[{"name": "day", "contracts": ["full_time"], "start": ["07:00", "11:30"], "start_step_minutes": 90,
                 "length_minutes": 480, "breaks": [{"minutes": 30, "paid": False, "window": ["03:00", "05:00"]},
                                                   {"minutes": 12, "paid": True, "window": ["01:30", "02:30"]}]}],
        roster={"time_limit_s": 20, "gap": 0.05, "min_rest_hours": 11, "start_band_minutes": 180, "under_penalty": 50},
    )
    fc = hourly_forecast(days=7, scale=0.3)
    six = pd.date_range(pd.Timestamp(MONDAY), periods=7 * 240, freq="6min")
    volume = np.repeat(fc["volume"].to_numpy() / 10, 10)
    st = staff(pd.DataFrame({"timestamp": six, "queue": "q", "volume": volume, "aht": 280.0}), cfg)
    res = roster(st, cfg, weeks=2, explain=True)
    e = res.explained
    adds_up(e)
    assert e.paid_hours == pytest.approx(res.paid_hours, abs=1e-9)
    assert e.paid_hours == 37.5 * res.agents * 2
    kept = len(res.assignments) - sum(s.contract_minimum_shifts for s in e.by_shift)
    assert e.part("paid_breaks").hours == pytest.approx(0.2 * kept)  # 12 paid minutes a shift kept
    assert e.part("workload").hours == pytest.approx(2 * (volume * 280).sum() / 3600)
    again = coverage(res.assignments, st, cfg, start=MONDAY, weeks=2)
    assert e.required_hours == pytest.approx(0.1 * again["required_scheduled"].sum())
