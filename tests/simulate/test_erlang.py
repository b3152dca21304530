"""The simulation against wfm.erlang's closed forms: stationary Erlang C (M/M/c) and Erlang A (M/M/c+M) cases,
loads 2 to 200 Erlangs.

Tolerances: service level within 0.5 point of the closed form, with the simulation's own 95% interval
(20 replications) narrower than +-0.3 point, so a bias of half a point could not hide in the noise; ASA
within 4% + 0.2 s; abandon rate within 0.3 point. Each case runs about ``calls`` x 20 calls, sized from the
variance of its service level (heavy loads wander longer, so they need more).
"""

from __future__ import annotations

import math

import pytest

from tests.simulate.stationary import run_all
from wfm import erlang

INF = math.inf
# load (Erlangs), agents, AHT s, T s, patience s (inf: Erlang C), calls per replication
CASES = [
    (2, 3, 180, 20, INF, 90_000),
    (2, 4, 300, 30, INF, 60_000),
    (3, 5, 120, 10, INF, 60_000),
    (5, 7, 240, 20, INF, 160_000),
    (10, 13, 180, 15, INF, 280_000),
    (20, 25, 300, 20, INF, 250_000),
    (50, 60, 300, 20, INF, 200_000),
    (80, 92, 240, 30, INF, 150_000),
    (100, 115, 300, 20, INF, 180_000),
    (150, 168, 240, 20, INF, 270_000),
    (200, 222, 180, 10, INF, 370_000),
    (2, 2, 180, 20, 120, 60_000),
    (2, 3, 300, 30, 60, 60_000),
    (5, 5, 240, 20, 180, 90_000),
    (10, 10, 300, 20, 120, 90_000),
    (10, 12, 180, 15, 60, 60_000),
    (20, 20, 300, 20, 180, 200_000),
    (50, 48, 300, 20, 120, 270_000),
    (80, 80, 240, 30, 150, 220_000),
    (100, 95, 300, 20, 90, 260_000),
    (150, 150, 240, 20, 120, 230_000),
    (200, 190, 300, 20, 90, 410_000),
    (200, 205, 180, 10, 60, 150_000),
]
IDS = [f"{'C' if p == INF else 'A'}-load{a}-agents{c}-T{t}" + ("" if p == INF else f"-pat{p}")
       for a, c, _, t, p, _ in CASES]


@pytest.fixture(scope="module")
def runs():
    jobs = {
        name: dict(rates=[load / aht], aht=[aht], agents=agents, calls=calls, answer_within=[t],
                   patience=None if pat == INF else [pat], seed=1000 + i)
        for i, (name, (load, agents, aht, t, pat, calls)) in enumerate(zip(IDS, CASES, strict=True))
    }
    return run_all(jobs)


def closed_form(load, agents, aht, t, pat):
    if pat == INF:
        return erlang.erlang_c_metrics(load, agents, aht, t)
    return erlang.erlang_a_metrics(load, agents, aht, t, pat)


def test_there_are_enough_cases():
    assert sum(p == INF for *_, p, _ in CASES) >= 10 and sum(p != INF for *_, p, _ in CASES) >= 10
    assert min(c[0] for c in CASES) == 2 and max(c[0] for c in CASES) == 200


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_service_level_asa_and_abandonment_match_the_closed_form(runs, case):
    load, agents, aht, t, pat, _ = case
    run = runs[IDS[CASES.index(case)]]
    exact = closed_form(load, agents, aht, t, pat)
    sl, sl_half = run.figure("service_level")
    assert sl_half < 0.003, f"too few calls: the 95% interval is +-{100 * sl_half:.2f} points"
    assert abs(sl - float(exact.service_level)) < 0.005, (sl, float(exact.service_level))
    asa, _ = run.figure("asa")
    assert abs(asa - float(exact.asa)) < 0.04 * float(exact.asa) + 0.2, (asa, float(exact.asa))
    abandon, _ = run.figure("abandon_rate")
    assert abs(abandon - float(exact.abandon_rate)) < 0.003, (abandon, float(exact.abandon_rate))
    assert run.waiting_at_end.sum() == 0
