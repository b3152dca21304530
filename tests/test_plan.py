"""wfm.plan library pieces: default start, targets, lock, atomic run folder, progress, summary; wfm.charts."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from wfm import charts
from wfm import plan as P
from wfm.config import load_config
from wfm.errors import OutputError, RunLocked
from wfm.history import clean_history
from wfm.ratio import ratio

ROOT = Path(__file__).resolve().parents[1]
CONFIG = load_config(ROOT / "configs" / "example.toml")


def _history(first: str, days: int):
    ts = pd.date_range(first, periods=days * 96, freq="15min")
    frame = pd.DataFrame({"timestamp": ts, "queue": "retail", "volume": 5.0})
    return clean_history(frame, timezone="UTC")


@pytest.mark.parametrize(
    ("first", "days", "expected"),
    [
        ("2026-11-02", 28, dt.date(2026, 11, 30)),  # last day Sunday 11-29 -> the next day
        ("2026-11-02", 24, dt.date(2026, 11, 30)),  # last day Wednesday 11-25 -> the next Monday
        ("2026-11-02", 21, dt.date(2026, 11, 23)),  # last day Sunday 11-22
        ("2026-11-02", 22, dt.date(2026, 11, 30)),  # last day Monday 11-23 -> a week later
    ],
)
def test_default_start_is_the_monday_after_the_history(first: str, days: int, expected: dt.date) -> None:
    assert P.default_start(_history(first, days)) == expected


# --------------------------------------------------------------------------- targets
def _plan_pieces(rostered: list[int], sl: list[float], front_line: int):
    ts = pd.date_range("2026-11-30 09:00", periods=3, freq="15min")
    staffing = pd.DataFrame({
        "timestamp": np.repeat(ts, 2),
        "queue": ["retail", "business"] * 3,
        "volume": [30.0, 10.0, 30.0, 10.0, 0.0, 0.0],
        "agents": [5, 3, 5, 3, 0, 0],
    })
    required = np.array([12, 12, 1])
    on = np.array(rostered)
    cov = pd.DataFrame({
        "timestamp": ts, "required_scheduled": required, "rostered": on, "over": np.maximum(on - required, 0),
        "under": np.maximum(required - on, 0), "service_level": sl,
    })
    roster = SimpleNamespace(coverage=cov, agents=front_line, paid_hours=40.0 * front_line, paid_holiday_hours=0.0,
                             cost=40.0 * front_line,
                             worst_interval="2026-11-30 09:15", worst_service_level=min(sl), status="Optimal",
                             gap=0.004, short_periods=pd.DataFrame())
    return staffing, roster, ratio(CONFIG, front_line=front_line)


def test_assess_all_targets_met() -> None:
    staffing, roster, r = _plan_pieces([12, 13, 1], [0.9, 0.85, 1.0], 216)  # 216 : 24 back office
    headline, breaches = P.assess(staffing, roster, r, CONFIG, 15)
    assert breaches == []
    assert headline["calls"] == 80.0
    # calls-weighted target: retail 0.80 x 60 calls + business 0.90 x 20 calls
    assert headline["service_level_target"] == pytest.approx(0.825)
    assert headline["service_level"] == pytest.approx(0.875)  # (0.9 x 40 + 0.85 x 40) / 80
    assert headline["peak_agents"] == 8
    assert headline["peak_required"] == 12
    assert headline["required_hours"] == 6.25
    assert (headline["intervals"], headline["intervals_short"], headline["coverage"]) == (3, 0, 1.0)
    assert (headline["ratio"], headline["ratio_status"]) == ("9.0:1", "ok")


def test_assess_lists_each_breached_target() -> None:
    staffing, roster, r = _plan_pieces([10, 12, 0], [0.7, 0.85, 0.0], 330)
    headline, breaches = P.assess(staffing, roster, r, CONFIG, 15)
    assert [(b.target, b.message) for b in breaches] == [
        ("service_level", "service level 77.5% for the plan is below the target 82.5%"),
        ("coverage", "2 interval(s) short of the requirement (3 agent-intervals; worst 2026-11-30 09:00, 2 short)"),
        ("ratio", "front line : back office 13.8:1 (back_office_light; back-office share 6.8%, "
                  "band 9.0%..11.0% for 9:1)"),  # 330 / 24; 24 / 354
    ]
    assert headline["agent_intervals_short"] == 3
    assert headline["coverage"] == pytest.approx(1 - 3 / 25, abs=1e-4)


# --------------------------------------------------------------------------- lock and folder
def test_second_lock_on_the_same_folder_is_refused(tmp_path: Path) -> None:
    with P.run_lock(tmp_path / "runs") as lock:
        assert lock.read_text().startswith(f"pid {__import__('os').getpid()} since ")
        with pytest.raises(RunLocked) as exc, P.run_lock(tmp_path / "runs"):
            pass
        assert exc.value.exit_code == 75
        assert str(exc.value).startswith(f"{tmp_path / 'runs'}: another wfm plan run is writing here (pid ")
    with P.run_lock(tmp_path / "runs"):  # released on exit
        pass
    assert (tmp_path / "runs" / P.LOCK_NAME).read_text() == ""


def test_publish_folder_creates_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "runs" / "2026-11-30"
    P.publish_folder({"a.csv": b"1\n", "b.csv": b"2\n"}, target)
    assert {p.name: p.read_bytes() for p in target.iterdir()} == {"a.csv": b"1\n", "b.csv": b"2\n"}
    P.publish_folder({"a.csv": b"3\n"}, target)
    assert {p.name: p.read_bytes() for p in target.iterdir()} == {"a.csv": b"3\n"}
    assert sorted(p.name for p in target.parent.iterdir()) == ["2026-11-30"]


def test_publish_folder_without_an_atomic_swap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(P.publish, "_exchange", lambda a, b: False)
    target = tmp_path / "2026-11-30"
    P.publish_folder({"a.csv": b"old\n"}, target)
    P.publish_folder({"a.csv": b"new\n"}, target)
    assert (target / "a.csv").read_bytes() == b"new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["2026-11-30"]


def test_publish_folder_failure_leaves_the_old_folder(tmp_path: Path) -> None:
    target = tmp_path / "2026-11-30"
    P.publish_folder({"a.csv": b"old\n"}, target)

    class Broken(dict):
        def items(self):
            yield "a.csv", b"new\n"
            raise OSError(28, "No space left on device")

    with pytest.raises(OutputError, match="No space left") as exc:
        P.publish_folder(Broken(), target)
    assert exc.value.exit_code == 74
    assert (target / "a.csv").read_bytes() == b"old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["2026-11-30"]


def test_clean_leftovers_removes_only_temporary_folders(tmp_path: Path) -> None:
    (tmp_path / ".2026-11-30.tmp-123").mkdir()
    (tmp_path / ".2026-11-30.tmp-123" / "a.csv").write_text("x")
    (tmp_path / "2026-11-23").mkdir()
    assert P.clean_leftovers(tmp_path) == [".2026-11-30.tmp-123"]
    assert [p.name for p in tmp_path.iterdir()] == ["2026-11-23"]


# --------------------------------------------------------------------------- progress display
def test_progress_lines_and_solver_updates_on_one_line() -> None:
    buf = io.StringIO()
    show = P.StageProgress(buf)
    show("forecast", "forecasting 7 days from 2026-11-30 (auto)")
    show("solve", "  0.6 s  incumbent 9,500.0  gap 3.00%")
    show("solve", "  2.1 s  incumbent 9,480.0  gap 0.80%")
    show("ratio", "checking front line : back office")
    show.done()
    assert buf.getvalue() == (
        "  forecast  forecasting 7 days from 2026-11-30 (auto)\n"
        "\r  solve       0.6 s  incumbent 9,500.0  gap 3.00%\x1b[K"
        "\r  solve       2.1 s  incumbent 9,480.0  gap 0.80%\x1b[K\n"
        "  ratio     checking front line : back office\n"
    )


# --------------------------------------------------------------------------- charts
def _coverage(days: int = 2) -> pd.DataFrame:
    ts = pd.date_range("2026-11-30", periods=days * 96, freq="15min")
    req = (20 + 10 * np.sin(np.arange(len(ts)) / 96 * 2 * np.pi)).round().astype(int)
    on = req + np.tile([0, 1, -1, 2], len(ts) // 4)
    return pd.DataFrame({"timestamp": ts, "required_scheduled": req, "rostered": on, "over": np.maximum(on - req, 0),
                         "under": np.maximum(req - on, 0), "service_level": 0.8})


def test_charts_are_png_and_deterministic() -> None:
    cov = _coverage()
    fc = pd.DataFrame({"timestamp": cov["timestamp"], "queue": "retail", "volume": 10.0, "volume_p10": 8.0,
                       "volume_p90": 12.0})
    actual = pd.DataFrame({"timestamp": cov["timestamp"] - pd.Timedelta(days=7), "volume": 9.0})
    parts = [("workload", 40.5), ("queueing margin", 12.25), ("pooling", -3.0), ("paid breaks", 2.0)]
    for make in (lambda: charts.staffing_chart(cov), lambda: charts.coverage_heatmap(cov),
                 lambda: charts.forecast_chart(fc, actual), lambda: charts.paid_hours_chart(parts, 51.75)):
        a, b = make(), make()
        assert a[:8] == b"\x89PNG\r\n\x1a\n"
        assert a == b
        assert b"Software" not in a  # no tool or time stamps in the file


def test_heatmap_has_a_row_per_day() -> None:
    import matplotlib.image as mpimg

    two = mpimg.imread(io.BytesIO(charts.coverage_heatmap(_coverage(2))), format="png")
    seven = mpimg.imread(io.BytesIO(charts.coverage_heatmap(_coverage(7))), format="png")
    assert seven.shape[0] - two.shape[0] == round(5 * 0.45 * charts.DPI)
    assert seven.shape[1] == two.shape[1] == 11 * charts.DPI


def test_waterfall_has_a_row_per_part_and_the_total() -> None:
    import matplotlib.image as mpimg

    two = mpimg.imread(io.BytesIO(charts.paid_hours_chart([("a", 1.0), ("b", 2.0)], 3.0)), format="png")
    five = mpimg.imread(io.BytesIO(charts.paid_hours_chart([("a", 1.0), ("b", 2.0), ("c", -1.0), ("d", 0.0),
                                                            ("e", 0.5)], 2.5)), format="png")
    assert five.shape[0] - two.shape[0] == round(3 * 0.38 * charts.DPI)
    assert five.shape[1] == two.shape[1] == 10 * charts.DPI


def test_assess_breaches_a_period_target_missed():
    staffing, roster, rat = _plan_pieces([12, 13, 1], [0.9, 0.85, 1.0], 216)
    roster.short_periods = pd.DataFrame([{"queue": "retail", "period": "day", "start": "2026-11-30",
                                          "service_level": 0.7712, "target": 0.8}])
    _, breaches = P.assess(staffing, roster, rat, CONFIG, 15)
    assert [(b.target, b.message) for b in breaches] == [
        ("service_period", "period targets missed: retail day of 2026-11-30 (77.1% < 80%)")]


def test_prove_without_replications_keeps_the_erlang_table_and_simulates_nothing():
    from wfm.plan.proof import prove

    service = pd.DataFrame([{"queue": "retail", "judged": "day", "period": "day", "start": "2026-11-30",
                             "calls": 10.0, "service_level": 0.81, "target": 0.8, "met": True}])
    proof = prove(SimpleNamespace(service=service, assignments=pd.DataFrame()), pd.DataFrame(), CONFIG,
                  replications=0)
    assert proof.simulation is None and proof.notes == [] and proof.summary() == {}
    assert proof.service.equals(service)


def test_an_over_served_queue_gets_one_note_naming_its_figures_and_days():
    from wfm.plan.proof import _over_served_notes

    service = pd.DataFrame({
        "queue": ["cards", "cards", "cards", "sales", "sales", "help", "help", "help", "help"],
        "period": ["day"] * 9,
        "start": ["2026-11-30", "2026-12-01", "2026-12-02", "2026-11-30", "2026-12-01",
                  "2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03"],
        "target": [0.8] * 3 + [0.9] * 2 + [0.7] * 4,
        "simulated_service_level": [0.8531, 0.84, 0.8527, 0.97, 0.951, 0.80, 0.81, 0.7701, 0.83],
        "over_served": [True, False, True, True, True, True, True, True, True],
    })
    assert _over_served_notes(service) == [
        # the same figure twice is one figure; up to three days are named
        "cards over-served: simulated 85.3% against a target of 80% on 2 days (2026-11-30, 2026-12-02), more "
        "than 5 points above: staff wasted",
        "sales over-served: simulated 95.1%-97.0% against a target of 90% on 2 days (2026-11-30, 2026-12-01), "
        "more than 5 points above: staff wasted",
        "help over-served: simulated 77.0%-83.0% against a target of 70% on 4 days, more than 5 points above: "
        "staff wasted",
    ]
    one = service[service["queue"] == "cards"].head(1)
    assert _over_served_notes(one) == ["cards over-served: simulated 85.3% against a target of 80% on 1 day "
                                       "(2026-11-30), more than 5 points above: staff wasted"]


def test_the_routing_margins_line_gives_points_and_names_up_to_three_days():
    from wfm.plan.summary import _margin_text

    assert _margin_text({}) == ""
    assert _margin_text({"2026-12-05": 0.008}) == "; the roster meets its target plus 0.8 points on 1 day (2026-12-05)"
    assert _margin_text({"2026-12-02": 0.031, "2026-11-30": 0.044}) == (
        "; the roster meets its target plus 3.1 to 4.4 points on 2 days (2026-11-30, 2026-12-02)")
    week = {f"2026-12-0{d}": 0.005 + 0.0025 * d for d in range(1, 8)}
    assert _margin_text(week) == "; the roster meets its target plus 0.8 to 2.3 points on 7 days"
