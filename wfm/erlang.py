"""Erlang B, C and A queueing maths, vectorised over intervals.

Every function takes arrays (one element per interval, or scalars, broadcast together) and returns arrays.
There is no factorial and no per-interval Python loop:

* Erlang B comes from the Poisson ratio ``B(N, A) = P(X = N) / P(X <= N)``, ``X ~ Poisson(A)``, computed in
  log space (``scipy.special``), with a series for ``1/B - 1`` where the Poisson CDF would underflow. This is
  exact (to double precision) for offered loads far beyond 10,000 Erlangs.
* Erlang C (M/M/N): ``C = B / (1 - rho (1 - B))``; service level ``1 - C exp(-(N - A) T / AHT)``;
  ASA ``C AHT / (N - A)``; occupancy ``A / N``.
* Erlang A (M/M/N+M, exponential patience with mean ``patience_s``): exact stationary distribution of the
  birth-death chain. A caller who finds ``k`` others waiting is answered with probability
  ``x / (x + k + 1)`` and within ``T`` with probability ``x / (x + k + 1) * I_p(k + 1, x + 1)``, where
  ``x = N * patience / AHT`` and ``p = 1 - exp(-T / patience)`` (regularised incomplete beta; the offered wait
  is a sum of exponentials with rates ``(N/AHT) + i/patience``, the order-statistics identity gives its law).
* Past ``LARGE_LOAD`` (10,000 Erlangs, or calls per mean patience) Erlang A sums only the window of waiting states
  that carries the mass, with a proved bound on the rest (:mod:`wfm.erlang_bounded`), and the agent search starts
  from the fluid model and closes by secant steps; sizes are bounded by ``MAX_CALLS_SIZED`` and ``MAX_LOAD_SIZED``.

Conventions (the README repeats them):

* ``load`` A is in Erlangs: ``volume * aht_s / interval_s``.
* Service level under Erlang A is *answered within T over all offered calls*: callers who abandon count as
  misses, whenever they hang up. ASA under Erlang A is the mean wait of *answered* calls.
* Unstable Erlang C intervals (``N <= A``) have wait probability 1, service level 0 and infinite ASA.
* An interval with no calls needs no agents and has service level 1.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

from wfm import erlang_bounded
from wfm.errors import InputError

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

_TINY_CDF = 1e-280  # below this the Poisson CDF is computed by series instead
_TERM_TOL = 1e-12  # relative size of the last term kept in Erlang A sums
_BLOCK = 64  # queue-length states added per vectorised step in Erlang A sums

MAX_CALLS_SIZED = 1e9
"""The most calls offered in one interval that the calculator sizes (``wfm staff --volume``). Forecast rows
stay at ``wfm.io.MAX_CALLS_PER_INTERVAL``: a roster cannot hold the agents of more."""

MAX_LOAD_SIZED = 1e9
"""The largest offered load (Erlangs) and, under Erlang A, the most calls offered per mean patience
(``y = A patience / AHT``) that wfm evaluates: an Erlang A evaluation sums O(sqrt(y)) states past the switch-over,
about 0.6 million at this size (a sizing at 1e9 calls per interval takes well under a second)."""

MAX_PATIENCE_S = 86_400.0
"""The longest mean caller patience wfm takes: a day (Erlang A)."""

LARGE_LOAD = 10_000.0
"""Switch-over to :mod:`wfm.erlang_bounded`: an interval whose offered load ``A`` (calls per AHT), or under
Erlang A whose calls offered per mean patience ``y = A patience / AHT``, reaches this many is computed with the
log-probabilities in Loader's form and (Erlang A) over the window of waiting states that carries the mass,
with a proved bound on what is left out; below, the sums from zero. The two agree to 1e-10 here (measured
over a grid in docs/methods.md, "Erlang at large loads"); the sums from zero cost O(y) states per evaluation,
the window O(sqrt(y))."""


# --------------------------------------------------------------------------- helpers
def offered_load(volume: ArrayLike, aht_s: ArrayLike, interval_s: ArrayLike) -> FloatArray:
    """Offered load in Erlangs: ``volume * aht_s / interval_s``."""
    return np.asarray(volume, dtype=float) * np.asarray(aht_s, dtype=float) / np.asarray(interval_s, dtype=float)


def _log_poisson_pmf(n: FloatArray, a: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return special.xlogy(n, a) - a - special.gammaln(n + 1.0)


def inv_erlang_b_minus_one(load: ArrayLike, agents: ArrayLike) -> FloatArray:
    """``1/B(N, A) - 1 = P(X < N) / P(X = N)`` for ``X ~ Poisson(A)``; +inf when ``A == 0 < N``.

    This is the quantity Erlang C and A need; it is well scaled where B itself is tiny or close to 1. From
    ``LARGE_LOAD`` Erlangs on, from :func:`wfm.erlang_bounded.log_inv_b_minus_one` (``gammaln`` near 1e9
    Erlangs rounds to about 1e-6 of the result; Loader's form to a few ulps).
    """
    a, n = np.broadcast_arrays(np.asarray(load, dtype=float), np.asarray(agents, dtype=float))
    a = a.astype(float, copy=True)
    n = n.astype(float, copy=True)
    out = np.zeros(a.shape)
    pos_n = n > 0
    zero_a = (a <= 0) & pos_n
    out[zero_a] = np.inf
    work = pos_n & ~zero_a
    if not work.any():
        return out
    large = work & (a >= LARGE_LOAD)
    if large.any():
        with np.errstate(over="ignore"):
            out[large] = np.exp(erlang_bounded.log_inv_b_minus_one(a[large], n[large]))
        work &= ~large
        if not work.any():
            return out
    aw, nw = a[work], n[work]
    with np.errstate(divide="ignore", under="ignore", over="ignore", invalid="ignore"):
        cdf_below = special.pdtr(nw - 1.0, aw)  # P(X <= N-1)
        log_pmf = _log_poisson_pmf(nw, aw)
        res = np.exp(np.log(cdf_below) - log_pmf)
    # Far below the load the CDF underflows: 1/B - 1 = sum_{j>=1} N!/((N-j)! A^j), terms shrink by (N-j+1)/A.
    tiny = ~(cdf_below > _TINY_CDF) & (nw < aw)
    if tiny.any():
        at, nt = aw[tiny], nw[tiny]
        total = np.zeros(at.shape)
        term = np.ones(at.shape)
        j = 1
        active = np.ones(at.shape, dtype=bool)
        while active.any():
            term = np.where(active, term * np.maximum(nt - j + 1, 0.0) / at, 0.0)
            total += term
            active &= term > _TERM_TOL * np.maximum(total, 1e-300)
            j += 1
        res[tiny] = total
    out[work] = res
    return out


def erlang_b(load: ArrayLike, agents: ArrayLike) -> FloatArray:
    """Blocking probability of M/M/N/N (Erlang B)."""
    return 1.0 / (1.0 + inv_erlang_b_minus_one(load, agents))


def erlang_c(load: ArrayLike, agents: ArrayLike) -> FloatArray:
    """Probability that a call waits (Erlang C). 1 where ``agents <= load`` (the queue is unstable)."""
    a, n = np.broadcast_arrays(np.asarray(load, dtype=float), np.asarray(agents, dtype=float))
    c = np.ones(a.shape)
    stable = n > a  # only these need the Poisson ratio (an unstable queue's would be thrown away)
    r = inv_erlang_b_minus_one(a[stable], n[stable])  # P(X<N)/P(X=N)
    with np.errstate(divide="ignore", invalid="ignore"):
        # C = 1 / (1 + (1 - rho) * (1/B - 1) / ... ) written with r = 1/B - 1:  C = 1 / (1 + (1 - rho) * r)
        c[stable] = 1.0 / (1.0 + (1.0 - a[stable] / n[stable]) * r)
    return np.where(a <= 0, 0.0, c)


# --------------------------------------------------------------------------- metrics
@dataclass(frozen=True)
class QueueMetrics:
    """Per-interval performance of a given number of agents (arrays, one element per interval)."""

    service_level: FloatArray  # share of offered calls answered within T (abandons are misses)
    asa: FloatArray  # mean wait of answered calls, seconds (inf when unstable under Erlang C)
    occupancy: FloatArray  # share of agent time busy with calls
    wait_probability: FloatArray  # share of calls that wait at all
    abandon_rate: FloatArray  # share of calls that abandon (0 under Erlang C)


def erlang_c_metrics(
    load: ArrayLike, agents: ArrayLike, aht_s: ArrayLike, answer_within_s: ArrayLike
) -> QueueMetrics:
    """Erlang C (M/M/N, callers wait forever): service level within T, ASA, occupancy, P(wait)."""
    a, n, aht, t = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (load, agents, aht_s, answer_within_s))
    )
    check_sizes(a)
    c = erlang_c(a, n)
    stable = n > a
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        sl = 1.0 - c * np.exp(-(n - a) * t / aht)
        asa = c * aht / (n - a)
        occ = np.where(n > 0, a / n, 1.0)  # calls but nobody to take them: fully overloaded
    sl = np.where(stable, sl, 0.0)
    asa = np.where(stable, asa, np.inf)
    idle = a <= 0
    sl = np.where(idle, 1.0, sl)
    asa = np.where(idle, 0.0, asa)
    occ = np.where(idle, 0.0, np.minimum(occ, 1.0))
    return QueueMetrics(
        service_level=np.clip(sl, 0.0, 1.0),
        asa=asa,
        occupancy=occ,
        wait_probability=c,
        abandon_rate=np.zeros(a.shape),
    )


def erlang_a_metrics(
    load: ArrayLike,
    agents: ArrayLike,
    aht_s: ArrayLike,
    answer_within_s: ArrayLike,
    patience_s: ArrayLike,
) -> QueueMetrics:
    """Erlang A (M/M/N+M): callers abandon after an exponential patience with mean ``patience_s``.

    Exact (truncated only where the stationary probabilities fall below 1e-14 of their sum); from
    ``LARGE_LOAD`` on, summed over the window of waiting states that carries the mass, with the proved bound
    of :mod:`wfm.erlang_bounded` (below 1e-15 of each probability).
    """
    a, n, aht, t, pat = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (load, agents, aht_s, answer_within_s, patience_s))
    )
    shape = a.shape
    a, n, aht, t, pat = (v.ravel() for v in (a, n, aht, t, pat))
    check_sizes(a, aht, pat)
    size = a.size
    sl = np.ones(size)
    asa = np.zeros(size)
    pwait = np.zeros(size)
    pab = np.zeros(size)
    busy = a > 0
    large = busy & _large(a, aht, pat)
    if large.any():
        idx = np.flatnonzero(large)
        sl[idx], asa[idx], pwait[idx], pab[idx], _ = erlang_bounded.erlang_a_large(
            a[idx], n[idx], aht[idx], t[idx], pat[idx])
    exact = busy & ~large
    if exact.any():
        idx = np.flatnonzero(exact)
        r = _erlang_a_sums(a[idx], n[idx], aht[idx], t[idx], pat[idx])
        sl[idx], asa[idx], pwait[idx], pab[idx] = r
    with np.errstate(divide="ignore", invalid="ignore"):
        occ = np.where(busy & (n > 0), a * (1.0 - pab) / n, 0.0)
    return QueueMetrics(
        service_level=np.clip(sl, 0.0, 1.0).reshape(shape),
        asa=asa.reshape(shape),
        occupancy=np.clip(occ, 0.0, 1.0).reshape(shape),
        wait_probability=np.clip(pwait, 0.0, 1.0).reshape(shape),
        abandon_rate=np.clip(pab, 0.0, 1.0).reshape(shape),
    )


def check_sizes(load: FloatArray, aht: FloatArray | None = None, patience: FloatArray | None = None) -> None:
    """InputError when an offered load, or (with patience) the calls offered per mean patience, is above
    ``MAX_LOAD_SIZED``: beyond it an evaluation's work is not bounded by anything wfm documents. The calculator
    checks its options first, naming them; this is the limit for every other caller."""
    worst = float(np.max(np.where(np.isnan(load), 0.0, load), initial=0.0))  # NaN: no load (0 calls / 0)
    if not worst <= MAX_LOAD_SIZED:
        raise InputError(f"an offered load of {worst:,.6g} Erlangs is above {MAX_LOAD_SIZED:,.0f}, the most wfm sizes")
    if patience is not None and aht is not None:
        with np.errstate(invalid="ignore", over="ignore"):
            _check_per_patience(load * patience / aht)


def _check_per_patience(y: FloatArray) -> None:
    """InputError when the calls offered per mean patience ``y`` are above ``MAX_LOAD_SIZED`` (NaN: no calls)."""
    worst = float(np.max(np.where(np.isnan(y), 0.0, y), initial=0.0))
    if not worst <= MAX_LOAD_SIZED:
        raise InputError(f"{worst:,.6g} calls offered per mean patience is above {MAX_LOAD_SIZED:,.0f}, the most "
                         "wfm sizes under Erlang A")


def states_summed(load: ArrayLike, agents: ArrayLike, aht_s: ArrayLike, patience_s: ArrayLike) -> FloatArray:
    """About how many queue states an Erlang A evaluation of ``agents`` sums past the switch-over, per element
    (:func:`wfm.erlang_bounded.window_size`; 0 below it, where the sums from zero are as they always were). What
    a caller asking for many evaluations (``wfm staff --table``) can budget with."""
    a, n, aht, pat = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (load, agents, aht_s, patience_s)))
    large = _large(a, aht, pat)
    out = np.zeros(a.shape)
    if large.any():
        out[large] = erlang_bounded.window_size(a[large], n[large], aht[large], np.ones(int(large.sum())),
                                                pat[large])
    return out


def _large(a: FloatArray, aht: FloatArray, pat: FloatArray) -> NDArray[np.bool_]:
    """Intervals past the switch-over: offered load, or calls offered per mean patience, of ``LARGE_LOAD``."""
    return (a >= LARGE_LOAD) | (a * pat / aht >= LARGE_LOAD)


def _erlang_a_sums(
    a: FloatArray, n: FloatArray, aht: FloatArray, t: FloatArray, pat: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Service level, ASA, P(wait), P(abandon) from sums over the number of callers waiting, k = 0, 1, ...

    States N + k, for loads a > 0. With x = N patience / AHT and y = A patience / AHT (= lambda * patience),
    the stationary probability of state N + k relative to state N is r_k = y^k / prod_{i=1..k} (x + i).
    """
    chain = _erlang_a_chain(a, n, aht, t, pat)
    with np.errstate(divide="ignore", over="ignore"):
        r0 = np.exp(np.log(inv_erlang_b_minus_one(a, n)) - chain.scale)  # sum_{n<N} pi_n / pi_N, scaled
    s_all, s_sl, s_ab, s_wait = _waiting_sums(chain)
    return _erlang_a_shares(r0, s_all, s_sl, s_ab, s_wait)


@dataclass(frozen=True)
class _ErlangAChain:
    """Per-interval constants of the Erlang A birth-death chain (see :func:`_erlang_a_sums`)."""

    x: FloatArray  # N patience / AHT
    log_y: FloatArray  # log(A patience / AHT)
    gx1: FloatArray  # gammaln(x + 1)
    dx1: FloatArray  # digamma(x + 1)
    theta: FloatArray  # 1 / patience
    log_p: FloatArray  # log p, p = P(one exponential patience clock has run out by T)
    log_q: FloatArray  # log (1 - p)
    scale: FloatArray  # log r_k at the peak k*, taken off every log r_k
    peak: FloatArray  # r_k rises while y > x + k, then falls: sums run at least this far


def _erlang_a_chain(
    a: FloatArray, n: FloatArray, aht: FloatArray, t: FloatArray, pat: FloatArray
) -> _ErlangAChain:
    """The chain's constants for intervals with loads a > 0 (x and y as in :func:`_erlang_a_sums`)."""
    x = n * pat / aht
    y = a * pat / aht
    theta = 1.0 / pat
    p_t = -np.expm1(-t * theta)  # P(one exponential patience clock has run out by T)
    log_y = np.log(y)
    gx1 = special.gammaln(x + 1.0)
    # Scale every r_k by the largest one (at the peak k*) so that nothing overflows.
    k_star = np.maximum(np.ceil(y - x - 1.0), 0.0)
    scale = k_star * log_y - (special.gammaln(x + k_star + 1.0) - gx1)
    return _ErlangAChain(
        x=x, log_y=log_y, gx1=gx1, dx1=special.digamma(x + 1.0), theta=theta,
        log_p=np.log(p_t), log_q=np.log1p(-p_t), scale=scale, peak=np.maximum(np.ceil(y - x), 0.0),
    )


def _waiting_sums(c: _ErlangAChain) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Scaled sums over k of r_k, r_k P(answered within T | k), r_k P(abandon | k), r_k E[wait; answered | k].

    ``_BLOCK`` states at a time, vectorised over intervals; an interval stops once past its peak and its
    last term is negligible.
    """
    s_all, s_sl, s_ab, s_wait = (np.zeros(c.x.size) for _ in range(4))
    i_next = -np.expm1((c.x + 1.0) * c.log_q)  # I_p(k0 + 1, x + 1) for the first k0 of the next block
    active = np.arange(c.x.size)
    k0 = 0
    while active.size:
        ks = np.arange(k0, k0 + _BLOCK, dtype=float)[None, :]
        xa = c.x[active, None]
        gxk = special.gammaln(xa + ks + 1.0)
        r = np.exp(ks * c.log_y[active, None] - (gxk - c.gx1[active, None]) - c.scale[active, None])
        answered = xa / (xa + ks + 1.0)
        within, i_next[active] = _answered_within(c, active, ks, gxk, i_next[active])
        mean_wait = (special.digamma(xa + ks + 2.0) - c.dx1[active, None]) / c.theta[active, None]
        s_all[active] += r.sum(axis=1)
        s_ab[active] += (r * (ks + 1.0) / (xa + ks + 1.0)).sum(axis=1)
        s_sl[active] += (r * answered * within).sum(axis=1)
        s_wait[active] += (r * answered * mean_wait).sum(axis=1)
        k0 += _BLOCK
        still = (k0 <= c.peak[active]) | (r[:, -1] > _TERM_TOL * s_all[active])
        active = active[still]
    return s_all, s_sl, s_ab, s_wait


def _answered_within(
    c: _ErlangAChain, active: IntArray, ks: FloatArray, gxk: FloatArray, i_first: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """P(offered wait <= T | k ahead), tilted: I_p(k+1, x+1) for the block ``ks`` of the rows ``active``.

    ``i_first`` is I_p at the block's first k; also returned: I_p at the next block's first k. I_p(1, b) =
    1 - (1-p)^b, then the recurrence I_p(a+1, b) = I_p(a, b) - p^a (1-p)^b / (a B(a, b)) (cheap gammaln
    instead of betainc per term); ``gxk`` is gammaln(x + k + 1).
    """
    xa = c.x[active, None]
    # decrements d_k = p^(k+1) q^(x+1) / ((k+1) B(k+1, x+1)); B via gammaln(k+1)+gammaln(x+1)-gammaln(x+k+2)
    a_k = ks + 1.0
    log_d = (
        a_k * c.log_p[active, None] + (xa + 1.0) * c.log_q[active, None] - np.log(a_k)
        - (special.gammaln(a_k) + c.gx1[active, None] - (gxk + np.log(xa + ks + 1.0)))
    )
    dec = np.exp(log_d)
    done = np.concatenate([np.zeros((active.size, 1)), np.cumsum(dec[:, :-1], axis=1)], axis=1)
    within = i_first[:, None] - done
    within = np.clip(within, 0.0, 1.0)
    return within, np.clip(within[:, -1] - dec[:, -1], 0.0, 1.0)


def _erlang_a_shares(
    r0: FloatArray, s_all: FloatArray, s_sl: FloatArray, s_ab: FloatArray, s_wait: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Service level, ASA, P(wait), P(abandon) from the scaled sums (``r0``: states with nobody waiting)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        norm = r0 + s_all  # sum of pi / pi_N over all states
        inf_r0 = ~np.isfinite(r0)  # only when a == 0, excluded by the caller; keep safe anyway
        p_immediate = np.where(inf_r0, 1.0, r0 / norm)
        pwait = np.where(inf_r0, 0.0, s_all / norm)
        sl = p_immediate + np.where(inf_r0, 0.0, s_sl / norm)
        pab = np.where(inf_r0, 0.0, s_ab / norm)
        answered_share = 1.0 - pab
        asa = np.where(answered_share > 0, np.where(inf_r0, 0.0, s_wait / norm) / answered_share, np.inf)
    return sl, asa, pwait, pab


def waiting_given_wait(
    arrival_rate: ArrayLike, departure_rate: ArrayLike, answer_within_s: ArrayLike, patience_s: ArrayLike
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """A caller who has to wait, in a queue where callers arrive at ``arrival_rate`` (per second), the head of
    the queue is answered at ``departure_rate`` and each waiting caller abandons at ``1 / patience_s``: the
    waiting part of Erlang A (states N + k with N mu replaced by ``departure_rate``; ``_erlang_a_sums``).

    Returns P(answered within T | waits), P(abandons | waits) and E[wait; answered | waits] in seconds.
    Arrays broadcast; every rate must be positive. From ``LARGE_LOAD`` calls per mean patience on, over the
    window of :mod:`wfm.erlang_bounded`."""
    lam, dep, t, pat = (np.asarray(v, dtype=float).ravel() for v in np.broadcast_arrays(
        arrival_rate, departure_rate, answer_within_s, patience_s))
    shape = np.broadcast_shapes(*(np.shape(v) for v in (arrival_rate, departure_rate, answer_within_s, patience_s)))
    ones = np.ones(lam.size)
    with np.errstate(invalid="ignore", over="ignore"):
        _check_per_patience(lam * pat)
    s_all, s_sl, s_ab, s_wait = (np.zeros(lam.size) for _ in range(4))
    large = lam * pat >= LARGE_LOAD
    if large.any():
        w = erlang_bounded.window_sums(lam[large], dep[large], ones[large], t[large], pat[large])
        s_all[large], s_sl[large], s_ab[large], s_wait[large] = w.s_all, w.s_sl, w.s_ab, w.s_wait
    if not large.all():
        small = ~large
        chain = _erlang_a_chain(lam[small], dep[small], ones[small], t[small], pat[small])
        s_all[small], s_sl[small], s_ab[small], s_wait[small] = _waiting_sums(chain)
    with np.errstate(divide="ignore", invalid="ignore"):
        return ((s_sl / s_all).reshape(shape), (s_ab / s_all).reshape(shape), (s_wait / s_all).reshape(shape))


def evaluate(
    volume: ArrayLike,
    aht_s: ArrayLike,
    interval_s: ArrayLike,
    agents: ArrayLike,
    answer_within_s: ArrayLike,
    patience_s: ArrayLike | None = None,
) -> QueueMetrics:
    """Performance of ``agents`` on the phones for ``volume`` calls per interval (Erlang C, or A with patience).

    ``patience_s`` may be an array with NaN where patience is unknown: those intervals use Erlang C.
    """
    load = offered_load(volume, aht_s, interval_s)
    if patience_s is None:
        return erlang_c_metrics(load, agents, aht_s, answer_within_s)
    pat = np.asarray(patience_s, dtype=float)
    if np.all(np.isfinite(pat)):
        return erlang_a_metrics(load, agents, aht_s, answer_within_s, pat)
    # mixed: Erlang C on the intervals without patience, Erlang A on the others
    arrays = np.broadcast_arrays(
        load, np.asarray(agents, dtype=float), np.asarray(aht_s, dtype=float),
        np.asarray(answer_within_s, dtype=float), pat,
    )
    shape = arrays[0].shape
    load, agents_b, aht_b, t_b, pat_b = (v.ravel() for v in arrays)
    use_a = np.isfinite(pat_b)
    c = erlang_c_metrics(load[~use_a], agents_b[~use_a], aht_b[~use_a], t_b[~use_a])
    am = erlang_a_metrics(load[use_a], agents_b[use_a], aht_b[use_a], t_b[use_a], pat_b[use_a])
    fields = {}
    for f in QueueMetrics.__dataclass_fields__:
        out = np.empty(load.size)
        out[~use_a], out[use_a] = getattr(c, f), getattr(am, f)
        fields[f] = out.reshape(shape)
    return QueueMetrics(**fields)


# --------------------------------------------------------------------------- required agents
@dataclass(frozen=True)
class Targets:
    """Service targets met together. ``None`` switches a target off."""

    service_level: float | None = 0.80  # share answered within answer_within_s
    answer_within_s: float = 20.0
    asa_s: float | None = None
    max_occupancy: float | None = None
    max_abandon: float | None = None  # Erlang A only
    patience_s: float | None = None  # enables Erlang A


def _target_arrays(targets: Targets | None, **overrides: ArrayLike | None) -> dict[str, ArrayLike | None]:
    t = targets or Targets()
    base: dict[str, ArrayLike | None] = {
        "service_level": t.service_level,
        "answer_within_s": t.answer_within_s,
        "asa_s": t.asa_s,
        "max_occupancy": t.max_occupancy,
        "max_abandon": t.max_abandon,
        "patience_s": t.patience_s,
    }
    base.update({k: v for k, v in overrides.items() if v is not None})
    return base


TARGET_NAMES = ("service_level", "asa", "occupancy", "abandon")
"""The targets in their fixed order: :func:`binding_targets` names them in this order, joined with ``+``."""


def missed_targets(
    metrics: QueueMetrics,
    service_level: ArrayLike | None,
    asa_s: ArrayLike | None,
    max_occupancy: ArrayLike | None,
    max_abandon: ArrayLike | None,
) -> dict[str, NDArray[np.bool_]]:
    """Per target given (keys from ``TARGET_NAMES``), True where it is missed (a tiny tolerance absorbs
    floating-point noise). Targets that are None are left out."""
    eps = 1e-12
    missed: dict[str, NDArray[np.bool_]] = {}
    if service_level is not None:
        missed["service_level"] = ~(metrics.service_level >= np.asarray(service_level, dtype=float) - eps)
    if asa_s is not None:
        missed["asa"] = ~(metrics.asa <= np.asarray(asa_s, dtype=float) + eps)
    if max_occupancy is not None:
        missed["occupancy"] = ~(metrics.occupancy <= np.asarray(max_occupancy, dtype=float) + eps)
    if max_abandon is not None:
        missed["abandon"] = ~(metrics.abandon_rate <= np.asarray(max_abandon, dtype=float) + eps)
    return missed


def meets_targets(
    metrics: QueueMetrics,
    service_level: ArrayLike | None,
    asa_s: ArrayLike | None,
    max_occupancy: ArrayLike | None,
    max_abandon: ArrayLike | None,
) -> NDArray[np.bool_]:
    """True where every given target is met (a tiny tolerance absorbs floating-point noise)."""
    ok = np.ones(np.shape(metrics.service_level), dtype=bool)
    for miss in missed_targets(metrics, service_level, asa_s, max_occupancy, max_abandon).values():
        ok &= ~miss
    return ok


def required_agents(
    volume: ArrayLike,
    aht_s: ArrayLike,
    interval_s: ArrayLike,
    targets: Targets | None = None,
    *,
    service_level: ArrayLike | None = None,
    answer_within_s: ArrayLike | None = None,
    asa_s: ArrayLike | None = None,
    max_occupancy: ArrayLike | None = None,
    max_abandon: ArrayLike | None = None,
    patience_s: ArrayLike | None = None,
) -> IntArray:
    """The fewest agents meeting every target at once, per interval (0 where there are no calls).

    Bisection between a lower bound (stability for Erlang C, ``A / max_occupancy``) and an upper bound grown
    by square-root staffing, vectorised over intervals: about ``log2(sqrt(A))`` evaluations, never a scan
    from one agent. Keyword arrays override the ``targets`` per interval; a target of +inf (or a NaN
    ``patience_s``: Erlang C) switches it off in that interval, so one call sizes queues with different targets.
    """
    tg = _target_arrays(
        targets,
        service_level=service_level,
        answer_within_s=answer_within_s,
        asa_s=asa_s,
        max_occupancy=max_occupancy,
        max_abandon=max_abandon,
        patience_s=patience_s,
    )
    q = _staffing_problem(volume, aht_s, interval_s, tg)
    out = np.zeros(q.load.size, dtype=np.int64)
    busy = np.flatnonzero(q.load > 0)
    if busy.size == 0:
        return out.reshape(q.shape)
    lo = _lower_bound(q, busy)
    large = q.large(busy)
    if large.any():  # Erlang A past the switch-over
        out[busy[large]] = _search_large(q, busy[large], lo[large]).astype(np.int64)
    busy, lo = busy[~large], lo[~large]
    if busy.size:
        out[busy] = _bisect(q, busy, lo, _upper_bound(q, busy, lo)).astype(np.int64)
    return out.reshape(q.shape)


@dataclass(frozen=True)
class _StaffingProblem:
    """The inputs of :func:`required_agents` broadcast together and flattened; ``None`` for a target off."""

    shape: tuple[int, ...]
    vol: FloatArray
    aht: FloatArray
    ivl: FloatArray
    t: FloatArray  # answer_within_s
    load: FloatArray
    sl_t: FloatArray | None
    asa_t: FloatArray | None
    occ_t: FloatArray | None
    ab_t: FloatArray | None
    pat: FloatArray | None

    def meets(self, agents: FloatArray, sel: NDArray[np.intp]) -> NDArray[np.bool_]:
        """True where ``agents`` (one per interval of ``sel``) meet every target of those intervals."""
        return self._meets(self._metrics(agents, sel), sel)

    def _metrics(self, agents: FloatArray, sel: NDArray[np.intp]) -> QueueMetrics:
        return evaluate(self.vol[sel], self.aht[sel], self.ivl[sel], agents, self.t[sel],
                        None if self.pat is None else self.pat[sel])

    def _meets(self, m: QueueMetrics, sel: NDArray[np.intp]) -> NDArray[np.bool_]:
        pick = (lambda v: None if v is None else v[sel])  # noqa: E731
        return meets_targets(m, pick(self.sl_t), pick(self.asa_t), pick(self.occ_t), pick(self.ab_t))

    def margins(self, agents: FloatArray, sel: NDArray[np.intp]) -> tuple[NDArray[np.bool_], FloatArray]:
        """:meth:`meets`, and the smallest margin over the targets, on scales that make a sigmoid nearly straight:
        ``logit(service level) - logit(target)``, ``logit(cap) - logit(metric)`` for occupancy and abandonment,
        ``log(cap) - log(ASA)`` (each rises with the agents; +inf without targets). It only guides the search."""
        m = self._metrics(agents, sel)
        ok = self._meets(m, sel)
        margin = np.full(sel.size, np.inf)
        for target, value, sign, scale in ((self.sl_t, m.service_level, 1.0, special.logit),
                                           (self.asa_t, m.asa, -1.0, np.log),
                                           (self.occ_t, m.occupancy, -1.0, special.logit),
                                           (self.ab_t, m.abandon_rate, -1.0, special.logit)):
            if target is not None:
                tv = target[sel]
                with np.errstate(invalid="ignore", divide="ignore"):
                    gap = sign * (scale(value) - scale(tv))
                    margin = np.minimum(margin, np.where(np.isfinite(tv), gap, np.inf))
        return ok, margin

    def large(self, sel: NDArray[np.intp]) -> NDArray[np.bool_]:
        """Erlang A intervals of ``sel`` past the switch-over (``LARGE_LOAD``)."""
        if self.pat is None:
            return np.zeros(sel.size, dtype=bool)
        pat = self.pat[sel]
        with np.errstate(invalid="ignore"):
            return np.isfinite(pat) & _large(self.load[sel], self.aht[sel], pat)


def _staffing_problem(
    volume: ArrayLike, aht_s: ArrayLike, interval_s: ArrayLike, tg: dict[str, ArrayLike | None]
) -> _StaffingProblem:
    """Broadcast and flatten the inputs and targets; refuse max_abandon without patience and bad volumes."""
    arrays = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (volume, aht_s, interval_s, tg["answer_within_s"]))
    )
    vol, aht, ivl, t = arrays
    shape = vol.shape
    load = offered_load(vol, aht, ivl).ravel()
    aht, ivl, t, vol = aht.ravel(), ivl.ravel(), t.ravel(), vol.ravel()

    def _flat(v: ArrayLike | None) -> FloatArray | None:
        return None if v is None else np.broadcast_to(np.asarray(v, dtype=float), shape).ravel()

    sl_t, asa_t, occ_t, ab_t, pat = (
        _flat(tg[k]) for k in ("service_level", "asa_s", "max_occupancy", "max_abandon", "patience_s")
    )
    if pat is None and ab_t is not None:
        raise ValueError("max_abandon needs patience_s (Erlang A)")
    if np.any(vol < 0) or np.any(~np.isfinite(vol)):
        raise ValueError("volume must be finite and non-negative")
    return _StaffingProblem(shape, vol, aht, ivl, t, load, sl_t, asa_t, occ_t, ab_t, pat)


def _lower_bound(q: _StaffingProblem, busy: NDArray[np.intp]) -> FloatArray:
    """Lower bound per ``busy`` interval: lo - 1 agents are known to fail (or lo is the floor, 1)."""
    a = q.load[busy]
    lo = np.ones(busy.size)
    erlang_c_rows = np.ones(busy.size, dtype=bool) if q.pat is None else ~np.isfinite(q.pat[busy])
    # Erlang C needs N > A, and occupancy A / N caps N from below; under Erlang A abandonment lowers
    # the carried load, so neither bound holds there.
    lo = np.where(erlang_c_rows, np.maximum(lo, np.floor(a) + 1.0), lo)
    if q.occ_t is not None:
        lo = np.where(erlang_c_rows, np.maximum(lo, np.ceil(a / q.occ_t[busy] - 1e-9)), lo)
    return np.maximum(lo, 1.0)


def _upper_bound(q: _StaffingProblem, busy: NDArray[np.intp], lo: FloatArray) -> FloatArray:
    """Agents meeting every target: square-root staffing above ``lo`` with a growing safety factor."""
    a = q.load[busy]
    beta = 1.0
    hi = np.ceil(lo + beta * np.sqrt(a) + 1.0)
    ok_hi = q.meets(hi, busy)
    while not ok_hi.all():
        beta *= 2.0
        grow = ~ok_hi
        hi[grow] = np.ceil(lo[grow] + beta * np.sqrt(a[grow]) + beta)
        ok_hi[grow] = q.meets(hi[grow], busy[grow])
        if beta > 1e6:
            raise ValueError("targets cannot be met by any number of agents")
    return hi


def _bisect(q: _StaffingProblem, busy: NDArray[np.intp], lo: FloatArray, hi: FloatArray) -> FloatArray:
    """The fewest agents meeting the targets: ``lo`` where it already does, else halve ``lo``..``hi``."""
    ok_lo = q.meets(lo, busy)
    lo = lo.copy()
    hi = np.where(ok_lo, lo, hi)
    # invariant where ok_lo is False: lo fails, hi meets the targets; halve the gap until adjacent
    while True:
        open_ = ~ok_lo & (hi - lo > 1)
        if not open_.any():
            break
        sel = np.flatnonzero(open_)
        mid = np.floor((lo[sel] + hi[sel]) / 2.0)
        ok_mid = q.meets(mid, busy[sel])
        hi[sel] = np.where(ok_mid, mid, hi[sel])
        lo[sel] = np.where(ok_mid, lo[sel], mid)
    return hi


def _search_large(q: _StaffingProblem, rows: NDArray[np.intp], lo: FloatArray) -> FloatArray:
    """The fewest agents meeting the targets of Erlang A intervals past the switch-over, in about ten evaluations.

    Each evaluation costs O(sqrt(y)) states there, so the search starts from the fluid model's answer (Whitt
    2006, :func:`_fluid_agents`), which is off by O(sqrt(A)): the bracket ``fluid -+ 2 sqrt(A)`` is widened by
    doubling until its lower end fails and its upper end meets the targets, then closed by secant steps on the
    targets' margins (:func:`_secant_search`). Never below the proved floor: the carried load ``A (1 - P(abandon))``
    is at most N, so the service level (at most P(answered)) is at most ``N / A`` and P(abandon) at least
    ``1 - N / A``: fewer than ``A s`` or ``A (1 - m)`` agents miss a service level ``s`` or a cap ``m``.
    """
    a = q.load[rows]
    for need in (_target_or(q.sl_t, rows, lambda s: s), _target_or(q.ab_t, rows, lambda m: 1.0 - m)):
        lo = np.maximum(lo, np.floor(a * (need - 1e-9)))
    floor = lo
    guess = np.maximum(_fluid_agents(q, rows), floor)
    step = 2.0 * np.sqrt(a) + 1.0
    lo = np.maximum(floor, np.floor(guess - step))
    hi = np.maximum(lo + 1.0, np.ceil(guess + step))
    ok, g = q.margins(np.concatenate([lo, hi]), np.concatenate([rows, rows]))
    ok_lo, g_lo, ok_hi, g_hi = ok[: rows.size], g[: rows.size], ok[rows.size:], g[rows.size:]
    while True:
        down = np.flatnonzero(ok_lo & (lo > floor))  # the lower end meets: it becomes the upper end
        up = np.flatnonzero(~ok_hi)  # the upper end fails: it becomes the lower end
        if not (down.size or up.size):
            break
        step[down] *= 2.0
        step[up] *= 2.0
        if np.any(step[up] > 1e6 * np.sqrt(a[up]) + 1e6):
            raise ValueError("targets cannot be met by any number of agents")
        hi[down], g_hi[down], ok_hi[down] = lo[down], g_lo[down], True
        lo[down] = np.maximum(floor[down], np.floor(guess[down] - step[down]))
        lo[up], g_lo[up], ok_lo[up] = hi[up], g_hi[up], False
        hi[up] = np.ceil(guess[up] + step[up])
        both = np.concatenate([down, up])
        ok, g = q.margins(np.concatenate([lo[down], hi[up]]), rows[both])
        ok_lo[down], g_lo[down] = ok[: down.size], g[: down.size]
        ok_hi[up], g_hi[up] = ok[down.size:], g[down.size:]
    hi = np.where(ok_lo, lo, hi)  # the floor itself meets the targets
    return _secant_search(q, rows, lo, hi, np.where(ok_lo, 0.0, g_lo), g_hi)


def _fluid_agents(q: _StaffingProblem, rows: NDArray[np.intp]) -> FloatArray:
    """Agents the fluid model of Erlang A asks for (Whitt 2006): with N < A every agent is busy, a share
    ``1 - N / A`` abandons and the others wait ``patience ln(A / N)``; with N >= A nobody waits. So a service
    level s within T needs ``A max(s, e^(-T / patience))``, an ASA cap ``A e^(-asa / patience)``, an
    abandonment cap m ``A (1 - m)`` and an occupancy cap o ``A / o``; the largest of those."""
    a, pat = q.load[rows], q.pat[rows] if q.pat is not None else np.full(rows.size, np.inf)
    need = np.maximum(_target_or(q.sl_t, rows, lambda s: s),
                      _target_or(q.sl_t, rows, lambda s: np.exp(-q.t[rows] / pat)))
    need = np.maximum(need, _target_or(q.asa_t, rows, lambda w: np.exp(-w / pat)))
    need = np.maximum(need, _target_or(q.ab_t, rows, lambda m: 1.0 - m))
    need = np.maximum(need, _target_or(q.occ_t, rows, lambda o: 1.0 / o))
    return a * need


def _target_or(target: FloatArray | None, rows: NDArray[np.intp], share: Callable[[FloatArray], FloatArray]
               ) -> FloatArray:
    """``share(target)`` for the intervals ``rows``, 0 where the target is off (None, infinite or NaN)."""
    if target is None:
        return np.zeros(rows.size)
    v = target[rows]
    return np.where(np.isfinite(v), share(v), 0.0)


def _secant_search(q: _StaffingProblem, rows: NDArray[np.intp], lo: FloatArray, hi: FloatArray,
                   g_lo: FloatArray, g_hi: FloatArray) -> FloatArray:
    """Close ``lo`` (fails, margin ``g_lo`` < 0) .. ``hi`` (meets, ``g_hi`` >= 0) to adjacent agents (after
    Dekker): the next count is the secant through the last two counts tried, rounded, or the chord of the
    bracket when the secant leaves it; the midpoint instead when the last two steps neither halved the bracket
    nor moved half as far as the step before (the secant is not converging). The bracket is kept throughout,
    so the answer is exact; each step shrinks it by one agent at least."""
    lo, hi, g_lo, g_hi = lo.copy(), hi.copy(), g_lo.copy(), g_hi.copy()
    p0, g0, p1, g1 = lo.copy(), g_lo.copy(), hi.copy(), g_hi.copy()  # the last two counts tried
    width_before, width_last = np.full(rows.size, np.inf), hi - lo  # the bracket two steps ago, one step ago
    move_before = np.full(rows.size, np.inf)  # the step before the last one
    while True:
        sel = np.flatnonzero(hi - lo > 1)
        if not sel.size:
            return hi
        bot, top = lo[sel], hi[sel]
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            secant = p1[sel] - g1[sel] * (p1[sel] - p0[sel]) / (g1[sel] - g0[sel])
            chord = bot + (top - bot) * g_lo[sel] / (g_lo[sel] - g_hi[sel])
        guess = np.where(np.isfinite(secant) & (secant > bot) & (secant < top), secant, chord)
        move = np.abs(p1[sel] - p0[sel])
        stalled = (top - bot > 0.5 * width_before[sel]) & (move > 0.5 * move_before[sel])
        halve = ~np.isfinite(guess) | stalled
        mid = np.clip(np.where(halve, np.floor((bot + top) / 2.0), np.round(guess)), bot + 1.0, top - 1.0)
        ok, g = q.margins(mid, rows[sel])
        width_before[sel], width_last[sel], move_before[sel] = width_last[sel], top - bot, move
        p0[sel], g0[sel], p1[sel], g1[sel] = p1[sel], g1[sel], mid, g
        up, down = sel[ok], sel[~ok]
        hi[up], g_hi[up] = mid[ok], g[ok]
        lo[down], g_lo[down] = mid[~ok], g[~ok]


def fractional_agents(
    volume: ArrayLike,
    aht_s: ArrayLike,
    interval_s: ArrayLike,
    agents: ArrayLike,
    targets: Targets | None = None,
    **overrides: ArrayLike | None,
) -> FloatArray:
    """Unrounded agents: between ``agents - 1`` and ``agents`` where the binding target is met exactly.

    For each target the metric is interpolated linearly between ``agents - 1`` (fails) and ``agents``
    (meets); the largest fraction over the targets is taken. Summing these across queues before rounding
    avoids the overstatement of rounding each queue up. Targets of +inf are off in their interval, and an
    occupancy cap is the interpolated carried occupancy under Erlang A, ``load / cap`` under Erlang C, per
    interval (as :func:`required_agents`).
    """
    tg = _target_arrays(targets, **overrides)
    n = np.asarray(agents, dtype=float)
    vol, aht, ivl, t, n = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (volume, aht_s, interval_s, tg["answer_within_s"], n))
    )
    pat = tg["patience_s"]
    hi = evaluate(vol, aht, ivl, n, t, pat)
    lo = evaluate(vol, aht, ivl, np.maximum(n - 1.0, 0.0), t, pat)
    frac = np.zeros(n.shape)

    def _share(lo_v: FloatArray, hi_v: FloatArray, target: ArrayLike, rising: bool) -> FloatArray:
        tgt = np.asarray(target, dtype=float)
        lo_v = np.where(np.isfinite(lo_v), lo_v, 1e9 if not rising else -1e9)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            f = (tgt - lo_v) / (hi_v - lo_v)
        return np.where(np.isfinite(tgt), np.clip(np.nan_to_num(f, nan=1.0), 0.0, 1.0), 0.0)

    erlang_a_rows = (
        np.zeros(n.shape, dtype=bool) if pat is None
        else np.broadcast_to(np.isfinite(np.asarray(pat, dtype=float)), n.shape)
    )
    if tg["service_level"] is not None:
        frac = np.maximum(frac, _share(lo.service_level, hi.service_level, tg["service_level"], True))
    if tg["asa_s"] is not None:
        frac = np.maximum(frac, _share(lo.asa, hi.asa, tg["asa_s"], False))
    if tg["max_abandon"] is not None:
        frac = np.maximum(frac, _share(lo.abandon_rate, hi.abandon_rate, tg["max_abandon"], False))
    if tg["max_occupancy"] is not None and erlang_a_rows.any():  # Erlang A: occupancy of the carried load
        occ_share = _share(lo.occupancy, hi.occupancy, tg["max_occupancy"], False)
        frac = np.where(erlang_a_rows, np.maximum(frac, occ_share), frac)
    out = np.where(n > 0, n - 1.0 + frac, 0.0)
    if tg["max_occupancy"] is not None and not erlang_a_rows.all():  # Erlang C: load / cap agents at least
        occ_floor = offered_load(vol, aht, ivl) / np.asarray(tg["max_occupancy"], dtype=float)
        out = np.where((n > 0) & ~erlang_a_rows, np.maximum(out, np.minimum(occ_floor, n)), out)
    return out


_BINDING_LABELS = np.array(
    ["+".join(name for bit, name in enumerate(TARGET_NAMES) if code >> bit & 1) or "none" for code in range(16)],
    dtype=object,
)


def binding_targets(
    volume: ArrayLike,
    aht_s: ArrayLike,
    interval_s: ArrayLike,
    agents: ArrayLike,
    targets: Targets | None = None,
    **overrides: ArrayLike | None,
) -> NDArray[np.object_]:
    """Which target binds at ``agents``, per interval: the targets missed at ``agents - 1``.

    Labels: ``service_level``, ``asa``, ``occupancy``, ``abandon``, several joined with ``+`` in that order
    (``service_level+occupancy``); ``floor`` where the interval has calls and ``agents - 1`` is below what any
    target could ask for: no agent at all (``agents == 1``), or under Erlang C an unstable queue
    (``agents - 1 <= load``, whose wait grows without bound); ``none`` where no target binds: no calls (0 agents),
    or more ``agents`` than the targets need (none is missed at ``agents - 1``). Meaningful for agents that meet
    the targets (as :func:`required_agents` gives); vectorised, one evaluation at ``agents - 1``.
    """
    tg = _target_arrays(targets, **overrides)
    vol, aht, ivl, t, n = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (volume, aht_s, interval_s, tg["answer_within_s"], agents))
    )
    pat = tg["patience_s"]
    below = evaluate(vol, aht, ivl, np.maximum(n - 1.0, 0.0), t, pat)
    missed = missed_targets(below, tg["service_level"], tg["asa_s"], tg["max_occupancy"], tg["max_abandon"])
    code = np.zeros(n.shape, dtype=np.int64)
    for bit, name in enumerate(TARGET_NAMES):
        if name in missed:
            code |= np.broadcast_to(missed[name], n.shape).astype(np.int64) << bit
    labels = _BINDING_LABELS[code]
    load = offered_load(vol, aht, ivl)
    erlang_c_rows = (
        np.ones(n.shape, dtype=bool) if pat is None
        else ~np.isfinite(np.broadcast_to(np.asarray(pat, dtype=float), n.shape))
    )
    busy = (load > 0) & (n > 0)
    floor = busy & ((n <= 1) | (erlang_c_rows & (n - 1.0 <= load)))
    labels = np.where(floor, "floor", labels)
    return np.where(busy, labels, "none").astype(object)
