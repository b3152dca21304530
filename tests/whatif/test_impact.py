"""wfm.whatif.impact: agents rostered per interval from roster.csv rows, and service on the phones."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wfm import whatif as W
from wfm.errors import InputError
from wfm.staffing import group_service_level, queue_service_levels, staff, staffing_requirement
from whatif.small import (
    DAYS,
    plan,
    run,
    scenario,
    small_config,
    small_forecast,
    small_roster,
)


# --------------------------------------------------------------------------- roster and plan
def test_rostered_counts_shifts_minus_breaks():
    p = plan()
    on = W.rostered(p)
    day1, day2 = on[:24], on[24:]
    expected1 = np.zeros(24)
    expected1[8:10] = 4  # A,B,C,G
    expected1[10:16] = 7
    expected1[12] = 3  # A,B,C,G on break
    expected1[14] = 4  # D,E,F on break
    expected1[16:18] = 3
    assert day1.tolist() == expected1.tolist()
    expected2 = expected1.copy()
    expected2[8:16] -= 1  # G is off
    expected2[12] = 3
    assert day2.tolist() == expected2.tolist()


def test_cyclic_roster_wraps_past_the_plan_end():
    p = plan()
    night = pd.DataFrame([["N", "full_time", DAYS[1], "day", "22:00", "06:00", ""]], columns=W.ROSTER_COLUMNS)
    p2 = W.make_plan(small_config(), small_forecast(), night)
    on = W.rostered(p2)
    assert on[46:48].tolist() == [1, 1] and on[0:6].tolist() == [1] * 6 and on[6:46].sum() == 0
    assert len(p.timestamps) == 48


def test_roster_errors_name_line_and_field():
    bad = small_roster()
    bad.loc[3, "start"] = "8h"
    with pytest.raises(InputError, match=r"roster, line 5, field 'start': is not a time: '8h'"):
        W.make_plan(small_config(), small_forecast(), bad)
    bad = small_roster()
    bad.loc[0, "breaks"] = "12:00-13:00;noon"
    with pytest.raises(InputError, match=r"line 2, field 'breaks': 'noon' is not a break"):
        W.parse_roster(bad)

# --------------------------------------------------------------------------- impact
def test_zero_shock_reproduces_the_baseline_exactly():
    p = plan()
    base = W.run_scenario(p, W.Scenario.model_construct(name="baseline"), gap=0.0)
    zero_shocks = {
        "volume": [{"multiplier": 1.0, "start": "day 1", "end": "day 2", "decay_hours": 5},
                   {"added_calls": 0, "start": "day 2 08:00", "end": "day 2 12:00", "ramp_up_hours": 3}],
        "aht": [{"multiplier": 1.0, "start": "day 1 08:00", "end": "day 2"}],
        "absence": [{"share": 0.0, "start": "day 1"}],
    }
    zero = W.run_scenario(p, scenario(**zero_shocks), gap=0.0)
    for got, want in ((zero.before, base.before), (zero.after, base.after)):
        pd.testing.assert_frame_equal(got.intervals, want.intervals)
        pd.testing.assert_frame_equal(got.days, want.days)
        assert got.summary() == want.summary()
    assert base.recovery.status == zero.recovery.status == "no_levers"
    iv = base.before.intervals
    assert base.before.short_intervals == int((iv["rostered"] < iv["required_scheduled"]).sum()) > 0
    # with levers the impact before recovery is still the baseline's
    levered = W.run_scenario(p, scenario(**zero_shocks, levers={"overtime": {}}), gap=0.0)
    pd.testing.assert_frame_equal(levered.before.intervals, base.before.intervals)


def test_impact_is_the_group_service_level_with_erlang_a_abandonment():
    """At 11:00 on day 1 all seven agents are on the phones. Service level and ASA are the staff group's
    (wfm.staffing.group_service_level); abandonment is both queues' (each has a patience) from the same
    pooled routing model (wfm.staffing.queue_service_levels), not from a planned split of the agents."""
    p = plan()
    res = run({})
    staffing = staff(p.forecast, p.config, 60)
    on = pd.Series(W.rostered(p), index=p.timestamps)
    group = group_service_level(staffing, on, p.config, 60)
    iv = res.before.intervals
    busy = iv["volume"] > 0
    assert np.allclose(iv.loc[busy, "service_level"], group.loc[busy.to_numpy(), "service_level"])
    per_queue = queue_service_levels(staffing, on, p.config, 60)
    lost = (per_queue["volume"] * per_queue["abandon_rate"]).groupby(per_queue["timestamp"]).sum()
    assert np.allclose(iv["abandoned"], lost.reindex(p.timestamps).fillna(0.0))  # both queues have a patience
    need = staffing_requirement(staffing, p.config).set_index("timestamp")["scheduled"]
    assert iv["required_scheduled"].tolist() == need.reindex(p.timestamps).fillna(0).astype(int).tolist()
    assert iv["short"].tolist() == (iv["rostered"] < iv["required_scheduled"]).tolist()
    day = res.before.days.iloc[0]
    assert day["calls"] == 400 and day["date"] == "2026-03-02"
    assert day["abandoned"] == pytest.approx(iv["abandoned"].iloc[:24].sum())


def test_abandoned_is_unknown_not_zero_when_no_queue_has_a_patience():
    """Without retail's patience_s no queue's patience is known: abandoned calls are NaN (unknown), per interval,
    per day and overall, not 0. The service level never gains from it: where the calls offered exceed the agents
    a group without patience waits without end (0 there), elsewhere it is the routing model's either way."""
    known = plan()
    cfg = known.config.model_copy(update={"queues": [q.model_copy(update={"patience_s": None})
                                                     for q in known.config.queues]})
    p = W.make_plan(cfg, small_forecast(), small_roster())
    res = W.run_scenario(p, scenario(), gap=0.0).before
    assert res.intervals["abandoned"].isna().all()
    assert res.days["abandoned"].isna().all() and np.isnan(res.abandoned)
    assert res.summary()["abandoned"] is None
    with_patience = W.run_scenario(known, scenario(), gap=0.0).before
    # a known patience keeps a number (0 here: fifo with cards lacking a patience pools as Erlang C)
    assert np.isfinite(with_patience.abandoned)
    assert (res.intervals["service_level"] <= with_patience.intervals["service_level"] + 1e-12).all()


@pytest.mark.parametrize("queue", ["all", "retail"])
def test_more_volume_never_raises_service_level(queue):
    p = plan()
    previous = None
    for m in [1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0]:
        sc = scenario(volume=[{"queue": queue, "multiplier": m, "start": "day 1 09:00", "end": "day 2",
                               "decay_hours": 6}])
        now = W.run_scenario(p, sc, gap=0.0).before
        if previous is not None:
            assert (now.intervals["service_level"] <= previous.intervals["service_level"] + 1e-12).all(), m
            assert (now.intervals["abandoned"] >= previous.intervals["abandoned"] - 1e-9).all(), m
            assert now.service_level <= previous.service_level + 1e-12
        previous = now
    assert previous.intervals["service_level"].iloc[11] < 0.5


@given(st.lists(st.floats(0.0, 5.0), min_size=2, max_size=2), st.floats(0.0, 60.0))
@settings(max_examples=25, deadline=None)
def test_more_volume_never_raises_service_level_property(multipliers, added):
    p = plan()
    lo, hi = sorted(multipliers)
    out = []
    for m in (lo, hi):
        sc = scenario(volume=[{"multiplier": m, "start": "day 1", "end": "day 3"},
                              {"added_calls": added, "start": "day 1 10:00", "end": "day 1 12:00"}])
        out.append(W.run_scenario(p, sc).before)
    assert (out[1].intervals["service_level"] <= out[0].intervals["service_level"] + 1e-12).all()
    if added == 0:  # the same multiplier everywhere: the plan's service level falls too
        assert out[1].service_level <= out[0].service_level + 1e-12

def _brute_rostered(frame: pd.DataFrame, start: pd.Timestamp, n: int, ivl: int) -> list[int]:
    """Agents on shift and off break per interval, minute by minute in plain Python (cyclic horizon)."""
    horizon = n * ivl
    count = [0] * n
    for row in frame.itertuples():
        day = int((pd.Timestamp(row.date) - start) / pd.Timedelta(minutes=1))
        s0 = day + int(row.start[:2]) * 60 + int(row.start[3:])
        s1 = day + int(row.end[:2]) * 60 + int(row.end[3:])
        s1 += 1440 if s1 <= s0 else 0
        off = set()
        for item in filter(None, row.breaks.split(";")):
            b0 = day + int(item[:2]) * 60 + int(item[3:5])
            b0 += 1440 if b0 < s0 else 0
            b1 = day + int(item[6:8]) * 60 + int(item[9:11])
            b1 += 1440 if b1 <= b0 else 0
            off |= set(range(b0, b1))
        busy = {(m % horizon) // ivl for m in range(s0, s1) if m not in off}
        for t in busy:
            count[t] += 1
    return count


def test_rostered_matches_a_brute_force_count_including_wrapped_breaks():
    night = pd.DataFrame(
        [["N", "full_time", DAYS[1], "day", "21:00", "06:00", "22:00-23:00;01:00-02:00"],
         ["M", "full_time", DAYS[0], "day", "21:00", "06:00", "01:00-02:00"]],
        columns=W.ROSTER_COLUMNS,
    )
    both = pd.concat([small_roster(), night], ignore_index=True)
    p = W.make_plan(small_config(), small_forecast(), both)
    on = W.rostered(p)
    assert on[1] == 0 and on[0] == 1 and on[2] == 1  # N's 01:00 break wraps to day 1 with N
    assert on[24 + 1] == 0 and on[24 + 2] == 1  # M (day 1 night) on break at 01:00 on day 2, back at 02:00
    assert on.tolist() == _brute_rostered(both, pd.Timestamp("2026-03-02"), len(p.timestamps), 60)
