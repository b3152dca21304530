"""wfm.review.run: a plan's forecast scored against actuals read from a history file."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from wfm.config import load_config
from wfm.errors import InputError
from wfm.review.run import review_forecast

ROOT = Path(__file__).resolve().parents[2]
CONFIG = load_config(ROOT / "configs" / "example.toml")


def run_folder(tmp_path: Path, days: int = 7) -> tuple[Path, pd.DataFrame]:
    """A run folder holding a forecast of ``days`` days from 2026-11-30 and the manifest naming it."""
    ts = pd.date_range("2026-11-30", periods=days * 96, freq="15min")
    shape = 5 + 25 * np.sin(np.pi * (ts.hour * 60 + ts.minute) / 1440) ** 2
    fc = pd.concat([pd.DataFrame({"timestamp": ts.strftime("%Y-%m-%d %H:%M"), "queue": q, "volume": k * shape,
                                  "aht": 300.0, "volume_p10": 0.8 * k * shape, "volume_p90": 1.2 * k * shape})
                    for q, k in (("retail", 2.0), ("business", 1.0))], ignore_index=True)
    run = tmp_path / "runs" / "2026-11-30"
    run.mkdir(parents=True)
    fc.to_csv(run / "forecast.csv", index=False)
    digest = hashlib.sha256((run / "forecast.csv").read_bytes()).hexdigest()
    (run / "manifest.json").write_text(json.dumps({"files": {"forecast.csv": digest}}))
    return run, fc


def actuals(tmp_path: Path, fc: pd.DataFrame, factor: float, *, days: int | None = None, week_before: bool = True
            ) -> Path:
    rows = fc[["timestamp", "queue"]].assign(volume=np.round(fc["volume"] * factor, 6))
    if days is not None:
        rows = rows[pd.to_datetime(rows["timestamp"]) < pd.Timestamp("2026-11-30") + pd.Timedelta(days=days)]
    if week_before:
        before = rows.assign(timestamp=(pd.to_datetime(rows["timestamp"]) - pd.Timedelta(days=7))
                             .dt.strftime("%Y-%m-%d %H:%M"), volume=fc["volume"] * factor * 0.9)
        rows = pd.concat([before, rows], ignore_index=True)
    path = tmp_path / "actuals.csv"
    rows.to_csv(path, index=False)
    return path


def test_actuals_ten_percent_above_the_forecast_score_9_09_percent_per_queue_and_level(tmp_path):
    run, fc = run_folder(tmp_path)
    res = review_forecast(run, actuals(tmp_path, fc, 1.1), CONFIG)
    s = res.scores.set_index(["queue", "level"])
    for q in ("retail", "business", "total"):
        for level in ("interval", "30min", "day"):
            assert s.loc[(q, level), "wape"] == pytest.approx(0.1 / 1.1, abs=5e-5)
            assert s.loc[(q, level), "bias"] == pytest.approx(-0.1 / 1.1, abs=5e-5)
    # the naive (last week's actuals, 0.9 x 1.1 = 0.99 of the forecast) errs 0.11 of the forecast: MASE 0.1 / 0.11
    assert s.loc[("retail", "interval"), "mase"] == pytest.approx(0.1 / 0.11, abs=1e-3)
    assert s.loc[("retail", "interval"), "coverage"] == pytest.approx(1.0)  # 1.1 x inside [0.8, 1.2] x
    assert res.notes == []


def test_actuals_that_cover_part_of_the_run_are_named_and_the_rest_not_scored(tmp_path):
    run, fc = run_folder(tmp_path)
    res = review_forecast(run, actuals(tmp_path, fc, 1.0, days=3, week_before=False), CONFIG)
    assert res.notes[0].endswith("actuals for 2026-11-30 to 2026-12-02 (3 of the run's 7 days, 2026-11-30 to "
                                 "2026-12-06); the rest is not scored")
    assert "MASE is n/a" in res.notes[1]
    s = res.scores.set_index(["queue", "level"])
    assert s.loc[("retail", "day"), "periods"] == 3 and s.loc[("retail", "day"), "wape"] == pytest.approx(0.0)


def test_not_a_whole_run_folder_is_an_input_error(tmp_path):
    run, fc = run_folder(tmp_path)
    acts = actuals(tmp_path, fc, 1.0)
    (run / "forecast.csv").write_text((run / "forecast.csv").read_text().replace("retail", "retail", 1) + "\n")
    with pytest.raises(InputError, match="is not the forecast.csv .*manifest.json names"):
        review_forecast(run, acts, CONFIG)
    (run / "manifest.json").unlink()
    with pytest.raises(InputError, match="not a wfm plan run folder"):
        review_forecast(run, acts, CONFIG)
    with pytest.raises(InputError, match="no actuals for the run's days"):
        run2, fc2 = run_folder(tmp_path / "b")
        far = tmp_path / "far.csv"
        far.write_text("timestamp,queue,volume\n2025-01-06 00:00,retail,3\n")
        review_forecast(run2, far, CONFIG)
