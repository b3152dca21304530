"""The plan proved by simulation: the final roster run call by call (:mod:`wfm.simulate`) next to the Erlang
figures the plan was made with.

Service frame (``service.csv`` of a run folder), one row per queue and day (and week, for a queue judged
weekly), the roster's :func:`wfm.roster.service_table` columns plus:

=============================== ===========================================================================
``simulated_service_level``     mean over the replications of the calls-weighted service level
``simulated_lo``/``_hi``        its 95% confidence interval (days; a week is the calls-weighted mean of its
                                days, without an interval)
``intervals_meeting``           share of the period's intervals with calls whose simulated mean service
                                level meets the queue's target
``over_served``                 the simulated service level is more than ``OVER_SERVED`` above the target
                                over the period the queue is judged on
=============================== ===========================================================================
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from wfm.config import CentreConfig
from wfm.simulate import SimulationResult, simulate

OVER_SERVED = 0.05  # more than 5 points above a target over its period: staff wasted
REPLICATIONS = 100


@dataclass
class Proof:
    """The service frame (module docstring), the simulation behind it and one note per over-served queue."""

    service: pd.DataFrame
    simulation: SimulationResult | None
    notes: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """Per queue over the horizon: target, Erlang and simulated service level, intervals meeting it."""
        if self.simulation is None:
            return {}
        q = self.simulation.queues.set_index("queue")
        out: dict[str, Any] = {}
        for name, g in self.service.groupby("queue", sort=False):
            days = g[g["period"] == "day"]
            calls = days["calls"].to_numpy(float)
            erl = float((calls * days["service_level"]).sum() / calls.sum()) if calls.sum() > 0 else 1.0
            out[str(name)] = {
                "target": float(g["target"].iloc[0]),
                "judged": str(g["judged"].iloc[0]),
                "erlang_service_level": round(erl, 4),
                "simulated_service_level": round(float(q.loc[name, "service_level"]), 4),
                "simulated_ci": [round(float(q.loc[name, "service_level_lo"]), 4),
                                 round(float(q.loc[name, "service_level_hi"]), 4)],
                "intervals_meeting": round(float((days["intervals_meeting"] * days["busy_intervals"]).sum()
                                                 / max(days["busy_intervals"].sum(), 1)), 4),
                "over_served_periods": int(g["over_served"].astype(bool).sum()),
            }
        return out


def prove(roster: Any, forecast: pd.DataFrame, config: CentreConfig, *, replications: int = REPLICATIONS,
          seed: int = 0) -> Proof:
    """Simulate ``roster`` (a :class:`wfm.roster.Roster`) against ``forecast`` ``replications`` times and put
    the simulated service next to the roster's Erlang service table. ``replications=0``: no simulation (the
    Erlang columns only)."""
    service = roster.service.copy()
    if replications <= 0 or service.empty:
        return Proof(service, None)
    sim = simulate(config, forecast, roster=roster.assignments, replications=replications, seed=seed,
                   source="roster.csv")
    service = _with_simulation(service, sim, config)
    return Proof(service, sim, _over_served_notes(service))


def _with_simulation(service: pd.DataFrame, sim: SimulationResult, config: CentreConfig) -> pd.DataFrame:
    days = sim.days.assign(date=lambda d: pd.to_datetime(d["date"]).dt.strftime("%Y-%m-%d")).set_index(["queue", "date"])
    iv = sim.intervals[sim.intervals["offered"] > 0].copy()
    iv["date"] = pd.to_datetime(iv["timestamp"]).dt.normalize()
    targets = {q.name: q.service_level for q in config.queues}
    iv["meets"] = iv["service_level"] >= iv["queue"].map(targets) - 1e-9
    rows = []
    for r in service.itertuples():
        start = pd.Timestamp(r.start)
        span = pd.Timedelta(days=7 if r.period == "week" else 1)
        mine = iv[(iv["queue"] == r.queue) & (iv["date"] >= start) & (iv["date"] < start + span)]
        if r.period == "day" and (r.queue, r.start) in days.index:
            d = days.loc[(r.queue, r.start)]
            sl, lo, hi = float(d["service_level"]), float(d["service_level_lo"]), float(d["service_level_hi"])
        else:  # a week: the calls-weighted mean of its days' simulated figures
            on = pd.to_datetime(days.index.get_level_values("date"))
            inside = days[(days.index.get_level_values("queue") == r.queue) & (on >= start) & (on < start + span)]
            w = inside["offered"].to_numpy(float)
            sl = float((w * inside["service_level"]).sum() / w.sum()) if w.sum() > 0 else 1.0
            lo = hi = np.nan
        rows.append({"simulated_service_level": round(sl, 4), "simulated_lo": round(lo, 4), "simulated_hi": round(hi, 4),
                     "busy_intervals": int(len(mine)),
                     "intervals_meeting": round(float(mine["meets"].mean()), 4) if len(mine) else 1.0})
    out = pd.concat([service.reset_index(drop=True), pd.DataFrame(rows)], axis=1)
    judged_here = (out["judged"] == out["period"]) | ((out["judged"] == "interval") & (out["period"] == "day"))
    out["over_served"] = judged_here & (out["simulated_service_level"] > out["target"] + OVER_SERVED + 1e-9)
    return out


def _over_served_notes(service: pd.DataFrame) -> list[str]:
    """One note per over-served queue: its simulated service (a range over several periods), its target and
    the periods (named when there are up to three)."""
    notes = []
    for name, g in service[service["over_served"]].groupby("queue", sort=False):
        sl = g["simulated_service_level"]
        notes.append(
            f"{name} over-served: simulated {span(f'{sl.min():.1%}', f'{sl.max():.1%}', '-')} against a target of "
            f"{g['target'].iloc[0]:.0%} on {periods([str(d) for d in g['start']], g['period'].iloc[0])}, "
            f"more than {OVER_SERVED * 100:.0f} points above: staff wasted"
        )
    return notes


def span(lo: str, hi: str, sep: str) -> str:
    """A range as the notes print it: ``lo`` alone when both ends read the same, else ``lo``, ``sep``, ``hi``."""
    return lo if lo == hi else f"{lo}{sep}{hi}"


def periods(starts: list[str], unit: str) -> str:
    """How many periods (``unit``: day, week), named when there are up to three: "2 days (2026-11-30,
    2026-12-02)", "7 days"."""
    text = f"{len(starts)} {unit}{'s' if len(starts) > 1 else ''}"
    return text + (f" ({', '.join(starts)})" if len(starts) <= 3 else "")
