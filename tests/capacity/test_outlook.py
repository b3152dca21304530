from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from tests.conftest import EXAMPLE_CONFIG, ROOT
from wfm import erlang
from wfm.capacity.outlook import COLUMNS, weekly_requirement
from wfm.capacity.settings import CapacityFile
from wfm.config import load_config, parse_config
from wfm.errors import ConfigError, InputError
from wfm.staffing import interval_requirement, staff, staffing_requirement

VOLUME = 100.0  # calls an hour, every hour of the synthetic history
AHT = 180.0
PER_WEEK = 7 * 24  # 60-minute intervals


def _config(forecast: dict | None = None):
    data: dict = {
        "centre": {"interval_minutes": 60},
        "queues": [{"name": "sales", "service_level": 0.8, "answer_within_s": 20, "shrinkage": 0.25, "aht_s": AHT}],
    }
    if forecast:
        data["forecast"] = forecast
    return parse_config(data)


def _cap(**settings) -> CapacityFile:
    base = {"start": "2026-03-02", "weeks": 8, "attrition_per_year": 0.3, "hiring": {"lead_time_weeks": 0}}
    outlook = settings.pop("outlook", {})
    base.update(settings)
    base["outlook"] = {"shape_weeks": 4, **outlook}
    return CapacityFile.model_validate({"capacity": base})


def _history(tmp_path, weeks: int = 6, start: str = "2026-01-05", spike: str | None = None):
    stamps = pd.date_range(start, periods=weeks * PER_WEEK, freq="60min")
    vol = np.full(len(stamps), VOLUME)
    if spike is not None:  # a storm day: ten times the calls
        vol[stamps.normalize() == pd.Timestamp(spike)] *= 10
    path = tmp_path / "history.csv"
    pd.DataFrame({"timestamp": stamps.strftime("%Y-%m-%d %H:%M"), "queue": "sales", "volume": vol,
                  "aht": AHT}).to_csv(path, index=False)
    return path


def _erlang_c_agents(calls: float, aht: float, interval_s: float, sl: float, within: float) -> int:
    """The fewest agents answering ``sl`` within ``within`` seconds (Erlang C), by counting up from the load."""
    a = calls * aht / interval_s
    n = int(np.floor(a)) + 1
    while 1 - float(erlang.erlang_c(a, n)) * np.exp(-(n - a) * within / aht) < sl:
        n += 1
    return n


def test_flat_requirement_every_week():
    cfg = _config()
    req = weekly_requirement(cfg, _cap(requirement_fte=120, fte_hours=37.5, weeks=10))
    f = req.frame
    assert req.source == "flat"
    assert list(f.columns) == COLUMNS and len(f) == 10
    assert f["week"].iloc[0] == pd.Timestamp("2026-03-02") and f["week"].iloc[-1] == pd.Timestamp("2026-05-04")
    assert (f["required_fte"] == 120).all()
    assert (f["agent_hours"] == 4500).all()  # 120 FTE x 37.5 paid hours
    assert f["calls"].isna().all() and f["aht"].isna().all()
    assert (f["shrinkage"] == 0.25).all()  # the one queue's
    assert f["peak"].all()  # all equal: every week is at the 90th percentile


def test_flat_ignores_history_with_a_note(tmp_path):
    req = weekly_requirement(_config(), _cap(requirement_fte=50), history=tmp_path / "absent.csv")
    assert req.source == "flat"
    assert any("ignored" in n for n in req.notes)


def test_no_source_names_requirement_fte():
    with pytest.raises(ConfigError, match=r"capacity\.requirement_fte.*--history or --forecast"):
        weekly_requirement(_config(), _cap())


def test_history_constant_load_gives_erlang_agents_every_hour(tmp_path):
    agents = _erlang_c_agents(VOLUME, AHT, 3600, 0.8, 20)
    assert agents == 8  # 5 Erlangs: 7 agents answer 75.9% within 20 s, 8 agents 89.3%
    req = weekly_requirement(_config(), _cap(weeks=8), history=_history(tmp_path))
    f = req.frame
    assert req.source == "history"
    assert np.allclose(f["agent_hours"], PER_WEEK * agents * 1.0)  # 168 hours x 8 agents = 1344
    assert np.allclose(f["required_fte"], 1344 / 40)
    assert np.allclose(f["calls"], VOLUME * PER_WEEK)
    assert np.allclose(f["aht"], AHT)
    assert (f["shrinkage"] == 0.25).all()


def test_history_growth_compounds_from_the_shape_middle(tmp_path):
    # shape: the last 3 of 6 weeks, 2026-01-26..2026-02-15; its middle is Thursday 2026-02-05 noon, and the
    # week of 2027-02-01 has its middle (Thursday 2027-02-04 noon) exactly 52 weeks later (2026-02-16: 2 weeks)
    cap = _cap(start="2026-02-16", weeks=60, growth_per_year=0.10, outlook={"shape_weeks": 3})
    f = weekly_requirement(_config(), cap, history=_history(tmp_path)).frame.set_index("week")
    assert f.loc[pd.Timestamp("2027-02-01"), "calls"] == pytest.approx(VOLUME * PER_WEEK * 1.10, rel=1e-9)
    assert f.loc[pd.Timestamp("2026-02-16"), "calls"] == pytest.approx(VOLUME * PER_WEEK * 1.1 ** (2 / 52),
                                                                         rel=1e-9)
    assert (np.diff(f["calls"].to_numpy()) > 0).all()
    assert (np.diff(f["agent_hours"].to_numpy()) >= 0).all()
    # the same file with growth overridden to 0 (a sweep): flat calls
    g = weekly_requirement(_config(), cap, history=_history(tmp_path), growth=0.0).frame
    assert np.allclose(g["calls"], VOLUME * PER_WEEK)


def test_aht_factor_scales_handle_time(tmp_path):
    f = weekly_requirement(_config(), _cap(outlook={"aht_factor": 1.5}), history=_history(tmp_path)).frame
    assert np.allclose(f["aht"], 270.0)
    assert np.allclose(f["agent_hours"], PER_WEEK * _erlang_c_agents(VOLUME, 270.0, 3600, 0.8, 20))


def test_monthly_index_doubles_december(tmp_path):
    index = [1.0] * 11 + [2.0]  # the shape's weeks (January) are neutral
    cap = _cap(start="2026-03-02", weeks=44, outlook={"monthly_index": index})  # to 2026-12-28
    f = weekly_requirement(_config(), cap, history=_history(tmp_path)).frame.set_index("week")
    march = f.loc[pd.Timestamp("2026-03-02"), "calls"]
    assert march == VOLUME * PER_WEEK
    assert f.loc[pd.Timestamp("2026-12-07"), "calls"] == 2 * march
    # 2026-11-30's Thursday is 3 December: a December week; 2026-11-23's (26 November) is not
    assert f.loc[pd.Timestamp("2026-11-30"), "calls"] == 2 * march
    assert f.loc[pd.Timestamp("2026-11-23"), "calls"] == march
    # 5 December weeks of 44: the 90th percentile (position 38.7 of 0..43) lies between the plain and the
    # December weeks' FTE, so exactly the December weeks are peak weeks
    assert f.index[f["peak"]].strftime("%m-%d").tolist() == ["11-30", "12-07", "12-14", "12-21", "12-28"]


def test_excluded_day_does_not_distort_the_shape(tmp_path):
    path = _history(tmp_path, spike="2026-02-04")
    cfg = _config(forecast={"exclude": ["2026-02-04"]})
    f = weekly_requirement(cfg, _cap(), history=path).frame
    assert np.allclose(f["calls"], VOLUME * PER_WEEK)
    unexcluded = weekly_requirement(_config(), _cap(), history=path).frame
    assert unexcluded["calls"].iloc[0] == pytest.approx(VOLUME * PER_WEEK + 9 * VOLUME * 24 / 4)


def test_too_short_history_names_shape_weeks(tmp_path):
    with pytest.raises(ConfigError, match=r"capacity\.outlook\.shape_weeks = 4.* 2 whole"):
        weekly_requirement(_config(), _cap(), history=_history(tmp_path, weeks=2))


def _forecast(tmp_path, start: str, weeks: int):
    rng = np.random.default_rng(7)
    stamps = pd.date_range(start, periods=weeks * PER_WEEK, freq="60min")
    frame = pd.DataFrame({"timestamp": np.repeat(stamps, 2), "queue": np.tile(["sales", "help"], len(stamps)),
                          "volume": rng.integers(0, 120, 2 * len(stamps)).astype(float),
                          "aht": np.tile([AHT, 240.0], len(stamps))})
    path = tmp_path / "forecast.csv"
    frame.assign(timestamp=frame["timestamp"].dt.strftime("%Y-%m-%d %H:%M")).to_csv(path, index=False)
    return path, frame


def _two_queue_config():
    return parse_config({"centre": {"interval_minutes": 60}, "queues": [
        {"name": "sales", "service_level": 0.8, "answer_within_s": 20, "shrinkage": 0.2, "aht_s": AHT},
        {"name": "help", "service_level": 0.9, "answer_within_s": 30, "shrinkage": 0.4, "aht_s": 240}]})


def test_forecast_matches_staffing_it_directly(tmp_path):
    cfg = _two_queue_config()
    path, frame = _forecast(tmp_path, "2026-03-02", 3)
    req = weekly_requirement(cfg, _cap(weeks=3), forecast=path)
    # every queue at its own target in every interval, the two queues sharing their agents (FIFO): fewer than
    # sizing them apart and adding up
    direct = interval_requirement(frame, cfg)
    apart = staffing_requirement(staff(frame, cfg), cfg, pooled=False)["agents"].sum()
    assert direct["agents"].sum() < apart
    week = (direct["timestamp"] - pd.Timestamp("2026-03-02")).dt.days // 7
    expected = direct.groupby(week)["agents"].sum().to_numpy() * 1.0
    f = req.frame
    assert req.source == "forecast"
    assert f["agent_hours"].tolist() == expected.tolist()
    assert f["calls"].tolist() == frame.groupby(np.arange(len(frame)) // (2 * PER_WEEK))["volume"].sum().tolist()
    work = (frame["volume"] * frame["aht"]).groupby(frame["queue"]).sum()
    assert f["shrinkage"].iloc[0] == pytest.approx((0.2 * work["sales"] + 0.4 * work["help"]) / work.sum())
    assert f["peak"].sum() == 1 and f["required_fte"][f["peak"]].iloc[0] == f["required_fte"].max()


def test_forecast_missing_a_week_names_the_file(tmp_path):
    path, _ = _forecast(tmp_path, "2026-03-02", 2)
    with pytest.raises(InputError, match=r"forecast\.csv.*2026-03-02\.\.2026-03-22.*1 week.*2026-03-16"):
        weekly_requirement(_two_queue_config(), _cap(weeks=3), forecast=path)


def test_shrinkage_by_month_uses_the_thursday_month():
    by_month = [0.25 if m % 2 else 0.5 for m in range(12)]  # Jan 0.5, Feb 0.25, Mar 0.5, ...
    f = weekly_requirement(_config(), _cap(start="2026-01-26", weeks=6, requirement_fte=10,
                                           shrinkage_by_month=by_month)).frame
    # Thursdays 29 Jan, 5 Feb ... 26 Feb, 5 Mar
    assert f["shrinkage"].tolist() == [0.5, 0.25, 0.25, 0.25, 0.25, 0.5]


def test_bundled_example_runs_quietly(capsys):
    cfg = load_config(EXAMPLE_CONFIG)
    cap = CapacityFile.model_validate({"capacity": {
        "start": dt.date(2026, 11, 30), "weeks": 52, "attrition_per_year": 0.3, "outlook": {"shape_weeks": 4}}})
    req = weekly_requirement(cfg, cap, history=ROOT / "forecasts" / "history.csv")
    f = req.frame
    assert len(f) == 52 and req.source == "history"
    assert f["required_fte"].between(50, 400).all()
    assert f["peak"].any()
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


def test_many_distinct_weeks_are_staffed_on_a_grid_of_scales_within_half_a_percent():
    """52 weeks with 8% growth (52 distinct scales): agent-hours interpolated between 9 staffed scales are
    within 0.5% of staffing each week exactly (the example centre, its objective routing)."""
    cfg = load_config(EXAMPLE_CONFIG)
    cap = CapacityFile.model_validate({"capacity": {"start": "2026-11-30", "weeks": 52, "attrition_per_year": 0.3,
                                                    "growth_per_year": 0.08}})
    req = weekly_requirement(cfg, cap, history=ROOT / "forecasts" / "history.csv")
    assert any("staffed at 9 volume scales" in n for n in req.notes)
    from wfm.capacity import outlook

    for t in (26,):  # a week between grid points: staffed alone
        one = CapacityFile.model_validate({"capacity": {"start": f"{req.frame['week'].iloc[t]:%Y-%m-%d}",
                                                        "weeks": 1, "attrition_per_year": 0.3,
                                                        "growth_per_year": 0.08,
                                                        "hiring": {"lead_time_weeks": 0}}})
        exact = outlook.weekly_requirement(cfg, one, history=ROOT / "forecasts" / "history.csv")
        assert req.frame["calls"].iloc[t] == pytest.approx(exact.frame["calls"].iloc[0], rel=1e-9)
        assert req.frame["agent_hours"].iloc[t] == pytest.approx(exact.frame["agent_hours"].iloc[0], rel=0.005)
