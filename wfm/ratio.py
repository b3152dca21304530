"""Front-line : back-office ratio check (``wfm ratio``): pure functions over plain data.

A mature contact centre is held to 9 front-line people for every 1 in the back office (second and third
line, team leaders, quality, training, planning, support); a new one to about 85:15. The check works on
the **back-office share** ``back_office / (front_line + back_office)``: 9:1 is a 10% share, 85:15 a 15%
share. The tolerance band is ``target share +- tolerance`` (share points, ``0.01`` = 1 point), bounds
included. Status:

- ``ok``                 the share is inside the band;
- ``back_office_heavy``  the share is above the band (too much back office for the front line);
- ``back_office_light``  the share is below the band (the front line is short of support);
- ``no_back_office``     there is no back office at all (ratio infinite; outside any band).

Typical use::

    parts = ratio_parts(config)                     # front line from centre.front_line_headcount
    result = ratio(config, front_line=front_line_from_roster(roster_frame, config), basis="fte")
    redeploy = move_to_phones(config, 5)            # 5 back-office people onto the phones

Nothing here reads files; the CLI loads the config and the roster CSV and passes them in.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

import numpy as np
import pandas as pd
from tabulate import tabulate

from wfm.config import CentreConfig, parse_ratio_target
from wfm.errors import ConfigError, InputError
from wfm.io import json_number
from wfm.roster.rows import RosterRows, parse_roster_rows

Basis = Literal["headcount", "fte"]
BASES: tuple[str, ...] = ("headcount", "fte")

OK = "ok"
BACK_OFFICE_HEAVY = "back_office_heavy"
BACK_OFFICE_LIGHT = "back_office_light"
NO_BACK_OFFICE = "no_back_office"

LAYERS_SMALL_CENTRE = 300  # people: up to this many need about 3 management layers, more need about 4
DEFAULT_FULL_TIME_HOURS = 40.0
FRONT_LINE_COLUMNS = ("agent_id", "date", "shift", "start", "end")  # the roster.csv columns the front line needs
_EPS = 1e-9  # float slack so that a share exactly on a band edge counts as inside


# --------------------------------------------------------------------------- plain data
@dataclass(frozen=True)
class RatioTarget:
    """A front line : back office target such as 9:1 or 85:15."""

    front: float
    back: float

    @classmethod
    def parse(cls, text: str) -> RatioTarget:
        """``RatioTarget.parse("85:15")``; raises ConfigError on anything but two positive numbers."""
        try:
            front, back = parse_ratio_target(text)
        except ValueError as exc:
            raise ConfigError(f"ratio target {exc}") from None
        return cls(front, back)

    @property
    def share(self) -> float:
        """Target back-office share: 0.10 for 9:1, 0.15 for 85:15."""
        return self.back / (self.front + self.back)

    @property
    def ratio(self) -> float:
        """Front-line people per back-office person: 9.0 for 9:1, 5.67 for 85:15."""
        return self.front / self.back

    @property
    def text(self) -> str:
        return f"{self.front:g}:{self.back:g}"


@dataclass(frozen=True)
class FrontLineWeek:
    """The front line in one 7-day block of a roster (week 1 starts on the roster's first date)."""

    week: int
    week_start: date
    headcount: int  # distinct agents working that week
    paid_hours: float
    fte: float  # paid_hours / the full-time contract's weekly paid hours


@dataclass(frozen=True)
class FrontLine:
    """The front line: headcount and FTE, with per-week figures when it comes from a roster."""

    headcount: int
    fte: float
    source: str = "config"
    weeks: tuple[FrontLineWeek, ...] = ()
    full_time_hours: float | None = None

    def value(self, basis: Basis) -> float:
        return float(self.headcount) if basis == "headcount" else float(self.fte)


@dataclass(frozen=True)
class WeekFront:
    """One week's front line in the basis of a check (people or FTE)."""

    week: int
    week_start: date
    front_line: float
    headcount: int


@dataclass(frozen=True)
class RatioParts:
    """Everything the check needs, as plain numbers. ``front_line``/``back_office`` are in ``basis`` units.

    ``centre_headcount`` (people, front line + back office) sizes the management layers; by default it is
    ``ceil(front_line + back_office)``.
    """

    front_line: float
    back_office: float
    target: RatioTarget = field(default_factory=lambda: RatioTarget(9.0, 1.0))
    tolerance: float = 0.01
    basis: Basis = "headcount"
    centre_headcount: int | None = None
    management_layers: int | None = None
    front_line_source: str = "given"
    weeks: tuple[WeekFront, ...] = ()
    moved_to_phones: float = 0.0
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class WeekRatio:
    week: int
    week_start: date
    front_line: float
    back_office: float
    ratio: float
    back_office_share: float
    status: str
    back_office_change: float
    front_line_supported: float


@dataclass(frozen=True)
class RatioResult:
    """The outcome of a ratio check. ``ratio`` is front-line per back-office person (``inf`` with none)."""

    basis: Basis
    front_line: float
    back_office: float
    ratio: float
    back_office_share: float
    target: RatioTarget
    tolerance: float
    band: tuple[float, float]  # back-office share bounds, inclusive
    status: str
    back_office_target: float  # back office that would hit the target exactly for this front line
    back_office_change: float  # add (+) or release (-): whole people on the headcount basis, 0.1 FTE on fte
    front_line_supported: float  # front line the current back office supports at the target
    front_line_change: float  # front_line_supported - front_line
    centre_headcount: int
    layers_recommended: int
    management_layers: int | None
    front_line_source: str
    weeks: tuple[WeekRatio, ...] = ()
    moved_to_phones: float = 0.0
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the whole period and every week are inside the band."""
        return self.status == OK and all(w.status == OK for w in self.weeks)

    @property
    def exit_code(self) -> int:
        """0 inside the band, 1 outside it (a breached target is a result, not an error)."""
        return 0 if self.ok else 1

    @property
    def ratio_text(self) -> str:
        return format_ratio(self.ratio)

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` document (plain JSON types; an infinite ratio gives ``ratio_value: null``)."""
        n = _count if self.basis == "headcount" else json_number  # whole people print as integers
        return {
            "basis": self.basis,
            "front_line": n(self.front_line),
            "back_office": n(self.back_office),
            "ratio": self.ratio_text,
            "ratio_value": json_number(self.ratio),
            "back_office_share": json_number(self.back_office_share),
            "target": self.target.text,
            "target_share": json_number(self.target.share),
            "tolerance": self.tolerance,
            "band": [json_number(self.band[0]), json_number(self.band[1])],
            "status": self.status,
            "ok": self.ok,
            "back_office_target": json_number(self.back_office_target),
            "back_office_change": n(self.back_office_change),
            "front_line_supported": n(self.front_line_supported),
            "front_line_change": n(self.front_line_change),
            "centre_headcount": self.centre_headcount,
            "layers_recommended": self.layers_recommended,
            "management_layers": self.management_layers,
            "front_line_source": self.front_line_source,
            "moved_to_phones": n(self.moved_to_phones),
            "warnings": list(self.warnings),
            "weeks": [
                {
                    "week": w.week,
                    "week_start": w.week_start.isoformat(),
                    "front_line": n(w.front_line),
                    "back_office": n(w.back_office),
                    "ratio": format_ratio(w.ratio),
                    "back_office_share": json_number(w.back_office_share),
                    "status": w.status,
                    "back_office_change": n(w.back_office_change),
                    "front_line_supported": n(w.front_line_supported),
                }
                for w in self.weeks
            ],
        }


# --------------------------------------------------------------------------- the check
def ratio(
    config_or_parts: CentreConfig | RatioParts,
    front_line: FrontLine | float | None = None,
    basis: Basis | None = None,
) -> RatioResult:
    """Check the front-line : back-office ratio against the target and its tolerance band.

    - ``config_or_parts``: a CentreConfig (target from ``centre.ratio_target`` or ``centre.maturity``,
      back office from ``[back_office]``) or a RatioParts of plain numbers.
    - ``front_line``: a FrontLine (e.g. from :func:`front_line_from_roster`), a number in ``basis`` units,
      or None for the config's ``centre.front_line_headcount`` (or the parts' own figure).
    - ``basis``: ``"headcount"`` (people; the default for a config) or ``"fte"`` (full-time equivalents).

    Raises InputError for negative or non-numeric figures, ConfigError when there is no front line.
    """
    return check_parts(_as_parts(config_or_parts, front_line, basis))


def move_to_phones(
    config_or_parts: CentreConfig | RatioParts,
    moved: float,
    front_line: FrontLine | float | None = None,
    basis: Basis | None = None,
) -> RatioResult:
    """The ratio while ``moved`` back-office people work on the phones (the what-if lever).

    Front line += moved and back office -= moved (in ``basis`` units: people, or FTE on the fte basis),
    in the whole period and in every week; the centre's total headcount, and so its recommended layers,
    do not change. ``moved`` must be between 0 and the back office. Otherwise the arguments are those of
    :func:`ratio`, and the result equals ``ratio`` on the changed figures (plus ``moved_to_phones``).
    """
    parts = _as_parts(config_or_parts, front_line, basis)
    moved = _figure("moved", moved)
    if moved > parts.back_office + _EPS:
        raise InputError(
            f"cannot move {moved:g} back-office {_unit(parts.basis)} onto the phones: "
            f"the back office has {parts.back_office:g}"
        )
    weeks = tuple(replace(w, front_line=w.front_line + moved) for w in parts.weeks)
    moved_parts = replace(
        parts,
        front_line=parts.front_line + moved,
        back_office=max(parts.back_office - moved, 0.0),
        weeks=weeks,
        centre_headcount=_centre_headcount(parts),
        moved_to_phones=parts.moved_to_phones + moved,
    )
    return check_parts(moved_parts)


def ratio_parts(
    config: CentreConfig,
    front_line: FrontLine | float | None = None,
    basis: Basis = "headcount",
) -> RatioParts:
    """Collect the check's plain numbers from a centre config (and an optional front line)."""
    if basis not in BASES:
        raise InputError(f"basis must be 'headcount' or 'fte', got {basis!r}")
    centre = config.centre
    back_office = config.back_office.headcount if basis == "headcount" else config.back_office.fte
    notes: list[str] = []
    if front_line is None:
        if centre.front_line_headcount is None:
            where = f"{config.source}: " if config.source else ""
            raise ConfigError(
                f"{where}no front line: give a roster (--roster roster.csv) or set "
                "centre.front_line_headcount in the config"
            )
        fte = centre.front_line_fte
        if basis == "fte" and fte is None:
            notes.append(
                "front line FTE taken as its headcount (no roster; set centre.front_line_fte for part-timers)"
            )
        front_line = FrontLine(
            headcount=centre.front_line_headcount,
            fte=float(centre.front_line_headcount if fte is None else fte),
            source="config",
        )
    if isinstance(front_line, FrontLine):
        value = front_line.value(basis)
        people = front_line.headcount
        source = front_line.source
        weeks = tuple(
            WeekFront(
                w.week, w.week_start, float(w.headcount if basis == "headcount" else w.fte), w.headcount
            )
            for w in front_line.weeks
        )
    else:
        value = _figure("front_line", front_line)
        people = math.ceil(value - _EPS)
        source = "given"
        weeks = ()
    front, back = centre.ratio_target_parts
    return RatioParts(
        front_line=value,
        back_office=float(back_office),
        target=RatioTarget(front, back),
        tolerance=centre.ratio_tolerance,
        basis=basis,
        centre_headcount=people + config.back_office.headcount,
        management_layers=centre.management_layers,
        front_line_source=source,
        weeks=weeks,
        notes=tuple(notes),
    )


def check_parts(parts: RatioParts) -> RatioResult:
    """Run the check on plain numbers (see the module docstring for the band and the statuses)."""
    if parts.basis not in BASES:
        raise InputError(f"basis must be 'headcount' or 'fte', got {parts.basis!r}")
    front = _figure("front_line", parts.front_line)
    back = _figure("back_office", parts.back_office)
    tolerance = _figure("tolerance", parts.tolerance)
    if front <= 0 and back <= 0:
        raise InputError("nothing to check: the front line and the back office are both empty")
    target = parts.target
    lo, hi = max(target.share - tolerance, 0.0), min(target.share + tolerance, 1.0)
    a = _assess(front, back, target, lo, hi, parts.basis)
    weeks = _week_ratios(parts, back, lo, hi)
    people = _centre_headcount(parts)
    layers = recommended_layers(people)
    return RatioResult(
        basis=parts.basis,
        front_line=front,
        back_office=back,
        ratio=a["ratio"],
        back_office_share=a["share"],
        target=target,
        tolerance=tolerance,
        band=(lo, hi),
        status=a["status"],
        back_office_target=a["back_office_target"],
        back_office_change=a["back_office_change"],
        front_line_supported=a["front_line_supported"],
        front_line_change=a["front_line_supported"] - front,
        centre_headcount=people,
        layers_recommended=layers,
        management_layers=parts.management_layers,
        front_line_source=parts.front_line_source,
        weeks=weeks,
        moved_to_phones=parts.moved_to_phones,
        warnings=_warnings(parts, people, layers),
    )


def _week_ratios(parts: RatioParts, back: float, lo: float, hi: float) -> tuple[WeekRatio, ...]:
    """The check per roster week: that week's front line against the same back office and band."""
    weeks = []
    for w in parts.weeks:
        wf = _figure(f"front_line (week {w.week})", w.front_line)
        if wf <= 0 and back <= 0:
            raise InputError(f"nothing to check in week {w.week}: front line and back office both empty")
        wa = _assess(wf, back, parts.target, lo, hi, parts.basis)
        weeks.append(
            WeekRatio(
                week=w.week,
                week_start=w.week_start,
                front_line=wf,
                back_office=back,
                ratio=wa["ratio"],
                back_office_share=wa["share"],
                status=wa["status"],
                back_office_change=wa["back_office_change"],
                front_line_supported=wa["front_line_supported"],
            )
        )
    return tuple(weeks)


def _warnings(parts: RatioParts, people: int, layers: int) -> tuple[str, ...]:
    """The notes of the parts, and a warning when the declared management layers differ from ``layers``."""
    warnings = list(parts.notes)
    if parts.management_layers is not None and parts.management_layers != layers:
        warnings.append(
            f"the config declares {parts.management_layers} management layers; a centre of {people} people "
            f"needs about {layers} (up to {LAYERS_SMALL_CENTRE} people: 3, more: 4)"
        )
    return tuple(warnings)


def recommended_layers(people: int) -> int:
    """Management layers a centre of ``people`` needs: about 3 up to 300 people, about 4 above."""
    return 3 if people <= LAYERS_SMALL_CENTRE else 4


def format_ratio(value: float) -> str:
    """``9.0909`` -> ``"9.1:1"``; an infinite ratio (no back office) -> ``"inf:1"``."""
    return "inf:1" if math.isinf(value) else f"{value:.1f}:1"


def _assess(front: float, back: float, target: RatioTarget, lo: float, hi: float, basis: Basis) -> dict:
    total = front + back
    share = back / total
    if back <= 0:
        status = NO_BACK_OFFICE
    elif share > hi + _EPS:
        status = BACK_OFFICE_HEAVY
    elif share < lo - _EPS:
        status = BACK_OFFICE_LIGHT
    else:
        status = OK
    back_target = front / target.ratio
    supported = back * target.ratio
    if basis == "headcount":
        change = float(math.floor(back_target - back + 0.5))  # nearest whole person, halves up
        supported = float(math.floor(supported + _EPS))  # whole agents the back office can support
    else:
        change = round(back_target - back, 1)
        supported = round(supported, 1)
    return {
        "ratio": front / back if back > 0 else math.inf,
        "share": share,
        "status": status,
        "back_office_target": back_target,
        "back_office_change": change + 0.0,  # no -0.0
        "front_line_supported": supported,
    }


def _centre_headcount(parts: RatioParts) -> int:
    if parts.centre_headcount is not None:
        return int(parts.centre_headcount)
    return int(math.ceil(parts.front_line + parts.back_office - _EPS))


def _as_parts(
    config_or_parts: CentreConfig | RatioParts, front_line: FrontLine | float | None, basis: Basis | None
) -> RatioParts:
    if isinstance(config_or_parts, CentreConfig):
        return ratio_parts(config_or_parts, front_line=front_line, basis=basis or "headcount")
    if not isinstance(config_or_parts, RatioParts):
        raise TypeError(f"expected a CentreConfig or RatioParts, got {type(config_or_parts).__name__}")
    parts = config_or_parts
    if basis is not None and basis != parts.basis:
        raise InputError(f"these figures are on the {parts.basis} basis, not {basis}")
    if front_line is None:
        return parts
    back_people = _centre_headcount(parts) - math.ceil(_figure("front_line", parts.front_line) - _EPS)
    if isinstance(front_line, FrontLine):
        weeks = tuple(
            WeekFront(
                w.week, w.week_start, float(w.headcount if parts.basis == "headcount" else w.fte), w.headcount
            )
            for w in front_line.weeks
        )
        return replace(
            parts,
            front_line=front_line.value(parts.basis),
            front_line_source=front_line.source,
            weeks=weeks,
            centre_headcount=front_line.headcount + max(back_people, 0),
        )
    value = _figure("front_line", front_line)
    return replace(
        parts,
        front_line=value,
        front_line_source="given",
        weeks=(),
        centre_headcount=math.ceil(value - _EPS) + max(back_people, 0),
    )


def _figure(name: str, value: object) -> float:
    """A non-negative finite number, or an InputError naming the field."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise InputError(f"{name} must be a number, got {value!r}")
    v = float(value)
    if not math.isfinite(v) or v < 0:
        raise InputError(f"{name} must be a non-negative number, got {value!r}")
    return v


def _unit(basis: Basis) -> str:
    return "people" if basis == "headcount" else "FTE"


def _count(value: float) -> float | int | None:
    """Whole numbers as int (headcounts in JSON), anything else rounded like :func:`wfm.io.json_number`."""
    if isinstance(value, (int, float)) and math.isfinite(value) and float(value).is_integer():
        return int(value)
    return json_number(value)


# --------------------------------------------------------------------------- front line from a roster


def front_line_from_roster(
    roster: pd.DataFrame,
    config: CentreConfig | None = None,
    *,
    full_time_hours: float | None = None,
    unpaid_break_minutes: Mapping[str, float] | None = None,
    source: str = "roster",
) -> FrontLine:
    """The front line of a roster frame: distinct agents, and FTE from paid hours, overall and per week.

    ``roster`` has roster.csv's columns ``agent_id,contract,date,shift,start,end,breaks`` (one row per
    agent and working day; only ``agent_id, date, shift, start, end`` are used) as strings, plus the
    optional ``_line`` column from :func:`wfm.io.read_csv` for error messages. ``start``/``end`` are
    ``HH:MM`` on ``date`` (an end at or before the start is the next day) or ``YYYY-MM-DD HH:MM``.

    Paid hours of a row = time on site - the unpaid break minutes of its shift template (from
    ``unpaid_break_minutes`` or ``config.shifts``; with neither, all time on site is paid). An optional
    ``paid_hours`` column overrides that. FTE = paid hours / the full-time contract's weekly paid hours
    (``full_time_hours``, else the largest ``paid_hours_per_week`` among ``config.contracts``, else 40).

    Weeks are 7-day blocks from the roster's first date. Per week: distinct agents and their paid hours.
    Overall: distinct agents over the whole roster, and FTE = total paid hours / (weeks x full-time hours).
    """
    if len(roster) == 0:
        if missing := [c for c in FRONT_LINE_COLUMNS if c not in roster.columns]:
            raise InputError(f"{source}: missing column(s) {', '.join(missing)} (roster.csv needs {', '.join(FRONT_LINE_COLUMNS)})")
        raise InputError(f"{source}: the roster has no rows (expected one row per agent and working day)")
    rows = parse_roster_rows(roster, source, required=FRONT_LINE_COLUMNS)
    frame = roster.reset_index(drop=True)
    paid = _paid_hours(frame, rows, config, unpaid_break_minutes, source)
    ft_hours = _figure("full_time_hours", full_time_hours if full_time_hours is not None else _full_time_hours(config))
    if ft_hours <= 0:
        raise InputError("full_time_hours must be positive")
    return _front_line(pd.Series(rows.agent_id), pd.Series(rows.date), paid, ft_hours)


def _paid_hours(
    frame: pd.DataFrame, rows: RosterRows, config: CentreConfig | None,
    unpaid_break_minutes: Mapping[str, float] | None, source: str,
) -> np.ndarray:
    """Paid hours per roster row: the ``paid_hours`` column, else time on site less the shift's unpaid breaks."""

    def fail(mask: np.ndarray, column: str, what: str) -> None:
        i = int(np.flatnonzero(mask)[0])
        cell = str(frame[column].iloc[i])
        raise InputError(f"{source}, line {rows.line[i]}, field '{column}': {what.format(cell=cell)}")

    if "paid_hours" in frame.columns:
        raw = frame["paid_hours"].astype(str).str.strip()
        paid = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(paid) | (paid < 0)
        if bad.any():
            fail(bad, "paid_hours", "must be a non-negative number, got {cell!r}")
        return paid
    unpaid_map = dict(unpaid_break_minutes) if unpaid_break_minutes is not None else _unpaid_minutes(config)
    unpaid_h = np.zeros(len(frame))
    if unpaid_map:
        unpaid = frame["shift"].astype(str).str.strip().map(unpaid_map)
        bad = unpaid.isna().to_numpy()
        if bad.any():
            fail(bad, "shift", "unknown shift {cell!r}" + f" (the config has: {', '.join(sorted(unpaid_map))})")
        unpaid_h = unpaid.to_numpy(dtype=float) / 60.0
    paid = rows.on_site_hours - unpaid_h
    bad = paid <= 0
    if bad.any():
        fail(bad, "shift", "{cell!r}: unpaid breaks leave no paid time in this shift")
    return paid


def _front_line(agents: pd.Series, dates: pd.Series, paid: np.ndarray, ft_hours: float) -> FrontLine:
    """Distinct agents and FTE overall and per 7-day block from the first date."""
    first = dates.min()
    week_idx = ((dates - first).dt.days // 7).to_numpy()
    table = pd.DataFrame({"week": week_idx, "agent_id": agents.to_numpy(), "paid": paid})
    grouped = table.groupby("week", sort=True)
    per_week = pd.DataFrame({"headcount": grouped["agent_id"].nunique(), "paid": grouped["paid"].sum()})
    n_weeks = int(week_idx.max()) + 1
    weeks = tuple(
        FrontLineWeek(
            week=int(w) + 1,
            week_start=(first + pd.Timedelta(days=7 * int(w))).date(),
            headcount=int(row.headcount),
            paid_hours=float(row.paid),
            fte=float(row.paid) / ft_hours,
        )
        for w, row in per_week.iterrows()
    )
    return FrontLine(
        headcount=int(agents.nunique()),
        fte=float(paid.sum()) / (n_weeks * ft_hours),
        source="roster",
        weeks=weeks,
        full_time_hours=ft_hours,
    )


def front_line_from_file(path: str | os.PathLike[str], config: CentreConfig | None = None) -> FrontLine:
    """:func:`front_line_from_roster` of a roster.csv file (``wfm ratio --roster``); errors name file, line, field."""
    from wfm.io import read_csv
    from wfm.roster.files import check_roster_set

    check_roster_set(path)  # not a roster a killed `wfm roster` left beside another run's coverage
    return front_line_from_roster(read_csv(path, required=FRONT_LINE_COLUMNS), config, source=str(path))


def _unpaid_minutes(config: CentreConfig | None) -> dict[str, float]:
    if config is None:
        return {}
    return {s.name: float(sum(b.minutes for b in s.breaks if not b.paid)) for s in config.shifts}


def _full_time_hours(config: CentreConfig | None) -> float:
    if config is None or not config.contracts:
        return DEFAULT_FULL_TIME_HOURS
    return max(c.hours_range[1] for c in config.contracts)


# --------------------------------------------------------------------------- presentation
def render(result: RatioResult, centre: str | None = None) -> str:
    """The human-readable report: a summary table, the fix in words, and a per-week table if any."""
    num = _fmt_people if result.basis == "headcount" else _fmt_fte
    out = [_title(result, centre, num), "", _summary_table(result, num), "", explain(result)]
    if result.weeks:
        out += ["", _week_table(result, num)]
    return "\n".join(out)


def _title(result: RatioResult, centre: str | None, num: Any) -> str:
    """The report's first line: centre, basis, where the front line comes from, any back office moved."""
    source = {"config": "from the config", "roster": "from the roster"}.get(
        result.front_line_source, result.front_line_source
    )
    basis = result.basis
    title = f"Front-line : back-office ratio{', ' + centre if centre else ''} ({basis} basis, front line {source})"
    if result.moved_to_phones:
        title += f", {num(result.moved_to_phones)} back office moved onto the phones"
    return title


def _summary_table(result: RatioResult, num: Any) -> str:
    """The summary table: one (measure, value) row per figure."""
    lo, hi = result.band
    declared = "" if result.management_layers is None else f" (config declares {result.management_layers})"
    rows = [
        ("front_line", num(result.front_line)),
        ("back_office", num(result.back_office)),
        ("ratio", result.ratio_text),
        ("back_office_share", f"{result.back_office_share:.1%}"),
        (
            "target",
            f"{result.target.text} (share {result.target.share:.1%} +- {_points(result.tolerance)}: "
            f"{lo:.1%} to {hi:.1%})",
        ),
        ("status", result.status),
        (
            "back_office_change",
            f"{_signed(result.back_office_change, num)} (target {result.back_office_target:.1f})",
        ),
        (
            "front_line_supported",
            f"{num(result.front_line_supported)} ({_signed(result.front_line_change, num)} vs now)",
        ),
        ("layers_recommended", f"{result.layers_recommended} for {result.centre_headcount} people{declared}"),
    ]
    return tabulate(rows, headers=["measure", "value"], tablefmt="simple", disable_numparse=True)


def _week_table(result: RatioResult, num: Any) -> str:
    """The per-week table (one row per roster week)."""
    week_rows = [
        (
            w.week,
            w.week_start.isoformat(),
            num(w.front_line),
            num(w.back_office),
            format_ratio(w.ratio),
            f"{w.back_office_share:.1%}",
            w.status,
            _signed(w.back_office_change, num),
        )
        for w in result.weeks
    ]
    headers = [
        "week",
        "week_start",
        "front_line",
        "back_office",
        "ratio",
        "back_office_share",
        "status",
        "back_office_change",
    ]
    return tabulate(week_rows, headers=headers, tablefmt="simple", disable_numparse=True)


def explain(result: RatioResult) -> str:
    """One sentence: the status and the concrete fix."""
    unit = _unit(result.basis)
    num = _fmt_people if result.basis == "headcount" else _fmt_fte
    t = result.target.text
    if result.status == NO_BACK_OFFICE:
        return (
            f"No back office at all (ratio infinite): {t} needs {result.back_office_target:.1f} back-office "
            f"{unit} for {num(result.front_line)} front line; add {num(result.back_office_change)}."
        )
    change = result.back_office_change
    if change > 0:
        fix = f"add {num(change)} back-office {unit}"
    elif change < 0:
        fix = f"release {num(-change)} back-office {unit}"
    elif result.basis == "headcount" and result.status != OK:
        fix = "no back-office change is nearer in whole people"
    else:
        fix = "no back-office change"
    other = (
        f"the current back office supports {num(result.front_line_supported)} front-line "
        f"{'agents' if result.basis == 'headcount' else 'FTE'}"
    )
    if result.status == OK:
        head = "Within the band."
    elif result.status == BACK_OFFICE_HEAVY:
        head = "Back office too heavy for the front line."
    else:
        head = "Back office too light for the front line."
    exact = f"{t} needs {result.back_office_target:.1f} for {num(result.front_line)} front line"
    return f"{head} To hit {t}: {fix} ({exact}); or, the other way round, {other}."


def _fmt_people(v: float) -> str:
    return f"{v:.0f}" if float(v).is_integer() else f"{v:.1f}"


def _fmt_fte(v: float) -> str:
    return f"{v:.1f}"


def _signed(v: float, num: Any) -> str:
    if v > 0:
        return "+" + num(v)
    if v < 0:
        return "-" + num(-v)
    return num(0.0)


def _points(tolerance: float) -> str:
    pts = tolerance * 100
    return f"{pts:g} point" if pts == 1 else f"{pts:g} points"
