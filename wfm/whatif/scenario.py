"""Scenario files for `wfm whatif`: shocks and recovery levers (pydantic models, validated with located errors).

A scenario file is TOML with one ``[[scenario]]`` table per scenario (``configs/storm.toml``)::

    [[scenario]]
    name = "storm"

    [[scenario.volume]]            # calls x multiplier (or + added_calls per interval) over a window
    queue = "all"                  # or one queue name
    multiplier = 2.5               # +150%
    start = "day 2"                # "day N [HH:MM]" (day 1 = the plan's first date) or "YYYY-MM-DD [HH:MM]"
                                   # (HH:MM from 00:00 to 24:00; inside the plan)
    end = "day 4"                  # exclusive
    ramp_up_hours = 6              # linear rise to full strength, ending at start
    decay_hours = 72               # linear fall back to normal, starting at end

    [[scenario.aht]]               # handle time x multiplier, same window/shape fields
    [[scenario.absence]]           # share of rostered agents who cannot come in, on whole days
    [[scenario.capacity]]          # seats/systems down: at most `seats` people on the phones in a window

    [scenario.levers.back_office]  # back office onto the phones
    [scenario.levers.rest_days]    # cancelled rest days (per month from `per_month` down to `floor`)
    [scenario.levers.overtime]     # shift extensions (hours per agent per day and per week)
    [scenario.levers.agency]       # extra agency agents
    [scenario.levers.reoptimise]   # re-roster for the shocked forecast instead of keeping the published one

Times are local wall-clock times. Windows are checked against the plan (the forecast's dates) by
:func:`validate`, which turns every ``start``/``end`` into a timestamp; errors name the file, the scenario
and the field, on one line. Every number is finite and bounded (``MAX_MULTIPLIER``, ``MAX_PEOPLE``,
``MAX_COST_PER_HOUR``, hours per day and week, ``from_day`` inside the plan), so that no scenario can ask
for an unbounded model or loop.
"""

from __future__ import annotations

import itertools
import math
import re
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from wfm.clock import clock_minutes
from wfm.config import CentreConfig, check_unique, describe_validation_error, read_toml
from wfm.errors import ConfigError
from wfm.horizon import MAX_HORIZON_DAYS
from wfm.io import DATE_RANGE, END_DATE, FIRST_DATE, MAX_CALLS_PER_INTERVAL

MAX_MULTIPLIER = 1000.0  # volume and AHT multipliers: 0 .. 1000 (AHT: above 0)
MAX_PEOPLE = 100_000  # seats, agency agents, back-office people: people at once
MAX_COST_PER_HOUR = 1_000_000.0  # any lever cost, per paid hour (or per changed shift)
MAX_HANDLE_TIME_FACTOR = 100.0
MAX_TIME_LIMIT_S = 86_400.0  # the re-roster lever's solver time limit: a day
MAX_DAY = MAX_HORIZON_DAYS + 1  # "day N": the latest end is the day after a plan of MAX_HORIZON_DAYS days

NonNeg = Annotated[float, Field(ge=0)]
Cost = Annotated[float, Field(ge=0, le=MAX_COST_PER_HOUR)]
People = Annotated[int, Field(ge=0, le=MAX_PEOPLE)]
HoursPerDay = Annotated[float, Field(ge=0, le=24)]
Factor = Annotated[float, Field(ge=1, le=MAX_HANDLE_TIME_FACTOR)]
_RELATIVE = re.compile(r"^day\s+(\d+)(?:\s+(\d{1,2}:\d{2}))?$", re.IGNORECASE)
_ABSOLUTE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}:\d{2}))?$")
_WHEN = "must be 'day N', 'day N HH:MM' or 'YYYY-MM-DD [HH:MM]'"


class _Model(BaseModel):
    # no inf or nan anywhere in a scenario, as in a config
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


def _when_parts(text: str) -> tuple[int | None, date | None, int]:
    """``"day 2 06:30"`` -> (2, None, 390); ``"2026-12-01 08:00"`` -> (None, date, 480); ValueError naming the
    part that is wrong (the day, the date or the clock)."""
    m = _RELATIVE.match(text)
    a = None if m else _ABSOLUTE.match(text)
    if not m and not a:
        raise ValueError(f"{_WHEN}, got {text!r}")
    clock = (m or a).group(2)  # type: ignore[union-attr]
    minutes = 0 if clock is None else clock_minutes(clock, end_of_day=True)
    if minutes is None:
        raise ValueError(f"{text!r}: {clock!r} is not a time HH:MM (00:00 to 24:00)")
    if m:
        day = int(m.group(1))
        if not 1 <= day <= MAX_DAY:
            raise ValueError(f"{text!r}: days count from day 1 (the plan's first date) to day {MAX_DAY}")
        return day, None, minutes
    try:
        return None, date.fromisoformat(a.group(1)), minutes  # type: ignore[union-attr]
    except ValueError:
        raise ValueError(f"{text!r}: {a.group(1)!r} is not a date YYYY-MM-DD") from None  # type: ignore[union-attr]


def _check_when(v: object) -> str:
    text = str(v).strip()
    _when_parts(text)
    return text


def _check_clock(v: object) -> str:
    text = str(v).strip()
    if clock_minutes(text, end_of_day=True) is None:
        raise ValueError(f"must be a clock time HH:MM, got {text!r}")
    return text


class Window(_Model):
    """A time window ``[start, end)``; ``end`` defaults to one day after ``start``."""

    start: str
    end: str | None = None

    @field_validator("start", "end", mode="before")
    @classmethod
    def _when(cls, v: object) -> object:
        return None if v is None else _check_when(v)


class Shaped(Window):
    """A window with a linear ramp-up before it and a linear decay after it."""

    queue: str = "all"
    ramp_up_hours: NonNeg = 0.0
    decay_hours: NonNeg = 0.0


class VolumeShock(Shaped):
    # calls x multiplier at full strength (2.5 = +150%)
    multiplier: Annotated[float, Field(ge=0, le=MAX_MULTIPLIER)] | None = None
    # extra calls per interval (per queue) at full strength
    added_calls: Annotated[float, Field(ge=0, le=MAX_CALLS_PER_INTERVAL)] | None = None

    @model_validator(mode="after")
    def _one(self) -> VolumeShock:
        if (self.multiplier is None) == (self.added_calls is None):
            raise ValueError("give exactly one of multiplier (e.g. 2.5 for +150%) or added_calls")
        return self


class AhtShock(Shaped):
    multiplier: Annotated[float, Field(gt=0, le=MAX_MULTIPLIER)]  # 1.2 = +20%


class AbsenceShock(Window):
    share: Annotated[float, Field(ge=0, lt=1)]  # of rostered agents on each day of the window


class CapacityShock(Window):
    seats: People  # at most this many people on the phones at once


class BackOfficeLever(_Model):
    """Back-office people onto the phones. ``people = "all"`` takes the config's whole back office."""

    people: People | Literal["all"] = "all"
    roles: list[str] | None = None  # restrict to these [back_office] roles
    hours: tuple[str, str] = ("08:00", "20:00")  # daily window when they may take calls
    days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] | None = None  # default: every day
    max_hours_per_day: HoursPerDay = 8.0  # per person
    handle_time_factor: Factor = 1.3  # 1.3: each counts as 1/1.3 of an agent
    cost_per_hour: Cost = 1.0

    @field_validator("hours", mode="before")
    @classmethod
    def _hours(cls, v: object) -> object:
        if isinstance(v, (list, tuple)) and len(v) == 2:
            return tuple(_check_clock(x) for x in v)
        raise ValueError("must be two clock times, e.g. ['08:00', '20:00']")

    @field_validator("days", mode="before")
    @classmethod
    def _days(cls, v: object) -> object:
        if isinstance(v, list):
            return [str(x).strip().lower()[:3] for x in v]
        return v


class RestDaysLever(_Model):
    """Cancel rest days: rest days per month from ``per_month`` down to ``floor``; each one cancelled is a
    full-time agent working an extra shift (a shift template of ``contract``) on a day off."""

    per_month: Annotated[int, Field(ge=0, le=31)] = 8
    floor: Annotated[int, Field(ge=0, le=31)] = 4
    contract: str = "full_time"
    cost_per_hour: Cost = 1.5  # per paid hour of the extra shift

    @model_validator(mode="after")
    def _floor(self) -> RestDaysLever:
        if self.floor > self.per_month:
            raise ValueError(f"floor {self.floor} is above per_month {self.per_month}")
        return self


class OvertimeLever(_Model):
    """Extend published shifts before their start or after their end."""

    max_hours_per_day: HoursPerDay = 2.0  # per agent
    max_hours_per_week: Annotated[float, Field(ge=0, le=168)] = 10.0  # per agent (the team's total per 7-day block)
    cost_per_hour: Cost = 1.5


class AgencyLever(_Model):
    """Extra agency agents on the phones, up to ``max_agents`` at once, within ``hours``."""

    max_agents: People = 0
    hours: tuple[str, str] = ("00:00", "24:00")
    max_hours_per_day: HoursPerDay = 8.0  # per agency agent: longer runs are worked by several of them
    handle_time_factor: Factor = 1.0
    cost_per_hour: Cost = 2.0

    @field_validator("hours", mode="before")
    @classmethod
    def _hours(cls, v: object) -> object:
        return BackOfficeLever._hours(v)


class ReoptimiseLever(_Model):
    """Re-roster the same agents for the shocked forecast (from ``from_day``) instead of the published roster."""

    enabled: bool = True
    from_day: Annotated[int, Field(ge=1, le=MAX_HORIZON_DAYS)] = 1  # and inside the plan (:func:`validate`)
    cost_per_changed_shift: Cost = 1.0
    time_limit_s: Annotated[float, Field(gt=0, le=MAX_TIME_LIMIT_S)] = 10.0


class Levers(_Model):
    back_office: BackOfficeLever | None = None
    rest_days: RestDaysLever | None = None
    overtime: OvertimeLever | None = None
    agency: AgencyLever | None = None
    reoptimise: ReoptimiseLever | None = None

    @property
    def names(self) -> list[str]:
        """The levers the scenario pulls, in the file's order (a disabled ``reoptimise`` is not pulled)."""
        return [n for n in LEVER_NAMES if getattr(self, n) is not None and (n != "reoptimise" or self.reoptimise.enabled)]


LEVER_NAMES = ("back_office", "rest_days", "overtime", "agency", "reoptimise")


class Scenario(_Model):
    name: str
    description: str = ""
    volume: list[VolumeShock] = Field(default_factory=list)
    aht: list[AhtShock] = Field(default_factory=list)
    absence: list[AbsenceShock] = Field(default_factory=list)
    capacity: list[CapacityShock] = Field(default_factory=list)
    levers: Levers = Field(default_factory=Levers)

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("must not be blank")
        if v.strip().lower() == "baseline":
            raise ValueError("'baseline' is reserved for the unshocked run")
        return v.strip()


class ScenarioFile(_Model):
    scenario: list[Scenario]

    @model_validator(mode="after")
    def _unique(self) -> ScenarioFile:
        if not self.scenario:
            raise ValueError("at least one [[scenario]] is required")
        check_unique([s.name for s in self.scenario], "scenario name")
        return self


# --------------------------------------------------------------------------- loading
def load_scenarios(path: str | Path) -> list[Scenario]:
    """Read and validate a scenario file (shape only; :func:`resolve` checks it against config and plan)."""
    path = Path(path)
    return parse_scenarios(read_toml(path, kind="scenario file"), source=str(path))


def parse_scenarios(data: dict, source: str = "<scenarios>") -> list[Scenario]:
    try:
        parsed = ScenarioFile.model_validate(data)
    except ValidationError as exc:
        text = describe_validation_error(exc, data)
        err = exc.errors()[0]
        # a union's member in the path ("people.constrained-int") is no key of the file
        text = re.sub(r"\.(?:constrained-\w+|int|float|str|literal\[[^\]]*\])'", "'", text, count=1)
        bounds = {"greater_than_equal": "{ge} or more", "greater_than": "more than {gt}",
                  "less_than_equal": "{le} or less", "less_than": "less than {lt}"}
        head = text[: text.rindex("': ") + 3]
        if err["type"] in bounds:  # "must be 0 or more, got -2" rather than pydantic's wording
            limits = {k: _number(v) for k, v in err["ctx"].items()}
            text = f"{head}must be {bounds[err['type']].format(**limits)}, got {err['input']!r}"
        elif err["type"] == "finite_number":
            text = f"{head}must be a finite number, got {err['input']!r}"
        raise ConfigError(f"{source}: {text}") from None
    return parsed.scenario


def _number(v: float) -> str:
    """1000000.0 -> '1,000,000'; 0.5 -> '0.5'."""
    return f"{int(v):,}" if float(v).is_integer() and abs(v) < 1e15 else f"{v:g}"


# --------------------------------------------------------------------------- resolving against a plan
def parse_when(text: str, plan_start: pd.Timestamp) -> pd.Timestamp:
    """``"day 2 06:00"`` (day 1 = ``plan_start``'s date) or an absolute ``"YYYY-MM-DD HH:MM"``; ``HH:MM`` runs
    from 00:00 to 24:00 (the end of that day). ValueError naming the part that is wrong."""
    day, on, minutes = _when_parts(text.strip())
    if on is not None:
        if not FIRST_DATE <= pd.Timestamp(on) < END_DATE:
            raise ValueError(f"{text.strip()!r} is outside the dates wfm plans ({DATE_RANGE})")
        return pd.Timestamp(on) + pd.Timedelta(minutes=minutes)
    return plan_start.normalize() + pd.Timedelta(days=day - 1, minutes=minutes)  # type: ignore[operator]


def plan_days(plan_start: pd.Timestamp, plan_end: pd.Timestamp) -> int:
    """Days of the plan, counting its first and last dates (``day 1`` to ``day N``)."""
    return max(1, math.ceil((plan_end - plan_start.normalize()) / pd.Timedelta(days=1)))


def _plan_text(plan_start: pd.Timestamp, plan_end: pd.Timestamp) -> str:
    return (f"day 1 to day {plan_days(plan_start, plan_end)}, {plan_start:%Y-%m-%d %H:%M} to "
            f"{plan_end:%Y-%m-%d %H:%M}")


def window_bounds(
    w: Window, plan_start: pd.Timestamp, plan_end: pd.Timestamp, where: str
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Resolve a window to ``[start, end)`` timestamps; ConfigError naming ``start`` or ``end`` when it is
    empty or outside the plan (with the plan's days and times)."""
    try:
        start = parse_when(w.start, plan_start)
    except ValueError as exc:
        raise ConfigError(f"{where}.start: {exc}") from None
    try:
        end = parse_when(w.end, plan_start) if w.end is not None else start + pd.Timedelta(days=1)
    except ValueError as exc:
        raise ConfigError(f"{where}.end: {exc}") from None
    if end <= start:
        raise ConfigError(f"{where}.end: {end:%Y-%m-%d %H:%M} is not after start {start:%Y-%m-%d %H:%M}")
    if start < plan_start or start >= plan_end:
        raise ConfigError(f"{where}.start: {w.start!r} ({start:%Y-%m-%d %H:%M}) is outside the plan "
                          f"({_plan_text(plan_start, plan_end)})")
    if end > plan_end:
        given = repr(w.end) if w.end is not None else "one day after start"
        weeks = -(-(end - plan_start.normalize()) // pd.Timedelta(days=7))
        raise ConfigError(f"{where}.end: {given} ({end:%Y-%m-%d %H:%M}) is after the plan's end "
                          f"({_plan_text(plan_start, plan_end)}); plan {weeks} weeks: --weeks {weeks} (with "
                          "--history), or a forecast that long (a shorter roster's weeks are repeated)")
    return start, end


def validate(
    scenarios: list[Scenario],
    config: CentreConfig,
    plan_start: pd.Timestamp,
    plan_end: pd.Timestamp,
    source: str = "<scenarios>",
) -> None:
    """Check every scenario against the centre config and the plan; the first problem raises ConfigError.

    Unknown queues, back-office roles or contracts, windows outside ``[plan_start, plan_end)``, a re-roster
    ``from_day`` past the plan's last day.
    """
    queues = set(config.queue_names)
    roles = {r.role for r in config.back_office.roles}
    contracts = {c.name for c in config.contracts}
    for s in scenarios:
        prefix = f"{source}: scenario {s.name!r}"
        for kind in ("volume", "aht", "absence", "capacity"):
            for i, shock in enumerate(getattr(s, kind)):
                where = f"{prefix}, {kind}[{i}]"
                queue = getattr(shock, "queue", "all")
                if queue != "all" and queue not in queues:
                    raise ConfigError(
                        f"{where}.queue: unknown queue {queue!r} (the config has: {', '.join(config.queue_names)})"
                    )
                window_bounds(shock, plan_start, plan_end, where)
        bo = s.levers.back_office
        if bo is not None:
            for role in bo.roles or []:
                if role not in roles:
                    raise ConfigError(
                        f"{prefix}, levers.back_office.roles: unknown role {role!r} "
                        f"(the config has: {', '.join(sorted(roles)) or 'no back office'})"
                    )
            available = back_office_available(bo, config)
            if bo.people != "all" and bo.people > available:
                raise ConfigError(
                    f"{prefix}, levers.back_office.people: {bo.people} is more than the back office "
                    f"has ({available})"
                )
        rd = s.levers.rest_days
        if rd is not None and rd.contract not in contracts:
            raise ConfigError(
                f"{prefix}, levers.rest_days.contract: unknown contract {rd.contract!r} "
                f"(the config has: {', '.join(sorted(contracts)) or 'none'})"
            )
        if rd is not None:
            contract = next(c for c in config.contracts if c.name == rd.contract)
            rest = (7 - contract.days_range[1]) * 4
            if rd.floor > rest:
                raise ConfigError(
                    f"{prefix}, levers.rest_days.floor: {rd.floor} is above the rest days contract {rd.contract!r} "
                    f"gives in a month ({rest}: {7 - contract.days_range[1]} a week over 4 weeks), so no rest day "
                    "could ever be recalled"
                )
        if rd is not None and not any(rd.contract in t.contracts for t in config.shifts):
            raise ConfigError(
                f"{prefix}, levers.rest_days.contract: no [[shifts]] template serves contract {rd.contract!r}, "
                "so a cancelled rest day has no shift to work"
            )
        ro = s.levers.reoptimise
        if ro is not None and ro.from_day > plan_days(plan_start, plan_end):
            raise ConfigError(
                f"{prefix}, levers.reoptimise.from_day: {ro.from_day} is outside the plan "
                f"({_plan_text(plan_start, plan_end)})"
            )


def _roles(lever: BackOfficeLever, config: CentreConfig) -> list:
    """The ``[back_office]`` roles the lever draws on (all, or those it names)."""
    roles = config.back_office.roles
    return roles if lever.roles is None else [r for r in roles if r.role in set(lever.roles)]


def back_office_available(lever: BackOfficeLever, config: CentreConfig) -> int:
    """People the lever may put on the phones: the chosen roles' headcount, capped by ``people`` (counted, no
    list built: a config may name any headcount)."""
    total = sum(r.headcount for r in _roles(lever, config))
    return total if lever.people == "all" else min(int(lever.people), total)


def back_office_people(lever: BackOfficeLever, config: CentreConfig) -> list[str]:
    """Those people by name, by role (``BO-<role>-<nn>``): the first :func:`back_office_available` of them."""
    ids = (f"BO-{r.role}-{i:02d}" for r in _roles(lever, config) for i in range(1, r.headcount + 1))
    return list(itertools.islice(ids, back_office_available(lever, config)))
