"""One scenario end to end (:func:`run_scenario`), and the baseline plus every scenario or sweep point
(:func:`whatif`), in worker processes if asked."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from wfm import milp
from wfm import ratio as ratio_mod
from wfm.config import CentreConfig
from wfm.errors import ConfigError, InputError
from wfm.parallel import engine_of, map_jobs
from wfm.staffing import staff, staffing_requirement
from wfm.whatif import report
from wfm.whatif.impact import Impact, WhatifBase, assess_cover, make_plan, rostered, row_presence
from wfm.whatif.people import people
from wfm.whatif.recovery import Recovery, recover, reoptimise
from wfm.whatif.scenario import MAX_MULTIPLIER, AbsenceShock, AhtShock, Scenario, VolumeShock, validate
from wfm.whatif.shocks import apply_shocks

SWEEP_KEYS = ("volume", "aht", "absence")


@dataclass
class ScenarioResult:
    """Baseline or one scenario: impact before recovery, the recovery and the impact after it."""

    name: str
    before: Impact
    after: Impact
    recovery: Recovery
    ratio: ratio_mod.RatioResult | None = None
    sweep: dict[str, float] | None = None

    @property
    def breached(self) -> bool:
        """True when some interval is still short after recovery."""
        return self.after.short_intervals > 0

    def to_dict(self, detail: bool = True) -> dict[str, Any]:
        return report.scenario_to_dict(self, detail)


@dataclass
class WhatIfResult:
    """The baseline, every scenario (or every sweep point), in order."""

    baseline: ScenarioResult
    scenarios: list[ScenarioResult]
    sweep_key: str | None = None
    plan_start: str = ""
    plan_end: str = ""
    notes: list[str] = field(default_factory=list)
    published: pd.DataFrame | None = None  # the roster the what-if ran on (roster_before.csv)

    @property
    def breached(self) -> bool:
        return any(s.breached for s in self.scenarios)

    @property
    def breaches(self) -> list[str]:
        """One line per scenario (or sweep point) still short after recovery: its name, the intervals still
        short and their first spans (what ``wfm whatif`` prints on stderr on exit 1, ``--quiet`` or not)."""
        return [report.breach_line(self, s) for s in self.scenarios if s.breached]

    @property
    def exit_code(self) -> int:
        """0 when every scenario is fully recovered, 1 when some interval is still short after recovery."""
        return 1 if self.breached else 0

    def comparison(self) -> pd.DataFrame:
        return report.comparison(self)

    def intervals(self) -> pd.DataFrame:
        return report.intervals_table(self)

    def sweep_table(self) -> pd.DataFrame:
        return report.sweep_table(self)

    def to_dict(self) -> dict[str, Any]:
        return report.result_to_dict(self)


def run_scenario(
    plan: WhatifBase,
    scenario: Scenario,
    *,
    time_limit_s: float = 30.0,
    gap: float = 1e-3,
    sweep: dict[str, float] | None = None,
) -> ScenarioResult:
    """Shock, size, assess the published roster, recover, assess again, and the ratio while redeployed."""
    shocked = apply_shocks(plan, scenario)
    staffing = staff(shocked.forecast, plan.config, plan.interval_minutes)
    req = staffing_requirement(staffing, plan.config).set_index("timestamp")["scheduled"]
    required = req.reindex(plan.timestamps).fillna(0).to_numpy(float)
    crew = people(plan.shifts, plan.dates, shocked.absence)
    base = np.minimum(rostered(plan, row_presence(plan, crew)), shocked.seats)
    before = assess_cover(staffing, base, required, plan)
    name = scenario.name + "".join(f" {k}={v:g}" for k, v in (sweep or {}).items())
    with milp.stage(f"{name}: recovery"):
        rec = recover(plan, scenario, staffing, required, base, shocked, crew, time_limit_s=time_limit_s, gap=gap)
    with milp.stage(f"{name}: re-roster"):
        rec = reoptimise(plan, scenario, staffing, required, shocked, rec, time_limit_s=time_limit_s, gap=gap)
    after = before if rec.status in ("not_needed", "no_levers") else assess_cover(staffing, rec.rostered, required, plan)
    ratio_result = None
    if scenario.levers.back_office is not None and rec.back_office_peak > 0:
        ratio_result = redeploy_ratio(plan, rec.back_office_peak)
    return ScenarioResult(scenario.name, before, after, rec, ratio_result, sweep)


def redeploy_ratio(plan: WhatifBase, moved: int) -> ratio_mod.RatioResult:
    """Front-line : back-office ratio with ``moved`` back-office people on the phones (front line from the roster)."""
    front = ratio_mod.front_line_from_roster(plan.roster, plan.config)
    return ratio_mod.move_to_phones(plan.config, moved, front_line=front, basis="headcount")


# =========================================================================== sweeps
MAX_SWEEP = 200  # values of one --sweep


def parse_sweep(text: str) -> tuple[str, list[float]]:
    """``"volume=1.0:3.0:0.25"`` -> ``("volume", [1.0, 1.25, ..., 3.0])`` (end included); also ``aht=``,
    ``absence=`` or a list ``volume=1.5,2,2.5``."""
    m = re.match(r"^\s*([a-z_]+)\s*=\s*(.+)$", text or "")
    if not m:
        raise InputError(f"--sweep: {text!r} is not KEY=START:STOP:STEP (e.g. volume=1.0:3.0:0.25)")
    key, spec = m.group(1), m.group(2).strip()
    if key not in SWEEP_KEYS:
        raise InputError(f"--sweep: unknown key {key!r} (use one of: {', '.join(SWEEP_KEYS)})")
    try:
        values = _sweep_values(text, spec)
    except ValueError:
        raise InputError(f"--sweep: {text!r} is not KEY=START:STOP:STEP (e.g. volume=1.0:3.0:0.25)") from None
    if len(values) > MAX_SWEEP:
        raise InputError(f"--sweep: {text!r} gives {len(values)} values (at most {MAX_SWEEP})")
    bad = [v for v in values if v < 0 or not math.isfinite(v) or (key == "absence" and v >= 1) or (key == "aht" and v <= 0)
           or (key != "absence" and v > MAX_MULTIPLIER)]
    if bad:
        limits = {"volume": f"0 to {MAX_MULTIPLIER:,.0f}", "aht": f"above 0, at most {MAX_MULTIPLIER:,.0f}",
                  "absence": "0 to less than 1"}
        raise InputError(f"--sweep: {key}={bad[0]:g} is out of range ({key} must be {limits[key]})")
    return key, values


def _sweep_values(text: str, spec: str) -> list[float]:
    if ":" not in spec:
        return [float(x) for x in spec.split(",")]
    parts = [float(x) for x in spec.split(":")]
    if len(parts) != 3:
        raise ValueError
    lo, hi, step = parts
    if not all(math.isfinite(v) for v in parts) or step <= 0 or hi < lo:
        raise InputError(f"--sweep: {text!r} needs finite START <= STOP and STEP > 0")
    count = (hi - lo) / step + 1e-9
    if count >= MAX_SWEEP:  # bounded before the list is built
        many = f"{math.floor(count) + 1:,.0f}" if math.isfinite(count) else "more than 10^308"
        raise InputError(f"--sweep: {text!r} gives {many} values (at most {MAX_SWEEP})")
    return [round(lo + i * step, 10) for i in range(int(math.floor(count)) + 1)]


def swept(scenario: Scenario, key: str, value: float, plan: WhatifBase) -> Scenario:
    """The scenario with its ``key`` shock set to ``value``: the volume/AHT multiplier at full strength, or
    the absence share. A scenario without such a shock gets one over the whole plan."""
    whole = {"start": f"{plan.start:%Y-%m-%d %H:%M}", "end": f"{plan.end:%Y-%m-%d %H:%M}"}
    if key == "volume":
        shocks = [v for v in scenario.volume if v.multiplier is not None]
        new = [v.model_copy(update={"multiplier": value}) for v in shocks] or [VolumeShock(multiplier=value, **whole)]
        return scenario.model_copy(update={"volume": new + [v for v in scenario.volume if v.multiplier is None]})
    if key == "aht":
        new = [a.model_copy(update={"multiplier": value}) for a in scenario.aht] or [AhtShock(multiplier=value, **whole)]
        return scenario.model_copy(update={"aht": new})
    new_ab = [a.model_copy(update={"share": value}) for a in scenario.absence] or [AbsenceShock(share=value, **whole)]
    return scenario.model_copy(update={"absence": new_ab})


# =========================================================================== all of them
def _run_shared(task: tuple, plan: WhatifBase) -> ScenarioResult:
    """One scenario (or sweep point) on the plan every task shares (a job of :func:`wfm.parallel.map_jobs`)."""
    scenario, kwargs = task
    return run_scenario(plan, scenario, **kwargs)


def whatif(
    config: CentreConfig,
    scenarios: Sequence[Scenario],
    forecast: pd.DataFrame,
    roster: pd.DataFrame,
    *,
    sweep: str | None = None,
    workers: int = 1,
    cluster: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    time_limit_s: float = 30.0,
    gap: float = 1e-3,
    source: str = "<scenarios>",
) -> WhatIfResult:
    """Run the baseline and every scenario (or every scenario at every sweep value) on the published roster.

    ``forecast``: ``timestamp,queue,volume[,aht]``; ``roster``: roster.csv rows. The scenarios run on
    :func:`wfm.parallel.map_jobs`: ``workers`` > 1 on a local Dask cluster of that many processes, ``cluster``
    a scheduler's address (or ``"local"``); results are identical and in the same order wherever they run.
    ``progress(done, total)`` is called as scenarios finish.
    """
    engine_of(workers, cluster)  # bad options before any work
    plan = make_plan(config, forecast, roster)
    validate(list(scenarios), config, plan.start, plan.end, source)
    kwargs = {"time_limit_s": time_limit_s, "gap": gap}
    tasks: list[tuple[WhatifBase, Scenario, dict]] = [(plan, Scenario.model_construct(name="baseline"), kwargs)]
    key = None
    if sweep:
        key, values = parse_sweep(sweep)
        tasks += [(plan, swept(s, key, v, plan), {**kwargs, "sweep": {key: v}}) for s in scenarios for v in sorted(values)]
    else:
        tasks += [(plan, s, kwargs) for s in scenarios]
    for _, s, kw in tasks[1:]:  # every shocked forecast within the sizes wfm sizes, before any solve
        try:
            apply_shocks(plan, s)
        except ConfigError as exc:
            at = "".join(f" (--sweep {k}={v:g})" for k, v in (kw.get("sweep") or {}).items())
            raise ConfigError(f"{source}: {exc}{at}") from None
    # the plan (forecast, roster, curves) is every task's: sent to each worker once
    results = map_jobs(_run_shared, [(s, kw) for _, s, kw in tasks], workers=workers, cluster=cluster,
                       progress=progress, shared=plan)
    return WhatIfResult(results[0], results[1:], key, f"{plan.start:%Y-%m-%d %H:%M}", f"{plan.end:%Y-%m-%d %H:%M}",
                        published=plan.roster.drop(columns=["_line"], errors="ignore"))


def select_scenarios(scenarios: Sequence[Scenario], names: Sequence[str] | None, source: str) -> list[Scenario]:
    """The scenarios named (``--scenario``), in the file's order; all when none is named. An unknown name is an
    InputError listing the file's."""
    if not names:
        return list(scenarios)
    known = [s.name for s in scenarios]
    for n in names:
        if n not in known:
            raise InputError(f"--scenario: {source} has no scenario {n!r} (it has: {', '.join(known)})")
    return [s for s in scenarios if s.name in set(names)]


def folder_name(name: str) -> str:
    """A scenario's (or sweep point's) name as one folder name: letters, digits, ``.``, ``_``, ``-``, ``=``."""
    out = re.sub(r"[^A-Za-z0-9._=-]+", "_", name).strip("._") or "scenario"
    return out[:100]


def write_recovery_dirs(result: WhatIfResult, folder: Any) -> list[str]:
    """Each scenario's recovery by name into ``folder/<scenario>/`` (a sweep point: ``<scenario>-<key>=<value>``):
    ``recovery.csv``, ``roster_after.csv`` and ``roster_before.csv`` (the roster the what-if ran on), published
    as one set with ``recovery.manifest.json`` (:func:`wfm.outputs.publish_files`). Returns the folders."""
    from pathlib import Path

    from wfm.outputs import publish_files

    def csv(frame: pd.DataFrame) -> bytes:
        return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")

    out = []
    seen: set[str] = set()
    for s in result.scenarios:
        named = s.recovery.named
        if named is None:
            continue
        name = s.name + "".join(f"-{k}={v:g}" for k, v in (s.sweep or {}).items())
        sub = folder_name(name)
        if sub in seen:
            raise InputError(f"--recovery-dir: two scenarios would share the folder {sub!r}; rename one")
        seen.add(sub)
        target = Path(folder) / sub
        publish_files(target, {"recovery.csv": csv(named.recovery), "roster_after.csv": csv(named.roster_after),
                               "roster_before.csv": csv(result.published if result.published is not None
                                                        else pd.DataFrame())}, "recovery.manifest.json")
        out.append(str(target))
    return out
