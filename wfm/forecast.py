"""Forecast call volume and AHT per interval and queue, with rolling-origin backtests.

Models share one small interface (statsforecast style): settings in ``__init__`` (``season_length`` =
intervals per week, e.g. 672 at 15 minutes, and a unique ``alias``), ``fit(y) -> self``,
``predict(h, level=None) -> {"mean", "lo-<level>", "hi-<level>"}`` and ``forecast(y, h)``.
``y`` is one queue's volume on the calendar grid (:class:`wfm.history.History`): it starts at Monday
00:00, one value per interval, NaN where there is no data. So "one week earlier" is always ``t - season_length``
and a missing day never shifts the weekdays.

Models:
    seasonal_naive   the same interval one week earlier (the latest week holding data)
    week_average     the same weekday-interval over the last k weeks, recency-weighted, odd days dropped
    top_down         daily totals (day-of-week regression with a damped trend, robust) x intraday profile
                     (shares per weekday-interval from recent weeks, smoothed over time and similar weekdays)
    blend            the mean of week_average and top_down

``backtest(models, history, h, n_windows, step)`` scores every model on the same rolling origins and returns
one frame with a ``cutoff`` column; ``evaluate`` turns it into WAPE, bias, MASE, daily WAPE and MAPE.
``forecast(history, config, horizon, ...)`` is what ``wfm forecast`` runs: it backtests, picks the model per
queue (``method="auto"``), and returns every interval of the horizon with ``volume_p10``/``volume_p90``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd

from wfm.config import CentreConfig
from wfm.errors import InputError, InsufficientHistory
from wfm.history import History, clean_history, open_intervals, wall_time_status, weekday_index

FORECAST_COLUMNS = ["timestamp", "queue", "volume", "aht", "volume_p10", "volume_p90"]


# =========================================================================== numeric helpers
def _gauss_smooth(rows: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian smoothing along the last axis (edges reflected), sigma in intervals; NaN-free input."""
    if sigma <= 0.3:
        return rows
    r = int(np.ceil(3 * sigma))
    x = np.arange(-r, r + 1)
    k = np.exp(-0.5 * (x / sigma) ** 2)
    k /= k.sum()
    pad = [(0, 0)] * (rows.ndim - 1) + [(r, r)]
    padded = np.pad(rows, pad, mode="reflect" if rows.shape[-1] > r else "edge")
    win = np.lib.stride_tricks.sliding_window_view(padded, 2 * r + 1, axis=-1)
    return win @ k


def _nanmedian0(a: np.ndarray) -> np.ndarray:
    """Median over axis 0 ignoring NaN (NaN where a column has none); faster than np.nanmedian on small axes."""
    srt = np.sort(a, axis=0)  # NaN sort last
    n = np.isfinite(a).sum(0)
    lo = np.clip((n - 1) // 2, 0, None)
    hi = np.clip(n // 2, 0, None)
    med = 0.5 * (np.take_along_axis(srt, lo[None], 0)[0] + np.take_along_axis(srt, hi[None], 0)[0])
    return np.where(n > 0, med, np.nan)


def _as_days(y: np.ndarray, per_day: int) -> np.ndarray:
    n = len(y)
    pad = (-n) % per_day
    if pad:
        y = np.concatenate([y, np.full(pad, np.nan)])
    return y.reshape(-1, per_day)


def _lagged_weeks(y: np.ndarray, s: int, k: int) -> np.ndarray:
    """(k, s): for each phase of the week, its k most recent values (row 0 the latest), NaN before start."""
    n = len(y)
    phase = np.arange(s)
    last = (n - 1) - ((n - 1 - phase) % s)  # latest position with that phase
    idx = last[None, :] - s * np.arange(k)[:, None]
    out = np.where(idx >= 0, y[np.clip(idx, 0, None)], np.nan)
    return out


def _to_horizon(week: np.ndarray, n: int, h: int) -> np.ndarray:
    """Values per phase of the week (indexed by phase) laid out over positions n .. n+h-1."""
    s = len(week)
    return week[(n + np.arange(h)) % s]


def _closed_fill(days: np.ndarray) -> np.ndarray:
    """Fill NaN with 0 at intervals of the week that carry no volume in recent weeks (closed)."""
    d = days.shape[0]
    op = open_intervals(days[None])[0]  # (7, P)
    closed_cells = ~op[np.arange(d) % 7]
    out = days.copy()
    out[closed_cells & np.isnan(out)] = 0.0
    return out


class _Model:
    alias = "model"

    def __init__(self, season_length: int, alias: str | None = None):
        if season_length % 7:
            raise ValueError("season_length must be intervals per week (a multiple of 7)")
        self.season_length = season_length
        if alias:
            self.alias = alias
        self._mean: np.ndarray | None = None
        self._phi = 1.0

    @property
    def per_day(self) -> int:
        return self.season_length // 7

    def _params(self) -> dict[str, Any]:
        return {"season_length": self.season_length, "alias": self.alias}

    def fit(self, y: np.ndarray, X: Any = None) -> _Model:  # noqa: N803 (statsforecast naming)
        y = np.asarray(y, dtype=float)
        self._n = len(y)
        self._y = y
        self._fit(y)
        self._phi = _dispersion(y, self.season_length)
        return self

    def _fit(self, y: np.ndarray) -> None:
        raise NotImplementedError

    def _predict_mean(self, h: int) -> np.ndarray:
        raise NotImplementedError

    def predict(self, h: int, level: Sequence[int] | None = None) -> dict[str, np.ndarray]:
        mean = np.maximum(np.nan_to_num(self._predict_mean(h), nan=0.0), 0.0)
        out = {"mean": mean}
        for lv in level or []:
            z = NormalDist().inv_cdf(0.5 + lv / 200.0)
            sd = np.sqrt(self._phi * mean)
            out[f"lo-{lv}"] = np.maximum(mean - z * sd, 0.0)
            out[f"hi-{lv}"] = mean + z * sd
        return out

    def forecast(
        self, y: np.ndarray, h: int, X: Any = None, level: Sequence[int] | None = None  # noqa: N803
    ) -> dict[str, np.ndarray]:
        """Fit on ``y`` and predict ``h`` steps, without keeping state on ``self``."""
        return type(self)(**self._params()).fit(y, X).predict(h, level)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self._params().items())})"


def _dispersion(y: np.ndarray, s: int, weeks: int = 4) -> float:
    """Variance-to-mean ratio of the counts, from week-on-week differences over the last ``weeks``."""
    tail = y[-(weeks + 1) * s :]
    if len(tail) <= s:
        return 1.0
    d = tail[s:] - tail[:-s]
    m = 0.5 * (tail[s:] + tail[:-s])
    ok = np.isfinite(d) & np.isfinite(m)
    if ok.sum() < s // 4 or m[ok].sum() <= 0:
        return 1.0
    return float(max(np.sum(d[ok] ** 2) / (2 * m[ok].sum()), 1.0))


class SeasonalNaive(_Model):
    """The same interval one week earlier, aligned by calendar: the latest week holding data for it."""

    alias = "seasonal_naive"

    def __init__(self, season_length: int, alias: str | None = None, max_weeks: int = 8):
        super().__init__(season_length, alias)
        self.max_weeks = max_weeks

    def _params(self) -> dict[str, Any]:
        return {**super()._params(), "max_weeks": self.max_weeks}

    def _fit(self, y: np.ndarray) -> None:
        lag = _lagged_weeks(y, self.season_length, self.max_weeks)
        filled = pd.DataFrame(lag).bfill().to_numpy()[0]  # first non-NaN going back in time
        self._week = filled

    def _predict_mean(self, h: int) -> np.ndarray:
        return _to_horizon(self._week, self._n, h)


class WeekAverage(_Model):
    """The same weekday-interval over the last ``weeks`` weeks, recency-weighted (``decay`` per week).

    Robust to one odd week: a day whose total is more than ``tolerance`` away (as a ratio) from the median
    of its weekday over those weeks (a storm, an outage) is left out.
    """

    alias = "week_average"

    def __init__(
        self, season_length: int, alias: str | None = None, weeks: int = 6, decay: float = 0.9,
        tolerance: float = 0.3,
    ):
        super().__init__(season_length, alias)
        self.weeks, self.decay, self.tolerance = weeks, decay, tolerance

    def _params(self) -> dict[str, Any]:
        return {**super()._params(), "weeks": self.weeks, "decay": self.decay, "tolerance": self.tolerance}

    def _fit(self, y: np.ndarray) -> None:
        s, p, k = self.season_length, self.per_day, self.weeks
        lag = _lagged_weeks(y, s, k)  # (k, s)
        days = lag.reshape(k, 7, p)
        tot = np.where(np.isfinite(days).sum(2) >= 0.9 * p, np.nansum(days, 2), np.nan)  # (k, 7)
        with np.errstate(invalid="ignore", divide="ignore"):
            med = _nanmedian0(tot) if np.isfinite(tot).any() else None
            if med is not None:
                ratio = tot / med[None, :]
                odd = (ratio > 1 + self.tolerance) | (ratio < 1 / (1 + self.tolerance))
                odd &= np.isfinite(tot).sum(0)[None, :] >= 3
                days = np.where(odd[..., None], np.nan, days)
        w = (self.decay ** np.arange(k))[:, None, None] * np.isfinite(days)
        num = np.nansum(days * w, axis=0)
        den = w.sum(0)
        week = np.where(den > 0, num / np.where(den > 0, den, 1), np.nan).reshape(s)
        if np.isnan(week).any():  # a weekday-interval with no data in k weeks: seasonal naive further back
            week = np.where(np.isnan(week), SeasonalNaive(s, max_weeks=52).fit(y)._week, week)
        self._week = week

    def _predict_mean(self, h: int) -> np.ndarray:
        return _to_horizon(self._week, self._n, h)


def _outlying_days(totals: np.ndarray, dow: np.ndarray, window: int) -> np.ndarray:
    """Days of the last ``window`` whose log total is more than max(3.5 robust SDs, 15%) from the median of
    their weekday there (an unflagged holiday, a storm, an outage). NaN totals are not outlying."""
    out = np.zeros(len(totals), bool)
    lo = max(0, len(totals) - window)
    yy = np.log1p(totals[lo:])
    dd = dow[lo:]
    ok = np.isfinite(yy)
    if ok.sum() < 7:
        return out
    med = np.array([np.median(yy[ok & (dd == d)]) if (ok & (dd == d)).any() else np.nan for d in range(7)])
    resid = np.where(ok, yy - med[dd], 0.0)
    scale = 1.4826 * np.median(np.abs(resid[ok]))
    out[lo:] = ok & (np.abs(resid) > max(3.5 * scale, 0.15))
    return out


class TopDown(_Model):
    """Daily totals x intraday profile, the way commercial WFM suites forecast.

    Daily totals: weighted least squares on the last ``total_weeks`` weeks of complete days with a level per
    weekday on the log scale (recency weights with a half-life of ``half_life_weeks``), leaving out days more
    than max(3.5 robust SDs, 15%) from their weekday's median (an unflagged holiday, a storm); with ``trend=True`` (alias ``top_down_trend``) plus a linear trend, damped by ``damping`` per week
    ahead and capped at 5% per week. On real data the trend-free version usually wins over
    two weeks; the backtest decides.
    With ``daily="ets"`` the totals come from statsmodels' Holt-Winters (additive trend, damped, weekly
    season) instead. Intraday profile: per weekday, the shares of each interval in the last
    ``profile_weeks`` complete days, Gaussian-smoothed over ``smooth_minutes`` and shrunk halfway toward the
    mean profile of weekdays with a similar shape.
    """

    alias = "top_down"

    def __init__(
        self, season_length: int, alias: str | None = None, total_weeks: int = 8, profile_weeks: int = 8,
        half_life_weeks: float = 3.0, smooth_minutes: float = 12.0, damping: float = 0.8,
        daily: str = "regression", trend: bool = False,
    ):
        super().__init__(season_length, alias)
        self.total_weeks, self.profile_weeks = total_weeks, profile_weeks
        self.half_life_weeks, self.smooth_minutes, self.damping = half_life_weeks, smooth_minutes, damping
        if daily not in ("regression", "ets"):
            raise ValueError("daily must be 'regression' or 'ets'")
        self.daily = daily
        self.trend = trend

    def _params(self) -> dict[str, Any]:
        return {
            **super()._params(), "total_weeks": self.total_weeks, "profile_weeks": self.profile_weeks,
            "half_life_weeks": self.half_life_weeks, "smooth_minutes": self.smooth_minutes,
            "damping": self.damping, "daily": self.daily, "trend": self.trend,
        }

    def _fit(self, y: np.ndarray) -> None:
        p = self.per_day
        days = _closed_fill(_as_days(y, p))
        n_days = days.shape[0]
        complete = np.isfinite(days).all(1)
        totals = np.where(complete, days.sum(1) if complete.any() else 0.0, np.nan)
        dow = np.arange(n_days) % 7
        self._n_days_fit = n_days
        # days far from their weekday's usual total (an unflagged holiday, a storm) do not shape the profile
        regular = complete & ~_outlying_days(totals, dow, 7 * max(self.profile_weeks, self.total_weeks))
        self._profile = self._fit_profile(days, totals, regular, dow)
        self._fit_totals(totals, dow)
        self._fallback = WeekAverage(self.season_length).fit(y)._week

    # -- intraday profile
    def _fit_profile(self, days: np.ndarray, totals: np.ndarray, complete: np.ndarray, dow: np.ndarray):
        p = self.per_day
        prof = np.full((7, p), np.nan)
        for d in range(7):
            idx = np.flatnonzero(complete & (dow == d) & (totals > 0))[-self.profile_weeks :]
            if len(idx) == 0:
                continue
            w = 0.5 ** ((idx[-1] - idx) / 7 / (2 * self.half_life_weeks))
            shares = days[idx] / totals[idx, None]
            prof[d] = (w[:, None] * shares).sum(0) / w.sum()
        have = np.isfinite(prof).all(1)
        if not have.any():
            return None
        sigma = self.smooth_minutes / (1440 / p)
        # zeros (closed intervals) stay zero after smoothing
        closed = prof == 0
        sm = _gauss_smooth(np.nan_to_num(prof), sigma)
        sm[closed] = 0
        sm[~have] = np.nan
        sm = sm / np.nansum(sm, 1, keepdims=True)
        out = sm.copy()
        # shrink toward weekdays of similar shape (total variation distance < 0.15)
        for d in np.flatnonzero(have):
            dist = 0.5 * np.abs(sm[have] - sm[d]).sum(1)
            similar = sm[have][dist < 0.15]
            if len(similar) > 1:
                out[d] = 0.5 * sm[d] + 0.5 * similar.mean(0)
        out[closed] = 0
        out = out / np.nansum(out, 1, keepdims=True)
        return out

    # -- daily totals
    def _fit_totals(self, totals: np.ndarray, dow: np.ndarray) -> None:
        n = len(totals)
        lo = max(0, n - 7 * self.total_weeks)
        t = np.arange(lo, n)
        ok = np.isfinite(totals[lo:]) & (totals[lo:] >= 0)
        self._totals_ok = ok.sum() >= 7
        if not self._totals_ok:
            return
        if self.daily == "ets":
            self._fit_ets(totals, dow)
            return
        # log scale: weekday effects and trend are multiplicative, as call volumes are
        tt, yy, dd = t[ok], np.log1p(totals[lo:][ok]), dow[lo:][ok]
        w = 0.5 ** ((n - 1 - tt) / 7 / self.half_life_weeks)
        X = np.zeros((len(tt), 8))
        X[np.arange(len(tt)), dd] = 1.0
        X[:, 7] = (tt - (n - 1)) / 7.0  # weeks relative to the end
        w = w * ~_outlying_days(totals, dow, n - lo)[lo:][ok]
        present = np.bincount(dd, weights=w, minlength=7) > 0
        use_trend = self.trend and len(np.unique(tt // 7)) >= 3
        cols = np.flatnonzero(np.r_[present, use_trend])
        beta = np.zeros(8)
        sw = np.sqrt(w)
        coef, *_ = np.linalg.lstsq(X[:, cols] * sw[:, None], yy * sw, rcond=None)
        beta[cols] = coef
        level = beta[:7].copy()
        # a weekday without data: its mean from the other days
        if not present.all():
            level[~present] = level[present].mean()
        self._level = level
        # damped, capped trend: at most 5% per week
        self._trend = float(np.clip(beta[7], -0.05, 0.05))

    def _fit_ets(self, totals: np.ndarray, dow: np.ndarray) -> None:
        from statsmodels.tsa.holtwinters import ExponentialSmoothing

        n = len(totals)
        lo = max(0, n - 7 * max(self.total_weeks, 8))
        series = pd.Series(totals[lo:]).interpolate(limit_direction="both").to_numpy()
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = ExponentialSmoothing(
                series, trend="add", damped_trend=True, seasonal="add", seasonal_periods=7,
                initialization_method="estimated",
            ).fit()
        self._ets = fit

    def _predict_totals(self, n_days_ahead: int) -> np.ndarray:
        d0 = self._n_days_fit
        dows = (d0 + np.arange(n_days_ahead)) % 7
        if self.daily == "ets":
            return np.maximum(self._ets.forecast(n_days_ahead), 0.0)
        weeks_ahead = (np.arange(n_days_ahead) + 1) / 7.0
        phi = self.damping
        damped = phi * (1 - phi**weeks_ahead) / (1 - phi) if phi < 1 else weeks_ahead
        return np.maximum(np.expm1(self._level[dows] + self._trend * damped), 0.0)

    def _predict_mean(self, h: int) -> np.ndarray:
        p = self.per_day
        if self._profile is None or not self._totals_ok:
            return _to_horizon(self._fallback, self._n, h)
        # the fit ends at a day boundary (the grid is whole days); positions start at self._n
        first_day = self._n // p
        offset = self._n - first_day * p
        n_days_ahead = -(-(offset + h) // p)
        totals = self._predict_totals(n_days_ahead + (first_day - self._n_days_fit))
        totals = totals[first_day - self._n_days_fit :] if first_day >= self._n_days_fit else totals
        dows = (first_day + np.arange(n_days_ahead)) % 7
        prof = self._profile[dows]
        curve = totals[:, None] * prof
        flat = curve.ravel()[offset : offset + h]
        fb = _to_horizon(self._fallback, self._n, h)
        return np.where(np.isfinite(flat), flat, fb)


class Blend(_Model):
    """Mean of week_average and top_down (combinations of two decent forecasts are rarely worse)."""

    alias = "blend"

    def _fit(self, y: np.ndarray) -> None:
        self._parts = [WeekAverage(self.season_length).fit(y), TopDown(self.season_length).fit(y)]

    def _predict_mean(self, h: int) -> np.ndarray:
        return np.mean([m._predict_mean(h) for m in self._parts], axis=0)


def _top_down_trend(season_length: int) -> TopDown:
    return TopDown(season_length, alias="top_down_trend", trend=True, total_weeks=8)


def _top_down_ets(season_length: int) -> TopDown:
    return TopDown(season_length, alias="top_down_ets", daily="ets")


#: Every method by name. ``top_down_ets`` (statsmodels Holt-Winters daily totals, ~1 s per fit) is available
#: by name but not in ``auto``, to keep backtests fast.
MODELS: dict[str, Any] = {
    "seasonal_naive": SeasonalNaive,
    "week_average": WeekAverage,
    "top_down": TopDown,
    "top_down_trend": _top_down_trend,
    "blend": Blend,
    "top_down_ets": _top_down_ets,
}
#: Models `--method auto` chooses from, in order of preference on near-ties (see :func:`choose`); the
#: seasonal naive is always scored as the baseline.
AUTO_CANDIDATES = ("top_down", "blend", "week_average", "top_down_trend")
METHODS = ("auto", *MODELS)


def make_models(season_length: int, names: Iterable[str]) -> list[_Model]:
    """Model instances by method name, e.g. ``make_models(672, ["seasonal_naive", "top_down"])``."""
    out: list[_Model] = []
    for name in names:
        if name in MODELS:
            out.append(MODELS[name](season_length))
        else:
            raise InputError(f"--method: unknown method {name!r} (choose from {', '.join(METHODS)})")
    aliases = [m.alias for m in out]
    if len(set(aliases)) != len(aliases):
        raise ValueError(f"duplicate model aliases: {aliases}")
    return out


# =========================================================================== special days and AHT
def _holiday_curves(
    volume: np.ndarray, holiday: np.ndarray, usable: np.ndarray, cutoff_day: int, target_days: np.ndarray,
    regular: np.ndarray, holiday_like: int, per_day: int, like_closed: bool = False,
) -> np.ndarray:
    """Forecast for holiday days in the horizon. ``volume`` (D, P) holds holidays' real volume.

    From holiday history when there is some: the median ratio of a holiday's total to the median of its
    weekday in the 4 weeks before, times the regular forecast's total, shaped like past holidays.
    Otherwise: the recent average of the weekday named by ``holiday_like`` (e.g. Sunday), or closed (0)
    when that weekday is closed (``like_closed``).
    """
    past = [
        d for d in np.flatnonzero(holiday[:cutoff_day])
        if np.isfinite(volume[d]).all() and volume[d].sum() > 0
    ]
    ratios, shapes = [], []
    for d in past:
        ref = [r for r in range(d - 28, d) if r >= 0 and (r - d) % 7 == 0 and usable[r]
               and np.isfinite(volume[r]).all()]
        if not ref:
            continue
        base = np.median([volume[r].sum() for r in ref])
        if base > 0:
            ratios.append(volume[d].sum() / base)
            shapes.append(volume[d] / volume[d].sum())
    out = np.empty((len(target_days), per_day))
    if ratios:
        shape = _gauss_smooth(np.mean(shapes, 0)[None], 12 / (1440 / per_day))[0]
        shape /= shape.sum()
        for i, _d in enumerate(target_days):
            out[i] = np.median(ratios) * regular[i].sum() * shape
        return out
    if like_closed:  # the named weekday is closed at this centre: so is the holiday
        return np.zeros_like(regular)
    like = [r for r in range(cutoff_day - 1, -1, -1) if r % 7 == holiday_like and usable[r]
            and np.isfinite(volume[r]).all()][:4]
    if not like:
        return regular.copy()
    out[:] = np.mean(volume[like], 0)
    return out


def forecast_aht(
    volume: np.ndarray, aht: np.ndarray, default: float, weeks: int = 8, prior_calls: float = 20.0,
    smooth_minutes: float = 30.0,
) -> np.ndarray:
    """AHT per weekday-interval, shape (7, P), from the last ``weeks`` weeks of ``(days, P)`` history.

    Volume-weighted mean per weekday-interval, smoothed over neighbouring intervals (numerator and
    denominator separately), and shrunk toward the queue's overall AHT with the weight of ``prior_calls``
    calls. With no AHT in the history: ``default`` (the queue's config ``aht_s``) everywhere.
    """
    n_days, p = volume.shape
    lo = max(0, n_days - 7 * weeks)
    v, a = volume[lo:], aht[lo:]
    ok = np.isfinite(v) & np.isfinite(a) & (v > 0)
    if not ok.any():
        return np.full((7, p), float(default))
    vw = np.where(ok, v, 0.0)
    va = np.where(ok, v * np.nan_to_num(a), 0.0)
    dow = (np.arange(lo, n_days)) % 7
    num = np.zeros((7, p))
    den = np.zeros((7, p))
    np.add.at(num, dow, va)
    np.add.at(den, dow, vw)
    overall = num.sum() / den.sum()
    sigma = smooth_minutes / (1440 / p)
    num_s, den_s = _gauss_smooth(num, sigma), _gauss_smooth(den, sigma)
    return (num_s + prior_calls * overall) / (den_s + prior_calls)


# =========================================================================== one queue, one origin
def _predict_days(
    models: Sequence[_Model], vol_train: np.ndarray, vol_full: np.ndarray, holiday: np.ndarray,
    usable: np.ndarray, cutoff_day: int, n_days: int, holiday_like: int, level: Sequence[int] | None = None,
    max_train_weeks: int = 26,
) -> list[dict[str, np.ndarray]]:
    """Forecast ``n_days`` days from ``cutoff_day`` for each model: closed intervals at 0, holidays handled.

    ``vol_train`` (D, P) is the training volume (holidays and excluded days NaN); ``vol_full`` keeps the
    holidays' real volume (for holiday history). Only the last ``max_train_weeks`` weeks are fit on.
    """
    per_day = vol_train.shape[1]
    s = 7 * per_day
    first = max(0, cutoff_day - 7 * max_train_weeks)
    first -= first % 7  # keep y starting on a Monday
    y = vol_train[first:cutoff_day].ravel()
    h = n_days * per_day
    op = open_intervals(vol_train[None, first:cutoff_day])[0]  # (7, P)
    target = cutoff_day + np.arange(n_days)
    closed = ~op[target % 7]
    hol_targets = np.flatnonzero(holiday[cutoff_day : cutoff_day + n_days]) if len(holiday) else []
    results = []
    for m in models:
        if m.season_length != s:
            raise ValueError(f"{m.alias}: season_length {m.season_length} != {s} intervals per week")
        out = m.fit(y).predict(h, level)
        mean0 = out["mean"].reshape(n_days, per_day).copy()
        mean0[closed] = 0.0
        mean = mean0.copy()
        if len(hol_targets):
            mean[hol_targets] = _holiday_curves(
                vol_full, holiday, usable, cutoff_day, cutoff_day + hol_targets, mean0[hol_targets],
                holiday_like, per_day, like_closed=not op[holiday_like].any(),
            )
        for key, arr in out.items():
            days = arr.reshape(n_days, per_day).copy()
            days[closed] = 0.0
            if key != "mean" and len(hol_targets):
                with np.errstate(invalid="ignore", divide="ignore"):
                    ratio = np.where(mean0[hol_targets] > 0, days[hol_targets] / mean0[hol_targets], 1.0)
                days[hol_targets] = ratio * mean[hol_targets]
            out[key] = mean.ravel() if key == "mean" else days.ravel()
        results.append(out)
    return results


# =========================================================================== backtest
def backtest(
    models: Sequence[_Model], history: History, h: int, n_windows: int = 4, step: int | None = None,
    holiday_like: str = "sunday", queues: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Rolling-origin evaluation: every model on the same windows over the end of the history.

    ``h`` and ``step`` are in intervals and must be whole days (``step`` defaults to one week). Returns one
    frame ``queue, timestamp, cutoff, y, <alias>...`` (``y`` NaN where the actual is missing or excluded).
    The last window ends at the end of the history. Raises :class:`InsufficientHistory` if not even one
    window fits after two weeks of training.
    """
    p = history.per_day
    if h % p or (step is not None and step % p):
        raise ValueError("h and step must be whole days of intervals")
    h_days = h // p
    step_days = (step // p) if step else 7
    last = _last_data_day(history) + 1
    cutoffs = [last - h_days - i * step_days for i in range(n_windows)]
    cutoffs = sorted(c for c in cutoffs if c >= _first_data_day(history) + 14)
    if not cutoffs:
        raise InsufficientHistory(
            f"{history.report.source}: too little history to backtest a {h_days}-day horizon "
            f"(need at least {14 + h_days} days, have {last - _first_data_day(history)})"
        )
    train = history.training_volume()
    actual = history.volume.copy()
    actual[:, history.excluded, :] = np.nan
    usable = ~(history.excluded | history.holiday)
    like = weekday_index(holiday_like)
    qnames = list(queues) if queues else history.queues
    frames = []
    has_day = np.isfinite(train).any(axis=2)  # (Q, D)
    for qname in qnames:
        qi = history.queues.index(qname)
        for c in cutoffs:
            preds = _predict_days(models, train[qi], history.volume[qi], history.holiday, usable, c, h_days, like)
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


def _last_data_day(history: History) -> int:
    has = np.isfinite(history.volume).any(axis=(0, 2))
    if not has.any():
        raise InsufficientHistory(f"{history.report.source}: the history holds no volume")
    return int(np.flatnonzero(has)[-1])


def _first_data_day(history: History) -> int:
    has = np.flatnonzero(np.isfinite(history.volume).any(axis=(0, 2)))
    return int(has[0]) if len(has) else history.n_days


def evaluate(cv: pd.DataFrame, baseline: str = "seasonal_naive") -> pd.DataFrame:
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


# =========================================================================== public entry point
@dataclass
class ForecastResult:
    """What :func:`forecast` returns.

    forecast:   ``timestamp,queue,volume,aht,volume_p10,volume_p90``, every interval of the horizon.
    daily:      per day and queue: volume, peak interval volume, volume-weighted AHT.
    backtest:   the backtest frame (``queue,timestamp,cutoff,y,<alias>...``), empty when not run.
    metrics:    per queue and model: wape, bias, mase, daily_wape, mape, chosen.
    chosen:     queue -> model alias used; chosen_wape: queue -> its backtest WAPE (None when not backtested).
    """

    forecast: pd.DataFrame
    daily: pd.DataFrame
    backtest: pd.DataFrame
    metrics: pd.DataFrame
    chosen: dict[str, str]
    chosen_wape: dict[str, float | None]
    history_summary: str
    start: pd.Timestamp
    horizon_days: int
    interval_minutes: int
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": f"{self.start:%Y-%m-%d}",
            "horizon_days": self.horizon_days,
            "interval_minutes": self.interval_minutes,
            "history": self.history_summary,
            "chosen": self.chosen,
            "chosen_wape": self.chosen_wape,
            "daily": _records(self.daily),
            "metrics": _records(self.metrics),
            "notes": self.notes,
        }


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for rec in frame.to_dict(orient="records"):
        clean = {}
        for k, v in rec.items():
            if isinstance(v, pd.Timestamp):
                v = f"{v:%Y-%m-%d}"
            elif isinstance(v, (np.floating, float)):
                v = None if not np.isfinite(v) else round(float(v), 4)
            elif isinstance(v, np.integer):
                v = int(v)
            elif isinstance(v, np.bool_):
                v = bool(v)
            clean[k] = v
        out.append(clean)
    return out


def parse_horizon(text: str | int) -> int:
    """Horizon in days from ``"14d"``, ``"2w"`` or ``14``."""
    if isinstance(text, int):
        days = text
    else:
        t = str(text).strip().lower()
        try:
            if t.endswith("w"):
                days = int(t[:-1]) * 7
            elif t.endswith("d"):
                days = int(t[:-1])
            else:
                days = int(t)
        except ValueError:
            raise InputError(f"--horizon: {text!r} is not a horizon (e.g. 14d or 2w)") from None
    if not 1 <= days <= 366:
        raise InputError(f"--horizon: {text!r} must be between 1 day and 366 days")
    return days


def forecast(
    history: History | pd.DataFrame,
    config: CentreConfig | None = None,
    horizon: int | str = 14,
    start: str | dt.date | pd.Timestamp | None = None,
    method: str = "auto",
    *,
    backtest_origins: int = 4,
    run_backtest: bool | None = None,
    holidays: Iterable[dt.date] = (),
    exclude: Iterable[dt.date] = (),
    holiday_like: str = "sunday",
    interval_minutes: int | None = None,
) -> ForecastResult:
    """Forecast volume and AHT for every interval of ``horizon`` days from ``start``, per queue.

    ``history`` is a :class:`History` or a long frame ``timestamp,queue,volume[,aht]`` (cleaned here with the
    config's timezone). ``start`` defaults to the day after the last day of history; history from ``start``
    on is ignored. ``method="auto"`` backtests the candidates on ``backtest_origins`` rolling origins (same
    horizon, one week apart) and picks the lowest-WAPE model per queue; a named method is used for every
    queue (backtested too when ``run_backtest``). ``volume_p10``/``volume_p90`` come from the chosen model's
    backtest errors (scaled by the square root of the forecast), or from the model's own interval.
    """
    tz = config.centre.timezone if config else "UTC"
    if isinstance(history, pd.DataFrame):
        history = clean_history(
            history, interval_minutes=interval_minutes,
            timezone=tz, holidays=holidays, exclude=exclude,
            default_queue=config.queues[0].name if config and len(config.queues) == 1 else "all",
        )
    h_days = parse_horizon(horizon)
    if method not in METHODS:
        raise InputError(f"--method: unknown method {method!r} (choose from {', '.join(METHODS)})")
    p = history.per_day
    s = history.season_length
    last = _last_data_day(history) + 1
    hist_end = history.start + pd.Timedelta(days=last)
    if start is None:
        # the first day after the history on which some queue is open (Monday at a weekday-only centre)
        op = open_intervals(history.volume[:, :last]).any(axis=(0, 2))  # (7,)
        skip = next((k for k in range(7) if op[(last + k) % 7]), 0)
        start_ts = hist_end + pd.Timedelta(days=skip)
    else:
        try:
            start_ts = pd.Timestamp(start)
        except (ValueError, TypeError):
            raise InputError(f"--start: {start!r} is not a date (expected YYYY-MM-DD)") from None
        if start_ts != start_ts.normalize():
            raise InputError(f"--start: {start!r} must be a date (forecasts start at midnight)")
    start_day = max(int((start_ts - history.start).days), 0)
    if start_day < last:  # forecasting a past period: train only on what came before it
        history = _truncate(history, start_day)
        last = start_day
    if last - _first_data_day(history) < 7:
        raise InsufficientHistory(
            f"{history.report.source}: need at least 7 days of history before {start_ts:%Y-%m-%d}, "
            f"have {max(0, last - _first_data_day(history))}"
        )
    # queues in config order
    preferred = config.queue_names if config else []
    qnames = [q for q in preferred if q in history.queues] + [q for q in history.queues if q not in preferred]
    notes: list[str] = []
    if config:
        extra = [q for q in history.queues if q not in preferred]
        if extra:
            notes.append(f"queue(s) not in the config (default AHT and no targets): {', '.join(extra)}")
        if config.centre.interval_minutes != history.interval_minutes:
            notes.append(
                f"the history has {history.interval_minutes}-minute intervals, the config "
                f"interval_minutes = {config.centre.interval_minutes}"
            )

    # -- backtest and choice
    if run_backtest is None:
        run_backtest = method == "auto"
    baseline = "seasonal_naive"
    if method == "auto":
        names = [baseline, *AUTO_CANDIDATES]
    else:
        names = [baseline] + ([method] if method != baseline else [])
    # auto: week_average is the fallback when there is too little history to backtest
    models = make_models(s, names)
    cv = pd.DataFrame()
    metrics = pd.DataFrame(columns=["queue", "model", "wape", "bias", "mase", "daily_wape", "mape", "chosen"])
    chosen: dict[str, str] = {}
    if run_backtest:
        try:
            cv = backtest(models, history, h_days * p, backtest_origins, 7 * p, holiday_like, qnames)
            metrics = evaluate(cv, baseline)
        except InsufficientHistory as exc:
            notes.append(f"no backtest: {exc}")
            cv = pd.DataFrame()
    if method == "auto":
        if len(metrics):
            chosen = choose(metrics, AUTO_CANDIDATES)
        else:
            chosen = {q: "week_average" for q in qnames}
            notes.append("auto: too little history to backtest, used week_average")
    else:
        chosen = {q: method for q in qnames}
    if len(metrics):
        metrics["chosen"] = [chosen.get(q) == m for q, m in zip(metrics["queue"], metrics["model"], strict=True)]
    chosen_wape: dict[str, float | None] = {}
    for q in qnames:
        row = metrics[(metrics["queue"] == q) & (metrics["model"] == chosen[q])] if len(metrics) else metrics
        chosen_wape[q] = float(row["wape"].iloc[0]) if len(row) and np.isfinite(row["wape"].iloc[0]) else None

    # -- forecast from the end of history through the end of the horizon
    n_days = (start_day - last) + h_days
    train = history.training_volume()
    usable = ~(history.excluded | history.holiday)
    hol = _extend_flags(history.holiday, last + n_days, history, history.holiday_dates)
    like = weekday_index(holiday_like)
    model_by_alias = {m.alias: m for m in make_models(s, sorted(set(chosen.values())))}
    cv_rows = {str(k): v for k, v in cv.groupby("queue", sort=False).indices.items()} if len(cv) else {}
    frames = []
    for q in qnames:
        qi = history.queues.index(q)
        m = model_by_alias[chosen[q]]
        pred = _predict_days([m], train[qi], _pad_days(history.volume[qi], last), hol, usable, last, n_days,
                             like, level=[80])[0]
        mean = pred["mean"][(start_day - last) * p :]
        lo, hi = _bounds(mean, cv_rows.get(q), cv, chosen[q], pred["lo-80"][(start_day - last) * p :],
                         pred["hi-80"][(start_day - last) * p :])
        default_aht = config.queue(q).aht_s if config and q in preferred else 300.0
        aht_week = forecast_aht(history.volume[qi, :last], history.aht[qi, :last], default_aht)
        days_idx = start_day + np.arange(h_days)
        aht = aht_week[days_idx % 7].ravel()
        ts = start_ts + pd.to_timedelta(np.arange(h_days * p) * history.interval_minutes, unit="min")
        frames.append(pd.DataFrame({
            "timestamp": ts, "queue": q, "volume": mean, "aht": aht, "volume_p10": lo, "volume_p90": hi,
        }))
    out = pd.concat(frames, ignore_index=True)
    nonexistent, _ = wall_time_status(pd.DatetimeIndex(out["timestamp"]), history.timezone)
    out = out[~nonexistent].reset_index(drop=True)
    out["volume"] = out["volume"].round(3)
    out["volume_p10"] = out["volume_p10"].round(3)
    out["volume_p90"] = out["volume_p90"].round(3)
    out["aht"] = out["aht"].round(1)
    return ForecastResult(
        forecast=out, daily=daily_summary(out), backtest=cv, metrics=metrics, chosen=chosen,
        chosen_wape=chosen_wape, history_summary=history.report.summary, start=start_ts,
        horizon_days=h_days, interval_minutes=history.interval_minutes, notes=notes,
    )


def _bounds(mean: np.ndarray, rows: np.ndarray | None, cv: pd.DataFrame, alias: str, lo80: np.ndarray,
            hi80: np.ndarray):
    """p10/p90 from the backtest: quantiles of (actual - forecast) / sqrt(forecast) over open intervals.

    ``rows``: positions of this queue's rows in ``cv``."""
    if rows is not None and len(rows) and alias in cv.columns:
        y, f = cv["y"].to_numpy()[rows], cv[alias].to_numpy()[rows]
        ok = np.isfinite(y) & (f > 0)
        if ok.sum() >= 50:
            z = (y[ok] - f[ok]) / np.sqrt(np.maximum(f[ok], 1.0))
            q10, q90 = min(np.quantile(z, 0.1), 0.0), max(np.quantile(z, 0.9), 0.0)
            sd = np.sqrt(np.maximum(mean, 1.0))
            lo = np.where(mean > 0, np.maximum(mean + q10 * sd, 0.0), 0.0)
            hi = np.where(mean > 0, mean + q90 * sd, 0.0)
            return lo, hi
    return lo80, hi80


def _pad_days(v: np.ndarray, n: int) -> np.ndarray:
    return v[:n]


def _extend_flags(flags: np.ndarray, n_days: int, history: History, dates: frozenset[dt.date]) -> np.ndarray:
    out = np.zeros(n_days, bool)
    k = min(len(flags), n_days)
    out[:k] = flags[:k]
    if n_days > len(flags):
        extra = pd.date_range(history.start + pd.Timedelta(days=len(flags)), periods=n_days - len(flags))
        out[len(flags) :] = [d.date() in dates for d in extra]
    return out


def _truncate(history: History, n_days: int) -> History:
    import copy

    h = copy.copy(history)
    h.volume = history.volume[:, :n_days]
    h.aht = history.aht[:, :n_days]
    h.holiday = history.holiday[:n_days]
    h.excluded = history.excluded[:n_days]
    return h


def daily_summary(fc: pd.DataFrame) -> pd.DataFrame:
    """Per day and queue: volume, the peak interval's volume and the volume-weighted AHT.

    (Interval p10/p90 do not add up to daily bounds, so they are not summed here.)"""
    f = fc.assign(date=fc["timestamp"].dt.normalize(), va=fc["volume"] * fc["aht"])
    g = f.groupby(["date", "queue"], sort=False).agg(
        volume=("volume", "sum"), peak=("volume", "max"), va=("va", "sum"),
    ).reset_index()
    g["aht"] = np.where(g["volume"] > 0, g["va"] / g["volume"].where(g["volume"] > 0, 1), np.nan)
    g = g.drop(columns="va")
    g.insert(1, "day", g["date"].dt.strftime("%a"))
    return g


def metrics_table(metrics: pd.DataFrame) -> pd.DataFrame:
    """Backtest metrics for printing: percentages, MASE with 3 decimals, the chosen model starred."""
    t = metrics.copy()
    t["model"] = [f"{m} *" if c else m for m, c in zip(t["model"], t.get("chosen", [False] * len(t)), strict=True)]
    for col in ("wape", "bias", "daily_wape", "mape"):
        t[col] = [f"{v:+.1%}" if col == "bias" else f"{v:.1%}" if np.isfinite(v) else "-" for v in t[col]]
    t["mase"] = [f"{v:.3f}" if np.isfinite(v) else "-" for v in t["mase"]]
    return t[["queue", "model", "wape", "bias", "mase", "daily_wape", "mape"]]


def daily_table(daily: pd.DataFrame) -> pd.DataFrame:
    """The per-day, per-queue summary for printing (calls rounded, AHT in whole seconds)."""
    t = daily.copy()
    t["date"] = t["date"].dt.strftime("%Y-%m-%d")
    t["volume"] = t["volume"].round(0).astype(int)
    t["peak"] = t["peak"].round(1)
    t["aht"] = [f"{v:.0f}" if np.isfinite(v) else "-" for v in t["aht"]]
    return t.rename(columns={"peak": "peak_interval"})
