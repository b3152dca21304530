"""Plan against actuals (``wfm review``): :func:`wfm.review.run.review` reviews a `wfm plan` run folder against
what happened: :mod:`wfm.review.accuracy` scores the forecast, :mod:`wfm.review.actuals` reads the actuals (and
the ACD's outcome columns), :mod:`wfm.review.service` sets staffing and service planned against actual (or
estimated by the simulator) and splits a miss into its causes, :mod:`wfm.review.report` prints it,
:mod:`wfm.review.charts` draws it; :mod:`wfm.review.trend` records each review in ``RUNS/accuracy.csv`` and
reads the weekly history back, flagging a persistent bias and a WAPE above ``[review] max_wape``."""

from __future__ import annotations

from wfm.review.accuracy import LEVELS, poisson_mad, score
from wfm.review.run import Review, review

__all__ = ["LEVELS", "Review", "poisson_mad", "review", "score"]
