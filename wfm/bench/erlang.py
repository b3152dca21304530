"""Erlang sizing speed: 20 queues x 672 intervals, one interval at 20,000 calls/hour, and intervals of 1e6 to 1e9
calls (the bounded window past the switch-over)."""

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
    _huge_loads(targets)


def _huge_loads(targets: Targets) -> None:
    """One interval of 1e6, 1e8 and 1e9 calls in 30 minutes (AHT 300 s, 80/20): Erlang C, and Erlang A with
    patience 180 s, which the window of :mod:`wfm.erlang_bounded` sizes past the switch-over (it used to take
    seconds at 1e6 and never return at 1e8); the slowest case wfm allows, 1e9 calls per mean patience, last."""
    for calls in (1e6, 1e8, erlang.MAX_CALLS_SIZED):
        t_c, n_c = _best_of(lambda c=calls: erlang.required_agents(c, 300, 1800, targets), repeat=3)
        t_a, n_a = _best_of(lambda c=calls: erlang.required_agents(c, 300, 1800, targets, patience_s=180.0),
                            repeat=3)
        print(f"huge interval    {calls:.0e} calls/30 min, AHT 300 s, 80/20: Erlang C {int(n_c):,} agents in "
              f"{t_c * 1000:.1f} ms; Erlang A (patience 180 s) {int(n_a):,} in {t_a * 1000:.1f} ms")
    t_y, n_y = _best_of(lambda: erlang.required_agents(erlang.MAX_CALLS_SIZED, 300, 1800, targets,
                                                       patience_s=1800.0), repeat=3)
    print(f"huge interval    1e+09 calls/30 min, patience 1800 s (1e9 calls per mean patience, the limit): "
          f"{int(n_y):,} agents in {t_y * 1000:.1f} ms")
