"""`wfm outbound` sizing against hand-computed answers and a simulation of the attempts: the seeds' campaign,
the reach formula, the dialler modes, pacing, a team's reach and finish day, and one-line errors."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from tests.bad_input import edited_file, one_line_exit_2
from wfm.cli import app
from wfm.config import load_config
from wfm.outbound.campaign import Campaign, implied_connect_rate, record_work
from wfm.outbound.sizing import size

ROOT = Path(__file__).resolve().parents[2]
CONFIG = load_config(ROOT / "configs" / "example.toml")


def seed(**kw) -> Campaign:
    """The seeds' campaign: 1,927 records over 10 working days (Monday to Friday, two weeks)."""
    base = dict(records=1927, max_attempts=3, connect_rate=0.45, talk_minutes=2.5, wrap_minutes=1.0,
                failed_attempt_minutes=0.5, calling_hours=("09:00", "17:00"),
                calling_days=["mon", "tue", "wed", "thu", "fri"], start=dt.date(2026, 11, 30),
                deadline=dt.date(2026, 12, 11), shrinkage=0.2)
    return Campaign(**{**base, **kw})


def test_the_seeds_campaign_by_hand():
    """Per record: 1 + 0.55 + 0.55^2 = 1.8525 attempts, reach 1 - 0.55^3 = 0.833625, so 1.018875 attempts without
    a conversation; 0.833625 x 3.5 + 1.018875 x 0.5 = 3.427125 agent-minutes. 1,927 records: 110.068 calling
    hours, 137.585 agent-hours at 20% shrinkage. 200 attempts in an 8-hour day less 20% (384 minutes) are 1.92
    minutes each: 0.5 + 3p = 1.92 gives a connect rate of 0.4733."""
    c = seed()
    w = record_work(c)
    assert w.attempts == pytest.approx(1.8525, abs=1e-12)
    assert w.reach == pytest.approx(0.833625, abs=1e-12)
    assert w.failed == pytest.approx(1.018875, abs=1e-12)
    assert w.agent_minutes == pytest.approx(3.427125, abs=1e-12)
    s = size(CONFIG, c)
    assert s.work_hours == pytest.approx(1927 * 3.427125 / 60, rel=1e-12)
    assert s.agent_hours == pytest.approx(1927 * 3.427125 / 60 / 0.8, rel=1e-12)
    assert len(s.days) == 10
    assert implied_connect_rate(200, 8.0, c) == pytest.approx((384 / 200 - 0.5) / 3.0, rel=1e-12)
    # the seeds' 8 callers over 10 days: 8 x 8 h x 0.8 = 51.2 calling hours a day, so done on the third day
    team = size(CONFIG, c, agents=8)
    assert team.finish == dt.date(2026, 12, 2) and team.exit_code == 0
    assert team.reach_by_deadline == pytest.approx(0.833625)


def test_the_reach_and_attempts_match_a_simulation_of_the_attempts():
    """200,000 records tried until a conversation or the last attempt, each attempt connecting with p
    independently: mean attempts and reach within 4 standard errors of the formulas."""
    rng = np.random.default_rng(7)
    for p, k in ((0.45, 3), (0.1, 5), (0.9, 1), (0.3, 8)):
        w = record_work(seed(connect_rate=p, max_attempts=k))
        tries = rng.random((200_000, k)) < p
        reached = tries.any(axis=1)
        first = np.where(reached, tries.argmax(axis=1) + 1, k)
        assert abs(reached.mean() - w.reach) < 4 * np.sqrt(w.reach * (1 - w.reach) / 200_000) + 1e-12
        assert abs(first.mean() - w.attempts) < 4 * first.std() / np.sqrt(200_000) + 1e-12


def test_power_and_predictive_diallers():
    """Power: a conversation costs (talk + wrap) / talk share; failed attempts cost the agent nothing.
    Predictive with a 3% abandon cap: an attempt ends in a conversation with p x 0.97."""
    w = record_work(seed(dialler="power", talk_share=0.7))
    assert w.agent_minutes == pytest.approx(0.833625 * 3.5 / 0.7)
    w = record_work(seed(dialler="predictive"))
    q = 0.45 * 0.97
    assert w.reach == pytest.approx(1 - (1 - q) ** 3)
    assert w.attempts == pytest.approx((1 - (1 - q) ** 3) / q)
    assert w.abandoned == pytest.approx(w.attempts * 0.45 * 0.03)
    assert w.agent_minutes == pytest.approx(w.reach * 3.5 / 0.85)


def test_even_and_front_loaded_pacing():
    """Even: every day the same agent-hours (same calling hours). Front-loaded: a line from twice the last
    day's down to it; both add up to the work."""
    even = size(CONFIG, seed())
    assert np.allclose(even.days["agent_hours"], even.agent_hours / 10)
    assert even.days["records_done"].iloc[-1] == pytest.approx(1927)
    front = size(CONFIG, seed(pacing="front_loaded"))
    hours = front.days["agent_hours"].to_numpy()
    assert hours[0] == pytest.approx(2 * hours[-1]) and np.all(np.diff(hours) < 0)
    assert hours.sum() == pytest.approx(front.agent_hours)
    # the per-interval agents add up to each day's hours (15-minute intervals, 09:00-17:00: 32 a day)
    assert len(front.slots) == 320
    assert front.slots["agents"].sum() * 0.25 == pytest.approx(front.agent_hours)


def test_a_team_too_small_reaches_part_of_the_records_and_exits_1():
    """One caller, 8 h x 0.8 = 6.4 calling hours a day for 10 days = 64 of the 110.07 hours: 58.1% of the
    records worked, reach 0.833625 x that; the rest takes until the 18th working day."""
    s = size(CONFIG, seed(), agents=1)
    share = 64.0 / (1927 * 3.427125 / 60)
    assert s.reach_by_deadline == pytest.approx(0.833625 * share)
    assert s.records_by_deadline == pytest.approx(1927 * share)
    assert s.exit_code == 1
    # 110.07 / 6.4 = 17.2 days: the 18th working day from 2026-11-30 is Wednesday 2026-12-23
    assert s.finish == dt.date(2026, 12, 23)


CAMPAIGN = ROOT / "configs" / "campaign.toml"


@pytest.mark.parametrize("old,new,needles", [
    ("connect_rate = 0.45", "connect_rate = 0", ["campaign.connect_rate"]),
    ("connect_rate = 0.45", "connect_rate = 1.2", ["campaign.connect_rate"]),
    ("max_attempts = 3", "max_attempts = 0", ["campaign.max_attempts"]),
    ("talk_minutes = 2.5", "talk_minutes = 0", ["campaign.talk_minutes"]),
    ('deadline = "2026-12-11"', 'deadline = "2026-11-20"', ["deadline 2026-11-20 is before start 2026-11-30"]),
    ('calling_days = ["mon", "tue", "wed", "thu", "fri", "sat"]', 'calling_days = ["mon", "funday"]',
     ["campaign.calling_days", "'funday'"]),
    ('calling_hours = ["09:00", "20:00"]', 'calling_hours = ["20:00", "09:00"]', ["campaign.calling_hours"]),
])
def test_bad_campaign_files_are_one_line_exit_2(tmp_path, old, new, needles):
    res = CliRunner().invoke(app, ["outbound", "--campaign", str(edited_file(CAMPAIGN, tmp_path, old, new))])
    one_line_exit_2(res, "c.toml", *needles)


def test_calling_hours_outside_the_centres_open_hours_are_exit_2(tmp_path):
    """The weekday bank opens 07:00-21:00, Monday to Friday: a campaign calling on Saturdays is refused."""
    res = CliRunner().invoke(app, ["outbound", "--config", str(ROOT / "configs" / "bank-weekdays.toml"),
                                   "--campaign", str(CAMPAIGN)])
    one_line_exit_2(res, "campaign.calling_hours", "outside the centre's open hours", "2026-12-05 (Sat)")


def test_the_cli_json_and_csv(tmp_path):
    out = tmp_path / "o.csv"
    res = CliRunner().invoke(app, ["outbound", "--json", "--out", str(out)])
    assert res.exit_code == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["required_agent_hours"] == pytest.approx(1927 * 3.427125 / 60 / 0.8)
    assert doc["expected_reach"] == pytest.approx(0.833625)
    assert doc["expected_attempts"] == pytest.approx(1927 * 1.8525)
    assert [d["date"] for d in doc["days"]][:2] == ["2026-11-30", "2026-12-01"] and len(doc["days"]) == 11
    assert sum(d["agent_hours"] for d in doc["days"]) == pytest.approx(doc["required_agent_hours"])
    lines = out.read_text().splitlines()
    assert lines[0] == "timestamp,outbound_agents,records" and len(lines) == 1 + 11 * 44
    res = CliRunner().invoke(app, ["outbound", "--agents", "1"])
    assert res.exit_code == 1 and "would finish on" in res.stdout
