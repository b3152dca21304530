"""The small centre the what-if tests share: hourly intervals, two days, seven agents, so every solve is
tiny and exact (A..C 08-16 and D..F 10-18 on both days, G 08-16 on day 1 only)."""

from __future__ import annotations

import tomllib

import numpy as np
import pandas as pd

from wfm import whatif as W
from wfm.config import parse_config
from wfm.whatif.scenario import parse_scenarios

SMALL_TOML = """\
[centre]
name = "Small"
interval_minutes = 60
front_line_headcount = 7

[[queues]]
name = "retail"
service_level = 0.8
answer_within_s = 20
shrinkage = 0.0
patience_s = 180
aht_s = 300
max_occupancy = 0.9

[[queues]]
name = "cards"
service_level = 0.8
answer_within_s = 30
shrinkage = 0.0
patience_s = 240
aht_s = 240
max_occupancy = 0.9

[[contracts]]
name = "full_time"
days_per_week = [1, 5]
paid_hours_per_week = [8, 40]

[[shifts]]
name = "day"
contracts = ["full_time"]
start = ["08:00", "10:00"]
start_step_minutes = 60
length_minutes = 480
breaks = [{ minutes = 60, paid = false, window = ["04:00", "05:00"] }]

[back_office]
roles = [{ role = "second_line", headcount = 3 }, { role = "planning", headcount = 1 }]
"""
CONFIG = tomllib.loads(SMALL_TOML)
DAYS = ["2026-03-02", "2026-03-03"]


def small_config():
    return parse_config(CONFIG, source="small.toml")


def small_forecast(calls: float = 20.0) -> pd.DataFrame:
    """Two days, hourly; calls only 08:00-18:00 on both queues."""
    ts = pd.date_range(DAYS[0], periods=48, freq="60min")
    open_ = (ts.hour >= 8) & (ts.hour < 18)
    rows = []
    for q, aht in (("retail", 300.0), ("cards", 240.0)):
        rows.append(pd.DataFrame({"timestamp": ts, "queue": q, "volume": np.where(open_, calls, 0.0), "aht": aht}))
    return pd.concat(rows, ignore_index=True)


def small_roster() -> pd.DataFrame:
    """A..C 08-16 (break 12-13), D..F 10-18 (break 14-15) on both days; G works day 1 only (off on day 2)."""
    rows = []
    for day in DAYS:
        for a in "ABC":
            rows.append([a, "full_time", day, "day", "08:00", "16:00", "12:00-13:00"])
        for a in "DEF":
            rows.append([a, "full_time", day, "day", "10:00", "18:00", "14:00-15:00"])
    rows.append(["G", "full_time", DAYS[0], "day", "08:00", "16:00", "12:00-13:00"])
    return pd.DataFrame(rows, columns=W.ROSTER_COLUMNS)


def plan():
    return W.make_plan(small_config(), small_forecast(), small_roster())


def scenario(**body):
    return parse_scenarios({"scenario": [{"name": "s", **body}]})[0]


def run(body: dict, **kw):
    return W.run_scenario(plan(), scenario(**body), gap=0.0, **kw)


def hours_of(p) -> np.ndarray:
    return np.asarray(p.timestamps.hour)



# a three-fold surge on both days, the shortfall the lever tests recover from
SURGE = {"volume": [{"multiplier": 3.0, "start": "day 1", "end": "day 3"}]}


def lever_gain(levers: dict) -> tuple[np.ndarray, W.ScenarioResult]:
    res = run({**SURGE, "levers": levers})
    gain = res.recovery.rostered - res.before.intervals["rostered"].to_numpy()
    return gain, res

