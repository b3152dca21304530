"""The campaign file (``configs/campaign.toml``) and what one record costs to work.

**The attempt model.** Each attempt at a record reaches the right party with probability ``p`` (the
``connect_rate``), independently of the record's earlier attempts, and a record is tried until it is reached or
has had ``max_attempts``. So after ``k`` attempts a record is reached with probability ``1 - (1 - p)^k``; the
expected attempts per record are ``(1 - (1 - p)^K) / p`` and the expected reach ``1 - (1 - p)^K``. Independence
is an assumption: in practice a number that did not answer twice is less likely to answer a third time, so the
later attempts reach fewer than this and the reach is an upper bound (lower ``connect_rate`` to be prudent).

A predictive dialler dials ahead of free agents; the calls it connects with no agent free are abandoned, at
the campaign's ``abandon_cap`` (the dialler paces itself to the cap). An abandoned right-party call spends the
attempt: the chance an attempt ends in a conversation is ``p (1 - abandon_cap)``.

**Agent time per record.** ``talk_minutes + wrap_minutes`` per conversation. A preview dialler has the agent
place every call: each attempt that does not end in a conversation costs ``failed_attempt_minutes``. A power or
predictive dialler places the calls itself; its agents wait between conversations, and ``talk_share`` is the
share of their calling time spent in conversations (talk and wrap): a conversation costs ``(talk + wrap) /
talk_share`` minutes of an agent. Agents on the campaign lose ``shrinkage`` of their hours (breaks, briefings):
an agent-hour on the campaign calls for ``1 - shrinkage`` of an hour.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from wfm.clock import parse_clock
from wfm.config import _Model, load_toml_model
from wfm.hours import WEEKDAY_KEYS

DEFAULT_TALK_SHARE = {"power": 0.7, "predictive": 0.85}
MAX_RECORDS = 10_000_000
MAX_DAYS = 366


class Extra(_Model):
    """How the hours the idle inbound agents cannot give are bought (``[campaign.extra]``)."""

    # overtime: rostered agents stay on after their shift, at most this long a day, at this factor on their rate
    overtime_max_hours: float = Field(default=2.0, ge=0, le=8)
    overtime_cost_factor: float = Field(default=1.5, gt=0)
    # extra shifts from the config's shift templates (default: every template that fits in the calling hours)
    shifts: list[str] | None = None


class Campaign(_Model):
    name: str = "campaign"
    records: int = Field(ge=1, le=MAX_RECORDS)
    max_attempts: int = Field(ge=1, le=50)
    connect_rate: float = Field(gt=0, le=1)
    talk_minutes: float = Field(gt=0, le=600)
    wrap_minutes: float = Field(default=0.0, ge=0, le=600)
    failed_attempt_minutes: float = Field(default=0.0, ge=0, le=60)
    dialler: Literal["preview", "power", "predictive"] = "preview"
    talk_share: float | None = Field(default=None, gt=0, le=1)  # power / predictive (defaults 0.7 / 0.85)
    abandon_cap: float = Field(default=0.03, ge=0, lt=1)  # predictive only
    calling_hours: tuple[str, str] = ("09:00", "20:00")
    calling_days: list[str] = Field(default_factory=lambda: ["mon", "tue", "wed", "thu", "fri"])
    start: dt.date
    deadline: dt.date
    shrinkage: float = Field(default=0.0, ge=0, lt=1)
    pacing: Literal["even", "front_loaded"] = "even"  # front_loaded: the first day twice the last, linear
    extra: Extra = Field(default_factory=Extra)

    @field_validator("calling_days")
    @classmethod
    def _days(cls, v: list[str]) -> list[str]:
        if not v:
            raise ValueError("names no day (give e.g. [\"mon\", \"tue\"])")
        for d in v:
            if d not in WEEKDAY_KEYS:
                raise ValueError(f"{d!r} is not a day ({', '.join(WEEKDAY_KEYS)})")
        if len(set(v)) != len(v):
            raise ValueError("names a day twice")
        return v

    @field_validator("calling_hours")
    @classmethod
    def _hours(cls, v: tuple[str, str]) -> tuple[str, str]:
        a = parse_clock(v[0], "calling_hours start")
        b = parse_clock(v[1], "calling_hours end", end_of_day=True)
        if b <= a:
            raise ValueError(f"end {v[1]} is not after start {v[0]} (calling hours within one day)")
        return v

    @model_validator(mode="after")
    def _dates(self) -> Campaign:
        if self.deadline < self.start:
            raise ValueError(f"deadline {self.deadline} is before start {self.start}")
        if (self.deadline - self.start).days + 1 > MAX_DAYS:
            raise ValueError(f"start {self.start} to deadline {self.deadline} is over {MAX_DAYS} days")
        if self.talk_share is not None and self.dialler == "preview":
            raise ValueError("talk_share is for power and predictive diallers (a preview dialler's follows from "
                             "the attempts)")
        return self

    @property
    def calling_window(self) -> tuple[int, int]:
        """Calling hours as minutes from midnight (start, end)."""
        return (parse_clock(self.calling_hours[0], "calling_hours"),
                parse_clock(self.calling_hours[1], "calling_hours", end_of_day=True))

    @property
    def weekdays(self) -> set[int]:
        return {WEEKDAY_KEYS.index(d) for d in self.calling_days}

    def calling_dates(self) -> list[dt.date]:
        """The days from start to deadline (inclusive) the campaign calls on."""
        days = (self.deadline - self.start).days + 1
        out = [self.start + dt.timedelta(days=i) for i in range(days)]
        return [d for d in out if d.weekday() in self.weekdays]


class CampaignFile(_Model):
    campaign: Campaign
    source: str | None = Field(default=None, exclude=True)


def load_campaign(path: str | Path) -> CampaignFile:
    """Load and check a campaign file; errors name the file and the key (exit 2)."""
    return load_toml_model(path, CampaignFile, "campaign file")


@dataclass(frozen=True)
class Work:
    """What one record costs, expected (the module docstring's model): attempts, conversations (the reach),
    attempts that end without one, abandoned right-party calls (predictive), agent minutes, and the talk share
    those minutes have."""

    attempts: float
    reach: float
    failed: float
    abandoned: float
    agent_minutes: float
    talk_share: float

    @property
    def conversation_minutes(self) -> float:
        return self.agent_minutes * self.talk_share


def record_work(c: Campaign) -> Work:
    """Expected work per record of campaign ``c``."""
    p = c.connect_rate
    a = c.abandon_cap if c.dialler == "predictive" else 0.0
    q = p * (1.0 - a)  # an attempt ends in a conversation
    reach = 1.0 - (1.0 - q) ** c.max_attempts
    attempts = reach / q if q > 0 else float(c.max_attempts)
    abandoned = attempts * p * a
    failed = attempts - reach
    conversation = reach * (c.talk_minutes + c.wrap_minutes)
    if c.dialler == "preview":
        minutes = conversation + failed * c.failed_attempt_minutes
        share = conversation / minutes
    else:
        share = c.talk_share if c.talk_share is not None else DEFAULT_TALK_SHARE[c.dialler]
        minutes = conversation / share
    return Work(attempts, reach, failed, abandoned, minutes, share)


def implied_connect_rate(attempts_per_day: float, hours_per_day: float, c: Campaign) -> float | None:
    """The connect rate at which ``attempts_per_day`` preview attempts fill a caller's day of ``hours_per_day``
    on the campaign (less its shrinkage): each attempt costs ``p (talk + wrap) + (1 - p) failed`` minutes.
    None when no rate in (0, 1] fits (the attempts take less than the failed minutes or more than a
    conversation each)."""
    per_attempt = hours_per_day * 60.0 * (1.0 - c.shrinkage) / attempts_per_day
    conv, fail = c.talk_minutes + c.wrap_minutes, c.failed_attempt_minutes
    if conv == fail:
        return None
    p = (per_attempt - fail) / (conv - fail)
    return p if 0 < p <= 1 else None
