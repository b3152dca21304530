"""`wfm forecast` through the CLI runner: exact output, files written, error paths."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from wfm.cli import app

DAILY = np.array([40, 36, 34, 34, 30, 16, 10])  # calls per open hour, Monday..Sunday


def write_history(path: Path, weeks: int = 3) -> Path:
    """Hourly history of one queue open 08:00-17:59 every day, no rows missing, with AHT; no noise."""
    ts = pd.date_range("2026-01-05", periods=weeks * 7 * 24, freq="60min")
    open_ = (ts.hour >= 8) & (ts.hour < 18)
    vol = np.where(open_, DAILY[ts.day_of_week] + 5 * (ts.hour == 10), 0)
    aht = ["" if v == 0 else str(200 + 20 * (h >= 12)) for v, h in zip(vol, ts.hour, strict=True)]
    pd.DataFrame({"timestamp": ts.strftime("%Y-%m-%d %H:%M"), "queue": "sales", "calls": vol, "aht": aht}).to_csv(
        path, index=False
    )
    return path


@pytest.fixture
def in_tmp(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no configs/example.toml here: forecast runs without a config
    write_history(tmp_path / "h.csv")
    return tmp_path


SUMMARY = "h.csv: 504 rows, 1 queue, 60-min intervals, 2026-01-05..2026-01-25; no gaps; 98 closed intervals/week\n"


def test_seasonal_naive_table(runner, in_tmp):
    result = runner.invoke(app, ["forecast", "h.csv", "--horizon", "2d", "--method", "seasonal_naive"])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "date        day    queue      volume    peak_interval    aht\n"
        "----------  -----  -------  --------  ---------------  -----\n"
        "2026-01-26  Mon    sales         405               45    212\n"
        "2026-01-27  Tue    sales         365               41    212\n"
    )
    assert result.stderr == SUMMARY


def test_backtest_table_marks_the_chosen_model_and_writes_the_file(runner, in_tmp):
    result = runner.invoke(
        app, ["forecast", "h.csv", "--horizon", "1w", "--backtest", "--origins", "2", "--out", "out/fc.csv"]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:4] == [
        "Backtest: 1 origin(s), 7-day horizon (* = chosen)",
        "queue    model           wape    bias    mase    daily_wape    mape",
        "-------  --------------  ------  ------  ------  ------------  ------",
        "sales    seasonal_naive  0.0%    +0.0%   -       0.0%          0.0%",
    ]
    assert [ln.split()[1] for ln in lines[4:8]] == ["top_down", "blend", "week_average", "top_down_trend"]
    assert lines[6] == "sales    week_average *  0.0%    +0.0%   -       0.0%          0.0%"
    assert lines[-7:] == [
        "2026-01-26  Mon    sales         405               45    212",
        "2026-01-27  Tue    sales         365               41    212",
        "2026-01-28  Wed    sales         345               39    212",
        "2026-01-29  Thu    sales         345               39    212",
        "2026-01-30  Fri    sales         305               35    212",
        "2026-01-31  Sat    sales         165               21    212",
        "2026-02-01  Sun    sales         105               15    211",
    ]
    # three weeks hold one 7-day window after two weeks of training: the table and a note say so
    assert result.stderr == SUMMARY + ("note: backtest on 1 origin(s): the history holds no more than that for a "
                                       "7-day horizon (asked for 2)\nwrote out/fc.csv (168 rows)\n")
    fc = pd.read_csv(in_tmp / "out" / "fc.csv")
    assert list(fc.columns) == ["timestamp", "queue", "volume", "aht", "volume_p10", "volume_p90"]
    assert len(fc) == 7 * 24
    assert fc["timestamp"].iloc[10] == "2026-01-26 10:00" and fc["volume"].iloc[10] == 45
    assert fc["volume"].iloc[:8].eq(0).all()  # closed at night: forecast as 0, rows still present
    assert (in_tmp / "out" / "fc.csv").read_text().splitlines()[9] == "2026-01-26 08:00,sales,40,201.9,40,40"


def test_json(runner, in_tmp):
    result = runner.invoke(app, ["forecast", "h.csv", "--horizon", "1d", "--json", "--origins", "2"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["chosen"] == {"sales": "week_average"}
    assert data["chosen_wape"] == {"sales": 0.0}
    assert data["start"] == "2026-01-26" and data["horizon_days"] == 1 and data["interval_minutes"] == 60
    assert data["daily"] == [
        {"date": "2026-01-26", "day": "Mon", "queue": "sales", "volume": 405.0, "peak": 45.0, "aht": 211.8321}
    ]
    assert {m["model"] for m in data["metrics"]} == {
        "seasonal_naive", "week_average", "top_down", "top_down_trend", "blend"
    }
    assert data["history"] == SUMMARY.strip()


def test_quiet_prints_nothing(runner, in_tmp):
    result = runner.invoke(app, ["forecast", "h.csv", "--horizon", "1d", "--quiet", "--out", "fc.csv"])
    assert result.exit_code == 0 and result.output == ""
    assert (in_tmp / "fc.csv").exists()


def test_start_exclude_holidays_and_interval(runner, in_tmp):
    result = runner.invoke(app, [
        "forecast", "h.csv", "--horizon", "1d", "--start", "2026-01-28", "--method", "week_average",
        "--exclude", "2026-01-21", "--holidays", "2026-01-28", "--interval", "60",
    ])
    assert result.exit_code == 0, result.output
    # the holiday has no holiday history: forecast like a Sunday (10 calls an hour, 15 at 10:00)
    assert result.stdout.splitlines()[2] == "2026-01-28  Wed    sales         105               15    211"
    assert result.stderr == (
        "h.csv: 504 rows, 1 queue, 60-min intervals, 2026-01-05..2026-01-25; "
        "no gaps; 98 closed intervals/week; 1 days excluded\n"
    )


def test_with_the_example_config(runner, in_tmp, example_config):
    h = pd.read_csv(in_tmp / "h.csv")
    h["queue"] = "retail"
    h.to_csv(in_tmp / "r.csv", index=False)
    result = runner.invoke(app, ["forecast", "r.csv", "--horizon", "1d", "--config", str(example_config),
                                 "--method", "seasonal_naive"])
    assert result.exit_code == 0, result.output
    assert "2026-01-26  Mon    retail        405               45    212" in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("timestamp,volume\n2026-01-05 00:00,3\n2026-01-05 01:00,-1\n",
         "Error: bad.csv, line 3, field 'volume': -1 is negative\n"),
        ("timestamp,offered\n2026-01-05 00:00,3\nyesterday,4\n",
         "Error: bad.csv, line 3, field 'timestamp': is not a timestamp: 'yesterday' (expected YYYY-MM-DD HH:MM)\n"),
        ("timestamp,queue\n2026-01-05 00:00,a\n",
         "Error: bad.csv: missing column(s) volume (columns found: timestamp, queue)\n"),
        ("timestamp,volume\n2026-01-05 00:00,3\n2026-01-05 01:00,4\n",
         "Error: bad.csv: need at least 7 days of history before 2026-01-06, have 1\n"),
    ],
)
def test_bad_input_exits_2_naming_file_line_and_field(runner, in_tmp, content, message):
    (in_tmp / "bad.csv").write_text(content)
    result = runner.invoke(app, ["forecast", "bad.csv"])
    assert result.exit_code == 2
    assert result.stderr == message
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.csv"], "Error: missing.csv: file not found\n"),
        (["h.csv", "--horizon", "soon"], "Error: --horizon: 'soon' is not a horizon (e.g. 14d or 2w)\n"),
        (["h.csv", "--method", "magic"],
         "Error: --method: unknown method 'magic' (choose from auto, seasonal_naive, week_average, top_down, "
         "top_down_trend, blend, top_down_ets)\n"),
        (["h.csv", "--start", "next week"], "Error: --start: 'next week' is not a date (expected YYYY-MM-DD)\n"),
        (["h.csv", "--exclude", "storm"],
         "Error: --exclude: 'storm' is not a date or range (expected YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD)\n"),
        (["h.csv", "--holidays", "ZZ"],
         "Error: --holidays: 'ZZ' is not a known country code of the holidays package (ISO 3166 codes such as US, "
         "CN, IL)\n"),
        (["h.csv", "--interval", "7"],
         "Error: --interval 7: must be one of 5, 6, 10, 12, 15, 20, 30, 60 minutes (5 to 60, dividing the day); "
         "leave it out to infer the interval from the history\n"),
        (["h.csv", "--config", "nope.toml"], "Error: nope.toml: config file not found\n"),
    ],
)
def test_usage_errors(runner, in_tmp, args, message):
    result = runner.invoke(app, ["forecast", *args])
    assert result.exit_code == 2, result.output
    assert result.stderr == message
