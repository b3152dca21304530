"""The files a planner and the agents open, made from a plan's result: plan.xlsx, report.html and
agents/<agent_id>.ics (:mod:`wfm.report`), and the targets the plan was checked against."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd

from wfm.plan.pipeline import PlanResult
from wfm.plan.summary import headline_table
from wfm.report import Target, WorkbookParts, agent_calendars, report_html, workbook_bytes

# every target `wfm plan` checks (wfm.plan.pipeline.assess and the campaign), in the order the Summary shows them
CHECKED = ("service_level", "coverage", "service_period", "ratio")


def targets(result: PlanResult) -> list[Target]:
    """Each target checked: breached with the breach's message, or met with the figure that meets it."""
    h = result.headline
    breached = {b.target: b.message for b in result.breaches}
    met = {
        "service_level": f"service level {h['service_level']:.1%} for the plan, target {h['service_level_target']:.1%}"
        if h.get("service_level") is not None and h.get("service_level_target") is not None
        else "no queue judged on the plan's service level",
        "coverage": f"{h['intervals_short']} of {h['intervals']} intervals short of the requirement",
        "service_period": "no queue short of a day or week service target",
        "ratio": f"front line : back office {h['ratio']} (target {h['ratio_target']}, {h['ratio_status']})",
    }
    names = list(CHECKED) + (["outbound"] if result.outbound is not None else [])
    names += [b.target for b in result.breaches if b.target not in names]
    out = []
    for name in names:
        if name in breached:
            out.append(Target(name, False, breached[name]))
        else:
            text = met.get(name)
            if text is None and name == "outbound":
                text = f"campaign worked by {result.outbound.campaign.deadline}"
            out.append(Target(name, True, text or "met"))
    return out


def planner_files(result: PlanResult, files: dict[str, bytes]) -> dict[str, bytes]:
    """plan.xlsx, report.html and one calendar per rostered agent, from ``files`` (roster.csv, summary.md and
    the charts, as :func:`wfm.plan.run.run_files` made them) and ``result``."""
    cfg = result.config
    end = result.start + dt.timedelta(days=7 * result.weeks - 1)
    title = f"Plan {result.start.isoformat()} .. {end.isoformat()} - {cfg.centre.name}"
    # roster.csv as written, every field its text: the Roster sheet and the calendars cannot differ from the file
    roster = pd.read_csv(io.BytesIO(files["roster.csv"]), dtype=str, keep_default_na=False)
    parts = WorkbookParts(
        title=title, start=result.start, days=7 * result.weeks, headline=headline_table(result),
        targets=targets(result), roster=roster, coverage=result.coverage, forecast=result.forecast.forecast,
        staffing=result.staffing, ratio=result.ratio.to_dict(),
    )
    out = {"plan.xlsx": workbook_bytes(parts)}
    images = {name: data for name, data in files.items() if name.endswith(".png")}
    out["report.html"] = report_html(files["summary.md"].decode(), images, title)
    out.update(agent_calendars(roster, cfg.centre.timezone, cfg.centre.name, result.start))
    return out

