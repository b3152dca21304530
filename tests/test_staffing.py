from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wfm import erlang
from wfm.config import parse_config
from wfm.errors import InputError
from wfm.staffing import (
    calculator_queue,
    group_service_level,
    parse_service_target,
    scheduled_agents,
    staff,
    staff_interval,
    staff_summary,
    staffing_requirement,
)


def _config(**queue_overrides):
    q = {"name": "sales", "service_level": 0.8, "answer_within_s": 20, "shrinkage": 0.3, "max_occupancy": 1.0}
    q.update(queue_overrides)
    help_queue = {"name": "help", "aht_s": 240, "shrinkage": 0.3, "max_occupancy": 0.85}
    return parse_config({"centre": {"interval_minutes": 30}, "queues": [q, help_queue]})


def test_shrinkage_divides_never_multiplies():
    # 14 agents at 30% shrinkage: 14 / 0.7 = 20, whereas 14 * 1.3 = 18.2 would understaff
    assert scheduled_agents(np.array([14, 7, 0]), 0.3).tolist() == [20, 10, 0]
    assert scheduled_agents(np.array([10]), 0.25).tolist() == [14]  # 13.33 -> 14


def test_staff_reference_interval_from_forecast_frame():
    fc = pd.DataFrame(
        {
            "timestamp": pd.to_datetime(["2026-12-07 09:00", "2026-12-07 09:30", "2026-12-07 09:00"]),
            "queue": ["sales", "sales", "help"],
            "volume": [100.0, 0.0, 100.0],
            "aht": [180.0, 180.0, np.nan],
        }
    )
    out = staff(fc, _config())
    first = out.iloc[0]
    assert (first["agents"], first["scheduled"]) == (14, 20)
    assert first["service_level"] == pytest.approx(0.8884, abs=1e-4)
    assert first["asa"] == pytest.approx(7.84, abs=1e-2)
    assert out.iloc[1][["agents", "scheduled", "service_level"]].tolist() == [0, 0, 1.0]
    # blank AHT takes the queue's aht_s (240 s): A = 100*240/1800 = 13.33
    assert out.iloc[2]["aht"] == 240.0
    assert out["queue"].tolist() == ["sales", "sales", "help"]  # input order kept


def test_queues_sized_separately_and_fractional_sum_below_rounded_sum():
    ts = pd.date_range("2026-12-07", periods=4, freq="30min")
    fc = pd.concat(
        [pd.DataFrame({"timestamp": ts, "queue": q, "volume": [37.0, 41, 53, 29], "aht": 200.0}) for q in ("sales", "help")]
    )
    out = staff(fc, _config())
    req = staffing_requirement(out, _config(), pooled=False)
    assert (req["fractional_agents"] <= req["agents"]).all()
    assert (req["fractional_agents"] < req["agents"]).any()


def test_patience_adds_abandon_rate_and_erlang_a():
    fc = pd.DataFrame({"timestamp": pd.to_datetime(["2026-12-07 09:00"]), "queue": ["sales"], "volume": [100.0], "aht": [180.0]})
    out = staff(fc, _config(patience_s=120))
    assert "abandon_rate" in out.columns
    # abandonment shortens queues, so Erlang A never needs more agents than Erlang C
    assert out.iloc[0]["agents"] <= 14
    assert 0 < out.iloc[0]["abandon_rate"] < 0.1


def test_unknown_queue_and_negative_volume_rejected():
    fc = pd.DataFrame({"timestamp": pd.to_datetime(["2026-12-07 09:00"]), "queue": ["nope"], "volume": [1.0], "aht": [180.0]})
    with pytest.raises(InputError, match="unknown queue 'nope'"):
        staff(fc, _config())
    fc["queue"], fc["volume"] = "sales", -1.0
    with pytest.raises(InputError, match="non-negative"):
        staff(fc, _config())


def test_summary_per_day():
    ts = pd.date_range("2026-12-07", periods=96, freq="30min")  # two days
    vol = np.tile(np.r_[np.zeros(16), np.full(32, 80.0)], 2)
    fc = pd.DataFrame({"timestamp": ts, "queue": "sales", "volume": vol, "aht": 180.0})
    out = staff(fc, _config())
    summ = staff_summary(out, 30)
    assert summ["date"].tolist() == ["2026-12-07", "2026-12-08"]
    day = summ.iloc[0]
    per_interval = int(out.iloc[20]["agents"])
    assert day["peak_agents"] == per_interval
    assert day["agent_hours"] == pytest.approx(32 * per_interval * 0.5)
    assert day["calls"] == pytest.approx(32 * 80)


def test_pooled_requirement_is_the_fewest_meeting_every_queue_target():
    ts = pd.date_range("2026-12-07 08:00", periods=4, freq="30min")
    fc = pd.concat(
        [
            pd.DataFrame({"timestamp": ts, "queue": "sales", "volume": [60.0, 80, 0, 30], "aht": 200.0}),
            pd.DataFrame({"timestamp": ts, "queue": "help", "volume": [40.0, 0, 0, 70], "aht": 300.0}),
        ]
    )
    cfg = _config(answer_within_s=10)  # sales 80/10, help 80/20
    out = staff(fc, cfg)
    pooled = staffing_requirement(out, cfg, pooled=True)
    separate = staffing_requirement(out, cfg)
    assert (pooled["agents"] <= separate["agents"]).all() and (pooled["agents"] < separate["agents"]).any()
    assert pooled["agents"].iloc[2] == 0 and pooled["scheduled"].iloc[2] == 0  # no calls, nobody needed
    # interval 08:00: 100 calls, AHT (60*200 + 40*300)/100 = 240 s; the strictest answer time binds
    vol, aht = 100.0, 240.0
    need = int(pooled["agents"].iloc[0])
    for t in (10, 20):
        assert float(erlang.evaluate(vol, aht, 1800, need, t).service_level) >= 0.8
    assert float(erlang.evaluate(vol, aht, 1800, need - 1, 10).service_level) < 0.8
    # interval 08:30: only sales has calls, so only its target applies, exactly as sized alone
    assert pooled["agents"].iloc[1] == out[(out["queue"] == "sales")]["agents"].iloc[1]
    # shrinkage 0.3 for both queues: scheduled = ceil(agents / 0.7)
    assert (pooled["scheduled"] == np.ceil(pooled["agents"] / 0.7 - 1e-9)).all()


@pytest.mark.parametrize("period", ["interval", "day"])
def test_a_pooled_requirement_above_most_scheduled_is_refused_at_its_first_interval_before_sizing(period):
    ts = pd.date_range("2026-12-07 08:00", periods=4, freq="30min")
    fc = pd.concat(
        [
            pd.DataFrame({"timestamp": ts, "queue": "sales", "volume": [60.0, 180, 0, 30], "aht": 200.0}),
            pd.DataFrame({"timestamp": ts, "queue": "help", "volume": [40.0, 0, 0, 170], "aht": 300.0}),
        ]
    )
    cfg = _config(service_level_period=period, min_interval_service_level=0.5)
    out = staff(fc, cfg)
    out.attrs["source"] = "staffing.csv"
    need = staffing_requirement(out, cfg, pooled=True)["scheduled"].to_numpy()
    most = int(need.max())
    # the most any interval needs passes; one fewer is refused at the first interval needing more
    assert staffing_requirement(out, cfg, pooled=True, most_scheduled=most)["scheduled"].tolist() == need.tolist()
    if period == "interval":  # the floors are the requirement: the check is exact
        first = ts[int(np.flatnonzero(need > most - 1)[0])]
        with pytest.raises(InputError, match=f"staffing.csv: asks for more than {most - 1:,} scheduled agents at "
                                             f"{first:%Y-%m-%d %H:%M}, above {most - 1:,} per interval"):
            staffing_requirement(out, cfg, pooled=True, most_scheduled=most - 1)
    # however the queues are judged, one agent cannot hold the first interval's floors
    with pytest.raises(InputError, match="asks for more than 1 scheduled agents at 2026-12-07 08:00"):
        staffing_requirement(out, cfg, pooled=True, most_scheduled=1)


def test_group_service_level_with_scheduled_agents_meets_target():
    ts = pd.date_range("2026-12-07 08:00", periods=4, freq="30min")
    fc = pd.concat([pd.DataFrame({"timestamp": ts, "queue": q, "volume": 60.0, "aht": 200.0}) for q in ("sales", "help")])
    cfg = _config()
    out = staff(fc, cfg)
    req = staffing_requirement(out, cfg, pooled=True)
    rostered = pd.Series(req["scheduled"].to_numpy(), index=req["timestamp"])
    sl = group_service_level(out, rostered, cfg)
    assert (sl["service_level"] >= 0.8).all()
    # the separately sized queues, added up, give at least as much service
    summed = staffing_requirement(out, cfg)
    assert (summed["scheduled"] >= req["scheduled"]).all()
    fewer = group_service_level(out, rostered - 2, cfg)
    assert (fewer["service_level"] < sl["service_level"]).all()
    none = group_service_level(out, rostered * 0, cfg)
    assert (none["service_level"] == 0).all()


def test_parse_service_target():
    assert parse_service_target("80/20") == (0.8, 20.0)
    assert parse_service_target("0.9/15") == (0.9, 15.0)
    for bad in ("80", "100/20", "80/0", "x/y"):
        with pytest.raises(InputError):
            parse_service_target(bad)


def test_staff_interval_checks_inputs():
    with pytest.raises(InputError, match="--aht must be greater than 0"):
        staff_interval(100, 30, 0, calculator_queue())
    with pytest.raises(InputError, match="--volume"):
        staff_interval(-5, 30, 180, calculator_queue())
    with pytest.raises(InputError, match="service level must be between 0 and 100 percent"):
        calculator_queue("120/20")
    with pytest.raises(InputError, match="--asa must be greater than 0 seconds"):
        calculator_queue(asa_s=0)
    with pytest.raises(InputError, match="--max-abandon needs --patience"):
        calculator_queue(max_abandon=0.05)


def test_atomic_write_leaves_old_file_on_failure_and_normal_mode(tmp_path, monkeypatch):
    import errno
    import os

    from wfm.errors import OutputError
    from wfm.io import atomic_write_csv, atomic_write_text

    target = tmp_path / "out.csv"
    atomic_write_text(target, "old\n")
    assert oct(target.stat().st_mode & 0o777) == oct(0o666 & ~_umask())

    def boom(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("wfm.io.os.fsync", boom)
    with pytest.raises(OutputError, match="out.csv") as caught:  # exit 74, EX_IOERR, naming the file
        atomic_write_csv(target, pd.DataFrame({"a": [1]}))
    assert caught.value.exit_code == 74
    assert target.read_text() == "old\n"
    assert sorted(os.listdir(tmp_path)) == ["out.csv"]


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask
