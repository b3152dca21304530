"""Tiny roster instances shared by the roster tests (tests/test_roster.py and tests/roster/).

60-minute intervals, one queue without shrinkage, so a requirement of n agents is n scheduled agents and
every instance solves in well under a second.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from wfm import erlang
from wfm.config import parse_config
from wfm.staffing import queue_targets

MONDAY = date(2026, 1, 5)


def config(**over: object):
    """A small centre: 60-minute intervals, open 07:00-24:00, full-time day/late shifts and part-timers."""
    data: dict = {
        "centre": {"name": "Tiny", "interval_minutes": 60},
        "queues": [{"name": "q", "service_level": 0.8, "answer_within_s": 20, "shrinkage": 0.0, "aht_s": 300}],
        "contracts": [
            {"name": "full_time", "days_per_week": 5, "paid_hours_per_week": 40, "consecutive_days_off": 2,
             "cost_per_paid_hour": 1.0},
            {"name": "part_time", "days_per_week": [3, 4], "paid_hours_per_week": [12, 16],
             "cost_per_paid_hour": 1.2, "max_share": 0.5},
        ],
        "shifts": [
            {"name": "day", "contracts": ["full_time"], "start": ["07:00", "09:00"], "start_step_minutes": 60,
             "length_minutes": 540, "breaks": [{"minutes": 60, "paid": False, "window": ["03:00", "06:00"]}]},
            {"name": "late", "contracts": ["full_time"], "start": ["14:00", "15:00"], "start_step_minutes": 60,
             "length_minutes": 540, "breaks": [{"minutes": 60, "paid": False, "window": ["03:00", "06:00"]}]},
            {"name": "part", "contracts": ["part_time"], "start": ["10:00", "18:00"], "start_step_minutes": 120,
             "length_minutes": 240},
        ],
        "roster": {"time_limit_s": 30, "gap": 0.03, "min_rest_hours": 11, "start_band_minutes": 60,
                   "under_penalty": 50},
    }
    for key, value in over.items():
        data[key] = value
    return parse_config(data, source="tiny.toml")


def hourly_forecast(days: int = 7, scale: float = 1.0) -> pd.DataFrame:
    idx = pd.date_range(pd.Timestamp(MONDAY), periods=24 * days, freq="60min")
    h = idx.hour.to_numpy()
    volume = np.where(h >= 7, 40 + 60 * np.exp(-(((h - 12) / 3.0) ** 2)) + 40 * np.exp(-(((h - 19) / 2.0) ** 2)), 0.0)
    volume = volume * (1 + 0.15 * (idx.day_of_week.to_numpy() < 5)) * scale
    return pd.DataFrame({"timestamp": idx, "queue": "q", "volume": np.round(volume, 1), "aht": 300.0})


def volume_for_agents(n: int) -> float:
    """The fewest calls an hour (in steps of 0.5) for which queue "q" (80/20, AHT 300 s, no shrinkage) needs
    exactly ``n`` agents, so summed and pooled requirements alike give ``n``."""
    if n == 0:
        return 0.0
    targets = queue_targets(config().queues[0])
    grid = np.arange(0.5, 200.0, 0.5)
    need = erlang.required_agents(grid, np.full(len(grid), 300.0), 3600.0, targets)
    return float(grid[np.flatnonzero(need == n)[0]])


def requirement_staffing(required: list[int] | np.ndarray, start: date = MONDAY) -> pd.DataFrame:
    """A staffing frame asking for ``required`` agents hour by hour (volume sized to match exactly)."""
    req = np.asarray(required, dtype=np.int64)
    idx = pd.date_range(pd.Timestamp(start), periods=len(req), freq="60min")
    volume = {n: volume_for_agents(int(n)) for n in np.unique(req)}
    return pd.DataFrame({
        "timestamp": idx, "queue": "q", "volume": [volume[n] for n in req], "aht": 300.0, "agents": req,
        "fractional_agents": req.astype(float), "scheduled": req,
    })


def one_shift_config(days, hours, *, consecutive_days_off=0, start="09:00", length=480, breaks=(), cost=1.0):
    """One contract, one template at one start time; solved to optimality (gap 0)."""
    return config(
        roster={"time_limit_s": 30, "gap": 0.0, "min_rest_hours": 11},
        contracts=[{"name": "c", "days_per_week": days, "paid_hours_per_week": hours,
                    "consecutive_days_off": consecutive_days_off, "cost_per_paid_hour": cost}],
        shifts=[{"name": "s", "contracts": ["c"], "start": [start, start], "length_minutes": length,
                 "breaks": list(breaks)}],
    )


def hours_needed(*spans: tuple[int, int, int, int], weeks: int = 1) -> np.ndarray:
    """Agents required per hour of ``weeks`` weeks from Monday: each span is ``(day, from_hour, to_hour,
    agents)`` (day 0 = Monday; to_hour may pass 24 into the next day)."""
    req = np.zeros(7 * 24 * weeks, dtype=int)
    for day, h0, h1, n in spans:
        req[day * 24 + h0 : day * 24 + h1] += n
    return req


def rest_hours(frame: pd.DataFrame) -> list[float]:
    """Hours of rest between consecutive shifts of each agent, from the roster frame's text alone."""
    out = []
    for _, g in frame.groupby("agent_id"):
        spans = []
        for row in g.itertuples():
            s = datetime.fromisoformat(f"{row.date} {row.start}")
            e = datetime.fromisoformat(f"{row.date} {row.end}")
            spans.append((s, e + timedelta(days=1) if e <= s else e))
        spans.sort()
        out += [(s2 - e1).total_seconds() / 3600 for (_, e1), (s2, _) in zip(spans, spans[1:], strict=False)]
    return out


def contract_violations(frame: pd.DataFrame, cfg, start: date, weeks: int) -> list[str]:
    """Every contract rule, checked agent by agent from the roster frame alone."""
    contracts = {c.name: c for c in cfg.contracts}
    templates = {t.name: t for t in cfg.shifts}
    rest = timedelta(hours=cfg.roster.min_rest_hours)
    bad = []
    for agent, g in frame.groupby("agent_id"):
        c = contracts[g["contract"].iloc[0]]
        if g["contract"].nunique() != 1:
            bad.append(f"{agent}: more than one contract")
        if g["date"].duplicated().any():
            bad.append(f"{agent}: two shifts on a day")
        starts = pd.to_datetime(g["date"] + " " + g["start"])
        spans = []
        for row, s in zip(g.itertuples(), starts, strict=True):
            t = templates[row.shift]
            if c.name not in t.contracts:
                bad.append(f"{agent}: shift {row.shift} does not serve {c.name}")
            spans.append((s, s + timedelta(minutes=t.length_minutes), t))
        spans.sort(key=lambda x: x[0])
        for (_, e1, _), (s2, _, _) in zip(spans, spans[1:], strict=False):
            if s2 - e1 < rest:
                bad.append(f"{agent}: {s2 - e1} rest before {s2}")
        for k in range(weeks):
            w0 = pd.Timestamp(start + timedelta(days=7 * k))
            in_week = [sp for sp in spans if w0 <= sp[0] < w0 + timedelta(days=7)]
            days_on = [(sp[0] - w0).days for sp in in_week]
            lo, hi = c.days_range
            if not lo <= len(in_week) <= hi:
                bad.append(f"{agent}: {len(in_week)} days in week {k + 1}")
            paid = sum(
                (t.length_minutes - sum(b.minutes for b in t.breaks if not b.paid)) / 60 for _, _, t in in_week
            )
            if not c.hours_range[0] - 1e-9 <= paid <= c.hours_range[1] + 1e-9:
                bad.append(f"{agent}: {paid} paid hours in week {k + 1}")
            off = "".join("0" if d in days_on else "1" for d in range(7))
            if c.consecutive_days_off and "1" * c.consecutive_days_off not in off:
                bad.append(f"{agent}: no {c.consecutive_days_off} consecutive days off in week {k + 1}")
            minutes = [sp[0].hour * 60 + sp[0].minute for sp in in_week]
            if minutes and max(minutes) - min(minutes) > cfg.roster.start_band_minutes:
                bad.append(f"{agent}: starts spread {max(minutes) - min(minutes)} min in week {k + 1}")
    return bad
