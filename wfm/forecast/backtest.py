"""Rolling-origin backtest, its scores, and the choice of model per queue.

``backtest(models, history, h, n_windows, step)`` scores every model on the same rolling origins and returns
one frame with a ``cutoff`` column; ``score_backtest`` turns it into WAPE, bias, MASE, daily WAPE and MAPE
per queue and model; ``choose`` picks the lowest-WAPE model per queue among :data:`AUTO_CANDIDATES`
(``--method auto``). ``predict_days`` is the one forecast from one origin that both the backtest and
:func:`wfm.forecast.forecast` run.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from wfm.errors import InsufficientHistory
from wfm.forecast.models import _Model
from wfm.forecast.special_days import forecast_holidays, holiday_like_setting
from wfm.history import History, open_intervals, weekday_index

#: Models `--method auto` chooses from, in order of preference on near-ties (see :func:`choose`); the
#: seasonal naive is always scored as the baseline.
AUTO_CANDIDATES = ("top_down", "blend", "week_average", "top_down_trend")


# --------------------------------------------------------------------------- one queue, one origin
def predict_days(
    models: Sequence[_Model], vol_train: np.ndarray, vol_full: np.ndarray, holiday: np.ndarray,
    usable: np.ndarray, cutoff_day: int, n_days: int, holiday_like: int, level: Sequence[int] | None = None,
    max_train_weeks: int = 26,
) -> list[dict[str, np.ndarray]]:
    """Forecast ``n_days`` days from ``cutoff_day`` for each model: closed intervals at 0, holidays handled.

    ``vol_train`` (D, P) is the training volume (holidays and excluded days NaN); ``vol_full`` keeps the
    holidays' real volume (for holiday history). Only the last ``max_train_weeks`` weeks are fit on.
    ``holiday_like`` is a weekday index (Monday 0). Returns one dict per model, flat arrays of ``n_days * P``.
    """
    per_day = vol_train.shape[1]
    s = 7 * per_day
    first = max(0, cutoff_day - 7 * max_train_weeks)
    first -= first % 7  # keep y starting on a Monday
    y = vol_train[first:cutoff_day].ravel()
    op = open_intervals(vol_train[None, first:cutoff_day])[0]  # (7, P)
    closed = ~op[(cutoff_day + np.arange(n_days)) % 7]
    hol_targets = np.flatnonzero(holiday[cutoff_day : cutoff_day + n_days]) if len(holiday) else []
    results = []
    for m in models:
        if m.season_length != s:
            raise ValueError(f"{m.alias}: season_length {m.season_length} != {s} intervals per week")
        days = {k: v.reshape(n_days, per_day).copy() for k, v in m.fit(y).predict(n_days * per_day, level).items()}
        for arr in days.values():
            arr[closed] = 0.0
        if len(hol_targets):
            days = forecast_holidays(days, vol_full, holiday, usable, cutoff_day, hol_targets, holiday_like,
                                     like_closed=not op[holiday_like].any())
        results.append({k: v.ravel() for k, v in days.items()})
    return results


# --------------------------------------------------------------------------- backtest
def backtest(
    models: Sequence[_Model], history: History, h: int, n_windows: int = 4, step: int | None = None,
    holiday_like: str | None = None, queues: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Rolling-origin evaluation: every model on the same windows over the end of the history.

    ``h`` and ``step`` are in intervals and must be whole days (``step`` defaults to one week). Returns one
    frame ``queue, timestamp, cutoff, y, <alias>...`` (``y`` NaN where the actual is missing or excluded).
    The last window ends at the end of the history. Raises :class:`InsufficientHistory` if not even one
    window fits after two weeks of training. ``holiday_like``: the weekday a holiday without holiday history
    is forecast like (default: the ``[forecast] holiday_like`` default).
    """
    p = history.per_day
    if h % p or (step is not None and step % p):
        raise ValueError("h and step must be whole days of intervals")
    h_days = h // p
    step_days = (step // p) if step else 7
    last = last_data_day(history) + 1
    fit = max((last - h_days - first_data_day(history) - 14) // step_days + 1, 0)  # windows the history holds
    cutoffs = sorted(last - h_days - i * step_days for i in range(min(n_windows, fit)))
    if not cutoffs:
        raise InsufficientHistory(
            f"{history.report.source}: too little history to backtest a {h_days}-day horizon "
            f"(need at least {14 + h_days} days, have {last - first_data_day(history)})"
        )
    train = history.training_volume()
    actual = history.volume.copy()
    actual[:, history.excluded, :] = np.nan
    usable = ~(history.excluded | history.holiday)
    like = weekday_index(holiday_like or holiday_like_setting(None))
    qnames = list(queues) if queues else history.queues
    frames = []
    has_day = np.isfinite(train).any(axis=2)  # (Q, D)
    for qname in qnames:
        qi = history.queues.index(qname)
        for c in cutoffs:
            preds = predict_days(models, train[qi], history.volume[qi], history.holiday, usable, c, h_days, like)
            y = actual[qi, c : c + h_days].ravel()
            if has_day[qi, :c].sum() < 7:  # a queue younger than a week at this origin: not scored
                y = np.full_like(y, np.nan)
            ts = history.start + pd.to_timedelta(
                (c * p + np.arange(h)) * history.interval_minutes, unit="min"
            )
            cols: dict[str, Any] = {
                "queue": qname, "timestamp": ts,
                "cutoff": history.start + pd.Timedelta(days=c), "y": y,
            }
            for m, pr in zip(models, preds, strict=True):
                cols[m.alias] = pr["mean"]
            frames.append(pd.DataFrame(cols))
    return pd.concat(frames, ignore_index=True)


def last_data_day(history: History) -> int:
    """Index of the last day of ``history`` holding any volume (InsufficientHistory when none does)."""
    has = np.isfinite(history.volume).any(axis=(0, 2))
    if not has.any():
        raise InsufficientHistory(f"{history.report.source}: the history holds no volume")
    return int(np.flatnonzero(has)[-1])


def first_data_day(history: History) -> int:
    """Index of the first day of ``history`` holding any volume (``n_days`` when none does)."""
    has = np.flatnonzero(np.isfinite(history.volume).any(axis=(0, 2)))
    return int(has[0]) if len(has) else history.n_days


# --------------------------------------------------------------------------- scores and choice
def score_backtest(cv: pd.DataFrame, baseline: str = "seasonal_naive") -> pd.DataFrame:
    """Metrics per queue and model from a backtest frame (vectorised: one pass per model).

    wape: sum |error| / sum actual; bias: sum error / sum actual (positive = over-forecast);
    mase: MAE / MAE of the weekly seasonal naive on the same windows (< 1 beats it);
    daily_wape: WAPE of daily totals; mape: mean |error| / actual over intervals with volume.
    Intervals whose actual is missing are not scored; a queue with nothing scored gets NaN.
    """
    models = [c for c in cv.columns if c not in ("queue", "timestamp", "cutoff", "y")]
    qcode, qnames = pd.factorize(cv["queue"])
    nq = len(qnames)
    y_all = cv["y"].to_numpy(dtype=float)
    ok = np.isfinite(y_all)
    q = qcode[ok]
    y = y_all[ok]
    day = cv["timestamp"].to_numpy().astype("datetime64[D]").astype(np.int64)[ok]
    cut = cv["cutoff"].to_numpy().astype("datetime64[D]").astype(np.int64)[ok]
    composite = (q.astype(np.int64) * 100_000 + (cut - cut.min(initial=0))) * 100_000 + (day - day.min(initial=0))
    day_key, _ = pd.factorize(composite)
    day_q = np.zeros(day_key.max() + 1 if len(day_key) else 0, dtype=np.int64)
    day_q[day_key] = q
    n = np.bincount(q, minlength=nq).astype(float)
    tot = np.bincount(q, weights=y, minlength=nq)
    y_day = np.bincount(day_key, weights=y)
    tot_day = np.bincount(day_q, weights=y_day, minlength=nq)
    pos = y > 0
    n_pos = np.bincount(q[pos], minlength=nq).astype(float)

    def per_queue(f: np.ndarray) -> dict[str, np.ndarray]:
        err = f - y
        abs_err = np.bincount(q, weights=np.abs(err), minlength=nq)
        f_day = np.bincount(day_key, weights=f, minlength=len(y_day))
        with np.errstate(invalid="ignore", divide="ignore"):
            return {
                "wape": np.where(tot > 0, abs_err / tot, np.nan),
                "bias": np.where(tot > 0, np.bincount(q, weights=err, minlength=nq) / tot, np.nan),
                "mae": np.where(n > 0, abs_err / n, np.nan),
                "daily_wape": np.where(
                    tot_day > 0, np.bincount(day_q, weights=np.abs(f_day - y_day), minlength=nq) / tot_day, np.nan
                ),
                "mape": np.where(
                    n_pos > 0, np.bincount(q[pos], weights=np.abs(err[pos]) / y[pos], minlength=nq) / n_pos, np.nan
                ),
            }

    scores = {m: per_queue(cv[m].to_numpy(dtype=float)[ok]) for m in models}
    base = scores[baseline]["mae"] if baseline in scores else np.full(nq, np.nan)
    rows = []
    for qi, qname in enumerate(qnames):
        for m in models:
            sc = scores[m]
            mase = sc["mae"][qi] / base[qi] if np.isfinite(base[qi]) and base[qi] > 0 else np.nan
            rows.append({"queue": qname, "model": m, "wape": sc["wape"][qi], "bias": sc["bias"][qi],
                         "mase": mase, "daily_wape": sc["daily_wape"][qi], "mape": sc["mape"][qi]})
    return pd.DataFrame(rows)


def choose(metrics: pd.DataFrame, candidates: Sequence[str], margin: float = 0.02) -> dict[str, str]:
    """Per queue, the candidate with the lowest backtest WAPE.

    Near-ties are noise: among candidates within ``margin`` (relative) of the best WAPE, the one listed
    first in ``candidates`` wins, so a riskier model (a trend) must win clearly to be chosen.
    """
    out = {}
    order = {m: i for i, m in enumerate(candidates)}
    for qname, g in metrics.groupby("queue", sort=False):
        g = g[g["model"].isin(candidates) & g["wape"].notna()].copy()
        if g.empty:
            out[str(qname)] = candidates[0]
            continue
        best = g["wape"].min()
        near = g[g["wape"] <= best * (1 + margin) + 1e-12].copy()
        near["o"] = near["model"].map(order)
        out[str(qname)] = str(near.sort_values("o")["model"].iloc[0])
    return out


