"""One replication's calls of one staff group, drawn with a numpy Generator (vectorised, no Python loop per call).

Arrivals are Poisson with a rate that is constant within each interval (the interval's expected calls over
its length). They are drawn as the group's total per interval (Poisson with the sum of the queues' rates),
spread uniformly over the interval, and each given a queue with probability its share of the interval's
rate: the same process as one Poisson stream per queue (thinning), with a single sort.

Service times have the mean of the call's queue's AHT in its arrival interval: exponential (``cv=None``) or
lognormal with coefficient of variation ``cv``. Patience is exponential with the queue's mean ``patience_s``;
a queue without one never abandons (hang-up time infinite).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Calls:
    """The calls of one replication, in arrival order (one element per call)."""

    arrival: np.ndarray  # float64 seconds from the start of the timeline
    queue: np.ndarray  # int64, index into the group's queues
    interval: np.ndarray  # int64, interval of the timeline
    service: np.ndarray  # float64 seconds
    hang_up: np.ndarray  # float64: arrival + patience (inf for queues without patience)

    def __len__(self) -> int:
        return int(self.arrival.size)


def draw_calls(
    rng: np.random.Generator,
    expected: np.ndarray,
    aht: np.ndarray,
    patience: np.ndarray,
    interval_s: float,
    cv: float | None = None,
    exact: bool = False,
) -> Calls:
    """Draw the calls of a timeline of intervals for one group.

    ``expected`` and ``aht`` are (queues, intervals): expected calls and mean handle time, seconds;
    ``patience`` (queues,) mean patience in seconds, ``inf`` for none. The draws happen in a fixed order, so a
    Generator in a given state always gives the same calls.

    ``exact``: ``expected`` holds the calls that came (whole numbers: an ACD's counts) and exactly those are
    drawn, each queue's at uniform times within its interval (a Poisson stream given its count).
    """
    n_queues, n_intervals = expected.shape
    total = expected.sum(axis=0)
    if exact:
        per = np.rint(expected).astype(np.int64)
        interval = np.repeat(np.tile(np.arange(n_intervals, dtype=np.int64), n_queues), per.ravel())
        queue = np.repeat(np.repeat(np.arange(n_queues, dtype=np.int64), n_intervals), per.ravel())
        key = interval + rng.random(interval.size)
        order = np.argsort(key, kind="stable")
        interval, queue = interval[order], queue[order]
        arrival = key[order] * interval_s
        n = interval.size
    else:
        counts = rng.poisson(total)
        interval = np.repeat(np.arange(n_intervals, dtype=np.int64), counts)
        n = interval.size
        # uniform within the interval, sorted: the key interval + u keeps the intervals in order
        arrival = np.sort(interval + rng.random(n)) * interval_s
        queue = np.zeros(n, dtype=np.int64)
        if n_queues > 1 and n:
            u = rng.random(n) * total[interval]
            cumulative = np.cumsum(expected, axis=0)
            for q in range(n_queues - 1):
                queue += u >= cumulative[q][interval]
    mean = aht[queue, interval]
    if cv is None:
        service = mean * rng.standard_exponential(n)
    else:
        sigma2 = np.log1p(cv * cv)
        service = mean * np.exp(np.sqrt(sigma2) * rng.standard_normal(n) - 0.5 * sigma2)
    with np.errstate(invalid="ignore"):
        hang_up = arrival + patience[queue] * rng.standard_exponential(n)
    hang_up[~np.isfinite(patience[queue])] = np.inf
    return Calls(arrival, queue, interval, service, hang_up)
