"""Plan against actuals (``wfm review``, issue 15, in progress): :mod:`wfm.review.accuracy` scores a forecast
against what happened."""

from __future__ import annotations

from wfm.review.accuracy import LEVELS, poisson_mad, score

__all__ = ["LEVELS", "poisson_mad", "score"]
