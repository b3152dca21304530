"""plan.xlsx (wfm.report.workbook), read back with openpyxl (a reader that shares no code with XlsxWriter):
sheets, the Roster grid cell for cell against the rows it was made from, notes, frozen panes and filters, the
Intraday sheet's figures and its red-for-short rule, the Summary's colours, and the same bytes twice."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from wfm.report import SHEETS, Target, WorkbookParts, intraday_frame, roster_grid, workbook_bytes

START = dt.date(2026, 11, 30)
ROSTER = pd.DataFrame(
    [
        ["A0001", "full_time", "2026-11-30", "day", "07:00", "15:30", "09:00-09:15;11:30-12:00"],
        ["A0001", "full_time", "2026-12-02", "late", "14:00", "22:30", ""],
        ["B0002", "part_time", "2026-12-01", "night", "22:00", "06:00", "02:00-02:30"],
        ["A0001", "full_time", "2026-12-06", "day", "07:00", "15:30", "10:00-10:15"],
        ["C0003", "full_time", "2026-11-30", "day", "08:00", "16:30", "12:00-12:30"],
    ],
    columns=["agent_id", "contract", "date", "shift", "start", "end", "breaks"],
)


def _parts(**change) -> WorkbookParts:
    ts = pd.date_range("2026-11-30 08:00", periods=4, freq="15min")
    forecast = pd.DataFrame({"timestamp": list(ts) * 2, "queue": ["retail"] * 4 + ["cards"] * 4,
                             "volume": [10.0, 12.0, 14.0, 9.0, 3.0, 4.0, 5.0, 2.0],
                             "aht": [300.0, 310.0, 305.0, 300.0, 200.0, 210.0, 220.0, 200.0]})
    coverage = pd.DataFrame({"timestamp": ts, "required_scheduled": [5, 6, 7, 4], "rostered": [6, 6, 5, 4],
                             "over": [1, 0, 0, 0], "under": [0, 0, 2, 0],
                             "service_level": [0.91, 0.82, 0.55, 0.88]})
    staffing = pd.DataFrame({"timestamp": ts, "queue": "retail", "volume": [10.0, 12.0, 14.0, 9.0],
                             "agents": [4, 5, 6, 3], "service_level": [0.85, 0.83, float("nan"), 0.9]})
    ratio = {"ratio": "8.2:1", "ok": True, "band": [0.09, 0.11], "front_line": 198,
             "weeks": [{"week": "2026-11-30", "front_line": 198, "back_office": 24}]}
    parts = dict(title="Plan 2026-11-30 .. 2026-12-06 - Test", start=START, days=7,
                 headline=[["calls forecast", "1,234"], ["agents rostered", "3 (120 paid hours)"]],
                 targets=[Target("service_level", True, "service level 84.0% for the plan, target 80.0%"),
                          Target("coverage", False, "1 interval(s) short of the requirement")],
                 roster=ROSTER, coverage=coverage, forecast=forecast, staffing=staffing, ratio=ratio)
    parts.update(change)
    return WorkbookParts(**parts)


def _open(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_the_sheets_and_the_roster_grid_cell_for_cell():
    wb = _open(workbook_bytes(_parts()))
    assert wb.sheetnames == list(SHEETS)
    ws = wb["Roster"]
    header = [c.value for c in ws[1]]
    assert header == ["agent_id", "contract", "Mon 2026-11-30", "Tue 2026-12-01", "Wed 2026-12-02",
                      "Thu 2026-12-03", "Fri 2026-12-04", "Sat 2026-12-05", "Sun 2026-12-06"]
    grid = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    # built here by hand from ROSTER: agents in order of first appearance, days off blank (None in openpyxl)
    assert grid == [
        ["A0001", "full_time", "07:00-15:30", None, "14:00-22:30", None, None, None, "07:00-15:30"],
        ["B0002", "part_time", None, "22:00-06:00", None, None, None, None, None],
        ["C0003", "full_time", "08:00-16:30", None, None, None, None, None, None],
    ]
    assert ws["C2"].comment.text == "shift: day\nbreaks: 09:00-09:15, 11:30-12:00"
    assert ws["E2"].comment.text == "shift: late\nbreaks: none"
    assert ws["D3"].comment.text == "shift: night\nbreaks: 02:00-02:30"
    assert ws["D2"].comment is None
    assert ws.freeze_panes == "C2"
    assert ws.auto_filter.ref == "A1:I4"


def test_roster_grid_ignores_rows_outside_the_plan_and_keeps_their_agents():
    extra = pd.concat([ROSTER, pd.DataFrame([["D0004", "full_time", "2026-12-07", "day", "07:00", "15:30", ""]],
                                            columns=ROSTER.columns)])
    header, rows, notes = roster_grid(extra, START, 7)
    assert rows[-1] == ["D0004", "full_time"] + [""] * 7 and len(header) == 9


def test_the_intraday_sheet_and_its_rule_for_short_intervals():
    parts = _parts()
    wb = _open(workbook_bytes(parts))
    ws = wb["Intraday"]
    header = [c.value for c in ws[1]]
    assert header == ["timestamp", "retail volume", "retail aht", "cards volume", "cards aht", "required",
                      "rostered", "over_under", "service_level"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert rows[0] == [dt.datetime(2026, 11, 30, 8, 0), 10.0, 300.0, 3.0, 200.0, 5, 6, 1, 0.91]
    assert rows[2][5:] == [7, 5, -2, 0.55]
    assert ws["I2"].number_format == "0.0%"
    rules = [(str(rng.sqref), r.formula) for rng in ws.conditional_formatting for r in rng.rules]
    assert rules == [("A2:I5", ["$H2<0"])]
    fill = next(r for rng in ws.conditional_formatting for r in rng.rules).dxf.fill
    assert fill.bgColor.rgb.endswith("FFC7CE")
    frame = intraday_frame(parts.forecast, parts.coverage)
    assert frame["over_under"].tolist() == [1, 0, -2, 0]


def test_the_summary_colours_targets_met_and_breached_and_the_other_sheets():
    wb = _open(workbook_bytes(_parts()))
    ws = wb["Summary"]
    values = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    assert values["calls forecast"] == "1,234"
    assert ws["A2"].value == "Targets breached."
    met = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "service_level")
    bad = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "coverage")
    assert ws.cell(met, 1).fill.fgColor.rgb.endswith("C6EFCE")
    assert ws.cell(bad, 2).fill.fgColor.rgb.endswith("FFC7CE")
    assert ws.cell(bad, 2).value == "1 interval(s) short of the requirement"
    st = wb["Staffing"]
    assert [c.value for c in st[1]] == ["timestamp", "queue", "volume", "agents", "service_level"]
    assert st["E4"].value is None and st["E3"].value == 0.83  # NaN is a blank cell
    ra = {r[0].value: r[1].value for r in wb["Ratio"].iter_rows(min_row=2, max_row=5)}
    assert ra == {"ratio": "8.2:1", "ok": True, "band": "0.09, 0.11", "front_line": 198}


def test_the_same_parts_give_the_same_bytes_and_fixed_properties():
    a, b = workbook_bytes(_parts()), workbook_bytes(_parts())
    assert a == b
    wb = _open(a)
    assert wb.properties.created == dt.datetime(2026, 11, 30, 0, 0)
    assert wb.properties.title == "Plan 2026-11-30 .. 2026-12-06 - Test"
    assert workbook_bytes(_parts(start=dt.date(2026, 12, 7))) != a


@pytest.mark.parametrize("days", [14])
def test_a_two_week_plan_from_a_wednesday_has_its_fourteen_days(days):
    header, rows, _ = roster_grid(ROSTER, dt.date(2026, 12, 2), days)
    assert header[2] == "Wed 2026-12-02" and header[-1] == "Tue 2026-12-15" and len(header) == 2 + 14
    assert rows[0][2:4] == ["14:00-22:30", ""]
