"""wfm.routing: each queue's service when a staff group serves several queues.

* One queue is its own Erlang C/A under either routing; FIFO is the pooled queue within each queue's answer
  time (what wfm did before routing existed).
* Priority is an approximation (module docstring), checked here against the simulator (wfm.simulate) on 12
  stationary two- and three-queue cases: service level within 3 points where the queues share one AHT and
  3.5 points where their AHTs differ (the approximation pools the service rates), abandonment within 1 point.
  The 95% half-widths of the simulated figures are asserted under a point, so a miss is the model's.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.simulate.stationary import run_all
from wfm import erlang
from wfm.config import Queue, parse_config
from wfm.errors import ConfigError
from wfm.routing import GroupLoad, group_metrics, required_agents


def queues(aht, patience, within):
    return [Queue(name=f"q{k}", aht_s=aht[k], patience_s=patience[k] or None, answer_within_s=within[k],
                  service_level=0.8, shrinkage=0.3) for k in range(len(aht))]


def load_of(erlangs, aht, patience, within, routing="priority", interval_s=900.0):
    vol = np.array([a / h * interval_s for a, h in zip(erlangs, aht, strict=True)])[:, None]
    return GroupLoad(routing, queues(aht, patience, within), vol, np.array(aht, float)[:, None], interval_s)


@pytest.mark.parametrize("routing", ["fifo", "priority"])
@pytest.mark.parametrize("patience", [0, 180])
def test_one_queue_is_its_own_erlang(routing, patience):
    load = load_of([12.0], [300.0], [patience], [20.0], routing)
    agents = np.arange(13, 25, dtype=float)
    m = group_metrics(load, agents[None, :])
    e = erlang.evaluate(load.volume[0, 0], 300.0, 900.0, agents, 20.0, patience or None)
    assert np.allclose(m.service_level[0, 0], e.service_level, atol=1e-12)
    assert np.allclose(m.asa[0, 0], e.asa, atol=1e-9)


def test_fifo_is_the_pooled_queue_within_each_answer_time():
    load = load_of([5.0, 9.0], [240.0, 360.0], [0, 0], [15.0, 30.0], "fifo")
    m = group_metrics(load, np.array([17.0]))
    pooled_aht = (5.0 + 9.0) / (5.0 / 240.0 + 9.0 / 360.0)
    for k, t in enumerate((15.0, 30.0)):
        e = erlang.evaluate(load.total, pooled_aht, 900.0, 17.0, t)
        assert m.service_level[k, 0] == pytest.approx(float(e.service_level[0]), abs=1e-12)


def test_priority_top_queue_is_exact_for_equal_service_rates():
    # Kella & Yechiali: P(W1 > t) = C exp(-(c mu - lambda_1) t), C = Erlang C of the total load
    load = load_of([6.0, 10.0], [300.0, 300.0], [0, 0], [20.0, 20.0])
    c = 19.0
    m = group_metrics(load, np.array([c]))
    big_c = float(erlang.erlang_c(16.0, c))
    exact = 1.0 - big_c * np.exp(-(c / 300.0 - 6.0 / 300.0) * 20.0)
    assert m.service_level[0, 0] == pytest.approx(exact, abs=1e-12)
    # Cobham's mean waits for every queue: E[W_k] = C / (c mu (1 - s_{k-1})(1 - s_k))
    s1, s2 = 6.0 / c, 16.0 / c
    assert m.asa[0, 0] == pytest.approx(big_c * 300.0 / (c * (1 - s1)), rel=1e-9)
    assert m.asa[1, 0] == pytest.approx(big_c * 300.0 / (c * (1 - s1) * (1 - s2)), rel=1e-9)


def test_required_agents_are_the_fewest_meeting_every_queue():
    load = load_of([18.2, 15.3, 38.9], [420.0, 240.0, 300.0], [240, 0, 180], [15.0, 30.0, 20.0])
    need = int(required_agents(load)[0])
    for c, expect in ((need, True), (need - 1, False)):
        sl = group_metrics(load, np.array([float(c)])).service_level[:, 0]
        assert bool((sl >= 0.8 - 1e-12).all()) is expect


# Erlangs per queue (priority order), AHT s, patience s (0: none), answer time s, agents
CASES = [
    ([4, 6], [300, 300], [0, 0], [20, 20], 12),
    ([6, 4], [300, 300], [0, 0], [20, 20], 11),
    ([8, 20], [300, 300], [0, 180], [20, 20], 30),
    ([15, 30], [300, 300], [120, 180], [20, 20], 47),
    ([10, 10, 20], [300, 300, 300], [180, 180, 180], [20, 20, 20], 43),
    ([40, 60, 100], [300, 300, 300], [0, 0, 200], [20, 20, 20], 205),
    ([10, 10], [180, 300], [0, 0], [15, 30], 23),
    ([5, 15], [420, 240], [240, 0], [15, 20], 24),
    ([20, 40], [240, 360], [0, 180], [15, 20], 66),
    ([3, 5, 8], [300, 240, 300], [0, 0, 0], [15, 20, 30], 19),
    ([18.2, 15.3, 38.9], [420, 240, 300], [240, 0, 180], [15, 30, 20], 76),
    ([5, 20, 10], [200, 300, 400], [0, 240, 0], [10, 20, 30], 39),
]
IDS = [f"{len(a)}queues-{sum(a):g}erl-{c}agents" + ("-same-aht" if len(set(h)) == 1 else "")
       for a, h, _, _, c in CASES]


@pytest.fixture(scope="module")
def simulated():
    jobs = {
        name: dict(rates=[a / h for a, h in zip(erl, aht, strict=True)], aht=aht, agents=c,
                   calls=150_000 if sum(erl) < 60 else 300_000, answer_within=within,
                   patience=[p if p else np.inf for p in pat], fifo=False, order=list(range(len(erl))),
                   seed=3000 + i, replications=12)
        for i, (name, (erl, aht, pat, within, c)) in enumerate(zip(IDS, CASES, strict=True))
    }
    return run_all(jobs)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_priority_matches_the_simulator(simulated, case):
    erl, aht, pat, within, c = case
    run = simulated[IDS[CASES.index(case)]]
    m = group_metrics(load_of(erl, aht, pat, within), np.array([float(c)]))
    tolerance = 0.03 if len(set(aht)) == 1 else 0.035
    for k in range(len(erl)):
        sl, half = run.figure("service_level", k)
        ab, ab_half = run.figure("abandon_rate", k)
        assert half < 0.01 and ab_half < 0.01
        assert abs(m.service_level[k, 0] - sl) <= tolerance, (k, m.service_level[k, 0], sl)
        assert abs(m.abandon_rate[k, 0] - ab) <= 0.01, (k, m.abandon_rate[k, 0], ab)


def test_config_routing_orders_and_checks_queues():
    base = {"queues": [{"name": "a", "answer_within_s": 30, "service_level": 0.8},
                       {"name": "b", "answer_within_s": 15, "service_level": 0.9},
                       {"name": "c", "answer_within_s": 15, "service_level": 0.8}]}
    assert parse_config(base).routing() == ("fifo", parse_config(base).queues)
    tight = parse_config({**base, "staff_groups": [{"name": "front_line", "routing": "priority"}]})
    assert [q.name for q in tight.routing()[1]] == ["b", "c", "a"]  # 15 s before 30 s; 90% before 80%
    named = parse_config({**base, "staff_groups": [{"name": "front_line", "routing": "priority", "priority": ["a"]}]})
    assert [q.name for q in named.routing("front_line")[1]] == ["a", "b", "c"]
    with pytest.raises(ConfigError, match=r"priority names unknown queue 'x' \(its queues: a, b, c\)"):
        parse_config({**base, "staff_groups": [{"name": "front_line", "routing": "priority", "priority": ["x"]}]})
