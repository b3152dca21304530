"""The AHT forecast: from the history's AHT, volume-weighted and shrunk, or the queue's config aht_s."""

from __future__ import annotations

import numpy as np
import pytest
from synthetic_history import history_frame, prepared

from wfm.config import parse_config
from wfm.forecast import forecast
from wfm.forecast.aht import forecast_aht


def test_aht_from_history_and_from_config():
    cfg = parse_config({"queues": [{"name": "q", "aht_s": 250}]})
    with_aht = forecast(prepared(history_frame(6, aht=200.0), cfg), cfg, horizon=7, method="week_average").forecast
    hour = with_aht["timestamp"].dt.hour
    busy_morning = with_aht[(hour >= 9) & (hour <= 10)]["aht"]
    busy_afternoon = with_aht[(hour >= 14) & (hour <= 15)]["aht"]
    assert busy_morning.between(195, 215).all() and busy_afternoon.between(245, 262).all()
    without = forecast(prepared(history_frame(6), cfg), cfg, horizon=7, method="week_average").forecast
    assert (without["aht"] == 250).all()


def test_forecast_aht_is_volume_weighted_and_shrunk():
    vol = np.zeros((7, 4))
    aht = np.full((7, 4), np.nan)
    vol[0] = [100, 1, 0, 100]
    aht[0] = [200, 900, np.nan, 200]
    out = forecast_aht(vol, aht, default=300, smooth_minutes=0, prior_calls=20)
    overall = (200 * 200 + 900) / 201
    assert out[0, 0] == pytest.approx((200 * 100 + 20 * overall) / 120)
    assert out[0, 1] == pytest.approx((900 + 20 * overall) / 21)  # one call barely moves it
    assert out[3, 2] == pytest.approx(overall)  # no calls: the queue's overall AHT
    assert (forecast_aht(vol, np.full((7, 4), np.nan), default=300) == 300).all()
