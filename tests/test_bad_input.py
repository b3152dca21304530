"""Bad input is exit 2 with one line naming the file and field (or option), never an internal error (issue 14):
the classes fixed so far, each with several cases of its own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.bad_input import edited_config, one_line_exit_2
from wfm.cli import app

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "configs" / "example.toml"
HISTORY = ROOT / "forecasts" / "history.csv"


@pytest.mark.parametrize("zone", ["Mars/Olympus", "", " UTC", "../../etc/passwd", "UTC+8", "asia/shanghai "])
def test_an_unknown_or_empty_timezone_is_a_config_error(tmp_path, zone):
    cfg = edited_config(tmp_path, 'timezone = "Asia/Shanghai"', f'timezone = "{zone}"')
    res = CliRunner().invoke(app, ["ratio", "--config", str(cfg)])
    one_line_exit_2(res, str(cfg), "centre.timezone", "not a known IANA time zone")


@pytest.mark.parametrize("code", ["JAN", "FEB", "XX", "DEC", "", "us1"])
def test_an_unknown_holiday_country_is_a_config_error(tmp_path, code):
    cfg = edited_config(tmp_path, "[forecast]\n", f'[forecast]\nholiday_country = "{code}"\n')
    res = CliRunner().invoke(app, ["ratio", "--config", str(cfg)])
    one_line_exit_2(res, str(cfg), "forecast.holiday_country")


@pytest.mark.parametrize("code", ["JAN", "MAR", "OCT", "ZZ", "Q1"])
def test_an_unknown_holidays_code_on_the_command_line_is_an_option_error(tmp_path, code):
    res = CliRunner().invoke(app, ["forecast", str(HISTORY), "--holidays", code, "--out", str(tmp_path / "f.csv")])
    one_line_exit_2(res, "--holidays", repr(code))
    assert not (tmp_path / "f.csv").exists()


def test_a_known_country_code_still_works_in_any_case(tmp_path):
    cfg = edited_config(tmp_path, "[forecast]\n", '[forecast]\nholiday_country = "cn"\n')
    assert CliRunner().invoke(app, ["ratio", "--config", str(cfg)]).exit_code == 0


# --------------------------------------------------------------------------- dates outside wfm's range
@pytest.mark.parametrize("start", ["2300-01-01", "2262-04-07", "1850-06-01", "1677-09-21", "9999-12-31"])
@pytest.mark.parametrize("command", ["plan", "forecast"])
def test_a_start_outside_the_dates_wfm_plans_is_an_option_error(tmp_path, start, command):
    args = (["plan", "--history", str(HISTORY), "--out", str(tmp_path / "runs")] if command == "plan"
            else ["forecast", str(HISTORY), "--out", str(tmp_path / "f.csv")])
    res = CliRunner().invoke(app, [*args, "--config", str(CONFIG), "--start", start])
    one_line_exit_2(res, "--start", start, "1900-01-01 to 2199-12-31")
    assert not (tmp_path / "f.csv").exists() and not (tmp_path / "runs").exists()


@pytest.mark.parametrize("stamp", ["1700-01-01 00:00", "1600-03-01 10:00", "2262-04-12 00:00", "2300-01-01 00:00",
                                   "1899-12-31 23:45"])
def test_a_history_or_forecast_row_outside_the_dates_wfm_plans_names_its_line(tmp_path, stamp):
    lines = HISTORY.read_text().splitlines()
    bad = tmp_path / "h.csv"
    bad.write_text("\n".join([lines[0], *lines[1:4], f"{stamp},retail,5,300", *lines[4:50]]) + "\n")
    res = CliRunner().invoke(app, ["forecast", str(bad), "--config", str(CONFIG), "--out", str(tmp_path / "f.csv")])
    one_line_exit_2(res, f"{bad}, line 5, field 'timestamp'", "outside the dates wfm plans")
    fc = tmp_path / "fc.csv"
    fc.write_text(f"timestamp,queue,volume,aht\n2026-12-07 09:00,retail,10,300\n{stamp},retail,10,300\n")
    res = CliRunner().invoke(app, ["staff", str(fc), "--config", str(CONFIG), "--out", str(tmp_path / "s.csv")])
    one_line_exit_2(res, f"{fc}, line 3, field 'timestamp'", "outside the dates wfm plans")


# --------------------------------------------------------------------------- inf and nan in a config
@pytest.mark.parametrize(("old", "new", "field"), [
    ("cost_per_paid_hour = 1.0", "cost_per_paid_hour = inf", "cost_per_paid_hour"),
    ("cost_per_paid_hour = 1.1", "cost_per_paid_hour = nan", "cost_per_paid_hour"),
    ("patience_s = 180", "patience_s = inf", "patience_s"),
    ("shrinkage = 0.30               #", "shrinkage = nan               #", "shrinkage"),
    ("under_penalty = 50 ", "under_penalty = inf ", "under_penalty"),
    ("gap = 0.03 ", "gap = -inf ", "gap"),
])
def test_inf_or_nan_in_a_config_is_a_config_error(tmp_path, old, new, field):
    cfg = edited_config(tmp_path, old, new)
    res = CliRunner().invoke(app, ["ratio", "--config", str(cfg)])
    one_line_exit_2(res, str(cfg), field, "finite number")


# --------------------------------------------------------------------------- --out that cannot be written
def test_out_naming_a_folder_or_a_path_under_a_file_is_an_option_error(tmp_path):
    folder = tmp_path / "a_folder"
    folder.mkdir()
    res = CliRunner().invoke(app, ["forecast", str(HISTORY), "--config", str(CONFIG), "--out", str(folder)])
    one_line_exit_2(res, f"{folder}: is a folder")
    assert list(folder.iterdir()) == []
    blocker = tmp_path / "a_file"
    blocker.write_text("keep\n")
    res = CliRunner().invoke(app, ["forecast", str(HISTORY), "--config", str(CONFIG),
                                   "--out", str(blocker / "f.csv")])
    one_line_exit_2(res, f"{blocker / 'f.csv'}: its folder {blocker} is a file")
    assert blocker.read_text() == "keep\n"


# --------------------------------------------------------------------------- sizes bounded before any work
@pytest.mark.parametrize("volume", ["1e300", "1e10", "1000000001", "1e12"])
def test_a_calculator_volume_above_the_limit_is_an_option_error_at_once(volume):
    res = CliRunner().invoke(app, ["staff", "--volume", volume, "--interval", "15", "--aht", "300", "--sl", "80/20",
                                   "--shrinkage", "0.3", "--patience", "180"])
    one_line_exit_2(res, "--volume", "above 1,000,000,000 per interval")


@pytest.mark.parametrize(("args", "needles"), [
    # offered load volume x AHT / interval above 1e9 Erlangs
    (["--volume", "1e9", "--aht", "3600"], ("--aht", "offered load of 2e+09 Erlangs", "above 1,000,000,000")),
    (["--volume", "1e9", "--aht", "300", "--interval", "1"], ("--aht", "offered load of 5e+09 Erlangs")),
    (["--volume", "1e8", "--aht", "1e300"], ("--aht", "above 86,400 (24 hours)")),
    # calls per mean patience volume x patience / interval above 1e9 (Erlang A)
    (["--volume", "1e9", "--aht", "300", "--patience", "3600"], ("--patience", "2e+09 calls per mean patience")),
    (["--volume", "1e9", "--aht", "300", "--patience", "900", "--interval", "5"], ("--patience", "3e+09 calls")),
    # a mean patience above a day
    (["--volume", "100", "--aht", "300", "--patience", "1e5"], ("--patience", "above 86,400 (24 hours)")),
    (["--volume", "100", "--aht", "300", "--patience", "1e300"], ("--patience", "above 86,400")),
    # an Erlang A table past the switch-over: rows x states per row above the budget
    (["--volume", "1e8", "--aht", "300", "--patience", "180", "--table", "14000000:14100000"],
     ("--table", "100,001 rows", "more than 20,000,000", "ask for at most about")),
    (["--volume", "1e9", "--aht", "300", "--patience", "1800", "--table", "100000000:100000100"],
     ("--table", "101 rows")),
])
def test_a_calculator_size_past_the_limits_names_the_option_at_once(args, needles):
    res = CliRunner().invoke(app, ["staff", *args])
    one_line_exit_2(res, *needles)


@pytest.mark.parametrize("patience", ["86401", "1e9", "1e308"])
def test_a_queue_patience_above_a_day_is_a_config_error(tmp_path, patience):
    cfg = edited_config(tmp_path, "patience_s = 180", f"patience_s = {patience}")
    fc = tmp_path / "fc.csv"
    fc.write_text("timestamp,queue,volume,aht\n2026-12-07 09:00,retail,10,300\n")
    res = CliRunner().invoke(app, ["staff", str(fc), "--config", str(cfg), "--out", str(tmp_path / "s.csv")])
    one_line_exit_2(res, str(cfg), "patience_s", "86400")
    assert not (tmp_path / "s.csv").exists()


@pytest.mark.parametrize("volume", ["1e12", "1e300", "2000000"])
def test_a_forecast_row_above_the_limit_names_its_line(tmp_path, volume):
    fc = tmp_path / "fc.csv"
    fc.write_text(f"timestamp,queue,volume,aht\n2026-12-07 09:00,retail,10,300\n2026-12-07 09:15,retail,{volume},300\n")
    res = CliRunner().invoke(app, ["staff", str(fc), "--config", str(CONFIG), "--out", str(tmp_path / "s.csv")])
    one_line_exit_2(res, f"{fc}, line 3, field 'volume'", "the most wfm sizes")
    assert not (tmp_path / "s.csv").exists()


@pytest.mark.parametrize(("sweep", "message"), [
    ("volume=0:1000000:0.000001", "gives 1,000,000,000,001 values (at most 200)"),
    ("volume=0:1e300:1e-300", "values (at most 200)"),
    ("volume=0:inf:1", "needs finite START <= STOP and STEP > 0"),
    ("volume=1:nan:1", "needs finite START <= STOP and STEP > 0"),
])
def test_a_sweep_too_long_is_refused_before_its_values_are_built(sweep, message):
    from wfm.errors import InputError
    from wfm.whatif.run import parse_sweep

    with pytest.raises(InputError, match=re.escape(message)):
        parse_sweep(sweep)


# --------------------------------------------------------------------------- usage errors: one line, not Click's block
@pytest.mark.parametrize(("args", "line"), [
    (["plan", "--gap", "1.5"], "Error: --gap: 1.5 is not in [0, 0.99] (see 'wfm plan --help')"),
    (["roster", "--gap=2"], "Error: --gap: 2 is not in [0, 0.99] (see 'wfm roster --help')"),
    (["forecast", "--origins", "0"], "Error: --origins: 0 must be at least 1 (see 'wfm forecast --help')"),
    (["whatif", "--workers", "0"], "Error: --workers: 0 must be at least 1 (see 'wfm whatif --help')"),
    (["staff", "--volume", "abc"], "Error: --volume: abc is not a number (see 'wfm staff --help')"),
    (["plan", "--weeks", "x"], "Error: --weeks: x is not a whole number (see 'wfm plan --help')"),
    (["ratio", "--basis", "people"], "Error: --basis: people is not one of 'headcount', 'fte' (see 'wfm ratio --help')"),
    (["nosuch"], "Error: No such command 'nosuch' (see 'wfm --help')"),
    (["forecast"], "Error: Missing argument 'history' (see 'wfm forecast --help')"),
    (["plan", "--gap"], "Error: Option '--gap' requires an argument"),
])
def test_a_bad_option_value_is_one_line_naming_the_option(args, line):
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 2
    assert res.stderr.strip() == line and res.stdout == ""


def test_help_and_version_still_work():
    assert CliRunner().invoke(app, ["plan", "--help"]).stdout.startswith("Usage: wfm plan [OPTIONS]")
    assert CliRunner().invoke(app, ["--version"]).stdout.startswith("wfm ")


# --------------------------------------------------------------------------- files that are not regular files
def _special(tmp_path: Path, kind: str) -> Path:
    import os
    if kind == "device":
        return Path("/dev/zero")
    path = tmp_path / kind
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "loop":
        os.symlink(tmp_path / "loop2", path)
        os.symlink(path, tmp_path / "loop2")
    elif kind == "dangling":
        os.symlink(tmp_path / "nothing", path)
    elif kind == "folder":
        path.mkdir()
    return path


SPECIAL = {"device": "is a device", "fifo": "is a FIFO", "loop": "a loop of symbolic links",
           "dangling": "a symbolic link to nothing", "folder": "is a folder"}


@pytest.mark.parametrize("kind", sorted(SPECIAL))
@pytest.mark.parametrize("role", ["config", "scenarios", "history", "forecast"])
def test_a_device_fifo_link_loop_or_folder_is_named_as_such(tmp_path, kind, role):
    path = _special(tmp_path, kind)
    args = {"config": ["ratio", "--config", str(path)],
            "scenarios": ["whatif", "--config", str(CONFIG), "--scenarios", str(path)],
            "history": ["forecast", str(path), "--config", str(CONFIG)],
            "forecast": ["staff", str(path), "--config", str(CONFIG)]}[role]
    res = CliRunner().invoke(app, args)
    one_line_exit_2(res, str(path), SPECIAL[kind])


def test_a_config_bigger_than_the_limit_is_refused_before_reading(tmp_path):
    big = tmp_path / "big.toml"
    with open(big, "wb") as fh:
        fh.truncate(5 * 1024**2)  # sparse: no disk used
    res = CliRunner().invoke(app, ["ratio", "--config", str(big)])
    one_line_exit_2(res, str(big), "5 MiB; the most wfm reads in a config file is 4 MiB")


def test_numpy_warnings_do_not_reach_the_user(tmp_path):
    import warnings

    from wfm.cli.shell import wfm_command

    @wfm_command
    def noisy() -> None:
        warnings.warn("invalid value encountered in divide", RuntimeWarning, stacklevel=1)

    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        noisy()
    assert seen == []


@pytest.mark.parametrize("cell", ["0\x1e0", "a\u2028b", "x\x0cy", "q\x85r", "line\rbreak"])
def test_an_error_quoting_a_control_character_stays_one_line(tmp_path, cell):
    bad = tmp_path / "f.csv"
    bad.write_text(f"timestamp,queue,volume\n2026-03-02 08:00,{cell},5\n", newline="")
    res = CliRunner().invoke(app, ["staff", str(bad), "--config", str(CONFIG)])
    assert res.exit_code == 2 and len(res.stderr.strip().splitlines()) == 1, res.stderr
    assert res.stderr.startswith(f"Error: {bad}")
