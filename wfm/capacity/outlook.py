"""The weekly requirement a capacity plan must staff (docs/capacity.md): agent-hours on the phones and FTE per
week of the horizon, from one of three sources.

- **flat**: ``capacity.requirement_fte`` every week.
- **forecast**: a forecast CSV covering the horizon, every interval staffed.

Staffed means :func:`wfm.staffing.interval_requirement` per staff group on the planning grid: every queue held
to its own targets in every interval under its group's routing (a queue judged over a day too: months ahead
there is no roster yet to trade intervals against each other; on the bundled week this is 117.6 FTE on the
phones where the published roster gave about 118, and the interval floor the roster starts from 101.7).
- **history**: a volume outlook. The *shape* is the mean volume of each interval of the week over the history's
  last ``capacity.outlook.shape_weeks`` whole Monday-to-Sunday weeks, per queue (holidays and excluded days
  left out: a mean ignoring them), with the calls-weighted AHT of each interval of the week. Week ``t`` of the
  horizon gets ``shape x (1 + growth)^years x index[month] / mean(index over the shape's months)`` calls, where
  ``years`` runs from the shape's middle to the week's middle (52 weeks a year) and a week's month is its
  Thursday's (ISO); AHT is the shape's times ``aht_factor``. Every distinct week is staffed in one call.

Each week's ``required_fte = agent_hours / capacity.fte_hours``: paid hours on the phones, before shrinkage;
``shrinkage`` is the share of paid hours off the phones that week (``capacity.shrinkage_by_month``, else the
queues' ``shrinkage`` weighted by their workload, calls x AHT, over the horizon).

**Peak weeks**: those whose ``required_fte`` is at least the 90th percentile of the horizon's (``np.percentile``,
linear interpolation), so at least one; a flat requirement makes every week a peak week.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from wfm.capacity.settings import CapacityFile
from wfm.config import CentreConfig
from wfm.errors import ConfigError, InputError
from wfm.forecast.grid import sum_to_grid
from wfm.history import History, prepare_history, read_history
from wfm.io import read_forecast
from wfm.staffing import interval_requirement, queue_shrinkage

COLUMNS = ["week", "calls", "aht", "agent_hours", "required_fte", "shrinkage", "peak"]
PEAK_PERCENTILE = 90.0
WEEKS_PER_YEAR = 52.0  # growth compounds over 52-week years, as attrition does (settings.CONVENTION)
WEEK = pd.Timedelta(days=7)
SCALE_GRID = 9  # volume scales staffed when the weeks have more distinct ones (hours interpolated between)


@dataclass
class Requirement:
    """The horizon's requirement, one row per week (``COLUMNS``): ``week`` (its Monday), ``calls``, ``aht``
    (calls-weighted, seconds), ``agent_hours`` (on the phones), ``required_fte`` (``agent_hours / fte_hours``),
    ``shrinkage`` (share of paid hours off the phones), ``peak`` (see the module docstring)."""

    frame: pd.DataFrame
    source: str  # "flat", "history" or "forecast"
    notes: list[str] = field(default_factory=list)


def weekly_requirement(
    config: CentreConfig,
    cap: CapacityFile,
    *,
    history: str | os.PathLike[str] | None = None,
    forecast: str | os.PathLike[str] | None = None,
    growth: float | None = None,
    aht_factor: float | None = None,
) -> Requirement:
    """The weekly requirement of ``cap``'s horizon for ``config``'s queues.

    ``capacity.requirement_fte`` wins when set (``history``/``forecast`` are then ignored, with a note); else
    ``forecast`` (a forecast CSV) wins over ``history`` (a history CSV). ``growth`` and ``aht_factor`` override
    the capacity file's ``growth_per_year`` and ``outlook.aht_factor`` (for sweeps). Raises ``ConfigError`` when
    there is no source or the history is shorter than ``outlook.shape_weeks``; ``InputError`` when the forecast
    does not cover the horizon.
    """
    settings = cap.capacity
    weeks = pd.date_range(pd.Timestamp(settings.start), periods=settings.weeks, freq="7D")
    notes: list[str] = []
    if settings.requirement_fte is not None:
        ignored = [f"{what} {path}" for what, path in (("history", history), ("forecast", forecast)) if path]
        if ignored:
            notes.append(f"capacity.requirement_fte is set: {' and '.join(ignored)} ignored")
        return _flat(config, cap, weeks, notes)
    if forecast is not None:
        if history is not None:
            notes.append(f"forecast {forecast} given: history {history} ignored")
        return _from_forecast(config, cap, weeks, forecast, notes)
    if history is not None:
        return _from_history(config, cap, weeks, history, notes, growth, aht_factor)
    raise ConfigError(f"{_where(cap)}capacity.requirement_fte: is not set and no history or forecast was given "
                      "(give requirement_fte, --history or --forecast)")


# --------------------------------------------------------------------------- sources
def _flat(config: CentreConfig, cap: CapacityFile, weeks: pd.DatetimeIndex, notes: list[str]) -> Requirement:
    s = cap.capacity
    fte = float(s.requirement_fte or 0.0)
    n = len(weeks)
    shrink = float(np.mean([queue_shrinkage(q, config.source) for q in config.queues]))
    return Requirement(
        _frame(cap, weeks, np.full(n, np.nan), np.full(n, np.nan), np.full(n, fte * s.fte_hours), shrink),
        "flat", notes + [f"flat requirement: {fte:g} FTE every week"],
    )


def _from_forecast(config: CentreConfig, cap: CapacityFile, weeks: pd.DatetimeIndex,
                   path: str | os.PathLike[str], notes: list[str]) -> Requirement:
    fc = read_forecast(path, config.queue_names, interval_minutes=config.centre.interval_minutes)
    _check_covers(fc, weeks, config.centre.interval_minutes, path)
    end = weeks[-1] + WEEK
    inside = ((fc["timestamp"] >= weeks[0]) & (fc["timestamp"] < end)).to_numpy()
    if not inside.all():
        notes.append(f"forecast {path}: {int((~inside).sum()):,} rows outside the horizon ignored")
    fc = fc.loc[inside].reset_index(drop=True)
    fc.attrs["source"] = str(path)
    calls, aht, hours, workload = _staff_weeks(config, fc, weeks)
    notes.append(f"forecast {path}: {len(fc):,} rows staffed")
    return Requirement(_frame(cap, weeks, calls, aht, hours, _shrinkage(config, workload)), "forecast", notes)


def _from_history(config: CentreConfig, cap: CapacityFile, weeks: pd.DatetimeIndex,
                  path: str | os.PathLike[str], notes: list[str], growth: float | None,
                  aht_factor: float | None) -> Requirement:
    s, outlook = cap.capacity, cap.outlook
    growth = s.growth_per_year if growth is None else float(growth)
    factor = outlook.aht_factor if aht_factor is None else float(aht_factor)
    minutes = config.planning_interval_minutes
    hist = prepare_history(read_history(path), config, source=str(path), interval_minutes=minutes)
    unknown = sorted(set(hist.queues) - set(config.queue_names))
    if unknown:
        raise InputError(f"{path}: unknown queue {unknown[0]!r} (the config has: {', '.join(config.queue_names)})")
    first_week, end_week = _whole_weeks(hist)
    if end_week - first_week < outlook.shape_weeks:
        raise ConfigError(
            f"{_where(cap)}capacity.outlook.shape_weeks = {outlook.shape_weeks}: history {path} has "
            f"{max(end_week - first_week, 0)} whole Monday-to-Sunday week(s); give a longer history or fewer "
            "shape_weeks")
    shape_from = end_week - outlook.shape_weeks
    vol, aht = _shape(hist, shape_from, end_week, notes)  # (queues, intervals of the week)
    shape_start = hist.start + shape_from * WEEK

    # each week's scale: growth from the shape's middle to the week's middle, times the month's index
    middle = shape_start + outlook.shape_weeks * WEEK / 2
    years = ((weeks + WEEK / 2) - middle) / WEEK / WEEKS_PER_YEAR
    scale = (1.0 + growth) ** np.asarray(years, dtype=float)
    index = outlook.monthly_index
    if index is not None:
        months = np.asarray((weeks + pd.Timedelta(days=3)).month) - 1
        shape_mondays = pd.date_range(shape_start, periods=outlook.shape_weeks, freq="7D")
        shape_months = np.asarray((shape_mondays + pd.Timedelta(days=3)).month) - 1
        ix = np.asarray(index, dtype=float)
        scale = scale * ix[months] / ix[shape_months].mean()

    # weeks of the same scale have the same calls, hence the same agents: staff each distinct one once; past
    # SCALE_GRID distinct scales, staff SCALE_GRID of them evenly over their range and interpolate the hours
    distinct, first_of, which = np.unique(scale, return_index=True, return_inverse=True)
    exact = len(distinct) <= SCALE_GRID
    if not exact:
        grid = np.linspace(distinct[0], distinct[-1], SCALE_GRID)
        week_scale = scale
        distinct, first_of, which = grid, np.zeros(SCALE_GRID, dtype=np.int64), None
    per_week = vol.shape[1]
    q_names = np.asarray(hist.queues)
    offsets = pd.to_timedelta(np.arange(per_week) * minutes, unit="min")
    stamps = (weeks[first_of].to_numpy()[:, None, None] + offsets.to_numpy()[None, None, :])
    n_q = len(hist.queues)
    frame = pd.DataFrame({
        "timestamp": np.broadcast_to(stamps, (len(distinct), n_q, per_week)).ravel(),
        "queue": np.broadcast_to(q_names[None, :, None], (len(distinct), n_q, per_week)).ravel(),
        "volume": (distinct[:, None, None] * vol[None]).ravel(),
        "aht": np.broadcast_to(aht[None] * factor, (len(distinct), n_q, per_week)).ravel(),
    })
    frame.attrs["source"] = str(path)
    if exact:
        calls_d, aht_d, hours_d, work_d = _staff_weeks(config, frame, weeks[first_of])
        counts = np.bincount(which, minlength=len(distinct)).astype(float)
        workload = {q: float((w * counts).sum()) for q, w in work_d.items()}
    else:  # one made-up week per grid scale (a week apart, so _staff_weeks tells them apart)
        frame["timestamp"] = frame["timestamp"] + np.repeat(np.arange(SCALE_GRID) * WEEK, n_q * per_week)
        g_calls, g_aht, g_hours, g_work = _staff_weeks(
            config, frame, pd.date_range(weeks[0], periods=SCALE_GRID, freq="7D"))
        calls_d = g_calls[0] / grid[0] * week_scale  # calls and workload are linear in the scale
        aht_d = np.full(len(weeks), g_aht[0])
        hours_d = np.interp(week_scale, grid, g_hours)
        workload = {q: float(w[0] / grid[0] * week_scale.sum()) for q, w in g_work.items()}
        which = np.arange(len(weeks))
    notes.append(
        f"volume outlook: the mean week of {path} {shape_start:%Y-%m-%d}..{shape_start + outlook.shape_weeks * WEEK - pd.Timedelta(days=1):%Y-%m-%d} "  # noqa: E501
        f"({outlook.shape_weeks} whole weeks), growth {growth:.1%} a year"
        + (", monthly index" if index is not None else "") + (f", AHT x {factor:g}" if factor != 1 else "")
        + (f"; {len(distinct)} distinct week(s) staffed" if exact else
           f"; staffed at {SCALE_GRID} volume scales from x{grid[0]:.3f} to x{grid[-1]:.3f}, each week's agent-hours "
           "interpolated"))
    return Requirement(
        _frame(cap, weeks, calls_d[which], aht_d[which], hours_d[which], _shrinkage(config, workload)),
        "history", notes,
    )


# --------------------------------------------------------------------------- pieces
def _staff_weeks(config: CentreConfig, frame: pd.DataFrame, weeks: pd.DatetimeIndex
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Staff ``frame`` (rows inside ``weeks``, Mondays in increasing order) in one call: per week its calls,
    calls-weighted AHT, agent-hours on the phones, and each queue's workload (calls x AHT seconds)."""
    minutes = config.planning_interval_minutes
    staffing = frame[["timestamp", "queue", "volume", "aht"]].assign(
        timestamp=pd.to_datetime(frame["timestamp"]), aht=pd.to_numeric(frame["aht"], errors="coerce"))
    default = staffing["queue"].map({q.name: float(q.aht_s) for q in config.queues})
    staffing["aht"] = staffing["aht"].where(np.isfinite(staffing["aht"]) & (staffing["aht"] > 0), default)
    # onto the planning grid (calls summed, AHT call-weighted), as every stage puts a forecast there
    staffing = sum_to_grid(staffing, minutes, source=str(frame.attrs.get("source", "the outlook")))
    groups = list(dict.fromkeys(q.staff_group for q in config.queues))
    need = pd.concat([interval_requirement(staffing, config, g) for g in groups], ignore_index=True)
    n = len(weeks)
    mondays = weeks.to_numpy()
    row_week = np.searchsorted(mondays, staffing["timestamp"].to_numpy(), side="right") - 1
    need_week = np.searchsorted(mondays, need["timestamp"].to_numpy(), side="right") - 1
    vol = staffing["volume"].to_numpy(dtype=float)
    work = vol * staffing["aht"].to_numpy(dtype=float)
    calls = np.bincount(row_week, weights=vol, minlength=n)
    seconds = np.bincount(row_week, weights=work, minlength=n)
    with np.errstate(divide="ignore", invalid="ignore"):
        aht = np.where(calls > 0, seconds / calls, np.nan)
    hours = np.bincount(need_week, weights=need["agents"].to_numpy(dtype=float), minlength=n) * minutes / 60.0
    names = staffing["queue"].astype(str).to_numpy()
    workload = {q.name: np.bincount(row_week[names == q.name], weights=work[names == q.name], minlength=n)
                for q in config.queues}
    return calls, aht, hours, workload


def _shrinkage(config: CentreConfig, workload: dict[str, float] | dict[str, np.ndarray]) -> float:
    """The queues' shrinkage weighted by their workload over the horizon (the plain mean without any)."""
    shrink = np.array([queue_shrinkage(q, config.source) for q in config.queues])
    w = np.array([float(np.sum(workload.get(q.name, 0.0))) for q in config.queues])
    return float((shrink * w).sum() / w.sum()) if w.sum() > 0 else float(shrink.mean())


def _frame(cap: CapacityFile, weeks: pd.DatetimeIndex, calls: np.ndarray, aht: np.ndarray, hours: np.ndarray,
           queue_shrink: float) -> pd.DataFrame:
    s = cap.capacity
    fte = hours / s.fte_hours
    if s.shrinkage_by_month is not None:
        months = np.asarray((weeks + pd.Timedelta(days=3)).month) - 1
        shrink = np.asarray(s.shrinkage_by_month, dtype=float)[months]
    else:
        shrink = np.full(len(weeks), queue_shrink)
    top = np.percentile(fte, PEAK_PERCENTILE)
    peak = fte >= top - 1e-9 * max(1.0, abs(float(top)))
    return pd.DataFrame({"week": weeks, "calls": calls, "aht": aht, "agent_hours": hours, "required_fte": fte,
                         "shrinkage": shrink, "peak": peak}, columns=COLUMNS)


def _whole_weeks(hist: History) -> tuple[int, int]:
    """The history's whole Monday-to-Sunday weeks as ``[first, end)`` week indices of its grid (a holiday or
    an excluded day inside the span counts as covered)."""
    has = np.isfinite(hist.volume).any(axis=(0, 2)) | hist.holiday | hist.excluded
    if not has.any():
        return 0, 0
    first = int(np.argmax(has))
    last = len(has) - 1 - int(np.argmax(has[::-1]))
    return -(-first // 7), (last + 1) // 7


def _shape(hist: History, from_week: int, end_week: int, notes: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Mean volume and calls-weighted AHT per queue and interval of the week over weeks ``[from, end)``,
    holidays and excluded days left out; an interval with no data in any of those weeks takes the mean of the
    same interval over the whole history (0 calls when there is none)."""
    q, per_day = len(hist.queues), hist.per_day
    train = hist.training_volume()
    weekly = train[:, : (train.shape[1] // 7) * 7].reshape(q, -1, 7 * per_day)
    aht_weekly = hist.aht[:, : (train.shape[1] // 7) * 7].reshape(q, -1, 7 * per_day)
    vol_w, aht_w = weekly[:, from_week:end_week], aht_weekly[:, from_week:end_week]
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # nanmean of an all-NaN slice: handled below
        vol = np.nanmean(vol_w, axis=1)
        gaps = ~np.isfinite(vol)
        if gaps.any():
            vol = np.where(gaps, np.nanmean(weekly, axis=1), vol)
            notes.append(f"{int(gaps.sum())} queue-interval(s) of the week have no data in the shape weeks: "
                         "the whole history's mean taken")
        vol = np.nan_to_num(vol, nan=0.0)
        both = np.isfinite(vol_w) & np.isfinite(aht_w) & (vol_w > 0)
        calls = np.where(both, vol_w, 0.0).sum(axis=1)
        seconds = np.where(both, vol_w * np.where(both, aht_w, 0.0), 0.0).sum(axis=1)
        per_queue = seconds.sum(axis=1, keepdims=True) / calls.sum(axis=1, keepdims=True)
        aht = np.where(calls > 0, seconds / np.where(calls > 0, calls, 1.0), per_queue)
    return vol, aht  # NaN AHT (a queue without any): staff() takes the queue's aht_s


def _check_covers(fc: pd.DataFrame, weeks: pd.DatetimeIndex, minutes: int, path: str | os.PathLike[str]) -> None:
    """Every horizon week must have a forecast row at every interval (one wall-clock hour may be missing: a
    23-hour DST day)."""
    stamps = pd.DatetimeIndex(pd.unique(fc["timestamp"]))
    week = np.searchsorted(weeks.to_numpy(), stamps.to_numpy(), side="right") - 1
    inside = (stamps >= weeks[0]) & (stamps < weeks[-1] + WEEK)
    have = np.bincount(week[inside], minlength=len(weeks))
    full = 7 * 1440 // minutes
    missing = np.flatnonzero(have < full - 60 // minutes)
    if len(missing):
        first, last = stamps.min(), stamps.max()
        shown = ", ".join(f"{weeks[i]:%Y-%m-%d}" for i in missing[:3]) + (
            f" and {len(missing) - 3} more" if len(missing) > 3 else "")
        raise InputError(
            f"{path}: the forecast runs {first:%Y-%m-%d %H:%M}..{last:%Y-%m-%d %H:%M} but the horizon needs every "
            f"interval of the weeks {weeks[0]:%Y-%m-%d}..{weeks[-1] + WEEK - pd.Timedelta(days=1):%Y-%m-%d}; "
            f"{len(missing)} week(s) not fully covered (starting {shown})")


def _where(cap: CapacityFile) -> str:
    return f"{cap.source}: " if cap.source else ""
