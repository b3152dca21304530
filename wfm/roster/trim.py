"""Trim a period-target start: drop whole agents the period targets do not need.

The roster's start for period targets (:func:`wfm.roster.solve.period_start`) covers the LP's agents taking
calls rounded to whole agents, and the cover adds the shift shapes' own over-coverage on top; the period
targets then hold with room to spare, and HiGHS, given that start, rarely finds the moves that remove it (a
full-timer works five days: removing one changes every one of them, and with part-timers at their
``max_share`` a full-timer can only go together with a part-timer).

A greedy local search on the start's tours: each round tries, for every tour type worked, removing one agent
of it (one shift on each of its days: the start of its band whose span is most over-covered, each break at
its most used offset), and, where that alone would break a contract's ``max_share``, removing it together with
one agent of that contract; it keeps the removal that lowers the objective most while every hard rule still
holds: every period queue's service level, ASA and occupancy targets over its period (the MILP's own curves
and targets) and ``max_share``. Coverage shortfalls are priced as the objective prices them. Rounds stop when
no removal lowers the objective. Single-week rosters only (across weeks the headcount rule ties removals).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from wfm.roster.model import Model, periods_of

MAX_ROUNDS = 400
PAIR_CANDIDATES = 4  # agents of a capped contract tried with each removal that breaks its max_share


def trim_tours(m: Model, counts: dict[str, Any]) -> dict[str, Any] | None:
    """Counts ``{"w", "x", "z", "y"}`` (whole numbers by variable key) with the agents the targets do not need
    removed (module docstring), or None when nothing could be removed."""
    cv = m.curves
    if cv is None or m.weeks != 1:
        return None
    from wfm.roster.solve import rostered_from_counts  # solve imports this module

    state = {name: {k: int(v) for k, v in counts[name].items() if v} for name in ("w", "x", "z", "y")}
    rostered = rostered_from_counts(m, {"x": state["x"], "y": state["y"]}).astype(np.int64)
    judge = _Judge(m)
    if not judge.ok(rostered, None):
        return None
    removed = 0
    for _ in range(MAX_ROUNDS):
        best = None
        for keys in _candidates(m, state, judge, rostered):
            move = _removals(m, keys, state, rostered)
            if move is None:
                continue
            delta_r, changes = move
            after = rostered - delta_r
            touched = np.flatnonzero(delta_r)
            if not judge.ok(after, touched):
                continue
            gain = sum(m.tour_cost(*k) for k in keys) - judge.penalty_change(rostered, after, touched)
            if gain > 1e-9 and (best is None or gain > best[0]):
                best = (gain, keys, delta_r, changes)
        if best is None:
            break
        _, keys, delta_r, changes = best
        for key in keys:
            state["w"][key] -= 1
        for name, key in changes:
            state[name][key] -= 1
        rostered = rostered - delta_r
        removed += len(keys)
    return state if removed else None


def _candidates(m: Model, state: dict, judge: _Judge, rostered: np.ndarray) -> list[tuple]:
    """Single removals that keep every max_share, and for the rest, pairs with an agent of the contract
    whose share they would break (its tours with the most over-covered shifts first)."""
    w = state["w"]
    out: list[tuple] = []
    over = rostered - m.required
    for key in sorted(k for k, n in w.items() if n > 0):
        broken = judge.share_broken(w, [key])
        if not broken:
            out.append((key,))
            continue
        mates = sorted((k for k, n in w.items() if n > 0 and m.tours[k[0]].contract == broken and k != key),
                       key=lambda k: (-_tour_over(m, k, over), k))[:PAIR_CANDIDATES]
        out += [(key, mate) for mate in mates if not judge.share_broken(w, [key, mate])]
    return out


def _tour_over(m: Model, key: tuple[int, int], over: np.ndarray) -> float:
    tour = m.tours[key[0]]
    lo, _ = m.bands[tour.template][tour.band]
    return sum(_span_over(m, tour.template, lo, 7 * key[1] + d, over) for d in range(7) if m.works(key[0], key[1], d))


def _removals(m: Model, keys: tuple, state: dict, rostered: np.ndarray):
    """Agents of the tour types ``keys`` taken out together: the agents removed per interval and the
    (variable group, key) decrements; None when their shifts cannot be found in the counts."""
    from wfm.roster.solve import rostered_from_counts

    x, z, y = dict(state["x"]), dict(state["z"]), dict(state["y"])
    over = rostered - m.required
    changes: list[tuple[str, Any]] = []
    for key in keys:
        tour = m.tours[key[0]]
        lo, hi = m.bands[tour.template][tour.band]
        for dow in range(7):
            if not m.works(key[0], key[1], dow):
                continue
            d = 7 * key[1] + dow
            options = [(_span_over(m, tour.template, s, d, over), -s) for s in range(lo, hi)
                       if z.get((tour.template, tour.band, s, d), 0) > 0 and x.get((tour.template, s, d), 0) > 0]
            if not options:
                return None
            s = -max(options)[1]
            for name, k, store in (("x", (tour.template, s, d), x), ("z", (tour.template, tour.band, s, d), z)):
                store[k] -= 1
                changes.append((name, k))
            for b, (_, _, e, l_) in enumerate(m.shifts[tour.template][s].breaks):
                offsets = [(y.get((tour.template, s, d, b, o), 0), -o)
                           for o in range(e, l_ + 1, m.config.planning_interval_minutes)]
                count, neg_o = max(offsets)
                if count <= 0:
                    return None
                y[(tour.template, s, d, b, -neg_o)] -= 1
                changes.append(("y", (tour.template, s, d, b, -neg_o)))
    gone = {name: Counter(k for n, k in changes if n == name) for name in ("x", "y")}
    delta = rostered_from_counts(m, gone)
    return delta.astype(np.int64), changes


def _span_over(m: Model, template: str, s: int, d: int, over: np.ndarray) -> float:
    """The over-coverage summed over a shift's span (cyclic)."""
    sh = m.shifts[template][s]
    ivl = m.config.planning_interval_minutes
    first = (d * 1440 + sh.start_minute) // ivl
    idx = np.arange(first, first + sh.length_minutes // ivl) % len(over)
    return float(over[idx].sum())


class _Judge:
    """The hard rules a removal must keep, and the coverage penalties it changes, on the MILP's own terms."""

    def __init__(self, m: Model) -> None:
        self.m = m
        cv = m.curves
        assert cv is not None
        self.keep = 1.0 - cv.shrinkage
        self.low = cv.low.astype(np.int64)
        self.periods = {c.period: periods_of(m, c.period) for c in cv.curves}
        self.rs = m.config.roster
        self.share = {c.name: c.max_share for c in m.config.contracts if c.max_share is not None}
        self.under_ok = set(m.under)

    def ok(self, rostered: np.ndarray, touched: np.ndarray | None) -> bool:
        """Every period target met over the periods ``touched`` (all when None), and no interval short that
        the model does not let fall short."""
        m = self.m
        if touched is not None and any(int(g) not in self.under_ok and rostered[g] < m.required[g] for g in touched):
            return False
        e = np.floor(rostered * self.keep + 1e-9).astype(np.int64)
        for c in m.curves.curves:
            per = self.periods[c.period]
            for p in np.unique(per if touched is None else per[touched]):
                mine = np.flatnonzero((per == p) & (c.volume > 0))
                if mine.size == 0:
                    continue
                calls = c.volume[mine]
                col = np.clip(e[mine] - self.low[mine], 0, c.service_level.shape[1] - 1)
                below = e[mine] < self.low[mine]
                if (calls * np.where(below, 0.0, c.service_level[mine, col])).sum() < \
                        c.target_over(mine) * calls.sum() - 1e-7:
                    return False
                if c.asa_target is not None and \
                        (calls * np.where(below, np.inf, c.asa[mine, col])).sum() > c.asa_target * calls.sum() + 1e-7:
                    return False
                if c.max_occupancy is not None and \
                        float(m.curves.work[mine].sum()) > c.max_occupancy * float(e[mine].sum()) + 1e-7:
                    return False
        return True

    def share_broken(self, w: dict, keys: list) -> str | None:
        """The contract whose max_share removing one agent of each of ``keys`` would break, or None."""
        total = sum(w.values()) - len(keys)
        for name, share in self.share.items():
            mine = sum(n for k, n in w.items() if self.m.tours[k[0]].contract == name)
            mine -= sum(1 for k in keys if self.m.tours[k[0]].contract == name)
            if mine > share * total + 1e-9:
                return name
        return None

    def penalty_change(self, before: np.ndarray, after: np.ndarray, touched: np.ndarray) -> float:
        """The objective's coverage penalties after minus before, over the intervals ``touched``."""
        req = self.m.required[touched]
        under = np.maximum(req - after[touched], 0).sum() - np.maximum(req - before[touched], 0).sum()
        over = np.maximum(after[touched] - req, 0).sum() - np.maximum(before[touched] - req, 0).sum()
        return float(self.rs.under_penalty * under + self.rs.over_penalty * over)
