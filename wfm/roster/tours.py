"""Tour types: a config's shift templates and contracts -> every allowed week of work.

Contract rules (days a week, paid hours, consecutive days off, one shift a day, start band, rest inside a
week, which templates serve a contract) are built in here: a :class:`TourType` exists only if it satisfies
them, so the model needs no row for them.
"""

from __future__ import annotations

import itertools

from wfm.clock import parse_clock
from wfm.config import CentreConfig, Contract, ShiftTemplate
from wfm.errors import ConfigError
from wfm.roster.domain import Shift, TourType


def _hhmm(text: str, where: str) -> int:
    """``"HH:MM"`` -> minutes; hours may exceed 23 (break windows are offsets from the shift start)."""
    try:
        return parse_clock(text, where, offset=True)
    except ValueError:
        raise ConfigError(f"{where}: {text!r} is not a time HH:MM") from None


def shifts_of(template: ShiftTemplate, interval_minutes: int, where: str = "config",
              grid: str = "[centre] interval_minutes") -> list[Shift]:
    """Every start time of a template as a :class:`Shift`; raises ConfigError for contradictions.

    Starts, the start step, the length and every break's length and window must be whole intervals of the
    planning grid (``interval_minutes``; ``grid`` names the setting it comes from, for messages); the data's
    grid does not matter here (a 15-minute break fits a 15-minute plan made from 5-minute data, and does not
    fit a 30-minute plan whatever the data)."""
    name = f"{where}: shift {template.name!r}"
    key = f"{where}: shifts[{template.name!r}]"
    first = _hhmm(template.start[0], f"{name} start")
    last = _hhmm(template.start[1], f"{name} start")
    if first >= 1440 or last >= 1440:
        raise ConfigError(f"{name}: start times must be before 24:00")
    if last < first:
        raise ConfigError(f"{name}: latest start {template.start[1]} is before earliest start {template.start[0]}")
    on_grid = f"the {interval_minutes}-minute planning grid ({grid})"
    for label, value, shown in (
        ("start", first, f"earliest start {template.start[0]} is not on"),
        ("start_step_minutes", template.start_step_minutes if last > first else 0,
         f"{template.start_step_minutes} is not a multiple of"),
        ("length_minutes", template.length_minutes, f"{template.length_minutes} is not a multiple of"),
    ):
        if value % interval_minutes:
            fix = (f"e.g. {_clock(value - value % interval_minutes)}" if label == "start"
                   else _fix(value, interval_minutes))
            raise ConfigError(f"{key}.{label}: {shown} {on_grid}: a shift starts and ends on whole planning "
                              f"intervals ({fix})")
    length = template.length_minutes
    breaks: list[tuple[int, bool, int, int]] = []
    for k, b in enumerate(template.breaks):
        a = _hhmm(b.window[0], f"{name} break {k + 1} window")
        z = _hhmm(b.window[1], f"{name} break {k + 1} window")
        if b.minutes % interval_minutes:
            raise ConfigError(
                f"{key}.breaks[{k}].minutes: break {k + 1} of {b.minutes} min is not a multiple of {on_grid}: a "
                f"break takes whole planning intervals ({_fix(b.minutes, interval_minutes)})"
            )
        if a % interval_minutes or z % interval_minutes:
            raise ConfigError(
                f"{key}.breaks[{k}].window: break {k + 1}'s window {b.window[0]}-{b.window[1]} is not on {on_grid}: "
                f"a break starts and ends on whole planning intervals (e.g. {_clock(a - a % interval_minutes)}-"
                f"{_clock(-(-z // interval_minutes) * interval_minutes)})"
            )
        if z > length:
            raise ConfigError(
                f"{name}: break {k + 1} window {b.window[0]}-{b.window[1]} ends after the {length // 60}h{length % 60:02d} shift"
            )
        if z - a < b.minutes:
            raise ConfigError(
                f"{name}: break {k + 1} of {b.minutes} min does not fit in its window {b.window[0]}-{b.window[1]}"
            )
        breaks.append((b.minutes, b.paid, a, z - b.minutes))
    breaks.sort(key=lambda t: t[2])
    for (m1, _, _, l1), (_m2, _, e2, _) in itertools.pairwise(breaks):
        if l1 + m1 > e2:
            raise ConfigError(f"{name}: break windows overlap (each break's window must end before the next one's starts)")
    paid = length - sum(m for m, p, _, _ in breaks if not p)
    starts = range(first, last + 1, template.start_step_minutes)
    return [
        Shift(template.name, s, length, paid, tuple(breaks), night=(s + length > 1440 or s < 300))
        for s in starts
    ]


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _fix(minutes: int, grid: int) -> str:
    """How to make ``minutes`` fit: a nearby multiple of ``grid``, or a grid that divides ``minutes``."""
    up = -(-minutes // grid) * grid
    finer = [g for g in (5, 6, 10, 12, 15, 20, 30, 60) if minutes % g == 0 and g < grid]
    plan = f", or plan on {finer[-1]} minutes" if finer else ""
    return f"make it {up} minutes{plan}"


def start_bands(shifts: list[Shift], band_minutes: int) -> list[tuple[int, int]]:
    """Maximal groups ``[i, j)`` of a template's starts spanning at most ``band_minutes``."""
    starts = [s.start_minute for s in shifts]
    bands: list[tuple[int, int]] = []
    last_j = 0
    for i in range(len(starts)):
        j = i
        while j < len(starts) and starts[j] - starts[i] <= band_minutes:
            j += 1
        if j > last_j:
            bands.append((i, j))
            last_j = j
        if j == len(starts):
            break
    return bands


def day_patterns(contract: Contract) -> list[tuple[bool, ...]]:
    """Days-on patterns (Monday first) meeting the contract's days per week and consecutive days off."""
    lo, hi = contract.days_range
    out = []
    for bits in itertools.product((True, False), repeat=7):
        n = sum(bits)
        if not lo <= n <= hi:
            continue
        if contract.consecutive_days_off and n < 7:
            longest = max(len(list(g)) for k, g in itertools.groupby(bits) if not k) if n < 7 else 0
            if longest < contract.consecutive_days_off:
                continue
        out.append(tuple(bits))
    return out


def check_roster_config(config: CentreConfig) -> dict[str, list[Shift]]:
    """Validate the roster sections; return each template's shifts. Raises ConfigError naming the conflict."""
    where = config.source or "config"
    if not config.contracts:
        raise ConfigError(f"{where}: no [[contracts]]: a roster needs at least one contract")
    if not config.shifts:
        raise ConfigError(f"{where}: no [[shifts]]: a roster needs at least one shift template")
    ivl = config.planning_interval_minutes
    grid = "[roster] interval_minutes" if config.roster.interval_minutes else "[centre] interval_minutes"
    names = {c.name for c in config.contracts}
    shifts: dict[str, list[Shift]] = {}
    rest = config.roster.min_rest_hours * 60
    for t in config.shifts:
        unknown = [c for c in t.contracts if c not in names]
        if unknown:
            raise ConfigError(f"{where}: shift {t.name!r} serves unknown contract {unknown[0]!r}")
        shifts[t.name] = shifts_of(t, ivl, where, grid)
        if t.length_minutes + rest > 1440:
            raise ConfigError(
                f"{where}: shift {t.name!r} lasts {t.length_minutes / 60:g} h, so {config.roster.min_rest_hours:g} h "
                "of rest cannot fit before the next day's shift (shorten it or lower min_rest_hours)"
            )
    _check_fits_hours(config, shifts, where)
    for c in config.contracts:
        serving = [t for t in config.shifts if c.name in t.contracts]
        if not serving:
            raise ConfigError(f"{where}: contract {c.name!r} is served by no shift template (list it in a [[shifts]] contracts)")
        if not day_patterns(c):
            raise ConfigError(f"{where}: contract {c.name!r}: no week has {c.days_range} days with {c.consecutive_days_off} consecutive days off")
        lo, hi = c.hours_range
        if not any(_days_for_hours(c, shifts[t.name][0].paid_minutes) for t in serving):
            paid = ", ".join(f"{t.name!r} {shifts[t.name][0].paid_minutes / 60:g} h" for t in serving)
            d0, d1 = c.days_range
            raise ConfigError(
                f"{where}: contract {c.name!r}: hours cannot add up: {d0}-{d1} days of {paid} paid never give "
                f"{lo:g}-{hi:g} paid hours a week"
            )
    return shifts


def _days_for_hours(contract: Contract, paid_minutes: int) -> list[int]:
    lo, hi = contract.hours_range
    d0, d1 = contract.days_range
    return [n for n in range(max(d0, 1), d1 + 1) if lo - 1e-9 <= n * paid_minutes / 60 <= hi + 1e-9]


def tour_types(config: CentreConfig, shifts: dict[str, list[Shift]]) -> list[TourType]:
    """All week patterns allowed by the contracts, templates and start bands, in a stable order."""
    out: list[TourType] = []
    for c in config.contracts:
        pats = day_patterns(c)
        for t in config.shifts:
            if c.name not in t.contracts:
                continue
            sh = shifts[t.name]
            paid = sh[0].paid_minutes
            ok_days = set(_days_for_hours(c, paid))
            for b, _ in enumerate(start_bands(sh, band_width(t, config))):
                for p in pats:
                    if sum(p) in ok_days:
                        hours = sum(p) * paid / 60
                        out.append(TourType(c.name, t.name, b, p, hours, hours * c.cost_per_paid_hour))
    return out


def band_width(template: ShiftTemplate, config: CentreConfig) -> int:
    """Minutes a start band of ``template`` may span: ``[roster] start_band_minutes``, narrowed so that
    consecutive days in one band keep the minimum rest (start(d+1) >= start(d) - width, so
    rest >= 24 h - length - width)."""
    rest = int(config.roster.min_rest_hours * 60)
    return min(config.roster.start_band_minutes, 1440 - template.length_minutes - rest)


def template_bands(config: CentreConfig, shifts: dict[str, list[Shift]]) -> dict[str, list[tuple[int, int]]]:
    """Each template's start bands (see :func:`start_bands` and :func:`band_width`)."""
    return {t.name: start_bands(shifts[t.name], band_width(t, config)) for t in config.shifts}


def _check_fits_hours(config: CentreConfig, shifts: dict[str, list[Shift]], where: str) -> None:
    """With ``[centre.open]``: every shift template has a start that fits inside the opening hours of some
    weekday (a shift may not overlap a closed interval); else a ConfigError naming the template."""
    hours = config.centre.opening_hours
    if hours is None:
        return
    periods = [(7 * 1440 * w + d * 1440 + a, 7 * 1440 * w + d * 1440 + b)
               for w in (0, 1) for d in range(7) for a, b in hours.weekly[d]]
    for t in config.shifts:
        fits = any(a <= d * 1440 + sh.start_minute and d * 1440 + sh.start_minute + sh.length_minutes <= b
                   for sh in shifts[t.name] for d in range(7) for a, b in periods)
        if not fits:
            raise ConfigError(
                f"{where}: shift {t.name!r} ({t.start[0]}-{t.start[1]} starts, {t.length_minutes / 60:g} h) fits in "
                f"no open period of centre.open ({hours.describe()}): no shift may overlap the closed hours"
            )
