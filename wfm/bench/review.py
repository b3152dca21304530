"""`make bench` figures for `wfm review`: a 50-queue, 4-week run reviewed against estimated service (issue 15:
under 10 s).

The run folder is built synthetically in a temporary folder (running `wfm plan` on it would take far longer
than the review): 50 queues (q01..q50) in one FIFO staff group, 15-minute intervals, 24x7, targets 80/20 and
90/15 in turn, shrinkage 0.3, patience on every other queue, the requirement summed over the queues (the
default); a 4-week forecast from Monday 2027-01-04 on :func:`wfm.generate.intraday_curve`, scaled to about 400
agents scheduled at the peak; a roster of 9-hour full-time shifts placed greedily interval by interval until
the requirement is met (not optimal), given to agents with 11 hours' rest and at most 5 days a week; its
coverage.csv and manifest.json. The actuals are the week before and the 4 weeks, Poisson draws around the
forecast (seeded), AHT within 10% of the forecast's, no outcome columns: the service is estimated by the
simulator.

Prints the time of one :func:`wfm.review.run.review` (default replications) and one
:func:`wfm.review.run.write_review` after the imports, not after a warm-up review, against the target; then
review() again with 1 replication; and the process's peak RSS.
"""

from __future__ import annotations

import heapq
import json
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
TARGET_S = 10.0
QUEUES = 50
WEEKS = 4
START = "2027-01-04"  # a Monday
PEAK_CALLS = 7.0  # calls per 15 minutes at a weekday's peak, per queue (x 0.6-1.4): about 400 agents scheduled in all
SHIFT_MINUTES = 540
BREAKS = ((105, 15), (210, 60), (390, 15))  # (minutes after the start, minutes)
REST_HOURS = 11


def _config_text() -> str:
    """The bench's config: 50 queues in one FIFO group; contracts and shifts as configs/example.toml's."""
    example = (ROOT / "configs" / "example.toml").read_text()
    tail = example[example.index("[[contracts]]"):example.index("[roster]")]
    lines = ['[centre]', 'name = "Review bench"', 'timezone = "Asia/Shanghai"', 'interval_minutes = 15', '']
    for i in range(QUEUES):
        sl, within = ((0.80, 20), (0.90, 15))[i % 2]
        lines += ["[[queues]]", f'name = "q{i + 1:02d}"', f"service_level = {sl}", f"answer_within_s = {within}",
                  "shrinkage = 0.3", f"aht_s = {240 + 30 * (i % 7)}"]
        if i % 4 < 2:  # patience on half of them, both targets
            lines.append(f"patience_s = {180 + 20 * (i % 3)}")
        lines.append("")
    lines += ["[[staff_groups]]", 'name = "front_line"', 'routing = "fifo"', ""]
    return "\n".join(lines) + tail + "[roster]\nmin_rest_hours = 11\n"


def _forecast(cfg) -> pd.DataFrame:
    """4 weeks x 96 intervals x 50 queues: the intraday curve, a weekly shape, a size per queue."""
    from wfm.generate import intraday_curve

    per_day = 96
    days = pd.date_range(START, periods=7 * WEEKS, freq="D")
    week_shape = np.array([1.0, 0.97, 0.95, 0.95, 0.9, 0.65, 0.55])[days.dayofweek]
    shape = (week_shape[:, None] * intraday_curve(per_day)[None, :]).ravel()
    ts = pd.date_range(START, periods=len(shape), freq="15min")
    size = np.linspace(0.6, 1.4, QUEUES)
    parts = []
    for i, q in enumerate(cfg.queues):
        vol = np.round(PEAK_CALLS * size[i] * shape, 2)
        parts.append(pd.DataFrame({"timestamp": ts, "queue": q.name, "volume": vol, "aht": float(q.aht_s),
                                   "volume_p10": np.round(0.8 * vol, 2), "volume_p90": np.round(1.2 * vol, 2)}))
    return pd.concat(parts, ignore_index=True)


def _on_phones(stagger: int) -> np.ndarray:
    """1 per interval of a shift when the agent is off break, breaks ``stagger`` intervals later."""
    on = np.ones(SHIFT_MINUTES // 15, dtype=int)
    for after, minutes in BREAKS:
        on[after // 15 + stagger:(after + minutes) // 15 + stagger] = 0
    return on


def _roster(required: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    """Greedy 9-hour shifts (the roster is cyclic, as wfm's): at each interval with fewer agents on shift than
    it needs plus a sixth (breaks take 1.5 of the 9 hours), start as many shifts as it lacks; breaks staggered
    by 0, 15 or 30 minutes. Returns roster.csv rows and agents on the phones (on shift, off break) per
    interval."""
    n = len(required)
    span = SHIFT_MINUTES // 15
    want = np.ceil(required * SHIFT_MINUTES / (SHIFT_MINUTES - sum(m for _, m in BREAKS))).astype(int)
    on_shift = np.zeros(n, dtype=int)
    starts = []
    for t in range(n):
        short = int(want[t] - on_shift[t])
        if short > 0:
            starts += [t] * short
            on_shift[(t + np.arange(span)) % n] += short
    cover = np.zeros(n, dtype=int)
    for i, t in enumerate(starts):
        cover[(t + np.arange(span)) % n] += _on_phones(i % 3)
    t0 = pd.Timestamp(START)
    rows: list[dict] = []
    free: list[tuple[pd.Timestamp, int]] = []  # (when the agent may start again, agent), earliest first
    days_worked: dict[int, int] = {}  # this week's
    agents = week = 0
    for i, t in enumerate(starts):  # in time order
        begin = t0 + pd.Timedelta(minutes=15 * t)
        if t // (96 * 7) != week:
            week, days_worked = t // (96 * 7), {}
        agent, full = None, []
        while free and free[0][0] <= begin:
            a = heapq.heappop(free)[1]
            if days_worked.get(a, 0) < 5:
                agent = a
                break
            full.append(a)
        for a in full:  # five days this week: free again next Monday
            heapq.heappush(free, (t0 + pd.Timedelta(days=7 * (week + 1)), a))
        if agent is None:
            agent, agents = agents, agents + 1
        days_worked[agent] = days_worked.get(agent, 0) + 1
        end = begin + pd.Timedelta(minutes=SHIFT_MINUTES)
        heapq.heappush(free, (end + pd.Timedelta(hours=REST_HOURS), agent))
        lag = 15 * (i % 3)
        breaks = ";".join(f"{begin + pd.Timedelta(minutes=a + lag):%H:%M}-"
                          f"{begin + pd.Timedelta(minutes=a + lag + m):%H:%M}" for a, m in BREAKS)
        rows.append({"agent_id": f"A{agent + 1:05d}", "contract": "full_time", "date": f"{begin:%Y-%m-%d}",
                     "shift": "day" if 6 <= begin.hour <= 14 else "night", "start": f"{begin:%H:%M}",
                     "end": f"{end:%H:%M}", "breaks": breaks})
    return pd.DataFrame(rows), cover


def _actuals(forecast: pd.DataFrame, seed: int = 15) -> pd.DataFrame:
    """The week before the run (its first week's forecast) and the run's 4 weeks: Poisson calls around the
    forecast, AHT within 10% of the forecast's (whole seconds)."""
    rng = np.random.default_rng(seed)
    ts = pd.to_datetime(forecast["timestamp"])
    first = forecast[ts < pd.Timestamp(START) + pd.Timedelta(days=7)]
    before = first.assign(timestamp=pd.to_datetime(first["timestamp"]) - pd.Timedelta(days=7))
    frame = pd.concat([before, forecast.assign(timestamp=ts)], ignore_index=True)
    vol = rng.poisson(frame["volume"].to_numpy(float))
    aht = np.rint(frame["aht"].to_numpy(float) * rng.uniform(0.9, 1.1, len(frame)))
    return pd.DataFrame({"timestamp": frame["timestamp"].dt.strftime("%Y-%m-%d %H:%M"), "queue": frame["queue"],
                         "volume": vol, "aht": aht.astype(int)}).sort_values(["timestamp", "queue"], kind="stable")


def build(folder: Path):
    """The run folder (``folder/runs/2027-01-04``), the actuals file and the config; returns
    ``(run, actuals, config, figures)``."""
    from wfm import __version__
    from wfm.config import load_config
    from wfm.plan.manifest import sha256_file
    from wfm.staffing import staff, staffing_requirement

    (folder / "review-bench.toml").write_text(_config_text())
    cfg = load_config(folder / "review-bench.toml")
    run = folder / "runs" / START
    run.mkdir(parents=True)
    fc = _forecast(cfg)
    req = staffing_requirement(staff(fc, cfg, cfg.planning_interval_minutes), cfg)
    required = req.set_index("timestamp")["scheduled"].reindex(pd.to_datetime(fc["timestamp"].unique()))
    required = required.fillna(0).to_numpy(int)
    roster, cover = _roster(required)
    out = fc.assign(timestamp=fc["timestamp"].dt.strftime("%Y-%m-%d %H:%M"))
    out.to_csv(run / "forecast.csv", index=False)
    roster.to_csv(run / "roster.csv", index=False)
    ts = pd.date_range(START, periods=len(required), freq="15min")
    pd.DataFrame({"timestamp": ts.strftime("%Y-%m-%d %H:%M"), "required_scheduled": required, "rostered": cover,
                  "over": np.maximum(cover - required, 0), "under": np.maximum(required - cover, 0),
                  "service_level": ""}).to_csv(run / "coverage.csv", index=False)
    names = ("forecast.csv", "roster.csv", "coverage.csv")
    (run / "manifest.json").write_text(json.dumps(
        {"wfm_version": __version__, "files": {n: sha256_file(run / n) for n in names}}, indent=2) + "\n")
    actuals = folder / "actuals.csv"
    act = _actuals(fc)
    act.to_csv(actuals, index=False)
    figures = {"intervals": len(required), "peak_required": int(required.max()), "shifts": len(roster),
               "agents": roster["agent_id"].nunique(), "calls": int(act["volume"].sum()),
               "short": int((cover < required).sum())}
    return run, actuals, cfg, figures


def _imports() -> float:
    """Import what review() and write_review() import when called (seconds), so the timing is theirs."""
    import importlib

    t = time.perf_counter()
    for name in ("wfm.review.run", "wfm.review.actuals", "wfm.review.service", "wfm.review.report",
                 "wfm.review.charts", "wfm.review.trend", "wfm.simulate.run", "wfm.whatif.impact",
                 "wfm.whatif.inputs", "wfm.roster.readers", "wfm.outputs", "matplotlib.pyplot", "tabulate"):
        importlib.import_module(name)
    return time.perf_counter() - t


def run() -> None:
    imports = _imports()
    from wfm.review.run import review, write_review

    with tempfile.TemporaryDirectory(prefix="wfm-review-bench-") as tmp:
        t = time.perf_counter()
        run_folder, actuals, cfg, f = build(Path(tmp))
        setup = time.perf_counter() - t
        print(f"review bench inputs ({setup:.1f} s to build, {imports:.1f} s of imports first): {QUEUES} queues, {WEEKS} weeks, {f['intervals']:,} "
              f"intervals; peak {f['peak_required']} agents scheduled, {f['shifts']:,} shifts for {f['agents']} "
              f"agents ({f['short']} intervals short); {f['calls']:,} calls in the actuals (5 weeks)")
        t0 = time.perf_counter()
        result = review(run_folder, actuals, cfg)
        t1 = time.perf_counter()
        write_review(result, run_folder, None, cfg.planning_interval_minutes)
        t2 = time.perf_counter()
        total = t2 - t0
        print(f"review() {t1 - t0:.1f} s (service {result.source}, 5 replications), write_review() {t2 - t1:.1f} s, "
              f"total {total:.1f} s (target: < {TARGET_S:.0f} s{'' if total < TARGET_S else ': MISSED'})")
        t3 = time.perf_counter()
        review(run_folder, actuals, cfg, replications=1)
        t4 = time.perf_counter()
        print(f"review() with 1 replication {t4 - t3:.1f} s (after the first)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(f"peak RSS of the process {peak:.2f} GB (inputs included)")
