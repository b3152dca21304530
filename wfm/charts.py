"""Charts of a plan, as PNG bytes (matplotlib, Agg backend, deterministic: no timestamps in the files).

- :func:`forecast_chart`  the plan's forecast (all queues, p10-p90 band) against the last weeks' actuals,
  laid over one week (Monday 00:00 .. Sunday 24:00) so the weeks line up;
- :func:`staffing_chart`  required against scheduled agents (on the phones) per interval over the plan;
- :func:`coverage_heatmap`  day x interval of on-phone minus required agents (red short, blue over);
- :func:`paid_hours_chart`  a waterfall of where the paid hours go, from the workload to the paid hours.

Each takes plain data and returns the PNG as bytes; :func:`plan_charts` makes all four for a PlanResult.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.colors import TwoSlopeNorm  # noqa: E402

DPI = 100
_STYLE = {
    "font.size": 9,
    "axes.titlesize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "wfm",
}
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def _png(fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def _week_hours(ts: pd.Series | pd.DatetimeIndex) -> np.ndarray:
    """Hours since Monday 00:00 of each timestamp's week."""
    t = pd.DatetimeIndex(ts)
    return (t.day_of_week * 24 + t.hour + t.minute / 60.0).to_numpy(float)


def _week_axis(ax: Any, hours: float = 168.0) -> None:
    ticks = np.arange(0, hours + 1, 24)
    ax.set_xticks(ticks)
    ax.set_xticklabels([f"{DAYS[int(t // 24) % 7]}" if t < hours else "" for t in ticks], ha="left")
    ax.set_xlim(0, hours)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)


def forecast_chart(forecast: pd.DataFrame, actuals: pd.DataFrame, title: str = "Forecast") -> bytes:
    """The forecast's first week (all queues summed, with its p10-p90 band) over the last weeks' actuals.

    ``forecast``: ``timestamp,queue,volume[,volume_p10,volume_p90]``; ``actuals``: ``timestamp,volume``
    (all queues) for whole weeks before the forecast. Each actual week is drawn over the same Mon..Sun axis.
    """
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(11, 4))
        f = forecast.copy()
        f["timestamp"] = pd.to_datetime(f["timestamp"])
        cols = [c for c in ("volume", "volume_p10", "volume_p90") if c in f.columns]
        tot = f.groupby("timestamp", sort=True)[cols].sum()
        first = tot.index.min()
        week1 = tot[tot.index < first + pd.Timedelta(days=7)]
        a = actuals.copy()
        if len(a):
            a["timestamp"] = pd.to_datetime(a["timestamp"])
            a["week"] = (a["timestamp"] - a["timestamp"].min()).dt.days // 7
            n = int(a["week"].max()) + 1
            for k, (_, g) in enumerate(a.groupby("week", sort=True)):
                start = g["timestamp"].min()
                shade = 0.8 - 0.45 * (k + 1) / n
                xs = _week_hours(g["timestamp"])
                order = np.argsort(xs, kind="stable")  # a week starting mid-week still reads Mon..Sun
                ax.plot(xs[order], g["volume"].to_numpy(float)[order], drawstyle="steps-post",
                        color=str(round(shade, 3)), linewidth=0.8, label=f"actual week of {start:%Y-%m-%d}")
        x = _week_hours(week1.index)
        order = np.argsort(x, kind="stable")
        x, week1 = x[order], week1.iloc[order]
        if {"volume_p10", "volume_p90"} <= set(week1.columns):
            ax.fill_between(x, week1["volume_p10"], week1["volume_p90"], step="post", color="#1f77b4", alpha=0.18,
                            linewidth=0, label="forecast p10-p90")
        ax.plot(x, week1["volume"], drawstyle="steps-post", color="#1f77b4", linewidth=1.4,
                label=f"forecast week of {first:%Y-%m-%d}")
        _week_axis(ax)
        ax.set_ylabel("calls per interval (all queues)")
        ax.set_title(title)
        ax.legend(loc="upper right", fontsize=7, frameon=False)
        fig.tight_layout()
        return _png(fig)


def staffing_chart(coverage: pd.DataFrame, title: str = "Required against scheduled agents") -> bytes:
    """Required scheduled agents (``required_scheduled``) against agents rostered (``rostered``: on shift,
    off break) per interval, with the shortfall shaded red and the surplus blue. ``coverage``:
    ``timestamp,required_scheduled,rostered``."""
    with plt.rc_context(_STYLE):
        c = coverage.copy()
        c["timestamp"] = pd.to_datetime(c["timestamp"])
        days = max(1, int(np.ceil(len(c) / max(1, _per_day(c)))))
        fig, ax = plt.subplots(figsize=(11 if days <= 7 else 14, 4))
        x = (c["timestamp"] - c["timestamp"].min()).dt.total_seconds().to_numpy() / 3600.0
        req = c["required_scheduled"].to_numpy(float)
        on = c["rostered"].to_numpy(float)
        ax.fill_between(x, on, req, where=on < req, step="post", color="#d62728", alpha=0.35, linewidth=0,
                        label="short")
        ax.fill_between(x, req, on, where=on > req, step="post", color="#1f77b4", alpha=0.2, linewidth=0,
                        label="over")
        ax.plot(x, req, drawstyle="steps-post", color="black", linewidth=1.0, label="required (scheduled)")
        ax.plot(x, on, drawstyle="steps-post", color="#2ca02c", linewidth=1.0, label="rostered (on shift, off break)")
        hours = 24.0 * days
        ticks = np.arange(0, hours + 1, 24)
        start = c["timestamp"].min()
        ax.set_xticks(ticks)
        ax.set_xticklabels([f"{start + pd.Timedelta(hours=float(t)):%a %d}" if t < hours else "" for t in ticks],
                           ha="left")
        ax.set_xlim(0, hours)
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_ylabel("agents")
        ax.set_title(title)
        ax.legend(loc="upper right", fontsize=7, frameon=False, ncols=4)
        fig.tight_layout()
        return _png(fig)


def _per_day(c: pd.DataFrame) -> int:
    if len(c) < 2:
        return 1
    step = (c["timestamp"].iloc[1] - c["timestamp"].iloc[0]).total_seconds() / 60.0
    return int(round(1440 / step)) if step > 0 else 1


def coverage_heatmap(coverage: pd.DataFrame, title: str = "Over (+) and under (-) staffing") -> bytes:
    """Day x interval heatmap of ``rostered - required_scheduled`` (agents); red short, blue over, white exact."""
    with plt.rc_context(_STYLE):
        c = coverage.copy()
        c["timestamp"] = pd.to_datetime(c["timestamp"])
        c["date"] = c["timestamp"].dt.normalize()
        c["minute"] = c["timestamp"].dt.hour * 60 + c["timestamp"].dt.minute
        c["diff"] = c["rostered"].astype(float) - c["required_scheduled"].astype(float)
        grid = c.pivot_table(index="date", columns="minute", values="diff", aggfunc="first", sort=True)
        vals = grid.to_numpy(float)
        lim = max(1.0, float(np.nanmax(np.abs(vals))) if vals.size else 1.0)
        fig, ax = plt.subplots(figsize=(11, 0.45 * len(grid) + 1.6))
        im = ax.imshow(vals, aspect="auto", cmap="RdBu", norm=TwoSlopeNorm(vcenter=0.0, vmin=-lim, vmax=lim),
                       interpolation="nearest")
        ax.set_yticks(range(len(grid)))
        ax.set_yticklabels([f"{d:%a %Y-%m-%d}" for d in grid.index])
        mins = grid.columns.to_numpy()
        hour_cols = [i for i, m in enumerate(mins) if m % 120 == 0]
        ax.set_xticks(hour_cols)
        ax.set_xticklabels([f"{int(mins[i]) // 60:02d}:00" for i in hour_cols])
        ax.set_xlabel("interval start")
        ax.set_title(title)
        cb = fig.colorbar(im, ax=ax, pad=0.01)
        cb.set_label("agents on the phones - required")
        fig.tight_layout()
        return _png(fig)


def paid_hours_chart(parts: Sequence[tuple[str, float]], total: float,
                     title: str = "Where the paid hours go") -> bytes:
    """A waterfall, top to bottom: each ``(name, hours)`` part a bar from the running total (blue adds, red takes
    away), then the ``total`` (the paid hours the parts add up to) in grey, each bar labelled with its hours."""
    with plt.rc_context(_STYLE):
        names = [n for n, _ in parts] + ["paid hours"]
        fig, ax = plt.subplots(figsize=(10, 0.38 * len(names) + 1.4))
        ax.set_axisbelow(True)
        run = 0.0
        for i, (_, hours) in enumerate(parts):
            ax.barh(i, hours, left=run, color="#1f77b4" if hours >= 0 else "#d62728", height=0.6)
            run += hours
            if i + 1 < len(parts):
                ax.plot([run, run], [i + 0.3, i + 0.7], color="#999999", linewidth=0.6)
        ax.barh(len(parts), total, color="#7f7f7f", height=0.6)
        span = max([abs(total)] + [abs(h) for _, h in parts]) or 1.0
        run = 0.0
        for i, (_, hours) in enumerate([*parts, ("", total)]):
            end = total if i == len(parts) else run + hours
            ax.text(max(run, end) + 0.01 * span, i, f"{hours:+,.2f}" if i < len(parts) else f"{total:,.2f}",
                    va="center", fontsize=8)
            run = end
        ax.set_yticks(range(len(names)))
        ax.set_yticklabels(names)
        ax.invert_yaxis()
        ax.set_xlim(min(0.0, ax.get_xlim()[0]), ax.get_xlim()[1] + 0.12 * span)
        ax.set_xlabel("agent-hours")
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_title(title)
        fig.tight_layout()
        return _png(fig)


def plan_charts(result: Any) -> dict[str, bytes]:
    """The four charts of a :class:`wfm.plan.PlanResult`, keyed by their file names."""
    name = result.config.centre.name
    explained = result.explained
    return {
        "forecast.png": forecast_chart(
            result.forecast.forecast, result.actuals, f"{name}: forecast against the last weeks' actuals"
        ),
        "staffing.png": staffing_chart(result.coverage, f"{name}: required against scheduled agents per interval"),
        "coverage_heatmap.png": coverage_heatmap(result.coverage, f"{name}: over (+) and under (-) staffing"),
        "paid-hours.png": paid_hours_chart([(p.name, p.shown) for p in explained.shown_parts()],
                                           explained.paid_shown, f"{name}: where the paid hours go"),
    }
