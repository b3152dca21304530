"""The model contract, checked alike for every model, and each model on data with known structure."""

from __future__ import annotations

import numpy as np
import pytest
from synthetic_history import INTRADAY, WEEKDAY_LEVEL, P, S, true_mean

from wfm.errors import InputError
from wfm.forecast.models import MODELS, SeasonalNaive, WeekAverage, make_models


@pytest.mark.parametrize("name", [m for m in MODELS if m != "top_down_ets"])
def test_model_contract(name):
    y = np.random.default_rng(3).poisson(true_mean(8 * 7).ravel()).astype(float)
    y[100:130] = np.nan
    model = make_models(S, [name])[0]
    assert model.alias == name and model.season_length == S
    fitted = model.fit(y)
    assert fitted is model
    a = model.predict(3 * P, level=[80, 95])
    b = make_models(S, [name])[0].forecast(y, 3 * P, level=[80, 95])
    assert set(a) == {"mean", "lo-80", "hi-80", "lo-95", "hi-95"}
    for key in a:
        assert a[key].shape == (3 * P,)
        np.testing.assert_allclose(a[key], b[key])
    assert (a["mean"] >= 0).all()
    assert (a["lo-95"] <= a["lo-80"]).all() and (a["lo-80"] <= a["mean"]).all()
    assert (a["mean"] <= a["hi-80"]).all() and (a["hi-80"] <= a["hi-95"]).all()
    assert model.predict(P)["mean"].shape == (P,) and set(model.predict(P)) == {"mean"}


def test_top_down_ets_runs():
    y = np.random.default_rng(3).poisson(true_mean(8 * 7).ravel()).astype(float)
    out = make_models(S, ["top_down_ets"])[0].forecast(y, 7 * P)
    day_totals = out["mean"].reshape(7, P).sum(1)
    np.testing.assert_allclose(day_totals, 1000 * WEEKDAY_LEVEL, rtol=0.08)


def test_season_length_must_be_a_week():
    with pytest.raises(ValueError, match="intervals per week"):
        SeasonalNaive(100)


def test_unknown_method():
    with pytest.raises(InputError, match="--method: unknown method 'prophet'"):
        make_models(S, ["prophet"])


def test_seasonal_naive_is_calendar_aligned_across_a_missing_day():
    # every day holds its day number, so the forecast says which day it was copied from
    n_days = 21
    y = np.repeat(np.arange(n_days, dtype=float), P)
    y[16 * P : 17 * P] = np.nan  # Wednesday of week 3 is missing
    mean = SeasonalNaive(S).forecast(y, 7 * P)["mean"].reshape(7, P)
    assert list(mean[:, 0]) == [14, 15, 9, 17, 18, 19, 20]  # Wednesday falls back to week 2, others stay


def test_seasonal_naive_second_week_repeats_the_last_one():
    y = np.repeat(np.arange(14, dtype=float), P)
    mean = SeasonalNaive(S).forecast(y, 14 * P)["mean"].reshape(14, P)[:, 0]
    assert list(mean) == list(range(7, 14)) * 2


def test_week_average_is_weighted_and_robust_to_one_odd_week():
    base = true_mean(6 * 7, daily=1000)
    y = base.copy()
    y[3 * 7 + 2] *= 3.0  # a storm on one Wednesday
    out = WeekAverage(S, weeks=6).forecast(y.ravel(), 7 * P)["mean"].reshape(7, P)
    np.testing.assert_allclose(out, true_mean(7), rtol=1e-9)
    # recency weights: a level shift in the last week moves the average more than an early one
    y2 = true_mean(6 * 7).copy()
    y2[-7:] *= 1.2
    late = WeekAverage(S, weeks=6, decay=0.5).forecast(y2.ravel(), 7 * P)["mean"].sum()
    flat = WeekAverage(S, weeks=6, decay=1.0).forecast(y2.ravel(), 7 * P)["mean"].sum()
    assert late > flat > true_mean(7).sum()


def test_week_average_skips_missing_weeks_without_shifting():
    y = true_mean(6 * 7)
    y[-7:] = np.nan  # the whole last week missing
    out = WeekAverage(S).fit(y.ravel()).predict(7 * P)["mean"].reshape(7, P)
    np.testing.assert_allclose(out, true_mean(7), rtol=1e-9)


def test_top_down_recovers_planted_weekly_pattern_and_trend():
    weeks = 12
    trend = 0.02  # +2% per week
    y = np.random.default_rng(5).poisson(true_mean(7 * weeks, trend_per_week=trend)).astype(float).ravel()
    out = make_models(S, ["top_down_trend"])[0].forecast(y, 14 * P)["mean"].reshape(14, P)
    truth = true_mean(14, trend_per_week=trend, first_day=7 * weeks)
    # daily totals within 4%, intraday shape within 10% (Poisson noise on 1000 calls a day)
    np.testing.assert_allclose(out.sum(1), truth.sum(1), rtol=0.04)
    np.testing.assert_allclose(out[0] / out[0].sum(), INTRADAY, atol=0.1 * INTRADAY.max())
    # the trend-free top-down stays at the recent level: lower than the trending truth
    flat = make_models(S, ["top_down"])[0].forecast(y, 14 * P)["mean"].reshape(14, P)
    assert flat[7:].sum() < out[7:].sum()


def test_top_down_totals_ignore_an_unflagged_holiday():
    days = true_mean(8 * 7)
    days[4 * 7 + 4] *= 0.3  # a Friday holiday nobody flagged
    for half_life in (3.0, 100.0):
        m = make_models(S, ["top_down"])[0]
        m.half_life_weeks = half_life
        totals = m.fit(days.ravel()).predict(7 * P)["mean"].reshape(7, P).sum(1)
        np.testing.assert_allclose(totals, 1000 * WEEKDAY_LEVEL, rtol=1e-6)
