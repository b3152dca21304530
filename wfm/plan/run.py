"""``wfm plan`` as one job: take the lock, load the inputs, plan, publish the run folder.

Run folder contents (``<out>/<start YYYY-MM-DD>/``)::

    forecast.csv  staffing.csv  roster.csv  coverage.csv   the stage outputs (byte-identical for the same inputs)
    ratio.json                                             the ratio check, as ``wfm ratio --json`` prints it
    forecast.png  staffing.png  coverage_heatmap.png       charts (see :mod:`wfm.charts`)
    paid-hours.png                                         where the paid hours go, a waterfall
    summary.md                                             headline figures, breaches, links to the charts
    manifest.json                                          inputs + sha256, version, settings, models, solver,
                                                           timings (the only file that varies run to run)
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wfm import charts
from wfm.config import load_config
from wfm.history import prepare_history, read_history
from wfm.io import csv_text, redirect_stdout_fd, to_json
from wfm.outbound import load_campaign
from wfm.outputs import check_not_inside
from wfm.plan.manifest import manifest
from wfm.plan.pipeline import PlanResult, Progress, check_plan_options, plan, planning_config
from wfm.plan.proof import REPLICATIONS
from wfm.plan.publish import clean_leftovers, publish_folder, run_lock
from wfm.plan.reports import planner_files
from wfm.plan.summary import summary_markdown
from wfm.roster import read_agents

RUN_FILES = (
    "forecast.csv", "staffing.csv", "roster.csv", "coverage.csv", "service.csv", "ratio.json",
    "forecast.png", "staffing.png", "coverage_heatmap.png", "paid-hours.png", "summary.md", "plan.xlsx",
    "report.html", "manifest.json",
)  # and agents/<agent_id>.ics, one per rostered agent
CSV_FLOAT_FORMAT = {"forecast.csv": "%.3f", "staffing.csv": "%.4f", "roster.csv": "%.4f", "coverage.csv": "%.4f",
                    "service.csv": "%.6g"}


@dataclass
class PlanRun:
    """A published plan: the result and the run folder it was written to."""

    result: PlanResult
    folder: Path

    @property
    def exit_code(self) -> int:
        return self.result.exit_code


def run(
    config: str | os.PathLike[str],
    history: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    agents: str | os.PathLike[str] | None = None,
    start: str | None = None,
    weeks: int = 1,
    time_limit_s: float | None = None,
    gap: float | None = None,
    replications: int = REPLICATIONS,
    interval_minutes: int | None = None,
    campaign: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
    quiet: bool = False,
    command: Mapping[str, Any] | None = None,
) -> PlanRun:
    """Plan from the files and publish ``<out>/<start>/``, holding the runs folder's lock throughout.

    Raises RunLocked (exit 75) when another run holds ``out``; bad input raises before anything is published.
    The solver library's banner goes to stderr (to nowhere when ``quiet``) so stdout stays clean for --json.
    """
    t0 = time.perf_counter()
    cfg = load_config(config)
    # every input is read and every option checked before the runs folder (or its lock) is touched
    check_plan_options(start, weeks, interval_minutes)
    t_load = time.perf_counter()
    people = read_agents(agents, cfg) if agents is not None else None
    campaign = campaign if campaign is not None else cfg.outbound.campaign_path(cfg.source)
    outbound = load_campaign(campaign) if campaign is not None else None
    h = prepare_history(read_history(history), cfg, source=str(history))
    cfg = planning_config(h, cfg, interval_minutes)  # the planning grid against the history's, shifts on it
    t_load = time.perf_counter() - t_load
    with run_lock(out):
        clean_leftovers(out)
        with redirect_stdout_fd("null" if quiet else "stderr"):
            result = plan(h, cfg, start=start, weeks=weeks, agents=people, time_limit_s=time_limit_s, gap=gap,
                          replications=replications, campaign=outbound,
                          progress=progress)  # cfg carries the planning grid
        inputs = {"config": config, "history": history, "agents": agents,
                  **({"campaign": campaign} if campaign is not None else {})}
        folder = write_run(result, out, inputs, command=command,
                           timings={"load": t_load, "wall": time.perf_counter() - t0})
    return PlanRun(result, folder)


def run_files(result: PlanResult) -> dict[str, bytes]:
    """The run folder's deterministic files (all but manifest.json), as bytes, in writing order: the CSVs and
    ratio, the charts, summary.md, then what planners and agents open (plan.xlsx, report.html, agents/*.ics)."""

    files: dict[str, bytes] = {
        "forecast.csv": csv_text(result.forecast.forecast, CSV_FLOAT_FORMAT["forecast.csv"]).encode(),
        "staffing.csv": csv_text(result.staffing, CSV_FLOAT_FORMAT["staffing.csv"]).encode(),
        "roster.csv": csv_text(result.assignments, CSV_FLOAT_FORMAT["roster.csv"]).encode(),
        "coverage.csv": csv_text(result.coverage, CSV_FLOAT_FORMAT["coverage.csv"]).encode(),
        "service.csv": csv_text(result.proof.service if result.proof is not None else result.roster.service,
                                CSV_FLOAT_FORMAT["service.csv"]).encode(),
        "ratio.json": (to_json(result.ratio.to_dict()) + "\n").encode(),
    }
    files.update(charts.plan_charts(result))
    if result.outbound is not None:
        from wfm.outbound.report import blend_chart, blend_csv

        files["outbound.csv"] = blend_csv(result.outbound).encode()
        files["outbound.png"] = blend_chart(result.outbound)
    files["summary.md"] = summary_markdown(result).encode()
    files.update(planner_files(result, files))
    return files


def write_run(
    result: PlanResult,
    out_dir: str | os.PathLike[str],
    inputs: Mapping[str, str | os.PathLike[str] | None],
    *,
    command: Mapping[str, Any] | None = None,
    timings: Mapping[str, float] | None = None,
) -> Path:
    """Write the run folder ``<out_dir>/<start>/`` (charts, CSVs, ratio, summary, manifest) all at once.

    Call while holding :func:`run_lock` on ``out_dir``. Returns the run folder's path.
    """
    t0 = time.perf_counter()
    files = run_files(result)
    t_files = time.perf_counter() - t0
    all_timings = {**result.timings, **(timings or {}), "files": t_files}
    files["manifest.json"] = (to_json(manifest(result, files, inputs, all_timings, command)) + "\n").encode()
    target = Path(out_dir) / result.name
    check_not_inside(target, {f"--{k}": v for k, v in inputs.items()}, "the run folder")
    return publish_folder(files, target)
