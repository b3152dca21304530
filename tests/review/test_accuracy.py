"""wfm.review.accuracy against answers known without the code: errors made by construction, Poisson draws,
the Poisson mean absolute deviation in closed form and by brute force."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from wfm.review.accuracy import poisson_mad, score


def frame(forecast: np.ndarray, actual: np.ndarray, queues=("retail",), start="2026-11-30", minutes=15,
          **extra) -> pd.DataFrame:
    ts = pd.date_range(start, periods=len(forecast), freq=f"{minutes}min")
    return pd.concat([pd.DataFrame({"timestamp": ts, "queue": q, "forecast": forecast, "actual": actual, **extra})
                      for q in queues], ignore_index=True)


def test_actuals_ten_percent_above_give_wape_10_and_bias_minus_9_09():
    """actual = forecast x 1.1: the error is 0.1 forecast = 0.1 / 1.1 of the actuals, so WAPE 9.0909% and bias
    -9.0909% at every level (WAPE and bias are over the actuals, as in the backtest); a forecast 10% above the
    actuals scores WAPE 10% and bias +10%."""
    rng = np.random.default_rng(1)
    f = rng.uniform(5, 50, 7 * 96)
    s = score(frame(f, 1.1 * f), 15).set_index(["queue", "level"])
    for level in ("interval", "30min", "day"):
        assert s.loc[("retail", level), "wape"] == pytest.approx(0.1 / 1.1, abs=5e-5)
        assert s.loc[("retail", level), "bias"] == pytest.approx(-0.1 / 1.1, abs=5e-5)
    # forecast 10% above the actuals: WAPE exactly 10%, bias +10%
    s = score(frame(1.1 * f, f), 15).set_index(["queue", "level"])
    assert s.loc[("retail", "interval"), "wape"] == pytest.approx(0.1, abs=5e-5)
    assert s.loc[("retail", "day"), "bias"] == pytest.approx(0.1, abs=5e-5)


def test_poisson_mad_closed_form_and_brute_force():
    for lam in (0.3, 1.0, 2.5, 7.0, 40.0):
        n = np.arange(0, int(lam * 10 + 50))
        pmf = np.exp(n * math.log(lam) - lam - np.array([math.lgamma(k + 1) for k in n]))
        assert poisson_mad(np.array([lam]))[0] == pytest.approx(float((pmf * np.abs(n - lam)).sum()), rel=1e-9)
    assert poisson_mad(np.array([0.0]))[0] == 0.0
    # large rates: E|N - lambda| -> sqrt(2 lambda / pi)
    assert poisson_mad(np.array([1e6]))[0] == pytest.approx(math.sqrt(2e6 / math.pi), rel=1e-3)


def test_poisson_draws_of_a_perfect_forecast_score_at_the_noise_floor():
    rng = np.random.default_rng(7)
    f = np.tile(np.r_[np.linspace(2, 30, 48), np.linspace(30, 2, 48)], 28)  # four weeks of 15 minutes
    a = rng.poisson(f).astype(float)
    s = score(frame(f, a), 15).set_index(["queue", "level"])
    # 2,688 intervals, 1,344 half hours, 28 days: the sampling noise of the WAPE itself grows as periods fall
    for level, rel in (("interval", 0.03), ("30min", 0.05), ("day", 0.2)):
        floor = s.loc[("retail", level), "noise_floor_wape"]
        assert s.loc[("retail", level), "wape"] == pytest.approx(floor, rel=rel)
    # and the floor shrinks as periods grow (sums of Poissons are Poisson)
    assert s.loc[("retail", "day"), "noise_floor_wape"] < s.loc[("retail", "30min"), "noise_floor_wape"] \
        < s.loc[("retail", "interval"), "noise_floor_wape"]


def test_mase_against_the_seasonal_naive_and_band_coverage_over_open_intervals():
    f = np.array([10.0, 10.0, 0.0, 10.0])
    a = np.array([12.0, 8.0, 0.0, 10.0])
    naive = np.array([14.0, 4.0, 0.0, 10.0])  # errors 2, 4, 0, 0 against the forecast's 2, 2, 0, 0
    p10, p90 = np.array([9.0, 9.0, 0.0, 9.0]), np.array([11.0, 11.0, 0.0, 11.0])
    s = score(frame(f, a, naive=naive, p10=p10, p90=p90), 15).set_index(["queue", "level"])
    assert s.loc[("retail", "interval"), "mase"] == pytest.approx(4 / 6)
    assert s.loc[("retail", "interval"), "coverage"] == pytest.approx(1 / 3)  # 10 in [9, 11]; 12 and 8 out
    assert np.isnan(s.loc[("retail", "day"), "coverage"])


def test_total_never_nets_one_queue_against_another_and_unknown_actuals_are_not_scored():
    f = np.full(96, 10.0)
    over = frame(f, np.full(96, 8.0), queues=("retail",))
    under = frame(f, np.full(96, 12.0), queues=("cards",))
    both = pd.concat([over, under], ignore_index=True)
    both.loc[0, "actual"] = np.nan
    s = score(both, 15).set_index(["queue", "level"])
    assert s.loc[("total", "day"), "wape"] == pytest.approx((95 * 2 + 96 * 2) / (95 * 8 + 96 * 12))
    assert s.loc[("retail", "interval"), "periods"] == 95
    assert s.loc[("total", "day"), "bias"] == pytest.approx((95 * 2 - 96 * 2) / (95 * 8 + 96 * 12))
