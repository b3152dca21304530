"""Routing against exact results for M/M/c with several queues and equal service rates.

Non-preemptive priority (Kella & Yechiali; Cobham for the means), C = Erlang C of the total load, c agents,
rate mu, sigma_k = sum of lambda_i / (c mu) over the first k queues:

* the top queue's wait: P(W1 > t) = C exp(-(c mu - lambda_1) t), so its service level is
  1 - C exp(-(c mu - lambda_1) T);
* every queue's mean wait: E[W_k] = C / (c mu (1 - sigma_{k-1}) (1 - sigma_k)).

FIFO across queues: every queue waits like the pooled M/M/c, whatever its answer time.

Tolerances: the top queue's service level within 0.5 point (95% interval under +-0.3 point); mean waits within
5% (95% interval under +-4.5%).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.simulate.stationary import run_all
from wfm import erlang

# load (Erlangs), agents, shares of the load (highest priority first), AHT s, T s, calls per replication
CASES = [
    (5, 7, [0.6, 0.4], 180, 20, 100_000),
    (10, 12, [0.3, 0.7], 300, 20, 150_000),
    (20, 23, [0.5, 0.5], 300, 20, 150_000),
    (30, 34, [0.2, 0.3, 0.5], 240, 20, 300_000),
    (60, 66, [0.3, 0.3, 0.4], 300, 20, 300_000),
]
IDS = [f"load{a}-agents{c}-{len(s)}queues" for a, c, s, *_ in CASES]
FIFO = (5, 7, [0.5, 0.5], 240, [20, 40], 180_000)


@pytest.fixture(scope="module")
def runs():
    jobs = {
        name: dict(rates=[load / aht * s for s in shares], aht=[aht] * len(shares), agents=agents, calls=calls,
                   answer_within=[t] * len(shares), fifo=False, order=list(range(len(shares))), seed=2000 + i)
        for i, (name, (load, agents, shares, aht, t, calls)) in enumerate(zip(IDS, CASES, strict=True))
    }
    load, agents, shares, aht, ts, calls = FIFO
    jobs["fifo"] = dict(rates=[load / aht * s for s in shares], aht=[aht] * 2, agents=agents, calls=calls,
                        answer_within=ts, seed=2100)
    return run_all(jobs)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_top_queue_wait_distribution_and_every_queue_mean_wait_are_exact(runs, case):
    load, agents, shares, aht, t, _ = case
    run = runs[IDS[CASES.index(case)]]
    mu = 1.0 / aht
    lam = np.array(shares) * load * mu
    c_prob = float(erlang.erlang_c(load, agents))
    sl, half = run.figure("service_level", 0)
    exact_sl = 1.0 - c_prob * math.exp(-(agents * mu - lam[0]) * t)
    assert half < 0.003
    assert abs(sl - exact_sl) < 0.005, (sl, exact_sl)
    sigma = np.concatenate([[0.0], np.cumsum(lam) / (agents * mu)])
    for k in range(len(shares)):
        exact_wait = c_prob / (agents * mu * (1 - sigma[k]) * (1 - sigma[k + 1]))
        wait, wait_half = run.figure("asa", k)
        assert wait_half < 0.045 * exact_wait, (k, wait_half / exact_wait)
        assert abs(wait - exact_wait) < 0.05 * exact_wait, (k, wait, exact_wait)


def test_lower_priority_waits_longer(runs):
    for name, (*_, shares, _aht, _t, _calls) in zip(IDS, CASES, strict=True):
        waits = [runs[name].figure("asa", k)[0] for k in range(len(shares))]
        assert waits == sorted(waits), (name, waits)


def test_fifo_queues_wait_like_the_pooled_queue(runs):
    load, agents, _, aht, ts, _ = FIFO
    run = runs["fifo"]
    exact = erlang.erlang_c_metrics(load, agents, aht, np.array(ts, dtype=float))
    for q in range(2):
        sl, half = run.figure("service_level", q)
        assert half < 0.003
        assert abs(sl - exact.service_level[q]) < 0.005, (q, sl, exact.service_level[q])
        wait, _ = run.figure("asa", q)
        assert abs(wait - exact.asa[q]) < 0.05 * exact.asa[q], (q, wait, exact.asa[q])
