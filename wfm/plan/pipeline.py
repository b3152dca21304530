"""The whole plan in one call: forecast -> staffing -> roster -> ratio (``wfm plan``).

:func:`plan` is a pure library function over plain data: it takes a prepared history
(:func:`wfm.history.prepare_history`, the one way into history) and a config and returns a
:class:`PlanResult` holding every frame and figure (forecast, staffing, roster, coverage, ratio, breached
targets, per-stage timings). Nothing in it reads or writes files: :func:`wfm.plan.run` does, around it.

Targets checked (any breach makes the run exit 1, the plan is still written):

- ``service_level``: the week's pooled service level with the rostered agents (calls-weighted over the
  coverage intervals) is below the calls-weighted service-level target of the queues;
- ``coverage``: some interval has fewer agents rostered than required (``coverage.csv`` ``under > 0``);
- ``service_period``: a queue judged over a day or week misses its target on one (``service.csv`` ``met``);
- ``ratio``: the front-line : back-office ratio of the roster is outside its band (``ratio.json`` ``ok``).

The final roster is then simulated (:mod:`wfm.plan.proof`): the simulated service per queue and day sits next
to the Erlang figures in ``service.csv``, and an over-served queue gets a note (not a breach).
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from wfm import forecast as fc
from wfm import ratio as rt
from wfm import roster as ro
from wfm import staffing as stf
from wfm.config import CentreConfig
from wfm.errors import ConfigError, InputError
from wfm.forecast.grid import ALLOWED_GRIDS
from wfm.history import History
from wfm.io import check_date
from wfm.plan.calibrate import REPLICATIONS as CALIBRATION_REPLICATIONS
from wfm.plan.calibrate import Calibration, calibrate
from wfm.plan.proof import REPLICATIONS, Proof, prove

MAX_WEEKS = 6

Progress = Callable[[str, str], None]
"""``progress(stage, message)``: stage is ``forecast``, ``staffing``, ``roster``, ``ratio``, ``simulate`` or ``solve``
(solver updates: ``incumbent ... gap ...``)."""


# =========================================================================== result
@dataclass
class Breach:
    """One breached target: ``target`` is ``service_level``, ``coverage``, ``ratio`` or ``outbound``."""

    target: str
    message: str


@dataclass
class PlanResult:
    """Everything one plan produced. ``exit_code`` is 0, or 1 when a target is breached."""

    config: CentreConfig
    start: dt.date
    weeks: int
    forecast: Any  # wfm.forecast.ForecastResult
    staffing: pd.DataFrame
    roster: Any  # wfm.roster.Roster
    ratio: Any  # wfm.ratio.RatioResult
    actuals: pd.DataFrame  # last weeks of history before start: timestamp, volume (all queues)
    headline: dict[str, Any]
    breaches: list[Breach]
    settings: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    proof: Any = None  # wfm.plan.proof.Proof: the roster simulated
    calibration: Any = None  # wfm.plan.calibrate.Calibration: objectives and margins the roster used
    outbound: Any = None  # wfm.outbound.Blend: a campaign blended into the week (--campaign, [outbound])
    planned_actuals: Any = None  # what came on the plan's dates (a plan of past dates): timestamp, volume

    @property
    def coverage(self) -> pd.DataFrame:
        return self.roster.coverage

    @property
    def assignments(self) -> pd.DataFrame:
        return self.roster.assignments

    @property
    def explained(self) -> Any:
        """Where the roster's paid hours go (:class:`wfm.roster.PaidHours`: parts adding up to them)."""
        return self.roster.explained

    @property
    def ok(self) -> bool:
        return not self.breaches

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    @property
    def name(self) -> str:
        """Run folder name: the first day of the plan."""
        return self.start.isoformat()

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "weeks": self.weeks,
            "headline": self.headline,
            "breaches": [{"target": b.target, "message": b.message} for b in self.breaches],
            "ok": self.ok,
            "exit_code": self.exit_code,
            "models": self.models(),
            "roster": _roster_figures(self.roster),
            "ratio": self.ratio.to_dict(),
            "service": self.proof.summary() if self.proof is not None else {},
            "paid_hours": self.explained.to_dict() if self.explained is not None else {},
            "outbound": self.outbound_summary(),
            "notes": list(self.notes),
        }

    def outbound_summary(self) -> dict[str, Any] | None:
        """The campaign's figures (:func:`wfm.outbound.report.blend_to_dict`) without its day rows' detail."""
        if self.outbound is None:
            return None
        from wfm.outbound.report import blend_to_dict

        return blend_to_dict(self.outbound)

    def models(self) -> dict[str, dict[str, Any]]:
        """Per queue: the forecast model chosen and its backtest WAPE."""
        fc = self.forecast
        return {
            q: {"model": m, "backtest_wape": None if fc.chosen_wape.get(q) is None else round(fc.chosen_wape[q], 4)}
            for q, m in fc.chosen.items()
        }


# =========================================================================== the plan
def default_start(history: Any) -> dt.date:
    """The Monday after the last day of history holding data."""
    has = np.isfinite(history.volume).any(axis=(0, 2))
    if not has.any():
        raise InputError(f"{history.report.source}: the history holds no data")
    last = (history.start + pd.Timedelta(days=int(np.flatnonzero(has)[-1]))).date()
    return last + dt.timedelta(days=7 - last.weekday())


def plan(
    history: History,
    config: CentreConfig,
    *,
    start: str | dt.date | None = None,
    weeks: int = 1,
    agents: pd.DataFrame | None = None,
    method: str = "auto",
    backtest_origins: int = 4,
    solver: str | None = None,
    time_limit_s: float | None = None,
    gap: float | None = None,
    strict: bool | None = None,
    basis: str = "headcount",
    actual_weeks: int = 4,
    replications: int = REPLICATIONS,
    interval_minutes: int | None = None,
    campaign: Any = None,
    progress: Progress | None = None,
) -> PlanResult:
    """Run forecast -> staffing -> roster -> ratio for ``weeks`` weeks from ``start``.

    - ``history``: a :class:`wfm.history.History` from :func:`wfm.history.prepare_history`.
    - ``start``: first day of the plan (default: the Monday after the last day of history).
    - ``agents``: named agents (:func:`wfm.roster.read_agents`); without them agents are named A0001...
    - ``solver``, ``time_limit_s``, ``gap``, ``strict``: override the config's ``[roster]`` settings.
    - ``basis``: the ratio's basis, ``headcount`` or ``fte``.
    - ``replications``: how many times the final roster is simulated (0: not at all; seed 0).
    - ``interval_minutes``: the planning grid (``--interval``; default the config's ``[roster] interval_minutes``,
      else ``[centre] interval_minutes``): a whole number of the history's intervals. The forecast is made on
      the history's grid and summed onto it; staffing, roster, coverage and proof run on it.
    - ``campaign``: a :class:`wfm.outbound.CampaignFile` blended into the week (:func:`wfm.outbound.blend`): the
      roster's idle agents first, then the least-cost extra hours; a campaign left short is a breach.
    - ``progress(stage, message)``: called as each stage starts and with the solver's incumbent and gap.

    Raises InputError/ConfigError (bad input), InsufficientHistory, InfeasibleRoster (no feasible plan).
    A breached target is not an error: it is listed in ``PlanResult.breaches``.
    """
    if not isinstance(history, History):
        raise InputError(f"plan() takes a History, not {type(history).__name__}: prepare it with wfm.history.prepare_history")
    say = progress or _silent
    timings: dict[str, float] = {}
    t_all = time.perf_counter()
    weeks = _check_weeks(weeks)
    config = planning_config(history, config, interval_minutes)
    start_date = _parse_start(start) if start is not None else default_start(history)
    forecast = _forecast(history, config, start_date, weeks, method, backtest_origins, say, timings)
    staffing = _staffing(forecast, config, say, timings)
    settings = roster_settings(config, solver, time_limit_s, gap, strict)
    calibration = _calibrate(staffing, forecast, config, replications, say, timings)
    config = calibration.config  # objective-routed groups' objectives fixed: roster, service and proof agree
    roster = _roster(staffing, config, start_date, weeks, agents, settings, say, timings, progress is not None,
                     calibration.margins)
    ratio = _ratio(roster, config, basis, say, timings)
    actuals = last_weeks_actuals(history, start_date, actual_weeks, forecast.interval_minutes)
    planned_actuals = planned_dates_actuals(history, start_date, weeks, forecast.interval_minutes)
    proof = _prove(roster, forecast, config, replications, say, timings)
    headline, breaches = assess(staffing, roster, ratio, config, forecast.interval_minutes)
    outbound = None
    if campaign is not None:
        outbound = _outbound(campaign, staffing, roster, config, calibration, say, timings)
        if outbound.exit_code:
            breaches.append(Breach("outbound", f"campaign {campaign.campaign.name!r}: "
                                               f"{outbound.short_work_hours:,.1f} calling hours short by "
                                               f"{campaign.campaign.deadline}, reach {outbound.reach_achieved:.1%} "
                                               f"of the records (all worked: {outbound.work.reach:.1%})"))
    timings["plan"] = time.perf_counter() - t_all
    settings = {
        "start": start_date.isoformat(), "weeks": weeks, "method": method, "backtest_origins": backtest_origins,
        **settings, "ratio_basis": basis, "agents": None if agents is None else int(len(agents)),
        "interval_minutes": forecast.interval_minutes, "data_interval_minutes": history.interval_minutes,
        "holiday_like": config.forecast.holiday_like,
        "replications": replications,
    }
    return PlanResult(
        config=config, start=start_date, weeks=weeks, forecast=forecast, staffing=staffing, roster=roster,
        ratio=ratio, actuals=actuals, planned_actuals=planned_actuals, headline=headline, breaches=breaches, settings=settings, timings=timings,
        notes=list(forecast.notes) + [f"ratio: {w}" for w in ratio.warnings] + proof.notes
        + [f"outbound: {n}" for n in (outbound.notes if outbound is not None else [])], proof=proof,
        calibration=calibration, outbound=outbound,
    )


def _silent(stage: str, message: str) -> None:
    return None


def _check_weeks(weeks: int) -> int:
    if not 1 <= int(weeks) <= MAX_WEEKS:
        raise InputError(f"--weeks must be 1 to {MAX_WEEKS}, got {weeks}")
    return int(weeks)


def planning_config(history: History, config: CentreConfig, interval_minutes: int | None = None) -> CentreConfig:
    """The config a plan runs with: planned on ``interval_minutes`` (``--interval``) when given, checked against
    the history's grid (the planning grid a whole number of its intervals) and its shifts against the planning
    grid. InputError naming ``--interval``, or ConfigError naming the config's key, and the history file."""
    data, source = history.interval_minutes, history.report.source
    if interval_minutes is not None:
        check_interval(interval_minutes)
        fc.check_grid(int(interval_minutes), data, what=f"--interval {interval_minutes}", data_source=source)
        config = config.with_planning_interval(int(interval_minutes))
    else:
        key = "[roster] interval_minutes" if config.roster.interval_minutes else "[centre] interval_minutes"
        fc.check_grid(config.planning_interval_minutes, data, data_source=source, error=ConfigError,
                      what=f"{config.source or 'config'}: {key} = {config.planning_interval_minutes}")
    ro.check_roster_config(config)
    return config


def check_interval(interval_minutes: int | None) -> None:
    """``--interval``: None (the config's planning grid) or one of the grids wfm plans on."""
    if interval_minutes is not None and interval_minutes not in ALLOWED_GRIDS:
        raise InputError(f"--interval {interval_minutes}: the planning grid must be one of "
                         f"{', '.join(map(str, ALLOWED_GRIDS))} minutes (5 to 60, dividing the day)")


def roster_settings(
    config: CentreConfig, solver: str | None, time_limit_s: float | None, gap: float | None, strict: bool | None
) -> dict[str, Any]:
    """The roster solver settings a plan uses: the given ones, else the config's ``[roster]``."""
    rs = config.roster
    return {
        "solver": (solver or rs.solver).lower(),
        "time_limit_s": rs.time_limit_s if time_limit_s is None else float(time_limit_s),
        "gap": rs.gap if gap is None else float(gap),
        "strict": rs.strict if strict is None else bool(strict),
    }


def _forecast(
    history: History, config: CentreConfig, start: dt.date, weeks: int, method: str, origins: int,
    say: Progress, timings: dict[str, float],
) -> Any:
    say("forecast", f"forecasting {7 * weeks} days from {start} ({method})")
    t0 = time.perf_counter()
    forecast = fc.forecast(history, config, horizon=7 * weeks, start=start, method=method, backtest_origins=origins)
    forecast = fc.on_grid(forecast, config.planning_interval_minutes)
    timings["forecast"] = time.perf_counter() - t0
    chosen = ", ".join(
        f"{q} {m}" + (f" (WAPE {w:.1%})" if (w := forecast.chosen_wape.get(q)) is not None else "")
        for q, m in forecast.chosen.items()
    )
    say("forecast", f"models: {chosen}")
    return forecast


def _staffing(forecast: Any, config: CentreConfig, say: Progress, timings: dict[str, float]) -> pd.DataFrame:
    say("staffing", f"sizing {len(forecast.forecast):,} queue-intervals")
    t0 = time.perf_counter()
    staffing = stf.staff(forecast.forecast, config, forecast.interval_minutes)
    timings["staffing"] = time.perf_counter() - t0
    return staffing


def _roster(
    staffing: pd.DataFrame, config: CentreConfig, start: dt.date, weeks: int, agents: pd.DataFrame | None,
    settings: Mapping[str, Any], say: Progress, timings: dict[str, float], show_solver: bool,
    margins: Mapping[str, Mapping[str, float]] | None = None,
) -> Any:
    say("roster", f"solving {weeks} week(s) with {settings['solver']} (time limit {settings['time_limit_s']:g} s, "
                  f"gap {settings['gap']:.1%})")

    def _solve_progress(d: Mapping[str, float]) -> None:
        inc, g = d.get("incumbent", math.inf), d.get("gap", math.inf)
        inc_txt = f"{inc:,.1f}" if math.isfinite(inc) else "none yet"
        gap_txt = f"{g:.2%}" if math.isfinite(g) else "-"
        say("solve", f"{d.get('seconds', 0.0):5.1f} s  incumbent {inc_txt}  gap {gap_txt}")

    t0 = time.perf_counter()
    roster = ro.roster(
        staffing, config, weeks=weeks, start=start, agents=agents, solver=settings["solver"],
        time_limit_s=settings["time_limit_s"], gap=settings["gap"], strict=settings["strict"],
        progress=_solve_progress if show_solver else None, margins=margins, explain=True,
    )
    timings["roster"] = time.perf_counter() - t0
    return roster


def _calibrate(staffing: pd.DataFrame, forecast: Any, config: CentreConfig, replications: int, say: Progress,
               timings: dict[str, float]) -> Calibration:
    t0 = time.perf_counter()
    if replications > 0:
        say("calibrate", "holding the routing model to the simulator on the week's staffing")
    calibration = calibrate(staffing, forecast.forecast, config,
                            replications=CALIBRATION_REPLICATIONS if replications > 0 else 0)
    timings["calibrate"] = time.perf_counter() - t0
    return calibration


def _prove(roster: Any, forecast: Any, config: CentreConfig, replications: int, say: Progress,
           timings: dict[str, float]) -> Proof:
    if replications > 0:
        say("simulate", f"simulating the roster {replications} times")
    t0 = time.perf_counter()
    proof = prove(roster, forecast.forecast, config, replications=replications)
    timings["simulate"] = time.perf_counter() - t0
    return proof


def _outbound(campaign: Any, staffing: pd.DataFrame, roster: Any, config: CentreConfig, calibration: Calibration,
              say: Progress, timings: dict[str, float]) -> Any:
    """The campaign blended into the roster, read as `wfm outbound --run` reads the run folder."""
    from wfm.outbound.blend import blend, week_of

    say("outbound", f"blending campaign {campaign.campaign.name!r} into the week")
    t0 = time.perf_counter()
    week = week_of(config, staffing, roster.coverage, roster.assignments.astype({"date": str}), calibration.margins,
                   "the plan's week", roster_source="roster.csv")
    result = blend(config, campaign.campaign, week, source=campaign.source or "campaign")
    timings["outbound"] = time.perf_counter() - t0
    return result


def _ratio(roster: Any, config: CentreConfig, basis: str, say: Progress, timings: dict[str, float]) -> Any:
    """The ratio on the roster exactly as `wfm ratio --roster roster.csv` reads it."""
    say("ratio", "checking front line : back office")
    t0 = time.perf_counter()
    front = rt.front_line_from_roster(roster.assignments, config, source="roster.csv")
    ratio = rt.ratio(config, front_line=front, basis=basis)  # type: ignore[arg-type]
    timings["ratio"] = time.perf_counter() - t0
    return ratio


def check_plan_options(start: str | dt.date | None, weeks: int, interval_minutes: int | None = None) -> None:
    """InputError for a ``--start``, ``--weeks`` or ``--interval`` :func:`plan` would refuse (before any output
    is touched; ``--interval`` against the history: :func:`planning_config`)."""
    _check_weeks(weeks)
    check_interval(interval_minutes)
    if start is not None:
        _parse_start(start)


def _parse_start(start: str | dt.date) -> dt.date:
    if isinstance(start, dt.date):
        day = start.date() if isinstance(start, dt.datetime) else start
        check_date(day, "--start")
        return day
    try:
        day = dt.date.fromisoformat(str(start).strip())
    except ValueError:
        raise InputError(f"--start: {start!r} is not a date (expected YYYY-MM-DD)") from None
    check_date(day, "--start")
    return day


def last_weeks_actuals(history: Any, start: dt.date, weeks: int = 4, interval_minutes: int | None = None
                       ) -> pd.DataFrame:
    """All-queue volume per interval over the ``weeks`` weeks of history before ``start`` (``timestamp,volume``),
    on ``interval_minutes`` intervals (default the history's; a multiple of them adds them up)."""
    end_day = min(int((pd.Timestamp(start) - history.start).days), history.n_days)
    return actuals_between(history, max(0, end_day - 7 * weeks), end_day, interval_minutes)


def planned_dates_actuals(history: Any, start: dt.date, weeks: int, interval_minutes: int | None = None
                          ) -> pd.DataFrame:
    """What came on the plan's own dates, as far as the history reaches (a plan of past dates): all-queue
    volume per interval, ``timestamp,volume``; empty for a plan of future dates."""
    first_day = int((pd.Timestamp(start) - history.start).days)
    return actuals_between(history, max(0, first_day), min(first_day + 7 * weeks, history.n_days),
                           interval_minutes)


def actuals_between(history: Any, first_day: int, end_day: int, interval_minutes: int | None = None
                    ) -> pd.DataFrame:
    """All-queue volume per interval from day ``first_day`` to day ``end_day`` (exclusive) of the history."""
    step = interval_minutes or history.interval_minutes
    k = step // history.interval_minutes
    p = history.per_day
    if end_day <= first_day:
        return pd.DataFrame({"timestamp": pd.Series([], dtype="datetime64[ns]"), "volume": pd.Series([], dtype=float)})
    vol = history.volume[:, first_day:end_day, :]
    nq, nd = vol.shape[0], end_day - first_day
    vol = vol.reshape(nq, nd, p // k, k).transpose(0, 3, 1, 2).reshape(nq * k, nd, p // k)  # fine steps as queues
    total = np.where(np.isfinite(vol).any(axis=0), np.nansum(vol, axis=0), np.nan).ravel()
    ts = history.start + pd.Timedelta(days=first_day) + pd.to_timedelta(np.arange(len(total)) * step, unit="min")
    assert len(total) == nd * (p // k)
    return pd.DataFrame({"timestamp": ts, "volume": total})


def assess(
    staffing: pd.DataFrame, roster: Any, ratio: Any, config: CentreConfig, interval_minutes: int
) -> tuple[dict[str, Any], list[Breach]]:
    """Headline figures and breached targets of a plan (see the module docstring for the targets)."""
    cov = roster.coverage
    total_calls, sl_week, sl_target = _service_levels(staffing, cov, config)
    headline = _headline(staffing, roster, ratio, interval_minutes, total_calls, sl_week, sl_target)
    return headline, _breaches(cov, ratio, sl_week, sl_target, roster)


def _service_levels(
    staffing: pd.DataFrame, cov: pd.DataFrame, config: CentreConfig
) -> tuple[float, float, float]:
    """Calls, the plan's service level over the coverage intervals, and the queues' service-level target.

    Both service levels are weighted by calls, and NaN without calls.
    """
    st = staffing.copy()
    st["timestamp"] = pd.to_datetime(st["timestamp"])
    calls = st.groupby("timestamp", sort=True)["volume"].sum()
    targets = st["queue"].map({q.name: q.service_level for q in config.queues}).astype(float)
    weights = st["volume"].to_numpy(float)
    total_calls = float(weights.sum())
    sl_target = float((targets.to_numpy() * weights).sum() / total_calls) if total_calls > 0 else math.nan
    cov_ts = pd.to_datetime(cov["timestamp"])
    w = calls.reindex(pd.DatetimeIndex(cov_ts)).fillna(0.0).to_numpy()
    sl = cov["service_level"].to_numpy(float)
    sl_week = float((sl * w).sum() / w.sum()) if w.sum() > 0 else math.nan
    return total_calls, sl_week, sl_target


def _headline(
    staffing: pd.DataFrame,
    roster: Any,
    ratio: Any,
    interval_minutes: int,
    total_calls: float,
    sl_week: float,
    sl_target: float,
) -> dict[str, Any]:
    """The headline figures of a plan (``PlanResult.headline``, ``manifest.json`` ``headline``)."""
    cov = roster.coverage
    required = cov["required_scheduled"].to_numpy()
    under = cov["under"].to_numpy()
    hours = interval_minutes / 60.0
    agents_req = staffing.groupby("timestamp")["agents"].sum()
    return {
        "calls": round(total_calls, 1),
        "peak_agents": int(agents_req.max()) if len(agents_req) else 0,
        "peak_required": int(required.max()) if len(required) else 0,
        "required_hours": round(float(required.sum() * hours), 2),
        "rostered_agents": int(roster.agents),
        "paid_hours": round(float(roster.paid_hours), 2),
        "paid_holiday_hours": round(float(roster.paid_holiday_hours), 2),
        "cost": round(float(roster.cost), 4),
        "intervals": int(len(cov)),
        "intervals_short": int((under > 0).sum()),
        "agent_intervals_short": int(under.sum()),
        "coverage": round(float(1.0 - under.sum() / required.sum()), 4) if required.sum() > 0 else 1.0,
        "service_level": None if math.isnan(sl_week) else round(sl_week, 4),
        "service_level_target": None if math.isnan(sl_target) else round(sl_target, 4),
        "worst_interval": roster.worst_interval,
        "worst_service_level": None if roster.worst_service_level is None else round(roster.worst_service_level, 4),
        "ratio": ratio.ratio_text,
        "ratio_target": ratio.target.text,
        "ratio_status": ratio.status,
        "solver_status": roster.status,
        "gap": None if not math.isfinite(roster.gap) else round(float(roster.gap), 6),
    }


def _breaches(cov: pd.DataFrame, ratio: Any, sl_week: float, sl_target: float, roster: Any) -> list[Breach]:
    """The targets the plan breaches: service level, coverage, service period, ratio (in that order)."""
    under = cov["under"].to_numpy()
    short = int((under > 0).sum())
    breaches: list[Breach] = []
    if not math.isnan(sl_week) and not math.isnan(sl_target) and sl_week + 1e-9 < sl_target:
        breaches.append(Breach(
            "service_level", f"service level {sl_week:.1%} for the plan is below the target {sl_target:.1%}"
        ))
    if short:
        breaches.append(Breach(
            "coverage",
            f"{short} interval(s) short of the requirement ({int(under.sum())} agent-intervals; worst "
            f"{_worst_under(cov)})",
        ))
    if not roster.short_periods.empty:
        breaches.append(Breach("service_period", ro.short_periods_message(roster)))
    if not ratio.ok:
        lo, hi = ratio.band
        breaches.append(Breach(
            "ratio",
            f"front line : back office {ratio.ratio_text} ({ratio.status}; back-office share "
            f"{ratio.back_office_share:.1%}, band {lo:.1%}..{hi:.1%} for {ratio.target.text})",
        ))
    return breaches


def _worst_under(cov: pd.DataFrame) -> str:
    i = int(cov["under"].to_numpy().argmax())
    return f"{pd.Timestamp(cov['timestamp'].iloc[i]):%Y-%m-%d %H:%M}, {int(cov['under'].iloc[i])} short"


def _roster_figures(roster: Any) -> dict[str, Any]:
    s = roster.summary()
    s.pop("solve_seconds", None)  # a timing: manifest.json only
    return s
