"""The bundled example history: seeded, regenerable byte for byte, and shaped as the issue asks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from wfm.generate import generate_history, main

ROOT = Path(__file__).resolve().parents[1]


def test_example_history_is_regenerated_byte_for_byte(tmp_path):
    out = tmp_path / "history.csv"
    assert main(["--out", str(out)]) == 0
    assert out.read_bytes() == (ROOT / "forecasts" / "history.csv").read_bytes()


def test_example_history_shape():
    h = generate_history()
    assert list(h.columns) == ["timestamp", "queue", "volume", "aht"]
    assert h["timestamp"].min() == pd.Timestamp("2025-12-01 00:00")
    assert h["timestamp"].max() == pd.Timestamp("2026-11-29 23:45")  # ends on a Sunday
    assert len(h) == 3 * 364 * 96
    h["hour"] = h["timestamp"].dt.hour
    normal = h[(h["timestamp"] >= "2026-09-01") & (h["timestamp"].dt.day_of_week == 0)]
    peak = normal.groupby(["queue", "hour"])["volume"].mean().groupby("queue").max()  # calls per 15 min
    assert 100 < peak["retail"] < 140 and 32 < peak["business"] < 48 and 50 < peak["cards"] < 70
    night = normal[normal["hour"].between(2, 4)].groupby("queue")["volume"].mean()
    assert (night < 0.1 * peak).all()  # the night lull
    aht = h.dropna(subset=["aht"]).groupby("queue").apply(
        lambda g: np.average(g["aht"].astype(float), weights=g["volume"]), include_groups=False
    )
    assert abs(aht["retail"] - 300) < 15 and abs(aht["business"] - 420) < 20 and abs(aht["cards"] - 240) < 12
    daily = h.assign(date=h["timestamp"].dt.normalize()).groupby(["queue", "date"])["volume"].sum()
    retail = daily["retail"]
    assert retail[pd.Timestamp("2026-10-01")] < 0.6 * retail[pd.Timestamp("2026-09-24")]  # a holiday
    assert retail[pd.Timestamp("2026-08-12")] > 1.4 * retail[pd.Timestamp("2026-08-05")]  # the storm
    # weekly pattern: Monday busier than Sunday
    assert retail[pd.Timestamp("2026-11-23")] > 1.8 * retail[pd.Timestamp("2026-11-29")]
