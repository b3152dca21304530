"""Roster bench: a 1,300-seat 24x7 centre in 15-minute intervals (peak about 1,000 scheduled agents).

1. The service curves (day targets, objective routing) of the bundled example's week, with the objectives
   tuned first (timed apart: a plan tunes them once, in its calibration): target under 2 s.
2. One week with the example's day targets and objective routing (the global service-level rows), HiGHS:
   target within 1% of the lower bound in under 60 s; and the same week held to every interval with FIFO
   routing (wfm before period targets), for the paid hours.
3. Four weeks with named agents (agents.csv-like frame with unavailable dates and preferences), every
   interval and FIFO, HiGHS: target under 5 minutes.

The centre is the bundled example config (day, night and part-time shifts, three queues) with a seeded
synthetic forecast: two daily peaks, quieter weekends and nights, and ``[roster] seats = 1300``.
"""

from __future__ import annotations

import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from wfm.config import CentreConfig, load_config
from wfm.plan.calibrate import calibrate
from wfm.roster import Roster, roster
from wfm.roster.rows import parse_roster_rows, rostered_per_interval
from wfm.staffing import service_curves, staff, staffing_requirement

CONFIG = Path(__file__).resolve().parents[2] / "configs" / "example.toml"
EXAMPLE_FORECAST = Path(__file__).resolve().parents[2] / "forecasts" / "runs" / "2026-11-30" / "forecast.csv"
START = date(2026, 1, 5)  # a Monday
SEATS = 1300
SEED = 20260105


def bench_forecast(scale: float = 17.0, seed: int = SEED) -> pd.DataFrame:
    """One week, 15-minute intervals, three queues; ``scale`` sets the size (17 -> peak ~1,000 scheduled)."""
    rng = np.random.default_rng(seed)
    idx = pd.date_range(pd.Timestamp(START), periods=7 * 96, freq="15min")
    h = (idx.hour + idx.minute / 60).to_numpy()
    dow = idx.day_of_week.to_numpy()
    shape = 40 * np.exp(-(((h - 11) / 3.5) ** 2)) + 30 * np.exp(-(((h - 19.5) / 3) ** 2)) + 3
    day_factor = np.array([1.12, 1.05, 1.0, 1.0, 1.03, 0.8, 0.7])[dow]
    parts = []
    for queue, share, aht in (("retail", 1.0, 300.0), ("business", 0.4, 420.0), ("cards", 0.6, 240.0)):
        noise = rng.normal(1.0, 0.03, len(idx))
        volume = np.round(shape * share * scale * day_factor * noise, 1)
        parts.append(pd.DataFrame({"timestamp": idx, "queue": queue, "volume": volume, "aht": aht}))
    return pd.concat(parts, ignore_index=True)


def bench_agents(r: Roster, spare: float = 0.04, seed: int = SEED) -> pd.DataFrame:
    """Named agents for a roster like ``r``: its headcount per contract plus ``spare``, some with a day off
    requested in the first fortnight and some preferring a shift template."""
    rng = np.random.default_rng(seed)
    rows = []
    n = 0
    for contract, count in r.agents_by_contract.items():
        for _ in range(int(np.ceil(count * (1 + spare)))):
            n += 1
            un = ""
            if rng.random() < 0.1:
                un = (START + timedelta(days=int(rng.integers(0, 14)))).isoformat()
            pref = ""
            if contract == "full_time" and rng.random() < 0.2:
                pref = "day"
            rows.append({"agent_id": f"E{n:05d}", "contract": contract, "unavailable": un, "preferred_shifts": pref})
    return pd.DataFrame(rows)


def _peak_on_site(r: Roster, interval_minutes: int) -> int:
    rows = parse_roster_rows(r.assignments.assign(breaks=""))
    on_site = rostered_per_interval(rows, pd.Timestamp(r.start), len(r.coverage), interval_minutes)
    return int(on_site.max())


def _report(label: str, r: Roster, seconds: float, interval_minutes: int) -> None:
    t = r.timings
    print(f"  {label}")
    print(f"    model        {r.model_size['integer_variables']:,} integer / {r.model_size['variables']:,} variables, "
          f"{r.model_size['constraints']:,} rows, {r.model_size['tour_types']:,} tour types")
    print(f"    objective    {r.objective:,.1f}  lower bound {r.lower_bound:,.1f}  gap {100 * r.gap:.3f}%  "
          f"({r.status})")
    print(f"    agents       {r.agents:,} {dict(r.agents_by_contract)}, paid hours {r.paid_hours:,.0f}, "
          f"peak on site {_peak_on_site(r, interval_minutes):,} of {SEATS:,} seats, "
          f"peak rostered (off break) {int(r.coverage['rostered'].max()):,}")
    print(f"    coverage     under {r.under_agent_intervals:,} agent-intervals, over {r.over_agent_intervals:,}, "
          f"worst interval {r.worst_interval} SL {r.worst_service_level:.3f}")
    print(f"    hard rules   {r.hard}")
    print(f"    seconds      total {seconds:.1f} = build {t['build']:.1f} + solve {t['solve']:.1f} + "
          f"assign {t['assign']:.1f} + coverage {t['coverage']:.1f}")


def per_interval_fifo(cfg: CentreConfig) -> CentreConfig:
    """The config with every queue judged per interval and FIFO routing (wfm before period targets)."""
    out = cfg.model_copy(deep=True)
    for q in out.queues:
        q.service_level_period = "interval"
    out.staff_groups = []
    return out


def _objectives_text(cfg: CentreConfig) -> str:
    return "; ".join(", ".join(f"{q} {o:g} s" for q, o in (g.objectives or {}).items()) for g in cfg.staff_groups)


def _curves_time() -> None:
    cfg = load_config(CONFIG)
    example = pd.read_csv(EXAMPLE_FORECAST, parse_dates=["timestamp"]) if EXAMPLE_FORECAST.exists() else None
    for label, forecast in (("example week", example), ("bench week", bench_forecast())):
        if forecast is None:
            continue
        st = staff(forecast, cfg)
        t0 = time.perf_counter()
        fixed = calibrate(st, forecast, cfg, replications=0).config  # objectives tuned and fixed, as a plan does
        tuning = time.perf_counter() - t0
        t0 = time.perf_counter()
        req = staffing_requirement(st, fixed)
        curves = service_curves(st, fixed)
        seconds = time.perf_counter() - t0
        target = " (target < 2 s)" if label == "example week" else ""
        print(f"routing objectives tuned, {label}: {tuning:.2f} s ({_objectives_text(fixed)})")
        print(f"requirement and service curves, {label}: {seconds:.2f} s{target}; {len(curves.curves)} queues x "
              f"{curves.curves[0].service_level.shape[0]} intervals x {curves.curves[0].service_level.shape[1]} "
              f"agents, floor {req['scheduled'].sum() * cfg.centre.interval_minutes / 60:,.0f} scheduled agent-hours")


def run() -> None:
    _curves_time()
    cfg = load_config(CONFIG)
    cfg.roster.seats = SEATS  # agents on site (breaks included) never exceed the seats
    ivl = cfg.centre.interval_minutes
    st = staff(bench_forecast(), cfg)
    req = staffing_requirement(st, per_interval_fifo(cfg))
    print(f"roster: {cfg.centre.name}, {SEATS:,} seats, 24x7, {ivl}-minute intervals, "
          f"peak {int(req['agents'].max()):,} agents on the phones ({int(req['scheduled'].max()):,} scheduled), "
          f"{req['scheduled'].sum() * ivl / 60:,.0f} scheduled agent-hours a week")

    t0 = time.perf_counter()
    week = roster(st, cfg, weeks=1, solver="highs", time_limit_s=60, gap=0.01)
    s1 = time.perf_counter() - t0
    _report("1 week, day targets and objective routing (global service-level rows), HiGHS, gap target 1%, "
            "limit 60 s", week, s1, ivl)
    day = week.service[week.service["period"] == "day"].groupby("queue", sort=False)["service_level"]
    print("    service      " + ", ".join(f"{q} {lo:.1%}-{hi:.1%}" for q, (lo, hi) in day.agg(["min", "max"]).iterrows())
          + " per day (targets: " + ", ".join(f"{c.name} {c.service_level:.0%}" for c in cfg.queues) + ")")
    ok1 = week.gap <= 0.01 and s1 < 60
    print(f"    target       within 1% of the bound in under 60 s: {'met' if ok1 else 'NOT met'}")

    flat = per_interval_fifo(cfg)
    t0 = time.perf_counter()
    before = roster(st, flat, weeks=1, solver="highs", time_limit_s=60, gap=0.01)
    _report("1 week, every interval and FIFO (wfm before period targets), HiGHS, gap target 1%", before,
            time.perf_counter() - t0, ivl)
    print(f"    paid hours   {before.paid_hours:,.0f} -> {week.paid_hours:,.0f} with day targets "
          f"({week.paid_hours / before.paid_hours - 1:+.1%})")

    agents = bench_agents(before)
    t0 = time.perf_counter()
    month = roster(st, flat, weeks=4, agents=agents, solver="highs", time_limit_s=240, gap=0.01)
    s4 = time.perf_counter() - t0
    _report(f"4 weeks, {len(agents):,} named agents (with unavailable dates and preferences), HiGHS", month, s4, ivl)
    ok4 = s4 < 300 and month.gap <= 0.01
    print(f"    rows         {len(month.assignments):,} roster rows, {len(month.unused_agents)} agents unused")
    print(f"    target       4 weeks with named agents in under 5 minutes: {'met' if ok4 else 'NOT met'}")
