"""What `wfm roster` prints: the progress line, the summary table and the messages for a shortfall or a
broken hard rule. Presentation only; the figures come from :class:`wfm.roster.domain.Roster`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from wfm.roster.domain import Roster
from wfm.roster.explain import PaidHours


def progress_printer(stream: Any) -> Callable[[dict[str, Any]], None]:
    """A progress callback (:func:`wfm.milp.solve_highs`'s reports) that redraws one line on ``stream``: the
    stage being solved when the report names one (``stage``, from :func:`wfm.milp.stage`; else "solving"),
    incumbent, bound, gap, seconds. A line shorter than one before it is padded to cover it."""
    widest = [0]

    def show(p: dict[str, Any]) -> None:
        inc = p.get("incumbent", math.inf)
        bnd = p.get("bound", -math.inf)
        inc_s = f"{inc:,.1f}" if math.isfinite(inc) and abs(inc) < 1e20 else "-"
        bnd_s = f"{bnd:,.1f}" if math.isfinite(bnd) and abs(bnd) < 1e20 else "-"
        g = p.get("gap", math.inf)
        gap_s = f"{100 * g:.2f}%" if math.isfinite(g) and g < 1e6 else "-"
        what = p.get("stage") or "solving"
        line = f"{what}: best {inc_s}  bound {bnd_s}  gap {gap_s}  {p.get('seconds', 0):.0f} s   "
        widest[0] = max(widest[0], len(line))
        stream.write("\r" + line.ljust(widest[0]))
        stream.flush()

    return show


def summary_table(r: Roster) -> list[list[str]]:
    """Rows of the `wfm roster` summary table."""
    rows = [
        ["solver", f"{r.solver} ({r.status})"],
        ["weeks", f"{r.weeks} from {r.start.isoformat()}"],
        ["objective", f"{r.objective:,.2f}"],
        ["lower_bound", f"{r.lower_bound:,.2f}"],
        ["gap", f"{100 * r.gap:.2f}%"],
        ["paid_hours", f"{r.paid_hours:,.1f}"],
        *([["paid_holiday_hours", f"{r.paid_holiday_hours:,.1f} (holidays the centre is closed, paid)"]]
          if r.paid_holiday_hours else []),
        ["cost", f"{r.cost:,.2f}"],
        ["agents", str(r.agents)],
    ]
    rows += [[f"agents: {name}", str(n)] for name, n in r.agents_by_contract.items()]
    rows += [
        ["under_agent_intervals", str(r.under_agent_intervals)],
        ["over_agent_intervals", str(r.over_agent_intervals)],
        ["worst_interval", "-" if r.worst_interval is None else f"{r.worst_interval} (SL {r.worst_service_level:.3f})"],
    ]
    judged = r.service[r.service["judged"] != "interval"] if not r.service.empty else r.service
    for row in judged[judged["period"] == judged["judged"]].groupby("queue", sort=False):
        name, g = row
        rows.append([f"service: {name}", _period_line(g)])
    if r.unused_agents:
        rows.append(["unused_agents", str(len(r.unused_agents))])
    broken = {k: v for k, v in r.hard.items() if v}
    if broken:
        rows.append(["hard_violations", ", ".join(f"{k} {v}" for k, v in broken.items())])
    rows.append(["solve_seconds", f"{r.solve_seconds:.1f}"])
    return rows


def violations_message(r: Roster) -> str:
    """A sentence naming the hard rules the named assignment had to break ('' when none)."""
    labels = {
        "unavailable": "shift(s) on an agent's unavailable date",
        "min_rest_between_weeks": "week change(s) with less than the minimum rest",
        "cover_strict_violations": "agent-interval(s) short under --strict",
    }
    parts = [f"{n} {labels.get(k, k)}" for k, n in r.hard.items() if n]
    return ("hard rules broken: " + ", ".join(parts)) if parts else ""


def uncovered_message(r: Roster, limit: int = 20) -> str:
    """One paragraph listing the intervals left short of agents (first ``limit`` in time order)."""
    u = r.uncovered.sort_values("timestamp")
    items = [f"{t:%Y-%m-%d %H:%M} ({n} short)" for t, n in zip(u["timestamp"], u["under"], strict=True)]
    more = f" and {len(items) - limit} more" if len(items) > limit else ""
    return (
        f"demand not met: {len(items)} interval(s) under-covered by {r.under_agent_intervals} agent-intervals: "
        + ", ".join(items[:limit]) + more
    )


def _period_line(g: Any) -> str:
    """One queue's period figures: its lowest and highest service level against its target, days met."""
    lo, hi = g["service_level"].min(), g["service_level"].max()
    unit = g["period"].iloc[0]
    return (f"{lo:.1%}-{hi:.1%} per {unit} (target {g['target'].iloc[0]:.0%}), "
            f"{int(g['met'].astype(bool).sum())} of {len(g)} {unit}s met")


def short_periods_message(r: Roster) -> str:
    """A sentence naming the days/weeks and queues whose period target the plan misses ('' when none)."""
    s = r.short_periods
    if s.empty:
        return ""
    items = [f"{q.queue} {q.period} of {q.start} ({q.service_level:.1%} < {q.target:.0%})" for q in s.itertuples()]
    return "period targets missed: " + ", ".join(items)


def explain_text(explained: PaidHours, top: int = 5) -> str:
    """Where the paid hours go, as `wfm roster --explain` prints it: the parts (adding up to the paid hours to
    the cent), the ``top`` hours of the day by over-coverage and the over-coverage by shift template."""
    from tabulate import tabulate

    def table(rows: list[list[str]], headers: list[str]) -> str:
        return tabulate(rows, headers=headers, tablefmt="plain", disable_numparse=True,
                        colalign=("left",) + ("right",) * (len(headers) - 2) + ("left",))

    blocks = [table(explained.table_rows(), ["where the paid hours go", "hours", "share", "meaning"])]
    if hours := explained.hour_rows(top):
        blocks.append(table(hours, ["over-coverage by hour of day", "over (h)", "over the requirement", "by day"]))
    if shifts := explained.shift_rows():
        blocks.append(table(shifts, ["over-coverage by shift", "shifts", "on the phones (h)", "over (h)",
                                     "of its hours", "contract minimums"]))
    return "\n\n".join(blocks)
