"""`wfm simulate` through the CLI: --json, --out, --quiet, exit codes, and bad input as one line (exit 2)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tests.simulate import small
from wfm.cli import app


@pytest.fixture
def centre(tmp_path):
    (tmp_path / "small.toml").write_text(small.CONFIG_TOML)
    small.write(tmp_path, small.forecast(), "forecast.csv")
    small.write(tmp_path, small.roster(14), "roster.csv")
    small.write(tmp_path, small.agents(count=2), "agents.csv")
    return tmp_path


def run(centre, *args):
    return CliRunner().invoke(app, ["simulate", *args, "--config", str(centre / "small.toml"),
                                    "--forecast", str(centre / "forecast.csv"), "--replications", "4"])


def test_json_has_the_settings_horizon_and_figures_per_queue_and_day(centre):
    res = run(centre, str(centre / "roster.csv"), "--json", "--seed", "5")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert res.stderr == ""
    assert doc["replications"] == 4 and doc["seed"] == 5 and doc["routing"] == "fifo" and doc["meets_targets"]
    assert doc["agents_from"] == "rostered" and doc["shrinkage"] == "fixed" and doc["out"] == []
    assert [q["queue"] for q in doc["queues"]] == ["sales", "care"]
    assert {"service_level", "service_level_lo", "service_level_hi", "asa", "abandon_rate", "offered",
            "waiting_at_end", "meets_targets"} <= set(doc["queues"][0])
    assert [d["date"] for d in doc["days"]] == [small.DAY, small.DAY]
    again = run(centre, str(centre / "roster.csv"), "--json", "--seed", "5")
    assert again.stdout == res.stdout


def test_a_missed_target_exits_1_and_the_table_says_which(centre):
    res = run(centre, str(centre / "agents.csv"), "--routing", "priority", "--priority", "sales")
    assert res.exit_code == 1, res.output
    assert "routing priority (sales > care)" in res.stdout
    lines = {line.split()[0]: line for line in res.stdout.splitlines() if line.startswith(("sales ", "care "))}
    assert lines["care"].endswith("no")


def test_out_writes_a_csv_or_a_folder(centre):
    res = run(centre, str(centre / "roster.csv"), "--out", str(centre / "sim.csv"), "--quiet")
    assert (res.exit_code, res.stdout, res.stderr) == (0, "", "")
    assert (centre / "sim.csv").read_text().startswith("timestamp,queue,group,volume,rostered,agents,offered,")
    res = run(centre, str(centre / "roster.csv"), "--out", str(centre / "sim"), "--service-cv", "0.8",
              "--shrinkage", "binomial")
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in (centre / "sim").iterdir()) == ["days.csv", "intervals.csv", "queues.csv"]
    assert res.stderr.splitlines() == [f"wrote {centre / 'sim' / n}.csv" for n in ("intervals", "days", "queues")]
    assert "service lognormal cv=0.8; shrinkage binomial" in res.stdout


@pytest.mark.parametrize("args, message", [
    (["--routing", "priority", "--priority", "care,billing"],
     "Error: --priority: unknown queue 'billing' (the config has: sales, care)\n"),
    (["--routing", "fifo", "--priority", "care"],
     "Error: a priority order needs routing 'priority' (--routing priority)\n"),
])
def test_a_bad_priority_is_one_line_and_exit_2(centre, args, message):
    res = run(centre, str(centre / "roster.csv"), *args)
    assert (res.exit_code, res.stdout, res.stderr) == (2, "", message)


def test_a_malformed_roster_row_is_one_line_naming_file_line_and_field(centre):
    bad = small.roster(3).assign(end=["12:00", "12:00", "noon"])
    path = small.write(centre, bad, "bad_roster.csv")
    res = run(centre, str(path))
    assert res.exit_code == 2
    assert res.stdout == ""
    assert res.stderr == (f"Error: {path}, line 4, field 'end': is not a time: 'noon' (expected HH:MM or "
                          "YYYY-MM-DD HH:MM)\n")


def test_a_malformed_forecast_row_is_one_line(centre):
    (centre / "forecast.csv").write_text("timestamp,queue,volume,aht\n2026-03-02 08:00,sales,many,\n")
    res = run(centre, str(centre / "roster.csv"))
    assert (res.exit_code, res.stdout) == (2, "")
    assert res.stderr == f"Error: {centre / 'forecast.csv'}, line 2, field 'volume': is not a number: 'many'\n"
