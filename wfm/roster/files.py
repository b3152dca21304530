"""``wfm roster`` on files: read the staffing (and agents), roster, write roster.csv with coverage.csv and
service.csv beside it, published as one set with ``roster.manifest.json`` (:func:`wfm.outputs.publish_files`).

Readers of a roster.csv (``wfm simulate``, ``wfm ratio --roster``, ``wfm whatif --roster``) call
:func:`check_roster_set` first: a roster whose set was left half-published by a killed ``wfm roster`` (a new
roster beside an old coverage.csv) is refused in one line.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from wfm.config import CentreConfig
from wfm.errors import InputError
from wfm.io import check_date, csv_text
from wfm.outputs import check_file_set, check_out_paths, publish_files
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


ROSTER_MANIFEST = "roster.manifest.json"
BESIDE = ("coverage.csv", "service.csv", ROSTER_MANIFEST)  # what `wfm roster --out X` writes beside X


def roster_outputs(out: str | os.PathLike[str]) -> dict[str, Path]:
    """What ``--out X`` writes: X, and coverage.csv, service.csv and roster.manifest.json beside it; exit 2
    when X is itself one of those names (the roster would be overwritten by a file written beside it)."""
    out = Path(out)
    if out.name.casefold() in {name.casefold() for name in BESIDE}:
        raise InputError(f"--out {out}: {out.name} is written beside the roster ({', '.join(BESIDE)}); name "
                         "the roster something else, e.g. roster.csv")
    return {"--out": out, **{f"{name} beside --out": out.parent / name for name in BESIDE}}


def check_roster_out(out: str | os.PathLike[str] | None,
                     inputs: Mapping[str, str | os.PathLike[str] | None]) -> None:
    """Before any work: exit 2 when ``--out`` or a file written beside it is one of ``inputs`` (label: path)
    or a name it must not take."""
    if out is not None:
        check_out_paths(roster_outputs(out), inputs)


def write_roster(result: Roster, out: str | os.PathLike[str]) -> Path:
    """Write roster.csv to ``out`` with coverage.csv and service.csv beside it, published as one set with
    roster.manifest.json (each file's sha256: a reader never takes a roster beside another run's coverage);
    returns coverage.csv's path."""
    out = roster_outputs(out)["--out"]
    publish_files(out.parent, {
        out.name: csv_text(result.assignments).encode("utf-8"),
        "coverage.csv": csv_text(result.coverage).encode("utf-8"),
        "service.csv": csv_text(result.service).encode("utf-8"),
    }, ROSTER_MANIFEST)
    return out.parent / "coverage.csv"


def check_roster_set(path: str | os.PathLike[str]) -> None:
    """Exit 2 when the roster at ``path`` belongs to a set a killed ``wfm roster`` left half-published (its
    roster.manifest.json still says ``publishing`` and the files mix two runs); else nothing."""
    check_file_set(path, ROSTER_MANIFEST, rerun="run wfm roster --out again")


def uncovered_records(result: Roster) -> list[dict[str, Any]]:
    """The under-covered intervals in time order, for ``--json``."""
    return [
        {"timestamp": f"{r.timestamp:%Y-%m-%d %H:%M}", "required_scheduled": int(r.required_scheduled),
         "rostered": int(r.rostered), "under": int(r.under)}
        for r in result.uncovered.sort_values("timestamp").itertuples()
    ]
