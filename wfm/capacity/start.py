"""A whole hiring plan to start the MILP from: classes built from the LP relaxation's hires, then improved by
local moves, every candidate costed exactly as :mod:`wfm.capacity.model` costs it.

Why: the relaxation hires a few people every week where a class must hire ``class_min`` at once, so HiGHS's
own heuristics take seconds to find a plan near the bound (and at high attrition keep plans 1-2% above it
for many seconds). Given the classes, the rest of the plan is separable by week (overtime, then agency, then
short, cheapest first, :func:`fill`), so a candidate costs a few numpy operations and a local search can try
thousands. The result is only a start: HiGHS still proves the gap, and keeps whichever plan is cheaper.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from wfm.capacity.model import Inputs, Model, hire_costs, output_matrix, start_values


@dataclass
class Costing:
    """What a plan's cost is read from: per contract its FTE weight (paid hours / ``fte_hours``), the hires'
    output matrix (``out[t, s]``: productive share in week t of a person hired in week s), per-head cost of a
    hire in each week (NaN where the contract does not hire), the productive FTE of the people on hand."""

    inputs: Inputs
    weight: np.ndarray  # (contracts,)
    out: np.ndarray  # (weeks, weeks)
    head_cost: np.ndarray  # (contracts, weeks)
    base: np.ndarray  # (weeks,)
    allowed: np.ndarray  # (weeks,) bool: a class may start that week (lead time, freeze, some contract hires)

    @classmethod
    def of(cls, inputs: Inputs) -> Costing:
        n = inputs.n
        fte = inputs.cap.fte_hours
        weight = np.array([ct.hours / fte for ct in inputs.contracts])
        base = sum((w * ct.productive0 for w, ct in zip(weight, inputs.contracts, strict=True)), np.zeros(n))
        head_cost = hire_costs(inputs)
        h = inputs.cap.hiring
        frozen = {pd.Timestamp(d) for d in h.freeze_weeks}
        allowed = np.array([s >= h.lead_time_weeks and inputs.weeks[s] not in frozen for s in range(n)])
        allowed &= np.isfinite(head_cost).any(axis=0)
        return cls(inputs, weight, output_matrix(inputs), head_cost, np.asarray(base, float), allowed)

    def productive(self, x: np.ndarray) -> np.ndarray:
        """Productive FTE per week (before shrinkage) with class sizes ``x`` (contracts x weeks).

        numpy's own loops (einsum), not BLAS: a threaded BLAS sums in an order that depends on its thread
        count (a Dask worker runs one thread), and the plan must not depend on where it is computed."""
        return self.base + np.einsum("ts,s->t", self.out, np.einsum("c,cs->s", self.weight, x))

    def cost(self, x: np.ndarray, productive: np.ndarray | None = None) -> float:
        """The model's objective less its constant, for class sizes ``x``."""
        p = self.productive(x) if productive is None else productive
        hired = np.nansum(np.where(x > 0, self.head_cost, 0.0) * x)
        return float(hired + fill(self.inputs, p)[3].sum())


def fill(inputs: Inputs, productive: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The cheapest overtime hours, agency hours and FTE short covering each week's requirement given its
    productive FTE, and their cost per week: the model's choice once the classes are fixed (each week alone,
    the cheapest cover first within its cap)."""
    cap = inputs.cap
    fte = cap.fte_hours
    need = np.maximum(inputs.required - (1.0 - inputs.shrinkage) * productive, 0.0)  # FTE
    sources = sorted([(cap.overtime_cost_per_hour * fte, "overtime"), (cap.agency_cost_per_hour * fte, "agency"),
                      (cap.short_penalty_per_fte_week, "short")])
    caps = {"overtime": cap.overtime_hours_per_fte * np.maximum(productive, 0.0) / fte,
            "agency": np.full(len(need), cap.agency_hours_per_week / fte), "short": np.full(len(need), np.inf)}
    got = {}
    cost = np.zeros(len(need))
    for price, name in sources:
        take = np.minimum(need, caps[name])
        got[name] = take
        cost += price * take
        need = need - take
    return got["overtime"] * fte, got["agency"] * fte, got["short"], cost


def trainers_ok(inputs: Inputs, classes: np.ndarray) -> bool:
    """At most ``max_classes`` of the weeks flagged in ``classes`` within any ``training_weeks`` in a row."""
    h = inputs.cap.hiring
    span = max(1, h.training_weeks)
    if span <= h.max_classes:
        return True
    return bool((np.convolve(classes.astype(int), np.ones(span, dtype=int))[: len(classes)] <= h.max_classes).all())


def from_relaxation(cost: Costing, x_lp: np.ndarray) -> np.ndarray:
    """Classes from the relaxation's hires (contracts x weeks): walking the weeks, a class starts where the
    relaxation hires and takes that week's hires and the next weeks' until it holds ``class_min`` (hiring them
    earlier than the relaxation would, never later), at most ``class_max``; a week no class may start in
    (trainers busy) passes its hires to the next. Whole people per contract by largest remainder."""
    h = cost.inputs.cap.hiring
    n = cost.inputs.n
    pending = np.where(np.isfinite(cost.head_cost), np.maximum(x_lp, 0.0), 0.0)
    x = np.zeros(pending.shape, dtype=int)
    classes = np.zeros(n, dtype=bool)
    for s in range(n):
        here = pending[:, s].copy()
        if here.sum() < 0.05:
            continue
        classes[s] = True
        if not cost.allowed[s] or not trainers_ok(cost.inputs, classes):
            classes[s] = False
            if s + 1 < n:
                pending[:, s + 1] += here
            continue
        pending[:, s] = 0.0
        j = s + 1
        while here.sum() < h.class_min - 0.5 and j < n:
            need = h.class_min - here.sum()
            part = pending[:, j] * min(1.0, need / max(pending[:, j].sum(), 1e-12))
            here += part
            pending[:, j] -= part
            j += 1
        size = int(np.clip(round(here.sum()), h.class_min, h.class_max))
        if here.sum() > h.class_max and s + 1 < n:  # beyond one class: the rest to the next week
            pending[:, s + 1] += here * (1.0 - h.class_max / here.sum())
        x[:, s] = _whole(here, size)
    return x


def _whole(shares: np.ndarray, size: int) -> np.ndarray:
    """``size`` people split over the contracts in proportion to ``shares`` (largest remainder)."""
    if shares.sum() <= 0:
        shares = np.ones_like(shares)
    exact = shares / shares.sum() * size
    out = np.floor(exact).astype(int)
    rest = size - int(out.sum())
    if rest > 0:
        out[np.argsort(-(exact - out), kind="stable")[:rest]] += 1
    return out


def improve(cost: Costing, x: np.ndarray, max_passes: int = 30) -> np.ndarray:
    """Local search from ``x``: one person more or fewer in a class, one moved to another contract, a class a
    week earlier or later, dropped, or a ``class_min`` class added in an empty week; the first move that lowers
    the cost is kept, until a whole pass finds none (or ``max_passes``)."""
    h = cost.inputs.cap.hiring
    n = cost.inputs.n
    x = x.copy()
    hiring = np.flatnonzero(np.isfinite(cost.head_cost).any(axis=1))
    p = cost.productive(x)
    best = cost.cost(x, p)

    def attempt(candidate: np.ndarray) -> bool:
        nonlocal x, p, best
        if not trainers_ok(cost.inputs, candidate.sum(axis=0) > 0):
            return False
        q = cost.productive(candidate)
        value = cost.cost(candidate, q)
        if value < best - 1e-6:
            x, p, best = candidate, q, value
            return True
        return False

    for _ in range(max_passes):
        improved = False
        for s in range(n):
            total = int(x[:, s].sum())
            if total == 0:
                if cost.allowed[s]:
                    for c in hiring:
                        if np.isfinite(cost.head_cost[c, s]):
                            cand = x.copy()
                            cand[c, s] = h.class_min
                            if attempt(cand):
                                improved = True
                                break
                continue
            for c in hiring:
                if not np.isfinite(cost.head_cost[c, s]):
                    continue
                for d in (1, -1):
                    if (d > 0 and total < h.class_max) or (d < 0 and x[c, s] > 0 and total > h.class_min):
                        cand = x.copy()
                        cand[c, s] += d
                        improved |= attempt(cand)
                        total = int(x[:, s].sum())
                for c2 in hiring:
                    if c2 != c and x[c, s] > 0 and np.isfinite(cost.head_cost[c2, s]):
                        cand = x.copy()
                        cand[c, s] -= 1
                        cand[c2, s] += 1
                        improved |= attempt(cand)
            if x[:, s].sum() == 0:
                continue
            cand = x.copy()
            cand[:, s] = 0
            if attempt(cand):
                improved = True
                continue
            for to in (s - 1, s + 1):
                if 0 <= to < n and cost.allowed[to] and x[:, to].sum() == 0 and np.isfinite(
                        cost.head_cost[:, to][x[:, s] > 0]).all():
                    cand = x.copy()
                    cand[:, to] = x[:, s]
                    cand[:, s] = 0
                    if attempt(cand):
                        improved = True
                        break
        if not improved:
            break
    return x


def start_from(model: Model) -> dict[str, float]:
    """The start for ``model`` once its LP relaxation's values are on its variables (``solve_highs``'s
    ``start_from_lp``): classes from the relaxation, improved, as every variable's value."""
    cost = Costing.of(model.inputs)
    x_lp = np.zeros((len(model.inputs.contracts), model.inputs.n))
    for (c, s), v in model.x.items():
        x_lp[c, s] = v.varValue or 0.0
    return start_values(model, improve(cost, from_relaxation(cost, x_lp)))
