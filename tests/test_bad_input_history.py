"""Bad history, forecast and staffing input is exit 2 with one line naming the file, line and field (or the
option), never nonsense accepted silently nor an internal error (issue 14): UTC offsets, sizes that overflow, a row
far from the rest, day/month dates, rows of several queues without a queue column, --interval, off-grid rows,
blank queue names and over-long cells; each with several cases, and the good input beside them unchanged."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.bad_input import edited_config, one_line_exit_2
from wfm.cli import app
from wfm.errors import InputError
from wfm.history import clean_history, read_history

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "configs" / "example.toml"
QUEUES = ("retail", "business", "cards")


def _history(days: int = 21, queues: tuple[str, ...] = QUEUES) -> pd.DataFrame:
    """15-minute history of the example config's queues from Monday 2026-11-02, as strings."""
    ts = pd.date_range("2026-11-02", periods=days * 96, freq="15min")
    rows = []
    for k, q in enumerate(queues):
        vol = 5 + 10 * k + (ts.hour.to_numpy() % 12)
        rows.append(pd.DataFrame({"timestamp": ts.strftime("%Y-%m-%d %H:%M"), "queue": q,
                                  "volume": vol.astype(str), "aht": str(300 + 30 * k)}))
    return pd.concat(rows, ignore_index=True).sort_values("timestamp", kind="stable").reset_index(drop=True)


def _write(path: Path, frame: pd.DataFrame) -> Path:
    frame.to_csv(path, index=False)
    return path


def _forecast(tmp_path: Path, history: Path, *extra: str, config: Path = CONFIG):
    out = tmp_path / "f.csv"
    res = CliRunner().invoke(app, ["forecast", str(history), "--config", str(config), "--out", str(out), *extra])
    return res, out


def _forecast_file(tmp_path: Path, stamps: list[str], volume: str = "10", aht: str = "300",
                   queue: str = "retail") -> Path:
    path = tmp_path / "fc.csv"
    body = "".join(f"{s},{queue},{volume},{aht}\n" for s in stamps)
    path.write_text("timestamp,queue,volume,aht\n" + body)
    return path


def _staff(tmp_path: Path, forecast: Path, config: Path = CONFIG):
    out = tmp_path / "s.csv"
    return CliRunner().invoke(app, ["staff", str(forecast), "--config", str(config), "--out", str(out)]), out


# --------------------------------------------------------------------------- 1. UTC offsets
@pytest.mark.parametrize(("stamps", "line", "needles"), [
    (["2026-12-07 09:00+08:00", "2026-12-07 09:15+09:00"], 3, ["+09:00, line 2 has +08:00"]),
    (["2026-12-07 09:00+08:00", "2026-12-07 09:15+08:00", "2026-12-07 09:30Z"], 4, ["+00:00, line 2 has +08:00"]),
    (["2026-12-07T09:00:00-05:00", "2026-12-07T09:15:00-0500", "2026-12-07T09:30:00-04:00"], 4,
     ["-04:00, line 2 has -05:00"]),
    (["2026-12-07 09:00", "2026-12-07 09:15+0800", "2026-12-07 09:30+09"], 4, ["+09:00, line 3 has +08:00"]),
])
def test_mixed_utc_offsets_in_a_forecast_name_the_first_line_that_differs(tmp_path, stamps, line, needles):
    fc = _forecast_file(tmp_path, stamps)
    res, out = _staff(tmp_path, fc)
    one_line_exit_2(res, f"{fc}, line {line}, field 'timestamp'", "the offsets in one file must all be the same",
                     *needles)
    assert not out.exists()


def test_one_consistent_offset_in_a_forecast_is_dropped_keeping_the_wall_time(tmp_path):
    plain = _forecast_file(tmp_path, ["2026-12-07 09:00", "2026-12-07 09:15"])
    res, out = _staff(tmp_path, plain)
    assert res.exit_code == 0, res.stderr
    want = out.read_text()
    for stamps in (["2026-12-07 09:00+08:00", "2026-12-07 09:15+08:00"],
                   ["2026-12-07T09:00:00Z", "2026-12-07T09:15:00.000Z"]):
        res, out = _staff(tmp_path, _forecast_file(tmp_path, stamps))
        assert res.exit_code == 0, res.stderr
        assert out.read_text() == want


@pytest.mark.parametrize(("offset", "bad_offset"), [("+08:00", "+09:00"), ("+08:00", "Z"), ("+0800", "+07:00")])
def test_a_history_offset_other_than_the_centres_names_its_line(tmp_path, offset, bad_offset):
    h = _history()
    h["timestamp"] = h["timestamp"] + offset
    h.loc[100, "timestamp"] = h.loc[100, "timestamp"].replace(offset, bad_offset)
    res, out = _forecast(tmp_path, _write(tmp_path / "h.csv", h))  # the example centre is in Asia/Shanghai
    one_line_exit_2(res, f"{tmp_path / 'h.csv'}, line 102, field 'timestamp'", "Asia/Shanghai", "+08:00")
    assert not out.exists()


def test_a_history_with_the_centres_offset_forecasts_as_without_it(tmp_path):
    h = _history()
    res, out = _forecast(tmp_path, _write(tmp_path / "h.csv", h))
    assert res.exit_code == 0, res.stderr
    want = out.read_text()
    h["timestamp"] = h["timestamp"].str.replace(" ", "T") + "+08:00"
    res, out = _forecast(tmp_path, _write(tmp_path / "h.csv", h))
    assert res.exit_code == 0, res.stderr
    assert out.read_text() == want


def test_history_offsets_without_a_timezone_must_all_be_the_same(tmp_path):
    cfg = edited_config(tmp_path, 'timezone = "Asia/Shanghai"', 'timezone = "UTC"')
    h = _history()
    h["timestamp"] = h["timestamp"] + "+01:00"
    h.loc[500:, "timestamp"] = h.loc[500:, "timestamp"].str.replace("+01:00", "+02:00")
    res, _ = _forecast(tmp_path, _write(tmp_path / "h.csv", h), config=cfg)
    one_line_exit_2(res, "line 502, field 'timestamp'", "+02:00, line 2 has +01:00", "[centre] timezone")


def test_history_offsets_that_change_at_dst_in_the_centres_zone_are_kept():
    f = pd.DataFrame({"timestamp": ["2026-10-25T01:00+02:00", "2026-10-25T02:00+02:00", "2026-10-25T02:00+01:00",
                                    "2026-10-25T03:00+01:00"], "queue": "a", "volume": ["1", "2", "4", "5"]})
    h = clean_history(f, source="h.csv", timezone="Europe/Berlin", interval_minutes=60)
    day = (pd.Timestamp("2026-10-25") - h.start).days
    assert list(h.volume[0, day, 1:4]) == [1, 3, 5]  # the repeated 02:00 averaged, as without offsets
    with pytest.raises(InputError, match=r"h.csv, line 4, field 'timestamp'.*\+03:00.*Europe/Berlin"):
        clean_history(f.assign(timestamp=f["timestamp"].str.replace("T02:00+01:00", "T02:00+03:00")),
                      source="h.csv", timezone="Europe/Berlin", interval_minutes=60)


# --------------------------------------------------------------------------- 2. sizes that would overflow
@pytest.mark.parametrize(("column", "value", "needle"), [
    ("volume", "1e308", "1e308 is above 1,000,000, the most wfm sizes"),
    ("volume", "1000001", "1000001 is above 1,000,000"),
    ("volume", "1e12", "1e12 is above 1,000,000"),
    ("aht", "1e308", "1e308 is above 86,400, the longest handle time wfm takes (24 hours)"),
    ("aht", "86401", "86401 is above 86,400"),
    ("aht", "1e20", "1e20 is above 86,400"),
])
def test_a_history_value_above_the_limit_names_its_line(tmp_path, column, value, needle):
    h = _history()
    h.loc[700, column] = value
    res, out = _forecast(tmp_path, _write(tmp_path / "h.csv", h))
    one_line_exit_2(res, f"{tmp_path / 'h.csv'}, line 702, field '{column}'", needle)
    assert not out.exists()


def test_a_history_at_the_limits_forecasts_finite_figures(tmp_path):
    h = _history()
    h["volume"], h["aht"] = "1000000", "86400"
    res, out = _forecast(tmp_path, _write(tmp_path / "h.csv", h))
    assert res.exit_code == 0, res.stderr
    fc = pd.read_csv(out)
    figures = fc[["volume", "aht", "volume_p10", "volume_p90"]].to_numpy(float)
    assert np.isfinite(figures).all() and (fc["aht"] <= 86400 + 1e-6).all()


def test_a_finer_history_added_up_above_the_limit_is_refused(tmp_path):
    h = _history(days=14, queues=("retail",))
    h["volume"] = "400000"
    res, out = _forecast(tmp_path, _write(tmp_path / "h.csv", h), "--interval", "30")
    assert res.exit_code == 0, res.stderr  # 800,000 calls a half-hour
    out.unlink()
    h["volume"] = "600000"
    res, out = _forecast(tmp_path, _write(tmp_path / "h.csv", h), "--interval", "30")
    one_line_exit_2(res, "queue 'retail' has 1,200,000 calls in the 30-minute interval",
                     "once its 15-minute rows are added up", "above 1,000,000")
    assert not out.exists()


@pytest.mark.parametrize(("aht", "needle"), [("86401", "86401 is above 86,400"), ("1e300", "1e300 is above 86,400")])
def test_a_forecast_aht_above_a_day_names_its_line(tmp_path, aht, needle):
    fc = tmp_path / "fc.csv"
    fc.write_text(f"timestamp,queue,volume,aht\n2026-12-07 09:00,retail,10,300\n2026-12-07 09:15,retail,10,{aht}\n")
    res, out = _staff(tmp_path, fc)
    one_line_exit_2(res, f"{fc}, line 3, field 'aht'", needle)
    assert not out.exists()


@pytest.mark.parametrize(("args", "needle"), [
    (["--aht", "86401"], "--aht: 86401 seconds is above 86,400"),
    (["--aht", "1e300"], "--aht: 1e+300 seconds is above 86,400"),
    (["--aht", "300", "--interval", "1e-300"], "--interval: 1e-300 minutes is not in 1 to 1440"),
    (["--aht", "300", "--interval", "0.5"], "--interval: 0.5 minutes is not in 1 to 1440"),
    (["--aht", "300", "--interval", "1441"], "--interval: 1441 minutes is not in 1 to 1440"),
])
def test_calculator_aht_and_interval_are_bounded(args, needle):
    res = CliRunner().invoke(app, ["staff", "--volume", "100", *args])
    one_line_exit_2(res, needle)


@pytest.mark.parametrize("aht", ["1e300", "86401"])
def test_a_queue_aht_above_a_day_is_a_config_error(tmp_path, aht):
    cfg = edited_config(tmp_path, "aht_s = 300 ", f"aht_s = {aht} ")
    res = CliRunner().invoke(app, ["ratio", "--config", str(cfg)])
    one_line_exit_2(res, str(cfg), "queues['retail'].aht_s")


# --------------------------------------------------------------------------- 3. a row far from the rest
@pytest.mark.parametrize(("stamp", "where", "gap_from"), [
    ("2150-01-05 10:00", "end", "2026-11-22"),
    ("2029-06-01 00:00", "end", "2026-11-22"),
    ("1926-11-02 00:00", "start", "2026-11-02"),
    ("2099-12-31 23:45", "middle", "2026-11-22"),
])
def test_a_row_far_from_the_rest_of_the_history_names_its_line(tmp_path, stamp, where, gap_from):
    h = _history()
    row = pd.DataFrame({"timestamp": [stamp], "queue": ["retail"], "volume": ["5"], "aht": ["300"]})
    at = {"start": 0, "middle": 3000, "end": len(h)}[where]
    h = pd.concat([h.iloc[:at], row, h.iloc[at:]], ignore_index=True)
    res, out = _forecast(tmp_path, _write(tmp_path / "h.csv", h))
    one_line_exit_2(res, f"{tmp_path / 'h.csv'}, line {at + 2}, field 'timestamp'", stamp,
                     f"from the rest of the history ({gap_from})", "more than 366 days apart")
    assert not out.exists()


def test_a_gap_of_up_to_a_year_is_kept_and_two_blocks_name_the_smaller():
    a = _history(days=14, queues=("q",))
    later = a.assign(timestamp=(pd.to_datetime(a["timestamp"]) + pd.Timedelta(days=13 + 366)).dt.strftime(
        "%Y-%m-%d %H:%M"))  # the last day of the first block and the first of the second 366 days apart
    h = clean_history(pd.concat([a, later], ignore_index=True), source="h.csv")
    assert h.n_days == 13 + 366 + 14
    far = a.iloc[:96].assign(timestamp=(pd.to_datetime(a["timestamp"].iloc[:96]) - pd.Timedelta(days=400))
                             .dt.strftime("%Y-%m-%d %H:%M"))
    with pytest.raises(InputError, match=r"h.csv, line 1346, field 'timestamp': 2025-09-28 00:00 lies 400 days from the rest of the history \(2026-11-02\)"):
        clean_history(pd.concat([a, far], ignore_index=True), source="h.csv")


def test_a_history_grid_too_big_to_hold_is_refused():
    starts = pd.date_range("1950-01-02", "2100-01-01", freq="200D")  # no gap above a year, but 150 years
    stamps = starts.append(starts + pd.Timedelta(minutes=5)).strftime("%Y-%m-%d %H:%M")
    f = pd.DataFrame({"timestamp": list(stamps), "volume": "1"})
    with pytest.raises(InputError, match=r"h.csv: 1 queue\(s\) x 54,607 days x 288 intervals a day is .* cells, "
                                         r"more than the 10,000,000 wfm holds"):
        clean_history(f, source="h.csv")


# --------------------------------------------------------------------------- 4. day/month dates
def _slashed(h: pd.DataFrame, fmt: str) -> pd.DataFrame:
    return h.assign(timestamp=pd.to_datetime(h["timestamp"]).dt.strftime(fmt))


@pytest.mark.parametrize(("fmt", "row"), [
    ("%d/%m/%Y %H:%M", 2), ("%m/%d/%Y %H:%M", 2), ("%d.%m.%Y %H:%M", 2), ("%d-%m-%Y %H:%M:%S", 2),
])
def test_day_month_dates_are_refused_unless_the_order_is_given(tmp_path, fmt, row):
    res, out = _forecast(tmp_path, _write(tmp_path / "h.csv", _slashed(_history(), fmt)))
    one_line_exit_2(res, f"{tmp_path / 'h.csv'}, line {row}, field 'timestamp'",
                     "day and month could be either way round", "--dayfirst or --monthfirst",
                     'history_date_order = "day_first"')
    assert not out.exists()


@pytest.mark.parametrize(("fmt", "how"), [
    ("%d/%m/%Y %H:%M", ["--dayfirst"]), ("%m/%d/%Y %H:%M", ["--monthfirst"]), ("%d.%m.%Y %H:%M:%S", ["--dayfirst"]),
    ("%d/%m/%Y %H:%M", "day_first"), ("%m-%d-%Y %H:%M", "month_first"),
])
def test_day_month_dates_read_in_the_order_given_forecast_as_iso(tmp_path, fmt, how):
    h = _history()
    res, out = _forecast(tmp_path, _write(tmp_path / "iso.csv", h))
    assert res.exit_code == 0, res.stderr
    want = out.read_text()
    cfg = CONFIG if isinstance(how, list) else edited_config(tmp_path, "[forecast]\n",
                                                       f'[forecast]\nhistory_date_order = "{how}"\n')
    extra = how if isinstance(how, list) else []
    res, out = _forecast(tmp_path, _write(tmp_path / "h.csv", _slashed(h, fmt)), *extra, config=cfg)
    assert res.exit_code == 0, res.stderr
    assert out.read_text() == want


@pytest.mark.parametrize(("args", "cell", "needle"), [
    (["--monthfirst"], "13/11/2026 00:00", "expected YYYY-MM-DD HH:MM or MM/DD/YYYY HH:MM"),
    (["--dayfirst"], "11/13/2026 00:00", "expected YYYY-MM-DD HH:MM or DD/MM/YYYY HH:MM"),
    (["--dayfirst"], "31/02/2026 00:00", "expected YYYY-MM-DD HH:MM or DD/MM/YYYY HH:MM"),
    (["--dayfirst"], "02/11/26 00:00", "expected YYYY-MM-DD HH:MM or DD/MM/YYYY HH:MM"),
])
def test_a_date_that_does_not_fit_the_order_given_names_its_line(tmp_path, args, cell, needle):
    h = _history()
    h.loc[5, "timestamp"] = cell
    res, _ = _forecast(tmp_path, _write(tmp_path / "h.csv", h), *args)
    one_line_exit_2(res, "line 7, field 'timestamp'", repr(cell), needle)


def test_dayfirst_and_monthfirst_together_is_an_option_error(tmp_path):
    res, _ = _forecast(tmp_path, _write(tmp_path / "h.csv", _history()), "--dayfirst", "--monthfirst")
    one_line_exit_2(res, "--dayfirst and --monthfirst: give one of them")


@pytest.mark.parametrize("cell", ["07/12/2026 09:00", "12/07/2026 09:00", "7.12.2026 09:00", "2026/12/07 09:00"])
def test_a_forecast_file_takes_iso_dates_only(tmp_path, cell):
    fc = _forecast_file(tmp_path, ["2026-12-07 08:45", cell])
    res, out = _staff(tmp_path, fc)
    one_line_exit_2(res, f"{fc}, line 3, field 'timestamp'", repr(cell), "YYYY-MM-DD HH:MM")
    assert not out.exists()


@pytest.mark.parametrize("cell", ["2026-12-07 09:00", "2026-12-07T09:00", "2026-12-07 09:00:00", "2026-12-07 9:00",
                                  "2026-12-07T09:00:00.000"])
def test_iso_timestamps_in_their_usual_spellings_are_read(tmp_path, cell):
    res, out = _staff(tmp_path, _forecast_file(tmp_path, [cell]))
    assert res.exit_code == 0, res.stderr
    assert pd.read_csv(out)["timestamp"].tolist() == ["2026-12-07 09:00"]


# --------------------------------------------------------------------------- 5. several queues, no queue column
@pytest.mark.parametrize(("queues", "columns"), [
    (QUEUES, ["timestamp", "volume", "aht"]),
    (("retail", "cards"), ["timestamp", "volume"]),
    (QUEUES, ["timestamp", "calls", "aht"]),
])
def test_several_queues_rows_without_a_queue_column_are_an_error(tmp_path, queues, columns):
    h = _history(queues=queues).rename(columns={"volume": "calls"} if "calls" in columns else {})
    res, out = _forecast(tmp_path, _write(tmp_path / "h.csv", h[columns]))
    one_line_exit_2(res, f"{tmp_path / 'h.csv'}, line 3, field 'timestamp'", "2026-11-02 00:00 appears again",
                     "first on line 2", "add a 'queue' column")
    assert not out.exists()


def test_without_a_queue_column_exact_repeats_are_still_dropped(tmp_path):
    h = _history(queues=("retail",))
    twice = pd.concat([h, h.iloc[:50]], ignore_index=True)[["timestamp", "volume", "aht"]]
    cleaned = clean_history(twice, source="h.csv")
    assert cleaned.report.duplicates_dropped == 50 and cleaned.report.conflicts_kept_last == 0


def test_with_a_queue_column_a_corrected_row_keeps_the_last_as_documented():
    h = _history(queues=("retail",))
    fixed = pd.concat([h, h.iloc[[10]].assign(volume="99")], ignore_index=True)
    cleaned = clean_history(fixed, source="h.csv")
    assert cleaned.report.conflicts_kept_last == 1 and cleaned.volume[0, 0, 10] == 99


# --------------------------------------------------------------------------- 6. --interval
@pytest.mark.parametrize("value", ["0", "-15", "7", "45", "1440", "1441", "2880"])
def test_an_interval_that_is_not_a_supported_divisor_is_an_option_error(tmp_path, value):
    res, out = _forecast(tmp_path, _write(tmp_path / "h.csv", _history()), "--interval", value)
    one_line_exit_2(res, f"--interval {value}: must be one of 5, 6, 10, 12, 15, 20, 30, 60 minutes")
    assert not out.exists()


def test_an_interval_option_is_checked_before_the_history_is_read(tmp_path):
    res, _ = _forecast(tmp_path, tmp_path / "missing.csv", "--interval", "0")
    one_line_exit_2(res, "--interval 0")


# --------------------------------------------------------------------------- 7. rows off the config's grid
@pytest.mark.parametrize(("cell", "shown"), [
    ("2026-12-07 08:07", "2026-12-07 08:07"), ("2026-12-07 08:20", "2026-12-07 08:20"),
    ("2026-12-07 08:15:30", "2026-12-07 08:15:30"), ("2026-12-07T08:15:00.5", "2026-12-07 08:15:00.500000"),
])
def test_a_forecast_row_off_the_grid_names_its_line(tmp_path, cell, shown):
    fc = _forecast_file(tmp_path, ["2026-12-07 08:00", cell])
    res, out = _staff(tmp_path, fc)
    one_line_exit_2(res, f"{fc}, line 3, field 'timestamp'", f"{shown} is not on the 15-minute grid",
                     "interval_minutes")
    assert not out.exists()


def test_the_grid_is_the_configs_for_every_forecast_reader(tmp_path):
    cfg30 = edited_config(tmp_path, "interval_minutes = 15", "interval_minutes = 30")
    fc = _forecast_file(tmp_path, ["2026-12-07 08:00", "2026-12-07 08:15"])
    res, _ = _staff(tmp_path, fc, config=cfg30)
    one_line_exit_2(res, f"{fc}, line 3, field 'timestamp'", "not on the 30-minute grid")
    agents = tmp_path / "agents.csv"
    agents.write_text("timestamp,agents\n2026-12-07 08:00,5\n2026-12-07 08:15,5\n")
    res = CliRunner().invoke(app, ["simulate", str(agents), "--forecast", str(fc), "--config", str(cfg30)])
    one_line_exit_2(res, f"{fc}, line 3, field 'timestamp'", "not on the 30-minute grid")
    res = CliRunner().invoke(app, ["whatif", "--scenarios", str(ROOT / "configs" / "storm.toml"), "--forecast",
                                   str(fc), "--config", str(cfg30)])
    one_line_exit_2(res, f"{fc}, line 3, field 'timestamp'", "not on the 30-minute grid")


# --------------------------------------------------------------------------- 8. blank queue names
@pytest.mark.parametrize("blank", ["", " ", "   "])
def test_a_blank_queue_in_a_history_or_forecast_names_its_line(tmp_path, blank):
    h = _history()
    h.loc[40, "queue"] = blank
    res, _ = _forecast(tmp_path, _write(tmp_path / "h.csv", h))
    one_line_exit_2(res, f"{tmp_path / 'h.csv'}, line 42, field 'queue': is blank")
    fc = tmp_path / "fc.csv"
    fc.write_text(f"timestamp,queue,volume,aht\n2026-12-07 09:00,retail,10,300\n2026-12-07 09:00,{blank},10,300\n")
    res, _ = _staff(tmp_path, fc)
    one_line_exit_2(res, f"{fc}, line 3, field 'queue': is blank")


@pytest.mark.parametrize(("name", "needle"), [
    ('""', "queues[0].name': is blank"), ('"  "', "queues[0].name': is blank"),
    ('" retail"', "queues[' retail'].name': ' retail' has spaces around it"),
    ('"retail\\t"', "has spaces around it"),
])
def test_a_blank_or_padded_queue_name_in_the_config_is_a_config_error(tmp_path, name, needle):
    cfg = edited_config(tmp_path, 'name = "retail"', f"name = {name}")
    for args in (["ratio"], ["forecast", str(_write(tmp_path / "h.csv", _history()))]):
        res = CliRunner().invoke(app, [*args, "--config", str(cfg)])
        one_line_exit_2(res, str(cfg), needle)


# --------------------------------------------------------------------------- 9. over-long cells
@pytest.mark.parametrize(("column", "size"), [("volume", 300_000), ("queue", 131_073), ("aht", 1_000_000)])
def test_a_cell_longer_than_the_csv_limit_names_its_line_and_column(tmp_path, column, size):
    h = _history().iloc[:400].copy()
    h.loc[7, column] = "9" * size
    res, _ = _forecast(tmp_path, _write(tmp_path / "h.csv", h))
    one_line_exit_2(res, f"{tmp_path / 'h.csv'}, line 9, field '{column}'",
                     "a cell is longer than 131,072 characters")
    assert len(res.stderr) < 300


def test_a_quoted_over_long_cell_names_its_line(tmp_path):
    fc = tmp_path / "fc.csv"
    fc.write_text('timestamp,queue,volume\n2026-12-07 09:00,retail,10\n2026-12-07 09:15,"' + "x\n" * 70_000 + '",1\n')
    res, _ = _staff(tmp_path, fc)
    one_line_exit_2(res, f"{fc}, line 3: a cell is longer than 131,072 characters")


@pytest.mark.parametrize(("column", "cell"), [("volume", "x" * 100_000), ("timestamp", "2026" * 25_000),
                                              ("aht", "1" * 100_000)])
def test_a_long_bad_cell_is_quoted_short(tmp_path, column, cell):
    fc = tmp_path / "fc.csv"
    row = {"timestamp": "2026-12-07 09:00", "queue": "retail", "volume": "10", "aht": "300", column: cell}
    fc.write_text("timestamp,queue,volume,aht\n" + ",".join(row.values()) + "\n")
    res, _ = _staff(tmp_path, fc)
    one_line_exit_2(res, f"{fc}, line 2, field '{column}'", "(100,000 characters)")
    assert len(res.stderr) < 300


def test_read_history_reports_the_long_cells_line_in_a_library_call(tmp_path):
    p = tmp_path / "h.csv"
    p.write_text("timestamp,volume\n2026-01-05 00:00,1\n2026-01-05 01:00," + "7" * 200_000 + "\n")
    with pytest.raises(InputError, match=r"h.csv, line 3, field 'volume': a cell is longer than 131,072"):
        read_history(p)
