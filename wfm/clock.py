"""Clock times: the one ``HH:MM`` parser and formatter of wfm.

Every ``HH:MM`` in a config (shift starts, break windows, lever hours), a scenario file or a roster.csv cell
goes through :func:`parse_clock`. Three kinds are read:

- a time of day (default): ``00:00`` to ``23:59``;
- an end of day (``end_of_day=True``): also ``24:00``, e.g. the end of a window that runs to midnight;
- an offset (``offset=True``): any number of hours, e.g. a break window ``04:30`` after a shift starts.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")
OFFSET = re.compile(r"^(\d{1,3}):(\d{2})$")


def clock_minutes(text: object, *, end_of_day: bool = False, offset: bool = False) -> int | None:
    """Minutes after midnight (or after a start, for an offset) of an ``HH:MM`` text; None when it is not one."""
    m = (OFFSET if offset else CLOCK).match(str(text).strip())
    if not m:
        return None
    hours, minutes = int(m.group(1)), int(m.group(2))
    if minutes > 59:
        return None
    value = hours * 60 + minutes
    if offset:
        return value
    if hours < 24 or (end_of_day and value == 1440):
        return value
    return None


def parse_clock(text: object, where: str, *, end_of_day: bool = False, offset: bool = False) -> int:
    """:func:`clock_minutes`, raising ``ValueError("<where>: 'x' is not a time HH:MM")`` for anything else.

    Callers turn the ValueError into their own error type (ConfigError for configs, InputError for files)."""
    value = clock_minutes(text, end_of_day=end_of_day, offset=offset)
    if value is None:
        kind = "an offset HH:MM" if offset else "a time HH:MM (00:00 to 24:00)" if end_of_day else \
            "a time HH:MM (00:00 to 23:59)"
        raise ValueError(f"{where}: {str(text).strip()!r} is not {kind}")
    return value


def format_clock(minutes: int) -> str:
    """Minutes (any day) -> ``HH:MM`` time of day."""
    minutes = int(minutes) % 1440
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def clock_minutes_of(cells: pd.Series | np.ndarray) -> np.ndarray:
    """Vectorised :func:`clock_minutes` over cells (each distinct cell parsed once): float minutes, NaN
    where a cell is not a time of day."""
    codes, uniques = pd.factorize(pd.Series(cells, dtype=object).astype(str))
    values = np.array([np.nan if (v := clock_minutes(u)) is None else v for u in uniques], dtype=float)
    return values[codes] if len(codes) else np.zeros(0)
