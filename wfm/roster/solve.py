"""Solving the roster model: HiGHS through :func:`wfm.milp.solve_highs`, or CBC from a rounded LP start; and
reading the solved counts back.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pulp

from wfm.milp import highs_available, largest_remainder, solve_highs
from wfm.roster.model import Model, build_cover_model, periods_of
from wfm.roster.rows import count_spans
from wfm.roster.trim import trim_tours

START_ROUND_UP = 0.7  # the LP's agents taking calls are rounded up from this fraction of an agent. On the example
# week from 0.3 the start over-covered (7,225 paid hours, cards simulated 3.3 points over its target) and HiGHS did
# not improve it in 90 s; from 0.7: 7,185 h. From 0.5 the cover solve hit its time limit there (a start that
# depends on the machine's speed). The 1,300-seat bench week with day targets: 0.08% in 55-68 s from 0.7, 0.29%
# in 60 s from 0.3 (make bench, docs/benchmarks.md)


@dataclass
class SolveResult:
    status: str
    objective: float
    lower_bound: float
    seconds: float
    solver: str


def rounded_start(m: Model) -> bool:
    """Turn the LP relaxation's values (on the variables) into a whole plan: tours rounded to the nearest
    whole agent, starts and breaks dealt in proportion to the LP, slacks from the resulting coverage. Sets
    the variables' values (a MIP start for CBC). Returns False when the rounding breaks a hard rule
    (max_share, headcount, agents available), so no start is given."""
    w = _rounded_tours(m)
    if not _tours_keep_headcount(m, w):
        return False
    if any(m.prob.get_constraint_by_name(f"available_{c.name}_0") is not None for c in m.config.contracts):
        return False
    x = _rounded_starts(m, w)
    y = _rounded_breaks(m, x)
    for key, var in m.w.items():
        var.varValue = float(w[key])
    return _set_slacks(m, rostered_from_counts(m, {"x": x, "y": y}))


def _rounded_tours(m: Model) -> dict[tuple[int, int], int]:
    """Per contract, template, band and week: the LP's agents rounded up, dealt over its day patterns; then
    the most rounded-up tours of a contract over its max_share dropped."""
    groups: dict[tuple[str, str, int, int], list[tuple[int, int]]] = {}
    for (ti, k) in m.w:
        t = m.tours[ti]
        groups.setdefault((t.contract, t.template, t.band, k), []).append((ti, k))
    w: dict[tuple[int, int], int] = {}
    for keys in groups.values():
        lp = np.array([m.w[key].varValue or 0.0 for key in keys])
        for key, n in zip(keys, largest_remainder(lp, math.ceil(lp.sum() - 0.05)), strict=True):
            w[key] = int(n)
    for k in range(m.weeks):
        for c in m.config.contracts:
            while c.max_share is not None:  # drop the most rounded-up tours of a contract over its share
                total = sum(n for (ti, kk), n in w.items() if kk == k)
                mine = [key for key in w if key[1] == k and m.tours[key[0]].contract == c.name and w[key] > 0]
                if not mine or sum(w[key] for key in mine) <= c.max_share * total + 1e-9:
                    break
                worst = max(mine, key=lambda key: (w[key] - (m.w[key].varValue or 0.0), -key[0]))
                w[worst] -= 1
    return w


def _tours_keep_headcount(m: Model, w: dict[tuple[int, int], int]) -> bool:
    """Every week has as many agents of each contract as the first (the headcount rule)."""
    for k in range(1, m.weeks):
        for c in m.config.contracts:
            n_c = sum(n for (ti, kk), n in w.items() if kk == k and m.tours[ti].contract == c.name)
            n_0 = sum(n for (ti, kk), n in w.items() if kk == 0 and m.tours[ti].contract == c.name)
            if n_0 != n_c:
                return False
    return True


def _rounded_starts(m: Model, w: dict[tuple[int, int], int]) -> dict[tuple[str, int, int], int]:
    """Each band's working agents on a day dealt over its starts in proportion to the LP's ``z``; sets ``z``."""
    working: dict[tuple[str, int, int], int] = {}
    for (ti, k), n in w.items():
        t = m.tours[ti]
        for dow in range(7):
            if n and m.works(ti, k, dow):
                key = (t.template, t.band, 7 * k + dow)
                working[key] = working.get(key, 0) + n
    x = {key: 0 for key in m.x}
    for tname, bands in m.bands.items():
        for b, (i, j) in enumerate(bands):
            for d in range(7 * m.weeks):
                keys = [(tname, b, s, d) for s in range(i, j)]
                alloc = largest_remainder([m.z[key].varValue or 0.0 for key in keys], working.get((tname, b, d), 0))
                for key, n in zip(keys, alloc, strict=True):
                    m.z[key].varValue = float(n)
                    x[(tname, key[2], d)] += int(n)
    return x


def _rounded_breaks(m: Model, x: dict[tuple[str, int, int], int]) -> dict[tuple[str, int, int, int, int], int]:
    """Each start's shifts dealt over its break offsets in proportion to the LP's ``y``; sets ``x`` and ``y``."""
    ivl = m.config.planning_interval_minutes
    y: dict[tuple[str, int, int, int, int], int] = {}
    for (tname, s, d), n in x.items():
        m.x[(tname, s, d)].varValue = float(n)
        for k, (_, _, e, l_) in enumerate(m.shifts[tname][s].breaks):
            keys = [(tname, s, d, k, o) for o in range(e, l_ + 1, ivl)]
            alloc = largest_remainder([m.y[key].varValue or 0.0 for key in keys], n)
            for key, a in zip(keys, alloc, strict=True):
                m.y[key].varValue = float(a)
                y[key] = int(a)
    return y


def _set_slacks(m: Model, rostered: np.ndarray) -> bool:
    """``over`` and ``under`` from the rounded plan's coverage; False when it is short under strict."""
    for g in m.over:
        gap_g = int(rostered[g]) - int(m.required[g])
        if gap_g < 0 and g not in m.under:
            return False
        m.over[g].varValue = float(max(gap_g, 0))
        if g in m.under:
            m.under[g].varValue = float(max(-gap_g, 0))
    return True


def period_start(m: Model, time_limit_s: float, gap: float) -> dict[str, float] | None:
    """A whole plan for a model with period targets, from the LP relaxation's values on its variables.

    The LP's agents taking calls per interval, rounded up from 0.7 of an agent (``START_ROUND_UP``), become a per-interval
    requirement, which the roster model without period rows covers (HiGHS solves it fast: its LP is tight).
    Where that plan still misses a period target, the LP's agents rounded up in every interval of that
    period are required and the cover solved once more. That plan, with the steps and period shortfalls it
    implies, is the start; None when there is none. Each cover solve stops at ``gap`` (or ``time_limit_s``,
    which a solve within the gap never reaches: the start does not depend on the machine's speed)."""
    cv = m.curves
    assert cv is not None
    effective = np.zeros(len(m.required))
    for g, var in m.e.items():
        effective[g] = var.varValue or 0.0
    need = np.floor(effective + 1.0 - START_ROUND_UP)
    start = _cover_start(m, need, time_limit_s, gap)
    short = _short_intervals(m) if start is not None else None
    if short is not None and short.any():
        need = np.where(short, np.maximum(need, np.ceil(effective - 1e-6)), need)
        start = _cover_start(m, need, time_limit_s, gap) or start
    if start is not None:
        start = _trimmed(m) or start
    return start


def _trimmed(m: Model) -> dict[str, float] | None:
    """The start on ``m``'s variables with the agents the period targets do not need removed
    (:func:`wfm.roster.trim.trim_tours`), as a whole start; None when none could be."""
    counts = {name: {k: _int(v) for k, v in getattr(m, name).items()} for name in ("w", "x", "z", "y")}
    trimmed = trim_tours(m, counts)
    if trimmed is None:
        return None
    for name in ("w", "x", "z", "y"):
        for k, var in getattr(m, name).items():
            var.varValue = float(trimmed[name].get(k, 0))
    return complete_start(m)


def _cover_start(m: Model, need: np.ndarray, time_limit_s: float, gap: float) -> dict[str, float] | None:
    """Solve the cover model for ``need`` agents taking calls per interval; put its plan on ``m`` and return
    ``m``'s whole start (None when the cover has no plan)."""
    cv = m.curves
    assert cv is not None
    required = np.ceil(need / (1.0 - cv.shrinkage) - 1e-9).astype(np.int64)
    cover = build_cover_model(m, np.maximum(m.required, required))
    res = solve_highs(cover.prob, time_limit_s=time_limit_s, gap=gap, lp_first=True, threads=2)
    if not res.has_solution:
        return None
    values = {v.name: float(v.varValue or 0.0) for v in cover.prob.variables()}
    for group in (m.w, m.x, m.y, m.z):
        for var in group.values():
            var.varValue = values.get(var.name, 0.0)
    return complete_start(m)


def _short_intervals(m: Model) -> np.ndarray:
    """Intervals of the periods whose target the values on ``m`` miss (a shortfall variable above 0)."""
    cv = m.curves
    assert cv is not None
    short = np.zeros(len(m.required), dtype=bool)
    by_queue = {c.queue: c for c in cv.curves}
    for slack in (m.short, m.late, m.busy):
        for (q, p), var in slack.items():
            if (var.varValue or 0.0) > 1e-6:
                short |= periods_of(m, by_queue[q].period) == p
    return short


def complete_start(m: Model) -> dict[str, float]:
    """Given whole tours, starts and breaks on a model's variables, every other variable's value: coverage
    slacks, and with period targets the agents taking calls, the steps and the period shortfalls."""
    counts = {"x": {k: _int(v) for k, v in m.x.items()}, "y": {k: _int(v) for k, v in m.y.items()}}
    rostered = rostered_from_counts(m, counts)
    for g, var in m.over.items():
        var.varValue = float(max(int(rostered[g]) - int(m.required[g]), 0))
        if g in m.under:
            m.under[g].varValue = float(max(int(m.required[g]) - int(rostered[g]), 0))
    cv = m.curves
    if cv is not None:
        for g, e in m.e.items():
            top = cv.low[g] + len(m.step[g])
            n = int(min(np.floor(rostered[g] * (1.0 - cv.shrinkage[g]) + 1e-9), top))
            e.varValue = float(n)
            m.below[g].varValue = float(min(max(cv.low[g] - n, 0), 1))
            m.deep[g].varValue = float(max(cv.low[g] - n - 1, 0))
            for j, step in enumerate(m.step[g]):
                step.varValue = 1.0 if j < n - cv.low[g] else 0.0
        for name, slack in (("period_sl", m.short), ("period_asa", m.late), ("period_occ", m.busy)):
            for (q, p), var in slack.items():
                var.varValue = 0.0
                row = m.prob.constraints.get(f"{name}_{q}_{p}")
                if row is not None:
                    var.varValue = max(0.0, -float(row.value()) if row.sense >= 0 else float(row.value()))
    return {v.name: float(v.varValue or 0.0) for v in m.prob.variables()}


def rostered_from_counts(m: Model, counts: dict[str, Any]) -> np.ndarray:
    """Agents rostered (on shift and off break, before shrinkage) per interval (cyclic) from shift and
    break counts; the same count as :func:`wfm.roster.rows.rostered_per_interval` gives from roster.csv."""
    minute = np.timedelta64(1, "m")
    origin = np.datetime64(0, "m")
    x = [(m.shifts[t][s], d, k) for (t, s, d), k in counts["x"].items() if k]
    y = [(m.shifts[t][s], d, o, b, k) for (t, s, d, b, o), k in counts["y"].items() if k]
    s0 = np.array([d * 1440 + sh.start_minute for sh, d, _ in x], dtype=np.int64) * minute + origin
    s1 = s0 + np.array([sh.length_minutes for sh, _, _ in x], dtype=np.int64) * minute
    b0 = np.array([d * 1440 + sh.start_minute + o for sh, d, o, _, _ in y], dtype=np.int64) * minute + origin
    b1 = b0 + np.array([sh.breaks[b][0] for sh, _, _, b, _ in y], dtype=np.int64) * minute
    return count_spans(s0, s1, np.array([k for *_, k in x], dtype=np.int64), b0, b1,
                       np.array([k for *_, k in y], dtype=np.int64), origin, len(m.required),
                       m.config.planning_interval_minutes)


def solve(
    m: Model,
    solver: str,
    time_limit_s: float,
    gap: float,
    progress: Callable[[dict[str, float]], None] | None = None,
) -> SolveResult:
    """Solve with HiGHS (dual bound from the branch and bound) or CBC (bound from the LP relaxation)."""
    prob = m.prob
    t0 = time.perf_counter()
    if solver == "highs" and not highs_available():
        solver = "cbc"
    if solver == "highs":
        start = (lambda: period_start(m, time_limit_s, gap)) if m.curves is not None else None
        res = solve_highs(prob, time_limit_s=time_limit_s, gap=gap, lp_first=True, start_from_lp=start, threads=2,
                          progress=progress)
        return SolveResult(res.status, res.objective, res.lower_bound, res.seconds, solver)
    return _solve_cbc(m, time_limit_s, gap, progress, t0)


def _solve_cbc(
    m: Model, time_limit_s: float, gap: float, progress: Callable[[dict[str, float]], None] | None, t0: float
) -> SolveResult:
    """CBC: the LP relaxation for the bound, then the MIP from a rounded start."""
    prob = m.prob
    relax = pulp.PULP_CBC_CMD(msg=False, mip=False, timeLimit=time_limit_s)
    prob.solve(relax)
    bound = float(pulp.value(prob.objective)) if prob.status == pulp.LpStatusOptimal else -math.inf
    if prob.status == pulp.LpStatusInfeasible:
        return SolveResult("Infeasible", math.nan, math.inf, time.perf_counter() - t0, "cbc")
    remaining = max(1.0, time_limit_s - (time.perf_counter() - t0))
    start = prob.status == pulp.LpStatusOptimal and rounded_start(m)  # CBC finds few plans by itself
    cmd = pulp.PULP_CBC_CMD(
        msg=False, timeLimit=remaining, gapRel=gap, threads=1, options=["randomSeed 0"], warmStart=start
    )
    prob.solve(cmd)
    has_solution = prob.sol_status in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible)
    objective = float(pulp.value(prob.objective)) if has_solution else math.nan
    if has_solution:
        status = pulp.LpStatus[prob.status]
    else:
        status = "Infeasible" if prob.status == pulp.LpStatusInfeasible else "Time limit reached"
    seconds = time.perf_counter() - t0
    if progress is not None and has_solution:
        g = (objective - bound) / max(abs(objective), 1e-9) if math.isfinite(bound) else math.inf
        progress({"incumbent": objective, "bound": bound, "gap": g, "seconds": seconds})
    return SolveResult(status, objective if has_solution else math.nan, bound, seconds, "cbc")


def _int(var: pulp.LpVariable) -> int:
    v = var.varValue
    return 0 if v is None else int(round(v))


def solution_counts(m: Model) -> dict[str, Any]:
    """Rounded tour, shift and break counts of the solved model."""
    w = {key: _int(var) for key, var in m.w.items() if _int(var)}
    x = {key: _int(var) for key, var in m.x.items() if _int(var)}
    y = {key: _int(var) for key, var in m.y.items() if _int(var)}
    return {"w": w, "x": x, "y": y}
