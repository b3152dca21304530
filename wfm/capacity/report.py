"""A capacity plan's printout, JSON, CSV and chart (:class:`wfm.capacity.run.CapacityPlan`)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from wfm.capacity.settings import CONVENTION


def _n(v: float, fmt: str = ",.1f") -> str:
    return "n/a" if v is None or not np.isfinite(v) else format(v, fmt)


def render_plan(plan) -> str:
    from tabulate import tabulate

    s = plan.settings
    w = plan.weeks
    first, last = w["week"].iloc[0], w["week"].iloc[-1]
    out = [f"Capacity plan, {len(w)} weeks from {first:%Y-%m-%d} to {last + pd.Timedelta(days=6):%Y-%m-%d}: "
           f"requirement from {plan.source}; attrition {100 * s['attrition_per_year']:.1f}% a year "
           f"({100 * s['attrition_per_year'] / 12:.1f}% of the people a month)", ""]
    rows = [[f"{r.week:%Y-%m-%d}" + (" *" if r.peak else ""), _n(r.required_fte), _n(r.effective_fte),
             _n(r.short_fte) if r.short_fte > 0.005 else "", _n(r.headcount), _n(r.training), _n(r.nesting),
             _n(r.mature), r.classes, r.decided, _n(r.leavers), _n(r.overtime_hours, ",.0f"),
             _n(r.agency_hours, ",.0f"), _n(r.cost, ",.0f")] for r in w.itertuples()]
    out.append(tabulate(rows, headers=["week", "required", "effective", "short", "headcount", "training", "nesting",
                                       "mature", "classes", "decided", "leavers", "overtime_h", "agency_h",
                                       "cost"], tablefmt="simple", disable_numparse=True))
    months = len(w) * 12 / 52
    leavers = float(w["leavers"].sum())
    inside = int((plan.classes["start"] <= w["week"].iloc[-1]).sum()) if len(plan.classes) else 0
    out += ["", "(* a peak week: requirement in the horizon's top tenth)",
            f"hires {plan.hires_total:,} in {inside} classes ({plan.hires_total / months:,.1f} a month); "
            f"leavers {leavers:,.1f} ({leavers / months:,.1f} a month); cost {plan.total_cost:,.0f}",
            f"solver {plan.status} over the horizon and {s['tail_weeks']} weeks after it: objective "
            f"{plan.objective:,.2f}, lower bound {plan.lower_bound:,.2f}, gap {100 * plan.gap:.2f}%"]
    avg_heads = float(w["headcount"].mean())
    a = s["attrition_per_year"]
    h_cap = s["max_classes"] * s["class_max"] * 52 / 12 / max(1, s["training_weeks"])
    out.append(f"to stand still at {100 * a:.1f}% a year: about {a * avg_heads / 12:,.1f} hires a month (attrition x "
               f"the average headcount of {avg_heads:,.1f} / 12; with training fails, more); classes can hire at "
               f"most {h_cap:,.1f} a month ({s['max_classes']} classes of {s['class_max']} every "
               f"{max(1, s['training_weeks'])} weeks)")
    if plan.short_weeks:
        worst = w.loc[w["short_fte"].idxmax()]
        out.append(f"short: {plan.short_weeks} week(s) below the requirement, worst {worst['week']:%Y-%m-%d} by "
                   f"{worst['short_fte']:,.1f} FTE (exit 1)")
    out.append(f"convention: {CONVENTION}")
    return "\n".join(out) + "\n"


def render_sweep(name: str, table: pd.DataFrame) -> str:
    from tabulate import tabulate

    rows = [[(f"{100 * r[name]:.1f}%" if name in ("attrition", "growth") else f"x{r[name]:.2f}"), r["hires"],
             r["classes"], _n(r["hires_per_month"]), _n(r["stand_still_per_month"]), _n(r["leavers"]),
             _n(r["cost"], ",.0f"), r["short_weeks"], _n(r["short_fte_weeks"]), f"{100 * r['gap']:.2f}%"]
            for r in table.to_dict(orient="records")]
    head = [name, "hires", "classes", "hires_a_month", "stand_still_a_month", "leavers", "cost", "short_weeks",
            "short_fte_weeks", "gap"]
    return tabulate(rows, headers=head, tablefmt="simple", disable_numparse=True) + "\n"


def plan_to_dict(plan) -> dict[str, Any]:
    from wfm.io import json_number

    weeks = []
    for r in plan.weeks.to_dict(orient="records"):
        weeks.append({k: (f"{v:%Y-%m-%d}" if isinstance(v, pd.Timestamp) else
                          json_number(v, 3) if isinstance(v, (float, np.floating)) else
                          int(v) if isinstance(v, (np.integer,)) else bool(v) if isinstance(v, np.bool_) else v)
                      for k, v in r.items()})
    return {
        "settings": plan.settings,
        "requirement_source": plan.source,
        "weeks": weeks,
        "classes": [{"start": f"{c['start']:%Y-%m-%d}", "decided": f"{c['decided']:%Y-%m-%d}",
                     "contract": c["contract"], "size": int(c["size"]),
                     "after_horizon": bool(c["start"] > plan.weeks["week"].iloc[-1])}
                    for c in plan.classes.to_dict(orient="records")],
        "hires_total": plan.hires_total,
        "leavers_total": json_number(float(plan.weeks["leavers"].sum()), 2),
        "total_cost": json_number(plan.total_cost, 2),
        "short_weeks": plan.short_weeks,
        "status": plan.status,
        "objective": json_number(plan.objective, 2),
        "lower_bound": json_number(plan.lower_bound, 2),
        "gap": json_number(plan.gap, 6),
        "solve_seconds": json_number(plan.seconds, 2),
        "exit_code": plan.exit_code,
        "convention": CONVENTION,
        "notes": list(plan.notes),
    }


def plan_csv(plan) -> str:
    from wfm.io import csv_text

    frame = plan.weeks.assign(week=plan.weeks["week"].dt.strftime("%Y-%m-%d"))
    return csv_text(frame, float_format="%.3f")


def plan_chart(plan) -> bytes:
    """Requirement against FTE on the phones per week, the classes marked where they start (and their size)."""
    from wfm.charts import _STYLE, _png, plt

    w = plan.weeks
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(11, 4))
        ax.step(w["week"], w["required_fte"], where="post", color="#222222", lw=1.4, label="required FTE")
        ax.step(w["week"], w["effective_fte"], where="post", color="#1f77b4", lw=1.4, label="FTE on the phones")
        short = w["short_fte"] > 0.005
        if short.any():
            ax.fill_between(w["week"], w["effective_fte"], w["required_fte"], where=short, step="post",
                            color="#d62728", alpha=0.3, lw=0, label="short")
        top = float(max(w["required_fte"].max(), w["effective_fte"].max()))
        for c in plan.classes.to_dict(orient="records"):
            ax.axvline(c["start"], color="#2ca02c", lw=0.8, ls=":")
            ax.annotate(f"{c['size']}", (c["start"], top * 1.02), fontsize=7, color="#2ca02c", ha="center")
        ax.set_ylim(0, top * 1.1)
        ax.set_ylabel("FTE")
        ax.set_title("Requirement against FTE on the phones; classes (size) where they start")
        ax.legend(loc="lower left", fontsize=7, frameon=False)
        fig.tight_layout()
        return _png(fig)
