"""``simulate``: a roster (or agents per interval) against a forecast, replication by replication; the result's
tables, JSON summary, files and printout."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wfm.config import CentreConfig
from wfm.errors import InputError
from wfm.forecast.grid import read_on_grid
from wfm.io import atomic_write_csv, json_number
from wfm.outputs import check_out_paths
from wfm.parallel import engine_of, map_jobs
from wfm.simulate import stats
from wfm.simulate.engine import SHRINKAGE_MODES, Counts, generators, simulate_group
from wfm.simulate.inputs import (
    Demand,
    PathLike,
    Supply,
    demand,
    group_routing,
    read_supply,
    supply_from_agents,
    supply_from_roster,
)
from wfm.staffing import group_objectives, pool_queues

MAX_REPLICATIONS = 100_000


@dataclass
class SimulationResult:
    """Simulated service per interval and queue, per day and queue, and per queue over the horizon.

    Every table has the counts (means over replications: ``offered, answered, answered_within, abandoned,
    waiting_at_end``) and ``service_level, asa, abandon_rate`` each with its 95% interval (``_lo``, ``_hi``);
    see :mod:`wfm.simulate.stats`."""

    intervals: pd.DataFrame  # timestamp, queue, group, volume, [rostered,] agents, figures
    days: pd.DataFrame  # date, queue, figures
    queues: pd.DataFrame  # queue, group, figures, targets, meets_targets
    settings: dict[str, Any]
    calls: int  # calls simulated in all, warm-up and cool-down included
    notes: list[str] = field(default_factory=list)

    @property
    def meets_targets(self) -> bool:
        return bool(self.queues["meets_targets"].all())

    @property
    def exit_code(self) -> int:
        """0 when every queue meets its targets over the horizon (the mean), 1 otherwise."""
        return 0 if self.meets_targets else 1

    def summary(self) -> dict[str, Any]:
        """The result for ``--json``: settings, horizon, per-queue and per-day figures (rounded)."""

        def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
            out = []
            for row in frame.to_dict(orient="records"):
                out.append({k: json_number(v) if isinstance(v, float) else v for k, v in row.items()})
            return out

        start = self.intervals["timestamp"].min()
        end = self.intervals["timestamp"].max() + pd.Timedelta(minutes=self.settings["interval_minutes"])
        return {
            **self.settings,
            "horizon": {"start": f"{start:%Y-%m-%d %H:%M}", "end": f"{end:%Y-%m-%d %H:%M}",
                        "intervals": int(self.intervals["timestamp"].nunique())},
            "calls_simulated": self.calls,
            "meets_targets": self.meets_targets,
            "queues": records(self.queues),
            "days": records(self.days.assign(date=self.days["date"].astype(str))),
            "notes": list(self.notes),
        }


def simulate(
    config: CentreConfig,
    forecast: pd.DataFrame,
    *,
    roster: pd.DataFrame | None = None,
    agents: pd.DataFrame | None = None,
    supply: Supply | None = None,
    replications: int = 30,
    seed: int = 0,
    routing: str | None = None,
    priority: Sequence[str] | str | None = None,
    service_cv: float | None = None,
    shrinkage: str = "fixed",
    progress: Callable[[int, int], None] | None = None,
    source: str = "roster",
    arrivals: str = "poisson",
    workers: int = 1,
    cluster: str | None = None,
) -> SimulationResult:
    """Simulate the forecast's calls against the agents of a roster frame (``roster``), of an agents-per-interval
    frame (``agents``, :func:`wfm.simulate.inputs.read_agents_per_interval`) or of a ready ``supply``; one of them.

    ``routing``: None (each staff group's ``[[staff_groups]]`` routing, :meth:`CentreConfig.routing`), or for
    every group ``"fifo"`` (a free agent takes the group's oldest waiting call) or ``"priority"`` (the head of
    the first non-empty queue in ``priority`` order, then the default order: tightest target first).
    ``service_cv``: None for exponential service times, else lognormal with this coefficient of variation.
    ``shrinkage``: ``"fixed"`` or ``"binomial"`` (:func:`wfm.simulate.engine.on_phones`); ignored for agents
    already taking calls. ``progress(done, total)`` is called after each replication of each group.
    ``arrivals``: ``"poisson"`` (the forecast's volumes are expected calls) or ``"exact"`` (they are the calls
    that came, whole numbers: each replication takes exactly those, at uniform times in their interval).
    ``workers``, ``cluster``: the replications in parts on :func:`wfm.parallel.map_jobs` (a local Dask cluster
    or a cluster's scheduler); every replication's draws are its own, so the result is the serial one.
    """
    if arrivals not in ("poisson", "exact"):
        raise ValueError(f"arrivals must be 'poisson' or 'exact', got {arrivals!r}")
    if sum(x is not None for x in (roster, agents, supply)) != 1:
        raise InputError("give the agents as one of: a roster, agents per interval, or a supply")
    check_settings(replications, service_cv, shrinkage)
    routes = {group: group_routing(config, group, routing, priority) for group in {q.staff_group for q in config.queues}}
    dem = demand(forecast, config)
    if supply is None:
        supply = supply_from_roster(roster, dem, source) if roster is not None else supply_from_agents(agents, dem, source)
    warm_up = min(len(dem.timestamps), 1440 // dem.interval_minutes)
    objectives = _objectives(config, dem, routes)
    common = (config, dem, supply, routes, objectives, replications, seed, service_cv, shrinkage, warm_up)
    if engine_of(workers, cluster) is None:
        counts = _simulate_groups(*common, progress, exact=arrivals == "exact")
    else:  # the replications in parts on wfm.parallel: each part's draws are its replications' own
        parts = np.array_split(np.arange(replications), min(replications, 4 * max(workers, 2)))
        jobs = [([int(r) for r in part], arrivals == "exact") for part in parts if len(part)]

        def done(k: int, total: int) -> None:
            if progress is not None:
                progress(sum(len(j[0]) for j in jobs[:k]), replications)

        counts = _join(map_jobs(_simulate_part, jobs, workers=workers, cluster=cluster, progress=done,
                                shared=common))
    settings = _settings(routes, supply, dem, replications, seed, service_cv, shrinkage, warm_up)
    settings["objectives"] = objectives or None
    calls = counts.calls
    result = SimulationResult(*_tables(dem, supply, counts), settings=settings, calls=calls, notes=list(supply.notes))
    waiting = int(counts.waiting_at_end.sum())
    if waiting:
        result.notes.append(
            f"{waiting / replications:,.1f} calls per replication still waiting when the simulation ended "
            "(no agents left to answer them and no patience to abandon); counted in waiting_at_end"
        )
    return result


def _simulate_part(job: tuple, common: tuple) -> Counts:
    """Some of the replications (a job of :func:`simulate` on :func:`wfm.parallel.map_jobs`; ``common``: the
    inputs every part shares)."""
    which, exact = job
    return _simulate_groups(*common, None, exact=exact, which=which)


def _join(parts: Sequence[Counts]) -> Counts:
    """The parts' counts as one, replications in order."""
    arrays = {k: np.concatenate([getattr(p, k) for p in parts]) for k in (*stats.COUNTS, "wait_sum", "agents")}
    return Counts(**arrays, calls=sum(p.calls for p in parts))


def _objectives(config: CentreConfig, dem: Demand, routes: dict[str, tuple[str, list[str]]]
                ) -> dict[str, dict[str, float]]:
    """Each objective-routed group's objectives (seconds by queue): the config's, or tuned to the calls
    simulated (:func:`wfm.staffing.group_objectives`)."""
    pooled = dem.frame()
    return {
        group: group_objectives(pool_queues(pooled, config, group, timestamps=dem.timestamps,
                                            interval_minutes=dem.interval_minutes), config, group)
        for group, (how, _) in sorted(routes.items()) if how == "objective"
    }


def _simulate_groups(
    config: CentreConfig, dem: Demand, supply: Supply, routes: dict[str, tuple[str, list[str]]],
    objectives: dict[str, dict[str, float]], replications: int, seed: int, service_cv: float | None, shrinkage: str, warm_up: int, progress: Callable[[int, int], None] | None,
    exact: bool = False, which: Sequence[int] | None = None,
) -> Counts:
    """Each staff group simulated on its own agents (:func:`wfm.simulate.engine.simulate_group`); the counts of
    every queue, per replication and interval. ``which``: only those replications of the ``replications``
    (each replication's draws are its own, so a part gives the same counts as in the whole)."""
    n = len(dem.timestamps)
    groups = dem.groups
    streams = generators(seed, replications, len(groups))
    if which is not None:
        streams = [streams[r] for r in which]
        replications = len(streams)
    shape = (replications, n, len(dem.queues))
    total = {k: np.zeros(shape, dtype=np.int64) for k in stats.COUNTS}
    wait_sum = np.zeros(shape)
    agents_by_queue = np.zeros(shape)
    calls = 0
    pooled = dem.frame()
    for g, group in enumerate(groups):
        idx = [i for i, q in enumerate(dem.queues) if q.staff_group == group]
        queues = [dem.queues[i] for i in idx]
        how, order_names = routes[group]
        rank = {name: r for r, name in enumerate(order_names)}
        order = np.argsort([rank[q.name] for q in queues], kind="stable").astype(np.int64)
        pool = pool_queues(pooled, config, group, timestamps=dem.timestamps, interval_minutes=dem.interval_minutes)
        shrink = pool.shrinkage if supply.kind == "rostered" else None
        weights = None
        if how == "objective":
            weights = np.array([1.0 / objectives[group][q.name] for q in queues])

        def tick(r: int, before: int = g * replications) -> None:
            if progress is not None:
                progress(before + r, replications * len(groups))

        counts = simulate_group(
            dem.volume[idx], dem.aht[idx],
            np.array([q.patience_s if q.patience_s else np.inf for q in queues], dtype=float),
            np.array([q.answer_within_s for q in queues], dtype=float),
            supply.counts[group], dem.interval_s,
            generators=[s[g] for s in streams], warm_up=warm_up, cool_down=warm_up,
            fifo=how != "priority", order=order, weights=weights, cv=service_cv, shrinkage=shrink, shrinkage_mode=shrinkage,
            progress=tick, exact=exact,
        )
        calls += counts.calls
        for k in stats.COUNTS:
            total[k][:, :, idx] = getattr(counts, k)
        wait_sum[:, :, idx] = counts.wait_sum
        agents_by_queue[:, :, idx] = counts.agents[:, :, None]
    return Counts(**total, wait_sum=wait_sum, agents=agents_by_queue, calls=calls)


def _settings(routes: dict[str, tuple[str, list[str]]], supply: Supply, dem: Demand, replications: int, seed: int,
              service_cv: float | None, shrinkage: str, warm_up: int) -> dict[str, Any]:
    """The settings a simulation ran with (``--json``)."""
    return {
        "replications": replications, "seed": seed,
        "routing": ", ".join(sorted({how for how, _ in routes.values()})),
        "priority": None if all(how != "priority" for how, _ in routes.values()) else
        [n for how, names in routes.values() if how == "priority" for n in names],
        "service": "exponential" if service_cv is None else f"lognormal cv={service_cv:g}",
        "shrinkage": shrinkage if supply.kind == "rostered" else "none (agents taking calls given)",
        "agents_from": supply.kind, "interval_minutes": dem.interval_minutes,
        "warm_up_intervals": warm_up,
    }


MAX_SERVICE_CV = 10.0  # lognormal service times: at a CV of 10 the longest 1% of calls hold 43% of the work


def check_settings(replications: int, service_cv: float | None, shrinkage: str) -> None:
    if not 1 <= replications <= MAX_REPLICATIONS:
        raise InputError(f"--replications must be between 1 and {MAX_REPLICATIONS:,}, got {replications}")
    if service_cv is not None and not (np.isfinite(service_cv) and 0 < service_cv <= MAX_SERVICE_CV):
        raise InputError(f"--service-cv must be a positive number of at most {MAX_SERVICE_CV:g}, got {service_cv:g}")
    if shrinkage not in SHRINKAGE_MODES:
        raise InputError(f"--shrinkage must be one of {', '.join(SHRINKAGE_MODES)}, got {shrinkage!r}")


def _tables(dem: Demand, supply: Supply, counts: Counts) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    names = [q.name for q in dem.queues]
    n, n_q = len(dem.timestamps), len(names)
    cols = stats.columns()

    per_interval = stats.summarise(counts)
    intervals = pd.DataFrame({
        "timestamp": np.repeat(dem.timestamps.to_numpy(), n_q),
        "queue": np.tile(names, n),
        "group": np.tile([q.staff_group for q in dem.queues], n),
        "volume": dem.volume.T.ravel(),
    })
    if supply.kind == "rostered":
        intervals["rostered"] = np.column_stack([supply.counts[q.staff_group] for q in dem.queues]).ravel()
    intervals["agents"] = counts.agents.mean(axis=0).ravel()
    for c in cols:
        intervals[c] = per_interval[c].ravel()

    day_index = np.asarray((dem.timestamps.normalize() - dem.timestamps[0].normalize()) // pd.Timedelta(days=1))
    dates = pd.DatetimeIndex(dem.timestamps.normalize().unique())
    per_day = stats.summarise(counts, day_index, len(dates))
    days = pd.DataFrame({"date": np.repeat(dates.strftime("%Y-%m-%d").to_numpy(), n_q),
                         "queue": np.tile(names, len(dates))})
    for c in cols:
        days[c] = per_day[c].ravel()

    whole = stats.summarise(counts, np.zeros(n, dtype=np.int64), 1)
    queues = pd.DataFrame({"queue": names, "group": [q.staff_group for q in dem.queues]})
    for c in cols:
        queues[c] = whole[c].ravel()
    queues["target_service_level"] = [q.service_level for q in dem.queues]
    queues["target_asa"] = [q.asa_s if q.asa_s else np.nan for q in dem.queues]
    queues["target_abandon_rate"] = [q.max_abandon if (q.max_abandon and q.patience_s) else np.nan
                                     for q in dem.queues]
    ok = queues["service_level"].fillna(1.0) >= queues["target_service_level"] - 1e-12
    ok &= ~(queues["asa"] > queues["target_asa"])
    ok &= ~(queues["abandon_rate"] > queues["target_abandon_rate"])
    queues["meets_targets"] = ok.astype(bool)
    return intervals, days, queues


def simulate_files(
    supply_path: PathLike, forecast_path: PathLike, config: CentreConfig, **options: Any
) -> SimulationResult:
    """:func:`simulate` on files: roster.csv or an agents-per-interval CSV, and a forecast (or actual volumes)
    CSV read by :func:`wfm.io.read_forecast` on the data's grid and summed onto the planning grid
    (:func:`wfm.forecast.grid.read_on_grid`). ``options`` are :func:`simulate`'s keyword settings."""
    forecast, note = read_on_grid(forecast_path, config)
    config = published_objectives(config, Path(supply_path))
    dem_supply = read_supply(supply_path, demand(forecast, config, str(forecast_path)))
    result = simulate(config, forecast, supply=dem_supply, **options)
    if note:
        result.notes.insert(0, note)
    return result


def published_objectives(config: CentreConfig, supply_path: Path) -> CentreConfig:
    """The config with the routing objectives a ``wfm plan`` run folder published for its roster (its
    ``manifest.json``, beside ``roster.csv``), for each objective-routed group the config leaves to wfm: the
    roster was made, and is proved, with those. Anything else: the config as given."""
    manifest = supply_path.parent / "manifest.json"
    if supply_path.name != "roster.csv" or not manifest.is_file():
        return config
    try:
        published = json.loads(manifest.read_text()).get("routing", {}).get("objectives", {})
    except (OSError, ValueError, AttributeError):
        return config
    groups = []
    for g in config.staff_groups:
        given = published.get(g.name) if isinstance(published, dict) else None
        if g.routing == "objective" and g.objectives is None and isinstance(given, dict) and \
                sorted(given) == sorted(q.name for q in config.queues if q.staff_group == g.name) and \
                all(isinstance(v, (int, float)) and v > 0 for v in given.values()):
            g = g.model_copy(update={"objectives": {k: float(v) for k, v in given.items()}})
        groups.append(g)
    return config.model_copy(update={"staff_groups": groups})


SIMULATION_FILES = ("intervals", "days", "queues")


def simulation_outputs(out: PathLike) -> dict[str, Path]:
    """The files ``--out`` names: itself when a ``.csv``, else intervals.csv, days.csv and queues.csv in it."""
    out = Path(out)
    if out.suffix.lower() == ".csv":
        return {"--out": out}
    return {f"--out {name}.csv": out / f"{name}.csv" for name in SIMULATION_FILES}


def check_simulation_out(out: PathLike | None, inputs: Mapping[str, PathLike | None]) -> None:
    """Before any work: exit 2 when a file ``--out`` writes is one of ``inputs`` (label: path)."""
    if out is not None:
        _check_folder(Path(out))
        check_out_paths(simulation_outputs(out), inputs)


def _check_folder(out: Path) -> None:
    if out.suffix.lower() != ".csv" and out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is not a folder (give a folder, or a .csv file for the interval table)")


def write_simulation(result: SimulationResult, out: PathLike) -> list[Path]:
    """Write the result atomically: to a ``.csv`` path the interval table; to any other path (a folder)
    ``intervals.csv``, ``days.csv`` and ``queues.csv`` inside it. Returns the paths written."""
    out = Path(out)
    if out.suffix.lower() == ".csv":
        return [atomic_write_csv(out, result.intervals)]
    _check_folder(out)
    return [atomic_write_csv(out / f"{name}.csv", getattr(result, name)) for name in SIMULATION_FILES]


# --------------------------------------------------------------------------- printing
def _pct(value: float) -> str:
    return "-" if not np.isfinite(value) else f"{100 * value:.1f}%"


def _ci(row: Any, name: str, fmt: Callable[[float], str]) -> str:
    lo, hi = getattr(row, f"{name}_lo"), getattr(row, f"{name}_hi")
    mid = fmt(getattr(row, name))
    return mid if not (np.isfinite(lo) and np.isfinite(hi)) else f"{mid} ({fmt(lo)}-{fmt(hi)})"


def _secs(value: float) -> str:
    return "-" if not np.isfinite(value) else f"{value:.1f}"


def render(result: SimulationResult) -> str:
    """What `wfm simulate` prints: the settings, then per queue over the horizon and per day the service level
    (means over the replications, with their 95% intervals)."""
    from tabulate import tabulate

    s = result.settings
    h = result.summary()["horizon"]
    routing = s["routing"] + (f" ({' > '.join(s['priority'])})" if s["priority"] else "")
    if s.get("objectives"):
        routing += " (objectives " + "; ".join(", ".join(f"{q} {o:g} s" for q, o in by_queue.items())
                                              for by_queue in s["objectives"].values()) + ")"
    head = (f"Simulated {h['start']} .. {h['end']} ({h['intervals']} intervals), {s['replications']} replications, "
            f"seed {s['seed']}\nrouting {routing}; service {s['service']}; shrinkage {s['shrinkage']}")
    rows = [[r.queue, f"{r.offered:,.0f}", _ci(r, "service_level", _pct), _pct(r.target_service_level),
             _ci(r, "asa", _secs), _ci(r, "abandon_rate", _pct), "yes" if r.meets_targets else "no"]
            for r in result.queues.itertuples()]
    queues = tabulate(rows, headers=["queue", "offered", "service_level (95% CI)", "target", "asa_s",
                                     "abandon_rate", "met"], disable_numparse=True)
    pivot = result.days.pivot(index="date", columns="queue", values="service_level")
    pivot = pivot[[q for q in result.queues["queue"]]]
    day_rows = [[d, *(_pct(v) for v in pivot.loc[d])] for d in pivot.index]
    days = tabulate(day_rows, headers=["date", *(f"{q} SL" for q in pivot.columns)], disable_numparse=True)
    return f"{head}\n\n{queues}\n\n{days}"


def progress_printer(stream: Any) -> Callable[[int, int], None]:
    """A progress callback redrawing one line on ``stream``: replications done."""

    def show(done: int, total: int) -> None:
        stream.write(f"\rsimulating: replication {done}/{total}   ")
        stream.flush()

    return show
