"""``wfm capacity``: the requirement per week, the least-cost hiring plan against it, its weekly table,
printout, JSON and chart, and sweeps over attrition, growth and AHT."""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from wfm.capacity.flows import Curves, curves, on_hand
from wfm.capacity.model import ContractTerms, Inputs, build
from wfm.capacity.settings import CapacityFile
from wfm.capacity.start import start_from
from wfm.config import CentreConfig
from wfm.errors import ConfigError, InputError

PathLike = str | os.PathLike[str]
# the hiring model is small and dense (each class in every later week's cover row): HiGHS's RINS and RENS
# sub-MIPs took over half its time without finding better plans (measured on configs/capacity.toml)
HIGHS_OPTIONS = {"mip_heuristic_run_rins": False, "mip_heuristic_run_rens": False}
SHORT_TOLERANCE = 0.01  # FTE: a week short by less is met (the solver's tolerances)
WEEK_COLUMNS = ["week", "required_fte", "effective_fte", "short_fte", "surplus_fte", "headcount", "training",
                "nesting", "mature", "hires", "classes", "decided", "leavers", "overtime_hours", "agency_hours",
                "cost", "peak"]


@dataclass
class CapacityPlan:
    """The plan per week (:data:`WEEK_COLUMNS`), its classes, totals and the solve's figures."""

    weeks: pd.DataFrame
    classes: pd.DataFrame  # start, decided, contract, size
    by_contract: pd.DataFrame  # week, contract, headcount, trainees, on_phones (past training)
    status: str
    objective: float
    lower_bound: float
    gap: float
    seconds: float
    source: str  # where the requirement came from: flat, history, forecast
    settings: dict[str, Any]
    notes: list[str] = field(default_factory=list)

    @property
    def total_cost(self) -> float:
        return float(self.weeks["cost"].sum())

    @property
    def hires_total(self) -> int:
        """People hired in classes starting inside the horizon."""
        return int(self.weeks["hires"].sum())

    @property
    def short_weeks(self) -> int:
        return int((self.weeks["short_fte"] > SHORT_TOLERANCE).sum())

    @property
    def exit_code(self) -> int:
        """0 when every week is covered, 1 when some week stays short."""
        return 1 if self.short_weeks else 0

    def to_dict(self) -> dict[str, Any]:
        from wfm.capacity.report import plan_to_dict

        return plan_to_dict(self)

    def render(self) -> str:
        from wfm.capacity.report import render_plan

        return render_plan(self)


def contract_terms(config: CentreConfig, cap: CapacityFile, c: Curves, weeks: int) -> list[ContractTerms]:
    """Each contract of the centre config: paid hours (the middle of its range), cost per paid hour, whether
    classes hire into it, and its people on hand per week."""
    if not config.contracts:
        raise ConfigError(f"{config.source}: no [[contracts]]: capacity plans people on the centre's contracts")
    names = [k.name for k in config.contracts]
    for h in cap.headcount:
        if h.contract not in names:
            raise ConfigError(f"{cap.source}: capacity.headcount contract {h.contract!r} is not a contract of "
                              f"{config.source} ({', '.join(names)})")
    hiring = cap.hiring.contracts
    if hiring is not None:
        unknown = [n for n in hiring if n not in names]
        if unknown:
            raise ConfigError(f"{cap.source}: capacity.hiring.contracts names {unknown[0]!r}, not a contract of "
                              f"{config.source} ({', '.join(names)})")
    out = []
    for k in config.contracts:
        lo, hi = k.hours_range
        heads = np.zeros(weeks)
        prod = np.zeros(weeks)
        train = np.zeros(weeks)
        for h in cap.headcount:
            if h.contract == k.name and h.agents:
                a, b, t = on_hand(c, h.agents, h.tenure_weeks, weeks)
                heads, prod, train = heads + a, prod + b, train + t
        out.append(ContractTerms(k.name, (lo + hi) / 2.0, k.cost_per_paid_hour,
                                 hiring is None or k.name in hiring, heads, prod, train))
    return out


def capacity(
    config: CentreConfig,
    cap: CapacityFile,
    *,
    history: PathLike | None = None,
    forecast: PathLike | None = None,
    weeks: int | None = None,
    attrition: float | None = None,
    growth: float | None = None,
    aht_factor: float | None = None,
    gap: float | None = None,
    time_limit_s: float | None = None,
) -> CapacityPlan:
    """The least-cost hiring plan over the capacity file's horizon (``weeks`` overrides its length;
    ``attrition``, ``growth`` and ``aht_factor`` its values, for sweeps)."""
    from wfm.capacity.outlook import weekly_requirement

    update: dict[str, Any] = {}
    if weeks is not None:
        update["weeks"] = int(weeks)
    if attrition is not None:
        update.update(attrition_update(cap, float(attrition)))
    if growth is not None:
        update["growth_per_year"] = float(growth)
    if gap is not None:
        update["gap"] = float(gap)
    if time_limit_s is not None:
        update["time_limit_s"] = float(time_limit_s)
    if update:
        cap = _with(cap, update)
    req = weekly_requirement(config, cap, history=history, forecast=forecast, aht_factor=aht_factor)
    return plan_for(config, cap, req.frame, req.source, list(req.notes))


def tail_weeks(cap: CapacityFile) -> int:
    """Weeks the model plans past the horizon (``[capacity] tail_weeks``; default lead time + training + nesting
    + 8), at the last week's requirement, so the horizon's last weeks are not left to run down because people
    hired for them would mostly be paid after it."""
    s = cap.capacity
    if s.tail_weeks is not None:
        return int(s.tail_weeks)
    h = s.hiring
    return h.lead_time_weeks + h.training_weeks + len(h.nesting_productivity) + 8


def inputs_for(config: CentreConfig, cap: CapacityFile, frame: pd.DataFrame) -> Inputs:
    """The model's inputs for a requirement frame: its weeks and :func:`tail_weeks` more at the last week's
    requirement and shrinkage, the tenure curves and the contracts."""
    settings = cap.capacity
    n, tail = len(frame), tail_weeks(cap)
    weeks = pd.date_range(pd.Timestamp(frame["week"].iloc[0]), periods=n + tail, freq="7D")
    required = np.concatenate([frame["required_fte"].to_numpy(float),
                               np.full(tail, float(frame["required_fte"].iloc[-1]))])
    shrinkage = np.concatenate([frame["shrinkage"].to_numpy(float), np.full(tail, float(frame["shrinkage"].iloc[-1]))])
    cur = curves(settings, n + tail)
    return Inputs(weeks, required, shrinkage, contract_terms(config, cap, cur, n + tail), cur, settings)


def plan_for(config: CentreConfig, cap: CapacityFile, frame: pd.DataFrame, source: str = "flat",
             notes: list[str] | None = None) -> CapacityPlan:
    """The least-cost plan against a requirement frame (``week, required_fte, shrinkage, peak`` per week),
    solved over the horizon and :func:`tail_weeks` more; the table and cost are the horizon's."""
    from wfm.milp import solve_highs

    settings = cap.capacity
    n = len(frame)
    inputs = inputs_for(config, cap, frame)
    tail = inputs.n - n
    weeks, contracts = inputs.weeks, inputs.contracts
    model = build(inputs)
    res = solve_highs(model.prob, time_limit_s=settings.time_limit_s, gap=settings.gap, highs_options=HIGHS_OPTIONS,
                      lp_first=True, start_from_lp=lambda: start_from(model))
    if not res.has_solution:
        raise InputError(f"{cap.source}: the hiring plan found no solution ({res.status}); check the capacity "
                         "file's limits")
    x = np.zeros((len(contracts), n + tail))
    for (c, s), var in model.x.items():
        x[c, s] = round(var.value() or 0.0)
    overtime = np.array([v.value() or 0.0 for v in model.overtime])
    agency = np.array([v.value() or 0.0 for v in model.agency])
    peak = np.concatenate([frame["peak"].to_numpy(bool), np.zeros(tail, dtype=bool)])
    table, classes, by_contract = weekly_table(inputs, x, overtime, agency, peak)
    end = weeks[n - 1]
    table = table.iloc[:n].reset_index(drop=True)
    by_contract = by_contract[by_contract["week"] <= end].reset_index(drop=True)
    # classes decided inside the horizon are the plan's decisions, even those starting after it
    classes = classes[classes["decided"] <= end].reset_index(drop=True)
    notes = list(notes or [])
    later = classes[classes["start"] > end]
    if len(later):
        notes.append(f"{len(later)} class(es) of {int(later['size'].sum())} decided in the horizon start after it "
                     f"(first {later['start'].min():%Y-%m-%d})")
    plan = CapacityPlan(table, classes, by_contract, res.status, res.objective, res.lower_bound, res.gap, res.seconds,
                        source, {**_settings(cap), "tail_weeks": tail}, notes)
    return plan


def attrition_update(cap: CapacityFile, rate: float) -> dict[str, Any]:
    """[capacity] at another yearly attrition: the base rate, and each tenure band at least that (new hires
    never leave slower than everyone else; a band above it stays as the file says)."""
    bands = [{"weeks": b.weeks, "attrition_per_year": max(b.attrition_per_year, rate)}
             for b in cap.capacity.attrition_by_tenure]
    return {"attrition_per_year": rate, "attrition_by_tenure": bands}


def _with(cap: CapacityFile, update: dict[str, Any]) -> CapacityFile:
    """A copy with ``update`` in [capacity], checked as the file is."""
    from pydantic import ValidationError

    from wfm.config import describe_validation_error

    data = cap.model_dump()
    data["capacity"].update(update)
    try:
        out = CapacityFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{cap.source}: {describe_validation_error(exc, data)}") from None
    out.source = cap.source
    return out


def weekly_table(inputs: Inputs, x: np.ndarray, overtime: np.ndarray, agency: np.ndarray, peak: np.ndarray
                 ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The plan per week from the class sizes ``x`` (contracts x start weeks) and the hours: people by tenure
    band (training, nesting, mature: on hand and hired), FTE on the phones, short and surplus, hires, leavers
    and cost (wages, hiring, training, overtime, agency, shortfall penalty)."""
    cap, cur, n = inputs.cap, inputs.curves, inputs.n
    h = cap.hiring
    nest = len(h.nesting_productivity)
    k = np.arange(n)
    lag = k[:, None] - k[None, :]  # t - s
    valid = lag >= 0
    lag_c = np.where(valid, lag, 0)

    def conv(curve: np.ndarray, xs: np.ndarray) -> np.ndarray:
        return (np.where(valid, curve[lag_c], 0.0) * xs[None, :]).sum(axis=1)

    in_training = (k < h.training_weeks).astype(float)
    nesting = ((k >= h.training_weeks) & (k < h.training_weeks + nest)).astype(float)
    heads = np.zeros(n)
    training = np.zeros(n)
    nesting_heads = np.zeros(n)
    productive_fte = np.zeros(n)
    wages = np.zeros(n)
    trainee_weeks = np.zeros(n)
    leavers = np.zeros(n)
    per_contract = []
    for c, ct in enumerate(inputs.contracts):
        xs = x[c]
        hc = ct.heads0 + conv(cur.survival, xs)
        tr = ct.trainees0 + conv(cur.survival * in_training[: len(cur.survival)], xs)
        ne = conv(cur.survival * nesting[: len(cur.survival)], xs)
        pr = ct.productive0 + conv(cur.survival * cur.productivity, xs)
        heads += hc
        training += tr
        nesting_heads += ne
        productive_fte += pr * ct.hours / cap.fte_hours
        wages += ct.rate * ct.hours * hc
        trainee_weeks += tr
        nxt = np.append(ct.heads0[1:], ct.heads0[-1] * _keep(ct.heads0))
        leavers += (ct.heads0 - nxt) + conv(cur.leaving, xs)
        per_contract.append(pd.DataFrame({"week": inputs.weeks, "contract": ct.name, "headcount": hc,
                                          "trainees": tr, "on_phones": hc - tr}))
    effective = (1.0 - inputs.shrinkage) * productive_fte + (overtime + agency) / cap.fte_hours
    short = np.maximum(inputs.required - effective, 0.0)
    hires = x.sum(axis=0)
    cost = (wages + h.training_cost_per_week * trainee_weeks + h.cost_per_hire * hires
            + cap.overtime_cost_per_hour * overtime + cap.agency_cost_per_hour * agency
            + cap.short_penalty_per_fte_week * short)
    names = [ct.name for ct in inputs.contracts]
    classes = pd.DataFrame([{"start": inputs.weeks[s], "decided": inputs.weeks[s] - pd.Timedelta(weeks=h.lead_time_weeks),
                             "contract": names[c], "size": int(x[c, s])}
                            for s in range(n) for c in range(len(names)) if x[c, s] > 0],
                           columns=["start", "decided", "contract", "size"])
    label = ["; ".join(f"{names[c]} {int(x[c, s])}" for c in range(len(names)) if x[c, s] > 0) for s in range(n)]
    decided = [f"{inputs.weeks[s] - pd.Timedelta(weeks=h.lead_time_weeks):%Y-%m-%d}" if hires[s] > 0 else ""
               for s in range(n)]
    table = pd.DataFrame({
        "week": inputs.weeks, "required_fte": inputs.required, "effective_fte": effective, "short_fte": short,
        "surplus_fte": np.maximum(effective - inputs.required, 0.0), "headcount": heads, "training": training,
        "nesting": nesting_heads, "mature": heads - training - nesting_heads, "hires": hires.astype(int),
        "classes": label, "decided": decided, "leavers": leavers, "overtime_hours": overtime,
        "agency_hours": agency, "cost": cost, "peak": peak,
    })
    return table[WEEK_COLUMNS], classes, pd.concat(per_contract, ignore_index=True)


def _keep(heads0: np.ndarray) -> float:
    """The last week's retention of the people on hand (to count their leavers in it)."""
    if len(heads0) >= 2 and heads0[-2] > 0:
        return float(heads0[-1] / heads0[-2])
    return 1.0


def _settings(cap: CapacityFile) -> dict[str, Any]:
    s = cap.capacity
    return {"start": f"{s.start}", "weeks": s.weeks, "attrition_per_year": s.attrition_per_year,
            "growth_per_year": s.growth_per_year, "lead_time_weeks": s.hiring.lead_time_weeks,
            "training_weeks": s.hiring.training_weeks, "class_min": s.hiring.class_min,
            "class_max": s.hiring.class_max, "max_classes": s.hiring.max_classes, "gap": s.gap}


# --------------------------------------------------------------------------- sweeps
SWEEPABLE = ("attrition", "growth", "aht")


def parse_sweep(text: str) -> tuple[str, list[float]]:
    """``name=lo:hi[:points]`` (points evenly spaced, 9 by default; attrition geometrically, its values span
    orders of magnitude) or ``name=v1,v2,...``; name one of :data:`SWEEPABLE`."""
    name, sep, spec = text.partition("=")
    name = name.strip()
    if not sep or name not in SWEEPABLE:
        raise InputError(f"--sweep {text}: give NAME=LO:HI[:POINTS] or NAME=V1,V2,... with NAME one of "
                         f"{', '.join(SWEEPABLE)}")
    try:
        if ":" in spec:
            parts = [float(p) for p in spec.split(":")]
            if len(parts) not in (2, 3):
                raise ValueError
            lo, hi, points = parts[0], parts[1], (parts[2] if len(parts) == 3 else 9)
            if points != int(points) or not 2 <= points <= 50 or hi <= lo:
                raise ValueError
            points = int(points)
            if name == "attrition" and lo > 0:
                values = list(np.geomspace(lo, hi, points))
            else:
                values = list(np.linspace(lo, hi, points))
        else:
            values = [float(v) for v in spec.split(",")]
            if not values or len(values) > 50:
                raise ValueError
    except ValueError:
        raise InputError(f"--sweep {text}: give NAME=LO:HI[:POINTS] (LO < HI, 2 to 50 points) or NAME=V1,V2,..."
                         ) from None
    if not all(math.isfinite(v) for v in values):
        raise InputError(f"--sweep {text}: every value must be a finite number")
    return name, [round(v, 6) for v in values]


def sweep(config: CentreConfig, cap: CapacityFile, name: str, values: list[float], *, workers: int = 1,
          cluster: str | None = None, progress: Callable[[int, int], None] | None = None, **kw: Any) -> pd.DataFrame:
    """Re-solve for each value: hires, classes, cost, FTE short and the solve's gap per value (each within
    ``gap``, default ``[capacity] sweep_gap``). The points run on :func:`wfm.parallel.map_jobs` (``workers``,
    ``cluster``): the same table wherever they run."""
    from wfm.capacity.outlook import weekly_requirement
    from wfm.parallel import engine_of, map_jobs

    engine_of(workers, cluster)  # bad options before any work
    if kw.get("gap") is None:  # a sweep compares its points: each proven within [capacity] sweep_gap
        kw = {**kw, "gap": cap.capacity.sweep_gap}
    fixed = None
    if name == "attrition":  # the requirement does not move with attrition: made once
        base = _with(cap, {k: v for k, v in (("weeks", kw.get("weeks")), ("gap", kw.get("gap")),
                                              ("time_limit_s", kw.get("time_limit_s"))) if v is not None})
        req = weekly_requirement(config, base, history=kw.get("history"), forecast=kw.get("forecast"))
        fixed = (base, req.frame, req.source, list(req.notes))
    rows = map_jobs(_sweep_point, values, workers=workers, cluster=cluster, progress=progress,
                    shared=(config, cap, name, kw, fixed))
    return pd.DataFrame(rows)


def _sweep_point(v: float, shared: tuple) -> dict[str, Any]:
    """One sweep value's plan, as a row of the sweep's table (``shared``: what every point reads)."""
    config, cap, name, kw, fixed = shared
    if fixed is not None:
        base, frame, source, notes = fixed
        plan = plan_for(config, _with(base, attrition_update(base, v)), frame, source, notes)
    else:
        arg = {"growth": {"growth": v}, "aht": {"aht_factor": v}}[name]
        plan = capacity(config, cap, **kw, **arg)
    a = plan.settings["attrition_per_year"]
    return {name: v, "hires": plan.hires_total,
            "classes": int((plan.classes["start"] <= plan.weeks["week"].iloc[-1]).sum()) if len(plan.classes) else 0,
            "hires_per_month": plan.hires_total / (len(plan.weeks) * 12 / 52),
            "stand_still_per_month": a * float(plan.weeks["headcount"].mean()) / 12,
            "leavers": float(plan.weeks["leavers"].sum()), "cost": plan.total_cost,
            "short_weeks": plan.short_weeks, "short_fte_weeks": float(plan.weeks["short_fte"].sum()),
            "gap": plan.gap, "status": plan.status}


# --------------------------------------------------------------------------- back to the week
def agents_for_week(plan: CapacityPlan, config: CentreConfig, cap: CapacityFile, week: str) -> pd.DataFrame:
    """agents.csv (``agent_id, contract``) for one week of the plan: per contract its people on the phones
    that week (everyone past training, rounded down: the plan's expected people, not more), so `wfm plan
    --agents` never rosters people the capacity plan does not have. Ids ``CAP-<contract>-<nnn>``."""
    try:
        monday = pd.Timestamp(week)
    except (ValueError, TypeError):
        raise InputError(f"--agents-week {week}: not a date (YYYY-MM-DD, a Monday of the plan)") from None
    weeks = pd.DatetimeIndex(plan.weeks["week"])
    if monday not in weeks:
        raise InputError(f"--agents-week {week}: not a Monday of the plan ({weeks[0]:%Y-%m-%d} to "
                         f"{weeks[-1]:%Y-%m-%d})")
    people = plan.by_contract.loc[plan.by_contract["week"] == monday]
    rows = []
    for r in people.to_dict(orient="records"):
        n = int(math.floor(r["on_phones"] + 1e-9))
        rows += [{"agent_id": f"CAP-{r['contract']}-{i:03d}", "contract": r["contract"]} for i in range(1, n + 1)]
    return pd.DataFrame(rows, columns=["agent_id", "contract"])
