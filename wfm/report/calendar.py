"""agents/<agent_id>.ics: each agent's shifts as an iCalendar file (RFC 5545) they can import.

One VEVENT per roster.csv row: DTSTART and DTEND in the centre's timezone (``[centre] timezone``, with its
VTIMEZONE, so a calendar shows 07:00 in the centre's zone whatever the reader's own zone, across a daylight
saving change too), a shift ending at or before its start ends the next day, the breaks and the contract in
the description. Written with the ``icalendar`` package.

The same roster gives the same bytes: each event's UID is the agent and date, and DTSTAMP (which RFC 5545
asks for: when the object was made) is the plan's first day at 00:00 UTC, not the clock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pandas as pd

PRODID = "-//wfm//wfm plan//EN"
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def calendar_file_name(agent_id: str) -> str:
    """``<agent_id>.ics`` when the id is a safe file name (letters, digits, ``_`` and ``-``); otherwise the
    id with each other character as ``_`` and 8 hex digits of its sha1, so two ids never share a file and no
    id can name a path (``../x``, ``a/b``)."""
    safe = _UNSAFE.sub("_", agent_id)[:80]
    if safe != agent_id or not safe:
        safe += "-" + hashlib.sha1(agent_id.encode()).hexdigest()[:8]
    return f"{safe}.ics"


def shift_times(date: str, start: str, end: str, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """A roster row's start and end as aware datetimes in ``tz`` (an end at or before the start is the next
    day's)."""
    day = dt.date.fromisoformat(date)
    s = dt.datetime.combine(day, dt.time.fromisoformat(start), tzinfo=tz)
    e = dt.datetime.combine(day, dt.time.fromisoformat(end), tzinfo=tz)
    if e <= s:
        e = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.fromisoformat(end), tzinfo=tz)
    return s, e


def offset_changes(timezone: str, first: dt.date, last: dt.date) -> list[tuple[dt.datetime, dt.timedelta,
                                                                               dt.timedelta]]:
    """Each instant (UTC) from ``first`` to ``last`` at which ``timezone``'s UTC offset changes, with the offsets
    before and after: hour by hour, then to the minute by bisection."""
    tz = ZoneInfo(timezone)
    t0 = dt.datetime.combine(first, dt.time(), tzinfo=dt.UTC)
    hours = int((dt.datetime.combine(last, dt.time(), tzinfo=dt.UTC) - t0).total_seconds() // 3600) + 1
    off = [(t0 + dt.timedelta(hours=h)).astimezone(tz).utcoffset() for h in range(hours)]
    out = []
    for h in range(1, hours):
        if off[h] != off[h - 1]:
            lo, hi = (h - 1) * 60, h * 60  # minutes after t0: offset off[h-1] at lo, off[h] at hi
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if (t0 + dt.timedelta(minutes=mid)).astimezone(tz).utcoffset() == off[h - 1]:
                    lo = mid
                else:
                    hi = mid
            out.append((t0 + dt.timedelta(minutes=hi), off[h - 1], off[h]))
    return out


def vtimezone_component(timezone: str, first: dt.date, last: dt.date):  # -> icalendar.Timezone
    """The VTIMEZONE of ``timezone`` from ``first`` to ``last``: the observance in force on ``first``, then one
    STANDARD or DAYLIGHT per offset change, its DTSTART the local time of the change in the offset before it
    (RFC 5545 3.6.5, as its America/New_York example: daylight time from 02:00 local standard time).

    Not ``icalendar.Timezone.from_tzinfo``: icalendar 7.3 writes a spring-forward change's DTSTART in the
    offset after it (Europe/London 2027-03-28 02:00 instead of 01:00), an hour late."""
    import icalendar

    tz = ZoneInfo(timezone)
    vtz = icalendar.Timezone()
    vtz.add("tzid", timezone)
    at = dt.datetime.combine(first, dt.time(), tzinfo=tz)
    kinds = {True: icalendar.TimezoneDaylight, False: icalendar.TimezoneStandard}
    sub = kinds[bool(at.dst())]()
    sub.add("dtstart", at.replace(tzinfo=None))
    sub.add("tzname", at.tzname())
    sub.add("tzoffsetfrom", at.utcoffset())
    sub.add("tzoffsetto", at.utcoffset())
    vtz.add_component(sub)
    for when, before, after in offset_changes(timezone, first, last):
        local = when.astimezone(tz)
        sub = kinds[bool(local.dst())]()
        sub.add("dtstart", (when + before).replace(tzinfo=None))
        sub.add("tzname", local.tzname())
        sub.add("tzoffsetfrom", before)
        sub.add("tzoffsetto", after)
        vtz.add_component(sub)
    return vtz


def agent_calendars(roster: pd.DataFrame, timezone: str, centre: str, start: dt.date) -> dict[str, bytes]:
    """One calendar per agent of roster.csv's rows, keyed ``agents/<file name>``, in the roster's order."""
    import icalendar

    tz = ZoneInfo(timezone)
    stamp = dt.datetime.combine(start, dt.time(), tzinfo=dt.UTC)
    if roster.empty:
        return {}
    dates = pd.to_datetime(roster["date"])
    first = (dates.min() - pd.Timedelta(days=1)).date()
    last = (dates.max() + pd.Timedelta(days=2)).date()
    vtimezone = vtimezone_component(timezone, first, last).to_ical()
    out: dict[str, bytes] = {}
    for agent, rows in _by_agent(roster):
        cal = icalendar.Calendar()
        cal.add("prodid", PRODID)
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("method", "PUBLISH")
        cal.add("x-wr-calname", f"{centre}: {agent}")
        cal.add("x-wr-timezone", timezone)
        cal.add_component(icalendar.Timezone.from_ical(vtimezone))
        for r in rows.itertuples(index=False):
            s, e = shift_times(str(r.date), str(r.start), str(r.end), tz)
            ev = icalendar.Event()
            ev.add("uid", f"{agent}/{r.date}@wfm")
            ev.add("dtstamp", stamp)
            ev.add("dtstart", s)
            ev.add("dtend", e)
            ev.add("summary", f"{centre}: {r.shift} shift {r.start}-{r.end}")
            breaks = "" if pd.isna(r.breaks) else str(r.breaks)
            ev.add("description", f"Breaks: {breaks.replace(';', ', ') or 'none'}\nContract: {r.contract}\n"
                                  f"Agent: {agent}")
            ev.add("transp", "OPAQUE")
            cal.add_component(ev)
        out[f"agents/{calendar_file_name(agent)}"] = cal.to_ical()
    return out


def _by_agent(roster: pd.DataFrame) -> Iterator[tuple[str, pd.DataFrame]]:
    for agent, rows in roster.groupby(roster["agent_id"].astype(str), sort=False):
        yield str(agent), rows
