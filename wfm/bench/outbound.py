"""`make bench` figures for `wfm outbound --run`: a 4-week campaign blended into the 1,300-seat bench week's
roster (target under 30 s for the blend).

The week is the roster bench's (:mod:`wfm.bench.roster`): the bundled example config with ``[roster] seats =
1300``, a seeded 24x7 forecast peaking near 1,000 scheduled agents, day targets and objective routing, one
week rostered by HiGHS (timed apart: it is the roster's bench). The campaign calls 450,000 records over four
weeks (a standing weekly roster), Monday to Saturday 08:00-21:00, three attempts at a 40% connect rate: the
blend takes every idle agent the day targets allow, then buys the rest (overtime, extra shifts) within the seats.
"""

from __future__ import annotations

import datetime as dt
import time

TARGET_S = 30.0


def run() -> None:
    from wfm.bench.roster import CONFIG, SEATS, START, bench_forecast
    from wfm.config import load_config
    from wfm.outbound.blend import blend, week_of
    from wfm.outbound.campaign import Campaign
    from wfm.roster import roster
    from wfm.staffing import staff

    cfg = load_config(CONFIG)
    cfg.roster.seats = SEATS
    st = staff(bench_forecast(), cfg)
    t0 = time.perf_counter()
    r = roster(st, cfg, weeks=1, solver="highs", time_limit_s=60, gap=0.01)
    t1 = time.perf_counter()
    cov = r.coverage
    week = week_of(cfg, st, cov, r.assignments.astype({"date": str}), None, "the bench week")
    print(f"roster: 1 week, {SEATS:,} seats, {r.agents:,} agents, peak rostered {int(cov['rostered'].max()):,}, "
          f"{float((week.rostered - week.floor).clip(min=0).sum()) * 0.25:,.0f} agent-hours above the interval "
          f"floors ({t1 - t0:.1f} s, timed apart)")
    campaign = Campaign(name="retention offers", records=450_000, max_attempts=3, connect_rate=0.4, talk_minutes=3.0,
                        wrap_minutes=1.0, failed_attempt_minutes=0.5, calling_hours=("08:00", "21:00"),
                        calling_days=["mon", "tue", "wed", "thu", "fri", "sat"], start=START,
                        deadline=START + dt.timedelta(days=27), shrinkage=0.15)
    t2 = time.perf_counter()
    b = blend(cfg, campaign, week)
    t3 = time.perf_counter()
    print(f"blend: {campaign.records:,} records over 4 weeks ({len(b.intervals):,} calling intervals), "
          f"{b.agent_hours:,.0f} agent-hours: {t3 - t2:.1f} s (target under {TARGET_S:.0f} s: "
          f"{'met' if t3 - t2 < TARGET_S else 'MISSED'})")
    print(f"  idle agents {b.idle_agent_hours_used:,.0f} agent-hours (the day targets allow "
          f"{b.idle_agent_hours_allowed:,.0f}); extra {b.extra_agent_hours:,.0f} agent-hours at cost "
          f"{b.extra_cost:,.0f} ({int(b.shifts['agents'].sum()) if len(b.shifts) else 0} extra shifts, "
          f"{int(b.overtime['agents'].sum()) if len(b.overtime) else 0} overtime stays; solver {b.status}); "
          f"records worked {b.records_worked:,.0f}, exit {b.exit_code}")
