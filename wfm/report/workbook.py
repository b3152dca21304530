"""plan.xlsx: the run folder as a workbook a planner opens on Monday (XlsxWriter).

Sheets, each from the frame its CSV holds (the same rows, so the workbook and the CSVs cannot disagree):

- **Summary**  the headline figures, then every target checked, met in green and breached in red;
- **Roster**  one row per agent, one column per day of the plan; each cell the shift (``07:00-15:30``), its
  breaks and shift template in the cell's note; days off blank; header and agent columns frozen; filters;
- **Intraday**  one row per interval: each queue's forecast volume and AHT, required (scheduled), rostered,
  over/under and the interval's service level; short intervals in red (conditional formatting);
- **Staffing**  staffing.csv; **Ratio**  ratio.json (the check, then its weeks).

XlsxWriter, not openpyxl, writes it: it stamps every part of the zip with 1980-01-01, so with the document's
created date fixed (the plan's first day) the same inputs give the same bytes; it writes rows as it goes; and
the tests read the file back with openpyxl, a reader that shares no code with the writer.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

SHEETS = ("Summary", "Roster", "Intraday", "Staffing", "Ratio")
GREEN, RED, GREY = "#C6EFCE", "#FFC7CE", "#F2F2F2"


@dataclass(frozen=True)
class Target:
    """One target the plan is checked against: met, or breached with the reason."""

    name: str
    met: bool
    text: str


@dataclass
class WorkbookParts:
    """What plan.xlsx is made of: the run folder's frames, as its CSVs and ratio.json hold them."""

    title: str  # "Plan 2026-11-30 .. 2026-12-06 - centre"
    start: dt.date
    days: int  # the plan's days (7 x weeks): the Roster sheet's columns
    headline: Sequence[Sequence[str]]  # [figure, value] rows, as `wfm plan` prints them
    targets: Sequence[Target]
    roster: pd.DataFrame  # roster.csv: agent_id, contract, date, shift, start, end, breaks
    coverage: pd.DataFrame  # coverage.csv
    forecast: pd.DataFrame  # forecast.csv
    staffing: pd.DataFrame  # staffing.csv
    ratio: Mapping[str, Any]  # ratio.json
    extra: dict[str, Any] = field(default_factory=dict)


def roster_grid(roster: pd.DataFrame, start: dt.date, days: int) -> tuple[list[str], list[list[str]], dict]:
    """The Roster sheet's content: header, rows (agent, contract, then one cell per day: ``start-end`` or
    ``""``), and the notes by (row, day): breaks and shift template. Agents in roster.csv's order of first
    appearance."""
    dates = [start + dt.timedelta(days=d) for d in range(days)]
    header = ["agent_id", "contract"] + [f"{d:%a %Y-%m-%d}" for d in dates]
    col = {d.isoformat(): k for k, d in enumerate(dates)}
    order: dict[str, int] = {}
    rows: list[list[str]] = []
    notes: dict[tuple[int, int], str] = {}
    for r in roster.itertuples(index=False):
        agent = str(r.agent_id)
        if agent not in order:
            order[agent] = len(rows)
            rows.append([agent, str(r.contract)] + [""] * days)
        k = col.get(str(r.date))
        if k is None:
            continue
        i = order[agent]
        rows[i][2 + k] = f"{r.start}-{r.end}"
        breaks = "" if pd.isna(r.breaks) or not str(r.breaks) else str(r.breaks).replace(";", ", ")
        notes[(i, k)] = f"shift: {r.shift}\nbreaks: {breaks or 'none'}"
    return header, rows, notes


def workbook_bytes(parts: WorkbookParts) -> bytes:
    """plan.xlsx as bytes (the module docstring); deterministic for the same parts."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                                   "strings_to_urls": False})
    wb.set_properties({"title": parts.title, "author": "wfm", "comments": "written by wfm plan",
                       "created": dt.datetime.combine(parts.start, dt.time())})
    f = _Formats(wb)
    _summary(wb.add_worksheet("Summary"), parts, f)
    _roster(wb.add_worksheet("Roster"), parts, f)
    _intraday(wb.add_worksheet("Intraday"), parts, f)
    _frame(wb.add_worksheet("Staffing"), parts.staffing, f)
    _ratio(wb.add_worksheet("Ratio"), parts.ratio, f)
    wb.close()
    return buf.getvalue()


class _Formats:
    def __init__(self, wb: Any):
        self.head = wb.add_format({"bold": True, "bg_color": GREY, "bottom": 1})
        self.title = wb.add_format({"bold": True, "font_size": 14})
        self.bold = wb.add_format({"bold": True})
        self.met = wb.add_format({"bg_color": GREEN, "font_color": "#006100"})
        self.breached = wb.add_format({"bg_color": RED, "font_color": "#9C0006", "bold": True})
        self.short = wb.add_format({"bg_color": RED, "font_color": "#9C0006"})
        self.time = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        self.pct = wb.add_format({"num_format": "0.0%"})
        self.shift = wb.add_format({"align": "center"})


def _summary(ws: Any, parts: WorkbookParts, f: _Formats) -> None:
    ws.set_column(0, 0, 34)
    ws.set_column(1, 1, 90)
    ws.write_string(0, 0, parts.title, f.title)
    ok = all(t.met for t in parts.targets)
    ws.write_string(1, 0, "All targets met." if ok else "Targets breached.", f.met if ok else f.breached)
    ws.write_string(3, 0, "figure", f.head)
    ws.write_string(3, 1, "value", f.head)
    row = 4
    for figure, value in parts.headline:
        ws.write_string(row, 0, str(figure))
        ws.write_string(row, 1, str(value))
        row += 1
    row += 1
    ws.write_string(row, 0, "target", f.head)
    ws.write_string(row, 1, "result", f.head)
    for t in parts.targets:
        row += 1
        ws.write_string(row, 0, t.name, f.met if t.met else f.breached)
        ws.write_string(row, 1, t.text, f.met if t.met else f.breached)


def _roster(ws: Any, parts: WorkbookParts, f: _Formats) -> None:
    header, rows, notes = roster_grid(parts.roster, parts.start, parts.days)
    for c, h in enumerate(header):
        ws.write_string(0, c, h, f.head)
    for i, cells in enumerate(rows):
        ws.write_string(i + 1, 0, cells[0])
        ws.write_string(i + 1, 1, cells[1])
        for k, text in enumerate(cells[2:]):
            if text:
                ws.write_string(i + 1, 2 + k, text, f.shift)
                ws.write_comment(i + 1, 2 + k, notes[(i, k)], {"x_scale": 1.6, "y_scale": 0.8})
    ws.set_column(0, 1, 12)
    ws.set_column(2, 1 + parts.days, 16)
    ws.freeze_panes(1, 2)
    ws.autofilter(0, 0, max(len(rows), 1), len(header) - 1)


def intraday_frame(forecast: pd.DataFrame, coverage: pd.DataFrame) -> pd.DataFrame:
    """The Intraday sheet: one row per interval of coverage.csv, each queue's forecast volume and AHT beside
    required (scheduled), rostered, over/under (rostered - required) and the interval's service level."""
    fc = forecast.copy()
    fc["timestamp"] = fc["timestamp"].astype(str)
    wide = fc.pivot_table(index="timestamp", columns="queue", values=["volume", "aht"], aggfunc="first",
                          sort=False)
    queues = list(dict.fromkeys(fc["queue"]))
    out = pd.DataFrame({"timestamp": coverage["timestamp"].astype(str).to_numpy()})
    for q in queues:
        for what in ("volume", "aht"):
            col = wide[(what, q)] if (what, q) in wide.columns else pd.Series(dtype=float)
            out[f"{q} {what}"] = col.reindex(out["timestamp"]).to_numpy(float)
    out["required"] = coverage["required_scheduled"].to_numpy()
    out["rostered"] = coverage["rostered"].to_numpy()
    out["over_under"] = out["rostered"] - out["required"]
    out["service_level"] = coverage["service_level"].to_numpy(float)
    return out


def _intraday(ws: Any, parts: WorkbookParts, f: _Formats) -> None:
    frame = intraday_frame(parts.forecast, parts.coverage)
    _frame(ws, frame, f, pct={"service_level"})
    n = len(frame)
    if n:
        last = len(frame.columns) - 1
        o = frame.columns.get_loc("over_under")
        letter = _col_letter(o)
        ws.conditional_format(1, 0, n, last, {"type": "formula", "criteria": f"=${letter}2<0", "format": f.short})


def _frame(ws: Any, frame: pd.DataFrame, f: _Formats, pct: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    """A frame as a sheet: bold header, numbers as numbers (blank for NaN), timestamps as Excel times,
    frozen header, filters."""
    cols = list(frame.columns)
    for c, name in enumerate(cols):
        ws.write_string(0, c, str(name), f.head)
        ws.set_column(c, c, max(10, min(22, len(str(name)) + 2)))
    for c, name in enumerate(cols):
        values = frame[name].to_numpy()
        is_time = name == "timestamp"
        numeric = pd.api.types.is_numeric_dtype(frame[name]) and not pd.api.types.is_bool_dtype(frame[name])
        fmt = f.pct if name in pct else None
        for r, v in enumerate(values, start=1):
            if is_time:
                ws.write_datetime(r, c, pd.Timestamp(v).to_pydatetime(), f.time)
            elif numeric:
                x = float(v)
                if math.isfinite(x):
                    ws.write_number(r, c, x, fmt) if fmt is not None else ws.write_number(r, c, x)
            elif isinstance(v, (bool, np.bool_)):
                ws.write_boolean(r, c, bool(v))
            elif v is not None and not (isinstance(v, float) and math.isnan(v)):
                ws.write_string(r, c, str(v))
    if "timestamp" in cols:
        ws.set_column(cols.index("timestamp"), cols.index("timestamp"), 17)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(frame), 1), max(len(cols) - 1, 0))


def _ratio(ws: Any, ratio: Mapping[str, Any], f: _Formats) -> None:
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 40)
    ws.write_string(0, 0, "figure", f.head)
    ws.write_string(0, 1, "value", f.head)
    row = 1
    for key, value in ratio.items():
        if key == "weeks":
            continue
        ws.write_string(row, 0, key)
        _cell(ws, row, 1, value)
        if key == "ok":
            ws.write_boolean(row, 1, bool(value), f.met if value else f.breached)
        row += 1
    weeks = ratio.get("weeks") or []
    if weeks:
        row += 1
        cols = list(weeks[0].keys())
        for c, name in enumerate(cols):
            ws.write_string(row, c, name, f.head)
        for w in weeks:
            row += 1
            for c, name in enumerate(cols):
                _cell(ws, row, c, w.get(name))


def _cell(ws: Any, row: int, col: int, value: Any) -> None:
    if isinstance(value, bool):
        ws.write_boolean(row, col, value)
    elif isinstance(value, (int, float)) and math.isfinite(float(value)):
        ws.write_number(row, col, float(value))
    elif value is None:
        return
    elif isinstance(value, (list, tuple)):
        ws.write_string(row, col, ", ".join(str(v) for v in value))
    else:
        ws.write_string(row, col, str(value))


def _col_letter(index: int) -> str:
    s = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        s = chr(65 + rem) + s
    return s
