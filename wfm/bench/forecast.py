"""Forecast benchmark: speed on 50 queues x 1 year of 15-minute history, and accuracy on real data.

1. Generate 50 queues x 52 weeks of 15-minute history (wfm.generate), clean it, then run ``forecast``
   with ``method="auto"`` (5 models x 4 backtest origins x 14-day horizon, then the 14-day forecast).
   Target: under 10 s on 2 cores.
2. Real data: ../shared/data/israel_bank_calls_6min_1999.csv (a bank's call centre, 6-minute counts, 1999).
   The last two weeks (1999-12-18..12-31) are held out; every model forecasts them once from the end of
   training, and ``auto`` picks its model from a 4-origin backtest on the training part only. Reported at
   6 and 30 minutes against the calendar-aligned seasonal naive and the plain 4-week same-interval average.
   Skipped with a line saying so when the file is absent.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from wfm import forecast as fc
from wfm.generate import EXAMPLE_QUEUES, QueueSpec, generate_history
from wfm.history import clean_history, prepare_history, read_history, resolve_holidays

REAL_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "israel_bank_calls_6min_1999.csv"
HOLDOUT_START = "1999-12-18"


def _queues(n: int) -> tuple[QueueSpec, ...]:
    rng = np.random.default_rng(11)
    out = []
    for i in range(n):
        base = EXAMPLE_QUEUES[i % len(EXAMPLE_QUEUES)]
        out.append(QueueSpec(f"q{i:02d}", base.peak * rng.uniform(0.2, 2.0), base.aht_s, base.weekly, base.storm))
    return tuple(out)


def speed(n_queues: int = 50) -> dict[str, float]:
    frame = generate_history(seed=3, queues=_queues(n_queues))
    t0 = time.perf_counter()
    hist = clean_history(frame, source="bench", timezone="UTC")
    t1 = time.perf_counter()
    res = fc.forecast(hist, None, horizon=14, method="auto", backtest_origins=4)
    t2 = time.perf_counter()
    chosen = {}
    for m in res.chosen.values():
        chosen[m] = chosen.get(m, 0) + 1
    print(f"{n_queues} queues x {hist.n_days} days of {hist.interval_minutes}-min history "
          f"({len(frame):,} rows)")
    print(f"  clean_history        {t1 - t0:6.2f} s")
    print(f"  forecast auto+backtest (5 models x 4 origins x 14 d) + 14-day forecast {t2 - t1:6.2f} s "
          f"(target < 10 s)")
    print(f"  chosen: {', '.join(f'{k} {v}' for k, v in sorted(chosen.items()))}; "
          f"median backtest WAPE {np.median([w for w in res.chosen_wape.values() if w is not None]):.1%}")
    return {"clean_s": t1 - t0, "forecast_s": t2 - t1}


def _wape(f: np.ndarray, a: np.ndarray) -> float:
    ok = np.isfinite(a)
    return float(np.abs(f[ok] - a[ok]).sum() / a[ok].sum())


def real_data_table(path: Path = REAL_DATA) -> list[dict] | None:
    if not path.exists():
        print(f"real data: skipped ({path.resolve() if path.parent.exists() else path} not found)")
        return None
    raw = read_history(path)
    rows = []
    il = resolve_holidays("IL", [1999, 2000])
    for minutes, holidays in ((None, set()), (30, set()), (None, il), (30, il)):
        t0 = time.perf_counter()
        hist = prepare_history(raw, source=path.name, interval_minutes=minutes, holidays=holidays)
        p, s = hist.per_day, hist.season_length
        cut = (np.datetime64(HOLDOUT_START) - np.datetime64(hist.start.date())).astype(int)
        actual = hist.volume[0, cut : cut + 14].ravel()
        train = hist.volume[0, :cut]
        # plain 4-week same-interval average (unweighted, as in the data README)
        plain = np.nanmean(train[-28:].reshape(4, 7, p), axis=0)
        plain4 = np.concatenate([plain, plain]).ravel()
        models = fc.make_models(s, ["seasonal_naive", *fc.AUTO_CANDIDATES])
        preds = {m.alias: m.forecast(train.ravel(), 14 * p)["mean"] for m in models}
        res = fc.forecast(hist, None, horizon=14, start=HOLDOUT_START, method="auto", backtest_origins=4)
        auto = res.forecast["volume"].to_numpy()
        lo, hi = res.forecast["volume_p10"].to_numpy(), res.forecast["volume_p90"].to_numpy()
        coverage = float(np.mean((actual >= lo) & (actual <= hi)))
        elapsed = time.perf_counter() - t0
        sn = _wape(preds["seasonal_naive"], actual)
        row = {
            "interval": f"{hist.interval_minutes}-min",
            "holidays": "IL" if holidays else "none",
            "seasonal_naive": sn,
            "4-week average": _wape(plain4, actual),
            **{k: _wape(v, actual) for k, v in preds.items() if k != "seasonal_naive"},
            "auto": _wape(auto, actual),
            "auto_model": res.chosen[hist.queues[0]],
            "coverage": coverage,
            "seconds": elapsed,
        }
        row["auto_vs_naive"] = 1 - row["auto"] / sn
        rows.append(row)
    cols = ["seasonal_naive", "4-week average", *fc.AUTO_CANDIDATES, "auto"]
    print(f"real data: {path.name}, last two weeks ({HOLDOUT_START}..1999-12-31) held out, WAPE")
    print("| interval | holidays | " + " | ".join(cols) + " | auto picked | auto vs seasonal naive | p10-p90 coverage | time |")
    print("|---" * (len(cols) + 6) + "|")
    for r in rows:
        print(f"| {r['interval']} | {r['holidays']} | " + " | ".join(f"{r[c]:.1%}" for c in cols)
              + f" | {r['auto_model']} | -{r['auto_vs_naive']:.0%} | {r['coverage']:.0%} | {r['seconds']:.1f} s |")
    return rows


def rolling_table(path: Path = REAL_DATA, n_origins: int = 12) -> None:
    """The same comparison over ``n_origins`` 14-day windows one week apart, ending at the end of 1999."""
    if not path.exists():
        return
    raw = read_history(path)
    print(f"real data, {n_origins} rolling 14-day windows one week apart (last ends 1999-12-31), pooled WAPE")
    print("| interval | seasonal_naive | 4-week average | auto |")
    print("|---|---|---|---|")
    for minutes in (None, 30):
        hist = prepare_history(raw, source=path.name, interval_minutes=minutes)
        p = hist.per_day
        end = hist.n_days
        err = {"seasonal_naive": 0.0, "4-week average": 0.0, "auto": 0.0}
        total = 0.0
        for k in range(n_origins):
            cut = end - 14 - 7 * k
            actual = hist.volume[0, cut : cut + 14].ravel()
            train = hist.volume[0, :cut]
            plain = np.nanmean(train[-28:].reshape(4, 7, p), axis=0)
            sn = fc.SeasonalNaive(hist.season_length).forecast(train.ravel(), 14 * p)["mean"]
            start = (hist.start + np.timedelta64(int(cut), "D")).strftime("%Y-%m-%d")
            auto = fc.forecast(hist, None, horizon=14, start=start, method="auto").forecast["volume"].to_numpy()
            for name, f in (("seasonal_naive", sn), ("4-week average", np.concatenate([plain, plain]).ravel()),
                            ("auto", auto)):
                err[name] += float(np.abs(f - actual).sum())
            total += float(actual.sum())
        print(f"| {hist.interval_minutes}-min | " + " | ".join(f"{err[c] / total:.1%}" for c in err) + " |")


def run() -> None:
    speed()
    print()
    real_data_table()
    print()
    rolling_table()


if __name__ == "__main__":
    run()
