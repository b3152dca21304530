"""The forecast against declared opening hours, and the opening hours learnt without them (issue 12)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from wfm.config import parse_config
from wfm.forecast import forecast
from wfm.forecast.opening import fit_history_to_hours
from wfm.history import open_intervals, prepare_history


def _bank_history(weeks: int = 8, stray: bool = True) -> pd.DataFrame:
    """Hourly calls Monday-Friday 07:00-21:00 (10 an hour), and 2 calls at 21:00 each weekday when ``stray``."""
    ts = pd.date_range("2026-08-03", periods=weeks * 7 * 24, freq="60min")
    open_ = (ts.day_of_week < 5) & (ts.hour >= 7) & (ts.hour < 21)
    calls = np.where(open_, 10.0, 0.0) + np.where(stray & (ts.day_of_week < 5) & (ts.hour == 21), 2.0, 0.0)
    return pd.DataFrame({"timestamp": ts, "queue": "bank", "volume": calls, "aht": 240.0})


def _config(hours: dict | None, holidays=()):
    cfg = {"centre": {"name": "Bank", "interval_minutes": 60}, "queues": [{"name": "bank", "shrinkage": 0.3}],
           "forecast": {"holidays": list(holidays)}}
    if hours is not None:
        cfg["centre"]["open"] = hours
    return parse_config(cfg)


HOURS = {"mon-fri": ["07:00", "21:00"], "sat-sun": "closed"}


def test_calls_outside_the_hours_move_to_the_nearest_open_interval_and_none_is_lost():
    cfg = _config(HOURS)
    h = prepare_history(_bank_history(), cfg)
    moved, note = fit_history_to_hours(h, cfg.centre.opening_hours)
    assert np.nansum(moved.volume) == np.nansum(h.volume) == 8 * 5 * (14 * 10 + 2)
    assert (moved.volume[0, :, 21] == 0).all()  # 21:00 emptied ...
    weekday = np.arange(h.n_days) % 7 < 5
    assert (moved.volume[0, weekday, 20] == 12).all()  # ... into 20:00 of the same day, the nearest open hour
    assert note == "history: 80 calls in 40 intervals lie outside the opening hours (21:00 holds the most, 80); " \
                   "moved into the nearest open interval"
    again, none = fit_history_to_hours(moved, cfg.centre.opening_hours)
    assert none is None and again is moved


def test_the_forecast_is_zero_outside_the_hours_and_on_a_closed_holiday():
    cfg = _config(HOURS, holidays=["2026-09-28"])  # the Monday after the history
    res = forecast(prepare_history(_bank_history(), cfg), cfg, 7, method="week_average")
    fc = res.forecast
    ts = pd.DatetimeIndex(fc["timestamp"])
    day = fc.groupby(ts.date)["volume"].sum()
    assert list(day.round(3)) == [0.0, 142.0, 142.0, 142.0, 142.0, 0.0, 0.0]  # holiday Monday, weekend closed
    assert fc.loc[ts.hour == 21, "volume"].eq(0).all() and fc.loc[ts.hour == 20, "volume"].max() == 12
    assert any("outside the opening hours" in n for n in res.notes)
    with_none = forecast(prepare_history(_bank_history(), _config(None)), _config(None), 7, method="week_average")
    ts0 = pd.DatetimeIndex(with_none.forecast["timestamp"])
    assert with_none.forecast.loc[ts0.hour == 21, "volume"].max() == 2  # learnt: 21:00 carries calls every week


def test_learnt_hours_need_calls_in_two_weeks_and_do_not_flicker():
    vol = np.zeros((1, 56, 24))
    vol[0, :, 8:18] = 5.0
    vol[0, :, 12] = 0.0  # a quiet hour inside the day, every week
    vol[0, 7 * 3, 22] = 1.0  # one call at 22:00 in eight weeks
    vol[0, [0, 7], 6] = 1.0  # calls at 06:00 in two of the eight Mondays
    op = open_intervals(vol)[0]
    assert op[0, 12] and op[3, 12]  # the quiet hour stays open: no 0/n/0 flicker
    assert not op[0, 22]  # one call in eight weeks does not open 22:00
    assert op[0, 6] and op[0, 7] and not op[1, 6]  # two Mondays of calls open 06:00 (and 07:00, in between)
    assert op[:, 18:].sum() == 0 and op[:, :6].sum() == 0  # the nights, 14 hours, stay closed
    # a 24x7 queue whose calls skip Sunday 23:00 and Monday 00:00 in most weeks: a quiet hour, not a closure
    night = np.full((1, 56, 24), 2.0)
    night[0, 6::7, 23] = 0.0
    night[0, 0::7, 0] = 0.0
    night[0, 13, 23] = 1.0
    assert open_intervals(night)[0].all()
    three = night.copy()
    three[0, 0::7, 1] = 0.0  # three quiet hours in a row: a closure (MAX_QUIET_MINUTES is two hours)
    op3 = open_intervals(three)[0]
    assert not op3[6, 23] and not op3[0, 0] and not op3[0, 1] and op3.sum() == 7 * 24 - 3


def test_the_forecast_follows_the_learnt_hours_without_flicker():
    """top_down's profile is zero exactly where the learnt hours close: a 6-minute interval with no call in nine
    weeks between busy neighbours is forecast (smoothed, about its neighbours' level), not 0 between them, and
    a stray call at 22:00 in one week of nine does not open 22:00."""
    ts = pd.date_range("2026-08-03", periods=9 * 7 * 240, freq="6min")
    minute = ts.hour * 60 + ts.minute
    calls = np.where((minute >= 7 * 60) & (minute < 21 * 60) & (minute != 12 * 60), 2.0, 0.0)
    calls[(ts.date == pd.Timestamp("2026-08-20").date()) & (minute == 22 * 60)] = 1.0
    hist = pd.DataFrame({"timestamp": ts, "queue": "bank", "volume": calls, "aht": 240.0})
    cfg = parse_config({"centre": {"name": "Bank", "interval_minutes": 6}, "queues": [{"name": "bank"}]})
    fc = forecast(prepare_history(hist, cfg), cfg, 7, method="top_down").forecast
    clock = pd.DatetimeIndex(fc["timestamp"]).strftime("%H:%M")
    noon, before, after = (fc.loc[clock == t, "volume"].to_numpy() for t in ("12:00", "11:54", "12:06"))
    assert (noon > 1.0).all() and (noon < before).all() and (noon < after).all()
    assert (fc.loc[clock == "22:00", "volume"] == 0).all()
    assert (fc.loc[(clock < "07:00") | (clock >= "21:00"), "volume"] == 0).all()
    day = fc.groupby(pd.DatetimeIndex(fc["timestamp"]).date)["volume"].sum()
    assert np.allclose(day, 139 * 2.0, rtol=0.01)  # the day's calls, spread over the open hours
