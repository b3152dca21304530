"""wfm.roster.tours: config checks, day patterns, start bands and tour types."""

from __future__ import annotations

import math

import numpy as np
import pytest
from roster_cases import (
    config,
    requirement_staffing,
)

from wfm.config import load_config
from wfm.errors import ConfigError
from wfm.roster import (
    check_roster_config,
    day_patterns,
    roster,
    shifts_of,
    start_bands,
    tour_types,
)


def test_day_patterns_meet_days_and_consecutive_days_off():
    c = config().contracts[0]
    pats = day_patterns(c)
    assert len(pats) == 6  # 5 days on, the 2 days off adjacent inside the week
    assert all(sum(p) == 5 for p in pats)
    assert (True, True, True, True, True, False, False) in pats
    assert (False, True, True, True, True, True, False) not in pats


def test_start_bands_are_maximal_groups_within_the_band():
    t = config().shifts[2]  # part: 10:00..18:00 every 2 h
    sh = shifts_of(t, 60)
    assert [s.start_minute for s in sh] == [600, 720, 840, 960, 1080]
    assert start_bands(sh, 120) == [(0, 2), (1, 3), (2, 4), (3, 5)]
    assert start_bands(sh, 0) == [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5)]
    assert start_bands(sh, 600) == [(0, 5)]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"shifts": [{"name": "s", "contracts": ["full_time"], "start": ["09:00", "09:00"], "length_minutes": 480}]},
         "contract 'part_time' is served by no shift template"),
        ({"shifts": [{"name": "s", "contracts": ["full_time", "part_time"], "start": ["09:00", "09:00"],
                      "length_minutes": 240, "breaks": [{"minutes": 60, "window": ["03:00", "05:00"]}]}]},
         "shift 's': break 1 window 03:00-05:00 ends after the 4h00 shift"),
        ({"contracts": [{"name": "full_time", "days_per_week": 5, "paid_hours_per_week": [30, 35]}],
          "shifts": [{"name": "s", "contracts": ["full_time"], "start": ["09:00", "09:00"], "length_minutes": 480}]},
         "contract 'full_time': hours cannot add up: 5-5 days of 's' 8 h paid never give 30-35 paid hours a week"),
        ({"shifts": [{"name": "s", "contracts": ["full_time", "ghost"], "start": ["09:00", "09:00"],
                      "length_minutes": 480}]},
         "shift 's' serves unknown contract 'ghost'"),
        ({"shifts": [{"name": "s", "contracts": ["full_time", "part_time"], "start": ["09:00", "09:00"],
                      "length_minutes": 480, "breaks": [{"minutes": 60, "window": ["02:00", "04:00"]},
                                                        {"minutes": 60, "window": ["03:00", "05:00"]}]}]},
         "break windows overlap"),
    ],
)
def test_contradictory_configs_name_the_conflict(change, message):
    cfg = config(**change)
    with pytest.raises(ConfigError) as err:
        roster(requirement_staffing([1] * 168), cfg)
    assert message in str(err.value)
    assert str(err.value).startswith("tiny.toml: ")


def test_example_config_is_coverable_in_principle(example_config):
    cfg = load_config(example_config)
    shifts = check_roster_config(cfg)
    tours = tour_types(cfg, shifts)
    hours = {t.contract: set() for t in tours}
    for t in tours:
        hours[t.contract].add(t.paid_hours)
    assert hours["full_time"] == {40.0}
    assert hours["part_time"] == {15.0, 20.0, 25.0}
    # every minute of the day is on site for some start of some template
    covered = np.zeros(1440, dtype=bool)
    for sh in shifts.values():
        for s in sh:
            covered[(s.start_minute + np.arange(s.length_minutes)) % 1440] = True
    assert covered.all()
    assert not math.isnan(cfg.roster.under_penalty)
