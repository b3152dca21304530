"""Readers of the roster stage's inputs: staffing.csv (from `wfm staff`) and agents.csv.

roster.csv itself has its one reader in :mod:`wfm.roster.rows`.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wfm.config import CentreConfig
from wfm.errors import InputError
from wfm.io import (
    MAX_AHT_S,
    MAX_CALLS_PER_INTERVAL,
    format_timestamp,
    parse_numbers,
    parse_timestamps,
    read_csv,
)
from wfm.roster.domain import AGENT_COLUMNS, MAX_AGENTS, MAX_SCHEDULED_PER_INTERVAL, Agent


def _bad(path: Any, line: Any, col: str, what: str) -> InputError:
    return InputError(f"{path}, line {line}, field '{col}': {what}")


def read_agents(path: str | Path, config: CentreConfig | None = None) -> pd.DataFrame:
    """Read agents.csv: ``agent_id,contract[,unavailable,preferred_shifts]`` (dates and shift names
    separated by ';'). With ``config``, contracts and shift names are checked. Errors name file, line, field."""
    frame = read_csv(path, required=["agent_id", "contract"])
    if len(frame) > MAX_AGENTS:  # naming them takes an agents x agents matrix per contract
        raise InputError(f"{path}, line {frame['_line'].iloc[MAX_AGENTS]}: more than {MAX_AGENTS:,} agents, the "
                         "most a roster names")
    for col in ("unavailable", "preferred_shifts"):
        if col not in frame.columns:
            frame[col] = ""
    contracts = {c.name for c in config.contracts} if config else None
    templates = {t.name for t in config.shifts} if config else None
    seen: set[str] = set()
    for i in range(len(frame)):
        line = frame["_line"].iloc[i]
        aid, con = frame["agent_id"].iloc[i], frame["contract"].iloc[i]
        if not aid:
            raise _bad(path, line, "agent_id", "is blank")
        if aid in seen:
            raise _bad(path, line, "agent_id", f"{aid!r} appears twice")
        seen.add(aid)
        if contracts is not None and con not in contracts:
            raise _bad(path, line, "contract", f"unknown contract {con!r} (the config has: {', '.join(sorted(contracts))})")
        for d in filter(None, frame["unavailable"].iloc[i].split(";")):
            try:
                datetime.strptime(d.strip(), "%Y-%m-%d")
            except ValueError:
                raise _bad(path, line, "unavailable", f"is not a date: {d!r} (expected YYYY-MM-DD;...)") from None
        for s in filter(None, frame["preferred_shifts"].iloc[i].split(";")):
            if templates is not None and s.strip() not in templates:
                raise _bad(path, line, "preferred_shifts", f"unknown shift {s!r} (the config has: {', '.join(sorted(templates))})")
    return frame[AGENT_COLUMNS].reset_index(drop=True)


def agents_from_frame(frame: pd.DataFrame, config: CentreConfig) -> list[Agent]:
    """A frame from :func:`read_agents` -> :class:`Agent` s (unknown contracts are an InputError)."""
    contracts = {c.name for c in config.contracts}
    out = []
    for row in frame.fillna("").astype(str).itertuples(index=False):
        if row.contract not in contracts:
            raise InputError(f"agent {row.agent_id!r}: unknown contract {row.contract!r}")
        un = frozenset(date.fromisoformat(d.strip()) for d in getattr(row, "unavailable", "").split(";") if d.strip())
        pref = frozenset(s.strip() for s in getattr(row, "preferred_shifts", "").split(";") if s.strip())
        out.append(Agent(row.agent_id, row.contract, un, pref))
    return out


STAFFING_NUMERIC = ["volume", "aht", "agents", "scheduled"]
# the most each staffing column may hold (volume: as a forecast row; aht: a day; agents and scheduled: what a
# roster names)
STAFFING_MAX = {"volume": MAX_CALLS_PER_INTERVAL, "aht": MAX_AHT_S, "agents": MAX_SCHEDULED_PER_INTERVAL,
                "fractional_agents": MAX_SCHEDULED_PER_INTERVAL, "scheduled": MAX_SCHEDULED_PER_INTERVAL}


def read_staffing(path: str | Path, config: CentreConfig | None = None) -> pd.DataFrame:
    """Read a staffing CSV from `wfm staff` (``timestamp,queue,volume,aht,agents,...,scheduled``).

    Errors name file, line and field: at least one row; ``agents`` and ``scheduled`` whole numbers of at most
    :data:`~wfm.roster.domain.MAX_SCHEDULED_PER_INTERVAL` (also the queues' ``scheduled`` summed per interval),
    checked before anything is sized. With ``config``: known queues, and every interval on its grid from
    midnight. The frame's ``attrs["source"]`` is ``path``, for the roster stage's messages."""
    frame = read_csv(path, required=["timestamp", "queue", *STAFFING_NUMERIC])
    if frame.empty:
        raise InputError(f"{path}: no data rows (expected one row per interval and queue, from `wfm staff`)")
    out = pd.DataFrame({"timestamp": parse_timestamps(frame, "timestamp", path), "queue": frame["queue"]})
    for col in STAFFING_NUMERIC:
        out[col] = parse_numbers(frame, col, path, min_value=0, max_value=STAFFING_MAX.get(col))
    out["fractional_agents"] = (
        parse_numbers(frame, "fractional_agents", path, min_value=0, max_value=STAFFING_MAX["fractional_agents"])
        if "fractional_agents" in frame else out["agents"]
    )
    for col in ("agents", "scheduled"):
        bad = np.flatnonzero(out[col].to_numpy() != np.round(out[col].to_numpy()))
        if len(bad):
            i = int(bad[0])
            raise _bad(path, frame["_line"].iloc[i], col, f"must be a whole number of agents, got {frame[col].iloc[i]}")
        out[col] = out[col].astype(np.int64)  # bounded above: no overflow
    if config is not None:
        known = set(config.queue_names)
        bad = np.flatnonzero(~out["queue"].isin(known).to_numpy())
        if len(bad):
            i = int(bad[0])
            raise _bad(path, frame["_line"].iloc[i], "queue",
                       f"unknown queue {out['queue'].iloc[i]!r} (the config has: {', '.join(config.queue_names)})")
    dup = out.duplicated(["timestamp", "queue"]).to_numpy()
    if dup.any():
        i = int(np.flatnonzero(dup)[0])
        raise _bad(path, frame["_line"].iloc[i], "timestamp", "interval and queue appear twice")
    _check_total(out, frame["_line"], path)
    if config is not None:
        _check_grid(out["timestamp"], frame["_line"], path, config.centre.interval_minutes,
                    config.planning_interval_minutes)
    out.attrs["source"] = str(path)
    return out


def _check_total(out: pd.DataFrame, lines: pd.Series, path: Any) -> None:
    """The queues' ``scheduled`` summed per interval: at most MAX_SCHEDULED_PER_INTERVAL."""
    total = out.groupby("timestamp", sort=False)["scheduled"].transform("sum").to_numpy()
    over = np.flatnonzero(total > MAX_SCHEDULED_PER_INTERVAL)
    if len(over):
        i = int(over[0])
        raise _bad(path, lines.iloc[i], "scheduled",
                   f"the queues' scheduled agents at {format_timestamp(out['timestamp'].iloc[i])} sum to "
                   f"{int(total[i]):,}, above {MAX_SCHEDULED_PER_INTERVAL:,} per interval, the most a roster sizes")


def _check_grid(stamps: pd.Series, lines: pd.Series, path: Any, data: int, planning: int) -> None:
    """Every interval on the data's ``data``-minute grid from midnight, and the closest two intervals the
    planning grid apart, or a finer grid that adds up to it (the roster then re-sizes it from its forecast
    columns: :func:`wfm.roster.roster`)."""
    minute = (stamps.dt.hour * 60 + stamps.dt.minute).to_numpy()
    off = np.flatnonzero((minute % data != 0) | (stamps.dt.second.to_numpy() != 0))
    if len(off):
        i = int(off[0])
        raise _bad(path, lines.iloc[i], "timestamp",
                   f"{format_timestamp(stamps.iloc[i])} is not on the {data}-minute grid from midnight (the "
                   f"config's [centre] interval_minutes is {data})")
    unique = np.sort(stamps.unique())
    if len(unique) > 1:
        step = int(np.diff(unique).min() // np.timedelta64(1, "m"))
        if step > planning or planning % step:
            raise InputError(f"{path}: its intervals are {step} minutes apart at the closest but the planning grid "
                             f"is {planning} minutes ([roster] interval_minutes, else [centre] interval_minutes); "
                             "make it with `wfm staff` and this config")


def read_coverage(path: str | Path) -> pd.DataFrame:
    """Read coverage.csv (``timestamp, required_scheduled, rostered, ...`` from `wfm roster` or `wfm plan`):
    ``timestamp, required_scheduled`` (whole agents, at most MAX_SCHEDULED_PER_INTERVAL); errors name file, line
    and field."""
    frame = read_csv(path, required=["timestamp", "required_scheduled"])
    if frame.empty:
        raise InputError(f"{path}: no data rows (expected one row per interval)")
    out = pd.DataFrame({"timestamp": parse_timestamps(frame, "timestamp", path)})
    req = parse_numbers(frame, "required_scheduled", path, min_value=0, max_value=MAX_SCHEDULED_PER_INTERVAL)
    bad = np.flatnonzero(req != np.round(req))
    if len(bad):
        i = int(bad[0])
        raise _bad(path, frame["_line"].iloc[i], "required_scheduled",
                   f"must be a whole number of agents, got {frame['required_scheduled'].iloc[i]}")
    out["required_scheduled"] = req.astype(np.int64)
    dup = out.duplicated("timestamp").to_numpy()
    if dup.any():
        i = int(np.flatnonzero(dup)[0])
        raise _bad(path, frame["_line"].iloc[i], "timestamp", "appears twice")
    return out
