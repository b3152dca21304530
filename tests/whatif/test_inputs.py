"""wfm.whatif.inputs: what a what-if runs on (files, or the forecast and roster stages), and the history the
baseline forecast is made from."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import wfm.forecast
from wfm import whatif as W
from wfm.config import load_config
from wfm.errors import InputError
from wfm.history import History, read_history
from whatif.small import small_config, small_forecast

ROOT = Path(__file__).resolve().parents[2]


class _Stop(Exception):
    """Raised by the spy: the baseline is not built further."""


def _history_forecast_from(monkeypatch, call) -> History:
    seen = {}

    def spy(history, *args, **kwargs):
        seen["history"], seen["kwargs"] = history, kwargs
        raise _Stop

    monkeypatch.setattr(wfm.forecast, "forecast", spy)
    with pytest.raises(_Stop):
        call()
    assert seen["kwargs"]["method"] == "auto"  # as wfm plan: the lowest backtest WAPE per queue
    assert seen["kwargs"]["start"] is None  # the first open day after the history
    return seen["history"]


@pytest.mark.parametrize("how", ["baseline_inputs", "load_inputs"])
def test_baseline_forecast_sees_the_configs_holidays_and_excluded_day(monkeypatch, how):
    """configs/example.toml has 10 [forecast] holidays and excludes 2026-08-12 (the storm surge); the history
    the what-if baseline forecasts from must carry them, as `wfm forecast` does (wfm.history.prepare_history)."""
    cfg = load_config(ROOT / "configs" / "example.toml")
    path = ROOT / "forecasts" / "history.csv"
    if how == "baseline_inputs":
        h = _history_forecast_from(monkeypatch, lambda: W.baseline_inputs(cfg, history=read_history(path)))
    else:
        h = _history_forecast_from(monkeypatch, lambda: W.load_inputs(cfg, history_path=path))
    assert isinstance(h, History)
    days = pd.date_range(h.start, periods=len(h.holiday), freq="D")
    assert int(h.holiday.sum()) == 10
    assert [f"{d:%Y-%m-%d}" for d in days[h.holiday.astype(bool)]][:4] == [
        "2026-01-01", "2026-02-16", "2026-02-17", "2026-02-18"]
    assert [f"{d:%Y-%m-%d}" for d in days[h.excluded.astype(bool)]] == ["2026-08-12"]


def test_baseline_history_is_prepare_history():
    cfg = load_config(ROOT / "configs" / "example.toml")
    raw = read_history(ROOT / "forecasts" / "history.csv")
    h = W.baseline_history(cfg, raw)
    assert W.baseline_history(cfg, h) is h  # a prepared History is used as it is
    assert int(h.holiday.sum()) == 10 and int(h.excluded.sum()) == 1


def test_load_inputs_reads_the_files_it_is_given(tmp_path):
    from wfm.io import atomic_write_csv
    from whatif.small import small_config, small_forecast, small_roster

    atomic_write_csv(tmp_path / "forecast.csv", small_forecast())
    small_roster().to_csv(tmp_path / "roster.csv", index=False)
    fc, ro, notes = W.load_inputs(small_config(), forecast_path=tmp_path / "forecast.csv",
                                  history_path=tmp_path / "no-such-history.csv", roster_path=tmp_path / "roster.csv")
    assert notes == [] and len(fc) == len(small_forecast()) and len(ro) == len(small_roster())
    assert "_line" in ro.columns  # read as roster.csv, for located errors


def test_load_inputs_needs_a_forecast_or_a_history():
    from whatif.small import small_config

    with pytest.raises(InputError, match="give --forecast forecast.csv, or a history"):
        W.load_inputs(small_config())


def _small_history(path: Path, weeks: int = 5) -> Path:
    """The small centre's two queues, hourly, 08:00-18:00 every day for ``weeks`` weeks from 2026-01-05
    (a Monday), retail busier on Mondays."""
    ts = pd.date_range("2026-01-05", periods=24 * 7 * weeks, freq="60min")
    open_ = (ts.hour >= 8) & (ts.hour < 18)
    frames = [pd.DataFrame({"timestamp": ts.strftime("%Y-%m-%d %H:%M"), "queue": q,
                            "volume": np.where(open_, base + 4 * (ts.day_of_week == 0), 0), "aht": aht})
              for q, base, aht in (("retail", 10, 300), ("cards", 6, 240))]
    pd.concat(frames).sort_values(["timestamp", "queue"]).to_csv(path, index=False)
    return path


def test_baseline_forecast_from_start_with_the_auto_model_per_queue(tmp_path):
    """--start 2026-01-26 (inside the history): the plan starts that day, trained only on the weeks before it;
    auto backtests the candidates and the note names the model chosen for each queue."""
    path = _small_history(tmp_path / "history.csv")
    fc, ro, notes = W.load_inputs(small_config(), history_path=path, horizon="7d", start="2026-01-26",
                                  roster_time_limit_s=5)
    ts = pd.to_datetime(fc["timestamp"])
    assert f"{ts.min():%Y-%m-%d %H:%M}" == "2026-01-26 00:00" and f"{ts.max():%Y-%m-%d}" == "2026-02-01"
    assert min(ro["date"]) >= "2026-01-26" and max(ro["date"]) <= "2026-02-01"
    (note,) = [n for n in notes if n.startswith("forecast: ")]
    assert note.startswith("forecast: auto, 7 days from 2026-01-26; models: retail ")
    assert ", cards " in note and note.count("(WAPE ") == 2
    monday = fc[(fc["queue"] == "retail") & (ts.dt.strftime("%Y-%m-%d %H") == "2026-01-26 10")]
    assert float(monday["volume"].iloc[0]) == pytest.approx(14, abs=0.5)  # Mondays' 14 calls, not the 10 of the week


def test_baseline_forecast_default_start_and_a_named_method(tmp_path):
    path = _small_history(tmp_path / "history.csv")
    fc, _, notes = W.load_inputs(small_config(), history_path=path, horizon="7d", method="week_average",
                                 roster_time_limit_s=5)
    assert f"{pd.to_datetime(fc['timestamp']).min():%Y-%m-%d}" == "2026-02-09"  # the day after the history
    assert "forecast: week_average, 7 days from 2026-02-09; models: retail week_average, cards week_average" in notes


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"start": "2026-02-30"}, "--start: '2026-02-30' is not a date"),
    ({"method": "magic"}, "--method: unknown method 'magic'"),
])
def test_bad_start_or_method_is_an_input_error_naming_the_option(tmp_path, kwargs, message):
    path = _small_history(tmp_path / "history.csv")
    with pytest.raises(InputError, match=message):
        W.load_inputs(small_config(), history_path=path, **kwargs)


def test_start_or_method_with_a_forecast_file_is_an_input_error(tmp_path):
    from wfm.io import atomic_write_csv

    atomic_write_csv(tmp_path / "forecast.csv", small_forecast())
    with pytest.raises(InputError, match=r"^--start: only when forecasting from --history; "):
        W.load_inputs(small_config(), forecast_path=tmp_path / "forecast.csv", start="2026-03-02")


def test_a_one_week_roster_is_repeated_over_a_longer_plan():
    """A month-long what-if on the published one-week roster: wfm's rosters are cyclic, so its week is worked
    again in every week of the forecast (same agents, same shifts, dates moved by 7 days), said in a note; a
    roster that does not start on the plan's first day is not repeated."""
    from whatif.small import DAYS, small_config, small_roster

    ts = pd.date_range(DAYS[0], periods=21 * 24, freq="60min")  # three weeks from the roster's first day
    fc = pd.DataFrame({"timestamp": ts, "queue": "retail", "volume": np.where((ts.hour >= 8) & (ts.hour < 18), 5.0, 0),
                       "aht": 300.0})
    one_week = small_roster()  # two days worked, five off: a week of the small centre
    got_fc, ro, notes = W.baseline_inputs(small_config(), forecast=fc, roster=one_week, roster_source="r.csv")
    dates = pd.to_datetime(ro["date"])
    first = pd.Timestamp(DAYS[0])
    assert sorted(set((dates - first).dt.days)) == [0, 1, 7, 8, 14, 15]
    assert len(ro) == 3 * len(one_week)
    week3 = ro[dates >= first + pd.Timedelta(days=14)].drop(columns="date").reset_index(drop=True)
    pd.testing.assert_frame_equal(week3, one_week.drop(columns="date"), check_dtype=False)
    assert notes[0] == "r.csv: its 1 week(s) repeated over the plan's 21 days (wfm's rosters are cyclic: the same " \
                       "agents, the same weeks)"
    late = one_week.assign(date=(pd.to_datetime(one_week["date"]) + pd.Timedelta(days=1)).dt.strftime("%Y-%m-%d"))
    _, ro2, notes2 = W.baseline_inputs(small_config(), forecast=fc, roster=late, roster_source="r.csv")
    assert len(ro2) == len(late) and not any("repeated" in n for n in notes2)
