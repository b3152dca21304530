"""Erlang A at large offered loads: exact sums over the waiting states that carry the mass, with a proved bound.

:mod:`wfm.erlang` sums Erlang A's waiting states ``N + k`` from ``k = 0`` until the terms fade. Their
weights ``r_k = y^k / prod_{i=1..k} (x + i)`` (``x = N patience / AHT``, ``y = A patience / AHT``) rise
until ``k* = y - x`` and are log-concave, so an overloaded queue puts its mass around ``k*``, within a few
``sqrt(y)`` of it. Summing from 0 costs ``O(y)`` states per evaluation: at 1,000,000 calls per interval a
sizing took seconds, at 1e8 it never returned. Here the sums start ``WINDOW_SIGMAS sqrt(y)`` below the mode
and stop once the tail left is provably below ``WINDOW_TOL`` of the mass, so an evaluation costs
``O(sqrt(y))`` states, and the neglected mass is bounded, not estimated:

* left of the window (``k < k_lo <= k*``): ``r_k / r_{k+1} = (x + k + 1) / y <= rho_L = (x + k_lo) / y < 1``,
  so the states left out weigh at most ``r_{k_lo} rho_L / (1 - rho_L)``;
* right of it (``k > k_hi >= k*``): ``r_{k+1} / r_k <= rho_R = y / (x + k_hi + 1) < 1``, at most
  ``r_{k_hi} rho_R / (1 - rho_R)``.

Every probability wfm reports (service level, P(wait), P(abandon)) is a ratio of weighted sums with weights in
[0, 1], so each is off by at most the neglected mass over the mass summed (``mass_bound``); ASA, a mean wait
of answered calls of at most ``patience`` per state, by at most ``patience * mass_bound / (1 - P(abandon))``.

Rounding is kept small too, where the plain formulas cancel: ``gammaln`` of numbers near 1e9 is near 2e10, and
its rounding (about 1e-6) would swamp the bound. Log-probabilities use Loader's (2000) saddle-point form
(``stirlerr``, ``bd0``); across the window ``log r_k`` is accumulated from ``log(y / (x + k))``, each small
near the mode, and P(answered within T) is re-anchored on ``scipy.special.betainc`` every ``_CHUNK`` states.
The figures measured against the exact sums are in docs/methods.md (Erlang at large loads).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import special

FloatArray = NDArray[np.float64]

WINDOW_SIGMAS = 10.0  # the window starts this many sqrt(y) below the mode: e^-50 of the peak, at most
WINDOW_TOL = 1e-15  # the right tail left out is at most this share of the mass summed
_CELLS = 1 << 18  # states (intervals x waiting states) per vectorised step: a few MB per array
_CHUNK = 1024  # P(answered within T) is taken from betainc afresh every this many states
_TINY_CDF = 1e-280  # below this the Poisson CDF is summed as a series (as wfm.erlang does)
_LOG_2PI = float(np.log(2.0 * np.pi))


# --------------------------------------------------------------------------- Loader's saddle-point pieces
def stirlerr(n: FloatArray) -> FloatArray:
    """``log(n!) - log(sqrt(2 pi n) (n / e)^n)`` for ``n > 0``: the error of Stirling's formula (Loader 2000).

    A series above 15 (five terms: the next is below 1e-16 there); below, from ``gammaln``, where nothing cancels.
    """
    n = np.asarray(n, dtype=float)
    out = np.empty(n.shape)
    big = n > 15.0
    inv = 1.0 / n[big]
    inv2 = inv * inv
    out[big] = inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 / 1188))))
    small = n[~big]
    with np.errstate(divide="ignore", invalid="ignore"):
        out[~big] = special.gammaln(small + 1.0) - (small + 0.5) * np.log(small) + small - 0.5 * _LOG_2PI
    return out


def bd0(x: FloatArray, m: FloatArray) -> FloatArray:
    """``x log(x / m) + m - x`` (>= 0), the deviance term of Loader (2000), for ``x >= 0 < m``.

    Near ``x == m`` the two sides cancel; there it is the series ``(x - m) v + 2 x sum_j v^(2j+1) / (2j+1)``,
    ``v = (x - m) / (x + m)``, ``|v| < 0.1`` (eight terms: the next is below 1e-17 of the first).
    """
    x, m = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(m, dtype=float))
    d = x - m
    near = np.abs(d) < 0.1 * (x + m)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.array(special.xlogy(x, x / m) - d, dtype=float)  # an array even for scalars
    v = d[near] / (x[near] + m[near])
    v2 = v * v
    term = 2.0 * x[near] * v
    acc = d[near] * v
    for j in range(1, 9):
        term = term * v2
        acc = acc + term / (2 * j + 1)
    out[near] = acc
    return out


def log_poisson_pmf(n: FloatArray, a: FloatArray) -> FloatArray:
    """``log P(X = n)``, ``X ~ Poisson(a)``, to a few ulps even where n and a are near 1e10 (``gammaln`` loses
    about six digits there): ``-log(2 pi n) / 2 - stirlerr(n) - bd0(n, a)``."""
    n, a = np.broadcast_arrays(np.asarray(n, dtype=float), np.asarray(a, dtype=float))
    pos = n > 0
    safe = np.where(pos, n, 1.0)
    with np.errstate(divide="ignore"):
        out = -0.5 * (_LOG_2PI + np.log(safe)) - stirlerr(safe) - bd0(safe, a)
    return np.where(pos, out, -a)


def log_rise(x: FloatArray, y: FloatArray, k: FloatArray) -> FloatArray:
    """``log r_k = k log y - log(Gamma(x + k + 1) / Gamma(x + 1))``: the weight of k callers waiting, relative to
    all agents busy and none waiting; in Loader's form, which does not cancel at large x, y and k."""
    x, y, k = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (x, y, k)))
    pos = x > 0
    xs = np.where(pos, x, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        general = bd0(xs, y) - bd0(xs + k, y) - 0.5 * np.log1p(k / xs) - (stirlerr(xs + k) - stirlerr(xs))
        # no agents (x = 0): y^k / k! = P(Poisson(y) = k) e^y
        none = np.where(k > 0, y + log_poisson_pmf(np.maximum(k, 1.0), y), 0.0)
    return np.where(k > 0, np.where(pos, general, none), 0.0)


def log_negbin_pmf(f: FloatArray, r: FloatArray, log_p: FloatArray, log_q: FloatArray) -> FloatArray:
    """``log P(F = f)`` for ``F`` the failures (each of probability ``p``) before the ``r``-th success
    (probability ``q = 1 - p``); real ``r > 1``, ``f >= 1``. Loader's binomial form with ``n = f + r - 1``:
    ``P(F = f) = q P(Bin(n, p) = f)``."""
    n = f + r - 1.0
    s = r - 1.0  # successes among the first n
    p, q = np.exp(log_p), np.exp(log_q)
    lc = stirlerr(n) - stirlerr(f) - stirlerr(s) - bd0(f, n * p) - bd0(s, n * q)
    return log_q + lc - 0.5 * (_LOG_2PI + np.log(f) + np.log(s / n))


# --------------------------------------------------------------------------- states with nobody waiting
def log_inv_b_minus_one(a: FloatArray, n: FloatArray) -> FloatArray:
    """``log(1/B(N, A) - 1) = log(P(X < N) / P(X = N))``, ``X ~ Poisson(A)``: the states with a free agent,
    relative to all busy. -inf for ``N = 0``.

    Where the CDF underflows (N far below A) the ratio is the series ``sum_j prod_{i<j} (N - i) / A``, its terms
    shrinking by at least ``q = N / A < 1``: it is summed in blocks of about ``sqrt(A)`` terms in log space until
    the rest, at most ``t_J q / (1 - q)``, is below ``WINDOW_TOL`` of the sum.
    """
    a, n = np.broadcast_arrays(np.asarray(a, dtype=float), np.asarray(n, dtype=float))
    out = np.full(a.shape, -np.inf)
    pos = n > 0
    with np.errstate(divide="ignore", under="ignore"):
        cdf = special.pdtr(n[pos] - 1.0, a[pos])
        res = np.log(cdf) - log_poisson_pmf(n[pos], a[pos])
    tiny = ~(cdf > _TINY_CDF)
    if tiny.any():
        res[tiny] = _log_falling_series(a[pos][tiny], n[pos][tiny])
    out[pos] = res
    return out


def _log_falling_series(a: FloatArray, n: FloatArray) -> FloatArray:
    """``log sum_{j>=1} prod_{i=0..j-1} (N - i) / A`` for ``0 < N < A`` (see :func:`log_inv_b_minus_one`)."""
    total = np.full(a.shape, -np.inf)
    log_t = np.zeros(a.shape)  # log of the last term summed (the empty product before the first block)
    j = np.zeros(a.shape)  # terms summed so far
    active = np.arange(a.size)
    while active.size:
        width = int(np.clip(np.ceil(np.sqrt(a[active].max())), 64, max(64, _CELLS // active.size)))
        i = j[active, None] + np.arange(width)[None, :]
        aa, nn = a[active, None], n[active, None]
        step = np.where(i < nn, np.log1p(-(aa - nn + i) / aa), -np.inf)  # log((N - i) / A)
        logs = log_t[active, None] + np.cumsum(step, axis=1)
        total[active] = np.logaddexp(total[active], special.logsumexp(logs, axis=1))
        log_t[active], j[active] = logs[:, -1], j[active] + width
        q = np.maximum(n[active] - j[active], 0.0) / a[active]
        with np.errstate(divide="ignore"):
            rest = log_t[active] + np.log(q) - np.log1p(-q)
        active = active[rest > np.log(WINDOW_TOL) + total[active]]
    return total


# --------------------------------------------------------------------------- the waiting states
@dataclass(frozen=True)
class WindowSums:
    """Erlang A's waiting states summed over the window, per interval, in units of ``r_{k_lo}``
    (``log_unit = log r_{k_lo}``, relative to the state with all agents busy and nobody waiting)."""

    log_unit: FloatArray
    s_all: FloatArray  # sum of r_k
    s_sl: FloatArray  # sum of r_k P(answered within T | k ahead)
    s_ab: FloatArray  # sum of r_k P(abandons | k ahead)
    s_wait: FloatArray  # sum of r_k E[wait; answered | k ahead], seconds
    left_out: FloatArray  # bound on the mass of the states left out, both sides, same units


@dataclass(frozen=True)
class _Chain:
    """Per-interval constants: x, y as in the module docstring; p = P(a patience clock has run out by T)."""

    x: FloatArray
    y: FloatArray
    pat: FloatArray
    p: FloatArray
    log_p: FloatArray
    log_q: FloatArray  # log(1 - p) = -T / patience, exactly
    k_lo: FloatArray  # first waiting state summed
    mode: FloatArray  # r_k rises up to here, then falls


def window_sums(a: FloatArray, n: FloatArray, aht: FloatArray, t: FloatArray, pat: FloatArray) -> WindowSums:
    """Sums over the waiting states ``k_lo .. k_hi`` for loads ``a > 0`` (arrays of one shape, flat), in groups
    of intervals small enough that a step holds at most ``_CELLS`` states."""
    c = _chain(a, n, aht, t, pat)
    sums = [np.zeros(a.size) for _ in range(4)]
    right = np.zeros(a.size)
    group = max(1, _CELLS // _CHUNK)
    for start in range(0, a.size, group):
        _sum_group(c, np.arange(start, min(start + group, a.size)), sums, right)
    rho_l = np.where(c.k_lo > 0, (c.x + c.k_lo) / c.y, 0.0)
    left = rho_l / (1.0 - rho_l)  # r_{k_lo} = 1 in these units
    return WindowSums(log_rise(c.x, c.y, c.k_lo), *sums, left_out=left + right)


def _sum_group(c: _Chain, active: NDArray[np.intp], sums: list[FloatArray], right: FloatArray) -> None:
    """Add the states of the intervals ``active`` to ``sums`` step by step, from ``k_lo`` until the rest is
    provably below ``WINDOW_TOL`` of the sum; ``right`` receives that bound on the rest."""
    log_r = np.zeros(c.x.size)  # log r at the next state to sum, in units of r_{k_lo}
    k_next = c.k_lo.copy()
    while active.size:
        width = _step_width(c, active, k_next)
        log_r[active], parts = _sum_states(c, active, k_next[active], log_r[active], width)
        for s, part in zip(sums, parts, strict=True):
            s[active] += part
        k_next[active] += width
        rho = c.y[active] / (c.x[active] + k_next[active])  # every later ratio r_{k+1} / r_k is at most this
        past = rho < 1.0
        with np.errstate(divide="ignore", invalid="ignore"):
            tail = np.where(past, np.exp(log_r[active]) / (1.0 - rho), np.inf)  # r_{k_next} / (1 - rho)
        done = tail <= WINDOW_TOL * sums[0][active]
        right[active[done]] = tail[done]
        active = active[~done]


def _chain(a: FloatArray, n: FloatArray, aht: FloatArray, t: FloatArray, pat: FloatArray) -> _Chain:
    x = n * pat / aht
    y = a * pat / aht
    mode = np.maximum(np.ceil(y - x - 1.0), 0.0)
    k_lo = np.maximum(mode - np.ceil(WINDOW_SIGMAS * np.sqrt(y) + 1.0), 0.0)
    log_q = -t / pat
    p = -np.expm1(log_q)
    return _Chain(x=x, y=y, pat=pat, p=p, log_p=np.log(p), log_q=log_q, k_lo=k_lo, mode=mode)


def window_size(a: FloatArray, n: FloatArray, aht: FloatArray, t: FloatArray, pat: FloatArray) -> FloatArray:
    """The waiting states an evaluation sums, per interval (whole chunks; one step, as nearly always suffices)."""
    c = _chain(*np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (a, n, aht, t, pat))))
    return _CHUNK * np.ceil(np.maximum(_window_end(c.x, c.y, c.mode) - c.k_lo, 1.0) / _CHUNK)


def _window_end(x: FloatArray, y: FloatArray, mode: FloatArray) -> FloatArray:
    """Where the window is expected to end: past the mode ``r_k`` falls at least as fast as ``e^(-d^2 / 2y)``
    near it and as ``((x + mode + 1) / y)^-d`` throughout, so it is below e^-50 of the peak after the fewer of
    ``WINDOW_SIGMAS sqrt(y)`` and ``50 / log((x + mode + 1) / y)`` states (the second is the shorter for a queue
    with agents to spare and patient callers, where y is large but the queue short)."""
    with np.errstate(divide="ignore"):
        geometric = 0.5 * WINDOW_SIGMAS**2 / np.log((x + mode + 1.0) / y)
    return mode + np.minimum(WINDOW_SIGMAS * np.sqrt(y), geometric) + 2.0


def _step_width(c: _Chain, active: NDArray[np.intp], k_next: FloatArray) -> int:
    """States per interval in the next vectorised step: to the expected end of the window (:func:`_window_end`)
    for the widest interval, in whole chunks, within the ``_CELLS`` budget."""
    need = _window_end(c.x[active], c.y[active], c.mode[active]) - k_next[active]
    chunks = int(np.ceil(max(float(need.max()), 1.0) / _CHUNK))
    budget = max(1, _CELLS // (_CHUNK * active.size))  # window_sums keeps active.size * _CHUNK <= _CELLS
    return _CHUNK * min(chunks, budget)


def _sum_states(
    c: _Chain, active: NDArray[np.intp], k0: FloatArray, log_r0: FloatArray, width: int
) -> tuple[FloatArray, list[FloatArray]]:
    """The four sums over ``k0 .. k0 + width - 1`` for the intervals ``active`` (``log_r0``: log r at ``k0``);
    also ``log r`` at ``k0 + width``.

    Rows are (interval, chunk of ``_CHUNK`` states). Within a chunk ``r_k`` is a running product of the ratios
    ``r_{k+1} / r_k = y / (x + k + 1)`` (1024 roundings at most; the window rises by at most e^50, so nothing
    overflows, and what underflows is below 1e-308 of the peak); the chunks' products are chained in log space.
    """
    per = width // _CHUNK
    rows = np.repeat(active, per)
    first = np.repeat(k0, per) + np.tile(np.arange(per) * _CHUNK, active.size)
    k = first[:, None] + np.arange(_CHUNK)[None, :]  # (rows, _CHUNK)
    x = c.x[rows, None]
    share = 1.0 / (x + k + 1.0)  # P(abandons | k ahead) = (k + 1) share, P(answered | k ahead) = x share
    run = np.cumprod(c.y[rows, None] * share, axis=1)  # r_{k+1} / r_first
    with np.errstate(divide="ignore"):
        growth = np.log(run[:, -1]).reshape(active.size, per)  # log r_{first + _CHUNK} - log r_first
    ends = log_r0[:, None] + np.cumsum(growth, axis=1)
    starts = np.concatenate([log_r0[:, None], ends[:, :-1]], axis=1).reshape(rows.size)
    r = np.exp(starts)[:, None] * np.concatenate([np.ones((rows.size, 1)), run[:, :-1]], axis=1)
    answered = r * x * share
    parts = [r.sum(axis=1), (answered * _answered_within(c, rows, first)).sum(axis=1),
             (r * (k + 1.0) * share).sum(axis=1), (answered * _mean_wait(c, rows, first, share)).sum(axis=1)]
    folded = [p.reshape(active.size, per).sum(axis=1) for p in parts]
    return ends[:, -1], folded


def _answered_within(c: _Chain, rows: NDArray[np.intp], first: FloatArray) -> FloatArray:
    """``I_p(k + 1, x + 1)`` = P(offered wait <= T | k ahead) = P(F >= k + 1), F the failures before the
    (x + 1)-th success, for the chunks' states ``first .. first + _CHUNK - 1``.

    It falls from 1 to 0 over a few ``sqrt(x p) / q`` states; a chunk over which ``betainc`` at both ends differs
    by less than ``WINDOW_TOL`` takes its first value throughout (off by less than that). In the others it falls
    by ``P(F = j + 1)``: Loader's form at the chunk's start, then times ``p (x + j + 2) / (j + 2)`` in log space.
    """
    x = c.x[rows]
    live = x > 0  # with no agents nobody is answered: the value does not matter
    xs = np.where(live, x, 1.0)
    ends = special.betainc(np.concatenate([first + 1.0, first + _CHUNK + 1.0]), np.tile(xs + 1.0, 2),
                           np.tile(c.p[rows], 2))
    start, end = ends[: rows.size], ends[rows.size:]
    within = np.repeat(np.where(live, start, 0.0)[:, None], _CHUNK, axis=1)
    falls = np.flatnonzero(live & (start - end > WINDOW_TOL))
    if falls.size:
        f, xf, lp = first[falls], xs[falls], c.log_p[rows[falls]]
        j = f[:, None] + np.arange(_CHUNK - 1)[None, :]
        steps = np.cumsum(lp[:, None] + np.log1p(xf[:, None] / (j + 2.0)), axis=1)
        log_d0 = log_negbin_pmf(f + 1.0, xf + 1.0, lp, c.log_q[rows[falls]])
        d = np.exp(log_d0[:, None] + np.concatenate([np.zeros((falls.size, 1)), steps], axis=1))
        within[falls] = np.clip(start[falls, None] - (np.cumsum(d, axis=1) - d), 0.0, 1.0)
    return within


def _mean_wait(c: _Chain, rows: NDArray[np.intp], first: FloatArray, share: FloatArray) -> FloatArray:
    """E[offered wait | k ahead] = patience (psi(x + k + 2) - psi(x + 1)) = patience sum_{i=1..k+1} 1 / (x + i):
    ``digamma`` at the chunk's first state, then the running sum of ``share = 1 / (x + k + 1)``."""
    x = c.x[rows]
    base = special.digamma(x + first + 2.0) - special.digamma(x + 1.0) - share[:, 0]
    return (base[:, None] + np.cumsum(share, axis=1)) * c.pat[rows, None]


def erlang_a_large(
    a: FloatArray, n: FloatArray, aht: FloatArray, t: FloatArray, pat: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    """Service level, ASA, P(wait), P(abandon) and the bound on the mass left out (a share of the total), for
    loads ``a > 0`` (flat arrays of one shape). Each probability is within ``mass_bound`` of the exact value."""
    w = window_sums(a, n, aht, t, pat)
    log_free = log_inv_b_minus_one(a, n)  # states with a free agent, relative to all busy and none waiting
    with np.errstate(divide="ignore", invalid="ignore"):
        # the waiting sums' units r_{k_lo} may be e^(5e6) and more: compare the two parts in log space once,
        # then take every share as a ratio of sums in the same units (a logged share would lose digits)
        gap = w.log_unit + np.log(w.s_all) - log_free
        pwait = special.expit(gap)
        p_free = special.expit(-gap)
        per_waiting = pwait / w.s_all
        sl = p_free + w.s_sl * per_waiting
        pab = w.s_ab * per_waiting
        answered = 1.0 - pab
        asa = np.where(answered > 0, w.s_wait * per_waiting / answered, np.inf)
        bound = w.left_out * per_waiting
    return sl, asa, pwait, pab, bound
