"""Forecast call volume and AHT per interval and queue, with rolling-origin backtests.

``forecast(history, config, horizon, ...)`` is what ``wfm forecast`` runs: it takes a prepared
:class:`wfm.history.History` (:func:`wfm.history.prepare_history`), backtests, picks the model per queue
(``method="auto"``), and returns every interval of the horizon with ``volume_p10``/``volume_p90``.

The package, one job per module:

    models.py        the model contract (``fit``/``predict``/``forecast``, ``season_length``, ``alias``) and the
                     six models: seasonal_naive, week_average, top_down, top_down_trend, blend, top_down_ets
    backtest.py      ``backtest`` (one frame with a ``cutoff`` column), ``score_backtest`` (WAPE, bias, MASE,
                     daily WAPE, MAPE), ``choose`` (the model per queue for ``auto``)
    special_days.py  holidays in the horizon: from past holidays, or like the ``holiday_like`` weekday
    aht.py           the AHT forecast per weekday-interval
    core.py          the ``forecast`` recipe, :class:`ForecastResult` and the printed tables
    grid.py          the planning grid: a forecast summed onto coarser intervals (``[roster] interval_minutes``)
"""

from wfm.forecast.aht import forecast_aht
from wfm.forecast.backtest import AUTO_CANDIDATES, backtest, choose, predict_days, score_backtest
from wfm.forecast.core import (
    FORECAST_COLUMNS,
    ForecastResult,
    daily_summary,
    daily_table,
    forecast,
    metrics_table,
    parse_horizon,
)
from wfm.forecast.grid import check_grid, on_grid, spacing_minutes, sum_to_grid
from wfm.forecast.models import (
    METHODS,
    MODELS,
    Blend,
    SeasonalNaive,
    TopDown,
    WeekAverage,
    make_models,
)

__all__ = [
    "AUTO_CANDIDATES",
    "FORECAST_COLUMNS",
    "METHODS",
    "MODELS",
    "Blend",
    "ForecastResult",
    "SeasonalNaive",
    "TopDown",
    "WeekAverage",
    "backtest",
    "check_grid",
    "choose",
    "daily_summary",
    "daily_table",
    "forecast",
    "forecast_aht",
    "make_models",
    "metrics_table",
    "on_grid",
    "parse_horizon",
    "predict_days",
    "score_backtest",
    "spacing_minutes",
    "sum_to_grid",
]
