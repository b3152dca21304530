"""Rosters judged over a day or week (service_level_period): the plan the MILP makes is the plan the Erlang
recomputation of its roster.csv sees, and judging every interval with FIFO routing is the plan wfm made
before period targets existed."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from roster_cases import MONDAY, config, hourly_forecast
from typer.testing import CliRunner

from wfm.cli import app
from wfm.roster import coverage, roster
from wfm.staffing import queue_service_levels, staff

ROOT = Path(__file__).resolve().parents[2]


def two_queue_centre(routing: str = "priority"):
    queues = [
        {"name": "sales", "service_level": 0.9, "answer_within_s": 15, "shrinkage": 0.25, "aht_s": 240,
         "patience_s": 200, "service_level_period": "day"},
        {"name": "care", "service_level": 0.8, "answer_within_s": 30, "shrinkage": 0.25, "aht_s": 360,
         "service_level_period": "day", "asa_s": 25},
    ]
    cfg = config(queues=queues, staff_groups=[{"name": "front_line", "routing": routing}],
                 roster={"time_limit_s": 30, "gap": 0.02, "min_rest_hours": 11, "start_band_minutes": 60,
                         "under_penalty": 50, "requirement": "pooled"})
    fc = hourly_forecast()
    both = pd.concat([fc.assign(queue="sales", volume=fc["volume"] * 0.6, aht=240.0),
                      fc.assign(queue="care", volume=fc["volume"] * 0.9, aht=360.0)], ignore_index=True)
    return cfg, staff(both, cfg)


@pytest.fixture(scope="module")
def planned():
    cfg, st = two_queue_centre()
    # within 5% of the bound (1 s): at 2% HiGHS ran to the 30 s time limit, and where a time limit stops the
    # solve the roster depends on the machine's speed
    cfg.roster.gap = 0.05
    return cfg, st, roster(st, cfg)


def test_milp_service_level_is_the_erlang_recomputation_of_its_roster(planned):
    cfg, st, r = planned
    judged = r.service[r.service["period"] == "day"]
    assert len(judged) == 14 and judged["met"].all() and r.ok
    assert (judged["service_level"] >= judged["target"] - 1e-9).all()
    diff = (judged["model_service_level"].astype(float) - judged["service_level"]).abs()
    assert diff.max() <= 5e-5  # equal to 4 decimals (service_level is rounded to 4)


def test_service_table_is_what_roster_csv_gives(planned):
    # recompute from the roster rows alone: coverage -> each queue's Erlang service per interval -> per day
    cfg, st, r = planned
    cov = coverage(r.assignments, st, cfg, start=MONDAY, weeks=1)
    per = queue_service_levels(st.assign(timestamp=pd.to_datetime(st["timestamp"])),
                               pd.Series(cov["rostered"].to_numpy(), index=pd.DatetimeIndex(cov["timestamp"])), cfg)
    per["day"] = per["timestamp"].dt.strftime("%Y-%m-%d")
    for row in r.service.itertuples():
        g = per[(per["queue"] == row.queue) & (per["day"] == row.start)]
        sl = float((g["volume"] * g["service_level"]).sum() / g["volume"].sum())
        assert row.service_level == pytest.approx(sl, abs=5e-5)


def test_day_targets_cost_less_than_every_interval(planned):
    cfg, st, r = planned
    every = cfg.model_copy(deep=True)
    for q in every.queues:
        q.service_level_period = "interval"
    assert r.paid_hours < roster(st, every).paid_hours


def test_snapshot_interval_and_fifo_reproduce_the_plan_before_period_targets(tmp_path):
    # the bundled example with every queue judged per interval and FIFO routing, at the gap of the time
    # (1%): the plan wfm made before period targets and routing: 233 agents, 8,450 paid hours, 95.8%
    text = (ROOT / "configs" / "example.toml").read_text()
    text = text.replace('service_level_period = "day"', 'service_level_period = "interval"')
    text = text.replace('routing = "objective"', 'routing = "fifo"')
    # ...and the occupancy caps it had then (85%, 85%, 88%)
    for name, cap in (("retail", 0.85), ("business", 0.85), ("cards", 0.88)):
        text = text.replace(f'name = "{name}"\n', f'name = "{name}"\nmax_occupancy = {cap}\n')
    cfg = tmp_path / "interval.toml"
    cfg.write_text(text)
    res = CliRunner().invoke(app, ["plan", "--config", str(cfg), "--history", str(ROOT / "forecasts" / "history.csv"),
                                   "--out", str(tmp_path / "runs"), "--gap", "0.01"])
    table = dict(re.split(r"\s{2,}", line, maxsplit=1) for line in res.stdout.splitlines())
    assert table["agents rostered"] == "233 (8,450 paid hours)"
    # 95.8% then; 95.7% since the forecast's profile follows the learnt hours (issue 12: the business queue's
    # Saturday 05:15, no call in nine weeks between busy neighbours, is forecast 0.6 calls, not 0)
    assert table["service level"] == "95.7% (target 81.5%)"
    roster_csv = next((tmp_path / "runs").glob("*/roster.csv"))
    assert len(pd.read_csv(roster_csv)) == 1165
