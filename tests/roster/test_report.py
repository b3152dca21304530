"""wfm.roster.report and Roster.ok / exit_code: what `wfm roster` prints and exits with."""

from __future__ import annotations

import dataclasses
import io
import math
from datetime import date

import pandas as pd

from wfm.roster import (
    Roster,
    progress_printer,
    uncovered_message,
    violations_message,
)


def test_progress_printer_draws_one_line():
    buf = io.StringIO()
    show = progress_printer(buf)
    show({"incumbent": math.inf, "bound": -math.inf, "gap": math.inf, "seconds": 0.2})
    show({"incumbent": 1304.0, "bound": 1292.8, "gap": 0.0086, "seconds": 3.4})
    assert buf.getvalue() == (
        "\rsolving: best -  bound -  gap -  0 s   "
        "\rsolving: best 1,304.0  bound 1,292.8  gap 0.86%  3 s   "
    )


def test_violations_message_names_broken_hard_rules(week):
    _, _, r = week
    assert violations_message(r) == ""
    bad = dataclasses.replace(r, hard={"cover_strict_violations": 0, "unavailable": 2, "min_rest_between_weeks": 1})
    assert violations_message(bad) == (
        "hard rules broken: 2 shift(s) on an agent's unavailable date, "
        "1 week change(s) with less than the minimum rest"
    )


def test_roster_ok_and_exit_code(week):
    _, _, r = week
    assert r.under_agent_intervals == 0 and not any(r.hard.values())
    assert (r.ok, r.exit_code) == (True, 0)
    short = dataclasses.replace(r, under_agent_intervals=3)
    assert (short.ok, short.exit_code) == (False, 1)
    broken = dataclasses.replace(r, hard={**r.hard, "unavailable": 1})
    assert (broken.ok, broken.exit_code) == (False, 1)


def test_uncovered_message_lists_short_intervals_in_time_order():
    cov = pd.DataFrame({
        "timestamp": pd.date_range("2026-01-05 09:00", periods=3, freq="60min"),
        "required_scheduled": [3, 2, 1], "rostered": [1, 2, 0], "over": 0, "under": [2, 0, 1],
        "service_level": 0.5,
    })
    r = Roster(
        assignments=pd.DataFrame(), coverage=cov, status="Optimal", objective=0.0, lower_bound=0.0, gap=0.0,
        paid_hours=0.0, cost=0.0, agents=0, agents_by_contract={}, under_agent_intervals=3, over_agent_intervals=0,
        worst_interval=None, worst_service_level=None, solve_seconds=0.0, solver="highs", weeks=1,
        start=date(2026, 1, 5),
    )
    assert r.uncovered["timestamp"].dt.hour.tolist() == [9, 11]  # worst first
    assert uncovered_message(r) == (
        "demand not met: 2 interval(s) under-covered by 3 agent-intervals: "
        "2026-01-05 09:00 (2 short), 2026-01-05 11:00 (1 short)"
    )
    assert (r.ok, r.exit_code) == (False, 1)
