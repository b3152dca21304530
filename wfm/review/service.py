"""Staffing and service against what happened (``wfm review``): the requirement the actual calls needed against
what the roster put on the phones, the service planned against the service given, and what caused a miss.

One model throughout, the what-if's (:func:`wfm.whatif.impact.pooled_service`: the staff group's routing
model with ``floor(rostered x (1 - shrinkage))`` agents, held to the agents' capacity in overload; measured
against the simulator in tests/whatif/test_service_vs_sim.py):

- **planned**: the run's forecast (volume and AHT) against the roster: the promise the plan made on the
  model it was built on (service.csv's ``model_service_level``);
- **actual**: from the ACD's outcome columns when the actuals have them (``acd``); else **estimated**: the
  simulator answering exactly the calls that came with the agents there were (the roster's, or the
  ``--adherence`` file's), labelled ``estimated`` (:func:`wfm.review.run.review`);
- **causes** of a day's miss (planned - actual): the model's service moved from the plan to the actuals one
  factor at a time, volume, AHT and (with ``--adherence``) the agents delivered; each factor's share is its
  Shapley value (the average of its effect over every order of the factors, so the shares do not depend on
  an order and add up to the model's whole move); ``other`` is what the model does not explain: the actual
  (or estimated) figure against the model with every factor actual (calls carried from one interval to the
  next, routing, patience, chance).

Service is per call: a day's service level is its calls answered within the target over its calls offered
(``answered_within / volume``), ASA over the calls answered, abandonment over the calls offered.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wfm.whatif.impact import WhatifBase, pooled_service

FACTORS = ("volume", "aht", "staffing")


@dataclass
class ModelService:
    """The pooled model's figures per queue (rows, routing order) and interval (columns)."""

    queues: list[str]
    volume: np.ndarray
    service_level: np.ndarray
    asa: np.ndarray
    abandon_rate: np.ndarray
    patient: np.ndarray  # bool per queue: abandonment known

    def counts(self) -> dict[str, np.ndarray]:
        """Calls offered, answered within target, answered, abandoned (NaN: unknown) and seconds waited by the
        calls answered, per queue and interval."""
        ab = np.where(self.patient[:, None], self.abandon_rate, 0.0)
        answered = self.volume * (1.0 - ab)
        return {"volume": self.volume, "answered_within": self.volume * self.service_level,
                "answered": answered, "wait": answered * self.asa,
                "abandoned": np.where(self.patient[:, None], self.volume * self.abandon_rate, np.nan)}


def model_service(plan: WhatifBase, demand: pd.DataFrame, rostered: np.ndarray) -> ModelService:
    """The model's service for ``demand`` (``timestamp, queue, volume, aht`` on the plan's grid; AHT NaN: the
    queue's ``aht_s``) with ``rostered`` agents (on shift and off break) per interval of the plan."""
    names, vol, sl, asa, ab, patient = pooled_service(demand, rostered, plan)
    return ModelService(names, vol, sl, asa, ab, patient)


def per_day(counts: dict[str, np.ndarray], queues: list[str], day: np.ndarray, dates: pd.DatetimeIndex
            ) -> pd.DataFrame:
    """``date, queue, calls, service_level, asa, abandon_rate`` per day and queue, and per day for all queues
    (``queue = "total"``), from per-interval counts (arrays queues x intervals; ``day``: each interval's index
    in ``dates``)."""
    n = len(dates)
    rows = []
    total = {k: np.zeros(n) for k in counts}
    for i, q in enumerate(queues):
        sums = {k: np.bincount(day, weights=np.nan_to_num(v[i]), minlength=n)[:n] for k, v in counts.items()}
        unknown = np.bincount(day, weights=np.isnan(counts["abandoned"][i]).astype(float), minlength=n)[:n] > 0
        sums["abandoned"] = np.where(unknown, np.nan, sums["abandoned"])
        for k in total:
            total[k] = total[k] + sums[k]
        rows.append(_rates(sums, dates, q))
    rows.append(_rates(total, dates, "total"))
    return pd.concat(rows, ignore_index=True)


def _rates(s: dict[str, np.ndarray], dates: pd.DatetimeIndex, queue: str) -> pd.DataFrame:
    with np.errstate(invalid="ignore", divide="ignore"):
        off = np.where(s["volume"] > 0, s["volume"], np.nan)
        ans = np.where(s["answered"] > 0, s["answered"], np.nan)
        asa = s["wait"] / ans if "wait" in s else np.full(len(dates), np.nan)
        return pd.DataFrame({"date": dates, "queue": queue, "calls": s["volume"],
                             "service_level": s["answered_within"] / off, "asa": asa,
                             "abandon_rate": s["abandoned"] / off})


def day_service_level(counts: dict[str, np.ndarray], day: np.ndarray, n: int) -> np.ndarray:
    """All queues' service level per day (calls answered within target over calls offered)."""
    vol = np.bincount(day, weights=counts["volume"].sum(axis=0), minlength=n)[:n]
    within = np.bincount(day, weights=counts["answered_within"].sum(axis=0), minlength=n)[:n]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(vol > 0, within / vol, np.nan)


def shapley(values: dict[frozenset[str], np.ndarray], factors: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Each factor's Shapley share of ``values[all] - values[none]`` (``values``: the figure with the factors
    in each subset at their actual, the rest at their plan)."""
    n = len(factors)
    out = {}
    for f in factors:
        rest = [g for g in factors if g != f]
        share = 0.0
        for k in range(n):
            w = math.factorial(k) * math.factorial(n - k - 1) / math.factorial(n)
            for subset in itertools.combinations(rest, k):
                s = frozenset(subset)
                share = share + w * (values[s | {f}] - values[s])
        out[f] = share
    return out


def requirement(plan: WhatifBase, demand: pd.DataFrame) -> np.ndarray:
    """Scheduled agents (before shrinkage) per interval of the plan that ``demand`` needs: the plan's own
    requirement (:func:`wfm.staffing.staffing_requirement` of :func:`wfm.staffing.staff`, coverage.csv's
    ``required_scheduled``) recomputed for these calls, sized only as far as the requirement needs (the pooled
    requirement reads the calls and AHT; the summed one each queue's agents and scheduled agents,
    :func:`wfm.staffing.required_scheduled`)."""
    from wfm.staffing import required_scheduled, staffing_requirement

    cfg = plan.config
    frame = demand[["timestamp", "queue", "volume", "aht"]].copy()
    which = pd.Index(cfg.queue_names).get_indexer(frame["queue"].astype(str))
    default = np.array([q.aht_s for q in cfg.queues])[which]
    aht = frame["aht"].to_numpy(float)
    frame["aht"] = np.where(np.isfinite(aht) & (aht > 0), aht, default)
    if cfg.roster.requirement != "pooled":
        agents, scheduled = required_scheduled(frame["volume"].to_numpy(float), frame["aht"].to_numpy(float),
                                               60.0 * plan.interval_minutes, cfg.queues, which, cfg.source)
        frame["agents"], frame["fractional_agents"], frame["scheduled"] = agents, agents.astype(float), scheduled
    req = staffing_requirement(frame, cfg).set_index("timestamp")["scheduled"]
    return req.reindex(plan.timestamps).fillna(0).to_numpy(float)
