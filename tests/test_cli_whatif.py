"""`wfm whatif` through the CLI: exact output, JSON, sweeps, exit codes and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from whatif.small import small_forecast, small_roster

from tests.whatif.small import SMALL_TOML
from wfm.cli import app
from wfm.io import atomic_write_csv

SURGE_TOML = """\
[[scenario]]
name = "surge"
[[scenario.volume]]
multiplier = 2.0
start = "day 1 10:00"
end = "day 2"
decay_hours = 4
[[scenario.absence]]
share = 0.25
start = "day 2"
[scenario.levers.back_office]
people = 3
hours = ["08:00", "18:00"]
cost_per_hour = 1.2
[scenario.levers.overtime]
max_hours_per_day = 2
cost_per_hour = 1.5
[scenario.levers.agency]
max_agents = 10
cost_per_hour = 3.0
"""

TABLE = """\
What-if, plan 2026-03-02 00:00 to 2026-03-04 00:00

scenario    phase           calls    service_level    asa    abandoned    worst_interval          short    extra_hours    cost
----------  --------------  -------  ---------------  -----  -----------  ----------------------  -------  -------------  ------
baseline                    800      72.1%            20s    103          2026-03-02 12:00 50.9%  12       0.0            0.0
surge       as published    1,120    45.8%            51s    322          2026-03-02 12:00 12.2%  20       0.0            0.0
surge       after recovery  1,120    94.5%            3s     19           2026-03-02 08:00 94.1%  0        92.0           161.4

== surge: recovery optimal, cost 161.4
date        calls    sl_before    sl_after    abandoned_before    abandoned_after    short    back_office_h    overtime_h    agency_h
----------  -------  -----------  ----------  ------------------  -----------------  -------  ---------------  ------------  ----------
2026-03-02  720      46.2%        94.8%       200                 11                 10 -> 0  24.0             12.0          15.0
2026-03-03  400      45.2%        94.1%       121                 8                  10 -> 0  23.0             8.0           10.0

queue    calls    sl_before    sl_after    abandoned_before    abandoned_after
-------  -------  -----------  ----------  ------------------  -----------------
retail   560      44.7%        94.1%       162                 9
cards    560      46.9%        95.0%       159                 9

levers: back office 47.0 h (56.4), overtime 20.0 h (30.0), agency 25.0 h (75.0)
every interval restored to its required agents
ratio with 3 back office on the phones: 10.0:1 (front line 10, back office 1, share 9.1%, ok)
back office: 1.00 h bought could not be given to anyone within the rules and were left out
"""


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "small.toml").write_text(SMALL_TOML)
    (tmp_path / "surge.toml").write_text(SURGE_TOML)
    atomic_write_csv(tmp_path / "forecast.csv", small_forecast())
    small_roster().to_csv(tmp_path / "roster.csv", index=False)
    return tmp_path


def args(d: Path, *extra: str, scenarios: str = "surge.toml") -> list[str]:
    return ["whatif", "--config", str(d / "small.toml"), "--scenarios", str(d / scenarios),
            "--forecast", str(d / "forecast.csv"), "--roster", str(d / "roster.csv"), *extra]


def test_snapshot_table_exact_output(runner, files):
    result = runner.invoke(app, args(files))
    assert result.exit_code == 0, result.output
    assert result.stdout == TABLE


def test_still_short_after_recovery_exits_1(runner, files):
    (files / "thin.toml").write_text(SURGE_TOML.replace("max_agents = 10", "max_agents = 0")
                                     .replace("people = 3", "people = 1"))
    result = runner.invoke(app, args(files, scenarios="thin.toml"))
    assert result.exit_code == 1
    assert "still short after recovery: " in result.stdout
    assert "\nsurge       after recovery  1,120" in result.stdout


def test_quiet_prints_only_the_breaches_on_exit_1(runner, files):
    (files / "thin.toml").write_text(SURGE_TOML.replace("max_agents = 10", "max_agents = 0")
                                     .replace("people = 3", "people = 1"))
    loud = runner.invoke(app, args(files, scenarios="thin.toml"))
    result = runner.invoke(app, args(files, "--quiet", scenarios="thin.toml"))
    assert result.exit_code == 1 and result.stdout == ""
    (line,) = result.stderr.splitlines()  # one line per scenario still short
    spans = loud.stdout.split("still short after recovery: ", 1)[1].splitlines()[0]
    assert line == f"Breached: surge: still short after recovery: {spans}"
    assert line in loud.stderr.splitlines()  # the same line without --quiet
    fine = runner.invoke(app, args(files, "--quiet"))
    assert fine.exit_code == 0 and fine.stdout == "" and fine.stderr == ""


def test_abandoned_is_n_a_and_null_when_no_queue_has_a_patience(runner, files):
    (files / "small.toml").write_text(SMALL_TOML.replace("patience_s = 180\n", ""))
    text = runner.invoke(app, args(files))
    assert text.exit_code == 0, text.output
    lines = text.stdout.splitlines()
    assert lines[4].split()[:6] == ["baseline", "800", "46.0%", "inf", "n/a", "2026-03-02"]
    day = lines[11].split()  # date, calls, sl_before, sl_after, abandoned_before, abandoned_after, short
    assert day[:2] == ["2026-03-02", "720"] and day[4:6] == ["n/a", "n/a"]
    doc = json.loads(runner.invoke(app, args(files, "--json")).stdout)
    (surge,) = doc["scenarios"]
    assert surge["before"]["abandoned"] is None and surge["after"]["abandoned"] is None
    assert [d["abandoned_before"] for d in surge["days"]] == [None, None]


def test_json_and_out(runner, files):
    result = runner.invoke(app, args(files, "--json", "--out", str(files / "whatif.json")))
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc == json.loads((files / "whatif.json").read_text())
    assert doc["plan"] == {"start": "2026-03-02 00:00", "end": "2026-03-04 00:00"}
    (surge,) = doc["scenarios"]
    assert surge["before"]["short_intervals"] == 20 and surge["after"]["short_intervals"] == 0
    rec = surge["recovery"]
    rates = {"back_office": 1.2, "overtime": 1.5, "agency": 3.0}
    assert set(rec["cost_by_lever"]) == set(rates) == set(rec["hours_by_lever"])
    for lever, rate in rates.items():  # cost = hours x the lever's cost per hour
        assert rec["cost_by_lever"][lever] == pytest.approx(rate * rec["hours_by_lever"][lever], abs=0.02)
        assert sum(day[lever] for day in rec["hours"]) == pytest.approx(rec["hours_by_lever"][lever], abs=0.01)
    assert rec["cost"] == pytest.approx(sum(rec["cost_by_lever"].values()), abs=0.01)
    assert [day["date"] for day in rec["hours"]] == ["2026-03-02", "2026-03-03"]
    assert rec["back_office_peak"] == 3 and rec["status"] == "optimal"
    assert surge["still_short"] == [] and doc["breached"] is False
    assert doc["baseline"]["before"] == doc["baseline"]["after"]


def test_ratio_during_redeploy_matches_wfm_ratio_on_changed_headcounts(runner, files):
    doc = json.loads(runner.invoke(app, args(files, "--json")).stdout)
    during = doc["scenarios"][0]["ratio"]
    moved = during["moved_to_phones"]
    assert moved == 3
    # the same centre with 3 second-line people counted as front line: 7 + 3 agents, 4 - 3 back office
    changed = (SMALL_TOML.replace("front_line_headcount = 7", f"front_line_headcount = {7 + moved}")
               .replace('role = "second_line", headcount = 3', 'role = "second_line", headcount = 0'))
    (files / "changed.toml").write_text(changed)
    result = runner.invoke(app, ["ratio", "--config", str(files / "changed.toml"), "--json"])
    assert result.exit_code == 0
    plain = json.loads(result.stdout)
    keys = ["front_line", "back_office", "ratio", "ratio_value", "back_office_share", "status", "band",
            "back_office_target", "back_office_change", "front_line_supported", "centre_headcount",
            "layers_recommended"]
    assert {k: during[k] for k in keys} == {k: plain[k] for k in keys}
    assert during["ratio"] == "10.0:1" and during["status"] == "ok"


def test_snapshot_sweep_table_and_workers_agree(runner, files):
    one = runner.invoke(app, args(files, "--sweep", "volume=1:3:1"))
    two = runner.invoke(app, args(files, "--sweep", "volume=1:3:1", "--workers", "2"))
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout
    assert one.stdout == (
        "What-if sweep over volume, plan 2026-03-02 00:00 to 2026-03-04 00:00\n\n"
        "baseline: service level 72.1%, 12 intervals short\n\n"
        "scenario    volume    sl_before    sl_after    abandoned_before    short_before    short_after    cost\n"
        "----------  --------  -----------  ----------  ------------------  --------------  -------------  ------\n"
        "surge       1         60.6%        94.9%       165                 16              0              94.8\n"
        "surge       2         45.8%        94.5%       322                 20              0              161.4\n"
        "surge       3         28.7%        93.2%       581                 20              0              233.4\n"
    )


@pytest.mark.parametrize(
    ("extra", "scenario_text", "message"),
    [
        ((), '[[scenario]]\nname = "x"\n[[scenario.volume]]\nqueue = "loans"\nmultiplier = 2\nstart = "day 1"\n',
         "Error: {d}/bad.toml: scenario 'x', volume[0].queue: unknown queue 'loans' (the config has: retail, cards)"),
        ((), '[[scenario]]\nname = "x"\n[[scenario.absence]]\nshare = 0.3\nstart = "day 3"\n',
         "Error: {d}/bad.toml: scenario 'x', absence[0].start: 'day 3' (2026-03-04 00:00) is outside "
         "the plan (day 1 to day 2, 2026-03-02 00:00 to 2026-03-04 00:00)"),
        ((), '[[scenario]]\nname = "x"\n[scenario.levers.overtime]\nmax_hours_per_week = -4\n',
         "Error: {d}/bad.toml: field 'scenario['x'].levers.overtime.max_hours_per_week': must be 0 or more, got -4"),
        (("--sweep", "volume=3:1:1"), '[[scenario]]\nname = "x"\n',
         "Error: --sweep: 'volume=3:1:1' needs finite START <= STOP and STEP > 0"),
    ],
)
def test_bad_scenarios_exit_2_with_one_line(runner, files, extra, scenario_text, message):
    (files / "bad.toml").write_text(scenario_text)
    result = runner.invoke(app, args(files, *extra, scenarios="bad.toml"))
    assert result.exit_code == 2
    assert result.stderr == message.format(d=files) + "\n"
    assert result.stdout == ""


def test_bad_inputs_exit_2_with_one_line(runner, files):
    text = (files / "roster.csv").read_text().replace("A,full_time,2026-03-02,day,08:00", "A,full_time,2026-03-02,day,8am", 1)
    (files / "roster.csv").write_text(text)
    result = runner.invoke(app, args(files))
    assert result.exit_code == 2
    assert result.stderr == f"Error: {files}/roster.csv, line 2, field 'start': is not a time: '8am' (expected HH:MM or YYYY-MM-DD HH:MM)\n"
    result = runner.invoke(app, args(files, scenarios="missing.toml"))
    assert result.exit_code == 2
    assert result.stderr == f"Error: {files}/missing.toml: scenario file not found\n"
    lines = (files / "forecast.csv").read_text().splitlines()
    lines[3] = lines[3].replace(",0.0000,", ",-5,")
    (files / "forecast.csv").write_text("\n".join(lines) + "\n")
    (files / "roster.csv").write_text(small_roster().to_csv(index=False))
    result = runner.invoke(app, args(files))
    assert result.exit_code == 2
    assert result.stderr == f"Error: {files}/forecast.csv, line 4, field 'volume': -5 is negative\n"




def test_bad_scenario_fails_before_the_baseline_roster_is_built(runner, tmp_path, monkeypatch):
    root = Path(__file__).resolve().parents[1]
    (tmp_path / "bad.toml").write_text('[[scenario]]\nname = "x"\n[[scenario.aht]]\nmultiplier = 1.2\nstart = "day 8"\n')
    monkeypatch.chdir(root)
    import wfm.roster

    def no_roster(*args, **kwargs):  # the scenario is checked against the forecast's dates first
        raise AssertionError("the roster must not be built for a bad scenario file")

    monkeypatch.setattr(wfm.roster, "roster", no_roster)
    result = runner.invoke(app, ["whatif", "--config", "configs/example.toml", "--scenarios", str(tmp_path / "bad.toml")])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {tmp_path}/bad.toml: scenario 'x', aht[0].start: 'day 8' (2026-12-07 00:00) is outside "
        "the plan (day 1 to day 7, 2026-11-30 00:00 to 2026-12-07 00:00)\n"
    )


def test_intervals_csv_adds_up(runner, files):
    import pandas as pd

    path = files / "intervals.csv"
    result = runner.invoke(app, args(files, "--intervals", str(path), "--quiet"))
    assert result.exit_code == 0 and result.stdout == ""
    frame = pd.read_csv(path)
    assert list(frame.columns) == ["scenario", "phase", "timestamp", "volume", "required_scheduled", "rostered", "service_level",
                                   "asa", "abandoned", "short", "back_office", "overtime", "agency"]
    assert frame.groupby(["scenario", "phase"], dropna=False).size().tolist() == [48, 48, 48]
    before = frame[frame["phase"] == "as published"].reset_index(drop=True)
    after = frame[frame["phase"] == "after recovery"].reset_index(drop=True)
    # back office counts 1/1.3 of an agent (the default handle_time_factor), overtime and agency 1
    added = after["back_office"] / 1.3 + after["overtime"] + after["agency"]
    assert (after["rostered"] - before["rostered"] - added).abs().max() < 1e-3
    assert not after["short"].any() and before["short"].sum() == 20
    assert (before[["back_office", "overtime", "agency"]] == 0).all().all()


def test_start_from_the_history_and_a_bad_start_exit_2_naming_it(runner, files):
    from whatif.test_inputs import _small_history

    hist = _small_history(files / "history.csv")
    base = ["whatif", "--config", str(files / "small.toml"), "--scenarios", str(files / "surge.toml"),
            "--history", str(hist), "--roster-time-limit", "5"]
    bad = runner.invoke(app, [*base, "--start", "2026-13-01"])
    assert bad.exit_code == 2
    assert bad.stderr.strip().splitlines() == [
        "Error: --start: '2026-13-01' is not a date (expected YYYY-MM-DD)"]
    both = runner.invoke(app, args(files, "--start", "2026-03-02"))
    assert both.exit_code == 2 and both.stderr.startswith("Error: --start: only when forecasting from --history")
    ok = runner.invoke(app, [*base, "--start", "2026-01-26", "--method", "week_average", "--json"])
    assert ok.exit_code in (0, 1), ok.output
    doc = json.loads(ok.stdout)
    assert doc["plan"]["start"] == "2026-01-26 00:00"
    assert "forecast: week_average, 7 days from 2026-01-26; models: retail week_average, cards week_average" \
        in doc["notes"]


# --------------------------------------------------------------------------- the recovery by name, options
MONTH_TOML = SURGE_TOML.replace('name = "surge"', 'name = "month"').replace('end = "day 2"', 'end = "day 29"')


@pytest.mark.parametrize(
    ("extra", "scenarios", "message"),
    [
        (("--scenario", "nope"), "surge.toml", "Error: --scenario: {d}/surge.toml has no scenario 'nope' (it has: surge)"),
        (("--weeks", "4"), "surge.toml", "Error: --weeks: only when forecasting from --history; {d}/forecast.csv already "
                                         "gives the plan's days (give a forecast that long, or leave out --forecast)"),
        (("--weeks", "0"), "surge.toml", "Error: --weeks: 0 is not in [1, 6] (see 'wfm whatif --help')"),
        (("--recovery-dir", "{d}/forecast.csv"), "surge.toml", "Error: --recovery-dir: {d}/forecast.csv is a file, not a folder"),
        (("--recovery-dir", "{d}"), "surge.toml", "Error: --scenarios {d}/surge.toml: lies inside --recovery-dir {d}"),
        # a month-long scenario on a two-day plan without --weeks: the file, the scenario and the key
        ((), "month.toml", "Error: {d}/month.toml: scenario 'month', volume[0].end: 'day 29' (2026-03-30 00:00) is "
                           "after the plan's end (day 1 to day 2, 2026-03-02 00:00 to 2026-03-04 00:00); plan 4 weeks: "
                           "--weeks 4 (with --history), or a forecast that long"),
    ],
)
def test_recovery_options_bad_input_exit_2_with_one_line(runner, files, extra, scenarios, message):
    (files / "month.toml").write_text(MONTH_TOML)
    result = runner.invoke(app, args(files, *(e.format(d=files) for e in extra), scenarios=scenarios))
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(message.format(d=files)), lines
    assert result.stdout == ""


def test_recovery_dir_writes_one_set_per_scenario_that_keeps_the_rules(runner, files):
    import datetime as dt

    import pandas as pd
    from whatif.rulecheck import Rules, check

    out = files / "rec"
    result = runner.invoke(app, args(files, "--recovery-dir", str(out)))
    assert result.exit_code == 0, result.output
    assert f"wrote {out / 'surge'}" in result.stderr
    folder = out / "surge"
    assert sorted(p.name for p in folder.iterdir()) == ["recovery.csv", "recovery.manifest.json",
                                                        "roster_after.csv", "roster_before.csv"]
    rec = pd.read_csv(folder / "recovery.csv")
    assert list(rec.columns) == ["person", "date", "lever", "start", "end", "breaks", "hours", "cost"]
    assert set(rec["lever"]) == {"back_office", "overtime", "agency"}
    doc = json.loads(runner.invoke(app, args(files, "--json")).stdout)
    assert doc["scenarios"][0]["recovery"]["cost"] == pytest.approx(rec["cost"].sum(), abs=0.01)
    rules = Rules(plan_start=dt.date(2026, 3, 2), plan_days=2, interval_minutes=60, min_rest_hours=11,
                  overtime_max_hours_per_day=2, overtime_max_hours_per_week=10, back_office_max_hours_per_day=8,
                  back_office_hours=("08:00", "18:00"), costs={"back_office": 1.2, "overtime": 1.5, "agency": 3.0})
    assert check(folder / "roster_before.csv", folder / "roster_after.csv", folder / "recovery.csv", rules) == []
    # the absent of day 2 (25% of seven, round half up: 2) are not in the roster after recovery
    before = pd.read_csv(folder / "roster_before.csv")
    after = pd.read_csv(folder / "roster_after.csv")
    mine = after["contract"] == "full_time"
    assert len(before[before["date"] == "2026-03-03"]) - len(after[mine & (after["date"] == "2026-03-03")]) == 2
