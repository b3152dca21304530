"""Bad input to the roster, ratio, what-if and simulation readers (issue 14): one line naming the file, line and
field (or the scenario and key), exit 2, nothing written; each class with several cases of its own.

Classes: sizes bounded before anything is allocated (staffing, agents.csv, agents per interval, scenario numbers,
shocked calls, horizons); integer casts range-checked first; one roster row per agent and date; scenario times;
scenario fields inside the plan; a roster and a forecast that share no date; every message names its file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner
from whatif.small import small_forecast, small_roster

from tests.bad_input import one_line_exit_2
from tests.whatif.small import SMALL_TOML
from wfm.cli import app
from wfm.io import atomic_write_csv
from wfm.roster.readers import read_staffing

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "configs" / "example.toml"


NO_SHOCK = '[[scenario]]\nname = "s"\n'

# four roster.csv rows of the example centre (shift templates and breaks as `wfm roster` writes them)
ROSTER_ROWS = [
    "A0001,full_time,2026-11-30,day,06:00,15:00,07:30-07:45;09:00-10:00;13:15-13:30",
    "A0001,full_time,2026-12-01,day,06:30,15:30,08:30-08:45;11:00-12:00;13:15-13:30",
    "A0002,full_time,2026-11-30,day,07:00,16:00,08:30-08:45;10:00-11:00;14:15-14:30",
    "A0002,full_time,2026-12-01,day,07:00,16:00,08:30-08:45;10:00-11:00;14:15-14:30",
]
ROSTER_HEADER = "agent_id,contract,date,shift,start,end,breaks"


def _invoke(*args: str):
    return CliRunner().invoke(app, [str(a) for a in args])


# --------------------------------------------------------------------------- files
def staffing_csv(path: Path, days: int = 1, change: dict | None = None, stamps: list[str] | None = None) -> Path:
    """A staffing CSV of the example centre: every 15 minutes of ``days`` days for its three queues, 3 scheduled
    agents each; ``change`` = {(row, column): cell} (row 0 = the first data row, line 2)."""
    ts = stamps or [f"{t:%Y-%m-%d %H:%M}" for t in pd.date_range("2026-11-30", periods=96 * days, freq="15min")]
    rows = [[t, q, "10", "300", "2", "1.8", "3"] for t in ts for q in ("retail", "business", "cards")]
    for (i, col), cell in (change or {}).items():
        rows[i][["timestamp", "queue", "volume", "aht", "agents", "fractional_agents", "scheduled"].index(col)] = cell
    path.write_text("timestamp,queue,volume,aht,agents,fractional_agents,scheduled\n"
                    + "".join(",".join(r) + "\n" for r in rows))
    return path


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """The small what-if centre (hourly, two days, seven agents) with a shock-free scenario file."""
    (tmp_path / "small.toml").write_text(SMALL_TOML)
    (tmp_path / "none.toml").write_text(NO_SHOCK)
    atomic_write_csv(tmp_path / "forecast.csv", small_forecast())
    small_roster().to_csv(tmp_path / "roster.csv", index=False)
    return tmp_path


def whatif(d: Path, scenarios: str = "none.toml", roster: str = "roster.csv", forecast: str = "forecast.csv",
           *extra: str):
    return _invoke("whatif", "--config", d / "small.toml", "--scenarios", d / scenarios, "--roster", d / roster,
                   "--forecast", d / forecast, "--time-limit", "5", *extra)


def simulate(d: Path, roster: str = "roster.csv", forecast: str = "forecast.csv", *extra: str):
    return _invoke("simulate", d / roster, "--forecast", d / forecast, "--config", d / "small.toml",
                   "--replications", "1", *extra)


def scenario(d: Path, body: str, name: str = "s.toml") -> str:
    (d / name).write_text(NO_SHOCK + body)
    return name


def edit_csv(src: Path, dst: Path, fn) -> Path:
    lines = src.read_text().splitlines()
    dst.write_text("\n".join(fn(lines)) + "\n")
    return dst


# =========================================================================== 1. sizes bounded first
@pytest.mark.parametrize(("row", "column", "cell", "limit"), [
    (5, "scheduled", "100000", "5,000"),  # asked for a 74.7 GiB matrix when naming the agents
    (0, "scheduled", "5001", "5,000"),
    (7, "agents", "1e9", "5,000"),
    (2, "fractional_agents", "1e300", "5,000"),
    (3, "volume", "2e6", "1,000,000"),
    (4, "aht", "1e300", "86,400"),
])
def test_a_staffing_row_above_what_a_roster_sizes_is_refused_at_its_line(tmp_path, row, column, cell, limit):
    st = staffing_csv(tmp_path / "staffing.csv", change={(row, column): cell})
    out = tmp_path / "out" / "roster.csv"
    res = _invoke("roster", st, "--config", CONFIG, "--out", out)
    one_line_exit_2(res, f"{st}, line {row + 2}, field '{column}'", cell, limit)
    assert not out.parent.exists()


@pytest.mark.parametrize("each", ["1700", "2000", "4999"])
def test_queues_summing_above_the_limit_in_one_interval_are_refused(tmp_path, each):
    change = {(3 + k, "scheduled"): each for k in range(3)}  # the three queues of 00:15
    st = staffing_csv(tmp_path / "staffing.csv", change=change)
    res = _invoke("roster", st, "--config", CONFIG)
    one_line_exit_2(res, f"{st}, line 5, field 'scheduled'", "2026-11-30 00:15", f"{3 * int(each):,}", "5,000")


def test_agents_csv_with_more_agents_than_a_roster_names_is_refused(tmp_path):
    st = staffing_csv(tmp_path / "staffing.csv", days=7)
    agents = tmp_path / "agents.csv"
    agents.write_text("agent_id,contract\n" + "".join(f"A{i},full_time\n" for i in range(20_001)))
    res = _invoke("roster", st, "--config", CONFIG, "--agents", agents)
    one_line_exit_2(res, f"{agents}, line 20002", "20,000 agents")


@pytest.mark.parametrize(("body", "key", "limit"), [
    ("[[scenario.volume]]\nmultiplier = 1e308\nstart = \"day 1\"\n", "volume[0].multiplier", "1,000 or less"),
    ("[[scenario.volume]]\nmultiplier = 1001\nstart = \"day 1\"\n", "volume[0].multiplier", "1,000 or less"),
    ("[[scenario.volume]]\nadded_calls = 1e7\nstart = \"day 1\"\n", "volume[0].added_calls", "1,000,000 or less"),
    ("[[scenario.aht]]\nmultiplier = 1e308\nstart = \"day 1\"\n", "aht[0].multiplier", "1,000 or less"),
    ("[[scenario.volume]]\nmultiplier = inf\nstart = \"day 1\"\n", "volume[0].multiplier", "finite"),
    ("[[scenario.volume]]\nmultiplier = nan\nstart = \"day 1\"\n", "volume[0].multiplier", "finite"),
    ("[scenario.levers.overtime]\nmax_hours_per_day = 1e9\n", "levers.overtime.max_hours_per_day", "24 or less"),
    ("[scenario.levers.overtime]\nmax_hours_per_week = 1e9\n", "levers.overtime.max_hours_per_week", "168 or less"),
    ("[scenario.levers.back_office]\nmax_hours_per_day = 25\n", "levers.back_office.max_hours_per_day",
     "24 or less"),
    ("[scenario.levers.agency]\nmax_agents = 1000000000\n", "levers.agency.max_agents", "100,000 or less"),
    ("[scenario.levers.back_office]\npeople = 1000000000\n", "levers.back_office.people", "100,000 or less"),
    ("[[scenario.capacity]]\nseats = 100000000000000000000000000000\nstart = \"day 1\"\n", "capacity[0].seats",
     "100,000 or less"),
    ("[scenario.levers.agency]\ncost_per_hour = 1e300\n", "levers.agency.cost_per_hour", "1,000,000 or less"),
    ("[scenario.levers.agency]\nhandle_time_factor = 1e308\n", "levers.agency.handle_time_factor", "100 or less"),
    ("[scenario.levers.reoptimise]\ntime_limit_s = 1e300\n", "levers.reoptimise.time_limit_s", "86,400 or less"),
])
def test_a_scenario_number_beyond_its_range_names_file_scenario_and_key(small, body, key, limit):
    res = whatif(small, scenario(small, body), "roster.csv", "forecast.csv", "--out", str(small / "o.json"))
    one_line_exit_2(res, f"{small / 's.toml'}: field 'scenario['s'].{key}'", limit)
    assert not (small / "o.json").exists()


@pytest.mark.parametrize("body", [
    "[[scenario.volume]]\nmultiplier = 1000\nstart = \"day 1\"\n[[scenario.volume]]\nmultiplier = 1000\n"
    "start = \"day 1\"\n",
    "[[scenario.volume]]\nadded_calls = 999999\nstart = \"day 1 09:00\"\n[[scenario.volume]]\nadded_calls = 999999\n"
    "start = \"day 1 08:00\"\n",
    "[[scenario.volume]]\nadded_calls = 1000000\nstart = \"day 2\"\nqueue = \"cards\"\n",
])
def test_shocks_that_take_an_interval_above_a_million_calls_are_refused_before_sizing(small, body):
    res = whatif(small, scenario(small, body))
    one_line_exit_2(res, f"{small / 's.toml'}: scenario 's', volume: the shocks take queue", "1,000,000 per interval")


@pytest.mark.parametrize(("sweep", "needle"), [("volume=1e308", "volume must be 0 to 1,000"),
                                               ("aht=2000", "aht must be above 0, at most 1,000"),
                                               ("volume=1:3000:1000", "volume must be 0 to 1,000")])
def test_a_sweep_beyond_the_multiplier_range_is_an_option_error(small, sweep, needle):
    res = whatif(small, "none.toml", "roster.csv", "forecast.csv", "--sweep", sweep)
    one_line_exit_2(res, "--sweep", needle)


def test_a_sweep_that_takes_calls_above_a_million_names_the_sweep_value(small):
    big = small_forecast(calls=5000.0)
    atomic_write_csv(small / "big.csv", big)
    res = whatif(small, "none.toml", "roster.csv", "big.csv", "--sweep", "volume=1,500")
    one_line_exit_2(res, str(small / "none.toml"), "1,000,000 per interval", "(--sweep volume=500)")


@pytest.mark.parametrize("last", ["2027-03-03 00:00", "2100-01-01 00:00", "2199-12-31 23:00"])
@pytest.mark.parametrize("command", ["whatif", "simulate"])
def test_a_forecast_over_more_than_366_days_is_refused_before_its_grid_is_built(small, last, command):
    fc = edit_csv(small / "forecast.csv", small / "long.csv", lambda ls: [*ls, f"{last},retail,1.0,300"])
    line = len(fc.read_text().splitlines())
    res = whatif(small, forecast="long.csv") if command == "whatif" else simulate(small, forecast="long.csv")
    one_line_exit_2(res, f"{fc}, line {line}, field 'timestamp'", "at most 366 days")


@pytest.mark.parametrize("calls", ["1000000", "999999.5", "910000"])
def test_a_simulation_of_more_than_ten_million_calls_is_refused(small, calls):
    fc = edit_csv(small / "forecast.csv", small / "busy.csv",
                  lambda ls: [ls[0]] + [",".join([*r.split(",")[:2], calls, *r.split(",")[3:]]) for r in ls[1:12]])
    res = simulate(small, forecast="busy.csv")
    one_line_exit_2(res, str(fc), "at most 10,000,000 per replication")


# =========================================================================== 2. integer casts range-checked first
@pytest.mark.parametrize("cell", ["1e20", "9.3e18", "1e300"])
def test_scheduled_too_large_for_an_integer_is_an_error_not_a_negative_requirement(tmp_path, cell):
    st = staffing_csv(tmp_path / "staffing.csv", change={(4, "scheduled"): cell})
    res = _invoke("roster", st, "--config", CONFIG, "--out", tmp_path / "roster.csv")
    one_line_exit_2(res, f"{st}, line 6, field 'scheduled'", "5,000")
    assert not (tmp_path / "coverage.csv").exists()
    with pytest.raises(Exception, match="5,000"):
        read_staffing(st)


@pytest.mark.parametrize("cell", ["1e20", "9223372036854775808", "5001"])
def test_agents_per_interval_too_large_for_an_integer_are_refused(small, cell):
    ts = pd.date_range("2026-03-02", periods=48, freq="60min")
    cells = ["3"] * 48
    cells[5] = cell
    (small / "agents.csv").write_text("timestamp,agents\n" + "".join(f"{t:%Y-%m-%d %H:%M},{c}\n"
                                                                      for t, c in zip(ts, cells, strict=True)))
    res = simulate(small, roster="agents.csv")
    one_line_exit_2(res, f"{small / 'agents.csv'}, line 7, field 'agents'", "5,000")


def test_a_huge_required_from_pooled_sizing_is_refused_naming_the_staffing_file(tmp_path):
    st = staffing_csv(tmp_path / "staffing.csv", days=7, change={(6, "aht"): "86400", (6, "volume"): "900000"})
    res = _invoke("roster", st, "--config", CONFIG)
    one_line_exit_2(res, str(st), "scheduled agents at 2026-11-30 00:30", "5,000 per interval")


# =========================================================================== 3. one roster row per agent and date
def _roster(path: Path, rows: list[str]) -> Path:
    path.write_text(ROSTER_HEADER + "\n" + "\n".join(rows) + "\n")
    return path


@pytest.mark.parametrize(("rows", "line", "first"), [
    ([r for r in ROSTER_ROWS for _ in (0, 1)], 3, 2),  # every row duplicated (doubled the FTE front line)
    ([*ROSTER_ROWS, ROSTER_ROWS[2]], 6, 4),
    ([*ROSTER_ROWS, "A0001,full_time,2026-12-01,day,16:00,22:00,"], 6, 3),  # a second shift the same day
    ([*ROSTER_ROWS[:2], " A0001 ,full_time,2026-11-30,day,18:00,23:00,"], 4, 2),
])
def test_ratio_refuses_a_second_row_for_an_agent_and_date_naming_both_lines(tmp_path, rows, line, first):
    ro = _roster(tmp_path / "roster.csv", rows)
    res = _invoke("ratio", "--config", CONFIG, "--roster", ro, "--basis", "fte")
    one_line_exit_2(res, f"{ro}, line {line}, field 'date'", "already has a row on", f"(line {first})")


@pytest.mark.parametrize("command", ["whatif", "simulate"])
def test_whatif_and_simulate_refuse_duplicate_agent_days_too(small, command):
    ro = edit_csv(small / "roster.csv", small / "dup.csv", lambda ls: [*ls, ls[1]])
    res = whatif(small, roster="dup.csv") if command == "whatif" else simulate(small, roster="dup.csv")
    one_line_exit_2(res, f"{ro}, line {len(ro.read_text().splitlines())}, field 'date'", "line 2")


@pytest.mark.parametrize(("row", "field"), [
    ("A0003,full_time,2300-01-01,day,06:00,15:00,", "date"),
    ("A0003,full_time,1850-06-01,day,06:00,15:00,", "date"),
    ("A0003,full_time,9999-12-31,day,06:00,15:00,", "date"),  # wrapped into 1816 in nanoseconds
    ("A0003,full_time,2026-11-30,day,06:00,9999-01-01 06:00,", "end"),
    ("A0003,full_time,2026-11-30,day,2262-05-01 06:00,15:00,", "start"),
])
def test_roster_dates_outside_wfm_range_are_refused(tmp_path, row, field):
    ro = _roster(tmp_path / "roster.csv", [*ROSTER_ROWS, row])
    res = _invoke("ratio", "--config", CONFIG, "--roster", ro)
    one_line_exit_2(res, f"{ro}, line 6, field '{field}'", "outside the dates wfm plans (1900-01-01 to 2199-12-31)")


@pytest.mark.parametrize(("start", "end"), [("2026-11-30 06:00", "2026-12-02 06:00"), ("06:00", "2027-01-01 06:00")])
def test_a_roster_row_longer_than_a_day_is_refused(tmp_path, start, end):
    ro = _roster(tmp_path / "roster.csv", [*ROSTER_ROWS, f"A0003,full_time,2026-11-30,day,{start},{end},"])
    res = _invoke("ratio", "--config", CONFIG, "--roster", ro)
    one_line_exit_2(res, f"{ro}, line 6, field 'end'", "more than 24 hours after the start")


# =========================================================================== 4. scenario times
@pytest.mark.parametrize(("when", "needle"), [
    ("day 2 25:00", "'25:00' is not a time HH:MM"),
    ("day 2 23:99", "'23:99' is not a time HH:MM"),
    ("day 1 24:01", "'24:01' is not a time HH:MM"),
    ("2026-03-02 25:00", "'25:00' is not a time HH:MM"),
    ("2026-03-02 7:60", "'7:60' is not a time HH:MM"),
    ("2026-13-01", "'2026-13-01' is not a date"),
    ("day 0", "days count from day 1"),
    ("day 99999999999999999999", "days count from day 1"),
    ("tomorrow", "must be 'day N'"),
    ("2026", "must be 'day N'"),
])
@pytest.mark.parametrize("key", ["start", "end"])
def test_a_scenario_time_that_is_not_a_time_names_scenario_and_key(small, when, needle, key):
    other = "start = \"day 1\"\n" if key == "end" else ""
    name = scenario(small, f"[[scenario.absence]]\nshare = 0.1\n{other}{key} = \"{when}\"\n")
    res = whatif(small, name)
    one_line_exit_2(res, f"{small / name}: field 'scenario['s'].absence[0].{key}'", needle)


@pytest.mark.parametrize(("start", "end", "key", "when"), [
    ("day 3", None, "start", "2026-03-04 00:00"),
    ("day 9", "day 10", "start", "2026-03-10 00:00"),
    ("day 2 12:00", None, "end", "2026-03-04 12:00"),
    ("day 1", "day 3 01:00", "end", "2026-03-04 01:00"),
    ("2026-03-01 23:00", "day 1 02:00", "start", "2026-03-01 23:00"),
])
def test_a_window_outside_the_horizon_names_the_key_and_the_plan_days(small, start, end, key, when):
    body = f"[[scenario.volume]]\nmultiplier = 2\nstart = \"{start}\"\n" + (f"end = \"{end}\"\n" if end else "")
    name = scenario(small, body)
    res = whatif(small, name)
    one_line_exit_2(res, f"{small / name}: scenario 's', volume[0].{key}:", when,
                     "(day 1 to day 2, 2026-03-02 00:00 to 2026-03-04 00:00)")


def test_day_n_24_00_is_the_end_of_that_day(small):
    name = scenario(small, "[[scenario.absence]]\nshare = 0.1\nstart = \"day 1\"\nend = \"day 2 24:00\"\n")
    res = whatif(small, name)
    assert res.exit_code in (0, 1), res.stderr


# =========================================================================== 5. lever fields inside the plan
@pytest.mark.parametrize("day", [3, 99, 366])
def test_reoptimise_from_day_past_the_plan_is_a_config_error(small, day):
    name = scenario(small, f"[scenario.levers.reoptimise]\nfrom_day = {day}\n")
    res = whatif(small, name)
    one_line_exit_2(res, f"{small / name}: scenario 's', levers.reoptimise.from_day: {day} is outside the plan",
                     "day 1 to day 2")


@pytest.mark.parametrize(("day", "needle"), [(0, "1 or more"), (367, "366 or less"), (10**20, "366 or less")])
def test_reoptimise_from_day_out_of_any_range_is_a_shape_error(small, day, needle):
    name = scenario(small, f"[scenario.levers.reoptimise]\nfrom_day = {day}\n")
    res = whatif(small, name)
    one_line_exit_2(res, f"{small / name}: field 'scenario['s'].levers.reoptimise.from_day'", needle)


def test_rest_days_for_a_contract_no_shift_serves_is_a_config_error(small):
    (small / "small.toml").write_text(SMALL_TOML.replace(
        '[[shifts]]', '[[contracts]]\nname = "weekend"\ndays_per_week = [1, 2]\npaid_hours_per_week = [8, 16]\n\n'
        '[[shifts]]'))
    name = scenario(small, "[scenario.levers.rest_days]\ncontract = \"weekend\"\n")
    res = whatif(small, name)
    one_line_exit_2(res, f"{small / name}: scenario 's', levers.rest_days.contract", "'weekend'")


# =========================================================================== 6. roster and forecast dates
def _shift_dates(days: int):
    def fn(lines: list[str]) -> list[str]:
        out = [lines[0]]
        for line in lines[1:]:
            r = line.split(",")
            r[2] = (pd.Timestamp(r[2]) + pd.Timedelta(days=days)).strftime("%Y-%m-%d")
            out.append(",".join(r))
        return out
    return fn


@pytest.mark.parametrize("days", [364, -30, 2])
@pytest.mark.parametrize("command", ["whatif", "simulate"])
def test_a_roster_sharing_no_date_with_the_forecast_is_refused_naming_both(small, days, command):
    ro = edit_csv(small / "roster.csv", small / "far.csv", _shift_dates(days))
    res = whatif(small, roster="far.csv") if command == "whatif" else simulate(small, roster="far.csv")
    first = pd.Timestamp("2026-03-02") + pd.Timedelta(days=days)
    one_line_exit_2(res, f"{ro} ({first:%Y-%m-%d} to", f"{small / 'forecast.csv'} (2026-03-02 to 2026-03-03)",
                     "no date in common")


@pytest.mark.parametrize("command", ["whatif", "simulate"])
def test_a_forecast_day_with_calls_and_no_roster_row_is_a_note(small, command):
    edit_csv(small / "roster.csv", small / "day1.csv", lambda ls: [ls[0]] + [x for x in ls[1:] if "2026-03-02" in x])
    res = whatif(small, roster="day1.csv") if command == "whatif" else simulate(small, roster="day1.csv")
    assert res.exit_code in (0, 1), res.stderr
    assert (f"note: {small / 'day1.csv'} has no shifts on 1 day with calls in {small / 'forecast.csv'} (2026-03-03)"
            in res.stderr)


def test_whatif_leaves_out_roster_rows_dated_outside_the_forecast_with_a_note(small):
    two = small_roster()
    later = [two.assign(date=(pd.to_datetime(two["date"]) + pd.Timedelta(days=k)).dt.strftime("%Y-%m-%d"))
             for k in (2, 4)]  # days 3 to 6, after the plan: they used to wrap onto days 1 and 2
    pd.concat([two, *later], ignore_index=True).to_csv(small / "week.csv", index=False)
    res = whatif(small, roster="week.csv")
    base = whatif(small)
    assert res.exit_code == base.exit_code and res.stdout == base.stdout  # the days after the plan no longer wrap
    assert f"note: {small / 'week.csv'}: 26 rows dated outside the days of {small / 'forecast.csv'}" in res.stderr


# =========================================================================== 7. messages name the file
@pytest.mark.parametrize(("stamps", "line", "needle"), [
    (["2026-11-30 00:07"], 2, "2026-11-30 00:07 is not on the 15-minute grid"),
    (["2026-11-30 00:00", "2026-11-30 00:15", "2026-11-30 10:10"], 8, "10:10 is not on the 15-minute grid"),
    (["2026-11-30 00:00:30"], 2, "is not on the 15-minute grid"),
])
def test_a_staffing_interval_off_the_grid_names_its_line(tmp_path, stamps, line, needle):
    st = staffing_csv(tmp_path / "staffing.csv", stamps=stamps)
    res = _invoke("roster", st, "--config", CONFIG)
    one_line_exit_2(res, f"{st}, line {line}, field 'timestamp'", needle)


@pytest.mark.parametrize(("stamps", "needle"), [
    (["2026-11-30 00:00", "2026-11-30 01:00"], "60 minutes apart"),
    (["2026-11-30 00:00", "2026-11-30 00:30", "2026-11-30 01:00"], "30 minutes apart"),
])
def test_staffing_on_a_coarser_grid_names_the_file(tmp_path, stamps, needle):
    st = staffing_csv(tmp_path / "staffing.csv", stamps=stamps)
    res = _invoke("roster", st, "--config", CONFIG)
    one_line_exit_2(res, str(st), needle, "the planning grid is 15 minutes")


@pytest.mark.parametrize(("weeks", "days"), [("1", 1), ("2", 6), ("1", 3)])
def test_staffing_too_short_for_the_roster_names_the_file(tmp_path, weeks, days):
    st = staffing_csv(tmp_path / "staffing.csv", days=days)
    res = _invoke("roster", st, "--config", CONFIG, "--weeks", weeks)
    one_line_exit_2(res, f"{st}: has no interval", f"for a {weeks}-week roster")


@pytest.mark.parametrize("command", ["roster", "whatif", "simulate"])
def test_a_file_with_a_header_and_no_rows_names_the_file(small, tmp_path, command):
    if command == "roster":
        st = tmp_path / "staffing.csv"
        st.write_text("timestamp,queue,volume,aht,agents,scheduled\n")
        res, path = _invoke("roster", st, "--config", CONFIG), st
    else:
        (small / "empty.csv").write_text(ROSTER_HEADER + "\n")
        res = whatif(small, roster="empty.csv") if command == "whatif" else simulate(small, roster="empty.csv")
        path = small / "empty.csv"
    one_line_exit_2(res, f"{path}: no data rows")


@pytest.mark.parametrize("stamp", ["2026-03-02 00:07", "2026-03-03 12:30", "2026-03-02 05:59"])
@pytest.mark.parametrize("command", ["whatif", "simulate"])
def test_a_forecast_interval_off_the_grid_names_file_and_line(small, stamp, command):
    fc = edit_csv(small / "forecast.csv", small / "odd.csv", lambda ls: [*ls[:4], f"{stamp},cards,1.0,240", *ls[4:]])
    res = whatif(small, forecast="odd.csv") if command == "whatif" else simulate(small, forecast="odd.csv")
    one_line_exit_2(res, f"{fc}, line 5, field 'timestamp'", f"{stamp} is not on the 60-minute grid")


@pytest.mark.parametrize(("row", "cell", "needle"), [(3, "zzz", "unknown queue 'zzz'"),
                                                     (7, "", "is blank")])
def test_a_whatif_forecast_with_a_bad_queue_names_its_line(small, row, cell, needle):
    def fn(lines: list[str]) -> list[str]:
        r = lines[row].split(",")
        r[1] = cell
        return [*lines[:row], ",".join(r), *lines[row + 1:]]

    fc = edit_csv(small / "forecast.csv", small / "q.csv", fn)
    res = whatif(small, forecast="q.csv")
    one_line_exit_2(res, f"{fc}, line {row + 1}, field 'queue'", needle)


def test_good_inputs_still_read_the_same(small):
    st = read_staffing(staffing_csv(small / "staffing.csv", days=2))
    assert len(st) == 2 * 96 * 3 and st.attrs["source"] == str(small / "staffing.csv")
    assert st["scheduled"].dtype == np.int64 and (st["scheduled"] == 3).all()
