"""wfm.roster.model: the MILP's rows have stable names built from the data."""

from __future__ import annotations

from roster_cases import (
    config,
    hourly_forecast,
)

from wfm.roster import (
    build_model,
    check_roster_config,
    horizon_requirement,
)
from wfm.staffing import staff


def test_model_constraint_names_are_stable():
    cfg = config()
    shifts = check_roster_config(cfg)
    start, idx, req, _ = horizon_requirement(staff(hourly_forecast(), cfg), cfg, None, 1)
    m = build_model(req, idx, cfg, shifts, 1, False)
    for name in ("cover_20260105_0900", "cover_20260111_2300", "max_share_part_time_0", "break_day_0_0_0",
                 "tour_day_0_0", "shift_part_4_6"):
        assert m.prob.get_constraint_by_name(name) is not None, name
    assert m.prob.get_constraint_by_name("cover_20260112_0000") is None
