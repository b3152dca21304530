"""A review's printout and JSON (:class:`wfm.review.run.Review`)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

WORST_DAYS = 3


def _pct(v: float, sign: bool = False) -> str:
    if v is None or not np.isfinite(v):
        return "n/a"
    return f"{100 * v:+.1f}%" if sign else f"{100 * v:.1f}%"


def _pts(v: float) -> str:
    return "n/a" if v is None or not np.isfinite(v) else f"{100 * v:+.1f}"


def _num(v: float, fmt: str = ",.0f") -> str:
    return "n/a" if v is None or not np.isfinite(v) else format(v, fmt)


def _table(rows: list[list[Any]], head: list[str]) -> str:
    from tabulate import tabulate

    return tabulate(rows, headers=head, tablefmt="simple", disable_numparse=True)


def worst_days(review) -> pd.DataFrame:
    """The worst days (largest miss of the planned service level, missed days only), at most WORST_DAYS."""
    c = review.causes
    return c[c["miss"] > 0.0005].head(WORST_DAYS)


def render_review(review) -> str:
    label = "from the ACD's outcome columns" if review.source == "acd" else \
        "estimated (the simulator: the actual calls answered by the agents there were; no outcome columns)"
    out = [f"Review of run {review.run}, {review.first:%Y-%m-%d} to {review.last:%Y-%m-%d}: "
           f"{len(review.covered)} day(s) with actuals; service {label}", ""]
    f = review.forecast
    out += ["Forecast accuracy (calls)", _table(
        [[r.queue, r.level, r.periods, _num(r.actual), _num(r.forecast), _pct(r.wape), _pct(r.noise_floor_wape),
          _pct(r.bias, True), _num(r.mase, ".2f"), _pct(r.coverage) if r.level == "interval" else ""]
         for r in f.itertuples()],
        ["queue", "level", "periods", "actual", "forecast", "wape", "noise_floor", "bias", "mase", "p10_p90"]), ""]
    a = review.aht[review.aht["level"].isin(["interval", "day"])]
    out += ["AHT accuracy (seconds, weighted by the calls)", _table(
        [[r.queue, r.level, _num(r.actual, ".0f"), _num(r.forecast, ".0f"), _pct(r.wape), _pct(r.bias, True)]
         for r in a.itertuples()], ["queue", "level", "actual", "forecast", "wape", "bias"]), ""]
    d = review.by_day[review.by_day["queue"] == "total"]
    out += ["Forecast error by day (all queues, interval errors)", _table(
        [[f"{r.date:%Y-%m-%d %a}", _num(r.actual), _num(r.forecast), _pct(r.wape), _pct(r.bias, True)]
         for r in d.itertuples()], ["date", "actual", "forecast", "wape", "bias"]), ""]
    h = review.by_hour[review.by_hour["queue"] == "total"]
    out += ["Forecast error by hour of day (all queues, interval errors)", _table(
        [[f"{int(r.hour):02d}:00", _num(r.actual), _num(r.forecast), _pct(r.wape), _pct(r.bias, True)]
         for r in h.itertuples()], ["hour", "actual", "forecast", "wape", "bias"]), ""]
    n = review.need_days
    extra = ["logged_in", "short_logged_in"] if review.adherence else []
    out += ["Staffing against need (agent-hours on shift: what the actual calls needed against the roster)", _table(
        [[r["date"], _num(r["required_planned"], ",.1f"), _num(r["required_actual"], ",.1f"),
          _num(r["rostered"], ",.1f"), _num(r["over"], ",.1f"), _num(r["short"], ",.1f"), int(r["short_intervals"])]
         + [_num(r[c], ",.1f") for c in extra] for r in _with_total(n)],
        ["date", "needed_plan", "needed_actual", "rostered", "over", "short", "short_intervals"] + extra), ""]
    hours = review.need_hours
    out += ["Staffing against need by hour of day (agent-hours over the days)", _table(
        [[f"{int(r['hour']):02d}:00", _num(r["required_actual"], ",.1f"), _num(r["rostered"], ",.1f"),
          _num(r["over"], ",.1f"), _num(r["short"], ",.1f"), int(r["short_intervals"])]
         + [_num(r[c], ",.1f") for c in extra] for r in hours.to_dict(orient="records")],
        ["hour", "needed_actual", "rostered", "over", "short", "short_intervals"] + extra), ""]
    s = review.service
    word = "actual" if review.source == "acd" else "estimated"
    out += [f"Service level, planned against {word} (ASA seconds; abandoned of calls offered)", _table(
        [["week" if pd.isna(r.date) else f"{r.date:%Y-%m-%d}", r.queue, _pct(r.target), _pct(r.planned),
          _pct(r.actual), _num(r.asa_planned, ".0f"), _num(r.asa_actual, ".0f"), _pct(r.abandon_planned),
          _pct(r.abandon_actual)] for r in s.itertuples()],
        ["date", "queue", "target", "planned", word, "asa_plan", f"asa_{word[:3]}", "aband_plan",
         f"aband_{word[:3]}"]), ""]
    w = worst_days(review)
    if len(w):
        cols = ["volume", "aht"] + (["staffing"] if review.adherence else []) + ["other"]
        out += ["What caused the miss (worst days, all queues; points of service level lost to each)", _table(
            [[f"{r['date']:%Y-%m-%d %a}", _pct(r["planned"]), _pct(r["actual"]), _pts(r["miss"])]
             + [_pts(r[c]) for c in cols] for r in w.to_dict(orient="records")],
            ["date", "planned", word, "miss"] + cols), ""]
    else:
        out += [f"No day's {word} service level fell below the plan's.", ""]
    for b in review.breaches:
        out.append(f"alert: {b['queue']} forecast WAPE per {b['level']} {_pct(b['wape'])} is above the "
                   f"[review] max_wape {_pct(b['max_wape'])}")
    return "\n".join(out).rstrip() + "\n"


def _with_total(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows with their dates as text, then the covered days together (``week``)."""
    rows = [{**r, "date": f"{r['date']:%Y-%m-%d %a}"} for r in frame.to_dict(orient="records")]
    return rows + [{**frame.drop(columns="date").sum().to_dict(), "date": "week"}]


def review_to_dict(review) -> dict[str, Any]:
    from wfm.io import json_number

    def rec(frame: pd.DataFrame, digits: int = 4) -> list[dict[str, Any]]:
        out = []
        for r in frame.to_dict(orient="records"):
            row = {}
            for k, v in r.items():
                if isinstance(v, pd.Timestamp):
                    row[k] = f"{v:%Y-%m-%d}"
                elif v is pd.NaT:
                    row[k] = "week"
                elif isinstance(v, (float, np.floating)):
                    row[k] = json_number(float(v), digits)
                elif isinstance(v, (np.integer,)):
                    row[k] = int(v)
                else:
                    row[k] = v
            out.append(row)
        return out

    forecast: dict[str, dict] = {}
    for r in review.forecast.to_dict(orient="records"):
        forecast.setdefault(r["queue"], {})[r["level"]] = {
            "periods": r["periods"], "actual": round(r["actual"], 1), "forecast": round(r["forecast"], 1),
            **{k: json_number(r[k], 4) for k in ("wape", "bias", "mase", "noise_floor_wape", "coverage")}}
    aht: dict[str, dict] = {}
    for r in review.aht.to_dict(orient="records"):
        aht.setdefault(r["queue"], {})[r["level"]] = {
            "periods": r["periods"], "actual": json_number(r["actual"], 1), "forecast": json_number(r["forecast"], 1),
            "wape": json_number(r["wape"], 4), "bias": json_number(r["bias"], 4)}
    service: dict[str, dict] = {}
    for r in rec(review.service):
        q = service.setdefault(r["queue"], {"target": r["target"], "days": []})
        item = {"planned": {"service_level": r["planned"], "asa": r["asa_planned"],
                            "abandon_rate": r["abandon_planned"], "calls": r["calls_planned"]},
                review.source if review.source == "estimated" else "actual": {
                    "service_level": r["actual"], "asa": r["asa_actual"], "abandon_rate": r["abandon_actual"],
                    "calls": r["calls_actual"]}}
        if r["date"] == "week":
            q.update(item)
        else:
            q["days"].append({"date": r["date"], **item})
    return {
        "run": review.run,
        "plan": {"first": f"{review.first:%Y-%m-%d %H:%M}", "last": f"{review.last:%Y-%m-%d %H:%M}"},
        "covered_days": [f"{d:%Y-%m-%d}" for d in review.covered],
        "service_source": review.source,
        "forecast": forecast,
        "aht": aht,
        "forecast_by_day": rec(review.by_day),
        "forecast_by_hour": rec(review.by_hour),
        "staffing": {"days": rec(review.need_days, 2), "hours_of_day": rec(review.need_hours, 2)},
        "service": service,
        "causes": rec(review.causes),
        "worst_days": [f"{d:%Y-%m-%d}" for d in worst_days(review)["date"]],
        "breaches": review.breaches,
        "exit_code": review.exit_code,
        "notes": list(review.notes),
    }
