"""wfm.roster.assign: named agents, their unavailable dates and the shortfall when too few."""

from __future__ import annotations

import pandas as pd
import pytest
from roster_cases import (
    MONDAY,
    config,
    contract_violations,
    hourly_forecast,
)

from wfm.roster import (
    read_agents,
    roster,
)
from wfm.staffing import staff


def test_named_agents_respect_unavailability_and_limits(tmp_path):
    cfg = config()
    st = staff(hourly_forecast(scale=0.5), cfg)
    base = roster(st, cfg)
    need = base.agents_by_contract
    lines = ["agent_id,contract,unavailable,preferred_shifts"]
    for i in range(need["full_time"] + 2):
        un = "2026-01-05;2026-01-06" if i < 3 else ""
        lines.append(f"F{i:02d},full_time,{un},")
    for i in range(need["part_time"] + 1):
        lines.append(f"P{i:02d},part_time,,part")
    (tmp_path / "agents.csv").write_text("\n".join(lines) + "\n")
    agents = read_agents(tmp_path / "agents.csv", cfg)
    r = roster(st, cfg, agents=agents)
    assert r.objective == pytest.approx(base.objective)
    assert set(r.assignments["agent_id"]) <= set(agents["agent_id"])
    off = r.assignments[r.assignments["agent_id"].isin(["F00", "F01", "F02"])]
    assert not off["date"].isin(["2026-01-05", "2026-01-06"]).any()
    assert r.hard["unavailable"] == 0
    assert len(r.unused_agents) == len(agents) - r.agents >= 3
    assert contract_violations(r.assignments, cfg, MONDAY, 1) == []


def test_too_few_named_agents_leaves_a_stated_shortfall(tmp_path):
    cfg = config()
    st = staff(hourly_forecast(scale=0.5), cfg)
    agents = pd.DataFrame({"agent_id": ["F1", "F2"], "contract": "full_time", "unavailable": "",
                           "preferred_shifts": ""})
    r = roster(st, cfg, agents=agents)
    assert r.agents <= 2
    assert r.under_agent_intervals > 0
    assert r.under_agent_intervals == int(r.coverage["under"].sum())
    assert (r.uncovered["under"] > 0).all() and len(r.uncovered) == int((r.coverage["under"] > 0).sum())
