"""The rolling-origin backtest, its scores and the choice of model per queue (``method="auto"``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from synthetic_history import P, S, history_frame, prepared, true_mean

from wfm.errors import InsufficientHistory
from wfm.forecast import forecast
from wfm.forecast.backtest import AUTO_CANDIDATES, backtest, choose, score_backtest
from wfm.forecast.models import make_models
from wfm.history import clean_history


def test_backtest_frame_and_windows():
    h = clean_history(history_frame(10, queues=("a", "b")), source="h")
    models = make_models(S, ["seasonal_naive", "week_average"])
    cv = backtest(models, h, 7 * P, n_windows=3)
    assert list(cv.columns) == ["queue", "timestamp", "cutoff", "y", "seasonal_naive", "week_average"]
    assert len(cv) == 2 * 3 * 7 * P
    cutoffs = sorted(cv["cutoff"].unique())
    assert [pd.Timestamp(c) for c in cutoffs] == [pd.Timestamp("2026-02-23"), pd.Timestamp("2026-03-02"),
                                                   pd.Timestamp("2026-03-09")]
    w = cv[cv["cutoff"] == cutoffs[-1]]
    assert w["timestamp"].min() == pd.Timestamp("2026-03-09") and w["timestamp"].max() == pd.Timestamp(
        "2026-03-15 23:00")
    # the seasonal naive of the last window is the week before, value for value
    a = w[w["queue"] == "a"]
    prev = cv[(cv["queue"] == "a") & (cv["cutoff"] == cutoffs[-2])]["y"].to_numpy()
    np.testing.assert_array_equal(a["seasonal_naive"].to_numpy(), prev)


def test_backtest_needs_enough_history():
    h = clean_history(history_frame(2), source="h.csv")
    with pytest.raises(InsufficientHistory, match="too little history to backtest a 14-day horizon"):
        backtest(make_models(S, ["seasonal_naive"]), h, 14 * P, 2)


def test_score_backtest_exact_metrics():
    cv = pd.DataFrame({
        "queue": "q",
        "timestamp": pd.to_datetime(["2026-01-05 00:00", "2026-01-05 01:00", "2026-01-06 00:00",
                                     "2026-01-06 01:00"]),
        "cutoff": pd.Timestamp("2026-01-05"),
        "y": [10.0, 0.0, 20.0, np.nan],
        "seasonal_naive": [12.0, 2.0, 14.0, 5.0],
        "m": [11.0, 1.0, 20.0, 99.0],
    })
    met = score_backtest(cv).set_index("model")
    assert met.loc["m", "wape"] == pytest.approx(2 / 30)
    assert met.loc["m", "bias"] == pytest.approx(2 / 30)
    assert met.loc["seasonal_naive", "wape"] == pytest.approx(10 / 30)
    assert met.loc["seasonal_naive", "bias"] == pytest.approx(-2 / 30)
    assert met.loc["m", "mase"] == pytest.approx((2 / 3) / (10 / 3))
    assert met.loc["m", "daily_wape"] == pytest.approx(2 / 30)  # day 1: 12 vs 10, day 2: 20 vs 20
    assert met.loc["seasonal_naive", "daily_wape"] == pytest.approx((4 + 6) / 30)
    assert met.loc["m", "mape"] == pytest.approx((0.1 + 0.0) / 2)  # only intervals with volume
    assert choose(met.reset_index(), ["m", "seasonal_naive"]) == {"q": "m"}


def test_choose_prefers_the_earlier_candidate_on_near_ties():
    met = pd.DataFrame({
        "queue": ["a", "a", "a", "b", "b"],
        "model": ["top_down", "blend", "top_down_trend", "top_down", "top_down_trend"],
        "wape": [0.200, 0.199, 0.197, 0.200, 0.180],
    })
    # a: top_down_trend is best by 1.5% (within the 2% margin): the preferred top_down wins
    # b: top_down_trend wins clearly (10%)
    assert choose(met, ["top_down", "blend", "top_down_trend"]) == {"a": "top_down", "b": "top_down_trend"}
    assert choose(met, ["top_down", "blend", "top_down_trend"], margin=0.0) == {
        "a": "top_down_trend", "b": "top_down_trend"}


def test_auto_beats_the_seasonal_naive_on_noisy_data():
    f = history_frame(16)
    res = forecast(prepared(f), horizon=14)
    m = res.metrics.set_index("model")
    assert m.loc[res.chosen["q"], "wape"] < 0.85 * m.loc["seasonal_naive", "wape"]
    assert res.chosen["q"] in AUTO_CANDIDATES
    fc = res.forecast["volume"].to_numpy().reshape(14, P)
    truth = true_mean(14, first_day=16 * 7)
    assert np.abs(fc - truth).sum() / truth.sum() < 0.08
    assert (res.forecast["volume_p10"] <= res.forecast["volume"]).all()
    assert (res.forecast["volume"] <= res.forecast["volume_p90"]).all()
    # about 80% of actual values should fall inside p10..p90: check against fresh draws of the truth
    draws = np.random.default_rng(99).poisson(truth).ravel()
    inside = (draws >= res.forecast["volume_p10"]) & (draws <= res.forecast["volume_p90"])
    assert 0.7 < inside.mean() < 0.95


def test_short_history_falls_back_without_a_backtest():
    res = forecast(prepared(history_frame(2)), horizon=7)
    assert res.chosen == {"q": "week_average"}
    assert res.chosen_wape == {"q": None}
    assert any("too little history to backtest" in n for n in res.notes)


def test_a_queue_younger_than_the_backtest_is_not_scored():
    old = history_frame(10, queues=("old",))
    new = history_frame(10, queues=("new",), seed=4)
    new = new[new["timestamp"] >= "2026-03-05"]  # 10 days of history
    res = forecast(prepared(pd.concat([old, new])), horizon=14)
    assert res.chosen_wape["new"] is None and res.chosen["new"] == AUTO_CANDIDATES[0]
    assert res.chosen_wape["old"] is not None
    new_fc = res.forecast[res.forecast["queue"] == "new"]
    assert len(new_fc) == 14 * P and new_fc["volume"].sum() > 0
