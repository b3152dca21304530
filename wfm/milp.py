"""The one way wfm solves a MILP: HiGHS through PuLP (highspy), with wfm's own time limit, an optional MIP
start, an optional interior-point LP first, and progress reports.

Roster, what-if recovery and every later optimising stage build a ``pulp.LpProblem`` and call
:func:`solve_highs`; nothing else subclasses PuLP's solver classes.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import numpy as np
import pulp

from wfm.io import redirect_stdout_fd

Progress = Callable[[dict[str, float]], None]
# what a caller deep in a stage reports through without every function between passing it on: `wfm whatif`
# at a terminal shows each recovery's and re-roster's solve (the stage names which, ``stage`` in the report)
_REPORTING: ContextVar[Progress | None] = ContextVar("wfm_solver_progress", default=None)
_STAGE: ContextVar[str] = ContextVar("wfm_solver_stage", default="")


@contextlib.contextmanager
def reporting(progress: Progress | None) -> Iterator[None]:
    """Within the block, every :func:`solve_highs` given no ``progress`` of its own reports to ``progress``."""
    token = _REPORTING.set(progress)
    try:
        yield
    finally:
        _REPORTING.reset(token)


@contextlib.contextmanager
def stage(name: str) -> Iterator[None]:
    """Within the block, the reports of :func:`reporting` carry ``stage`` = ``name``."""
    token = _STAGE.set(name)
    try:
        yield
    finally:
        _STAGE.reset(token)


class HighsCmd(pulp.HiGHS):  # type: ignore[misc,name-defined]
    """PuLP's HiGHS, optionally given a starting solution (variable name -> value) and optionally starting the
    MIP from the LP relaxation solved by interior point + crossover (``lp_first``).

    On the roster's degenerate covering LPs HiGHS's interior-point solver is many times faster than the dual
    simplex the MIP would start with (4-week bench: root LP about 4 s instead of over 40 s), and the MIP
    reuses the optimal basis. ``lp_bound`` keeps the relaxation's optimum (a valid lower bound)."""

    def __init__(self, *, lp_first: bool = False, start: Mapping[str, float] | None = None,
                 start_from_lp: Callable[[], Mapping[str, float] | None] | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.lp_first = lp_first
        self.start = dict(start) if start else None
        self.start_from_lp = start_from_lp
        self.stop_at_start = False
        self.lp_bound = -math.inf

    def callSolver(self, lp: pulp.LpProblem) -> None:  # noqa: N802 - PuLP's name
        import highspy

        h = lp.solverModel
        t0 = time.perf_counter()
        # PuLP hands HiGHS the objective without its constant term: give it, so HiGHS's bound and relative gap
        # are of the whole objective (the capacity plan's wages of the people on hand are such a constant)
        offset = float(getattr(lp.objective, "constant", 0.0) or 0.0)
        if offset:
            h.changeObjectiveOffset(offset)
        if self.lp_first:
            ints = np.array([v.index for v in lp.variables() if v.cat == pulp.LpInteger], dtype=np.int32)
            kinds = highspy.HighsVarType
            if len(ints):
                h.changeColsIntegrality(len(ints), ints, np.full(len(ints), kinds.kContinuous))
                h.setOptionValue("solver", "ipm")
                h.run()
                if h.getModelStatus() == highspy.HighsModelStatus.kOptimal:
                    self.lp_bound = float(h.getInfo().objective_function_value)
                    if self.start_from_lp is not None:
                        self._start_from_lp(lp, h)
                h.changeColsIntegrality(len(ints), ints, np.full(len(ints), kinds.kInteger))
                h.setOptionValue("solver", "choose")
                if self.timeLimit is not None:
                    h.setOptionValue("time_limit", max(0.1, float(self.timeLimit) - (time.perf_counter() - t0)))
                if self.stop_at_start:
                    h.setOptionValue("time_limit", 0.01)
        if self.start:
            values = [0.0] * h.getNumCol()
            for var in lp.variables():
                values[var.index] = self.start.get(var.name, 0.0)
            sol = highspy.HighsSolution()
            sol.col_value = values
            h.setSolution(sol)
        h.run()

    def _start_from_lp(self, lp: pulp.LpProblem, h: Any) -> None:
        """Put the LP relaxation's values on the variables and take ``start_from_lp()``'s whole plan as the
        MIP start."""
        col = h.getSolution().col_value
        for var in lp.variables():
            var.varValue = float(col[var.index])
        start = self.start_from_lp() if self.start_from_lp is not None else None
        if start:
            self.start = dict(start)
            objective = sum(coef * self.start.get(var.name, 0.0) for var, coef in lp.objective.items())
            objective += lp.objective.constant
            if objective - self.lp_bound <= (self.gapRel or 0.0) * abs(objective):
                # the start is within the gap of the LP bound: proven, nothing left to search
                self.stop_at_start = True


@dataclass(frozen=True)
class MilpResult:
    """What a solve gave: HiGHS's status text ("Optimal", "Time limit reached", "Infeasible", ...), the
    objective (NaN without a solution), the best proven lower bound (-inf when none) and the seconds taken."""

    status: str
    objective: float
    lower_bound: float
    seconds: float
    has_solution: bool
    optimal: bool

    @property
    def gap(self) -> float:
        """Relative gap of the objective to the bound (inf without both)."""
        if not (self.has_solution and math.isfinite(self.lower_bound)):
            return math.inf
        return max(0.0, (self.objective - self.lower_bound) / max(abs(self.objective), 1e-9))


def highs_available() -> bool:
    try:
        return bool(pulp.HiGHS().available())
    except Exception:  # pragma: no cover - depends on the install
        return False


class _Watch:
    """HiGHS's callback: stops the search at wfm's time limit (HiGHS can overrun its own in sub-MIPs and
    restarts) and reports progress at most twice a second."""

    def __init__(self, t0: float, time_limit_s: float, progress: Progress | None, improving: Any, interrupt: Any):
        self.t0, self.time_limit_s, self.progress = t0, time_limit_s, progress
        self.improving, self.interrupt = improving, interrupt
        self.incumbent, self.bound, self.shown, self.stopped = math.inf, -math.inf, 0.0, False
        self.cmd: HighsCmd | None = None

    def __call__(self, cb_type: Any, message: str, data_out: Any, data_in: Any, user: Any) -> None:
        now = time.perf_counter()
        if cb_type == self.interrupt:
            if now - self.t0 > self.time_limit_s:
                data_in.user_interrupt = True
                self.stopped = True
            return
        if self.progress is None:
            return
        # HiGHS's sub-MIPs report too, with bounds valid only for themselves: take incumbents from
        # any improving solution (they are real plans) and bounds only from the main search's log
        inc, bnd = float(data_out.mip_primal_bound), float(data_out.mip_dual_bound)
        if self.cmd is not None:
            self.bound = max(self.bound, self.cmd.lp_bound)  # the LP relaxation, once solved
        if cb_type == self.improving:
            self.incumbent = min(self.incumbent, inc)
        elif math.isfinite(bnd) and bnd <= self.incumbent + 1e-9:
            self.bound = max(self.bound, bnd)
        if now - self.shown < 0.5 and cb_type != self.improving:
            return
        self.shown = now
        i, b = self.incumbent, self.bound
        g = (i - b) / max(abs(i), 1e-9) if math.isfinite(i) and math.isfinite(b) else math.inf
        self.progress({"incumbent": i, "bound": b, "gap": g, "seconds": now - self.t0})


def solve_highs(
    prob: pulp.LpProblem,
    *,
    time_limit_s: float,
    gap: float,
    lp_first: bool = False,
    start: Mapping[str, float] | None = None,
    start_from_lp: Callable[[], Mapping[str, float] | None] | None = None,
    threads: int | None = None,
    progress: Progress | None = None,
    highs_options: Mapping[str, Any] | None = None,
) -> MilpResult:
    """Solve ``prob`` with HiGHS (seeded, deterministic), stopping at ``time_limit_s`` (HiGHS can overrun its
    own limit in sub-MIPs and restarts: an interrupt callback stops it at ours) or within ``gap`` of the bound.

    ``progress`` is called with ``incumbent``, ``bound``, ``gap`` and ``seconds`` as the search improves.
    The bound is the stronger of HiGHS's dual bound and, with ``lp_first``, the LP relaxation.
    ``start_from_lp`` (with ``lp_first``): called with the LP relaxation's values on the variables; the whole
    plan it returns (variable name -> value) is the MIP start. ``highs_options``: more HiGHS options by name."""
    import highspy

    if progress is None and (ambient := _REPORTING.get()) is not None:
        name = _STAGE.get()
        progress = ambient if not name else (lambda p: ambient({**p, "stage": name}))  # type: ignore[dict-item]
    t0 = time.perf_counter()
    kinds = highspy.cb.HighsCallbackType
    improving, interrupt = kinds.kCallbackMipImprovingSolution, kinds.kCallbackMipInterrupt
    watch = _Watch(t0, time_limit_s, progress, improving, interrupt)
    active = [interrupt] + ([improving, kinds.kCallbackMipLogging] if progress is not None else [])
    options: dict[str, Any] = {"callbackTuple": (watch, None), "callbacksToActivate": active}
    if threads is not None:
        options["threads"] = threads
    options.update(highs_options or {})
    cmd = HighsCmd(lp_first=lp_first, start=start, start_from_lp=start_from_lp, msg=False, timeLimit=time_limit_s, gapRel=gap, random_seed=0,
                   **options)
    watch.cmd = cmd
    with redirect_stdout_fd():  # highspy prints a banner on stdout, which must stay clean for --json
        prob.solve(cmd)
    # HiGHS holds the callback (``watch``) where Python's garbage collector cannot see it, so a path from it back
    # to the problem (watch -> cmd -> start_from_lp -> model -> problem -> HiGHS) would keep every solved model
    # alive: `wfm roster --suggest-shifts` grew 100 MB a solve on the example
    watch.cmd = None
    cmd.start_from_lp = None
    info = prob.solverModel.getInfo()
    has_solution = prob.sol_status in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible) and \
        info.primal_solution_status == 2
    bound = float(info.mip_dual_bound)
    if not math.isfinite(bound) or abs(bound) > 1e20:
        bound = -math.inf
    bound = max(bound, cmd.lp_bound)  # both are valid bounds; keep the stronger
    if cmd.stop_at_start and cmd.start is not None:
        # the start was proven within the gap of the LP bound, and HiGHS ran only a few milliseconds to hand it
        # back: what it did in them (accept the start or not, find a better one, raise its bound) depends on the
        # machine's speed, so a start that keeps every bound and constraint is the result, with the LP bound,
        # the same on any machine and in any process
        highs = {var: var.varValue for var in prob.variables()}
        for var in highs:
            var.varValue = cmd.start.get(var.name, 0.0)
        if prob.valid(1e-6):
            has_solution, bound = True, cmd.lp_bound
        else:  # not a plan after all: HiGHS's answer stands
            for var, value in highs.items():
                var.varValue = value
    objective = float(pulp.value(prob.objective)) if has_solution else math.nan
    status = prob.solverModel.modelStatusToString(prob.solverModel.getModelStatus())
    if watch.stopped:
        status = "Time limit reached"
    if cmd.stop_at_start and has_solution:
        status = "Optimal"  # the start is within the gap of the LP bound, as HiGHS's "Optimal" is of its own
    if not has_solution and (prob.status == pulp.LpStatusInfeasible or "nfeasible" in status):
        status = "Infeasible"
    seconds = time.perf_counter() - t0
    result = MilpResult(status, objective, bound, seconds, has_solution, prob.sol_status == pulp.LpSolutionOptimal)
    if progress is not None and has_solution:
        progress({"incumbent": objective, "bound": bound, "gap": result.gap, "seconds": seconds})
    return result


def largest_remainder(values: np.ndarray, totals: np.ndarray | int | None = None) -> np.ndarray:
    """Whole numbers in proportion to ``values`` along the last axis, summing to ``totals`` (default: each
    row's total rounded down), by largest remainder (ties: the first).

    With ``totals`` given, the values are scaled to it first (negatives count as 0; a row of zeros puts
    everything on its first element). This is how wfm turns fractional LP values or shares into whole agents.
    """
    raw = np.clip(np.asarray(values, dtype=float), 0, None)
    one_d = raw.ndim == 1
    raw = np.atleast_2d(raw)
    row_sum = raw.sum(axis=1)
    if totals is None:
        total = np.floor(row_sum + 1e-9)
        share = raw
    else:
        total = np.clip(np.broadcast_to(np.asarray(totals, dtype=float), row_sum.shape), 0, None)
        empty = row_sum <= 0
        if empty.any():
            raw = raw.copy()
            raw[empty] = 0.0
            raw[empty, 0] = 1.0
            row_sum = raw.sum(axis=1)
        share = raw / row_sum[:, None] * total[:, None]
    base = np.floor(share + 1e-9)
    left = (total - base.sum(axis=1)).astype(np.int64)
    order = np.argsort(-(share - base), axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.broadcast_to(np.arange(raw.shape[1]), raw.shape).copy(), axis=1)
    out = (base + (rank < left[:, None])).astype(np.int64)
    return out[0] if one_d else out
