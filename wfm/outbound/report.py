"""A campaign's printout, JSON and per-interval CSV (:class:`wfm.outbound.sizing.Sizing`)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from wfm.outbound.campaign import implied_connect_rate


def _f(v: float, fmt: str = ",.1f") -> str:
    return format(v, fmt)


def render_sizing(s) -> str:
    from tabulate import tabulate

    c, w = s.campaign, s.work
    days = s.days
    mode = {"preview": "preview (the agent dials: failed attempts cost "
                       f"{c.failed_attempt_minutes:g} min each)",
            "power": f"power (the dialler dials; talk share {w.talk_share:.0%})",
            "predictive": f"predictive (the dialler dials ahead; talk share {w.talk_share:.0%}, abandon cap "
                          f"{c.abandon_cap:.0%})"}[c.dialler]
    out = [f"Campaign {c.name!r}: {c.records:,} records, {c.start} to {c.deadline}, calling "
           f"{c.calling_hours[0]}-{c.calling_hours[1]} on {', '.join(c.calling_days)}; dialler {mode}", ""]
    out.append(
        f"per record: {w.attempts:.3f} attempts, reach {w.reach:.1%} (1 - (1 - {c.connect_rate:g})^{c.max_attempts}), "
        f"{w.failed:.3f} attempts without a conversation"
        + (f" ({w.abandoned:.3f} abandoned by the dialler)" if w.abandoned else "")
        + f", {w.agent_minutes:.3f} agent-minutes ({c.talk_minutes:g} talk + {c.wrap_minutes:g} wrap a conversation)")
    out.append(f"work: {s.work_hours:,.1f} calling hours; {s.agent_hours:,.1f} agent-hours with {c.shrinkage:.0%} "
               f"shrinkage; {c.records * w.attempts:,.0f} attempts, {c.records * w.reach:,.0f} records reached")
    out.append("")
    rows = [[f"{r.date:%Y-%m-%d %a}", _f(r.calling_hours, ".2f"), r.agents, _f(r.agent_hours), _f(r.records),
             _f(r.records_done, ",.0f"), f"{r.progress:.0%}"] for r in days.itertuples()]
    out.append(tabulate(rows, headers=["date", "calling_h", "agents", "agent_hours", "records", "done", "progress"],
                        tablefmt="simple", disable_numparse=True))
    out.append("")
    if s.team is None:
        pace = "evenly" if c.pacing == "even" else "front-loaded (the first day twice the last)"
        out.append(f"to finish by {c.deadline}: {s.agent_hours:,.1f} agent-hours over {len(days)} calling days, "
                   f"{pace}; agents = the day's agent-hours over its calling hours, rounded up")
    else:
        if s.finish is not None and s.finish <= c.deadline:
            out.append(f"a team of {s.team}: done on {s.finish} (deadline {c.deadline}); expected reach "
                       f"{s.reach_by_deadline:.1%}")
        else:
            when = f"would finish on {s.finish}" if s.finish is not None else "would not finish within a year"
            out.append(f"a team of {s.team}: by {c.deadline} it works {s.records_by_deadline:,.0f} of {c.records:,} "
                       f"records, reach {s.reach_by_deadline:.1%} of the records (all worked: {w.reach:.1%}); it "
                       f"{when} (exit 1)")
    hours = (c.calling_window[1] - c.calling_window[0]) / 60.0
    day_h = min(8.0, hours)
    p = implied_connect_rate(200, day_h, c) if c.dialler == "preview" else None
    conv = c.talk_minutes + c.wrap_minutes
    out.append(f"200 calls a caller-day read as attempts: in {day_h:g} h less {c.shrinkage:.0%} shrinkage "
               f"({day_h * 60 * (1 - c.shrinkage):,.0f} min), "
               + (f"they fit at a connect rate of {p:.1%}" if p is not None else "no connect rate fits")
               + f"; 200 conversations would need {200 * conv:,.0f} min")
    return "\n".join(out) + "\n"


def sizing_to_dict(s) -> dict[str, Any]:
    c, w = s.campaign, s.work
    days = [{"date": f"{r.date}", "calling_hours": r.calling_hours, "agents": int(r.agents),
             "agent_hours": r.agent_hours, "records": r.records, "records_done": r.records_done,
             "progress": r.progress} for r in s.days.itertuples()]
    return {
        "campaign": c.name, "records": c.records, "start": f"{c.start}", "deadline": f"{c.deadline}",
        "dialler": c.dialler, "required_agent_hours": s.agent_hours, "calling_hours_needed": s.work_hours,
        "expected_reach": w.reach, "expected_attempts": c.records * w.attempts,
        "attempts_per_record": w.attempts, "agent_minutes_per_record": w.agent_minutes, "talk_share": w.talk_share,
        "team": s.team, "finish": None if s.finish is None else f"{s.finish}", "reach_by_deadline": s.reach_by_deadline,
        "days": days, "exit_code": s.exit_code,
    }


def sizing_csv(s) -> str:
    """One row per calling interval: ``timestamp, outbound_agents, records``."""
    frame = pd.DataFrame({"timestamp": s.slots["timestamp"].dt.strftime("%Y-%m-%d %H:%M"),
                          "outbound_agents": s.slots["agents"].round(3), "records": s.slots["records"].round(3)})
    return frame.to_csv(index=False, lineterminator="\n")
