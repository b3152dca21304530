"""`make bench` figures for `wfm whatif`: the bundled storm on its week, the month-long typhoon on four, and a
20-point volume sweep.

Prints the time to build the baseline (forecast + one week's roster), the storm's and the typhoon's whole
scenario (shock, size, impact, recovery by name, impact again) and their recovery alone (service curves, the
two LP stages, naming, recount; target for the month: under 60 s), and a 20-point volume sweep of the storm
with 1 and 2 worker processes (results must match).
"""

from __future__ import annotations

import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MONTH_TARGET_S = 60.0


def run() -> None:
    from wfm import history as hist
    from wfm import whatif as W
    from wfm.config import load_config
    from wfm.whatif import run as run_mod
    from wfm.whatif.scenario import load_scenarios

    cfg = load_config(ROOT / "configs" / "example.toml")
    storm, typhoon = load_scenarios(ROOT / "configs" / "storm.toml")
    t0 = time.perf_counter()
    raw = hist.read_history(ROOT / "forecasts" / "history.csv")
    fc, ro, _ = W.baseline_inputs(cfg, history=raw, horizon_days=7, roster_time_limit_s=60)
    t1 = time.perf_counter()
    print(f"baseline inputs (forecast 7 days + roster, {len(ro)} shifts): {t1 - t0:.1f} s")

    spent: list[float] = []
    recover = run_mod.recover

    def timed(*args, **kwargs):  # the recovery alone, inside run_scenario
        t = time.perf_counter()
        out = recover(*args, **kwargs)
        spent.append(time.perf_counter() - t)
        return out

    run_mod.recover = timed
    try:
        for scenario, days in ((storm, 7), (typhoon, 28)):
            fc_s, ro_s, _ = W.baseline_inputs(cfg, history=raw, horizon_days=days, roster=ro, scenarios=[scenario])
            plan = W.make_plan(cfg, fc_s, ro_s)
            spent.clear()
            t2 = time.perf_counter()
            res = W.run_scenario(plan, scenario)
            t3 = time.perf_counter()
            rec = res.recovery
            target = f" (target under {MONTH_TARGET_S:.0f} s)" if days > 7 else ""
            print(
                f"{scenario.name} ({days} days, {len(plan.timestamps)} intervals): scenario {t3 - t2:.1f} s, "
                f"recovery {sum(spent):.1f} s{target}; {rec.status}, cost {rec.cost:,.1f}, "
                f"{len(rec.named.recovery) if rec.named is not None else 0} rows by name, "
                f"service level {res.before.service_level:.1%} -> {res.after.service_level:.1%}, short "
                f"{res.before.short_intervals} -> {res.after.short_intervals} intervals"
            )
    finally:
        run_mod.recover = recover

    timings = {}
    results = {}
    for workers in (1, 2):
        t = time.perf_counter()
        results[workers] = W.whatif(cfg, [storm], fc, ro, sweep="volume=1.0:2.9:0.1", workers=workers)
        timings[workers] = time.perf_counter() - t
    same = results[1].to_dict() == results[2].to_dict()
    points = len(results[1].scenarios)
    print(
        f"sweep volume=1.0:2.9:0.1 ({points} points + baseline, the storm's week): {timings[1]:.1f} s with 1 worker "
        f"({timings[1] / (points + 1):.1f} s a run), {timings[2]:.1f} s with 2 workers; identical results: {same}"
    )
