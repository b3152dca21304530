"""Plan against actuals (``wfm review``, issue 15, in progress): :mod:`wfm.review.accuracy` scores a forecast
against what happened; :mod:`wfm.review.trend` records each review in ``RUNS/accuracy.csv`` and reads the weekly
history back, flagging a persistent bias and a WAPE above ``[review] max_wape``."""

from __future__ import annotations

from wfm.review.accuracy import LEVELS, poisson_mad, score

__all__ = ["LEVELS", "poisson_mad", "score"]
