"""What a person reads: summary.md of a run folder, the headline table ``wfm plan`` prints, and the stage
progress lines it shows at a terminal."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pandas as pd

from wfm.plan.pipeline import PlanResult
from wfm.plan.proof import periods, span
from wfm.staffing import targets_by_queue


def summary_markdown(result: PlanResult) -> str:
    """The run's summary.md: headline figures, breaches, models, files and the charts."""
    h = result.headline
    cfg = result.config
    end = result.start + dt.timedelta(days=7 * result.weeks - 1)
    lines = [
        f"# Plan {result.start.isoformat()} .. {end.isoformat()} — {cfg.centre.name}",
        "",
        "**All targets met.**" if result.ok else "**Targets breached:**",
    ]
    lines += [f"- {b.target}: {b.message}" for b in result.breaches]
    lines += [
        "",
        "## Headline",
        "",
        "| figure | value |",
        "|---|---|",
        f"| calls forecast | {h['calls']:,.0f} |",
        f"| peak agents on the phones (required) | {h['peak_agents']} |",
        f"| peak agents to schedule (required) | {h['peak_required']} |",
        f"| agents rostered | {h['rostered_agents']} |",
        f"| paid hours | {h['paid_hours']:,.1f}{_holiday_text(h)} |",
        f"| coverage | {_pct(h['coverage'])} ({h['intervals_short']} of {h['intervals']} intervals short) |",
        f"| service level (target) | {_pct(h['service_level'])} ({_pct(h['service_level_target'])}) |",
        f"| worst interval | {h['worst_interval']} ({_pct(h['worst_service_level'])}) |",
        f"| front line : back office (target) | {h['ratio']} ({h['ratio_target']}, {h['ratio_status']}) |",
        f"| solver | {result.settings['solver']}: {h['solver_status']}, gap {_pct(h['gap'], 2)} |",
        "",
        "## Forecast models",
        "",
        "| queue | model | backtest WAPE |",
        "|---|---|---|",
    ]
    for q, m in result.models().items():
        lines.append(f"| {q} | {m['model']} | {_pct(m['backtest_wape'])} |")
    lines += _service_section(result)
    lines += ["", "## Queue targets", "", "| queue | sized to |", "|---|---|"]
    lines += [f"| {q} | {text} |" for q, text in targets_by_queue(result.staffing, cfg).items()]
    lines += _worst_section(result)
    lines += _paid_hours_section(result)
    lines += _outbound_section(result)
    lines += [
        "",
        "## Charts",
        "",
        "![Forecast against the last weeks' actuals](forecast.png)",
        "",
        "![Required against scheduled agents per interval](staffing.png)",
        "",
        "![Over and under staffing by day and interval](coverage_heatmap.png)",
        "",
        "## Files",
        "",
        "- [forecast.csv](forecast.csv): volume and AHT per interval and queue, with p10/p90",
        "- [staffing.csv](staffing.csv): agents required per interval and queue (Erlang)",
        "- [roster.csv](roster.csv): one row per agent and working day",
        "- [coverage.csv](coverage.csv): required scheduled against rostered (on shift, off break) per interval",
        "- [service.csv](service.csv): each queue's service per day (and week): Erlang, simulated, target",
        "- [ratio.json](ratio.json): front line : back office check",
        "- [plan.xlsx](plan.xlsx): the plan as a workbook: Summary, Roster (one row per agent, one column per "
        "day), Intraday, Staffing, Ratio",
        "- [report.html](report.html): this page with its charts, self-contained",
        "- [agents/](agents/): each agent's shifts as a calendar to import (`<agent_id>.ics`, iCalendar)",
        "- [manifest.json](manifest.json): inputs and their sha256, settings, models, solver, timings",
    ]
    if result.outbound is not None:
        lines.append("- [outbound.csv](outbound.csv): the campaign per calling interval: inbound requirement, "
                     "rostered, outbound agents (idle, overtime, extra shifts), records")
    lines.append("")
    if result.notes:
        lines += ["## Notes", ""] + [f"- {n}" for n in result.notes] + [""]
    return "\n".join(lines)


WORST = 10  # intervals in the "Worst intervals" table


def worst_intervals(coverage: Any, n: int = WORST) -> Any:
    """The ``n`` staffed intervals with the lowest service level (then the most agents short, then the
    earliest): coverage.csv's rows where agents are required."""
    c = coverage.loc[coverage["required_scheduled"] > 0]
    c = c.assign(interval=pd.to_datetime(c["timestamp"]).dt.strftime("%Y-%m-%d %H:%M"))
    return c.sort_values(["service_level", "under", "interval"], ascending=[True, False, True],
                         kind="stable").head(n)


def _worst_section(result: PlanResult) -> list[str]:
    worst = worst_intervals(result.coverage)
    if worst.empty:
        return []
    lines = ["", "## Worst intervals", "",
             f"The {len(worst)} staffed intervals with the lowest service level (Erlang, all queues pooled, for the "
             "agents rostered):", "",
             "| interval | required (scheduled) | rostered | over / under | service level |", "|---|---:|---:|---:|---:|"]
    for r in worst.itertuples():
        diff = int(r.rostered) - int(r.required_scheduled)
        lines.append(f"| {r.interval} | {int(r.required_scheduled)} | {int(r.rostered)} | {diff:+d} | "
                     f"{_pct(float(r.service_level))} |")
    return lines


def _paid_hours_section(result: PlanResult) -> list[str]:
    """Where the paid hours go: the parts (adding up to the paid hours to the cent), the hours of the day with
    the most over-coverage, the over-coverage by shift template, and the waterfall."""
    e = result.explained
    if e is None:
        return []
    lines = ["", "## Where the paid hours go", "",
             f"In agent-hours over the plan; the parts add up to the {e.paid_shown:,.2f} paid hours.", "",
             "| part | hours | share | meaning |", "|---|---:|---:|---|"]
    lines += [f"| {' | '.join(row)} |" for row in e.table_rows()]
    if hours := e.hour_rows():
        lines += ["", "Over-coverage by hour of day, the hours with the most (over the requirement: the week's, "
                  "and the lowest and highest day's):", "",
                  "| hours | over (h) | over the requirement | by day |", "|---|---:|---:|---|"]
        lines += [f"| {' | '.join(row)} |" for row in hours]
    if shifts := e.shift_rows():
        lines += ["", "Over-coverage by shift (each interval's shared among the agents on the phones):", "",
                  "| shift | shifts | on the phones (h) | over (h) | of its hours | contract minimums |",
                  "|---|---:|---:|---:|---:|---|"]
        lines += [f"| {' | '.join(row)} |" for row in shifts]
    return lines + ["", "![Where the paid hours go](paid-hours.png)"]


def _service_section(result: PlanResult) -> list[str]:
    """Each queue's service over the plan: Erlang (what the plan was made with) and simulated (95% interval)."""
    proof = result.proof
    if proof is None or proof.simulation is None:
        return []
    lines = ["", f"## Service, proved by simulation ({proof.simulation.settings['replications']} replications)",
             "", "| queue | judged per | target | Erlang | simulated (95% CI) | intervals meeting target |",
             "|---|---|---|---|---|---|"]
    for name, s in proof.summary().items():
        lo, hi = s["simulated_ci"]
        lines.append(f"| {name} | {s['judged']} | {_pct(s['target'])} | {_pct(s['erlang_service_level'])} | "
                     f"{_pct(s['simulated_service_level'])} ({_pct(lo)}-{_pct(hi)}) | {_pct(s['intervals_meeting'])} |")
    days = proof.service[proof.service["period"] == "day"]
    lines += ["", "| date | " + " | ".join(f"{q} Erlang / simulated" for q in days["queue"].unique()) + " |",
              "|---|" + "---|" * days["queue"].nunique()]
    for date, g in days.groupby("start", sort=True):
        cells = [f"{_pct(r.service_level)} / {_pct(r.simulated_service_level)}" for r in g.itertuples()]
        lines.append(f"| {date} | " + " | ".join(cells) + " |")
    return lines + _routing_lines(result)


def _routing_lines(result: PlanResult) -> list[str]:
    """The objectives to set in the ACD and the margins the routing model needed (:mod:`wfm.plan.calibrate`)."""
    cal = result.calibration
    if cal is None or not (cal.objectives or cal.margins):
        return []
    lines = [""]
    for group, objectives in cal.objectives.items():
        text = ", ".join(f"{q} {o:g} s" for q, o in objectives.items())
        lines.append(f"Routing objectives for staff group {group} (set them in the ACD): {text}.")
    for name, f in cal.figures.items():
        lines.append(f"- {name}: on the week's staffing the routing model gives {_pct(f['week']['model'])} and "
                     f"the simulator {_pct(f['week']['simulated'])}" + _margin_text(cal.margins.get(name, {})))
    return lines


def _margin_text(by_date: dict[str, float]) -> str:
    """"; the roster meets its target plus 0.5 to 2.0 points on 7 days": the margins (service-level points by
    date) the roster was held to above a queue's target; the days named when there are up to three."""
    if not by_date:
        return ""
    lo, hi = (f"{100 * v:.1f}" for v in (min(by_date.values()), max(by_date.values())))
    return f"; the roster meets its target plus {span(lo, hi, ' to ')} points on {periods(sorted(by_date), 'day')}"


def headline_table(result: PlanResult, folder: str | os.PathLike[str] | None = None) -> list[list[str]]:
    """Rows ``[figure, value]`` of the headline figures, as ``wfm plan`` prints them."""
    h = result.headline
    end = result.start + dt.timedelta(days=7 * result.weeks - 1)
    models = ", ".join(
        f"{q} {m['model']}" + (f" ({m['backtest_wape']:.1%})" if m["backtest_wape"] is not None else "")
        for q, m in result.models().items()
    )
    rows = [["run folder", str(folder)]] if folder is not None else []
    rows += [
        ["plan", f"{result.start} .. {end} ({result.weeks} week{'s' if result.weeks > 1 else ''})"],
        ["models (WAPE)", models],
        ["calls forecast", f"{h['calls']:,.0f}"],
        ["peak agents", f"{h['peak_agents']} on the phones, {h['peak_required']} scheduled"],
        ["agents rostered", f"{h['rostered_agents']} ({h['paid_hours']:,.0f} paid hours{_holiday_text(h, 0)})"],
        ["coverage", f"{_pct(h['coverage'])} ({h['intervals_short']} of {h['intervals']} intervals short)"],
        ["service level", f"{_pct(h['service_level'])} (target {_pct(h['service_level_target'])})"],
        *_simulated_rows(result),
        ["ratio", f"{h['ratio']} (target {h['ratio_target']}, {h['ratio_status']})"],
        ["solver", f"{result.settings['solver']} {h['solver_status']}, gap {_pct(h['gap'], 2)}"],
        ["targets", "all met" if result.ok else "breached: " + ", ".join(b.target for b in result.breaches)],
    ]
    return rows


def _simulated_rows(result: PlanResult) -> list[list[str]]:
    if result.proof is None or result.proof.simulation is None:
        return []
    return [[f"simulated {name}", f"{_pct(s['simulated_service_level'])} (target {_pct(s['target'])}, per "
             f"{s['judged']}; Erlang {_pct(s['erlang_service_level'])})"]
            for name, s in result.proof.summary().items()]


def _pct(v: float | None, digits: int = 1) -> str:
    return "n/a" if v is None else f"{v:.{digits}%}"


class StageProgress:
    """``progress(stage, message)`` for a person at a terminal: one line per stage; solver updates overwrite
    one line."""

    def __init__(self, stream: Any):
        self.stream = stream
        self.open_line = False

    def __call__(self, stage: str, message: str) -> None:
        if stage == "solve":
            self.stream.write(f"\r  solve     {message}\x1b[K")
            self.open_line = True
        else:
            self.done()
            self.stream.write(f"  {stage:<9} {message}\n")
        self.stream.flush()

    def done(self) -> None:
        if self.open_line:
            self.stream.write("\n")
            self.open_line = False


def _holiday_text(h: dict, digits: int = 1) -> str:
    """``, 208.0 of them paid holidays (centre closed)`` when the roster pays holidays, else nothing."""
    hours = h.get("paid_holiday_hours") or 0.0
    return f", {hours:,.{digits}f} of them paid holidays (centre closed)" if hours else ""


def _outbound_section(result: PlanResult) -> list[str]:
    """The campaign blended into the week: where its hours came from and its progress per day."""
    b = result.outbound
    if b is None:
        return []
    c = b.campaign
    lines = ["", f"## Outbound campaign: {c.name}", "",
             f"{c.records:,} records from {c.start} to {c.deadline}, calling {c.calling_hours[0]}-{c.calling_hours[1]}: "
             f"{b.agent_hours:,.1f} agent-hours. Idle inbound agents gave {b.idle_agent_hours_used:,.1f} (the inbound "
             f"targets allow {b.idle_agent_hours_allowed:,.1f}); extra hours {b.extra_agent_hours:,.1f} at cost "
             f"{b.extra_cost:,.2f}. "
             + (f"Every record worked by the deadline (expected reach {_pct(b.work.reach)})." if not b.exit_code else
                f"Short by {b.short_work_hours:,.1f} calling hours: reach {_pct(b.reach_achieved)} of the records."),
             "", "| date | idle (h) | overtime (h) | extra shifts (h) | records | done |", "|---|---:|---:|---:|---:|---:|"]
    lines += [f"| {r.date} | {r.idle_agent_hours:,.2f} | {r.overtime_agent_hours:,.2f} | {r.extra_agent_hours:,.2f} | "
              f"{r.records:,.0f} | {_pct(r.progress)} |" for r in b.days.itertuples()]
    return lines + ["", "![The campaign in the week](outbound.png)"]

