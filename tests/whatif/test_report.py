"""The what-if report's wording of short intervals: runs of consecutive intervals, a run past midnight naming
its end's date, isolated intervals on their own."""

from __future__ import annotations

import pandas as pd

from wfm.whatif.report import _spans

QUARTER = pd.Timedelta(minutes=15)


def test_a_run_past_midnight_names_its_end_date():
    assert _spans(pd.date_range("2026-12-01 08:00", "2026-12-02 05:45", freq="15min"), QUARTER) == \
        "12-01 08:00-12-02 06:00"


def test_a_run_to_midnight_ends_at_00_00_and_isolated_intervals_stand_alone():
    assert _spans(pd.date_range("2026-12-01 23:00", "2026-12-01 23:45", freq="15min"), QUARTER) == "12-01 23:00-00:00"
    assert _spans(pd.DatetimeIndex(["2026-12-01 01:00", "2026-12-01 03:45"]), QUARTER) == \
        "12-01 01:00-01:15, 12-01 03:45-04:00"


def test_only_the_first_runs_are_named():
    ts = pd.DatetimeIndex([f"2026-12-01 {h:02d}:00" for h in range(0, 12, 2)])
    assert _spans(ts, QUARTER, limit=2) == "12-01 00:00-00:15, 12-01 02:00-02:15 (+4 more)"
