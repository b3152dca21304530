"""People week by week: a class's survivors and output as fractions of its size, and the staff on hand.

A class that starts in week ``s`` with ``x`` people has ``x * survival[k]`` of them in its ``k``-th week (week
``s + k``; ``survival[0] = 1``): each week loses its tenure band's attrition (``attrition_per_year / 52``,
:mod:`wfm.capacity.settings`), and at the end of training ``fail_rate`` of the class leaves. Its people answer
calls at ``productivity[k]``: 0 in training, the nesting weeks' shares, then 1. Everything is a constant times
``x``, so the whole plan is linear in the class sizes: :mod:`wfm.capacity.model` only decides them.

People on hand at the start with tenure ``tau`` follow the same curves from ``tau`` (``survival[tau + t] /
survival[tau]``); ``tenure_weeks`` unset is mature: past every band and the ramp.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wfm.capacity.settings import CapacitySettings


@dataclass(frozen=True)
class Curves:
    """Per week of tenure ``k`` (0 = a class's first week), over ``length`` weeks: ``survival`` (share of the
    class still employed in week k), ``leaving`` (share leaving at the end of week k: survival[k] -
    survival[k + 1]), ``productivity`` (share of a trained agent's output), ``training`` (1 while in
    training)."""

    survival: np.ndarray
    leaving: np.ndarray
    productivity: np.ndarray
    training: np.ndarray
    mature: int  # the first tenure from which every curve is steady (past the bands and the ramp)


def weekly_attrition(cap: CapacitySettings, tenure: np.ndarray) -> np.ndarray:
    """The share leaving in a week at each tenure (weeks since the class started): its band's yearly rate / 52."""
    rate = np.full(len(tenure), cap.attrition_per_year, dtype=float)
    done = np.zeros(len(tenure), dtype=bool)
    for band in cap.attrition_by_tenure:  # increasing weeks: the first band holding the tenure
        inside = ~done & (tenure < band.weeks)
        rate[inside] = band.attrition_per_year
        done |= inside
    return rate / 52.0


def curves(cap: CapacitySettings, length: int) -> Curves:
    """The tenure curves over ``length`` weeks (and one more for ``leaving``), see the module docstring."""
    h = cap.hiring
    nest = list(h.nesting_productivity)
    mature = max([h.training_weeks + len(nest)] + [b.weeks for b in cap.attrition_by_tenure])
    n = max(length, mature + 1)
    k = np.arange(n + 1)
    keep = 1.0 - weekly_attrition(cap, k)
    # a class starts whole; fail_rate leaves at the end of its training (entering week training_weeks)
    step = keep.copy()
    if h.training_weeks > 0:
        step[h.training_weeks - 1] *= 1.0 - h.fail_rate
    survival = np.concatenate([[1.0], np.cumprod(step[:n])])
    productivity = np.ones(n + 1)
    productivity[: h.training_weeks] = 0.0
    productivity[h.training_weeks: h.training_weeks + len(nest)] = nest
    training = (k < h.training_weeks).astype(float)
    return Curves(survival[:n], survival[:n] - survival[1: n + 1], productivity[:n], training[:n], mature)


def on_hand(c: Curves, agents: float, tenure: int | None, weeks: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """People on hand at the start (``agents`` with ``tenure`` weeks, None: mature) per week of the horizon:
    heads, productive heads (heads x productivity) and trainees."""
    tau = c.mature if tenure is None else int(tenure)
    idx = np.arange(weeks) + tau
    n = len(c.survival)
    if idx[-1] >= n:  # past the curves' end every week is mature: extend the steady retention
        keep = c.survival[-1] / c.survival[-2] if c.survival[-2] > 0 else 0.0
        extra = c.survival[-1] * keep ** np.arange(1, idx[-1] - n + 2)
        surv = np.concatenate([c.survival, extra])
        prod = np.concatenate([c.productivity, np.ones(len(extra))])
        train = np.concatenate([c.training, np.zeros(len(extra))])
    else:
        surv, prod, train = c.survival, c.productivity, c.training
    base = surv[tau] if surv[tau] > 0 else 1.0
    heads = agents * surv[idx] / base
    return heads, heads * prod[idx], heads * train[idx]
