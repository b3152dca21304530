"""What planners and agents open: a run folder's workbook (plan.xlsx), one-page report (report.html) and
per-agent calendars (agents/<agent_id>.ics), each made from the frames the run's CSVs hold.

- :mod:`wfm.report.workbook`: :func:`workbook_bytes` (XlsxWriter), the Roster grid (:func:`roster_grid`);
- :mod:`wfm.report.html`: :func:`report_html`, summary.md rendered with its charts embedded;
- :mod:`wfm.report.calendar`: :func:`agent_calendars` (RFC 5545, the centre's timezone with its VTIMEZONE).
"""

from __future__ import annotations

from wfm.report.calendar import agent_calendars, calendar_file_name, shift_times
from wfm.report.html import report_html
from wfm.report.workbook import SHEETS, Target, WorkbookParts, intraday_frame, roster_grid, workbook_bytes

__all__ = ["SHEETS", "Target", "WorkbookParts", "agent_calendars", "calendar_file_name", "intraday_frame",
           "report_html", "roster_grid", "shift_times", "workbook_bytes"]
