"""`wfm capacity` through the CLI: the table, --json's keys, --out (csv and chart as one set), --sweep, the
week's agents for `wfm plan --agents`, exit codes and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from tests.bad_input import CONFIG, one_line_exit_2
from wfm.cli import app

ROOT = Path(__file__).resolve().parents[2]

FLAT = """
[capacity]
start = "2027-01-04"
weeks = 26
attrition_per_year = 0.52
requirement_fte = 100
fte_hours = 40
overtime_hours_per_fte = 2.0
shrinkage_by_month = [0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2]
[capacity.hiring]
lead_time_weeks = 2
training_weeks = 2
nesting_productivity = [0.5]
class_min = 2
class_max = 15
max_classes = 2
cost_per_hire = 500.0
contracts = ["full_time"]
[[capacity.headcount]]
contract = "full_time"
agents = 135
"""


def flat(tmp_path: Path, text: str = FLAT) -> Path:
    path = tmp_path / "capacity.toml"
    path.write_text(text)
    return path


def invoke(*args: str):
    return CliRunner().invoke(app, ["capacity", "--config", str(CONFIG), *args])


def test_capacity_prints_the_plan_and_json_carries_the_issue_keys(tmp_path):
    cap = flat(tmp_path)
    res = invoke("--capacity", str(cap))
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("Capacity plan, 26 weeks from 2027-01-04 to 2027-07-04: requirement from flat; "
                                 "attrition 52.0% a year (4.3% of the people a month)")
    assert "solver Optimal" in res.stdout and "lower bound" in res.stdout
    doc = json.loads(invoke("--capacity", str(cap), "--json").stdout)
    assert {"weeks", "total_cost", "hires_total", "lower_bound", "gap"} <= set(doc)
    week = doc["weeks"][0]
    assert {"week", "required_fte", "effective_fte", "headcount", "hires", "leavers", "short_fte"} <= set(week)
    # 135 people x 0.8 on the phones = 108 FTE, losing 1% a week: the weeks before a class can answer calls
    # (lead 2 + training 2 + nesting 1) are covered by the people on hand
    assert week["required_fte"] == 100.0 and week["effective_fte"] == 108.0 and week["headcount"] == 135.0
    assert doc["hires_total"] == sum(c["size"] for c in doc["classes"] if not c["after_horizon"]) > 0
    assert all(c["decided"] < c["start"] for c in doc["classes"])
    assert doc["exit_code"] == 0 and doc["gap"] <= 0.001


def test_out_writes_the_csv_and_chart_and_the_week_agents_feed_wfm_plan(tmp_path):
    from wfm.config import load_config
    from wfm.roster.readers import read_agents

    cap = flat(tmp_path)
    out = tmp_path / "plan" / "capacity.csv"
    agents = tmp_path / "agents.csv"
    res = invoke("--capacity", str(cap), "--out", str(out), "--agents-week", "2027-03-01", "--agents-out",
                 str(agents))
    assert res.exit_code == 0, res.output
    table = pd.read_csv(out)
    assert len(table) == 26 and table["week"].iloc[0] == "2027-01-04"
    assert out.with_suffix(".png").read_bytes()[:4] == b"\x89PNG"
    assert (out.parent / "capacity.manifest.json").exists()
    frame = read_agents(agents, load_config(CONFIG))
    assert set(frame["contract"]) == {"full_time"} and frame["agent_id"].is_unique
    # the week's people past training, rounded down
    doc = json.loads(invoke("--capacity", str(cap), "--json").stdout)
    wk = next(w for w in doc["weeks"] if w["week"] == "2027-03-01")
    assert len(frame) == int(wk["headcount"] - wk["training"] + 1e-9)


def test_a_week_left_short_is_exit_1(tmp_path):
    cap = flat(tmp_path, FLAT.replace("requirement_fte = 100", "requirement_fte = 130"))
    res = invoke("--capacity", str(cap))
    assert res.exit_code == 1
    doc = json.loads(invoke("--capacity", str(cap), "--json").stdout)
    # 108 FTE on hand against 130: short until the first class answers calls (lead 2 + training 2 weeks)
    short = [w["week"] for w in doc["weeks"] if w["short_fte"] > 0.01]
    assert short[:4] == ["2027-01-04", "2027-01-11", "2027-01-18", "2027-01-25"] and doc["exit_code"] == 1
    assert f"short: {doc['short_weeks']} week(s) below the requirement" in res.stdout


def test_sweep_tables_each_value(tmp_path):
    cap = flat(tmp_path)
    res = invoke("--capacity", str(cap), "--sweep", "attrition=0.13,0.52,1.0", "--gap", "0.02")
    lines = res.stdout.splitlines()
    assert lines[0].split()[:3] == ["attrition", "hires", "classes"]
    hires = [int(line.split()[1]) for line in lines[2:5]]
    assert hires == sorted(hires) and hires[0] < hires[-1]  # more attrition, more hires
    doc = json.loads(invoke("--capacity", str(cap), "--sweep", "attrition=0.13,0.52,1.0", "--gap", "0.02", "--json").stdout)
    assert [r["hires"] for r in doc["rows"]] == hires
    # exit 1 when some value leaves a week short, as a plan would
    assert res.exit_code == (1 if any(r["short_weeks"] for r in doc["rows"]) else 0)


def test_a_sweep_on_a_local_dask_cluster_gives_the_serial_plans(tmp_path):
    """The same sweep serially and on a LocalCluster of 2 processes (--workers 2): the same output to the last
    digit, the proven gaps included (a worker's BLAS runs one thread; wfm's sums do not depend on that)."""
    cap = flat(tmp_path)
    args = ("--capacity", str(cap), "--sweep", "attrition=0.13,0.3,0.52,1.0", "--gap", "0.02", "--json")
    serial = invoke(*args)
    two = invoke(*args, "--workers", "2")
    assert serial.exit_code == two.exit_code
    assert two.stdout == serial.stdout
    rows = json.loads(two.stdout)["rows"]
    assert len(rows) == 4 and all(r["gap"] <= 0.02 + 1e-9 for r in rows)


def test_capacity_bad_input_is_one_line(tmp_path):
    cap = flat(tmp_path)
    one_line_exit_2(invoke("--capacity", str(cap), "--sweep", "attrition=4:1"), "--sweep attrition=4:1")
    one_line_exit_2(invoke("--capacity", str(cap), "--sweep", "speed=1:2"), "NAME one of attrition, growth, aht")
    one_line_exit_2(invoke("--capacity", str(cap), "--agents-week", "2027-03-01"), "go together")
    one_line_exit_2(invoke("--capacity", str(cap), "--agents-week", "2027-03-02", "--agents-out",
                           str(tmp_path / "a.csv")), "not a Monday of the plan")
    bad = flat(tmp_path, FLAT.replace("attrition_per_year = 0.52", "attrition_per_year = -1"))
    one_line_exit_2(invoke("--capacity", str(bad)), "leavers in a year / average headcount")
    bad = flat(tmp_path, FLAT.replace('contract = "full_time"\nagents', 'contract = "nobody"\nagents'))
    one_line_exit_2(invoke("--capacity", str(bad)), "headcount contract 'nobody' is not a contract")
