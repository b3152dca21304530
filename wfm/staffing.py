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
``binding``         the target that binds at ``agents``: the one missed at ``agents - 1``
                    (:func:`wfm.erlang.binding_targets`: ``service_level``, ``asa``, ``occupancy``,
                    ``abandon``, several joined with ``+``; ``floor``; ``none`` where there are no calls)
=================== ================================================================================

File mode (:func:`staff`) and the calculator (:func:`staff_interval`) size through one function,
:func:`size_intervals`, with one set of defaults (the config's, docs/config.md).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from wfm import erlang, routing
from wfm.config import DEFAULT_AHT_S, CentreConfig, Queue
from wfm.errors import ConfigError, InputError
from wfm.forecast.grid import spacing_minutes, sum_to_grid, summed_note
from wfm.io import MAX_AHT_S, check_forecast_figures

STAFFING_COLUMNS = [
    "timestamp", "queue", "volume", "aht", "agents", "fractional_agents", "scheduled",
    "service_level", "asa", "occupancy", "wait_probability", "abandon_rate", "binding",
]
"""Every column of a staffing file, in order; ``abandon_rate`` only when some queue has ``patience_s``."""


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


def queue_shrinkage(queue: Queue, source: str | None = None) -> float:
    """The queue's ``shrinkage``; a ConfigError when the config does not set it (it has no default)."""
    if queue.shrinkage is None:
        where = f"{source}: " if source else ""
        raise ConfigError(
            f"{where}field 'queues[{queue.name!r}].shrinkage': is required to size the queue (no default: the "
            "share of paid time not on the phones, e.g. 0.30; scheduled = ceil(agents / (1 - shrinkage)))"
        )
    return queue.shrinkage


def scheduled_agents(agents: np.ndarray, shrinkage: float | np.ndarray) -> np.ndarray:
    """Agents to schedule so that ``agents`` remain after shrinkage: ``ceil(agents / (1 - shrinkage))``."""
    raw = np.asarray(agents, dtype=float) / (1.0 - np.asarray(shrinkage, dtype=float))
    return np.ceil(raw - 1e-9).astype(np.int64)


@dataclass(frozen=True)
class Sizing:
    """Intervals sized for their queues' targets (arrays, one element per interval)."""

    agents: np.ndarray  # int64
    fractional_agents: np.ndarray
    scheduled: np.ndarray  # int64, ceil(agents / (1 - shrinkage))
    metrics: erlang.QueueMetrics
    meets_targets: np.ndarray  # bool: every target of the interval's queue met by ``agents``
    binding: np.ndarray  # object: erlang.binding_targets's label, None where ``agents`` miss a target


def _per_interval(values: list[float | None], which: np.ndarray, off: float) -> np.ndarray | None:
    """One queue setting per interval (``off`` where a queue leaves it unset); None when no queue sets it."""
    if all(v is None for v in values):
        return None
    return np.array([off if v is None else float(v) for v in values])[which]


def size_intervals(
    volume: ArrayLike,
    aht_s: ArrayLike,
    interval_s: float,
    queues: Sequence[Queue],
    which: ArrayLike = 0,
    agents: ArrayLike | None = None,
    source: str | None = None,
) -> Sizing:
    """Size intervals, interval ``i`` of queue ``queues[which[i]]``: the fewest agents meeting all the queue's
    targets at once (or evaluate the given ``agents``), vectorised over intervals and queues.

    The one sizing path of `wfm staff`: file mode (:func:`staff`, every row of the forecast in one call) and
    the calculator (:func:`staff_interval`, one interval of its one queue) both call it, so the same inputs
    give the same agents. A target a queue does not set is off in its intervals (+inf for the caps, NaN
    patience for Erlang C), never a default.
    """
    vol, aht, idx = np.broadcast_arrays(
        np.asarray(volume, dtype=float), np.asarray(aht_s, dtype=float), np.asarray(which, dtype=np.intp)
    )
    shrink, targets = _targets(queues, idx, source)
    if agents is None:
        n = erlang.required_agents(vol, aht, interval_s, **targets)
        frac = erlang.fractional_agents(vol, aht, interval_s, n, **targets)
    else:
        n = np.broadcast_to(np.asarray(agents, dtype=np.int64), vol.shape)
        frac = n.astype(float)
    metrics = erlang.evaluate(vol, aht, interval_s, n, targets["answer_within_s"], targets["patience_s"])
    ok = erlang.meets_targets(
        metrics, targets["service_level"], targets["asa_s"], targets["max_occupancy"], targets["max_abandon"]
    )
    binding = np.where(ok, erlang.binding_targets(vol, aht, interval_s, n, **targets), None)
    return Sizing(n, frac, scheduled_agents(n, shrink[idx]), metrics, ok, binding)


def required_scheduled(volume: ArrayLike, aht_s: ArrayLike, interval_s: float, queues: Sequence[Queue],
                       which: ArrayLike = 0, source: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """:func:`size_intervals`'s agents and scheduled agents alone (the same targets and search, none of the
    figures it adds): for a requirement recomputed over many intervals (`wfm review`)."""
    vol, aht, idx = np.broadcast_arrays(
        np.asarray(volume, dtype=float), np.asarray(aht_s, dtype=float), np.asarray(which, dtype=np.intp)
    )
    shrink, targets = _targets(queues, idx, source)
    n = erlang.required_agents(vol, aht, interval_s, **targets)
    return n, scheduled_agents(n, shrink[idx])


def _targets(queues: Sequence[Queue], idx: np.ndarray, source: str | None
             ) -> tuple[np.ndarray, dict[str, np.ndarray | None]]:
    """Each queue's shrinkage, and each interval's targets (``queues[idx[i]]``'s)."""
    used = np.unique(idx)
    shrink = np.zeros(len(queues))
    shrink[used] = [queue_shrinkage(queues[i], source) for i in used]
    targets: dict[str, np.ndarray | None] = {
        "service_level": _per_interval([q.service_level for q in queues], idx, np.nan),
        "answer_within_s": _per_interval([q.answer_within_s for q in queues], idx, np.nan),
        "asa_s": _per_interval([q.asa_s for q in queues], idx, np.inf),
        "max_occupancy": _per_interval([q.max_occupancy for q in queues], idx, np.inf),
        "max_abandon": _per_interval([q.max_abandon if q.patience_s else None for q in queues], idx, np.inf),
        "patience_s": _per_interval([q.patience_s for q in queues], idx, np.nan),
    }
    return shrink, targets


def staff(forecast: pd.DataFrame, config: CentreConfig, interval_minutes: int | None = None) -> pd.DataFrame:
    """Size every interval of every queue in ``forecast`` with that queue's targets from ``config``.

    ``interval_minutes`` is the grid it is sized on (default: the planning grid, ``[roster] interval_minutes``
    else ``[centre] interval_minutes``). A forecast on a finer grid is summed onto it first (volume summed, AHT
    call-weighted, an interval without an AHT taking its queue's ``aht_s``: :func:`wfm.forecast.sum_to_grid`), so
    each interval is sized on its calls, not on the largest of its finer intervals' requirements.

    Returns the staffing frame described in the module docstring. Raises ``InputError`` for unknown queues,
    negative or missing volumes, or non-positive AHT; ``ConfigError`` for a queue without ``shrinkage``.
    """
    missing = [c for c in ("timestamp", "queue", "volume") if c not in forecast.columns]
    if missing:
        raise InputError(f"forecast is missing column(s) {', '.join(missing)}")
    vol = pd.to_numeric(forecast["volume"], errors="coerce").to_numpy(dtype=float)
    aht = (
        pd.to_numeric(forecast["aht"], errors="coerce").to_numpy(dtype=float)
        if "aht" in forecast.columns else np.full(len(forecast), np.nan)
    )
    check_forecast_figures(vol, aht)
    names = forecast["queue"].astype(str).to_numpy()
    which = pd.Index(config.queue_names).get_indexer(names)
    if (which < 0).any():
        unknown = sorted(set(names[which < 0]))
        raise InputError(
            f"forecast has unknown queue {unknown[0]!r} (the config has: {', '.join(config.queue_names)})"
        )
    aht = np.where(np.isfinite(aht) & (aht > 0), aht, np.array([q.aht_s for q in config.queues])[which])
    minutes = interval_minutes or config.planning_interval_minutes
    stamps = forecast["timestamp"].to_numpy()
    fine = spacing_minutes(stamps)
    if fine is not None and fine < minutes:
        summed = sum_to_grid(pd.DataFrame({"timestamp": stamps, "queue": names, "volume": vol, "aht": aht}),
                             minutes, source=str(forecast.attrs.get("source", "forecast")))
        stamps, names, vol, aht = (summed[c].to_numpy() for c in ("timestamp", "queue", "volume", "aht"))
        names = names.astype(str)
        which = pd.Index(config.queue_names).get_indexer(names)
        check_forecast_figures(vol, aht)
    interval_s = 60.0 * minutes
    sized = size_intervals(vol, aht, interval_s, config.queues, which, source=config.source)
    m = sized.metrics
    has_patience = any(q.patience_s for q in config.queues)
    result = pd.DataFrame(
        {
            "timestamp": stamps,
            "queue": names,
            "volume": vol,
            "aht": aht,
            "agents": sized.agents,
            "fractional_agents": np.round(sized.fractional_agents, 4),
            "scheduled": sized.scheduled,
            "service_level": m.service_level,
            "asa": m.asa,
            "occupancy": m.occupancy,
            "wait_probability": m.wait_probability,
            "abandon_rate": m.abandon_rate,
            "binding": sized.binding,
        }
    )
    return result[[c for c in STAFFING_COLUMNS if has_patience or c != "abandon_rate"]]


def grid_note(forecast: pd.DataFrame, config: CentreConfig, source: str = "forecast") -> str | None:
    """What :func:`staff` did with a forecast finer than the planning grid (None when it is on the grid)."""
    minutes = config.planning_interval_minutes
    fine = spacing_minutes(forecast["timestamp"])
    if fine is None or fine >= minutes:
        return None
    return summed_note(source, fine, minutes, "and sized there")


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
    # one groupby for every queue (a string comparison per queue is slow with 50 queues over weeks)
    per = frame.groupby(["queue", "timestamp"], sort=False)[["volume", "aht"]].agg(
        volume=("volume", "sum"), aht=("aht", "mean")
    )
    have = set(per.index.get_level_values(0))
    for i, q in enumerate(queues):
        if q.name in have:
            rows = per.xs(q.name, level="queue").reindex(idx)
        else:
            rows = pd.DataFrame({"volume": np.nan, "aht": np.nan}, index=idx)
        v = rows["volume"].fillna(0.0).to_numpy(float)
        h = rows["aht"].to_numpy(float)
        vol[i] = v
        aht_q[i] = np.where(np.isfinite(h) & (h > 0), h, q.aht_s)
        work[i] = v * aht_q[i]
    total = vol.sum(axis=0)
    total_work = work.sum(axis=0)
    interval_s = 60.0 * (interval_minutes or config.planning_interval_minutes)
    load = routing.GroupLoad("fifo", queues, vol, aht_q, interval_s)
    aht = load.pooled_aht if queues else np.full(len(idx), DEFAULT_AHT_S)
    with np.errstate(divide="ignore", invalid="ignore"):
        shrink_w = np.array([queue_shrinkage(q, config.source) for q in queues])[:, None]
        shrink = np.where(total_work > 0, (work * shrink_w).sum(axis=0) / total_work, float(shrink_w.mean()))
    patience = load.pooled_patience if queues else None
    return PooledQueues(
        timestamps=idx,
        queues=queues,
        volume_by_queue=vol,
        aht_by_queue=aht_q,
        volume=total,
        aht=aht,
        shrinkage=shrink,
        patience=patience,
        interval_s=interval_s,
    )


def group_load(pool: PooledQueues, config: CentreConfig, group: str | None = None, *,
               floors: bool = False) -> routing.GroupLoad:
    """The pool's queues in their staff group's routing order (:meth:`CentreConfig.routing`).

    ``floors``: a queue judged over a period (``service_level_period`` "day" or "week") is held in each
    interval only to its ``min_interval_service_level`` (and its abandonment cap); its service level, ASA and
    occupancy targets go to the period (:func:`service_curves`)."""
    how, ordered = config.routing(group)
    load = _ordered_load(pool, how, [floor_targets(q) if floors else q for q in ordered])
    if how != "objective":
        return load
    objectives = group_objectives(pool, config, group)
    return dataclasses.replace(load, weights=np.array([1.0 / objectives[q.name] for q in ordered]))


def _ordered_load(pool: PooledQueues, how: str, queues: Sequence[Queue]) -> routing.GroupLoad:
    """The pool's calls and handle times for ``queues`` (the pool's, in that order) under routing ``how``."""
    pos = {q.name: i for i, q in enumerate(pool.queues)}
    rows = [pos[q.name] for q in queues]
    return routing.GroupLoad(how, queues, pool.volume_by_queue[rows], pool.aht_by_queue[rows], pool.interval_s)


def group_objectives(pool: PooledQueues, config: CentreConfig, group: str | None = None,
                     margins: Mapping[str, Mapping[str, float]] | None = None) -> dict[str, float]:
    """An ``objective``-routed group's objectives in seconds, by queue name: the config's ``objectives``, or
    tuned to the pool's calls (:func:`wfm.routing.tune_objectives`: each queue's service-level target over each
    day, raised by ``margins`` (points by queue and date); the same calls give the same objectives, so the
    roster, its service figures and the simulator agree)."""
    how, ordered = config.routing(group)
    given = config.objectives(group)
    if given is not None:
        return {q.name: float(given[q.name]) for q in ordered}
    dates = pool.timestamps.strftime("%Y-%m-%d")
    days, periods = np.unique(np.asarray(dates), return_inverse=True)
    targets = np.array([[q.service_level + float((margins or {}).get(q.name, {}).get(d, 0.0)) for d in days]
                        for q in ordered])
    h = hashlib.sha256()
    for arr in (pool.volume_by_queue, pool.aht_by_queue, targets, periods):
        h.update(np.ascontiguousarray(arr).tobytes())
    h.update(repr([(q.name, q.answer_within_s, q.patience_s) for q in ordered] + [pool.interval_s]).encode())
    key = h.hexdigest()
    if key not in _OBJECTIVES:
        if len(_OBJECTIVES) > 16:
            _OBJECTIVES.clear()
        tuned = routing.tune_objectives(_ordered_load(pool, how, ordered), periods.ravel(),
                                        np.minimum(targets, 0.999))
        _OBJECTIVES[key] = {q.name: float(o) for q, o in zip(ordered, tuned, strict=True)}
    return dict(_OBJECTIVES[key])


_OBJECTIVES: dict[str, dict[str, float]] = {}


def floor_targets(queue: Queue) -> Queue:
    """A queue's targets in each interval: its own, or for a period-judged queue the interval floor."""
    if queue.service_level_period == "interval":
        return queue
    return queue.model_copy(
        update={"service_level": queue.min_interval_service_level, "asa_s": None, "max_occupancy": None}
    )


def staffing_requirement(
    staffing: pd.DataFrame, config: CentreConfig, group: str | None = None, *, pooled: bool | None = None,
    most_scheduled: int | None = None,
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

    ``most_scheduled``: pooled, an interval that would need more scheduled agents than that is an InputError
    naming the staffing frame's ``source``, found before any sizing (sizing a load of millions of agents takes
    minutes and memory for nothing).
    """
    if pooled is None:
        pooled = config.roster.requirement == "pooled"
    if not pooled:
        return _summed_requirement(staffing, config, group)
    pool = pool_queues(staffing, config, group)
    if most_scheduled is not None:
        check_pool_within(pool, config, group, most_scheduled, staffing.attrs.get("source", "staffing"))
    if any(q.service_level_period != "interval" for q in pool.queues):
        curves = service_curves(staffing, config, group)
        agents = curves.low
        fractional = agents.astype(float)
    else:
        agents, fractional = _group_requirement(pool, group_load(pool, config, group, floors=True))
    return pd.DataFrame(
        {
            "timestamp": pool.timestamps,
            "volume": pool.volume,
            "agents": agents,
            "fractional_agents": np.round(fractional, 4),
            "scheduled": scheduled_agents(agents, pool.shrinkage),
        }
    )


def check_pool_within(pool: PooledQueues, config: CentreConfig, group: str | None, most_scheduled: int,
                      source: str) -> None:
    """InputError naming ``source`` and the first interval where even the group's interval floors (what
    :func:`staffing_requirement` sizes to at the least) are not met by the agents ``most_scheduled`` leave on
    the phones after shrinkage: that interval needs more than ``most_scheduled`` scheduled agents. One
    evaluation per interval (targets are monotone in agents), however large the load."""
    floors = group_load(pool, config, group, floors=True)
    on_phones = np.floor(most_scheduled * (1.0 - np.asarray(pool.shrinkage, dtype=float)) + 1e-9)
    over = np.flatnonzero((floors.total > 0) & ~routing.meets(floors, routing.group_metrics(floors, on_phones)))
    if over.size:
        raise InputError(
            f"{source}: asks for more than {most_scheduled:,} scheduled agents at "
            f"{pool.timestamps[int(over[0])]:%Y-%m-%d %H:%M}, above {most_scheduled:,} per interval, the most a "
            "roster sizes"
        )


def interval_requirement(
    staffing: pd.DataFrame, config: CentreConfig, group: str | None = None, *, fifo: bool = False,
    timestamps: pd.Index | None = None,
) -> pd.DataFrame:
    """Agents a staff group needs per interval with **every** queue held to its own targets in every interval
    (a queue judged over a day or week too, at its full targets rather than its interval floor), under the
    group's routing, or as one FIFO pool with ``fifo=True``.

    Where every queue is judged per interval this is :func:`staffing_requirement` with ``pooled=True`` (one
    path computes both). Returns ``timestamp, volume, agents, fractional_agents, scheduled, shrinkage``
    (unrounded ``fractional_agents``; ``shrinkage`` workload-weighted, as ``scheduled`` uses it)."""
    pool = pool_queues(staffing, config, group, timestamps=timestamps)
    load = group_load(pool, config, group)
    if fifo:
        load = dataclasses.replace(load, routing="fifo", weights=None)
    agents, fractional = _group_requirement(pool, load)
    return pd.DataFrame(
        {
            "timestamp": pool.timestamps,
            "volume": pool.volume,
            "agents": agents,
            "fractional_agents": fractional,
            "scheduled": scheduled_agents(agents, pool.shrinkage),
            "shrinkage": pool.shrinkage,
        }
    )


def _group_requirement(pool: PooledQueues, load: routing.GroupLoad) -> tuple[np.ndarray, np.ndarray]:
    """Whole and fractional agents meeting every queue's targets in ``load`` (one FIFO pool: per queue on the
    pooled queue, :func:`_fifo_requirement`; else the routing model)."""
    if load.routing == "fifo":
        return _fifo_requirement(pool)
    agents = routing.required_agents(load)
    return agents, _fractional_agents(load, agents)


def check_period_requirement(config: CentreConfig, group: str | None = None) -> None:
    """A queue judged over a day or week needs the pooled requirement (its target is met by the group's agents
    together): a ConfigError otherwise."""
    if config.roster.requirement != "pooled" and any(
            q.service_level_period != "interval" for q in config.queues if group is None or q.staff_group == group):
        raise ConfigError(
            f"{config.source or 'config'}: a service_level_period of 'day' or 'week' needs "
            "[roster] requirement = \"pooled\" (the period target is met by the group's agents together)"
        )


def _summed_requirement(staffing: pd.DataFrame, config: CentreConfig, group: str | None) -> pd.DataFrame:
    """The staffing frame's per-queue ``agents`` and ``scheduled`` added up per interval."""
    check_period_requirement(config, group)
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


def _rostered_service(
    staffing: pd.DataFrame, rostered: pd.Series, config: CentreConfig, interval_minutes: int | None,
    group: str | None,
) -> tuple[routing.GroupLoad, np.ndarray, routing.GroupMetrics]:
    """The group's calls, its agents taking calls (``floor(rostered x (1 - shrinkage))``, workload-weighted
    shrinkage) and each queue's service with them under the group's routing."""
    pool = pool_queues(staffing, config, group, timestamps=rostered.index, interval_minutes=interval_minutes)
    effective = np.floor(rostered.to_numpy(float) * (1.0 - pool.shrinkage) + 1e-9)
    load = group_load(pool, config, group)
    return load, effective, routing.group_metrics(load, effective)


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
    load, effective, m = _rostered_service(staffing, rostered, config, interval_minutes, group)
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
    load, effective, m = _rostered_service(staffing, rostered, config, interval_minutes, group)
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
    margin: np.ndarray | None = None  # (intervals,) service-level points the roster adds to the target

    def target_over(self, mine: Sequence[int] | np.ndarray) -> float:
        """The service level the roster meets over intervals ``mine`` (a period): the target plus the
        calls-weighted margin, below 1."""
        if self.margin is None:
            return self.service_level_target
        calls = self.volume[mine]
        extra = float((calls * self.margin[mine]).sum() / calls.sum()) if calls.sum() > 0 else 0.0
        return min(self.service_level_target + extra, 0.999)


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


CURVE_TOP = 0.9995  # curves run until every period queue is answered this well (the last column holds above)
MAX_CURVE_AGENTS = 400


def service_curves(staffing: pd.DataFrame, config: CentreConfig, group: str | None = None,
                   timestamps: pd.Index | None = None,
                   margins: Mapping[str, Mapping[str, float]] | None = None) -> ServiceCurves:
    """The period-judged queues' service curves per interval (see :class:`ServiceCurves`).

    The curves are evaluated once, on a grid from the interval floor to past the point where every judged
    queue is answered ``CURVE_TOP`` well; ``low`` is then raised, interval by interval, to the first column
    from which every curve is concave (ASA: convex and finite), and each curve is read from there.
    ``margins`` (service-level points by queue name and date ``YYYY-MM-DD``) raise the period targets the
    roster must meet above the queues' own (a period's margin: its days' calls-weighted), where the routing model is known to promise more than the simulator finds
    (:mod:`wfm.plan.calibrate`)."""
    pool = pool_queues(staffing, config, group, timestamps=timestamps)
    key = _curves_key(pool, config, group) + repr(sorted((q, sorted(m.items())) for q, m in (margins or {}).items()))
    if key in _CURVES:
        return _CURVES[key]
    curves = _service_curves(pool, config, group, margins or {})
    _CURVES.clear()  # one entry: a roster asks for the same curves three times (requirement, model, coverage)
    _CURVES[key] = curves
    return curves


_CURVES: dict[str, ServiceCurves] = {}


def _curves_key(pool: PooledQueues, config: CentreConfig, group: str | None) -> str:
    """What the curves depend on: the pooled calls, handle times and shrinkage, the timestamps, the config."""
    h = hashlib.sha256()
    for arr in (pool.volume_by_queue, pool.aht_by_queue, pool.shrinkage, pool.timestamps.asi8):
        h.update(np.ascontiguousarray(arr).tobytes())
    h.update(config.model_dump_json().encode())
    h.update(repr((group, pool.interval_s)).encode())
    return h.hexdigest()


def _service_curves(pool: PooledQueues, config: CentreConfig, group: str | None,
                    margins: Mapping[str, Mapping[str, float]]) -> ServiceCurves:
    floors = group_load(pool, config, group, floors=True)
    full = group_load(pool, config, group)
    judged = [k for k, q in enumerate(full.queues) if q.service_level_period != "interval"]
    floor = routing.required_agents(floors).astype(np.int64)
    top = routing.fewest_agents(full, lambda c: _curve_top(full, routing.group_metrics(full, c), judged))
    width = int(np.clip(np.max(top - floor, initial=0), 1, MAX_CURVE_AGENTS)) + 2
    grid = routing.group_metrics(full, floor[:, None] + np.arange(2 * width)[None, :])
    shift = np.minimum(_curvature_start(grid, judged, full.volume), width).astype(np.int64)
    cols = shift[:, None] + np.arange(width)[None, :]
    curves = [
        PeriodCurve(
            queue=full.queues[k].name, period=full.queues[k].service_level_period,
            service_level_target=full.queues[k].service_level, asa_target=full.queues[k].asa_s,
            max_occupancy=full.queues[k].max_occupancy, volume=full.volume[k],
            service_level=np.take_along_axis(grid.service_level[k], cols, axis=1),
            asa=np.take_along_axis(grid.asa[k], cols, axis=1),
            margin=_margin_per_interval(pool.timestamps, margins.get(full.queues[k].name, {})),
        )
        for k in judged
    ]
    work = (full.volume * full.aht).sum(axis=0) / full.interval_s
    return ServiceCurves(pool.timestamps, floor + shift, pool.shrinkage, work, curves)


def _margin_per_interval(timestamps: pd.DatetimeIndex, by_date: Mapping[str, float]) -> np.ndarray:
    """A queue's margin (service-level points) on each interval, from its margin per date (0 where none)."""
    if not by_date:
        return np.zeros(len(timestamps))
    return np.array([float(by_date.get(d, 0.0)) for d in timestamps.strftime("%Y-%m-%d")])


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


# --------------------------------------------------------------------------- targets shown
def _share(x: float) -> str:
    return f"{x * 100:g}%"


def targets_text(queue: Queue, *, shrinkage: bool = True) -> str:
    """A queue's targets as the output shows them, the default service level marked, e.g. ``service level 80%
    within 20 s, occupancy <= 85%, Erlang A (patience 180 s), shrinkage 30%``."""
    parts = [f"service level {_share(queue.service_level)} within {queue.answer_within_s:g} s"
             + (" (default)" if queue.service_level_is_default else "")]
    if queue.asa_s is not None:
        parts.append(f"ASA <= {queue.asa_s:g} s")
    if queue.max_occupancy is not None:
        parts.append(f"occupancy <= {_share(queue.max_occupancy)}")
    if queue.max_abandon is not None:
        parts.append(f"abandonment <= {_share(queue.max_abandon)}")
    parts.append(f"Erlang A (patience {queue.patience_s:g} s)" if queue.patience_s else "Erlang C")
    if shrinkage and queue.shrinkage is not None:
        parts.append(f"shrinkage {_share(queue.shrinkage)}")
    return ", ".join(parts)


def targets_by_queue(staffing: pd.DataFrame, config: CentreConfig) -> dict[str, str]:
    """``{queue: targets_text}`` for the config's queues that ``staffing`` sized, in config order."""
    sized = set(staffing["queue"])
    return {q.name: targets_text(q) for q in config.queues if q.name in sized}


def targets_note(staffing: pd.DataFrame, config: CentreConfig) -> str:
    """One line per queue sized: ``retail targets: service level 80% within 20 s, ...`` (file mode prints it)."""
    return "\n".join(f"{name} targets: {text}" for name, text in targets_by_queue(staffing, config).items())


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
    binding: str | None  # the target that binds (erlang.binding_targets); None when a target is missed

    def to_dict(self) -> dict[str, Any]:
        """The JSON record (no ``abandon_rate`` under Erlang C)."""
        return {k: v for k, v in asdict(self).items() if not (k == "abandon_rate" and v is None)}


def calculator_queue(
    sl: str | None = None,
    asa_s: float | None = None,
    max_occupancy: float | None = None,
    shrinkage: float = 0.0,
    patience_s: float | None = None,
    max_abandon: float | None = None,
) -> Queue:
    """The calculator's options (``--sl 80/20``, ``--asa``, ...) as a one-queue config, so that the calculator
    and file mode size through the same code with the same defaults: an option not given is a setting not set
    (service level 80% within 20 s, no ASA, occupancy or abandonment cap, Erlang C). ``shrinkage`` is 0 unless
    given (scheduled = agents, and the output says so); a config's queue must state its own."""
    if asa_s is not None and not asa_s > 0:
        raise InputError(f"--asa must be greater than 0 seconds, got {asa_s:g}")
    if max_occupancy is not None and not 0 < max_occupancy <= 1:
        raise InputError(f"--max-occupancy must be in (0, 1], got {max_occupancy:g}")
    if patience_s is not None and not patience_s > 0:
        raise InputError(f"--patience must be greater than 0 seconds, got {patience_s:g}")
    if patience_s is not None and patience_s > erlang.MAX_PATIENCE_S:
        raise InputError(f"--patience: {patience_s:g} seconds is above {erlang.MAX_PATIENCE_S:,.0f} (24 hours), the "
                         "longest patience wfm takes")
    if max_abandon is not None and not 0 < max_abandon < 1:
        raise InputError(f"--max-abandon must be between 0 and 1 (exclusive), got {max_abandon:g}")
    if max_abandon is not None and patience_s is None:
        raise InputError("--max-abandon needs --patience (Erlang A)")
    if not 0 <= shrinkage < 1:
        raise InputError(f"--shrinkage must be in [0, 1), got {shrinkage:g}")
    given = {"asa_s": asa_s, "max_occupancy": max_occupancy, "patience_s": patience_s, "max_abandon": max_abandon}
    settings: dict[str, Any] = {"name": "calculator", "shrinkage": shrinkage}
    settings.update({k: v for k, v in given.items() if v is not None})
    if sl is not None:
        settings["service_level"], settings["answer_within_s"] = parse_service_target(sl)
    return Queue(**settings)


def staff_interval(
    volume: float,
    interval_minutes: float,
    aht_s: float,
    queue: Queue,
    agents: int | None = None,
) -> IntervalStaffing:
    """Size one interval for ``queue``'s targets (or evaluate a given number of ``agents``), through
    :func:`size_intervals` as file mode does."""
    _check_interval_inputs(volume, interval_minutes, aht_s)
    _check_calculator_size(volume, interval_minutes, aht_s, queue)
    if agents is not None and agents < 0:
        raise InputError(f"--agents must be at least 0, got {agents}")
    interval_s = 60.0 * interval_minutes
    sized = size_intervals(np.array([volume], dtype=float), np.array([aht_s], dtype=float), interval_s, [queue],
                           agents=None if agents is None else np.array([agents]))
    m = sized.metrics
    return IntervalStaffing(
        volume=float(volume),
        interval_minutes=float(interval_minutes),
        aht=float(aht_s),
        load=float(erlang.offered_load(volume, aht_s, interval_s)),
        agents=int(sized.agents[0]),
        fractional_agents=round(float(sized.fractional_agents[0]), 4),
        scheduled=int(sized.scheduled[0]),
        service_level=float(m.service_level[0]),
        asa=float(m.asa[0]),
        occupancy=float(m.occupancy[0]),
        wait_probability=float(m.wait_probability[0]),
        abandon_rate=float(m.abandon_rate[0]) if queue.patience_s else None,
        meets_targets=bool(sized.meets_targets[0]),
        binding=sized.binding[0],
    )


MAX_TABLE_STATES = 20_000_000  # queue states an Erlang A --table may sum (a few seconds)


def staff_table(
    volume: float,
    interval_minutes: float,
    aht_s: float,
    queue: Queue,
    agents_from: int,
    agents_to: int,
) -> pd.DataFrame:
    """The classic Erlang table: service level, ASA, occupancy, P(wait) for each agent count in a range."""
    _check_interval_inputs(volume, interval_minutes, aht_s)
    if not 0 <= agents_from <= agents_to:
        raise InputError(f"--table needs FROM:TO with 0 <= FROM <= TO, got {agents_from}:{agents_to}")
    if agents_to - agents_from > 100_000:
        raise InputError("--table range is too wide (at most 100,000 rows)")
    _check_calculator_size(volume, interval_minutes, aht_s, queue)
    n = np.arange(agents_from, agents_to + 1)
    _check_table_work(volume, interval_minutes, aht_s, queue, n)
    sized = size_intervals(np.full(len(n), float(volume)), aht_s, 60.0 * interval_minutes, [queue], agents=n)
    m = sized.metrics
    table = pd.DataFrame(
        {
            "agents": n,
            "scheduled": sized.scheduled,
            "service_level": m.service_level,
            "asa": m.asa,
            "occupancy": m.occupancy,
            "wait_probability": m.wait_probability,
        }
    )
    if queue.patience_s:
        table["abandon_rate"] = m.abandon_rate
    table["meets_targets"] = sized.meets_targets
    return table


def _check_interval_inputs(volume: float, interval_minutes: float, aht_s: float) -> None:
    if not np.isfinite(volume) or volume < 0:
        raise InputError(f"--volume must be a non-negative number, got {volume:g}")
    if volume > erlang.MAX_CALLS_SIZED:
        shown = f"{volume:,.0f}" if volume < 1e15 else f"{volume:g}"
        raise InputError(f"--volume: {shown} calls is above {erlang.MAX_CALLS_SIZED:,.0f} per interval, the most "
                         "wfm sizes")
    if not np.isfinite(interval_minutes) or interval_minutes <= 0:
        raise InputError(f"--interval must be a positive number of minutes, got {interval_minutes:g}")
    if not 1 <= interval_minutes <= 1440:
        raise InputError(f"--interval: {interval_minutes:g} minutes is not in 1 to 1440 (a minute to a day)")
    if not np.isfinite(aht_s) or aht_s <= 0:
        raise InputError(f"--aht must be greater than 0 seconds, got {aht_s:g}")
    if aht_s > MAX_AHT_S:
        raise InputError(f"--aht: {aht_s:g} seconds is above {MAX_AHT_S:,.0f} (24 hours), the longest handle time "
                         "wfm takes")


def _check_calculator_size(volume: float, interval_minutes: float, aht_s: float, queue: Queue) -> None:
    """The calculator's interval within ``erlang.MAX_LOAD_SIZED``: its offered load and, under Erlang A, its calls
    offered per mean patience, naming the options that make them (checked before any evaluation)."""
    per_s = volume / (60.0 * interval_minutes)
    with np.errstate(over="ignore"):
        load, per_patience = per_s * aht_s, per_s * (queue.patience_s or 0.0)
    limit = f"{erlang.MAX_LOAD_SIZED:,.0f}, the most wfm sizes"
    given = f"--volume {volume:g} over --interval {interval_minutes:g} min"
    if not load <= erlang.MAX_LOAD_SIZED:
        raise InputError(f"--aht: {given} at {aht_s:g} s is an offered load of {load:,.6g} Erlangs, above {limit}")
    if not per_patience <= erlang.MAX_LOAD_SIZED:
        raise InputError(f"--patience: {given} is {per_patience:,.6g} calls per mean patience of "
                         f"{queue.patience_s:g} s, above {limit} under Erlang A")


def _check_table_work(volume: float, interval_minutes: float, aht_s: float, queue: Queue, agents: np.ndarray
                      ) -> None:
    """An Erlang A table past the switch-over sums O(sqrt(calls per patience)) states per row: refuse a range
    whose rows would sum more than ``MAX_TABLE_STATES`` (a few seconds), saying how many rows fit. (Below the
    switch-over nothing is counted: tables there are as they were.)"""
    if not queue.patience_s:
        return
    interval_s = 60.0 * interval_minutes
    load = float(erlang.offered_load(volume, aht_s, interval_s))
    states = erlang.states_summed(load, agents, aht_s, queue.patience_s)
    total = float(states.sum())
    if total > MAX_TABLE_STATES:
        fit = max(1, int(len(agents) * MAX_TABLE_STATES / total))
        raise InputError(f"--table: {len(agents):,} rows at this load sum about {total:,.0f} queue states, more "
                         f"than {MAX_TABLE_STATES:,.0f}; ask for at most about {fit:,} rows")


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


def interval_rows(res: IntervalStaffing, queue: Queue) -> list[list[Any]]:
    """The calculator's result as ``[figure, value]`` rows (what ``wfm staff --volume ...`` prints)."""
    rows: list[list[Any]] = [
        ["targets", targets_text(queue, shrinkage=False)],
        ["volume", f"{res.volume:g} calls in {res.interval_minutes:g} min"],
        ["aht", f"{res.aht:g} s"],
        ["load", f"{res.load:.2f} Erlangs"],
        ["agents", res.agents],
        ["fractional_agents", f"{res.fractional_agents:.2f}"],
        ["scheduled", f"{res.scheduled} (shrinkage {queue_shrinkage(queue):.0%})"],
        ["service_level", f"{res.service_level:.4f} within {queue.answer_within_s:g} s"],
        ["asa", f"{res.asa:.2f} s"],
        ["occupancy", f"{res.occupancy:.3f}"],
        ["wait_probability", f"{res.wait_probability:.4f}"],
    ]
    if res.abandon_rate is not None:
        rows.append(["abandon_rate", f"{res.abandon_rate:.4f}"])
    rows.append(["meets_targets", "yes" if res.meets_targets else "no"])
    rows.append(["binding", res.binding or "- (a target is missed)"])
    return rows


def summary_text(summary: pd.DataFrame) -> str:
    """:func:`staff_summary` as the table file mode prints."""
    from tabulate import tabulate

    return tabulate(summary, headers="keys", showindex=False, floatfmt=summary_floatfmt(summary))


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
