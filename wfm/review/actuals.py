"""What happened: the actuals a review scores a plan against, read from a history file (the format `wfm
forecast` reads: ``timestamp, queue, volume[, aht]``), optionally with the ACD's own outcome columns.

Outcome columns (all three or none; ``asa`` optional with them):

- ``answered``: calls answered in the interval;
- ``answered_within``: of those, answered within the queue's ``answer_within_s``;
- ``abandoned``: callers who hung up before an answer;
- ``asa``: their average speed of answer in seconds (over the calls answered).

The service level is ``answered_within / volume`` (of the calls offered, as wfm's models and simulator count
it), the abandon rate ``abandoned / volume``. Rows that contradict themselves are refused with the file, line
and field: ``answered_within`` above ``answered``, or ``answered + abandoned`` above the calls offered by
more than the tolerance, :data:`OUTCOME_TOLERANCE_SHARE` of them plus :data:`OUTCOME_TOLERANCE_CALLS` calls
(an ACD may count a call offered at the end of one interval as answered or abandoned in the next).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wfm.config import CentreConfig
from wfm.errors import InputError
from wfm.io import MAX_AHT_S, parse_numbers

PathLike = str | os.PathLike[str]

OUTCOMES = ("answered", "answered_within", "abandoned")
OUTCOME_TOLERANCE_SHARE = 0.05
OUTCOME_TOLERANCE_CALLS = 2.0


@dataclass
class Actuals:
    """The actuals on the planning grid, one row per interval and queue of the file's span:
    ``timestamp, queue, volume, aht`` (NaN: no data, or no AHT without calls) and, with outcome columns,
    ``answered, answered_within, abandoned`` and ``wait`` (seconds waited by the calls answered; NaN without
    ``asa``). ``data`` is the cleaned history on the data grid (for the forecast's scores)."""

    frame: pd.DataFrame
    history: object  # wfm.history.History on the data grid
    source: str
    has_outcomes: bool
    has_asa: bool


def read_actuals(path: PathLike, config: CentreConfig) -> Actuals:
    """Read and check a history file of actuals, with its outcome columns when present (module docstring)."""
    from wfm.history import clean_history, read_history

    raw = read_history(path)
    present = [c for c in OUTCOMES if c in raw.columns]
    if present and len(present) < len(OUTCOMES):
        missing = [c for c in OUTCOMES if c not in raw.columns]
        raise InputError(f"{path}: has outcome column(s) {', '.join(present)} but not {', '.join(missing)} "
                         f"(give all of {', '.join(OUTCOMES)}, or none)")
    has_asa = "asa" in raw.columns
    if has_asa and not present:
        raise InputError(f"{path}: has an 'asa' column but no outcome columns ({', '.join(OUTCOMES)})")
    if present:
        _check_outcomes(raw, path)

    def clean(frame: pd.DataFrame):
        return clean_history(frame, source=str(path), interval_minutes=config.centre.interval_minutes,
                             timezone=config.centre.timezone, date_order=config.forecast.history_date_order)

    hist = clean(raw)
    keep = ["timestamp", "_line"] + (["queue"] if "queue" in raw.columns else [])
    frame = _on_grid(hist, config)
    if present:
        extra = {c: raw[c] for c in OUTCOMES}
        if has_asa:
            asa = parse_numbers(raw, "asa", path, allow_blank=True, min_value=0.0, max_value=MAX_AHT_S,
                                blank_words=True)
            answered = parse_numbers(raw, "answered", path, allow_blank=True, blank_words=True)
            extra["wait"] = pd.Series(np.where(answered > 0, np.nan_to_num(asa) * answered, 0.0))
        for name, col in extra.items():
            part = _on_grid(clean(raw[keep].assign(volume=col, aht="")), config)
            frame[name] = part["volume"].to_numpy()
    return Actuals(frame, hist, str(path), bool(present), has_asa)


def _check_outcomes(raw: pd.DataFrame, path: PathLike) -> None:
    """Outcome cells are numbers >= 0 and agree with each other and with the calls offered (module docstring)."""
    values = {c: parse_numbers(raw, c, path, allow_blank=True, min_value=0.0, blank_words=True)
              for c in ("volume",) + OUTCOMES}
    lines = raw["_line"].to_numpy()
    with np.errstate(invalid="ignore"):
        over = values["answered_within"] > values["answered"] + 1e-9
        if over.any():
            i = int(np.flatnonzero(over)[0])
            raise InputError(f"{path}, line {lines[i]}, field 'answered_within': {raw['answered_within'].iloc[i]} "
                             f"is more than the {raw['answered'].iloc[i]} calls answered")
        handled = values["answered"] + values["abandoned"]
        top = values["volume"] * (1 + OUTCOME_TOLERANCE_SHARE) + OUTCOME_TOLERANCE_CALLS
        over = handled > top
        if over.any():
            i = int(np.flatnonzero(over)[0])
            raise InputError(
                f"{path}, line {lines[i]}, field 'abandoned': answered + abandoned = {handled[i]:g} is more than "
                f"the {raw['volume'].iloc[i]} calls offered (tolerance {OUTCOME_TOLERANCE_SHARE:.0%} + "
                f"{OUTCOME_TOLERANCE_CALLS:g} calls)")
        blank = np.isnan(np.column_stack([values[c] for c in OUTCOMES]))
        part = blank.any(axis=1) & ~blank.all(axis=1)
        if part.any():
            i = int(np.flatnonzero(part)[0])
            col = OUTCOMES[int(np.flatnonzero(blank[i])[0])]
            raise InputError(f"{path}, line {lines[i]}, field '{col}': is blank while the row's other outcome "
                             "columns are given")


def history_frame(hist, queues: list[str] | None = None) -> pd.DataFrame:
    """A cleaned :class:`wfm.history.History` as ``timestamp, queue, volume, aht`` on its own grid, queue by
    queue (``queues``: those of them it holds, in that order; default all); NaN where it has no data."""
    per_day = hist.volume.shape[2]
    ts = hist.start + pd.to_timedelta(np.arange(hist.volume.shape[1] * per_day) * hist.interval_minutes, unit="min")
    names = [q for q in (hist.queues if queues is None else queues) if q in hist.queues]
    parts = [pd.DataFrame({"timestamp": ts, "queue": q, "volume": hist.volume[hist.queues.index(q)].reshape(-1),
                           "aht": hist.aht[hist.queues.index(q)].reshape(-1)}) for q in names]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["timestamp", "queue", "volume", "aht"])


def _on_grid(hist, config: CentreConfig) -> pd.DataFrame:
    """A cleaned history as ``timestamp, queue, volume, aht`` on the planning grid (volume summed, AHT
    volume-weighted); NaN where the data grid had no data."""
    ivl = config.planning_interval_minutes
    frame = history_frame(hist)
    vol = frame["volume"].to_numpy(float)
    frame["work"] = np.where(vol > 0, frame["aht"].to_numpy(float) * vol, 0.0)
    if ivl != hist.interval_minutes:
        frame["timestamp"] = frame["timestamp"].dt.floor(f"{ivl}min")
        frame["unknown"] = frame["volume"].isna().astype(np.int64)
        frame = frame.groupby(["timestamp", "queue"], sort=False, as_index=False).agg(
            volume=("volume", "sum"), work=("work", "sum"), unknown=("unknown", "sum"))
        frame["volume"] = frame["volume"].where(frame["unknown"] == 0)  # a part missing: unknown
        frame = frame.drop(columns="unknown")
    with np.errstate(invalid="ignore", divide="ignore"):
        frame["aht"] = np.where(frame["volume"] > 0, frame["work"] / frame["volume"], np.nan)
    return frame.drop(columns="work")
