"""Opening hours ([centre.open], wfm.hours): parsing, its config errors, and the interval mask against a
minute-by-minute brute force."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.bad_input import one_line_exit_2
from wfm.cli import app
from wfm.hours import closed_days, holiday_closures, open_mask, parse_opening_hours

BANK = {"mon-fri": ["07:00", "21:00"], "sat": ["09:00", "13:00"], "sun": "closed",
        "2026-12-24": ["07:00", "12:00"], "2026-12-31": "closed"}
CHRISTMAS = {dt.date(2026, 12, 25)}


def test_weekdays_ranges_special_days_and_holidays_parse():
    h = parse_opening_hours(BANK)
    assert h.weekly[0] == ((420, 1260),) and h.weekly[5] == ((540, 780),) and h.weekly[6] == ()
    assert h.special == {dt.date(2026, 12, 24): ((420, 720),), dt.date(2026, 12, 31): ()}
    assert h.describe() == "mon-fri 07:00-21:00; sat 09:00-13:00; sun closed; 2 special days; holidays closed"
    night = parse_opening_hours({"mon-sun": ["22:00", "06:00"], "holidays": "open"})
    assert night.weekly[2] == ((1320, 1800),) and not night.holidays_closed
    split = parse_opening_hours({"tue-thu": [["08:00", "12:00"], ["13:00", "24:00"]], "fri-mon": "24h"})
    assert split.weekly[0] == ((0, 1440),) and split.weekly[1] == ((480, 720), (780, 1440))


def test_closed_days_and_the_days_a_contract_week_shrinks_by():
    h = parse_opening_hours(BANK)
    days = [dt.date(2026, 12, 21) + dt.timedelta(days=k) for k in range(14)]  # Mon 21st .. Sun 3rd Jan
    assert closed_days(h, days, CHRISTMAS) == [dt.date(2026, 12, 25), dt.date(2026, 12, 27),
                                               dt.date(2026, 12, 31), dt.date(2027, 1, 3)]
    # Sundays are closed every week: only Christmas (a holiday) and New Year's Eve (special) shrink a week
    assert holiday_closures(h, days, CHRISTMAS) == [dt.date(2026, 12, 25), dt.date(2026, 12, 31)]
    assert holiday_closures(parse_opening_hours({**BANK, "holidays": "open"}), days, CHRISTMAS) == \
        [dt.date(2026, 12, 31)]
    # the tail of a night past midnight keeps the next day open
    night = parse_opening_hours({"mon-fri": ["22:00", "06:00"], "sat-sun": "closed"})
    assert closed_days(night, [dt.date(2026, 12, 26), dt.date(2026, 12, 27)]) == [dt.date(2026, 12, 27)]


def _brute_mask(table, timestamps, minutes, holidays):
    """Minute by minute: open minutes of every day from the day before, then any open minute per interval."""
    h = parse_opening_hours(table)
    first = timestamps.min().normalize() - pd.Timedelta(days=1)
    n_days = (timestamps.max().normalize() - first).days + 2
    is_open = np.zeros((n_days + 1) * 1440, bool)
    for k in range(n_days):
        day = (first + pd.Timedelta(days=k)).date()
        for a, b in h.periods_of(day, frozenset(holidays)):
            is_open[k * 1440 + a: k * 1440 + b] = True
    start = ((timestamps - first) // pd.Timedelta(minutes=1)).to_numpy()
    return np.array([is_open[s: s + minutes].any() for s in start])


@pytest.mark.parametrize("seed", range(12))
def test_the_interval_mask_matches_a_minute_by_minute_count(seed):
    rng = np.random.default_rng(seed)
    minutes = int(rng.choice([5, 6, 15, 30, 60]))
    table = {}
    for wd in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
        kind = rng.integers(4)
        a = int(rng.integers(0, 24 * 12)) * 5
        b = (a + int(rng.integers(1, 12 * 12)) * 5)
        table[wd] = ("closed" if kind == 0 else "24h" if kind == 1 and seed % 2 else
                     [f"{a // 60:02d}:{a % 60:02d}", "24:00" if b == 1440 else f"{b % 1440 // 60:02d}:{b % 60:02d}"])
    try:
        parse_opening_hours(table)
    except ValueError:  # a night running into the next day's hours: not a case for the mask
        table = {k: ("closed" if isinstance(v, list) and v[1] < v[0] else v) for k, v in table.items()}
    holidays = {dt.date(2026, 3, 4)}
    ts = pd.date_range("2026-03-02", "2026-03-09 23:59", freq=f"{minutes}min")
    got = open_mask(parse_opening_hours(table), ts, minutes, holidays)
    assert np.array_equal(got, _brute_mask(table, ts, minutes, holidays))


@pytest.mark.parametrize(("table", "needle"), [
    ('mon-fri = ["07:00", "21:00"]\nsat = "closed"', "no hours for sun"),
    ('mon-sun = "24h"\nfri = "closed"', "fri: fri is named twice"),
    ('mon-sun = [["07:00", "12:00"], ["11:00", "13:00"]]', "overlap"),
    ('mon-sun = ["07:00", "25:00"]', "'25:00' is not a time"),
    ('mon-sun = ["07:00", "07:00"]', "opens and closes at 07:00"),
    ('mon-sun = "24h"\nholidays = "maybe"', "holidays: must be"),
    ('mon-sun = "24h"\nfoo = "closed"', "foo: not a weekday"),
    ('mon-sat = ["08:00", "20:00"]\nsun = ["20:00", "09:00"]', "sun: its night runs to 09:00, past mon's opening"),
    ('mon-sun = "24h"\n"2026-12-24..2026-12-20" = "closed"', "ends before it starts"),
    ('mon-sun = "24h"\n"2026-12-24" = "closed"\n"2026-12-23..2026-12-25" = "24h"', "2026-12-24 is named twice"),
    ('mon-sun = ["08:00", "20:00"]\n"2026-12-24" = ["20:00", "09:00"]', "2026-12-25: opens at 08:00, before"),
])
def test_opening_hours_that_contradict_themselves_are_a_config_error(tmp_path, table, needle):
    cfg = tmp_path / "c.toml"
    cfg.write_text(f'[centre]\nfront_line_headcount = 9\n[centre.open]\n{table}\n[[queues]]\nname = "q"\n')
    one_line_exit_2(CliRunner().invoke(app, ["ratio", "--config", str(cfg)]), str(cfg), "centre.open", needle)
