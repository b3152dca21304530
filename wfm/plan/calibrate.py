"""The routing model held to the simulator before the roster is built.

The roster MILP meets each queue's period target on the routing model's service curves (:mod:`wfm.routing`).
For a group serving several queues that model is an approximation, and the plan is judged by simulation
(:mod:`wfm.plan.proof`), so before rostering the plan measures how far the model is from the simulator on
the week it plans:

1. each ``objective``-routed group's objectives are tuned to the forecast
   (:func:`wfm.routing.tune_objectives`);
2. a staffing profile close to the one the roster will give (per interval, the fewest agents meeting every
   queue's targets under the routing model) is simulated ``replications`` times;
3. on each day that a queue judged over a day or week is simulated below the model's figure, the shortfall
   (plus ``SAFETY``) becomes that day's *margin*: the roster meets the target plus the margin on the model's
   curves (:func:`wfm.roster.roster`), so that the simulated service meets the target itself;
4. the objectives are tuned again to the raised targets (and, when that moves them, the margins measured
   again under them) and fixed in the config the roster, the service table and the proof all use (the ACD
   is set to them: ``summary.md`` lists them).

The service table still judges each queue's own target. Deterministic: fixed seed and replications.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from wfm import routing
from wfm.config import CentreConfig
from wfm.simulate import simulate
from wfm.staffing import group_load, group_objectives, pool_queues

REPLICATIONS = 40
SAFETY = 0.003  # service-level points added to a margin: the simulated figure has noise too
MAX_MARGIN = 0.05


@dataclass
class Calibration:
    """The config with every objective-routed group's objectives fixed; the margins (service-level points added
    to the period targets) by queue and date; per queue and date the model's and the simulator's service level
    on the profile (``figures[queue][date] = {"model", "simulated"}``, and ``"week"`` for the horizon)."""

    config: CentreConfig
    margins: dict[str, dict[str, float]] = field(default_factory=dict)
    figures: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)
    objectives: dict[str, dict[str, float]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"margins": self.margins, "objectives": self.objectives, "profile": self.figures}


def calibrate(staffing: pd.DataFrame, forecast: pd.DataFrame, config: CentreConfig, *,
              replications: int = REPLICATIONS, seed: int = 0) -> Calibration:
    """Objectives and margins for ``config``'s staff groups on ``staffing`` (module docstring); groups with one
    queue, or whose queues are all judged per interval, need none. A queue's margin is per date: the model's
    error differs between a busy weekday and a quiet Sunday."""
    groups = [g for g in dict.fromkeys(q.staff_group for q in config.queues)
              if sum(q.staff_group == g for q in config.queues) > 1]
    judged = [q.name for q in config.queues if q.service_level_period != "interval" and q.staff_group in groups]
    fixed = _fix_objectives(staffing, config, groups, {})
    if not judged or replications <= 0:
        return Calibration(fixed, objectives=_objectives_of(fixed, groups))
    margins, figures = _measure(staffing, forecast, fixed, judged, replications, seed)
    if not margins:
        return Calibration(fixed, margins, figures, _objectives_of(fixed, groups))
    final = _fix_objectives(staffing, config, groups, margins)
    if _objectives_of(final, groups) != _objectives_of(fixed, groups):
        # the raised targets moved the objectives: measure the model again under the ones the roster will use
        margins, figures = _measure(staffing, forecast, final, judged, replications, seed)
    return Calibration(final, margins, figures, _objectives_of(final, groups))


def _measure(staffing: pd.DataFrame, forecast: pd.DataFrame, config: CentreConfig, judged: list[str],
             replications: int, seed: int) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, dict[str, float]]]]:
    """The margins (by queue and date) and the model's and simulator's figures on the requirement profile
    under ``config``'s routing."""
    profile, model = _profile(staffing, config, list(dict.fromkeys(q.staff_group for q in config.queues)))
    sim = simulate(config, forecast, agents=profile, replications=replications, seed=seed, source="calibration")
    days = sim.days.assign(date=pd.to_datetime(sim.days["date"]).dt.strftime("%Y-%m-%d"))
    simulated = days.set_index(["queue", "date"])["service_level"]
    weekly = sim.queues.set_index("queue")["service_level"]
    margins: dict[str, dict[str, float]] = {}
    figures: dict[str, dict[str, dict[str, float]]] = {}
    for name in judged:
        figures[name] = {"week": {"model": round(model[name]["week"], 4), "simulated": round(float(weekly[name]), 4)}}
        for date, promised in model[name].items():
            if date == "week" or (name, date) not in simulated.index:
                continue
            got = float(simulated[(name, date)])
            figures[name][date] = {"model": round(promised, 4), "simulated": round(got, 4)}
            if promised > got:
                margins.setdefault(name, {})[date] = round(float(min(promised - got + SAFETY, MAX_MARGIN)), 4)
    return margins, figures


def _fix_objectives(staffing: pd.DataFrame, config: CentreConfig, groups: list[str],
                    margins: dict[str, dict[str, float]]) -> CentreConfig:
    """``config`` with each objective-routed group's objectives tuned to the day targets raised by ``margins``
    and written into its ``[[staff_groups]]`` entry (objectives the config gives are kept)."""
    specs = []
    for spec in config.staff_groups:
        if spec.name in groups and spec.routing == "objective" and spec.objectives is None:
            tuned = group_objectives(pool_queues(staffing, config, spec.name), config, spec.name, margins)
            spec = spec.model_copy(update={"objectives": tuned})
        specs.append(spec)
    return config.model_copy(update={"staff_groups": specs})


def _objectives_of(config: CentreConfig, groups: list[str]) -> dict[str, dict[str, float]]:
    return {g.name: dict(g.objectives) for g in config.staff_groups if g.name in groups and g.objectives}


def _profile(staffing: pd.DataFrame, config: CentreConfig, groups: list[str]
             ) -> tuple[pd.DataFrame, dict[str, dict[str, float]]]:
    """Per group and interval the fewest agents taking calls that meet every queue's targets under the routing
    model, as an agents-per-interval frame, and each queue's calls-weighted service level on it by the model,
    per date and over the horizon (``"week"``)."""
    frames = []
    model: dict[str, dict[str, float]] = {}
    for group in groups:
        pool = pool_queues(staffing, config, group)
        load = group_load(pool, config, group)
        agents = routing.required_agents(load)
        m = routing.group_metrics(load, agents.astype(float))
        dates = pd.Index(pool.timestamps.strftime("%Y-%m-%d"))
        for k, q in enumerate(load.queues):
            calls = pd.Series(load.volume[k], index=dates)
            served = pd.Series(load.volume[k] * m.service_level[k], index=dates)
            by_day = (served.groupby(level=0).sum() / calls.groupby(level=0).sum()).dropna()
            model[q.name] = {str(d): float(v) for d, v in by_day.items()}
            model[q.name]["week"] = float(served.sum() / calls.sum()) if calls.sum() > 0 else 1.0
        frames.append(pd.DataFrame({"timestamp": pool.timestamps, "group": group, "agents": agents}))
    profile = pd.concat(frames, ignore_index=True)
    profile["agents"] = profile["agents"].astype(np.int64)
    return profile, model

