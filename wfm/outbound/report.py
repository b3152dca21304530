"""A campaign's printout, JSON and per-interval CSV (:class:`wfm.outbound.sizing.Sizing`)."""

from __future__ import annotations

from typing import Any

import numpy as np
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


def render_blend(b) -> str:
    from tabulate import tabulate

    c, w = b.campaign, b.work
    out = [f"Campaign {c.name!r} blended into {b.source}: {c.records:,} records, {c.start} to {c.deadline}, calling "
           f"{c.calling_hours[0]}-{c.calling_hours[1]} on {', '.join(c.calling_days)}", ""]
    out.append(f"per record: {w.attempts:.3f} attempts, reach {w.reach:.1%}, {w.agent_minutes:.3f} agent-minutes; "
               f"work: {b.work_hours:,.1f} calling hours, {b.agent_hours:,.1f} agent-hours with {c.shrinkage:.0%} "
               "shrinkage")
    out.append("")
    rows = [[f"{r.date:%Y-%m-%d %a}", _f(r.idle_agent_hours, ",.2f"), _f(r.overtime_agent_hours, ",.2f"),
             _f(r.extra_agent_hours, ",.2f"), _f(r.records), _f(r.records_done, ",.0f"), f"{r.progress:.0%}"]
            for r in b.days.itertuples()]
    out.append(tabulate(rows, headers=["date", "idle_h", "overtime_h", "extra_shift_h", "records", "done", "progress"],
                        tablefmt="simple", disable_numparse=True))
    out.append("")
    idle_records = float(b.intervals["records"].where(b.intervals["outbound_agents"] > 0, 0.0).mul(
        b.intervals["outbound_idle"].div(b.intervals["outbound_agents"].where(b.intervals["outbound_agents"] > 0, 1.0))
    ).sum())
    out.append(f"idle inbound agents: {b.idle_agent_hours_used:,.2f} agent-hours used of the "
               f"{b.idle_agent_hours_allowed:,.2f} the inbound targets allow ({b.idle_agent_hours_available:,.2f} "
               f"rostered above the interval requirement): {idle_records:,.0f} records")
    if b.extra_agent_hours > 0:
        parts = []
        if len(b.shifts):
            parts.append(f"{int(b.shifts['agents'].sum())} extra shift(s) ("
                         + "; ".join(f"{r.date} {r.shift} {r.start}-{r.end} x{r.agents}"
                                     for r in b.shifts.itertuples()) + ")")
        if len(b.overtime):
            parts.append(f"{int(b.overtime['agents'].sum())} agent(s) staying on after their shift ("
                         + "; ".join(f"{r.date} after {r.after} {r.contract} {r.minutes} min x{r.agents}"
                                     for r in b.overtime.itertuples()) + ")")
        out.append(f"extra hours: {b.extra_agent_hours:,.2f} agent-hours at least cost {b.extra_cost:,.2f}: "
                   + ", ".join(parts) + f" (solver {b.status})")
    else:
        out.append("extra hours: none (the idle agents work every record)")
    if b.exit_code:
        out.append(f"short: {b.short_work_hours:,.1f} calling hours no source can give by {c.deadline}: reach "
                   f"{b.reach_achieved:.1%} of the records (all worked: {w.reach:.1%}) (exit 1)")
    else:
        out.append(f"every record worked by {c.deadline}: expected reach {w.reach:.1%}")
    return "\n".join(out) + "\n"


def blend_to_dict(b) -> dict[str, Any]:
    c, w = b.campaign, b.work
    days = [{"date": f"{r.date}", "agent_hours": r.agent_hours, "idle_agent_hours": r.idle_agent_hours,
             "overtime_agent_hours": r.overtime_agent_hours, "extra_agent_hours": r.extra_agent_hours,
             "records": r.records, "records_done": r.records_done, "progress": r.progress}
            for r in b.days.itertuples()]
    return {
        "campaign": c.name, "records": c.records, "start": f"{c.start}", "deadline": f"{c.deadline}", "run": b.source,
        "required_agent_hours": b.agent_hours, "calling_hours_needed": b.work_hours, "expected_reach": w.reach,
        "expected_attempts": c.records * w.attempts, "idle_agent_hours_used": b.idle_agent_hours_used,
        "idle_agent_hours_allowed": b.idle_agent_hours_allowed, "extra_agent_hours": b.extra_agent_hours,
        "extra_cost": b.extra_cost, "reach_achieved": b.reach_achieved,
        "extra_shifts": [{**r, "date": f"{r['date']}"} for r in b.shifts.to_dict(orient="records")],
        "overtime": [{**r, "date": f"{r['date']}"} for r in b.overtime.to_dict(orient="records")],
        "days": days, "notes": list(b.notes), "exit_code": b.exit_code,
    }


def blend_csv(b) -> str:
    """One row per calling interval (:data:`wfm.outbound.blend.INTERVAL_COLUMNS`)."""
    f = b.intervals.copy()
    f["timestamp"] = f["timestamp"].dt.strftime("%Y-%m-%d %H:%M")
    for col in ("outbound_idle", "outbound_overtime", "outbound_extra", "outbound_agents", "records"):
        f[col] = f[col].round(3)
    return f.to_csv(index=False, lineterminator="\n")


def blend_chart(b) -> bytes:
    """Per calling interval, the inbound requirement and the rostered agents, with the outbound agents from
    idle time and from extra hours stacked on the requirement; the campaign's progress per day below."""
    from wfm.charts import _STYLE, _png, plt

    f = b.intervals
    x = np.arange(len(f))
    with plt.rc_context(_STYLE):
        fig, (ax, bx) = plt.subplots(2, 1, figsize=(11, 6), height_ratios=[3, 1.3])
        ax.step(x, f["inbound_required"], where="post", color="#222222", lw=1.0, label="inbound requirement")
        ax.step(x, f["rostered"], where="post", color="#1f77b4", lw=1.0, label="rostered")
        base = f["rostered"] - f["outbound_idle"]
        ax.bar(x, f["outbound_idle"], bottom=base, width=1.0, align="edge", color="#2ca02c", alpha=0.7,
               label="outbound from idle agents")
        extra = f["outbound_overtime"] + f["outbound_extra"]
        ax.bar(x, extra, bottom=f["rostered"], width=1.0, align="edge", color="#ff7f0e", alpha=0.8,
               label="outbound on extra hours")
        days = f["timestamp"].dt.normalize()
        starts = np.flatnonzero(np.r_[True, days.to_numpy()[1:] != days.to_numpy()[:-1]])
        ax.set_xticks(starts)
        ax.set_xticklabels([f"{days.iloc[i]:%a %d}" for i in starts], fontsize=7)
        ax.set_xlim(0, len(f))
        ax.set_ylabel("agents")
        ax.set_title(f"{b.campaign.name}: calling intervals ({b.interval_minutes} min), "
                     f"{b.campaign.calling_hours[0]}-{b.campaign.calling_hours[1]}")
        ax.legend(loc="upper left", fontsize=7, frameon=False, ncols=4)
        d = b.days
        bx.bar(np.arange(len(d)), d["progress"] * 100, color="#2ca02c")
        bx.set_xticks(np.arange(len(d)))
        bx.set_xticklabels([f"{pd.Timestamp(v):%a %d}" for v in d["date"]], fontsize=7)
        bx.set_ylim(0, 105)
        bx.set_ylabel("% of records")
        bx.set_title("progress by day", fontsize=9)
        fig.tight_layout()
        return _png(fig)
