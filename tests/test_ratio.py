"""wfm.ratio: the front-line : back-office check as pure functions over plain data."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pandas as pd
import pytest

from wfm.config import load_config, parse_config
from wfm.errors import ConfigError, InputError
from wfm.ratio import (
    BACK_OFFICE_HEAVY,
    BACK_OFFICE_LIGHT,
    NO_BACK_OFFICE,
    OK,
    FrontLine,
    RatioParts,
    RatioTarget,
    format_ratio,
    front_line_from_roster,
    move_to_phones,
    ratio,
    recommended_layers,
)

NINE_TO_ONE = RatioTarget(9.0, 1.0)


def parts(front: float, back: float, **kw) -> RatioParts:
    return RatioParts(front_line=front, back_office=back, target=NINE_TO_ONE, tolerance=0.01, **kw)


# --------------------------------------------------------------------------- target and band
def test_exactly_nine_to_one_is_ok():
    r = ratio(parts(180, 20))
    assert r.status == OK
    assert r.ratio == 9.0
    assert r.ratio_text == "9.0:1"
    assert r.back_office_share == pytest.approx(0.10)
    assert r.band == pytest.approx((0.09, 0.11))
    assert r.back_office_change == 0
    assert r.back_office_target == pytest.approx(20.0)
    assert r.front_line_supported == 180
    assert r.front_line_change == 0
    assert r.exit_code == 0


@pytest.mark.parametrize(
    ("back", "status", "change", "supported"),
    [
        (22, OK, -2, 198),  # 10.78%: last headcount inside the band's top (11%)
        (23, BACK_OFFICE_HEAVY, -3, 207),  # 11.33%: one person more flips to heavy
        (18, OK, 2, 162),  # 9.09%: last headcount inside the band's bottom (9%)
        (17, BACK_OFFICE_LIGHT, 3, 153),  # 8.63%: one person fewer flips to light
    ],
)
def test_one_person_beyond_the_band_flips_status_and_exit_code(back, status, change, supported):
    r = ratio(parts(180, back))
    assert r.status == status
    assert r.exit_code == (0 if status == OK else 1)
    assert r.back_office_change == change
    assert r.front_line_supported == supported
    assert r.front_line_change == supported - 180


def test_band_edges_are_inclusive():
    # 89 front line, 11 back office: share exactly 11%; 91 and 9: exactly 9%.
    assert ratio(parts(89, 11)).status == OK
    assert ratio(parts(91, 9)).status == OK
    assert ratio(parts(88, 12)).status == BACK_OFFICE_HEAVY
    assert ratio(parts(92, 8)).status == BACK_OFFICE_LIGHT


def test_new_centre_target_85_15():
    t = RatioTarget.parse("85:15")
    assert (t.front, t.back, t.share) == (85.0, 15.0, pytest.approx(0.15))
    r = ratio(RatioParts(front_line=170, back_office=30, target=t, tolerance=0.01))
    assert r.status == OK and r.back_office_share == pytest.approx(0.15)
    assert r.ratio_text == "5.7:1"
    assert r.front_line_supported == 170  # 30 x 85/15 = 170 exactly
    r = ratio(RatioParts(front_line=170, back_office=33, target=t, tolerance=0.01))
    assert r.status == BACK_OFFICE_HEAVY  # 16.26%
    assert r.back_office_change == -3


def test_target_comes_from_maturity_or_explicit_ratio_target():
    base = {"queues": [{"name": "q"}], "back_office": {"roles": [{"role": "tl", "headcount": 15}]}}
    new = parse_config({**base, "centre": {"maturity": "new", "front_line_headcount": 85}})
    r = ratio(new)
    assert r.target.text == "85:15" and r.status == OK
    mature = parse_config({**base, "centre": {"maturity": "mature", "front_line_headcount": 85}})
    assert ratio(mature).status == BACK_OFFICE_HEAVY  # 15% against 10% +- 1
    explicit = parse_config(
        {**base, "centre": {"maturity": "mature", "ratio_target": "85:15", "front_line_headcount": 85}}
    )
    assert ratio(explicit).target.text == "85:15" and ratio(explicit).status == OK


@pytest.mark.parametrize("text", ["9-1", "9:1:1", "nine:one", "0:1", "9:0", "-9:1", ""])
def test_bad_ratio_target_is_a_config_error(text):
    with pytest.raises(ConfigError, match="ratio target"):
        RatioTarget.parse(text)
    with pytest.raises(ConfigError, match=r"field 'centre.ratio_target'"):
        parse_config({"queues": [{"name": "q"}], "centre": {"ratio_target": text}}, source="c.toml")


# --------------------------------------------------------------------------- FTE basis
PART_TIME_CONFIG = {
    "queues": [{"name": "q"}],
    "centre": {"front_line_headcount": 190, "front_line_fte": 180.0, "management_layers": 3},
    "back_office": {
        "roles": [
            {"role": "team_leaders", "headcount": 12},
            {"role": "quality_and_training", "headcount": 8, "fte": 4.0},  # eight half-timers
            {"role": "planning", "headcount": 4, "fte": 4.0},
        ]
    },
}


def test_fte_basis_with_part_timers():
    cfg = parse_config(PART_TIME_CONFIG)
    by_head = ratio(cfg, basis="headcount")
    assert (by_head.front_line, by_head.back_office) == (190, 24)
    assert by_head.back_office_share == pytest.approx(24 / 214)  # 11.21%
    assert by_head.status == BACK_OFFICE_HEAVY
    assert by_head.back_office_change == -3  # 190/9 = 21.1 -> 21 people
    by_fte = ratio(cfg, basis="fte")
    assert (by_fte.front_line, by_fte.back_office) == (180.0, 20.0)
    assert by_fte.back_office_share == pytest.approx(0.10)
    assert by_fte.status == OK and by_fte.ratio == 9.0
    assert by_fte.back_office_change == 0.0
    assert by_fte.front_line_supported == 180.0
    assert by_fte.warnings == ()
    assert by_fte.centre_headcount == 214  # layers count people, whatever the basis


def test_fte_basis_without_front_line_fte_assumes_full_time_and_says_so():
    cfg = parse_config({**PART_TIME_CONFIG, "centre": {"front_line_headcount": 190}})
    r = ratio(cfg, basis="fte")
    assert r.front_line == 190.0
    assert any("front line FTE taken as its headcount" in w for w in r.warnings)


# --------------------------------------------------------------------------- no back office
def test_no_back_office_is_infinite_ratio_with_a_clear_status():
    cfg = parse_config({"queues": [{"name": "q"}], "centre": {"front_line_headcount": 200}})
    r = ratio(cfg)
    assert r.status == NO_BACK_OFFICE
    assert math.isinf(r.ratio) and r.ratio_text == "inf:1"
    assert r.back_office_share == 0.0
    assert r.back_office_change == 22  # 200 / 9 = 22.2
    assert r.front_line_supported == 0
    assert r.exit_code == 1
    d = r.to_dict()
    assert d["ratio"] == "inf:1" and d["ratio_value"] is None and d["status"] == "no_back_office"


def test_both_sides_empty_is_an_input_error():
    with pytest.raises(InputError, match="both empty"):
        ratio(parts(0, 0))


def test_no_front_line_at_all():
    r = ratio(parts(0, 5))
    assert r.status == BACK_OFFICE_HEAVY and r.ratio == 0.0 and r.back_office_share == 1.0
    cfg = parse_config({"queues": [{"name": "q"}]}, source="c.toml")
    with pytest.raises(ConfigError, match=r"c.toml: no front line: give a roster \(--roster roster.csv\)"):
        ratio(cfg)


# --------------------------------------------------------------------------- bad figures
@pytest.mark.parametrize(
    ("front", "back", "message"),
    [
        (-1, 10, "front_line must be a non-negative number, got -1"),
        (90, -2, "back_office must be a non-negative number, got -2"),
        ("ninety", 10, "front_line must be a number, got 'ninety'"),
        (90, "ten", "back_office must be a number, got 'ten'"),
        (90, float("nan"), "back_office must be a non-negative number, got nan"),
        (True, 10, "front_line must be a number, got True"),
    ],
)
def test_negative_or_non_numeric_figures_are_input_errors(front, back, message):
    with pytest.raises(InputError) as exc:
        ratio(parts(front, back))
    assert str(exc.value) == message


@pytest.mark.parametrize(
    ("role", "message"),
    [
        (
            {"role": "qa", "headcount": -2},
            "field 'back_office.roles['qa'].headcount': must be 0 or more, got -2",
        ),
        (
            {"role": "qa", "headcount": "eight"},
            "field 'back_office.roles['qa'].headcount': must be a whole number of people, got 'eight'",
        ),
        (
            {"role": "qa", "headcount": 2.5},
            "field 'back_office.roles['qa'].headcount': must be a whole number of people, got 2.5",
        ),
        (
            {"role": "qa", "headcount": 4, "fte": -1},
            "field 'back_office.roles['qa'].fte': must be 0 or more, got -1",
        ),
        (
            {"role": "qa", "headcount": 4, "fte": 5},
            "field 'back_office.roles['qa']': fte 5 is more than headcount 4 for role 'qa'",
        ),
    ],
)
def test_config_back_office_errors_name_the_field(role, message):
    with pytest.raises(ConfigError) as exc:
        parse_config({"queues": [{"name": "q"}], "back_office": {"roles": [role]}}, source="c.toml")
    assert str(exc.value) == f"c.toml: {message}"


# --------------------------------------------------------------------------- layers
def test_layers_recommended_and_mismatch_warning():
    assert recommended_layers(300) == 3
    assert recommended_layers(301) == 4
    r = ratio(parts(270, 30, management_layers=3))  # 300 people
    assert r.layers_recommended == 3 and r.warnings == ()
    r = ratio(parts(271, 30, management_layers=3))  # 301 people
    assert r.layers_recommended == 4
    assert r.warnings == (
        "the config declares 3 management layers; a centre of 301 people needs about 4 "
        "(up to 300 people: 3, more: 4)",
    )
    assert r.status == OK and r.exit_code == 0  # a warning only


# --------------------------------------------------------------------------- back office onto the phones
def test_move_to_phones_equals_ratio_on_changed_headcounts():
    cfg = load_config("configs/example.toml")
    base = ratio(cfg)
    assert (base.front_line, base.back_office, base.status) == (207, 24, OK)
    moved = move_to_phones(cfg, 5)
    direct = ratio(RatioParts(front_line=212, back_office=19, centre_headcount=231, management_layers=3))
    assert moved.moved_to_phones == 5
    assert (moved.front_line, moved.back_office) == (212, 19)
    assert moved.status == BACK_OFFICE_LIGHT  # 19 / 231 = 8.23%
    assert moved.back_office_share == pytest.approx(19 / 231)
    assert moved.to_dict() | {"moved_to_phones": 0.0, "front_line_source": "given"} == direct.to_dict()
    assert moved.layers_recommended == base.layers_recommended  # same people, same layers


def test_move_all_back_office_and_too_many():
    cfg = load_config("configs/example.toml")
    r = move_to_phones(cfg, 24)
    assert r.status == NO_BACK_OFFICE and r.front_line == 231
    with pytest.raises(
        InputError, match="cannot move 25 back-office people onto the phones: the back office has 24"
    ):
        move_to_phones(cfg, 25)
    with pytest.raises(InputError, match="moved must be a non-negative number"):
        move_to_phones(cfg, -1)


def test_move_to_phones_fte_basis_and_weeks():
    fl = FrontLine(
        headcount=10,
        fte=9.5,
        source="roster",
        weeks=(
            _week(1, date(2026, 3, 2), 10, 10.0),
            _week(2, date(2026, 3, 9), 9, 9.0),
        ),
    )
    p = parts(0, 2.0, basis="fte")
    r = move_to_phones(p, 0.5, front_line=fl)
    assert (r.front_line, r.back_office) == (10.0, 1.5)
    assert [w.front_line for w in r.weeks] == [10.5, 9.5]
    assert [w.back_office for w in r.weeks] == [1.5, 1.5]


def _week(n, start, head, fte):
    from wfm.ratio import FrontLineWeek

    return FrontLineWeek(week=n, week_start=start, headcount=head, paid_hours=fte * 40, fte=fte)


# --------------------------------------------------------------------------- roster-derived front line
ROSTER_CONFIG = {
    "queues": [{"name": "q"}],
    "centre": {"management_layers": 3},
    "contracts": [
        {"name": "full_time", "days_per_week": 5, "paid_hours_per_week": [40, 40]},
        {"name": "part_time", "days_per_week": [3, 5], "paid_hours_per_week": [16, 24]},
    ],
    "shifts": [
        {
            "name": "day",
            "contracts": ["full_time"],
            "start": ["06:00", "14:00"],
            "length_minutes": 540,
            "breaks": [
                {"minutes": 60, "paid": False, "window": ["03:00", "05:30"]},
                {"minutes": 15, "paid": True, "window": ["01:30", "02:30"]},
            ],
        },
        {
            "name": "night",
            "contracts": ["full_time"],
            "start": ["21:00", "23:00"],
            "length_minutes": 540,
            "breaks": [{"minutes": 60, "paid": False, "window": ["03:30", "05:30"]}],
        },
        {
            "name": "part",
            "contracts": ["part_time"],
            "start": ["07:00", "18:00"],
            "length_minutes": 300,
            "breaks": [{"minutes": 15, "paid": True, "window": ["02:00", "03:00"]}],
        },
    ],
    "back_office": {"roles": [{"role": "team_leaders", "headcount": 1}]},
}


def two_week_roster() -> pd.DataFrame:
    """9 full-timers 5 days a week for two weeks (F09 on nights, across midnight) and two part-timers
    4 days x 5 paid hours in week 1 only. Paid hours: full-timers 40 a week, part-timers 20 (0.5 FTE).
    Week 1: 11 agents, 360 + 40 = 400 h = 10 FTE; week 2: 9 agents, 360 h = 9 FTE.
    """
    rows = []
    first = date(2026, 3, 2)
    for week in range(2):
        for d in range(5):
            day = (first + timedelta(days=7 * week + d)).isoformat()
            for a in range(1, 10):
                if a == 9:
                    rows.append(
                        (f"F{a:02d}", "full_time", day, "night", "22:00", "07:00", "01:30-01:45;04:00-05:00")
                    )
                else:
                    rows.append(
                        (f"F{a:02d}", "full_time", day, "day", "08:00", "17:00", "10:00-10:15;12:00-13:00")
                    )
            if week == 0 and d < 4:
                for p in ("P01", "P02"):
                    rows.append((p, "part_time", day, "part", "18:00", "23:00", "20:00-20:15"))
    frame = pd.DataFrame(rows, columns=["agent_id", "contract", "date", "shift", "start", "end", "breaks"])
    frame["_line"] = range(2, len(frame) + 2)
    return frame


def test_front_line_from_roster_counts_distinct_agents_and_fte_per_week():
    cfg = parse_config(ROSTER_CONFIG)
    fl = front_line_from_roster(two_week_roster(), cfg)
    assert fl.headcount == 11
    assert fl.fte == pytest.approx(760 / 80)  # (400 + 360) paid hours over 2 weeks x 40
    assert fl.full_time_hours == 40.0
    assert [(w.week, w.week_start, w.headcount, w.paid_hours, w.fte) for w in fl.weeks] == [
        (1, date(2026, 3, 2), 11, 400.0, 10.0),
        (2, date(2026, 3, 9), 9, 360.0, 9.0),
    ]


def test_roster_derived_ratio_per_week():
    cfg = parse_config(ROSTER_CONFIG)
    fl = front_line_from_roster(two_week_roster(), cfg)
    by_head = ratio(cfg, front_line=fl)
    assert by_head.front_line == 11 and by_head.front_line_source == "roster"
    assert by_head.status == BACK_OFFICE_LIGHT  # 1 / 12 = 8.3%
    assert [(w.front_line, w.status) for w in by_head.weeks] == [(11, BACK_OFFICE_LIGHT), (9, OK)]
    assert by_head.exit_code == 1
    by_fte = ratio(cfg, front_line=fl, basis="fte")
    assert by_fte.front_line == pytest.approx(9.5) and by_fte.status == OK  # 1 / 10.5 = 9.5%
    assert [(w.front_line, w.status) for w in by_fte.weeks] == [(10.0, OK), (9.0, OK)]
    assert by_fte.exit_code == 0


def test_roster_paid_hours_column_and_full_time_hours_override():
    frame = two_week_roster()
    frame["paid_hours"] = "7.5"
    fl = front_line_from_roster(frame, None, full_time_hours=37.5)
    rows = len(frame)
    assert fl.fte == pytest.approx(rows * 7.5 / (2 * 37.5))


def test_roster_timestamps_and_no_config_means_all_time_paid():
    frame = pd.DataFrame(
        {
            "agent_id": ["A1", "A2"],
            "date": ["2026-03-02", "2026-03-02"],
            "shift": ["x", "y"],
            "start": ["2026-03-02 22:00", "08:00"],
            "end": ["2026-03-03 06:00", "12:00"],
        }
    )
    fl = front_line_from_roster(frame)
    assert fl.headcount == 2 and fl.fte == pytest.approx(12 / 40)


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        (
            "date",
            "02/03/2026",
            "roster.csv, line 3, field 'date': is not a date: '02/03/2026' (expected YYYY-MM-DD)",
        ),
        (
            "start",
            "8am",
            "roster.csv, line 3, field 'start': is not a time: '8am' (expected HH:MM or YYYY-MM-DD HH:MM)",
        ),
        (
            "shift",
            "lunch",
            "roster.csv, line 3, field 'shift': unknown shift 'lunch' (the config has: day, night, part)",
        ),
        ("agent_id", "", "roster.csv, line 3, field 'agent_id': is blank"),
    ],
)
def test_roster_errors_name_file_line_and_field(column, value, message):
    frame = two_week_roster()
    frame.loc[1, column] = value
    with pytest.raises(InputError) as exc:
        front_line_from_roster(frame, parse_config(ROSTER_CONFIG), source="roster.csv")
    assert str(exc.value) == message


def test_empty_roster_and_missing_columns():
    cfg = parse_config(ROSTER_CONFIG)
    with pytest.raises(InputError, match="the roster has no rows"):
        front_line_from_roster(two_week_roster().iloc[:0], cfg, source="r.csv")
    with pytest.raises(InputError, match="r.csv: missing column"):
        front_line_from_roster(two_week_roster().drop(columns=["shift"]), cfg, source="r.csv")


def test_format_ratio():
    assert format_ratio(9.0909) == "9.1:1"
    assert format_ratio(math.inf) == "inf:1"
