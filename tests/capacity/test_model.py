"""The hiring MILP against answers known without the solver: steady state in closed form, the start of a class
ahead of a step in the requirement, brute-force enumeration of a tiny instance; and each add_<rule> alone."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from wfm.capacity import model
from wfm.capacity.run import plan_for
from wfm.capacity.settings import CapacityFile, load_capacity
from wfm.config import load_config
from wfm.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
CONFIG = load_config(ROOT / "configs" / "example.toml")
START = "2027-01-04"


def cap_file(**kw) -> CapacityFile:
    hiring = {"lead_time_weeks": 0, "training_weeks": 0, "class_min": 1, "class_max": 100, "max_classes": 1,
              "contracts": ["full_time"], **kw.pop("hiring", {})}
    data = {"start": START, "weeks": 20, "attrition_per_year": 0.0, "requirement_fte": 0.0, "hiring": hiring,
            "headcount": kw.pop("headcount", [{"contract": "full_time", "agents": 100}]), **kw}
    return CapacityFile.model_validate({"capacity": data})


def requirement(values, shrinkage: float = 0.0) -> pd.DataFrame:
    values = np.asarray(values, dtype=float)
    return pd.DataFrame({"week": pd.date_range(START, periods=len(values), freq="7D"), "required_fte": values,
                         "shrinkage": shrinkage, "peak": False})


def test_steady_state_hires_requirement_times_weekly_attrition():
    """520 FTE, 100% a year (1/52 a week), no ramp, no lead time: 10 hires every week after the first, to the
    agent; the headcount stays 520; the bound proves it."""
    cap = cap_file(weeks=20, attrition_per_year=1.0, headcount=[{"contract": "full_time", "agents": 520}])
    plan = plan_for(CONFIG, cap, requirement([520.0] * 20))
    assert list(plan.weeks["hires"]) == [0] + [10] * 19
    assert np.allclose(plan.weeks["headcount"], 520.0) and np.allclose(plan.weeks["leavers"], 10.0)
    assert plan.exit_code == 0 and plan.gap < 1e-6
    assert plan.total_cost == pytest.approx(520 * 40 * 1.0 * 20)  # wages only: 520 people x 40 h x 1.0 x 20 weeks


@pytest.mark.parametrize("lead,training,nesting", [(4, 3, []), (2, 2, [0.5, 0.8]), (0, 1, [0.6])])
def test_a_class_starts_lead_time_and_ramp_before_the_first_short_week(lead, training, nesting):
    """The requirement steps from 100 to 112 FTE in week 12 with no attrition: one class of 12 is decided L +
    training + nesting weeks before week 12 and starts training + nesting weeks before it, so its people
    answer at full speed from week 12 (earlier costs wages, later costs the short penalty)."""
    step = 12
    cap = cap_file(weeks=20, hiring={"lead_time_weeks": lead, "training_weeks": training,
                                     "nesting_productivity": nesting})
    plan = plan_for(CONFIG, cap, requirement([100.0] * step + [112.0] * 8))
    weeks = pd.date_range(START, periods=20, freq="7D")
    assert len(plan.classes) == 1
    c = plan.classes.iloc[0]
    assert c["size"] == 12
    assert c["start"] == weeks[step - training - len(nesting)]
    assert c["decided"] == weeks[step - training - len(nesting) - lead]
    assert plan.exit_code == 0


# --------------------------------------------------------------------------- brute force
TINY = dict(weeks=6, tail_weeks=0, attrition_per_year=2.6, overtime_hours_per_fte=4.0, overtime_cost_per_hour=1.5,
            agency_hours_per_week=20.0, agency_cost_per_hour=2.5, short_penalty_per_fte_week=300.0,
            hiring={"training_weeks": 1, "nesting_productivity": [0.5], "fail_rate": 0.2, "class_min": 1,
                    "class_max": 3, "max_classes": 1, "cost_per_hire": 50.0, "training_cost_per_week": 10.0},
            headcount=[{"contract": "full_time", "agents": 2}])
TINY_REQ = [2.0, 2.5, 3.5, 4.0, 4.0, 3.0]
TINY_SHRINK = 0.1


def brute_cost(sizes: tuple[int, ...]) -> float:
    """The plan's cost for class sizes per week, worked out week by week with plain loops (not wfm's curves):
    each class loses 2.6/52 of its people a week and 20% at the end of its one training week; the two on hand
    are mature; each week's gap is closed at least cost by overtime (1.5/h, up to 4 h per productive FTE),
    agency (2.5/h, up to 20 h) and then the short penalty (300 per FTE)."""
    weeks, keep, hours, rate = 6, 1 - 2.6 / 52, 40.0, 1.0
    cost = 0.0
    for t in range(weeks):
        heads = 2 * keep ** t
        productive = heads
        trainees = 0.0
        for s, x in enumerate(sizes):
            if x == 0 or s > t:
                continue
            k = t - s
            alive = x * keep ** k * (0.8 if k >= 1 else 1.0)  # the 20% leave at the end of week 0 (training)
            heads += alive
            if k == 0:
                trainees += alive
            else:
                productive += alive * (0.5 if k == 1 else 1.0)
        cost += rate * hours * heads + 10.0 * trainees + 50.0 * (sizes[t] if t < len(sizes) else 0)
        effective = productive * (1 - TINY_SHRINK)
        gap = max(TINY_REQ[t] - effective, 0.0)  # FTE
        ot = min(gap, 4.0 * productive / hours)  # overtime FTE: 1.5 x 40 = 60 a FTE
        cost += ot * 60.0
        gap -= ot
        ag = min(gap, 20.0 / hours)  # agency FTE: 2.5 x 40 = 100 a FTE
        cost += ag * 100.0
        gap -= ag
        cost += gap * 300.0
    return cost


def test_a_tiny_instance_matches_brute_force_over_every_plan():
    """6 weeks, class sizes 0 or 1..3 each week: the MILP's plan and cost equal the best of all 4^6 plans."""
    best = min((brute_cost(sizes), sizes) for sizes in itertools.product(range(4), repeat=6))
    plan = plan_for(CONFIG, cap_file(**TINY), requirement(TINY_REQ, TINY_SHRINK))
    sizes = tuple(int(v) for v in plan.weeks["hires"])
    assert plan.objective == pytest.approx(best[0], rel=1e-9)
    assert brute_cost(sizes) == pytest.approx(best[0], rel=1e-9)
    assert plan.total_cost == pytest.approx(best[0], rel=1e-9)
    assert plan.gap < 1e-6


# --------------------------------------------------------------------------- each rule
def solve(cap: CapacityFile, req) -> model.Model:
    from wfm.capacity.run import plan_for as _plan

    return _plan(CONFIG, cap, requirement(req))


def test_add_class_sizes_a_class_is_class_min_or_more():
    plan = solve(cap_file(weeks=6, hiring={"class_min": 5}), [100, 100, 102, 102, 102, 102])
    assert list(plan.classes["size"]) == [5]  # 2 needed, but a class has at least 5
    plan = solve(cap_file(weeks=6, hiring={"class_min": 1}), [100, 100, 102, 102, 102, 102])
    assert list(plan.classes["size"]) == [2]


def test_add_class_sizes_at_most_class_max_so_two_classes():
    plan = solve(cap_file(weeks=6, hiring={"class_max": 3, "max_classes": 2}), [100, 100, 105, 105, 105, 105])
    assert plan.classes["size"].sum() == 5 and plan.classes["size"].max() <= 3
    assert plan.exit_code == 0


def test_add_lead_time_no_class_before_it():
    plan = solve(cap_file(weeks=8, hiring={"lead_time_weeks": 3}), [110] * 8)
    assert plan.classes["start"].min() == pd.Timestamp(START) + pd.Timedelta(weeks=3)
    short = plan.weeks["short_fte"].to_numpy()
    assert np.allclose(short[:3], 10.0) and np.allclose(short[3:], 0.0) and plan.exit_code == 1


def test_add_freeze_moves_the_class_earlier():
    freeze = [f"{pd.Timestamp(START) + pd.Timedelta(weeks=4):%Y-%m-%d}"]
    plan = solve(cap_file(weeks=8, hiring={"freeze_weeks": freeze}), [100] * 4 + [104] * 4)
    assert list(plan.classes["start"]) == [pd.Timestamp(START) + pd.Timedelta(weeks=3)]
    plan = solve(cap_file(weeks=8), [100] * 4 + [104] * 4)
    assert list(plan.classes["start"]) == [pd.Timestamp(START) + pd.Timedelta(weeks=4)]


def test_add_trainers_caps_classes_in_training_at_once():
    """20 more FTE from week 5, classes of at most 10, 3 training weeks: max_classes 2 trains two classes at once
    (starts less than 3 weeks apart, nothing short); max_classes 1 never overlaps them, so the plan falls short."""
    base = {"weeks": 10, "hiring": {"training_weeks": 3, "class_max": 10, "contracts": ["full_time", "part_time"]}}
    req = [100] * 5 + [120] * 5

    def starts(plan) -> list[pd.Timestamp]:
        return sorted(plan.classes["start"])

    two = solve(cap_file(**{**base, "hiring": {**base["hiring"], "max_classes": 2}}), req)
    one = solve(cap_file(**{**base, "hiring": {**base["hiring"], "max_classes": 1}}), req)
    s2, s1 = starts(two), starts(one)
    assert two.exit_code == 0 and any((b - a).days < 21 for a, b in zip(s2, s2[1:], strict=False))
    assert all((b - a).days >= 21 for a, b in zip(s1, s1[1:], strict=False)) and one.exit_code == 1


def test_add_overtime_and_add_agency_cover_a_short_week_up_to_their_caps():
    cap = cap_file(weeks=4, overtime_hours_per_fte=2.0, agency_hours_per_week=80.0,
                   hiring={"lead_time_weeks": 3})
    plan = solve(cap, [100, 106, 100, 100])  # 6 FTE = 240 h short in week 1; no class can start yet
    w = plan.weeks.iloc[1]
    assert w["overtime_hours"] == pytest.approx(200.0)  # 2 h x 100 FTE: its cap
    assert w["agency_hours"] == pytest.approx(40.0)  # the rest, under the agency cap of 80
    assert w["short_fte"] == pytest.approx(0.0, abs=1e-6)
    plan = solve(cap_file(weeks=4, overtime_hours_per_fte=0.5, agency_hours_per_week=40.0,
                          hiring={"lead_time_weeks": 3}), [100, 106, 100, 100])
    w = plan.weeks.iloc[1]
    assert (w["overtime_hours"], w["agency_hours"]) == pytest.approx((50.0, 40.0))
    assert w["short_fte"] == pytest.approx(6 - 90 / 40) and plan.exit_code == 1


def test_add_cover_short_is_penalised_not_forbidden():
    plan = solve(cap_file(weeks=3, hiring={"lead_time_weeks": 2}), [100, 101, 100])
    assert plan.weeks["short_fte"].round(6).tolist() == [0.0, 1.0, 0.0] and plan.exit_code == 1


def test_every_rule_has_a_test():
    names = {f.__name__ for f in model.CONSTRAINTS}
    text = Path(__file__).read_text()
    import re

    missing = sorted(n for n in names if not re.search(rf"def test_\w*{n}", text))
    assert not missing, missing


# --------------------------------------------------------------------------- the capacity file
@pytest.mark.parametrize("edit,match", [
    ("attrition_per_year = 25", r"capacity.attrition_per_year.*leavers in a year / average headcount"),
    ("nesting_productivity = [0.5, 1.2]", r"capacity.hiring.nesting_productivity.*outside \[0, 1\]"),
    ("class_min = 30", r"capacity.hiring.*class_min 30 is above class_max 20"),
    ("lead_time_weeks = 60", r"lead_time_weeks 60 is not shorter than the horizon's 52 weeks"),
    ("start = \"2027-01-05\"", r"capacity.start.*is a Tuesday"),
])
def test_bad_capacity_files_name_the_key(tmp_path, edit, match):
    key = edit.split(" = ")[0]
    text = (ROOT / "configs" / "capacity.toml").read_text()
    lines = [edit if line.split("=")[0].strip() == key else line for line in text.splitlines()]
    assert lines != text.splitlines()
    path = tmp_path / "c.toml"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ConfigError, match=match):
        load_capacity(path)


def test_the_attrition_convention_400_percent_is_a_third_a_month():
    from wfm.capacity.flows import curves

    cap = cap_file(attrition_per_year=4.0).capacity
    c = curves(cap, 60)
    assert 1 - c.survival[4] / c.survival[0] == pytest.approx(1 - (1 - 4 / 52) ** 4)
    assert 4 * 4.0 / 52 == pytest.approx(0.3077, abs=1e-4)  # linear: 30.8% in four weeks, "about a third"
    assert math.isclose(c.leaving[10] / c.survival[10], 4 / 52)
