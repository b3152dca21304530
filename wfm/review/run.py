"""A plan's forecast against what happened (``wfm review``, step 2 of issue 15): read a `wfm plan` run folder and
the actuals for its dates, and score the forecast (:func:`wfm.review.accuracy.score`).

- **The run folder** must be a whole `wfm plan` run: its ``manifest.json`` names ``forecast.csv`` with a sha256
  the file still has (a folder without one, or with an edited or half-written forecast, is an InputError).
- **The actuals** are a history file (the format `wfm forecast` reads), cleaned on the config's grid and time
  zone with nothing excluded (a holiday's calls are what happened). The seasonal naive of each interval is the
  actual of the same interval a week before, when the file holds it (else MASE is NaN, with a note).
- **Coverage**: the run's days the actuals do not cover are named in one note with the covered range; scoring
  uses what is there, never zeros for what is missing.
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from wfm.config import CentreConfig, ReviewSettings
from wfm.errors import InputError
from wfm.review.accuracy import score
from wfm.run_folder import run_file, run_manifest  # noqa: F401 - the review's readers (run_manifest: re-exported)

PathLike = str | os.PathLike[str]


@dataclass
class ForecastReview:
    """The forecast's scores (:data:`wfm.review.accuracy.COLUMNS`) and notes on what was scored."""

    scores: pd.DataFrame
    first: pd.Timestamp
    last: pd.Timestamp
    notes: list[str] = field(default_factory=list)


@dataclass
class Review:
    """A run reviewed against the actuals (:func:`review`); tables described where they are made."""

    run: str
    first: pd.Timestamp
    last: pd.Timestamp
    covered: pd.DatetimeIndex  # the run's days the actuals cover (the only ones scored)
    forecast: pd.DataFrame  # volume accuracy, wfm.review.accuracy.COLUMNS
    aht: pd.DataFrame  # AHT accuracy, AHT_COLUMNS
    by_day: pd.DataFrame  # queue, date, actual, forecast, wape, bias
    by_hour: pd.DataFrame  # queue, hour, actual, forecast, wape, bias
    need_days: pd.DataFrame  # date, required_planned, required_actual, rostered, over, short, ... (hours)
    need_hours: pd.DataFrame  # hour, the same
    service: pd.DataFrame  # date (NaT: all covered days), queue, target, planned, actual, ...
    causes: pd.DataFrame  # date, planned, actual, miss, volume, aht, staffing, other; worst first
    source: str  # "acd" or "estimated"
    adherence: bool
    intervals: pd.DataFrame  # timestamp, forecast, actual, p10, p90 (all queues, for the chart)
    settings: ReviewSettings
    weeks: pd.DataFrame  # accuracy.csv rows (wfm.review.trend.ACCURACY_COLUMNS)
    notes: list[str] = field(default_factory=list)

    @property
    def breaches(self) -> list[dict]:
        """Queues (and the total) whose volume WAPE over the covered days, at ``[review] wape_level``, is above
        ``[review] max_wape``."""
        s = self.settings
        if s.max_wape is None:
            return []
        rows = self.forecast[(self.forecast["level"] == s.wape_level) & (self.forecast["wape"] > s.max_wape)]
        return [{"queue": r.queue, "level": s.wape_level, "wape": float(r.wape), "max_wape": s.max_wape}
                for r in rows.itertuples()]

    @property
    def exit_code(self) -> int:
        """1 when a queue's forecast is less accurate than ``[review] max_wape`` allows (cron alerts), else 0."""
        return 1 if self.breaches else 0

    def to_dict(self) -> dict:
        from wfm.review.report import review_to_dict

        return review_to_dict(self)

    def render(self) -> str:
        from wfm.review.report import render_review

        return render_review(self)


REPLICATIONS = 5  # of the simulator, for the estimated service (the calls are the actual ones: little spread)


def read_run_forecast(run: PathLike) -> pd.DataFrame:
    """forecast.csv of a whole `wfm plan` run folder (``timestamp, queue, volume, aht, volume_p10, volume_p90``)."""
    from wfm.io import read_forecast

    return read_forecast(run_file(run, "forecast.csv"))


def forecast_frame(fc: pd.DataFrame, history, actuals: PathLike) -> tuple[pd.DataFrame, pd.DatetimeIndex, list[str]]:
    """The run's forecast (``timestamp, queue, forecast, forecast_aht, p10, p90``) beside the actuals
    (``actual, actual_aht``) and the seasonal naive (``naive``: the actuals a week before), on the data grid,
    over the run's days the actuals cover (the covered days are returned; the notes say what was left out).
    InputError when they cover none of them."""
    from wfm.review.actuals import history_frame

    ts = pd.to_datetime(fc["timestamp"])
    first, last = ts.min(), ts.max()
    act = history_frame(history, list(dict.fromkeys(fc["queue"]))).rename(
        columns={"volume": "actual", "aht": "actual_aht"})
    naive = act[["timestamp", "queue", "actual"]].assign(timestamp=act["timestamp"] + pd.Timedelta(days=7)).rename(
        columns={"actual": "naive"})
    frame = fc.rename(columns={"volume": "forecast", "volume_p10": "p10", "volume_p90": "p90", "aht": "forecast_aht"})
    frame["timestamp"] = ts
    frame = frame.merge(act, on=["timestamp", "queue"], how="left").merge(naive, on=["timestamp", "queue"],
                                                                          how="left")
    notes: list[str] = []
    days = frame["timestamp"].dt.normalize()
    known = frame.groupby(days)["actual"].apply(lambda s: s.notna().any())
    if not known.any():
        raise InputError(f"{actuals}: no actuals for the run's days ({first:%Y-%m-%d} to {last:%Y-%m-%d})")
    covered = pd.DatetimeIndex(known[known].index)
    if not known.all():
        notes.append(f"{actuals}: actuals for {covered[0]:%Y-%m-%d} to {covered[-1]:%Y-%m-%d} ({len(covered)} of "
                     f"the run's {len(known)} days, {first:%Y-%m-%d} to {last:%Y-%m-%d}); the rest is not scored")
    if frame["naive"].isna().all():
        notes.append(f"{actuals}: no actuals a week before the run, so no seasonal naive: MASE is n/a")
    return frame[days.isin(covered)].reset_index(drop=True), covered, notes


def _scored(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns :func:`wfm.review.accuracy.score` reads."""
    return frame[["timestamp", "queue", "actual", "forecast", "naive"] + [c for c in ("p10", "p90") if c in frame]]


def review_forecast(run: PathLike, actuals: PathLike, config: CentreConfig) -> ForecastReview:
    """Score the run's forecast alone against ``actuals`` (a history CSV), see the module docstring."""
    from wfm.review.actuals import read_actuals

    fc = read_run_forecast(run)
    ts = pd.to_datetime(fc["timestamp"])
    frame, _, notes = forecast_frame(fc, read_actuals(actuals, config).history, actuals)
    return ForecastReview(score(_scored(frame), config.centre.interval_minutes), ts.min(), ts.max(), notes)


# =========================================================================== the whole review
def _adherence_agents(frame: pd.DataFrame, path: PathLike, plan, demand: pd.DataFrame) -> np.ndarray:
    """Agents logged in per interval of the plan from an agents-per-interval file (``frame``, read by
    :func:`wfm.simulate.inputs.read_agents_per_interval`: ``timestamp`` and ``rostered`` (logged in, before
    shrinkage) or ``agents`` (taking calls), any ``group`` added up). Every interval of the plan must be there."""
    from wfm.io import format_timestamp
    from wfm.staffing import pool_queues

    kind = "agents" if "agents" in frame.columns else "rostered"
    per = frame.groupby("timestamp")[kind].sum()
    missing = plan.timestamps.difference(per.index)
    if len(missing):
        raise InputError(f"{path}: no agents for {format_timestamp(missing[0])} ({len(missing)} of the run's "
                         f"{len(plan.timestamps)} intervals missing; give every interval of the run)")
    values = per.reindex(plan.timestamps).to_numpy(float)
    if kind == "agents":  # taking calls: as many on shift as the model's shrinkage leaves that many
        shrink = pool_queues(demand, plan.config, None, timestamps=plan.timestamps,
                             interval_minutes=plan.interval_minutes).shrinkage
        values = values / (1.0 - np.asarray(shrink, dtype=float))
    return values


def review(run: PathLike, actuals: PathLike, config: CentreConfig, *, adherence: PathLike | None = None,
           replications: int = REPLICATIONS, seed: int = 0) -> Review:
    """Review a `wfm plan` run folder against the actuals (a history file, with the ACD's outcome columns when
    it has them) and, optionally, the agents actually logged in per interval (``adherence``).

    Forecast accuracy (:func:`wfm.review.accuracy.score`, volume and AHT, per queue, day and hour of day),
    staffing against need, service planned and actual (or estimated) and the causes of each day's miss
    (:mod:`wfm.review.service`). Scores only the run's days the actuals cover (a note names the rest).

    Without outcome columns the service is **estimated** by the simulator (:mod:`wfm.simulate`): the calls that
    came (the actual counts, exactly, at uniform times in their interval, ``arrivals="exact"``) answered by the
    agents there were, ``replications`` times from ``seed`` (deterministic)."""
    from wfm.forecast.grid import sum_to_grid
    from wfm.review.actuals import read_actuals
    from wfm.review.service import model_service, per_day
    from wfm.roster.readers import read_coverage
    from wfm.simulate.inputs import read_agents_per_interval
    from wfm.simulate.run import check_settings, published_objectives
    from wfm.whatif.impact import make_plan, rostered
    from wfm.whatif.inputs import read_published_roster

    check_settings(replications, None, "fixed")

    doc = run_manifest(run)
    fc_raw = read_run_forecast(run)
    roster_path = run_file(run, "roster.csv", doc)
    roster = read_published_roster(roster_path, parse=False)  # make_plan parses it (located errors)
    cfg = published_objectives(config, roster_path)
    ivl = cfg.planning_interval_minutes
    act = read_actuals(actuals, cfg)

    # ---- the forecast's accuracy on the data grid (volume and AHT)
    queues = list(dict.fromkeys(fc_raw["queue"]))
    ts = pd.to_datetime(fc_raw["timestamp"])
    first, last = ts.min(), ts.max()
    on_days, covered, notes = forecast_frame(fc_raw, act.history, actuals)
    scores = score(_scored(on_days), cfg.centre.interval_minutes)
    aht_scores = score_aht(on_days, cfg.centre.interval_minutes)
    breakdown = error_breakdown(on_days)

    # ---- service and need on the planning grid, over the covered days
    fc_grid = sum_to_grid(fc_raw.assign(timestamp=ts), ivl, source=str(Path(run) / "forecast.csv"))
    plan = make_plan(cfg, fc_grid, roster, str(roster_path))
    in_days = np.asarray(plan.timestamps.normalize().isin(covered))
    act_grid = act.frame[act.frame["queue"].isin(queues)]
    act_grid = plan.forecast[["timestamp", "queue"]].merge(act_grid, on=["timestamp", "queue"], how="left")
    gaps = int(act_grid.loc[act_grid["timestamp"].dt.normalize().isin(covered), "volume"].isna().sum())
    if gaps:
        notes.append(f"{actuals}: {gaps} queue-intervals of the covered days have no actuals; counted as no calls")
    demand_act = act_grid.assign(volume=act_grid["volume"].fillna(0.0))
    demand_plan = plan.forecast
    on_roster = rostered(plan).astype(float)
    logged_in = read_agents_per_interval(adherence) if adherence is not None else None
    delivered = _adherence_agents(logged_in, adherence, plan, demand_act) if logged_in is not None else None
    agents_act = on_roster if delivered is None else delivered

    scenarios: dict[frozenset[str], object] = {}
    factors = ("volume", "aht") + (("staffing",) if delivered is not None else ())
    for k in range(len(factors) + 1):
        for subset in itertools.combinations(factors, k):
            s = frozenset(subset)
            dem = demand_plan.assign(
                volume=(demand_act if "volume" in s else demand_plan)["volume"].to_numpy(),
                aht=(demand_act if "aht" in s else demand_plan)["aht"].to_numpy())
            if "aht" in s:  # the actual AHT where there were calls; the plan's where none came
                dem["aht"] = dem["aht"].where(np.isfinite(dem["aht"]), demand_plan["aht"])
            scenarios[s] = model_service(plan, dem, agents_act if "staffing" in s else on_roster)
    planned_model = scenarios[frozenset()]
    dates = pd.DatetimeIndex(plan.dates)
    day = np.asarray(plan.day_of)
    planned_counts = planned_model.counts()
    planned = per_day(planned_counts, planned_model.queues, day, dates)
    if act.has_outcomes:
        source = "acd"
        counts = _acd_counts(demand_act, planned_model.queues, act.has_asa)
        actual = per_day(counts, planned_model.queues, day, dates)
    else:
        source = "estimated"
        counts = _simulated_counts(cfg, demand_act, roster, on_roster, logged_in, planned_model.queues,
                                   replications, seed, notes)
        actual = per_day(counts, planned_model.queues, day, dates)
    # the covered days together: the same counts in one bucket (rates of sums, not means of rates)
    bucket = np.where(in_days, 0, 1)
    both = pd.DatetimeIndex([covered[0], covered[0] + pd.Timedelta(days=1)])
    week_planned = per_day(planned_counts, planned_model.queues, bucket, both)
    week_actual = per_day(counts, planned_model.queues, bucket, both)
    service = _service_table(cfg, planned, actual, covered, week_planned[week_planned["date"] == covered[0]],
                             week_actual[week_actual["date"] == covered[0]])
    causes = _causes(scenarios, factors, actual, day, dates, covered)

    cov = read_coverage(run_file(run, "coverage.csv", doc)).set_index("timestamp")["required_scheduled"]
    req_plan = cov.reindex(plan.timestamps).fillna(0).to_numpy(float)
    need = _need(plan, req_plan, demand_act, on_roster, delivered, in_days)
    intervals = _chart_frame(plan, demand_plan, demand_act, fc_grid, in_days)
    return Review(run=Path(run).name, first=first, last=last, covered=covered, forecast=scores, aht=aht_scores,
                  by_day=breakdown[0], by_hour=breakdown[1], need_days=need[0], need_hours=need[1],
                  service=service, causes=causes, source=source, adherence=delivered is not None,
                  intervals=intervals, settings=cfg.review, weeks=weekly_rows(Path(run).name, on_days, cfg,
                                                                               service, need[0], source),
                  notes=notes)


AHT_COLUMNS = ["queue", "level", "periods", "actual", "forecast", "wape", "bias"]


def score_aht(frame: pd.DataFrame, interval_minutes: int) -> pd.DataFrame:
    """The forecast's AHT against the actual per queue and level (and ``total``), weighted by the calls: a
    period's AHT is the calls-weighted mean of its intervals' (the forecast's by its calls, the actual's by
    the actual calls), its weight the actual calls; ``wape`` = sum w |F - A| / sum w A, ``bias`` = sum w (F - A)
    / sum w A. Only intervals with calls and a known actual AHT count."""
    from wfm.review.accuracy import LEVELS, level_key

    f = frame.copy()
    f["forecast_aht"] = f["forecast_aht"] if "forecast_aht" in f else np.nan
    if "actual_aht" not in f:
        f["actual_aht"] = np.nan
    ok = (f["actual"] > 0) & np.isfinite(f["actual_aht"]) & np.isfinite(f["forecast_aht"])
    f = f[ok].copy()
    f["fw"] = f["forecast"] * f["forecast_aht"]
    f["aw"] = f["actual"] * f["actual_aht"]
    rows = []
    for level in LEVELS:
        f["period"] = level_key(f["timestamp"], level, interval_minutes)
        per = f.groupby(["queue", "period"], sort=True)[["forecast", "fw", "actual", "aw"]].sum()
        with np.errstate(invalid="ignore", divide="ignore"):
            per["F"] = np.where(per["forecast"] > 0, per["fw"] / per["forecast"], np.nan)
            per["A"] = per["aw"] / per["actual"]
        per = per[np.isfinite(per["F"])]
        for q, g in list(per.groupby(level=0, sort=False)) + [("total", per)]:
            w, a, fc = g["actual"].to_numpy(), g["A"].to_numpy(), g["F"].to_numpy()
            den = (w * a).sum()
            rows.append({"queue": q, "level": level, "periods": int(len(g)),
                         "actual": float(den / w.sum()) if w.sum() > 0 else np.nan,
                         "forecast": float((w * fc).sum() / w.sum()) if w.sum() > 0 else np.nan,
                         "wape": float((w * np.abs(fc - a)).sum() / den) if den > 0 else np.nan,
                         "bias": float((w * (fc - a)).sum() / den) if den > 0 else np.nan})
    return pd.DataFrame(rows, columns=AHT_COLUMNS)


def error_breakdown(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The forecast's interval errors per queue (and ``total``) and day, and per queue and hour of day:
    ``queue, date|hour, actual, forecast, wape, bias`` (WAPE of the intervals in it)."""
    f = frame[np.isfinite(frame["actual"].to_numpy(float))].copy()
    f["abs"] = (f["forecast"] - f["actual"]).abs()
    f["date"] = f["timestamp"].dt.normalize()
    f["hour"] = f["timestamp"].dt.hour
    out = []
    for key in ("date", "hour"):
        per = f.groupby(["queue", key], sort=True)[["actual", "forecast", "abs"]].sum().reset_index()
        tot = f.groupby(key, sort=True)[["actual", "forecast", "abs"]].sum().reset_index().assign(queue="total")
        t = pd.concat([per, tot], ignore_index=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            t["wape"] = np.where(t["actual"] > 0, t["abs"] / t["actual"], np.nan)
            t["bias"] = np.where(t["actual"] > 0, (t["forecast"] - t["actual"]) / t["actual"], np.nan)
        out.append(t[["queue", key, "actual", "forecast", "wape", "bias"]])
    return out[0], out[1]


def _wide(frame: pd.DataFrame, column: str, queues: list[str]) -> np.ndarray:
    """``frame[column]`` as an array of queues (``queues`` order) by intervals (in time order)."""
    return frame.pivot(index="queue", columns="timestamp", values=column).reindex(queues).to_numpy(float)


def _simulated_counts(cfg: CentreConfig, demand: pd.DataFrame, roster: pd.DataFrame, on_roster: np.ndarray,
                      logged_in: pd.DataFrame | None, queues: list[str], replications: int, seed: int,
                      notes: list[str]) -> dict[str, np.ndarray]:
    """The simulator's counts per queue (``queues`` order) and interval for the actual calls (means over the
    replications): the roster's agents, or those logged in (``logged_in``, the adherence file). Queues without
    a patience abandon n/a (their callers are modelled as never hanging up: no estimate of abandonment)."""
    from wfm.simulate.inputs import Supply
    from wfm.simulate.run import simulate

    vol = demand["volume"].to_numpy(float)
    whole = np.rint(vol)
    if np.abs(vol - whole).max(initial=0.0) > 1e-6:
        notes.append("the actual volumes are not whole calls; the simulator takes them rounded")
    fc = demand[["timestamp", "queue"]].assign(volume=whole, aht=demand["aht"].to_numpy(float))
    named = set(queues)
    groups = sorted({q.staff_group for q in cfg.queues if q.name in named})
    if logged_in is not None:
        kw = {"agents": logged_in}
    elif len(groups) == 1:  # the roster's agents as the plan counted them (roster.csv parsed once)
        kw = {"supply": Supply("rostered", {groups[0]: np.rint(on_roster).astype(np.int64)}, "roster.csv")}
    else:
        kw = {"roster": roster}  # the simulator says why a roster cannot serve several staff groups
    t = simulate(cfg, fc, replications=replications, seed=seed, arrivals="exact", **kw).intervals
    out = {name: _wide(t, col, queues) for col, name in (("offered", "volume"), ("answered", "answered"),
                                                         ("answered_within", "answered_within"),
                                                         ("abandoned", "abandoned"))}
    out["wait"] = np.nan_to_num(_wide(t, "asa", queues)) * out["answered"]
    patient = np.array([bool(next(q for q in cfg.queues if q.name == n).patience_s) for n in queues])
    out["abandoned"] = np.where(patient[:, None], out["abandoned"], np.nan)
    return out


def _acd_counts(demand: pd.DataFrame, queues: list[str], has_asa: bool) -> dict[str, np.ndarray]:
    """The ACD's counts per queue (``queues`` order) and interval, from the actuals on the plan's grid (no
    data: none); ``wait`` only when the actuals give the ASA."""
    columns = ("volume", "answered", "answered_within", "abandoned") + (("wait",) if has_asa else ())
    return {c: np.nan_to_num(_wide(demand, c, queues)) for c in columns}


def _service_table(cfg: CentreConfig, planned: pd.DataFrame, actual: pd.DataFrame, covered: pd.DatetimeIndex,
                   week_planned: pd.DataFrame, week_actual: pd.DataFrame) -> pd.DataFrame:
    """``date, queue, target, calls_planned, calls_actual, planned, actual, asa_planned, asa_actual,
    abandon_planned, abandon_actual`` per covered day, then the covered days together (``date`` NaT, from the
    summed counts: ``week_planned`` and ``week_actual``, :func:`wfm.review.service.per_day` of one bucket)."""
    keys = ["date", "queue"]

    def merged(p: pd.DataFrame, a: pd.DataFrame) -> pd.DataFrame:
        return p.rename(columns={"calls": "calls_planned", "service_level": "planned", "asa": "asa_planned",
                                 "abandon_rate": "abandon_planned"}).merge(
            a.rename(columns={"calls": "calls_actual", "service_level": "actual", "asa": "asa_actual",
                              "abandon_rate": "abandon_actual"}), on=keys)

    days = merged(planned, actual)
    days = days[days["date"].isin(covered)]
    week = merged(week_planned, week_actual).assign(date=pd.NaT)
    t = pd.concat([days, week], ignore_index=True)
    targets = {q.name: q.service_level for q in cfg.queues}
    t["target"] = t["queue"].map(targets)
    # the total's target: the queues' targets weighted by the planned calls
    per_q = t[t["queue"] != "total"]
    key = per_q["date"].fillna(pd.Timestamp(0))
    w = per_q["calls_planned"] * per_q["target"]
    tgt = w.groupby(key).sum() / per_q["calls_planned"].groupby(key).sum()
    tot = t["queue"] == "total"
    t.loc[tot, "target"] = t.loc[tot, "date"].fillna(pd.Timestamp(0)).map(tgt).to_numpy()
    cols = ["date", "queue", "target", "calls_planned", "calls_actual", "planned", "actual", "asa_planned",
            "asa_actual", "abandon_planned", "abandon_actual"]
    return t[cols].reset_index(drop=True)


def _causes(scenarios: dict, factors: tuple[str, ...], actual: pd.DataFrame, day: np.ndarray,
            dates: pd.DatetimeIndex, covered: pd.DatetimeIndex) -> pd.DataFrame:
    """Per covered day, all queues: ``date, planned, actual, miss`` (planned - actual, points of service level
    lost) and its parts ``volume, aht, staffing`` (Shapley, :func:`wfm.review.service.shapley`; NaN when
    not a factor) and ``other`` (the actual against the model with every factor actual). Worst day first."""
    from wfm.review.service import FACTORS, day_service_level, shapley

    n = len(dates)
    values = {s: day_service_level(m.counts(), day, n) for s, m in scenarios.items()}
    shares = shapley(values, factors)
    total = actual[actual["queue"] == "total"].set_index("date")["service_level"].reindex(dates).to_numpy(float)
    planned = values[frozenset()]
    model_actual = values[frozenset(factors)]
    t = pd.DataFrame({"date": dates, "planned": planned, "actual": total, "miss": planned - total,
                      **{f: (-shares[f] if f in shares else np.full(n, np.nan)) for f in FACTORS},
                      "other": model_actual - total})
    t = t[t["date"].isin(covered)]
    return t.sort_values(["miss", "date"], ascending=[False, True], kind="stable").reset_index(drop=True)


def _need(plan, req_plan: np.ndarray, demand_act: pd.DataFrame, on_roster: np.ndarray,
          delivered: np.ndarray | None, in_days: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Staffing against need per covered day and per hour of day: hours the plan's calls needed (``req_plan``,
    coverage.csv's ``required_scheduled``) and the actual calls need (the same requirement recomputed,
    :func:`wfm.review.service.requirement`), hours rostered (and logged in, with
    adherence), and hours the roster was over or short of what the actual calls needed."""
    from wfm.review.service import requirement

    h = plan.interval_minutes / 60.0
    req_act = requirement(plan, demand_act)
    t = pd.DataFrame({"date": plan.timestamps.normalize(), "hour": plan.timestamps.hour,
                      "required_planned": req_plan * h, "required_actual": req_act * h, "rostered": on_roster * h,
                      "over": np.maximum(on_roster - req_act, 0) * h, "short": np.maximum(req_act - on_roster, 0) * h,
                      "short_intervals": (on_roster < req_act - 1e-9).astype(int)})
    if delivered is not None:
        t["logged_in"] = delivered * h
        t["short_logged_in"] = np.maximum(req_act - delivered, 0) * h
    t = t[in_days]
    cols = [c for c in t.columns if c not in ("date", "hour")]
    return (t.groupby("date", sort=True)[cols].sum().reset_index(),
            t.groupby("hour", sort=True)[cols].sum().reset_index())


def _chart_frame(plan, demand_plan: pd.DataFrame, demand_act: pd.DataFrame, fc_grid: pd.DataFrame,
                 in_days: np.ndarray) -> pd.DataFrame:
    """All queues per interval: ``timestamp, forecast, p10, p90, actual`` (NaN outside the covered days); the
    band is the queues' p10 and p90 of the forecast on the planning grid, summed."""
    f = pd.DataFrame({"timestamp": plan.timestamps,
                      "forecast": demand_plan.groupby("timestamp", sort=True)["volume"].sum().to_numpy(),
                      "actual": np.where(in_days, demand_act.groupby("timestamp", sort=True)["volume"].sum()
                                         .to_numpy(), np.nan)})
    for c in ("volume_p10", "volume_p90"):
        if c in fc_grid:
            band = fc_grid.groupby("timestamp")[c].sum()
            f[c.replace("volume_", "")] = band.reindex(plan.timestamps).to_numpy()
    return f


def weekly_rows(run: str, on_days: pd.DataFrame, cfg: CentreConfig, service: pd.DataFrame,
                need_days: pd.DataFrame, source: str) -> pd.DataFrame:
    """One accuracy.csv row per week (its Monday) and queue (and ``total``) the review covers
    (:data:`wfm.review.trend.ACCURACY_COLUMNS`)."""
    from wfm.review.trend import accuracy_row_frame

    records = []
    week_of = on_days["timestamp"].dt.normalize() - pd.to_timedelta(on_days["timestamp"].dt.day_of_week, unit="D")
    for wk, part in on_days.groupby(week_of, sort=True):
        if not np.isfinite(part["actual"].to_numpy(float)).any():
            continue
        cols = ["timestamp", "queue", "actual", "forecast", "naive"] + [c for c in ("p10", "p90") if c in part]
        s = {(r["queue"], r["level"]): r for r in score(part[cols], cfg.centre.interval_minutes)
             .to_dict(orient="records")}
        a = {(r["queue"], r["level"]): r for r in score_aht(part, cfg.centre.interval_minutes)
             .to_dict(orient="records")}
        days = service[service["date"].notna() & (service["date"] >= wk) & (service["date"] < wk + pd.Timedelta(days=7))]
        # the week's service level per queue: each day's weighted by its calls (a share of the calls offered)
        sl = {}
        for side in ("planned", "actual"):
            c, v = days[f"calls_{side}"].to_numpy(float), days[side].to_numpy(float)
            ok = (c > 0) & np.isfinite(v)
            frame = pd.DataFrame({"queue": days["queue"].to_numpy(), "w": np.where(ok, c * v, 0.0),
                                  "c": np.where(ok, c, 0.0), "bad": (c > 0) & ~np.isfinite(v)})
            g = frame.groupby("queue", sort=False)[["w", "c", "bad"]].sum()
            sl[side] = (g["w"] / g["c"]).where((g["c"] > 0) & (g["bad"] == 0)).to_dict()
        nd = need_days[(need_days["date"] >= wk) & (need_days["date"] < wk + pd.Timedelta(days=7))]
        for q in dict.fromkeys(k[0] for k in s):
            iv = s[(q, "interval")]
            records.append({
                "run": run, "week": f"{wk:%Y-%m-%d}", "queue": q,
                "calls_actual": iv["actual"], "calls_forecast": iv["forecast"],
                **{f"wape_{lv}": s[(q, lv)]["wape"] for lv in ("interval", "30min", "day")},
                "noise_floor_wape_interval": iv["noise_floor_wape"], "bias": iv["bias"], "mase_interval": iv["mase"],
                "band_coverage": iv["coverage"],
                "aht_wape": a[(q, "interval")]["wape"] if (q, "interval") in a else np.nan,
                "service_level_planned": sl["planned"].get(q, np.nan),
                "service_level_actual": sl["actual"].get(q, np.nan), "service_source": source,
                "hours_over": nd["over"].sum() if q == "total" else np.nan,
                "hours_short": nd["short"].sum() if q == "total" else np.nan,
            })
    return accuracy_row_frame(records)


# =========================================================================== files
REVIEW_MANIFEST = "review.manifest.json"


def review_files(result: Review, interval_minutes: int) -> dict[str, bytes]:
    """The review's files: ``review.txt`` (the printout), ``review.json`` (``--json``), ``forecast.png`` and
    ``service.png`` (:mod:`wfm.review.charts`)."""
    from wfm.io import to_json
    from wfm.review.charts import forecast_vs_actual_chart, service_chart

    word = "actual" if result.source == "acd" else "estimated"
    return {
        "review.txt": result.render().encode(),
        "review.json": (to_json(result.to_dict()) + "\n").encode(),
        "forecast.png": forecast_vs_actual_chart(result.intervals, interval_minutes,
                                                 f"Run {result.run}: forecast against actual calls"),
        "service.png": service_chart(result.service, result.source,
                                     f"Run {result.run}: service level per day, planned against {word}"),
    }


review_files.names = ("review.txt", "review.json", "forecast.png", "service.png")  # type: ignore[attr-defined]


def write_review(result: Review, run: PathLike, out: PathLike | None, interval_minutes: int, *,
                 record: bool = True) -> list[Path]:
    """Publish the review's files into ``out`` (default: the run folder's ``review/``) as one set
    (``review.manifest.json``), and with ``record`` its weekly rows into the runs folder's accuracy.csv (the run
    folder's parent; a review of the same run replaces its rows). Returns the paths written."""
    from wfm.outputs import publish_files
    from wfm.review.trend import record_accuracy

    folder = Path(out) if out is not None else Path(run) / "review"
    files = review_files(result, interval_minutes)
    publish_files(folder, files, REVIEW_MANIFEST)
    written = [folder / name for name in files]
    if record and len(result.weeks):
        folder = Path(run)
        runs = folder.parent if folder.name not in ("", ".", "..") else folder.resolve().parent
        written.append(record_accuracy(runs, result.weeks))
    return written
