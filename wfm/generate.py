"""Seeded generator of realistic interval history (the bundled example ``forecasts/history.csv``).

    python -m wfm.generate [--seed 7] [--out forecasts/history.csv]
    python -m wfm.generate --actuals --weeks 3 [--out forecasts/actuals.csv]    # what happened next
    python -m wfm.generate --until 2026-12-06 --out history-to-12-06.csv        # the history a week later


The example centre (configs/example.toml) runs 24x7 with three queues. The history has:
an intraday curve with a night lull (about 4% of the peak between 02:00 and 05:00), a morning and an
afternoon peak and an evening shoulder; a weekly pattern (Monday busiest, Sunday quietest; cards flatter);
a gentle upward trend (about +8% over the year) and a mild annual swell; public holidays at about 40% of
a normal day with a Sunday-like shape; one storm surge (2026-08-12, from 13:00 to 23:00, up to 2.5x on
retail and cards); over-dispersed (gamma-Poisson) counts; AHT per interval around the queue's mean, a little
longer at night, with noise that shrinks with volume. Volumes are integers and AHT whole seconds.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class QueueSpec:
    name: str
    peak: float  # mean calls in the peak 15 minutes of a Monday
    aht_s: float
    weekly: tuple[float, ...]  # Monday..Sunday day level
    storm: float  # surge multiplier at the height of the storm


EXAMPLE_QUEUES = (
    QueueSpec("retail", 120.0, 300.0, (1.15, 1.05, 1.0, 1.0, 0.95, 0.62, 0.5), 2.5),
    QueueSpec("business", 40.0, 420.0, (1.15, 1.1, 1.05, 1.0, 0.95, 0.35, 0.25), 1.3),
    QueueSpec("cards", 60.0, 240.0, (1.05, 1.0, 1.0, 1.0, 1.0, 0.85, 0.8), 2.5),
)
EXAMPLE_HOLIDAYS = (
    "2026-01-01", "2026-02-16", "2026-02-17", "2026-02-18", "2026-04-05", "2026-05-01", "2026-06-19",
    "2026-09-25", "2026-10-01", "2026-10-02",
)
STORM = ("2026-08-12 13:00", "2026-08-12 23:00")


def intraday_curve(per_day: int, business: bool = False) -> np.ndarray:
    """Relative call rate over the day (peak 1.0): night lull, morning and afternoon peaks, evening."""
    h = (np.arange(per_day) + 0.5) * 24 / per_day
    curve = (
        0.04
        + 1.00 * np.exp(-0.5 * ((h - 10.25) / 1.6) ** 2)
        + 0.85 * np.exp(-0.5 * ((h - 14.75) / 1.9) ** 2)
        + (0.15 if business else 0.45) * np.exp(-0.5 * ((h - 20.0) / 1.6) ** 2)
    )
    return curve / curve.max()


def generate_history(
    seed: int = 7,
    start: str = "2025-12-01",
    end: str = "2026-11-29",
    interval_minutes: int = 15,
    queues: tuple[QueueSpec, ...] = EXAMPLE_QUEUES,
    holidays: tuple[str, ...] = EXAMPLE_HOLIDAYS,
    storm: tuple[str, str] | None = STORM,
) -> pd.DataFrame:
    """History frame ``timestamp,queue,volume,aht``, one row per interval and queue, deterministic per seed."""
    rng = np.random.default_rng(seed)
    per_day = 1440 // interval_minutes
    days = pd.date_range(start, end, freq="D")
    n_days = len(days)
    ts = pd.date_range(start, periods=n_days * per_day, freq=f"{interval_minutes}min")
    dow = days.day_of_week.to_numpy()
    frac_year = np.arange(n_days) / 365.0
    hol = np.isin(days.strftime("%Y-%m-%d"), list(holidays))
    storm_mult = np.ones(n_days * per_day)
    if storm:
        s0, s1 = pd.Timestamp(storm[0]), pd.Timestamp(storm[1])
        inside = (ts >= s0) & (ts < s1)
        x = (ts[inside] - s0) / (s1 - s0)
        storm_mult_shape = np.sin(np.pi * np.asarray(x, dtype=float)) ** 0.7
    frames = []
    for q in queues:
        base = intraday_curve(per_day, business=q.name == "business")
        weekly = np.array(q.weekly)
        level = weekly[dow] * (1 + 0.08 * frac_year) * (1 + 0.05 * np.sin(2 * np.pi * (frac_year - 0.1)))
        sunday = weekly[6] * intraday_curve(per_day, business=q.name == "business")
        mean = level[:, None] * base[None, :]
        mean[hol] = 0.4 * (1 + 0.08 * frac_year[hol, None]) * sunday[None, :] / max(weekly[6], 1e-9) * 0.9
        mean = mean.ravel() * q.peak / weekly[0]
        if storm:
            mult = storm_mult.copy()
            mult[inside] = 1 + (q.storm - 1) * storm_mult_shape
            mean = mean * mult
        shape = 25.0  # gamma-Poisson: variance = mean + mean^2 / shape
        lam = rng.gamma(shape, mean / shape)
        volume = rng.poisson(lam)
        hour = (np.arange(n_days * per_day) % per_day) * 24 / per_day
        night = (hour < 6) | (hour >= 22)
        aht_mean = q.aht_s * (1 + 0.1 * night) * (1 + 0.03 * np.sin(2 * np.pi * frac_year.repeat(per_day)))
        noise = rng.normal(0, 0.25, len(volume)) / np.sqrt(np.maximum(volume, 1))
        aht = np.round(aht_mean * np.exp(noise))
        aht = np.where(volume > 0, aht, np.nan)
        frames.append(pd.DataFrame({"timestamp": ts, "queue": q.name, "volume": volume, "aht": aht}))
    out = pd.concat(frames, ignore_index=True).sort_values(["timestamp", "queue"], kind="stable")
    out["aht"] = out["aht"].astype("Int64")
    return out.reset_index(drop=True)


HISTORY_START, HISTORY_END = "2025-12-01", "2026-11-29"


CONTINUATION_END = "2027-11-28"  # the continuation is drawn to here at once: any part of it is the same draws


def continue_history(seed: int = 7, weeks: int = 1, start: str = "2026-11-30") -> pd.DataFrame:
    """What happened after the bundled history: ``weeks`` weeks from ``start`` (up to CONTINUATION_END) drawn
    from the same process (the trend, the yearly swell, the weekly and intraday shapes carry on from the
    history's first day), with draws of their own (seed ``seed + 1``), deterministic per seed and the same
    days whatever ``weeks``: the actuals of a week are the history of the next plan. No storm, no holiday."""
    end = pd.Timestamp(start) + pd.Timedelta(days=7 * weeks)
    if pd.Timestamp(start) <= pd.Timestamp(HISTORY_END) or end > pd.Timestamp(CONTINUATION_END) + pd.Timedelta(days=1):
        raise ValueError(f"the continuation runs from after {HISTORY_END} to {CONTINUATION_END}")
    full = generate_history(seed=seed + 1, start=HISTORY_START, end=CONTINUATION_END, storm=None, holidays=())
    ts = full["timestamp"]
    return full[(ts >= pd.Timestamp(start)) & (ts < end)].reset_index(drop=True)


def actuals_file(seed: int = 7, weeks: int = 1, start: str = "2026-11-30", before_days: int = 7) -> pd.DataFrame:
    """The actuals a review reads: the bundled history's last ``before_days`` days (for the seasonal naive,
    exactly as in it) and :func:`continue_history`'s ``weeks`` weeks."""
    hist = generate_history(seed=seed)
    cut = pd.Timestamp(start) - pd.Timedelta(days=before_days)
    past = hist[(hist["timestamp"] >= cut) & (hist["timestamp"] < pd.Timestamp(start))]
    return pd.concat([past, continue_history(seed, weeks, start)], ignore_index=True)


def history_until(until: str, seed: int = 7) -> pd.DataFrame:
    """The bundled history carried on to ``until`` (inclusive) with :func:`continue_history`'s days: the
    history a planner would have a week or two later."""
    days = (pd.Timestamp(until) - pd.Timestamp(HISTORY_END)).days
    if days <= 0:
        hist = generate_history(seed=seed)
        return hist[hist["timestamp"] < pd.Timestamp(until) + pd.Timedelta(days=1)].reset_index(drop=True)
    more = continue_history(seed, -(-days // 7))
    more = more[more["timestamp"] < pd.Timestamp(until) + pd.Timedelta(days=1)]
    return pd.concat([generate_history(seed=seed), more], ignore_index=True)


def acd_outcomes(actuals: pd.DataFrame, roster: pd.DataFrame, config, seed: int = 0) -> pd.DataFrame:
    """The ACD's outcome columns for ``actuals`` (``timestamp, queue, volume, aht``) answered by ``roster``:
    one replication of :mod:`wfm.simulate` (the calls of each interval drawn around its volume), whose calls
    offered become ``volume`` and whose answers, abandons and waits become ``answered, answered_within,
    abandoned, asa``: an ACD export by construction."""
    from wfm.simulate.run import simulate

    fc = actuals[["timestamp", "queue", "volume", "aht"]].copy()
    fc["aht"] = fc["aht"].astype(float)
    res = simulate(config, fc, roster=roster, replications=1, seed=seed, arrivals="exact")
    t = res.intervals
    out = pd.DataFrame({"timestamp": t["timestamp"], "queue": t["queue"], "volume": t["offered"].round().astype(int)})
    out = out.merge(fc[["timestamp", "queue", "aht"]], on=["timestamp", "queue"], how="left")
    out["aht"] = out["aht"].round().astype("Int64")
    out["answered"] = t["answered"].round().astype(int).to_numpy()
    out["answered_within"] = t["answered_within"].round().astype(int).to_numpy()
    out["abandoned"] = t["abandoned"].round().astype(int).to_numpy()
    out["asa"] = np.round(t["asa"].to_numpy(float), 2)
    return out


SMALL_CONFIG = """# A small centre made by wfm.generate.write_small_centre (portfolio tests and bench)
[centre]
name = "{name}"
timezone = "UTC"
interval_minutes = {interval}
front_line_headcount = 12
ratio_tolerance = 0.05
[centre.open]
{open}
[[queues]]
name = "calls"
service_level = 0.80
answer_within_s = 30
shrinkage = 0.30
aht_s = 300
[[contracts]]
name = "full_time"
days_per_week = 5
paid_hours_per_week = 40
consecutive_days_off = 2
[[shifts]]
name = "day"
contracts = ["full_time"]
start = ["08:00", "11:00"]
start_step_minutes = 60
length_minutes = 540
breaks = [ {{ minutes = 60, paid = false, window = ["03:00", "05:00"] }} ]
[roster]
time_limit_s = 20
gap = 0.02
[back_office]
roles = [ {{ role = "team_leaders", headcount = {back_office} }} ]
"""


def write_small_centre(folder: str | Path, name: str, seed: int, peak: float = 12.0, weeks: int = 8, *,
                       interval_minutes: int = 30, seven_days: bool = False, back_office: int = 1
                       ) -> tuple[Path, Path]:
    """A small centre (one queue, 08:00-20:00 Monday to Friday, or every day with ``seven_days``, on
    ``interval_minutes``; ``peak``: the queue's :class:`QueueSpec` peak) with ``weeks`` of history to
    2026-11-29 and ``back_office`` team leaders: ``folder/<name>.toml`` and ``folder/<name>-history.csv``;
    deterministic per seed."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    start = (pd.Timestamp(HISTORY_END) - pd.Timedelta(days=7 * weeks - 1)).strftime("%Y-%m-%d")
    week = (1.1, 1.0, 1.0, 1.0, 0.95, 0.6, 0.45) if seven_days else (1.1, 1.0, 1.0, 1.0, 0.95, 0.0, 0.0)
    spec = QueueSpec("calls", peak, 300.0, week, 1.0)
    hist = generate_history(seed=seed, start=start, end=HISTORY_END, interval_minutes=interval_minutes,
                            queues=(spec,), holidays=(), storm=None)
    hour = hist["timestamp"].dt.hour
    days = 7 if seven_days else 5
    hist = hist[(hist["timestamp"].dt.day_of_week < days) & (hour >= 8) & (hour < 20)]
    config, history = folder / f"{name}.toml", folder / f"{name}-history.csv"
    hours = 'mon-sun = ["08:00", "20:00"]' if seven_days else 'mon-fri = ["08:00", "20:00"]\nsat-sun = "closed"'
    config.write_text(SMALL_CONFIG.format(name=name, interval=interval_minutes, open=hours,
                                          back_office=back_office))
    hist.to_csv(history, index=False, date_format="%Y-%m-%d %H:%M")
    return config, history


def write_example(path: str = "forecasts/history.csv", seed: int = 7) -> pd.DataFrame:
    """Regenerate the bundled example history at ``path``."""
    from wfm.io import atomic_write_csv

    frame = generate_history(seed=seed)
    atomic_write_csv(path, frame)
    return frame


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m wfm.generate", description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", default=None, help="default forecasts/history.csv (forecasts/actuals.csv with --actuals)")
    ap.add_argument("--actuals", action="store_true", help="the week before 2026-11-30 and WEEKS weeks from it")
    ap.add_argument("--weeks", type=int, default=1)
    ap.add_argument("--until", default=None, help="the history carried on to this date (YYYY-MM-DD)")
    args = ap.parse_args(argv)
    if args.actuals or args.until:
        from wfm.io import atomic_write_csv

        if args.actuals:
            frame = actuals_file(args.seed, args.weeks)
            args.out = args.out or "forecasts/actuals.csv"
        else:
            frame = history_until(args.until, args.seed)
            args.out = args.out or f"forecasts/history-{args.until}.csv"
        atomic_write_csv(args.out, frame)
    else:
        args.out = args.out or "forecasts/history.csv"
        frame = write_example(args.out, args.seed)
    print(f"wrote {args.out}: {len(frame):,} rows, {frame['queue'].nunique()} queues, "
          f"{frame['timestamp'].min():%Y-%m-%d}..{frame['timestamp'].max():%Y-%m-%d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
