"""Charts of a plan, as PNG bytes (matplotlib, Agg backend, deterministic: no timestamps in the files).

- :func:`forecast_chart`  the plan's forecast over its own dates (all queues, p10-p90 band) against the same
  hours 1 to 4 weeks earlier and, for a plan of past dates, against what came;
- :func:`staffing_chart`  required against scheduled agents (on the phones) per interval over the plan, each
  short interval marked;
- :func:`coverage_heatmap`  day x interval of on-phone minus required agents (red short, blue over, white exactly
  met, grey closed);
- :func:`paid_hours_chart`  a waterfall of where the paid hours go, from the workload to the paid hours.

Each takes plain data and returns the PNG as bytes (``*_figure``: the matplotlib figure, for tests); x axes run
over the plan's own dates with day and hour ticks; closed intervals (``closed``) are shaded or grey.
:func:`plan_charts` makes all four for a PlanResult.
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


def _png(fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def _spans(mask: np.ndarray) -> list[tuple[int, int]]:
    """(first, end) index pairs of the runs of True in ``mask``."""
    m = np.asarray(mask, bool)
    if not m.any():
        return []
    edges = np.diff(np.concatenate([[0], m.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist(), strict=True))


def _time_axis(ax: Any, start: pd.Timestamp, hours: float) -> None:
    """The plan's own dates along x (hours since ``start``): a labelled tick per day and hour ticks between
    (every 3 hours up to a week, 6 up to two, else 12), grid lines at midnight."""
    days = int(np.ceil(hours / 24.0))
    ax.set_xticks(np.arange(0, days * 24 + 1, 24))
    ax.set_xticklabels([f"{start + pd.Timedelta(days=d):%a %d %b}" if d < days else "" for d in range(days + 1)],
                       ha="left", fontsize=8)
    step = 3 if days <= 7 else 6 if days <= 14 else 12
    minor = [h for h in np.arange(0, days * 24, step) if h % 24]
    ax.set_xticks(minor, minor=True)
    ax.set_xticklabels([f"{int(h % 24):02d}" for h in minor], minor=True, fontsize=6, color="#555555")
    ax.tick_params(axis="x", which="minor", length=3, pad=1)
    ax.tick_params(axis="x", which="major", length=12, pad=2)
    ax.set_xlim(0, hours)
    ax.grid(axis="x", which="major", color="#cccccc", linewidth=0.8)


def _shade_closed(ax: Any, closed: np.ndarray | None, step_h: float) -> None:
    """Closed intervals as grey bands (one legend entry)."""
    if closed is None:
        return
    for k, (a, b) in enumerate(_spans(closed)):
        ax.axvspan(a * step_h, b * step_h, color="#bbbbbb", alpha=0.35, linewidth=0,
                   label="closed" if k == 0 else None, zorder=0)


def forecast_figure(forecast: pd.DataFrame, actuals: pd.DataFrame, title: str = "Forecast", *,
                    planned_actuals: pd.DataFrame | None = None, closed: np.ndarray | None = None) -> Any:
    """The forecast over the plan's own dates (all queues summed) with its p10-p90 band, the same hours 1, 2,
    ... weeks earlier (``actuals``: ``timestamp,volume`` before the plan), and, for a plan of dates already
    past, what actually came (``planned_actuals``); ``closed`` (per forecast interval) shaded."""
    f = forecast.copy()
    f["timestamp"] = pd.to_datetime(f["timestamp"])
    cols = [c for c in ("volume", "volume_p10", "volume_p90") if c in f.columns]
    tot = f.groupby("timestamp", sort=True)[cols].sum()
    ts = tot.index
    start = ts.min().normalize()
    step_min = float((ts[1] - ts[0]).total_seconds() / 60.0) if len(ts) > 1 else 15.0
    x = ((ts - start).total_seconds() / 3600.0).to_numpy()
    hours = float(x[-1] + step_min / 60.0) if len(x) else 24.0
    xs = np.append(x, hours)  # steps drawn to the end of the last interval

    def steps(values: np.ndarray) -> np.ndarray:
        v = np.asarray(values, float)
        return np.append(v, v[-1]) if len(v) else v

    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(11 if hours <= 24 * 7 else 14, 4.2))
        _shade_closed(ax, closed, step_min / 60.0)
        a = actuals.copy()
        if len(a):
            a["timestamp"] = pd.to_datetime(a["timestamp"])
            series = a.groupby("timestamp", sort=True)["volume"].sum()
            weeks = int((ts.min() - series.index.min()).days // 7)
            for lag in range(1, min(weeks, 4) + 1):
                back = series.reindex(ts - pd.Timedelta(days=7 * lag)).to_numpy(float)
                if np.isfinite(back).any():
                    shade = 0.45 + 0.1 * lag
                    ax.plot(xs, steps(back), drawstyle="steps-post", color=str(round(min(shade, 0.85), 2)),
                            linewidth=0.8, label=f"actual {lag} week{'s' if lag > 1 else ''} earlier")
        if {"volume_p10", "volume_p90"} <= set(tot.columns):
            lo, hi = steps(tot["volume_p10"].to_numpy()), steps(tot["volume_p90"].to_numpy())
            ax.fill_between(xs, lo, hi, step="post", color="#1f77b4", alpha=0.30, linewidth=0,
                            label="forecast p10-p90")
            ax.plot(xs, lo, drawstyle="steps-post", color="#1f77b4", linewidth=0.5, alpha=0.8)
            ax.plot(xs, hi, drawstyle="steps-post", color="#1f77b4", linewidth=0.5, alpha=0.8)
        ax.plot(xs, steps(tot["volume"].to_numpy()), drawstyle="steps-post", color="#1f4e9c", linewidth=1.4,
                label="forecast")
        if planned_actuals is not None and len(planned_actuals):
            pa = planned_actuals.copy()
            pa["timestamp"] = pd.to_datetime(pa["timestamp"])
            came = pa.groupby("timestamp", sort=True)["volume"].sum().reindex(ts).to_numpy(float)
            ax.plot(xs, steps(came), drawstyle="steps-post", color="black", linewidth=1.1,
                    label="actual, the planned dates")
        _time_axis(ax, start, hours)
        ax.set_ylabel(f"calls per {step_min:g}-minute interval (all queues)")
        ax.set_ylim(bottom=0)
        ax.set_title(title)
        ax.legend(loc="upper right", fontsize=7, frameon=False, ncols=3)
        fig.tight_layout()
        return fig


def forecast_chart(forecast: pd.DataFrame, actuals: pd.DataFrame, title: str = "Forecast", **kw: Any) -> bytes:
    """:func:`forecast_figure` as PNG bytes."""
    return _png(forecast_figure(forecast, actuals, title, **kw))


def staffing_figure(coverage: pd.DataFrame, title: str = "Required against scheduled agents", *,
                    closed: np.ndarray | None = None) -> Any:
    """Required scheduled agents (``required_scheduled``) against agents rostered (``rostered``: on shift, off
    break) per interval over the plan's dates, the shortfall shaded red and the surplus blue; every short
    interval also marked by a red tick above the plot, at least a line wide whatever the interval's length,
    so a single short 5-minute interval shows; ``closed`` intervals shaded grey."""
    c = coverage.copy()
    c["timestamp"] = pd.to_datetime(c["timestamp"])
    ts = pd.DatetimeIndex(c["timestamp"])
    start = ts.min().normalize()
    step_min = float((ts[1] - ts[0]).total_seconds() / 60.0) if len(ts) > 1 else 15.0
    x = ((ts - start).total_seconds() / 3600.0).to_numpy()
    hours = float(x[-1] + step_min / 60.0) if len(x) else 24.0
    xs = np.append(x, hours)
    req = c["required_scheduled"].to_numpy(float)
    on = c["rostered"].to_numpy(float)
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(11 if hours <= 24 * 7 else 14, 4.2))
        _shade_closed(ax, closed, step_min / 60.0)
        r2, o2 = np.append(req, req[-1] if len(req) else 0), np.append(on, on[-1] if len(on) else 0)
        ax.fill_between(xs, o2, r2, where=o2 < r2, step="post", color="#d62728", alpha=0.35, linewidth=0)
        ax.fill_between(xs, r2, o2, where=o2 > r2, step="post", color="#1f77b4", alpha=0.2, linewidth=0,
                        label="over")
        ax.plot(xs, r2, drawstyle="steps-post", color="black", linewidth=1.0, label="required (scheduled)")
        ax.plot(xs, o2, drawstyle="steps-post", color="#2ca02c", linewidth=1.0,
                label="rostered (on shift, off break)")
        short = np.flatnonzero(on < req)
        top = max(float(np.max(r2, initial=1.0)), float(np.max(o2, initial=1.0)))
        ax.set_ylim(0, top * 1.12)
        if len(short):
            mid = x[short] + step_min / 120.0
            ax.vlines(mid, top * 1.04, top * 1.11, color="#d62728", linewidth=1.2,
                      label=f"short ({len(short)} interval{'s' if len(short) > 1 else ''})")
        _time_axis(ax, start, hours)
        ax.set_ylabel("agents")
        ax.set_title(title)
        ax.legend(loc="upper left", fontsize=7, frameon=False, ncols=5, bbox_to_anchor=(0, -0.12))
        fig.tight_layout()
        return fig


def staffing_chart(coverage: pd.DataFrame, title: str = "Required against scheduled agents", **kw: Any) -> bytes:
    """:func:`staffing_figure` as PNG bytes."""
    return _png(staffing_figure(coverage, title, **kw))


SHORT_SATURATES = 1.5  # agents short at which a heatmap cell is darkest red: one agent short is already a strong red
CLOSED_COLOUR = "#b0b0b0"


def heatmap_grid(coverage: pd.DataFrame, closed: np.ndarray | None = None) -> pd.DataFrame:
    """Day x interval of ``rostered - required_scheduled`` (rows the plan's dates, columns the minute of the
    day); NaN where the centre is closed."""
    c = coverage.copy()
    c["timestamp"] = pd.to_datetime(c["timestamp"])
    c["date"] = c["timestamp"].dt.normalize()
    c["minute"] = c["timestamp"].dt.hour * 60 + c["timestamp"].dt.minute
    diff = c["rostered"].astype(float) - c["required_scheduled"].astype(float)
    if closed is not None:
        diff = diff.where(~np.asarray(closed, bool))
    c["diff"] = diff
    return c.pivot_table(index="date", columns="minute", values="diff", aggfunc="first", sort=True, dropna=False)


def heatmap_figure(coverage: pd.DataFrame, title: str = "Over (+) and under (-) staffing", *,
                   closed: np.ndarray | None = None) -> Any:
    """Day x interval heatmap of ``rostered - required_scheduled`` (agents): red short (one agent short is
    already a strong red: the scale saturates at :data:`SHORT_SATURATES` short), blue over, white exactly met,
    grey where the centre is closed."""
    grid = heatmap_grid(coverage, closed)
    vals = grid.to_numpy(float)
    over = float(np.nanmax(vals)) if np.isfinite(vals).any() else 1.0
    cmap = plt.get_cmap("RdBu").with_extremes(bad=CLOSED_COLOUR)
    norm = TwoSlopeNorm(vcenter=0.0, vmin=-SHORT_SATURATES, vmax=max(1.0, over))
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(11, 0.45 * len(grid) + 1.8))
        im = ax.imshow(np.ma.masked_invalid(vals), aspect="auto", cmap=cmap, norm=norm, interpolation="nearest")
        ax.set_yticks(range(len(grid)))
        ax.set_yticklabels([f"{d:%a %Y-%m-%d}" for d in grid.index])
        mins = grid.columns.to_numpy()
        hour_cols = [i for i, m in enumerate(mins) if m % 120 == 0]
        ax.set_xticks(hour_cols)
        ax.set_xticklabels([f"{int(mins[i]) // 60:02d}:00" for i in hour_cols])
        step = int(mins[1] - mins[0]) if len(mins) > 1 else 15
        ax.set_xlabel(f"interval start ({step}-minute intervals)")
        ax.set_title(title)
        cb = fig.colorbar(im, ax=ax, pad=0.01, extend="min")
        top = max(1.0, over)
        ups = [t for t in matplotlib.ticker.MaxNLocator(5, integer=True).tick_values(0, top) if 0 < t <= top]
        cb.set_ticks([-SHORT_SATURATES, -1.0, 0.0, *ups])
        cb.set_ticklabels([f"-{SHORT_SATURATES:g} or fewer", "-1", "0", *[f"+{t:g}" for t in ups]])
        cb.set_label("agents on the phones - required")
        from matplotlib.patches import Patch

        ax.legend(handles=[Patch(facecolor=CLOSED_COLOUR, label="closed"),
                           Patch(facecolor="white", edgecolor="#888888", label="exactly met")],
                  loc="upper left", bbox_to_anchor=(0, -0.12 - 0.3 / max(len(grid), 1)), ncols=2, fontsize=7,
                  frameon=False)
        fig.tight_layout()
        return fig


def coverage_heatmap(coverage: pd.DataFrame, title: str = "Over (+) and under (-) staffing", **kw: Any) -> bytes:
    """:func:`heatmap_figure` as PNG bytes."""
    return _png(heatmap_figure(coverage, title, **kw))


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
    """The four charts of a :class:`wfm.plan.PlanResult`, keyed by their file names; closed intervals (the
    roster's closures: ``[centre.open]`` and closed holidays) marked on each."""
    from wfm.roster import closures

    name = result.config.centre.name
    explained = result.explained
    cov = result.coverage
    idx = pd.DatetimeIndex(pd.to_datetime(cov["timestamp"]))
    shut = closures(result.config, idx, cov["required_scheduled"].to_numpy(), result.start).shut
    fc = result.forecast.forecast
    fc_ts = pd.DatetimeIndex(pd.to_datetime(fc["timestamp"]).unique()).sort_values()
    fc_closed = pd.Series(shut, index=idx).reindex(fc_ts.floor(f"{result.config.planning_interval_minutes}min"),
                                                   fill_value=False).to_numpy(bool)
    return {
        "forecast.png": forecast_chart(fc, result.actuals, f"{name}: forecast against actuals",
                                       planned_actuals=getattr(result, "planned_actuals", None), closed=fc_closed),
        "staffing.png": staffing_chart(cov, f"{name}: required against scheduled agents per interval", closed=shut),
        "coverage_heatmap.png": coverage_heatmap(cov, f"{name}: over (+) and under (-) staffing", closed=shut),
        "paid-hours.png": paid_hours_chart([(p.name, p.shown) for p in explained.shown_parts()],
                                           explained.paid_shown, f"{name}: where the paid hours go"),
    }
