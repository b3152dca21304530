"""agents/<agent_id>.ics (wfm.report.calendar), parsed with the icalendar package: one event per roster row,
in the centre's zone with its VTIMEZONE, right across both daylight-saving changes of Europe/London (the UTC
instants below are written out by hand from the rule: clocks go forward at 01:00 UTC on the last Sunday of
March and back at 01:00 UTC on the last Sunday of October), and the same bytes twice."""

from __future__ import annotations

import datetime as dt

import icalendar
import pandas as pd
import pytest

from wfm.report import agent_calendars, calendar_file_name

UTC = dt.UTC
COLUMNS = ["agent_id", "contract", "date", "shift", "start", "end", "breaks"]
# Saturday 2027-03-27 (GMT), Sunday 2027-03-28 (clocks forward at 01:00 GMT), Sunday 2026-10-25 (back at 01:00 GMT)
ROWS = [
    ["A0001", "full_time", "2027-03-27", "day", "06:00", "14:00", "09:00-09:15;11:00-11:30"],
    ["A0001", "full_time", "2027-03-28", "day", "06:00", "14:00", ""],
    ["N0002", "full_time", "2027-03-27", "night", "22:00", "06:00", "02:30-03:00"],
    ["N0002", "full_time", "2026-10-24", "night", "22:00", "06:00", ""],
]
EXPECTED_UTC = {  # (agent, date): (start, end) in UTC, from the rule, not from a timezone library
    ("A0001", "2027-03-27"): (dt.datetime(2027, 3, 27, 6, 0, tzinfo=UTC), dt.datetime(2027, 3, 27, 14, 0, tzinfo=UTC)),
    ("A0001", "2027-03-28"): (dt.datetime(2027, 3, 28, 5, 0, tzinfo=UTC), dt.datetime(2027, 3, 28, 13, 0, tzinfo=UTC)),
    # 22:00 GMT to 06:00 BST: 7 hours on the phones' clock of 8
    ("N0002", "2027-03-27"): (dt.datetime(2027, 3, 27, 22, 0, tzinfo=UTC), dt.datetime(2027, 3, 28, 5, 0, tzinfo=UTC)),
    # 22:00 BST to 06:00 GMT: 9 hours
    ("N0002", "2026-10-24"): (dt.datetime(2026, 10, 24, 21, 0, tzinfo=UTC), dt.datetime(2026, 10, 25, 6, 0, tzinfo=UTC)),
}


def _calendars(rows=ROWS, start=dt.date(2026, 10, 19)):
    return agent_calendars(pd.DataFrame(rows, columns=COLUMNS), "Europe/London", "North", start)


def test_each_event_is_a_roster_row_at_the_right_instant_across_both_changes():
    cals = _calendars()
    assert sorted(cals) == ["agents/A0001.ics", "agents/N0002.ics"]
    seen = {}
    for name, data in cals.items():
        cal = icalendar.Calendar.from_ical(data)
        assert cal["VERSION"] == "2.0" and cal["PRODID"] == "-//wfm//wfm plan//EN"
        (vtz,) = cal.walk("VTIMEZONE")
        assert vtz["TZID"] == "Europe/London"
        own = vtz.to_tz()  # the file's own VTIMEZONE, not the reader's tz database
        for ev in cal.walk("VEVENT"):
            agent, date = str(ev["UID"]).split("@")[0].split("/")
            assert name == f"agents/{agent}.ics"
            start, end = ev["DTSTART"], ev["DTEND"]
            assert start.params["TZID"] == "Europe/London" and end.params["TZID"] == "Europe/London"
            local_s, local_e = start.dt.replace(tzinfo=None), end.dt.replace(tzinfo=None)
            seen[(agent, date)] = (local_s.replace(tzinfo=own).astimezone(UTC),
                                   local_e.replace(tzinfo=own).astimezone(UTC))
            assert start.dt.astimezone(UTC) == seen[(agent, date)][0]  # the reader's database agrees
            row = next(r for r in ROWS if r[0] == agent and r[2] == date)
            assert (f"{local_s:%H:%M}", f"{local_e:%H:%M}") == (row[4], row[5])
            assert str(ev["SUMMARY"]) == f"North: {row[3]} shift {row[4]}-{row[5]}"
            breaks = row[6].replace(";", ", ") or "none"
            assert str(ev["DESCRIPTION"]) == f"Breaks: {breaks}\nContract: {row[1]}\nAgent: {agent}"
            assert ev["DTSTAMP"].dt == dt.datetime(2026, 10, 19, tzinfo=UTC)
    assert seen == EXPECTED_UTC


def test_the_vtimezone_names_both_changes():
    cal = icalendar.Calendar.from_ical(_calendars()["agents/N0002.ics"])
    (vtz,) = cal.walk("VTIMEZONE")
    starts = {(c.name, c["DTSTART"].dt, c["TZOFFSETFROM"].td, c["TZOFFSETTO"].td) for c in vtz.subcomponents}
    hour = dt.timedelta(hours=1)
    assert ("STANDARD", dt.datetime(2026, 10, 25, 2, 0), hour, dt.timedelta(0)) in starts
    assert ("DAYLIGHT", dt.datetime(2027, 3, 28, 1, 0), dt.timedelta(0), hour) in starts


def test_the_same_roster_gives_the_same_bytes():
    assert _calendars() == _calendars()
    assert agent_calendars(pd.DataFrame(columns=COLUMNS), "UTC", "x", dt.date(2026, 1, 5)) == {}


@pytest.mark.parametrize(("agent", "name"), [
    ("A0001", "A0001.ics"),
    ("CAP-full_time-001", "CAP-full_time-001.ics"),
])
def test_a_safe_agent_id_is_its_file_name(agent, name):
    assert calendar_file_name(agent) == name


def test_an_agent_id_that_could_name_a_path_gets_a_safe_distinct_name():
    names = {calendar_file_name(a) for a in ("../x", "a/b", "a_b", "a b", ".hidden", "é")}
    assert len(names) == 6
    for n in names:
        assert "/" not in n and not n.startswith(".") and n.endswith(".ics")
    assert calendar_file_name("a_b") == "a_b.ics" and calendar_file_name("a b").startswith("a_b-")
