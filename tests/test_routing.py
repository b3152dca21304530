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
from wfm.routing import GroupLoad, group_metrics, required_agents, tune_objectives


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


# --------------------------------------------------------------------------- objective routing
def objective_load(erlangs, aht, patience, within, objectives, interval_s=900.0):
    load = load_of(erlangs, aht, patience, within, "objective", interval_s)
    return GroupLoad("objective", load.queues, load.volume, load.aht, interval_s,
                     weights=1.0 / np.asarray(objectives, dtype=float))


def test_objective_with_equal_weights_is_fifo_exactly():
    # equal weights serve the oldest call first: one pooled M/M/c queue (same AHT, no patience)
    obj = group_metrics(objective_load([5.0, 9.0], [300.0, 300.0], [0, 0], [15.0, 30.0], [20.0, 20.0]),
                        np.array([17.0]))
    fifo = group_metrics(load_of([5.0, 9.0], [300.0, 300.0], [0, 0], [15.0, 30.0], "fifo"), np.array([17.0]))
    assert np.allclose(obj.service_level, fifo.service_level, atol=1e-9)
    assert np.allclose(obj.asa, fifo.asa, rtol=1e-6)


def test_objective_waits_add_up_to_the_pooled_wait():
    # Kleinrock's conservation: sum_k lambda_k E[W_k] = lambda E[W_FIFO] for any weights (same AHT, no patience)
    erl = [4.0, 7.0, 6.0]
    c = 19.0
    m = group_metrics(objective_load(erl, [300.0] * 3, [0, 0, 0], [20.0] * 3, [5.0, 20.0, 60.0]), np.array([c]))
    fifo = erlang.evaluate(sum(erl) / 300.0 * 900.0, 300.0, 900.0, c, 20.0)
    assert float((np.array(erl) * m.asa[:, 0]).sum() / sum(erl)) == pytest.approx(float(fifo.asa), rel=1e-6)
    assert m.asa[0, 0] < m.asa[1, 0] < m.asa[2, 0]  # the shortest objective waits least


def test_objective_with_weights_far_apart_is_strict_priority():
    erl, aht, within = [6.0, 10.0], [300.0, 300.0], [20.0, 20.0]
    obj = group_metrics(objective_load(erl, aht, [0, 0], within, [1e-3, 1e6]), np.array([19.0]))
    prio = group_metrics(load_of(erl, aht, [0, 0], within), np.array([19.0]))
    assert np.allclose(obj.service_level, prio.service_level, atol=1e-4)
    assert np.allclose(obj.asa, prio.asa, rtol=1e-3)


# Erlangs per queue, AHT s, patience s (0: none), answer time s, agents, objectives s
OBJECTIVE_CASES = [
    ([4, 6], [300, 300], [0, 0], [20, 20], 12, [10, 20]),
    ([8, 20], [300, 300], [0, 180], [20, 20], 30, [10, 30]),
    ([15, 30], [300, 300], [120, 180], [20, 20], 47, [15, 20]),
    ([10, 10, 20], [300, 300, 300], [180, 180, 180], [20, 20, 20], 43, [5, 10, 20]),
    ([40, 60, 100], [300, 300, 300], [0, 0, 200], [20, 20, 20], 205, [10, 20, 40]),
    ([8, 20], [300, 300], [0, 0], [20, 20], 31, [10, 100]),
    ([5, 15], [420, 240], [240, 0], [15, 20], 24, [8, 20]),
    ([20, 40], [240, 360], [0, 180], [15, 20], 66, [10, 25]),
    ([3, 5, 8], [300, 240, 300], [0, 0, 0], [15, 20, 30], 19, [10, 20, 30]),
    ([18.2, 15.3, 38.9], [420, 240, 300], [240, 0, 180], [15, 30, 20], 76, [6, 16, 20]),
    ([20, 15, 76], [420, 240, 300], [240, 0, 180], [15, 30, 20], 115, [6.3, 37.2, 21.8]),
    ([8, 6, 30], [420, 240, 300], [240, 0, 180], [15, 30, 20], 48, [6.3, 37.2, 21.8]),
    ([5, 20, 10], [200, 300, 400], [0, 240, 0], [10, 20, 30], 39, [10, 20, 30]),
]
OBJECTIVE_IDS = [f"{len(a)}queues-{sum(a):g}erl-{c}agents-obj{'/'.join(f'{x:g}' for x in o)}"
                 for a, _, _, _, c, o in OBJECTIVE_CASES]


@pytest.fixture(scope="module")
def simulated_objective():
    jobs = {
        name: dict(rates=[a / h for a, h in zip(erl, aht, strict=True)], aht=aht, agents=c,
                   calls=150_000 if sum(erl) < 60 else 300_000, answer_within=within,
                   patience=[p if p else np.inf for p in pat], fifo=True, weights=[1.0 / o for o in obj],
                   seed=4000 + i, replications=12)
        for i, (name, (erl, aht, pat, within, c, obj)) in enumerate(zip(OBJECTIVE_IDS, OBJECTIVE_CASES, strict=True))
    }
    return run_all(jobs)


@pytest.mark.parametrize("case", OBJECTIVE_CASES, ids=OBJECTIVE_IDS)
def test_objective_matches_the_simulator(simulated_objective, case):
    """Service level within 4 points of the simulator (measured worst: 3.8), abandonment within 1 point."""
    erl, aht, pat, within, c, obj = case
    run = simulated_objective[OBJECTIVE_IDS[OBJECTIVE_CASES.index(case)]]
    m = group_metrics(objective_load(erl, aht, pat, within, obj), np.array([float(c)]))
    for k in range(len(erl)):
        sl, half = run.figure("service_level", k)
        ab, ab_half = run.figure("abandon_rate", k)
        assert half < 0.01 and ab_half < 0.01
        assert abs(m.service_level[k, 0] - sl) <= 0.04, (k, m.service_level[k, 0], sl)
        assert abs(m.abandon_rate[k, 0] - ab) <= 0.01, (k, m.abandon_rate[k, 0], ab)


def _day_of_calls(scale):
    """Three queues over 48 half-hours: a day's shape, retail the busiest."""
    shape = np.sin(np.linspace(0.0, np.pi, 48)) ** 2 + 0.05
    erl = np.array([4.0, 3.0, 12.0])[:, None] * shape[None, :] * scale
    aht = np.array([420.0, 240.0, 300.0])
    queues_ = [Queue(name=n, aht_s=h, answer_within_s=t, service_level=s, shrinkage=0.3)
               for n, h, t, s in (("business", 420, 15, 0.9), ("cards", 240, 30, 0.8), ("retail", 300, 20, 0.8))]
    return GroupLoad("objective", queues_, erl / aht[:, None] * 1800.0, np.repeat(aht[:, None], 48, axis=1), 1800.0)


def test_tuned_objectives_favour_the_tight_queue_and_are_deterministic():
    load = _day_of_calls(1.0)
    tuned = tune_objectives(load)
    assert tuned.tolist() == tune_objectives(load).tolist()
    assert tuned[2] == pytest.approx(20.0 / np.log(0.5 / 0.2), abs=0.05)  # the busiest queue anchors the scale
    assert tuned[0] < tuned[2] < tuned[1]  # 90/15 before 80/20 before 80/30


def test_tuned_objectives_share_the_waiting_better_than_fifo_or_strict_priority():
    # on the same agents, every queue's calls-weighted margin over its target: the tuned objectives make the
    # worst queue's margin larger than equal weights (FIFO) or weights far apart (strict priority) do
    load = _day_of_calls(3.0)
    agents = required_agents(GroupLoad("objective", load.queues, load.volume, load.aht, load.interval_s,
                                       weights=1.0 / tune_objectives(load))).astype(float)

    def worst_margin(objectives):
        trial = GroupLoad("objective", load.queues, load.volume, load.aht, load.interval_s,
                          weights=1.0 / np.asarray(objectives, dtype=float))
        sl = (load.volume * group_metrics(trial, agents).service_level).sum(axis=1) / load.volume.sum(axis=1)
        return float((sl - np.array([0.9, 0.8, 0.8])).min())

    tuned = worst_margin(tune_objectives(load))
    assert tuned > worst_margin([20.0, 20.0, 20.0]) + 0.005
    assert tuned > worst_margin([0.01, 1e5, 100.0]) + 0.005


def test_config_objectives_name_every_queue_of_an_objective_group():
    base = {"queues": [{"name": "a", "answer_within_s": 30, "service_level": 0.8},
                       {"name": "b", "answer_within_s": 15, "service_level": 0.9}]}
    ok = parse_config({**base, "staff_groups": [{"name": "front_line", "routing": "objective",
                                                 "objectives": {"a": 30, "b": 8}}]})
    assert ok.routing("front_line")[0] == "objective" and ok.objectives("front_line") == {"a": 30.0, "b": 8.0}
    bad = [
        ({"routing": "objective", "objectives": {"a": 30, "x": 8}}, r"objectives name unknown queue 'x'"),
        ({"routing": "objective", "objectives": {"a": 30}}, r"objectives must name every queue .*missing: b"),
        ({"routing": "fifo", "objectives": {"a": 30, "b": 8}}, r"objectives need routing = \"objective\""),
        ({"routing": "objective", "objectives": {"a": 0, "b": 8}}, r"greater than 0"),
        ({"routing": "fifo", "priority": ["a"]}, r"a priority list needs routing = \"priority\""),
    ]
    for spec, message in bad:
        with pytest.raises(ConfigError, match=message):
            parse_config({**base, "staff_groups": [{"name": "front_line", **spec}]})
