"""Staffing: forecast -> agents per interval and queue (Erlang C, or Erlang A where patience is known).

Input frame (a forecast): ``timestamp`` (datetime64, interval start), ``queue``, ``volume`` (calls offered in
the interval), ``aht`` (seconds; NaN takes the queue's ``aht_s``).

Output frame (a staffing file), one row per interval and queue, in input order:

=================== ================================================================================
``timestamp``       interval start (local time)
``queue``           queue name
``volume``, ``aht`` as forecast (aht filled from the config where missing)
``agents``          fewest agents on the phones meeting every target of the queue at once
``fractional_agents`` unrounded agents (see :func:`wfm.erlang.fractional_agents`)
``scheduled``       ``ceil(agents / (1 - shrinkage))``: agents to schedule so that ``agents`` are on the phones
``service_level``   share answered within ``answer_within_s`` with ``agents`` on the phones
``asa``             average speed of answer, seconds (of answered calls under Erlang A)
``occupancy``       share of on-phone time busy with calls
``wait_probability`` share of calls that wait at all
``abandon_rate``    share of calls that abandon (only when some queue has ``patience_s``)
=================== ================================================================================
"""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from wfm import erlang, routing
from wfm.config import CentreConfig, Queue
from wfm.errors import ConfigError, InputError

STAFFING_COLUMNS = [
    "timestamp", "queue", "volume", "aht", "agents", "fractional_agents", "scheduled",
    "service_level", "asa", "occupancy", "wait_probability",
]


def queue_targets(queue: Queue) -> erlang.Targets:
    """The Erlang targets a queue's config asks for."""
    return erlang.Targets(
        service_level=queue.service_level,
        answer_within_s=queue.answer_within_s,
        asa_s=queue.asa_s,
        max_occupancy=queue.max_occupancy,
        max_abandon=queue.max_abandon if queue.patience_s else None,
        patience_s=queue.patience_s,
    )


def scheduled_agents(agents: np.ndarray, shrinkage: float | np.ndarray) -> np.ndarray:
    """Agents to schedule so that ``agents`` remain after shrinkage: ``ceil(agents / (1 - shrinkage))``."""
    raw = np.asarray(agents, dtype=float) / (1.0 - np.asarray(shrinkage, dtype=float))
    return np.ceil(raw - 1e-9).astype(np.int64)


def staff(forecast: pd.DataFrame, config: CentreConfig, interval_minutes: int | None = None) -> pd.DataFrame:
    """Size every interval of every queue in ``forecast`` with that queue's targets from ``config``.

    Returns the staffing frame described in the module docstring. Raises ``InputError`` for unknown queues,
    negative or missing volumes, or non-positive AHT.
    """
    missing = [c for c in ("timestamp", "queue", "volume") if c not in forecast.columns]
    if missing:
        raise InputError(f"forecast is missing column(s) {', '.join(missing)}")
    frame = forecast.copy()
    if "aht" not in frame.columns:
        frame["aht"] = np.nan
    frame["volume"] = pd.to_numeric(frame["volume"], errors="coerce").astype(float)
    frame["aht"] = pd.to_numeric(frame["aht"], errors="coerce").astype(float)
    if frame["volume"].isna().any() or (frame["volume"] < 0).any():
        raise InputError("forecast volume must be a non-negative number in every row")
    ivl_min = interval_minutes or config.centre.interval_minutes
    interval_s = 60.0 * ivl_min
    has_patience = any(q.patience_s for q in config.queues)
    out_cols = STAFFING_COLUMNS + (["abandon_rate"] if has_patience else [])
    parts: list[pd.DataFrame] = []
    known = set(config.queue_names)
    unknown = sorted(set(frame["queue"].astype(str)) - known)
    if unknown:
        raise InputError(
            f"forecast has unknown queue {unknown[0]!r} (the config has: {', '.join(config.queue_names)})"
        )
    frame["_order"] = np.arange(len(frame))
    for queue in config.queues:
        rows = frame[frame["queue"] == queue.name]
        if rows.empty:
            continue
        vol = rows["volume"].to_numpy(float)
        aht = rows["aht"].to_numpy(float)
        aht = np.where(np.isfinite(aht) & (aht > 0), aht, queue.aht_s)
        targets = queue_targets(queue)
        agents = erlang.required_agents(vol, aht, interval_s, targets)
        metrics = erlang.evaluate(vol, aht, interval_s, agents, queue.answer_within_s, queue.patience_s)
        frac = erlang.fractional_agents(vol, aht, interval_s, agents, targets)
        part = pd.DataFrame(
            {
                "timestamp": rows["timestamp"].to_numpy(),
                "queue": queue.name,
                "volume": vol,
                "aht": aht,
                "agents": agents,
                "fractional_agents": np.round(frac, 4),
                "scheduled": scheduled_agents(agents, queue.shrinkage),
                "service_level": metrics.service_level,
                "asa": metrics.asa,
                "occupancy": metrics.occupancy,
                "wait_probability": metrics.wait_probability,
                "_order": rows["_order"].to_numpy(),
            }
        )
        if has_patience:
            part["abandon_rate"] = metrics.abandon_rate
        parts.append(part)
    result = pd.concat(parts, ignore_index=True).sort_values("_order", kind="stable")
    return result[out_cols].reset_index(drop=True)


@dataclass(frozen=True)
class StaffSummaryRow:
    date: str
    queue: str
    calls: float
    peak_agents: int
    agent_hours: float
    scheduled_hours: float
    worst_interval: str
    worst_service_level: float


def worst_interval(frame: pd.DataFrame, busy: np.ndarray | pd.Series) -> tuple[pd.Timestamp | None, float | None]:
    """The interval of ``frame`` (``timestamp``, ``service_level``) with the lowest service level among the
    ``busy`` rows (ties: the first); ``(None, None)`` when no row is busy."""
    mask = np.asarray(busy, dtype=bool)
    if not mask.any():
        return None, None
    sl = frame["service_level"].to_numpy(dtype=float)[mask]
    i = int(sl.argmin())
    return pd.Timestamp(frame["timestamp"].to_numpy()[mask][i]), float(sl[i])


def staff_summary(staffing: pd.DataFrame, interval_minutes: int) -> pd.DataFrame:
    """Per day and queue: calls, peak agents, agent-hours on the phones, scheduled hours, worst interval.

    The worst interval is the one with the lowest service level among intervals with calls (ties: the
    earliest).
    """
    hours = interval_minutes / 60.0
    frame = staffing.copy()
    frame["date"] = pd.to_datetime(frame["timestamp"]).dt.strftime("%Y-%m-%d")
    rows: list[StaffSummaryRow] = []
    for (date, queue), g in frame.groupby(["date", "queue"], sort=True):
        ts, sl = worst_interval(g, g["volume"] > 0)
        worst_ts, worst_sl = ("", 1.0) if ts is None else (ts.strftime("%H:%M"), sl)
        rows.append(
            StaffSummaryRow(
                date=str(date),
                queue=str(queue),
                calls=float(g["volume"].sum()),
                peak_agents=int(g["agents"].max()),
                agent_hours=float(g["agents"].sum() * hours),
                scheduled_hours=float(g["scheduled"].sum() * hours),
                worst_interval=worst_ts,
                worst_service_level=worst_sl,
            )
        )
    return pd.DataFrame([asdict(r) for r in rows])


@dataclass(frozen=True)
class PooledQueues:
    """The queues of one staff group pooled per interval: agents serve all of them from one FIFO queue.

    Arrays have one element per ``timestamps`` entry; ``volume_by_queue`` is (queues, intervals).
    """

    timestamps: pd.DatetimeIndex
    queues: list[Queue]
    volume_by_queue: np.ndarray
    aht_by_queue: np.ndarray  # (queues, intervals); the queue's aht_s where it has no calls
    volume: np.ndarray  # calls of all the group's queues
    aht: np.ndarray  # volume-weighted AHT
    shrinkage: np.ndarray  # workload-weighted (volume x AHT) shrinkage
    patience: np.ndarray | None  # volume-weighted patience when every queue has one (Erlang A), else None
    interval_s: float


def pool_queues(
    staffing: pd.DataFrame,
    config: CentreConfig,
    group: str | None = None,
    timestamps: pd.Index | None = None,
    interval_minutes: int | None = None,
) -> PooledQueues:
    """Pool the staffing frame's queues of ``group`` (all queues when None) per timestamp."""
    queues = [q for q in config.queues if group is None or q.staff_group == group]
    frame = staffing[staffing["queue"].isin([q.name for q in queues])]
    if timestamps is None:
        timestamps = pd.DatetimeIndex(sorted(pd.unique(frame["timestamp"])), name="timestamp")
    idx = pd.DatetimeIndex(timestamps, name="timestamp")
    vol = np.zeros((len(queues), len(idx)))
    work = np.zeros((len(queues), len(idx)))
    aht_q = np.zeros((len(queues), len(idx)))
    for i, q in enumerate(queues):
        rows = frame[frame["queue"] == q.name].groupby("timestamp")[["volume", "aht"]].agg(
            volume=("volume", "sum"), aht=("aht", "mean")
        )
        rows = rows.reindex(idx)
        v = rows["volume"].fillna(0.0).to_numpy(float)
        h = rows["aht"].to_numpy(float)
        vol[i] = v
        aht_q[i] = np.where(np.isfinite(h) & (h > 0), h, q.aht_s)
        work[i] = v * aht_q[i]
    total = vol.sum(axis=0)
    total_work = work.sum(axis=0)
    mean_aht = float(np.mean([q.aht_s for q in queues])) if queues else 300.0
    with np.errstate(divide="ignore", invalid="ignore"):
        aht = np.where(total > 0, total_work / total, mean_aht)
        shrink_w = np.array([q.shrinkage for q in queues])[:, None]
        shrink = np.where(total_work > 0, (work * shrink_w).sum(axis=0) / total_work, float(shrink_w.mean()))
        patience = None
        if queues and all(q.patience_s for q in queues):
            pat_w = np.array([float(q.patience_s or 0.0) for q in queues])[:, None]
            patience = np.where(total > 0, (vol * pat_w).sum(axis=0) / total, float(pat_w.mean()))
    return PooledQueues(
        timestamps=idx,
        queues=queues,
        volume_by_queue=vol,
        aht_by_queue=aht_q,
        volume=total,
        aht=aht,
        shrinkage=shrink,
        patience=patience,
        interval_s=60.0 * (interval_minutes or config.centre.interval_minutes),
    )


def group_load(pool: PooledQueues, config: CentreConfig, group: str | None = None, *,
               floors: bool = False) -> routing.GroupLoad:
    """The pool's queues in their staff group's routing order (:meth:`CentreConfig.routing`).

    ``floors``: a queue judged over a period (``service_level_period`` "day" or "week") is held in each
    interval only to its ``min_interval_service_level`` (and its abandonment cap); its service level, ASA and
    occupancy targets go to the period (:func:`service_curves`)."""
    how, ordered = config.routing(group)
    pos = {q.name: i for i, q in enumerate(pool.queues)}
    rows = [pos[q.name] for q in ordered]
    queues = [floor_targets(q) if floors else q for q in ordered]
    return routing.GroupLoad(how, queues, pool.volume_by_queue[rows], pool.aht_by_queue[rows], pool.interval_s)


def floor_targets(queue: Queue) -> Queue:
    """A queue's targets in each interval: its own, or for a period-judged queue the interval floor."""
    if queue.service_level_period == "interval":
        return queue
    return queue.model_copy(
        update={"service_level": queue.min_interval_service_level, "asa_s": None, "max_occupancy": None}
    )


def staffing_requirement(
    staffing: pd.DataFrame, config: CentreConfig, group: str | None = None, *, pooled: bool | None = None
) -> pd.DataFrame:
    """Agents a staff group needs per interval, for a roster (agents serve all the group's queues).

    ``pooled=False`` (the default unless the config's ``[roster] requirement = "pooled"``) adds up the
    staffing frame's per-queue ``agents`` and ``scheduled``, so a planner's edits to the staffing file count.
    ``pooled=True``: the fewest agents meeting **every** queue's targets at once when they serve all the
    group's queues under its routing (:mod:`wfm.routing`: one FIFO pool, or priority); a queue with no calls
    in the interval sets no target. A queue judged over a day or week is held here only to its interval
    floor, raised where needed to the point from which its service curve is concave (:func:`service_curves`;
    the roster meets the period target). Pooling is what serving all queues from one group does, and sizing
    the queues separately then adding them up overstates the need (at the bundled example by about a tenth).

    Returns ``timestamp, volume, agents, fractional_agents, scheduled`` sorted by timestamp. ``agents`` must
    be on the phones; ``scheduled = ceil(agents / (1 - shrinkage))`` (workload-weighted shrinkage) is what a
    roster must put on shift.
    """
    if pooled is None:
        pooled = config.roster.requirement == "pooled"
    if not pooled:
        return _summed_requirement(staffing, config, group)
    pool = pool_queues(staffing, config, group)
    load = group_load(pool, config, group, floors=True)
    if any(q.service_level_period != "interval" for q in pool.queues):
        curves = service_curves(staffing, config, group)
        agents = curves.low
        fractional = agents.astype(float)
    elif load.routing == "fifo":
        agents, fractional = _fifo_requirement(pool)
    else:
        agents = routing.required_agents(load)
        fractional = _fractional_agents(load, agents)
    return pd.DataFrame(
        {
            "timestamp": pool.timestamps,
            "volume": pool.volume,
            "agents": agents,
            "fractional_agents": np.round(fractional, 4),
            "scheduled": scheduled_agents(agents, pool.shrinkage),
        }
    )


def _summed_requirement(staffing: pd.DataFrame, config: CentreConfig, group: str | None) -> pd.DataFrame:
    """The staffing frame's per-queue ``agents`` and ``scheduled`` added up per interval."""
    if any(q.service_level_period != "interval" for q in config.queues if group is None or q.staff_group == group):
        raise ConfigError(
            f"{config.source or 'config'}: a service_level_period of 'day' or 'week' needs "
            "[roster] requirement = \"pooled\" (the period target is met by the group's agents together)"
        )
    names = [q.name for q in config.queues if group is None or q.staff_group == group]
    frame = staffing[staffing["queue"].isin(names)]
    agg = (
        frame.groupby("timestamp", sort=True)[["volume", "agents", "fractional_agents", "scheduled"]]
        .sum()
        .reset_index()
    )
    agg["agents"] = agg["agents"].astype(np.int64)
    agg["scheduled"] = agg["scheduled"].astype(np.int64)
    return agg


def _fifo_requirement(pool: PooledQueues) -> tuple[np.ndarray, np.ndarray]:
    """One FIFO pool: per queue with calls, the fewest agents meeting its targets on the pooled queue."""
    agents = np.zeros(len(pool.timestamps), dtype=np.int64)
    fractional = np.zeros(len(pool.timestamps))
    for i, q in enumerate(pool.queues):
        has_calls = pool.volume_by_queue[i] > 0
        if not has_calls.any():
            continue
        targets = dataclasses.replace(
            queue_targets(q), patience_s=None, max_abandon=q.max_abandon if pool.patience is not None else None
        )
        need = erlang.required_agents(
            pool.volume, pool.aht, pool.interval_s, targets, patience_s=pool.patience
        )
        need = np.where(has_calls, need, 0)
        frac = erlang.fractional_agents(
            pool.volume, pool.aht, pool.interval_s, need, targets, patience_s=pool.patience
        )
        agents = np.maximum(agents, need)
        fractional = np.maximum(fractional, np.where(has_calls, frac, 0.0))
    return agents, fractional


def _fractional_agents(load: routing.GroupLoad, agents: np.ndarray) -> np.ndarray:
    """Unrounded agents: ``agents - 1`` plus the share of the last agent the tightest service level needs
    (linear between the service levels at ``agents - 1`` and ``agents``)."""
    c = agents.astype(float)
    lo = routing.group_metrics(load, np.maximum(c - 1.0, 0.0)).service_level
    hi = routing.group_metrics(load, c).service_level
    target = np.array([q.service_level for q in load.queues])[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(hi > lo, (target - lo) / (hi - lo), 1.0)
    share = np.where(load.volume > 0, np.clip(share, 0.0, 1.0), 0.0).max(axis=0)
    return np.where(c > 0, c - 1.0 + share, 0.0)


def queue_service_levels(
    staffing: pd.DataFrame,
    rostered: pd.Series,
    config: CentreConfig,
    interval_minutes: int | None = None,
    group: str | None = None,
) -> pd.DataFrame:
    """Each queue's service with ``rostered`` agents (on shift, off break) serving the group's queues under
    its routing: the agents taking calls are ``floor(rostered * (1 - shrinkage))`` with the workload-weighted
    shrinkage. Returns ``timestamp, queue, volume, agents, service_level, asa, abandon_rate`` (queues in
    routing order within each timestamp)."""
    pool = pool_queues(staffing, config, group, timestamps=rostered.index, interval_minutes=interval_minutes)
    effective = np.floor(rostered.to_numpy(float) * (1.0 - pool.shrinkage) + 1e-9)
    load = group_load(pool, config, group)
    m = routing.group_metrics(load, effective)
    k, t = load.volume.shape
    return pd.DataFrame(
        {
            "timestamp": np.tile(np.asarray(rostered.index), k),
            "queue": np.repeat([q.name for q in load.queues], t),
            "volume": load.volume.ravel(),
            "agents": np.tile(effective, k).astype(np.int64),
            "service_level": m.service_level.ravel(),
            "asa": m.asa.ravel(),
            "abandon_rate": m.abandon_rate.ravel(),
        }
    ).sort_values(["timestamp"], kind="stable").reset_index(drop=True)


def group_service_level(
    staffing: pd.DataFrame,
    rostered: pd.Series,
    config: CentreConfig,
    interval_minutes: int | None = None,
    group: str | None = None,
) -> pd.DataFrame:
    """Service level, ASA and abandonment with ``rostered`` rostered agents serving the group's queues.

    ``rostered`` is indexed by timestamp (agents on shift and not on break). Shrinkage still applies: the
    agents taking calls are ``floor(rostered * (1 - shrinkage))`` with the workload-weighted shrinkage, so
    ``rostered = scheduled`` from :func:`staffing_requirement` gives at least its ``agents``. The queues share
    the agents under the group's routing (:mod:`wfm.routing`); ``service_level``, ``asa`` and
    ``abandon_rate`` are calls-weighted over the queues (each queue's service level within its own answer
    time). Returns ``timestamp, service_level, asa, abandon_rate, occupancy`` per timestamp of ``rostered``.
    """
    pool = pool_queues(staffing, config, group, timestamps=rostered.index, interval_minutes=interval_minutes)
    effective = np.floor(rostered.to_numpy(float) * (1.0 - pool.shrinkage) + 1e-9)
    load = group_load(pool, config, group)
    m = routing.group_metrics(load, effective)
    sl, asa, abandon = (_per_call(load.volume, x) for x in (m.service_level, m.asa, m.abandon_rate))
    return pd.DataFrame(
        {
            "timestamp": rostered.index,
            "service_level": sl,
            "asa": asa,
            "abandon_rate": abandon,
            "occupancy": m.occupancy,
        }
    )


def _per_call(volume: np.ndarray, per_queue: np.ndarray) -> np.ndarray:
    """Calls-weighted over the queues (first axis); the first queue's value where nobody calls."""
    total = volume.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        weighted = (volume * np.where(volume > 0, per_queue, 0.0)).sum(axis=0) / total
    return np.where(total > 0, weighted, per_queue[0])


# --------------------------------------------------------------------------- service curves (roster)
@dataclass(frozen=True)
class PeriodCurve:
    """One period-judged queue: per interval its calls, and its service level and ASA with ``low + j``
    agents on the phones (j = 0 .. m-1; the last column holds for any more)."""

    queue: str
    period: str  # "day" or "week"
    service_level_target: float
    asa_target: float | None
    max_occupancy: float | None  # of the group's agents over the period
    volume: np.ndarray  # (intervals,)
    service_level: np.ndarray  # (intervals, m)
    asa: np.ndarray  # (intervals, m)


@dataclass(frozen=True)
class ServiceCurves:
    """What the roster needs to meet period targets at least cost (:func:`wfm.roster.model.add_service_period`).

    ``low``: agents on the phones each interval must have (the interval floors and the other queues'
    per-interval targets), raised to where every curve is concave in agents (service level) or convex (ASA),
    so that the chords between whole agents describe each curve exactly in the MILP."""

    timestamps: pd.DatetimeIndex
    low: np.ndarray  # (intervals,) int
    shrinkage: np.ndarray  # (intervals,)
    work: np.ndarray  # (intervals,) the group's offered load, Erlangs
    curves: list[PeriodCurve]


CURVE_TOP = 0.999  # curves run until every period queue is answered this well (the last column holds above)
MAX_CURVE_AGENTS = 400


def service_curves(staffing: pd.DataFrame, config: CentreConfig, group: str | None = None,
                   timestamps: pd.Index | None = None) -> ServiceCurves:
    """The period-judged queues' service curves per interval (see :class:`ServiceCurves`)."""
    pool = pool_queues(staffing, config, group, timestamps=timestamps)
    floors = group_load(pool, config, group, floors=True)
    full = group_load(pool, config, group)
    judged = [k for k, q in enumerate(full.queues) if q.service_level_period != "interval"]
    low = routing.required_agents(floors).astype(float)
    top = routing.fewest_agents(full, lambda c: _curve_top(full, routing.group_metrics(full, c), judged))
    for _ in range(MAX_CURVE_AGENTS):  # raise low until each curve is concave (or convex for ASA) from it
        width = int(np.clip(np.max(top - low, initial=0), 1, MAX_CURVE_AGENTS)) + 2
        agents = low[:, None] + np.arange(width)[None, :]
        m = routing.group_metrics(full, agents)
        raise_by = _curvature_start(m, judged, full.volume)
        if not raise_by.any():
            break
        low = low + raise_by
        top = np.maximum(top, low)
    curves = [
        PeriodCurve(
            queue=full.queues[k].name, period=full.queues[k].service_level_period,
            service_level_target=full.queues[k].service_level, asa_target=full.queues[k].asa_s,
            max_occupancy=full.queues[k].max_occupancy,
            volume=full.volume[k], service_level=m.service_level[k], asa=m.asa[k],
        )
        for k in judged
    ]
    work = (full.volume * full.aht).sum(axis=0) / full.interval_s
    return ServiceCurves(pool.timestamps, low.astype(np.int64), pool.shrinkage, work, curves)


def _curve_top(load: routing.GroupLoad, m: routing.GroupMetrics, judged: list[int]) -> np.ndarray:
    ok = np.ones(m.occupancy.shape, dtype=bool)
    for k in judged:
        ok &= (load.volume[k] <= 0) | (m.service_level[k] >= max(CURVE_TOP, load.queues[k].service_level))
    return ok


def _curvature_start(m: routing.GroupMetrics, judged: list[int], volume: np.ndarray) -> np.ndarray:
    """Per interval, how many agents above its first column every judged curve with calls becomes concave
    (service level: increments never rise again) and convex with a finite start (ASA); 0 where it already is."""
    shift = np.zeros(m.occupancy.shape[0])
    cols = np.arange(m.occupancy.shape[1] - 2)[None, :]
    for k in judged:
        d = np.diff(m.service_level[k], axis=1)
        bad = d[:, 1:] > d[:, :-1] + 1e-12  # increment rises: not concave before column j + 1
        asa = m.asa[k]
        da = np.diff(np.where(np.isfinite(asa), asa, 1e30), axis=1)
        bad |= (da[:, 1:] < da[:, :-1] - 1e-9) | ~np.isfinite(asa[:, :-2]) | ~np.isfinite(asa[:, 1:-1])
        last = np.where(bad, cols + 1, 0).max(axis=1)
        shift = np.maximum(shift, np.where(volume[k] > 0, last, 0))
    return shift


# --------------------------------------------------------------------------- calculator mode
@dataclass(frozen=True)
class IntervalStaffing:
    """One interval sized (calculator mode of `wfm staff`)."""

    volume: float
    interval_minutes: float
    aht: float
    load: float  # offered Erlangs
    agents: int
    fractional_agents: float
    scheduled: int
    service_level: float
    asa: float
    occupancy: float
    wait_probability: float
    abandon_rate: float | None  # None under Erlang C
    meets_targets: bool  # every target of the calculator met by these agents


def staff_interval(
    volume: float,
    interval_minutes: float,
    aht_s: float,
    targets: erlang.Targets,
    shrinkage: float = 0.0,
    agents: int | None = None,
) -> IntervalStaffing:
    """Size one interval for ``targets`` (or evaluate a given number of ``agents``)."""
    _check_interval_inputs(volume, interval_minutes, aht_s, targets, shrinkage)
    interval_s = 60.0 * interval_minutes
    if agents is None:
        n = int(erlang.required_agents(volume, aht_s, interval_s, targets))
        frac = float(erlang.fractional_agents(volume, aht_s, interval_s, n, targets))
    else:
        if agents < 0:
            raise InputError(f"--agents must be at least 0, got {agents}")
        n = int(agents)
        frac = float(n)
    m = erlang.evaluate(volume, aht_s, interval_s, n, targets.answer_within_s, targets.patience_s)
    return IntervalStaffing(
        volume=float(volume),
        interval_minutes=float(interval_minutes),
        aht=float(aht_s),
        load=float(erlang.offered_load(volume, aht_s, interval_s)),
        agents=n,
        fractional_agents=round(frac, 4),
        scheduled=int(scheduled_agents(np.asarray(n), shrinkage)),
        service_level=float(m.service_level),
        asa=float(m.asa),
        occupancy=float(m.occupancy),
        wait_probability=float(m.wait_probability),
        abandon_rate=float(m.abandon_rate) if targets.patience_s else None,
        meets_targets=bool(
            erlang.meets_targets(m, targets.service_level, targets.asa_s, targets.max_occupancy, targets.max_abandon)
        ),
    )


def staff_table(
    volume: float,
    interval_minutes: float,
    aht_s: float,
    targets: erlang.Targets,
    agents_from: int,
    agents_to: int,
    shrinkage: float = 0.0,
) -> pd.DataFrame:
    """The classic Erlang table: service level, ASA, occupancy, P(wait) for each agent count in a range."""
    _check_interval_inputs(volume, interval_minutes, aht_s, targets, shrinkage)
    if not 0 <= agents_from <= agents_to:
        raise InputError(f"--table needs FROM:TO with 0 <= FROM <= TO, got {agents_from}:{agents_to}")
    if agents_to - agents_from > 100_000:
        raise InputError("--table range is too wide (at most 100,000 rows)")
    n = np.arange(agents_from, agents_to + 1)
    m = erlang.evaluate(volume, aht_s, 60.0 * interval_minutes, n, targets.answer_within_s, targets.patience_s)
    ok = erlang.meets_targets(m, targets.service_level, targets.asa_s, targets.max_occupancy, targets.max_abandon)
    table = pd.DataFrame(
        {
            "agents": n,
            "scheduled": scheduled_agents(n, shrinkage),
            "service_level": m.service_level,
            "asa": m.asa,
            "occupancy": m.occupancy,
            "wait_probability": m.wait_probability,
        }
    )
    if targets.patience_s:
        table["abandon_rate"] = m.abandon_rate
    table["meets_targets"] = ok
    return table


def _check_interval_inputs(
    volume: float, interval_minutes: float, aht_s: float, targets: erlang.Targets, shrinkage: float
) -> None:
    if not np.isfinite(volume) or volume < 0:
        raise InputError(f"--volume must be a non-negative number, got {volume:g}")
    if not np.isfinite(interval_minutes) or interval_minutes <= 0:
        raise InputError(f"--interval must be a positive number of minutes, got {interval_minutes:g}")
    if not np.isfinite(aht_s) or aht_s <= 0:
        raise InputError(f"--aht must be greater than 0 seconds, got {aht_s:g}")
    if targets.service_level is not None and not 0 < targets.service_level < 1:
        raise InputError(f"service level must be between 0 and 1 (exclusive), got {targets.service_level:g}")
    if targets.answer_within_s <= 0:
        raise InputError(f"answer time must be greater than 0 seconds, got {targets.answer_within_s:g}")
    if targets.asa_s is not None and targets.asa_s <= 0:
        raise InputError(f"--asa must be greater than 0 seconds, got {targets.asa_s:g}")
    if targets.max_occupancy is not None and not 0 < targets.max_occupancy <= 1:
        raise InputError(f"--max-occupancy must be in (0, 1], got {targets.max_occupancy:g}")
    if targets.patience_s is not None and targets.patience_s <= 0:
        raise InputError(f"--patience must be greater than 0 seconds, got {targets.patience_s:g}")
    if targets.max_abandon is not None and not 0 < targets.max_abandon < 1:
        raise InputError(f"--max-abandon must be between 0 and 1 (exclusive), got {targets.max_abandon:g}")
    if not 0 <= shrinkage < 1:
        raise InputError(f"--shrinkage must be in [0, 1), got {shrinkage:g}")


def calculator_targets(
    sl: str = "80/20",
    asa_s: float | None = None,
    max_occupancy: float | None = None,
    patience_s: float | None = None,
    max_abandon: float | None = None,
) -> erlang.Targets:
    """The calculator's targets from its options (``--sl 80/20``, ``--asa``, ...); the abandonment cap needs a
    patience (Erlang A)."""
    if max_abandon is not None and patience_s is None:
        raise InputError("--max-abandon needs --patience (Erlang A)")
    sl_target, within = parse_service_target(sl)
    return erlang.Targets(sl_target, within, asa_s, max_occupancy, max_abandon, patience_s)


def check_calculator_inputs(volume: float | None, aht_s: float | None) -> None:
    if volume is None or aht_s is None:
        raise InputError("calculator mode needs --volume and --aht (or give a forecast CSV)")


def parse_agent_range(text: str, flag: str = "--table") -> tuple[int, int]:
    """``FROM:TO`` -> two whole numbers of agents."""
    try:
        lo, hi = (int(p) for p in text.split(":"))
    except ValueError:
        raise InputError(f"{flag} must look like FROM:TO (whole numbers), got {text!r}") from None
    return lo, hi


def interval_rows(res: IntervalStaffing, targets: erlang.Targets, shrinkage: float) -> list[list[Any]]:
    """The calculator's result as ``[figure, value]`` rows (what ``wfm staff --volume ...`` prints)."""
    rows: list[list[Any]] = [
        ["volume", f"{res.volume:g} calls in {res.interval_minutes:g} min"],
        ["aht", f"{res.aht:g} s"],
        ["load", f"{res.load:.2f} Erlangs"],
        ["agents", res.agents],
        ["fractional_agents", f"{res.fractional_agents:.2f}"],
        ["scheduled", f"{res.scheduled} (shrinkage {shrinkage:.0%})"],
        ["service_level", f"{res.service_level:.4f} within {targets.answer_within_s:g} s"],
        ["asa", f"{res.asa:.2f} s"],
        ["occupancy", f"{res.occupancy:.3f}"],
        ["wait_probability", f"{res.wait_probability:.4f}"],
    ]
    if res.abandon_rate is not None:
        rows.append(["abandon_rate", f"{res.abandon_rate:.4f}"])
    rows.append(["meets_targets", "yes" if res.meets_targets else "no"])
    return rows


def summary_floatfmt(summary: pd.DataFrame) -> list[str]:
    """Number formats of :func:`staff_summary`'s columns for printing."""
    return [".1f" if c in ("agent_hours", "scheduled_hours") else ".3f" if c == "worst_service_level" else ".0f"
            for c in summary.columns]


def parse_service_target(text: str) -> tuple[float, float]:
    """Parse ``80/20`` (percent / seconds) or ``0.8/20`` into ``(0.80, 20.0)``."""
    try:
        sl_text, t_text = text.split("/")
        sl, t = float(sl_text), float(t_text)
    except ValueError:
        raise InputError(f"--sl must look like 80/20 (percent answered / within seconds), got {text!r}") from None
    if sl >= 1:
        sl /= 100.0
    if not 0 < sl < 1:
        raise InputError(f"--sl service level must be between 0 and 100 percent (exclusive), got {text!r}")
    if t <= 0:
        raise InputError(f"--sl answer time must be greater than 0 seconds, got {text!r}")
    return sl, t
