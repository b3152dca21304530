"""Erlang sizing speed: 20 queues x 672 intervals, and one interval at 20,000 calls/hour."""

from __future__ import annotations

import time

import numpy as np

from wfm import erlang
from wfm.erlang import Targets


def _best_of(fn, repeat: int = 5) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def run() -> None:
    rng = np.random.default_rng(42)
    queues, intervals = 20, 672
    # a week of 15-minute intervals per queue: daily shape x queue size, with quiet nights
    shape = np.clip(np.sin(np.linspace(0, 14 * np.pi, intervals)), 0.05, None)
    size = rng.uniform(20, 400, queues)[:, None]
    volume = np.round(size * shape * rng.uniform(0.9, 1.1, (queues, intervals)))
    aht = rng.uniform(150, 480, (queues, 1)) * np.ones((1, intervals))
    targets = Targets(0.80, 20)
    t_c, agents = _best_of(lambda: erlang.required_agents(volume, aht, 900, targets))
    t_a, agents_a = _best_of(
        lambda: erlang.required_agents(volume, aht, 900, targets, patience_s=120.0), repeat=3
    )
    cells = queues * intervals
    print(f"erlang C sizing  {queues} queues x {intervals} intervals = {cells:,} cells: {t_c * 1000:.1f} ms "
          f"(target: well under 1 s); {int(agents.sum()):,} agent-intervals")
    print(f"erlang A sizing  same cells, patience 120 s:            {t_a * 1000:.1f} ms; "
          f"{int(agents_a.sum()):,} agent-intervals")
    t_one, one = _best_of(lambda: erlang.required_agents(20000, 360, 3600, targets))
    print(f"one interval     20,000 calls/h, AHT 360 s, 80/20: {int(one)} agents (expected 2,019) "
          f"in {t_one * 1000:.2f} ms")
    t_big, big = _best_of(lambda: erlang.required_agents(10000 * 3600 / 300, 300, 3600, targets), repeat=3)
    print(f"one interval     10,000 Erlangs, 80/20: {int(big):,} agents in {t_big * 1000:.2f} ms")
