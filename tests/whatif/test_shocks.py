"""wfm.whatif.shocks: volume, AHT, absence and seat shocks land where and when the scenario says."""

from __future__ import annotations

import numpy as np
import pandas as pd

from wfm import whatif as W
from whatif.small import (
    plan,
    scenario,
)


# --------------------------------------------------------------------------- shocks
def test_shock_shape_ramps_and_decays_linearly():
    ts = pd.date_range("2026-03-02", periods=12, freq="60min")
    s = W.shock_shape(ts, pd.Timestamp("2026-03-02 04:00"), pd.Timestamp("2026-03-02 06:00"), 2, 4)
    assert s.tolist() == [0, 0, 0, 0.5, 1, 1, 1, 0.75, 0.5, 0.25, 0, 0]


def test_volume_aht_absence_and_seats_land_where_asked():
    p = plan()
    sc = scenario(
        volume=[{"queue": "retail", "multiplier": 2.0, "start": "day 1 09:00", "end": "day 1 11:00"}],
        aht=[{"multiplier": 1.5, "start": "day 2 08:00", "end": "day 2 09:00"}],
        absence=[{"share": 0.5, "start": "day 2"}],
        capacity=[{"seats": 2, "start": "day 1 15:00", "end": "day 1 17:00"}],
    )
    sh = W.apply_shocks(p, sc)
    f = sh.forecast.set_index(["timestamp", "queue"])
    assert f.loc[(pd.Timestamp("2026-03-02 09:00"), "retail"), "volume"] == 40
    assert f.loc[(pd.Timestamp("2026-03-02 09:00"), "cards"), "volume"] == 20
    assert f.loc[(pd.Timestamp("2026-03-02 11:00"), "retail"), "volume"] == 20
    assert f.loc[(pd.Timestamp("2026-03-03 08:00"), "cards"), "aht"] == 360
    assert f.loc[(pd.Timestamp("2026-03-03 09:00"), "cards"), "aht"] == 240
    assert sh.absence.tolist() == [0.0, 0.5]
    assert np.isinf(sh.seats[:15]).all() and sh.seats[15:17].tolist() == [2, 2] and np.isinf(sh.seats[17:]).all()
    res = W.run_scenario(p, sc, gap=0.0)
    on = res.before.intervals["rostered"].to_numpy()
    assert on[15] == 2 and on[16] == 2  # 3 rostered at 16:00 -> capped at 2 seats
    assert on[24 + 10] == 3.0  # 6 rostered on day 2 at 10:00, half absent


def test_added_calls_shock():
    sh = W.apply_shocks(plan(), scenario(volume=[{"added_calls": 5, "start": "day 1", "end": "day 1 02:00"}]))
    f = sh.forecast
    first = f[f["timestamp"] == pd.Timestamp("2026-03-02 01:00")]["volume"].tolist()
    assert first == [5.0, 5.0]
    assert f[f["timestamp"] == pd.Timestamp("2026-03-02 02:00")]["volume"].tolist() == [0.0, 0.0]
