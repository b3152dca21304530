"""Shift-design hints bench: `wfm roster --suggest-shifts` on the bundled example, with the staffing and the
calibrated config the example plan (`wfm plan`, `make demo`) rosters: the week after the history forecast,
staffed, the routing objectives and the margins calibrated against the simulator, then the baseline and every
candidate change solved with the config's time limit and gap. Prints each candidate's figures, the best
suggestion's saving and the time taken (no target: each candidate is a full roster solve).
"""

from __future__ import annotations

import time
from pathlib import Path

from wfm.config import load_config
from wfm.forecast import forecast
from wfm.history import prepare_history, read_history
from wfm.plan.calibrate import calibrate
from wfm.plan.pipeline import default_start
from wfm.roster.suggest import suggest_shifts
from wfm.staffing import staff

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "configs" / "example.toml"
HISTORY = ROOT / "forecasts" / "history.csv"


def run() -> None:
    cfg = load_config(CONFIG)
    t0 = time.perf_counter()
    history = prepare_history(read_history(HISTORY), cfg, source=str(HISTORY))
    start = default_start(history)
    fc = forecast(history, cfg, horizon=7, start=start)
    st = staff(fc.forecast, cfg, fc.interval_minutes)
    cal = calibrate(st, fc.forecast, cfg)
    prep = time.perf_counter() - t0
    rs = cal.config.roster
    print(f"suggest-shifts: bundled example, 1 week from {start}, time limit {rs.time_limit_s:g} s and gap "
          f"{rs.gap:.0%} per solve (forecast, staffing and calibration {prep:.1f} s)")
    t0 = time.perf_counter()
    found = suggest_shifts(st, cal.config, start=start, margins=cal.margins)
    seconds = time.perf_counter() - t0
    b = found.baseline
    print(f"  baseline     {b.paid_hours:,.1f} paid hours, cost {b.cost:,.2f}, lower bound {b.lower_bound:,.2f}, "
          f"gap {b.gap:.2%} ({b.status}), {b.solve_seconds:.1f} s")
    for k, s in enumerate(found.suggestions, start=1):
        r = s.roster
        if r is None:
            print(f"  {k:>2}. {s.candidate.change}: no plan ({s.error})")
            continue
        print(f"  {k:>2}. {s.candidate.change}: {r.paid_hours:,.1f} h, saves {s.saved_hours:,.1f} h "
              f"({s.saved_share:.1%}), cost {s.cost_saved:,.2f}, gap {r.gap:.2%} ({r.status}), {s.verdict}, "
              f"{r.solve_seconds:.1f} s")
    best = found.best
    if best is None:
        print(f"  best         none of {len(found.suggestions)} candidates saves anything")
    else:
        print(f"  best         {best.candidate.change}: saves {best.saved_hours:,.1f} paid hours "
              f"({best.saved_share:.1%}, cost {best.cost_saved:,.2f}), {best.verdict}")
    print(f"  seconds      {seconds:.1f} for the baseline and {len(found.suggestions)} of {found.candidates} "
          f"candidates ({seconds / (len(found.suggestions) + 1):.1f} s a solve)")
