"""The simulation's inputs: the forecast on its grid, agents per interval from roster.csv or an agents CSV, the
priority order; each bad input is an InputError naming what to fix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.simulate import small
from wfm.errors import InputError
from wfm.simulate import (
    default_priority,
    demand,
    is_roster_file,
    priority_order,
    read_agents_per_interval,
    read_supply,
    simulate,
    supply_from_agents,
    supply_from_roster,
)


# --------------------------------------------------------------------------- priority order
def test_default_priority_is_the_tightest_target_first():
    cfg = small.config(sales={"answer_within_s": 10, "service_level": 0.95}, care={"answer_within_s": 10})
    assert default_priority(cfg.queues) == ["sales", "care"]  # same T: the higher service level first
    assert default_priority(small.config().queues) == ["care", "sales"]  # care answers within 10 s, sales 20 s


def test_a_priority_list_comes_first_and_the_rest_follow_in_default_order():
    cfg = small.config()
    assert priority_order(cfg, "priority", ["sales"]) == ["sales", "care"]
    assert priority_order(cfg, "priority", "sales, care") == ["sales", "care"]
    assert priority_order(cfg, "priority", None) == ["care", "sales"]


@pytest.mark.parametrize("routing, priority, message", [
    ("priority", ["sales", "nope"], "--priority: unknown queue 'nope' (the config has: sales, care)"),
    ("priority", ["care", "care"], "--priority: queue 'care' appears twice"),
    ("fifo", ["care"], "a priority order needs routing 'priority' (--routing priority)"),
    ("random", None, "routing must be one of fifo, priority, objective, got 'random'"),
])
def test_bad_routing_is_an_input_error(routing, priority, message):
    with pytest.raises(InputError) as err:
        priority_order(small.config(), routing, priority)
    assert str(err.value) == message


@pytest.mark.parametrize("kw, message", [
    ({"replications": 0}, "--replications must be between 1 and 100,000, got 0"),
    ({"service_cv": -1.0}, "--service-cv must be a positive number of at most 10, got -1"),
    ({"service_cv": 1e308}, "--service-cv must be a positive number of at most 10, got 1e+308"),
    ({"shrinkage": "random"}, "--shrinkage must be one of fixed, binomial, got 'random'"),
])
def test_bad_settings_are_input_errors(kw, message):
    with pytest.raises(InputError) as err:
        simulate(small.config(), small.forecast(), agents=small.agents(), **kw)
    assert str(err.value) == message


# --------------------------------------------------------------------------- the forecast on its grid
def test_the_grid_runs_from_the_first_to_the_last_interval_and_missing_rows_have_no_calls():
    fc = small.forecast()
    fc = fc[~((fc["queue"] == "care") & (fc["timestamp"] == pd.Timestamp(f"{small.DAY} 09:00")))]
    d = demand(fc, small.config())
    assert len(d.timestamps) == 96 and [q.name for q in d.queues] == ["sales", "care"]
    assert d.volume[1, 36] == 0.0 and d.volume[0, 36] == 20.0
    assert (d.aht[0] == 240).all() and (d.aht[1] == 300).all()  # blank AHT: the queue's aht_s


def test_a_forecast_off_the_interval_grid_is_an_error():
    fc = small.forecast()
    fc.loc[5, "timestamp"] = fc.loc[5, "timestamp"] + pd.Timedelta(minutes=5)
    with pytest.raises(InputError, match="not on the 15-minute grid"):
        demand(fc, small.config())


# --------------------------------------------------------------------------- agents per interval
def test_an_agents_file_is_read_with_its_meaning(tmp_path):
    path = small.write(tmp_path, small.agents(column="rostered"), "agents.csv")
    frame = read_agents_per_interval(path)
    assert list(frame.columns) == ["timestamp", "group", "rostered", "_line"]
    supply = read_supply(path, demand(small.forecast(), small.config()))
    assert supply.kind == "rostered" and supply.counts["front_line"].max() == 10
    assert not is_roster_file(path)
    assert is_roster_file(small.write(tmp_path, small.roster(), "roster.csv"))


@pytest.mark.parametrize("text, message", [
    ("timestamp,agents\n2026-03-02 00:00,1.5\n", "agents.csv, line 2, field 'agents': must be a whole number of agents, got 1.5"),
    ("timestamp,agents\n2026-03-02 00:00,-1\n", "agents.csv, line 2, field 'agents': -1 is negative"),
    ("timestamp,agents\nnoon,1\n", "agents.csv, line 2, field 'timestamp': is not a timestamp: 'noon' (expected YYYY-MM-DD HH:MM)"),
    ("timestamp,agents\n2026-03-02 00:00,1\n2026-03-02 00:00,2\n", "agents.csv, line 3, field 'timestamp': 2026-03-02 00:00 appears twice"),
    ("timestamp,staff\n2026-03-02 00:00,1\n", "agents.csv: has neither 'agents' nor 'rostered' (columns found: timestamp, staff); give agents taking calls (agents) or on shift and off break (rostered), or a roster.csv"),
    ("timestamp,queue,agents\n2026-03-02 00:00,care,1\n", "agents.csv: has a 'queue' column: give agents per staff group (column 'group'), not per queue"),
])
def test_a_bad_agents_file_names_file_line_and_field(tmp_path, text, message):
    path = tmp_path / "agents.csv"
    path.write_text(text)
    with pytest.raises(InputError) as err:
        read_agents_per_interval(path)
    assert str(err.value).replace(str(tmp_path) + "/", "") == message


def test_every_interval_needs_agents():
    frame = small.agents().iloc[:-1]
    with pytest.raises(InputError, match=r"agents: no agents for 2026-03-02 23:45 \(every interval"):
        supply_from_agents(frame, demand(small.forecast(), small.config()))


def test_several_staff_groups_need_a_group_column_and_known_groups():
    cfg = small.config(care={"staff_group": "back"})
    d = demand(small.forecast(), cfg)
    with pytest.raises(InputError, match=r"served by 2 staff groups \(front_line, back\): add a 'group' column"):
        supply_from_agents(small.agents(), d)
    frame = pd.concat([small.agents().assign(group="front_line"), small.agents(count=3).assign(group="back")])
    supply = supply_from_agents(frame.reset_index(drop=True), d)
    assert supply.counts["back"].max() == 3 and supply.counts["front_line"].max() == 10
    bad = frame.assign(group=np.where(frame["group"] == "back", "nobody", frame["group"]))
    with pytest.raises(InputError, match="'nobody' serves none of the forecast's queues"):
        supply_from_agents(bad.reset_index(drop=True), d)
    with pytest.raises(InputError, match="roster.csv does not say which staff group"):
        supply_from_roster(small.roster(), d)


def test_groups_are_simulated_with_their_own_agents():
    cfg = small.config(care={"staff_group": "back"})
    frame = pd.concat([small.agents().assign(group="front_line"), small.agents(count=0).assign(group="back")])
    res = simulate(cfg, small.forecast(), agents=frame.reset_index(drop=True), replications=3)
    by_queue = res.queues.set_index("queue")
    assert by_queue.loc["care", "answered"] == 0 and by_queue.loc["sales", "answered"] > 0
    assert res.settings["shrinkage"].startswith("none")


# --------------------------------------------------------------------------- roster.csv
def test_the_roster_is_cyclic_a_last_night_covers_the_first_morning():
    fc = small.forecast(days=7)
    night = pd.DataFrame({"agent_id": ["N"], "contract": ["full_time"], "date": ["2026-03-08"], "shift": ["night"],
                          "start": ["22:00"], "end": ["06:00"], "breaks": ["02:00-02:30"]})
    supply = supply_from_roster(night, demand(fc, small.config()))
    counts = pd.Series(supply.counts["front_line"], index=small.timestamps(7))
    assert counts["2026-03-02 00:00"] == 1 and counts["2026-03-02 02:00"] == 0 and counts["2026-03-02 05:45"] == 1
    assert counts["2026-03-02 06:00"] == 0 and counts["2026-03-08 22:00"] == 1 and counts.sum() == 30


def test_a_malformed_roster_row_names_file_line_and_field(tmp_path):
    path = small.write(tmp_path, small.roster(3).assign(start=["08:00", "8h", "08:00"]), "roster.csv")
    with pytest.raises(InputError) as err:
        read_supply(path, demand(small.forecast(), small.config()))
    assert str(err.value) == (f"{path}, line 3, field 'start': is not a time: '8h' (expected HH:MM or "
                              "YYYY-MM-DD HH:MM)")
