"""Holidays and excluded days in the forecast: holiday curves, the holiday_like weekday, storms kept out."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from synthetic_history import WEEKDAY_LEVEL, P, history_frame, prepared, true_mean

from wfm.config import parse_config
from wfm.forecast import forecast


def test_holiday_forecast_from_holiday_history():
    f = history_frame(20, seed=None)
    hols = {dt.date(2026, 2, 4), dt.date(2026, 3, 11), dt.date(2026, 4, 15)}  # Wednesdays
    ts = f["timestamp"].dt.date
    f.loc[ts.isin(hols), "volume"] *= 0.3
    horizon_holiday = dt.date(2026, 6, 3)  # a Wednesday in the horizon
    res = forecast(prepared(f, holidays=hols | {horizon_holiday}), horizon=14, method="week_average")
    out = res.forecast.set_index("timestamp")["volume"]
    day = out[str(horizon_holiday)].to_numpy()
    normal = out["2026-05-27"].to_numpy()
    np.testing.assert_allclose(day.sum(), 0.3 * normal.sum(), rtol=0.01)
    # holidays were kept out of regular training: the normal Wednesday is not dragged down
    np.testing.assert_allclose(normal.sum(), 1000 * WEEKDAY_LEVEL[2], rtol=1e-4)


def test_holiday_without_history_is_forecast_like_the_named_weekday():
    f = history_frame(8, seed=None)
    cfg = parse_config({"centre": {"interval_minutes": 60}, "queues": [{"name": "q"}],
                        "forecast": {"holiday_like": "sunday"}})
    res = forecast(prepared(f, cfg, holidays={dt.date(2026, 3, 4)}), cfg, horizon=7, method="week_average")
    out = res.forecast.set_index("timestamp")["volume"]
    np.testing.assert_allclose(out["2026-03-04"].to_numpy(), true_mean(7)[6], rtol=1e-3)


def test_holiday_at_a_weekday_only_centre_is_closed_like_sunday():
    f = history_frame(8, seed=None)
    f = f[f["timestamp"].dt.day_of_week < 5]
    res = forecast(prepared(f, holidays={dt.date(2026, 3, 4)}), horizon=7, method="week_average")
    out = res.forecast.set_index("timestamp")["volume"]
    assert (out["2026-03-04"] == 0).all() and (out["2026-03-03"] > 0).any()


def test_exclude_keeps_a_storm_out_of_training():
    f = history_frame(8, seed=None)
    storm = f["timestamp"].dt.date == dt.date(2026, 2, 25)
    f.loc[storm, "volume"] *= 4
    kept = forecast(prepared(f), horizon=7, method="seasonal_naive")
    excluded = forecast(prepared(f, exclude={dt.date(2026, 2, 25)}), horizon=7, method="seasonal_naive")
    wed = slice(2 * P, 3 * P)
    assert kept.forecast["volume"].iloc[wed].sum() == pytest.approx(4 * 1000 * WEEKDAY_LEVEL[2])
    assert excluded.forecast["volume"].iloc[wed].sum() == pytest.approx(1000 * WEEKDAY_LEVEL[2])


def test_holiday_like_comes_from_the_config():
    f = history_frame(8, seed=None)
    cfg = parse_config({"centre": {"interval_minutes": 60}, "queues": [{"name": "q"}],
                        "forecast": {"holiday_like": "saturday"}})
    res = forecast(prepared(f, cfg, holidays={dt.date(2026, 3, 4)}), cfg, horizon=7, method="week_average")
    out = res.forecast.set_index("timestamp")["volume"]
    np.testing.assert_allclose(out["2026-03-04"].to_numpy(), true_mean(7)[5], rtol=1e-3)
