"""A review's charts (in the run folder's ``review/``): the forecast against the actuals with its band, over the
run's own dates; service per day planned against actual (or estimated), with each queue's target."""

from __future__ import annotations

import numpy as np
import pandas as pd

from wfm.charts import _STYLE, _png, plt

MAX_QUEUES = 6  # queues drawn in the service chart beside the total


def _day_axis(ax, first: pd.Timestamp, last: pd.Timestamp) -> None:
    days = pd.date_range(first.normalize(), last.normalize() + pd.Timedelta(days=1), freq="D")
    ax.set_xticks(days)
    ax.set_xticklabels([f"{d:%a %d}" for d in days[:-1]] + [""], ha="left")
    ax.set_xlim(days[0], days[-1])
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)


def forecast_vs_actual_chart(intervals: pd.DataFrame, interval_minutes: int, title: str) -> bytes:
    """All queues' calls per interval over the run's dates: the forecast (with the p10-p90 band summed over the
    queues, when the run has one) and the actuals (gaps where none)."""
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(11, 4))
        t = intervals["timestamp"]
        if {"p10", "p90"} <= set(intervals.columns):
            ax.fill_between(t, intervals["p10"], intervals["p90"], step="post", color="#1f77b4", alpha=0.18,
                            linewidth=0, label="forecast p10-p90 (queues summed)")
        ax.plot(t, intervals["forecast"], drawstyle="steps-post", color="#1f77b4", linewidth=1.2, label="forecast")
        ax.plot(t, intervals["actual"], drawstyle="steps-post", color="#222222", linewidth=0.8, label="actual")
        _day_axis(ax, t.min(), t.max())
        ax.set_ylabel(f"calls per {interval_minutes}-minute interval (all queues)")
        ax.set_title(title)
        ax.legend(loc="upper right", fontsize=7, frameon=False)
        fig.tight_layout()
        return _png(fig)


def service_chart(service: pd.DataFrame, source: str, title: str) -> bytes:
    """Service level per day and queue: planned (dashed) against actual or estimated (solid), the target dotted."""
    word = "actual" if source == "acd" else "estimated"
    days = service[service["date"].notna()]
    queues = list(dict.fromkeys(days["queue"]))
    if len(queues) > MAX_QUEUES + 1:  # the total and the queues that fell furthest below their plan
        week = service[service["date"].isna() & (service["queue"] != "total")]
        worst = week.assign(gap=week["planned"] - week["actual"]).sort_values(
            ["gap", "queue"], ascending=[False, True], kind="stable")["queue"].head(MAX_QUEUES)
        title = f"{title} (the {MAX_QUEUES} queues furthest below plan of {len(queues) - 1})"
        queues = [q for q in queues if q in set(worst)] + ["total"]
        days = days[days["queue"].isin(queues)]
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(11, 4))
        colours = plt.get_cmap("tab10")
        for k, q in enumerate(queues):
            g = days[days["queue"] == q]
            c = "#222222" if q == "total" else colours(k % 10)
            x = pd.to_datetime(g["date"]) + pd.Timedelta(hours=12)
            ax.plot(x, 100 * g["planned"], ls="--", marker="o", ms=3, color=c, lw=1, label=f"{q} planned")
            ax.plot(x, 100 * g["actual"], ls="-", marker="o", ms=3, color=c, lw=1.6, label=f"{q} {word}")
            if q != "total":
                ax.plot(x, 100 * g["target"], ls=":", color=c, lw=0.8)
        d = pd.to_datetime(days["date"])
        _day_axis(ax, d.min(), d.max())
        low = np.nanmin(100 * days[["planned", "actual"]].to_numpy(float)) if len(days) else 0
        ax.set_ylim(max(0, np.floor(low / 10) * 10 - 5), 100)
        ax.set_ylabel("service level, % of calls offered")
        ax.set_title(title)
        ax.legend(loc="lower left", fontsize=7, frameon=False, ncol=max(1, len(queues)))
        fig.tight_layout()
        return _png(fig)
