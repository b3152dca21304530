"""Roster: required agents per interval -> weekly (or multi-week) shift roster at least cost (PuLP MILP).

The model is *implicit* (aggregated): it chooses how many agents work each tour type (contract x shift
template x start-time band x days-on pattern, per week), how many of them start each shift at each start time
on each day, and how many take each break at each offset; names are given afterwards
(:mod:`wfm.roster.assign`). Model size therefore grows with the number of start times and days, not with
the number of agents: a 1,300-seat week is a few thousand integer variables.

Business names: an :class:`Agent` works :class:`Shift` s; the result is a :class:`Roster`.

Rules (``CONSTRAINTS``, hard first). Contract rules are *built into the tour types*: a tour type exists only
if it satisfies them, so every agent's week satisfies them by construction and the model needs no row for
them; the rules that need rows are ``add_<rule>(prob, model)`` functions adding constraints with stable names.

The roster is *cyclic*: it repeats every ``weeks`` weeks, so a night shift starting on the last evening
covers the first morning of the horizon (:func:`coverage` wraps the same way).

The package, in the order data flows through it:

- :mod:`~wfm.roster.domain`: Rule, Shift, Agent, TourType and the solved Roster;
- :mod:`~wfm.roster.readers`: staffing.csv and agents.csv;
- :mod:`~wfm.roster.tours`: config checks and the tour types (the contract rules);
- :mod:`~wfm.roster.model`: the MILP, ``CONSTRAINTS`` and one ``add_<rule>`` per rule with rows;
- :mod:`~wfm.roster.solve`: HiGHS or CBC, and the solved counts;
- :mod:`~wfm.roster.assign`: agent-weeks to named agents;
- :mod:`~wfm.roster.coverage`: the requirement over the horizon and coverage.csv;
- :mod:`~wfm.roster.rows`: roster.csv's columns, its one reader and its one counter;
- :mod:`~wfm.roster.explain`: where the paid hours go, in parts that add up to them;
- :mod:`~wfm.roster.report`: what `wfm roster` prints.

Roster frame (``roster.csv``), one row per agent and working day::

    agent_id, contract, date (YYYY-MM-DD), shift (template name), start (HH:MM), end (HH:MM, the next day
    when not after start), breaks ("HH:MM-HH:MM;..." clock times, in shift order)

Coverage frame (``coverage.csv``), one row per interval::

    timestamp, required_scheduled (scheduled agents asked for), rostered (on shift and off break, before
    shrinkage), over, under, service_level (pooled Erlang value for the rostered agents, after shrinkage)
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from datetime import date

import pandas as pd

from wfm.config import CentreConfig
from wfm.errors import InfeasibleRoster, InputError
from wfm.forecast.grid import spacing_minutes
from wfm.roster.agent import AGENT_WEEK_COLUMNS, agent_week, read_agent_week, roster_path
from wfm.roster.assign import Assigned, assign
from wfm.roster.closures import Closures, closures
from wfm.roster.coverage import SERVICE_COLUMNS, coverage, horizon_requirement, period_curves, service_table
from wfm.roster.domain import AGENT_COLUMNS, MAX_WEEKS, Agent, Roster, Rule, Shift, TourType, roster_dates
from wfm.roster.explain import HOLIDAY_SHIFT, PaidHours, explain_paid_hours
from wfm.roster.files import (  # noqa: E402
    ROSTER_MANIFEST,
    check_roster_out,
    check_roster_set,
    parse_start,
    roster_files,
    uncovered_records,
    write_roster,
)
from wfm.roster.model import CONSTRAINTS, Model, build_model
from wfm.roster.readers import STAFFING_NUMERIC, agents_from_frame, read_agents, read_staffing
from wfm.roster.report import (
    explain_text,
    progress_printer,
    short_periods_message,
    summary_table,
    uncovered_message,
    violations_message,
)
from wfm.roster.rows import ROSTER_COLUMNS, parse_roster_rows, read_roster, rostered_per_interval
from wfm.roster.solve import SolveResult, rostered_from_counts, rounded_start, solution_counts, solve
from wfm.roster.tours import check_roster_config, day_patterns, shifts_of, start_bands, tour_types
from wfm.staffing import staff, worst_interval

__all__ = [
    "AGENT_WEEK_COLUMNS", "agent_week", "read_agent_week", "roster_path",
    "ROSTER_MANIFEST", "check_roster_out", "check_roster_set", "parse_start", "roster_files", "uncovered_records",
    "write_roster",
    "AGENT_COLUMNS", "CONSTRAINTS", "Closures", "MAX_WEEKS", "ROSTER_COLUMNS", "STAFFING_NUMERIC", "Agent", "Model", "Roster",
    "Rule", "Shift", "SolveResult", "TourType", "agents_from_frame", "build_model", "check_roster_config",
    "SERVICE_COLUMNS", "closures", "coverage", "on_planning_grid", "day_patterns", "horizon_requirement", "parse_roster_rows", "period_curves",
    "rostered_from_counts", "service_table", "short_periods_message",
    "progress_printer", "read_agents", "read_roster", "read_staffing", "roster", "roster_dates",
    "rostered_per_interval", "rounded_start", "shifts_of", "solution_counts", "solve", "start_bands",
    "summary_table", "tour_types", "uncovered_message", "violations_message",
    "HOLIDAY_SHIFT", "PaidHours", "explain_paid_hours", "explain_text",
]


def roster(
    staffing: pd.DataFrame,
    config: CentreConfig,
    *,
    weeks: int = 1,
    start: date | None = None,
    agents: pd.DataFrame | None = None,
    solver: str | None = None,
    time_limit_s: float | None = None,
    gap: float | None = None,
    strict: bool | None = None,
    progress: Callable[[dict[str, float]], None] | None = None,
    margins: Mapping[str, Mapping[str, float]] | None = None,
    explain: bool = False,
) -> Roster:
    """Roster ``weeks`` weeks from ``start`` (default: the first staffing date) covering ``scheduled``.

    ``agents`` (from :func:`read_agents`): named agents with contracts; without it agents are named
    A0001... ``margins``: service-level points by queue and date added to the period targets the MILP meets (the
    service table still judges the queues' own targets). ``explain``: split the paid hours into their parts
    (:func:`explain_paid_hours`, in ``Roster.explained``). Returns a :class:`Roster`; raises ConfigError for contradictory configs and InfeasibleRoster
    when no plan satisfies the hard rules (only possible with ``strict``) or the solver returns none.
    """
    if not 1 <= weeks <= MAX_WEEKS:
        raise InputError(f"--weeks must be 1 to {MAX_WEEKS}, got {weeks}")
    rs = config.roster
    solver = (solver or rs.solver).lower()
    if solver not in ("highs", "cbc"):
        raise InputError(f"unknown solver {solver!r} (use highs or cbc)")
    time_limit_s = rs.time_limit_s if time_limit_s is None else time_limit_s
    gap = rs.gap if gap is None else gap
    strict = rs.strict if strict is None else strict
    shifts = check_roster_config(config)
    staffing, notes = on_planning_grid(staffing, config)
    start, idx, required, horizon_staffing = horizon_requirement(staffing, config, start, weeks)
    agent_list = agents_from_frame(agents, config) if agents is not None else None
    available, by_day = _availability(agent_list, config, start, weeks)
    t0 = time.perf_counter()
    curves = period_curves(horizon_staffing, config, idx, margins)
    shut = closures(config, idx, required, start)
    m = build_model(required, idx, config, shifts, weeks, strict, available, by_day, curves, shut)
    t1 = time.perf_counter()
    result = solve(m, solver, time_limit_s, gap, progress)
    if not math.isfinite(result.objective):
        raise _no_plan(result, strict, time_limit_s)
    counts = solution_counts(m)
    t2 = time.perf_counter()
    assigned = assign(m, counts, start, agent_list)
    t3 = time.perf_counter()
    cov = coverage(assigned.frame, horizon_staffing, config, start=start, weeks=weeks)
    service = service_table(cov["rostered"].to_numpy(), horizon_staffing, config, idx, curves)
    t4 = time.perf_counter()
    timings = {"build": t1 - t0, "solve": t2 - t1, "assign": t3 - t2, "coverage": t4 - t3}
    out = _result(m, result, counts, assigned, cov, service, start, timings)
    out.notes = notes
    if explain:
        out.explained = explain_paid_hours(assigned.frame, horizon_staffing, config, start=start, weeks=weeks,
                                           coverage=cov, paid_holiday_hours=out.paid_holiday_hours)
        out.timings["explain"] = time.perf_counter() - t4
    return out


def on_planning_grid(staffing: pd.DataFrame, config: CentreConfig) -> tuple[pd.DataFrame, list[str]]:
    """``staffing`` on the planning grid (``config.planning_interval_minutes``), and a note when it was not.

    A staffing frame on a finer grid (e.g. `wfm staff` on 6-minute data, planned on 30 minutes) is sized again
    on the planning grid from its forecast columns (``timestamp,queue,volume,aht``: calls summed, AHT
    call-weighted) with :func:`wfm.staffing.staff`; its ``agents`` and ``scheduled`` are not used (a
    30-minute interval needs the agents for its calls, not the largest of its 6-minute requirements).
    """
    minutes = config.planning_interval_minutes
    step = spacing_minutes(staffing["timestamp"]) if "timestamp" in staffing.columns else None
    if step is None or step >= minutes:
        return staffing, []
    named = staffing.attrs.get("source", "staffing")
    missing = [c for c in ("queue", "volume", "aht") if c not in staffing.columns]
    if missing:
        raise InputError(f"{named}: its intervals are {step} minutes apart but the planning grid is {minutes} "
                         f"minutes, and without its {', '.join(missing)} column(s) it cannot be sized again on it: "
                         "run `wfm staff` with this config on the forecast")
    resized = staff(staffing[["timestamp", "queue", "volume", "aht"]], config)
    resized.attrs["source"] = named
    return resized, [f"{named}: its {step}-minute intervals were sized again on the {minutes}-minute planning grid "
                     "from their volume and aht (calls summed, AHT call-weighted); its agents and scheduled "
                     "columns were not used"]


def _availability(
    agent_list: list[Agent] | None, config: CentreConfig, start: date, weeks: int
) -> tuple[dict[str, int] | None, dict[str, list[int]] | None]:
    """Named agents per contract, in all and on each date of the horizon (None without named agents)."""
    if agent_list is None:
        return None, None
    available = {c.name: sum(a.contract == c.name for a in agent_list) for c in config.contracts}
    horizon_dates = roster_dates(start, weeks)
    by_day = {
        c.name: [sum(a.contract == c.name and d not in a.unavailable for a in agent_list) for d in horizon_dates]
        for c in config.contracts
    }
    return available, by_day


def _no_plan(result: SolveResult, strict: bool, time_limit_s: float) -> InfeasibleRoster:
    """The error for a solve that gave no plan, saying what to change."""
    if strict:
        return InfeasibleRoster(
            "no roster covers every interval under --strict with these contracts and shifts "
            "(drop --strict to see the shortfall)"
            if result.status == "Infeasible" else f"the solver found no roster within {time_limit_s:g} s"
        )
    return InfeasibleRoster(
        f"the solver found no roster ({result.status}) within {time_limit_s:g} s; raise --time-limit"
        if result.status != "Infeasible" else "no roster satisfies the hard rules (check agents.csv and max_share)"
    )


def _result(
    m: Model, result: SolveResult, counts: dict, assigned: Assigned, cov: pd.DataFrame, service: pd.DataFrame,
    start: date, timings: dict[str, float],
) -> Roster:
    """The :class:`Roster`: the frames, the score and its per-rule breakdown."""
    config, rs = m.config, m.config.roster
    cost = float(sum(m.tour_cost(ti, k) * n for (ti, k), n in counts["w"].items()))
    paid = float(sum(m.tour_paid(ti, k) * n for (ti, k), n in counts["w"].items()))
    holiday = float(sum(m.holiday_hours(ti, k) * n for (ti, k), n in counts["w"].items()))
    under = int(cov["under"].sum())
    over = int(cov["over"].sum())
    lb, objective = result.lower_bound, result.objective
    g = (objective - lb) / max(abs(objective), 1e-9) if math.isfinite(lb) else math.inf
    ts, worst_sl = worst_interval(cov, cov["required_scheduled"] > 0)
    by_contract = {c.name: int(assigned.agents_by_contract.get(c.name, 0)) for c in config.contracts}
    soft = {
        "under_coverage": {"amount": under, "penalty": round(under * rs.under_penalty, 4)},
        "over_coverage": {"amount": over, "penalty": round(over * rs.over_penalty, 4)},
        "paid_cost": {"amount": round(paid, 2), "penalty": round(cost, 4)},
        **assigned.soft,
    }
    return Roster(
        assignments=assigned.frame, coverage=cov, status=result.status, objective=objective, lower_bound=lb,
        gap=max(0.0, g), paid_hours=paid, paid_holiday_hours=holiday, cost=cost, agents=int(sum(by_contract.values())),
        agents_by_contract=by_contract, under_agent_intervals=under, over_agent_intervals=over,
        worst_interval=None if ts is None else f"{ts:%Y-%m-%d %H:%M}", worst_service_level=worst_sl,
        solve_seconds=result.seconds, solver=result.solver, weeks=m.weeks, start=start,
        hard={"cover_strict_violations": under if m.strict else 0, **assigned.hard}, soft=soft,
        model_size={
            "variables": len(m.prob.variables()),
            "integer_variables": len(m.w) + len(m.x) + len(m.y),
            "constraints": m.prob.numConstraints(),
            "tour_types": len(m.tours),
        },
        unused_agents=assigned.unused, timings=timings, service=service,
    )
