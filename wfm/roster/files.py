"""``wfm roster`` on files: read the staffing (and agents), roster, write roster.csv with coverage.csv and
service.csv beside it."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from wfm.config import CentreConfig
from wfm.errors import InputError
from wfm.io import atomic_write_csv, check_date
from wfm.roster.domain import Roster
from wfm.roster.readers import read_agents, read_staffing


def parse_start(start: str | date | None) -> date | None:
    """``--start`` as a date (None stays None: the first staffing day)."""
    if start is None:
        return start
    if not isinstance(start, date):
        try:
            start = date.fromisoformat(start)
        except ValueError:
            raise InputError(f"--start must be a date YYYY-MM-DD, got {start!r}") from None
    check_date(start, "--start")
    return start


def roster_files(
    staffing_csv: str | os.PathLike[str],
    config: CentreConfig,
    *,
    agents_csv: str | os.PathLike[str] | None = None,
    start: str | date | None = None,
    progress: Callable[[dict[str, float]], None] | None = None,
    **settings: Any,
) -> Roster:
    """:func:`wfm.roster.roster` on a staffing CSV (and an agents.csv); ``settings`` are its keyword options."""
    from wfm.roster import roster

    staffing = read_staffing(staffing_csv, config)
    people = read_agents(agents_csv, config) if agents_csv is not None else None
    return roster(staffing, config, start=parse_start(start), agents=people, progress=progress, **settings)


def write_roster(result: Roster, out: str | os.PathLike[str]) -> Path:
    """Write roster.csv to ``out`` with coverage.csv and service.csv beside it (each atomically); returns
    coverage.csv's path."""
    out = Path(out)
    coverage_path = out.parent / "coverage.csv"
    atomic_write_csv(out, result.assignments)
    atomic_write_csv(coverage_path, result.coverage)
    atomic_write_csv(out.parent / "service.csv", result.service)
    return coverage_path


def uncovered_records(result: Roster) -> list[dict[str, Any]]:
    """The under-covered intervals in time order, for ``--json``."""
    return [
        {"timestamp": f"{r.timestamp:%Y-%m-%d %H:%M}", "required_scheduled": int(r.required_scheduled),
         "rostered": int(r.rostered), "under": int(r.under)}
        for r in result.uncovered.sort_values("timestamp").itertuples()
    ]
