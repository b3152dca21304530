"""The charts answer a planner's questions (wfm.charts, checked on the figures' own artists): they span the
plan's own dates with day and hour ticks, the forecast's p10-p90 band is there to see and the interval length
is on its axis, a plan of past dates shows what came, closed hours are marked, a single short 5-minute
interval shows, and the heatmap tells closed from exactly met."""

from __future__ import annotations

import io

import matplotlib.image as mpimg
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from wfm import charts


def _forecast(start: str = "2026-12-02", days: int = 14, step: int = 15) -> pd.DataFrame:
    ts = pd.date_range(start, periods=days * 1440 // step, freq=f"{step}min")
    return pd.DataFrame({"timestamp": ts, "queue": "retail", "volume": 10.0 + (ts.hour.to_numpy() % 5),
                         "volume_p10": 7.0, "volume_p90": 14.0})


def _coverage(start: str = "2026-11-30", days: int = 7, step: int = 15, short_at: int | None = None) -> pd.DataFrame:
    ts = pd.date_range(start, periods=days * 1440 // step, freq=f"{step}min")
    req = np.where((ts.hour >= 8) & (ts.hour < 20) & (ts.day_of_week < 5), 5, 0)
    on = req.copy()
    on[req > 0] += 1
    if short_at is not None:
        on[short_at] = req[short_at] - 1
    return pd.DataFrame({"timestamp": ts, "required_scheduled": req, "rostered": on,
                         "over": np.maximum(on - req, 0), "under": np.maximum(req - on, 0), "service_level": 0.8})


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_a_two_week_forecast_from_a_wednesday_spans_its_fourteen_days_with_hour_ticks():
    fig = charts.forecast_figure(_forecast(), pd.DataFrame(columns=["timestamp", "volume"]))
    ax = fig.axes[0]
    assert ax.get_xlim() == (0.0, 14 * 24.0)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels[0] == "Wed 02 Dec" and labels[13] == "Tue 15 Dec" and len(labels) == 15
    minor = [t.get_text() for t in ax.get_xticklabels(minor=True)]
    assert minor[:3] == ["06", "12", "18"] and len(minor) == 14 * 3
    assert ax.get_ylabel() == "calls per 15-minute interval (all queues)"
    band = [c for c in ax.collections if c.get_label() == "forecast p10-p90"]
    assert len(band) == 1 and band[0].get_alpha() >= 0.3
    week = charts.forecast_figure(_forecast(days=7), pd.DataFrame(columns=["timestamp", "volume"]))
    assert [t.get_text() for t in week.axes[0].get_xticklabels(minor=True)][:3] == ["03", "06", "09"]


def test_the_forecast_shows_earlier_weeks_and_what_came_on_a_past_plan():
    fc = _forecast(days=7)
    past = fc[["timestamp"]].assign(timestamp=fc["timestamp"] - pd.Timedelta(days=7), volume=3.0)
    came = fc[["timestamp"]].assign(volume=np.arange(len(fc), dtype=float))
    ax = charts.forecast_figure(fc, past, planned_actuals=came).axes[0]
    lines = {ln.get_label(): ln for ln in ax.get_lines()}
    assert (lines["actual 1 week earlier"].get_ydata()[:-1] == 3.0).all()
    assert "actual 2 weeks earlier" not in lines
    got = lines["actual, the planned dates"]
    assert np.array_equal(got.get_ydata()[:-1], came["volume"].to_numpy())
    assert got.get_xdata()[0] == 0.0 and got.get_xdata()[-1] == 7 * 24.0


def test_closed_hours_are_marked_on_the_line_charts():
    cov = _coverage()
    closed = (cov["required_scheduled"] == 0).to_numpy()
    ax = charts.staffing_figure(cov, closed=closed).axes[0]
    spans = ax.patches
    assert [p.get_label() for p in ax.patches].count("closed") == 1
    # Monday 00:00-08:00, then 20:00 Monday to 08:00 Tuesday, ..., Friday 20:00 to the end of Sunday: 6 runs
    assert len(spans) == 6
    ax = charts.forecast_figure(_forecast("2026-11-30", 7), pd.DataFrame(columns=["timestamp", "volume"]),
                                closed=closed).axes[0]
    assert [p.get_label() for p in ax.patches].count("closed") == 1


def test_a_single_short_five_minute_interval_is_marked_and_visible_on_two_weeks():
    cov = _coverage(days=14, step=5, short_at=12 * 10 + 3)  # Monday 10:15
    fig = charts.staffing_figure(cov)
    ax = fig.axes[0]
    marks = [c for c in ax.collections if c.get_label().startswith("short")]
    assert len(marks) == 1 and marks[0].get_label() == "short (1 interval)"
    (segment,) = marks[0].get_segments()
    assert segment[0][0] == pytest.approx(10.25 + 2.5 / 60)
    assert marks[0].get_linewidth()[0] >= 1.0
    img = mpimg.imread(io.BytesIO(charts._png(fig)), format="png")[..., :3]
    red = (img[..., 0] > 0.75) & (img[..., 1] < 0.3) & (img[..., 2] < 0.3)
    assert red.sum() >= 5  # drawn, not lost under a pixel: 5 minutes of two weeks is a quarter of a pixel wide
    none = charts.staffing_figure(_coverage(days=14, step=5))
    assert not [c for c in none.axes[0].collections if c.get_label().startswith("short")]


def test_the_heatmap_tells_closed_from_exactly_met_and_one_agent_short_is_strong_red():
    cov = _coverage(short_at=4 * 9)  # Monday 09:00, one agent short
    cov.loc[4 * 10, "rostered"] = cov.loc[4 * 10, "required_scheduled"]  # Monday 10:00 exactly met
    closed = (cov["required_scheduled"] == 0).to_numpy()
    fig = charts.heatmap_figure(cov, closed=closed)
    (im,) = fig.axes[0].get_images()
    arr = im.get_array()
    assert arr.shape == (7, 96)
    assert arr.mask[0, 0] and arr.mask[5].all()  # Monday 00:00 and all of Saturday are closed
    assert not arr.mask[0, 36] and arr[0, 36] == -1 and arr[0, 40] == 0
    cmap, norm = im.get_cmap(), im.norm
    white, grey = np.array(cmap(norm(0.0))[:3]), np.array(cmap.get_bad()[:3])
    assert white.min() > 0.95  # exactly met: white
    assert np.allclose(grey, [0xB0 / 255] * 3, atol=0.01)  # closed: grey, not white
    r, g, b = cmap(norm(-1.0))[:3]
    assert r > 0.75 and g < 0.45 and b < 0.45  # one agent short: a strong red even beside 20 over
    assert charts.heatmap_grid(cov).notna().all().all()  # without a closed mask nothing is grey
