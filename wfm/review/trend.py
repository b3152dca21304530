"""Reviews over time (``wfm review --trend RUNS``, issue 15): every review records one row per run, week and
queue in ``RUNS/accuracy.csv`` (RUNS: the run folders' parent), and :func:`trend` reads that history back as a
weekly table, flags a forecast biased the same way week after week and names the queues whose latest week's
WAPE is above ``[review] max_wape``.

- **accuracy.csv** has one reader (:func:`read_accuracy`) and one writer (:func:`record_accuracy`), both here;
  its columns are :data:`ACCURACY_COLUMNS`, in that order. ``week`` is the Monday starting the week
  (``YYYY-MM-DD``), ``queue`` a queue or ``total`` (all queues together); figures are fractions (0.0912 is
  9.12%, 4 decimals) or calls and hours (1 decimal), blank where unknown; ``service_source`` is ``acd`` (the
  ACD's outcome columns), ``estimated`` or blank. No timestamp: the same reviews give the same bytes.
- **Re-reviewing a run replaces its rows**, so the file holds one row per run, week and queue; the rows are
  sorted by week, run, then queue (``total`` last), and written atomically under the RUNS folder's lock.
- **The trend** shows, for each week and queue, the latest run (by folder name) that reviewed it.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wfm.config import ReviewSettings
from wfm.errors import InputError

PathLike = str | os.PathLike[str]

ACCURACY_FILE = "accuracy.csv"
ACCURACY_COLUMNS = [
    "run", "week", "queue", "calls_actual", "calls_forecast", "wape_interval", "wape_30min", "wape_day",
    "noise_floor_wape_interval", "bias", "mase_interval", "band_coverage", "aht_wape", "service_level_planned",
    "service_level_actual", "service_source", "hours_over", "hours_short",
]
TEXT_COLUMNS = ("run", "week", "queue", "service_source")
#: figures written with 1 decimal (calls and agent-hours); every other figure is a fraction, written with 4
ONE_DECIMAL = ("calls_actual", "calls_forecast", "hours_over", "hours_short")
NUMBER_COLUMNS = [c for c in ACCURACY_COLUMNS if c not in TEXT_COLUMNS]
SERVICE_SOURCES = ("acd", "estimated", "")
TOTAL = "total"
# the range each figure may take (min, max; None: unbounded): a bias is (forecast - actual) / actual >= -1
_RANGES: dict[str, tuple[float | None, float | None]] = {
    **{c: (0.0, None) for c in NUMBER_COLUMNS},
    "bias": (-1.0, None),
    "band_coverage": (0.0, 1.0),
    "service_level_planned": (0.0, 1.0),
    "service_level_actual": (0.0, 1.0),
}


# --------------------------------------------------------------------------- accuracy.csv: rows, reader, writer
def accuracy_row_frame(records: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """A frame with :data:`ACCURACY_COLUMNS` from dicts (a key missing is NaN, or blank for a text column).

    ``week`` may be a date, a Timestamp or ``YYYY-MM-DD`` text; it is kept as ``YYYY-MM-DD``. A key that is not
    a column is a ValueError (a misspelt column would otherwise be dropped unseen)."""
    records = list(records)
    for r in records:
        unknown = sorted(set(r) - set(ACCURACY_COLUMNS))
        if unknown:
            raise ValueError(f"accuracy row: unknown column(s) {', '.join(unknown)}")
    frame = pd.DataFrame({c: [r.get(c) for r in records] for c in ACCURACY_COLUMNS}, columns=ACCURACY_COLUMNS)
    for c in TEXT_COLUMNS:
        frame[c] = ["" if _missing(v) else str(v) for v in frame[c]]
    frame["week"] = [w if w == "" else _week_text(w) for w in frame["week"]]
    for c in NUMBER_COLUMNS:
        frame[c] = pd.to_numeric(frame[c], errors="raise").astype(float)
    return frame


def read_accuracy(path: PathLike) -> pd.DataFrame:
    """The rows of an accuracy.csv, typed: text columns as str (``week`` as ``YYYY-MM-DD``), figures as float
    (NaN where blank). No file is an empty frame with the columns; a column more than :data:`ACCURACY_COLUMNS`
    is ignored. InputError naming the file (and line and field) for a missing column, a cell that is not a
    number or outside its range, a week that is not a Monday, a blank run or queue, an unknown service source
    or a second row for one run, week and queue."""
    from wfm.io import read_csv

    path = Path(path)
    if not os.path.lexists(path):
        return accuracy_row_frame([])
    raw = read_csv(path, required=ACCURACY_COLUMNS)
    return _checked(raw, str(path))


def record_accuracy(runs_dir: PathLike, rows: pd.DataFrame) -> Path:
    """Record ``rows`` (:data:`ACCURACY_COLUMNS`, e.g. from :func:`accuracy_row_frame`) in
    ``runs_dir/accuracy.csv`` and return its path.

    Under the folder's exclusive lock (:func:`wfm.outputs.folder_lock`): the file is read, every row of a run
    that ``rows`` holds is dropped (re-reviewing a run replaces its rows), ``rows`` are added, and the whole is
    sorted (week, run, queue with ``total`` last) and written atomically (:func:`wfm.io.atomic_write_csv`: a
    link standing at accuracy.csv is replaced by the file, never written through; the rows it held, when it
    points at an accuracy file, are kept). ``rows`` with other columns, or values the reader would reject, are
    a ValueError (a bug in the caller); a file already there that cannot be read is an InputError naming it.
    """
    from wfm.io import atomic_write_csv
    from wfm.outputs import folder_lock

    folder = Path(runs_dir)
    if sorted(rows.columns) != sorted(ACCURACY_COLUMNS):
        extra = [c for c in rows.columns if c not in ACCURACY_COLUMNS]
        missing = [c for c in ACCURACY_COLUMNS if c not in rows.columns]
        raise ValueError(f"accuracy rows: columns differ from ACCURACY_COLUMNS (missing: "
                         f"{', '.join(missing) or 'none'}; extra: {', '.join(map(str, extra)) or 'none'})")
    try:
        new = _checked(_as_text(rows[ACCURACY_COLUMNS]), "accuracy rows")
    except InputError as exc:
        raise ValueError(str(exc)) from None
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder (accuracy.csv is kept in the folder holding the run folders)")
    path = folder / ACCURACY_FILE
    with folder_lock(folder, what="review"):
        old = read_accuracy(path)
        kept = old[~old["run"].isin(set(new["run"]))]
        both = pd.concat([kept, new], ignore_index=True) if len(kept) else new
        atomic_write_csv(path, _as_text(_sorted(both)))
    return path


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows by week, run, then queue (``total`` last)."""
    last = (frame["queue"] == TOTAL).astype(int)
    order = frame.assign(_last=last).sort_values(["week", "run", "_last", "queue"], kind="stable").index
    return frame.loc[order].reset_index(drop=True)


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """The file's cells: figures with 1 or 4 decimals (never ``-0.0``), blank where NaN."""
    out: dict[str, list[str]] = {}
    for c in TEXT_COLUMNS:
        text = [("" if _missing(v) else str(v)) for v in frame[c]]
        out[c] = [_week_text(t) if t else t for t in text] if c == "week" else text
    for c in NUMBER_COLUMNS:
        digits = 1 if c in ONE_DECIMAL else 4
        values = pd.to_numeric(frame[c], errors="raise").to_numpy(float)
        out[c] = [f"{round(v, digits) + 0.0:.{digits}f}" if math.isfinite(v) else "" for v in values]
    return pd.DataFrame({c: out[c] for c in ACCURACY_COLUMNS}, index=range(len(frame)), dtype=object)


def _checked(raw: pd.DataFrame, where: str) -> pd.DataFrame:
    """Typed and checked rows from cells as text (``raw``; its ``_line`` column, when there, numbers the lines)."""
    from wfm.io import line_of, parse_numbers, show_cell

    cols = {c: raw[c].astype(str).str.strip().reset_index(drop=True) for c in TEXT_COLUMNS}
    for c in ("run", "queue"):
        blank = (cols[c] == "").to_numpy()
        if blank.any():
            i = int(np.flatnonzero(blank)[0])
            raise InputError(f"{where}, line {line_of(raw, i)}, field '{c}': is blank")
    weeks = pd.to_datetime(cols["week"], format="%Y-%m-%d", errors="coerce")
    bad = (weeks.isna() | (weeks.dt.day_of_week != 0)).to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        cell = cols["week"].iloc[i]
        what = "is blank" if cell == "" else (f"{cell} is a {weeks.iloc[i]:%A}, not the Monday starting a week"
                                              if pd.notna(weeks.iloc[i]) else
                                              f"is not a date: {show_cell(cell)} (expected YYYY-MM-DD)")
        raise InputError(f"{where}, line {line_of(raw, i)}, field 'week': {what}")
    cols["week"] = weeks.dt.strftime("%Y-%m-%d")
    source = ~cols["service_source"].isin(SERVICE_SOURCES).to_numpy()
    if source.any():
        i = int(np.flatnonzero(source)[0])
        raise InputError(f"{where}, line {line_of(raw, i)}, field 'service_source': "
                         f"{show_cell(cols['service_source'].iloc[i])} is not acd, estimated or blank")
    for c in NUMBER_COLUMNS:
        low, high = _RANGES[c]
        cols[c] = parse_numbers(raw, c, where, allow_blank=True, min_value=low, max_value=high,
                               max_note="the most a share can be")
    out = pd.DataFrame({c: cols[c] for c in ACCURACY_COLUMNS})
    dup = out.duplicated(["run", "week", "queue"]).to_numpy()
    if dup.any():
        i = int(np.flatnonzero(dup)[0])
        r = out.iloc[i]
        first = int(np.flatnonzero(((out["run"] == r["run"]) & (out["week"] == r["week"])
                                    & (out["queue"] == r["queue"])).to_numpy())[0])
        raise InputError(f"{where}, line {line_of(raw, i)}: a second row for run {r['run']!r}, week {r['week']} and "
                         f"queue {r['queue']!r} (the first is line {line_of(raw, first)}); one row per run, week "
                         "and queue")
    return out


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT


def _week_text(value: Any) -> str:
    try:
        return f"{pd.Timestamp(value):%Y-%m-%d}"
    except (ValueError, TypeError):
        return str(value)  # left for the check to name


# --------------------------------------------------------------------------- the trend
@dataclass
class Trend:
    """The weekly history of a RUNS folder's reviews and its alerts.

    - ``weeks``: one row per week and queue (the latest run reviewing it): ``week, queue, run, calls_actual,
      wape_<level>, bias, service_level_planned, service_level_actual, service_source, flags`` (``flags``:
      ``bias over`` / ``bias under`` on the weeks of a flagged streak, ``wape`` on a breaching latest week);
    - ``flags``: ``{queue, side, weeks, since, bias}`` per queue whose bias is flagged (see :func:`trend`);
    - ``breaches``: ``{queue, week, wape}`` per queue whose latest week's WAPE is above ``max_wape``;
    - ``exit_code``: 1 when anything is flagged or breached, else 0.
    """

    weeks: pd.DataFrame
    flags: list[dict]
    breaches: list[dict]
    settings: ReviewSettings
    notes: list[str] = field(default_factory=list)

    @property
    def wape_column(self) -> str:
        return f"wape_{self.settings.wape_level}"

    @property
    def exit_code(self) -> int:
        return 1 if self.flags or self.breaches else 0

    def to_dict(self) -> dict:
        """``{"weeks": [...], "flags": [...], "breaches": [...], "exit_code", "settings", "notes"}``; NaN is null."""
        from wfm.io import json_number

        weeks = []
        for r in self.weeks.to_dict(orient="records"):
            rec: dict = {}
            for k, v in r.items():
                if k in ("week", "queue", "run", "flags"):
                    rec[k] = v
                elif k == "service_source":
                    rec[k] = v or None
                else:
                    rec[k] = json_number(v, 1 if k in ONE_DECIMAL else 4)
            weeks.append(rec)
        return {
            "weeks": weeks,
            "flags": [{**f, "bias": json_number(f["bias"], 4)} for f in self.flags],
            "breaches": [{**b, "wape": json_number(b["wape"], 4)} for b in self.breaches],
            "exit_code": self.exit_code,
            "settings": self.settings.model_dump(),
            "notes": list(self.notes),
        }

    def render(self) -> str:
        """The weekly table, then one line per flag and per breach (and the notes)."""
        from tabulate import tabulate

        level = self.settings.wape_level
        rows = [[r["week"], r["queue"], r["run"], _calls(r["calls_actual"]), _pct(r[self.wape_column]), _pct(r["bias"]),
                 _pct(r["service_level_planned"]), _pct(r["service_level_actual"]), r["service_source"], r["flags"]]
                for r in self.weeks.to_dict(orient="records")]
        head = ["week", "queue", "run", "calls", f"wape_{level}", "bias", "sl_planned", "sl_actual", "sl_source",
                "flags"]
        lines = [f"Forecast accuracy by week (WAPE per {_level_name(level)}; each week from the latest run "
                 "reviewing it)", "", tabulate(rows, headers=head, tablefmt="simple", disable_numparse=True), ""]
        lines += [flag_line(f) for f in self.flags]
        lines += [breach_line(b, self.settings) for b in self.breaches]
        if not self.flags and not self.breaches:
            lines.append("no alerts: no bias flagged and no WAPE above max_wape")
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    def chart(self) -> bytes:
        """Three panels over the weeks (PNG bytes, the same for the same trend): WAPE per queue with the
        ``max_wape`` line; bias per queue with the +-tolerance band and 0; service level planned (dashed)
        against actual or estimated (solid; hollow markers where estimated)."""
        return trend_chart(self)

    def write_chart(self, path: PathLike) -> Path:
        """Write :meth:`chart` to ``path`` atomically."""
        from wfm.io import atomic_write_bytes

        return atomic_write_bytes(path, self.chart())


def trend(runs_dir: PathLike, settings: ReviewSettings) -> Trend:
    """The weekly history recorded in ``runs_dir/accuracy.csv``, flagged (:class:`Trend`).

    - Each week and queue shows the latest run (by folder name) that reviewed it; when several runs reviewed a
      week, a note says so.
    - **Bias flag**: a queue (``total`` included) whose ``bias`` has been beyond +-``bias_tolerance`` on the same
      side for at least ``bias_weeks`` consecutive recorded weeks ending at its latest week: ``side`` is
      ``over`` (forecast above actuals, bias > 0) or ``under``; ``weeks`` the streak's length, ``since`` its first
      week, ``bias`` its mean. A missing week (no row for the queue) breaks the streak, as does an unknown bias.
    - **WAPE breach**: a queue whose latest week's WAPE at ``wape_level`` is above ``max_wape`` (never when it
      is None; an unknown WAPE never breaches).

    No file, or a file without rows, is an InputError.
    """
    folder = Path(runs_dir)
    frame = read_accuracy(folder / ACCURACY_FILE)
    if frame.empty:
        raise InputError(f"{folder}: no reviews recorded yet ({ACCURACY_FILE}); run `wfm review RUN --actuals FILE` "
                         "first")
    wape = f"wape_{settings.wape_level}"
    notes = []
    multi = frame.groupby("week")["run"].nunique()
    multi = multi[multi > 1]
    if len(multi):
        shown = ", ".join(multi.index[:3]) + (f" and {len(multi) - 3} more" if len(multi) > 3 else "")
        notes.append(f"{len(multi)} week(s) reviewed by more than one run ({shown}); each shows its latest run "
                     "(by folder name)")
    latest = frame.sort_values("run", kind="stable").drop_duplicates(["week", "queue"], keep="last")
    weeks = _sorted(latest)[["week", "queue", "run", "calls_actual", wape, "bias", "service_level_planned",
                             "service_level_actual", "service_source"]].reset_index(drop=True)
    flags, breaches = [], []
    marks: list[list[str]] = [[] for _ in range(len(weeks))]
    for queue in _queue_order(weeks["queue"]):
        rows = weeks.index[weeks["queue"] == queue]  # by week: weeks is sorted by week first
        streak = bias_streak(pd.to_datetime(weeks.loc[rows, "week"]).to_numpy(),
                             weeks.loc[rows, "bias"].to_numpy(float), settings.bias_tolerance)
        if streak >= settings.bias_weeks:
            tail = rows[-streak:]
            mean = float(weeks.loc[tail, "bias"].mean())
            side = "over" if mean > 0 else "under"
            flags.append({"queue": queue, "side": side, "weeks": int(streak), "since": weeks.loc[tail[0], "week"],
                          "bias": mean})
            for i in tail:
                marks[i].append(f"bias {side}")
        last = rows[-1]
        value = float(weeks.loc[last, wape])
        if settings.max_wape is not None and math.isfinite(value) and value > settings.max_wape:
            breaches.append({"queue": queue, "week": weeks.loc[last, "week"], "wape": value})
            marks[last].append("wape")
    weeks["flags"] = [", ".join(m) for m in marks]
    return Trend(weeks, flags, breaches, settings, notes)


def bias_streak(weeks: np.ndarray, bias: np.ndarray, tolerance: float) -> int:
    """How many weeks, ending at the last, ``bias`` has been beyond +-``tolerance`` on one side, each week the
    one after the previous (``weeks``: the weeks' Mondays, ascending). 0 when the last week is within it."""
    side = np.where(bias > tolerance, 1, np.where(bias < -tolerance, -1, 0))
    if not len(side) or side[-1] == 0:
        return 0
    step = np.diff(weeks).astype("timedelta64[D]").astype(int)
    n = 1
    while n < len(side) and side[-1 - n] == side[-1] and step[-n] == 7:
        n += 1
    return n


def flag_line(flag: Mapping[str, Any]) -> str:
    """``bias: retail forecast above actuals for 4 weeks since 2026-11-09 (mean +6.2%)``."""
    where = "above" if flag["side"] == "over" else "below"
    return (f"bias: {flag['queue']} forecast {where} actuals for {flag['weeks']} weeks since {flag['since']} "
            f"(mean {100 * flag['bias']:+.1f}%)")


def breach_line(breach: Mapping[str, Any], settings: ReviewSettings) -> str:
    """``wape: retail 20.0% per day in the week of 2026-11-23, above max_wape 15.0%``."""
    return (f"wape: {breach['queue']} {_pct(breach['wape'])} per {_level_name(settings.wape_level)} in the week of "
            f"{breach['week']}, above max_wape {_pct(settings.max_wape)}")


def _queue_order(queues: Iterable[str]) -> list[str]:
    names = sorted(set(queues))
    return [q for q in names if q != TOTAL] + ([TOTAL] if TOTAL in names else [])


def _level_name(level: str) -> str:
    return {"interval": "interval", "30min": "30 minutes", "day": "day"}[level]


def _pct(v: Any) -> str:
    return "n/a" if v is None or not math.isfinite(float(v)) else f"{100 * float(v):.1f}%"


def _calls(v: float) -> str:
    return "n/a" if not math.isfinite(v) else f"{v:,.0f}"


# --------------------------------------------------------------------------- the chart
def trend_chart(t: Trend) -> bytes:
    """The three panels of :meth:`Trend.chart` as PNG bytes."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import PercentFormatter

    from wfm.charts import _STYLE, _png

    w = t.weeks
    dates = pd.to_datetime(w["week"])
    axis = pd.date_range(dates.min(), dates.max(), freq="7D")  # every week: a missing one breaks the lines
    queues = _queue_order(w["queue"])
    palette = plt.get_cmap("tab10").colors
    colour = {q: palette[k % len(palette)] for k, q in enumerate(q for q in queues if q != TOTAL)}
    colour[TOTAL] = "black"
    with plt.rc_context(_STYLE):
        fig, (ax_w, ax_b, ax_s) = plt.subplots(3, 1, figsize=(12, 8), sharex=True)
        for q in queues:
            g = w[w["queue"] == q]
            g = g.set_axis(pd.DatetimeIndex(pd.to_datetime(g["week"]))).reindex(axis)
            width = 1.6 if q == TOTAL else 1.0
            ax_w.plot(axis, g[t.wape_column].to_numpy(float), color=colour[q], linewidth=width, marker="o",
                      markersize=3, label=q)
            ax_b.plot(axis, g["bias"].to_numpy(float), color=colour[q], linewidth=width, marker="o", markersize=3,
                      label=q)
            ax_s.plot(axis, g["service_level_planned"].to_numpy(float), color=colour[q], linewidth=width,
                      linestyle="--", label=f"{q} planned")
            actual = g["service_level_actual"].to_numpy(float)
            ax_s.plot(axis, actual, color=colour[q], linewidth=width, label=f"{q} actual (hollow: estimated)")
            est = (g["service_source"] == "estimated").to_numpy()
            ax_s.plot(axis[~est], actual[~est], linestyle="none", marker="o", markersize=3, color=colour[q])
            ax_s.plot(axis[est], actual[est], linestyle="none", marker="o", markersize=3.5, color=colour[q],
                      markerfacecolor="white")
        if t.settings.max_wape is not None:
            ax_w.axhline(t.settings.max_wape, color="#d62728", linestyle="--", linewidth=1.0,
                         label=f"max_wape {_pct(t.settings.max_wape)}")
        tol = t.settings.bias_tolerance
        ax_b.axhspan(-tol, tol, color="#999999", alpha=0.15, linewidth=0, label=f"\u00b1{_pct(tol)} tolerance")
        ax_b.axhline(0.0, color="#555555", linewidth=0.8)
        ax_w.set_ylabel(f"WAPE per {_level_name(t.settings.wape_level)}")
        ax_b.set_ylabel("bias (+ over-forecast)")
        ax_s.set_ylabel("service level")
        for ax in (ax_w, ax_b, ax_s):
            ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
            ax.grid(axis="y", color="#dddddd", linewidth=0.6)
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False)
        ax_s.set_xlim(axis[0] - pd.Timedelta(days=3.5), axis[-1] + pd.Timedelta(days=3.5))
        ticks = axis if len(axis) <= 16 else axis[:: int(math.ceil(len(axis) / 16))]
        ax_s.set_xticks(ticks)
        ax_s.set_xticklabels([f"{d:%Y-%m-%d}" for d in ticks], rotation=30, ha="right")
        ax_w.set_title("Forecast accuracy by week (the latest run reviewing each week)")
        fig.tight_layout()
        return _png(fig)
