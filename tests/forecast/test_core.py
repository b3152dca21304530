"""forecast(): the recipe's output on prepared history (every interval, start, horizon, queues, DST)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from synthetic_history import P, history_frame, prepared, true_mean

from wfm.config import parse_config
from wfm.errors import InputError, InsufficientHistory
from wfm.forecast import AUTO_CANDIDATES, FORECAST_COLUMNS, forecast, parse_horizon


def test_every_interval_of_the_horizon_open_or_closed():
    # a weekday-only, business-hours centre: no rows at night or at weekends
    f = history_frame(10)
    f = f[(f["timestamp"].dt.day_of_week < 5) & (f["timestamp"].dt.hour.between(8, 17))]
    res = forecast(prepared(f), horizon="2w")
    out = res.forecast
    assert list(out.columns) == FORECAST_COLUMNS
    assert len(out) == 14 * P
    assert out["timestamp"].iloc[0] == pd.Timestamp("2026-03-16")  # the Monday after the history
    hour, dow = out["timestamp"].dt.hour, out["timestamp"].dt.day_of_week
    open_ = (dow < 5) & hour.between(8, 17)
    assert (out.loc[~open_, ["volume", "volume_p10", "volume_p90"]] == 0).all().all()
    assert (out.loc[open_, "volume"] > 5).all()
    assert "no gaps" in res.history_summary and "118 closed intervals/week" in res.history_summary


def test_start_after_the_history_and_inside_it():
    f = history_frame(8)
    h = prepared(f)
    late = forecast(h, horizon=7, start="2026-03-09", method="week_average")  # a week after the end
    assert late.forecast["timestamp"].iloc[0] == pd.Timestamp("2026-03-09") and len(late.forecast) == 7 * P
    early = forecast(h, horizon=7, start="2026-02-23", method="seasonal_naive")  # inside the history
    actual_week_before = f[(f["timestamp"] >= "2026-02-16") & (f["timestamp"] < "2026-02-23")]["volume"]
    np.testing.assert_allclose(early.forecast["volume"].to_numpy(), actual_week_before.to_numpy())
    with pytest.raises(InputError, match="--start: 'soon' is not a date"):
        forecast(h, horizon=7, start="soon")
    with pytest.raises(InputError, match="must be a date"):
        forecast(h, horizon=7, start="2026-03-09 10:00")


def test_parse_horizon():
    assert parse_horizon("14d") == 14 and parse_horizon("2w") == 14 and parse_horizon("3") == 3
    with pytest.raises(InputError, match="--horizon: 'two weeks' is not a horizon"):
        parse_horizon("two weeks")
    with pytest.raises(InputError, match="between 1 day and 366 days"):
        parse_horizon("0d")


def test_too_little_history():
    f = history_frame(1).iloc[: 5 * P]
    with pytest.raises(InsufficientHistory, match="need at least 7 days of history"):
        forecast(prepared(f), horizon=7)


def test_dst_day_in_the_horizon_drops_nonexistent_wall_times():
    cfg = parse_config({"centre": {"timezone": "Europe/London", "interval_minutes": 60}, "queues": [{"name": "q"}]})
    f = history_frame(4, start="2026-02-23")
    res = forecast(prepared(f, cfg), cfg, horizon=7, start="2026-03-23", method="week_average")
    assert len(res.forecast) == 7 * 24 - 1
    assert pd.Timestamp("2026-03-29 01:00") not in set(res.forecast["timestamp"])


def test_the_repeated_hour_of_a_25_hour_day_is_one_wall_clock_interval():
    cfg = parse_config({"centre": {"timezone": "Europe/London", "interval_minutes": 60}, "queues": [{"name": "q"}]})
    f = history_frame(4, start="2026-09-21", seed=None)
    res = forecast(prepared(f, cfg), cfg, horizon=7, start="2026-10-19", method="week_average")
    day = res.forecast[res.forecast["timestamp"].dt.date == dt.date(2026, 10, 25)]
    assert len(day) == 24 and day["timestamp"].is_unique


def test_queues_follow_config_order_and_unknown_queues_are_noted():
    cfg = parse_config({"centre": {"interval_minutes": 60}, "queues": [{"name": "z"}, {"name": "a"}]})
    res = forecast(prepared(history_frame(3, queues=("a", "z", "x")), cfg), cfg, horizon=1, method="week_average")
    assert list(dict.fromkeys(res.forecast["queue"])) == ["z", "a", "x"]
    assert res.notes == ["queue(s) not in the config (default AHT and no targets): x"]
    cfg.centre.interval_minutes = 15
    res = forecast(prepared(history_frame(3, queues=("a", "z")), cfg), cfg, horizon=1, method="week_average")
    assert res.notes == ["the history has 60-minute intervals, the config's [centre] interval_minutes = 15"]


@pytest.mark.parametrize("method", ["seasonal_naive", *AUTO_CANDIDATES])
def test_a_gap_inside_opening_hours_is_not_a_zero(method):
    f = history_frame(8, seed=None)
    ts = f["timestamp"]
    gap = (ts.dt.date == dt.date(2026, 2, 24)) & ts.dt.hour.between(9, 12)  # last Tuesday, 09:00-12:59
    f = f[~gap.to_numpy()]
    out = forecast(prepared(f), horizon=7, method=method).forecast.set_index("timestamp")["volume"]
    np.testing.assert_allclose(out["2026-03-03"].to_numpy(), true_mean(7)[1], rtol=0.02)


def test_a_raw_frame_is_refused_with_the_way_in():
    with pytest.raises(InputError, match=r"takes a History, not DataFrame: .*wfm.history.prepare_history"):
        forecast(history_frame(2), horizon=7)
