"""Presentation of what-if results: the text report (:func:`render`), the JSON document (:func:`result_to_dict`),
the side-by-side comparison, every interval in long format and the sweep table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from tabulate import tabulate

from wfm.io import json_number
from wfm.whatif.impact import Impact
from wfm.whatif.levers import LABELS
from wfm.whatif.recovery import Recovery
from wfm.whatif.scenario import LEVER_NAMES

if TYPE_CHECKING:
    from wfm.whatif.run import ScenarioResult, WhatIfResult


# =========================================================================== tables and the JSON document
def _label(result: WhatIfResult, name: str, sweep: dict[str, float] | None) -> str:
    return name if not sweep else f"{name} {result.sweep_key}={sweep[result.sweep_key]:g}"


def comparison(result: WhatIfResult) -> pd.DataFrame:
    """The side-by-side frame: baseline, then each scenario before and after recovery."""
    rows = [_row("baseline", "", result.baseline.before, None)]
    for s in result.scenarios:
        rows.append(_row(_label(result, s.name, s.sweep), "as published", s.before, None))
        rows.append(_row(_label(result, s.name, s.sweep), "after recovery", s.after, s.recovery))
    return pd.DataFrame(rows)


def intervals_table(result: WhatIfResult) -> pd.DataFrame:
    """Every interval of the baseline and of each scenario before and after recovery (long format):
    ``scenario, phase, timestamp, volume, required_scheduled, rostered, service_level, asa, abandoned, short`` plus
    the agents each lever puts on the phones (after recovery; 0 elsewhere)."""
    levers = [k for k in LEVER_NAMES if any(k in s.recovery.usage.columns for s in result.scenarios)]
    parts = []
    for res in [result.baseline, *result.scenarios]:
        baseline = res is result.baseline
        phases = [("as published", res.before, None)]
        if not baseline:
            phases.append(("after recovery", res.after, res.recovery.usage))
        for phase, imp, usage in phases:
            frame = imp.intervals.copy()
            frame.insert(0, "phase", "" if baseline else phase)
            frame.insert(0, "scenario", "baseline" if baseline else _label(result, res.name, res.sweep))
            for k in levers:
                frame[k] = usage[k].to_numpy() if usage is not None and k in usage.columns else 0.0
            parts.append(frame)
    return pd.concat(parts, ignore_index=True)


def sweep_table(result: WhatIfResult) -> pd.DataFrame:
    """One row per scenario and sweep value: service level before and after, abandoned, short, cost."""
    key = result.sweep_key
    rows = []
    for s in result.scenarios:
        rows.append(
            {
                "scenario": s.name,
                key or "value": s.sweep[key] if s.sweep else float("nan"),
                "service_level_before": s.before.service_level,
                "service_level_after": s.after.service_level,
                "abandoned_before": s.before.abandoned,
                "short_after": s.after.short_intervals,
                "cost": s.recovery.cost,
            }
        )
    return pd.DataFrame(rows)


def result_to_dict(result: WhatIfResult) -> dict[str, Any]:
    detail = result.sweep_key is None
    return {
        "plan": {"start": result.plan_start, "end": result.plan_end},
        "baseline": result.baseline.to_dict(detail),
        "scenarios": [s.to_dict(detail) for s in result.scenarios],
        "sweep": result.sweep_key,
        "breached": result.breached,
        "notes": result.notes,
    }


def scenario_to_dict(s: ScenarioResult, detail: bool = True) -> dict[str, Any]:
    rec = s.recovery
    out: dict[str, Any] = {
        "name": s.name,
        "before": s.before.summary(),
        "after": s.after.summary(),
        "recovery": _recovery_dict(rec),
        "breached": s.breached,
    }
    if s.sweep:
        out["sweep"] = s.sweep
    if detail:
        out["days"] = _day_records(s)
        out["weeks"] = _frame_records(weeks(s))
        out["queues"] = _frame_records(queues(s))
        if s.before.by_queue is not None:
            both = s.before.by_queue.merge(s.after.by_queue, on=["date", "queue", "calls"],
                                           suffixes=("_before", "_after"))
            out["days_by_queue"] = _frame_records(both)
        out["recovery"]["hours"] = _frame_records(rec.hours)
        out["still_short"] = [
            f"{t:%Y-%m-%d %H:%M}" for t in s.after.intervals.loc[s.after.intervals["short"], "timestamp"]
        ]
    if s.ratio is not None:
        out["ratio"] = s.ratio.to_dict()
    return out


def _recovery_dict(rec: Recovery) -> dict[str, Any]:
    return {
        "status": rec.status,
        "levers": rec.levers,
        "cost": round(rec.cost, 2),
        "cost_by_lever": {k: round(v, 2) for k, v in rec.cost_by_lever.items()},
        "hours_by_lever": {k: round(v, 2) for k, v in rec.hours_by_lever.items()},
        "back_office_peak": rec.back_office_peak,
        "rest_days_cancelled": rec.rest_days_cancelled,
        "reoptimised": rec.reoptimised,
        # by name: the rows of recovery.csv, and per lever the hours bought that nobody could work (left out)
        "named_rows": len(rec.named.recovery) if rec.named is not None else 0,
        "unnamed_hours": {k: round(v, 2) for k, v in (rec.named.dropped if rec.named is not None else {}).items()},
        "notes": rec.notes,
    }


def _row(name: str, phase: str, imp: Impact, rec: Recovery | None) -> dict[str, Any]:
    return {
        "scenario": name,
        "phase": phase,
        "calls": imp.calls,
        "service_level": imp.service_level,
        "asa": imp.asa,
        "abandoned": imp.abandoned,
        "worst_interval": imp.worst_interval,
        "worst_service_level": imp.worst_service_level,
        "short_intervals": imp.short_intervals,
        "extra_hours": sum(rec.hours_by_lever.values()) if rec else 0.0,
        "cost": rec.cost if rec else 0.0,
    }



def _frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    recs = []
    for r in frame.to_dict(orient="records"):
        recs.append({k: (round(v, 4) if isinstance(v, float) else (int(v) if isinstance(v, np.integer) else v))
                     for k, v in r.items()})
    return recs


def _day_records(s: ScenarioResult) -> list[dict[str, Any]]:
    b, a = s.before.days, s.after.days
    out = []
    for i in range(len(b)):
        out.append(
            {
                "date": b["date"].iloc[i],
                "calls": round(float(b["calls"].iloc[i]), 1),
                "service_level_before": round(float(b["service_level"].iloc[i]), 4),
                "service_level_after": round(float(a["service_level"].iloc[i]), 4),
                "asa_before": json_number(float(b["asa"].iloc[i]), 1),
                "asa_after": json_number(float(a["asa"].iloc[i]), 1),
                "abandoned_before": json_number(float(b["abandoned"].iloc[i]), 1),
                "abandoned_after": json_number(float(a["abandoned"].iloc[i]), 1),
                "worst_interval_before": b["worst_interval"].iloc[i],
                "worst_service_level_before": round(float(b["worst_service_level"].iloc[i]), 4),
                "worst_interval_after": a["worst_interval"].iloc[i],
                "worst_service_level_after": round(float(a["worst_service_level"].iloc[i]), 4),
                "short_before": int(b["short_intervals"].iloc[i]),
                "short_after": int(a["short_intervals"].iloc[i]),
            }
        )
    return out


def _pct(v: float) -> str:
    return f"{100 * v:.1f}%"


def _calls(v: float) -> str:
    """Calls as ``1,234``; ``n/a`` when unknown (abandoned calls with no queue's patience known)."""
    return "n/a" if np.isnan(v) else f"{v:,.0f}"


def _sec(v: float) -> str:
    return "inf" if not np.isfinite(v) else f"{v:.0f}s"


def render(result: WhatIfResult) -> str:
    """The text report: side-by-side table, then per scenario the days, the levers and the ratio."""
    if result.sweep_key:
        return render_sweep(result)
    out = [f"What-if, plan {result.plan_start} to {result.plan_end}", ""]
    rows = []
    for r in result.comparison().to_dict(orient="records"):
        rows.append(
            [
                r["scenario"], r["phase"], f"{r['calls']:,.0f}", _pct(r["service_level"]), _sec(r["asa"]),
                _calls(r["abandoned"]), f"{r['worst_interval']} {_pct(r['worst_service_level'])}",
                r["short_intervals"], f"{r['extra_hours']:,.1f}", f"{r['cost']:,.1f}",
            ]
        )
    headers = ["scenario", "phase", "calls", "service_level", "asa", "abandoned", "worst_interval",
               "short", "extra_hours", "cost"]
    out.append(tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True))
    for s in result.scenarios:
        out += ["", *render_scenario(s)]
    return "\n".join(out)


def render_scenario(s: ScenarioResult) -> list[str]:
    rec = s.recovery
    lines = [f"== {s.name}: recovery {rec.status}, cost {rec.cost:,.1f}"]
    levers = [k for k in rec.levers if k in rec.hours.columns]
    rows = []
    b, a = s.before.days, s.after.days
    for i in range(len(b)):
        row = [
            b["date"].iloc[i], f"{b['calls'].iloc[i]:,.0f}", _pct(b["service_level"].iloc[i]),
            _pct(a["service_level"].iloc[i]), _calls(b["abandoned"].iloc[i]), _calls(a["abandoned"].iloc[i]),
            f"{b['short_intervals'].iloc[i]} -> {a['short_intervals'].iloc[i]}",
        ]
        row += [f"{rec.hours[k].iloc[i]:,.1f}" for k in levers]
        rows.append(row)
    headers = ["date", "calls", "sl_before", "sl_after", "abandoned_before", "abandoned_after", "short"]
    headers += [f"{LABELS[k].replace(' ', '_')}_h" for k in levers]
    lines.append(tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True))
    if len(b) > 7:
        lines += ["", *_weeks_table(s, levers)]
    if by_queue := _queues_table(s):
        lines += ["", *by_queue]
    lines.append("")
    if levers:
        used = ", ".join(f"{LABELS[k]} {rec.hours_by_lever[k]:,.1f} h ({rec.cost_by_lever.get(k, 0.0):,.1f})"
                         for k in levers)
        lines.append(f"levers: {used}")
    if "reoptimise" in rec.cost_by_lever:
        lines.append(f"re-roster: cost {rec.cost_by_lever['reoptimise']:,.1f}")
    if rec.rest_days_cancelled:
        lines.append(f"rest days cancelled: {rec.rest_days_cancelled}")
    if s.breached:
        lines.append(f"still short after recovery: {_still_short(s)}")
    elif rec.status != "not_needed":
        lines.append("every interval restored to its required agents")
    if s.ratio is not None:
        r = s.ratio
        lines.append(
            f"ratio with {rec.back_office_peak} back office on the phones: {r.ratio_text} "
            f"(front line {r.front_line:g}, back office {r.back_office:g}, share {r.back_office_share:.1%}, {r.status})"
        )
    lines += rec.notes
    return lines


def weeks(s: ScenarioResult) -> pd.DataFrame:
    """Per 7-day block of the plan: calls, service level and abandoned calls before and after recovery, the
    intervals short, and each lever's hours and cost (hours booked on the days worked, at the lever's rate)."""
    b, a, rec = s.before.days, s.after.days, s.recovery
    week = np.arange(len(b)) // 7
    levers = [k for k in rec.levers if k in rec.hours.columns]
    rows = []
    for w in np.unique(week):
        i = week == w
        calls = float(b["calls"][i].sum())
        row: dict[str, Any] = {
            "week": f"{b['date'][i].iloc[0]} to {b['date'][i].iloc[-1]}",
            "calls": calls,
            "service_level_before": float((b["calls"][i] * b["service_level"][i]).sum() / calls) if calls else 1.0,
            "service_level_after": float((a["calls"][i] * a["service_level"][i]).sum() / calls) if calls else 1.0,
            "abandoned_before": float(b["abandoned"][i].sum()) if b["abandoned"][i].notna().any() else float("nan"),
            "abandoned_after": float(a["abandoned"][i].sum()) if a["abandoned"][i].notna().any() else float("nan"),
            "short_before": int(b["short_intervals"][i].sum()),
            "short_after": int(a["short_intervals"][i].sum()),
        }
        for k in levers:
            h = float(rec.hours[k][i].sum())
            rate = rec.cost_by_lever.get(k, 0.0) / rec.hours_by_lever[k] if rec.hours_by_lever.get(k) else 0.0
            row[f"{k}_hours"], row[f"{k}_cost"] = h, h * rate
        rows.append(row)
    return pd.DataFrame(rows)


def _weeks_table(s: ScenarioResult, levers: list[str]) -> list[str]:
    rows = []
    for r in weeks(s).to_dict(orient="records"):
        row = [r["week"], f"{r['calls']:,.0f}", _pct(r["service_level_before"]), _pct(r["service_level_after"]),
               _calls(r["abandoned_before"]), _calls(r["abandoned_after"]), f"{r['short_before']} -> {r['short_after']}"]
        row += [f"{r[f'{k}_hours']:,.1f} h ({r[f'{k}_cost']:,.1f})" for k in levers]
        rows.append(row)
    headers = ["week", "calls", "sl_before", "sl_after", "abandoned_before", "abandoned_after", "short"]
    headers += [LABELS[k].replace(" ", "_") for k in levers]
    return [tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True)]


def queues(s: ScenarioResult) -> pd.DataFrame:
    """Per queue over the plan: calls, service level and abandoned calls (NaN: no patience) before and after."""
    b, a = s.before.by_queue, s.after.by_queue
    if b is None or a is None or b.empty:
        return pd.DataFrame(columns=["queue", "calls", "service_level_before", "service_level_after",
                                     "abandoned_before", "abandoned_after"])
    rows = []
    for q in dict.fromkeys(b["queue"]):
        qb, qa = b[b["queue"] == q], a[a["queue"] == q]
        calls = float(qb["calls"].sum())
        rows.append({
            "queue": q, "calls": calls,
            "service_level_before": float((qb["calls"] * qb["service_level"]).sum() / calls) if calls else 1.0,
            "service_level_after": float((qa["calls"] * qa["service_level"]).sum() / calls) if calls else 1.0,
            "abandoned_before": float(qb["abandoned"].sum()) if qb["abandoned"].notna().any() else float("nan"),
            "abandoned_after": float(qa["abandoned"].sum()) if qa["abandoned"].notna().any() else float("nan"),
        })
    return pd.DataFrame(rows)


def _queues_table(s: ScenarioResult) -> list[str]:
    rows = [[r["queue"], f"{r['calls']:,.0f}", _pct(r["service_level_before"]), _pct(r["service_level_after"]),
             _calls(r["abandoned_before"]), _calls(r["abandoned_after"])] for r in queues(s).to_dict(orient="records")]
    if not rows:
        return []
    headers = ["queue", "calls", "sl_before", "sl_after", "abandoned_before", "abandoned_after"]
    return [tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True)]


def _still_short(s: ScenarioResult) -> str:
    """``N intervals, MM-DD HH:MM-HH:MM, ...`` for the intervals still short after recovery."""
    short = s.after.intervals.loc[s.after.intervals["short"], "timestamp"]
    every = pd.DatetimeIndex(s.after.intervals["timestamp"]).as_unit("ns")
    step = pd.Timedelta(np.diff(every.asi8).min()) if len(every) > 1 else pd.Timedelta(minutes=15)
    return f"{len(short)} intervals, {_spans(pd.DatetimeIndex(short), step)}"


def breach_line(result: WhatIfResult, s: ScenarioResult) -> str:
    """One line for a scenario still short after recovery: ``NAME: still short after recovery: N intervals, ...``."""
    return f"{_label(result, s.name, s.sweep)}: still short after recovery: {_still_short(s)}"


def _spans(ts: pd.DatetimeIndex, step: pd.Timedelta = pd.Timedelta(minutes=15), limit: int = 4) -> str:
    """Runs of consecutive ``step``-long intervals as ``MM-DD HH:MM-HH:MM`` spans (the first ``limit``; a span
    past the next midnight names its end's date: ``MM-DD HH:MM-MM-DD HH:MM``)."""
    if len(ts) == 0:
        return ""
    ts = pd.DatetimeIndex(ts).as_unit("ns").sort_values()
    spans = []
    start = prev = ts[0]
    for t in ts[1:]:
        if t - prev != step:
            spans.append((start, prev))
            start = t
        prev = t
    spans.append((start, prev))

    def _span(a: pd.Timestamp, b: pd.Timestamp) -> str:
        end = b + step
        same_day = end.normalize() == a.normalize() or end == a.normalize() + pd.Timedelta(days=1)
        return f"{a:%m-%d %H:%M}-" + (f"{end:%H:%M}" if same_day else f"{end:%m-%d %H:%M}")

    text = ", ".join(_span(a, b) for a, b in spans[:limit])
    return text + (f" (+{len(spans) - limit} more)" if len(spans) > limit else "")


def render_sweep(result: WhatIfResult) -> str:
    key = result.sweep_key
    out = [f"What-if sweep over {key}, plan {result.plan_start} to {result.plan_end}", ""]
    b = result.baseline.before
    out.append(f"baseline: service level {_pct(b.service_level)}, {b.short_intervals} intervals short")
    out.append("")
    rows = []
    for s in result.scenarios:
        rows.append(
            [
                s.name, f"{s.sweep[key]:g}", _pct(s.before.service_level), _pct(s.after.service_level),
                _calls(s.before.abandoned), s.before.short_intervals, s.after.short_intervals,
                f"{s.recovery.cost:,.1f}",
            ]
        )
    headers = ["scenario", key, "sl_before", "sl_after", "abandoned_before", "short_before", "short_after", "cost"]
    out.append(tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True))
    return "\n".join(out)
