"""The forecast models: one contract (statsforecast style), six models, and the numeric helpers they share.

Every model takes its settings in ``__init__`` (``season_length`` = intervals per week, e.g. 672 at 15
minutes, and a unique ``alias``) and exposes ``fit(y) -> self``, ``predict(h, level=None) -> {"mean",
"lo-<level>", "hi-<level>"}`` and ``forecast(y, h)`` (fit and predict without keeping state). ``y`` is one
queue's volume on the calendar grid (:class:`wfm.history.History`): it starts at Monday 00:00, one value per
interval, NaN where there is no data. So "one week earlier" is always ``t - season_length`` and a missing day
never shifts the weekdays.

Models (:data:`MODELS`, by alias):
    seasonal_naive   the same interval one week earlier (the latest week holding data)
    week_average     the same weekday-interval over the last k weeks, recency-weighted, odd days dropped
    top_down         daily totals (day-of-week regression, robust) x intraday profile
                     (shares per weekday-interval from recent weeks, smoothed over time and similar weekdays)
    top_down_trend   top_down with a damped, capped linear trend in the daily totals
    blend            the mean of week_average and top_down
    top_down_ets     top_down with Holt-Winters daily totals (statsmodels; slow, so not in ``auto``)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd

from wfm.errors import InputError
from wfm.history import open_intervals


# --------------------------------------------------------------------------- numeric helpers
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


def _closed_fill(days: np.ndarray, op: np.ndarray | None = None) -> np.ndarray:
    """Fill NaN with 0 at intervals of the week that carry no volume in recent weeks (closed); ``op`` is the
    ``(7, P)`` open mask of ``open_intervals`` (day 0 of ``days`` is row 0), learnt here when not given."""
    d = days.shape[0]
    if op is None:
        op = open_intervals(days[None])[0]  # (7, P)
    closed_cells = ~op[np.arange(d) % 7]
    out = days.copy()
    out[closed_cells & np.isnan(out)] = 0.0
    return out


# --------------------------------------------------------------------------- the contract
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


# --------------------------------------------------------------------------- models
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
        raw = _as_days(y, p)
        op = open_intervals(raw[None])[0]  # (7, P): the learnt hours, the quiet-run rule included
        days = _closed_fill(raw, op)
        n_days = days.shape[0]
        complete = np.isfinite(days).all(1)
        totals = np.where(complete, days.sum(1) if complete.any() else 0.0, np.nan)
        dow = np.arange(n_days) % 7
        self._n_days_fit = n_days
        # days far from their weekday's usual total (an unflagged holiday, a storm) do not shape the profile
        regular = complete & ~_outlying_days(totals, dow, 7 * max(self.profile_weeks, self.total_weeks))
        self._profile = self._fit_profile(days, totals, regular, dow, op)
        self._fit_totals(totals, dow)
        self._fallback = WeekAverage(self.season_length).fit(y)._week

    # -- intraday profile
    def _fit_profile(self, days: np.ndarray, totals: np.ndarray, complete: np.ndarray, dow: np.ndarray,
                     op: np.ndarray):
        """``(7, P)`` shares per weekday. An interval is zero exactly where the learnt hours ``op`` close it: a
        stray call in one week of eight does not give a closed interval a share, and an open interval with no
        call in the window (a quiet 6 minutes at night) is filled by the smoothing instead of dropping to 0
        between two staffed neighbours."""
        p = self.per_day
        prof = np.full((7, p), np.nan)
        calls = np.zeros(7)  # each weekday's calls in its profile window
        for d in range(7):
            idx = np.flatnonzero(complete & (dow == d) & (totals > 0))[-self.profile_weeks :]
            if len(idx) == 0:
                continue
            calls[d] = totals[idx].sum()
            w = 0.5 ** ((idx[-1] - idx) / 7 / (2 * self.half_life_weeks))
            shares = days[idx] / totals[idx, None]
            prof[d] = (w[:, None] * shares).sum(0) / w.sum()
        have = np.isfinite(prof).all(1)
        if not have.any():
            return None
        sigma = self.smooth_minutes / (1440 / p)
        # closed intervals (the learnt hours) stay zero after smoothing, and give their smoothed share back
        closed = ~op & have[:, None]
        sm = _gauss_smooth(np.where(closed, 0.0, np.nan_to_num(prof)), sigma)
        sm[closed] = 0
        # an open interval the smoothing leaves empty (a long quiet run with no call in the window) gets the
        # share of half a call in the weekday's window (the usual pseudo-count for a zero count)
        empty = ~closed & have[:, None] & (sm <= 0)
        sm = np.where(empty, (0.5 / np.maximum(calls, 1.0))[:, None], sm)
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
#: What ``--method`` accepts: ``auto`` (the backtest chooses per queue) or a model by name.
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

