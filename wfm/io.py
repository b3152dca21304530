"""File helpers shared by every stage: CSV reading with located errors, atomic writes, timestamps, JSON.

Each file format has one reader, in the stage that owns it (``wfm.history.read_history``,
``wfm.roster.rows.read_roster``, ``wfm.roster.read_staffing``, :func:`read_forecast` here, ...), built on
:func:`read_csv`; the stages' pure functions take frames, and the job functions (``wfm.plan.run``) read
and write the files around them.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import json
import math
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wfm.errors import InputError, WfmError

TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M"
FIRST_DATE = pd.Timestamp("1900-01-01")
END_DATE = pd.Timestamp("2200-01-01")  # exclusive: every date wfm reads lies in 1900-01-01 .. 2199-12-31
DATE_RANGE = "1900-01-01 to 2199-12-31"
MAX_CALLS_PER_INTERVAL = 1_000_000.0  # calls offered per queue and interval wfm sizes (exact Erlang up to here)
MAX_AHT_S = 86_400.0  # the longest average handle time wfm takes: 24 hours
AHT_NOTE = "the longest handle time wfm takes (24 hours)"


def check_date(value: Any, what: str) -> None:
    """InputError naming ``what`` when a date or timestamp lies outside the dates wfm plans (``DATE_RANGE``:
    well inside what its clocks hold, so that a horizon of weeks after it still fits)."""
    ts = pd.Timestamp(value)
    if not FIRST_DATE <= ts < END_DATE:
        raise InputError(f"{what}: {ts:%Y-%m-%d} is outside the dates wfm plans ({DATE_RANGE})")


def first_out_of_range(parsed: pd.Series) -> int | None:
    """The position of the first timestamp outside ``DATE_RANGE`` (None when all are inside)."""
    values = parsed.dt.tz_localize(None) if getattr(parsed.dt, "tz", None) is not None else parsed
    bad = ((values < FIRST_DATE) | (values >= END_DATE)).to_numpy()
    return int(np.flatnonzero(bad)[0]) if bad.any() else None


MAX_INPUT_BYTES = 512 * 1024**2  # a CSV wfm reads (a year of 5-minute history for 50 queues is ~300 MB)
MAX_TOML_BYTES = 4 * 1024**2  # a config or scenario file


def check_input_file(path: str | os.PathLike[str], *, error: type[WfmError] = InputError, kind: str = "file",
                     max_bytes: int = MAX_INPUT_BYTES) -> Path:
    """``path`` as a Path once it is known to be a regular file of at most ``max_bytes`` that can be read;
    else ``error`` naming it: not found, a broken link or a link loop, a folder, a device, FIFO or socket
    (``/dev/zero`` would be read forever, a FIFO would block), too big, or not readable."""
    path = Path(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        broken = os.path.lexists(path)
        missing = kind.removeprefix("CSV ") + " not found"  # "file not found", "config file not found"
        raise error(f"{path}: {'a symbolic link to nothing' if broken else missing}") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise error(f"{path}: a loop of symbolic links, not a {kind}") from None
        raise error(f"{path}: cannot read ({exc.strerror})") from None
    if stat.S_ISDIR(st.st_mode):
        raise error(f"{path}: is a folder, expected a {kind}")
    if not stat.S_ISREG(st.st_mode):
        what = ("a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode)
                else "a device")
        raise error(f"{path}: is {what}, expected a regular {kind}")
    if st.st_size > max_bytes:
        raise error(f"{path}: is {st.st_size / 1024**2:,.0f} MiB; the most wfm reads in a {kind} is "
                    f"{max_bytes / 1024**2:,.0f} MiB")
    if not os.access(path, os.R_OK):
        raise error(f"{path}: cannot read (permission denied)")
    return path


# --------------------------------------------------------------------------- atomic writes
def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically: a temp file in the same folder, fsync, then rename.

    A process killed at any moment leaves either the old file or the new one, never half of one; the temp
    files such kills leave (``.<name>.<random>.tmp``) are removed by the next write of ``path``. The temp's
    name cannot be predicted (``mkstemp``), and a link standing at ``path`` is replaced, never followed. A
    failed write (no space left, ...) is an OutputError naming ``path`` (exit 74; 73 when it cannot be created
    there), with the old file intact and no temp left.
    """
    from wfm import outputs

    path = Path(path)
    outputs.prepare_folder(path)
    outputs.clean_stale_temps(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=outputs.temp_prefix(path), suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise outputs.output_error(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            if outputs.lock_temp(fh.fileno()) and os.fstat(fh.fileno()).st_nlink == 0:
                # a cleaner took it for a dead writer's between mkstemp and the lock: start again
                return atomic_write_bytes(path, data)
            fh.write(data)
            fh.flush()
            os.fchmod(fh.fileno(), 0o666 & ~outputs.umask())  # mkstemp makes 0600; give the usual mode
            os.fsync(fh.fileno())
            os.replace(tmp, path)  # while the temp is still locked: no cleaner takes it for a dead writer's
        outputs.fsync_dir(path.parent)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise outputs.output_error(path, exc) from None
        raise
    return path


def atomic_write_text(path: str | os.PathLike[str], text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path: str | os.PathLike[str], obj: Any) -> Path:
    return atomic_write_text(path, json.dumps(obj, indent=2, sort_keys=True, default=_json_default) + "\n")


def csv_text(frame: pd.DataFrame, float_format: str = "%.4f") -> str:
    """A frame as wfm's CSV text: no index, ``\\n`` line ends, timestamps as ``YYYY-MM-DD HH:MM``."""
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime(TIMESTAMP_FORMAT)
    buf = io.StringIO()
    out.to_csv(buf, index=False, float_format=float_format, lineterminator="\n")
    return buf.getvalue()


def atomic_write_csv(path: str | os.PathLike[str], frame: pd.DataFrame, float_format: str = "%.4f") -> Path:
    """Write a frame as CSV (:func:`csv_text`) atomically."""
    return atomic_write_text(path, csv_text(frame, float_format))


def _json_default(obj: Any) -> Any:
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.floating):
        return None if not np.isfinite(obj) else float(obj)
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, pd.Timestamp):
        return obj.strftime(TIMESTAMP_FORMAT)
    if isinstance(obj, Path):
        return str(obj)
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def json_number(value: Any, digits: int = 4) -> float | None:
    """A figure for JSON: rounded to ``digits``, None when missing, NaN or infinite (never ``-0.0``)."""
    if value is None:
        return None
    value = float(value)
    return round(value, digits) + 0.0 if math.isfinite(value) else None


def to_json(obj: Any) -> str:
    """JSON text for ``--json`` output: sorted keys, NaN/inf as null, numpy types handled."""
    return json.dumps(_clean_json(obj), indent=2, sort_keys=True, default=_json_default)


def _clean_json(obj: Any) -> Any:
    if isinstance(obj, float) and not np.isfinite(obj):
        return None
    if isinstance(obj, Mapping):
        return {str(k): _clean_json(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean_json(v) for v in obj]
    if isinstance(obj, np.floating):
        return _clean_json(float(obj))
    return obj


# --------------------------------------------------------------------------- reading CSV
def read_csv(
    path: str | os.PathLike[str],
    required: Iterable[str] = (),
    aliases: Mapping[str, Iterable[str]] | None = None,
) -> pd.DataFrame:
    """Read a CSV with a header row into a frame of strings-or-numbers, with located errors.

    - ``required``: columns that must be present (after applying ``aliases``).
    - ``aliases``: ``{"volume": ["calls", "offered"]}`` renames the first alias found.
    Column names are lower-cased and stripped. The frame gets a ``_line`` column holding the
    1-based line number in the file of each row (header is line 1), for error messages.
    """
    path = check_input_file(path, kind="CSV file")
    lines = _check_fields(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, skip_blank_lines=True, index_col=False)
    except pd.errors.EmptyDataError:
        raise InputError(f"{path}: file is empty (expected a header row)") from None
    except pd.errors.ParserError as exc:
        raise InputError(f"{path}: malformed CSV: {_short_parser_error(exc)}") from None
    if len(lines) != len(frame):  # cannot happen after _check_fields; keep the numbering honest anyway
        lines = np.arange(2, len(frame) + 2)
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    for canonical, names in (aliases or {}).items():
        if canonical not in frame.columns:
            for name in names:
                if name in frame.columns:
                    frame = frame.rename(columns={name: canonical})
                    break
    missing = [c for c in required if c not in frame.columns]
    if missing:
        have = ", ".join(frame.columns) or "none"
        raise InputError(f"{path}: missing column(s) {', '.join(missing)} (columns found: {have})")
    frame = frame.reset_index(drop=True)
    frame["_line"] = lines
    padded = _has_padding(path)
    for col in frame.columns:
        if col != "_line":
            frame[col] = frame[col].astype(str)
            if padded:
                frame[col] = frame[col].str.strip()
    return frame


_PADDING = re.compile(rb"(?:^|,)[ \t]|[ \t](?:,|\r?$)", re.M)


def _has_padding(path: Path) -> bool:
    """Whether any cell may start or end with a space or tab (stripping every cell of a large file is slow, and
    a no-op when none does); a quoted cell with ", " inside counts, so it errs towards stripping."""
    tail = b"\n"
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 22):  # 4 MB at a time, each with the end of the one before
            if _PADDING.search(tail + chunk) is not None:
                return True
            tail = chunk[-2:]
    return False


def _short_parser_error(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[-1]
    # pandas says "Expected 4 fields in line 7, saw 5"
    return text


def _check_fields(path: Path) -> np.ndarray:
    """Check every data row has as many fields as the header; return each data row's line number.

    pandas would silently shift a row with one field too many into an index column, so rows are
    counted here first. Blank lines are skipped, as pandas does. A cell longer than the csv module's field
    limit (``MAX_CELL_CHARS``) is an error naming its line (and its column, when it can be told).
    """
    if path.stat().st_size == 0:
        raise InputError(f"{path}: file is empty (expected a header row)")
    line_numbers: list[int] = []
    header: list[str] = []
    start = 1
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            width = None
            for row in reader:
                if not row or (len(row) == 1 and not row[0].strip()):
                    start = reader.line_num + 1
                    continue
                if width is None:
                    width, header = len(row), [c.strip().lower() for c in row]
                elif len(row) != width:
                    raise InputError(
                        f"{path}, line {start}: malformed CSV: expected {width} fields (as in the header), "
                        f"found {len(row)}"
                    )
                else:
                    line_numbers.append(start)
                start = reader.line_num + 1
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not a UTF-8 text file ({exc.reason} at byte {exc.start})") from None
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            field = _long_cell_column(path, start, header)
            where = f", field '{field}'" if field else ""
            raise InputError(f"{path}, line {start}{where}: a cell is longer than {MAX_CELL_CHARS:,} characters, "
                             "the most wfm reads in one cell") from None
        raise InputError(f"{path}, line {start}: malformed CSV: {exc}") from None
    return np.asarray(line_numbers, dtype=np.int64)


MAX_CELL_CHARS = csv.field_size_limit()  # the csv module's limit on one cell (131,072 characters)


def _long_cell_column(path: Path, line: int, header: list[str]) -> str | None:
    """The header name of the first over-long cell on ``line`` (unquoted cells only; None when not told)."""
    with open(path, encoding="utf-8", newline="") as fh:
        for k, text in enumerate(fh, start=1):
            if k == line:
                cells = text.rstrip("\r\n").split(",")
                long = [i for i, c in enumerate(cells) if len(c) > MAX_CELL_CHARS]
                if long and len(cells) == len(header) and header:
                    return header[long[0]]
                return None
    return None


def show_cell(cell: Any, limit: int = 40) -> str:
    """A cell quoted for an error message, cut to ``limit`` characters (a 100,000-character cell is not
    echoed whole)."""
    text = str(cell)
    return repr(text) if len(text) <= limit else f"{text[:limit]!r}... ({len(text):,} characters)"


def checked_forecast(forecast: pd.DataFrame, queue_names: list[str]) -> pd.DataFrame:
    """A copy of a forecast frame (``timestamp, queue, volume[, aht]``) with typed columns (``aht`` NaN where
    missing); an InputError for a missing column, no rows, a queue not in ``queue_names``, a volume that is
    not a number from 0 to ``MAX_CALLS_PER_INTERVAL`` or an AHT above ``MAX_AHT_S``."""
    missing = [c for c in ("timestamp", "queue", "volume") if c not in forecast.columns]
    if missing:
        raise InputError(f"forecast is missing column(s) {', '.join(missing)}")
    if forecast.empty:
        raise InputError("forecast has no rows")
    fc = forecast.copy()
    fc["timestamp"] = pd.to_datetime(fc["timestamp"]).astype("datetime64[ns]")
    fc["queue"] = fc["queue"].astype(str)
    fc["volume"] = pd.to_numeric(fc["volume"], errors="coerce").astype(float)
    fc["aht"] = pd.to_numeric(fc["aht"], errors="coerce").astype(float) if "aht" in fc.columns else np.nan
    unknown = sorted(set(fc["queue"]) - set(queue_names))
    if unknown:
        raise InputError(f"forecast has unknown queue {unknown[0]!r} (the config has: {', '.join(queue_names)})")
    check_forecast_figures(fc["volume"].to_numpy(float), fc["aht"].to_numpy(float))
    return fc


def check_forecast_figures(volume: np.ndarray, aht: np.ndarray) -> None:
    """InputError unless every volume is a number from 0 to ``MAX_CALLS_PER_INTERVAL`` and every AHT given
    (not NaN) is at most ``MAX_AHT_S`` (for frames built in Python; files get located errors from
    :func:`read_forecast`)."""
    if np.isnan(volume).any() or (volume < 0).any() or np.isinf(volume).any():
        raise InputError("forecast volume must be a non-negative number in every row")
    if (volume > MAX_CALLS_PER_INTERVAL).any():
        raise InputError(f"forecast volume {np.max(volume):g} is above {MAX_CALLS_PER_INTERVAL:,.0f} calls per "
                         "interval, the most wfm sizes")
    with np.errstate(invalid="ignore"):
        if (aht > MAX_AHT_S).any():
            raise InputError(f"forecast aht {np.nanmax(aht):g} is above {MAX_AHT_S:,.0f} seconds (24 hours), the "
                             "longest handle time wfm takes")


def parse_numbers(
    frame: pd.DataFrame,
    column: str,
    path: str | os.PathLike[str],
    *,
    allow_blank: bool = False,
    min_value: float | None = None,
    exclusive_min: bool = False,
    max_value: float | None = None,
    max_note: str = "the most wfm sizes",
    blank_words: bool = False,
) -> np.ndarray:
    """Parse ``frame[column]`` as floats; raise an InputError naming file, line and field on the first bad cell.

    Blank cells become NaN when ``allow_blank``; otherwise they are errors (``blank_words``: ``nan``, ``na`` and
    ``null``, any case, are blank too, as exports write them). A column already numeric (a frame built in
    Python) is checked the same way, NaN being blank. Below ``min_value`` is an error (``is negative`` for a
    minimum of 0), as is above ``max_value``, ``max_note`` saying why. Lines are ``frame['_line']``, else the
    row's position in a file with a header.
    """
    col = frame[column]
    if col.dtype != object and not pd.api.types.is_string_dtype(col):
        values = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float, copy=True)
        raw = col.astype(str)
        blank = np.isnan(values)
    else:
        raw = col.astype(str).str.strip() if blank_words else col.astype(str)
        blank = (raw.str.len() == 0).to_numpy().copy()
        if blank_words:
            blank |= raw.str.lower().isin(["nan", "na", "null"]).to_numpy()
        values = pd.to_numeric(raw.where(~blank, None), errors="coerce").to_numpy(dtype=float, copy=True)
    bad = (np.isnan(values) & ~blank) | np.isinf(values)
    if not allow_blank:
        bad |= blank
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        cell = raw.iloc[i]
        what = "is blank" if blank[i] else f"is not a number: {show_cell(cell)}"
        raise InputError(f"{path}, line {line_of(frame, i)}, field '{column}': {what}")
    if min_value is not None:
        with np.errstate(invalid="ignore"):
            low = values <= min_value if exclusive_min else values < min_value
        if low.any():
            i = int(np.flatnonzero(low)[0])
            if min_value == 0 and not exclusive_min:
                rel = "is negative"
            else:
                rel = f"must be greater than {min_value:g}" if exclusive_min else f"must be at least {min_value:g}"
            raise InputError(f"{path}, line {line_of(frame, i)}, field '{column}': {raw.iloc[i]} {rel}")
    if max_value is not None:
        with np.errstate(invalid="ignore"):
            high = values > max_value
        if high.any():
            i = int(np.flatnonzero(high)[0])
            raise InputError(f"{path}, line {line_of(frame, i)}, field '{column}': {raw.iloc[i]} is above "
                             f"{max_value:,.0f}, {max_note}")
    return values


def line_of(frame: pd.DataFrame, i: int) -> int:
    """The file line of row ``i``: ``frame['_line']`` when the reader kept it, else header + position."""
    if "_line" in frame.columns:
        return int(frame["_line"].iloc[i])
    return i + 2


# --------------------------------------------------------------------------- timestamps
#: How a file may write its day and month: ISO only (``YYYY-MM-DD``), or also ``DD/MM/YYYY`` or ``MM/DD/YYYY``.
DATE_ORDERS = ("iso", "day_first", "month_first")
_TIME = r"(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?P<f>\.\d{1,9})?)?\s*(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?"
_ISO_STAMP = re.compile(r"^(?P<y>\d{4})-(?P<a>\d{2})-(?P<b>\d{2})[T ]" + _TIME + "$")
_SLASH_STAMP = re.compile(r"^(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})[T ]" + _TIME + "$")
_FAST_FORMATS = (("%Y-%m-%d %H:%M", 16), ("%Y-%m-%d %H:%M:%S", 19))  # wfm's own and the usual: no regex
_FAST_SHAPE = r"^(?:19|20|21)\d{2}-\d{2}-\d{2} \d{2}:\d{2}"  # ...with two-digit fields, in DATE_RANGE's years


def parse_timestamps(
    frame: pd.DataFrame,
    column: str,
    path: str | os.PathLike[str],
    *,
    date_order: str | None = None,
    timezone: str | None = None,
    interval_minutes: int | None = None,
) -> pd.Series:
    """Parse local interval-start timestamps (naive local time) with located errors.

    Accepted: ``YYYY-MM-DD HH:MM[:SS[.fff]]`` (or ``T`` between date and time), optionally followed by a UTC
    offset (``+08:00``, ``+0800``, ``Z``). Day/month dates (``31/12/2026 08:00``, also with ``.`` or ``-``) only
    when ``date_order`` says which comes first (``"day_first"``, ``"month_first"``): the order cannot be told
    from the file (``01/02`` reads both ways). ``date_order=None`` is a file whose format is wfm's own;
    ``"iso"`` one whose order could be given (history), so the error says how.

    Offsets are dropped and the local wall time kept; they must be the same on every row, or, with a
    ``timezone`` other than UTC, each the zone's offset at its wall time (so they change only at DST).
    ``interval_minutes``: every timestamp must start an interval of that grid (minutes past midnight a multiple
    of it, no seconds).
    """
    raw = frame[column].astype(str)
    lines = frame["_line"].to_numpy() if "_line" in frame.columns else np.arange(2, len(frame) + 2)
    parsed = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    todo = np.ones(len(raw), bool)
    length = raw.str.len().to_numpy()
    for fmt, n in _FAST_FORMATS:
        fits = np.flatnonzero(todo & (length == n))
        if not len(fits):
            continue
        sub = raw.iloc[fits]
        got = pd.to_datetime(sub, format=fmt, errors="coerce")
        ok = got.notna().to_numpy() & sub.str.match(_FAST_SHAPE).to_numpy()
        parsed.iloc[fits[ok]] = got[ok].to_numpy().astype("datetime64[ns]")
        todo[fits[ok]] = False
    offsets = np.full(len(raw), np.nan)  # minutes east of UTC, NaN where none
    if todo.any():  # each distinct text once (a history repeats every timestamp for each queue)
        codes, uniques = pd.factorize(raw[todo])
        first = np.full(len(uniques), len(codes))
        np.minimum.at(first, codes, np.arange(len(codes)))
        rest, rest_offsets = _parse_other_stamps(pd.Series(uniques), lines[todo][first], column, path, date_order)
        parsed.iloc[np.flatnonzero(todo)] = rest[codes]
        offsets[todo] = rest_offsets[codes]
    i = first_out_of_range(parsed)
    if i is not None:
        raise InputError(f"{path}, line {lines[i]}, field '{column}': {show_cell(raw.iloc[i])} is outside "
                         f"the dates wfm plans ({DATE_RANGE})")
    if np.isfinite(offsets).any():
        _check_offsets(parsed, offsets, raw, lines, column, path, timezone)
    if interval_minutes:
        check_on_grid(parsed, lines, column, path, interval_minutes)
    return parsed.astype("datetime64[ns]")


def _parse_other_stamps(
    raw: pd.Series, lines: np.ndarray, column: str, path: str | os.PathLike[str], date_order: str | None
) -> tuple[np.ndarray, np.ndarray]:
    """Timestamps the fast formats did not read: ISO with ``T``, seconds' fractions or a UTC offset, and
    day/month dates when ``date_order`` allows them. Returns datetime64 values and offsets (minutes, NaN)."""
    iso = raw.str.extract(_ISO_STAMP)
    is_iso = iso["y"].notna().to_numpy()
    parts = iso
    if not is_iso.all():
        slash = raw.str.extract(_SLASH_STAMP)
        is_slash = slash["y"].notna().to_numpy() & ~is_iso
        bad = ~is_iso & ~is_slash
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            _not_a_timestamp(raw.iloc[i], lines[i], column, path, date_order)
        if date_order not in ("day_first", "month_first"):
            i = int(np.flatnonzero(is_slash)[0])
            raise InputError(f"{path}, line {lines[i]}, field '{column}': {show_cell(raw.iloc[i])}: "
                             + _order_hint(date_order))
        if date_order == "day_first":  # as ISO's groups: "a" the month, "b" the day
            slash = slash.rename(columns={"a": "b", "b": "a"})
        parts = iso.copy()
        parts.loc[is_slash, ["y", "a", "b", "H", "M", "S", "f", "tz"]] = slash.loc[
            is_slash, ["y", "a", "b", "H", "M", "S", "f", "tz"]].to_numpy()
    month, day = parts["a"], parts["b"]
    numbers = pd.DataFrame({
        "year": pd.to_numeric(parts["y"]), "month": pd.to_numeric(month), "day": pd.to_numeric(day),
        "hour": pd.to_numeric(parts["H"]), "minute": pd.to_numeric(parts["M"]),
        "second": pd.to_numeric(parts["S"]).fillna(0),
    })
    outside = ((numbers["year"] < FIRST_DATE.year) | (numbers["year"] >= END_DATE.year)).to_numpy()
    if outside.any():
        i = int(np.flatnonzero(outside)[0])
        raise InputError(f"{path}, line {lines[i]}, field '{column}': {show_cell(raw.iloc[i])} is outside "
                         f"the dates wfm plans ({DATE_RANGE})")
    values = pd.to_datetime(numbers, errors="coerce")
    bad = values.isna().to_numpy() | (numbers["hour"] > 23).to_numpy() | (numbers["minute"] > 59).to_numpy() \
        | (numbers["second"] > 59).to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        _not_a_timestamp(raw.iloc[i], lines[i], column, path, date_order)
    frac = pd.to_numeric("0" + parts["f"].fillna(".0"))
    values = values + pd.to_timedelta(np.round(frac.to_numpy(float) * 1e9).astype(np.int64), unit="ns")
    return values.to_numpy("datetime64[ns]"), _offset_minutes(parts["tz"])


def _offset_minutes(tz: pd.Series) -> np.ndarray:
    """``+08:00``, ``+0800``, ``+08``, ``Z`` -> minutes east of UTC (NaN where none)."""
    codes, uniques = pd.factorize(tz.fillna(""))
    minutes = np.full(len(uniques) + 1, np.nan)
    for k, t in enumerate(uniques):
        if t == "Z":
            minutes[k] = 0.0
        elif t:
            digits = t[1:].replace(":", "")
            value = int(digits[:2]) * 60 + (int(digits[2:4]) if len(digits) > 2 else 0)
            minutes[k] = value if t[0] == "+" else -value
    return minutes[codes]


def _not_a_timestamp(cell: str, line: int, column: str, path: str | os.PathLike[str], date_order: str | None) -> None:
    what = "is blank" if cell == "" else f"is not a timestamp: {show_cell(cell)}"
    expected = {"day_first": "DD/MM/YYYY HH:MM", "month_first": "MM/DD/YYYY HH:MM"}.get(date_order or "")
    also = f" or {expected}" if expected else ""
    raise InputError(f"{path}, line {line}, field '{column}': {what} (expected YYYY-MM-DD HH:MM{also})")


def _order_hint(date_order: str | None) -> str:
    if date_order is None:
        return "day and month could be either way round; write dates as YYYY-MM-DD HH:MM"
    return ("day and month could be either way round; write YYYY-MM-DD HH:MM, or say which comes first: "
            "--dayfirst or --monthfirst (wfm forecast), or history_date_order = \"day_first\" or \"month_first\" "
            "in the config's [forecast]")


def _check_offsets(parsed: pd.Series, offsets: np.ndarray, raw: pd.Series, lines: np.ndarray, column: str,
                   path: str | os.PathLike[str], timezone: str | None) -> None:
    """UTC offsets: the same on every row that has one, or (a zone other than UTC) the zone's at the wall time."""
    has = np.isfinite(offsets)
    if timezone is None or timezone in ("UTC", "utc", "Etc/UTC"):
        first = int(np.flatnonzero(has)[0])
        differ = has & (offsets != offsets[first])
        if differ.any():
            i = int(np.flatnonzero(differ)[0])
            raise InputError(
                f"{path}, line {lines[i]}, field '{column}': {show_cell(raw.iloc[i])} has UTC offset "
                f"{_offset_text(offsets[i])}, line {lines[first]} has {_offset_text(offsets[first])}: the offsets "
                "in one file must all be the same (or set [centre] timezone in the config if they change with "
                "daylight saving)"
            )
        return
    idx = np.flatnonzero(has)
    wall = pd.DatetimeIndex(parsed.to_numpy()[idx])
    allowed = []
    for ambiguous, nonexistent in ((True, "shift_forward"), (False, "shift_backward")):
        aware = wall.tz_localize(timezone, ambiguous=np.full(len(wall), ambiguous), nonexistent=nonexistent)
        local = aware.tz_localize(None).asi8
        utc = aware.tz_convert("UTC").tz_localize(None).asi8
        allowed.append((local - utc) / 6e10)
    ok = (offsets[idx] == allowed[0]) | (offsets[idx] == allowed[1])
    if not ok.all():
        k = int(np.flatnonzero(~ok)[0])
        i = int(idx[k])
        raise InputError(
            f"{path}, line {lines[i]}, field '{column}': {show_cell(raw.iloc[i])} has UTC offset "
            f"{_offset_text(offsets[i])}, but {timezone} (the config's [centre] timezone) is at "
            f"{_offset_text(allowed[0][k])} then; wfm reads local times of the centre"
        )


def _offset_text(minutes: float) -> str:
    m = int(round(minutes))
    sign = "+" if m >= 0 else "-"
    return f"{sign}{abs(m) // 60:02d}:{abs(m) % 60:02d}"


def check_on_grid(times: pd.Series, lines: np.ndarray, column: str, path: str | os.PathLike[str],
                  interval_minutes: int) -> None:
    """InputError naming the first timestamp that does not start an interval of the ``interval_minutes`` grid
    (minutes past midnight a multiple of it, no seconds)."""
    t = pd.DatetimeIndex(times)
    minute = np.asarray(t.hour * 60 + t.minute)
    off = (minute % interval_minutes != 0) | (np.asarray(t.second) != 0) | (np.asarray(t.microsecond) != 0) \
        | (np.asarray(t.nanosecond) != 0)
    if off.any():
        i = int(np.flatnonzero(off)[0])
        shown = t[i].strftime("%Y-%m-%d %H:%M:%S.%f" if t[i].microsecond else "%Y-%m-%d %H:%M:%S" if t[i].second
                              else TIMESTAMP_FORMAT)
        raise InputError(
            f"{path}, line {lines[i]}, field '{column}': {shown} is not on the {interval_minutes}-minute grid "
            f"(interval starts are multiples of {interval_minutes} minutes past midnight: the config's "
            "[centre] interval_minutes)"
        )


def format_timestamp(ts: pd.Timestamp | np.datetime64) -> str:
    return pd.Timestamp(ts).strftime(TIMESTAMP_FORMAT)


def read_forecast(
    path: str | os.PathLike[str], queues: Iterable[str] | None = None, *, interval_minutes: int | None = None
) -> pd.DataFrame:
    """Read a forecast CSV (``timestamp,queue,volume[,aht,...]``) with located errors.

    Volume must be a number from 0 to ``MAX_CALLS_PER_INTERVAL``; AHT, when present, > 0 and at most
    ``MAX_AHT_S`` (blank AHT takes the queue's config ``aht_s``); ``volume_p10``/``volume_p90``, when present,
    from 0 to ``MAX_CALLS_PER_INTERVAL`` (blank allowed). ``queues``: the known queue names; a row
    naming another queue is an error. ``interval_minutes``: the grid every timestamp must be on (the config's).
    """
    frame = read_csv(path, required=("timestamp", "queue", "volume"), aliases={"volume": ("calls", "offered")})
    if frame.empty:
        raise InputError(f"{path}: no data rows")
    blank_q = (frame["queue"] == "").to_numpy()
    if blank_q.any():
        i = int(np.flatnonzero(blank_q)[0])
        raise InputError(f"{path}, line {frame['_line'].iloc[i]}, field 'queue': is blank")
    times = parse_timestamps(frame, "timestamp", path, interval_minutes=interval_minutes)
    out = pd.DataFrame({"timestamp": times, "queue": frame["queue"]})
    out["volume"] = parse_numbers(frame, "volume", path, min_value=0.0, max_value=MAX_CALLS_PER_INTERVAL)
    if "aht" in frame.columns:
        out["aht"] = parse_numbers(frame, "aht", path, allow_blank=True, min_value=0.0, exclusive_min=True,
                                   max_value=MAX_AHT_S, max_note=AHT_NOTE)
    else:
        out["aht"] = np.nan
    for band in ("volume_p10", "volume_p90"):  # the forecast's band, when the file has it (wfm review scores it)
        if band in frame.columns:
            out[band] = parse_numbers(frame, band, path, allow_blank=True, min_value=0.0,
                                      max_value=MAX_CALLS_PER_INTERVAL)
    if queues is not None:
        known = list(queues)
        bad = ~frame["queue"].isin(known).to_numpy()
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputError(
                f"{path}, line {frame['_line'].iloc[i]}, field 'queue': unknown queue "
                f"{show_cell(frame['queue'].iloc[i])} (the config has: {', '.join(known)})"
            )
    dup = out.duplicated(["timestamp", "queue"]).to_numpy()
    if dup.any():
        i = int(np.flatnonzero(dup)[0])
        raise InputError(
            f"{path}, line {frame['_line'].iloc[i]}: duplicate row for queue {out['queue'].iloc[i]!r} "
            f"at {format_timestamp(out['timestamp'].iloc[i])}"
        )
    return out


@contextlib.contextmanager
def redirect_stdout_fd(to: str = "null") -> Iterator[None]:
    """Redirect file descriptor 1 for a while: ``to="null"`` discards, ``to="stderr"`` sends it to fd 2.

    Solver libraries (highspy) print banners straight to fd 1, which must stay clean for ``--json``.
    Where there is no real fd 1 (output captured in memory), nothing is redirected.
    """
    try:
        sys.stdout.flush()
        saved = os.dup(1)
    except (OSError, ValueError):
        yield
        return
    try:
        if to == "stderr":
            os.dup2(2, 1)
        else:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.close(devnull)
        yield
    finally:
        with contextlib.suppress(OSError, ValueError):
            sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)
