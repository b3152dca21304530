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

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from wfm import erlang
from wfm.config import CentreConfig, Queue
from wfm.errors import InputError

FORECAST_COLUMNS = ["timestamp", "queue", "volume", "aht"]
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
        with_calls = g[g["volume"] > 0]
        if with_calls.empty:
            worst_ts, worst_sl = "", 1.0
        else:
            i = with_calls["service_level"].to_numpy().argmin()
            worst_ts = pd.Timestamp(with_calls["timestamp"].iloc[i]).strftime("%H:%M")
            worst_sl = float(with_calls["service_level"].iloc[i])
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


def staffing_requirement(staffing: pd.DataFrame, config: CentreConfig, group: str | None = None) -> pd.DataFrame:
    """Sum the queues of one staff group per interval (agents serve all of them).

    Returns ``timestamp, volume, agents, fractional_agents, scheduled`` sorted by timestamp. ``scheduled``
    is what a roster must put on shift; ``agents`` what must be on the phones after shrinkage.
    """
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


def group_service_level(
    staffing: pd.DataFrame,
    on_phone: pd.Series,
    config: CentreConfig,
    interval_minutes: int | None = None,
) -> pd.DataFrame:
    """Service level, ASA and abandonment with ``on_phone`` rostered agents serving the pooled queues.

    ``on_phone`` is indexed by timestamp (agents on shift and not on break). Shrinkage still applies: the
    agents actually taking calls are ``floor(on_phone * (1 - shrinkage))``, shrinkage weighted by each queue's
    required agents. The queues are pooled: volumes add; AHT, answer time and patience are volume-weighted
    (Erlang C for the pool when any queue has no patience). Returns ``timestamp, service_level, asa,
    abandon_rate, occupancy`` per timestamp of ``on_phone``.
    """
    ivl = interval_minutes or config.centre.interval_minutes
    by_q = {q.name: q for q in config.queues}
    f = staffing[staffing["queue"].isin(by_q)].copy()
    f["answer_within_s"] = f["queue"].map(lambda n: by_q[n].answer_within_s)
    f["shrinkage"] = f["queue"].map(lambda n: by_q[n].shrinkage)
    pat = f["queue"].map(lambda n: by_q[n].patience_s)
    use_patience = bool(pat.notna().all())
    f["patience"] = pat.astype(float) if use_patience else 0.0
    f["w"] = f["volume"]
    f["wa"] = f["agents"].clip(lower=0)
    for col in ("aht", "answer_within_s", "patience"):
        f[f"{col}_x"] = f[col] * f["w"]
    f["shrink_x"] = f["shrinkage"] * f["wa"]
    f["t_plain"] = f["answer_within_s"]
    f["s_plain"] = f["shrinkage"]
    g = f.groupby("timestamp", sort=True).agg(
        volume=("volume", "sum"), w=("w", "sum"), wa=("wa", "sum"),
        aht_x=("aht_x", "sum"), t_x=("answer_within_s_x", "sum"), p_x=("patience_x", "sum"),
        s_x=("shrink_x", "sum"), aht_m=("aht", "mean"), t_m=("t_plain", "mean"), s_m=("s_plain", "mean"),
        p_m=("patience", "mean"),
    )
    g = g.reindex(pd.DatetimeIndex(on_phone.index, name="timestamp"))
    vol = g["volume"].fillna(0.0).to_numpy()
    w = g["w"].fillna(0.0).to_numpy()
    wa = g["wa"].fillna(0.0).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        aht = np.where(w > 0, g["aht_x"] / w, g["aht_m"])
        t = np.where(w > 0, g["t_x"] / w, g["t_m"])
        patience = np.where(w > 0, g["p_x"] / w, g["p_m"])
        shrink = np.where(wa > 0, g["s_x"] / wa, g["s_m"])
    aht = np.nan_to_num(aht, nan=300.0)
    t = np.nan_to_num(t, nan=20.0)
    shrink = np.nan_to_num(shrink, nan=0.0)
    effective = np.floor(on_phone.to_numpy(float) * (1.0 - shrink) + 1e-9)
    m = erlang.evaluate(vol, aht, 60.0 * ivl, effective, t, patience if use_patience else None)
    return pd.DataFrame(
        {
            "timestamp": on_phone.index,
            "service_level": m.service_level,
            "asa": m.asa,
            "abandon_rate": m.abandon_rate,
            "occupancy": m.occupancy,
        }
    )


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
