"""wfm.whatif.scenario: scenario-file models, validation against the config and the plan, located one-line errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from wfm.config import load_config
from wfm.errors import ConfigError
from wfm.whatif.scenario import load_scenarios, parse_scenarios, parse_when, validate

ROOT = Path(__file__).resolve().parents[2]
START = pd.Timestamp("2026-11-30 00:00")
END = pd.Timestamp("2026-12-07 00:00")


def check(body: dict) -> None:
    scen = parse_scenarios({"scenario": [{"name": "x", **body}]}, source="s.toml")
    validate(scen, load_config(ROOT / "configs" / "example.toml"), START, END, source="s.toml")


def test_bundled_storm_scenario_is_the_one_the_issue_asks_for():
    storm, typhoon = load_scenarios(ROOT / "configs" / "storm.toml")
    assert storm.name == "storm"
    (vol,) = storm.volume
    assert (vol.queue, vol.multiplier, vol.start, vol.end, vol.decay_hours) == ("all", 2.5, "day 2", "day 4", 72)
    (aht,) = storm.aht
    assert aht.multiplier == 1.2
    (absence,) = storm.absence
    assert (absence.share, absence.start, absence.end) == (0.3, "day 2", None)
    lv = storm.levers
    assert lv.back_office.people == "all" and lv.back_office.handle_time_factor == 1.3
    assert (lv.rest_days.per_month, lv.rest_days.floor) == (8, 4)
    assert lv.overtime.max_hours_per_day == 2
    assert lv.names == ["back_office", "rest_days", "overtime"]
    validate([storm], load_config(ROOT / "configs" / "example.toml"), START, END)


def test_bundled_typhoon_is_the_seed_s_month():
    # the seed: a month of it; every back-office person on the phones, their work moved to the weekends
    # (weekdays only on the phones), monthly rest days cut from 8 to 4
    _, typhoon = load_scenarios(ROOT / "configs" / "storm.toml")
    assert typhoon.name == "typhoon"
    (vol,) = typhoon.volume
    assert (vol.queue, vol.multiplier, vol.start, vol.end) == ("all", 1.35, "day 1", "day 29")
    lv = typhoon.levers
    assert lv.names == ["back_office", "rest_days"]
    assert lv.back_office.people == "all" and lv.back_office.days == ["mon", "tue", "wed", "thu", "fri"]
    assert (lv.rest_days.per_month, lv.rest_days.floor) == (8, 4)
    config = load_config(ROOT / "configs" / "example.toml")
    validate([typhoon], config, START, START + pd.Timedelta(days=28))
    with pytest.raises(ConfigError, match=r"volume\[0\]\.end: 'day 29' .* plan 4 weeks: --weeks 4"):
        validate([typhoon], config, START, END)  # a month-long scenario on a one-week plan


def test_when_relative_and_absolute():
    assert parse_when("day 1", START) == START
    assert parse_when("day 3 06:30", START) == pd.Timestamp("2026-12-02 06:30")
    assert parse_when("2026-12-01 08:00", START) == pd.Timestamp("2026-12-01 08:00")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"volume": [{"queue": "mortgages", "multiplier": 2, "start": "day 1"}]},
            "s.toml: scenario 'x', volume[0].queue: unknown queue 'mortgages' (the config has: retail, business, cards)",
        ),
        (
            {"aht": [{"multiplier": 1.2, "start": "day 7", "end": "day 9"}]},
            "s.toml: scenario 'x', aht[0].end: 'day 9' (2026-12-08 00:00) is after the plan's end "
            "(day 1 to day 7, 2026-11-30 00:00 to 2026-12-07 00:00); plan 2 weeks: --weeks 2 (with --history), "
            "or a forecast that long (a shorter roster's weeks are repeated)",
        ),
        (
            {"absence": [{"share": 0.3, "start": "2026-11-01"}]},
            "s.toml: scenario 'x', absence[0].start: '2026-11-01' (2026-11-01 00:00) is outside the plan "
            "(day 1 to day 7, 2026-11-30 00:00 to 2026-12-07 00:00)",
        ),
        (
            {"capacity": [{"seats": 50, "start": "day 2 10:00", "end": "day 2 09:00"}]},
            "s.toml: scenario 'x', capacity[0].end: 2026-12-01 09:00 is not after start 2026-12-01 10:00",
        ),
        (
            {"levers": {"back_office": {"roles": ["marketing"]}}},
            "s.toml: scenario 'x', levers.back_office.roles: unknown role 'marketing' (the config has: "
            "it_support, planning, quality_and_training, second_line, team_leaders)",
        ),
        (
            {"levers": {"back_office": {"people": 300}}},
            "s.toml: scenario 'x', levers.back_office.people: 300 is more than the back office has ({total})",
        ),
        (
            {"levers": {"rest_days": {"contract": "zero_hours"}}},
            "s.toml: scenario 'x', levers.rest_days.contract: unknown contract 'zero_hours' "
            "(the config has: full_time, part_time)",
        ),
        (  # the example's full-timers work 5 days a week: 2 rest days a week, 8 in four weeks
            {"levers": {"rest_days": {"per_month": 10, "floor": 9}}},
            "s.toml: scenario 'x', levers.rest_days.floor: 9 is above the rest days contract 'full_time' gives in "
            "a month (8: 2 a week over 4 weeks), so no rest day could ever be recalled",
        ),
    ],
)
def test_checks_against_config_and_plan(body, message):
    with pytest.raises(ConfigError) as err:
        check(body)
    total = load_config(ROOT / "configs" / "example.toml").back_office.headcount
    assert str(err.value) == message.format(total=total)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"levers": {"overtime": {"max_hours_per_day": -2}}},
         "field 'scenario['x'].levers.overtime.max_hours_per_day': must be 0 or more, got -2"),
        ({"levers": {"agency": {"max_agents": -1}}}, "field 'scenario['x'].levers.agency.max_agents': must be 0 or more, got -1"),
        ({"levers": {"back_office": {"cost_per_hour": -1.5}}},
         "field 'scenario['x'].levers.back_office.cost_per_hour': must be 0 or more, got -1.5"),
        ({"levers": {"back_office": {"handle_time_factor": 0.8}}},
         "field 'scenario['x'].levers.back_office.handle_time_factor': must be 1 or more, got 0.8"),
        ({"levers": {"rest_days": {"per_month": 8, "floor": 10}}},
         "field 'scenario['x'].levers.rest_days': floor 10 is above per_month 8"),
        ({"absence": [{"share": 1.2, "start": "day 1"}]}, "field 'scenario['x'].absence[0].share': must be less than 1, got 1.2"),
        ({"volume": [{"multiplier": -1, "start": "day 1"}]}, "field 'scenario['x'].volume[0].multiplier': must be 0 or more, got -1"),
        ({"volume": [{"start": "day 1"}]},
         "field 'scenario['x'].volume[0]': give exactly one of multiplier (e.g. 2.5 for +150%) or added_calls"),
        ({"volume": [{"multiplier": 2, "start": "soon"}]},
         "field 'scenario['x'].volume[0].start': must be 'day N', 'day N HH:MM' or 'YYYY-MM-DD [HH:MM]', got 'soon'"),
        ({"levers": {"overtime": {"max_hours_a_day": 2}}},
         "field 'scenario['x'].levers.overtime.max_hours_a_day': unknown setting (check its spelling)"),
        ({"levers": {"agency": {"hours": ["8am", "20:00"]}}},
         "field 'scenario['x'].levers.agency.hours': must be a clock time HH:MM, got '8am'"),
    ],
)
def test_shape_errors_are_one_located_line(body, message):
    with pytest.raises(ConfigError) as err:
        parse_scenarios({"scenario": [{"name": "x", **body}]}, source="s.toml")
    assert str(err.value) == f"s.toml: {message}"
    assert "\n" not in str(err.value)


def test_file_level_errors(tmp_path):
    with pytest.raises(ConfigError, match="scenario file not found"):
        load_scenarios(tmp_path / "nope.toml")
    p = tmp_path / "dup.toml"
    p.write_text('[[scenario]]\nname = "a"\n[[scenario]]\nname = "a"\n')
    with pytest.raises(ConfigError, match="scenario name 'a' appears twice"):
        load_scenarios(p)
    p.write_text('[[scenario]]\nname = "baseline"\n')
    with pytest.raises(ConfigError, match="'baseline' is reserved"):
        load_scenarios(p)
    p.write_text("[[scenario]\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_scenarios(p)
