"""`make bench` figures for `wfm whatif`: the bundled storm on the example centre, and a volume sweep.

Prints the time to build the baseline (forecast + roster), to run the storm scenario (shock, size, impact,
two-stage recovery MILP), and a 5-point volume sweep with 1 and 2 worker processes (results must match).
"""

from __future__ import annotations

import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run() -> None:
    from wfm import history as hist
    from wfm import whatif as W
    from wfm.config import load_config
    from wfm.whatif.scenario import load_scenarios

    cfg = load_config(ROOT / "configs" / "example.toml")
    scen = load_scenarios(ROOT / "configs" / "storm.toml")
    t0 = time.perf_counter()
    raw = hist.read_history(ROOT / "forecasts" / "history.csv")
    fc, ro, _ = W.baseline_inputs(cfg, history=raw, horizon_days=7, roster_time_limit_s=60)
    t1 = time.perf_counter()
    print(f"baseline inputs (forecast 7 days + roster, {len(ro)} shifts): {t1 - t0:.1f} s")

    plan = W.make_plan(cfg, fc, ro)
    t2 = time.perf_counter()
    res = W.run_scenario(plan, scen[0])
    t3 = time.perf_counter()
    rec = res.recovery
    print(
        f"storm scenario ({len(plan.timestamps)} intervals): {t3 - t2:.1f} s; recovery {rec.status}, "
        f"cost {rec.cost:,.1f}, short {res.before.short_intervals} -> {res.after.short_intervals} intervals, "
        f"service level {res.before.service_level:.1%} -> {res.after.service_level:.1%}"
    )

    timings = {}
    results = {}
    for workers in (1, 2):
        t = time.perf_counter()
        results[workers] = W.whatif(cfg, scen, fc, ro, sweep="volume=1.0:3.0:0.5", workers=workers)
        timings[workers] = time.perf_counter() - t
    same = results[1].to_dict() == results[2].to_dict()
    print(
        f"sweep volume=1.0:3.0:0.5 (5 points + baseline): {timings[1]:.1f} s with 1 worker, "
        f"{timings[2]:.1f} s with 2 workers; identical results: {same}"
    )
