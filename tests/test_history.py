"""History loading and cleaning: every messy-input case the forecast issue lists."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wfm.config import load_config, parse_config
from wfm.errors import InputError
from wfm.history import (
    clean_history,
    open_intervals,
    parse_dates,
    prepare_history,
    read_history,
    resolve_holidays,
    set_special_days,
)

ROOT = Path(__file__).resolve().parents[1]


def _frame(start: str, days: int, minutes: int = 60, queue: str | None = "q", value=None) -> pd.DataFrame:
    ts = pd.date_range(start, periods=days * 1440 // minutes, freq=f"{minutes}min")
    vol = np.arange(len(ts)) % 7 + 1 if value is None else np.full(len(ts), value)
    out = pd.DataFrame({"timestamp": ts.strftime("%Y-%m-%d %H:%M"), "volume": vol.astype(str)})
    if queue is not None:
        out.insert(1, "queue", queue)
    return out


def _write(tmp_path, text: str):
    p = tmp_path / "h.csv"
    p.write_text(text)
    return p


# --------------------------------------------------------------------------- columns and aliases
@pytest.mark.parametrize("alias", ["calls", "offered", "volume"])
def test_volume_aliases(tmp_path, alias):
    p = _write(tmp_path, f"timestamp,{alias}\n2026-01-05 00:00,3\n2026-01-05 01:00,4\n2026-01-05 02:00,5\n")
    h = clean_history(read_history(p), source=str(p), default_queue="retail")
    assert h.queues == ["retail"]
    assert h.interval_minutes == 60
    assert h.start == pd.Timestamp("2026-01-05")  # a Monday
    assert list(h.volume[0, 0, :3]) == [3, 4, 5]
    assert np.isnan(h.volume[0, 0, 3])


def test_grid_starts_on_the_monday_before(tmp_path):
    p = _write(tmp_path, "timestamp,volume\n2026-01-08 10:00,3\n2026-01-08 11:00,4\n")  # a Thursday
    h = clean_history(read_history(p), source=str(p))
    assert h.start == pd.Timestamp("2026-01-05")
    assert h.volume.shape == (1, 4, 24)
    assert h.volume[0, 3, 10] == 3


# --------------------------------------------------------------------------- messy rows
def test_unsorted_duplicates_and_conflicts(tmp_path):
    p = _write(
        tmp_path,
        "timestamp,queue,volume,aht\n"
        "2026-01-05 02:00,a,5,100\n"
        "2026-01-05 00:00,a,3,100\n"
        "2026-01-05 01:00,a,4,100\n"
        "2026-01-05 01:00,a,4,100\n"  # exact duplicate: dropped
        "2026-01-05 02:00,a,6,120\n"  # conflicting duplicate: the last one wins
        "2026-01-05 00:00,b,9,\n",
    )
    h = clean_history(read_history(p), source="h.csv")
    r = h.report
    assert r.sorted_rows and r.duplicates_dropped == 1 and r.conflicts_kept_last == 1
    assert h.queues == ["a", "b"]
    assert list(h.volume[0, 0, :3]) == [3, 4, 6]
    assert h.aht[0, 0, 2] == 120
    assert r.summary.startswith(
        "h.csv: 6 rows, 2 queues, 60-min intervals, 2026-01-05..2026-01-05; sorted; "
        "1 duplicate rows dropped; 1 conflicting duplicates (kept the last); 1 intervals with calls but no aht"
    )


def test_blank_volume_is_a_gap_not_a_zero(tmp_path):
    f = _frame("2026-01-05", 14)
    f.loc[30, "volume"] = ""
    h = clean_history(f, source="h.csv")
    assert np.isnan(h.volume[0, 1, 6])
    assert h.report.blank_volume == 1
    assert h.report.gap_intervals == 1
    assert "1 blank volume cells left missing" in h.report.summary
    assert "1 gap intervals left missing, not zero" in h.report.summary


def test_missing_day_does_not_shift_the_calendar():
    f = _frame("2026-01-05", 21)
    ts = pd.to_datetime(f["timestamp"])
    f = f[ts.dt.normalize() != pd.Timestamp("2026-01-14")]  # drop a Wednesday
    h = clean_history(f, source="h.csv")
    assert np.isnan(h.volume[0, 9]).all()
    assert np.isfinite(h.volume[0, 10]).all()
    # Thursday 2026-01-15 is day 10: its first value is row 240's volume in the full frame
    assert h.volume[0, 10, 0] == 240 % 7 + 1
    assert h.report.missing_days == 1 and h.report.gap_intervals == 24


@pytest.mark.parametrize("minutes", [5, 6, 10, 15, 30, 60])
def test_interval_inferred(minutes):
    h = clean_history(_frame("2026-01-05", 2, minutes), source="h.csv")
    assert h.interval_minutes == minutes and h.per_day == 1440 // minutes


def test_interval_inferred_despite_missing_rows():
    f = _frame("2026-01-05", 2, 15).iloc[::3]  # every third row missing... steps of 45 min
    f = pd.concat([f, _frame("2026-01-07", 1, 15)])
    assert clean_history(f, source="h.csv").interval_minutes == 15


def test_unsupported_interval_is_rejected():
    ts = pd.date_range("2026-01-05", periods=20, freq="7min")
    f = pd.DataFrame({"timestamp": ts.strftime("%Y-%m-%d %H:%M"), "volume": "1"})
    with pytest.raises(InputError, match="intervals of 7 minutes are not supported"):
        clean_history(f, source="h.csv")


def test_aggregate_to_a_coarser_interval():
    f = pd.DataFrame({
        "timestamp": ["2026-01-05 00:00", "2026-01-05 00:15", "2026-01-05 00:30", "2026-01-05 00:45"],
        "volume": ["10", "30", "0", "5"],
        "aht": ["100", "200", "", "300"],
    })
    h = clean_history(f, source="h.csv", interval_minutes=30)
    assert h.interval_minutes == 30 and h.report.aggregated_from == 15
    assert list(h.volume[0, 0, :2]) == [40, 5]
    assert h.aht[0, 0, 0] == pytest.approx((10 * 100 + 30 * 200) / 40)
    assert h.aht[0, 0, 1] == 300


def test_timestamp_off_the_grid():
    f = pd.DataFrame({"timestamp": ["2026-01-05 00:00", "2026-01-05 00:15", "2026-01-05 00:37"], "volume": "1"})
    with pytest.raises(InputError, match=r"h.csv, line 4, field 'timestamp': 2026-01-05 00:37:00 is not on the "
                                         r"15-minute grid"):
        clean_history(f, source="h.csv")


def test_negative_volume_names_line_and_field(tmp_path):
    p = _write(tmp_path, "timestamp,queue,calls\n2026-01-05 00:00,a,3\n\n2026-01-05 01:00,a,-2\n")
    with pytest.raises(InputError) as exc:
        clean_history(read_history(p), source=str(p))
    assert str(exc.value) == f"{p}, line 4, field 'volume': -2 is negative"


def test_unparseable_timestamp_names_line_and_field(tmp_path):
    p = _write(tmp_path, "timestamp,volume\n2026-01-05 00:00,3\n2026-13-45 01:00,4\n")
    with pytest.raises(InputError) as exc:
        clean_history(read_history(p), source=str(p))
    assert str(exc.value) == (
        f"{p}, line 3, field 'timestamp': is not a timestamp: '2026-13-45 01:00' (expected YYYY-MM-DD HH:MM)"
    )


def test_text_volume_and_negative_aht(tmp_path):
    p = _write(tmp_path, "timestamp,volume,aht\n2026-01-05 00:00,3,100\n2026-01-05 01:00,lots,100\n")
    with pytest.raises(InputError, match=r"line 3, field 'volume': is not a number: 'lots'"):
        clean_history(read_history(p), source=str(p))
    p = _write(tmp_path, "timestamp,volume,aht\n2026-01-05 00:00,3,100\n2026-01-05 01:00,4,-5\n")
    with pytest.raises(InputError, match=r"line 3, field 'aht': -5 is negative"):
        clean_history(read_history(p), source=str(p))


def test_missing_volume_column(tmp_path):
    p = _write(tmp_path, "timestamp,queue\n2026-01-05 00:00,a\n")
    with pytest.raises(InputError, match="missing column"):
        read_history(p)


# --------------------------------------------------------------------------- DST
def test_dst_23_and_25_hour_days_in_the_config_timezone():
    # Europe/London: 2026-03-29 has no 01:00-01:59; 2026-10-25 has 01:00-01:59 twice.
    spring = pd.date_range("2026-03-29", periods=96, freq="15min")
    spring = spring[(spring.hour != 1)]
    autumn = pd.date_range("2026-10-25", periods=96, freq="15min")
    repeated = autumn[autumn.hour == 1]
    rows = [(t, 10) for t in spring] + [(t, 10) for t in autumn] + [(t, 20) for t in repeated]
    f = pd.DataFrame({"timestamp": [t.strftime("%Y-%m-%d %H:%M") for t, _ in rows],
                      "volume": [str(v) for _, v in rows]})
    h = clean_history(f, source="h.csv", timezone="Europe/London")
    r = h.report
    assert r.dst_days == 2
    assert r.dst_repeated_merged == 8  # 4 intervals x 2 passes, averaged
    assert r.conflicts_kept_last == 0
    autumn_day = (pd.Timestamp("2026-10-25") - h.start).days
    assert list(h.volume[0, autumn_day, 4:8]) == [15, 15, 15, 15]
    # the missing hour of the 23-hour day is not a gap
    spring_day = (pd.Timestamp("2026-03-29") - h.start).days
    assert np.isnan(h.volume[0, spring_day, 4:8]).all()
    # only Sundays carry data, so only the 29 Sundays in between are gaps (other weekdays look closed)
    assert r.missing_days == 29 and r.gap_intervals == 29 * 96
    # the same repeated timestamps in UTC are plain conflicting duplicates (kept the last: the file names its
    # queue; without a queue column they would be the rows of several queues, an error)
    h_utc = clean_history(f.assign(queue="q"), source="h.csv", timezone="UTC")
    assert h_utc.report.conflicts_kept_last == 4 and h_utc.report.dst_repeated_merged == 0


# --------------------------------------------------------------------------- opening hours
def _business_hours(weeks: int = 4) -> pd.DataFrame:
    """Weekdays 08:00-17:59 only, hourly; no rows at night or at weekends."""
    ts = pd.date_range("2026-01-05", periods=weeks * 7 * 24, freq="60min")
    ts = ts[(ts.day_of_week < 5) & (ts.hour >= 8) & (ts.hour < 18)]
    return pd.DataFrame({"timestamp": ts.strftime("%Y-%m-%d %H:%M"), "volume": "10"})


def test_closed_intervals_are_learnt_and_gaps_are_not_zeros():
    f = _business_hours()
    f = f[f["timestamp"] != "2026-01-13 10:00"]  # one missing interval inside opening hours
    h = clean_history(f, source="h.csv")
    op = open_intervals(h.volume)[0]
    assert op.sum() == 5 * 10
    assert op[0, 8:18].all() and not op[0, :8].any() and not op[5].any()
    assert h.report.closed_intervals_per_week == 7 * 24 - 50
    assert h.report.gap_intervals == 1 and h.report.missing_days == 0


def test_zero_rows_count_as_closed():
    f = _frame("2026-01-05", 14, value=5)
    ts = pd.to_datetime(f["timestamp"])
    f.loc[ts.dt.hour < 6, "volume"] = "0"
    h = clean_history(f, source="h.csv")
    assert h.report.closed_intervals_per_week == 7 * 6
    assert h.report.gap_intervals == 0


# --------------------------------------------------------------------------- special days
def test_parse_dates_lists_and_ranges():
    assert parse_dates("2026-01-01, 2026-02-16..2026-02-18") == {
        dt.date(2026, 1, 1), dt.date(2026, 2, 16), dt.date(2026, 2, 17), dt.date(2026, 2, 18)
    }
    with pytest.raises(InputError, match=r"--exclude: 'Jan 1' is not a date or range"):
        parse_dates("Jan 1")
    with pytest.raises(InputError, match="ends before it starts"):
        parse_dates("2026-02-18..2026-02-16")


def test_resolve_holidays_file_list_and_country(tmp_path):
    p = tmp_path / "hol.csv"
    p.write_text("date,name\n2026-01-01,New year\n2026-05-01,Labour day\n")
    assert resolve_holidays(str(p)) == {dt.date(2026, 1, 1), dt.date(2026, 5, 1)}
    p2 = tmp_path / "hol.txt"
    p2.write_text("2026-01-01\n2026-10-01\n")
    assert resolve_holidays(str(p2)) == {dt.date(2026, 1, 1), dt.date(2026, 10, 1)}
    assert resolve_holidays("2026-01-01") == {dt.date(2026, 1, 1)}
    cn = resolve_holidays("CN", [2026])
    assert dt.date(2026, 10, 1) in cn and dt.date(2026, 1, 1) in cn
    with pytest.raises(InputError, match="not a known country code"):
        resolve_holidays("XX", [2026])
    p.write_text("date\n2026-01-01\nsoon\n")
    with pytest.raises(InputError, match=r"hol.csv, line 3, field 'date': is not a date: 'soon'"):
        resolve_holidays(str(p))


def test_exclude_and_holidays_are_kept_out_of_training():
    h = clean_history(_frame("2026-01-05", 14), source="h.csv", exclude={dt.date(2026, 1, 7)},
                      holidays={dt.date(2026, 1, 12)})
    assert h.excluded[2] and h.holiday[7] and h.report.excluded_days == 1 and h.report.holiday_days == 1
    train = h.training_volume()
    assert np.isnan(train[0, 2]).all() and np.isnan(train[0, 7]).all() and np.isfinite(train[0, 3]).all()
    assert np.isfinite(h.volume[0, 7]).all()  # the holiday's real volume is kept (holiday history)
    set_special_days(h)
    assert not h.excluded.any() and h.report.excluded_days == 0
    assert "1 days excluded" not in h.report.summary


def test_to_frame_round_trip():
    f = _frame("2026-01-05", 7)
    h = clean_history(f, source="h.csv")
    back = h.to_frame()
    assert len(back) == len(f)
    assert back["volume"].tolist() == f["volume"].astype(float).tolist()


def test_column_aliases_and_utc_offsets_that_change(tmp_path):
    # an export with ISO timestamps whose UTC offset changes at DST: the local wall time is kept
    p = _write(tmp_path, "interval_start,queue,calls_offered,handle_time\n"
                         "2026-03-29T00:00:00+01:00,a,3,100\n2026-03-29T01:00:00+01:00,a,4,110\n"
                         "2026-03-29T03:00:00+02:00,a,5,120\n")
    h = clean_history(read_history(p), source=str(p), timezone="Europe/Berlin", interval_minutes=60)
    day = (pd.Timestamp("2026-03-29") - h.start).days
    assert list(h.volume[0, day, [0, 1, 3]]) == [3, 4, 5]
    assert np.isnan(h.volume[0, day, 2])  # 02:00 does not exist that day in Berlin
    assert list(h.aht[0, day, [0, 1, 3]]) == [100, 110, 120]
    assert h.report.dst_days == 1


def test_interval_finer_than_the_data_is_rejected():
    with pytest.raises(InputError, match="--interval 15 is finer than the data's 30-minute intervals"):
        clean_history(_frame("2026-01-05", 2, 30), source="h.csv", interval_minutes=15)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), dup_frac=st.floats(0, 0.5), drop_frac=st.floats(0, 0.3))
def test_cleaning_is_order_and_duplicate_invariant(seed, dup_frac, drop_frac):
    """Shuffling rows and repeating some of them never changes the grid; dropped rows become NaN gaps."""
    rng = np.random.default_rng(seed)
    base = _frame("2026-01-05", 14, 60)
    base["volume"] = rng.poisson(10, len(base)).astype(str)
    keep = rng.random(len(base)) >= drop_frac
    keep[:2] = True  # the interval stays inferable
    kept = base[keep]
    messy = pd.concat([kept, kept.sample(frac=dup_frac, random_state=seed)]).sample(frac=1.0, random_state=seed)
    h = clean_history(messy.reset_index(drop=True), source="h.csv")
    ref = clean_history(kept.reset_index(drop=True), source="h.csv")
    np.testing.assert_array_equal(h.volume, ref.volume)
    grid = h.volume[0].ravel()[: len(base)]
    np.testing.assert_array_equal(np.isnan(grid), ~keep)
    assert h.report.duplicates_dropped == len(messy) - len(kept)


# --------------------------------------------------------------------------- prepare_history: the one way in
def test_prepare_history_adds_the_configs_special_days_to_the_users():
    cfg = parse_config({
        "centre": {"interval_minutes": 60}, "queues": [{"name": "q"}],
        "forecast": {"holidays": ["2026-01-06"], "exclude": ["2026-01-08..2026-01-09"]},
    })
    h = prepare_history(_frame("2026-01-05", 14), cfg, source="h.csv", holidays="2026-01-13", exclude={dt.date(2026, 1, 15)})
    assert [d.date().isoformat() for d in h.dates()[h.holiday]] == ["2026-01-06", "2026-01-13"]
    assert [d.date().isoformat() for d in h.dates()[h.excluded]] == ["2026-01-08", "2026-01-09", "2026-01-15"]
    assert h.report.summary.endswith("3 days excluded; 2 holidays")
    bare = prepare_history(_frame("2026-01-05", 14), source="h.csv")  # no config: UTC, no special days
    assert bare.timezone == "UTC" and not bare.holiday.any() and not bare.excluded.any()


def test_the_whatif_baseline_forecasts_the_prepared_history(example_config, monkeypatch):
    """The what-if baseline forecast sees the config's [forecast] special days, as `wfm forecast` does: the
    example's 10 holidays, its excluded storm day, and a holiday in the horizon forecast as a holiday."""
    from wfm import forecast as fc
    from wfm import whatif

    cfg = load_config(example_config)
    cfg.forecast.holidays.append("2026-12-01")  # a Tuesday in the baseline's week
    raw = read_history(ROOT / "forecasts" / "history.csv")
    seen = []
    real_forecast = fc.forecast

    def spy(history, *args, **kwargs):
        seen.append(history)
        return real_forecast(history, *args, **kwargs)

    monkeypatch.setattr(fc, "forecast", spy)
    empty = pd.DataFrame(columns=whatif.ROSTER_COLUMNS)  # given, so no roster is built: only the forecast counts
    forecast, _, _ = whatif.baseline_inputs(cfg, history=raw, roster=empty, horizon_days=7)
    (h,) = seen
    assert h.report.holiday_days == 10 and h.report.excluded_days == 1
    assert [d.date() for d in h.dates()[h.excluded]] == [dt.date(2026, 8, 12)]
    day = pd.to_datetime(forecast["timestamp"]).dt.date
    holiday_total = forecast.loc[day == dt.date(2026, 12, 1), "volume"].sum()
    ts = pd.to_datetime(raw["timestamp"])
    tuesdays = raw["volume"].astype(float)[ts.dt.date.isin([dt.date(2026, 11, d) for d in (3, 10, 17, 24)])]
    assert holiday_total < 0.6 * tuesdays.sum() / 4  # holidays run at about 40% of a normal day
