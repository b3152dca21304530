"""The capacity file (``configs/capacity.toml``): the horizon, attrition, hiring classes, the staff on hand,
overtime and agency, and how the requirement is made (docs/capacity.md).

**Attrition convention**: ``attrition_per_year`` is leavers in a year over the average headcount, and a week
loses ``attrition_per_year / 52`` of its people (so a centre that replaces its leavers loses that many a year:
400% is about a third a month, 4/12). At most :data:`MAX_ATTRITION` (2000% a year: 38% a week).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from pydantic import Field, field_validator, model_validator

from wfm.config import _Model, check_unique, load_toml_model, plain_name

MAX_ATTRITION = 20.0
MAX_WEEKS = 156
CONVENTION = ("attrition_per_year is leavers in a year / average headcount; a week loses attrition_per_year / 52 "
              "of its people (400% = about a third a month)")


def twelve_months(v: list[float] | None, ok: Callable[[float], bool], message: str) -> list[float] | None:
    """A per-month list (January first): twelve values, each ``ok``; None stays None."""
    if v is not None:
        if len(v) != 12:
            raise ValueError(f"needs 12 values, January to December (got {len(v)})")
        if not all(ok(x) for x in v):
            raise ValueError(message)
    return v


class TenureBand(_Model):
    """Attrition for people up to ``weeks`` weeks since their class started (new hires leave faster)."""

    weeks: int = Field(ge=1, le=520)
    attrition_per_year: float = Field(ge=0, le=MAX_ATTRITION)


class Hiring(_Model):
    lead_time_weeks: int = Field(default=4, ge=0, le=MAX_WEEKS)  # a class is decided this long before it starts
    training_weeks: int = Field(default=3, ge=0, le=52)  # paid, on no calls
    nesting_productivity: list[float] = Field(default_factory=list)  # the weeks after training, then 1.0
    fail_rate: float = Field(default=0.0, ge=0, le=1)  # leave at the end of training
    class_min: int = Field(default=1, ge=1, le=10_000)
    class_max: int = Field(default=30, ge=1, le=10_000)
    max_classes: int = Field(default=2, ge=1, le=100)  # classes in training at once (trainers)
    cost_per_hire: float = Field(default=0.0, ge=0)  # recruiting, per person hired
    training_cost_per_week: float = Field(default=0.0, ge=0)  # per trainee and training week, on top of wages
    freeze_weeks: list[dt.date] = Field(default_factory=list)  # Mondays no class may start in
    contracts: list[str] | None = None  # the contracts classes hire into (default: every contract)

    @field_validator("nesting_productivity")
    @classmethod
    def _productivity(cls, v: list[float]) -> list[float]:
        for p in v:
            if not 0 <= p <= 1:
                raise ValueError(f"productivity {p} is outside [0, 1] (a share of a trained agent's output)")
        if len(v) > 52:
            raise ValueError("at most 52 nesting weeks")
        return v

    @model_validator(mode="after")
    def _class_sizes(self) -> Hiring:
        if self.class_min > self.class_max:
            raise ValueError(f"class_min {self.class_min} is above class_max {self.class_max}")
        return self


class Headcount(_Model):
    """People on hand at the start, on a contract of the centre config; ``tenure_weeks`` since their class
    started (default: mature, past every band and the ramp)."""

    contract: str
    agents: int = Field(ge=0, le=100_000)
    tenure_weeks: int | None = Field(default=None, ge=0, le=5200)

    _name = field_validator("contract")(lambda cls, v: plain_name(v))


class Outlook(_Model):
    """How the volume outlook is made from the history: its last ``shape_weeks`` weeks averaged (per interval
    of the week) as the shape, times growth and the month's index."""

    shape_weeks: int = Field(default=4, ge=1, le=52)
    # relative volume per calendar month, January first (the shape's own months average to it)
    monthly_index: list[float] | None = None
    aht_factor: float = Field(default=1.0, gt=0, le=10)

    @field_validator("monthly_index")
    @classmethod
    def _twelve(cls, v: list[float] | None) -> list[float] | None:
        return twelve_months(v, lambda x: x > 0, "every month's index must be above 0")


class CapacitySettings(_Model):
    start: dt.date  # a Monday
    weeks: int = Field(default=52, ge=1, le=MAX_WEEKS)
    attrition_per_year: float = Field(ge=0, le=MAX_ATTRITION)
    attrition_by_tenure: list[TenureBand] = Field(default_factory=list)
    requirement_fte: float | None = Field(default=None, ge=0, le=1_000_000)  # flat, instead of the outlook
    growth_per_year: float = Field(default=0.0, ge=-0.9, le=10)
    fte_hours: float = Field(default=40.0, gt=0, le=80)  # paid hours of one FTE a week
    # the share of paid hours off the phones (vacations, training, meetings, breaks) per month, January first;
    # default: the queues' shrinkage
    shrinkage_by_month: list[float] | None = None
    overtime_hours_per_fte: float = Field(default=0.0, ge=0, le=40)  # a week's cap, per productive FTE
    overtime_cost_per_hour: float = Field(default=1.5, ge=0)
    agency_hours_per_week: float = Field(default=0.0, ge=0)  # a week's cap
    agency_cost_per_hour: float = Field(default=2.0, ge=0)
    short_penalty_per_fte_week: float = Field(default=1000.0, ge=0)  # a week's FTE short of the requirement
    gap: float = Field(default=1e-3, ge=0, le=1)
    # a sweep's points differ by far more than this: each is proven within it (--gap sets both)
    sweep_gap: float = Field(default=0.01, ge=0, le=1)
    # weeks planned past the horizon at its last week's requirement (default: lead + training + nesting + 8)
    tail_weeks: int | None = Field(default=None, ge=0, le=MAX_WEEKS)
    time_limit_s: float = Field(default=30.0, gt=0, le=86_400)
    hiring: Hiring = Field(default_factory=Hiring)
    headcount: list[Headcount] = Field(default_factory=list)
    outlook: Outlook = Field(default_factory=Outlook)

    @field_validator("start")
    @classmethod
    def _monday(cls, v: dt.date) -> dt.date:
        if v.weekday() != 0:
            raise ValueError(f"{v} is a {v:%A}; the horizon starts on a Monday")
        return v

    @field_validator("shrinkage_by_month")
    @classmethod
    def _months(cls, v: list[float] | None) -> list[float] | None:
        return twelve_months(v, lambda x: 0 <= x < 1, "each month's shrinkage must be from 0 to below 1")

    @field_validator("attrition_by_tenure")
    @classmethod
    def _bands(cls, v: list[TenureBand]) -> list[TenureBand]:
        weeks = [b.weeks for b in v]
        if weeks != sorted(set(weeks)):
            raise ValueError("bands must be in increasing weeks, each once")
        return v


    @model_validator(mode="after")
    def _horizon(self) -> CapacitySettings:
        h = self.hiring
        if h.lead_time_weeks >= self.weeks:
            raise ValueError(f"hiring.lead_time_weeks {h.lead_time_weeks} is not shorter than the horizon's "
                             f"{self.weeks} weeks: no class could start in it")
        check_unique([x.contract for x in self.headcount], "headcount contract")
        for d in h.freeze_weeks:
            if d.weekday() != 0:
                raise ValueError(f"hiring.freeze_weeks: {d} is a {d:%A}; name the Monday of each week")
        return self


class CapacityFile(_Model):
    capacity: CapacitySettings
    source: str | None = Field(default=None, exclude=True)

    @property
    def hiring(self) -> Hiring:
        return self.capacity.hiring

    @property
    def headcount(self) -> list[Headcount]:
        return self.capacity.headcount

    @property
    def outlook(self) -> Outlook:
        return self.capacity.outlook


def load_capacity(path: str | Path) -> CapacityFile:
    """Load and check a capacity file; errors name the file and the key (exit 2), an attrition error with the
    convention read."""
    return load_toml_model(path, CapacityFile, "capacity file",
                           hint=lambda text: f"{text} ({CONVENTION})" if "attrition" in text else text)
