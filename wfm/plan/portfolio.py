"""Many centres, one command (``wfm plan --portfolio sites.toml``): each centre planned as its own job on
:func:`wfm.parallel.map_jobs`, into its own run folder (its own lock and atomic publish, as a single
``wfm plan``), and a summary of them all.

The portfolio file lists the centres (paths relative to the file's folder)::

    summary = "runs/portfolio.csv"      # optional; default portfolio.csv beside this file
    [[centres]]
    name = "north"
    config = "north.toml"
    history = "north-history.csv"
    out = "runs/north"
    # optional: start, weeks, agents, campaign, gap, time_limit_s, replications

Everything a file names is checked before any centre is planned: a missing file, two centres with one name or
one out folder are exit 2. A centre that fails (bad input only its plan finds, no feasible roster, a worker
lost twice) does not stop the others: its error is its row of the summary. The exit code is the worst centre's.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import Field, field_validator

from wfm.config import _Model, check_unique, load_toml_model, plain_name
from wfm.errors import ConfigError, WfmError

PathLike = str | os.PathLike[str]
# run_folder: as the portfolio file names its out folder (relative to the file's folder), so two machines agree
SUMMARY_COLUMNS = ["centre", "exit_code", "run_folder", "agents", "paid_hours", "service_level",
                   "service_level_target", "ratio", "ratio_status", "breaches", "error"]
INTERNAL_ERROR = 70  # a centre whose plan failed for a reason that is not the user's (a bug, a lost worker)


class CentreEntry(_Model):
    name: str
    config: str
    history: str
    out: str
    start: str | None = None
    weeks: int = Field(default=1, ge=1, le=6)
    agents: str | None = None
    campaign: str | None = None
    gap: float | None = Field(default=None, ge=0, lt=1)
    time_limit_s: float | None = Field(default=None, gt=0, le=86_400)
    replications: int | None = Field(default=None, ge=0, le=10_000)

    _name = field_validator("name")(plain_name)


class PortfolioFile(_Model):
    centres: list[CentreEntry] = Field(min_length=1, max_length=1000)
    summary: str | None = None
    source: str | None = Field(default=None, exclude=True)

    @field_validator("centres")
    @classmethod
    def _unique(cls, v: list[CentreEntry]) -> list[CentreEntry]:
        check_unique([c.name for c in v], "centre name")
        return v


@dataclass(frozen=True)
class Job:
    """One centre to plan: every path resolved."""

    name: str
    config: Path
    history: Path
    out: Path
    start: str | None
    weeks: int
    agents: Path | None
    campaign: Path | None
    gap: float | None
    time_limit_s: float | None
    replications: int | None
    out_as_given: str = ""  # the out folder as the portfolio file writes it (the summary names run folders so)


def load_portfolio(path: PathLike) -> tuple[list[Job], Path]:
    """The centres of a portfolio file as jobs, and the summary's path; every named file checked (exit 2)."""
    doc = load_toml_model(path, PortfolioFile, "portfolio file")
    base = Path(path).parent

    def at(p: str) -> Path:
        q = Path(p)
        return q if q.is_absolute() else base / q

    jobs, outs = [], {}
    for c in doc.centres:
        for key in ("config", "history", "agents", "campaign"):
            value = getattr(c, key)
            if value is not None and not at(value).is_file():
                raise ConfigError(f"{path}: centre {c.name!r}: {key} {at(value)} is not a file")
        out = at(c.out)
        real = os.path.realpath(out)
        if real in outs:
            raise ConfigError(f"{path}: centres {outs[real]!r} and {c.name!r} share the out folder {out}; give each "
                              "centre its own")
        outs[real] = c.name
        jobs.append(Job(c.name, at(c.config), at(c.history), out, c.start, c.weeks,
                        at(c.agents) if c.agents else None, at(c.campaign) if c.campaign else None, c.gap,
                        c.time_limit_s, c.replications, c.out))
    return jobs, at(doc.summary) if doc.summary else base / "portfolio.csv"


def plan_centre(job: Job) -> dict[str, Any]:
    """Plan one centre into its run folder (:func:`wfm.plan.run.run`); its row of the summary, with its error
    when it failed (never raised: one centre does not stop the others)."""
    from wfm.plan.proof import REPLICATIONS
    from wfm.plan.run import run

    row: dict[str, Any] = {"centre": job.name, "exit_code": 0, "run_folder": "", "agents": None, "paid_hours": None,
                           "service_level": None, "service_level_target": None, "ratio": "", "ratio_status": "",
                           "breaches": 0, "error": ""}
    try:
        done = run(job.config, job.history, job.out, agents=job.agents, start=job.start, weeks=job.weeks,
                   time_limit_s=job.time_limit_s, gap=job.gap,
                   replications=REPLICATIONS if job.replications is None else job.replications,
                   campaign=job.campaign, quiet=True,
                   command={"path": "wfm plan --portfolio", "options": {"centre": job.name}})
    except WfmError as exc:
        return {**row, "exit_code": exc.exit_code, "error": str(exc).splitlines()[0]}
    except Exception as exc:  # noqa: BLE001 - a centre's failure is its row, never the portfolio's end
        return {**row, "exit_code": INTERNAL_ERROR, "error": f"{type(exc).__name__}: {exc}".splitlines()[0]}
    r, h = done.result, done.result.headline
    folder = str(Path(job.out_as_given) / done.folder.name) if job.out_as_given else str(done.folder)
    return {**row, "exit_code": r.exit_code, "run_folder": folder, "agents": h["rostered_agents"],
            "paid_hours": h["paid_hours"], "service_level": h["service_level"],
            "service_level_target": h["service_level_target"], "ratio": h["ratio"], "ratio_status": h["ratio_status"],
            "breaches": len(r.breaches), "error": "; ".join(f"{b.target}: {b.message}" for b in r.breaches)}


def portfolio(jobs: list[Job], *, workers: int = 1, cluster: str | None = None,
              progress: Callable[[int, int], None] | None = None) -> pd.DataFrame:
    """Every centre planned (:func:`plan_centre`) on :func:`wfm.parallel.map_jobs`; the summary
    (:data:`SUMMARY_COLUMNS`), one row per centre in the file's order."""
    from wfm.parallel import Failure, map_jobs

    rows = map_jobs(plan_centre, jobs, workers=workers, cluster=cluster, progress=progress, keep_failures=True)
    out = []
    for job, row in zip(jobs, rows, strict=True):
        if isinstance(row, Failure):  # the worker was lost twice while planning it
            row = {c: None for c in SUMMARY_COLUMNS} | {"centre": job.name, "exit_code": INTERNAL_ERROR,
                                                        "run_folder": "", "error": row.error, "breaches": 0}
        out.append(row)
    return pd.DataFrame(out, columns=SUMMARY_COLUMNS)


def worst_exit(summary: pd.DataFrame) -> int:
    """The portfolio's exit code: the worst centre's (0 < 1 < 2 < 3 < 70 < 75)."""
    return int(summary["exit_code"].max()) if len(summary) else 0
