"""`wfm outbound --run`: a campaign blended into the bundled week's roster, checked from the files it writes
(every inbound interval at or above the roster's requirement; each queue's day service, recomputed with the
routing model, at its target), the extra hours against brute force, seats, and one-line errors."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.bad_input import one_line_exit_2
from wfm.cli import app
from wfm.config import load_config
from wfm.outbound.blend import Week, blend, read_week
from wfm.outbound.campaign import Campaign

ROOT = Path(__file__).resolve().parents[2]
CONFIG = load_config(ROOT / "configs" / "example.toml")
CAMPAIGN = ROOT / "configs" / "campaign.toml"


@pytest.fixture(scope="module")
def week(run_folder: Path) -> Week:
    return read_week(CONFIG, run_folder)


def small_campaign(tmp_path: Path, records: int = 800) -> Path:
    """The bundled campaign with fewer records, over the run's own week (Monday to Saturday)."""
    text = CAMPAIGN.read_text().replace("records = 1927", f"records = {records}").replace(
        'deadline = "2026-12-11"', 'deadline = "2026-12-05"')
    path = tmp_path / "campaign.toml"
    path.write_text(text)
    return path


def test_a_campaign_inside_the_idle_agents_needs_no_extra_hours_and_keeps_inbound_at_target(tmp_path, run_folder):
    """800 records over the run's week fit in its idle agents: zero extra hours, every record worked. From
    the CSV alone: every interval keeps the roster's requirement (coverage.csv); with the outbound agents
    taken off, each queue's service per day, recomputed with the routing model and the run's objectives, is
    at least its target plus the margin the run published."""
    from wfm.io import read_forecast
    from wfm.simulate.run import published_objectives
    from wfm.staffing import queue_service_levels, staff

    out = tmp_path / "o" / "outbound.csv"
    res = CliRunner().invoke(app, ["outbound", "--campaign", str(small_campaign(tmp_path)), "--run", str(run_folder),
                                   "--out", str(out), "--json"])
    assert res.exit_code == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["extra_agent_hours"] == 0 and doc["extra_cost"] == 0
    assert doc["idle_agent_hours_used"] == pytest.approx(doc["required_agent_hours"])
    assert doc["days"][-1]["records_done"] == pytest.approx(800)
    frame = pd.read_csv(out, parse_dates=["timestamp"])
    cov = pd.read_csv(run_folder / "coverage.csv", parse_dates=["timestamp"]).set_index("timestamp")
    mine = cov.loc[frame["timestamp"]]
    assert (frame["rostered"].to_numpy() == mine["rostered"].to_numpy()).all()
    assert (frame["rostered"] - frame["outbound_idle"] >= mine["required_scheduled"].to_numpy() - 1e-9).all()
    assert frame["outbound_idle"].sum() * 0.25 == pytest.approx(doc["required_agent_hours"])
    # each queue's day service with the outbound agents off the phones (whole agents: a part-used one is off)
    rostered = cov["rostered"].astype(float).copy()
    rostered.loc[frame["timestamp"]] -= np.ceil(frame["outbound_idle"].to_numpy() - 1e-9)
    manifest = json.loads((run_folder / "manifest.json").read_text())
    cfg = published_objectives(CONFIG, run_folder / "roster.csv")
    st = staff(read_forecast(run_folder / "forecast.csv"), cfg)
    q = queue_service_levels(st, rostered, cfg)
    q["date"] = q["timestamp"].dt.strftime("%Y-%m-%d")
    q["answered"] = q["volume"] * q["service_level"]
    day = q.groupby(["queue", "date"])[["answered", "volume"]].sum()
    margins = manifest["routing"]["margins"]
    targets = {x.name: x.service_level for x in CONFIG.queues}
    for (queue, date), r in day.iterrows():
        need = targets[queue] + margins.get(queue, {}).get(date, 0.0)
        assert r["answered"] / r["volume"] >= need - 1e-6, (queue, date, r["answered"] / r["volume"], need)
    # the agents really taken: some intervals give agents, and the busiest days give none beyond the limits
    assert (frame["outbound_idle"] > 0).sum() > 20


def test_the_bundled_campaign_takes_every_idle_hour_the_targets_allow_then_buys_the_rest(week):
    """1,927 records over two weeks need more than the idle agents can give: all they can give is used (the
    standing week repeated), and the rest is bought; the records all get worked."""
    from wfm.outbound import load_campaign

    b = blend(CONFIG, load_campaign(CAMPAIGN).campaign, week)
    assert b.idle_agent_hours_used == pytest.approx(b.idle_agent_hours_allowed)
    assert b.idle_agent_hours_used < b.agent_hours
    assert b.idle_agent_hours_used + b.extra_agent_hours >= b.agent_hours - 1e-6
    assert b.exit_code == 0 and b.days["records_done"].iloc[-1] == pytest.approx(1927)
    assert b.extra_cost == pytest.approx(float(b.shifts["cost"].sum() + b.overtime["cost"].sum()))


def no_idle(week: Week) -> Week:
    """The week with every interval rostered at its floor: no idle agent to take."""
    return Week(week.timestamps, week.floor.copy(), week.required, week.floor, week.curves, week.rows, week.source)


def one_day(records: int, **extra) -> Campaign:
    return Campaign(records=records, max_attempts=1, connect_rate=1.0, talk_minutes=6.0, wrap_minutes=0.0,
                    calling_hours=("09:00", "20:00"), calling_days=["mon"], start="2026-11-30",
                    deadline="2026-11-30", shrinkage=0.2, extra=extra)


@pytest.mark.parametrize("records", [30, 75, 160, 330])
def test_extra_shifts_at_least_cost_against_brute_force(week, records):
    """No idle agents, no overtime: the cheapest mix of the example's shift templates that fit 09:00-20:00
    (day: 9 h on site, 1.5 h of breaks, 8 paid hours at 1.0; part: 5 h, 15 min break, 5 paid at 1.1),
    enumerated. Each record takes 6 minutes; an hour on the phones calls for 0.8 of an hour."""
    b = blend(CONFIG, one_day(records, overtime_max_hours=0), no_idle(week))
    need = records * 6 / 60  # calling hours
    best = min(d * 8.0 + p * 5.5 for d, p in itertools.product(range(12), range(20))
               if d * 7.5 * 0.8 + p * 4.75 * 0.8 >= need - 1e-9)
    assert b.extra_cost == pytest.approx(best, abs=1e-6)
    assert b.exit_code == 0 and b.days["records_done"].iloc[-1] == pytest.approx(records)
    assert b.idle_agent_hours_used == 0


def test_overtime_is_bought_when_cheaper(week):
    """Five minutes of work short of two day shifts: 15 minutes of overtime (0.375) beats a third shift."""
    need_h = 2 * 7.5 * 0.8 + 0.25 * 0.8  # two day shifts and one agent-interval of overtime, exactly
    b = blend(CONFIG, one_day(round(need_h * 10)), no_idle(week))
    assert b.extra_cost == pytest.approx(2 * 8.0 + 0.375)
    assert int(b.overtime["agents"].sum()) == 1 and int(b.shifts["agents"].sum()) == 2


def test_seats_cap_the_extra_hours_and_a_short_campaign_exits_1(week):
    """With [roster] seats at the rostered peak plus one, at most one extra agent per interval: the campaign
    reaches only what that allows (exit 1, reach achieved below the expected)."""
    cfg = CONFIG.model_copy(update={"roster": CONFIG.roster.model_copy(update={"seats": int(week.rostered.max()) + 1})})
    b = blend(cfg, one_day(2000, overtime_max_hours=0), no_idle(week))
    assert b.exit_code == 1 and b.short_work_hours > 0
    assert b.reach_achieved < b.work.reach
    frame = b.intervals
    assert (frame["rostered"] + np.ceil(frame["outbound_extra"] - 1e-9) <= cfg.roster.seats).all()


def test_run_and_agents_together_and_an_unknown_extra_shift_are_exit_2(tmp_path, run_folder):
    res = CliRunner().invoke(app, ["outbound", "--run", str(run_folder), "--agents", "3"])
    one_line_exit_2(res, "--agents or --run")
    path = tmp_path / "c.toml"
    path.write_text(CAMPAIGN.read_text() + '\n[campaign.extra]\nshifts = ["evening"]\n')
    res = CliRunner().invoke(app, ["outbound", "--campaign", str(path), "--run", str(run_folder)])
    one_line_exit_2(res, "campaign.extra.shifts", "'evening'")
    res = CliRunner().invoke(app, ["outbound", "--run", str(tmp_path)])
    one_line_exit_2(res, "not a wfm plan run folder")


def test_queues_judged_over_the_week_keep_their_week_target(run_folder):
    """The bundled week read with every queue judged over the week: the campaign's idle agents keep each
    queue's week service (routing model, recomputed) at its target; the slack is the whole week's."""
    from wfm.io import read_csv, read_forecast
    from wfm.outbound.blend import week_of
    from wfm.simulate.run import published_objectives
    from wfm.staffing import queue_service_levels, staff

    cfg = published_objectives(CONFIG, run_folder / "roster.csv")
    cfg = cfg.model_copy(update={"queues": [q.model_copy(update={"service_level_period": "week"})
                                            for q in cfg.queues]})
    st = staff(read_forecast(run_folder / "forecast.csv"), cfg)
    cov = pd.read_csv(run_folder / "coverage.csv", parse_dates=["timestamp"])
    wk = week_of(cfg, st, cov, read_csv(run_folder / "roster.csv"), None, str(run_folder))
    camp = one_day(3000).model_copy(update={"calling_days": ["mon", "tue", "wed", "thu", "fri", "sat"],
                                            "deadline": pd.Timestamp("2026-12-05").date()})
    b = blend(cfg, camp, wk)
    assert b.idle_agent_hours_used > 0
    rostered = cov.set_index("timestamp")["rostered"].astype(float)
    q0 = queue_service_levels(st, rostered, cfg)
    rostered.loc[b.intervals["timestamp"]] -= np.ceil(b.intervals["outbound_idle"].to_numpy() - 1e-9)
    q1 = queue_service_levels(st, rostered, cfg)
    for name, target in ((q.name, q.service_level) for q in cfg.queues):
        before = [(g["volume"] * g["service_level"]).sum() / g["volume"].sum() for g in (q0[q0["queue"] == name],)][0]
        after = [(g["volume"] * g["service_level"]).sum() / g["volume"].sum() for g in (q1[q1["queue"] == name],)][0]
        assert after >= min(before, target) - 1e-6, (name, before, after, target)
        assert after <= before + 1e-9
