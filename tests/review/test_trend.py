"""wfm.review.trend: accuracy.csv (one reader, one writer) and the weekly trend with its bias flags and WAPE
breaches. Expected values are worked out by hand from the rows each test writes."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from wfm.config import ReviewSettings
from wfm.errors import InputError
from wfm.review.trend import (
    ACCURACY_COLUMNS,
    accuracy_row_frame,
    read_accuracy,
    record_accuracy,
    trend,
)

SETTINGS = ReviewSettings(max_wape=0.15, wape_level="day", bias_weeks=3, bias_tolerance=0.02)
HEADER = ",".join(ACCURACY_COLUMNS)


def mondays(first: str, n: int) -> list[str]:
    return [f"{d:%Y-%m-%d}" for d in pd.date_range(first, periods=n, freq="7D")]


def week_rows(run: str, week: str, queues: dict[str, dict]) -> pd.DataFrame:
    return accuracy_row_frame([{"run": run, "week": week, "queue": q, **v} for q, v in queues.items()])


def record_biases(runs: Path, biases: list[float], weeks: list[str], queue: str = "retail",
                  wape_day: float = 0.1) -> None:
    """One run per week (named after it), each recording ``queue``'s bias for its week."""
    for week, bias in zip(weeks, biases, strict=True):
        record_accuracy(runs, week_rows(week, week, {queue: {"bias": bias, "wape_day": wape_day}}))


# --------------------------------------------------------------------------- accuracy.csv
def test_recording_a_run_again_replaces_its_rows_and_another_run_appends_sorted(tmp_path):
    a = week_rows("2026-11-16", "2026-11-09", {"total": {"calls_actual": 2000.04, "wape_day": 0.123456},
                                               "retail": {"calls_actual": 1500.0, "bias": -0.0312}})
    path = record_accuracy(tmp_path, a)
    assert path == tmp_path / "accuracy.csv"
    again = week_rows("2026-11-16", "2026-11-09", {"total": {"calls_actual": 2100.0, "wape_day": 0.05},
                                                   "retail": {"calls_actual": 1600.0, "bias": 0.01}})
    record_accuracy(tmp_path, again)
    got = read_accuracy(path)
    assert len(got) == 2  # replaced, not appended
    assert got.set_index("queue").loc["total", "calls_actual"] == 2100.0
    b = week_rows("2026-11-09", "2026-11-09", {"business": {"calls_actual": 400.0}, "total": {"wape_day": 0.2}})
    c = week_rows("2026-11-09", "2026-11-02", {"retail": {"calls_actual": 1234.56, "service_level_actual": 0.81234,
                                                          "service_source": "acd"}})
    record_accuracy(tmp_path, pd.concat([b, c], ignore_index=True))
    got = read_accuracy(path)
    # week first, then run, then queue with total last
    assert list(zip(got["week"], got["run"], got["queue"], strict=True)) == [
        ("2026-11-02", "2026-11-09", "retail"),
        ("2026-11-09", "2026-11-09", "business"),
        ("2026-11-09", "2026-11-09", "total"),
        ("2026-11-09", "2026-11-16", "retail"),
        ("2026-11-09", "2026-11-16", "total"),
    ]
    assert list(got.columns) == ACCURACY_COLUMNS
    first = got.iloc[0]
    assert first["calls_actual"] == 1234.6  # calls with 1 decimal
    assert first["service_level_actual"] == 0.8123  # fractions with 4
    assert first["service_source"] == "acd"
    assert np.isnan(first["wape_day"]) and got["service_source"].iloc[1] == ""
    lines = path.read_text().splitlines()
    assert lines[0] == HEADER
    assert lines[1] == "2026-11-09,2026-11-02,retail,1234.6,,,,,,,,,,,0.8123,acd,,"


def test_the_file_round_trips_through_the_reader_to_4_decimals(tmp_path):
    rng = np.random.default_rng(7)
    records = []
    for week in mondays("2026-10-05", 3):
        for q in ("retail", "business", "total"):
            rec = {"run": "2026-11-30", "week": week, "queue": q, "service_source": "estimated"}
            rec.update({c: float(rng.uniform(0, 1)) for c in ACCURACY_COLUMNS if c not in rec})
            rec["bias"] = float(rng.uniform(-0.5, 0.5))
            records.append(rec)
    rows = accuracy_row_frame(records)
    path = record_accuracy(tmp_path, rows)
    got = read_accuracy(path)
    assert len(got) == 9
    merged = rows.merge(got, on=["run", "week", "queue"], suffixes=("", "_read"))
    for c in ("wape_day", "bias", "band_coverage", "service_level_actual", "mase_interval"):
        np.testing.assert_allclose(merged[f"{c}_read"], merged[c].round(4), atol=1e-12)
    np.testing.assert_allclose(merged["calls_actual_read"], merged["calls_actual"].round(1), atol=1e-12)
    # written again, the bytes are the same (no timestamp, same order)
    before = path.read_bytes()
    record_accuracy(tmp_path, got[got["run"] == "2026-11-30"])
    assert path.read_bytes() == before


def test_rows_the_reader_would_reject_are_a_value_error_for_the_writer(tmp_path):
    with pytest.raises(ValueError, match="columns differ"):
        record_accuracy(tmp_path, week_rows("r", "2026-11-09", {"retail": {}}).drop(columns="bias"))
    with pytest.raises(ValueError, match="Tuesday"):
        record_accuracy(tmp_path, week_rows("r", "2026-11-10", {"retail": {}}))
    with pytest.raises(ValueError, match="service_level_actual"):
        record_accuracy(tmp_path, week_rows("r", "2026-11-09", {"retail": {"service_level_actual": 1.2}}))
    with pytest.raises(ValueError, match="unknown column"):
        accuracy_row_frame([{"run": "r", "week": "2026-11-09", "queue": "retail", "wape": 0.1}])
    assert not (tmp_path / "accuracy.csv").exists()


def test_no_file_reads_as_no_rows_and_the_trend_says_to_review_first(tmp_path):
    assert list(read_accuracy(tmp_path / "accuracy.csv").columns) == ACCURACY_COLUMNS
    assert read_accuracy(tmp_path / "accuracy.csv").empty
    with pytest.raises(InputError, match=r"no reviews recorded yet \(accuracy.csv\); run `wfm review RUN"):
        trend(tmp_path, SETTINGS)
    (tmp_path / "accuracy.csv").write_text(HEADER + "\n")
    with pytest.raises(InputError, match="no reviews recorded yet"):
        trend(tmp_path, SETTINGS)


def _write(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "accuracy.csv"
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


ROW = "2026-11-16,2026-11-09,retail,1500.0,1450.0,0.2000,0.1500,{wape_day},0.0500,-0.0333,0.9000,0.8000,,0.8000,0.7500,acd,12.5,3.0"


def test_a_cell_that_is_not_a_number_is_named_by_file_line_and_field(tmp_path):
    path = _write(tmp_path, ROW.format(wape_day="0.1000"), ROW.format(wape_day="abc").replace("retail", "total"))
    with pytest.raises(InputError) as err:
        read_accuracy(path)
    assert str(err.value) == f"{path}, line 3, field 'wape_day': is not a number: 'abc'"


def test_a_second_row_for_one_run_week_and_queue_is_named_by_its_line(tmp_path):
    path = _write(tmp_path, ROW.format(wape_day="0.1000"), ROW.format(wape_day="0.1200"))
    with pytest.raises(InputError, match=r"accuracy.csv, line 3: a second row for run '2026-11-16', week 2026-11-09 "
                                         r"and queue 'retail' \(the first is line 2\)"):
        read_accuracy(path)


def test_a_missing_column_is_named(tmp_path):
    header = HEADER.replace(",hours_short", "")
    path = _write(tmp_path, ROW.format(wape_day="0.1").rsplit(",", 1)[0], header=header)
    with pytest.raises(InputError, match=r"accuracy.csv: missing column\(s\) hours_short"):
        read_accuracy(path)


def test_a_week_that_is_not_a_monday_is_named(tmp_path):
    path = _write(tmp_path, ROW.format(wape_day="0.1").replace("2026-11-09", "2026-11-11"))
    with pytest.raises(InputError, match="line 2, field 'week': 2026-11-11 is a Wednesday, not the Monday"):
        read_accuracy(path)


# --------------------------------------------------------------------------- bias flags
def test_three_weeks_over_tolerance_flag_over_with_their_mean(tmp_path):
    record_biases(tmp_path, [0.05, 0.04, 0.03], mondays("2026-11-02", 3))
    t = trend(tmp_path, SETTINGS)
    assert t.flags == [{"queue": "retail", "side": "over", "weeks": 3, "since": "2026-11-02",
                        "bias": pytest.approx(0.04)}]
    assert t.exit_code == 1
    assert list(t.weeks["flags"]) == ["bias over"] * 3


def test_a_week_inside_tolerance_breaks_the_streak(tmp_path):
    record_biases(tmp_path, [0.05, 0.01, 0.05], mondays("2026-11-02", 3))
    t = trend(tmp_path, SETTINGS)
    assert t.flags == [] and t.exit_code == 0


def test_a_missing_week_breaks_the_streak(tmp_path):
    weeks = mondays("2026-11-02", 4)
    record_biases(tmp_path, [0.05, 0.04, 0.03], [weeks[0], weeks[1], weeks[3]])  # 2026-11-16 not reviewed
    assert trend(tmp_path, SETTINGS).flags == []
    record_biases(tmp_path, [0.04], [weeks[2]])  # reviewed late: the streak is whole, 4 weeks
    flags = trend(tmp_path, SETTINGS).flags
    assert [(f["side"], f["weeks"], f["since"]) for f in flags] == [("over", 4, "2026-11-02")]
    assert flags[0]["bias"] == pytest.approx(0.04)


def test_three_weeks_under_tolerance_flag_under(tmp_path):
    record_biases(tmp_path, [0.01, -0.03, -0.03, -0.03], mondays("2026-11-02", 4), queue="total")
    t = trend(tmp_path, SETTINGS)
    assert [(f["queue"], f["side"], f["weeks"], f["since"]) for f in t.flags] == [("total", "under", 3,
                                                                                   "2026-11-09")]
    assert t.flags[0]["bias"] == pytest.approx(-0.03)
    assert "bias: total forecast below actuals for 3 weeks since 2026-11-09 (mean -3.0%)" in t.render()


def test_sides_must_agree_and_the_tolerance_itself_is_not_beyond_it(tmp_path):
    record_biases(tmp_path, [-0.05, 0.05, 0.05], mondays("2026-11-02", 3), queue="a")
    record_biases(tmp_path, [0.02, 0.02, 0.02], mondays("2026-11-02", 3), queue="b")
    assert trend(tmp_path, SETTINGS).flags == []


def test_the_flag_line_reads_as_a_sentence(tmp_path):
    record_biases(tmp_path, [0.0, 0.05, 0.06, 0.07, 0.068], mondays("2026-11-02", 5))
    text = trend(tmp_path, SETTINGS).render()
    assert "bias: retail forecast above actuals for 4 weeks since 2026-11-09 (mean +6.2%)" in text.splitlines()


def test_the_latest_run_reviewing_a_week_wins(tmp_path):
    weeks = mondays("2026-11-02", 3)
    record_biases(tmp_path, [0.05, 0.04, 0.03], weeks)
    # a later run reviews the middle week again and finds it inside tolerance: no streak of 3 any more
    record_accuracy(tmp_path, week_rows("2026-11-30", weeks[1], {"retail": {"bias": 0.0, "wape_day": 0.1}}))
    t = trend(tmp_path, SETTINGS)
    assert t.flags == []
    assert list(t.weeks["run"]) == [weeks[0], "2026-11-30", weeks[2]]
    assert t.notes == ["1 week(s) reviewed by more than one run (2026-11-09); each shows its latest run (by "
                       "folder name)"]


# --------------------------------------------------------------------------- WAPE breaches
def test_the_latest_weeks_wape_above_max_wape_breaches(tmp_path):
    weeks = mondays("2026-11-02", 2)
    record_accuracy(tmp_path, week_rows(weeks[0], weeks[0], {"retail": {"wape_day": 0.3, "wape_interval": 0.1}}))
    record_accuracy(tmp_path, week_rows(weeks[1], weeks[1], {"retail": {"wape_day": 0.2, "wape_interval": 0.1},
                                                            "total": {"wape_day": 0.1}}))
    t = trend(tmp_path, SETTINGS)
    assert t.breaches == [{"queue": "retail", "week": "2026-11-09", "wape": 0.2}]
    assert t.exit_code == 1
    assert "wape: retail 20.0% per day in the week of 2026-11-09, above max_wape 15.0%" in t.render()
    assert trend(tmp_path, SETTINGS.model_copy(update={"max_wape": None})).exit_code == 0
    assert trend(tmp_path, SETTINGS.model_copy(update={"wape_level": "interval"})).exit_code == 0  # 10%


def test_to_dict_is_json_ready(tmp_path):
    record_biases(tmp_path, [0.05, 0.04, 0.03], mondays("2026-11-02", 3), wape_day=0.2)
    d = trend(tmp_path, SETTINGS).to_dict()
    assert set(d) == {"weeks", "flags", "breaches", "exit_code", "settings", "notes"}
    assert d["exit_code"] == 1
    assert d["flags"] == [{"queue": "retail", "side": "over", "weeks": 3, "since": "2026-11-02", "bias": 0.04}]
    assert d["breaches"] == [{"queue": "retail", "week": "2026-11-16", "wape": 0.2}]
    assert d["weeks"][0]["calls_actual"] is None and d["weeks"][0]["service_source"] is None
    assert d["settings"]["bias_weeks"] == 3


# --------------------------------------------------------------------------- chart
def test_the_chart_is_a_png_with_the_same_bytes_each_time(tmp_path):
    record_biases(tmp_path, [0.05, 0.04, 0.03], mondays("2026-11-02", 3))
    record_accuracy(tmp_path, week_rows("2026-11-30", "2026-11-30", {
        "total": {"wape_day": 0.2, "bias": -0.01, "service_level_planned": 0.8, "service_level_actual": 0.7,
                  "service_source": "estimated"}}))
    t = trend(tmp_path, SETTINGS)
    png = t.chart()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    out = t.write_chart(tmp_path / "trend.png")  # drawn a second time
    assert out.read_bytes() == png


# --------------------------------------------------------------------------- writing safely
def _record_runs(runs: str, names: list[str], start: Any) -> None:
    start.wait()
    for name in names:
        record_accuracy(runs, week_rows(name, "2026-11-09", {"retail": {"bias": 0.01}, "total": {"bias": 0.01}}))


def test_two_processes_recording_at_once_lose_no_run(tmp_path):
    ctx = multiprocessing.get_context("fork")
    start = ctx.Barrier(2)
    names = [[f"2026-11-{p}{k}" for k in range(5)] for p in (1, 2)]
    procs = [ctx.Process(target=_record_runs, args=(str(tmp_path), n, start)) for n in names]
    for p in procs:
        p.start()
    for p in procs:
        p.join(30)
    assert [p.exitcode for p in procs] == [0, 0]
    got = read_accuracy(tmp_path / "accuracy.csv")
    assert sorted(set(got["run"])) == sorted(names[0] + names[1])
    assert len(got) == 20


def test_a_link_planted_at_accuracy_csv_is_replaced_never_written_through(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    other = record_accuracy(elsewhere, week_rows("2026-11-02", "2026-11-02", {"retail": {"bias": 0.5}}))
    before = other.read_bytes()
    runs = tmp_path / "runs"
    runs.mkdir()
    os.symlink(other, runs / "accuracy.csv")
    path = record_accuracy(runs, week_rows("2026-11-09", "2026-11-09", {"retail": {"bias": 0.01}}))
    assert other.read_bytes() == before
    assert not path.is_symlink() and path.is_file()
    assert list(read_accuracy(path)["run"]) == ["2026-11-02", "2026-11-09"]  # the rows it pointed at are kept


def test_a_link_to_a_file_that_is_not_accuracy_csv_is_an_input_error_and_the_file_is_untouched(tmp_path):
    other = tmp_path / "notes.csv"
    other.write_text("a,b\n1,2\n")
    runs = tmp_path / "runs"
    runs.mkdir()
    os.symlink(other, runs / "accuracy.csv")
    with pytest.raises(InputError, match=r"accuracy.csv: missing column\(s\) run, week"):
        record_accuracy(runs, week_rows("2026-11-09", "2026-11-09", {"retail": {"bias": 0.01}}))
    assert other.read_text() == "a,b\n1,2\n"
