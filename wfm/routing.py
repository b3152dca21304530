"""Routing within a staff group: each queue's service when ``c`` agents on the phones serve all its queues.

A staff group declares its routing in ``[[staff_groups]]`` (see :meth:`wfm.config.CentreConfig.routing`):

``fifo``
    the oldest waiting call of any queue first: the queues form one pooled queue (volume-weighted AHT;
    Erlang A with the volume-weighted patience when every queue has one, else Erlang C), and each queue's
    service level is the pool's within its own answer time. Exact for equal service rates (M/M/c FIFO).

``priority``
    a free agent takes the first queue in the group's order that has a caller waiting (non-preemptive, FIFO
    within a queue). With equal service rates the number of calls in the system is that of FIFO, so a call
    waits with the pooled probability ``P_w`` (Erlang C, or Erlang A with the rate-averaged patience
    ``theta = sum(lambda_k / patience_k) / lambda`` when some queue has one). The callers of queue k who wait
    form a queue whose head is answered at ``lambda_k + r_k``, with Cobham's rate
    ``r_k = c mu (1 - s_{k-1})(1 - s_k)`` (``s_k`` the carried load of queues 1..k per agent, ``mu`` the pooled
    service rate), but never faster than the rate ``c mu (1 - s_{k-1})`` the queues above leave; each waiting
    caller abandons at ``1 / patience_k``. That is the waiting part of Erlang A with ``N mu`` replaced by the
    head's rate (:func:`wfm.erlang.waiting_given_wait`): service level ``1 - P_w + P_w P(answered within T_k |
    waits)``, abandonment ``P_w P(abandons | waits)``, ASA over answered calls. Without patience the wait is
    exponential with rate ``r_k``.

    For the first queue without patience this is exact (Kella and Yechiali 1985: its wait given waiting is
    exponential with rate ``c mu - lambda_1``); for the others without patience the mean wait is exact
    (Cobham 1954) and its shape exponential. Carried loads (calls that abandon do not load the agents) come
    from three fixed-point rounds with exponential waits. ``tests/test_routing.py`` holds the whole model to
    the simulator (:mod:`wfm.simulate`): service level within 3 points (equal AHTs) or 3.5 (unequal).

A group with one queue is that queue's own Erlang C/A, under either routing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from wfm import erlang
from wfm.config import Queue

ROUTINGS = ("fifo", "priority", "objective")


@dataclass(frozen=True)
class GroupLoad:
    """The calls one staff group serves, per interval, its queues in routing order.

    ``volume`` and ``aht`` are (queues, intervals); ``aht`` holds the queue's ``aht_s`` where it has no calls.
    """

    routing: str
    queues: Sequence[Queue]
    volume: np.ndarray
    aht: np.ndarray
    interval_s: float
    weights: np.ndarray | None = None  # "objective": per queue, 1 / its service objective in seconds

    @property
    def total(self) -> np.ndarray:
        return self.volume.sum(axis=0)

    @property
    def pooled_aht(self) -> np.ndarray:
        """Volume-weighted AHT per interval (the mean of the queues' ``aht_s`` where there are no calls)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = float(np.mean([q.aht_s for q in self.queues]))
            return np.where(self.total > 0, (self.volume * self.aht).sum(axis=0) / self.total, mean)

    @property
    def pooled_patience(self) -> np.ndarray | None:
        """FIFO's pool patience: volume-weighted when every queue has one, else None (Erlang C)."""
        if not all(q.patience_s for q in self.queues):
            return None
        pat = np.array([float(q.patience_s or 0.0) for q in self.queues])[:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.total > 0, (self.volume * pat).sum(axis=0) / self.total, float(pat.mean()))


@dataclass(frozen=True)
class GroupMetrics:
    """Per queue (first axis, routing order) and interval (then any further agent axis)."""

    service_level: np.ndarray
    asa: np.ndarray
    abandon_rate: np.ndarray
    wait_probability: np.ndarray  # of the group: share of calls that wait at all
    occupancy: np.ndarray  # of the group


def group_metrics(load: GroupLoad, agents: np.ndarray) -> GroupMetrics:
    """Each queue's service with ``agents`` on the phones: shape (intervals,) or (intervals, m) for m
    candidate numbers of agents per interval; results gain a leading queue axis."""
    c = np.asarray(agents, dtype=float)
    extra = (slice(None),) + (None,) * (c.ndim - 1)
    if load.routing == "fifo" or len(load.queues) == 1:
        return _fifo(load, c, extra)
    if load.routing == "objective":
        return _objective(load, c, extra)
    return _priority(load, c, extra)


def _fifo(load: GroupLoad, c: np.ndarray, extra: tuple) -> GroupMetrics:
    vol, aht = load.total[extra], load.pooled_aht[extra]
    pat = load.pooled_patience
    pat = None if pat is None else pat[extra]
    per = [erlang.evaluate(vol, aht, load.interval_s, c, q.answer_within_s, pat) for q in load.queues]
    m = per[0]
    return GroupMetrics(
        service_level=np.stack([p.service_level for p in per]),
        asa=np.stack([m.asa] * len(per)),
        abandon_rate=np.stack([m.abandon_rate] * len(per)),
        wait_probability=m.wait_probability,
        occupancy=m.occupancy,
    )


def _pooled(load: GroupLoad, c: np.ndarray, extra: tuple) -> tuple[erlang.QueueMetrics, np.ndarray, np.ndarray]:
    """The group as one pooled queue (volume-weighted AHT; Erlang A with the rate-averaged patience
    ``theta = sum(lambda_k / patience_k) / lambda`` when some queue has one, else Erlang C), each queue's
    abandonment rate ``1 / patience_k`` (0 without) and ``theta`` per interval."""
    lam = load.volume / load.interval_s
    theta = np.array([1.0 / q.patience_s if q.patience_s else 0.0 for q in load.queues])
    with np.errstate(divide="ignore", invalid="ignore"):
        theta_bar = np.where(lam.sum(axis=0) > 0, (lam * theta[:, None]).sum(axis=0) / lam.sum(axis=0), 0.0)
    aht_bar = load.pooled_aht
    pat = None
    if theta.any():
        pat = np.where(theta_bar > 0, 1.0 / np.where(theta_bar > 0, theta_bar, 1.0), np.nan)[extra]
    return erlang.evaluate(load.total[extra], aht_bar[extra], load.interval_s, c, 20.0, pat), theta, theta_bar


def _metrics(load: GroupLoad, extra: tuple, sl: np.ndarray, asa: np.ndarray, ab: np.ndarray,
             pooled: erlang.QueueMetrics, occ: np.ndarray) -> GroupMetrics:
    """Per-queue figures cleaned where a queue has no calls (service 1, no wait) or the group none."""
    has_calls = load.volume[(slice(None),) + extra] > 0
    busy = (load.volume * load.aht).sum(axis=0)[extra] > 0
    return GroupMetrics(
        service_level=np.where(has_calls, np.clip(sl, 0.0, 1.0), 1.0),
        asa=np.where(has_calls, asa, 0.0),
        abandon_rate=np.where(has_calls, np.clip(ab, 0.0, 1.0), 0.0),
        wait_probability=np.where(busy, pooled.wait_probability, 0.0),
        occupancy=np.where(busy, np.clip(occ, 0.0, 1.0), 0.0),
    )


def _priority(load: GroupLoad, c: np.ndarray, extra: tuple) -> GroupMetrics:
    ivl = load.interval_s
    lam = load.volume / ivl  # calls per second, (K, T)
    a_k = lam * load.aht  # offered erlangs per queue
    pooled, theta, _ = _pooled(load, c, extra)
    p_w = pooled.wait_probability[None]  # (1, T, ...)
    k_extra = (slice(None),) + extra
    a = a_k[k_extra]
    lam_k = np.broadcast_to(lam[k_extra], np.broadcast_shapes(a.shape, p_w.shape))
    patience = np.array([float(q.patience_s) if q.patience_s else np.inf for q in load.queues])
    pat = np.broadcast_to(patience.reshape((-1,) + (1,) * c.ndim), lam_k.shape)
    within = np.broadcast_to(_within(load)[k_extra], lam_k.shape)
    ab = np.zeros(lam_k.shape)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        base = np.where(c > 0, c / load.pooled_aht[extra], 0.0)[None]  # c mu, per second
        theta_k = theta.reshape((-1,) + (1,) * c.ndim)
        for _ in range(3):  # carried loads (abandoned calls do not load the agents), from the rates they give
            rate, leftover = _priority_rates(base, a * (1.0 - ab) / np.where(c > 0, c, 1.0)[None])
            out = rate + theta_k
            ab = p_w * np.where(out > 0, theta_k / np.where(out > 0, out, 1.0), 0.0)  # exponential waits
        sl_w, ab_w, wait_w = _given_wait(lam_k, rate, leftover, within, pat)
        ab = p_w * ab_w
        sl = (1.0 - p_w) + p_w * sl_w
        asa = np.where(np.isfinite(wait_w), p_w * wait_w / np.maximum(1.0 - ab, 1e-300), np.inf)
        occ = np.where(c > 0, (a * (1.0 - ab)).sum(axis=0) / np.where(c > 0, c, 1.0), 1.0)
    return _metrics(load, extra, sl, asa, ab, pooled, occ)


def _priority_rates(base: np.ndarray, rho: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Strict priority: each queue's head rate ``r_k = c mu (1 - s_{k-1})(1 - s_k)`` (Cobham) and the answering
    rate the queues above leave, ``c mu (1 - s_{k-1})``; ``rho`` the queues' carried load per agent."""
    carried = np.cumsum(rho, axis=0)
    before = np.concatenate([np.zeros_like(carried[:1]), carried[:-1]], axis=0)
    leftover = base * np.clip(1.0 - before, 0.0, None)
    return leftover * np.clip(1.0 - carried, 0.0, None), leftover


def _objective(load: GroupLoad, c: np.ndarray, extra: tuple) -> GroupMetrics:
    """Objective routing: a free agent takes the head caller whose wait is the largest multiple of its queue's
    objective (priority accumulating at ``b_k = weights[k]`` per second waited; Avaya's "service objective").

    A call waits with the pooled ``P_w`` and the group's callers spend, on average, the pooled queue's time
    in queue ``Q`` (both policy-free for equal service rates: the number of calls present does not depend on
    which one an agent takes; Erlang A with the rate-averaged patience, or Erlang C). How the waiting is
    shared follows Kleinrock's (1964) mean waits for time-dependent priorities, taken to the group's queue
    while every agent is busy (one server of rate ``c mu``): with ``b`` ascending and carried loads ``rho_i``
    per agent, ``K_p = (1 - sum_{i<p} rho_i K_i (1 - b_i/b_p)) / (1 - sum_{i>p} rho_i (1 - b_p/b_i))``
    (equal weights: FIFO; weights far apart: strict priority, Cobham). A queue-k caller who waits would be
    answered after an exponential time of mean ``s K_k`` and hangs up at ``1 / patience_k``; the scale ``s``
    makes the callers' mean time in queue add up to the pool's ``Q``."""
    pooled, theta, theta_bar = _pooled(load, c, extra)
    m, waiting_theta = _objective_given(load, c, extra, pooled, theta, theta_bar)
    if theta.any() and not np.all(theta == theta[0]):
        # the callers waiting are mostly those of the queues with long objectives: their own patience, not
        # the callers' average, sets how fast the pool's queue empties by abandonment
        pat = np.where(waiting_theta > 0, 1.0 / np.where(waiting_theta > 0, waiting_theta, 1.0), np.inf)
        pooled = erlang.evaluate(load.total[extra], load.pooled_aht[extra], load.interval_s, c, 20.0, pat)
        m, _ = _objective_given(load, c, extra, pooled, theta, waiting_theta)
    return m


def _objective_given(load: GroupLoad, c: np.ndarray, extra: tuple, pooled: erlang.QueueMetrics,
                     theta: np.ndarray, theta_bar: np.ndarray) -> tuple[GroupMetrics, np.ndarray]:
    """:func:`_objective` with the pooled queue given (``theta_bar`` the abandonment rate of its waiting
    callers); also the abandonment rate of the waiting callers it finds (their own patience, weighted by the
    time each queue's callers spend waiting)."""
    lam = load.volume / load.interval_s
    a_k = lam * load.aht
    k_extra = (slice(None),) + extra
    p_w = pooled.wait_probability[None]
    shape = np.broadcast_shapes(a_k[k_extra].shape, p_w.shape)
    lam_k = np.broadcast_to(lam[k_extra], shape)
    a = np.broadcast_to(a_k[k_extra], shape)
    theta_k = np.broadcast_to(theta.reshape((-1,) + (1,) * c.ndim), shape)
    within = np.broadcast_to(_within(load)[k_extra], shape)
    total_lam = lam.sum(axis=0)[extra]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # the pool's mean time in queue per waiting caller
        if theta.any():
            tb = np.broadcast_to(theta_bar if theta_bar.ndim == c.ndim else theta_bar[extra], pooled.abandon_rate.shape)
            in_queue = pooled.abandon_rate / np.where(tb > 0, tb, 1.0)
        else:
            in_queue = np.where(np.isfinite(pooled.asa), pooled.asa, np.inf)
        per_waiter = np.where(pooled.wait_probability > 0, in_queue / pooled.wait_probability, 0.0)
        ab = np.zeros(shape)
        cc = np.where(c > 0, c, 1.0)[None]
        for _ in range(3):  # carried loads (abandoned calls do not load the agents)
            first, then = _kleinrock(np.asarray(load.weights, dtype=float), a * (1.0 - ab) / cc)
            scale = _wait_scale(lam_k, theta_k, first, then, total_lam * per_waiter)
            w = _TwoPhase(scale * first, scale * then, theta_k)
            ab = p_w * w.abandons
        sl = (1.0 - p_w) + p_w * w.answered_within(within)
        asa = np.where(w.answered > 0, p_w * w.wait_answered / np.maximum(1.0 - ab, 1e-300), np.inf)
        asa = np.where(p_w > 0, asa, 0.0)
        occ = np.where(c > 0, (a * (1.0 - ab)).sum(axis=0) / np.where(c > 0, c, 1.0), 1.0)
        time_in_queue = lam_k * w.in_queue
        total_time = time_in_queue.sum(axis=0)
        waiting_theta = (theta_k * time_in_queue).sum(axis=0) / np.where(total_time > 0, total_time, 1.0)
    return _metrics(load, extra, sl, asa, ab, pooled, occ), waiting_theta


def _kleinrock(b: np.ndarray, rho: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Kleinrock's mean waits per queue (first axis), relative to the FIFO wait, for accumulation rates ``b``
    and carried loads ``rho`` per agent (scaled below 1 where the queues together would reach it), split
    into two phases: ``then``, the part spent behind callers of slower-accumulating queues found waiting
    (``rho_i K_i (b_i/b_p)(1 - b_i/b_p) / den_p``: nil under FIFO and under strict priority, where the
    wait is exponential), and ``first``, the rest."""
    total = rho.sum(axis=0)
    rho = rho * np.where(total > 0.999, 0.999 / np.where(total > 0, total, 1.0), 1.0)
    waits = np.zeros_like(rho)
    behind = np.zeros_like(rho)
    zero = np.zeros_like(total)
    rank = np.argsort(b, kind="stable")
    for j, p in enumerate(rank):
        num = 1.0 - sum((rho[i] * waits[i] * (1.0 - b[i] / b[p]) for i in rank[:j]), zero)
        den = np.maximum(1.0 - sum((rho[i] * (1.0 - b[p] / b[i]) for i in rank[j + 1:]), zero), 1e-12)
        waits[p] = np.maximum(num, 1e-12) / den
        behind[p] = sum((rho[i] * waits[i] * (b[i] / b[p]) * (1.0 - b[i] / b[p]) for i in rank[:j]), zero) / den
    behind = np.clip(behind, 0.0, 0.95 * waits)
    return waits - behind, behind


@dataclass(frozen=True)
class _TwoPhase:
    """A waiting caller's wait: two exponential phases of means ``first`` and ``then`` (``then`` 0: one
    phase), the caller hanging up at rate ``theta`` meanwhile. Per waiting caller: the share answered, the
    share answered within T, E[wait; answered], the mean time in queue and the share that abandons."""

    first: np.ndarray
    then: np.ndarray
    theta: np.ndarray

    def _rates(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        x = 1.0 / np.maximum(self.first, 1e-300)
        one = self.then <= 1e-9 * self.first
        y = np.where(one, np.inf, 1.0 / np.maximum(self.then, 1e-300))
        y = np.where(~one & (np.abs(y - x) < 1e-3 * x), x * 1.001, y)  # equal rates: a hair apart
        return x, y, one

    def _mix(self, fx: np.ndarray, fy: np.ndarray) -> np.ndarray:
        """``x y / (y - x) (fx - fy)``, or ``x fx`` for one phase (``y`` infinite)."""
        x, y, one = self._rates()
        two = x * y / np.where(one, 1.0, y - x) * (fx - fy)
        return np.where(one, x * fx, two)

    @property
    def answered(self) -> np.ndarray:
        x, y, _ = self._rates()
        return self._mix(1.0 / (x + self.theta), 1.0 / (y + self.theta))

    @property
    def abandons(self) -> np.ndarray:
        return np.clip(1.0 - self.answered, 0.0, 1.0)

    def answered_within(self, t: np.ndarray) -> np.ndarray:
        x, y, _ = self._rates()
        gx = -np.expm1(-(x + self.theta) * t) / (x + self.theta)
        gy = np.where(np.isfinite(y), -np.expm1(-(y + self.theta) * t) / (y + self.theta), 0.0)
        return np.clip(self._mix(gx, gy), 0.0, 1.0)

    @property
    def wait_answered(self) -> np.ndarray:
        x, y, _ = self._rates()
        return self._mix(1.0 / (x + self.theta) ** 2, 1.0 / (y + self.theta) ** 2)

    @property
    def in_queue(self) -> np.ndarray:
        """E[min(wait, patience)]: P(wait > t) = (y e^-xt - x e^-yt) / (y - x), times e^-theta t, integrated."""
        x, y, one = self._rates()
        two = (y / (x + self.theta) - x / (y + self.theta)) / np.where(one, 1.0, y - x)
        return np.where(one, 1.0 / (x + self.theta), two)


def _wait_scale(lam: np.ndarray, theta: np.ndarray, first: np.ndarray, then: np.ndarray,
                waiting: np.ndarray) -> np.ndarray:
    """The scale ``s`` of the relative waits such that the waiting callers' mean times in queue,
    ``sum_k lam_k E[min(s W_k, patience_k)]``, add up to ``waiting`` (the pool's calls waiting, per second of
    arrivals); inf where the pool never empties.

    Without patience the sum is ``s sum_k lam_k W_k``: ``s0 = waiting / sum_k lam_k W_k`` exactly. Patience only
    shortens the times, so ``s >= s0``: the root of the (increasing) log-sum in ``log s`` is bracketed in
    ``[log s0, log s0 + 16]`` and found by the Illinois variant of regula falsi (vectorised, 14 rounds)."""
    def log_gap(u: np.ndarray) -> np.ndarray:
        s = np.exp(u)[None]
        total = (lam * _TwoPhase(s * first, s * then, theta).in_queue).sum(axis=0)
        return np.log(np.maximum(total, 1e-300)) - np.log(np.maximum(waiting, 1e-300))

    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        linear = (lam * (first + then)).sum(axis=0)
        finite = np.isfinite(waiting) & (waiting > 0) & (linear > 0)
        s0 = np.where(finite, waiting / np.where(linear > 0, linear, 1.0), 1.0)
    lo = np.log(s0)
    hi = lo + 16.0
    f_lo, f_hi = log_gap(lo), log_gap(hi)
    done = ~finite | (f_lo >= -1e-12) | (f_hi <= 0)
    root = np.where(f_hi <= 0, hi, lo)
    side = np.zeros(lo.shape)
    for _ in range(14):
        if done.all():
            break
        with np.errstate(divide="ignore", invalid="ignore"):
            u = np.where(done, root, (lo * f_hi - hi * f_lo) / np.where(f_hi != f_lo, f_hi - f_lo, 1.0))
        u = np.where(np.isfinite(u) & (u > lo) & (u < hi), u, 0.5 * (lo + hi))
        f = log_gap(u)
        up = f < 0  # root above u
        lo, f_lo = np.where(up & ~done, u, lo), np.where(up & ~done, f, f_lo)
        hi, f_hi = np.where(~up & ~done, u, hi), np.where(~up & ~done, f, f_hi)
        # Illinois: halve the stale end's value when the same end moves twice
        f_hi = np.where(up & ~done & (side > 0), 0.5 * f_hi, f_hi)
        f_lo = np.where(~up & ~done & (side < 0), 0.5 * f_lo, f_lo)
        side = np.where(done, side, np.where(up, 1.0, -1.0))
        root = np.where(done, root, u)
        done |= np.abs(f) < 1e-9
    s = np.exp(root)
    return np.where(np.isfinite(waiting) & finite, s, np.where(np.isfinite(waiting), 0.0, np.inf))[None]


def _given_wait(lam: np.ndarray, rate: np.ndarray, leftover: np.ndarray, within: np.ndarray,
                patience: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """P(answered within T | waits), P(abandons | waits), E[wait; answered | waits] of one queue's callers who
    wait: the queue's head is answered at ``lam + rate`` (so that without patience the wait is exponential
    with ``rate``, Cobham's mean), but never faster than the ``leftover`` rate the queues above leave (what
    holds when the queue is overloaded and only abandonment keeps it finite); each waiting caller abandons at
    ``1 / patience`` (:func:`wfm.erlang.waiting_given_wait`)."""
    sl = np.zeros(lam.shape)
    ab = np.zeros(lam.shape)
    wait = np.full(lam.shape, np.inf)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        patient = ~np.isfinite(patience)
        ok = patient & (rate > 0)
        sl = np.where(ok, -np.expm1(-rate * within), sl)
        wait = np.where(ok, 1.0 / np.where(ok, rate, 1.0), wait)
    head = np.minimum(lam + rate, leftover)
    impatient = ~patient & (lam > 0)
    served = impatient & (head > 0)
    if served.any():
        s_w, a_w, w_w = erlang.waiting_given_wait(lam[served], head[served], within[served], patience[served])
        sl[served], ab[served], wait[served] = s_w, a_w, w_w
    ab = np.where(impatient & ~(head > 0), 1.0, ab)  # nobody answers them: every waiting caller abandons
    return sl, ab, wait


def _within(load: GroupLoad) -> np.ndarray:
    """Each queue's answer time, (K, T)."""
    t = np.array([float(q.answer_within_s) for q in load.queues])[:, None]
    return np.broadcast_to(t, load.volume.shape)


# --------------------------------------------------------------------------- targets
def meets(load: GroupLoad, m: GroupMetrics, *, service_level: bool = True) -> np.ndarray:
    """Per interval (and agent axis): every queue with calls meets its targets (its service level only when
    ``service_level``; its ASA, the group's occupancy under its cap and its abandonment always)."""
    ok = np.ones(m.occupancy.shape, dtype=bool)
    extra = (slice(None),) * 1 + (None,) * (m.occupancy.ndim - 1)
    for k, q in enumerate(load.queues):
        calls = (load.volume[k] > 0)[extra]
        good = np.ones(m.occupancy.shape, dtype=bool)
        if service_level:
            good &= m.service_level[k] >= q.service_level - 1e-12
        if q.asa_s is not None:
            good &= m.asa[k] <= q.asa_s + 1e-9
        if q.max_occupancy is not None:
            good &= m.occupancy <= q.max_occupancy + 1e-12
        if q.max_abandon is not None and q.patience_s:
            good &= m.abandon_rate[k] <= q.max_abandon + 1e-12
        ok &= np.where(calls, good, True)
    return ok


def floor_ok(load: GroupLoad, m: GroupMetrics, floor: np.ndarray) -> np.ndarray:
    """Every queue with calls at or above its ``floor`` service level (``floor``: per queue)."""
    extra = (slice(None),) + (None,) * (m.occupancy.ndim - 1)
    calls = (load.volume > 0)[(slice(None),) + extra]
    f = np.asarray(floor, dtype=float).reshape((-1,) + (1,) * m.occupancy.ndim)
    return np.all(np.where(calls, m.service_level >= f - 1e-12, True), axis=0)


def fewest_agents(load: GroupLoad, ok) -> np.ndarray:
    """Per interval, the fewest whole agents for which ``ok(agents) -> bool array`` holds (0 without calls).

    ``ok`` must be monotone in agents. Vectorised bisection between a bound that fails and one that holds
    (found by doubling the margin over the offered load)."""
    total_a = (load.volume * load.aht).sum(axis=0) / load.interval_s
    busy = load.total > 0
    hi = np.where(busy, np.ceil(total_a) + 1.0, 0.0)
    good = ok(hi) | ~busy
    margin = np.ones_like(hi)
    while not good.all():
        margin = np.where(good, margin, margin * 2.0)
        hi = np.where(good, hi, np.ceil(total_a + margin * np.sqrt(np.maximum(total_a, 1.0)) + margin))
        if margin.max() > 1e7:
            raise ValueError("targets cannot be met by any number of agents")
        good = ok(hi) | ~busy
    lo = np.zeros_like(hi)  # lo fails (or is 0); hi holds
    while True:
        open_ = hi - lo > 1
        if not open_.any():
            break
        mid = np.where(open_, np.floor((lo + hi) / 2.0), hi)
        fine = ok(mid)
        hi = np.where(open_ & fine, mid, hi)
        lo = np.where(open_ & ~fine, mid, lo)
    zero_ok = ok(np.zeros_like(hi))
    return np.where(busy & ~zero_ok, hi, 0).astype(np.int64)


def required_agents(load: GroupLoad) -> np.ndarray:
    """Fewest agents on the phones per interval meeting every queue's targets under the group's routing."""
    return fewest_agents(load, lambda c: meets(load, group_metrics(load, c)))


# --------------------------------------------------------------------------- objectives
TUNING_INTERVALS = 192  # busy intervals the objectives are tuned on, evenly through the horizon


def tune_objectives(load: GroupLoad, periods: np.ndarray | None = None,
                    targets: np.ndarray | None = None) -> np.ndarray:
    """Objectives (seconds, per queue of ``load``) under which the fewest agents meet every queue's
    service-level target over each period: the group's waiting is shared so that no queue is served far above
    its target at the others' expense.

    ``periods`` labels each interval with its period (0, 1, ...; default: one period, the horizon) and
    ``targets`` (queues, periods) holds the service level each queue must reach over each period (default:
    its own target). Under objective routing the share of the waiting each queue bears follows the ratios of
    the objectives. Staffing profiles are fixed in advance: per interval, the fewest agents giving the group
    as one FIFO pool a service level ``beta`` (within the calls-weighted answer time), for a grid of ``beta``.
    For given objectives, the cost is the agents of the leanest profile on which every queue's calls-weighted
    service level meets its target over every period, and its ASA its ASA target (interpolated between grid
    points), on up to
    ``TUNING_INTERVALS`` busy intervals taken evenly through the horizon. Start from the heavy-traffic choice
    ``o_k = T_k / ln(0.5 / (1 - SL_k))``, then halving steps of a factor 2 per queue (the busiest fixed).
    Deterministic; rounded to 0.1 s, as an ACD takes them."""
    t = np.array([float(q.answer_within_s) for q in load.queues])
    sl = np.array([q.service_level for q in load.queues])
    start = np.round(t / np.maximum(np.log(0.5 / (1.0 - sl)), 0.1), 1)
    busy = np.flatnonzero(load.total > 0)
    if len(load.queues) == 1 or busy.size == 0:
        return start
    periods = np.zeros(load.total.shape, dtype=np.int64) if periods is None else np.asarray(periods, dtype=np.int64)
    targets = np.repeat(sl[:, None], periods.max() + 1, axis=1) if targets is None else np.asarray(targets, float)
    pick = busy[:: max(1, -(-busy.size // TUNING_INTERVALS))]
    sub = GroupLoad("fifo", load.queues, load.volume[:, pick], load.aht[:, pick], load.interval_s)
    labels = np.unique(periods[pick], return_inverse=True)[1].ravel()
    onehot = np.zeros((pick.size, labels.max() + 1))
    onehot[np.arange(pick.size), labels] = 1.0
    need = targets[:, np.unique(periods[pick])]  # (queues, periods sampled)
    calls = np.einsum("qi,ip->qp", sub.volume, onehot)  # (queues, periods); numpy's loops, not a threaded BLAS
    within = float((sub.volume.sum(axis=1) * t).sum() / sub.volume.sum())
    pat = sub.pooled_patience
    betas = np.linspace(0.30, 0.995, 40)
    profiles = np.stack([
        fewest_agents(sub, lambda c, b=b: erlang.evaluate(sub.total, sub.pooled_aht, sub.interval_s, c, within,
                                                           pat).service_level >= b)
        for b in betas
    ], axis=1).astype(float)  # (intervals, betas), rising in beta
    cost_of = profiles.sum(axis=0)

    extra = (slice(None), None)
    pooled = _pooled(sub, profiles, extra)  # the same for any objectives
    asa_rows = [k for k, q in enumerate(load.queues) if q.asa_s is not None]
    asa_targets = np.array([float(load.queues[k].asa_s) for k in asa_rows])

    def cost(log2o: np.ndarray) -> float:
        trial = GroupLoad("objective", sub.queues, sub.volume, sub.aht, sub.interval_s,
                          weights=1.0 / np.round(np.exp2(log2o), 1))
        m, _ = _objective_given(trial, profiles, extra, *pooled)
        served = np.einsum("kt,ktb,tp->kpb", sub.volume, m.service_level, onehot)
        with np.errstate(divide="ignore", invalid="ignore"):
            got = np.where(calls[:, :, None] > 0, served / calls[:, :, None], 1.0)
        margin = (got - need[:, :, None]).min(axis=(0, 1))  # rising in beta
        if asa_targets.size:
            waited = np.einsum("kt,ktb,tp->kpb", sub.volume[asa_rows],
                               np.minimum(m.asa[asa_rows], 1e9), onehot)
            with np.errstate(divide="ignore", invalid="ignore"):
                asa = np.where(calls[asa_rows, :, None] > 0, waited / calls[asa_rows, :, None], 0.0)
            margin = np.minimum(margin, (1.0 - asa / asa_targets[:, None, None]).min(axis=(0, 1)))
        ok = np.flatnonzero(margin >= 0)
        if ok.size == 0:
            return float(cost_of[-1]) + 1e6 * float(-margin[-1])
        j = int(ok[0])
        if j == 0:
            return float(cost_of[0])
        share = margin[j] / (margin[j] - margin[j - 1])  # margin[j - 1] < 0 <= margin[j]
        return float(cost_of[j] - share * (cost_of[j] - cost_of[j - 1]))

    return _search(start, int(np.argmax(calls.sum(axis=1))), cost)


def _search(start: np.ndarray, anchor: int, cost) -> np.ndarray:
    """Coordinate search on the objectives' logarithms (steps of a factor 2, then halving), the ``anchor``
    queue's objective fixed, for the least ``cost(log2 objectives)``; rounded to 0.1 s."""
    x = np.log2(np.maximum(start, 0.1))
    best = cost(x)
    for step in (1.0, 0.5, 0.25, 0.125, 0.0625):
        improved = True
        while improved:
            improved = False
            for k in range(x.size):
                if k == anchor:
                    continue
                for sign in (1.0, -1.0):
                    trial = x.copy()
                    trial[k] = np.clip(trial[k] + sign * step, -3.0, 14.0)  # 0.125 s .. 4.5 hours
                    c = cost(trial)
                    if c < best - 1e-9:
                        x, best, improved = trial, c, True
    return np.round(np.exp2(x), 1)

