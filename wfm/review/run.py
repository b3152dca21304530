"""A plan's forecast against what happened (``wfm review``, step 2 of issue 15): read a `wfm plan` run folder and
the actuals for its dates, and score the forecast (:func:`wfm.review.accuracy.score`).

- **The run folder** must be a whole `wfm plan` run: its ``manifest.json`` names ``forecast.csv`` with a sha256
  the file still has (a folder without one, or with an edited or half-written forecast, is an InputError).
- **The actuals** are a history file (the format `wfm forecast` reads), cleaned on the config's grid and time
  zone with nothing excluded (a holiday's calls are what happened). The seasonal naive of each interval is the
  actual of the same interval a week before, when the file holds it (else MASE is NaN, with a note).
- **Coverage**: the run's days the actuals do not cover are named in one note with the covered range; scoring
  uses what is there, never zeros for what is missing.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from wfm.config import CentreConfig
from wfm.errors import InputError
from wfm.review.accuracy import score

PathLike = str | os.PathLike[str]


@dataclass
class ForecastReview:
    """The forecast's scores (:data:`wfm.review.accuracy.COLUMNS`) and notes on what was scored."""

    scores: pd.DataFrame
    first: pd.Timestamp
    last: pd.Timestamp
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """``{"plan": {...}, "forecast": {queue: {level: {wape, bias, mase, noise_floor_wape, ...}}}, "notes"}``;
        NaN is null."""
        from wfm.io import json_number

        out: dict = {}
        for r in self.scores.to_dict(orient="records"):
            out.setdefault(r["queue"], {})[r["level"]] = {
                "periods": r["periods"], "actual": round(r["actual"], 1), "forecast": round(r["forecast"], 1),
                **{k: json_number(r[k], 4) for k in ("wape", "bias", "mase", "noise_floor_wape", "coverage")},
            }
        return {"plan": {"first": f"{self.first:%Y-%m-%d %H:%M}", "last": f"{self.last:%Y-%m-%d %H:%M}"},
                "forecast": out, "notes": self.notes}

    def render(self) -> str:
        """The forecast's accuracy as a table: per queue and level, and the total."""
        from tabulate import tabulate

        def pct(v: float) -> str:
            return "n/a" if not np.isfinite(v) else f"{100 * v:.1f}%"

        rows = [[r["queue"], r["level"], r["periods"], f"{r['actual']:,.0f}", f"{r['forecast']:,.0f}", pct(r["wape"]),
                 pct(r["noise_floor_wape"]), pct(r["bias"]), "n/a" if not np.isfinite(r["mase"]) else f"{r['mase']:.2f}",
                 pct(r["coverage"]) if r["level"] == "interval" else ""]
                for r in self.scores.to_dict(orient="records")]
        head = ["queue", "level", "periods", "actual", "forecast", "wape", "noise_floor", "bias", "mase", "p10_p90"]
        return "\n".join([f"Forecast against actuals, {self.first:%Y-%m-%d} to {self.last:%Y-%m-%d}", "",
                          tabulate(rows, headers=head, tablefmt="simple", disable_numparse=True)])


def read_run_forecast(run: PathLike) -> pd.DataFrame:
    """forecast.csv of a whole `wfm plan` run folder (``timestamp, queue, volume, aht, volume_p10, volume_p90``)."""
    from wfm.io import read_forecast
    from wfm.plan.manifest import sha256_file

    folder = Path(run)
    manifest = folder / "manifest.json"
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder (give a `wfm plan` run folder, e.g. forecasts/runs/2026-11-30)")
    try:
        doc = json.loads(manifest.read_text())
    except FileNotFoundError:
        raise InputError(f"{folder}: not a wfm plan run folder (no manifest.json)") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"{manifest}: not a wfm plan manifest ({exc})") from None
    files = doc.get("files") if isinstance(doc, dict) else None
    if not isinstance(files, dict) or "forecast.csv" not in files:
        raise InputError(f"{manifest}: names no forecast.csv (not a whole wfm plan run)")
    path = folder / "forecast.csv"
    if not path.is_file() or sha256_file(path) != files["forecast.csv"]:
        raise InputError(f"{path}: is not the forecast {manifest.name} names (edited, or a run that did not finish); "
                         "review a whole run")
    return read_forecast(path)


def actuals_frame(history, queues: list[str]) -> pd.DataFrame:
    """A cleaned :class:`wfm.history.History` as ``timestamp, queue, actual`` (NaN where no data)."""
    per_day = history.volume.shape[2]
    ts = history.start + pd.to_timedelta(np.arange(history.volume.shape[1] * per_day) * history.interval_minutes,
                                         unit="min")
    parts = []
    for q in queues:
        if q in history.queues:
            vol = history.volume[history.queues.index(q)].reshape(-1)
            parts.append(pd.DataFrame({"timestamp": ts, "queue": q, "actual": vol}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["timestamp", "queue", "actual"])


def review_forecast(run: PathLike, actuals: PathLike, config: CentreConfig) -> ForecastReview:
    """Score the run's forecast against ``actuals`` (a history CSV), see the module docstring."""
    from wfm.history import clean_history, read_history

    fc = read_run_forecast(run)
    raw = read_history(actuals)
    hist = clean_history(raw, source=str(actuals), interval_minutes=config.centre.interval_minutes,
                         timezone=config.centre.timezone)
    queues = list(dict.fromkeys(fc["queue"]))
    act = actuals_frame(hist, queues)
    ts = pd.to_datetime(fc["timestamp"])
    first, last = ts.min(), ts.max()
    frame = fc.rename(columns={"volume": "forecast", "volume_p10": "p10", "volume_p90": "p90"})
    frame["timestamp"] = ts
    frame = frame.merge(act, on=["timestamp", "queue"], how="left")
    week = act.assign(timestamp=act["timestamp"] + pd.Timedelta(days=7)).rename(columns={"actual": "naive"})
    frame = frame.merge(week, on=["timestamp", "queue"], how="left")
    notes = []
    days = ts.dt.normalize()
    known = frame.groupby(days)["actual"].apply(lambda s: s.notna().any())
    if not known.any():
        raise InputError(f"{actuals}: no actuals for the run's days ({first:%Y-%m-%d} to {last:%Y-%m-%d})")
    if not known.all():
        have = known[known].index
        notes.append(f"{actuals}: actuals for {have[0]:%Y-%m-%d} to {have[-1]:%Y-%m-%d} ({int(known.sum())} of the "
                     f"run's {len(known)} days, {first:%Y-%m-%d} to {last:%Y-%m-%d}); the rest is not scored")
    if frame["naive"].isna().all():
        notes.append(f"{actuals}: no actuals a week before the run, so no seasonal naive: MASE is n/a")
    cols = ["timestamp", "queue", "actual", "forecast", "naive"] + [c for c in ("p10", "p90") if c in frame]
    return ForecastReview(score(frame[cols], config.planning_interval_minutes), first, last, notes)
