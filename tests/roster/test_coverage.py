"""wfm.roster.coverage: the requirement over the horizon and coverage.csv recomputed from roster.csv."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from roster_cases import (
    MONDAY,
    one_shift_config,
    requirement_staffing,
)

from wfm.errors import InputError
from wfm.io import atomic_write_csv
from wfm.roster import (
    coverage,
    read_roster,
    roster,
)


def test_coverage_recomputed_from_roster_csv_equals_coverage(week, tmp_path):
    cfg, st, r = week
    atomic_write_csv(tmp_path / "roster.csv", r.assignments)
    again = coverage(read_roster(tmp_path / "roster.csv"), st, cfg)
    pd.testing.assert_frame_equal(again, r.coverage)
    # and independently: count agents on shift minus on break, hour by hour, from the text alone
    on = np.zeros(7 * 24, dtype=int)
    for row in read_roster(tmp_path / "roster.csv").itertuples():
        s = datetime.fromisoformat(f"{row.date} {row.start}")
        e = datetime.fromisoformat(f"{row.date} {row.end}")
        e += timedelta(days=1) if e <= s else timedelta(0)
        hours = [s + timedelta(hours=i) for i in range(int((e - s).total_seconds() // 3600))]
        for b in filter(None, row.breaks.split(";")):
            b0 = datetime.fromisoformat(f"{row.date} {b[:5]}")
            b0 += timedelta(days=1) if b0 < s else timedelta(0)
            hours.remove(b0)
        for h in hours:
            on[int((h - datetime(2026, 1, 5)).total_seconds() // 3600) % (7 * 24)] += 1
    assert on.tolist() == r.coverage["rostered"].tolist()
    assert (r.coverage["under"] == np.maximum(r.coverage["required_scheduled"] - on, 0)).all()


def test_staffing_too_short_for_the_horizon():
    cfg = one_shift_config(5, 40)
    with pytest.raises(InputError, match="staffing: has no interval 2026-01-08 00:00"):
        roster(requirement_staffing([1] * 72), cfg)


def test_staffing_on_a_coarser_grid_is_an_input_error():
    cfg = one_shift_config(5, 40)  # 60-minute intervals
    st = requirement_staffing([1] * 168)
    st["timestamp"] = pd.date_range(pd.Timestamp(MONDAY), periods=168, freq="120min")
    with pytest.raises(InputError, match=r"staffing: its intervals are 120 minutes apart at the closest but the "
                                         r"planning grid is 60 minutes \(\[roster\] interval_minutes"):
        roster(st, cfg)


def test_staffing_on_a_finer_grid_without_its_forecast_columns_is_an_input_error():
    cfg = one_shift_config(5, 40)  # 60-minute intervals
    st = requirement_staffing([1] * 336).drop(columns=["volume"])
    st["timestamp"] = pd.date_range(pd.Timestamp(MONDAY), periods=336, freq="30min")
    with pytest.raises(InputError, match="staffing: its intervals are 30 minutes apart but the planning grid is 60 "
                                         "minutes, and without its volume column"):
        roster(st, cfg)
