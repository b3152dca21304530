"""`wfm ratio` through the CLI: exit codes, exact output, --json, roster front line, error lines."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wfm.cli import app

QUEUE = '[[queues]]\nname = "q"\n'


def write_config(path: Path, centre: str = "", back_office: str | None = None, extra: str = "") -> Path:
    text = f'[centre]\nname = "Test Centre"\n{centre}\n{QUEUE}{extra}'
    if back_office is not None:
        text += f"\n[back_office]\nroles = [ {back_office} ]\n"
    path.write_text(text)
    return path


def back_office(headcount: int | str) -> str:
    """One back-office role of ``headcount`` people."""
    return f'{{ role = "team_leaders", headcount = {headcount} }}'


def run(args: list[str]):
    return CliRunner().invoke(app, ["ratio", *args])


# --------------------------------------------------------------------------- the example config
EXAMPLE_OUTPUT = """\
Front-line : back-office ratio, Example Care Centre (headcount basis, front line from the config)

measure               value
--------------------  -------------------------------------------
front_line            207
back_office           24
ratio                 8.6:1
back_office_share     10.4%
target                9:1 (share 10.0% +- 1 point: 9.0% to 11.0%)
status                ok
back_office_change    -1 (target 23.0)
front_line_supported  216 (+9 vs now)
layers_recommended    3 for 231 people (config declares 3)

Within the band. To hit 9:1: release 1 back-office people (9:1 needs 23.0 for 207 front line); or, the other way round, the current back office supports 216 front-line agents.
"""


def test_example_config_exact_output(example_config):
    result = run(["--config", str(example_config)])
    assert result.exit_code == 0, result.output
    assert result.stdout == EXAMPLE_OUTPUT
    assert result.stderr == ""


def test_example_config_json_keys(example_config):
    result = run(["--config", str(example_config), "--json"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    for key in (
        "front_line",
        "back_office",
        "ratio",
        "back_office_share",
        "target",
        "status",
        "back_office_change",
        "layers_recommended",
    ):
        assert key in doc
    assert doc["front_line"] == 207 and doc["back_office"] == 24
    assert isinstance(doc["front_line"], int) and isinstance(doc["back_office_change"], int)  # people
    assert doc["ratio"] == "8.6:1" and doc["ratio_value"] == 8.625  # 207 / 24
    assert doc["back_office_share"] == 0.1039  # 24 / 231
    assert doc["target"] == "9:1" and doc["band"] == [0.09, 0.11]
    assert doc["status"] == "ok" and doc["back_office_change"] == -1  # 9:1 needs 23.0 for 207
    assert doc["front_line_supported"] == 216 and doc["layers_recommended"] == 3  # 24 x 9


# --------------------------------------------------------------------------- band and exit codes
@pytest.mark.parametrize(
    ("back", "status", "code", "change"),
    [
        (20, "ok", 0, 0),  # exactly 9:1
        (22, "ok", 0, -2),  # 10.78%: inside the band
        (23, "back_office_heavy", 1, -3),  # one more: 11.33%, beyond 11%
        (18, "ok", 0, 2),  # 9.09%: inside
        (17, "back_office_light", 1, 3),  # one fewer: 8.63%, below 9%
    ],
)
def test_one_person_beyond_the_band_flips_status_and_exit_code(tmp_path, back, status, code, change):
    cfg = write_config(tmp_path / "c.toml", "front_line_headcount = 180", back_office(back))
    result = run(["--config", str(cfg), "--json"])
    assert result.exit_code == code, result.output
    doc = json.loads(result.stdout)
    assert (doc["status"], doc["back_office_change"]) == (status, change)
    assert doc["ratio"] == f"{180 / back:.1f}:1"


def test_heavy_exact_output(tmp_path):
    cfg = write_config(tmp_path / "c.toml", "front_line_headcount = 180", back_office(23))
    result = run(["--config", str(cfg)])
    assert result.exit_code == 1
    assert result.stdout == (
        "Front-line : back-office ratio, Test Centre (headcount basis, front line from the config)\n"
        "\n"
        "measure               value\n"
        "--------------------  -------------------------------------------\n"
        "front_line            180\n"
        "back_office           23\n"
        "ratio                 7.8:1\n"
        "back_office_share     11.3%\n"
        "target                9:1 (share 10.0% +- 1 point: 9.0% to 11.0%)\n"
        "status                back_office_heavy\n"
        "back_office_change    -3 (target 20.0)\n"
        "front_line_supported  207 (+27 vs now)\n"
        "layers_recommended    3 for 203 people\n"
        "\n"
        "Back office too heavy for the front line. To hit 9:1: release 3 back-office people "
        "(9:1 needs 20.0 for 180 front line); or, the other way round, the current back office "
        "supports 207 front-line agents.\n"
    )


def test_new_centre_85_15(tmp_path):
    cfg = write_config(tmp_path / "c.toml", 'maturity = "new"\nfront_line_headcount = 170', back_office(30))
    result = run(["--config", str(cfg), "--json"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert (doc["target"], doc["target_share"], doc["status"]) == ("85:15", 0.15, "ok")


# --------------------------------------------------------------------------- FTE basis
PART_TIMERS = (
    '{ role = "team_leaders", headcount = 12 }, '
    '{ role = "quality_and_training", headcount = 8, fte = 4.0 }, '
    '{ role = "planning", headcount = 4 }'
)


def test_fte_basis_with_part_timers(tmp_path):
    cfg = write_config(tmp_path / "c.toml", "front_line_headcount = 190\nfront_line_fte = 180.0", PART_TIMERS)
    head = run(["--config", str(cfg), "--json"])
    assert head.exit_code == 1
    doc = json.loads(head.stdout)
    assert (doc["front_line"], doc["back_office"], doc["status"]) == (190, 24, "back_office_heavy")
    fte = run(["--config", str(cfg), "--basis", "fte", "--json"])
    assert fte.exit_code == 0, fte.output
    doc = json.loads(fte.stdout)
    assert (doc["basis"], doc["front_line"], doc["back_office"]) == ("fte", 180.0, 20.0)
    assert (doc["ratio"], doc["back_office_share"], doc["status"]) == ("9.0:1", 0.1, "ok")


def test_bad_basis_is_a_usage_error(example_config):
    result = run(["--config", str(example_config), "--basis", "people"])
    assert result.exit_code == 2
    assert result.stderr == "Error: --basis: people is not one of 'headcount', 'fte' (see 'wfm ratio --help')\n"


# --------------------------------------------------------------------------- roster-derived front line
ROSTER_EXTRA = """
[[contracts]]
name = "full_time"
paid_hours_per_week = [40, 40]
[[contracts]]
name = "part_time"
days_per_week = [3, 5]
paid_hours_per_week = [16, 24]

[[shifts]]
name = "day"
contracts = ["full_time"]
start = ["06:00", "14:00"]
length_minutes = 540
breaks = [ { minutes = 60, paid = false, window = ["03:00", "05:30"] },
           { minutes = 15, paid = true, window = ["01:30", "02:30"] } ]
[[shifts]]
name = "night"
contracts = ["full_time"]
start = ["21:00", "23:00"]
length_minutes = 540
breaks = [ { minutes = 60, paid = false, window = ["03:30", "05:30"] } ]
[[shifts]]
name = "part"
contracts = ["part_time"]
start = ["07:00", "18:00"]
length_minutes = 300
breaks = [ { minutes = 15, paid = true, window = ["02:00", "03:00"] } ]
"""


def write_roster(path: Path) -> Path:
    """roster.csv in the documented format: 9 full-timers (40 paid h/week; F09 on nights across midnight)
    for two weeks, two part-timers (4 x 5 paid h = 0.5 FTE) in week 1 only."""
    lines = ["agent_id,contract,date,shift,start,end,breaks"]
    first = date(2026, 3, 2)
    for week in range(2):
        for d in range(5):
            day = (first + timedelta(days=7 * week + d)).isoformat()
            for a in range(1, 9):
                lines.append(f"F{a:02d},full_time,{day},day,08:00,17:00,10:00-10:15;12:00-13:00")
            lines.append(f"F09,full_time,{day},night,22:00,07:00,23:30-23:45;02:00-03:00")
            if week == 0 and d < 4:
                lines += [f"P0{p},part_time,{day},part,18:00,23:00,20:00-20:15" for p in (1, 2)]
    path.write_text("\n".join(lines) + "\n")
    return path


ROSTER_HEADCOUNT_OUTPUT = """\
Front-line : back-office ratio, Test Centre (headcount basis, front line from the roster)

measure               value
--------------------  -------------------------------------------
front_line            11
back_office           1
ratio                 11.0:1
back_office_share     8.3%
target                9:1 (share 10.0% +- 1 point: 9.0% to 11.0%)
status                back_office_light
back_office_change    0 (target 1.2)
front_line_supported  9 (-2 vs now)
layers_recommended    3 for 12 people

Back office too light for the front line. To hit 9:1: no back-office change is nearer in whole people (9:1 needs 1.2 for 11 front line); or, the other way round, the current back office supports 9 front-line agents.

week    week_start    front_line    back_office    ratio    back_office_share    status             back_office_change
------  ------------  ------------  -------------  -------  -------------------  -----------------  --------------------
1       2026-03-02    11            1              11.0:1   8.3%                 back_office_light  0
2       2026-03-09    9             1              9.0:1    10.0%                ok                 0
"""


def test_roster_derived_front_line_per_week(tmp_path):
    cfg = write_config(tmp_path / "c.toml", "", back_office(1), ROSTER_EXTRA)
    roster = write_roster(tmp_path / "roster.csv")
    head = run(["--config", str(cfg), "--roster", str(roster)])
    assert head.exit_code == 1, head.output
    assert head.stdout == ROSTER_HEADCOUNT_OUTPUT
    fte = run(["--config", str(cfg), "--roster", str(roster), "--basis", "fte", "--json"])
    assert fte.exit_code == 0, fte.output
    doc = json.loads(fte.stdout)
    assert (doc["front_line"], doc["front_line_source"], doc["status"]) == (9.5, "roster", "ok")
    assert [(w["week"], w["week_start"], w["front_line"], w["status"]) for w in doc["weeks"]] == [
        (1, "2026-03-02", 10.0, "ok"),
        (2, "2026-03-09", 9.0, "ok"),
    ]


def test_roster_errors_are_one_line_with_file_line_and_field(tmp_path):
    cfg = write_config(tmp_path / "c.toml", "", back_office(1), ROSTER_EXTRA)
    roster = write_roster(tmp_path / "roster.csv")
    lines = roster.read_text().splitlines()
    lines[3] = lines[3].replace("2026-03-02", "2026-3-2x")
    roster.write_text("\n".join(lines) + "\n")
    result = run(["--config", str(cfg), "--roster", str(roster)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {roster}, line 4, field 'date': is not a date: '2026-3-2x' (expected YYYY-MM-DD)\n"
    )
    assert result.stdout == ""
    missing = run(["--config", str(cfg), "--roster", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 2
    assert missing.stderr == f"Error: {tmp_path / 'nope.csv'}: file not found\n"


# --------------------------------------------------------------------------- no back office
def test_no_back_office_is_a_clear_status_not_a_crash(tmp_path):
    cfg = write_config(tmp_path / "c.toml", "front_line_headcount = 200")
    result = run(["--config", str(cfg)])
    assert result.exit_code == 1, result.output
    assert "ratio                 inf:1\n" in result.stdout
    assert "status                no_back_office\n" in result.stdout
    assert result.stdout.endswith(
        "No back office at all (ratio infinite): 9:1 needs 22.2 back-office people for 200 front line; add 22.\n"
    )
    doc = json.loads(run(["--config", str(cfg), "--json"]).stdout)
    assert (doc["status"], doc["ratio"], doc["ratio_value"], doc["back_office_share"]) == (
        "no_back_office",
        "inf:1",
        None,
        0.0,
    )


# --------------------------------------------------------------------------- bad headcounts
@pytest.mark.parametrize(
    ("centre", "roles", "message"),
    [
        (
            "front_line_headcount = 180",
            '{ role = "qa", headcount = -2 }',
            "field 'back_office.roles['qa'].headcount': must be 0 or more, got -2",
        ),
        (
            "front_line_headcount = 180",
            '{ role = "qa", headcount = "eight" }',
            "field 'back_office.roles['qa'].headcount': must be a whole number of people, got 'eight'",
        ),
        (
            "front_line_headcount = -5",
            '{ role = "qa", headcount = 2 }',
            "field 'centre.front_line_headcount': must be 0 or more, got -5",
        ),
        (
            'front_line_headcount = "lots"',
            '{ role = "qa", headcount = 2 }',
            "field 'centre.front_line_headcount': must be a whole number of people, got 'lots'",
        ),
        (
            "front_line_headcount = 180",
            '{ role = "qa", headcount = 2, fte = "half" }',
            "field 'back_office.roles['qa'].fte': must be a number of full-time equivalents, got 'half'",
        ),
        (
            'front_line_headcount = 180\nratio_target = "9 to 1"',
            '{ role = "qa", headcount = 2 }',
            "field 'centre.ratio_target': must be 'front:back' (front line : back office), "
            "e.g. '9:1' or '85:15'; got '9 to 1'",
        ),
    ],
)
def test_negative_or_non_numeric_headcounts_exit_2(tmp_path, centre, roles, message):
    cfg = write_config(tmp_path / "c.toml", centre, roles)
    result = run(["--config", str(cfg)])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {cfg}: {message}\n"
    assert result.stdout == ""


def test_no_front_line_exit_2(tmp_path):
    cfg = write_config(tmp_path / "c.toml", "", back_office(2))
    result = run(["--config", str(cfg)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {cfg}: no front line: give a roster (--roster roster.csv) or set "
        "centre.front_line_headcount in the config\n"
    )


# --------------------------------------------------------------------------- layers, quiet
def test_layers_mismatch_is_a_warning_only(tmp_path):
    cfg = write_config(
        tmp_path / "c.toml", "front_line_headcount = 180\nmanagement_layers = 4", back_office(20)
    )
    result = run(["--config", str(cfg)])
    assert result.exit_code == 0
    assert result.stderr == (
        "Warning: the config declares 4 management layers; a centre of 200 people needs about 3 "
        "(up to 300 people: 3, more: 4)\n"
    )
    big = write_config(
        tmp_path / "big.toml", "front_line_headcount = 280\nmanagement_layers = 3", back_office(31)
    )
    doc = json.loads(run(["--config", str(big), "--json"]).stdout)
    assert (doc["layers_recommended"], doc["management_layers"], doc["status"]) == (4, 3, "ok")
    assert doc["warnings"] == [
        "the config declares 3 management layers; a centre of 311 people needs about 4 (up to 300 people: 3, more: 4)"
    ]


def test_quiet_prints_nothing_when_ok_and_the_report_when_not(tmp_path):
    ok = write_config(tmp_path / "ok.toml", "front_line_headcount = 180", back_office(20))
    result = run(["--config", str(ok), "--quiet"])
    assert (result.exit_code, result.output) == (0, "")
    heavy = write_config(tmp_path / "heavy.toml", "front_line_headcount = 180", back_office(23))
    result = run(["--config", str(heavy), "--quiet"])
    assert result.exit_code == 1
    assert "status                back_office_heavy\n" in result.stdout


def test_help_text():
    result = CliRunner().invoke(app, ["ratio", "--help"])
    assert result.exit_code == 0
    assert "front-line : back-office ratio" in result.output
    assert "--roster" in result.output and "--basis" in result.output


