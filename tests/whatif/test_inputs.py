"""wfm.whatif.inputs: what a what-if runs on (files, or the forecast and roster stages), and the history the
baseline forecast is made from."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import wfm.forecast
from wfm import whatif as W
from wfm.config import load_config
from wfm.errors import InputError
from wfm.history import History, read_history

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
    assert seen["kwargs"]["method"] == "week_average"
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
