"""`make bench` figures for `wfm simulate`: simulated calls per second on one core, and the bundled example week
(the plan `make demo` makes) x 100 replications.

The calls-per-second figure runs one staff group on one thread: 3 queues, 100 Erlangs on 108 agents, patience
on two queues, priority routing, 5 replications of about a million calls each (draws included). The example
week is `wfm plan`'s forecast and roster of the bundled history (the roster solve is not timed).
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]


def calls_per_second(calls: int = 1_000_000, replications: int = 5) -> tuple[int, float]:
    """(calls simulated, seconds) for a stationary 3-queue group, one thread."""
    from wfm.simulate import generators, simulate_group

    aht = np.array([240.0, 300.0, 420.0])
    share = np.array([0.5, 0.3, 0.2])
    rate = 100.0 / float(share @ aht) * share  # 100 Erlangs
    intervals = 96
    length = calls / rate.sum() / intervals

    def once(reps: int, seed: int) -> int:
        counts = simulate_group(
            np.repeat(rate[:, None] * length, intervals, axis=1), np.repeat(aht[:, None], intervals, axis=1),
            np.array([180.0, 240.0, np.inf]), np.array([20.0, 15.0, 30.0]), np.full(intervals, 108), length,
            generators=[g[0] for g in generators(seed, reps)], warm_up=4, cool_down=4, fifo=False,
            order=np.array([1, 0, 2]),
        )
        return counts.calls

    once(1, 0)  # load the compiled kernel (numba's on-disk cache, or compile it once)
    t0 = time.perf_counter()
    n = once(replications, 1)
    return n, time.perf_counter() - t0


def run() -> None:
    n, seconds = calls_per_second()
    print(f"simulated calls, one thread: {n:,} calls in {seconds:.2f} s = {n / seconds / 1e6:.2f} million calls/s "
          "(target: at least 1 million)")

    from wfm.config import load_config
    from wfm.history import prepare_history, read_history
    from wfm.plan import plan
    from wfm.simulate import simulate

    cfg = load_config(ROOT / "configs" / "example.toml")
    history = prepare_history(read_history(ROOT / "forecasts" / "history.csv"), cfg, source="forecasts/history.csv")
    t0 = time.perf_counter()
    week = plan(history, cfg)
    t1 = time.perf_counter()
    forecast, roster = week.forecast.forecast, week.roster.assignments
    res = simulate(cfg, forecast, roster=roster, replications=100, seed=0)
    t2 = time.perf_counter()
    sl = ", ".join(f"{r.queue} {r.service_level:.1%} ({r.service_level_lo:.1%}-{r.service_level_hi:.1%})"
                   for r in res.queues.itertuples())
    print(f"example week x 100 replications: {t2 - t1:.1f} s wall (target: under 30 s), {res.calls:,} calls "
          f"drawn ({res.calls / (t2 - t1) / 1e6:.2f} million/s; warm-up and cool-down days included); "
          f"plan to make the week {t1 - t0:.1f} s")
    print(f"  {len(roster)} shifts, {int(forecast['volume'].sum()):,} calls forecast; service level {sl}")
