"""wfm.roster.roster end to end: the recipe on tiny instances and on a realistic small week.

Instances are tiny (60-minute intervals, a week or two) so every test solves in about a second. Each rule
has its own test in tests/roster/test_rules.py; each module of the package its file in tests/roster/.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from roster_cases import (
    MONDAY,
    config,
    contract_violations,
    hourly_forecast,
    one_shift_config,
    requirement_staffing,
)

from wfm.errors import InputError
from wfm.roster import (
    ROSTER_COLUMNS,
    roster,
)
from wfm.staffing import staff


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


def test_weeks_out_of_range():
    with pytest.raises(InputError, match="--weeks must be 1 to 6"):
        roster(requirement_staffing([1] * 168), one_shift_config(5, 40), weeks=7)


def test_no_demand_no_agents():
    r = roster(requirement_staffing([0] * 168), one_shift_config(5, 40))
    assert r.agents == 0 and r.objective == 0 and len(r.assignments) == 0
    assert r.worst_interval is None and r.under_agent_intervals == 0
    assert list(r.assignments.columns) == ROSTER_COLUMNS
