"""The whole plan in one call: forecast -> staffing -> roster -> ratio (``wfm plan``), and its run folder.

:func:`plan` is a pure library function over plain data: it takes a history (a raw frame as read by
:func:`wfm.history.read_history`, or a cleaned :class:`wfm.history.History`) and a config and returns a
:class:`PlanResult` holding every frame and figure (forecast, staffing, roster, coverage, ratio, breached
targets, per-stage timings). Nothing in it reads files.

The run folder is written by :func:`write_run`, cron-safe:

- :func:`run_lock` holds an exclusive ``flock`` on ``<out>/.wfm-plan.lock`` for the whole run; a second run
  against the same output folder raises :class:`~wfm.errors.RunLocked` (exit 75) instead of clobbering it.
  The kernel drops the lock when a process dies, so a killed run never leaves a stale lock.
- The folder is built under a hidden temporary name beside the target (``<out>/.<name>.tmp-<pid>``) and
  renamed into place at the end (swapped atomically with the previous run where the OS allows, Linux
  ``renameat2(RENAME_EXCHANGE)``), so a run killed at any moment leaves the previous run intact and no
  half-written folder under the run's name. Leftover temporary folders of killed runs are removed by the
  next run (under the lock).

Run folder contents (``<out>/<start YYYY-MM-DD>/``)::

    forecast.csv  staffing.csv  roster.csv  coverage.csv   the stage outputs (byte-identical for the same inputs)
    ratio.json                                             the ratio check, as ``wfm ratio --json`` prints it
    forecast.png  staffing.png  coverage_heatmap.png       charts (see :mod:`wfm.charts`)
    summary.md                                             headline figures, breaches, links to the charts
    manifest.json                                          inputs + sha256, version, settings, models, solver,
                                                           timings (the only file that varies run to run)

Targets checked (any breach makes the run exit 1, the plan is still written):

- ``service_level``: the week's pooled service level with the rostered agents (calls-weighted over the
  coverage intervals) is below the calls-weighted service-level target of the queues;
- ``coverage``: some interval has fewer agents rostered than required (``coverage.csv`` ``under > 0``);
- ``ratio``: the front-line : back-office ratio of the roster is outside its band (``ratio.json`` ``ok``).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import datetime as dt
import errno
import fcntl
import hashlib
import math
import os
import shutil
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wfm import __version__
from wfm.config import CentreConfig
from wfm.errors import InputError, RunLocked
from wfm.io import csv_text, json_number, to_json

LOCK_NAME = ".wfm-plan.lock"
RUN_FILES = (
    "forecast.csv", "staffing.csv", "roster.csv", "coverage.csv", "ratio.json",
    "forecast.png", "staffing.png", "coverage_heatmap.png", "summary.md", "manifest.json",
)
CSV_FLOAT_FORMAT = {"forecast.csv": "%.3f", "staffing.csv": "%.4f", "roster.csv": "%.4f", "coverage.csv": "%.4f"}
MAX_WEEKS = 6

Progress = Callable[[str, str], None]
"""``progress(stage, message)``: stage is ``forecast``, ``staffing``, ``roster``, ``ratio`` or ``solve``
(solver updates: ``incumbent ... gap ...``)."""


# =========================================================================== result
@dataclass
class Breach:
    """One breached target: ``target`` is ``service_level``, ``coverage`` or ``ratio``."""

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

    @property
    def coverage(self) -> pd.DataFrame:
        return self.roster.coverage

    @property
    def assignments(self) -> pd.DataFrame:
        return self.roster.assignments

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
            "notes": list(self.notes),
        }

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


def prepare_history(
    raw: pd.DataFrame,
    config: CentreConfig,
    *,
    source: str = "history",
    holidays: set[dt.date] | None = None,
    exclude: set[dt.date] | None = None,
) -> Any:
    """Clean a raw history frame and flag special days exactly as ``wfm forecast`` does
    (:func:`wfm.history.prepare_history`: the config's ``[forecast]`` special days plus the given ones)."""
    from wfm import history as hist

    return hist.prepare_history(raw, config, source=source, holidays=holidays or set(), exclude=exclude or set())


def plan(
    history: Any,
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
    progress: Progress | None = None,
) -> PlanResult:
    """Run forecast -> staffing -> roster -> ratio for ``weeks`` weeks from ``start``.

    - ``history``: a :class:`wfm.history.History` or a raw long frame (``timestamp,queue,volume[,aht]``),
      cleaned here with :func:`prepare_history`.
    - ``start``: first day of the plan (default: the Monday after the last day of history).
    - ``agents``: named agents (:func:`wfm.roster.read_agents`); without them agents are named A0001...
    - ``solver``, ``time_limit_s``, ``gap``, ``strict``: override the config's ``[roster]`` settings.
    - ``basis``: the ratio's basis, ``headcount`` or ``fte``.
    - ``progress(stage, message)``: called as each stage starts and with the solver's incumbent and gap.

    Raises InputError/ConfigError (bad input), InsufficientHistory, InfeasibleRoster (no feasible plan).
    A breached target is not an error: it is listed in ``PlanResult.breaches``.
    """
    from wfm import forecast as fc
    from wfm import ratio as rt
    from wfm import roster as ro
    from wfm import staffing as stf
    from wfm.history import History

    say = progress or (lambda stage, message: None)
    timings: dict[str, float] = {}
    t_all = time.perf_counter()
    if not 1 <= int(weeks) <= MAX_WEEKS:
        raise InputError(f"--weeks must be 1 to {MAX_WEEKS}, got {weeks}")
    weeks = int(weeks)

    # -- history and start
    t0 = time.perf_counter()
    h = history if isinstance(history, History) else prepare_history(history, config)
    start_date = _parse_start(start) if start is not None else default_start(h)
    timings["history"] = time.perf_counter() - t0

    # -- forecast
    say("forecast", f"forecasting {7 * weeks} days from {start_date} ({method})")
    t0 = time.perf_counter()
    forecast = fc.forecast(
        h, config, horizon=7 * weeks, start=start_date, method=method, backtest_origins=backtest_origins,
        holiday_like=config.forecast.holiday_like,
    )
    timings["forecast"] = time.perf_counter() - t0
    chosen = ", ".join(
        f"{q} {m}" + (f" (WAPE {w:.1%})" if (w := forecast.chosen_wape.get(q)) is not None else "")
        for q, m in forecast.chosen.items()
    )
    say("forecast", f"models: {chosen}")

    # -- staffing
    say("staffing", f"sizing {len(forecast.forecast):,} queue-intervals")
    t0 = time.perf_counter()
    staffing = stf.staff(forecast.forecast, config, forecast.interval_minutes)
    timings["staffing"] = time.perf_counter() - t0

    # -- roster
    rs = config.roster
    used_solver = (solver or rs.solver).lower()
    used_limit = rs.time_limit_s if time_limit_s is None else float(time_limit_s)
    used_gap = rs.gap if gap is None else float(gap)
    used_strict = rs.strict if strict is None else bool(strict)
    say("roster", f"solving {weeks} week(s) with {used_solver} (time limit {used_limit:g} s, gap {used_gap:.1%})")

    def _solve_progress(d: Mapping[str, float]) -> None:
        inc, g = d.get("incumbent", math.inf), d.get("gap", math.inf)
        inc_txt = f"{inc:,.1f}" if math.isfinite(inc) else "none yet"
        gap_txt = f"{g:.2%}" if math.isfinite(g) else "-"
        say("solve", f"{d.get('seconds', 0.0):5.1f} s  incumbent {inc_txt}  gap {gap_txt}")

    t0 = time.perf_counter()
    roster = ro.roster(
        staffing, config, weeks=weeks, start=start_date, agents=agents, solver=used_solver,
        time_limit_s=used_limit, gap=used_gap, strict=used_strict, progress=_solve_progress if progress else None,
    )
    timings["roster"] = time.perf_counter() - t0

    # -- ratio, on the roster exactly as `wfm ratio --roster roster.csv` reads it
    say("ratio", "checking front line : back office")
    t0 = time.perf_counter()
    front = rt.front_line_from_roster(roster.assignments, config, source="roster.csv")
    ratio = rt.ratio(config, front_line=front, basis=basis)  # type: ignore[arg-type]
    timings["ratio"] = time.perf_counter() - t0

    actuals = last_weeks_actuals(h, start_date, actual_weeks)
    headline, breaches = assess(staffing, roster, ratio, config, forecast.interval_minutes)
    timings["plan"] = time.perf_counter() - t_all
    settings = {
        "start": start_date.isoformat(),
        "weeks": weeks,
        "method": method,
        "backtest_origins": backtest_origins,
        "solver": used_solver,
        "time_limit_s": used_limit,
        "gap": used_gap,
        "strict": used_strict,
        "ratio_basis": basis,
        "agents": None if agents is None else int(len(agents)),
        "interval_minutes": forecast.interval_minutes,
        "holiday_like": config.forecast.holiday_like,
    }
    return PlanResult(
        config=config, start=start_date, weeks=weeks, forecast=forecast, staffing=staffing, roster=roster,
        ratio=ratio, actuals=actuals, headline=headline, breaches=breaches, settings=settings, timings=timings,
        notes=list(forecast.notes) + [f"ratio: {w}" for w in ratio.warnings],
    )


def _parse_start(start: str | dt.date) -> dt.date:
    if isinstance(start, dt.datetime):
        return start.date()
    if isinstance(start, dt.date):
        return start
    try:
        return dt.date.fromisoformat(str(start).strip())
    except ValueError:
        raise InputError(f"--start: {start!r} is not a date (expected YYYY-MM-DD)") from None


def last_weeks_actuals(history: Any, start: dt.date, weeks: int = 4) -> pd.DataFrame:
    """All-queue volume per interval over the ``weeks`` weeks of history before ``start`` (``timestamp,volume``)."""
    p = history.per_day
    end_day = min(int((pd.Timestamp(start) - history.start).days), history.n_days)
    first_day = max(0, end_day - 7 * weeks)
    if end_day <= first_day:
        return pd.DataFrame({"timestamp": pd.Series([], dtype="datetime64[ns]"), "volume": pd.Series([], dtype=float)})
    vol = history.volume[:, first_day:end_day, :]
    total = np.where(np.isfinite(vol).any(axis=0), np.nansum(vol, axis=0), np.nan).ravel()
    ts = history.start + pd.Timedelta(days=first_day) + pd.to_timedelta(
        np.arange(len(total)) * history.interval_minutes, unit="min"
    )
    assert len(total) == (end_day - first_day) * p
    return pd.DataFrame({"timestamp": ts, "volume": total})


def assess(
    staffing: pd.DataFrame, roster: Any, ratio: Any, config: CentreConfig, interval_minutes: int
) -> tuple[dict[str, Any], list[Breach]]:
    """Headline figures and breached targets of a plan (see the module docstring for the targets)."""
    cov = roster.coverage
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
    required = cov["required_scheduled"].to_numpy()
    under = cov["under"].to_numpy()
    short = int((under > 0).sum())
    hours = interval_minutes / 60.0
    agents_req = staffing.groupby("timestamp")["agents"].sum()
    headline = {
        "calls": round(total_calls, 1),
        "peak_agents": int(agents_req.max()) if len(agents_req) else 0,
        "peak_required": int(required.max()) if len(required) else 0,
        "required_hours": round(float(required.sum() * hours), 2),
        "rostered_agents": int(roster.agents),
        "paid_hours": round(float(roster.paid_hours), 2),
        "cost": round(float(roster.cost), 4),
        "intervals": int(len(cov)),
        "intervals_short": short,
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
    if not ratio.ok:
        lo, hi = ratio.band
        breaches.append(Breach(
            "ratio",
            f"front line : back office {ratio.ratio_text} ({ratio.status}; back-office share "
            f"{ratio.back_office_share:.1%}, band {lo:.1%}..{hi:.1%} for {ratio.target.text})",
        ))
    return headline, breaches


def _worst_under(cov: pd.DataFrame) -> str:
    i = int(cov["under"].to_numpy().argmax())
    return f"{pd.Timestamp(cov['timestamp'].iloc[i]):%Y-%m-%d %H:%M}, {int(cov['under'].iloc[i])} short"


def _roster_figures(roster: Any) -> dict[str, Any]:
    s = roster.summary()
    s.pop("solve_seconds", None)  # a timing: manifest.json only
    return s


# =========================================================================== files of a run
def frame_csv(frame: pd.DataFrame, float_format: str = "%.4f") -> str:
    """CSV text exactly as :func:`wfm.io.atomic_write_csv` writes it."""
    return csv_text(frame, float_format)


def sha256_file(path: str | os.PathLike[str]) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def run_files(result: PlanResult) -> dict[str, bytes]:
    """The run folder's deterministic files (all but manifest.json), as bytes, in writing order."""
    from wfm import charts

    files: dict[str, bytes] = {
        "forecast.csv": frame_csv(result.forecast.forecast, CSV_FLOAT_FORMAT["forecast.csv"]).encode(),
        "staffing.csv": frame_csv(result.staffing, CSV_FLOAT_FORMAT["staffing.csv"]).encode(),
        "roster.csv": frame_csv(result.assignments, CSV_FLOAT_FORMAT["roster.csv"]).encode(),
        "coverage.csv": frame_csv(result.coverage, CSV_FLOAT_FORMAT["coverage.csv"]).encode(),
        "ratio.json": (to_json(result.ratio.to_dict()) + "\n").encode(),
    }
    files.update(charts.plan_charts(result))
    files["summary.md"] = summary_markdown(result).encode()
    return files


def summary_markdown(result: PlanResult) -> str:
    """The run's summary.md: headline figures, breaches, models, files and the charts."""
    h = result.headline
    cfg = result.config
    end = result.start + dt.timedelta(days=7 * result.weeks - 1)
    lines = [
        f"# Plan {result.start.isoformat()} .. {end.isoformat()} — {cfg.centre.name}",
        "",
        "**All targets met.**" if result.ok else "**Targets breached:**",
    ]
    lines += [f"- {b.target}: {b.message}" for b in result.breaches]
    lines += [
        "",
        "## Headline",
        "",
        "| figure | value |",
        "|---|---|",
        f"| calls forecast | {h['calls']:,.0f} |",
        f"| peak agents on the phones (required) | {h['peak_agents']} |",
        f"| peak agents to schedule (required) | {h['peak_required']} |",
        f"| agents rostered | {h['rostered_agents']} |",
        f"| paid hours | {h['paid_hours']:,.1f} |",
        f"| coverage | {_pct(h['coverage'])} ({h['intervals_short']} of {h['intervals']} intervals short) |",
        f"| service level (target) | {_pct(h['service_level'])} ({_pct(h['service_level_target'])}) |",
        f"| worst interval | {h['worst_interval']} ({_pct(h['worst_service_level'])}) |",
        f"| front line : back office (target) | {h['ratio']} ({h['ratio_target']}, {h['ratio_status']}) |",
        f"| solver | {result.settings['solver']}: {h['solver_status']}, gap {_pct(h['gap'], 2)} |",
        "",
        "## Forecast models",
        "",
        "| queue | model | backtest WAPE |",
        "|---|---|---|",
    ]
    for q, m in result.models().items():
        lines.append(f"| {q} | {m['model']} | {_pct(m['backtest_wape'])} |")
    lines += [
        "",
        "## Charts",
        "",
        "![Forecast against the last weeks' actuals](forecast.png)",
        "",
        "![Required against scheduled agents per interval](staffing.png)",
        "",
        "![Over and under staffing by day and interval](coverage_heatmap.png)",
        "",
        "## Files",
        "",
        "- [forecast.csv](forecast.csv): volume and AHT per interval and queue, with p10/p90",
        "- [staffing.csv](staffing.csv): agents required per interval and queue (Erlang)",
        "- [roster.csv](roster.csv): one row per agent and working day",
        "- [coverage.csv](coverage.csv): required scheduled against rostered (on shift, off break) per interval",
        "- [ratio.json](ratio.json): front line : back office check",
        "- [manifest.json](manifest.json): inputs and their sha256, settings, models, solver, timings",
        "",
    ]
    if result.notes:
        lines += ["## Notes", ""] + [f"- {n}" for n in result.notes] + [""]
    return "\n".join(lines)


def headline_table(result: PlanResult, folder: str | os.PathLike[str] | None = None) -> list[list[str]]:
    """Rows ``[figure, value]`` of the headline figures, as ``wfm plan`` prints them."""
    h = result.headline
    end = result.start + dt.timedelta(days=7 * result.weeks - 1)
    models = ", ".join(
        f"{q} {m['model']}" + (f" ({m['backtest_wape']:.1%})" if m["backtest_wape"] is not None else "")
        for q, m in result.models().items()
    )
    rows = [["run folder", str(folder)]] if folder is not None else []
    rows += [
        ["plan", f"{result.start} .. {end} ({result.weeks} week{'s' if result.weeks > 1 else ''})"],
        ["models (WAPE)", models],
        ["calls forecast", f"{h['calls']:,.0f}"],
        ["peak agents", f"{h['peak_agents']} on the phones, {h['peak_required']} scheduled"],
        ["agents rostered", f"{h['rostered_agents']} ({h['paid_hours']:,.0f} paid hours)"],
        ["coverage", f"{_pct(h['coverage'])} ({h['intervals_short']} of {h['intervals']} intervals short)"],
        ["service level", f"{_pct(h['service_level'])} (target {_pct(h['service_level_target'])})"],
        ["ratio", f"{h['ratio']} (target {h['ratio_target']}, {h['ratio_status']})"],
        ["solver", f"{result.settings['solver']} {h['solver_status']}, gap {_pct(h['gap'], 2)}"],
        ["targets", "all met" if result.ok else "breached: " + ", ".join(b.target for b in result.breaches)],
    ]
    return rows


def _pct(v: float | None, digits: int = 1) -> str:
    return "n/a" if v is None else f"{v:.{digits}%}"


def manifest(
    result: PlanResult,
    files: Mapping[str, bytes],
    inputs: Mapping[str, str | os.PathLike[str] | None],
    timings: Mapping[str, float],
    command: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """manifest.json: inputs with sha256, wfm version, every setting, models, solver and timings."""
    import matplotlib
    import pulp

    ins: dict[str, Any] = {}
    for role, path in inputs.items():
        if path is None:
            ins[role] = None
            continue
        p = Path(path)
        ins[role] = {"path": str(path), "sha256": sha256_file(p), "bytes": p.stat().st_size}
    r = result.roster
    return {
        "wfm_version": __version__,
        "created_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": command,
        "run": result.name,
        "inputs": ins,
        "settings": {**result.settings, "config": result.config.model_dump(mode="json")},
        "models": result.models(),
        "history": result.forecast.history_summary,
        "solver": {
            "name": r.solver,
            "status": r.status,
            "objective": json_number(r.objective, 6),
            "lower_bound": json_number(r.lower_bound, 6),
            "gap": json_number(r.gap, 6),
            "model_size": dict(r.model_size),
            "solve_seconds": round(float(r.solve_seconds), 3),
        },
        "headline": result.headline,
        "breaches": [{"target": b.target, "message": b.message} for b in result.breaches],
        "exit_code": result.exit_code,
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
        "timings_s": {k: round(float(v), 3) for k, v in timings.items()},
        "versions": {
            "python": ".".join(map(str, __import__("sys").version_info[:3])),
            "numpy": np.__version__,
            "pandas": pd.__version__,
            "pulp": pulp.__version__ if hasattr(pulp, "__version__") else None,
            "matplotlib": matplotlib.__version__,
        },
    }


# =========================================================================== lock and atomic folder
@contextlib.contextmanager
def run_lock(out_dir: str | os.PathLike[str]) -> Iterator[Path]:
    """Hold the exclusive run lock on ``out_dir`` (created if missing); RunLocked when another run has it.

    The lock is an ``flock`` on ``<out_dir>/.wfm-plan.lock`` holding the owner's pid; it dies with its
    process, so a killed run leaves no stale lock.
    """
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise InputError(f"{out}: is not a folder (--out names the folder that holds the runs)") from None
    except OSError as exc:
        raise InputError(f"{out}: cannot create the output folder ({exc.strerror})") from None
    if not out.is_dir():
        raise InputError(f"{out}: is not a folder (--out names the folder that holds the runs)")
    path = out / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise InputError(f"{path}: cannot open the lock file ({exc.strerror})") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise
            owner = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "unknown"
            raise RunLocked(
                f"{out}: another wfm plan run is writing here ({owner}); not touching it, try again later"
            ) from None
        os.ftruncate(fd, 0)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        os.pwrite(fd, f"pid {os.getpid()} since {stamp}\n".encode(), 0)
        try:
            yield path
        finally:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def clean_leftovers(out_dir: str | os.PathLike[str]) -> list[str]:
    """Remove temporary folders left by killed runs (call only while holding :func:`run_lock`)."""
    removed = []
    for p in sorted(Path(out_dir).glob(".*.tmp-*")):
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p.name)
    return removed


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    rc = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP if hasattr(errno, "ENOTSUP") else errno.EINVAL):
        return False
    raise OSError(err, os.strerror(err), str(b))


def publish_folder(files: Mapping[str, bytes], target: str | os.PathLike[str]) -> Path:
    """Write ``files`` into a hidden temporary folder beside ``target``, then rename it into place.

    An existing ``target`` is swapped out atomically (or, where the OS cannot swap, renamed aside a moment
    before) and removed afterwards. Readers see the old folder or the new one, never a half-written one.
    """
    target = Path(target)
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = parent / f".{target.name}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        for name, data in files.items():
            with open(tmp / name, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        _fsync_dir(tmp)
        if not target.exists():
            os.rename(tmp, target)
        elif _exchange(tmp, target):
            shutil.rmtree(tmp)  # now holds the previous run
        else:
            old = parent / f".{target.name}.old.tmp-{os.getpid()}"
            os.rename(target, old)
            os.rename(tmp, target)
            shutil.rmtree(old)
        _fsync_dir(parent)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_run(
    result: PlanResult,
    out_dir: str | os.PathLike[str],
    inputs: Mapping[str, str | os.PathLike[str] | None],
    *,
    command: Mapping[str, Any] | None = None,
    timings: Mapping[str, float] | None = None,
) -> Path:
    """Write the run folder ``<out_dir>/<start>/`` (charts, CSVs, ratio, summary, manifest) all at once.

    Call while holding :func:`run_lock` on ``out_dir``. Returns the run folder's path.
    """
    t0 = time.perf_counter()
    files = run_files(result)
    t_files = time.perf_counter() - t0
    all_timings = {**result.timings, **(timings or {}), "files": t_files}
    files["manifest.json"] = (to_json(manifest(result, files, inputs, all_timings, command)) + "\n").encode()
    return publish_folder(files, Path(out_dir) / result.name)


__all__ = [
    "Breach", "PlanResult", "plan", "prepare_history", "default_start", "assess", "last_weeks_actuals",
    "run_files", "summary_markdown", "manifest", "run_lock", "clean_leftovers", "publish_folder", "write_run",
    "frame_csv", "sha256_file",
]
