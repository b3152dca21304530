"""The event loop of one staff group for one replication, compiled by numba (``@njit(cache=True)``).

A per-call event loop cannot be vectorised in numpy: whether a call waits depends on every call before it.
numba compiles this module's functions to machine code on first use and caches them on disk
(``__pycache__``), so later runs start at once; they release the GIL (``nogil``), so threads can run
replications side by side.

The kernel takes the group's calls already drawn (:mod:`wfm.simulate.calls`: arrival times in order, queue,
interval, service time, the time the caller would hang up) and the agents taking calls per interval, and
returns nothing: it adds up each call's outcome into the per-(interval, queue) count arrays it is given.
Everything is preallocated from the number of calls and agents: memory is bounded by the replication's calls.

Events: the next arrival (the calls array, in time order), the next completion (an array-based binary
min-heap of end times, one slot per busy agent) and the next interval boundary (the agents available change). Abandonment
needs no event: a waiting call whose hang-up time has passed is removed when it reaches the head of its
queue (or at the end), which is exactly when it would have been taken.
"""

from __future__ import annotations

import numpy as np
from numba import njit

INF = np.inf


@njit(cache=True, nogil=True)
def _heap_push(heap: np.ndarray, size: int, value: float) -> int:
    i = size
    heap[i] = value
    while i > 0:
        parent = (i - 1) >> 1
        if heap[parent] <= value:
            break
        heap[i] = heap[parent]
        i = parent
    heap[i] = value
    return size + 1


@njit(cache=True, nogil=True)
def _heap_pop(heap: np.ndarray, size: int) -> int:
    """Remove the smallest element; returns the new size.

    Bottom-up: the hole at the root goes down the smaller children to a leaf (one branch-free comparison per
    level, against the +inf kept in every slot past the last element), then the last element rises from there
    (it usually belongs near the bottom)."""
    size -= 1
    value = heap[size]
    heap[size] = INF
    if size == 0:
        return 0
    i = 0
    child = 1
    while child < size:
        child += heap[child + 1] < heap[child]
        heap[i] = heap[child]
        i = child
        child = 2 * i + 1
    while i > 0:
        parent = (i - 1) >> 1
        if heap[parent] <= value:
            break
        heap[i] = heap[parent]
        i = parent
    heap[i] = value
    return size


@njit(cache=True, nogil=True)
def run_group(
    arrival: np.ndarray,  # float64[N], seconds from the start of the timeline, ascending
    queue: np.ndarray,  # int64[N], 0..Q-1
    interval: np.ndarray,  # int64[N], interval of the timeline the call arrives in
    service: np.ndarray,  # float64[N], seconds
    hang_up: np.ndarray,  # float64[N], arrival + patience (inf: never abandons)
    agents: np.ndarray,  # int64[K], agents taking calls in each interval of the timeline
    interval_s: float,
    first: int,  # intervals first..last-1 of the timeline are the horizon: only their calls are counted
    last: int,
    fifo: bool,  # True: the head caller with the longest weighted wait; False: the first non-empty queue in ``order``
    order: np.ndarray,  # int64[Q], queues in priority order
    weights: np.ndarray,  # float64[Q], when ``fifo``: a head caller's wait counts times its queue's weight
    answer_within: np.ndarray,  # float64[Q], seconds
    offered: np.ndarray,  # int64[last-first, Q] (added to)
    answered: np.ndarray,  # int64[last-first, Q]
    answered_within: np.ndarray,  # int64[last-first, Q]
    abandoned: np.ndarray,  # int64[last-first, Q]
    waiting_at_end: np.ndarray,  # int64[last-first, Q]
    wait_sum: np.ndarray,  # float64[last-first, Q], seconds waited by answered calls
) -> float:
    """Simulate the group's calls; returns the time the simulation stopped (seconds on the timeline).

    It stops when every horizon call has been answered or has abandoned and the horizon is over (the
    calls of the intervals after it only compete with them), or when nothing is left to happen (then calls
    still waiting are counted in ``waiting_at_end``, or ``abandoned`` if their patience ran out by then).
    """
    n = arrival.size
    n_queues = order.size
    n_intervals = agents.size
    horizon_end = last * interval_s

    # each queue's calls in arrival order: lst[start[q]:start[q + 1]]; waiting = lst[head[q]:tail[q]]
    start = np.zeros(n_queues + 1, dtype=np.int64)
    pending = 0  # horizon calls not yet answered nor abandoned
    for c in range(n):
        start[queue[c] + 1] += 1
        k = interval[c]
        if first <= k < last:
            offered[k - first, queue[c]] += 1
            pending += 1
    for q in range(n_queues):
        start[q + 1] += start[q]
    lst = np.empty(n, dtype=np.int64)
    fill = start[:n_queues].copy()
    for c in range(n):
        q = queue[c]
        lst[fill[q]] = c
        fill[q] += 1
    head = start[:n_queues].copy()
    tail = start[:n_queues].copy()

    heap = np.full(int(agents.max()) + 2 if n_intervals else 2, INF)  # +inf past the last element
    size = 0  # busy agents
    k = 0
    capacity = agents[0] if n_intervals > 0 else 0
    a = 0
    now = 0.0
    while True:
        t_arrival = arrival[a] if a < n else INF
        t_done = heap[0] if size > 0 else INF
        t_boundary = (k + 1) * interval_s if k + 1 < n_intervals else INF
        if t_done <= t_boundary and t_done <= t_arrival:
            if t_done == INF:
                break
            now = t_done
            size = _heap_pop(heap, size)
        elif t_boundary <= t_arrival:
            now = t_boundary
            k += 1
            capacity = agents[k]
        else:
            now = t_arrival
            tail[queue[a]] += 1
            a += 1
        # free agents take waiting calls (non-preemptive: a drop in agents only stops new answers)
        while size < capacity:
            pick = -1
            longest = -1.0
            for j in range(n_queues):
                q = order[j]
                # callers whose patience ran out before now have hung up: drop them from the head
                while head[q] < tail[q] and hang_up[lst[head[q]]] <= now:
                    c = lst[head[q]]
                    head[q] += 1
                    ki = interval[c]
                    if first <= ki < last:
                        abandoned[ki - first, q] += 1
                        pending -= 1
                if head[q] < tail[q]:
                    if not fifo:
                        pick = q
                        break
                    key = (now - arrival[lst[head[q]]]) * weights[q]  # equal weights: the oldest call
                    if key > longest:
                        longest = key
                        pick = q
            if pick < 0:
                break
            c = lst[head[pick]]
            head[pick] += 1
            ki = interval[c]
            if first <= ki < last:
                w = now - arrival[c]
                answered[ki - first, pick] += 1
                wait_sum[ki - first, pick] += w
                if w <= answer_within[pick]:
                    answered_within[ki - first, pick] += 1
                pending -= 1
            size = _heap_push(heap, size, now + service[c])
        if pending == 0 and now >= horizon_end:
            return now
    # nothing left to happen: the calls still in a queue either hung up by now or are still waiting
    end = max(now, n_intervals * interval_s)
    for q in range(n_queues):
        for i in range(head[q], tail[q]):
            c = lst[i]
            ki = interval[c]
            if first <= ki < last:
                if hang_up[c] <= end:
                    abandoned[ki - first, q] += 1
                else:
                    waiting_at_end[ki - first, q] += 1
    return end
