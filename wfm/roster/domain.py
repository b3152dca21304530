"""The roster's business objects: rules, shifts, agents, tour types and the solved :class:`Roster`.

No solver here: :mod:`wfm.roster.model` builds the MILP from these, :mod:`wfm.roster.solve` solves it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from wfm.errors import InputError

AGENT_COLUMNS = ["agent_id", "contract", "unavailable", "preferred_shifts"]
MAX_WEEKS = 6
# Sizes a roster is bounded by, checked before anything is allocated: naming the agents takes an agents x agents
# matrix per contract, so `scheduled = 100000` in one staffing row asked for 75 GiB. The 1,300-seat bench centre
# peaks at 943 scheduled agents and names 2,414.
MAX_SCHEDULED_PER_INTERVAL = 5_000  # scheduled agents per interval (a staffing row, and its queues summed)
MAX_AGENTS = 20_000  # named agents (agents.csv rows)


@dataclass(frozen=True)
class Rule:
    """One roster rule: ``level`` is "hard" or "soft"; ``how`` says where it is enforced."""

    name: str
    level: str
    label: str
    how: str


@dataclass(frozen=True)
class Shift:
    """One shift template at one start time (minutes after midnight), with its break windows as
    ``(minutes, paid, earliest_start_offset, latest_start_offset)`` in minutes from the shift start."""

    template: str
    start_minute: int
    length_minutes: int
    paid_minutes: int
    breaks: tuple[tuple[int, bool, int, int], ...]
    night: bool


@dataclass(frozen=True)
class Agent:
    agent_id: str
    contract: str
    unavailable: frozenset[date] = frozenset()
    preferred_shifts: frozenset[str] = frozenset()


@dataclass(frozen=True)
class TourType:
    """A week's work pattern: contract, template, start band (indices into the template's starts) and the
    days worked (a 7-tuple of booleans, Monday first)."""

    contract: str
    template: str
    band: int
    days: tuple[bool, ...]
    paid_hours: float
    cost: float


@dataclass
class Roster:
    """A solved roster with its score (objective, bound, gap) and per-rule breakdown."""

    assignments: pd.DataFrame
    coverage: pd.DataFrame
    status: str
    objective: float
    lower_bound: float
    gap: float
    paid_hours: float
    cost: float
    agents: int
    agents_by_contract: dict[str, int]
    under_agent_intervals: int
    over_agent_intervals: int
    worst_interval: str | None
    worst_service_level: float | None
    solve_seconds: float
    solver: str
    weeks: int
    start: date
    hard: dict[str, int] = field(default_factory=dict)
    soft: dict[str, dict[str, float]] = field(default_factory=dict)
    model_size: dict[str, int] = field(default_factory=dict)
    unused_agents: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds: build, solve, assign, coverage
    paid_holiday_hours: float = 0.0  # of paid_hours: holidays paid but not worked (the centre closed)
    service: pd.DataFrame = field(default_factory=pd.DataFrame)  # service.csv: each queue per day (and week)
    notes: list[str] = field(default_factory=list)  # what the roster did with its input (re-sized staffing)
    explained: Any = None  # wfm.roster.explain.PaidHours: where the paid hours go (roster(..., explain=True))

    @property
    def ok(self) -> bool:
        """No under-covered interval, no period target missed and no broken hard rule."""
        return self.under_agent_intervals == 0 and self.short_periods.empty and not any(self.hard.values())

    @property
    def short_periods(self) -> pd.DataFrame:
        """The days/weeks on which a queue judged over a period misses a target (service.csv ``met`` false)."""
        s = self.service
        if s.empty:
            return s
        return s[(s["judged"] != "interval") & (s["met"] == False)]  # noqa: E712 - met may be None

    @property
    def exit_code(self) -> int:
        """0 when :attr:`ok`, else 1 (what `wfm roster` exits with)."""
        return 0 if self.ok else 1

    @property
    def uncovered(self) -> pd.DataFrame:
        """Intervals with agents short, worst first."""
        c = self.coverage
        return c[c["under"] > 0].sort_values(["under", "timestamp"], ascending=[False, True], kind="stable")

    def summary(self) -> dict[str, Any]:
        """The --json keys (and a few more)."""
        return {
            "objective": round(self.objective, 4),
            "lower_bound": round(self.lower_bound, 4),
            "gap": round(self.gap, 6),
            "paid_hours": round(self.paid_hours, 2),
            "paid_holiday_hours": round(self.paid_holiday_hours, 2),
            "cost": round(self.cost, 4),
            "agents": self.agents,
            "agents_by_contract": dict(self.agents_by_contract),
            "under_agent_intervals": self.under_agent_intervals,
            "over_agent_intervals": self.over_agent_intervals,
            "worst_interval": self.worst_interval,
            "worst_service_level": None if self.worst_service_level is None else round(self.worst_service_level, 4),
            "solve_seconds": round(self.solve_seconds, 2),
            "solver": self.solver,
            "status": self.status,
            "weeks": self.weeks,
            "start": self.start.isoformat(),
            "hard": dict(self.hard),
            "soft": {k: dict(v) for k, v in self.soft.items()},
            "unused_agents": list(self.unused_agents),
            "periods_short": [
                {"queue": r.queue, "period": r.period, "start": r.start, "service_level": r.service_level,
                 "target": r.target}
                for r in self.short_periods.itertuples()
            ],
        }


def roster_dates(start: date, weeks: int) -> list[date]:
    """The horizon's dates, ``weeks`` whole weeks from ``start``."""
    return [start + timedelta(days=i) for i in range(7 * weeks)]


def check_requirement(required: np.ndarray, idx: pd.DatetimeIndex, source: str = "staffing") -> None:
    """InputError naming ``source`` when the scheduled agents a roster must cover exceed
    :data:`MAX_SCHEDULED_PER_INTERVAL` in some interval (before any agent is named: see the limit)."""
    over = np.flatnonzero(~(np.asarray(required, dtype=float) <= MAX_SCHEDULED_PER_INTERVAL))
    if len(over):
        i = int(over[0])
        raise InputError(
            f"{source}: asks for {float(required[i]):,.0f} scheduled agents at {idx[i]:%Y-%m-%d %H:%M}, above "
            f"{MAX_SCHEDULED_PER_INTERVAL:,} per interval, the most a roster sizes"
        )
