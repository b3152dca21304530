"""The MILP's start (wfm.capacity.start): its costing against the brute-force costing of the tiny instance for
every plan, its plans against every row of the model, and its place beside the solver's."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pulp
import pytest

from tests.capacity.test_model import CONFIG, TINY, TINY_REQ, TINY_SHRINK, brute_cost, cap_file, requirement
from wfm.capacity import model, start
from wfm.capacity.run import inputs_for
from wfm.capacity.settings import CapacityFile


def tiny_inputs() -> model.Inputs:
    return inputs_for(CONFIG, cap_file(**TINY), requirement(TINY_REQ, TINY_SHRINK))


def test_the_costing_equals_the_brute_force_cost_of_every_tiny_plan():
    """For all 4^6 plans the start's costing (classes, then each week's cheapest overtime, agency and short)
    differs from the brute-force cost by one constant: the wages of the people on hand."""
    inputs = tiny_inputs()
    cost = start.Costing.of(inputs)
    offset = brute_cost((0,) * 6) - cost.cost(np.zeros((len(inputs.contracts), 6)))
    full_time = [ct.name for ct in inputs.contracts].index("full_time")
    for sizes in itertools.product(range(4), repeat=6):
        x = np.zeros((len(inputs.contracts), 6))
        x[full_time] = sizes
        assert cost.cost(x) + offset == pytest.approx(brute_cost(sizes), rel=1e-12), sizes
    m = model.build(inputs)
    assert offset == pytest.approx(model.objective(m).constant, rel=1e-12)


def test_the_start_of_the_tiny_instance_is_its_optimum():
    """Class sizes 1..3 with one class in training at once: the relaxation's classes improved by local moves
    reach the brute-force optimum."""
    inputs = tiny_inputs()
    m = model.build(inputs)
    relax(m)
    values = start.start_from(m)
    sizes = tuple(int(round(values[m.x[c, s].name])) for (c, s) in sorted(m.x))
    best = min(brute_cost(s) for s in itertools.product(range(4), repeat=6))
    assert brute_cost(sizes) == pytest.approx(best, rel=1e-9)


def relax(m: model.Model) -> float:
    """Solve ``m``'s LP relaxation in place (its values on the variables, as solve_highs leaves them for the
    start); the relaxation's objective."""
    kinds = {v.name: v.cat for v in m.prob.variables()}
    for v in m.prob.variables():
        v.cat = pulp.LpContinuous
    m.prob.solve(pulp.HiGHS(msg=False))
    for v in m.prob.variables():
        v.cat = kinds[v.name]
    return float(pulp.value(m.prob.objective))


def rule_file(attrition: float) -> CapacityFile:
    """52 weeks on the example's contracts with every class rule in play: lead time, training and nesting,
    classes of 8 to 20, two in training at once, a frozen month, new hires leaving faster."""
    return CapacityFile.model_validate({"capacity": {
        "start": "2027-01-04", "weeks": 52, "attrition_per_year": attrition,
        "attrition_by_tenure": [{"weeks": 13, "attrition_per_year": max(attrition, 0.8)}],
        "overtime_hours_per_fte": 2.0, "agency_hours_per_week": 120.0,
        "hiring": {"lead_time_weeks": 4, "training_weeks": 3, "nesting_productivity": [0.5, 0.7, 0.85],
                   "fail_rate": 0.1, "class_min": 8, "class_max": 20, "max_classes": 2, "cost_per_hire": 3000.0,
                   "freeze_weeks": ["2027-05-03", "2027-05-10", "2027-05-17", "2027-05-24"],
                   "contracts": ["full_time", "part_time"]},
        "headcount": [{"contract": "full_time", "agents": 150}, {"contract": "part_time", "agents": 30}]}})


@pytest.mark.parametrize("attrition", [0.35, 1.5, 4.0])
def test_the_start_satisfies_every_row_of_the_model(attrition):
    """Built from the relaxation of a 52-week plan with a rising requirement, the start meets every row of
    the MILP (class sizes, lead time, freeze, trainers, cover, overtime, agency), its people are whole, and it
    costs no less than the relaxation's bound (nor, improved, more than the classes it was built from)."""
    weeks = 52
    req = requirement(np.linspace(118.0, 150.0, weeks), shrinkage=0.3)
    inputs = inputs_for(CONFIG, rule_file(attrition), req)
    m = model.build(inputs)
    bound = relax(m)
    cost = start.Costing.of(inputs)
    x_lp = np.array([[m.x[c, s].varValue or 0.0 if (c, s) in m.x else 0.0 for s in range(inputs.n)]
                     for c in range(len(inputs.contracts))])
    first = start.from_relaxation(cost, x_lp)
    better = start.improve(cost, first)
    assert cost.cost(better) <= cost.cost(first) + 1e-6
    values = start.start_values(m, better)
    for v in m.prob.variables():
        v.varValue = values[v.name]
    broken = [name for name, row in m.prob.constraints.items() if not row.valid(1e-6)]
    assert broken == []
    sizes = better.sum(axis=0)
    assert set(np.unique(sizes)) <= {0} | set(range(8, 21))
    assert all(float(values[v.name]).is_integer() for v in m.x.values())
    assert pulp.value(m.prob.objective) >= bound - 1e-6
    assert pulp.value(m.prob.objective) == pytest.approx(cost.cost(better) + model.objective(m).constant, rel=1e-9)
    frozen = pd.DatetimeIndex(["2027-05-03", "2027-05-10", "2027-05-17", "2027-05-24"])
    assert sizes[inputs.weeks.isin(frozen)].sum() == 0 and sizes[:4].sum() == 0
    assert sizes.sum() > 0


def test_the_solver_keeps_the_cheaper_of_its_plan_and_the_start():
    """plan_for hands the start to HiGHS: the plan it returns costs no more than the start."""
    from wfm.capacity.run import _with, plan_for

    cap = _with(rule_file(1.5), {"gap": 0.01})
    req = requirement(np.linspace(118.0, 150.0, 52), shrinkage=0.3)
    inputs = inputs_for(CONFIG, cap, req)
    m = model.build(inputs)
    relax(m)
    values = start.start_from(m)
    for v in m.prob.variables():
        v.varValue = values[v.name]
    start_cost = pulp.value(m.prob.objective)
    plan = plan_for(CONFIG, cap, req)
    assert plan.objective <= start_cost + 1e-6
