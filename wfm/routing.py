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

ROUTINGS = ("fifo", "priority")


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


def _priority(load: GroupLoad, c: np.ndarray, extra: tuple) -> GroupMetrics:
    ivl = load.interval_s
    lam = load.volume / ivl  # calls per second, (K, T)
    a_k = lam * load.aht  # offered erlangs per queue
    total_a = a_k.sum(axis=0)
    theta = np.array([1.0 / q.patience_s if q.patience_s else 0.0 for q in load.queues])
    with np.errstate(divide="ignore", invalid="ignore"):
        theta_bar = np.where(lam.sum(axis=0) > 0, (lam * theta[:, None]).sum(axis=0) / lam.sum(axis=0), 0.0)
    aht_bar = load.pooled_aht
    if theta.any():
        pat = np.where(theta_bar > 0, 1.0 / np.where(theta_bar > 0, theta_bar, 1.0), np.nan)
        pooled = erlang.evaluate(load.total[extra], aht_bar[extra], ivl, c, 20.0, pat[extra])
    else:
        pooled = erlang.evaluate(load.total[extra], aht_bar[extra], ivl, c, 20.0)
    p_w = pooled.wait_probability[None]  # (1, T, ...)
    k_extra = (slice(None),) + extra
    a = a_k[k_extra]
    lam_k = np.broadcast_to(lam[k_extra], np.broadcast_shapes(a.shape, p_w.shape))
    patience = np.array([float(q.patience_s) if q.patience_s else np.inf for q in load.queues])
    pat = np.broadcast_to(patience.reshape((-1,) + (1,) * c.ndim), lam_k.shape)
    within = np.broadcast_to(_within(load)[k_extra], lam_k.shape)
    ab = np.zeros(lam_k.shape)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        base = np.where(c > 0, c / aht_bar[extra], 0.0)[None]  # c mu, per second
        theta_k = theta.reshape((-1,) + (1,) * c.ndim)
        for _ in range(3):  # carried loads (abandoned calls do not load the agents), from the rates they give
            carried = np.cumsum(a * (1.0 - ab), axis=0) / np.where(c > 0, c, 1.0)[None]
            before = np.concatenate([np.zeros_like(carried[:1]), carried[:-1]], axis=0)
            rate = base * np.clip(1.0 - before, 0.0, None) * np.clip(1.0 - carried, 0.0, None)
            out = rate + theta_k
            ab = p_w * np.where(out > 0, theta_k / np.where(out > 0, out, 1.0), 0.0)  # exponential waits
        leftover = base * np.clip(1.0 - before, 0.0, None)  # agents' answering rate left by the queues above
        sl_w, ab_w, wait_w = _given_wait(lam_k, rate, leftover, within, pat)
        ab = p_w * ab_w
        sl = (1.0 - p_w) + p_w * sl_w
        asa = np.where(np.isfinite(wait_w), p_w * wait_w / np.maximum(1.0 - ab, 1e-300), np.inf)
        occ = np.where(c > 0, (a * (1.0 - ab)).sum(axis=0) / np.where(c > 0, c, 1.0), 1.0)
    has_calls = load.volume[k_extra] > 0
    sl = np.where(has_calls, np.clip(sl, 0.0, 1.0), 1.0)
    asa = np.where(has_calls, asa, 0.0)
    ab = np.where(has_calls, np.clip(ab, 0.0, 1.0), 0.0)
    busy = total_a[extra] > 0
    return GroupMetrics(
        service_level=sl,
        asa=asa,
        abandon_rate=ab,
        wait_probability=np.where(busy, pooled.wait_probability, 0.0),
        occupancy=np.where(busy, np.clip(occ, 0.0, 1.0), 0.0),
    )


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
