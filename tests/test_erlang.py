"""Erlang B / C / A: published reference values, a discrete-event simulation, and properties."""

from __future__ import annotations

import heapq
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special, stats

from wfm import erlang, erlang_bounded
from wfm.erlang import Targets
from wfm.errors import InputError


# --------------------------------------------------------------------------- published values
def test_erlang_b_textbook_values():
    # Erlang B tables: A = 10 Erlangs
    np.testing.assert_allclose(erlang.erlang_b(10, [5, 10, 15]), [0.56395, 0.21458, 0.03650], atol=5e-5)
    assert float(erlang.erlang_b(1, 1)) == pytest.approx(0.5)
    assert float(erlang.erlang_b(2, 2)) == pytest.approx(0.4)  # 2^2/2 / (1 + 2 + 2)


def test_reference_100_calls_30_min_aht_180():
    m = erlang.erlang_c_metrics(10.0, 14, 180, 20)
    assert float(m.wait_probability) == pytest.approx(0.1741, abs=5e-5)
    assert float(m.service_level) == pytest.approx(0.8884, abs=5e-5)
    assert float(m.asa) == pytest.approx(7.84, abs=5e-3)
    assert float(m.occupancy) == pytest.approx(0.714, abs=5e-4)
    assert float(erlang.erlang_c_metrics(10.0, 13, 180, 20).service_level) == pytest.approx(0.7956, abs=5e-5)
    assert int(erlang.required_agents(100, 180, 1800, Targets(0.80, 20))) == 14


def test_reference_1000_calls_hour_aht_120():
    m = erlang.evaluate(1000, 120, 3600, 35, 20)
    assert float(m.wait_probability) == pytest.approx(0.6965, abs=5e-5)
    assert float(m.service_level) == pytest.approx(0.4724, abs=5e-5)
    assert float(m.asa) == pytest.approx(50.15, abs=5e-3)


def test_reference_360_calls_30_min_aht_240():
    m = erlang.evaluate(360, 240, 1800, 55, 15)
    assert float(m.wait_probability) == pytest.approx(0.2387, abs=5e-5)
    assert float(m.service_level) == pytest.approx(0.8459, abs=5e-5)
    assert float(m.asa) == pytest.approx(8.18, abs=5e-3)


def test_large_load_20000_calls_hour():
    assert int(erlang.required_agents(20000, 360, 3600, Targets(0.80, 20))) == 2019


def test_exact_beyond_10000_erlangs():
    # 12,000 Erlangs: B from the log-space Poisson ratio agrees with the reciprocal recurrence
    a, n = 12000.0, 12100
    inv = 1.0
    for k in range(1, n + 1):
        inv = 1.0 + inv * k / a
    assert float(erlang.erlang_b(a, n)) == pytest.approx(1.0 / inv, rel=1e-9)
    need = int(erlang.required_agents(a, 1.0, 1.0, Targets(0.8, 20 / 300)))
    assert float(erlang.erlang_c_metrics(a, need, 1.0, 20 / 300).service_level) >= 0.8
    assert float(erlang.erlang_c_metrics(a, need - 1, 1.0, 20 / 300).service_level) < 0.8


def test_far_below_load_uses_series_without_underflow():
    # A = 10,000, N = 5,000: Poisson CDF underflows; 1/B - 1 = N/A + N(N-1)/A^2 + ... ~ N/(A-N)
    val = float(erlang.inv_erlang_b_minus_one(10000.0, 5000))
    assert val == pytest.approx(5000 / 5000, rel=1e-3)
    assert 0 < float(erlang.erlang_b(10000.0, 5000)) < 1


def test_unstable_and_idle_intervals():
    m = erlang.erlang_c_metrics([10.0, 0.0], [10, 0], 180, 20)
    assert m.wait_probability.tolist() == [1.0, 0.0]
    assert m.service_level.tolist() == [0.0, 1.0]
    assert np.isinf(m.asa[0]) and m.asa[1] == 0.0
    assert erlang.required_agents([0.0, 0.0], 180, 900, Targets()).tolist() == [0, 0]


def test_required_agents_meets_every_target_at_once():
    # ASA, occupancy and abandonment targets each bind in turn
    base = int(erlang.required_agents(100, 180, 1800, Targets(0.8, 20)))
    asa = int(erlang.required_agents(100, 180, 1800, Targets(0.8, 20, asa_s=2.0)))
    occ = int(erlang.required_agents(100, 180, 1800, Targets(0.8, 20, max_occupancy=0.6)))
    assert asa > base and float(erlang.evaluate(100, 180, 1800, asa, 20).asa) <= 2.0
    assert float(erlang.evaluate(100, 180, 1800, asa - 1, 20).asa) > 2.0
    assert occ == 17  # ceil(10 / 0.6)
    ab = int(erlang.required_agents(100, 180, 1800, Targets(None, 20, max_abandon=0.01, patience_s=60)))
    m = erlang.evaluate(100, 180, 1800, [ab - 1, ab], 20, 60)
    assert m.abandon_rate[1] <= 0.01 < m.abandon_rate[0]


def test_fractional_agents_between_neighbours():
    frac = float(erlang.fractional_agents(100, 180, 1800, 14, Targets(0.8, 20)))
    # SL(13) = 0.7956, SL(14) = 0.8884 -> 13 + (0.8 - 0.7956) / (0.8884 - 0.7956)
    assert frac == pytest.approx(13 + (0.8 - 0.79559) / (0.88835 - 0.79559), abs=1e-3)


# --------------------------------------------------------------------------- Erlang A
def simulate_mmn_m(lam: float, n: int, aht: float, patience: float, t: float, calls: int, seed: int):
    """FCFS M/M/N+M simulation by offered waiting time: a caller takes the earliest free agent unless
    patience runs out first (abandoners never hold an agent, so FCFS order makes this exact)."""
    rng = np.random.default_rng(seed)
    arrivals = np.cumsum(rng.exponential(1.0 / lam, calls))
    service = rng.exponential(aht, calls)
    pat = rng.exponential(patience, calls)
    free = [0.0] * n
    heapq.heapify(free)
    answered_within = abandoned = 0
    waits = []
    warm = calls // 20
    for i in range(calls):
        a = arrivals[i]
        wait = max(free[0] - a, 0.0)
        counted = i >= warm
        if pat[i] < wait:
            abandoned += counted
            continue
        heapq.heapreplace(free, a + wait + service[i])
        if counted:
            waits.append(wait)
            answered_within += wait <= t
    offered = calls - warm
    return answered_within / offered, abandoned / offered, float(np.mean(waits))


@pytest.mark.parametrize(
    "lam_per_s, n, aht, patience, t",
    [
        (100 / 1800, 12, 180, 120, 20),  # moderate load
        (200 / 900, 40, 180, 60, 20),  # overloaded: A = 40 Erlangs on 40 agents
    ],
)
def test_erlang_a_matches_simulation(lam_per_s, n, aht, patience, t):
    sl, ab, asa = simulate_mmn_m(lam_per_s, n, aht, patience, t, calls=300_000, seed=7)
    m = erlang.erlang_a_metrics(lam_per_s * aht, n, aht, t, patience)
    assert float(m.service_level) == pytest.approx(sl, abs=0.006)
    assert float(m.abandon_rate) == pytest.approx(ab, abs=0.004)
    assert float(m.asa) == pytest.approx(asa, rel=0.04)


def test_erlang_a_tends_to_erlang_c_as_patience_grows():
    c = erlang.erlang_c_metrics(10.0, 14, 180, 20)
    prev = None
    for patience in (1e3, 1e4, 1e6):
        a = erlang.erlang_a_metrics(10.0, 14, 180, 20, patience)
        gap = abs(float(a.service_level - c.service_level))
        if prev is not None:
            assert gap < prev
        prev = gap
    a = erlang.erlang_a_metrics(10.0, 14, 180, 20, 1e7)
    assert float(a.service_level) == pytest.approx(float(c.service_level), abs=1e-5)
    assert float(a.asa) == pytest.approx(float(c.asa), rel=1e-4)
    assert float(a.wait_probability) == pytest.approx(float(c.wait_probability), abs=1e-5)


def test_erlang_a_no_agents_everyone_abandons():
    m = erlang.erlang_a_metrics(5.0, 0, 180, 20, 60)
    assert float(m.abandon_rate) == pytest.approx(1.0)
    assert float(m.service_level) == pytest.approx(0.0)


# --------------------------------------------------------------------------- properties
loads = st.floats(min_value=0.1, max_value=400.0)
answer = st.floats(min_value=1.0, max_value=120.0)
ahts = st.floats(min_value=30.0, max_value=900.0)


@settings(max_examples=60, deadline=None)
@given(load=loads, aht=ahts, t=answer, patience=st.one_of(st.none(), st.floats(10.0, 1000.0)))
def test_service_level_rises_with_agents_and_probabilities_bounded(load, aht, t, patience):
    n = np.arange(max(int(load) - 3, 0), int(load) + 40)
    m = erlang.evaluate(load * 1800 / aht, aht, 1800, n, t, patience)
    for p in (m.service_level, m.wait_probability, m.abandon_rate, m.occupancy):
        assert np.all((p >= 0) & (p <= 1))
    assert np.all(np.diff(m.service_level) >= -1e-9)
    assert np.all(np.diff(m.wait_probability) <= 1e-9)


@settings(max_examples=60, deadline=None)
@given(
    volume=st.one_of(st.just(0.0), st.floats(min_value=0.01, max_value=3000.0)),
    aht=ahts,
    sl=st.floats(min_value=0.5, max_value=0.95),
    t=answer,
    occ=st.one_of(st.none(), st.floats(0.6, 0.95)),
    patience=st.one_of(st.none(), st.floats(30.0, 600.0)),
)
def test_required_agents_is_the_smallest_that_meets_targets(volume, aht, sl, t, occ, patience):
    tg = Targets(sl, t, max_occupancy=occ, patience_s=patience)
    need = int(erlang.required_agents(volume, aht, 900, tg))
    if volume == 0:
        assert need == 0
        return
    ok = erlang.meets_targets(erlang.evaluate(volume, aht, 900, [need - 1, need], t, patience), sl, None, occ, None)
    assert bool(ok[1]) and not bool(ok[0])


def test_per_interval_targets_switch_off_with_inf_and_nan_patience():
    """Intervals of queues with different targets sized in one call give what each queue sized alone gives:
    +inf switches a cap off, NaN patience is Erlang C (how wfm.staffing sizes every queue at once)."""
    vol = np.array([100.0, 100.0, 228.194, 60.0, 0.0])
    aht = np.array([180.0, 180.0, 240.0, 300.0, 180.0])
    alone = [
        Targets(0.8, 20),
        Targets(0.8, 20, asa_s=5.0),
        Targets(0.8, 20, max_occupancy=0.85),
        Targets(0.5, 60, max_abandon=0.01, patience_s=60.0, max_occupancy=0.7),
        Targets(0.9, 15, patience_s=120.0),
    ]
    ivl = 900.0
    per = {
        "service_level": np.array([t.service_level for t in alone]),
        "answer_within_s": np.array([t.answer_within_s for t in alone]),
        "asa_s": np.array([np.inf if t.asa_s is None else t.asa_s for t in alone]),
        "max_occupancy": np.array([np.inf if t.max_occupancy is None else t.max_occupancy for t in alone]),
        "max_abandon": np.array([np.inf if t.max_abandon is None else t.max_abandon for t in alone]),
        "patience_s": np.array([np.nan if t.patience_s is None else t.patience_s for t in alone]),
    }
    need = erlang.required_agents(vol, aht, ivl, **per)
    frac = erlang.fractional_agents(vol, aht, ivl, need, **per)
    labels = erlang.binding_targets(vol, aht, ivl, need, **per)
    for i, tg in enumerate(alone):
        n = int(erlang.required_agents(vol[i], aht[i], ivl, tg))
        assert need[i] == n
        assert frac[i] == float(erlang.fractional_agents(vol[i], aht[i], ivl, n, tg))
        assert labels[i] == erlang.binding_targets(vol[i], aht[i], ivl, n, tg)
    m = erlang.evaluate(vol, aht, ivl, need, per["answer_within_s"], per["patience_s"])
    assert m.abandon_rate[0] == 0.0 and m.abandon_rate[3] > 0  # Erlang C where patience is NaN


def test_binding_targets_name_what_one_agent_fewer_misses():
    # 100 calls / 30 min at 180 s: 80/20 needs 14 (13 answer 79.6%); ASA 5 s needs 15 (14 wait 7.8 s);
    # 182.56 Erlangs with an 85% cap: ceil(182.56 / 0.85) = 215; one call: 1 agent; no calls: none
    vol = np.array([0.0, 1.0, 100.0, 100.0, 228.194])
    aht = np.array([180.0, 180.0, 180.0, 180.0, 240.0])
    ivl = np.array([1800.0, 1800.0, 1800.0, 1800.0, 300.0])
    occ = np.array([np.inf, np.inf, np.inf, np.inf, 0.85])
    asa = np.array([np.inf, np.inf, np.inf, 5.0, np.inf])
    n = erlang.required_agents(vol, aht, ivl, service_level=0.8, answer_within_s=20.0, asa_s=asa, max_occupancy=occ)
    assert n.tolist() == [0, 1, 14, 15, 215]
    labels = erlang.binding_targets(vol, aht, ivl, n, service_level=0.8, answer_within_s=20.0, asa_s=asa,
                                    max_occupancy=occ)
    assert labels.tolist() == ["none", "floor", "service_level", "asa", "occupancy"]
    # several missed at once: ASA 8 s and 80/20 both fail at 13 agents; the order is fixed
    assert erlang.binding_targets(100, 180, 1800, 14, Targets(0.8, 20, asa_s=8.0)) == "service_level+asa"
    # Erlang C's stability floor: 1% in 1 s is met by floor(182.56) + 1 = 183 agents
    assert erlang.required_agents(228.194, 240, 300, Targets(0.01, 1.0)) == 183
    assert erlang.binding_targets(228.194, 240, 300, 183, Targets(0.01, 1.0)) == "floor"
    # more agents than needed: nothing binds
    assert erlang.binding_targets(100, 180, 1800, 16, Targets(0.8, 20)) == "none"


# --------------------------------------------------------------------------- large loads (wfm.erlang_bounded)
CALLS_1E7, CALLS_1E8, AHT, IVL = 1e7, 1e8, 300.0, 1800.0  # 1.67 and 16.7 million Erlangs


def _switch_over_grid() -> dict[str, np.ndarray]:
    """Intervals of exactly ``LARGE_LOAD`` Erlangs: AHT x patience x targets (service level, with an ASA cap,
    with an abandonment cap, with an occupancy cap)."""
    rows = [(aht, pat, *tg) for aht in (60.0, 300.0, 900.0) for pat in (30.0, 180.0, 300.0)
            for tg in ((0.8, 20.0, np.inf, np.inf, np.inf), (0.9, 10.0, 15.0, np.inf, np.inf),
                       (0.5, 60.0, np.inf, 0.05, np.inf), (0.95, 30.0, np.inf, np.inf, 0.97))]
    aht, pat, sl, t, asa, ab, occ = np.array(rows).T
    return {"volume": erlang.LARGE_LOAD * IVL / aht, "aht_s": aht, "patience_s": pat, "service_level": sl,
            "answer_within_s": t, "asa_s": asa, "max_abandon": ab, "max_occupancy": occ}


def test_window_and_exact_sums_agree_at_the_switch_over(monkeypatch):
    """At the switch-over the bounded window sizes the same agents as the sums from zero on a grid of AHT,
    patience and targets (the exact sums find the bounded answer meets every target and one agent fewer does
    not), and every figure agrees within the bounds docs/methods.md states."""
    g = _switch_over_grid()
    vol, aht, pat, t = g.pop("volume"), g.pop("aht_s"), g["patience_s"], g["answer_within_s"]
    need = erlang.required_agents(vol, aht, IVL, **g)
    n = np.stack([need - 1, need, need + 1])
    bounded = erlang.evaluate(vol, aht, IVL, n, t, pat)
    monkeypatch.setattr(erlang, "LARGE_LOAD", np.inf)  # every interval through the sums from zero
    exact = erlang.evaluate(vol, aht, IVL, n, t, pat)
    ok = erlang.meets_targets(exact, g["service_level"], g["asa_s"], g["max_occupancy"], g["max_abandon"])
    assert ok[1].all() and not ok[0].any()
    for field in ("service_level", "wait_probability", "abandon_rate", "occupancy"):
        assert np.abs(getattr(bounded, field) - getattr(exact, field)).max() < 1e-9, field
    assert np.abs(bounded.asa - exact.asa).max() < 1e-8


@pytest.mark.parametrize("calls", [1e5, CALLS_1E7, CALLS_1E8, 1e9])
def test_window_leaves_out_less_than_its_bound_and_keeps_the_identities(calls):
    """The mass left out of the window (proved bound) is below 1e-15 of the total from underloaded to heavily
    overloaded; and the figures keep the identities every M/M/N+M queue obeys: P(abandon) >= 1 - N / A (the
    carried load is at most N), service level <= P(answered), all in [0, 1]."""
    a = calls * AHT / IVL
    n = np.floor(a * np.array([0.5, 0.9, 0.999, 1.0, 1.001, 1.1]) + np.array([0, 0, -1, 0, 1, 0]) * np.sqrt(a))
    for pat, t in ((30.0, 20.0), (180.0, 20.0), (1800.0, 5.0)):
        if a * pat / AHT > erlang.MAX_LOAD_SIZED:
            continue
        args = [np.full(n.shape, v) for v in (a, AHT, 20.0, pat)]
        sl, asa, pwait, pab, bound = erlang_bounded.erlang_a_large(args[0], n, args[1], np.full(n.shape, t), args[3])
        assert (bound < 1e-15).all(), bound
        assert (pab >= 1.0 - n / a - 1e-14).all() and (sl <= 1.0 - pab + 1e-14).all()
        for p in (sl, pwait, pab):
            assert ((p >= 0) & (p <= 1 + 1e-15)).all()
        assert (np.diff(sl) >= -1e-12).all() and (np.diff(asa) <= 1e-9).all()


@pytest.mark.parametrize("calls", [CALLS_1E7, CALLS_1E8])
def test_patience_equal_to_aht_is_the_poisson_queue_at_1e7_and_1e8_calls(calls):
    """Callers who abandon at the rate agents serve leave the number in the system Poisson(A) (M/M/infinity):
    P(wait) = P(X >= N) and P(abandon) = E[(X - N)+] / A exactly, at any size."""
    a = calls * AHT / IVL
    n = np.floor(a + np.array([-3.0, -1.0, 0.0, 0.5, 2.0, 4.0]) * np.sqrt(a))
    m = erlang.evaluate(calls, AHT, IVL, n, 20.0, AHT)
    p_wait = special.pdtrc(n - 1, a)
    np.testing.assert_allclose(m.wait_probability, p_wait, rtol=1e-11, atol=1e-15)
    np.testing.assert_allclose(m.abandon_rate, p_wait - n / a * special.pdtrc(n, a), rtol=1e-9, atol=1e-15)


@pytest.mark.parametrize("cap", [0.01, 1e-3, 1e-5])
def test_an_abandonment_cap_at_1e8_calls_sizes_the_poisson_closed_form(cap):
    """Sizing at 1e8 calls per interval: with patience = AHT the fewest agents with P(abandon) <= cap is the
    smallest N with E[(X - N)+] / A <= cap, X ~ Poisson(A), found here by scanning every N from A (1 - cap) (at
    most 1 - N / A abandon) up. A cap of 1% is met 40 standard deviations below the load, where every agent is
    busy and exactly 1 - N / A abandon."""
    a = CALLS_1E8 * AHT / IVL
    n = np.arange(np.floor(a * (1 - cap)) - 2, np.ceil(a + 8 * np.sqrt(a)))
    p_ab = special.pdtrc(n - 1, a) - n / a * special.pdtrc(n, a)
    expected = int(n[np.argmax(p_ab <= cap + 1e-12)])  # the tolerance of erlang.meets_targets
    got = int(erlang.required_agents(CALLS_1E8, AHT, IVL, Targets(None, 20.0, max_abandon=cap, patience_s=AHT)))
    assert got == expected


@pytest.mark.parametrize("patience", [60.0, 600.0, 3000.0])
def test_wait_probability_at_1e8_calls_tends_to_the_garnett_function(patience):
    """Halfin-Whitt scaling for Erlang A (Garnett, Mandelbaum and Reiman 2002): with N = A + beta sqrt(A),
    P(wait) -> [1 + r h(beta / r) / h(-beta)]^-1, r = sqrt(AHT / patience), h the normal hazard rate; the
    difference at 16.7 million Erlangs is O(1 / sqrt(A)) (under 1e-4 here)."""
    a = CALLS_1E8 * AHT / IVL
    n = np.floor(a + np.array([-1.0, -0.5, 0.0, 1.0, 2.0]) * np.sqrt(a))
    beta, r = (n - a) / np.sqrt(a), np.sqrt(AHT / patience)

    def hazard(x):
        return np.exp(stats.norm.logpdf(x) - stats.norm.logsf(x))

    garnett = 1.0 / (1.0 + r * hazard(beta / r) / hazard(-beta))
    m = erlang.evaluate(CALLS_1E8, AHT, IVL, n, 20.0, patience)
    np.testing.assert_allclose(m.wait_probability, garnett, atol=1e-4)


def test_overloaded_at_1e8_calls_follows_the_fluid_model():
    """Far below the load (N = 0.9 A) every agent is busy: exactly a share 1 - N / A abandons, and the callers
    answered wait the fluid model's patience ln(A / N) (Whitt 2006), to O(1 / sqrt(A))."""
    a = CALLS_1E8 * AHT / IVL
    for patience in (60.0, 180.0, 900.0):
        n = np.floor(0.9 * a)
        m = erlang.evaluate(CALLS_1E8, AHT, IVL, n, 20.0, patience)
        assert float(m.abandon_rate) == pytest.approx(1.0 - n / a, abs=1e-12)
        assert float(m.asa) == pytest.approx(patience * np.log(a / n), rel=1e-3)
        assert float(m.wait_probability) == pytest.approx(1.0, abs=1e-12)


def test_erlang_a_at_1e7_calls_tends_to_erlang_c_as_patience_grows():
    a = CALLS_1E7 * AHT / IVL
    n = np.floor(a + np.array([0.5, 1.0, 2.0]) * np.sqrt(a))
    c = erlang.evaluate(CALLS_1E7, AHT, IVL, n, 20.0)
    gaps = [np.abs(erlang.evaluate(CALLS_1E7, AHT, IVL, n, 20.0, p).service_level - c.service_level).max()
            for p in (3600.0, 86_400.0)]
    assert gaps[1] < gaps[0] < 1e-3 and gaps[1] < 1e-4


@pytest.mark.parametrize("tg", [Targets(0.8, 20.0, patience_s=180.0), Targets(0.9, 5.0, patience_s=1800.0),
                                Targets(None, 20.0, asa_s=10.0, patience_s=600.0),
                                Targets(0.8, 20.0, max_occupancy=0.9, patience_s=180.0),
                                Targets(0.95, 10.0, asa_s=2.0, max_abandon=0.01, patience_s=180.0)])
def test_required_agents_at_1e8_calls_is_the_smallest_that_meets_targets(tg):
    need = int(erlang.required_agents(CALLS_1E8, AHT, IVL, tg))
    m = erlang.evaluate(CALLS_1E8, AHT, IVL, [need - 1, need], tg.answer_within_s, tg.patience_s)
    ok = erlang.meets_targets(m, tg.service_level, tg.asa_s, tg.max_occupancy, tg.max_abandon)
    assert bool(ok[1]) and not bool(ok[0])


@pytest.mark.parametrize("calls", [CALLS_1E8, 6e9])
def test_erlang_c_at_huge_loads_tends_to_halfin_whitt(calls):
    """P(wait) of M/M/N with N = A + beta sqrt(A) -> [1 + beta Phi(beta) / phi(beta)]^-1 (Halfin and Whitt
    1981), to O(1 / sqrt(A)); the log-probabilities in Loader's form keep it to the last digits at 1e9 Erlangs."""
    a = calls * AHT / IVL
    beta = np.array([0.1, 0.5, 1.0, 2.0])
    n = np.ceil(a + beta * np.sqrt(a))
    beta = (n - a) / np.sqrt(a)
    hw = 1.0 / (1.0 + beta * stats.norm.cdf(beta) / stats.norm.pdf(beta))
    np.testing.assert_allclose(erlang.erlang_c(a, n), hw, atol=3.0 / np.sqrt(a))


def test_loader_log_poisson_pmf_matches_gammaln_where_it_is_exact():
    n = np.array([0.0, 1.0, 7.0, 50.0, 1e3])
    a = np.array([3.0, 0.5, 7.5, 40.0, 1.1e3])
    np.testing.assert_allclose(erlang_bounded.log_poisson_pmf(n, a), stats.poisson.logpmf(n, a), rtol=1e-12)
    # at 1e5 gammaln is already off by 2e-10; an exactly rounded sum of log(a / i) is not
    exact = math.fsum(math.log(1.0e5 / i) for i in range(1, 100_001)) - 1.0e5
    assert float(erlang_bounded.log_poisson_pmf(1e5, 1e5)) == pytest.approx(exact, abs=1e-11)
    # near 1e9 gammaln rounds to ~1e-6; the saddle-point form keeps the pmf summing to 1 over the bulk
    big = 1e9
    k = np.arange(big - 400_000, big + 400_000)  # 12.6 standard deviations each way
    assert np.exp(erlang_bounded.log_poisson_pmf(k, big)).sum() == pytest.approx(1.0, abs=1e-12)


def test_sizes_past_the_limit_are_refused_before_any_work():
    with pytest.raises(InputError, match="above 1,000,000,000, the most wfm sizes"):
        erlang.evaluate(1e9, 3600.0, 1800.0, 2e9, 20.0)
    with pytest.raises(InputError, match="calls offered per mean patience"):
        erlang.evaluate(1e9, 300.0, 1800.0, 2e8, 20.0, 3600.0)


def test_waiting_given_wait_past_the_switch_over_matches_the_sums_from_zero(monkeypatch):
    """The waiting part of Erlang A that the priority and objective routings use goes through the same window
    from 10,000 calls per mean patience on, and agrees with the sums from zero there."""
    lam = np.array([50.0, 60.0, 500.0, 34.0])  # calls per second
    dep = np.array([49.0, 65.0, 520.0, 30.0])  # head-of-queue answer rate, per second
    pat = np.array([300.0, 180.0, 180.0, 600.0])
    assert (lam * pat >= erlang.LARGE_LOAD).all()
    window = erlang.waiting_given_wait(lam, dep, 20.0, pat)
    monkeypatch.setattr(erlang, "LARGE_LOAD", np.inf)
    exact = erlang.waiting_given_wait(lam, dep, 20.0, pat)
    for w, e in zip(window, exact, strict=True):
        np.testing.assert_allclose(w, e, rtol=1e-9, atol=1e-12)
