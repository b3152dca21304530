"""Replications of one staff group on plain arrays: agents taking calls per interval (shrinkage), the calls
(:mod:`wfm.simulate.calls`) and the event loop (:mod:`wfm.simulate.kernel`), counted per replication,
interval and queue.

The timeline is ``warm_up`` intervals, then the horizon, then ``cool_down`` intervals; only calls arriving in
the horizon are counted. Arrays without the timeline are on the horizon and wrap cyclically: the warm-up is the
horizon's last intervals, the cool-down its first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from wfm.simulate.calls import draw_calls
from wfm.simulate.kernel import run_group

SHRINKAGE_MODES = ("fixed", "binomial")


@dataclass(frozen=True)
class Counts:
    """Outcomes per replication, horizon interval and queue (arrays (replications, intervals, queues)).

    ``offered = answered + abandoned + waiting_at_end`` in every cell; ``wait_sum`` is the seconds waited by
    the answered calls. ``agents`` (replications, intervals) are the agents taking calls."""

    offered: np.ndarray
    answered: np.ndarray
    answered_within: np.ndarray
    abandoned: np.ndarray
    waiting_at_end: np.ndarray
    wait_sum: np.ndarray
    agents: np.ndarray
    calls: int  # calls simulated over every replication, warm-up and cool-down included


def on_phones(
    rostered: np.ndarray, shrinkage: np.ndarray, mode: str, rng: np.random.Generator | None = None
) -> np.ndarray:
    """Agents taking calls out of ``rostered`` per interval with a ``shrinkage`` share unavailable.

    ``fixed``: ``floor(rostered x (1 - shrinkage) + 1e-9)``, as :func:`wfm.staffing.group_service_level`
    converts rostered to on-the-phones agents for the Erlang figures. ``binomial``: each rostered agent is
    independently unavailable with probability ``shrinkage`` in each interval (drawn with ``rng``)."""
    rostered = np.asarray(rostered, dtype=np.int64)
    keep = 1.0 - np.asarray(shrinkage, dtype=float)
    if mode == "fixed":
        return np.floor(rostered * keep + 1e-9).astype(np.int64)
    if mode == "binomial":
        assert rng is not None
        return rng.binomial(rostered, np.clip(keep, 0.0, 1.0)).astype(np.int64)
    raise ValueError(f"shrinkage mode must be one of {SHRINKAGE_MODES}, got {mode!r}")


def timeline(values: np.ndarray, warm_up: int, cool_down: int) -> np.ndarray:
    """Horizon values (last axis) -> the timeline: its last ``warm_up`` intervals, itself, its first
    ``cool_down`` intervals (cyclic, so either may be longer than the horizon)."""
    n = values.shape[-1]
    idx = np.arange(-warm_up, n + cool_down) % n
    return values[..., idx]


def simulate_group(
    expected: np.ndarray,
    aht: np.ndarray,
    patience: np.ndarray,
    answer_within: np.ndarray,
    agents: np.ndarray,
    interval_s: float,
    *,
    generators: list[np.random.Generator],
    warm_up: int = 0,
    cool_down: int = 0,
    fifo: bool = True,
    order: np.ndarray | None = None,
    weights: np.ndarray | None = None,
    cv: float | None = None,
    shrinkage: np.ndarray | None = None,
    shrinkage_mode: str = "fixed",
    progress: Callable[[int], None] | None = None,
    exact: bool = False,
) -> Counts:
    """Simulate one staff group for ``len(generators)`` replications (one Generator each).

    ``expected`` and ``aht`` are (queues, intervals) on the horizon: expected calls and mean handle time;
    ``patience`` and ``answer_within`` (queues,) seconds (``inf`` patience: never abandons); ``order`` the
    queues' priority (indices, highest first) when ``fifo`` is False; ``weights`` (queues,) when it is True:
    a free agent takes the head caller whose wait times its queue's weight is the longest (equal weights, the
    default: the oldest call; :mod:`wfm.routing`'s ``objective`` routing). ``agents`` (intervals,) take calls as
    given when ``shrinkage`` is None; otherwise they are rostered and ``shrinkage`` (intervals,) makes
    them unavailable per ``shrinkage_mode`` (:func:`on_phones`). ``progress`` is called after each
    replication with its number (1-based). ``exact``: ``expected`` are the calls that came, drawn as they are
    (:func:`wfm.simulate.calls.draw_calls`)."""
    expected = np.asarray(expected, dtype=float)
    n_queues, n = expected.shape
    reps = len(generators)
    order = np.arange(n_queues, dtype=np.int64) if order is None else np.asarray(order, dtype=np.int64)
    weights = np.ones(n_queues) if weights is None else np.asarray(weights, dtype=float)
    exp_t = timeline(expected, warm_up, cool_down)
    aht_t = timeline(np.asarray(aht, dtype=float), warm_up, cool_down)
    agents_t = timeline(np.asarray(agents, dtype=np.int64), warm_up, cool_down)
    shrink_t = None if shrinkage is None else timeline(np.asarray(shrinkage, dtype=float), warm_up, cool_down)
    patience = np.asarray(patience, dtype=float)
    within = np.asarray(answer_within, dtype=float)
    shape = (reps, n, n_queues)
    out = {k: np.zeros(shape, dtype=np.int64)
           for k in ("offered", "answered", "answered_within", "abandoned", "waiting_at_end")}
    wait_sum = np.zeros(shape)
    taking = np.zeros((reps, n))
    calls = 0
    for r, rng in enumerate(generators):
        phones = agents_t if shrink_t is None else on_phones(agents_t, shrink_t, shrinkage_mode, rng)
        drawn = draw_calls(rng, exp_t, aht_t, patience, interval_s, cv, exact=exact)
        calls += len(drawn)
        run_group(
            drawn.arrival, drawn.queue, drawn.interval, drawn.service, drawn.hang_up, phones, float(interval_s),
            warm_up, warm_up + n, fifo, order, weights, within, out["offered"][r], out["answered"][r],
            out["answered_within"][r], out["abandoned"][r], out["waiting_at_end"][r], wait_sum[r],
        )
        taking[r] = phones[warm_up: warm_up + n]
        if progress is not None:
            progress(r + 1)
    return Counts(**out, wait_sum=wait_sum, agents=taking, calls=calls)


def generators(seed: int, replications: int, streams: int = 1) -> list[list[np.random.Generator]]:
    """Independent Generators per replication and stream (staff group), from one seed: the same seed gives
    the same draws, and a replication's draws do not depend on how many replications run."""
    root = np.random.SeedSequence(seed)
    return [[np.random.Generator(np.random.PCG64(s)) for s in child.spawn(streams)]
            for child in root.spawn(replications)]
