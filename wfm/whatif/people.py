"""The published roster person by person, and the rules every recovery keeps for each person.

:class:`People` lays the roster out as one row per person and one column per plan day (start and end in
minutes from the plan's first midnight), with the **named absence** of a scenario: on a day with absence
share ``s``, ``round(s x n)`` of the ``n`` people rostered that day stay home, and as many of the people off
that day cannot be called in; which ones is a stable hash of the person and the date (the same people for
the same scenario, whatever else changes), so every figure counts whole people.

:class:`PersonRules` are the rules a recovery keeps per person (``[roster] min_rest_hours``,
``min_rest_days_per_week``, ``max_consecutive_days`` and the scenario's monthly rest-day floor):

- **rest hours**: from the end of one shift to the start of the next, at least ``min_rest_hours``;
- **rest days per week**: in each 7-day block from the plan's first day, at least ``min_rest_days_per_week``
  days without a shift;
- **consecutive days**: at most ``max_consecutive_days`` working days in a row within the plan;
- **monthly floor**: per calendar month the plan touches, at least ``round(floor x plan days in that month /
  days in that month)`` rest days (half up): ``floor = 4`` is 4 in a whole month, 1 in a week of 7 days.
"""

from __future__ import annotations

import calendar
import hashlib
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wfm.roster.rows import RosterRows

OFF = np.int64(-1)


def stable_rank(ids: np.ndarray, day: pd.Timestamp) -> np.ndarray:
    """A number per id that orders people the same way every run for that date (blake2b of id and date)."""
    stamp = f"{day:%Y-%m-%d}"
    return np.array([int.from_bytes(hashlib.blake2b(f"{i}|{stamp}".encode(), digest_size=8).digest(), "big")
                     for i in ids], dtype=np.uint64)


def half_up(x: float) -> int:
    return int(math.floor(x + 0.5 + 1e-9))


@dataclass
class People:
    """The roster per person (rows) and plan day (columns); minutes from the plan's first midnight."""

    ids: np.ndarray  # str, sorted
    contract: np.ndarray  # str per person
    start: np.ndarray  # (P, D) int64, OFF where the person has no shift that day
    end: np.ndarray  # (P, D) int64
    row: np.ndarray  # (P, D) the roster row, -1 where off
    absent: np.ndarray  # (P, D) bool: rostered that day and named absent
    unavailable: np.ndarray  # (P, D) bool: off that day and cannot be called in
    dates: pd.DatetimeIndex

    @property
    def works(self) -> np.ndarray:
        return self.start != OFF

    def index(self) -> dict[str, int]:
        return {str(a): i for i, a in enumerate(self.ids)}


def people(shifts: RosterRows, dates: pd.DatetimeIndex, absence: np.ndarray | None = None) -> People:
    """Lay ``shifts`` out per person and day of ``dates`` (rows dated outside are left out) and name the absent."""
    origin = dates[0].normalize().to_datetime64()
    ids, who = np.unique(shifts.agent_id.astype(str), return_inverse=True)
    n_p, n_d = len(ids), len(dates)
    day = ((shifts.date - origin) // np.timedelta64(1, "D")).astype(np.int64)
    inside = (day >= 0) & (day < n_d)
    start = np.full((n_p, n_d), OFF, dtype=np.int64)
    end = np.full((n_p, n_d), OFF, dtype=np.int64)
    row = np.full((n_p, n_d), -1, dtype=np.int64)
    minutes = lambda ts: ((ts - origin) // np.timedelta64(1, "m")).astype(np.int64)  # noqa: E731
    start[who[inside], day[inside]] = minutes(shifts.start[inside])
    end[who[inside], day[inside]] = minutes(shifts.end[inside])
    row[who[inside], day[inside]] = np.flatnonzero(inside)
    contract = np.empty(n_p, dtype=object)
    contract[who] = shifts.contract
    absent = np.zeros((n_p, n_d), dtype=bool)
    unavailable = np.zeros((n_p, n_d), dtype=bool)
    share = np.zeros(n_d) if absence is None else np.asarray(absence, dtype=float)
    for d in np.flatnonzero(share > 0):
        rank = stable_rank(ids, dates[d])
        for mask, out in ((start[:, d] != OFF, absent), (start[:, d] == OFF, unavailable)):
            members = np.flatnonzero(mask)
            k = half_up(share[d] * len(members))
            if k:
                out[members[np.argsort(rank[members], kind="stable")[:k]], d] = True
    return People(ids, contract.astype(str), start, end, row, absent, unavailable, pd.DatetimeIndex(dates))


@dataclass(frozen=True)
class PersonRules:
    """What every person's days must keep after recovery (see the module docstring)."""

    min_rest_minutes: int
    min_rest_days_per_week: int
    max_consecutive_days: int
    floor_contract: str | None = None  # the contract whose rest days have a monthly floor
    floor_per_month: int = 0

    def month_floors(self, dates: pd.DatetimeIndex) -> tuple[np.ndarray, dict[tuple[int, int], int]]:
        """The month of each plan day (an index) and each month's rest-day floor within the plan."""
        keys = list(zip(dates.year, dates.month, strict=True))
        months = sorted(set(keys))
        idx = np.array([months.index(k) for k in keys], dtype=np.int64)
        floors = {}
        for (y, m) in months:
            n = sum(1 for k in keys if k == (y, m))
            floors[(y, m)] = half_up(self.floor_per_month * n / calendar.monthrange(y, m)[1])
        return idx, floors


def recall_budget(contract: np.ndarray, dates: pd.DatetimeIndex, rules: PersonRules, works: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Rest days each person (``contract`` per person) may still give up per 7-day block and per calendar
    month of ``dates`` (``works``: (P, D) days worked so far). Returns (P, blocks) and (P, months) arrays
    (negative: already below the rule)."""
    n_d = works.shape[1]
    block = np.arange(n_d) // 7
    rest = ~works
    per_block = np.stack([rest[:, block == b].sum(axis=1) for b in range(block.max() + 1)], axis=1)
    whole = np.array([(block == b).sum() == 7 for b in range(block.max() + 1)])
    need = np.where(whole, rules.min_rest_days_per_week, 0)
    month, floors = rules.month_floors(dates)
    keys = sorted(floors)
    per_month = np.stack([rest[:, month == j].sum(axis=1) for j in range(len(keys))], axis=1)
    floor = np.array([floors[k] for k in keys])
    floor_rows = np.where((np.asarray(contract) == rules.floor_contract)[:, None], floor[None, :], 0)
    return per_block - need[None, :], per_month - floor_rows


def run_if_working(row: np.ndarray, d: int) -> int:
    """Working days in a row through day ``d`` of one person's ``row`` (bool per plan day) if they work ``d``."""
    lo = d
    while lo > 0 and row[lo - 1]:
        lo -= 1
    hi = d
    while hi + 1 < len(row) and row[hi + 1]:
        hi += 1
    return hi - lo + 1
