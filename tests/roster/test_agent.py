"""`wfm roster --agent`: one agent's days of a published roster (wfm.roster.agent), hours worked out by hand,
which roster.csv --roster finds, and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from wfm.cli import app
from wfm.errors import InputError
from wfm.roster import agent_week, roster_path

HEADER = "agent_id,contract,date,shift,start,end,breaks\n"
ROWS = (
    "A0001,full_time,2026-11-30,day,07:00,15:30,09:00-09:15;11:30-12:00\n"
    "B0002,part_time,2026-11-30,night,22:00,06:00,02:00-02:30\n"
    "A0001,full_time,2026-12-02,late,14:00,22:30,\n"
    "B0002,part_time,2026-12-03,night,22:00,06:00,02:00-02:30\n"
)


def _write(folder: Path, rows: str = ROWS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "roster.csv").write_text(HEADER + rows)
    return folder / "roster.csv"


def test_every_day_of_the_roster_with_the_shift_or_off_and_its_hours():
    frame = pd.read_csv(pd.io.common.StringIO(HEADER + ROWS), dtype=str)
    week = agent_week(frame, "A0001")
    assert week["date"].tolist() == ["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03"]
    assert week["day"].tolist() == ["Mon", "Tue", "Wed", "Thu"]
    assert week["shift"].tolist() == ["day", "off", "late", "off"]
    assert week["breaks"].tolist() == ["09:00-09:15, 11:30-12:00", "", "", ""]
    # 07:00-15:30 is 8.5 h on site, less 15 + 30 minutes of breaks; 14:00-22:30 has no break
    assert week["hours"].tolist() == [8.5, 0.0, 8.5, 0.0]
    assert week["on_phones"].tolist() == [7.75, 0.0, 8.5, 0.0]
    night = agent_week(frame, "B0002")  # 22:00 to 06:00 the next morning: 8 h, 7.5 off its break
    assert night.loc[night["shift"] == "night", ["hours", "on_phones"]].to_numpy().tolist() == [[8.0, 7.5]] * 2


def test_an_agent_the_roster_does_not_name_is_an_error_listing_some_it_does():
    frame = pd.read_csv(pd.io.common.StringIO(HEADER + ROWS), dtype=str)
    with pytest.raises(InputError, match=r"--agent Z9: r.csv has no agent 'Z9' \(it has A0001, B0002\)"):
        agent_week(frame, "Z9", "r.csv")


def test_roster_path_takes_a_file_a_run_folder_or_the_newest_run_of_a_runs_folder(tmp_path):
    runs = tmp_path / "runs"
    older = _write(runs / "2026-11-23")
    newer = _write(runs / "2026-11-30")
    (runs / ".2026-12-07.tmp-abc").mkdir()  # a publish in progress is not a run
    assert roster_path(runs) == newer
    assert roster_path(runs / "2026-11-23") == older
    assert roster_path(older) == older
    with pytest.raises(InputError, match="no roster.csv in it"):
        roster_path(tmp_path / "runs" / ".2026-12-07.tmp-abc")
    with pytest.raises(InputError, match="no such file or folder"):
        roster_path(tmp_path / "nowhere")


def test_the_command_prints_the_week_and_json_and_refuses_a_staffing_file_with_agent(tmp_path):
    runs = tmp_path / "runs"
    path = _write(runs / "2026-11-30")
    res = CliRunner().invoke(app, ["roster", "--agent", "A0001", "--roster", str(runs)])
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[0] == f"A0001 in {path}"
    assert lines[1].split() == ["date", "day", "shift", "start", "end", "breaks", "hours", "on_phones"]
    assert lines[3].split() == ["2026-11-30", "Mon", "day", "07:00", "15:30", "09:00-09:15,", "11:30-12:00",
                                "8.50", "7.75"]
    assert lines[4].split() == ["2026-12-01", "Tue", "off"]
    assert lines[-1] == "2 shifts, 17.00 hours on site, 16.25 on the phones"
    doc = json.loads(CliRunner().invoke(app, ["roster", "--agent", "A0001", "--roster", str(path), "--json"]).stdout)
    assert doc["agent"] == "A0001" and doc["roster"] == str(path) and len(doc["days"]) == 4
    for args, needle in ((["roster", str(path), "--agent", "A0001"], "give no STAFFING_CSV with it"),
                         (["roster"], "give STAFFING_CSV"),
                         (["roster", "--agent", "X", "--roster", str(path)], "has no agent 'X'")):
        res = CliRunner().invoke(app, args)
        assert res.exit_code == 2 and needle in res.stderr and len(res.stderr.strip().splitlines()) == 1, res.output
