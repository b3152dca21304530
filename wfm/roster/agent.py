"""One agent's roster as a small table (`wfm roster --agent A0001`): each day of the roster's span, the shift
or ``off``, its breaks, hours on site and on the phones (site less breaks)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from wfm.errors import InputError
from wfm.roster.rows import parse_roster_rows, read_roster

AGENT_WEEK_COLUMNS = ["date", "day", "shift", "start", "end", "breaks", "hours", "on_phones"]


def roster_path(where: str | os.PathLike[str]) -> Path:
    """roster.csv: ``where`` itself, or the one inside ``where`` when it is a run folder, or inside the newest
    run folder (by its name, the plan's first day) when ``where`` is a runs folder (`wfm plan --out`)."""
    p = Path(where)
    if p.is_dir():
        if (p / "roster.csv").is_file():
            return p / "roster.csv"
        runs = sorted(d for d in p.iterdir() if d.is_dir() and not d.name.startswith(".")
                      and (d / "roster.csv").is_file())
        if not runs:
            raise InputError(f"--roster {p}: no roster.csv in it nor in a run folder inside it (run `wfm plan`)")
        return runs[-1] / "roster.csv"
    if not p.exists():
        raise InputError(f"--roster {p}: no such file or folder")
    return p


def agent_week(roster: pd.DataFrame, agent: str, source: str = "roster") -> pd.DataFrame:
    """``agent``'s rows of ``roster`` (roster.csv's frame) over every day from the roster's first date to its
    last: ``date, day, shift, start, end, breaks, hours, on_phones``; a day without a shift is ``off``.
    An agent the roster does not name is an InputError listing some that it does."""
    rows = parse_roster_rows(roster, source)
    ids = rows.agent_id
    mine = np.flatnonzero(ids == agent)
    if not len(mine):
        known = list(dict.fromkeys(ids.tolist()))
        sample = ", ".join(known[:5]) + (f", ... ({len(known)} in all)" if len(known) > 5 else "")
        raise InputError(f"--agent {agent}: {source} has no agent {agent!r} (it has {sample})")
    on_site = rows.on_site_hours
    on_breaks = rows.break_hours
    by_date = {pd.Timestamp(rows.date[i]).date(): i for i in mine}
    days = pd.date_range(rows.date.min(), rows.date.max(), freq="D")
    text = {c: roster[c].fillna("").astype(str).to_numpy() for c in ("shift", "start", "end", "breaks")}
    out = []
    for d in days:
        i = by_date.get(d.date())
        if i is None:
            out.append([d.date().isoformat(), f"{d:%a}", "off", "", "", "", 0.0, 0.0])
            continue
        out.append([d.date().isoformat(), f"{d:%a}", text["shift"][i] or "shift", text["start"][i], text["end"][i],
                    text["breaks"][i].replace(";", ", "), round(float(on_site[i]), 2),
                    round(float(on_site[i] - on_breaks[i]), 2)])
    return pd.DataFrame(out, columns=AGENT_WEEK_COLUMNS)


def read_agent_week(where: str | os.PathLike[str], agent: str) -> tuple[Path, pd.DataFrame]:
    """The roster.csv :func:`roster_path` finds and ``agent``'s days in it."""
    path = roster_path(where)
    return path, agent_week(read_roster(path), agent, str(path))
