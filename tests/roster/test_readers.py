"""Readers of the roster stage: roster.csv (wfm.roster.rows) and agents.csv, errors naming file, line, field."""

from __future__ import annotations

import pytest
from roster_cases import (
    config,
)

from wfm.errors import InputError
from wfm.roster import (
    read_agents,
    read_roster,
)


def test_read_roster_names_file_line_and_field(tmp_path):
    p = tmp_path / "roster.csv"
    p.write_text(
        "agent_id,contract,date,shift,start,end,breaks\n"
        "A0001,c,2026-01-05,s,09:00,17:00,12:00-13:00\n"
        "A0001,c,2026-01-06,s,09:00,17:00,12:00-1300\n"
    )
    with pytest.raises(InputError) as err:
        read_roster(p)
    assert str(err.value) == f"{p}, line 3, field 'breaks': '12:00-1300' is not a break HH:MM-HH:MM (breaks are separated by ';')"


def test_read_agents_checks_contracts_and_dates(tmp_path):
    p = tmp_path / "agents.csv"
    p.write_text("agent_id,contract,unavailable\nF1,full_time,2026-01-05\nF2,gig,\n")
    with pytest.raises(InputError) as err:
        read_agents(p, config())
    assert str(err.value) == f"{p}, line 3, field 'contract': unknown contract 'gig' (the config has: full_time, part_time)"
    p.write_text("agent_id,contract,unavailable\nF1,full_time,5 Jan\n")
    with pytest.raises(InputError, match="line 2, field 'unavailable': is not a date: '5 Jan'"):
        read_agents(p, config())
