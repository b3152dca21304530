"""The least-cost hiring plan: a MILP (PuLP + HiGHS through :func:`wfm.milp.solve_highs`) that decides when
classes start, for which contract and how large, and the overtime and agency hours of each week.

Decisions: ``x[c, s]`` people of contract ``c`` in the class starting in week ``s`` (whole people; one class a
week, its people on any contract classes hire into: trainers train people, not contracts), ``y[s]`` whether it
runs; ``overtime[t]``, ``agency[t]`` hours and ``short[t]`` FTE short of the requirement in week t.
Everything else is linear in them (:mod:`wfm.capacity.flows`): a class's people in week t are
``x * survival[t - s]``, its output ``x * survival[t - s] * productivity[t - s]``.

The FTE on the phones in week t (``effective``): each contract's productive people times its paid hours over
``fte_hours``, less the week's shrinkage, plus the overtime and agency hours over ``fte_hours`` (worked on
the phones). Minimised: wages of everyone employed (trainees and hires who later leave included) + cost per
hire + training cost per trainee-week + overtime + agency + ``short_penalty_per_fte_week`` per FTE short.

Each rule is one ``add_<rule>`` function in :data:`CONSTRAINTS`, with rows named from the data
(``cover_20270104``, ``class_max_full_time_20270201``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pulp

from wfm.capacity.flows import Curves
from wfm.capacity.settings import CapacitySettings


@dataclass
class ContractTerms:
    """A contract's paid hours a week and cost per paid hour, whether classes hire into it, and its people on
    hand per week of the horizon (heads, productive heads, trainees)."""

    name: str
    hours: float
    rate: float
    hires: bool
    heads0: np.ndarray
    productive0: np.ndarray
    trainees0: np.ndarray


@dataclass
class Inputs:
    """Everything the model reads: the weeks, the requirement (FTE on the phones) and shrinkage per week, the
    contracts, the tenure curves and the settings."""

    weeks: pd.DatetimeIndex
    required: np.ndarray
    shrinkage: np.ndarray
    contracts: list[ContractTerms]
    curves: Curves
    cap: CapacitySettings

    @property
    def n(self) -> int:
        return len(self.weeks)


@dataclass
class Model:
    inputs: Inputs
    prob: pulp.LpProblem
    x: dict[tuple[int, int], pulp.LpVariable]  # (contract index, start week) -> people
    y: dict[int, pulp.LpVariable]  # start week -> the class runs
    overtime: list[pulp.LpVariable]
    agency: list[pulp.LpVariable]
    short: list[pulp.LpVariable]
    productive: list[pulp.LpAffineExpression] = field(default_factory=list)  # productive FTE (before shrinkage)
    effective: list[pulp.LpAffineExpression] = field(default_factory=list)  # FTE on the phones

    def week(self, t: int) -> str:
        return f"{self.inputs.weeks[t]:%Y%m%d}"


def build(inputs: Inputs) -> Model:
    """Variables, the expressions every rule reads, then :data:`CONSTRAINTS` and the objective."""
    cap, n = inputs.cap, inputs.n
    prob = pulp.LpProblem("capacity", pulp.LpMinimize)
    x, y = {}, {}
    hiring = [c for c, terms in enumerate(inputs.contracts) if terms.hires]
    for s in range(n):
        if hiring:
            y[s] = pulp.LpVariable(f"class_{inputs.weeks[s]:%Y%m%d}", cat="Binary")
        for c in hiring:
            tag = f"{inputs.contracts[c].name}_{inputs.weeks[s]:%Y%m%d}"
            x[c, s] = pulp.LpVariable(f"hire_{tag}", 0, cap.hiring.class_max, cat="Integer")
    overtime = [pulp.LpVariable(f"overtime_{inputs.weeks[t]:%Y%m%d}", 0) for t in range(n)]
    agency = [pulp.LpVariable(f"agency_{inputs.weeks[t]:%Y%m%d}", 0) for t in range(n)]
    short = [pulp.LpVariable(f"short_{inputs.weeks[t]:%Y%m%d}", 0) for t in range(n)]
    m = Model(inputs, prob, x, y, overtime, agency, short)
    out = output_matrix(inputs)
    fte = cap.fte_hours
    for t in range(n):
        terms = []
        const = 0.0
        for c, ct in enumerate(inputs.contracts):
            w = ct.hours / fte
            const += w * ct.productive0[t]
            terms += [(x[c, s], w * out[t, s]) for s in range(t + 1) if (c, s) in x and out[t, s] > 0]
        prod = pulp.LpAffineExpression(terms, constant=const)
        m.productive.append(prod)
        m.effective.append((1.0 - inputs.shrinkage[t]) * prod + (overtime[t] + agency[t]) / fte)
    for rule in CONSTRAINTS:
        rule(m)
    prob += objective(m), "cost"
    return m


def objective(m: Model) -> pulp.LpAffineExpression:
    """Wages (everyone employed, by contract), cost per hire, training, overtime, agency and FTE short."""
    inp, cap = m.inputs, m.inputs.cap
    const = sum(ct.rate * ct.hours * float(ct.heads0.sum()) + cap.hiring.training_cost_per_week * float(
        ct.trainees0.sum()) for ct in inp.contracts)
    per_head = hire_costs(inp)
    terms = [(v, float(per_head[c, s])) for (c, s), v in m.x.items()]
    terms += [(v, cap.overtime_cost_per_hour) for v in m.overtime]
    terms += [(v, cap.agency_cost_per_hour) for v in m.agency]
    terms += [(v, cap.short_penalty_per_fte_week) for v in m.short]
    return pulp.LpAffineExpression(terms, constant=const)


def output_matrix(inputs: Inputs) -> np.ndarray:
    """``out[t, s]``: the share of a person hired in week s still employed and productive in week t (survival
    times productivity at tenure t - s; 0 before s)."""
    cur, n = inputs.curves, inputs.n
    lag = np.arange(n)[:, None] - np.arange(n)[None, :]
    share = cur.survival[:n] * cur.productivity[:n]
    return np.where(lag >= 0, share[np.clip(lag, 0, n - 1)], 0.0)


def hire_costs(inputs: Inputs) -> np.ndarray:
    """Per contract and start week, what one person hired costs over the rest of the horizon (wages while
    employed, training while in training, the cost per hire); NaN where the contract does not hire."""
    cap, cur, n = inputs.cap, inputs.curves, inputs.n
    last = n - 1 - np.arange(n)  # a person hired in week s is employed at tenures 0 .. n - 1 - s
    employed = np.cumsum(cur.survival[:n])[last]
    training = np.cumsum(cur.survival[:n] * cur.training[:n])[last]
    out = np.full((len(inputs.contracts), n), np.nan)
    for c, ct in enumerate(inputs.contracts):
        if ct.hires:
            out[c] = ct.rate * ct.hours * employed + cap.hiring.training_cost_per_week * training + cap.hiring.cost_per_hire
    return out


def start_values(m: Model, x: np.ndarray) -> dict[str, float]:
    """Every variable's value for the plan with class sizes ``x`` (contracts x weeks): the classes, and each
    week's cheapest overtime, agency and short (:func:`wfm.capacity.start.fill`)."""
    from wfm.capacity.start import Costing, fill

    cost = Costing.of(m.inputs)
    overtime, agency, short, _ = fill(m.inputs, cost.productive(x))
    values = {v.name: float(x[c, s]) for (c, s), v in m.x.items()}
    values.update({v.name: float(x[:, s].sum() > 0) for s, v in m.y.items()})
    for t in range(m.inputs.n):
        values[m.overtime[t].name] = float(overtime[t])
        values[m.agency[t].name] = float(agency[t])
        values[m.short[t].name] = float(short[t])
    return values


# --------------------------------------------------------------------------- the rules
def add_cover(m: Model) -> None:
    """FTE on the phones plus FTE short at least the week's requirement (short is penalised, not forbidden)."""
    for t in range(m.inputs.n):
        m.prob += m.effective[t] + m.short[t] >= float(m.inputs.required[t]), f"cover_{m.week(t)}"


def add_class_sizes(m: Model) -> None:
    """A week's class runs (y = 1) with class_min to class_max people over the contracts, or not at all."""
    h = m.inputs.cap.hiring
    for s, y in m.y.items():
        people = pulp.lpSum(x for (c, w), x in m.x.items() if w == s)
        m.prob += people >= h.class_min * y, f"class_min_{m.week(s)}"
        m.prob += people <= h.class_max * y, f"class_max_{m.week(s)}"


def add_lead_time(m: Model) -> None:
    """No class starts before ``lead_time_weeks``: it is decided that long before it starts, from week 0."""
    lead = m.inputs.cap.hiring.lead_time_weeks
    for s, y in m.y.items():
        if s < lead:
            m.prob += y == 0, f"lead_time_{m.week(s)}"


def add_freeze(m: Model) -> None:
    """No class starts in a hiring freeze week."""
    frozen = {pd.Timestamp(d) for d in m.inputs.cap.hiring.freeze_weeks}
    for s, y in m.y.items():
        if m.inputs.weeks[s] in frozen:
            m.prob += y == 0, f"freeze_{m.week(s)}"


def add_trainers(m: Model) -> None:
    """At most ``max_classes`` classes in training at once (a class trains ``training_weeks`` weeks; with no
    training, one class a week is all there is)."""
    h = m.inputs.cap.hiring
    span = max(1, h.training_weeks)
    if span <= h.max_classes:
        return  # one class a week can never put more than span in training together
    for t in range(m.inputs.n):
        running = [y for s, y in m.y.items() if t - span < s <= t]
        if len(running) > h.max_classes:
            m.prob += pulp.lpSum(running) <= h.max_classes, f"trainers_{m.week(t)}"


def add_overtime(m: Model) -> None:
    """Overtime hours at most ``overtime_hours_per_fte`` per productive FTE that week."""
    per = m.inputs.cap.overtime_hours_per_fte
    for t in range(m.inputs.n):
        m.prob += m.overtime[t] <= per * m.productive[t], f"overtime_{m.week(t)}"


def add_agency(m: Model) -> None:
    """Agency hours at most ``agency_hours_per_week``."""
    top = m.inputs.cap.agency_hours_per_week
    for t in range(m.inputs.n):
        m.prob += m.agency[t] <= top, f"agency_{m.week(t)}"


CONSTRAINTS: list[Callable[[Model], None]] = [
    add_class_sizes, add_lead_time, add_freeze, add_trainers, add_cover, add_overtime, add_agency,
]
