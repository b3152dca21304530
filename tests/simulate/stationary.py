"""Stationary runs for the validation tests: queues with constant rates served by a constant number of agents,
simulated through :func:`wfm.simulate.simulate_group` (the array core of ``wfm simulate``).

The horizon is ``intervals`` equal intervals (their boundaries change nothing here), after a warm-up of one
more; each replication is one long run, so the spread of the replications' figures gives an honest
confidence interval despite the autocorrelation inside a run. Cases run on two threads (the kernel releases
the GIL), each with its own seed.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from wfm.simulate import generators, simulate_group
from wfm.simulate.stats import mean_ci

INTERVALS = 10


@dataclass(frozen=True)
class Run:
    """Per replication and queue (arrays (replications, queues)): the counts over the horizon."""

    offered: np.ndarray
    answered: np.ndarray
    answered_within: np.ndarray
    abandoned: np.ndarray
    waiting_at_end: np.ndarray
    wait_sum: np.ndarray

    def figure(self, name: str, queue: int = 0) -> tuple[float, float]:
        """Mean over replications of a per-replication figure, and its 95% half-width."""
        with np.errstate(invalid="ignore", divide="ignore"):
            per_rep = {
                "service_level": self.answered_within / self.offered,
                "asa": self.wait_sum / self.answered,
                "abandon_rate": self.abandoned / self.offered,
            }[name][:, queue]
        mean, lo, hi = mean_ci(per_rep[:, None])
        return float(mean[0]), float(hi[0] - lo[0]) / 2


def stationary(
    rates: list[float],
    aht: list[float],
    agents: int,
    calls: float,
    *,
    answer_within: list[float],
    patience: list[float] | None = None,
    replications: int = 20,
    seed: int = 0,
    fifo: bool = True,
    order: list[int] | None = None,
    weights: list[float] | None = None,
) -> Run:
    """Simulate queues with arrival ``rates`` (calls/s) and mean service ``aht`` (s) on ``agents`` agents, about
    ``calls`` calls per replication after the warm-up."""
    q = len(rates)
    lam = float(np.sum(rates))
    length = calls / lam / INTERVALS
    expected = np.repeat(np.asarray(rates, dtype=float)[:, None] * length, INTERVALS, axis=1)
    counts = simulate_group(
        expected, np.repeat(np.asarray(aht, dtype=float)[:, None], INTERVALS, axis=1),
        np.full(q, np.inf) if patience is None else np.asarray(patience, dtype=float),
        np.asarray(answer_within, dtype=float), np.full(INTERVALS, agents), length,
        generators=[g[0] for g in generators(seed, replications)], warm_up=1, cool_down=1, fifo=fifo,
        order=None if order is None else np.asarray(order), weights=None if weights is None else np.asarray(weights),
    )
    return Run(*(getattr(counts, k).sum(axis=1) for k in
                 ("offered", "answered", "answered_within", "abandoned", "waiting_at_end", "wait_sum")))


def run_all(jobs: dict[str, dict]) -> dict[str, Run]:
    """:func:`stationary` for every job (keyword arguments), on two threads."""
    with ThreadPoolExecutor(2) as pool:
        futures = {name: pool.submit(stationary, **kw) for name, kw in jobs.items()}
        return {name: f.result() for name, f in futures.items()}
