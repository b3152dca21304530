"""tests/whatif/rulecheck.py, the independent checker of the what-if recovery-by-name files: a clean hand-written
case has no violation; breaking one rule once gives exactly one line naming it; recount on hand-counted times."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from whatif.rulecheck import RULES, Rules, check, recount, rest_day_floor_needed

A1_BREAKS = "08:00-08:15;10:00-11:00;13:00-13:15"
A2_BREAKS = "23:30-23:45;02:00-03:00;05:00-05:15"
HEADER = "agent_id,contract,date,shift,start,end,breaks"

# Mon 2026-11-30 .. Sun 2026-12-06. A0001 days Mon-Fri, A0002 nights Mon-Fri (22:00-07:00), A0003 part time Tue-Thu.
PUBLISHED = (
    [
        f"A0001,full_time,2026-{d},day,06:00,15:00,{A1_BREAKS}"
        for d in ("11-30", "12-01", "12-02", "12-03", "12-04")
    ]
    + [
        f"A0002,full_time,2026-{d},night,22:00,07:00,{A2_BREAKS}"
        for d in ("11-30", "12-01", "12-02", "12-03", "12-04")
    ]
    + [f"A0003,part_time,2026-{d},day,10:00,16:00,12:00-12:30" for d in ("12-01", "12-02", "12-03")]
)

# A0001 recalled on Sat 12-05 (paid 8 of its 9 hours); A0002 one hour before Monday's night and one hour after
# Tuesday's (07:00-08:00 on Wednesday morning); A0003 one hour after Wednesday's shift; a back-office person on
# the phones 09-11 and 14-16 on Tuesday; an agency person 12-18 with a half-hour break on Tuesday.
RECOVERY = [
    "person,date,lever,start,end,breaks,hours,cost",
    f"A0001,2026-12-05,rest_days,06:00,15:00,{A1_BREAKS},8.0,240.0",
    "A0002,2026-11-30,overtime,21:00,22:00,,1.0,25.0",
    "A0002,2026-12-01,overtime,07:00,08:00,,1.0,25.0",
    "A0003,2026-12-02,overtime,16:00,17:00,,1.0,25.0",
    "BO-second_line-01,2026-12-01,back_office,09:00,11:00,,2.0,40.0",
    "BO-second_line-01,2026-12-01,back_office,14:00,16:00,,2.0,40.0",
    "AGENCY-2026-12-01-01,2026-12-01,agency,12:00,18:00,14:00-14:30,5.5,220.0",
]


def _after() -> list[str]:
    rows = [HEADER] + PUBLISHED
    rows = _sub(rows, f"A0002,full_time,2026-11-30,night,22:00,07:00,{A2_BREAKS}", "night,21:00,07:00", at=1)
    rows = _sub(rows, f"A0002,full_time,2026-12-01,night,22:00,07:00,{A2_BREAKS}", "night,22:00,08:00", at=1)
    rows = _sub(rows, "A0003,part_time,2026-12-02,day,10:00,16:00,12:00-12:30", "day,10:00,17:00", at=1)
    return rows + [
        f"A0001,full_time,2026-12-05,day,06:00,15:00,{A1_BREAKS}",
        "BO-second_line-01,back_office,2026-12-01,phones,09:00,16:00,11:00-14:00",
        "AGENCY-2026-12-01-01,agency,2026-12-01,phones,12:00,18:00,14:00-14:30",
    ]


def _sub(lines: list[str], line: str, new: str, at: int | None = None) -> list[str]:
    """``lines`` with the one line equal to ``line`` replaced by ``new``; with ``at``, ``new`` is only the
    ``shift,start,end`` fields and the line keeps its other fields."""
    assert lines.count(line) == 1, line
    if at is not None:
        f = line.split(",")
        g = new.split(",")
        new = ",".join(f[:3] + g + f[3 + len(g) :])
    return [new if x == line else x for x in lines]


RULES_CLEAN = Rules(
    plan_start=date(2026, 11, 30),
    plan_days=7,
    interval_minutes=15,
    rest_day_floor_per_month=4,
    overtime_max_hours_per_day=2,
    overtime_max_hours_per_week=4,
    back_office_max_hours_per_day=6,
    back_office_hours=("08:00", "20:00"),
    agency_hours=("08:00", "20:00"),
    agency_max_agents=1,
    costs={"rest_days": 30, "overtime": 25, "back_office": 20, "agency": 40},
)


def run(tmp_path: Path, published=None, after=None, recovery=None, rules: Rules = RULES_CLEAN) -> list[str]:
    files = {
        "roster.csv": published if published is not None else [HEADER] + PUBLISHED,
        "roster_after.csv": after if after is not None else _after(),
        "recovery.csv": recovery if recovery is not None else RECOVERY,
    }
    for name, lines in files.items():
        (tmp_path / name).write_text("\n".join(lines) + "\n")
    return check(tmp_path / "roster.csv", tmp_path / "roster_after.csv", tmp_path / "recovery.csv", rules)


def one(violations: list[str], rule: str) -> str:
    assert len(violations) == 1, violations
    assert violations[0].startswith(rule + ": "), violations
    assert rule in RULES
    return violations[0]


def both(old: str, new: str, published=None, after=None) -> tuple[list[str], list[str]]:
    """The published roster and roster_after with the same row changed in both."""
    pub = _sub(published or [HEADER] + PUBLISHED, old, new)
    aft = _sub(after or _after(), old, new)
    return pub, aft


def test_clean_case_has_no_violation(tmp_path):
    assert run(tmp_path) == []


def test_an_absent_person_is_allowed(tmp_path):
    aft = [x for x in _after() if not x.startswith("A0002,full_time,2026-12-03")]
    assert len(aft) == len(_after()) - 1
    assert run(tmp_path, after=aft) == []


def test_rest_hours(tmp_path):
    old = "A0003,part_time,2026-12-03,day,10:00,16:00,12:00-12:30"
    pub, aft = both(old, "A0003,part_time,2026-12-03,day,03:00,09:00,06:00-06:30")
    # Wednesday's shift ends 17:00 (with its overtime), Thursday's starts 03:00: 10 h
    v = one(run(tmp_path, pub, aft), "rest_hours")
    assert v == "rest_hours: A0003 2026-12-02 -> 2026-12-03: 10.0 h < 11"


def test_rest_hours_across_midnight_of_a_night_shift(tmp_path):
    # Tuesday's night now runs to 12:00 Wednesday (05:00 of overtime): 10 h to Wednesday's 22:00
    rec = _sub(
        RECOVERY,
        "A0002,2026-12-01,overtime,07:00,08:00,,1.0,25.0",
        "A0002,2026-12-01,overtime,07:00,12:00,,5.0,125.0",
    )
    aft = _sub(
        _after(),
        f"A0002,full_time,2026-12-01,night,22:00,08:00,{A2_BREAKS}",
        f"A0002,full_time,2026-12-01,night,22:00,12:00,{A2_BREAKS}",
    )
    rules = replace(RULES_CLEAN, overtime_max_hours_per_day=None, overtime_max_hours_per_week=None)
    v = one(run(tmp_path, after=aft, recovery=rec, rules=rules), "rest_hours")
    assert v == "rest_hours: A0002 2026-12-01 -> 2026-12-02: 10.0 h < 11"


def test_rest_days_per_week(tmp_path):
    extra = [
        f"A0003,part_time,2026-{d},day,10:00,16:00,12:00-12:30" for d in ("11-30", "12-04", "12-05", "12-06")
    ]
    rules = replace(RULES_CLEAN, max_consecutive_days=7)
    v = one(run(tmp_path, [HEADER] + PUBLISHED + extra, _after() + extra, rules=rules), "rest_days_per_week")
    assert v == "rest_days_per_week: A0003 2026-11-30..2026-12-06: 0 rest days < 1"


def test_consecutive_days(tmp_path):
    v = one(run(tmp_path, rules=replace(RULES_CLEAN, max_consecutive_days=5)), "consecutive_days")
    assert v == "consecutive_days: A0001 2026-11-30..2026-12-05: 6 days in a row > 5"


def test_rest_day_floor(tmp_path):
    # floor 8: November has 1 plan day of 30 (8/30 -> 0), December 6 of 31 (48/31 = 1.55 -> 2); A0001 rests
    # only on Sunday 12-06 in December; A0002 on Saturday and Sunday; A0003 is part time
    v = one(run(tmp_path, rules=replace(RULES_CLEAN, rest_day_floor_per_month=8)), "rest_day_floor")
    assert v.startswith("rest_day_floor: A0001 2026-12: 1 rest days < 2")


def test_rest_day_floor_rounds_half_up():
    assert rest_day_floor_needed(4, 15, 30) == 2
    assert rest_day_floor_needed(1, 15, 30) == 1  # 0.5 -> 1
    assert rest_day_floor_needed(1, 14, 30) == 0
    assert rest_day_floor_needed(4, 6, 31) == 1  # 0.77
    assert rest_day_floor_needed(3, 7, 28) == 1  # 0.75
    assert rest_day_floor_needed(2, 7, 28) == 1  # exactly 0.5
    assert rest_day_floor_needed(4, 28, 28) == 4


def test_overtime_per_day(tmp_path):
    rec = _sub(
        RECOVERY,
        "A0003,2026-12-02,overtime,16:00,17:00,,1.0,25.0",
        "A0003,2026-12-02,overtime,16:00,19:00,,3.0,75.0",
    )
    aft = _sub(
        _after(),
        "A0003,part_time,2026-12-02,day,10:00,17:00,12:00-12:30",
        "A0003,part_time,2026-12-02,day,10:00,19:00,12:00-12:30",
    )
    v = one(run(tmp_path, after=aft, recovery=rec), "overtime_per_day")
    assert v == "overtime_per_day: A0003 2026-12-02: 3.0 h > 2"


def test_overtime_per_week(tmp_path):
    v = one(run(tmp_path, rules=replace(RULES_CLEAN, overtime_max_hours_per_week=1.5)), "overtime_per_week")
    assert v == "overtime_per_week: A0002 2026-11-30..2026-12-06: 2.0 h > 1.5"


def test_overtime_matches_roster_after(tmp_path):
    aft = _sub(
        _after(),
        "A0003,part_time,2026-12-02,day,10:00,17:00,12:00-12:30",
        "A0003,part_time,2026-12-02,day,10:00,16:45,12:00-12:30",
    )
    v = one(run(tmp_path, after=aft), "overtime_matches")
    assert (
        v
        == "overtime_matches: A0003 2026-12-02: roster_after shift 10:00-16:45 != published extended 10:00-17:00"
    )


def test_overtime_matches_night_shift_end_is_next_day(tmp_path):
    # the extension after Tuesday's night is 07:00-08:00; roster_after ends it at 07:30
    aft = _sub(
        _after(),
        f"A0002,full_time,2026-12-01,night,22:00,08:00,{A2_BREAKS}",
        f"A0002,full_time,2026-12-01,night,22:00,07:30,{A2_BREAKS}",
    )
    v = one(run(tmp_path, after=aft), "overtime_matches")
    assert (
        v
        == "overtime_matches: A0002 2026-12-01: roster_after shift 22:00-07:30 != published extended 22:00-08:00"
    )


def test_overtime_must_touch_the_published_shift(tmp_path):
    rec = _sub(
        RECOVERY,
        "A0003,2026-12-02,overtime,16:00,17:00,,1.0,25.0",
        "A0003,2026-12-02,overtime,16:15,17:00,,0.75,18.75",
    )
    v = one(run(tmp_path, recovery=rec), "overtime_matches")
    assert "16:15-17:00 touches neither" in v and "A0003 2026-12-02" in v


def test_overtime_breaks_unchanged(tmp_path):
    aft = _sub(
        _after(),
        "A0003,part_time,2026-12-02,day,10:00,17:00,12:00-12:30",
        "A0003,part_time,2026-12-02,day,10:00,17:00,12:30-13:00",
    )
    v = one(run(tmp_path, after=aft), "overtime_matches")
    assert v == "overtime_matches: A0003 2026-12-02: roster_after breaks differ from the published shift's"


def test_rest_day_is_rest_day_roster_after_differs(tmp_path):
    aft = _sub(
        _after(),
        f"A0001,full_time,2026-12-05,day,06:00,15:00,{A1_BREAKS}",
        "A0001,full_time,2026-12-05,day,06:00,15:00,08:00-08:15;11:00-12:00;13:00-13:15",
    )
    v = one(run(tmp_path, after=aft), "rest_day_is_rest_day")
    assert v.startswith("rest_day_is_rest_day: A0001 2026-12-05: roster_after row 06:00-15:00")


def test_rest_day_is_rest_day_on_a_published_day(tmp_path):
    rec = RECOVERY + [f"A0002,2026-12-04,rest_days,22:00,07:00,{A2_BREAKS},8.0,240.0"]
    v = one(run(tmp_path, recovery=rec), "rest_day_is_rest_day")
    assert v == "rest_day_is_rest_day: A0002 2026-12-04: recalled on a day with a published shift"


def test_recalled_breaks_outside_the_shift(tmp_path):
    new = "08:00-08:15;10:00-11:00;15:00-15:15"  # the last break after the 15:00 end
    rec = _sub(RECOVERY, RECOVERY[1], f"A0001,2026-12-05,rest_days,06:00,15:00,{new},8.0,240.0")
    aft = _sub(
        _after(),
        f"A0001,full_time,2026-12-05,day,06:00,15:00,{A1_BREAKS}",
        f"A0001,full_time,2026-12-05,day,06:00,15:00,{new}",
    )
    v = one(run(tmp_path, after=aft, recovery=rec), "recalled_breaks")
    assert v.startswith("recalled_breaks: A0001 2026-12-05: a break outside the shift")


def test_recalled_breaks_off_grid_also_off_grid_in_roster_after(tmp_path):
    new = "08:00-08:15;10:00-11:00;13:00-13:10"
    rec = _sub(RECOVERY, RECOVERY[1], f"A0001,2026-12-05,rest_days,06:00,15:00,{new},8.0,240.0")
    aft = _sub(
        _after(),
        f"A0001,full_time,2026-12-05,day,06:00,15:00,{A1_BREAKS}",
        f"A0001,full_time,2026-12-05,day,06:00,15:00,{new}",
    )
    v = run(tmp_path, after=aft, recovery=rec)
    assert sorted(x.split(":")[0] for x in v) == ["on_grid", "recalled_breaks"]
    assert "(13:10)" in v[0] + v[1]


def test_recalled_night_shift_breaks_after_midnight_are_inside(tmp_path):
    # a recalled night on Saturday for A0002 (12-05 22:00 - 12-06 07:00): breaks after midnight are inside
    rec = RECOVERY + [f"A0002,2026-12-05,rest_days,22:00,07:00,{A2_BREAKS},8.0,240.0"]
    aft = _after() + [f"A0002,full_time,2026-12-05,night,22:00,07:00,{A2_BREAKS}"]
    assert run(tmp_path, after=aft, recovery=rec) == []


def test_on_grid_roster_after(tmp_path):
    old = "A0003,part_time,2026-12-01,day,10:00,16:00,12:00-12:30"
    pub, aft = both(old, "A0003,part_time,2026-12-01,day,10:05,16:00,12:00-12:30")
    v = one(run(tmp_path, pub, aft), "on_grid")
    assert v == "on_grid: A0003 2026-12-01: roster_after times off the 15-minute grid (10:05)"


def test_on_grid_recovery(tmp_path):
    rec = _sub(
        RECOVERY,
        "BO-second_line-01,2026-12-01,back_office,09:00,11:00,,2.0,40.0",
        "BO-second_line-01,2026-12-01,back_office,09:05,11:05,,2.0,40.0",
    )
    aft = _sub(
        _after(),
        "BO-second_line-01,back_office,2026-12-01,phones,09:00,16:00,11:00-14:00",
        "BO-second_line-01,back_office,2026-12-01,phones,09:05,16:00,11:05-14:00",
    )
    v = one(run(tmp_path, after=aft, recovery=rec), "on_grid")
    assert v.startswith(
        "on_grid: BO-second_line-01 2026-12-01: back_office row times off the 15-minute grid (09:05, 11:05;"
    )


def test_back_office_hours_per_day(tmp_path):
    v = one(
        run(tmp_path, rules=replace(RULES_CLEAN, back_office_max_hours_per_day=3.5)),
        "back_office_hours_per_day",
    )
    assert v == "back_office_hours_per_day: BO-second_line-01 2026-12-01: 4.0 h on the phones > 3.5"


def test_back_office_window(tmp_path):
    v = one(
        run(tmp_path, rules=replace(RULES_CLEAN, back_office_hours=("10:00", "20:00"))), "back_office_window"
    )
    assert (
        v == "back_office_window: BO-second_line-01 2026-12-01: on the phones 09:00-16:00 outside 10:00-20:00"
    )


def test_back_office_matches_hours(tmp_path):
    aft = _sub(
        _after(),
        "BO-second_line-01,back_office,2026-12-01,phones,09:00,16:00,11:00-14:00",
        "BO-second_line-01,back_office,2026-12-01,phones,09:00,16:00,11:00-13:45",
    )
    v = one(run(tmp_path, after=aft), "back_office_matches")
    assert (
        v
        == "back_office_matches: BO-second_line-01 2026-12-01: 4.0 h in recovery.csv != 4.25 h on the phones in roster_after"
    )


def test_back_office_matches_blocks(tmp_path):
    rec = _sub(
        RECOVERY,
        "BO-second_line-01,2026-12-01,back_office,14:00,16:00,,2.0,40.0",
        "BO-second_line-01,2026-12-01,back_office,13:00,15:00,,2.0,40.0",
    )
    v = one(run(tmp_path, recovery=rec), "back_office_matches")
    assert v.endswith(
        "roster_after phone blocks 09:00-11:00, 14:00-16:00 != recovery.csv blocks 09:00-11:00, 13:00-15:00"
    )


def test_agency_window(tmp_path):
    v = one(run(tmp_path, rules=replace(RULES_CLEAN, agency_hours=("08:00", "17:00"))), "agency_window")
    assert (
        v == "agency_window: AGENCY-2026-12-01-01 2026-12-01: on the phones 12:00-18:00 outside 08:00-17:00"
    )


def test_agency_window_across_midnight(tmp_path):
    # a window 20:00-08:00 does not hold a 12:00-18:00 row; 10:00-02:00 does
    assert one(run(tmp_path, rules=replace(RULES_CLEAN, agency_hours=("20:00", "08:00"))), "agency_window")
    assert run(tmp_path, rules=replace(RULES_CLEAN, agency_hours=("10:00", "02:00"))) == []


def test_agency_at_once(tmp_path):
    rec = RECOVERY + ["AGENCY-2026-12-01-02,2026-12-01,agency,13:00,14:00,,1.0,40.0"]
    aft = _after() + ["AGENCY-2026-12-01-02,agency,2026-12-01,phones,13:00,14:00,"]
    v = one(run(tmp_path, after=aft, recovery=rec), "agency_at_once")
    assert v == "agency_at_once: 2026-12-01 13:00-14:00: 2 agency people on the phones > 1"
    # the second person during the first one's break (14:00-14:30) is within the limit
    rec = RECOVERY + ["AGENCY-2026-12-01-02,2026-12-01,agency,14:00,14:30,,0.5,20.0"]
    aft = _after() + ["AGENCY-2026-12-01-02,agency,2026-12-01,phones,14:00,14:30,"]
    assert run(tmp_path, after=aft, recovery=rec) == []


def test_agency_matches(tmp_path):
    aft = _sub(
        _after(),
        "AGENCY-2026-12-01-01,agency,2026-12-01,phones,12:00,18:00,14:00-14:30",
        "AGENCY-2026-12-01-01,agency,2026-12-01,phones,12:00,18:00,14:00-14:45",
    )
    v = one(run(tmp_path, after=aft), "agency_matches")
    assert (
        v
        == "agency_matches: AGENCY-2026-12-01-01 2026-12-01: 5.5 h in recovery.csv != 5.25 h on the phones in roster_after"
    )


def test_cost_rate(tmp_path):
    rec = _sub(
        RECOVERY,
        "A0003,2026-12-02,overtime,16:00,17:00,,1.0,25.0",
        "A0003,2026-12-02,overtime,16:00,17:00,,1.0,26.0",
    )
    v = one(run(tmp_path, recovery=rec), "cost")
    assert v == "cost: A0003 2026-12-02: overtime cost 26.0 != 1.0 h x 25 (recovery.csv:5)"


def test_cost_hours_of_an_overtime_row(tmp_path):
    rec = _sub(
        RECOVERY,
        "A0003,2026-12-02,overtime,16:00,17:00,,1.0,25.0",
        "A0003,2026-12-02,overtime,16:00,17:00,,1.5,37.5",
    )
    v = one(run(tmp_path, recovery=rec), "cost")
    assert v == "cost: A0003 2026-12-02: overtime hours 1.5 != span minus breaks 1.0 (recovery.csv:5)"


def test_cost_hours_of_an_agency_row_subtract_its_breaks(tmp_path):
    rec = _sub(
        RECOVERY, RECOVERY[-1], "AGENCY-2026-12-01-01,2026-12-01,agency,12:00,18:00,14:00-14:30,6.0,240.0"
    )
    v = run(tmp_path, recovery=rec)
    # the same wrong hours are also a mismatch with roster_after's phone hours
    assert sorted(x.split(":")[0] for x in v) == ["agency_matches", "cost"]
    assert "agency hours 6.0 != span minus breaks 5.5" in " ".join(v)


def test_cost_hours_of_a_rest_day_at_most_its_span(tmp_path):
    rec = _sub(RECOVERY, RECOVERY[1], f"A0001,2026-12-05,rest_days,06:00,15:00,{A1_BREAKS},9.5,285.0")
    v = one(run(tmp_path, recovery=rec), "cost")
    assert v == "cost: A0001 2026-12-05: rest_days hours 9.5 not in (0, 9.0] (recovery.csv:2)"
    # paid breaks: the whole 9 h span is fine
    rec = _sub(RECOVERY, RECOVERY[1], f"A0001,2026-12-05,rest_days,06:00,15:00,{A1_BREAKS},9.0,270.0")
    assert run(tmp_path, recovery=rec) == []


def test_unexplained_row_on_a_day_without_a_published_shift(tmp_path):
    aft = _after() + ["A0003,part_time,2026-11-30,day,10:00,16:00,12:00-12:30"]
    v = one(run(tmp_path, after=aft), "unexplained_row")
    assert v.startswith("unexplained_row: A0003 2026-11-30: a shift on a day without a published shift")


def test_unexplained_row_changed_without_overtime(tmp_path):
    old = f"A0001,full_time,2026-12-01,day,06:00,15:00,{A1_BREAKS}"
    aft = _sub(_after(), old, f"A0001,full_time,2026-12-01,day,07:00,15:00,{A1_BREAKS}")
    v = one(run(tmp_path, after=aft), "unexplained_row")
    assert v == "unexplained_row: A0001 2026-12-01: differs from the published shift without an overtime row"


def test_unexplained_back_office_row(tmp_path):
    aft = _after() + ["BO-second_line-02,back_office,2026-12-02,phones,09:00,10:00,"]
    v = one(run(tmp_path, after=aft), "unexplained_row")
    assert (
        v
        == "unexplained_row: BO-second_line-02 2026-12-02: back_office row without a back_office recovery row"
    )


def test_one_row_per_day_and_unknown_lever(tmp_path):
    aft = _after() + [_after()[1]]
    v = one(run(tmp_path, after=aft), "one_row_per_day")
    assert v.startswith("one_row_per_day: A0001 2026-11-30: two rows in roster_after.csv")
    rec = RECOVERY + ["A0003,2026-12-03,magic,16:00,17:00,,1.0,25.0"]
    v = one(run(tmp_path, recovery=rec), "unknown_lever")
    assert v.startswith("unknown_lever: A0003 2026-12-03: lever 'magic'")


# ----------------------------------------------------------------------------------------------- recount


def _slot(day: int, hh: int, mm: int) -> int:
    return day * 96 + (hh * 60 + mm) // 15


def test_recount_hand_counted(tmp_path):
    run(tmp_path)
    after = tmp_path / "roster_after.csv"
    bo = 1 / 1.3
    n = recount(after, date(2026, 11, 30), 7, 15, {"back_office": bo})
    assert n.shape == (7 * 96,)
    # Tuesday 12:00: A0001 on; A0003 and the back-office person on a break; the agency person on
    assert n[_slot(1, 12, 0)] == pytest.approx(2)
    # Tuesday 10:00: A0001 on a break 10-11; A0003 and the back-office person (weighted) on
    assert n[_slot(1, 10, 0)] == pytest.approx(1 + bo)
    assert n[_slot(1, 9, 45)] == pytest.approx(1 + bo)  # A0001 and the back-office person; A0003 from 10:00
    # Tuesday 07:00: Monday's night ended 07:00 -> only A0001; Wednesday 07:00: Tuesday's night runs to 08:00
    assert n[_slot(1, 7, 0)] == pytest.approx(1)
    assert n[_slot(2, 7, 0)] == pytest.approx(2)
    assert n[_slot(2, 7, 45)] == pytest.approx(2)
    assert n[_slot(2, 8, 0)] == pytest.approx(0)  # A0001's break 08:00-08:15, A0002 done
    # Monday: the hour of overtime 21-22, the night's first break 23:30-23:45
    assert n[_slot(0, 20, 45)] == 0
    assert n[_slot(0, 21, 0)] == 1
    assert n[_slot(0, 23, 15)] == 1
    assert n[_slot(0, 23, 30)] == 0
    assert n[_slot(0, 23, 45)] == 1
    assert n[_slot(1, 2, 0)] == 0  # Monday's night, 02:00-03:00 break on Tuesday
    assert n[_slot(5, 6, 0)] == 2  # the recalled Saturday, and Friday's night until 07:00
    assert n[_slot(5, 9, 0)] == 1
    assert n[_slot(6, 0, 0) :].sum() == 0  # Sunday: nobody
    # the whole week, unweighted: A0001 6 x 7.5 h, A0002 5 x 7.5 h + 2 h, A0003 3 x 5.5 h + 1 h, BO 4 h,
    # agency 5.5 h = 45 + 39.5 + 17.5 + 4 + 5.5 = 111.5 h = 446 quarter hours
    assert recount(after, date(2026, 11, 30), 7, 15, {}).sum() == pytest.approx(446)
    assert n.sum() == pytest.approx(430 + 16 * bo)


def test_recount_ignores_time_outside_the_plan(tmp_path):
    run(tmp_path)
    after = tmp_path / "roster_after.csv"
    # a one-day plan on Monday: A0001 7.5 h, A0002 21:00-24:00 less 23:30-23:45 (2.75 h); the rest of the
    # night is past the end
    one_day = recount(after, date(2026, 11, 30), 1, 15)
    assert one_day.shape == (96,)
    assert one_day.sum() == pytest.approx(30 + 11)
    # a one-day plan on Tuesday: Monday's night counts from 00:00 (to 06:00: less 02:00-03:00, 05:00-05:15)
    tue = recount(after, date(2026, 12, 1), 1, 15)
    assert tue[: 6 * 4].sum() == pytest.approx(19)
    assert tue[6 * 4 : 7 * 4].tolist() == [2, 2, 2, 2]  # A0002 until 07:00 and A0001 from 06:00
    # hourly grid: an hour counts only when on the phones for the whole hour
    hourly = recount(after, date(2026, 12, 1), 1, 60)
    assert hourly.shape == (24,)
    # A0002 (Monday's night, breaks 02-03 and 05:00-05:15) until 07:00; A0001 from 06:00, break 08:00-08:15
    assert hourly[:9].tolist() == [1, 1, 0, 1, 1, 0, 2, 1, 0]
    assert np.all(hourly >= 0)


def test_the_checker_imports_nothing_from_wfm():
    import ast

    import whatif.rulecheck as rc

    tree = ast.parse(Path(rc.__file__).read_text())
    imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert imported == {
        "__future__",
        "csv",
        "math",
        "collections",
        "dataclasses",
        "datetime",
        "fractions",
        "pathlib",
        "numpy",
    }
