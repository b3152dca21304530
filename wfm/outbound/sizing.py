"""Sizing a campaign to its deadline: the intervals it may call in, the agent-hours its records need
(:func:`wfm.outbound.campaign.record_work`), spread evenly or front-loaded over its days; or, for a given team,
the reach it makes by the deadline and the day it finishes.

Calling intervals are the planning grid's intervals wholly inside the calling hours, on the calling days, from
``start`` to ``deadline`` (both included). Agent counts are scheduled agents: an agent-hour calls for
``1 - shrinkage`` of an hour.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wfm.config import CentreConfig
from wfm.errors import ConfigError, InputError
from wfm.hours import open_mask
from wfm.outbound.campaign import MAX_DAYS, Campaign, Work, record_work

DAY_COLUMNS = ["date", "calling_hours", "agents", "agent_hours", "records", "records_done", "progress"]


def window_offsets(c: Campaign, step: int) -> np.ndarray:
    """The starts (minutes from midnight) of the ``step``-minute intervals wholly inside the calling hours."""
    a, b = c.calling_window
    return np.arange(-(-a // step) * step, b - step + 1, step)


def calling_slots(config: CentreConfig, c: Campaign, dates: list[dt.date] | None = None,
                  source: str = "campaign") -> pd.DatetimeIndex:
    """The interval starts the campaign may call in on ``dates`` (default: its calling days): the planning
    grid's intervals wholly inside the calling hours. Calling hours outside the centre's open hours
    (``[centre.open]``) are exit 2."""
    step = config.planning_interval_minutes
    offsets = window_offsets(c, step)
    if len(offsets) == 0:
        raise ConfigError(f"{source}: campaign.calling_hours {c.calling_hours[0]}-{c.calling_hours[1]} hold no whole "
                          f"{step}-minute interval")
    days = c.calling_dates() if dates is None else dates
    if not days:
        raise ConfigError(f"{source}: campaign.calling_days: no calling day from {c.start} to {c.deadline}")
    base = pd.DatetimeIndex([pd.Timestamp(d) for d in days]).as_unit("ns")
    slots = pd.DatetimeIndex((base.values[:, None] + (offsets * 60_000_000_000).astype("timedelta64[ns]")[None, :])
                             .ravel()).as_unit("ns")
    hours = config.centre.opening_hours
    if hours is not None:
        shut = ~open_mask(hours, slots, step) | ~open_mask(hours, slots + pd.Timedelta(minutes=step - 1), 1)
        if shut.any():
            t = slots[int(np.flatnonzero(shut)[0])]
            raise ConfigError(f"{source}: campaign.calling_hours {c.calling_hours[0]}-{c.calling_hours[1]} fall "
                              f"outside the centre's open hours on {t:%Y-%m-%d} ({t:%a}) at {t:%H:%M} "
                              f"([centre.open]: {hours.describe()})")
    return slots


@dataclass
class Sizing:
    """A campaign sized to its deadline (``team`` None) or worked by a team of ``team`` agents."""

    campaign: Campaign
    work: Work
    interval_minutes: int
    work_hours: float  # calling time the records need
    agent_hours: float  # scheduled agent-hours: work_hours / (1 - shrinkage)
    days: pd.DataFrame  # DAY_COLUMNS
    slots: pd.DataFrame  # timestamp, agents, records
    team: int | None = None
    finish: dt.date | None = None  # the day the last record is worked (None: not within MAX_DAYS)
    reach_by_deadline: float = 0.0  # share of the records reached by the deadline

    @property
    def expected_reach(self) -> float:
        return self.work.reach

    @property
    def records_by_deadline(self) -> float:
        on = self.days["date"] <= self.campaign.deadline
        return float(self.days.loc[on, "records"].sum())

    @property
    def exit_code(self) -> int:
        """1 when the records cannot all be worked by the deadline (a team too small), else 0."""
        return 1 if self.finish is None or self.finish > self.campaign.deadline else 0


def day_weights(c: Campaign, hours: np.ndarray) -> np.ndarray:
    """Each calling day's share of the work: its calling hours, times a line from 2 (first day) to 1 (last)
    when front-loaded."""
    w = hours.astype(float).copy()
    if c.pacing == "front_loaded" and len(w) > 1:
        w *= np.linspace(2.0, 1.0, len(w))
    return w / w.sum()


def size(config: CentreConfig, c: Campaign, *, agents: int | None = None, source: str = "campaign") -> Sizing:
    """The campaign sized to its deadline, or with ``agents`` callers on every calling interval: the agent-hours
    per day and interval, the records worked, and (with a team) the reach by the deadline and the finish day."""
    work = record_work(c)
    step = config.planning_interval_minutes
    slot_h = step / 60.0
    productive = 1.0 - c.shrinkage
    work_hours = c.records * work.agent_minutes / 60.0
    agent_hours = work_hours / productive
    if agents is None:
        slots = calling_slots(config, c, source=source)
        dates = slots.normalize()
        day_index, first = np.unique(dates.values, return_index=True)
        per_day = np.bincount(np.searchsorted(day_index, dates.values), minlength=len(day_index)) * slot_h
        day_hours = agent_hours * day_weights(c, per_day)
        slot_agents = np.repeat(day_hours / per_day, (per_day / slot_h).astype(int))
        finish = pd.Timestamp(day_index[-1]).date()
        reach = work.reach
    else:
        if agents < 1:
            raise InputError(f"--agents {agents}: give a team of 1 or more")
        dates_list = _dates_until_done(c, agents, work_hours, step)
        slots = calling_slots(config, c, dates_list, source=source)
        day_index = np.unique(slots.normalize().values)
        per_day = np.bincount(np.searchsorted(day_index, slots.normalize().values), minlength=len(day_index)) * slot_h
        slot_agents = np.full(len(slots), float(agents))
        # the team works until the records are done: the last interval's agents only as long as needed
        done = np.cumsum(slot_agents * slot_h * productive)
        over = np.flatnonzero(done >= work_hours - 1e-9)
        finish = None
        if len(over):
            k = int(over[0])
            before = done[k - 1] if k else 0.0
            slot_agents[k] = (work_hours - before) / (slot_h * productive)
            slot_agents[k + 1:] = 0.0
            finish = slots[k].date()
        deadline_end = pd.Timestamp(c.deadline) + pd.Timedelta(days=1)
        worked = float((slot_agents[slots < deadline_end] * slot_h * productive).sum())
        reach = work.reach * min(1.0, worked / work_hours)
        day_hours = np.bincount(np.searchsorted(day_index, slots.normalize().values), weights=slot_agents * slot_h,
                                minlength=len(day_index))
    records_slot = slot_agents * slot_h * productive * 60.0 / work.agent_minutes
    records_day = day_hours * productive * 60.0 / work.agent_minutes
    done_day = np.cumsum(records_day)
    days = pd.DataFrame({
        "date": [pd.Timestamp(d).date() for d in day_index], "calling_hours": per_day,
        "agents": [math.ceil(h / p - 1e-9) if p else 0 for h, p in zip(day_hours, per_day, strict=True)],
        "agent_hours": day_hours, "records": records_day, "records_done": done_day,
        "progress": np.minimum(done_day / c.records, 1.0),
    })
    frame = pd.DataFrame({"timestamp": slots, "agents": slot_agents, "records": records_slot})
    return Sizing(c, work, step, work_hours, agent_hours, days[DAY_COLUMNS], frame, agents, finish,
                  reach if agents is not None else work.reach)


def _dates_until_done(c: Campaign, agents: int, work_hours: float, step: int) -> list[dt.date]:
    """Calling days from the start, through the deadline and on until a team of ``agents`` would be done (at
    most MAX_DAYS days after the start)."""
    per_day = len(window_offsets(c, step)) * step / 60.0 * agents * (1.0 - c.shrinkage)
    out, day, got = [], c.start, 0.0
    while (day <= c.deadline or got < work_hours - 1e-9) and (day - c.start).days < MAX_DAYS:
        if day.weekday() in c.weekdays:
            out.append(day)
            got += per_day
        day += dt.timedelta(days=1)
    return out
