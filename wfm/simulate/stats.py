"""From counts per replication to the result's tables: means and t-based 95% confidence intervals.

Each figure is computed per replication first (service level = answered within T / offered, ASA = seconds
waited by answered calls / answered, abandon rate = abandoned / offered) over the cells it covers (one
interval, a day or the horizon), then averaged over the replications where it is defined (offered > 0, or
answered > 0 for ASA); the interval is ``mean +- t(0.975, k - 1) x sd / sqrt(k)`` over those ``k``
replications (NaN when k < 2), clipped to the possible values (0..1 for shares, >= 0 seconds for ASA). Counts
are means over all replications.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from wfm.simulate.engine import Counts

COUNTS = ("offered", "answered", "answered_within", "abandoned", "waiting_at_end")
RATES = ("service_level", "asa", "abandon_rate")
LEVEL = 0.95


def mean_ci(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean over axis 0 ignoring NaN, and the t-based 95% interval (lo, hi); NaN where fewer than 2 values."""
    values = np.asarray(values, dtype=float)
    k = np.sum(np.isfinite(values), axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        total = np.nansum(values, axis=0)
        mean = np.where(k > 0, total / np.maximum(k, 1), np.nan)
        dev = np.where(np.isfinite(values), values - mean, 0.0)
        sd = np.sqrt(np.sum(dev * dev, axis=0) / (k - 1))
        half = stats.t.ppf(0.5 + LEVEL / 2, np.maximum(k - 1, 1)) * sd / np.sqrt(k)
    half = np.where(k >= 2, half, np.nan)
    return mean, mean - half, mean + half


def rates(offered: np.ndarray, answered: np.ndarray, within: np.ndarray, abandoned: np.ndarray,
          wait_sum: np.ndarray) -> dict[str, np.ndarray]:
    """Per replication: service level, ASA and abandon rate (NaN where undefined)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        off = np.where(offered > 0, offered, np.nan)
        ans = np.where(answered > 0, answered, np.nan)
        return {"service_level": within / off, "asa": wait_sum / ans, "abandon_rate": abandoned / off}


def summarise(counts: Counts, groups: np.ndarray | None = None, n_groups: int | None = None) -> dict[str, np.ndarray]:
    """Counts (replications, intervals, queues) summed over interval ``groups`` (an index per interval: a day,
    0 for the whole horizon; None keeps every interval) -> means and intervals, arrays (cells, queues)."""
    arrays = {k: getattr(counts, k) for k in (*COUNTS, "wait_sum")}
    if groups is not None:
        size = int(n_groups if n_groups is not None else groups.max() + 1)
        summed = {}
        for k, v in arrays.items():
            out = np.zeros((v.shape[0], size, v.shape[2]), dtype=v.dtype)
            np.add.at(out, (slice(None), groups), v)
            summed[k] = out
        arrays = summed
    table: dict[str, np.ndarray] = {k: arrays[k].mean(axis=0) for k in COUNTS}
    per_rep = rates(arrays["offered"], arrays["answered"], arrays["answered_within"], arrays["abandoned"],
                    arrays["wait_sum"])
    for name in RATES:
        mean, lo, hi = mean_ci(per_rep[name])
        top = np.inf if name == "asa" else 1.0  # the interval is clipped to the possible values
        table[name], table[f"{name}_lo"], table[f"{name}_hi"] = mean, np.clip(lo, 0.0, top), np.clip(hi, 0.0, top)
    return table


def columns() -> list[str]:
    """The figures' column names in table order."""
    out = list(COUNTS)
    for name in RATES:
        out += [name, f"{name}_lo", f"{name}_hi"]
    return out
