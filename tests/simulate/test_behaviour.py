"""What the simulation does call by call (hand-made calls through the kernel) and over a small centre:
conservation, seeds, no agents, breaks, shrinkage, service-time draws."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.simulate import small
from wfm.simulate import generators, on_phones, simulate
from wfm.simulate.calls import draw_calls
from wfm.simulate.kernel import run_group

INF = np.inf


def kernel(arrival, queue, service, hang_up, agents, interval_s=60.0, fifo=True, order=(0, 1), within=(20.0, 20.0),
           weights=(1.0, 1.0)):
    """Run hand-made calls (all counted) and return the count arrays per queue (summed over intervals)."""
    arrival = np.asarray(arrival, dtype=float)
    interval = np.floor(arrival / interval_s).astype(np.int64)
    n_int = len(agents)
    q = len(order)
    out = [np.zeros((n_int, q), dtype=np.int64) for _ in range(5)] + [np.zeros((n_int, q))]
    run_group(arrival, np.asarray(queue, dtype=np.int64), interval, np.asarray(service, dtype=float),
              np.asarray(hang_up, dtype=float), np.asarray(agents, dtype=np.int64), interval_s, 0, n_int, fifo,
              np.asarray(order, dtype=np.int64), np.asarray(weights, dtype=float), np.asarray(within, dtype=float),
              *out)
    names = ("offered", "answered", "answered_within", "abandoned", "waiting_at_end", "wait_sum")
    return {k: v.sum(axis=0) for k, v in zip(names, out, strict=True)}


# --------------------------------------------------------------------------- call by call
def test_a_drop_in_agents_ends_no_call_and_takes_no_new_one_until_an_agent_is_free():
    # one agent in 0-60 s, none in 60-120 s, one again from 120 s; the first call runs on to 110 s
    out = kernel([10.0, 20.0], [0, 0], [100.0, 5.0], [INF, INF], [1, 0, 1])
    assert out["answered"][0] == 2
    assert out["wait_sum"][0] == pytest.approx(100.0)  # the second call waits 20 -> 120 s, not to 110 s
    assert out["answered_within"][0] == 1


def test_fifo_takes_the_oldest_call_of_the_group_and_priority_the_first_queue_in_order():
    # the agent is busy until 50 s; a call of queue 1 arrives at 5 s, one of queue 0 at 10 s
    args = ([0.0, 5.0, 10.0], [0, 1, 0], [50.0, 10.0, 10.0], [INF, INF, INF], [1, 1, 1])
    fifo = kernel(*args, fifo=True)
    assert fifo["wait_sum"].tolist() == [50.0, 45.0]  # queue 1's call at 50 s, then queue 0's at 60 s
    prio = kernel(*args, fifo=False, order=(0, 1))
    assert prio["wait_sum"].tolist() == [40.0, 55.0]  # queue 0's call at 50 s, then queue 1's at 60 s
    prio_rev = kernel(*args, fifo=False, order=(1, 0))
    assert prio_rev["wait_sum"].tolist() == [50.0, 45.0]


def test_objective_routing_takes_the_longest_weighted_wait():
    # at 50 s queue 0's head has waited 40 s, queue 1's 45 s: weight 1.2 makes 48 > 45, weight 1.1 44 < 45
    args = ([0.0, 5.0, 10.0], [0, 1, 0], [50.0, 10.0, 10.0], [INF, INF, INF], [1, 1, 1])
    assert kernel(*args, weights=(1.2, 1.0))["wait_sum"].tolist() == [40.0, 55.0]
    assert kernel(*args, weights=(1.1, 1.0))["wait_sum"].tolist() == [50.0, 45.0]


def test_a_caller_hangs_up_at_the_end_of_their_patience_and_is_counted_once():
    # the agent is busy until 50 s; the second caller gives up at 30 s, the third would at 80 s
    out = kernel([0.0, 5.0, 10.0], [0, 0, 0], [50.0, 10.0, 10.0], [INF, 30.0, 80.0], [1, 1], within=(20.0,),
                 order=(0,))
    assert out["offered"][0] == 3 and out["answered"][0] == 2 and out["abandoned"][0] == 1
    assert out["wait_sum"][0] == pytest.approx(40.0)


def test_calls_still_waiting_at_the_end_are_counted_as_such():
    out = kernel([1.0, 2.0, 3.0], [0, 0, 0], [10.0] * 3, [INF, 50.0, 500.0], [0, 0], order=(0,), within=(20.0,))
    assert out["answered"][0] == 0
    assert out["abandoned"][0] == 1  # hung up at 50 s, before the end at 120 s
    assert out["waiting_at_end"][0] == 2  # no patience, and patience past the end


# --------------------------------------------------------------------------- a small centre
def run(cfg=None, fc=None, **kw):
    cfg = cfg or small.config()
    fc = small.forecast() if fc is None else fc
    if "roster" not in kw and "agents" not in kw:
        kw["agents"] = small.agents()
    kw.setdefault("replications", 5)
    return simulate(cfg, fc, **kw)


def test_offered_is_answered_plus_abandoned_plus_still_waiting():
    res = run(agents=small.agents(count=8), replications=4)
    t = res.intervals
    assert np.allclose(t["offered"], t["answered"] + t["abandoned"] + t["waiting_at_end"])
    assert (t["abandoned"] > 0).any() and (t["answered"] > 0).any()
    assert t.loc[t["queue"] == "care", "abandoned"].sum() == 0  # care has no patience
    d = res.days
    assert np.allclose(d["offered"], d["answered"] + d["abandoned"] + d["waiting_at_end"])


def test_offered_calls_follow_the_forecast():
    res = run(replications=20)
    per_queue = res.intervals.groupby("queue")["offered"].sum()
    assert per_queue["sales"] == pytest.approx(16 * 20.0, rel=0.05)
    assert per_queue["care"] == pytest.approx(16 * 10.0, rel=0.07)
    assert res.intervals.loc[res.intervals["volume"] == 0, "offered"].sum() == 0


def test_same_seed_same_result_and_another_seed_another():
    a, b, c = run(seed=7), run(seed=7), run(seed=8)
    for name in ("intervals", "days", "queues"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    assert a.summary() == b.summary()
    assert not a.intervals["answered_within"].equals(c.intervals["answered_within"])


def test_a_replication_does_not_depend_on_how_many_run():
    first = generators(3, 5)[2][0].random(4)
    assert np.array_equal(first, generators(3, 9)[2][0].random(4))


def test_no_agents_answer_nothing():
    res = run(agents=small.agents(count=0))
    t = res.intervals
    assert t["answered"].sum() == 0
    sales, care = t[t["queue"] == "sales"], t[t["queue"] == "care"]
    assert np.allclose(sales["abandoned"], sales["offered"])  # patience 120 s: every caller hangs up
    assert np.allclose(care["waiting_at_end"], care["offered"])  # no patience: still waiting at the end
    assert res.notes and "still waiting" in res.notes[0]
    assert res.queues.set_index("queue").loc["sales", "service_level"] == 0.0


def test_breaks_take_agents_off_exactly_where_they_are():
    # 8 agents 08:00-12:00 for about 4.3 Erlangs; in the second roster four of them break 10:00-10:30. Every
    # caller has a patience, so nobody waits from one morning to the next: the warm-up day leaves the same
    # empty queues in both runs
    cfg = small.config(care={"patience_s": 300})
    fc = small.forecast(sales=10.0, care=5.0)
    four = {i: "10:00-10:30" for i in range(4)}
    full = run(cfg, fc, roster=small.roster(8), seed=3)
    broken = run(cfg, fc, roster=small.roster(8, breaks=four), seed=3)
    a, b = full.intervals, broken.intervals
    clock = a["timestamp"].dt.strftime("%H:%M")
    in_break = clock.isin(["10:00", "10:15"])
    assert (b.loc[in_break, "rostered"] == 4).all() and (a.loc[in_break, "rostered"] == 8).all()
    assert (a.loc[~in_break, "rostered"] == b.loc[~in_break, "rostered"]).all()
    # same calls (same seed) and the same agents until 10:00: identical to the call for the calls answered
    # before it (those of 09:45 may still be waiting at 10:00)
    before = a["timestamp"] < pd.Timestamp(f"{small.DAY} 09:45")
    pd.testing.assert_frame_equal(a[before], b[before])
    # during the break fewer calls are answered within T, and more abandon
    assert b.loc[in_break, "answered_within"].sum() < a.loc[in_break, "answered_within"].sum()
    assert b.loc[in_break, "abandoned"].sum() > a.loc[in_break, "abandoned"].sum()
    assert b.loc[in_break, "service_level"].mean() < a.loc[in_break, "service_level"].mean() - 0.1


def test_fixed_shrinkage_counts_on_the_phones_as_the_erlang_figures_do():
    rostered = np.array([0, 1, 7, 10, 13])
    assert on_phones(rostered, np.full(5, 0.3), "fixed").tolist() == [0, 0, 4, 7, 9]
    cfg = small.config(sales={"shrinkage": 0.3}, care={"shrinkage": 0.3})
    res = run(cfg, roster=small.roster(10))
    open_ = res.intervals["rostered"] == 10
    assert (res.intervals.loc[open_, "agents"] == 7).all()


def test_binomial_shrinkage_draws_each_agent_away_with_the_shrinkage_probability():
    rng = np.random.default_rng(0)
    draws = on_phones(np.full(20_000, 50), np.full(20_000, 0.3), "binomial", rng)
    assert draws.mean() == pytest.approx(35.0, abs=0.05)
    assert draws.var() == pytest.approx(50 * 0.3 * 0.7, rel=0.05)
    cfg = small.config(sales={"shrinkage": 0.3}, care={"shrinkage": 0.3})
    res = run(cfg, roster=small.roster(10), shrinkage="binomial", replications=40)
    open_ = res.intervals["rostered"] == 10
    assert res.intervals.loc[open_, "agents"].mean() == pytest.approx(7.0, abs=0.25)


@pytest.mark.parametrize("cv", [None, 0.5, 1.5])
def test_service_times_have_the_aht_as_mean_and_the_asked_cv(cv):
    rng = np.random.default_rng(1)
    calls = draw_calls(rng, np.array([[100_000.0, 0.0], [0.0, 100_000.0]]), np.array([[200.0, 200.0], [400.0, 400.0]]),
                       np.array([INF, 60.0]), 900.0, cv)
    for q, mean in ((0, 200.0), (1, 400.0)):
        s = calls.service[calls.queue == q]
        assert s.mean() == pytest.approx(mean, rel=0.02)
        assert s.std() / s.mean() == pytest.approx(1.0 if cv is None else cv, rel=0.05)
    assert np.all(np.diff(calls.arrival) >= 0)
    assert np.isinf(calls.hang_up[calls.queue == 0]).all()
    patience = (calls.hang_up - calls.arrival)[calls.queue == 1]
    assert patience.mean() == pytest.approx(60.0, rel=0.02)


def test_progress_is_reported_after_each_replication():
    seen = []
    run(replications=3, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_the_result_has_intervals_days_queues_and_a_summary():
    res = run(replications=3)
    assert len(res.intervals) == 96 * 2 and len(res.days) == 2 and list(res.queues["queue"]) == ["sales", "care"]
    for frame in (res.intervals, res.days, res.queues):
        for name in ("service_level", "asa", "abandon_rate"):
            assert {name, f"{name}_lo", f"{name}_hi"} <= set(frame.columns)
    ok = res.queues["service_level_lo"] <= res.queues["service_level"]
    assert (ok & (res.queues["service_level"] <= res.queues["service_level_hi"])).all()
    s = res.summary()
    assert s["replications"] == 3 and s["horizon"] == {"start": f"{small.DAY} 00:00", "end": "2026-03-03 00:00",
                                                       "intervals": 96}
    assert [q["queue"] for q in s["queues"]] == ["sales", "care"]
    assert res.exit_code == (0 if res.meets_targets else 1)
