"""A planning grid of its own (issue 12): 6-minute history planned on 30 minutes.

Oracles known without the code: sums and call-weighted means worked by hand on tiny frames; the Erlang C
formula written out here for the one planning interval the synthetic centre has; the break-fit rules read
off the config. Bad input: one line naming the option or key and the file, exit 2.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.bad_input import one_line_exit_2
from wfm import forecast as fc
from wfm import staffing as stf
from wfm.cli import app
from wfm.config import parse_config
from wfm.errors import ConfigError, InputError
from wfm.history import prepare_history
from wfm.io import atomic_write_csv
from wfm.plan import plan
from wfm.plan.pipeline import last_weeks_actuals
from wfm.roster import check_roster_config, read_staffing, roster

MONDAY = "2026-01-05"
AHT = 120.0


def grid_config(data: int = 6, planning: int | None = 30, **shift: object) -> dict:
    """One queue (80/20, no shrinkage) open 08:00-16:00, one 8-hour shift at 08:00; ``data`` minutes a history
    interval, ``planning`` the planning grid (None: no [roster] interval_minutes)."""
    roster: dict = {"time_limit_s": 20, "gap": 0.0, "min_rest_hours": 11}
    if planning is not None:
        roster["interval_minutes"] = planning
    return {
        "centre": {"name": "Grid", "interval_minutes": data, "timezone": "UTC"},
        "queues": [{"name": "q", "service_level": 0.8, "answer_within_s": 20, "shrinkage": 0.0, "aht_s": AHT}],
        "contracts": [{"name": "full_time", "days_per_week": 5, "paid_hours_per_week": 40}],
        "shifts": [{"name": "day", "contracts": ["full_time"], "start": ["08:00", "08:00"], "length_minutes": 480,
                    **shift}],
        "roster": roster,
    }


def six_minute_history(weeks: int = 3) -> pd.DataFrame:
    """Every 6 minutes of ``weeks`` weeks: 1, 2, 3, 4, 5 calls in the five 6-minute intervals of each half hour
    from 08:00 to 16:00 (15 calls a half hour), none otherwise; AHT 120 s."""
    ts = pd.date_range(MONDAY, periods=weeks * 7 * 240, freq="6min")
    minute = (ts.hour * 60 + ts.minute).to_numpy()
    k = minute // 6
    volume = np.where((minute >= 480) & (minute < 960), k % 5 + 1, 0).astype(float)
    return pd.DataFrame({"timestamp": ts, "queue": "q", "volume": volume, "aht": AHT})


def erlang_c_service_level(calls: float, aht_s: float, interval_s: float, agents: int, within_s: float) -> float:
    """Erlang C written out: P(wait) = (A^n/n! . n/(n-A)) / (sum_{k<n} A^k/k! + A^n/n! . n/(n-A)), then
    SL = 1 - P(wait) exp(-(n - A) t / AHT)."""
    a = calls * aht_s / interval_s
    if agents <= a:
        return 0.0
    top = a ** agents / math.factorial(agents) * agents / (agents - a)
    wait = top / (sum(a ** k / math.factorial(k) for k in range(agents)) + top)
    return 1.0 - wait * math.exp(-(agents - a) * within_s / aht_s)


def fewest_agents(calls: float, interval_s: float) -> int:
    return next(n for n in range(1, 50) if erlang_c_service_level(calls, AHT, interval_s, n, 20.0) >= 0.8)


# --------------------------------------------------------------------------- summing, by hand
def test_sum_to_grid_adds_volume_and_weights_aht_by_calls() -> None:
    ts = pd.date_range("2026-01-05 08:00", periods=10, freq="6min")
    v = np.arange(1.0, 11.0)  # 1..10
    a = 100.0 + 10.0 * np.arange(10)  # 100..190
    frame = pd.DataFrame({"timestamp": ts, "queue": "q", "volume": v, "aht": a,
                          "volume_p10": v - 1.0, "volume_p90": v + 2.0})
    out = fc.sum_to_grid(frame, 30)
    assert list(out.columns) == list(frame.columns)
    assert list(out["timestamp"]) == [pd.Timestamp("2026-01-05 08:00"), pd.Timestamp("2026-01-05 08:30")]
    assert out["volume"].tolist() == [15.0, 40.0]  # 1+2+3+4+5, 6+7+8+9+10
    # (1x100 + 2x110 + 3x120 + 4x130 + 5x140) / 15 = 1900/15; (6x150 + ... + 10x190) / 40 = 6900/40
    assert out["aht"].tolist() == pytest.approx([1900 / 15, 172.5])
    # distances from the volume add in quadrature: five of 1 below, five of 2 above
    assert out["volume_p10"].tolist() == pytest.approx([15 - math.sqrt(5), 40 - math.sqrt(5)])
    assert out["volume_p90"].tolist() == pytest.approx([15 + math.sqrt(20), 40 + math.sqrt(20)])


def test_sum_to_grid_keeps_queue_order_and_handles_quiet_intervals() -> None:
    ts = pd.date_range("2026-01-05 00:00", periods=4, freq="15min")
    frame = pd.concat([
        pd.DataFrame({"timestamp": ts, "queue": "b", "volume": [0.0, 0.0, 2.0, 6.0], "aht": [100, 300, 200, 400]}),
        pd.DataFrame({"timestamp": ts, "queue": "a", "volume": [1.0, 1.0, 1.0, 1.0], "aht": [np.nan] * 4}),
    ], ignore_index=True)
    out = fc.sum_to_grid(frame, 30)
    assert out["queue"].tolist() == ["b", "b", "a", "a"]
    assert out["volume"].tolist() == [0.0, 8.0, 2.0, 2.0]
    # no calls: the plain mean (100+300)/2; calls: (2x200 + 6x400)/8; no AHT at all: blank
    assert out["aht"].iloc[:2].tolist() == [200.0, 350.0]
    assert out["aht"].iloc[2:].isna().all()


def test_sum_to_grid_leaves_a_frame_on_the_grid_alone_and_refuses_one_that_does_not_add_up() -> None:
    on = pd.DataFrame({"timestamp": pd.date_range(MONDAY, periods=3, freq="30min"), "queue": "q", "volume": 1.0})
    assert fc.sum_to_grid(on, 30) is on
    twelve = pd.DataFrame({"timestamp": pd.date_range(MONDAY, periods=5, freq="12min"), "queue": "q", "volume": 1.0})
    with pytest.raises(InputError, match="12 minutes apart, which do not add up to the 30-minute planning grid"):
        fc.sum_to_grid(twelve, 30)


def test_actuals_are_summed_onto_the_planning_grid() -> None:
    h = prepare_history(six_minute_history(), parse_config(grid_config()))
    act = last_weeks_actuals(h, pd.Timestamp("2026-01-26").date(), 1, 30)
    assert len(act) == 7 * 48
    t = pd.to_datetime(act["timestamp"])
    open_ = (t.dt.hour >= 8) & (t.dt.hour < 16)
    assert act.loc[open_, "volume"].eq(15.0).all() and act.loc[~open_, "volume"].eq(0.0).all()


# --------------------------------------------------------------------------- the plan on 30 minutes
@pytest.fixture(scope="module")
def planned():
    cfg = parse_config(grid_config(), source="grid.toml")
    h = prepare_history(six_minute_history(), cfg, source="history.csv")
    fine = fc.forecast(h, cfg, horizon=7, start="2026-01-26", method="seasonal_naive")
    return plan(h, cfg, start="2026-01-26", method="seasonal_naive", replications=0), fine, cfg


def test_the_plan_forecast_is_the_6_minute_forecast_summed(planned) -> None:
    result, fine, _ = planned
    f = result.forecast.forecast
    assert result.forecast.interval_minutes == 30 and fine.interval_minutes == 6
    assert len(f) == 7 * 48 and len(fine.forecast) == 7 * 240
    t = pd.to_datetime(f["timestamp"])
    open_ = ((t.dt.hour >= 8) & (t.dt.hour < 16)).to_numpy()
    # closed form: seasonal naive repeats last week, whose five 6-minute intervals add up to 1+2+3+4+5 = 15
    assert f["volume"].to_numpy()[open_].tolist() == [15.0] * (7 * 16)
    assert f["volume"].to_numpy()[~open_].tolist() == [0.0] * (7 * 32)
    # and it is the fine forecast's five intervals, added
    by_half_hour = fine.forecast.groupby(pd.to_datetime(fine.forecast["timestamp"]).dt.floor("30min"))["volume"].sum()
    assert f["volume"].to_numpy() == pytest.approx(by_half_hour.to_numpy())
    assert f.loc[open_, "aht"].eq(AHT).all()
    assert result.settings["interval_minutes"] == 30 and result.settings["data_interval_minutes"] == 6
    assert any("summed onto the 30-minute planning grid" in n for n in result.notes)


def test_staffing_is_sized_on_the_summed_volume(planned) -> None:
    result, fine, cfg = planned
    st = result.staffing
    # 15 calls of 120 s in 30 minutes: 1 Erlang, and Erlang C's fewest agents for 80% in 20 s is 3
    assert fewest_agents(15.0, 1800.0) == 3
    t = pd.to_datetime(st["timestamp"])
    open_ = ((t.dt.hour >= 8) & (t.dt.hour < 16)).to_numpy()
    assert st["agents"].to_numpy()[open_].tolist() == [3] * (7 * 16)
    assert st["scheduled"].to_numpy()[~open_].tolist() == [0] * (7 * 32)
    # not the largest 6-minute requirement: 5 calls in 6 minutes is 1.67 Erlangs, which needs 4
    assert fewest_agents(5.0, 360.0) == 4
    assert stf.staff(fine.forecast, cfg, 6)["agents"].max() == 4
    # the same as `wfm staff` on the summed forecast, and as staff() given the 6-minute forecast
    summed = fc.sum_to_grid(fine.forecast, 30)
    pd.testing.assert_frame_equal(st, stf.staff(summed, cfg))
    pd.testing.assert_frame_equal(st, stf.staff(fine.forecast, cfg))


def test_the_roster_and_coverage_run_on_the_planning_grid(planned) -> None:
    result, _, _ = planned
    cov = result.coverage
    assert len(cov) == 7 * 48
    assert (pd.to_datetime(cov["timestamp"]).diff().dropna() == pd.Timedelta(minutes=30)).all()
    t = pd.to_datetime(cov["timestamp"])
    open_ = ((t.dt.hour >= 8) & (t.dt.hour < 16)).to_numpy()
    assert cov["required_scheduled"].to_numpy()[open_].tolist() == [3] * (7 * 16)
    assert result.headline["required_hours"] == 7 * 16 * 3 * 0.5


def test_wfm_plan_interval_option_plans_on_it(tmp_path: Path) -> None:
    cfg = tmp_path / "grid.toml"
    cfg.write_text(_toml(grid_config(planning=None)))
    hist = tmp_path / "history.csv"
    six_minute_history().to_csv(hist, index=False)
    res = CliRunner().invoke(app, ["plan", "--config", str(cfg), "--history", str(hist), "--out",
                                   str(tmp_path / "runs"), "--interval", "30", "--replications", "0", "--json"])
    assert res.exit_code in (0, 1), res.stderr
    folder = tmp_path / "runs" / "2026-01-26"
    f = pd.read_csv(folder / "forecast.csv")
    assert len(f) == 7 * 48 and f["volume"].max() == 15.0
    assert pd.read_csv(folder / "staffing.csv")["agents"].max() == 3


# --------------------------------------------------------------------------- wfm staff and wfm roster on finer files
def test_wfm_staff_sums_a_finer_forecast_and_says_so(tmp_path: Path, planned) -> None:
    _, fine, cfg = planned
    (tmp_path / "grid.toml").write_text(_toml(grid_config()))
    atomic_write_csv(tmp_path / "fine.csv", fine.forecast)
    res = CliRunner().invoke(app, ["staff", str(tmp_path / "fine.csv"), "--config", str(tmp_path / "grid.toml"),
                                   "--out", str(tmp_path / "staffing.csv")])
    assert res.exit_code == 0, res.stderr
    assert "its 6-minute intervals were summed onto the 30-minute planning grid" in res.stderr
    st = pd.read_csv(tmp_path / "staffing.csv")
    assert len(st) == 7 * 48 and st["agents"].max() == 3 and st["volume"].max() == 15.0


def test_roster_sizes_a_finer_staffing_file_again_on_the_planning_grid(tmp_path: Path, planned) -> None:
    result, fine, cfg = planned
    atomic_write_csv(tmp_path / "staffing6.csv", stf.staff(fine.forecast, cfg, 6))
    st6 = read_staffing(tmp_path / "staffing6.csv", cfg)
    r = roster(st6, cfg, start=result.start)
    assert any("6-minute intervals were sized again on the 30-minute planning grid" in n for n in r.notes)
    assert r.coverage["required_scheduled"].tolist() == result.coverage["required_scheduled"].tolist()
    assert r.cost == result.roster.cost


def test_roster_refuses_staffing_coarser_than_the_planning_grid(tmp_path: Path, planned) -> None:
    result, _, cfg = planned
    hourly = result.staffing[pd.to_datetime(result.staffing["timestamp"]).dt.minute == 0]
    atomic_write_csv(tmp_path / "st.csv", hourly)
    with pytest.raises(InputError, match="60 minutes apart at the closest but the planning grid is 30 minutes"):
        read_staffing(tmp_path / "st.csv", cfg)


def _published(tmp_path: Path, planned) -> tuple[Path, Path, Path]:
    """The plan's roster.csv, the 6-minute forecast and the config, as files."""
    result, fine, _ = planned
    (tmp_path / "grid.toml").write_text(_toml(grid_config()))
    atomic_write_csv(tmp_path / "roster.csv", result.roster.assignments)
    atomic_write_csv(tmp_path / "fine.csv", fine.forecast)
    atomic_write_csv(tmp_path / "summed.csv", fc.sum_to_grid(fine.forecast, 30))
    return tmp_path / "roster.csv", tmp_path / "fine.csv", tmp_path / "grid.toml"


def test_wfm_simulate_sums_a_finer_forecast_onto_the_planning_grid(tmp_path: Path, planned) -> None:
    roster_csv, fine_csv, cfg = _published(tmp_path, planned)
    runs = {}
    for name in ("fine", "summed"):
        res = CliRunner().invoke(app, ["simulate", str(roster_csv), "--forecast", str(tmp_path / f"{name}.csv"),
                                       "--config", str(cfg), "--replications", "3", "--json"])
        assert res.exit_code in (0, 1), res.stderr
        runs[name] = (json.loads(res.stdout), res.stderr)
    fine_doc, summed_doc = runs["fine"][0], runs["summed"][0]
    assert fine_doc["notes"][0].startswith(f"{fine_csv}: its 6-minute intervals were summed onto the 30-minute "
                                           "planning grid")
    assert not any("summed onto" in n for n in summed_doc["notes"])
    # the same simulation, seed for seed: the 6-minute forecast is the summed one on the 30-minute grid
    fine_doc.pop("notes"), summed_doc.pop("notes")
    assert fine_doc == summed_doc and fine_doc["interval_minutes"] == 30 and fine_doc["calls_simulated"] > 0
    assert fine_doc["horizon"]["intervals"] == 7 * 48
    res = CliRunner().invoke(app, ["simulate", str(roster_csv), "--forecast", str(fine_csv), "--config", str(cfg),
                                   "--replications", "3"])
    assert f"note: {fine_csv}: its 6-minute intervals were summed onto the 30-minute" in res.stderr


def test_wfm_whatif_sums_a_finer_forecast_onto_the_planning_grid(tmp_path: Path, planned) -> None:
    roster_csv, fine_csv, cfg = _published(tmp_path, planned)
    (tmp_path / "s.toml").write_text('[[scenario]]\nname = "surge"\n[[scenario.volume]]\nqueue = "all"\n'
                                     'multiplier = 1.5\nstart = "day 2"\nend = "day 3"\n')
    docs = {}
    for name in ("fine", "summed"):
        res = CliRunner().invoke(app, ["whatif", "--config", str(cfg), "--scenarios", str(tmp_path / "s.toml"),
                                       "--roster", str(roster_csv), "--forecast", str(tmp_path / f"{name}.csv"),
                                       "--json"])
        assert res.exit_code in (0, 1), res.stderr
        docs[name] = json.loads(res.stdout)
    assert any(n.startswith(f"{fine_csv}: its 6-minute intervals were summed onto the 30-minute planning grid")
               for n in docs["fine"]["notes"])
    assert not any("summed onto" in n for n in docs["summed"]["notes"])
    docs["fine"].pop("notes"), docs["summed"].pop("notes")
    assert docs["fine"] == docs["summed"]


# --------------------------------------------------------------------------- bad input
def _toml(data: dict) -> str:
    """A config dict as TOML (the few shapes this file uses)."""
    def value(v: object) -> str:
        if isinstance(v, str):
            return f'"{v}"'
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        if isinstance(v, dict):
            return "{ " + ", ".join(f"{k} = {value(x)}" for k, x in v.items()) + " }"
        return str(v)

    out = []
    for section, body in data.items():
        for item in body if isinstance(body, list) else [body]:
            out.append(f"[[{section}]]" if isinstance(body, list) else f"[{section}]")
            out.extend(f"{k} = {value(v)}" for k, v in item.items())
    return "\n".join(out) + "\n"


@pytest.fixture
def files(tmp_path: Path) -> Path:
    six_minute_history().to_csv(tmp_path / "history.csv", index=False)
    return tmp_path


def _plan(d: Path, config: dict, *extra: str):
    (d / "c.toml").write_text(_toml(config))
    return CliRunner().invoke(app, ["plan", "--config", str(d / "c.toml"), "--history", str(d / "history.csv"),
                                    "--out", str(d / "runs"), "--replications", "0", *extra])


@pytest.mark.parametrize(("extra", "needles"), [
    (["--interval", "15"], ["--interval 15", "history.csv's 6-minute intervals", "15/6 is not a whole number"]),
    (["--interval", "5"], ["--interval 5", "finer than", "history.csv's 6-minute intervals"]),
    (["--interval", "7"], ["--interval 7", "must be one of 5, 6, 10, 12, 15, 20, 30, 60"]),
    (["--interval", "45"], ["--interval 45", "must be one of"]),
])
def test_an_interval_option_the_data_cannot_add_up_to_exits_2(files: Path, extra, needles) -> None:
    res = _plan(files, grid_config(planning=None), *extra)
    one_line_exit_2(res, *needles)
    assert not (files / "runs").exists() or not any((files / "runs").iterdir())


def test_a_planning_grid_key_the_data_cannot_add_up_to_exits_2(files: Path) -> None:
    # [centre] says 5-minute data (so 15 passes the config's own check), the history is on 6 minutes
    res = _plan(files, grid_config(data=5, planning=15))
    one_line_exit_2(res, "c.toml: [roster] interval_minutes = 15", "history.csv's 6-minute intervals",
                    "not a whole number")
    # no [roster] key: the planning grid is the centre's 5 minutes, finer than the data
    res = _plan(files, grid_config(data=5, planning=None))
    one_line_exit_2(res, "c.toml: [centre] interval_minutes = 5", "finer than", "history.csv's 6-minute intervals")


@pytest.mark.parametrize(("roster_minutes", "needles"), [
    (15, ["field 'roster'", "interval_minutes = 15 (the planning grid) is not a multiple of [centre] "
                            "interval_minutes = 6"]),
    (7, ["field 'roster.interval_minutes'", "7 must divide 24 hours exactly"]),
    (90, ["field 'roster.interval_minutes'", "less than or equal to 60"]),
])
def test_a_planning_grid_key_that_is_not_a_multiple_of_the_centre_exits_2(files: Path, roster_minutes, needles):
    res = _plan(files, grid_config(planning=roster_minutes))
    one_line_exit_2(res, "c.toml", *needles)
    with pytest.raises(ConfigError):
        parse_config(grid_config(planning=roster_minutes))


# --------------------------------------------------------------------------- shifts and breaks fit the planning grid
@pytest.mark.parametrize(("data", "planning", "shift", "error"), [
    # a 15-minute break: fits a 15-minute plan (whatever the data's grid), not a 30-minute one
    (5, 15, {"breaks": [{"minutes": 15, "paid": True, "window": ["02:00", "03:00"]}]}, None),
    (6, 30, {"breaks": [{"minutes": 15, "paid": True, "window": ["02:00", "03:00"]}]},
     "shifts['day'].breaks[0].minutes: break 1 of 15 min is not a multiple of the 30-minute planning grid "
     "([roster] interval_minutes): a break takes whole planning intervals (make it 30 minutes, or plan on 15 minutes)"),
    (6, 30, {"breaks": [{"minutes": 30, "paid": True, "window": ["02:00", "03:00"]}]}, None),
    (6, 30, {"breaks": [{"minutes": 30, "paid": True, "window": ["02:00", "03:12"]}]},
     "shifts['day'].breaks[0].window: break 1's window 02:00-03:12 is not on the 30-minute planning grid"),
    # 6-minute data does not make a 6-minute break window fit a 30-minute plan; the start step must be whole
    (6, 30, {"start": ["08:00", "09:00"], "start_step_minutes": 12},
     "shifts['day'].start_step_minutes: 12 is not a multiple of the 30-minute planning grid"),
    (6, 30, {"start": ["08:00", "09:00"], "start_step_minutes": 60}, None),
    (6, 30, {"start": ["08:06", "08:06"]}, "shifts['day'].start: earliest start 08:06 is not on the 30-minute"),
    (6, 30, {"length_minutes": 474}, "shifts['day'].length_minutes: 474 is not a multiple of the 30-minute"),
    (6, None, {"breaks": [{"minutes": 15, "paid": True, "window": ["02:00", "03:00"]}]},
     "15 min is not a multiple of the 6-minute planning grid ([centre] interval_minutes)"),
])
def test_shifts_and_breaks_fit_the_planning_grid_only(data, planning, shift, error) -> None:
    cfg = parse_config(grid_config(data=data, planning=planning, **shift), source="grid.toml")
    if error is None:
        shifts = check_roster_config(cfg)
        assert all(s.start_minute % cfg.planning_interval_minutes == 0 for s in shifts["day"])
    else:
        with pytest.raises(ConfigError) as exc:
            check_roster_config(cfg)
        assert str(exc.value).startswith("grid.toml: ") and error in str(exc.value), str(exc.value)


def test_plan_interval_checks_the_shifts_on_its_grid(files: Path) -> None:
    config = grid_config(planning=None, breaks=[{"minutes": 30, "paid": True, "window": ["02:00", "03:00"]}])
    res = _plan(files, config, "--interval", "60")
    one_line_exit_2(res, "shifts['day'].breaks[0].minutes", "60-minute planning grid ([roster] interval_minutes)")


def test_a_plan_of_past_dates_gets_what_came_on_them_and_a_future_plan_nothing() -> None:
    from wfm.plan.pipeline import planned_dates_actuals

    h = prepare_history(six_minute_history(), parse_config(grid_config()))
    last = (h.start + pd.Timedelta(days=h.n_days - 1)).date()
    monday = pd.Timestamp("2026-01-12").date()  # the history's second week: a plan of past dates
    came = planned_dates_actuals(h, monday, 1, 30)
    assert pd.to_datetime(came["timestamp"]).iloc[0] == pd.Timestamp(monday)
    assert len(came) == 48 * 7
    assert len(planned_dates_actuals(h, pd.Timestamp("2026-01-21").date(), 1, 30)) == 48 * 5  # to the 25th
    t = pd.to_datetime(came["timestamp"])
    open_ = (t.dt.hour >= 8) & (t.dt.hour < 16)
    assert came.loc[open_, "volume"].eq(15.0).all() and came.loc[~open_, "volume"].eq(0.0).all()
    assert planned_dates_actuals(h, last + pd.Timedelta(days=1), 1, 30).empty
