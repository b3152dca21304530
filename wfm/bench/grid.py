"""Grid bench: the 2-week 6-minute bank case planned on a 30-minute grid (issue 12).

The real "Anonymous Bank" history (calls per 6 minutes, 1999, one queue; Friday/Saturday weekend) with
``configs/bank-24x7.toml`` (24x7, full-time early/late shifts, a night desk and part-timers). The last two
weeks of 1999 (1999-12-18 .. 12-31) are planned from the history before them, as `wfm plan` does (forecast on
the history's 6-minute grid, summed onto the planning grid, staffing, roster; no simulation):

1. on the config's 30-minute planning grid: target within 1% of the roster's bound in under 60 s;
2. on the data's own 6-minute grid (``--interval 6``), with the same time limit, for contrast.

Also printed: the 30-minute forecast's WAPE against the held-out actuals, and the scheduled hours the
requirement asks for when sized per 30 minutes against per 6 minutes.

The data is not part of the project: set ``WFM_BANK_HISTORY`` to its path when it is not at the default.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np

from wfm import forecast as fc
from wfm import staffing as stf
from wfm.config import load_config
from wfm.history import prepare_history, read_history
from wfm.plan import plan

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "configs" / "bank-24x7.toml"
HISTORY = Path(os.environ.get("WFM_BANK_HISTORY", "/work/shared/data/israel_bank_calls_6min_1999.csv"))
START = "1999-12-18"
WEEKS = 2


def run() -> None:
    if not HISTORY.exists():
        print(f"  skipped: no bank history at {HISTORY} (set WFM_BANK_HISTORY)")
        return
    cfg = load_config(CONFIG)
    t0 = time.perf_counter()
    h = prepare_history(read_history(HISTORY), cfg, source=HISTORY.name)
    print(f"  {h.report.summary} (read in {time.perf_counter() - t0:.1f} s); {CONFIG.name}, "
          f"{WEEKS} weeks from {START}, time limit {cfg.roster.time_limit_s:g} s, gap {cfg.roster.gap:.0%}")
    for minutes in (cfg.planning_interval_minutes, h.interval_minutes):
        t = time.perf_counter()
        res = plan(h, cfg, start=START, weeks=WEEKS, replications=0, interval_minutes=minutes)
        wall = time.perf_counter() - t
        r = res.roster
        print(f"  {minutes}-minute planning grid: {r.status}, gap {r.gap:.2%} (objective {r.objective:,.1f}, bound "
              f"{r.lower_bound:,.1f}), roster {res.timings['roster']:.1f} s (solve {r.solve_seconds:.1f} s), "
              f"plan {wall:.1f} s")
        print(f"    {r.agents} agents ({', '.join(f'{k} {v}' for k, v in r.agents_by_contract.items())}), "
              f"{r.paid_hours:,.0f} paid hours, {res.headline['required_hours']:,.0f} scheduled hours required, "
              f"{r.model_size['integer_variables']:,} integer variables, coverage {res.headline['coverage']:.1%}, "
              f"service level {res.headline['service_level']:.1%}")
        if minutes == cfg.planning_interval_minutes:
            _forecast_and_sizing(h, cfg, res, minutes)


def _forecast_and_sizing(h, cfg, res, minutes: int) -> None:
    """The planning-grid forecast against the held-out actuals, and the requirement sized per data interval."""
    f = res.forecast.forecast
    first = int((np.datetime64(START) - np.datetime64(h.start.date())) // np.timedelta64(1, "D"))
    k = minutes // h.interval_minutes
    actual = h.volume[0, first:first + 7 * WEEKS].reshape(7 * WEEKS, -1, k).sum(axis=2).ravel()
    wape = float(np.abs(f["volume"].to_numpy() - actual).sum() / actual.sum())
    fine = fc.forecast(h, cfg, horizon=7 * WEEKS, start=START).forecast
    per_data = stf.staff(fine, cfg, h.interval_minutes)["scheduled"].to_numpy()
    peak = per_data.reshape(-1, k).max(axis=1).sum() * minutes / 60
    per_plan = res.staffing["scheduled"].sum() * minutes / 60
    print(f"    forecast ({res.forecast.chosen[cfg.queues[0].name]}) on {minutes} minutes: WAPE {wape:.1%} against "
          f"the held-out weeks; scheduled hours to cover on {minutes} minutes: {per_plan:,.0f} sized on the summed "
          f"forecast, {peak:,.0f} as the largest {h.interval_minutes}-minute requirement of each interval "
          f"({per_data.sum() * h.interval_minutes / 60:,.0f} summed per {h.interval_minutes} minutes)")
