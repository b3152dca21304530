"""wfm.roster: the aggregated tour MILP, its rules, named assignment and coverage recomputation.

Instances are tiny (60-minute intervals, a week or two) so every test solves in about a second.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from wfm import erlang
from wfm.config import parse_config
from wfm.errors import ConfigError, InfeasibleRoster, InputError
from wfm.io import atomic_write_csv
from wfm.roster import (
    CONSTRAINTS,
    ROSTER_COLUMNS,
    coverage,
    day_patterns,
    read_agents,
    read_roster,
    roster,
    start_bands,
)
from wfm.staffing import queue_targets, staff

MONDAY = date(2026, 1, 5)


def config(**over: object):
    """A small centre: 60-minute intervals, open 07:00-24:00, full-time day/late shifts and part-timers."""
    data: dict = {
        "centre": {"name": "Tiny", "interval_minutes": 60},
        "queues": [{"name": "q", "service_level": 0.8, "answer_within_s": 20, "shrinkage": 0.0, "aht_s": 300}],
        "contracts": [
            {"name": "full_time", "days_per_week": 5, "paid_hours_per_week": 40, "consecutive_days_off": 2,
             "cost_per_paid_hour": 1.0},
            {"name": "part_time", "days_per_week": [3, 4], "paid_hours_per_week": [12, 16],
             "cost_per_paid_hour": 1.2, "max_share": 0.5},
        ],
        "shifts": [
            {"name": "day", "contracts": ["full_time"], "start": ["07:00", "09:00"], "start_step_minutes": 60,
             "length_minutes": 540, "breaks": [{"minutes": 60, "paid": False, "window": ["03:00", "06:00"]}]},
            {"name": "late", "contracts": ["full_time"], "start": ["14:00", "15:00"], "start_step_minutes": 60,
             "length_minutes": 540, "breaks": [{"minutes": 60, "paid": False, "window": ["03:00", "06:00"]}]},
            {"name": "part", "contracts": ["part_time"], "start": ["10:00", "18:00"], "start_step_minutes": 120,
             "length_minutes": 240},
        ],
        "roster": {"time_limit_s": 30, "gap": 0.03, "min_rest_hours": 11, "start_band_minutes": 60,
                   "under_penalty": 50},
    }
    for key, value in over.items():
        data[key] = value
    return parse_config(data, source="tiny.toml")


def hourly_forecast(days: int = 7, scale: float = 1.0) -> pd.DataFrame:
    idx = pd.date_range(pd.Timestamp(MONDAY), periods=24 * days, freq="60min")
    h = idx.hour.to_numpy()
    volume = np.where(h >= 7, 40 + 60 * np.exp(-(((h - 12) / 3.0) ** 2)) + 40 * np.exp(-(((h - 19) / 2.0) ** 2)), 0.0)
    volume = volume * (1 + 0.15 * (idx.day_of_week.to_numpy() < 5)) * scale
    return pd.DataFrame({"timestamp": idx, "queue": "q", "volume": np.round(volume, 1), "aht": 300.0})


def volume_for_agents(n: int) -> float:
    """The fewest calls an hour (in steps of 0.5) for which queue "q" (80/20, AHT 300 s, no shrinkage) needs
    exactly ``n`` agents, so summed and pooled requirements alike give ``n``."""
    if n == 0:
        return 0.0
    targets = queue_targets(config().queues[0])
    grid = np.arange(0.5, 200.0, 0.5)
    need = erlang.required_agents(grid, np.full(len(grid), 300.0), 3600.0, targets)
    return float(grid[np.flatnonzero(need == n)[0]])


def requirement_staffing(required: list[int] | np.ndarray, start: date = MONDAY) -> pd.DataFrame:
    """A staffing frame asking for ``required`` agents hour by hour (volume sized to match exactly)."""
    req = np.asarray(required, dtype=np.int64)
    idx = pd.date_range(pd.Timestamp(start), periods=len(req), freq="60min")
    volume = {n: volume_for_agents(int(n)) for n in np.unique(req)}
    return pd.DataFrame({
        "timestamp": idx, "queue": "q", "volume": [volume[n] for n in req], "aht": 300.0, "agents": req,
        "fractional_agents": req.astype(float), "scheduled": req,
    })


def one_shift_config(days, hours, *, consecutive_days_off=0, start="09:00", length=480, breaks=(), cost=1.0):
    """One contract, one template at one start time; solved to optimality (gap 0)."""
    return config(
        roster={"time_limit_s": 30, "gap": 0.0, "min_rest_hours": 11},
        contracts=[{"name": "c", "days_per_week": days, "paid_hours_per_week": hours,
                    "consecutive_days_off": consecutive_days_off, "cost_per_paid_hour": cost}],
        shifts=[{"name": "s", "contracts": ["c"], "start": [start, start], "length_minutes": length,
                 "breaks": list(breaks)}],
    )


@pytest.fixture(scope="module")
def week():
    cfg = config()
    st = staff(hourly_forecast(), cfg)
    return cfg, st, roster(st, cfg)


# --------------------------------------------------------------------------- known optimum, bounds
def test_tiny_instance_optimum_known_by_hand():
    # One agent needed 09:00-17:00 on all 7 days; agents work 5 days of 8 h: two agents (80 paid hours)
    # beat leaving two days uncovered (2 x 8 agent-hours x 50). The LP relaxation takes 7/5 of an agent: 56.
    req = np.zeros(7 * 24, dtype=int)
    for d in range(7):
        req[d * 24 + 9 : d * 24 + 17] = 1
    cfg = one_shift_config(5, 40)
    r = roster(requirement_staffing(req), cfg)
    assert r.objective == pytest.approx(80.0)
    assert r.cost == pytest.approx(80.0)
    assert r.paid_hours == pytest.approx(80.0)
    assert r.agents == 2
    assert r.under_agent_intervals == 0
    assert r.over_agent_intervals == 3 * 8  # 10 agent-days for 7 days of work
    assert r.lower_bound <= r.objective + 1e-6
    assert r.lower_bound >= 56.0 - 1e-6
    assert len(r.assignments) == 10
    assert set(r.assignments["start"]) == {"09:00"} and set(r.assignments["end"]) == {"17:00"}


def test_lower_bound_is_a_real_bound_not_the_objective():
    req = np.zeros(7 * 24, dtype=int)
    for d in range(7):
        req[d * 24 + 9 : d * 24 + 17] = 1
    cfg = one_shift_config(5, 40)
    r = roster(requirement_staffing(req), cfg, solver="cbc")
    # CBC's bound is the LP relaxation: 1.4 agents x 40 h, strictly below the integer optimum of 80
    assert r.lower_bound == pytest.approx(56.0)
    assert r.objective == pytest.approx(80.0)
    assert r.gap == pytest.approx((80 - 56) / 80)


def test_breaks_are_staggered_to_follow_demand():
    # Two agents 09:00-14:00 with a 60-minute unpaid break starting 10:00, 11:00 or 12:00; demand 2,1,1,2,2
    # forces one break at 10:00 and the other at 11:00 (both at once would leave 10:00 uncovered).
    req = np.zeros(7 * 24, dtype=int)
    req[9:14] = [2, 1, 1, 2, 2]
    cfg = one_shift_config(1, 4, length=300, breaks=[{"minutes": 60, "paid": False, "window": ["01:00", "04:00"]}])
    r = roster(requirement_staffing(req), cfg)
    assert r.objective == pytest.approx(8.0)  # 2 agents x 4 paid hours
    assert r.under_agent_intervals == 0
    assert sorted(r.assignments["breaks"]) == ["10:00-11:00", "11:00-12:00"]
    assert set(r.assignments["date"]) == {"2026-01-05"}


def test_cbc_and_highs_agree_on_small_instances():
    req = np.zeros(7 * 24, dtype=int)
    for d in range(7):
        req[d * 24 + 9 : d * 24 + 14] = [2, 1, 1, 2, 2] if d % 2 else [1, 2, 1, 1, 2]
    cfg = one_shift_config([3, 5], [12, 20], length=300,
                           breaks=[{"minutes": 60, "paid": False, "window": ["01:00", "04:00"]}])
    a = roster(requirement_staffing(req), cfg, solver="highs")
    b = roster(requirement_staffing(req), cfg, solver="cbc")
    assert a.solver == "highs" and b.solver == "cbc"
    assert a.objective == pytest.approx(b.objective)
    assert a.under_agent_intervals == b.under_agent_intervals
    assert a.lower_bound <= a.objective + 1e-6 and b.lower_bound <= b.objective + 1e-6


# --------------------------------------------------------------------------- the realistic small week
def test_coverage_recomputed_from_roster_csv_equals_coverage(week, tmp_path):
    cfg, st, r = week
    atomic_write_csv(tmp_path / "roster.csv", r.assignments)
    again = coverage(read_roster(tmp_path / "roster.csv"), st, cfg)
    pd.testing.assert_frame_equal(again, r.coverage)
    # and independently: count agents on shift minus on break, hour by hour, from the text alone
    on = np.zeros(7 * 24, dtype=int)
    for row in read_roster(tmp_path / "roster.csv").itertuples():
        s = datetime.fromisoformat(f"{row.date} {row.start}")
        e = datetime.fromisoformat(f"{row.date} {row.end}")
        e += timedelta(days=1) if e <= s else timedelta(0)
        hours = [s + timedelta(hours=i) for i in range(int((e - s).total_seconds() // 3600))]
        for b in filter(None, row.breaks.split(";")):
            b0 = datetime.fromisoformat(f"{row.date} {b[:5]}")
            b0 += timedelta(days=1) if b0 < s else timedelta(0)
            hours.remove(b0)
        for h in hours:
            on[int((h - datetime(2026, 1, 5)).total_seconds() // 3600) % (7 * 24)] += 1
    assert on.tolist() == r.coverage["rostered"].tolist()
    assert (r.coverage["under"] == np.maximum(r.coverage["required_scheduled"] - on, 0)).all()


def test_breaks_inside_their_windows(week):
    cfg, _, r = week
    templates = {t.name: t for t in cfg.shifts}
    assert len(r.assignments)
    for row in r.assignments.itertuples():
        t = templates[row.shift]
        s = datetime.fromisoformat(f"{row.date} {row.start}")
        breaks = [b for b in row.breaks.split(";") if b]
        assert len(breaks) == len(t.breaks)
        for b, spec in zip(breaks, t.breaks, strict=True):
            b0 = datetime.fromisoformat(f"{row.date} {b[:5]}")
            b0 += timedelta(days=1) if b0 < s else timedelta(0)
            lo = s + timedelta(hours=int(spec.window[0][:2]), minutes=int(spec.window[0][3:]))
            hi = s + timedelta(hours=int(spec.window[1][:2]), minutes=int(spec.window[1][3:]))
            assert lo <= b0 and b0 + timedelta(minutes=spec.minutes) <= hi


def contract_violations(frame: pd.DataFrame, cfg, start: date, weeks: int) -> list[str]:
    """Every contract rule, checked agent by agent from the roster frame alone."""
    contracts = {c.name: c for c in cfg.contracts}
    templates = {t.name: t for t in cfg.shifts}
    rest = timedelta(hours=cfg.roster.min_rest_hours)
    bad = []
    for agent, g in frame.groupby("agent_id"):
        c = contracts[g["contract"].iloc[0]]
        if g["contract"].nunique() != 1:
            bad.append(f"{agent}: more than one contract")
        if g["date"].duplicated().any():
            bad.append(f"{agent}: two shifts on a day")
        starts = pd.to_datetime(g["date"] + " " + g["start"])
        spans = []
        for row, s in zip(g.itertuples(), starts, strict=True):
            t = templates[row.shift]
            if c.name not in t.contracts:
                bad.append(f"{agent}: shift {row.shift} does not serve {c.name}")
            spans.append((s, s + timedelta(minutes=t.length_minutes), t))
        spans.sort(key=lambda x: x[0])
        for (_, e1, _), (s2, _, _) in zip(spans, spans[1:], strict=False):
            if s2 - e1 < rest:
                bad.append(f"{agent}: {s2 - e1} rest before {s2}")
        for k in range(weeks):
            w0 = pd.Timestamp(start + timedelta(days=7 * k))
            in_week = [sp for sp in spans if w0 <= sp[0] < w0 + timedelta(days=7)]
            days_on = [(sp[0] - w0).days for sp in in_week]
            lo, hi = c.days_range
            if not lo <= len(in_week) <= hi:
                bad.append(f"{agent}: {len(in_week)} days in week {k + 1}")
            paid = sum(
                (t.length_minutes - sum(b.minutes for b in t.breaks if not b.paid)) / 60 for _, _, t in in_week
            )
            if not c.hours_range[0] - 1e-9 <= paid <= c.hours_range[1] + 1e-9:
                bad.append(f"{agent}: {paid} paid hours in week {k + 1}")
            off = "".join("0" if d in days_on else "1" for d in range(7))
            if c.consecutive_days_off and "1" * c.consecutive_days_off not in off:
                bad.append(f"{agent}: no {c.consecutive_days_off} consecutive days off in week {k + 1}")
            minutes = [sp[0].hour * 60 + sp[0].minute for sp in in_week]
            if minutes and max(minutes) - min(minutes) > cfg.roster.start_band_minutes:
                bad.append(f"{agent}: starts spread {max(minutes) - min(minutes)} min in week {k + 1}")
    return bad


def test_every_contract_rule_holds_for_every_agent(week):
    cfg, _, r = week
    assert contract_violations(r.assignments, cfg, MONDAY, 1) == []
    assert r.agents == r.assignments["agent_id"].nunique()
    by = r.assignments.drop_duplicates("agent_id")["contract"].value_counts().to_dict()
    assert by == {k: v for k, v in r.agents_by_contract.items() if v}
    assert r.agents_by_contract["part_time"] <= 0.5 * r.agents  # max_share
    assert all(v == 0 for v in r.hard.values())


def test_same_input_same_output(week):
    cfg, st, r = week
    again = roster(st, cfg)
    pd.testing.assert_frame_equal(again.assignments, r.assignments)
    pd.testing.assert_frame_equal(again.coverage, r.coverage)
    assert again.objective == r.objective


def test_roster_frame_shape_and_summary_keys(week):
    _, _, r = week
    assert list(r.assignments.columns) == ROSTER_COLUMNS
    assert list(r.coverage.columns) == ["timestamp", "required_scheduled", "rostered", "over", "under", "service_level"]
    s = r.summary()
    for key in ("objective", "lower_bound", "gap", "paid_hours", "cost", "agents", "agents_by_contract",
                "under_agent_intervals", "worst_interval", "solve_seconds", "solver"):
        assert key in s
    assert s["paid_hours"] == pytest.approx(
        sum(40 if c == "full_time" else 0 for c in r.assignments.drop_duplicates("agent_id")["contract"])
        + 4 * (r.assignments["contract"] == "part_time").sum()
    )
    assert r.lower_bound <= r.objective + 1e-6 and 0 <= r.gap <= 0.03
    assert r.gap == pytest.approx((r.objective - r.lower_bound) / r.objective)
    assert r.under_agent_intervals == int(r.coverage["under"].sum()) == 0


# --------------------------------------------------------------------------- multi-week and named agents
def test_two_weeks_from_one_week_of_staffing_keeps_agents_and_rules():
    cfg = config()
    st = staff(hourly_forecast(), cfg)
    r = roster(st, cfg, weeks=2)
    assert r.weeks == 2
    dates = pd.to_datetime(r.assignments["date"])
    assert dates.min() >= pd.Timestamp(MONDAY) and dates.max() < pd.Timestamp(MONDAY) + timedelta(days=14)
    assert len(r.coverage) == 14 * 24
    # the second week asks what the first did
    assert r.coverage["required_scheduled"].iloc[:168].tolist() == r.coverage["required_scheduled"].iloc[168:].tolist()
    assert contract_violations(r.assignments, cfg, MONDAY, 2) == []
    weeks = (dates - pd.Timestamp(MONDAY)).dt.days // 7
    per_week = r.assignments.assign(week=weeks).groupby("week")["agent_id"].nunique().tolist()
    assert per_week == [r.agents, r.agents]
    # weeks solved one after the other; the bound is the whole fortnight's LP relaxation
    assert r.under_agent_intervals == 0
    assert r.objective == pytest.approx(r.cost)
    assert 0 < r.lower_bound <= r.objective and r.gap == pytest.approx(1 - r.lower_bound / r.objective)
    assert r.gap < 0.05


def test_named_agents_respect_unavailability_and_limits(tmp_path):
    cfg = config()
    st = staff(hourly_forecast(scale=0.5), cfg)
    base = roster(st, cfg)
    need = base.agents_by_contract
    lines = ["agent_id,contract,unavailable,preferred_shifts"]
    for i in range(need["full_time"] + 2):
        un = "2026-01-05;2026-01-06" if i < 3 else ""
        lines.append(f"F{i:02d},full_time,{un},")
    for i in range(need["part_time"] + 1):
        lines.append(f"P{i:02d},part_time,,part")
    (tmp_path / "agents.csv").write_text("\n".join(lines) + "\n")
    agents = read_agents(tmp_path / "agents.csv", cfg)
    r = roster(st, cfg, agents=agents)
    assert r.objective == pytest.approx(base.objective)
    assert set(r.assignments["agent_id"]) <= set(agents["agent_id"])
    off = r.assignments[r.assignments["agent_id"].isin(["F00", "F01", "F02"])]
    assert not off["date"].isin(["2026-01-05", "2026-01-06"]).any()
    assert r.hard["unavailable"] == 0
    assert len(r.unused_agents) == len(agents) - r.agents >= 3
    assert contract_violations(r.assignments, cfg, MONDAY, 1) == []


def test_too_few_named_agents_leaves_a_stated_shortfall(tmp_path):
    cfg = config()
    st = staff(hourly_forecast(scale=0.5), cfg)
    agents = pd.DataFrame({"agent_id": ["F1", "F2"], "contract": "full_time", "unavailable": "",
                           "preferred_shifts": ""})
    r = roster(st, cfg, agents=agents)
    assert r.agents <= 2
    assert r.under_agent_intervals > 0
    assert r.under_agent_intervals == int(r.coverage["under"].sum())
    assert (r.uncovered["under"] > 0).all() and len(r.uncovered) == int((r.coverage["under"] > 0).sum())


# --------------------------------------------------------------------------- rules, one by one
def test_constraints_list_hard_rules_first():
    levels = [rule.level for rule in CONSTRAINTS]
    assert levels == sorted(levels)  # "hard" < "soft"
    assert {"cover", "breaks", "max_share", "min_rest", "start_band", "under_coverage"} <= {r.name for r in CONSTRAINTS}


def test_model_constraint_names_are_stable():
    from wfm.roster import build_model, check_roster_config, horizon_requirement

    cfg = config()
    shifts = check_roster_config(cfg)
    start, idx, req, _ = horizon_requirement(staff(hourly_forecast(), cfg), cfg, None, 1)
    m = build_model(req, idx, cfg, shifts, 1, False)
    for name in ("cover_20260105_0900", "cover_20260111_2300", "max_share_part_time_0", "break_day_0_0_0",
                 "tour_day_0_0", "shift_part_4_6"):
        assert m.prob.get_constraint_by_name(name) is not None, name
    assert m.prob.get_constraint_by_name("cover_20260112_0000") is None


def test_day_patterns_meet_days_and_consecutive_days_off():
    c = config().contracts[0]
    pats = day_patterns(c)
    assert len(pats) == 6  # 5 days on, the 2 days off adjacent inside the week
    assert all(sum(p) == 5 for p in pats)
    assert (True, True, True, True, True, False, False) in pats
    assert (False, True, True, True, True, True, False) not in pats


def test_start_bands_are_maximal_groups_within_the_band():
    from wfm.roster import shifts_of

    t = config().shifts[2]  # part: 10:00..18:00 every 2 h
    sh = shifts_of(t, 60)
    assert [s.start_minute for s in sh] == [600, 720, 840, 960, 1080]
    assert start_bands(sh, 120) == [(0, 2), (1, 3), (2, 4), (3, 5)]
    assert start_bands(sh, 0) == [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5)]
    assert start_bands(sh, 600) == [(0, 5)]


def test_max_share_caps_the_cheaper_contract():
    # part-timers are cheaper here, so without max_share the plan would use only them
    cfg = config(contracts=[
        {"name": "full_time", "days_per_week": 5, "paid_hours_per_week": 40, "cost_per_paid_hour": 1.0},
        {"name": "part_time", "days_per_week": [3, 4], "paid_hours_per_week": [12, 16],
         "cost_per_paid_hour": 0.5, "max_share": 0.25},
    ])
    r = roster(staff(hourly_forecast(), cfg), cfg)
    assert r.agents_by_contract["part_time"] >= 1
    assert r.agents_by_contract["part_time"] <= 0.25 * r.agents + 1e-9


def test_min_rest_keeps_late_then_early_apart():
    # a 14:00-23:00 shift then a 07:00 start leaves 8 h: the tour types never pair them in one week
    cfg = config()
    r = roster(staff(hourly_forecast(), cfg), cfg)
    frame = r.assignments
    for _agent, g in frame.groupby("agent_id"):
        assert g["shift"].nunique() == 1 or set(g["shift"]) <= {"day"}


def test_strict_with_too_few_agents_is_infeasible():
    cfg = config()
    st = staff(hourly_forecast(), cfg)
    agents = pd.DataFrame({"agent_id": ["F1"], "contract": ["full_time"], "unavailable": [""],
                           "preferred_shifts": [""]})
    with pytest.raises(InfeasibleRoster, match="--strict"):
        roster(st, cfg, agents=agents, strict=True)


# --------------------------------------------------------------------------- contradictory configs
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"shifts": [{"name": "s", "contracts": ["full_time"], "start": ["09:00", "09:00"], "length_minutes": 480}]},
         "contract 'part_time' is served by no shift template"),
        ({"shifts": [{"name": "s", "contracts": ["full_time", "part_time"], "start": ["09:00", "09:00"],
                      "length_minutes": 240, "breaks": [{"minutes": 60, "window": ["03:00", "05:00"]}]}]},
         "shift 's': break 1 window 03:00-05:00 ends after the 4h00 shift"),
        ({"contracts": [{"name": "full_time", "days_per_week": 5, "paid_hours_per_week": [30, 35]}],
          "shifts": [{"name": "s", "contracts": ["full_time"], "start": ["09:00", "09:00"], "length_minutes": 480}]},
         "contract 'full_time': hours cannot add up: 5-5 days of 's' 8 h paid never give 30-35 paid hours a week"),
        ({"shifts": [{"name": "s", "contracts": ["full_time", "ghost"], "start": ["09:00", "09:00"],
                      "length_minutes": 480}]},
         "shift 's' serves unknown contract 'ghost'"),
        ({"shifts": [{"name": "s", "contracts": ["full_time", "part_time"], "start": ["09:00", "09:00"],
                      "length_minutes": 480, "breaks": [{"minutes": 60, "window": ["02:00", "04:00"]},
                                                        {"minutes": 60, "window": ["03:00", "05:00"]}]}]},
         "break windows overlap"),
    ],
)
def test_contradictory_configs_name_the_conflict(change, message):
    cfg = config(**change)
    with pytest.raises(ConfigError) as err:
        roster(requirement_staffing([1] * 168), cfg)
    assert message in str(err.value)
    assert str(err.value).startswith("tiny.toml: ")


def test_staffing_too_short_for_the_horizon():
    cfg = one_shift_config(5, 40)
    with pytest.raises(InputError, match="staffing has no interval 2026-01-08 00:00"):
        roster(requirement_staffing([1] * 72), cfg)


def test_weeks_out_of_range():
    with pytest.raises(InputError, match="--weeks must be 1 to 6"):
        roster(requirement_staffing([1] * 168), one_shift_config(5, 40), weeks=7)


# --------------------------------------------------------------------------- readers
def test_read_roster_names_file_line_and_field(tmp_path):
    p = tmp_path / "roster.csv"
    p.write_text(
        "agent_id,contract,date,shift,start,end,breaks\n"
        "A0001,c,2026-01-05,s,09:00,17:00,12:00-13:00\n"
        "A0001,c,2026-01-06,s,09:00,17:00,12:00-1300\n"
    )
    with pytest.raises(InputError) as err:
        read_roster(p)
    assert str(err.value) == f"{p}, line 3, field 'breaks': '12:00-1300' is not a break HH:MM-HH:MM (breaks are separated by ';')"


def test_read_agents_checks_contracts_and_dates(tmp_path):
    p = tmp_path / "agents.csv"
    p.write_text("agent_id,contract,unavailable\nF1,full_time,2026-01-05\nF2,gig,\n")
    with pytest.raises(InputError) as err:
        read_agents(p, config())
    assert str(err.value) == f"{p}, line 3, field 'contract': unknown contract 'gig' (the config has: full_time, part_time)"
    p.write_text("agent_id,contract,unavailable\nF1,full_time,5 Jan\n")
    with pytest.raises(InputError, match="line 2, field 'unavailable': is not a date: '5 Jan'"):
        read_agents(p, config())


def test_example_config_is_coverable_in_principle(example_config):
    from wfm.config import load_config
    from wfm.roster import check_roster_config, tour_types

    cfg = load_config(example_config)
    shifts = check_roster_config(cfg)
    tours = tour_types(cfg, shifts)
    hours = {t.contract: set() for t in tours}
    for t in tours:
        hours[t.contract].add(t.paid_hours)
    assert hours["full_time"] == {40.0}
    assert hours["part_time"] == {15.0, 20.0, 25.0}
    # every minute of the day is on site for some start of some template
    covered = np.zeros(1440, dtype=bool)
    for sh in shifts.values():
        for s in sh:
            covered[(s.start_minute + np.arange(s.length_minutes)) % 1440] = True
    assert covered.all()
    assert not math.isnan(cfg.roster.under_penalty)


# --------------------------------------------------------------------------- penalties, limits, progress
def test_under_coverage_penalty_is_exact():
    # three agents wanted 09:00-17:00 on Monday, only two named: 8 agent-intervals short at 50 each
    req = np.zeros(7 * 24, dtype=int)
    req[9:17] = 3
    cfg = one_shift_config(1, 8)
    agents = pd.DataFrame({"agent_id": ["X", "Y"], "contract": "c", "unavailable": "", "preferred_shifts": ""})
    r = roster(requirement_staffing(req), cfg, agents=agents)
    assert r.under_agent_intervals == 8
    assert r.soft["under_coverage"] == {"amount": 8, "penalty": 400.0}
    assert r.objective == pytest.approx(16 + 400)
    assert r.uncovered["timestamp"].dt.hour.tolist() == list(range(9, 17))
    # and nothing broken when three agents exist
    agents3 = pd.concat([agents, agents.assign(agent_id="Z").iloc[:1]])
    ok = roster(requirement_staffing(req), cfg, agents=agents3)
    assert ok.under_agent_intervals == 0 and ok.soft["under_coverage"] == {"amount": 0, "penalty": 0.0}
    assert ok.objective == pytest.approx(24)


def test_rest_between_weeks_and_fair_weekends_for_named_agents():
    # one agent a day, every day, 09:00-17:00, for two weeks: 2 agents; each works a share of the weekends
    req = np.zeros(7 * 24, dtype=int)
    for d in range(7):
        req[d * 24 + 9 : d * 24 + 17] = 1
    cfg = one_shift_config(5, 40, consecutive_days_off=2)
    r = roster(requirement_staffing(req), cfg, weeks=2)
    assert r.agents == 2 and r.under_agent_intervals == 0
    assert r.hard == {"cover_strict_violations": 0, "unavailable": 0, "min_rest_between_weeks": 0}
    assert contract_violations(r.assignments, cfg, MONDAY, 2) == []
    weekend = pd.to_datetime(r.assignments["date"]).dt.day_of_week >= 5
    per_agent = r.assignments[weekend.to_numpy()].groupby("agent_id").size()
    assert per_agent.sum() >= 4  # 2 weekends x 2 days, at least one agent a day
    assert len(per_agent) == 2 and per_agent.max() - per_agent.min() <= 1
    assert r.soft["fair_weekends"]["amount"] == per_agent.max() - per_agent.min()


def test_time_limit_returns_the_best_plan_with_its_gap():
    cfg = config(roster={"time_limit_s": 30, "gap": 0.0, "min_rest_hours": 11, "start_band_minutes": 60})
    st = staff(hourly_forecast(days=7, scale=3.0), cfg)
    r = roster(st, cfg, time_limit_s=0.5)
    assert r.status == "Time limit reached"
    assert r.lower_bound < r.objective
    assert r.gap == pytest.approx((r.objective - r.lower_bound) / r.objective)


def test_progress_printer_draws_one_line():
    import io

    from wfm.roster import progress_printer

    buf = io.StringIO()
    show = progress_printer(buf)
    show({"incumbent": math.inf, "bound": -math.inf, "gap": math.inf, "seconds": 0.2})
    show({"incumbent": 1304.0, "bound": 1292.8, "gap": 0.0086, "seconds": 3.4})
    assert buf.getvalue() == (
        "\rsolving: best -  bound -  gap -  0 s   "
        "\rsolving: best 1,304.0  bound 1,292.8  gap 0.86%  3 s   "
    )


def test_progress_callback_sees_incumbent_and_bound():
    seen = []
    cfg = config()
    roster(staff(hourly_forecast(), cfg), cfg, progress=seen.append)
    assert seen and {"incumbent", "bound", "gap", "seconds"} <= set(seen[-1])
    assert seen[-1]["bound"] <= seen[-1]["incumbent"]


def test_seats_cap_agents_on_site():
    # three agents wanted 09:00-17:00 on Monday but two seats: the third is never rostered
    req = np.zeros(7 * 24, dtype=int)
    req[9:17] = 3
    cfg = one_shift_config(1, 8)
    assert roster(requirement_staffing(req), cfg).agents == 3
    cfg.roster.seats = 2
    r = roster(requirement_staffing(req), cfg)
    assert r.agents == 2
    assert r.under_agent_intervals == 8
    assert r.objective == pytest.approx(16 + 8 * 50)


def test_rounded_start_is_a_whole_feasible_plan():
    import pulp

    from wfm.roster import build_model, check_roster_config, horizon_requirement, rounded_start

    cfg = config()
    start, idx, req, _ = horizon_requirement(staff(hourly_forecast(), cfg), cfg, None, 1)
    m = build_model(req, idx, cfg, check_roster_config(cfg), 1, False)
    m.prob.solve(pulp.PULP_CBC_CMD(msg=False, mip=False))
    lp = pulp.value(m.prob.objective)
    assert rounded_start(m)
    broken = [name for name, c in m.prob.constraints.items() if not c.valid(1e-6)]
    assert broken == []
    assert all(float(v.varValue).is_integer() for v in m.prob.variables() if v.cat == pulp.LpInteger)
    assert lp <= pulp.value(m.prob.objective) <= 1.5 * lp  # a start for CBC, not the answer


def test_agents_away_on_a_day_limit_the_tours_working_it():
    # one agent a day, every day; X is away Monday and Tuesday, Y Wednesday: exactly one tour may work each
    # of those days, and the named assignment then keeps both off their dates
    req = np.zeros(7 * 24, dtype=int)
    for d in range(7):
        req[d * 24 + 9 : d * 24 + 17] = 1
    cfg = one_shift_config(5, 40)
    agents = pd.DataFrame({"agent_id": ["X", "Y"], "contract": "c",
                           "unavailable": ["2026-01-05;2026-01-06", "2026-01-07"], "preferred_shifts": ""})
    r = roster(requirement_staffing(req), cfg, agents=agents)
    assert r.under_agent_intervals == 0 and r.objective == pytest.approx(80)
    assert r.hard["unavailable"] == 0
    x = set(r.assignments.loc[r.assignments["agent_id"] == "X", "date"])
    y = set(r.assignments.loc[r.assignments["agent_id"] == "Y", "date"])
    assert not x & {"2026-01-05", "2026-01-06"} and "2026-01-07" not in y
    assert len(x) == len(y) == 5


def test_violations_message_names_broken_hard_rules(week):
    import dataclasses

    from wfm.roster import violations_message

    _, _, r = week
    assert violations_message(r) == ""
    bad = dataclasses.replace(r, hard={"cover_strict_violations": 0, "unavailable": 2, "min_rest_between_weeks": 1})
    assert violations_message(bad) == (
        "hard rules broken: 2 shift(s) on an agent's unavailable date, "
        "1 week change(s) with less than the minimum rest"
    )


def test_staffing_on_another_interval_grid_is_an_input_error():
    cfg = one_shift_config(5, 40)  # 60-minute intervals
    st = requirement_staffing([1] * 168)
    st["timestamp"] = pd.date_range(pd.Timestamp(MONDAY), periods=168, freq="30min")
    with pytest.raises(InputError, match="staffing intervals are 30 minutes but the config's interval_minutes is 60"):
        roster(st, cfg)


def test_no_demand_no_agents():
    r = roster(requirement_staffing([0] * 168), one_shift_config(5, 40))
    assert r.agents == 0 and r.objective == 0 and len(r.assignments) == 0
    assert r.worst_interval is None and r.under_agent_intervals == 0
    assert list(r.assignments.columns) == ROSTER_COLUMNS
