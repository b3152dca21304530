"""`wfm roster` through the CLI runner: files, table, --json, and every error path with its exit code."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from wfm.cli import app
from wfm.config import load_config
from wfm.io import atomic_write_csv
from wfm.roster import coverage, read_roster
from wfm.staffing import staff

TINY = """\
[centre]
name = "Tiny"
interval_minutes = 60

[[queues]]
name = "q"
shrinkage = 0.0
aht_s = 300

[[contracts]]
name = "full_time"
days_per_week = 5
paid_hours_per_week = 40
consecutive_days_off = 2

[[contracts]]
name = "part_time"
days_per_week = [3, 4]
paid_hours_per_week = [12, 16]
cost_per_paid_hour = 1.2
max_share = 0.5

[[shifts]]
name = "day"
contracts = ["full_time"]
start = ["07:00", "09:00"]
start_step_minutes = 60
length_minutes = 540
breaks = [ { minutes = 60, paid = false, window = ["03:00", "06:00"] } ]

[[shifts]]
name = "late"
contracts = ["full_time"]
start = ["14:00", "15:00"]
start_step_minutes = 60
length_minutes = 540
breaks = [ { minutes = 60, paid = false, window = ["03:00", "06:00"] } ]

[[shifts]]
name = "part"
contracts = ["part_time"]
start = ["10:00", "18:00"]
start_step_minutes = 120
length_minutes = 240

[roster]
time_limit_s = 30
gap = 0.03
start_band_minutes = 60
"""


def forecast() -> pd.DataFrame:
    idx = pd.date_range("2026-01-05", periods=7 * 24, freq="60min")
    h = idx.hour.to_numpy()
    volume = np.where(h >= 7, 40 + 60 * np.exp(-(((h - 12) / 3.0) ** 2)) + 40 * np.exp(-(((h - 19) / 2.0) ** 2)), 0.0)
    volume = volume * (1 + 0.15 * (idx.day_of_week.to_numpy() < 5))
    return pd.DataFrame({"timestamp": idx, "queue": "q", "volume": np.round(volume, 1), "aht": 300.0})


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tiny.toml").write_text(TINY)
    cfg = load_config(tmp_path / "tiny.toml")
    atomic_write_csv(tmp_path / "staffing.csv", staff(forecast(), cfg))
    return tmp_path


def without_seconds(text: str) -> str:
    return re.sub(r"solve_seconds +[0-9.]+", "solve_seconds  <s>", text)


def test_snapshot_roster_writes_roster_and_coverage_and_prints_the_summary(runner, files):
    result = runner.invoke(app, ["roster", "staffing.csv", "-c", "tiny.toml", "--out", "out/roster.csv"])
    assert result.exit_code == 0, result.output
    assert without_seconds(result.stdout) == (
        "solver                 highs (Optimal)\n"
        "weeks                  1 from 2026-01-05\n"
        "objective              1,304.00\n"
        "lower_bound            1,302.80\n"
        "gap                    0.09%\n"
        "paid_hours             1,240.0\n"
        "cost                   1,304.00\n"
        "agents                 46\n"
        "agents: full_time      23\n"
        "agents: part_time      23\n"
        "under_agent_intervals  0\n"
        "over_agent_intervals   130\n"
        "worst_interval         2026-01-10 22:00 (SL 0.817)\n"
        "solve_seconds  <s>\n"
    )
    assert result.stderr == "wrote out/roster.csv (195 rows), out/coverage.csv and out/service.csv\n"
    roster_csv = (files / "out" / "roster.csv").read_text().splitlines()
    assert roster_csv[0] == "agent_id,contract,date,shift,start,end,breaks"
    assert len(roster_csv) == 196
    cov = pd.read_csv(files / "out" / "coverage.csv")
    assert list(cov.columns) == ["timestamp", "required_scheduled", "rostered", "over", "under", "service_level"]
    assert len(cov) == 168 and cov["under"].sum() == 0
    # coverage.csv is what roster.csv alone gives
    cfg = load_config(files / "tiny.toml")
    st = pd.read_csv(files / "staffing.csv", parse_dates=["timestamp"])
    again = coverage(read_roster(files / "out" / "roster.csv"), st, cfg)
    assert again["rostered"].tolist() == cov["rostered"].tolist()
    assert np.allclose(again["service_level"], cov["service_level"], atol=1e-4)


def test_snapshot_roster_json_is_clean_and_has_the_keys(runner, files):
    result = runner.invoke(app, ["roster", "staffing.csv", "-c", "tiny.toml", "--out", "r.csv", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for key in ("objective", "lower_bound", "gap", "paid_hours", "cost", "agents", "agents_by_contract",
                "under_agent_intervals", "worst_interval", "solve_seconds", "solver"):
        assert key in data
    assert data["objective"] == 1304.0 and data["lower_bound"] == 1302.8
    assert data["agents_by_contract"] == {"full_time": 23, "part_time": 23}
    assert data["solver"] == "highs" and data["uncovered"] == []
    assert data["out"] == "r.csv" and data["coverage"] == "coverage.csv"
    assert (files / "coverage.csv").exists()


def test_roster_explain_prints_where_the_paid_hours_go_adding_up_to_the_cent(runner, files):
    result = runner.invoke(app, ["roster", "staffing.csv", "-c", "tiny.toml", "--explain"])
    assert result.exit_code == 0, result.output
    summary, parts, hours, shifts = result.stdout.rstrip("\n").split("\n\n")
    assert "paid_hours             1,240.0\n" in summary
    lines = parts.splitlines()
    assert re.split(r"\s{2,}", lines[0]) == ["where the paid hours go", "hours", "share", "meaning"]
    table = {cells[0]: cells[1:] for cells in (re.split(r"\s{2,}", line) for line in lines[1:])}
    cents = {name: round(float(cells[0].replace(",", "")) * 100) for name, cells in table.items()}
    assert cents.pop("paid hours") == 124000 and sum(cents.values()) == 124000
    assert list(cents) == ["workload", "queueing margin", "occupancy cap", "pooling", "routing", "rounding",
                           "shrinkage", "under-coverage", "over-coverage (shift shapes)", "contract minimums",
                           "paid breaks", "paid closed days"]
    calls = forecast()["volume"].sum()
    assert cents["workload"] == round(calls * 300 / 3600 * 100)  # calls x AHT
    assert cents["shrinkage"] == cents["occupancy cap"] == cents["pooling"] == cents["paid breaks"] == 0
    assert table["paid hours"][1] == "100.0%"
    assert hours.splitlines()[0].split("  ")[0] == "over-coverage by hour of day"
    assert len(hours.splitlines()) == 6  # the five hours with the most
    assert [re.split(r"\s{2,}", line)[0] for line in shifts.splitlines()] == ["over-coverage by shift", "day", "late",
                                                                             "part"]
    # --json: the same parts under "explain", adding up to the roster's paid hours
    data = json.loads(runner.invoke(app, ["roster", "staffing.csv", "-c", "tiny.toml", "--explain", "--json"]).stdout)
    explain = data["explain"]
    assert explain["paid_hours"] == data["paid_hours"] == 1240.0
    assert round(sum(p["hours"] for p in explain["parts"]) * 100) == 124000
    assert {p["name"]: round(p["hours"] * 100) for p in explain["parts"] if p["name"] in cents} == cents
    assert len(explain["over_by_hour"]) == 24 and explain["requirement"] == "scheduled"
    # without --explain, nothing of it
    plain = runner.invoke(app, ["roster", "staffing.csv", "-c", "tiny.toml", "--json"])
    assert "explain" not in json.loads(plain.stdout)


def test_roster_with_cbc_and_quiet(runner, files):
    result = runner.invoke(
        app, ["roster", "staffing.csv", "-c", "tiny.toml", "--solver", "cbc", "--quiet", "--out", "r.csv"]
    )
    assert result.exit_code == 0, result.output
    assert result.output == ""
    assert (files / "r.csv").exists() and (files / "coverage.csv").exists()


def test_roster_same_input_same_files(runner, files):
    for out in ("a/roster.csv", "b/roster.csv"):
        assert runner.invoke(app, ["roster", "staffing.csv", "-c", "tiny.toml", "-q", "--out", out]).exit_code == 0
    assert (files / "a/roster.csv").read_bytes() == (files / "b/roster.csv").read_bytes()
    assert (files / "a/coverage.csv").read_bytes() == (files / "b/coverage.csv").read_bytes()


def test_roster_exit_1_lists_uncovered_intervals(runner, files):
    (files / "agents.csv").write_text("agent_id,contract\nF1,full_time\nP1,part_time\n")
    result = runner.invoke(
        app, ["roster", "staffing.csv", "-c", "tiny.toml", "--agents", "agents.csv", "--out", "r.csv", "--json"]
    )
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["agents"] == 2 and data["under_agent_intervals"] > 0
    assert len(data["uncovered"]) > 0
    assert data["uncovered"][0] == {"timestamp": "2026-01-05 07:00", "required_scheduled": 7, "rostered": 0, "under": 7}
    assert result.stderr.startswith("demand not met: ")
    assert "2026-01-05 07:00 (7 short)" in result.stderr


def test_roster_strict_infeasible_exits_3(runner, files):
    (files / "agents.csv").write_text("agent_id,contract\nF1,full_time\n")
    result = runner.invoke(
        app, ["roster", "staffing.csv", "-c", "tiny.toml", "--agents", "agents.csv", "--strict", "--out", "r.csv"]
    )
    assert result.exit_code == 3
    assert result.stderr == (
        "Error: no roster covers every interval under --strict with these contracts and shifts "
        "(drop --strict to see the shortfall)\n"
    )
    assert not (files / "r.csv").exists()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (('contracts = ["part_time"]', 'contracts = ["full_time"]'),
         "Error: tiny.toml: contract 'part_time' is served by no shift template (list it in a [[shifts]] contracts)\n"),
        (('window = ["03:00", "06:00"] } ]\n\n[[shifts]]\nname = "late"', 'window = ["08:00", "10:00"] } ]\n\n'
          '[[shifts]]\nname = "late"'),
         "Error: tiny.toml: shift 'day': break 1 window 08:00-10:00 ends after the 9h00 shift\n"),
        (("paid_hours_per_week = [12, 16]", "paid_hours_per_week = [17, 18]"),
         "Error: tiny.toml: contract 'part_time': hours cannot add up: 3-4 days of 'part' 4 h paid never give "
         "17-18 paid hours a week\n"),
    ],
)
def test_roster_contradictory_config_exits_2(runner, files, edit, message):
    text = TINY.replace(*edit)
    assert text != TINY
    (files / "tiny.toml").write_text(text)
    result = runner.invoke(app, ["roster", "staffing.csv", "-c", "tiny.toml", "--out", "r.csv"])
    assert result.exit_code == 2
    assert result.stderr == message


def test_roster_bad_staffing_row_names_line_and_field(runner, files):
    lines = (files / "staffing.csv").read_text().splitlines()
    cells = lines[5].split(",")
    header = lines[0].split(",")
    cells[header.index("scheduled")] = "many"
    lines[5] = ",".join(cells)
    (files / "staffing.csv").write_text("\n".join(lines) + "\n")
    result = runner.invoke(app, ["roster", "staffing.csv", "-c", "tiny.toml"])
    assert result.exit_code == 2
    assert result.stderr == "Error: staffing.csv, line 6, field 'scheduled': is not a number: 'many'\n"


def test_roster_bad_agents_file_names_line_and_field(runner, files):
    (files / "agents.csv").write_text("agent_id,contract,preferred_shifts\nF1,full_time,day\nF2,full_time,nights\n")
    result = runner.invoke(app, ["roster", "staffing.csv", "-c", "tiny.toml", "--agents", "agents.csv"])
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: agents.csv, line 3, field 'preferred_shifts': unknown shift 'nights' (the config has: day, late, part)\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--weeks", "7"], "Error: --weeks must be 1 to 6, got 7\n"),
        (["--start", "Monday"], "Error: --start must be a date YYYY-MM-DD, got 'Monday'\n"),
        (["--solver", "gurobi"], "Error: unknown solver 'gurobi' (use highs or cbc)\n"),
    ],
)
def test_roster_bad_options_exit_2(runner, files, args, message):
    result = runner.invoke(app, ["roster", "staffing.csv", "-c", "tiny.toml", *args])
    assert result.exit_code == 2
    assert result.stderr == message


def test_roster_missing_staffing_file(runner, files):
    result = runner.invoke(app, ["roster", "nope.csv", "-c", "tiny.toml"])
    assert result.exit_code == 2
    assert result.stderr == "Error: nope.csv: file not found\n"
