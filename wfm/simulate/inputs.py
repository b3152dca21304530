"""What a simulation runs on: the demand (a forecast on the interval grid), the agents per interval and staff
group (from roster.csv or an agents-per-interval CSV), and the routing order.

Agents come in one of two meanings, as everywhere in wfm: *rostered* (on shift and off break, before
shrinkage: what roster.csv and coverage.csv's ``rostered`` give) or *agents* taking calls (on the phones,
after shrinkage: staffing.csv's meaning of ``agents``). Shrinkage applies to the first only.
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from wfm.config import CentreConfig, Queue, tightest_first
from wfm.errors import InputError
from wfm.horizon import check_horizon, roster_overlap
from wfm.io import checked_forecast, format_timestamp, parse_numbers, parse_timestamps, read_csv
from wfm.roster.domain import MAX_SCHEDULED_PER_INTERVAL
from wfm.roster.rows import ROSTER_COLUMNS, parse_roster_rows, read_roster, rostered_per_interval

PathLike = str | os.PathLike[str]
ROUTINGS = ("fifo", "priority", "objective")
AGENT_FILE_COLUMNS = ("timestamp", "agents|rostered", "group (optional)")
MAX_SIMULATED_CALLS = 10_000_000  # calls a forecast offers over its horizon: each replication draws them all
MAX_AGENTS_PER_INTERVAL = MAX_SCHEDULED_PER_INTERVAL  # an agents-per-interval row (a staff group's agents)


@dataclass(frozen=True)
class Demand:
    """The forecast on the horizon's interval grid: the queues it names (config order), calls and AHT."""

    timestamps: pd.DatetimeIndex  # interval starts, every interval from the first to the last
    queues: list[Queue]
    volume: np.ndarray  # (queues, intervals) expected calls offered
    aht: np.ndarray  # (queues, intervals) seconds (the queue's aht_s where the forecast has none)
    interval_minutes: int
    source: str = "the forecast"  # its file, for messages

    @property
    def interval_s(self) -> float:
        return 60.0 * self.interval_minutes

    @property
    def groups(self) -> list[str]:
        """The staff groups of the queues, in order of first appearance."""
        return list(dict.fromkeys(q.staff_group for q in self.queues))

    def frame(self) -> pd.DataFrame:
        """``timestamp, queue, volume, aht`` on the full grid (the frame :func:`wfm.staffing.pool_queues` reads)."""
        n = len(self.timestamps)
        return pd.DataFrame({
            "timestamp": np.tile(self.timestamps.to_numpy(), len(self.queues)),
            "queue": np.repeat([q.name for q in self.queues], n),
            "volume": self.volume.ravel(),
            "aht": self.aht.ravel(),
        })


def demand(forecast: pd.DataFrame, config: CentreConfig, source: str = "the forecast") -> Demand:
    """A forecast frame (``timestamp, queue, volume[, aht]``, as :func:`wfm.io.read_forecast` reads it) on the
    grid from its first to its last interval; a queue-interval it lacks has no calls. InputError naming
    ``source`` (its file) for an interval off the grid, more than :data:`wfm.horizon.MAX_HORIZON_DAYS` days or
    more than :data:`MAX_SIMULATED_CALLS` calls, before the grid is built."""
    fc = checked_forecast(forecast, config.queue_names)
    ivl = config.planning_interval_minutes
    check_horizon(fc["timestamp"], ivl, source)
    calls = float(fc["volume"].sum())
    if calls > MAX_SIMULATED_CALLS:
        raise InputError(
            f"{source}: offers {calls:,.0f} calls over its horizon; a simulation draws at most "
            f"{MAX_SIMULATED_CALLS:,} per replication (simulate fewer days)"
        )
    first = fc["timestamp"].min()
    grid = pd.date_range(first, fc["timestamp"].max(), freq=f"{ivl}min", name="timestamp")
    present = set(fc["queue"])
    queues = [q for q in config.queues if q.name in present]
    full = pd.MultiIndex.from_product([[q.name for q in queues], grid], names=["queue", "timestamp"])
    fc = fc.drop_duplicates(["timestamp", "queue"], keep="last").set_index(["queue", "timestamp"])
    fc = fc[["volume", "aht"]].reindex(full)
    n = len(grid)
    volume = fc["volume"].fillna(0.0).to_numpy(float).reshape(len(queues), n)
    aht = fc["aht"].to_numpy(float).reshape(len(queues), n)
    default = np.array([q.aht_s for q in queues], dtype=float)[:, None]
    aht = np.where(np.isfinite(aht) & (aht > 0), aht, default)
    return Demand(pd.DatetimeIndex(grid), queues, volume, aht, ivl, source)


# --------------------------------------------------------------------------- agents per interval
@dataclass(frozen=True)
class Supply:
    """Agents per interval of the horizon, per staff group.

    ``kind`` is ``"rostered"`` (on shift and off break: shrinkage still applies) or ``"agents"`` (taking calls:
    used as given)."""

    kind: str
    counts: dict[str, np.ndarray]  # group -> int64 per interval of the horizon
    source: str
    notes: tuple[str, ...] = ()  # e.g. forecast days the roster has no shifts on


def is_roster_file(path: PathLike) -> bool:
    """Does the CSV's header name roster.csv's ``agent_id`` column? (Else it is agents per interval.)"""
    path = Path(path)
    if not path.is_file():
        return False
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                if row and any(cell.strip() for cell in row):
                    return "agent_id" in {cell.strip().lower() for cell in row}
    except (UnicodeDecodeError, csv.Error):
        return False
    return False


def read_agents_per_interval(path: PathLike) -> pd.DataFrame:
    """Read an agents-per-interval CSV: ``timestamp`` and ``agents`` (taking calls) or ``rostered`` (before
    shrinkage), optionally ``group`` (staff group; needed when the queues have several). Returns
    ``timestamp, group, <agents|rostered>`` (group ``""`` when absent); errors name file, line and field."""
    frame = read_csv(path, required=["timestamp"])
    kinds = [c for c in ("agents", "rostered") if c in frame.columns]
    if len(kinds) != 1:
        have = ", ".join(c for c in frame.columns if c != "_line")
        what = "both 'agents' and 'rostered'" if kinds else "neither 'agents' nor 'rostered'"
        raise InputError(
            f"{path}: has {what} (columns found: {have}); give agents taking calls (agents) or on shift and off "
            "break (rostered), or a roster.csv"
        )
    if "queue" in frame.columns:
        raise InputError(f"{path}: has a 'queue' column: give agents per staff group (column 'group'), not per queue")
    if frame.empty:
        raise InputError(f"{path}: no data rows")
    kind = kinds[0]
    values = parse_numbers(frame, kind, path, min_value=0.0, max_value=MAX_AGENTS_PER_INTERVAL)
    fraction = np.flatnonzero(values != np.round(values))
    if len(fraction):
        i = int(fraction[0])
        raise InputError(
            f"{path}, line {frame['_line'].iloc[i]}, field '{kind}': must be a whole number of agents, "
            f"got {frame[kind].iloc[i]}"
        )
    out = pd.DataFrame({
        "timestamp": parse_timestamps(frame, "timestamp", path),
        "group": frame["group"] if "group" in frame.columns else "",
        kind: values.astype(np.int64),
        "_line": frame["_line"],
    })
    dup = out.duplicated(["timestamp", "group"]).to_numpy()
    if dup.any():
        i = int(np.flatnonzero(dup)[0])
        raise InputError(
            f"{path}, line {out['_line'].iloc[i]}, field 'timestamp': {format_timestamp(out['timestamp'].iloc[i])} "
            "appears twice" + (f" for group {out['group'].iloc[i]!r}" if out["group"].iloc[i] else "")
        )
    return out


def supply_from_agents(frame: pd.DataFrame, demand: Demand, source: str = "agents") -> Supply:
    """Agents per interval and group from :func:`read_agents_per_interval`'s frame; every interval of the
    horizon must be there for every staff group of the forecast's queues."""
    kind = "agents" if "agents" in frame.columns else "rostered"
    groups = demand.groups
    named = frame["group"].astype(str) if "group" in frame.columns else pd.Series([""] * len(frame))
    line = frame["_line"].to_numpy() if "_line" in frame.columns else np.arange(2, len(frame) + 2)
    if (named == "").all():
        if len(groups) > 1:
            raise InputError(
                f"{source}: the forecast's queues are served by {len(groups)} staff groups ({', '.join(groups)}): "
                "add a 'group' column naming each row's group"
            )
        named = pd.Series([groups[0]] * len(frame))
    else:
        bad = np.flatnonzero(~named.isin(groups).to_numpy())
        if len(bad):
            i = int(bad[0])
            raise InputError(
                f"{source}, line {line[i]}, field 'group': {named.iloc[i]!r} serves none of the forecast's queues "
                f"(their staff groups: {', '.join(groups)})"
            )
    stamps = pd.to_datetime(frame["timestamp"]).to_numpy(dtype="datetime64[ns]")
    counts: dict[str, np.ndarray] = {}
    for group in groups:
        mine = (named == group).to_numpy()
        series = pd.Series(frame[kind].to_numpy(np.int64)[mine], index=stamps[mine])
        values = series.reindex(demand.timestamps)
        if values.isna().any():
            ts = demand.timestamps[int(np.flatnonzero(values.isna().to_numpy())[0])]
            raise InputError(f"{source}: no agents for {format_timestamp(ts)}"
                             + (f" (group {group!r})" if len(groups) > 1 else "")
                             + " (every interval of the forecast needs a row)")
        counts[group] = values.to_numpy(np.int64)
    return Supply(kind, counts, source)


def supply_from_roster(roster: pd.DataFrame, demand: Demand, source: str = "roster") -> Supply:
    """Rostered agents per interval (on shift and off break, :func:`wfm.roster.rows.rostered_per_interval`).

    roster.csv does not say which staff group an agent serves, so the forecast's queues must share one. The
    roster is cyclic (as `wfm roster` builds it): its shifts are counted on a cycle of whole weeks from the
    horizon's start holding the dates of both, so a night shift from the last evening covers the first
    morning. The roster must share dates with the forecast (an InputError naming both otherwise); forecast
    days with calls and no roster row are a note (:func:`wfm.horizon.roster_overlap`)."""
    groups = demand.groups
    if len(groups) > 1:
        raise InputError(
            f"{source}: roster.csv does not say which staff group an agent serves, and the forecast's queues "
            f"have {len(groups)} ({', '.join(groups)}); give agents per interval with a 'group' column instead"
        )
    rows = parse_roster_rows(roster, source, required=ROSTER_COLUMNS)
    notes = roster_overlap(rows, source, demand.timestamps.to_numpy(), demand.volume.sum(axis=0), demand.source)
    start = demand.timestamps[0]
    first, last = start.normalize(), demand.timestamps[-1].normalize()
    if len(rows):
        first, last = min(first, pd.Timestamp(rows.date.min())), max(last, pd.Timestamp(rows.date.max()))
    weeks = max(1, math.ceil(((last - first).days + 1) / 7))
    per_week = 7 * 1440 // demand.interval_minutes
    counts = rostered_per_interval(rows, start, weeks * per_week, demand.interval_minutes)
    return Supply("rostered", {groups[0]: np.asarray(counts[: len(demand.timestamps)], dtype=np.int64)}, source,
                  tuple(notes))


def read_supply(path: PathLike, demand: Demand) -> Supply:
    """Agents per interval from a file: roster.csv (a header with ``agent_id``, read by its one reader
    :func:`wfm.roster.rows.read_roster`) or an agents-per-interval CSV (:func:`read_agents_per_interval`)."""
    if is_roster_file(path):
        return supply_from_roster(read_roster(path), demand, str(path))
    return supply_from_agents(read_agents_per_interval(path), demand, str(path))


# --------------------------------------------------------------------------- routing
def default_priority(queues: Sequence[Queue]) -> list[str]:
    """Tightest target first: the lowest ``answer_within_s``, ties the higher ``service_level`` (then config
    order)."""
    return [q.name for q in tightest_first(list(queues))]


def group_routing(config: CentreConfig, group: str, routing: str | None,
                  priority: Sequence[str] | str | None) -> tuple[str, list[str]]:
    """A staff group's routing for the simulation: (``fifo``, ``priority`` or ``objective``, its queues in
    priority order). ``routing`` None takes the group's ``[[staff_groups]]`` routing and order
    (:meth:`CentreConfig.routing`); given, it (and ``priority``) overrides the config for every group."""
    if routing is None and priority is None:
        how, ordered = config.routing(group)
        return how, [q.name for q in ordered]
    how = routing or "priority"
    order = priority_order(config, how, priority)
    return how, order


def priority_order(config: CentreConfig, routing: str, priority: Sequence[str] | str | None) -> list[str]:
    """Every queue of the config in routing priority order (used by ``routing="priority"`` only).

    ``priority`` names queues highest first (a list, or one text ``"q1,q2"``); queues it leaves out follow in
    :func:`default_priority`'s order. An unknown or repeated name is an InputError."""
    if routing not in ROUTINGS:
        raise InputError(f"routing must be one of {', '.join(ROUTINGS)}, got {routing!r}")
    if isinstance(priority, str):
        priority = priority.split(",")
    names = [str(p).strip() for p in (priority or [])]
    if names and routing != "priority":
        raise InputError("a priority order needs routing 'priority' (--routing priority)")
    known = config.queue_names
    seen: set[str] = set()
    for name in names:
        if name not in known:
            raise InputError(f"--priority: unknown queue {name!r} (the config has: {', '.join(known)})")
        if name in seen:
            raise InputError(f"--priority: queue {name!r} appears twice")
        seen.add(name)
    return names + [n for n in default_priority(config.queues) if n not in seen]
